"""Moderator insight through the real engine and store: what became of nudged messages, the
stats of a scripted week, the weekly digest (once per week across restarts), and a scan of
the database for message text. The tone decisions that matter (does an edit soften?) use
the real analyzer; the scripted week injects reports so the figures are exact."""

from __future__ import annotations

import asyncio
import dataclasses
import glob
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from db_kit import backend, make_store, pg_db  # noqa: F401 - fixtures
from engine_kit import (
    COMMUNITY, T0, command, joined, kinds, make_engine, member, minutes, posted, report, scripted, settings,
)
from peerbot.charts import DIGEST_SIZE, png_size
from peerbot.engine import Engine
from peerbot.events import Delivered, MessageDeleted, MessageEdited, NudgeFeedback
from peerbot.insight import stats_lines
from peerbot.store import Stats

CRITICISM = "You're so lazy and stupid, nobody cares about your posts."
SOFTENED = "I see this differently, and I'd like to hear more about what you meant."
STILL_HARSH = "You're so lazy and stupid, nobody reads your posts anyway."
NEW_YORK = ZoneInfo("America/New_York")


def edited(message, text, at):
    return MessageEdited(event_id=f"edit-{message.message_id}-{at.isoformat()}", community=COMMUNITY, at=at,
                         channel=message.channel, author=message.author, message_id=message.message_id, text=text)


def deleted(message, at):
    return MessageDeleted(event_id=f"del-{message.message_id}", community=COMMUNITY, at=at, channel=message.channel,
                          message_id=message.message_id)


async def outcome(engine: Engine, message_id: str) -> str | None:
    async with engine.store.engine.connect() as conn:
        return await conn.scalar(text("SELECT outcome FROM nudges WHERE message_id = :m"), {"m": message_id})


async def nudged(engine: Engine, author: str = "bo", at: datetime = T0):
    message = posted(CRITICISM, author, at=at)
    assert kinds(await engine.handle(message)) == ["PrivateNudge"]
    return message


# -- what became of a nudged message ------------------------------------------------------------


async def test_an_edit_that_softens_the_message_is_recorded_as_edited_softened(tmp_path):
    engine = await make_engine(tmp_path)
    message = await nudged(engine)
    assert await engine.handle(edited(message, SOFTENED, T0 + minutes(3))) == []
    assert await outcome(engine, message.message_id) == "edited_softened"
    stats = await engine.stats(COMMUNITY, T0 - minutes(1), T0 + minutes(30))
    assert stats.outcomes == {"edited_softened": 1} and stats.messages_seen == 1  # an edit is no new message


async def test_an_edit_that_does_not_soften_is_recorded_as_edited_and_nudges_no_second_time(tmp_path):
    engine = await make_engine(tmp_path)
    message = await nudged(engine)
    assert await engine.handle(edited(message, STILL_HARSH, T0 + minutes(2))) == []  # still nudge-worthy, once only
    assert await outcome(engine, message.message_id) == "edited"


async def test_the_last_edit_inside_the_window_wins(tmp_path):
    engine = await make_engine(tmp_path)
    message = await nudged(engine)
    await engine.handle(edited(message, SOFTENED, T0 + minutes(2)))
    await engine.handle(edited(message, STILL_HARSH, T0 + minutes(4)))
    assert await outcome(engine, message.message_id) == "edited"
    await engine.handle(edited(message, SOFTENED, T0 + minutes(6)))
    assert await outcome(engine, message.message_id) == "edited_softened"


async def test_a_deleted_message_is_recorded_as_deleted_and_stays_so(tmp_path):
    engine = await make_engine(tmp_path)
    message = await nudged(engine)
    assert await engine.handle(deleted(message, T0 + minutes(1))) == []
    assert await outcome(engine, message.message_id) == "deleted"
    await engine.handle(edited(message, SOFTENED, T0 + minutes(2)))  # a late, out-of-order edit event
    assert await outcome(engine, message.message_id) == "deleted"


