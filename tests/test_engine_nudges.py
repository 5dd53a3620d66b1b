"""Nudge and crisis policy. Tone-dependent tests use the real analyzer on clear-cut texts;
policy tests (cooldowns, thresholds, exemptions) inject reports so they test policy alone."""

from datetime import timedelta

import pytest

from peerbot.actions import AlertModerators, CrisisSupport, PrivateMessage, PrivateNudge
from peerbot.events import MessageEdited, NudgeFeedback

from engine_kit import (
    COMMUNITY, GENERAL, T0, VENT, kinds, make_engine, member, minutes, posted, report, scripted, settings,
)

pytestmark = pytest.mark.usefixtures("closing_engines")

CRITICISM = "You're so lazy and stupid, nobody cares about your posts."
CRISIS = "I want to kill myself."
STRUGGLE = "I had an awful week and feel worthless."

RUDE = "rude"
RUDER = "ruder"
POLICY = scripted({
    RUDE: report("criticism", 0.6, "nudge", ("insult", "target:second_person")),
    RUDER: report("mockery", 0.9, "nudge", ("mockery",)),
    "help": report("crisis", 1.0, "crisis", ("crisis:self_harm",)),
})


async def test_criticism_gets_a_private_kind_nudge_that_never_quotes(tmp_path):
    engine = await make_engine(tmp_path)
    actions = await engine.handle(posted(CRITICISM, "bo"))
    assert kinds(actions) == ["PrivateNudge"]
    nudge = actions[0]
    assert nudge.member_id == "bo" and nudge.category == "criticism"
    assert "lazy" not in nudge.text and "stupid" not in nudge.text and CRITICISM not in nudge.text
    assert "#general" in nudge.text and nudge.feedback_choices == ("helpful", "not_helpful", "why")


async def test_struggle_share_gets_nothing(tmp_path):
    engine = await make_engine(tmp_path)
    assert await engine.handle(posted(STRUGGLE, "cy")) == []


async def test_crisis_gets_resources_and_a_text_free_moderator_alert(tmp_path):
    engine = await make_engine(tmp_path)
    message = posted(CRISIS, "di")
    actions = await engine.handle(message)
    assert kinds(actions) == ["CrisisSupport", "AlertModerators"]
    support, alert = actions
    assert support.member_id == "di" and "988" in support.text and "741741" in support.text
    assert "warmline" in support.text.lower()
    assert alert.reason == "crisis" and alert.channel == "moderators"
    assert alert.message_id == message.message_id and alert.link == message.link and message.link in alert.text
    assert CRISIS not in alert.text and "kill" not in alert.text


async def test_crisis_is_never_a_nudge_and_never_suppressed_by_cooldown(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY)
    assert kinds(await engine.handle(posted(RUDE, "ed"))) == ["PrivateNudge"]
    actions = await engine.handle(posted("help", "ed", at=T0 + minutes(1)))
    assert kinds(actions) == ["CrisisSupport", "AlertModerators"]
    # In a channel where nudges are off, and for an exempt role, crisis support still comes.
    exempt = member("fay", "moderator")
    assert kinds(await engine.handle(posted("help", exempt, channel=VENT))) == ["CrisisSupport", "AlertModerators"]


async def test_cooldown_allows_one_nudge_per_window(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY, config=settings(nudges={"cooldown_minutes": 30}))
    assert len(await engine.handle(posted(RUDE, "gus", at=T0))) == 1
    assert await engine.handle(posted(RUDER, "gus", at=T0 + minutes(29))) == []
    assert await engine.handle(posted(RUDE, "hal", at=T0 + minutes(29))) != []  # per member
    assert kinds(await engine.handle(posted(RUDE, "gus", at=T0 + minutes(31)))) == ["PrivateNudge"]


async def test_threshold_decides(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY, config=settings(nudges={"threshold": 0.7}))
    assert await engine.handle(posted(RUDE, "ida")) == []  # 0.6 < 0.7
    assert kinds(await engine.handle(posted(RUDER, "ida"))) == ["PrivateNudge"]  # 0.9


async def test_per_channel_overrides(tmp_path):
    config = settings(channels={"vent": {"nudges_enabled": False}, "c-debate": {"threshold": 0.95}})
    engine = await make_engine(tmp_path, analyze=POLICY, config=config)
    from peerbot.events import Channel

    assert await engine.handle(posted(RUDER, "jo", channel=VENT)) == []  # matched by name
    assert await engine.handle(posted(RUDER, "jo", channel=Channel("c-debate", "debate"))) == []  # by id
    assert kinds(await engine.handle(posted(RUDER, "jo", channel=GENERAL))) == ["PrivateNudge"]


