"""Slack payloads -> core events, as pure functions (no I/O; tested on recorded payloads).

The adapter looks up what Slack does not put in a payload (the workspace's name, a channel's
name, a member's user groups, display names of mentioned members, the permalink) and hands it
in; these functions only read and check the payload. A payload without the shape peerbot
needs raises ``MalformedPayload`` naming the field, never a value from it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from peerbot.events import (
    Channel,
    Community,
    DirectMessage,
    Member,
    MemberJoined,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ModeratorCommand,
    NudgeFeedback,
)

PLATFORM = "slack"
FEEDBACK_ACTION = re.compile(r"^peerbot_feedback_(helpful|not_helpful|why)$")
#: Message subtypes that are a member's new words; every other subtype (joins, bot
#: messages, channel topic changes, deletions...) is ignored.
HUMAN_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
CHANNEL_MENTION = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")
GROUP_MENTION = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>")


class MalformedPayload(ValueError):
    """A Slack payload without the shape peerbot needs; ``str()`` names what is wrong,
    never a value from it."""


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _check_fields(what: str, payload: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        value = payload.get(name)
        if value is not None and not isinstance(value, str):
            raise MalformedPayload(f"{what}: {name} is {_kind(value)}, not a string")


def _check_message(event: dict[str, Any], message: Any) -> None:
    if not isinstance(message, dict):
        raise MalformedPayload(f"message event: message is {_kind(message)}, not an object")
    _check_fields("message event", event, ("channel", "channel_type", "event_ts"))
    _check_fields("message", message, ("user", "text", "thread_ts", "subtype"))
    ts = message.get("ts")
    if not isinstance(ts, (str, int, float)) or isinstance(ts, bool):
        raise MalformedPayload(f"message: ts is {_kind(ts)}")
    try:
        float(ts)
    except ValueError:
        raise MalformedPayload("message: ts is not a Slack timestamp") from None


def at(ts: Any) -> datetime:
    """A Slack timestamp as a time (now when it is not one)."""
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


# -- joins -------------------------------------------------------------------------------------


def team_join_member(event: dict[str, Any]) -> Member | None:
    """The newcomer of a ``team_join`` (None for bots and deleted users)."""
    user = event.get("user") or {}
    if not isinstance(user, dict):
        raise MalformedPayload(f"team_join: user is {_kind(user)}, not an object")
    if not user.get("id") or user.get("is_bot") or user.get("deleted"):
        return None
    profile = user.get("profile") or {}
    _check_fields("team_join", user, ("id", "name"))
    if not isinstance(profile, dict):
        raise MalformedPayload(f"team_join: profile is {_kind(profile)}, not an object")
    _check_fields("team_join profile", profile, ("display_name", "real_name"))
    return Member(id=user["id"], name=profile.get("display_name") or profile.get("real_name") or user.get("name", ""))


def join_event(member: Member, body: dict[str, Any], community: Community, channel: Channel | None = None) -> MemberJoined:
    """A join; ``channel`` when Slack reported it as joining a channel (the engine decides
    whether that channel's joins are welcomed)."""
    when = at(body.get("event_time"))
    # team_join and member_joined_channel both announce a newcomer (who is often put into
    # the welcome channel automatically): one join per member per day.
    return MemberJoined(event_id=f"join:{member.id}:{when.date().isoformat()}", community=community, at=when,
                        member=member, channel=channel)


def channel_join(event: dict[str, Any], bot_user_id: str | None) -> tuple[str, str] | None:
    """(member id, channel id) of a ``member_joined_channel``; None for the bot itself."""
    _check_fields("member_joined_channel", event, ("user", "channel"))
    user_id = event.get("user")
    if not user_id or user_id == bot_user_id:
        return None
    return user_id, event.get("channel") or ""


# -- messages ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incoming:
    """A member's message as read from a ``message`` event, before the adapter's look-ups."""

    kind: str  # "posted", "edited", "direct"
    event_id: str
    at: datetime
    channel_id: str
    user: str
    ts: str
    thread_ts: str | None
    text: str


def read_message(event: dict[str, Any], body: dict[str, Any], bot_user_id: str | None) -> Incoming | None:
    """A member's new or edited words, or a DM to peerbot; None for everything peerbot
    ignores (bots, itself, system subtypes, group DMs, unchanged edits, deletions)."""
    subtype = event.get("subtype")
    edited = subtype == "message_changed"
    message = (event.get("message") or {}) if edited else event
    if not isinstance(message, dict):
        raise MalformedPayload(f"message_changed: message is {_kind(message)}, not an object")
    if not edited and subtype not in HUMAN_SUBTYPES:
        return None
    private = event.get("channel_type") == "im"  # a member's DM to peerbot
    if private and edited:
        return None  # crisis support and help answer what was sent; an edit is not looked at again
    if not private and event.get("channel_type") not in (None, "channel", "group"):
        return None  # group DMs are not a community space
    if edited:
        if message.get("subtype") not in HUMAN_SUBTYPES:
            return None
        before = event.get("previous_message") or {}
        if isinstance(before, dict) and before.get("text") == message.get("text"):
            return None  # an unfurl or a thread reply count changed, not the words
    _check_message(event, message)
    user = message.get("user")
    if not user or message.get("bot_id") or message.get("bot_profile") or user == bot_user_id:
        return None
    channel_id = event.get("channel") or ""
    ts, thread_ts = str(message.get("ts", "")), message.get("thread_ts")
    if private:
        event_id, when = body.get("event_id") or f"dm:{channel_id}:{ts}", at(event.get("event_ts") or ts)
    else:
        event_id = body.get("event_id") or f"msg:{channel_id}:{ts}:{event.get('ts')}"
        when = at(event.get("event_ts") or event.get("ts"))
    return Incoming("direct" if private else "edited" if edited else "posted", event_id, when, channel_id, user,
                    ts, thread_ts, message.get("text") or "")


def mentioned_ids(text: str) -> list[str]:
    """Members mentioned without a name in the mention (to be looked up), in order, once."""
    return list(dict.fromkeys(m.group(1) for m in MENTION.finditer(text) if not m.group(2)))


def readable(text: str, name_of: Callable[[str], str | None]) -> tuple[str, tuple[str, ...]]:
    """``<@U123>`` mentions as ``@display name`` (the id when ``name_of`` does not know it);
    returns the names too, for the analyzer."""
    names: list[str] = []
    out, last = [], 0
    for match in MENTION.finditer(text):
        name = match.group(2) or name_of(match.group(1)) or match.group(1)
        names.append(name)
        out.append(text[last:match.start()])
        out.append("@" + name)
        last = match.end()
    if not names:
        return text, ()
    out.append(text[last:])
    return "".join(out), tuple(dict.fromkeys(names))


def direct_event(message: Incoming, community: Community, text: str) -> DirectMessage:
    return DirectMessage(event_id=message.event_id, community=community, at=message.at, author=Member(id=message.user),
                         channel_id=message.channel_id, message_id=message.ts, text=text)


def message_event(message: Incoming, community: Community, *, channel_name: str, roles: frozenset[str], text: str,
                  names: tuple[str, ...], link: str | None) -> MessagePosted:
    kind = MessageEdited if message.kind == "edited" else MessagePosted
    thread_ts = message.thread_ts
    return kind(
        event_id=message.event_id, community=community, at=message.at,
        channel=Channel(id=message.channel_id, name=channel_name),
        author=Member(id=message.user, roles=roles), message_id=message.ts, text=text, link=link,
        mentioned_names=names,
        reply_to=thread_ts if thread_ts and thread_ts != message.ts else None,  # a reply in a thread
    )


def deleted_event(event: dict[str, Any], body: dict[str, Any], community: Community) -> MessageDeleted | None:
    """``message_deleted``: ids only, for what became of a nudged message."""
    if event.get("channel_type") not in (None, "channel", "group"):
        return None
    channel_id = event.get("channel") or ""
    previous = event.get("previous_message") or {}
    ts = str(event.get("deleted_ts") or (previous.get("ts") if isinstance(previous, dict) else "") or "")
    if not channel_id or not ts:
        return None
    return MessageDeleted(event_id=body.get("event_id") or f"deleted:{channel_id}:{ts}", community=community,
                          at=at(event.get("event_ts") or event.get("ts")), channel=Channel(id=channel_id), message_id=ts)


def permalink(workspace_url: str, channel_id: str, ts: str, thread_ts: str | None = None) -> str | None:
    """Slack's permalink for a message, built from the workspace URL (no API call)."""
    if not workspace_url or not channel_id or not ts:
        return None
    link = f"{workspace_url}archives/{channel_id}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel_id}"
    return link


# -- commands and buttons ----------------------------------------------------------------------


def command_text(text: str) -> str:
    """The slash command's text with Slack's mention formats as plain ids: ``<#C123|name>``
    -> ``C123``, ``<!subteam^S123|@handle>`` -> ``S123`` (the core parses no platform's
    formats)."""
    text = CHANNEL_MENTION.sub(lambda m: m.group(1), text)
    return GROUP_MENTION.sub(lambda m: m.group(1), text).strip()


def command_event(command: dict[str, Any], community: Community, *, is_moderator: bool,
                  now: datetime | None = None) -> ModeratorCommand:
    return ModeratorCommand(
        event_id=f"cmd:{command.get('trigger_id') or time.time_ns()}",
        community=community,
        at=now or datetime.now(UTC),
        author=Member(id=command.get("user_id", ""), name=command.get("user_name", "")),
        channel=Channel(id=command.get("channel_id", ""), name=command.get("channel_name", "")),
        text=command_text(command.get("text") or ""),
        is_moderator=is_moderator,
    )


def feedback_event(body: dict[str, Any], action: dict[str, Any], community: Community) -> NudgeFeedback | None:
    """A click on a nudge's button (None for any other button, or a click without a user)."""
    match = FEEDBACK_ACTION.match(action.get("action_id", ""))
    user_id = (body.get("user") or {}).get("id", "")
    if not match or not user_id or not action.get("value"):
        return None
    return NudgeFeedback(
        event_id=f"feedback:{body.get('trigger_id') or action.get('action_ts')}",
        community=community, at=at(action.get("action_ts")), member=Member(id=user_id),
        nudge_id=str(action["value"]), verdict=match.group(1),  # type: ignore[arg-type]
    )


def team_of(names: Mapping[str, tuple[str, str]], team_id: str) -> Community:
    return Community(PLATFORM, team_id, names.get(team_id, ("", ""))[0])
