"""The store against SQLite and the real PostgreSQL (each test runs on both; see db_kit)."""

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from db_kit import Db, backend, make_store, pg_db  # noqa: F401 - fixtures
from peerbot.events import Community
from peerbot.store import CrisisAlert, NewNudge, SchemaError, open_store
from peerbot.store.migrate import head, upgrade
from peerbot.store.sql import metadata

C = Community("slack", "T1")
OTHER = Community("discord", "T1")
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_no_table_has_a_column_for_message_text():
    forbidden = ("content", "text", "body", "message_text")
    names = [(t.name, c.name) for t in metadata.tables.values() for c in t.columns]
    assert names and not [n for n in names if any(word in n[1].lower() for word in forbidden)]


async def test_migrations_build_exactly_the_tables_the_code_uses(make_store):
    store = await make_store()
    async with store.engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        revision = await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
        diffs = await conn.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    assert set(metadata.tables) | {"alembic_version"} == set(tables)
    assert revision == head() == "0003"
    assert diffs == []


async def test_claims_are_exactly_once_across_stores_and_scoped_by_community(make_store):
    stores = [await make_store() for _ in range(3)]
    results = await asyncio.gather(*(s.claim_prompt(C, "2025-01-01", "p1", 0, NOW) for s in stores))
    assert sorted(results) == [False, False, True]
    assert await stores[0].claim_prompt(OTHER, "2025-01-01", "p1", 0, NOW)
    assert await stores[0].claim_event(C, "e1", NOW) and not await stores[1].claim_event(C, "e1", NOW)
    assert await stores[0].claim_event(OTHER, "e1", NOW)
    alerts = await asyncio.gather(*(s.claim_crisis_alert(C, CrisisAlert(channel_id="c", member_id="m", message_id="x", at=NOW))
                                    for s in stores))
    assert sorted(alerts) == [False, False, True]


async def test_batched_event_claims_give_each_id_to_exactly_one_caller(make_store):
    a, b = await make_store(), await make_store()
    ids = [f"ev-{i % 150}" for i in range(600)]  # every id four times, over two stores at once
    results = await asyncio.gather(*((a if i % 2 else b).claim_event(C, event_id, NOW) for i, event_id in enumerate(ids)))
    won = [event_id for event_id, mine in zip(ids, results) if mine]
    assert len(won) == 150 and set(won) == set(ids)


async def test_events_recorded_behind_are_written_by_drain_and_by_close(backend, make_store):
    store = await make_store()
    for i in range(50):
        store.record_event(C, f"quiet-{i}", NOW)  # returns at once
    await store.drain()
    other = await make_store()
    assert not await other.claim_event(C, "quiet-7", NOW)
    late = await backend.open()
    late.record_event(C, "at-close", NOW)
    await late.close()
    assert not await other.claim_event(C, "at-close", NOW)


async def test_times_round_trip_as_aware_utc(make_store):
    store = await make_store()
    eastern = NOW.astimezone(timezone(timedelta(hours=-5)))
    nudge_id = await store.record_nudge(C, NewNudge(channel_id="c", member_id="m", message_id="x", at=eastern,
                                                 category="gossip", score=0.7, threshold=0.5,
                                                 cues=("gossip:marker", "target")))
    assert nudge_id is not None
    assert await store.last_nudge_at(C, "m") == NOW
    record = await store.get_nudge(C, nudge_id)
    assert record.created_at == NOW and record.cues == ("gossip:marker", "target")
    assert await store.get_nudge(OTHER, nudge_id) is None
    assert len(await store.nudges_since(C, "m", NOW - timedelta(minutes=1))) == 1
    assert await store.nudges_since(C, "m", NOW + timedelta(minutes=1)) == []


async def test_overrides_and_audit_trail(make_store):
    store = await make_store()
    await store.set_override(C, "nudges.threshold", 0.7, actor_id="mod1", at=NOW)
    await store.set_override(C, "nudges.threshold", 0.8, actor_id="mod2", at=NOW + timedelta(minutes=1))
    await store.set_override(C, "channels.vent.nudges_enabled", False, actor_id="mod1", at=NOW)
    await store.set_override(C, "channels.vent.nudges_enabled", None, actor_id="mod1", at=NOW)
    assert await store.overrides(C) == {"nudges.threshold": 0.8}
    trail = await store.audit_trail(C)
    assert [(e.key, e.old_value, e.new_value, e.actor_id) for e in trail][-2:] == [
        ("nudges.threshold", 0.7, 0.8, "mod2"), ("nudges.threshold", None, 0.7, "mod1")]
    assert len(trail) == 4 and await store.overrides(OTHER) == {}