async def test_a_message_left_alone_is_unchanged_once_the_window_closes(tmp_path):
    clock = [0.0]
    engine = await make_engine(tmp_path)
    engine = Engine(engine.store, engine.settings, clock=lambda: clock[0])
    message = await nudged(engine)
    await engine.tick(COMMUNITY, T0 + minutes(9))
    assert await outcome(engine, message.message_id) is None  # still watched
    assert (await engine.stats(COMMUNITY, T0, now=T0 + minutes(9))).outcomes == {"watching": 1}
    clock[0] += 61  # the engine marks closed windows about once a minute
    await engine.tick(COMMUNITY, T0 + minutes(10))
    assert await outcome(engine, message.message_id) == "unchanged"


async def test_edits_and_deletions_after_the_window_change_nothing(tmp_path):
    engine = await make_engine(tmp_path)
    message, other = await nudged(engine), await nudged(engine, "cy")
    assert await engine.handle(edited(message, SOFTENED, T0 + minutes(10) + timedelta(seconds=1))) == []
    await engine.handle(deleted(other, T0 + minutes(11)))
    assert await outcome(engine, message.message_id) is None and await outcome(engine, other.message_id) is None
    stats = await engine.stats(COMMUNITY, T0, now=T0 + minutes(11))
    assert stats.outcomes == {"unchanged": 2}


async def test_the_watch_window_is_configurable(tmp_path):
    engine = await make_engine(tmp_path, config=settings(nudges={"watch_minutes": 30}))
    message = await nudged(engine)
    await engine.handle(edited(message, SOFTENED, T0 + minutes(25)))
    assert await outcome(engine, message.message_id) == "edited_softened"


async def test_edits_and_deletions_of_messages_never_nudged_record_nothing(tmp_path):
    engine = await make_engine(tmp_path)
    calm = posted("Good morning, everyone!", "di")
    assert await engine.handle(calm) == []
    await engine.handle(edited(calm, "Good morning, all!", T0 + minutes(1)))
    await engine.handle(deleted(calm, T0 + minutes(2)))
    async with engine.store.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM nudges")) == 0


# -- a scripted week -------------------------------------------------------------------------------

POLICY = scripted({
    "kind": report("supportive", 0.0),
    "hello": report("neutral", 0.0),
    "hard week": report("struggle", 0.1),
    "rude": report("criticism", 0.8, "nudge", ("insult", "target:second_person")),
    "whisper": report("gossip", 0.7, "nudge", ("gossip marker",)),
    "smirk": report("mockery", 0.7, "nudge", ("sarcasm",)),
    "sos": report("crisis", 1.0, "crisis", ("crisis:self_harm",)),
    "nicer": report("neutral", 0.0),
})


def ny(day: int, hh: int, mm: int = 0) -> datetime:
    """A time in the scripted weeks: day 0 is Monday 3 March 2025 (New York)."""
    return datetime(2025, 3, 3, hh, mm, tzinfo=NEW_YORK) + timedelta(days=day)


