"""One peerbot engine in its own OS process, for test_multiprocess.py.

    python tests/mp_worker.py OUT.jsonl        (database from PEERBOT_DATABASE_URL / _SCHEMA)

Opens the store (migrating it, possibly at the same moment as its siblings), prints "ready",
waits for "go" on stdin, then feeds every event of ``scenario()`` (the same events and the
same clock in every worker) through the engine, a few at a time concurrently, and writes one
JSON line per action it was asked to perform.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from peerbot.engine import Engine
from peerbot.events import Channel, Community, Member, MemberJoined, MessageEdited, MessagePosted
from peerbot.settings import Settings
from peerbot.store import open_store
from peerbot.tone import Cue, ToneReport

NEW_YORK = ZoneInfo("America/New_York")
COMMUNITIES = [Community("discord", f"guild{i}", f"Circle {i}") for i in range(3)]
DAYS = [datetime(2025, 3, 10, tzinfo=NEW_YORK), datetime(2025, 3, 11, tzinfo=NEW_YORK)]
GENERAL = Channel("c-general", "general")
FIRST_TIMERS = [f"m{i}" for i in range(8)] + [f"b{i}" for i in range(4)]
CONCURRENCY = 8


def _report(category: str, score: float, action: str, cues: tuple[str, ...]) -> ToneReport:
    return ToneReport(action=action, category=category, score=score, sentiment=-0.5,  # type: ignore[arg-type]
                      cues=tuple(Cue(name) for name in cues))


REPORTS = {
    "CRIT": _report("criticism", 0.8, "nudge", ("insult", "target:second_person")),
    "CRISIS": _report("crisis", 1.0, "crisis", ("crisis:self_harm",)),
}


def scripted(text: str, *, threshold: float = 0.5, **_: Any) -> ToneReport:
    """Deterministic stand-in for the analyzer: this test is about the store, not tone."""
    return REPORTS.get(text.split(":")[0], _report("neutral", 0.0, "none", ()))


@dataclass(frozen=True)
class TickAt:
    community: Community
    at: datetime


def at(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
    return DAYS[day] + timedelta(hours=hh, minutes=mm, seconds=ss)


def scenario() -> list[Any]:
    """Two mornings in three communities, ordered by time. Ticks every minute 08:50-09:10."""
    items: list[tuple[datetime, int, Any]] = []
    seq = 0

    def add(item: Any, when: datetime) -> None:
        nonlocal seq
        items.append((when, seq, item))
        seq += 1

    for community in COMMUNITIES:
        c = community.id
        for day in range(2):
            for minute in range(21):
                add(TickAt(community, at(day, 8, 50 + minute)), at(day, 8, 50 + minute))
        # Eight single joins two minutes apart, a burst of four within ten seconds.
        for i in range(8):
            when = at(0, 8, 51 + 2 * i)
            add(MemberJoined(event_id=f"{c}:join:m{i}", community=community, at=when, member=Member(f"m{i}")), when)
        for i in range(4):
            when = at(0, 8, 52, 30 + 3 * i)
            add(MemberJoined(event_id=f"{c}:join:b{i}", community=community, at=when, member=Member(f"b{i}")), when)
        # A redelivered join, and m0 coming back the next day.
        add(MemberJoined(event_id=f"{c}:join:m0", community=community, at=at(0, 8, 51), member=Member("m0")),
            at(0, 9, 5))
        add(MemberJoined(event_id=f"{c}:join:m0:again", community=community, at=at(1, 8, 55), member=Member("m0")),
            at(1, 8, 55))
        # Criticism from m1: three times inside one cooldown hour, once more the next day.
        for n, when in enumerate((at(0, 8, 52), at(0, 8, 53), at(0, 9, 0, 30), at(1, 8, 52))):
            add(message(community, f"CRIT:{n}", "m1", f"crit{n}", when), when)
        # A crisis message from m2, then an edit of it.
        add(message(community, "CRISIS", "m2", "sos", at(0, 8, 57)), at(0, 8, 57))
        add(message(community, "CRISIS", "m2", "sos", at(0, 8, 58), edited=True), at(0, 8, 58))
        # Warm chat.
        for n in range(60):
            when = at(n % 2, 8, 50 + (n % 20), n % 60)
            add(message(community, f"hello {n}", f"m{n % 8}", f"chat{n}", when), when)
    return [item for _, _, item in sorted(items, key=lambda row: (row[0], row[1]))]


def message(community: Community, text: str, author: str, message_id: str, when: datetime,
            edited: bool = False) -> MessagePosted:
    kind = MessageEdited if edited else MessagePosted
    return kind(event_id=f"{community.id}:{'edit' if edited else 'msg'}:{message_id}", community=community, at=when,
                channel=GENERAL, author=Member(author), message_id=message_id, text=text)


def settings() -> Settings:
    return Settings(
        _env_file=None,
        database_url=os.environ["PEERBOT_DATABASE_URL"],
        database_schema=os.environ.get("PEERBOT_DATABASE_SCHEMA") or None,
        community={"prompts": {"time": "09:00"}, "welcome": {"burst_size": 3, "burst_window_seconds": 60},
                   "nudges": {"cooldown_minutes": 60}},
    )


def record(event_id: str, action: Any) -> dict[str, Any]:
    out = {"event_id": event_id, "type": type(action).__name__, "community": action.community.id}
    for name in ("member_id", "message_id", "kind", "reason", "channel_id"):
        if hasattr(action, name):
            out[name] = getattr(action, name)
    if hasattr(action, "mention_ids"):
        out["mention_ids"] = list(action.mention_ids)
    return out


async def main(out_path: str) -> None:
    config = settings()
    store = await open_store(config.database_url, schema=config.database_schema)
    engine = Engine(store, config, analyze=scripted)
    print("ready", flush=True)
    assert (await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)).strip() == "go"
    rows: list[dict[str, Any]] = []

    async def one(item: Any) -> None:
        if isinstance(item, TickAt):
            for action in await engine.tick(item.community, item.at):
                rows.append(record(f"tick:{item.community.id}:{item.at.isoformat()}", action) | {"at": item.at.isoformat()})
        else:
            for action in await engine.handle(item):
                rows.append(record(item.event_id, action) | {"at": item.at.isoformat()})

    events = scenario()
    for start in range(0, len(events), CONCURRENCY):
        await asyncio.gather(*(one(item) for item in events[start:start + CONCURRENCY]))
    await store.close()
    with open(out_path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    print(f"done {len(events)} events, {len(rows)} actions", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
