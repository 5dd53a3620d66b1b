from datetime import timedelta

import pytest

from peerbot.actions import Post, ReplyToModerator

from engine_kit import (
    COMMUNITY, GENERAL, T0, VENT, command, joined, kinds, make_engine, member, minutes, posted, report, scripted,
    settings,
)

pytestmark = pytest.mark.usefixtures("closing_engines")

POLICY = scripted({"rude": report("criticism", 0.6, "nudge", ("insult",))})


async def reply(engine, text, **kw):
    actions = await engine.handle(command(text, **kw))
    assert kinds(actions) == ["ReplyToModerator"]
    return actions[0]


async def test_non_moderators_are_refused_and_nothing_changes(tmp_path):
    engine = await make_engine(tmp_path)
    answer = await reply(engine, "threshold 0.9", moderator=False, who="ana")
    assert not answer.ok and "Only moderators" in answer.text and answer.member_id == "ana"
    assert await engine.store.overrides(COMMUNITY) == {} and await engine.store.audit_trail(COMMUNITY) == []
    assert (await reply(engine, "help", moderator=False)).ok


async def test_threshold_change_takes_effect_and_is_audited(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY, config=settings(channels={"vent": {"nudges_enabled": False}}))
    answer = await reply(engine, "threshold 0.7")
    assert answer.ok and "0.70" in answer.text
    assert await engine.handle(posted("rude", "ann")) == []  # 0.6 < 0.7
    await reply(engine, "threshold 0.5 #vent")
    assert kinds(await engine.handle(posted("rude", "ann", channel=VENT))) == []  # vent: nudges off in config
    await reply(engine, "nudges on vent")
    assert kinds(await engine.handle(posted("rude", "bob", channel=VENT))) == ["PrivateNudge"]
    trail = await engine.store.audit_trail(COMMUNITY)
    assert [(e.key, e.new_value, e.actor_id) for e in reversed(trail)] == [
        ("nudges.threshold", 0.7, "mod"), ("channels.vent.threshold", 0.5, "mod"),
        ("channels.vent.nudges_enabled", True, "mod")]
    assert "nudges.threshold" in (await reply(engine, "audit")).text


async def test_invalid_values_are_refused_with_a_reason(tmp_path):
    engine = await make_engine(tmp_path)
    for text in ("threshold 2", "threshold abc", "schedule 25:00", "schedule 09:00 funday", "exempt planet x"):
        answer = await reply(engine, text)
        assert not answer.ok, text
    assert await engine.store.overrides(COMMUNITY) == {}


async def test_exempt_and_unexempt_role(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY)
    await reply(engine, "exempt role peer-specialist")
    specialist = member("cal", "peer-specialist")
    assert await engine.handle(posted("rude", specialist)) == []
    await reply(engine, "unexempt role peer-specialist")
    assert kinds(await engine.handle(posted("rude", specialist, at=T0 + minutes(1)))) == ["PrivateNudge"]
    assert not (await reply(engine, "unexempt role nobody")).ok


async def test_schedule_change_moves_the_prompt(tmp_path):
    engine = await make_engine(tmp_path)
    answer = await reply(engine, "schedule 11:30 mon,tue")
    assert "11:30" in answer.text and "mon,tue" in answer.text and "Next: Mon 2025-03-10 11:30" in answer.text
    assert [a for a in await engine.tick(COMMUNITY, T0) if isinstance(a, Post)] == []  # 10:00 local
    posted_ = [a for a in await engine.tick(COMMUNITY, T0 + timedelta(hours=1, minutes=31)) if isinstance(a, Post)]
    assert len(posted_) == 1 and posted_[0].kind == "prompt"


async def test_prompts_add_remove_preview_list(tmp_path):
    engine = await make_engine(tmp_path)
    added = await reply(engine, "prompts add gratitude What made you smile this week?")
    assert added.ok and "custom-01" in added.text
    library = await engine.library(COMMUNITY)
    assert library[-1].text == "What made you smile this week?"
    assert "What made you smile" in (await reply(engine, "prompts preview custom-01")).text
    first_id = library[0].id
    assert (await reply(engine, f"prompts remove {first_id}")).ok
    assert first_id not in {p.id for p in await engine.library(COMMUNITY)}
    listing = (await reply(engine, "prompts list")).text
    assert listing.startswith(f"{len(library) - 1} prompts") and first_id not in listing
    assert not (await reply(engine, "prompts add feelings hi")).ok


