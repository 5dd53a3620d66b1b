"""Core actions: what the engine asks an adapter to do.

Every text here is written by peerbot (templates from the config), never a member's message.
Mentions use ``<@member_id>``, which Discord and Slack both render natively; the console
adapter substitutes display names. Adapters translate each action to one platform call and
never decide policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from peerbot.events import Community

PostKind = Literal["welcome", "welcome_back", "welcome_burst", "prompt", "digest", "info"]
AlertReason = Literal["crisis", "repeated_nudges"]

#: Buttons an adapter shows under a private nudge; pressing one yields ``NudgeFeedback``.
FEEDBACK_CHOICES: tuple[str, ...] = ("helpful", "not_helpful", "why")


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    community: Community


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file peerbot made (the digest chart), attached to a post."""

    filename: str
    data: bytes
    alt: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Post(Action):
    """A message in a channel (welcomes, daily prompts, the weekly digest to moderators).
    ``channel`` is the configured channel: an id or a name without ``#``; adapters resolve
    names. ``ref`` names what was posted (a prompt's local date): adapters report the posted
    message's id back with ``Delivered``. ``file`` is attached (Discord) or uploaded (Slack)."""

    channel: str
    text: str
    kind: PostKind
    mention_ids: tuple[str, ...] = ()
    ref: str | None = None
    file: Attachment | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PrivateMessage(Action):
    """A direct message to one member (private welcome, answer to "why?")."""

    member_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PrivateNudge(Action):
    """A kind, private nudge. Adapters show ``feedback_choices`` as buttons carrying
    ``nudge_id``. ``channel_id`` lets Slack use an ephemeral message in place; Discord DMs."""

    member_id: str
    channel_id: str
    message_id: str
    nudge_id: str
    category: str
    text: str
    feedback_choices: tuple[str, ...] = FEEDBACK_CHOICES


@dataclass(frozen=True, slots=True, kw_only=True)
class CrisisSupport(Action):
    """Crisis and warmline resources, sent privately to the member. ``message_id`` is the
    member's message (adapters report the delivery against it). ``unalerted_text`` is sent
    instead of ``text`` when the accompanying moderator alert reached nobody: it does not
    say that a moderator was told."""

    member_id: str
    channel_id: str
    text: str
    message_id: str = ""
    unalerted_text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertModerators(Action):
    """A note to the moderators' channel. Carries a reference to the message (ids and a
    link when the adapter gave one), never its text. ``channel`` is the configured
    moderator channel (an id or a name; adapters resolve names)."""

    channel: str
    reason: AlertReason
    text: str
    member_id: str
    message_channel_id: str | None = None
    message_id: str | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyToModerator(Action):
    """The result of a moderator command, shown only to the caller (ephemeral or DM)."""

    member_id: str
    channel_id: str
    text: str
    ok: bool = True
