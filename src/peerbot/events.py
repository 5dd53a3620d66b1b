"""Core events: what happened in a community, with no platform types.

Adapters translate platform payloads into these frozen dataclasses and hand them to
``Engine.handle``. Identity is ``(platform, community_id)`` plus opaque string ids for
channels, members and messages. Every event carries an ``event_id`` that is stable across
redeliveries of the same platform event (the engine handles each id once, enforced by the
store) and an aware ``at`` timestamp that the engine uses as "now" for its decisions, so a
simulated clock is just a different ``at``.

Text fields (``MessagePosted.text``, ``ModeratorCommand.text``) are read by the engine and
never stored or logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal


@dataclass(frozen=True, slots=True)
class Community:
    """A Discord guild or Slack workspace. ``name`` is only used in welcome texts."""

    platform: str
    id: str
    name: str = ""

    @property
    def key(self) -> str:
        """``"platform:id"``: the key used in config files (``[communities."discord:123"]``)."""
        return f"{self.platform}:{self.id}"


@dataclass(frozen=True, slots=True)
class Channel:
    """A channel; config may name it by ``id`` or by ``name`` (without ``#``)."""

    id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Member:
    """A member as the adapter sees them.

    ``roles`` holds role ids and/or role names (adapters may give both); exemptions in the
    config match either. ``is_bot`` members are ignored for nudges and welcomes.
    """

    id: str
    name: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    is_bot: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Fields every event has."""

    event_id: str
    community: Community
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberJoined(Event):
    """A member joined the community; ``channel`` when the platform reports joining a channel
    (Slack's ``member_joined_channel``): the engine welcomes those only in the welcome
    channel."""

    member: Member
    channel: Channel | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessagePosted(Event):
    """A member's message in a channel.

    ``link`` is a platform permalink the adapter can build (used in moderator alerts instead
    of the text). ``mentioned_names`` are display names of mentioned members, passed to the
    analyzer as context. ``reply_to`` is the message this one answers (a Slack thread's
    parent, a Discord reply or the message a thread was started from): replies to a daily
    prompt are counted for moderators.
    """

    channel: Channel
    author: Member
    message_id: str
    text: str
    link: str | None = None
    mentioned_names: tuple[str, ...] = ()
    reply_to: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageEdited(MessagePosted):
    """An edit: re-analysed, but a message is nudged or alerted at most once."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageDeleted(Event):
    """A message was deleted (by its author or a moderator; platforms don't say which).
    Only ids: it matters when the message had been nudged (a nudge's outcome)."""

    channel: Channel
    message_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivered(Event):
    """The adapter reports how an action reached the platform (ids and a word, nothing else).

    ``what`` is "nudge" or "crisis" (``ref`` = the member's message id, ``via`` = "dm",
    "thread", "ephemeral", "skipped" or "failed"), or "prompt" (``ref`` = its local date,
    ``message_id`` = the posted message, so replies to it can be counted)."""

    what: Literal["nudge", "crisis", "prompt"]
    ref: str
    via: str
    message_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PromptDue(Event):
    """Emitted by the scheduler: the community's prompt for ``local_date`` was due at
    ``scheduled_at``. The engine claims the date in the store before posting."""

    local_date: str  # ISO date in the community's time zone, e.g. "2025-03-14"
    scheduled_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestDue(Event):
    """Emitted by the scheduler: the weekly climate digest covering local dates
    ``[week_start, week_end)`` was due at ``scheduled_at``. Claimed in the store per week."""

    week_start: str  # ISO local dates
    week_end: str
    scheduled_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Tick(Event):
    """Periodic heartbeat from the runtime (every ~15 s): flushes held burst welcomes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeratorCommand(Event):
    """A command line addressed to the bot, e.g. ``"threshold 0.7 vent"``.

    The adapter knows the platform's roles and says whether the caller is a moderator; the
    engine refuses changes from non-moderators.
    """

    author: Member
    channel: Channel
    text: str
    is_moderator: bool


FeedbackVerdict = Literal["helpful", "not_helpful", "why"]


@dataclass(frozen=True, slots=True, kw_only=True)
class NudgeFeedback(Event):
    """A member pressed a button on a private nudge (``PrivateNudge.nudge_id``)."""

    member: Member
    nudge_id: str
    verdict: FeedbackVerdict


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectMessage(Event):
    """A member's private message to peerbot itself (a DM), in ``community`` (the Slack
    workspace, or the Discord server the member shares with peerbot).

    Not a community space, so never nudged: crisis language gets the same support as in a
    channel (resources privately, and a moderator alert that says it came privately, with
    no link and no text); anything else gets a short help text.
    """

    author: Member
    channel_id: str  # the private conversation
    message_id: str
    text: str
