"""Engines that share one database (as separate processes would), on SQLite and PostgreSQL."""

import asyncio
from datetime import timedelta

import pytest

from db_kit import backend, make_store  # noqa: F401 - fixtures
from engine_kit import COMMUNITY, T0, command, kinds, minutes, posted, report, scripted, settings
from peerbot.actions import Post, PrivateNudge
from peerbot.engine import Engine

NINE = T0 - timedelta(hours=1)  # 09:00 New York on Monday 10 March 2025


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


RUDE = "rude"
RUDE_REPORT = report("criticism", 0.6, "nudge", ("insult", "target:second_person"))


async def engines(make_store, n, **kwargs):
    return [Engine(await make_store(), settings(), analyze=scripted({RUDE: RUDE_REPORT}), **kwargs) for _ in range(n)]


async def test_settings_changed_in_one_engine_reach_the_others_within_the_cache_time(make_store):
    clock = Clock()
    a, b = await engines(make_store, 2, clock=clock)
    assert b.settings_ttl == 2.0
    assert (await b.community_settings(COMMUNITY)).nudges.threshold == 0.5  # b caches this
    reply = (await a.handle(command("threshold 0.9")))[0]
    assert reply.ok and "0.90" in reply.text
    assert (await a.community_settings(COMMUNITY)).nudges.threshold == 0.9  # at once where it was made
    clock.now += 1.0
    assert (await b.community_settings(COMMUNITY)).nudges.threshold == 0.5  # still cached
    clock.now += 1.5
    assert (await b.community_settings(COMMUNITY)).nudges.threshold == 0.9  # seen within 2 s
    # and it changes what b does: 0.6 is now under the threshold
    assert await b.handle(posted(RUDE, "ana")) == []


async def test_a_zero_cache_time_reads_settings_every_time(make_store):
    store = await make_store()
    other = await make_store()
    b = Engine(store, settings().model_copy(update={"settings_cache_seconds": 0.0}))
    a = Engine(other, settings())
    assert (await b.community_settings(COMMUNITY)).nudges.threshold == 0.5
    await a.handle(command("threshold 0.8"))
    assert (await b.community_settings(COMMUNITY)).nudges.threshold == 0.8


async def test_one_nudge_when_engines_race_on_one_member(make_store):
    racing = await engines(make_store, 4)
    results = await asyncio.gather(*(e.handle(posted(RUDE, "ana", at=T0 + minutes(i))) for i, e in enumerate(racing)))
    assert sum(kinds(r).count("PrivateNudge") for r in results) == 1
    later = await racing[0].handle(posted(RUDE, "ana", at=T0 + minutes(64)))  # after any winner's hour
    assert kinds(later) == ["PrivateNudge"]


async def test_the_same_event_on_every_engine_acts_once(make_store):
    racing = await engines(make_store, 4)
    event = posted(RUDE, "ana")
    results = await asyncio.gather(*(e.handle(event) for e in racing))
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    neutral = posted("good morning", "ben")
    results = await asyncio.gather(*(e.handle(neutral) for e in racing))
    assert results == [[], [], [], []]
    for e in racing:
        await e.store.drain()  # its id was recorded behind, in a batch
    assert sorted([await e.store.claim_event(COMMUNITY, neutral.event_id, T0) for e in racing]) == [False] * 4


async def test_a_failure_mid_handling_leaves_the_event_to_be_handled_again(make_store, monkeypatch):
    engine = (await engines(make_store, 1))[0]
    event = posted(RUDE, "ana")
    real = engine.store.claim_nudge

    async def broken(*args, **kwargs):
        async with engine.store.unit():
            assert (await real(*args, **kwargs)).nudge_id is not None  # written...
            raise ConnectionResetError("database went away")  # ...but never committed

    monkeypatch.setattr(engine.store, "claim_nudge", broken)
    with pytest.raises(ConnectionResetError):
        await engine.handle(event)
    monkeypatch.setattr(engine.store, "claim_nudge", real)
    actions = await engine.handle(event)  # the platform redelivers it
    assert kinds(actions) == ["PrivateNudge"]
    nudge = next(a for a in actions if isinstance(a, PrivateNudge))
    assert (await engine.store.get_nudge(COMMUNITY, nudge.nudge_id)).message_id == event.message_id
    assert await engine.handle(event) == []


async def test_daily_prompt_once_across_engines_ticking_together(make_store):
    racing = await engines(make_store, 3)
    for day in range(2):
        now = NINE + timedelta(days=day, minutes=1)
        results = await asyncio.gather(*(e.tick(COMMUNITY, now) for e in racing))
        posts = [a for r in results for a in r if isinstance(a, Post) and a.kind == "prompt"]
        assert len(posts) == 1


async def test_messages_never_wait_for_a_settings_read_and_see_changes_one_refresh_later(make_store):
    clock = Clock()
    a, b = await engines(make_store, 2, clock=clock)
    assert await b.handle(posted(RUDE, "ana")) != []  # caches threshold 0.5
    await a.handle(command("threshold 0.9"))
    reads = 0
    real = b.store.overrides

    async def counted(community):
        nonlocal reads
        reads += 1
        return await real(community)

    b.store.overrides = counted
    clock.now += 2.5  # expired: the next message is answered from the cache, a refresh starts
    assert kinds(await b.handle(posted(RUDE, "ben"))) == ["PrivateNudge"]  # still 0.5
    await asyncio.gather(*b._refreshing.values())  # the background refresh lands
    assert reads == 1
    assert await b.handle(posted(RUDE, "cal")) == []  # 0.9 now
    clock.now += 10  # far too old to serve: read through
    assert await b.handle(posted(RUDE, "dee")) == [] and reads == 2