async def test_exempt_role_and_channel(tmp_path):
    config = settings(nudges={"exempt_roles": ["Peer Specialist"], "exempt_channels": ["general"]})
    engine = await make_engine(tmp_path, analyze=POLICY, config=config)
    assert await engine.handle(posted(RUDE, member("kim", "peer specialist"), channel=VENT)) == []
    assert await engine.handle(posted(RUDE, "lee", channel=GENERAL)) == []
    assert kinds(await engine.handle(posted(RUDE, "lee", channel=VENT.__class__("c-x", "random")))) == ["PrivateNudge"]


async def test_duplicate_delivery_is_handled_once(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY)
    event = posted("help", "mo", event_id="delivery-1")
    assert kinds(await engine.handle(event)) == ["CrisisSupport", "AlertModerators"]
    assert await engine.handle(event) == []
    again = await make_engine(tmp_path, analyze=POLICY)  # another process, same database
    assert await again.handle(event) == []


async def test_edit_does_not_nudge_or_alert_the_same_message_twice(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY, config=settings(nudges={"cooldown_minutes": 0}))
    first = posted(RUDE, "ned", message_id="m-1")
    assert len(await engine.handle(first)) == 1
    edit = MessageEdited(event_id="edit-1", community=COMMUNITY, at=T0 + minutes(1), channel=GENERAL,
                         author=first.author, message_id="m-1", text=RUDER)
    assert await engine.handle(edit) == []


async def test_repeated_nudges_summarised_to_moderators_once_without_text(tmp_path):
    config = settings(nudges={"cooldown_minutes": 0, "repeat_alert_count": 3, "repeat_alert_window_hours": 24})
    engine = await make_engine(tmp_path, analyze=POLICY, config=config)
    seen = []
    for i in range(4):
        seen.append(kinds(await engine.handle(posted(RUDE if i % 2 else RUDER, "oz", at=T0 + minutes(i)))))
    assert seen == [["PrivateNudge"], ["PrivateNudge"], ["PrivateNudge", "AlertModerators"], ["PrivateNudge"]]
    engine_off = await make_engine(tmp_path, analyze=POLICY, db="off.db",
                                   config=settings(nudges={"cooldown_minutes": 0, "repeat_alert_count": 0}))
    for i in range(4):
        assert "AlertModerators" not in kinds(await engine_off.handle(posted(RUDE, "oz", at=T0 + minutes(i))))


async def test_summary_alert_names_counts_and_categories(tmp_path):
    config = settings(nudges={"cooldown_minutes": 0, "repeat_alert_count": 2})
    engine = await make_engine(tmp_path, analyze=POLICY, config=config)
    await engine.handle(posted(RUDE, "pat"))
    actions = await engine.handle(posted(RUDER, "pat", at=T0 + minutes(1)))
    alert = next(a for a in actions if isinstance(a, AlertModerators))
    assert alert.reason == "repeated_nudges" and "<@pat>" in alert.text and "2" in alert.text
    assert "criticism" in alert.text and "mockery" in alert.text and RUDE not in alert.text.split()


async def test_feedback_why_explains_from_cue_names(tmp_path):
    engine = await make_engine(tmp_path, analyze=POLICY)
    nudge = (await engine.handle(posted(RUDE, "quinn")))[0]
    assert isinstance(nudge, PrivateNudge)
    why = await engine.handle(NudgeFeedback(event_id="fb-1", community=COMMUNITY, at=T0 + minutes(1),
                                            member=member("quinn"), nudge_id=nudge.nudge_id, verdict="why"))
    assert kinds(why) == ["PrivateMessage"] and "words that put someone down" in why[0].text
    # Someone else can't press another member's buttons.
    other = NudgeFeedback(event_id="fb-2", community=COMMUNITY, at=T0, member=member("rex"),
                          nudge_id=nudge.nudge_id, verdict="not_helpful")
    assert await engine.handle(other) == []
    stats = await engine.store.stats(COMMUNITY, T0 - timedelta(days=1))
    assert stats.feedback == {"why": 1}


async def test_bots_are_never_nudged(tmp_path):
    from peerbot.events import Member

    engine = await make_engine(tmp_path, analyze=POLICY)
    assert await engine.handle(posted(RUDER, Member("b", "Bot", is_bot=True))) == []
    assert not isinstance(CrisisSupport, PrivateMessage)