async def play_week(engine: Engine) -> dict[str, object]:
    """The week before (2 calm messages, one nudge left alone) and the week of 3 March."""
    seen: dict[str, object] = {"digests": []}

    async def say(text_: str, who: str, at: datetime, reply_to: str | None = None):
        message = dataclasses.replace(posted(text_, who, at=at), reply_to=reply_to)
        return message, await engine.handle(message)

    async def deliver(what: str, ref: str, via: str, message_id: str | None = None, at: datetime = T0) -> None:
        await engine.handle(Delivered(event_id=f"d-{what}-{ref}", community=COMMUNITY, at=at, what=what, ref=ref,
                                      via=via, message_id=message_id))

    async def tick(at: datetime) -> None:
        for action in await engine.tick(COMMUNITY, at):
            if action.kind == "prompt":
                await deliver("prompt", action.ref, "channel", f"prompt-{action.ref}", at)
            elif action.kind == "digest":
                seen["digests"].append(action)

    # the week before
    await say("hello", "ann", ny(-6, 10))
    await say("hello", "ben", ny(-6, 11))
    await say("rude", "old", ny(-5, 12))
    # the week
    for day in range(7):  # a prompt a day; on Monday also the digest of the week before
        await tick(ny(day, 9, 1))
    for i in range(6):
        await say("kind", f"k{i}", ny(i % 7, 10, i), reply_to="prompt-2025-03-03" if i < 3 else None)
    for i in range(10):
        await say("hello", f"h{i}", ny(i % 7, 11, i))
    for i in range(3):
        await say("hard week", f"s{i}", ny(1, 12, i), reply_to="prompt-2025-03-04" if i < 2 else "not-a-prompt")
    rude = [(await say("rude", f"r{i}", ny(2, 14, i)))[0] for i in range(3)]
    whisper, _ = await say("whisper", "g1", ny(3, 14))
    smirk, _ = await say("smirk", "m1", ny(4, 14))
    crisis, _ = await say("sos", "c1", ny(5, 14))
    for i, message in enumerate([*rude, whisper]):
        await deliver("nudge", message.message_id, "dm" if i else "skipped")
    await deliver("nudge", smirk.message_id, "dm")
    await deliver("crisis", crisis.message_id, "thread")
    await engine.handle(edited(rude[0], "nicer", ny(2, 14, 5)))
    await engine.handle(edited(rude[1], "rude", ny(2, 14, 6)))
    await engine.handle(deleted(rude[2], ny(2, 14, 7)))
    nudges = {n.message_id: n.id for who in ("r0", "r1", "g1")
              for n in await engine.store.nudges_since(COMMUNITY, who, ny(0, 0))}
    for message, verdict in ((rude[0], "helpful"), (rude[1], "not_helpful"), (rude[1], "why"), (whisper, "helpful")):
        await engine.handle(NudgeFeedback(event_id=f"fb-{message.message_id}-{verdict}", community=COMMUNITY,
                                          at=ny(5, 9), member=message.author, nudge_id=nudges[message.message_id],
                                          verdict=verdict))
    for i in range(4):
        await engine.handle(joined(f"new{i}", ny(i, 8, 30)))
    await say("hello", "late", ny(7, 7))  # the next week already
    await tick(ny(7, 8, 5))  # Monday 10 March, 08:05: the digest of the week of 3 March
    return seen


async def test_stats_of_a_scripted_week(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY)
    await play_week(engine)
    week = await engine.stats(COMMUNITY, ny(0, 0), ny(7, 0))
    assert week.messages_by_category == {"supportive": 6, "neutral": 10, "struggle": 3, "criticism": 3,
                                         "gossip": 1, "mockery": 1, "crisis": 1}
    assert week.messages_seen == 25
    assert week.nudges_by_category == {"criticism": 3, "gossip": 1, "mockery": 1} and week.members_nudged == 5
    assert week.outcomes == {"edited_softened": 1, "edited": 1, "deleted": 1, "unchanged": 2}
    assert week.nudge_delivery == {"dm": 4, "skipped": 1}
    assert week.crisis_alerts == 1 and week.crisis_delivery == {"thread": 1}
    assert week.feedback == {"helpful": 2, "not_helpful": 1, "why": 1}
    assert week.feedback_nudges == {"helpful": 2, "not_helpful": 1, "why": 1}
    assert week.members_welcomed == 4
    assert week.prompts_posted == 7 and week.prompt_replies == 5  # 3 + 2; the reply to another message is not one
    before = await engine.stats(COMMUNITY, ny(-7, 0), ny(0, 0))
    assert (before.messages_seen, before.nudges, before.outcomes) == (3, 1, {"unchanged": 1})

    lines = stats_lines(week, before)
    assert lines[0] == ("messages seen: 25 (week before: 3); tone: supportive 24%, neutral 40%, struggle 12%, "
                        "criticism 12%, gossip 4%, mockery 4%, crisis 4%")
    assert lines[1] == "nudges sent: 5 (criticism 3, gossip 1, mockery 1) to 5 members (week before: 1)"
    assert lines[2] == ("after a nudge: edited and softened 1 (20%), edited, still nudge-worthy 1 (20%), deleted 1 "
                        "(20%), unchanged 2 (40%). Changed or removed: 60% (week before: 0%)")
    assert lines[3] == "nudge delivery: by DM 4, not delivered (DMs closed) 1"
    assert lines[4] == "feedback on nudges: helpful 2 (40%), not_helpful 1 (20%), why 1 (20%)"
    assert lines[5:] == ["welcomes (joins): 4 (week before: 0)",
                         "prompts posted: 7, replies to them: 5 (week before: 0 and 0)",
                         "crisis alerts: 1 (week before: 0)"]
    # the moderator command shows the same figures for the last 7 days (no ranking, no text)
    reply = (await engine.handle(command("stats 7", at=ny(7, 0))))[0].text
    assert "messages seen: 25;" in reply and "nudges sent: 5 (criticism 3, gossip 1, mockery 1)" in reply
    assert "r0" not in reply and "rude" not in reply


