"""The store's moderator-insight parts on SQLite and the real PostgreSQL (see db_kit):
migration 0003 over existing data, outcomes, deliveries, tallies and reply counts written
behind from several stores, and the weekly digest claim."""

import asyncio
from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import text

from db_kit import backend, make_store  # noqa: F401 - fixtures
from peerbot.events import Community
from peerbot.store.migrate import _config, upgrade
from peerbot.store import CrisisAlert, NewNudge

C = Community("slack", "T1")
NOW = datetime(2025, 1, 6, 15, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=10)


def nudge(store, message_id, at=NOW, member="m"):
    return store.record_nudge(C, NewNudge(channel_id="c", member_id=member, message_id=message_id, at=at,
                                       category="criticism", score=0.8, threshold=0.5, cues=("insult",)))


async def test_0003_keeps_existing_rows_and_goes_down_and_up_again(backend):
    store = await backend.open(migrate="off")
    try:
        assert await upgrade(store, "0002") == ["0001", "0002"]
        async with store.engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO nudges (platform, community_id, channel_id, member_id, message_id, created_at, category, "
                "score, threshold, cue_names) VALUES ('slack', 'T1', 'c', 'm', 'old', '2025-01-06 14:00:00', "
                "'gossip', 0.7, 0.5, '')"))
            await conn.execute(text(
                "INSERT INTO prompt_claims (platform, community_id, local_date, prompt_id, cycle, claimed_at) "
                "VALUES ('slack', 'T1', '2025-01-06', 'p1', 0, '2025-01-06 14:00:00')"))
        assert await upgrade(store, "head") == ["0003"]
        stats = await store.stats(C, NOW - timedelta(days=1), settled_before=NOW)
        assert stats.nudges_by_category == {"gossip": 1} and stats.outcomes == {"unchanged": 1}
        assert stats.prompts_posted == 1 and stats.prompt_replies == 0
        async with store.engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(_config(sync), "0002"))
            assert await conn.scalar(text("SELECT count(*) FROM nudges")) == 1
        assert await upgrade(store, "head") == ["0003"]
    finally:
        await store.close()


async def test_outcomes_follow_edits_and_deletions_inside_the_window_only(make_store):
    store = await make_store()
    for message_id in ("a", "b", "c", "d"):
        assert await nudge(store, message_id) is not None
    assert await store.record_edit(C, "a", NOW + timedelta(minutes=1), softened=True, window=WINDOW)
    assert await store.record_edit(C, "b", NOW + timedelta(minutes=1), softened=True, window=WINDOW)
    assert await store.record_edit(C, "b", NOW + timedelta(minutes=2), softened=False, window=WINDOW)  # last wins
    assert await store.record_deletion(C, "c", NOW + timedelta(minutes=3), window=WINDOW)
    assert not await store.record_edit(C, "c", NOW + timedelta(minutes=4), softened=True, window=WINDOW)  # final
    assert not await store.record_edit(C, "d", NOW + WINDOW + timedelta(seconds=1), softened=True, window=WINDOW)
    assert not await store.record_edit(C, "never-nudged", NOW, softened=True, window=WINDOW)
    assert not await store.record_edit(Community("discord", "T1"), "a", NOW, softened=False, window=WINDOW)
    stats = await store.stats(C, NOW - timedelta(hours=1), settled_before=NOW + timedelta(minutes=5) - WINDOW)
    assert stats.outcomes == {"edited_softened": 1, "edited": 1, "deleted": 1, "watching": 1}
    assert await store.settle_outcomes(C, NOW + WINDOW, WINDOW) == 1
    assert await store.settle_outcomes(C, NOW + WINDOW, WINDOW) == 0
    assert not await store.record_deletion(C, "d", NOW + timedelta(minutes=5), window=WINDOW)  # settled: final
    stats = await store.stats(C, NOW - timedelta(hours=1))
    assert stats.outcomes == {"edited_softened": 1, "edited": 1, "deleted": 1, "unchanged": 1}


async def test_deliveries_are_recorded_against_the_message(make_store):
    store = await make_store()
    await nudge(store, "a")
    await nudge(store, "b", member="n")
    assert await store.claim_crisis_alert(C, CrisisAlert(channel_id="c", member_id="m", message_id="x", at=NOW))
    await store.record_delivery(C, "nudge", "a", "thread")
    await store.record_delivery(C, "nudge", "b", "skipped")
    await store.record_delivery(C, "crisis", "x", "dm")
    stats = await store.stats(C, NOW - timedelta(hours=1))
    assert stats.nudge_delivery == {"thread": 1, "skipped": 1} and stats.crisis_delivery == {"dm": 1}


async def test_tallies_and_prompt_replies_from_several_stores_add_up(make_store):
    a, b = await make_store(), await make_store()
    assert await a.claim_prompt(C, "2025-01-06", "p1", 0, NOW)
    await b.record_delivery(C, "prompt", "2025-01-06", "channel", "1736175600.000100")
    for i in range(30):
        store = a if i % 2 else b
        store.count_message(C, NOW + timedelta(minutes=i * 5), "neutral" if i % 3 else "supportive")
        store.count_reply(C, "1736175600.000100" if i < 7 else "some-other-thread")
    await asyncio.gather(a.drain(), b.drain())
    stats = await a.stats(C, NOW, NOW + timedelta(days=1))
    assert stats.messages_by_category == {"neutral": 20, "supportive": 10}
    assert stats.prompts_posted == 1 and stats.prompt_replies == 7
    hour_buckets = await a.stats(C, NOW + timedelta(hours=1), NOW + timedelta(hours=2))
    assert hour_buckets.messages_seen == 12  # minutes 60..115 of the 150
    assert await a.communities() == [("slack", "T1")]
    assert await a.last_activity(C) == NOW + timedelta(hours=2)  # the latest hour counted


async def test_the_weekly_digest_is_claimed_once_per_community_and_week(make_store):
    stores = [await make_store() for _ in range(4)]
    won = await asyncio.gather(*(s.claim_digest(C, "2025-01-06", NOW) for s in stores))
    assert sorted(won) == [False, False, False, True]
    assert await stores[0].claim_digest(C, "2025-01-13", NOW)
    assert await stores[1].claim_digest(Community("discord", "T1"), "2025-01-06", NOW)