async def test_test_command_explains_without_storing(tmp_path):
    engine = await make_engine(tmp_path)
    answer = await reply(engine, "test You're so lazy and stupid, nobody cares about your posts.")
    assert "private nudge (criticism)" in answer.text and "score" in answer.text
    crisis = await reply(engine, "test I want to kill myself.")
    assert "crisis" in crisis.text
    stats = await engine.store.stats(COMMUNITY, T0 - timedelta(days=1))
    assert stats.nudges_by_category == {} and stats.crisis_alerts == 0


async def test_stats_and_settings(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY, config=settings(channels={"vent": {"nudges_enabled": False}}))
    await engine.handle(posted("rude", "dan"))
    text = (await reply(engine, "stats 7", at=T0 + minutes(5))).text
    assert "nudges sent: 1 (criticism 1) to 1 members" in text
    assert "messages seen: 1; tone: criticism 100%" in text and "1 still watched" in text  # 5 of 10 minutes
    shown = (await reply(engine, "settings")).text
    assert "threshold 0.50" in shown and "#vent: nudges off" in shown
    assert not (await reply(engine, "frobnicate")).ok
    assert isinstance((await engine.handle(command("help")))[0], ReplyToModerator)
    assert GENERAL.name == "general"


async def test_channel_command_moves_welcomes_prompts_and_alerts_and_is_audited(tmp_path):
    crisis = scripted({"help me": report("crisis", 1.0, "crisis")})
    engine = await make_engine(tmp_path, analyze=crisis)
    shown = (await reply(engine, "channel")).text
    assert "Welcomes go to #welcome" in shown and "Daily prompts go to #general" in shown
    assert "Moderator alerts go to #moderators" in shown

    # a non-moderator may not move anything
    assert not (await reply(engine, "channel welcome #lobby", moderator=False)).ok
    assert await engine.store.overrides(COMMUNITY) == {}

    # by name (with or without #) and by id (adapters turn platform mentions into ids)
    assert "Welcomes go to #lobby" in (await reply(engine, "channel welcome #lobby")).text
    assert "Daily prompts go to <#C0PROMPTS>" in (await reply(engine, "channel prompts C0PROMPTS")).text
    assert (await reply(engine, "channel moderators 123456789012")).ok
    joined_posts = [a for a in await engine.handle(joined("zoe", T0)) if isinstance(a, Post)]
    assert [p.channel for p in joined_posts] == ["lobby"]
    prompt = [a for a in await engine.tick(COMMUNITY, T0 + timedelta(minutes=1)) if isinstance(a, Post)]
    assert [(p.kind, p.channel) for p in prompt] == [("prompt", "C0PROMPTS")]
    alert = [a for a in await engine.handle(posted("help me", "ann")) if type(a).__name__ == "AlertModerators"]
    assert [a.channel for a in alert] == ["123456789012"]
    assert "<#123456789012>" in (await reply(engine, "settings")).text

    # reset goes back to the config file's value; bad input is refused with the usage
    assert "Welcomes go to #welcome" in (await reply(engine, "channel welcome reset")).text
    for bad in ("channel lobby", "channel welcome two words", "channel welcome a.b", "channel welcome <#>"):
        answer = await reply(engine, bad)
        assert not answer.ok and ("usage" in answer.text or "not a channel" in answer.text), bad
    trail = [(e.key, e.new_value, e.actor_id) for e in reversed(await engine.store.audit_trail(COMMUNITY))]
    assert trail == [("welcome.channel", "lobby", "mod"), ("prompts.channel", "C0PROMPTS", "mod"),
                     ("moderator_channel", "123456789012", "mod"), ("welcome.channel", None, "mod")]


async def test_threshold_and_exempt_accept_channel_and_role_ids(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY)
    await reply(engine, "threshold 0.9 c-general")
    assert (await engine.community_settings(COMMUNITY)).channels["c-general"].threshold == 0.9
    assert await engine.handle(posted("rude", "ann")) == []  # 0.6 < 0.9 in #general (matched by id)
    await reply(engine, "exempt role S0PEERS")
    await reply(engine, "exempt role 42")
    assert (await engine.community_settings(COMMUNITY)).nudges.exempt_roles[-2:] == ["S0PEERS", "42"]
