"""Moderator commands, platform-neutral: each one declared once (``DECLARED``) with its typed
arguments, who may run it and its help line; the help text, the dispatch below and the
adapters' wiring (Discord's app commands, Slack's slash command) come from the declaration.

Adapters pass the command line and who asked; platform mention formats (``<#C123|name>``,
``<@&123>``) are turned into plain ids by the adapters, never parsed here.

To add a command: declare it in ``DECLARED`` and write its handler (see README, "Adding a
moderator command").
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import ValidationError

from peerbot.actions import Action, ReplyToModerator
from peerbot.events import Channel, Community, ModeratorCommand
from peerbot.nudges import effective_threshold
from peerbot.prompts import THEMES, choose_prompt
from peerbot.scheduler import next_scheduled
from peerbot.settings import WEEKDAYS, merge_community, nest
from peerbot.store.resilient import StoreUnavailable
from peerbot.store.sql import SettingTooLarge, setting_too_large
from peerbot.texts import fill

if TYPE_CHECKING:
    from peerbot.prompts import Prompt
    from peerbot.settings import CommunitySettings, Settings
    from peerbot.store import Stats, Store
    from peerbot.texts import Messages
    from peerbot.tone import ToneReport


class CommandEngine(Protocol):
    """What the commands need of the engine (the engine passes itself; no import of it here)."""

    store: Store
    settings: Settings
    messages: Messages
    prompts: tuple[Prompt, ...]

    async def community_settings(self, community: Community) -> CommunitySettings: ...

    async def set_override(self, community: Community, key: str, value: Any, *, actor_id: str,
                           at: datetime) -> None: ...

    async def library(self, community: Community) -> tuple[Prompt, ...]: ...

    def report(self, text: str, threshold: float, names: Sequence[str] = ()) -> ToneReport: ...

    async def stats(self, community: Community, since: datetime, until: datetime | None = None, *,
                    now: datetime | None = None) -> Stats: ...


Engine = CommandEngine
Handler = Callable[[CommandEngine, ModeratorCommand, str], Awaitable[str]]

ArgKind = Literal["number", "on_off", "channel", "channel_id", "role", "text", "int", "choice", "flag"]


@dataclass(frozen=True, slots=True)
class Arg:
    """One typed argument. ``kind`` decides the platform's input (Discord's option type) and
    how a value is written into the command line: ``number`` (``low``..``high``), ``int``,
    ``on_off`` (yes/no, written on|off), ``channel`` (written ``#name``), ``channel_id``
    (written as its id), ``role`` (its name), ``text`` (up to ``high`` characters), ``choice``
    (one of ``choices``: (label, value) pairs), ``flag`` (yes/no, written as the argument's
    name when yes). ``prefix`` is written before the value ("role", "channel")."""

    name: str
    kind: ArgKind
    help: str = ""
    required: bool = False
    low: float | None = None
    high: float | None = None
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = None
    prefix: str = ""


@dataclass(frozen=True, slots=True)
class Command:
    """A moderator command: its words (``"prompts add"``), the help line (``usage`` and
    ``summary``), Discord's short ``description``, its typed ``args`` and its handler, which
    gets the rest of the command line. ``moderators`` False: anyone may run it (help)."""

    name: str
    usage: str
    summary: str
    description: str
    handler: Handler | None
    args: tuple[Arg, ...] = ()
    aliases: tuple[str, ...] = ()
    moderators: bool = True
    more_help: tuple[tuple[str, str], ...] = ()


class CommandError(Exception):
    pass


def _reply(event: ModeratorCommand, text: str, ok: bool = True) -> list[Action]:
    return [ReplyToModerator(
        community=event.community, member_id=event.author.id, channel_id=event.channel.id, text=text, ok=ok,
    )]


def _parse_threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"not a number: {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise CommandError("the threshold is between 0 and 1 (higher means fewer nudges)")
    return number


def _channel_key(name: str) -> str:
    """A channel given by name (with or without #) or by id (adapters turn mentions into ids)."""
    key = name.strip().lstrip("#")
    if not key or "." in key or any(c.isspace() or c in "<>|" for c in key):
        raise CommandError(f"not a channel name or id: {name!r}")
    return key


def _role_key(name: str) -> str:
    return name.strip().lstrip("@")


def channel_ref(value: str) -> str:
    """How a configured channel is shown: ``#name``, or an id as a mention both Discord and
    Slack render as a link (``<#123>``, ``<#C0123ABCD>``)."""
    return f"<#{value}>" if re.fullmatch(r"\d{6,}|[CG][A-Z0-9]{4,}", value) else f"#{value}"


async def _set(engine: Engine, event: ModeratorCommand, key: str, value: Any, **more: Any) -> None:
    """Validate changes against the full settings model, then store them all (or none)."""
    community = event.community
    changes = {key: value, **{k.replace("__", "."): v for k, v in more.items()}}
    trial = dict(await engine.store.overrides(community))
    for name, new in changes.items():
        trial.pop(name, None)
        if new is not None:
            trial[name] = new
    try:
        merge_community(engine.settings.for_community(community.key), nest(trial))
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CommandError(f"{where}: {first['msg']}") from None
    for name, new in changes.items():  # all of them fit the store, or none is stored
        problem = setting_too_large(name, new)
        if problem is not None:
            raise CommandError(problem)
    for name, new in changes.items():
        await engine.set_override(community, name, new, actor_id=event.author.id, at=event.at)


async def run_command(engine: Engine, event: ModeratorCommand) -> list[Action]:
    words = event.text.strip().split()
    name = words[0].lower() if words else "help"
    declared = BY_NAME.get(name)
    if declared is not None and not declared.moderators:
        return _reply(event, HELP)
    if not event.is_moderator:
        settings = await engine.community_settings(event.community)
        return _reply(event, fill(engine.messages.get("moderation.not_moderator", settings.texts)), ok=False)
    handler = COMMANDS.get(name)
    if handler is None:
        return _reply(event, f"unknown command {name!r}. Try \"help\".", ok=False)
    rest = event.text.strip()[len(words[0]):].strip()
    try:
        return _reply(event, await handler(engine, event, rest))
    except (CommandError, SettingTooLarge, StoreUnavailable) as exc:
        return _reply(event, str(exc), ok=False)


async def cmd_settings(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    s = await engine.community_settings(event.community)
    n, p, w = s.nudges, s.prompts, s.welcome
    lines = [
        f"time zone: {s.timezone}",
        f"nudges: {'on' if n.enabled else 'off'}, threshold {n.threshold:.2f}, cooldown {n.cooldown_minutes} min",
        f"exempt roles: {', '.join(n.exempt_roles) or '(none)'}; exempt channels: {', '.join(n.exempt_channels) or '(none)'}",
        f"repeat summary to {channel_ref(s.moderator_channel)}: "
        + (f"after {n.repeat_alert_count} nudges in {n.repeat_alert_window_hours} h" if n.repeat_alert_count else "off"),
        f"prompts: {'on' if p.enabled else 'off'}, {p.time} on {','.join(p.weekdays)} in {channel_ref(p.channel)}, "
        f"skipped when more than {p.max_lateness_minutes} min late",
        f"welcomes: {'on' if w.enabled else 'off'} in {channel_ref(w.channel)} (channel {w.in_channel}, private {w.privately}), "
        f"combined when {w.burst_size}+ join within {w.burst_window_seconds} s",
        f"crisis alerts to {channel_ref(s.moderator_channel)}: {'on' if s.crisis.alert_moderators else 'off'}",
    ]
    for channel, override in sorted(s.channels.items()):
        parts = []
        if override.nudges_enabled is not None:
            parts.append(f"nudges {'on' if override.nudges_enabled else 'off'}")
        if override.threshold is not None:
            parts.append(f"threshold {override.threshold:.2f}")
        lines.append(f"{channel_ref(channel)}: {', '.join(parts) or 'no changes'}")
    return "\n".join(lines)


async def cmd_threshold(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    args = rest.split()
    if not args or len(args) > 2:
        raise CommandError("usage: threshold VALUE [CHANNEL]  or  threshold reset [CHANNEL]")
    value = None if args[0].lower() == "reset" else _parse_threshold(args[0])
    channel = Channel(id=_channel_key(args[1])) if len(args) == 2 else None
    if channel is not None:
        await _set(engine, event, f"channels.{channel.id}.threshold", value)
    else:
        await _set(engine, event, "nudges.threshold", value)
    settings = await engine.community_settings(event.community)
    current = effective_threshold(settings, channel or Channel(id=""))
    where = channel_ref(channel.id) if channel else "the community"
    return f"Nudge threshold for {where} is now {current:.2f}."


async def cmd_nudges(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    args = rest.split()
    if not args or args[0].lower() not in ("on", "off") or len(args) > 2:
        raise CommandError("usage: nudges on|off [CHANNEL]")
    on = args[0].lower() == "on"
    if len(args) == 2:
        channel = _channel_key(args[1])
        await _set(engine, event, f"channels.{channel}.nudges_enabled", on)
        return f"Nudges are now {'on' if on else 'off'} in {channel_ref(channel)}. Crisis support always stays on."
    await _set(engine, event, "nudges.enabled", on)
    return f"Nudges are now {'on' if on else 'off'} for the community. Crisis support always stays on."


async def _exempt(engine: Engine, event: ModeratorCommand, rest: str, add: bool) -> str:
    kind, _, name = rest.partition(" ")
    kind = kind.lower()
    if kind == "channel" and name.strip():
        name = _channel_key(name)
    elif kind == "role":
        name = _role_key(name)
    if kind not in ("channel", "role") or not name:
        raise CommandError(f"usage: {'exempt' if add else 'unexempt'} channel|role NAME")
    settings = await engine.community_settings(event.community)
    field = "exempt_channels" if kind == "channel" else "exempt_roles"
    current = list(getattr(settings.nudges, field))
    present = any(item.casefold() == name.casefold() for item in current)
    if add and not present:
        current.append(name)
    elif not add:
        if not present:
            raise CommandError(f"{kind} {name!r} is not exempt")
        current = [item for item in current if item.casefold() != name.casefold()]
    await _set(engine, event, f"nudges.{field}", current)
    return f"{kind.capitalize()} {name!r} is {'now' if add else 'no longer'} exempt from nudges."


async def cmd_exempt(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    return await _exempt(engine, event, rest, add=True)


async def cmd_unexempt(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    return await _exempt(engine, event, rest, add=False)


async def cmd_schedule(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    args = rest.split()
    if args:
        if not re.fullmatch(r"\d{1,2}:\d{2}", args[0]):
            raise CommandError("usage: schedule [HH:MM] [DAYS], e.g. schedule 08:30 mon,wed,fri")
        if len(args) > 1:
            days = [d.strip().lower()[:3] for d in ",".join(args[1:]).split(",") if d.strip()]
            if "dai" in days or "all" in days:
                days = list(WEEKDAYS)
            await _set(engine, event, "prompts.time", args[0], prompts__weekdays=days)
        else:
            await _set(engine, event, "prompts.time", args[0])
    settings = await engine.community_settings(event.community)
    upcoming = next_scheduled(settings, event.at)
    when = upcoming.strftime("%a %Y-%m-%d %H:%M %Z") if upcoming else "never"
    state = "on" if settings.prompts.enabled else "off"
    return (f"Daily prompt ({state}): {settings.prompts.time} {settings.timezone} on "
            f"{','.join(settings.prompts.weekdays)} in {channel_ref(settings.prompts.channel)}. Next: {when}.")


#: What the ``channel`` command can move: word -> (settings key, what goes there).
CHANNEL_PURPOSES = {
    "welcome": ("welcome.channel", "Welcomes"),
    "prompts": ("prompts.channel", "Daily prompts"),
    "moderators": ("moderator_channel", "Moderator alerts"),
}
_PURPOSE_WORDS = {"welcome": "welcome", "welcomes": "welcome", "prompt": "prompts", "prompts": "prompts",
                  "moderators": "moderators", "moderator": "moderators", "mods": "moderators", "alerts": "moderators"}
_CHANNEL_USAGE = "usage: channel [welcome|prompts|moderators] [CHANNEL|reset], e.g. channel welcome #say-hello"


def _channel_setting(settings: Any, purpose: str) -> str:
    value: Any = settings
    for part in CHANNEL_PURPOSES[purpose][0].split("."):
        value = getattr(value, part)
    return str(value)


async def cmd_channel(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    args = rest.split()
    if len(args) > 2 or (args and args[0].lower() not in _PURPOSE_WORDS):
        raise CommandError(_CHANNEL_USAGE)
    purposes = [_PURPOSE_WORDS[args[0].lower()]] if args else list(CHANNEL_PURPOSES)
    if len(args) == 2:
        purpose = purposes[0]
        value = None if args[1].lower() == "reset" else _channel_key(args[1])
        await _set(engine, event, CHANNEL_PURPOSES[purpose][0], value)
    settings = await engine.community_settings(event.community)
    lines = [f"{CHANNEL_PURPOSES[p][1]} go to {channel_ref(_channel_setting(settings, p))}." for p in purposes]
    if len(args) == 2:
        lines.append("Make sure peerbot can see and post in that channel.")
    return "\n".join(lines)


async def cmd_prompts(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    sub, _, tail = rest.partition(" ")
    sub, tail = sub.lower(), tail.strip()
    library = await engine.library(event.community)
    overrides = await engine.store.overrides(event.community)
    if sub in ("", "list"):
        used = {pid for pid, _ in await engine.store.used_prompts(event.community)}
        lines = [f"{len(library)} prompts ({len(used & {p.id for p in library})} posted so far):"]
        lines += [f"  {p.id} [{p.theme}] {p.text}" for p in library]
        return "\n".join(lines)
    if sub == "preview":
        if tail:
            match = [p for p in library if p.id == tail]
            if not match:
                raise CommandError(f"no prompt with id {tail!r}")
            prompt = match[0]
        else:
            choice = choose_prompt(library, await engine.store.used_prompts(event.community), event.community.key)
            if choice is None:
                raise CommandError("the prompt library is empty")
            prompt = choice[0]
        settings = await engine.community_settings(event.community)
        text = fill(engine.messages.get("prompt.post", settings.texts), prompt=prompt.text, theme=prompt.theme)
        return f"Preview of {prompt.id} (not posted):\n{text}"
    if sub == "add":
        theme, _, text = tail.partition(" ")
        if theme not in THEMES or not text.strip():
            raise CommandError(f"usage: prompts add THEME TEXT (THEME one of {', '.join(THEMES)})")
        custom = list(overrides.get("library.custom", []))
        taken = {p.id for p in engine.prompts} | {c["id"] for c in custom}
        number = len(custom) + 1
        while f"custom-{number:02d}" in taken:
            number += 1
        prompt_id = f"custom-{number:02d}"
        custom.append({"id": prompt_id, "theme": theme, "text": text.strip()})
        await engine.set_override(event.community, "library.custom", custom, actor_id=event.author.id, at=event.at)
        return f"Added prompt {prompt_id}."
    if sub == "remove":
        if tail not in {p.id for p in library}:
            raise CommandError(f"no prompt with id {tail!r}")
        removed = sorted(set(overrides.get("library.removed", [])) | {tail})
        await engine.set_override(event.community, "library.removed", removed, actor_id=event.author.id, at=event.at)
        return f"Removed prompt {tail}; it won't be posted again."
    raise CommandError("usage: prompts list | preview [ID] | add THEME TEXT | remove ID")


async def cmd_test(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    if not rest:
        raise CommandError("usage: test TEXT")
    settings = await engine.community_settings(event.community)
    threshold = settings.nudges.threshold
    report = engine.report(rest, threshold)
    if report.action == "crisis":
        verdict = "crisis: resources sent privately and moderators alerted"
    elif report.nudges_at(threshold):
        verdict = f"private nudge ({report.category})"
    else:
        verdict = "nothing"
    lines = [f"peerbot would do: {verdict}",
             f"category {report.category}, score {report.score:.2f} (community threshold {threshold:.2f}), "
             f"sentiment {report.sentiment:+.2f}"]
    for cue in report.cues:
        lines.append(f"  {cue.weight:+.2f} {cue.name}")
    return "\n".join(lines)


async def cmd_stats(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    days = 7
    if rest:
        if not (rest.isascii() and rest.isdigit()) or not 1 <= int(rest) <= 366:  # isdigit alone takes '²'
            raise CommandError("usage: stats [DAYS] (1 to 366)")
        days = int(rest)
    from peerbot.insight import stats_text

    stats = await engine.stats(event.community, event.at - timedelta(days=days), event.at)
    return stats_text(stats, f"Last {days} days:")


async def cmd_audit(engine: Engine, event: ModeratorCommand, rest: str) -> str:
    entries = await engine.store.audit_trail(event.community)
    if not entries:
        return "No settings changes yet."
    lines = ["Recent settings changes (newest first):"]
    for e in entries:
        new = "reset" if e.new_value is None else repr(e.new_value)
        lines.append(f"  {e.changed_at:%Y-%m-%d %H:%M} UTC <@{e.actor_id}> {e.key}: {e.old_value!r} -> {new}")
    return "\n".join(lines)


_PURPOSES = (("welcomes", "welcome"), ("daily prompts", "prompts"), ("moderator alerts", "moderators"))

#: Every moderator command, once. The help text, the dispatch, Discord's ``/peerbot`` app
#: commands and Slack's ``/peerbot`` text all come from here.
DECLARED: tuple[Command, ...] = (
    Command("settings", "settings", "show this community's effective settings",
            "Show peerbot's settings for this server", cmd_settings, aliases=("show",)),
    Command("threshold", "threshold VALUE [CHANNEL]",
            "set the nudge threshold (0..1), for the community or one channel",
            "Set the nudge threshold (0-1; higher = fewer nudges)", cmd_threshold,
            args=(Arg("value", "number", "0 to 1", required=True, low=0.0, high=1.0),
                  Arg("channel", "channel", "only in this channel (default: everywhere)")),
            more_help=(("threshold reset [CHANNEL]", "go back to the config file's value"),)),
    Command("nudges", "nudges on|off [CHANNEL]", "turn nudges on or off, for the community or one channel",
            "Turn nudges on or off, everywhere or in one channel", cmd_nudges,
            args=(Arg("enabled", "on_off", required=True), Arg("channel", "channel"))),
    Command("exempt", "exempt channel|role NAME", "never nudge in this channel / members with this role",
            "Never nudge members with a role, or in a channel", cmd_exempt,
            args=(Arg("role", "role", prefix="role"), Arg("channel", "channel", prefix="channel"))),
    Command("unexempt", "unexempt channel|role NAME", "", "Remove a role or channel exemption", cmd_unexempt,
            args=(Arg("role", "role", prefix="role"), Arg("channel", "channel", prefix="channel"))),
    Command("schedule", "schedule [HH:MM] [DAYS]",
            "show, or set, the daily prompt time and days (e.g. mon,wed,fri)",
            "Show, or change, when the daily prompt is posted", cmd_schedule,
            args=(Arg("time", "text", "24-hour local time, e.g. 09:00"),
                  Arg("weekdays", "text", "e.g. mon,wed,fri (or daily)"))),
    Command("channel", "channel [welcome|prompts|moderators] [CHANNEL|reset]",
            "show, or set, where welcomes, daily prompts and moderator alerts go",
            "Show, or change, where welcomes, prompts or moderator alerts go", cmd_channel, aliases=("channels",),
            args=(Arg("purpose", "choice", "what goes there (default: show all three)", choices=_PURPOSES),
                  Arg("reset", "flag", "go back to the config file's channel", default=False),
                  Arg("channel", "channel_id", "the channel to use"))),
    Command("prompts list", "prompts list | preview [ID] | add THEME TEXT | remove ID",
            "the encouragement prompt library", "List the prompts", cmd_prompts),
    Command("prompts add", "", "", "Add a prompt", cmd_prompts,
            args=(Arg("theme", "choice", required=True, choices=tuple((t, t) for t in THEMES[:25])),
                  Arg("text", "text", required=True, high=500))),
    Command("prompts remove", "", "", "Remove a prompt by id", cmd_prompts,
            args=(Arg("prompt_id", "text", required=True),)),
    Command("prompts preview", "", "", "Show the next prompt (or one by id) without posting it", cmd_prompts,
            args=(Arg("prompt_id", "text"),)),
    Command("test", "test TEXT", "explain what peerbot would do with TEXT (nothing is kept)",
            "See what peerbot's analyzer makes of a text (only you see it)", cmd_test,
            args=(Arg("text", "text", required=True, high=2000),)),
    Command("stats", "stats [DAYS]",
            "the community's figures for the last DAYS days (default 7): messages by tone, nudges and what "
            "became of them, feedback, welcomes, prompts and replies, crisis alerts; aggregates only",
            "Nudges, alerts, welcomes, prompts and feedback, in numbers", cmd_stats,
            args=(Arg("days", "int", low=1, high=366, default=7),)),
    Command("help", "help", "", "What each peerbot command does", None, moderators=False),
    Command("audit", "audit", "recent settings changes and who made them", "Recent settings changes", cmd_audit),
)

#: First word -> declaration (subcommands share their first word's handler).
BY_NAME: dict[str, Command] = {}
for _command in DECLARED:
    for _word in (_command.name.split()[0], *_command.aliases):
        BY_NAME.setdefault(_word, _command)
#: First word -> handler, for every word a moderator may type.
COMMANDS: dict[str, Handler] = {word: c.handler for word, c in BY_NAME.items() if c.handler is not None}


def _help_text(commands: Sequence[Command]) -> str:
    lines = ["peerbot commands (moderators):"]
    for command in commands:
        entries = ((command.usage, command.summary), *command.more_help)
        for usage, summary in entries:
            if not usage:
                continue
            if not summary:
                lines.append(f"  {usage}")
            elif len(usage) <= 29:
                lines.append(f"  {usage:<29} {_wrap(summary)}")
            else:
                lines.append(f"  {usage}\n{' ' * 32}{_wrap(summary)}")
    return "\n".join(lines)


def _wrap(text: str, width: int = 70) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return ("\n" + " " * 32).join(lines)


HELP = _help_text(DECLARED)


def command_line(command: Command, values: dict[str, Any]) -> str:
    """The command line for typed values (as an adapter got them from a platform's form):
    what a moderator would type."""
    parts = [command.name]
    for arg in command.args:
        value = values.get(arg.name, arg.default)
        if value is None:
            continue
        if arg.kind == "flag":
            if value:
                parts.append(arg.name)
            continue
        if arg.kind == "on_off":
            text = "on" if value else "off"
        elif arg.kind == "number":
            text = f"{float(value):g}"
        elif arg.kind == "channel":
            text = f"#{value}"
        else:
            text = str(value)
        parts += [arg.prefix, text] if arg.prefix else [text]
        if arg.prefix:
            break  # one of exempt's role or channel: the first given
    return " ".join(parts)