async def test_the_weekly_digest_goes_to_moderators_once_a_week_with_a_chart(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY)
    seen = await play_week(engine)
    first, second = seen["digests"]
    assert first.ref == "2025-03-03" and second.ref == "2025-03-10"
    assert first.channel == second.channel == "moderators"
    assert second.text.startswith("Weekly climate digest for Test Circle, Mon 3 Mar - Sun 9 Mar 2025:")
    assert "messages seen: 25 (week before: 3)" in second.text and "Twitter" in second.text
    assert png_size(second.file.data) == DIGEST_SIZE == (1200, 600)
    assert second.file.filename == "peerbot-digest-2025-03-03.png"
    # ticking on, or after a restart (a new engine over the same database): no second digest
    assert [a for a in await engine.tick(COMMUNITY, ny(7, 8, 20)) if a.kind == "digest"] == []
    restarted = Engine(engine.store, engine.settings, analyze=POLICY)
    assert [a.kind for a in await restarted.tick(COMMUNITY, ny(8, 8, 5))] == []
    # a week with nothing at all posts no digest
    assert await restarted.tick(COMMUNITY, ny(21, 8, 5)) == []


async def test_digest_day_time_and_channel_are_configurable_and_it_can_be_turned_off(tmp_path):
    config = settings(digest={"weekday": "fri", "time": "16:30", "channel": "mod-reports"})
    engine = await make_engine(tmp_path, analyze=POLICY, config=config)
    await engine.handle(posted("hello", "ann", at=ny(0, 10)))
    assert await engine.tick(COMMUNITY, ny(4, 16, 29)) == []
    due = [a for a in await engine.tick(COMMUNITY, ny(4, 16, 31)) if getattr(a, "kind", "") == "digest"]
    assert [(a.channel, a.ref) for a in due] == [("mod-reports", "2025-03-07")]
    assert "Fri 28 Feb - Thu 6 Mar 2025" in due[0].text
    off = await make_engine(tmp_path, analyze=POLICY, config=settings(digest={"enabled": False}), db="off.db")
    await off.handle(posted("hello", "ann", at=ny(0, 10)))
    assert [getattr(a, "kind", "") for a in await off.tick(COMMUNITY, ny(7, 9))] == ["prompt"]  # no digest


async def test_digest_is_claimed_once_when_several_stores_race(make_store):
    stores = [await make_store() for _ in range(3)]
    engines = [Engine(s, settings(), analyze=POLICY) for s in stores]
    await engines[0].handle(posted("hello", "ann", at=ny(0, 10)))
    await stores[0].drain()
    results = await asyncio.gather(*(e.tick(COMMUNITY, ny(7, 8, 1)) for e in engines))
    digests = [a for actions in results for a in actions if a.kind == "digest"]
    assert len(digests) == 1 and png_size(digests[0].file.data) == DIGEST_SIZE


# -- privacy: no message text in the store ------------------------------------------------------

TEXTS = (CRITICISM, SOFTENED, STILL_HARSH, "Did you hear about Dee? Between you and me, she's a total mess.",
         "I had an awful week and feel worthless.", "I want to kill myself.",
         "Went for a walk this morning and it helped, thank you all!")


