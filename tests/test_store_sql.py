import asyncio
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import inspect

from peerbot.events import Community
from peerbot.store import open_store
from peerbot.store.sql import metadata

C = Community("slack", "T1")
OTHER = Community("discord", "T1")
NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def test_no_table_has_a_column_for_message_text():
    forbidden = ("content", "text", "body", "message_text")
    names = [(t.name, c.name) for t in metadata.tables.values() for c in t.columns]
    assert names and not [n for n in names if any(word in n[1].lower() for word in forbidden)]


async def test_schema_is_created_in_a_sqlite_file(tmp_path):
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    async with store.engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {"processed_events", "prompt_claims", "nudges", "crisis_alerts", "setting_audit"} <= set(tables)
    await store.close()


async def test_claims_are_exactly_once_across_stores_and_scoped_by_community(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    stores = [await open_store(url) for _ in range(3)]
    results = await asyncio.gather(*(s.claim_prompt(C, "2025-01-01", "p1", 0, NOW) for s in stores))
    assert sorted(results) == [False, False, True]
    assert await stores[0].claim_prompt(OTHER, "2025-01-01", "p1", 0, NOW)
    assert await stores[0].claim_event(C, "e1", NOW) and not await stores[1].claim_event(C, "e1", NOW)
    assert await stores[0].claim_event(OTHER, "e1", NOW)


async def test_times_round_trip_as_aware_utc(tmp_path):
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    eastern = NOW.astimezone(timezone(timedelta(hours=-5)))
    nudge_id = await store.record_nudge(C, channel_id="c", member_id="m", message_id="x", at=eastern,
                                        category="gossip", score=0.7, threshold=0.5, cues=("gossip:marker", "target"))
    assert nudge_id is not None
    assert await store.last_nudge_at(C, "m") == NOW
    record = await store.get_nudge(C, nudge_id)
    assert record.created_at == NOW and record.cues == ("gossip:marker", "target")
    assert await store.get_nudge(OTHER, nudge_id) is None
    assert len(await store.nudges_since(C, "m", NOW - timedelta(minutes=1))) == 1
    assert await store.nudges_since(C, "m", NOW + timedelta(minutes=1)) == []


async def test_overrides_and_audit_trail(tmp_path):
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    await store.set_override(C, "nudges.threshold", 0.7, actor_id="mod1", at=NOW)
    await store.set_override(C, "nudges.threshold", 0.8, actor_id="mod2", at=NOW + timedelta(minutes=1))
    await store.set_override(C, "channels.vent.nudges_enabled", False, actor_id="mod1", at=NOW)
    await store.set_override(C, "channels.vent.nudges_enabled", None, actor_id="mod1", at=NOW)
    assert await store.overrides(C) == {"nudges.threshold": 0.8}
    trail = await store.audit_trail(C)
    assert [(e.key, e.old_value, e.new_value, e.actor_id) for e in trail][-2:] == [
        ("nudges.threshold", 0.7, 0.8, "mod2"), ("nudges.threshold", None, 0.7, "mod1")]
    assert len(trail) == 4 and await store.overrides(OTHER) == {}
