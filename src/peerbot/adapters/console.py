"""A community in the terminal: the console adapter behind ``peerbot demo`` and ``chat``.

Like any adapter it only translates: typed lines become core events with a simulated clock,
and actions become lines of transcript showing what members and moderators would see.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO

from peerbot.actions import (
    Action,
    AlertModerators,
    CrisisSupport,
    Post,
    PrivateMessage,
    PrivateNudge,
    ReplyToModerator,
)
from peerbot.engine import Engine
from peerbot.runtime import Runtime, carry_out
from peerbot.events import (
    Channel,
    Community,
    Member,
    MemberJoined,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ModeratorCommand,
    NudgeFeedback,
)

PLATFORM = "console"
log = logging.getLogger("peerbot.console")
TICK = timedelta(minutes=15)


def use_colour(stream: TextIO) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Printer:
    """Writes transcript lines; one colour per kind of line, or none."""

    COLOURS = {
        "member": "37", "post": "32", "dm": "36", "nudge": "33", "crisis": "1;35",
        "alert": "31", "mod": "34", "note": "2", "time": "2",
    }

    def __init__(self, stream: TextIO, colour: bool | None = None) -> None:
        self.stream = stream
        self.colour = use_colour(stream) if colour is None else colour

    def paint(self, kind: str, text: str) -> str:
        if not self.colour:
            return text
        return f"\033[{self.COLOURS.get(kind, '0')}m{text}\033[0m"

    def line(self, kind: str, stamp: str, where: str, text: str) -> None:
        body = "\n".join((" " * 8 + part if part.strip() else "") if i else part
                         for i, part in enumerate(text.split("\n")))
        where = f"{where} " if where else ""
        self.stream.write(f"{self.paint('time', stamp)} {where}{self.paint(kind, body)}\n")

    def note(self, text: str) -> None:
        self.stream.write(self.paint("note", f"-- {text}") + "\n")


@dataclass
class ConsoleCommunity:
    """A simulated community: members, channels, a clock, the real engine."""

    engine: Engine
    printer: Printer
    now: datetime
    community: Community = field(default_factory=lambda: Community(PLATFORM, "demo", "Harbor Peer Circle"))
    members: dict[str, Member] = field(default_factory=dict)
    moderators: set[str] = field(default_factory=set)
    last_nudge: dict[str, str] = field(default_factory=dict)
    last_message: dict[str, tuple[Channel, str]] = field(default_factory=dict)  # member id -> (channel, message id)
    last_prompt: str | None = None  # the message id of the latest daily prompt
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    runtime: Runtime = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The same runtime as on Discord and Slack: dispatch, alert-first ordering, deliveries.
        self.runtime = Runtime(self.engine, self)

    def _next(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def _stamp(self) -> str:
        zone = self.engine.settings.for_community(self.community.key).zone
        return self.now.astimezone(zone).strftime("[%a %H:%M]")

    def member(self, name: str, *, moderator: bool = False) -> Member:
        key = name.casefold()
        if key not in self.members:
            roles = frozenset({"moderator"}) if moderator else frozenset()
            self.members[key] = Member(id=key, name=name, roles=roles)
        if moderator:
            self.moderators.add(key)
        return self.members[key]

    def channel(self, name: str) -> Channel:
        name = name.lstrip("#")
        return Channel(id=f"ch-{name}", name=name)

    def names(self, text: str) -> str:
        def named(match: re.Match[str]) -> str:
            found = self.members.get(match.group(1))
            return "@" + (found.name if found else match.group(1))

        return re.sub(r"<@([^>]+)>", named, text)

    # -- things people do -------------------------------------------------------------

    async def join(self, name: str, *, moderator: bool = False) -> list[Action]:
        who = self.member(name, moderator=moderator)
        self.printer.line("note", self._stamp(), "", f"{name} joined {self.community.name}")
        event = MemberJoined(event_id=self._next("join"), community=self.community, at=self.now, member=who)
        return await self.runtime.handle(event)

    async def say(self, name: str, channel: str, text: str, *, reply_to: str | None = None) -> list[Action]:
        """``name`` posts ``text``; ``reply_to`` a message id (e.g. ``last_prompt``) makes it a reply."""
        who = self.member(name)
        where = self.channel(channel)
        self.printer.line("member", self._stamp(), f"#{where.name}", f"{who.name}: {text}")
        message_id = self._next("msg")
        self.last_message[who.id] = (where, message_id)
        event = MessagePosted(
            event_id=self._next("ev"), community=self.community, at=self.now, channel=where, author=who,
            message_id=message_id, text=text, link=f"console://{self.community.id}/{where.name}/{message_id}",
            reply_to=reply_to,
        )
        return await self.runtime.handle(event)

    async def edit(self, name: str, text: str) -> list[Action]:
        """``name`` edits their last message to read ``text``."""
        who = self.member(name)
        if who.id not in self.last_message:
            self.printer.note(f"{who.name} has no message to edit")
            return []
        where, message_id = self.last_message[who.id]
        self.printer.line("member", self._stamp(), f"#{where.name}", f"{who.name} (edited): {text}")
        event = MessageEdited(
            event_id=self._next("ev"), community=self.community, at=self.now, channel=where, author=who,
            message_id=message_id, text=text, link=f"console://{self.community.id}/{where.name}/{message_id}",
        )
        return await self.runtime.handle(event)

    async def delete(self, name: str) -> list[Action]:
        """``name`` deletes their last message."""
        who = self.member(name)
        if who.id not in self.last_message:
            self.printer.note(f"{who.name} has no message to delete")
            return []
        where, message_id = self.last_message.pop(who.id)
        self.printer.line("note", self._stamp(), f"#{where.name}", f"{who.name} deleted their message")
        event = MessageDeleted(event_id=self._next("ev"), community=self.community, at=self.now, channel=where,
                               message_id=message_id)
        return await self.runtime.handle(event)

    async def command(self, name: str, text: str) -> list[Action]:
        who = self.member(name)
        self.printer.line("mod", self._stamp(), "/peerbot", f"{who.name}: {text}")
        event = ModeratorCommand(
            event_id=self._next("cmd"), community=self.community, at=self.now, author=who,
            channel=self.channel("moderators"), text=text, is_moderator=who.id in self.moderators,
        )
        return await self.runtime.handle(event)

    async def feedback(self, name: str, verdict: str) -> list[Action]:
        who = self.member(name)
        nudge_id = self.last_nudge.get(who.id)
        if nudge_id is None:
            self.printer.note(f"{who.name} has no nudge to give feedback on")
            return []
        event = NudgeFeedback(event_id=self._next("fb"), community=self.community, at=self.now,
                              member=who, nudge_id=nudge_id, verdict=verdict)  # type: ignore[arg-type]
        return await self.runtime.handle(event)

    async def advance(self, delta: timedelta) -> list[Action]:
        """Move the clock, ticking like a real runtime so prompts and held welcomes fire."""
        end = self.now + delta
        shown: list[Action] = []
        while self.now < end:
            self.now = min(self.now + TICK, end)
            shown += await self.runtime.tick(self.now, [self.community])
        return shown

    # -- what they would see ----------------------------------------------------------

    # -- the adapter side: what they would see ----------------------------------------

    platform = PLATFORM

    def communities(self) -> list[Community]:
        return [self.community]

    def handlers(self) -> dict[type[Action], Callable[[Any, Any], Awaitable[Any]]]:
        """Every action is a line of transcript; deliveries are reported as a platform's are."""
        return {kind: self._perform for kind in (Post, PrivateNudge, CrisisSupport, AlertModerators,
                                                 ReplyToModerator, PrivateMessage)}

    def report_failure(self, action: Action, exc: Exception) -> None:
        log.error("console: %s failed after %s", type(action).__name__, type(exc).__name__, exc_info=exc)

    async def start(self) -> None:
        """Nothing to connect: the console is driven by ``demo``'s script or ``chat``'s lines."""

    async def serving(self) -> None:
        await asyncio.Event().wait()

    async def stop(self) -> None:
        """Nothing to stop taking: events only come from the caller."""

    async def close(self) -> None:
        await self.engine.store.close()

    async def show(self, actions: list[Action]) -> list[Action]:
        """Show actions decided elsewhere (as the runtime would carry them out)."""
        await carry_out(actions, self.runtime.perform)
        return actions

    async def _perform(self, action: Action, context: Any) -> bool:
        self.render(self._stamp(), action)
        if isinstance(action, Post) and action.kind == "prompt" and action.ref:
            self.last_prompt = self._next("msg")
            await self.runtime.delivered(self.community, "prompt", action.ref, "channel", self.last_prompt)
        elif isinstance(action, PrivateNudge):
            await self.runtime.delivered(self.community, "nudge", action.message_id, "dm")
        elif isinstance(action, CrisisSupport) and action.message_id:
            await self.runtime.delivered(self.community, "crisis", action.message_id, "dm")
        return True  # an alert is shown in the moderators' channel: a moderator was told

    def _who(self, member_id: str) -> str:
        found = self.members.get(member_id)
        return found.name if found else member_id

    def render(self, stamp: str, action: Action) -> None:
        p = self.printer
        if isinstance(action, Post):
            text = self.names(action.text)
            if action.file is not None:
                text += f"\n[attached: {action.file.filename}, a {len(action.file.data) // 1024} KB PNG chart]"
            p.line("post", stamp, f"#{action.channel}", f"peerbot: {text}")
        elif isinstance(action, PrivateNudge):
            self.last_nudge[action.member_id] = action.nudge_id
            buttons = " ".join(f"[{choice}]" for choice in action.feedback_choices)
            p.line("nudge", stamp, f"private to {self._who(action.member_id)}",
                   f"peerbot nudge ({action.category}): {self.names(action.text)}\n{buttons}")
        elif isinstance(action, CrisisSupport):
            p.line("crisis", stamp, f"private to {self._who(action.member_id)}", f"peerbot: {self.names(action.text)}")
        elif isinstance(action, AlertModerators):
            p.line("alert", stamp, f"#{action.channel}", f"peerbot alert: {self.names(action.text)}")
        elif isinstance(action, ReplyToModerator):
            p.line("mod", stamp, f"only {self._who(action.member_id)} sees",
                   f"peerbot: {self.names(action.text)}")
        elif isinstance(action, PrivateMessage):
            p.line("dm", stamp, f"private to {self._who(action.member_id)}", f"peerbot: {self.names(action.text)}")