async def test_concurrent_setting_changes_from_two_stores_are_all_audited(make_store):
    a, b = await make_store(), await make_store()
    await asyncio.gather(*((a if i % 2 else b).set_override(C, "nudges.threshold", i / 10, actor_id=f"m{i}", at=NOW)
                           for i in range(1, 9)))
    trail = await a.audit_trail(C)
    assert len(trail) == 8
    # Each change saw the one before it: the audit chain has no gaps or forks.
    chain = [(e.old_value, e.new_value) for e in reversed(trail)]
    assert chain[0][0] is None and all(chain[i][1] == chain[i + 1][0] for i in range(7))
    assert (await b.overrides(C))["nudges.threshold"] == chain[-1][1]


def nudge(store, message_id, at, member="m", cooldown=HOUR):
    return store.record_nudge(C, NewNudge(channel_id="c", member_id=member, message_id=message_id, at=at,
                                       category="criticism", score=0.8, threshold=0.5, cues=("target",)),
                              cooldown=cooldown)


async def test_nudge_cooldown_is_shared_by_every_store(make_store):
    stores = [await make_store() for _ in range(4)]
    # Four processes, four messages from one member at the same moment: one nudge.
    results = await asyncio.gather(*(nudge(s, f"x{i}", NOW) for i, s in enumerate(stores)))
    assert sum(r is not None for r in results) == 1
    assert await nudge(stores[1], "late", NOW + timedelta(minutes=59)) is None
    assert await nudge(stores[2], "other-member", NOW, member="n") is not None
    assert await nudge(stores[3], "after", NOW + timedelta(minutes=60)) is not None
    # Refused nudges leave no row behind (stats and "why?" only see real ones).
    assert [n.message_id for n in await stores[0].nudges_since(C, "m", NOW - HOUR)] == [
        f"x{results.index(next(r for r in results if r))}", "after"]


async def test_a_message_already_nudged_does_not_use_up_the_cooldown(make_store):
    store = await make_store()
    assert await nudge(store, "x", NOW) is not None
    assert await nudge(store, "x", NOW + 2 * HOUR) is None  # an edit of the same message
    assert await nudge(store, "y", NOW + 2 * HOUR + timedelta(minutes=1)) is not None


def claim(store, message_id, at, member="m", category="criticism"):
    return store.claim_nudge(C, NewNudge(channel_id="c", member_id=member, message_id=message_id, at=at, category=category,
                                      score=0.8, threshold=0.5, cues=("target",)),
                             cooldown=HOUR, since=at - 24 * HOUR)


async def test_claim_nudge_takes_the_shared_cooldown_and_counts_the_streak(make_store):
    stores = [await make_store() for _ in range(4)]
    results = await asyncio.gather(*(claim(s, f"x{i}", NOW) for i, s in enumerate(stores)))
    won = [r for r in results if r.nudge_id is not None]
    assert len(won) == 1 and won[0].recent == ("criticism",)
    assert (await claim(stores[1], "y", NOW + timedelta(minutes=30))).nudge_id is None
    assert (await claim(stores[2], won_message(results), NOW + 2 * HOUR)).nudge_id is None  # an edit of it
    second = await claim(stores[3], "z", NOW + 2 * HOUR, category="gossip")
    assert second.nudge_id is not None and second.recent == ("criticism", "gossip")
    third = await claim(stores[0], "w", NOW + 25 * HOUR, category="mockery")  # the first is out of the window
    assert third.recent == ("gossip", "mockery")
    assert [n.message_id for n in await stores[0].nudges_since(C, "m", NOW - HOUR)][1:] == ["z", "w"]
    assert (await claim(stores[0], "other", NOW, member="n")).recent == ("criticism",)


def won_message(results):
    return f"x{next(i for i, r in enumerate(results) if r.nudge_id is not None)}"


async def test_a_unit_is_all_or_nothing(make_store):
    store = await make_store()
    with pytest.raises(RuntimeError):
        async with store.unit():
            assert await store.claim_event(C, "e1", NOW)
            assert await nudge(store, "x", NOW) is not None
            raise RuntimeError("crash half-way through handling")
    assert await store.claim_event(C, "e1", NOW)  # not lost: a redelivery is handled
    assert await nudge(store, "x", NOW) is not None


CRASH = """
import asyncio, os, sys
from datetime import UTC, datetime
from peerbot.events import Community
from peerbot.store import open_store

async def main():
    store = await open_store(sys.argv[1], schema=sys.argv[2] or None)
    async with store.unit():
        assert await store.claim_event(Community("slack", "T1"), "e-crash", datetime.now(UTC))
        print("claimed", flush=True)
        os._exit(9)  # the process dies mid-handling, before the transaction commits

asyncio.run(main())
"""


async def test_a_process_dying_mid_handling_leaves_the_event_unclaimed(backend, make_store):
    store = await make_store()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", CRASH, backend.url, backend.schema or "",
                                                stdout=subprocess.PIPE)
    out, _ = await proc.communicate()
    assert proc.returncode == 9 and out.strip() == b"claimed"
    assert await store.claim_event(C, "e-crash", NOW)


