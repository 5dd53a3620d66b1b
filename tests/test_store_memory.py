"""``MemoryStore`` keeps the ``Store`` protocol as the database does: the same script of calls
gives the same answers on it and on SQLite, and an engine runs on it unchanged."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engine_kit import COMMUNITY, T0, command, joined, kinds, posted, report, scripted, settings
from peerbot.engine import Engine
from peerbot.events import Community
from peerbot.store import CrisisAlert, NewNudge, Store, open_store
from peerbot.store.memory import MemoryStore

C = Community("slack", "T1")
OTHER = Community("discord", "G1")
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _nudge(message_id: str, member: str = "m", at: datetime = NOW, category: str = "criticism") -> NewNudge:
    return NewNudge(channel_id="c", member_id=member, message_id=message_id, at=at, category=category, score=0.8,
                    threshold=0.5, cues=("target", "target", "insult"))


async def _script(store: Store) -> list[Any]:
    """Every kind of call, with the answers that differ by store (ids) made comparable."""
    out: list[Any] = []
    ids: dict[str, str] = {}

    def named(nudge_id: str | None) -> str | None:
        return None if nudge_id is None else ids.setdefault(nudge_id, f"n{len(ids)}")

    out.append([await store.claim_event(C, "e1", NOW), await store.claim_event(C, "e1", NOW),
                await store.claim_event(OTHER, "e1", NOW)])
    first = await store.record_join(C, "ana", NOW)
    again = await store.record_join(C, "ana", NOW + HOUR)
    out.append([first.returning, again.returning])
    out.append([(j.member_id, j.returning, j.greeted_at) for j in await store.joins_since(C, NOW)])
    out.append([await store.mark_greeted(C, first.id, NOW), await store.mark_greeted(C, first.id, NOW)])
    out.append([await store.claim_prompt(C, "2025-01-01", "p1", 0, NOW),
                await store.claim_prompt(C, "2025-01-01", "p2", 0, NOW), await store.used_prompts(C)])
    await store.record_delivery(C, "prompt", "2025-01-01", "posted", message_id="P1")
    claims = [await store.claim_nudge(C, _nudge(str(i), at=NOW + i * 20 * timedelta(minutes=1)), cooldown=HOUR,
                                      since=NOW - 24 * HOUR) for i in range(5)]
    out.append([(named(c.nudge_id), c.recent) for c in claims])
    out.append(named(await store.record_nudge(C, _nudge("0"))))  # the message was nudged already
    out.append(named(await store.record_nudge(C, _nudge("x", member="bo"))))
    out.append([(named(n.id), n.category, n.cues) for n in await store.nudges_since(C, "m", NOW)])
    out.append(await store.last_nudge_at(C, "m"))
    nudge = await store.get_nudge(C, claims[0].nudge_id or "")
    out.append(None if nudge is None else (nudge.message_id, nudge.score, nudge.threshold))
    out.append(await store.get_nudge(OTHER, claims[0].nudge_id or ""))
    alert = CrisisAlert(channel_id="c", member_id="bo", message_id="cr", at=NOW)
    out.append([await store.claim_crisis_alert(C, alert), await store.claim_crisis_alert(C, alert)])
    await store.record_feedback(C, claims[0].nudge_id or "", "m", "helpful", NOW)
    await store.record_delivery(C, "nudge", "0", "dm")
    await store.record_delivery(C, "crisis", "cr", "dm")
    out.append([await store.record_edit(C, "0", NOW + timedelta(minutes=5), softened=True, window=HOUR),
                await store.record_deletion(C, "0", NOW + timedelta(minutes=6), window=HOUR),
                await store.record_edit(C, "0", NOW + timedelta(minutes=7), softened=False, window=HOUR),
                await store.record_edit(C, "never-nudged", NOW, softened=False, window=HOUR)])
    out.append(await store.settle_outcomes(C, NOW + 2 * HOUR, HOUR))
    store.count_message(C, NOW, "neutral")
    store.count_message(C, NOW + timedelta(minutes=1), "criticism")
    store.count_reply(C, "P1")
    out.append([await store.claim_digest(C, "2025-01-06", NOW), await store.claim_digest(C, "2025-01-06", NOW)])
    await store.set_override(C, "nudges.threshold", 0.7, actor_id="mod", at=NOW)
    await store.set_override(C, "nudges.threshold", None, actor_id="mod", at=NOW + HOUR)
    await store.set_override(C, "prompts.channel", "daily", actor_id="mod", at=NOW + HOUR)
    out.append(await store.overrides(C))
    out.append([(a.key, a.old_value, a.new_value, a.actor_id) for a in await store.audit_trail(C, limit=2)])
    out.append(await store.stats(C, NOW - HOUR, NOW + 3 * HOUR, settled_before=NOW + HOUR))
    out.append(await store.last_activity(C))
    out.append(await store.communities())
    out.append(await store.prune_events(NOW + timedelta(seconds=1)))
    return out


async def test_the_same_calls_give_the_same_answers_in_memory_and_on_sqlite(tmp_path):
    sql = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    try:
        expected = await _script(sql)
    finally:
        await sql.close()
    got = await _script(MemoryStore())
    for n, (want, have) in enumerate(zip(expected, got, strict=True)):
        assert have == want, f"step {n}"


async def test_a_unit_in_memory_is_all_or_nothing():
    store = MemoryStore()

    async def work() -> None:
        assert await store.claim_event(C, "e", NOW)
        await store.record_join(C, "ana", NOW)
        assert await store.claim_crisis_alert(C, CrisisAlert("c", "bo", "cr", NOW))
        await store.claim_nudge(C, _nudge("1"), cooldown=HOUR, since=NOW)
        raise RuntimeError("the platform call failed half-way")

    with pytest.raises(RuntimeError):
        await store.atomically(work)
    assert await store.claim_event(C, "e", NOW)
    assert not (await store.record_join(C, "ana", NOW)).returning
    assert await store.claim_crisis_alert(C, CrisisAlert("c", "bo", "cr", NOW))
    assert (await store.claim_nudge(C, _nudge("1"), cooldown=HOUR, since=NOW)).nudge_id is not None


async def _session(engine: Engine) -> list[list[str]]:
    return [
        kinds(await engine.handle(joined("ana", T0))),
        kinds(await engine.handle(joined("ana", T0 + timedelta(days=30)))),
        kinds(await engine.handle(posted("help", author="bo"))),
        kinds(await engine.handle(posted("mean", author="cy"))),
        kinds(await engine.handle(posted("mean", author="cy", at=T0 + timedelta(minutes=1)))),  # cooldown
        kinds(await engine.handle(command("threshold 0.9"))),
        [a.text.split("\n")[0] for a in await engine.handle(command("settings"))],
        kinds(await engine.tick(COMMUNITY, T0.replace(hour=13, minute=1) + timedelta(days=1))),  # 09:01 New York
    ]


async def test_an_engine_on_the_memory_store_acts_as_on_sqlite_and_faster(tmp_path):
    analyze = scripted({"mean": report("criticism", 0.8, "nudge", ("insult",)),
                        "help": report("crisis", 1.0, "crisis")})
    sql = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    try:
        started = time.perf_counter()
        on_sql = await _session(Engine(sql, settings(), analyze=analyze))
        sql_seconds = time.perf_counter() - started
    finally:
        await sql.close()
    started = time.perf_counter()
    in_memory = await _session(Engine(MemoryStore(), settings(), analyze=analyze))
    memory_seconds = time.perf_counter() - started
    assert in_memory == on_sql
    assert on_sql[2] == ["CrisisSupport", "AlertModerators"] and on_sql[4] == []
    assert memory_seconds < sql_seconds