async def test_no_message_text_reaches_the_store(backend, make_store):  # noqa: F811 - fixture
    store = await make_store()
    engine = Engine(store, settings())
    messages = [posted(t, f"m{i}", at=T0 + minutes(i)) for i, t in enumerate(TEXTS)]
    for message in messages:
        for action in await engine.handle(message):
            if type(action).__name__ == "PrivateNudge":
                await engine.handle(NudgeFeedback(event_id=f"fb{action.nudge_id}", community=COMMUNITY, at=T0,
                                                  member=member(action.member_id), nudge_id=action.nudge_id,
                                                  verdict="why"))
    await engine.handle(edited(messages[0], SOFTENED, T0 + minutes(9)))
    await engine.handle(deleted(messages[3], T0 + minutes(9)))
    await engine.tick(COMMUNITY, T0 + timedelta(days=7))  # settle, prompts, the weekly digest
    await engine.handle(command(f"test {CRITICISM}"))
    await store.drain()
    dump = await _dump(store, backend)
    assert "edited_softened" in dump and "deleted" in dump  # the scan does see what the store holds
    for t in TEXTS:
        for fragment in {t, t[:20], t[-20:]}:
            assert fragment not in dump, fragment


async def _dump(store, backend) -> str:
    """Everything the database holds, as text (SQLite: the files' bytes too)."""
    from peerbot.store.sql import metadata

    parts = []
    async with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = (await conn.execute(text(f"SELECT * FROM {table.name}"))).all()
            parts += [repr(tuple(row)) for row in rows]
    if backend.kind == "sqlite":
        path = backend.url.split("///", 1)[1]
        parts += [open(name, "rb").read().decode("utf-8", "replace") for name in glob.glob(path + "*")]
    return "\n".join(parts)


def test_stats_lines_never_name_or_rank_members():
    stats = Stats(since=datetime(2025, 3, 10, 12, 0, tzinfo=UTC), nudges_by_category={"criticism": 2}, members_nudged=2,
                  outcomes={"unchanged": 2}, messages_by_category={"criticism": 2})
    joined_lines = "\n".join(stats_lines(stats))
    assert "criticism 2" in joined_lines and "to 2 members" in joined_lines
    assert "<@" not in joined_lines and "top" not in joined_lines.lower()


_DIGEST_WORKER = """
import asyncio, json, os, sys
from datetime import datetime
from zoneinfo import ZoneInfo
from peerbot.engine import Engine
from peerbot.events import Community
from peerbot.settings import Settings
from peerbot.store import open_store

async def main():
    config = Settings(_env_file=None, database_url=os.environ["PEERBOT_DATABASE_URL"],
                      database_schema=os.environ["PEERBOT_DATABASE_SCHEMA"])
    store = await open_store(config.database_url, schema=config.database_schema)
    engine = Engine(store, config)
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    kinds = []
    for hour, minute in ((8, 0), (8, 1), (8, 2), (9, 30)):
        at = datetime(2025, 3, 10, hour, minute, tzinfo=ZoneInfo("America/New_York"))
        kinds += [getattr(a, "kind", "") for a in await engine.tick(Community("console", "circle", "Test Circle"), at)]
    await store.close()
    print(json.dumps(kinds), flush=True)

asyncio.run(main())
"""


def test_the_digest_is_posted_once_by_several_processes_and_not_again_after_a_restart(pg_db):
    import json
    import os
    import subprocess
    import sys

    async def seed() -> None:
        store = await pg_db.open()
        engine = Engine(store, settings(), analyze=POLICY)
        await engine.handle(posted("hello", "ann", at=ny(2, 10)))
        await store.close()

    asyncio.run(seed())
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERBOT_")} | pg_db.env()

    def spawn(count: int) -> list[list[str]]:
        procs = [subprocess.Popen([sys.executable, "-c", _DIGEST_WORKER], env=env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(count)]
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        for proc in procs:  # all together
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = [proc.communicate(timeout=60) for proc in procs]
        assert all(proc.returncode == 0 for proc in procs), [err[-2000:] for _, err in outputs]
        return [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]

    first = spawn(3)
    assert sum(kinds.count("digest") for kinds in first) == 1, first
    assert sum(kinds.count("prompt") for kinds in first) == 1, first  # the 09:00 prompt, likewise once
    assert spawn(1) == [[]]  # a restart later the same morning: nothing again
