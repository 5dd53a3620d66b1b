"""Welcome texts: one member, a returning member, or a burst of arrivals."""

from __future__ import annotations

from collections.abc import Sequence

from peerbot.events import Channel, Community
from peerbot.settings import CommunitySettings
from peerbot.texts import Messages, fill


def _values(community: Community, settings: CommunitySettings) -> dict[str, str]:
    return {
        "community": community.name or "our community",
        "rules_channel": settings.rules_channel,
        "welcome_channel": settings.welcome.channel,
        "moderator_channel": settings.moderator_channel,
    }


def welcome_text(
    messages: Messages, community: Community, settings: CommunitySettings, member_id: str, *, kind: str
) -> str:
    """``kind`` is "channel", "private" or "back"."""
    return fill(messages.get(f"welcome.{kind}", settings.texts), member=f"<@{member_id}>", **_values(community, settings))


def burst_text(messages: Messages, community: Community, settings: CommunitySettings, member_ids: Sequence[str]) -> str:
    mentions = " ".join(f"<@{member_id}>" for member_id in member_ids)
    return fill(messages.get("welcome.burst", settings.texts), members=mentions, **_values(community, settings))


def welcomes_joins_of(settings: CommunitySettings, channel: Channel) -> bool:
    """A join of a channel (Slack's member_joined_channel) is welcomed only in the welcome
    channel, configured by name or id."""
    welcome = settings.welcome.channel.strip().lstrip("#")
    return bool(welcome) and welcome in (channel.id, channel.name)
