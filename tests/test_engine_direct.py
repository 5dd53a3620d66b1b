"""Private messages to peerbot itself: crisis support like in a channel, otherwise help; never
a nudge. Uses the real analyzer on clear-cut texts and a real SQLite store."""

from pathlib import Path

import pytest

from peerbot.actions import AlertModerators, CrisisSupport, PrivateMessage
from peerbot.events import DirectMessage
from peerbot.settings import Settings
from peerbot.texts import load_messages

from engine_kit import COMMUNITY, T0, fresh, kinds, make_engine, member, minutes, settings

pytestmark = pytest.mark.usefixtures("closing_engines")

CRISIS = "I want to kill myself tonight."
CRITICISM = "You're so lazy and stupid, nobody cares about your posts."


def dm(text: str, who: str = "ana", *, event_id: str | None = None, message_id: str | None = None,
       at=T0) -> DirectMessage:
    return DirectMessage(event_id=event_id or fresh("dm"), community=COMMUNITY, at=at, author=member(who),
                         channel_id=f"D-{who}", message_id=message_id or fresh("m"), text=text)


async def test_crisis_in_a_private_message_gets_resources_and_a_linkless_alert_once(tmp_path):
    engine = await make_engine(tmp_path)
    first = dm(CRISIS, "ana", event_id="e1", message_id="m1")
    actions = await engine.handle(first)
    assert kinds(actions) == ["CrisisSupport", "AlertModerators"]
    support, alert = actions
    assert isinstance(support, CrisisSupport) and support.member_id == "ana" and "988" in support.text
    assert support.message_id == "m1"  # adapters record the delivery against it
    assert isinstance(alert, AlertModerators) and alert.reason == "crisis" and alert.channel == "moderators"
    assert "<@ana>" in alert.text and "private message" in alert.text
    # no link or message reference moderators could not open anyway, and never the words
    assert alert.link is None and alert.message_id is None and alert.message_channel_id is None
    assert "kill" not in alert.text and CRISIS not in support.text
    # a redelivery, or the same message under another event id, is not handled again
    assert await engine.handle(first) == []
    assert await engine.handle(dm(CRISIS, "ana", event_id="e2", message_id="m1")) == []
    # a later crisis message is: the cooldown never applies to crisis support
    assert kinds(await engine.handle(dm(CRISIS, "ana", at=T0 + minutes(1)))) == ["CrisisSupport", "AlertModerators"]
    stats = await engine.store.stats(COMMUNITY, T0 - minutes(1))
    assert stats.crisis_alerts == 2 and stats.nudges_by_category == {}


async def test_anything_else_gets_help_and_never_a_nudge(tmp_path):
    engine = await make_engine(tmp_path)
    for text in ("hi, what do you do?", CRITICISM):
        actions = await engine.handle(dm(text, "bo"))
        assert kinds(actions) == ["PrivateMessage"], text
        assert isinstance(actions[0], PrivateMessage) and actions[0].member_id == "bo"
        assert "/peerbot" in actions[0].text and "Test Circle" in actions[0].text and "988" in actions[0].text
    assert (await engine.store.stats(COMMUNITY, T0 - minutes(1))).nudges_by_category == {}


async def test_without_moderator_alerts_the_member_still_gets_resources(tmp_path):
    engine = await make_engine(tmp_path, config=settings(crisis={"alert_moderators": False}))
    assert kinds(await engine.handle(dm(CRISIS))) == ["CrisisSupport"]


async def test_a_messages_file_from_an_older_release_gets_the_new_texts_from_the_shipped_file(tmp_path: Path):
    shipped = (Path(__file__).resolve().parents[1] / "src" / "peerbot" / "defaults" / "messages.toml").read_text()
    old = shipped.split("# The answer to a private message")[0].replace("alert_private", "# alert_private")
    old += shipped[shipped.index("[moderation]"):]
    (tmp_path / "messages.toml").write_text(old.replace("Welcome back", "Good to see you back"))
    (tmp_path / "peerbot.toml").write_text("")
    loaded = load_messages(Settings(config_file=str(tmp_path / "peerbot.toml")))
    assert loaded.get("welcome.back").startswith("Good to see you back")  # the community's own text
    assert "/peerbot" in loaded.get("direct.help") and "private message" in loaded.get("crisis.alert_private")