async def test_a_community_lock_makes_other_stores_wait_their_turn(make_store):
    a, b = await make_store(), await make_store()
    order: list[str] = []
    locked = asyncio.Event()

    async def first():
        async with a.unit():
            await a.lock_community(C, "welcome")
            await a.claim_event(C, "first", NOW)
            order.append("a-start")
            locked.set()
            await asyncio.sleep(0.2)
            order.append("a-end")

    async def second():
        await locked.wait()
        async with b.unit():
            await b.lock_community(C, "welcome")
            await b.claim_event(C, "second", NOW)
            order.append("b")

    await asyncio.gather(first(), second())
    assert order == ["a-start", "a-end", "b"]


async def test_deadlocked_transactions_are_retried_from_scratch(pg_db):
    a, b = await pg_db.open(), await pg_db.open()
    attempts = {"a": 0, "b": 0}
    both_locked = asyncio.Barrier(2)

    def work(store, name, first, second):
        async def run():
            attempts[name] += 1
            async with store._conn() as conn:
                await conn.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
            await store.lock_community(C, first)
            if attempts[name] == 1:
                await both_locked.wait()
            await store.lock_community(C, second)
            return name
        return run

    try:
        done = await asyncio.gather(a.atomically(work(a, "a", "x", "y")), b.atomically(work(b, "b", "y", "x")))
    finally:
        await a.close()
        await b.close()
    assert done == ["a", "b"] and sorted(attempts.values()) == [1, 2]


async def test_old_events_are_pruned(make_store):
    store = await make_store()
    for i in range(5):
        assert await store.claim_event(C, f"e{i}", NOW + timedelta(days=i))
    assert await store.prune_events(NOW + timedelta(days=3)) == 3
    assert not await store.claim_event(C, "e4", NOW)
    assert await store.claim_event(C, "e0", NOW)  # forgotten


# -- migrations ---------------------------------------------------------------------------------


async def test_check_mode_refuses_a_schema_that_is_behind_and_names_the_command(backend):
    with pytest.raises(SchemaError, match=r"empty.*peerbot db upgrade"):
        await backend.open(migrate="check")
    store = await backend.open(migrate="off")
    assert await upgrade(store, "0001") == ["0001"]
    await store.close()
    with pytest.raises(SchemaError, match=r"at revision 0001, this peerbot needs revision 0003"):
        await backend.open(migrate="check")
    store = await backend.open()  # auto
    await store.close()
    store = await backend.open(migrate="check")
    assert await store.claim_event(C, "e", NOW)
    await store.close()


async def test_a_schema_newer_than_this_peerbot_is_refused_in_every_mode(backend):
    store = await backend.open()
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    await store.close()
    for mode in ("auto", "check"):
        with pytest.raises(SchemaError, match="newer than this peerbot knows"):
            await backend.open(migrate=mode)


async def test_a_database_made_by_peerbot_0_1_is_adopted_and_upgraded(backend):
    store = await backend.open(migrate="off")
    await upgrade(store, "0001")  # the 0.1 tables...
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP TABLE alembic_version"))  # ...as create_all left them
        await conn.execute(text(
            "INSERT INTO nudges (platform, community_id, channel_id, member_id, message_id, created_at, category, "
            "score, threshold, cue_names) VALUES ('slack', 'T1', 'c', 'm', 'old', '2025-01-01 12:00:00', 'gossip', "
            "0.7, 0.5, '')"))
    await store.close()
    store = await backend.open()
    try:
        # The member nudged under 0.1 keeps their cooldown after the upgrade.
        assert await nudge(store, "new", NOW + timedelta(minutes=30)) is None
        assert await nudge(store, "new", NOW + timedelta(minutes=61)) is not None
    finally:
        await store.close()


async def test_stores_starting_together_migrate_once(backend):
    stores = await asyncio.gather(*(backend.open() for _ in range(4)))
    try:
        async with stores[0].engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert versions == [("0003",)]
        assert await stores[3].claim_event(C, "e", NOW)
    finally:
        for store in stores:
            await store.close()


def test_postgresql_tables_live_in_the_configured_schema_only(pg_db):
    async def scenario():
        store = await pg_db.open()
        try:
            async with store.engine.connect() as conn:
                where = (await conn.execute(text(
                    "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name = 'processed_events' "
                    "AND table_schema = :schema"), {"schema": pg_db.schema})).scalars().all()
                current = await conn.scalar(text("SELECT current_schema()"))
        finally:
            await store.close()
        return where, current

    where, current = asyncio.run(scenario())
    assert where == [pg_db.schema] and current == pg_db.schema


async def test_open_store_without_create_leaves_an_empty_database_alone(backend):
    store = await open_store(backend.url, schema=backend.schema, create=False)
    try:
        async with store.engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        assert "processed_events" not in tables
    finally:
        await store.close()
