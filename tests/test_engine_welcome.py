from datetime import UTC, datetime, timedelta

import pytest

from peerbot.actions import Post, PrivateMessage
from peerbot.events import Member, MemberJoined

from engine_kit import COMMUNITY, T0, joined, kinds, make_engine, minutes, settings

pytestmark = pytest.mark.usefixtures("closing_engines")


async def test_new_member_gets_channel_and_private_welcome_once(tmp_path):
    engine = await make_engine(tmp_path)
    actions = await engine.handle(joined("ana", T0, event_id="j1"))
    assert kinds(actions) == ["PrivateMessage", "Post"]
    post = actions[1]
    assert isinstance(post, Post) and post.kind == "welcome" and post.channel == "welcome"
    assert "<@ana>" in post.text and "Test Circle" in post.text and "#rules" in post.text
    assert await engine.handle(joined("ana", T0, event_id="j1")) == []  # same delivery again


async def test_returning_member_gets_welcome_back_and_no_second_intro(tmp_path):
    engine = await make_engine(tmp_path)
    await engine.handle(joined("ana", T0))
    actions = await engine.handle(joined("ana", T0 + minutes(60 * 24 * 30)))
    assert kinds(actions) == ["Post"]
    assert actions[0].kind == "welcome_back" and "Welcome back" in actions[0].text


async def test_burst_of_joins_gets_one_combined_welcome(tmp_path):
    engine = await make_engine(tmp_path, config=settings(welcome={"burst_size": 3, "burst_window_seconds": 60}))
    posts = []
    for i, name in enumerate(["a1", "a2", "a3", "a4", "a5"]):
        posts += [a for a in await engine.handle(joined(name, T0 + minutes(i / 6))) if isinstance(a, Post)]
    assert [p.mention_ids for p in posts] == [("a1",), ("a2",)]  # then the burst is held
    assert [a for a in await engine.tick(COMMUNITY, T0 + minutes(0.8)) if a.kind != "prompt"] == []  # still arriving
    flushed = [a for a in await engine.tick(COMMUNITY, T0 + minutes(2)) if isinstance(a, Post)]
    assert len(flushed) == 1
    assert flushed[0].kind == "welcome_burst" and flushed[0].mention_ids == ("a3", "a4", "a5")
    assert all(f"<@{m}>" in flushed[0].text for m in ("a3", "a4", "a5"))
    assert [a for a in await engine.tick(COMMUNITY, T0 + minutes(3)) if isinstance(a, Post)] == []


async def test_two_engines_flush_a_burst_once(tmp_path):
    config = settings(welcome={"burst_size": 2, "burst_window_seconds": 30}, prompts={"enabled": False})
    first = await make_engine(tmp_path, config=config)
    second = await make_engine(tmp_path, config=config)
    for i, name in enumerate(["b1", "b2", "b3"]):
        await first.handle(joined(name, T0 + minutes(i / 10)))
    a = await first.tick(COMMUNITY, T0 + minutes(5))
    b = await second.tick(COMMUNITY, T0 + minutes(5))
    combined = [x for x in a + b if isinstance(x, Post)]
    assert len(combined) == 1 and combined[0].mention_ids == ("b2", "b3")


async def test_private_only_welcome_and_bots_ignored(tmp_path):
    engine = await make_engine(tmp_path, config=settings(welcome={"in_channel": False}))
    actions = await engine.handle(joined("ana", T0))
    assert kinds(actions) == ["PrivateMessage"] and isinstance(actions[0], PrivateMessage)
    bot = MemberJoined(event_id="bot-join", community=COMMUNITY, at=T0, member=Member("bot", is_bot=True))
    assert await engine.handle(bot) == []


async def test_two_announcements_of_one_arrival_across_utc_midnight_give_one_welcome(tmp_path):
    # Slack says "team_join" at 23:59:59 UTC and "member_joined_channel" two seconds later;
    # the adapter's event ids differ by the UTC date, so the engine sees two joins.
    engine = await make_engine(tmp_path)
    late = datetime(2025, 3, 10, 23, 59, 59, tzinfo=UTC)
    first = await engine.handle(joined("ana", late, event_id="join:ana:2025-03-10"))
    assert kinds(first) == ["PrivateMessage", "Post"] and first[1].kind == "welcome"
    assert await engine.handle(joined("ana", late + timedelta(seconds=2), event_id="join:ana:2025-03-11")) == []
    # a real return, long after, is still welcomed back
    back = await engine.handle(joined("ana", late + timedelta(days=30)))
    assert kinds(back) == ["Post"] and back[0].kind == "welcome_back"
