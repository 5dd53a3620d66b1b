"""Discord adapter: a thin translator between discord.py and the peerbot core.

Platform events become core events (``MemberJoined``, ``MessagePosted``, ``MessageEdited``,
``MessageDeleted``, ``ModeratorCommand``, ``NudgeFeedback``); the engine decides; each core
action becomes one Discord call (plus a fallback when a member's DMs are closed). How a nudge
or crisis DM was delivered (DM, private thread, skipped) and the id of each posted prompt go
back to the engine as ``Delivered``, for moderators' stats. No policy lives here: the only
judgement this file makes is platform knowledge, such as "who counts as a moderator on
Discord" (Manage Server, or a configured moderator role).

Privacy: message text is handed to the engine and never logged; tokens are never logged.
discord.py's own DEBUG logs would print gateway payloads (message text), so the
``discord`` logger is kept at INFO or above.

Endpoints: ``PEERBOT_DISCORD__API_URL`` and ``PEERBOT_DISCORD__GATEWAY_URL`` are applied to
discord.py's documented knobs (``discord.http.Route.BASE`` and
``DiscordWebSocket.DEFAULT_GATEWAY``), so REST and gateway can go through proxies, or to a
loopback fake in tests.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from peerbot.actions import (
    Action,
    AlertModerators,
    CrisisSupport,
    Post,
    PrivateMessage,
    PrivateNudge,
    ReplyToModerator,
)
from peerbot.events import (
    Channel,
    Community,
    DirectMessage,
    Event,
    Member,
    MemberJoined,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ModeratorCommand,
    NudgeFeedback,
)
from peerbot.prompts import THEMES
from peerbot import runtime
from peerbot.runtime import Runtime

log = logging.getLogger("peerbot.discord")

PLATFORM = "discord"
DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
JUMP_BASE = "https://discord.com/channels"

#: What the bot needs in a server (the invite asks for exactly these).
BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    read_message_history=True,
    embed_links=True,
    attach_files=True,  # the weekly digest's chart
)
OAUTH_SCOPES = ("bot", "applications.commands")

#: Labels of the buttons under a private nudge, by the engine's feedback choice.
FEEDBACK_LABELS = {"helpful": "Thanks", "not_helpful": "This wasn't fair", "why": "Why did I get this?"}
FEEDBACK_STYLES = {
    "helpful": discord.ButtonStyle.success,
    "not_helpful": discord.ButtonStyle.secondary,
    "why": discord.ButtonStyle.secondary,
}

DM_HELP = (
    "Hi! I'm peerbot, the helper for this peer-support community. I don't chat in DMs, but "
    "here's what I do: welcome new members, post one encouragement prompt a day, and send a "
    "gentle private note when a message reads as criticism, gossip or mockery of a person "
    "(never for sharing your own struggles). If you're in crisis, call or text 988 (US) any "
    "time. Moderators manage me with the /peerbot command in the server."
)
FEEDBACK_THANKS = "Thanks, noted. Your answer helps tune peerbot for this community."
PRIVATE_THREAD_NAME = "A private note from peerbot"
NOT_IN_SERVER = "peerbot's commands work inside a server, not in DMs."
#: Moderators told by DM when a crisis alert cannot reach the moderator channel.
ALERT_FALLBACK_RECIPIENTS = 10

DmFallback = str  # "thread" | "skip"

T = TypeVar("T")


# --------------------------------------------------------------------- operator errors
class DiscordStartupError(runtime.StartupError):
    """Start-up failed for a reason the operator must fix; ``str()`` says how."""


def intents_message(requested: discord.Intents) -> str:
    """What to switch on in the Developer Portal when Discord refuses privileged intents."""
    names = []
    if requested.members:
        names.append("SERVER MEMBERS INTENT (peerbot needs it to see members join)")
    if requested.message_content:
        names.append("MESSAGE CONTENT INTENT (peerbot needs it to read messages)")
    if requested.presences:
        names.append("PRESENCE INTENT")
    switches = "\n".join(f"  - {name}" for name in names)
    return (
        "Discord refused to connect: the bot asked for privileged gateway intents that are not "
        "enabled for this application (close code 4014).\n"
        "Open https://discord.com/developers/applications -> your application -> Bot -> "
        "Privileged Gateway Intents, and turn on:\n"
        f"{switches}\n"
        "then save and start peerbot again. (Bots in 100 or more servers need Discord's "
        "approval for these intents.)"
    )


def required_intents() -> discord.Intents:
    """guilds, members (privileged), guild and DM messages, message content (privileged)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.members = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = True
    return intents


def configure_endpoints(api_url: str = DEFAULT_API_URL, gateway_url: str = DEFAULT_GATEWAY_URL) -> None:
    """Point discord.py's REST and gateway at the given URLs (process-wide knobs)."""
    Route.BASE = api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def invite_url(application_id: int | str) -> str:
    """The OAuth2 URL that adds the bot to a server with the scopes and permissions it needs."""
    return discord.utils.oauth_url(application_id, permissions=BOT_PERMISSIONS, scopes=OAUTH_SCOPES)


def jump_link(guild_id: str | int, channel_id: str | int, message_id: str | int) -> str:
    return f"{JUMP_BASE}/{guild_id}/{channel_id}/{message_id}"


def _quiet_discord_logs() -> None:
    # peerbot never joins voice: no "PyNaCl/davey is not installed" warnings at start.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    # discord.py logs whole gateway payloads (message text) at DEBUG.
    for name in ("discord", "discord.gateway", "discord.client", "discord.http", "discord.state"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


# ------------------------------------------------------------------- feedback buttons
class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"peerbot:fb:(?P<verdict>helpful|not_helpful|why):(?P<guild>\d+):(?P<nudge>[A-Za-z0-9_.-]{1,60})",
):
    """A button under a nudge DM. Everything it needs is in its custom_id, so clicks work
    after a restart with no stored view (a persistent dynamic item)."""

    def __init__(self, verdict: str, guild_id: str, nudge_id: str) -> None:
        self.verdict, self.guild_id, self.nudge_id = verdict, guild_id, nudge_id
        super().__init__(
            discord.ui.Button(
                label=FEEDBACK_LABELS.get(verdict, verdict),
                style=FEEDBACK_STYLES.get(verdict, discord.ButtonStyle.secondary),
                custom_id=f"peerbot:fb:{verdict}:{guild_id}:{nudge_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        return cls(match["verdict"], match["guild"], match["nudge"])

    async def callback(self, interaction: discord.Interaction) -> None:
        adapter: DiscordAdapter = interaction.client.adapter  # type: ignore[attr-defined]
        await adapter.on_feedback(interaction, self.verdict, self.guild_id, self.nudge_id)


def feedback_view(guild_id: str, nudge_id: str, choices: Sequence[str]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for verdict in choices:
        if verdict in FEEDBACK_LABELS:
            view.add_item(FeedbackButton(verdict, guild_id, nudge_id))
    return view


# ------------------------------------------------------------------------------ client
class _Handlers:
    """Event handlers shared by the plain and the sharded client; all delegate to the adapter."""

    adapter: DiscordAdapter
    tree: app_commands.CommandTree

    async def setup_hook(self) -> None:
        self.add_dynamic_items(FeedbackButton)  # type: ignore[attr-defined]
        if self.adapter.sync_on_start:
            await self.adapter.sync_commands()

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.on_message(message)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        await self.adapter.on_message_edit(payload.message)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self.adapter.on_message_delete(payload.guild_id, payload.channel_id, [payload.message_id])

    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        await self.adapter.on_message_delete(payload.guild_id, payload.channel_id, sorted(payload.message_ids))

    async def on_member_join(self, member: discord.Member) -> None:
        await self.adapter.on_member_join(member)

    async def on_ready(self) -> None:
        log.info("connected to Discord as bot %s in %d servers", self.user.id if self.user else "?",
                 len(self.guilds))  # type: ignore[attr-defined]


class PeerbotClient(_Handlers, discord.Client):
    pass


class PeerbotShardedClient(_Handlers, discord.AutoShardedClient):
    pass


@dataclass
class Delivery:
    """How a private message reached a member: "dm", "thread" (DMs closed, private thread),
    "skipped" (DMs closed, fallback off or impossible) or "failed"."""

    kind: str  # the action: nudge, crisis, private
    member_id: str
    via: str


# ----------------------------------------------------------------------------- adapter
class DiscordAdapter:
    """Runs a discord.py client and translates between it and ``engine``.

    ``observer`` (optional) is called after each event with ``(event, actions, seconds)``;
    tests and benchmarks use it, production leaves it unset.
    """

    def __init__(
        self,
        engine: Any,
        *,
        token: str,
        api_url: str = DEFAULT_API_URL,
        gateway_url: str = DEFAULT_GATEWAY_URL,
        shard_count: int | None = None,
        shard_ids: Sequence[int] | None = None,
        moderator_roles: Sequence[str] = ("moderator",),
        dm_fallback: DmFallback = "thread",
        prompt_thread: bool = False,
        sync_on_start: bool = True,
        tick_interval: float = 15.0,
        guild_ready_timeout: float = 2.0,
        retries: int = 2,
        retry_delay: float = 0.5,
        call_timeout: float = 30.0,
        observer: Callable[[Event, list[Action], float], None] | None = None,
    ) -> None:
        if dm_fallback not in ("thread", "skip"):
            raise ValueError('dm_fallback must be "thread" or "skip"')
        self.engine = engine
        self._token = token
        self.api_url, self.gateway_url = api_url, gateway_url
        self.moderator_roles = {r.lower() for r in moderator_roles}
        self.dm_fallback = dm_fallback
        self.prompt_thread = prompt_thread
        self.sync_on_start = sync_on_start
        self.runtime = Runtime(engine, self, tick_seconds=tick_interval, observer=observer)
        self.retries, self.retry_delay = retries, retry_delay
        self.call_timeout = call_timeout
        self._closing = False
        self._connection: asyncio.Task[None] | None = None
        self.deliveries: list[Delivery] = []
        self.failures: Counter[str] = Counter()
        self.intents = required_intents()
        configure_endpoints(api_url, gateway_url)
        _quiet_discord_logs()
        options: dict[str, Any] = dict(
            intents=self.intents,
            guild_ready_timeout=guild_ready_timeout,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
            chunk_guilds_at_startup=False,
        )
        client: discord.Client
        if shard_count is not None:
            client = PeerbotShardedClient(shard_count=shard_count, shard_ids=list(shard_ids) if shard_ids else None,
                                          **options)
        else:
            client = PeerbotClient(**options)
        client.adapter = self  # type: ignore[attr-defined]
        self.client = client
        self.tree = app_commands.CommandTree(client)
        client.tree = self.tree  # type: ignore[attr-defined]
        self.tree.on_error = self._on_app_command_error  # type: ignore[method-assign]
        self.tree.add_command(build_command_group(self))

    @classmethod
    def from_settings(cls, engine: Any, settings: Any, **overrides: Any) -> DiscordAdapter:
        ds = settings.discord
        if ds.token is None or not ds.token.get_secret_value():
            raise DiscordStartupError(
                "no Discord bot token: set PEERBOT_DISCORD__TOKEN (Developer Portal -> your "
                "application -> Bot -> Reset Token)"
            )
        options: dict[str, Any] = dict(
            token=ds.token.get_secret_value(),
            api_url=ds.api_url,
            gateway_url=ds.gateway_url,
            shard_count=ds.shard_count,
            shard_ids=ds.shard_ids,
        )
        if ds.shard_ids and ds.shard_count is None:
            raise DiscordStartupError("discord.shard_ids needs discord.shard_count (the total number of shards)")
        for name, option in (("moderator_roles", "moderator_roles"), ("dm_fallback", "dm_fallback"),
                             ("prompt_thread", "prompt_thread"), ("sync_commands_on_start", "sync_on_start")):
            if hasattr(ds, name):
                options[option] = getattr(ds, name)
        options.update(overrides)
        return cls(engine, **options)

    # ---------------------------------------------------------------- running
    async def login(self) -> None:
        try:
            await self.client.login(self._token)
        except discord.LoginFailure:
            await self.client.close()
            raise DiscordStartupError(
                "Discord rejected the bot token (401): check PEERBOT_DISCORD__TOKEN; a reset token "
                "invalidates the old one"
            ) from None
        except (OSError, aiohttp.ClientError, asyncio.TimeoutError, discord.HTTPException) as exc:
            await self.client.close()
            status = getattr(exc, "status", None)
            raise DiscordStartupError(
                f"cannot reach Discord's API at {self.api_url} ({type(exc).__name__}"
                + (f", HTTP {status}" if status else "") + "): check the network, or PEERBOT_DISCORD__API_URL"
            ) from None

    platform = PLATFORM

    @property
    def in_flight(self) -> int:
        """Events being handled (a graceful stop waits for them)."""
        return self.runtime.in_flight

    def communities(self) -> list[Community]:
        """This process's servers (its shards' guilds only)."""
        return [self.community(guild) for guild in self.client.guilds]

    def handlers(self) -> dict[type[Action], Callable[[Any, Any], Awaitable[Any]]]:
        """The outbound table: one handler per action type (``context`` is the interaction
        being answered, or None)."""
        return {
            Post: self._do_post,
            PrivateNudge: self._do_nudge,
            CrisisSupport: self._do_crisis,
            PrivateMessage: self._do_private,
            ReplyToModerator: self._do_reply,
            AlertModerators: self._do_alert,
        }

    def report_failure(self, action: Action, exc: Exception) -> None:
        # Never let one failing action stop the others; ids only in the log.
        self.failures[type(action).__name__] += 1
        log.error("could not perform %s for %s", type(action).__name__, action.community.key, exc_info=exc)

    async def start(self) -> None:
        """Log in, connect the gateway, and return once the servers are ready."""
        await self.login()
        self._connection = asyncio.create_task(self.connect(), name="peerbot-discord-gateway")
        ready = asyncio.ensure_future(self.client.wait_until_ready())
        await asyncio.wait({ready, self._connection}, return_when=asyncio.FIRST_COMPLETED)
        if self._connection.done():
            ready.cancel()
            self._connection.result()  # DiscordStartupError (intents, token) or whatever ended it

    async def serving(self) -> None:
        if self._connection is not None:
            await self._connection

    async def stop(self) -> None:
        """Take no new events; the runtime then drains what is in flight and closes."""
        self._closing = True
        log.info("stopping: finishing what is in flight")

    async def run(self) -> None:
        """Log in and stay connected until closed. Operator problems raise DiscordStartupError."""
        await self.login()
        await self.connect()

    async def connect(self) -> None:
        """Connect the gateway (after ``login``) and stay connected until closed."""
        try:
            await self.client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired:
            raise DiscordStartupError(intents_message(self.intents)) from None
        except discord.ConnectionClosed as exc:
            if exc.code == 4004:
                raise DiscordStartupError("Discord rejected the bot token at the gateway (4004)") from None
            raise
        finally:
            if not self.client.is_closed():
                await self.client.close()

    async def close(self) -> None:
        self._closing = True
        await self.client.close()

    async def shutdown(self, timeout: float = 20.0) -> int:
        """Stop gracefully: take no new events, wait up to ``timeout`` for the events in
        flight to carry out their actions, then disconnect. Returns how many still ran."""
        await self.stop()
        left = await self.runtime.drain(timeout)
        if left:
            log.warning("stopping with %d events still being handled after %.0f s", left, timeout)
        else:
            log.info("stopped after finishing every event in flight")
        await self.close()
        return left

    async def tick(self, now: datetime | None = None) -> list[Action]:
        """One clock tick for every server this process serves (its shards' guilds only)."""
        return await self.runtime.tick(now)

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]:
        """Register the slash commands: globally, or in one server (instant, for testing)."""
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            return await self.tree.sync(guild=guild)
        return await self.tree.sync()

    # ------------------------------------------------------------- translation in
    @staticmethod
    def community(guild: discord.Guild) -> Community:
        return Community(PLATFORM, str(guild.id), guild.name)

    @staticmethod
    def member(user: discord.abc.User) -> Member:
        roles: set[str] = set()
        for role in getattr(user, "roles", ()):
            if role.is_default():
                continue
            roles.add(str(role.id))
            roles.add(role.name)
        return Member(id=str(user.id), name=getattr(user, "display_name", user.name),
                      roles=frozenset(roles), is_bot=user.bot)

    def _ignored(self, message: discord.Message) -> bool:
        me = self.client.user
        return (
            message.author.bot
            or message.webhook_id is not None
            or (me is not None and message.author.id == me.id)
            or message.type not in (discord.MessageType.default, discord.MessageType.reply)
        )

    @staticmethod
    def _policy_channel(channel: Any) -> Channel | None:
        """The channel a message's settings come from: a thread counts as its parent channel."""
        if isinstance(channel, discord.Thread):
            parent = channel.parent
            return Channel(id=str(channel.parent_id), name=parent.name if parent else "")
        if isinstance(channel, (discord.TextChannel, discord.VoiceChannel, discord.StageChannel)):
            return Channel(id=str(channel.id), name=channel.name)
        return None

    def _message_event(self, message: discord.Message, *, edited: bool) -> MessagePosted | None:
        assert message.guild is not None
        if not isinstance(message.content, str):  # discord.py passes the payload's value through
            log.warning("malformed message %s skipped: content is %s, not a string", message.id,
                        type(message.content).__name__)
            return None
        channel = self._policy_channel(message.channel)
        if channel is None:
            return None
        cls = MessageEdited if edited else MessagePosted
        stamp = message.edited_at if edited else message.created_at
        event_id = f"discord:{'edit' if edited else 'msg'}:{message.id}"
        if edited and message.edited_at is not None:
            event_id += f":{int(message.edited_at.timestamp() * 1000)}"
        return cls(
            event_id=event_id,
            community=self.community(message.guild),
            at=stamp or datetime.now(timezone.utc),
            channel=channel,
            author=self.member(message.author),
            message_id=str(message.id),
            text=message.content,
            link=message.jump_url,
            mentioned_names=tuple(m.display_name for m in message.mentions),
            reply_to=self._reply_to(message),
        )

    @staticmethod
    def _reply_to(message: discord.Message) -> str | None:
        """What the message answers: the thread it is in (a thread started from a message has
        that message's id, so a prompt's reply thread counts), or the message it replies to."""
        if isinstance(message.channel, discord.Thread):
            return str(message.channel.id)
        reference = message.reference
        return str(reference.message_id) if reference is not None and reference.message_id else None

    async def on_message(self, message: discord.Message) -> None:
        if self._ignored(message):
            return
        if message.guild is None:
            if isinstance(message.channel, discord.DMChannel):
                await self.on_direct_message(message)
            return
        event = self._message_event(message, edited=False)
        if event is not None:
            await self.dispatch(event)

    async def on_direct_message(self, message: discord.Message) -> None:
        """A DM to the bot goes to the engine as a ``DirectMessage`` of the server the member
        shares with peerbot (crisis support with an alert to that server's moderators, else
        help). Someone who shares no server with peerbot gets the built-in help text."""
        guild = await self._home_guild(message.author.id)
        if guild is None:
            await self._call("dm help", message.channel.send, DM_HELP)
            return
        author = guild.get_member(message.author.id) or message.author
        await self.dispatch(DirectMessage(
            event_id=f"discord:dm:{message.id}",
            community=self.community(guild),
            at=message.created_at,
            author=self.member(author),
            channel_id=str(message.channel.id),
            message_id=str(message.id),
            text=message.content,
        ))

    async def _home_guild(self, user_id: int, *, lookups: int = 10) -> discord.Guild | None:
        """The server (of this process's shards) a member shares with peerbot, the oldest one
        if several: from the member cache, else asked of Discord for up to ``lookups`` servers."""
        guilds = sorted(self.client.guilds, key=lambda g: g.id)
        for guild in guilds:
            if guild.get_member(user_id) is not None:
                return guild
        for guild in guilds[:lookups]:
            try:
                await guild.fetch_member(user_id)
                return guild
            except discord.HTTPException:  # not a member (404), or Discord said no
                continue
        return None

    async def on_message_edit(self, message: discord.Message) -> None:
        # MESSAGE_UPDATE also fires for embeds unfurling; only real edits count.
        if message.guild is None or message.edited_at is None or self._ignored(message):
            return
        event = self._message_event(message, edited=True)
        if event is not None:
            await self.dispatch(event)

    async def on_message_delete(self, guild_id: int | None, channel_id: int, message_ids: Sequence[int]) -> None:
        """MESSAGE_DELETE (and _BULK): only ids reach the engine, for nudge outcomes."""
        guild = self.client.get_guild(guild_id) if guild_id is not None else None
        if guild is None:
            return
        for message_id in message_ids:
            await self.dispatch(MessageDeleted(
                event_id=f"discord:delete:{message_id}", community=self.community(guild),
                at=datetime.now(timezone.utc), channel=Channel(id=str(channel_id)), message_id=str(message_id),
            ))

    async def on_member_join(self, member: discord.Member) -> None:
        if member.bot:
            return
        joined = member.joined_at or datetime.now(timezone.utc)
        await self.dispatch(MemberJoined(
            event_id=f"discord:join:{member.guild.id}:{member.id}:{int(joined.timestamp() * 1000)}",
            community=self.community(member.guild),
            at=joined,
            member=self.member(member),
        ))

    async def dispatch(self, event: Event, interaction: discord.Interaction | None = None) -> list[Action]:
        # Also while stopping: Discord does not send an event twice, and the drain waits for it.
        return await self.runtime.handle(event, interaction)

    # ------------------------------------------------------------ translation out
    async def _call(self, what: str, func: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T | None:
        """One platform call, retried on transient failures, reported (without text) on failure.

        discord.py already waits out 429s and retries 5xx; this adds a retry for network errors
        and a clear report. 403/404 are not retried: they will not get better."""
        for attempt in range(self.retries + 1):
            try:
                # discord.py waits as long as Discord asks; a call that hangs is cut and tried again
                return await asyncio.wait_for(func(*args, **kwargs), self.call_timeout)
            except (discord.Forbidden, discord.NotFound):
                raise
            except (discord.HTTPException, OSError, asyncio.TimeoutError) as exc:
                status = getattr(exc, "status", None)
                code = getattr(exc, "code", None)
                if attempt >= self.retries:
                    self.failures[what] += 1
                    log.warning("Discord call failed after %d tries: %s (status %s, code %s)",
                                attempt + 1, what, status, code)
                    return None
                await asyncio.sleep(self.retry_delay * (attempt + 1))
        return None

    def _guild(self, community: Community) -> discord.Guild | None:
        guild = self.client.get_guild(int(community.id))
        if guild is None:
            log.warning("not in server %s (or it is not ready yet)", community.id)
        return guild

    @staticmethod
    def resolve_channel(guild: discord.Guild, ref: str) -> discord.abc.Messageable | None:
        """A configured channel: an id, a <#mention>, or a name (with or without #)."""
        ref = ref.strip()
        digits = ref.strip("<#>")
        if digits.isdigit():
            channel = guild.get_channel_or_thread(int(digits))
            if channel is not None:
                return channel  # type: ignore[return-value]
        name = ref.lstrip("#").lower()
        for channel in guild.text_channels:
            if channel.name.lower() == name:
                return channel
        return None

    async def perform(self, action: Action, interaction: discord.Interaction | None = None) -> Any:
        """Carry out one action through the runtime (isolated); for an alert, returns whether
        a moderator was told."""
        return await self.runtime.perform(action, interaction)

    async def _do_post(self, action: Post, interaction: discord.Interaction | None) -> None:
        await self._post(action)

    async def _do_nudge(self, action: PrivateNudge, interaction: discord.Interaction | None) -> None:
        view = feedback_view(action.community.id, action.nudge_id, action.feedback_choices)
        via = await self._private("nudge", action.community, action.member_id, action.channel_id, action.text, view)
        await self.runtime.delivered(action.community, "nudge", action.message_id, via)

    async def _do_crisis(self, action: CrisisSupport, interaction: discord.Interaction | None) -> None:
        via = await self._private("crisis", action.community, action.member_id, action.channel_id, action.text)
        if action.message_id:
            await self.runtime.delivered(action.community, "crisis", action.message_id, via)

    async def _do_private(self, action: PrivateMessage, interaction: discord.Interaction | None) -> None:
        if interaction is not None and interaction.user.id == int(action.member_id):
            await self._reply(interaction, action.text)
        else:
            await self._private("private", action.community, action.member_id, None, action.text)

    async def _do_reply(self, action: ReplyToModerator, interaction: discord.Interaction | None) -> None:
        if interaction is not None:
            await self._reply(interaction, action.text)
        else:
            await self._private("reply", action.community, action.member_id, None, action.text)

    async def _do_alert(self, action: AlertModerators, interaction: discord.Interaction | None) -> bool:
        return await self._alert(action)

    async def _post(self, action: Post) -> None:
        guild = self._guild(action.community)
        if guild is None:
            return
        channel = self.resolve_channel(guild, action.channel)
        if channel is None:
            self.failures["channel not found"] += 1
            log.warning("server %s has no channel %r for a %s post", guild.id, action.channel, action.kind)
            return
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(int(m)) for m in action.mention_ids if m.isdigit()]
        )
        attachment = action.file

        def send() -> Awaitable[discord.Message]:
            # A fresh File for every try: discord.py closes the one it sent.
            extra = {} if attachment is None else {"file": discord.File(
                io.BytesIO(attachment.data), filename=attachment.filename, description=attachment.alt or None)}
            return channel.send(action.text, allowed_mentions=mentions, **extra)

        message = await self._call(f"post {action.kind}", send)
        if message is not None and action.kind == "prompt" and action.ref:
            # Replies to it (in its thread, or as Discord replies) are counted for moderators.
            await self.runtime.delivered(action.community, "prompt", action.ref, "channel", str(message.id))
        if message is not None and action.kind == "prompt" and self.prompt_thread and message.guild is not None:
            stamp = message.created_at.strftime("%b %d")
            await self._call("open prompt thread", message.create_thread, name=f"Replies to today's prompt ({stamp})",
                             auto_archive_duration=1440)

    async def _private(
        self,
        kind: str,
        community: Community,
        member_id: str,
        channel_id: str | None,
        text: str,
        view: discord.ui.View | None = None,
    ) -> str:
        """A DM; when the member's DMs are closed, a private thread (if configured) or skip."""
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        user_id = int(member_id)
        try:
            user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
            channel = user.dm_channel or await user.create_dm()
            sent = await self._call(f"{kind} DM", channel.send, text, **extra)
            via = "dm" if sent is not None else "failed"
        except discord.Forbidden as exc:
            if exc.code not in (50007, 50278):  # cannot send to this user / DMs closed
                log.warning("DM refused for a %s (code %s)", kind, exc.code)
            via = await self._fallback(kind, community, user_id, channel_id, text, extra)
        except discord.NotFound:
            via = "failed"
            log.warning("member %s not found for a %s", member_id, kind)
        except (discord.HTTPException, OSError, asyncio.TimeoutError) as exc:  # opening the DM failed
            log.warning("DM channel for a %s could not be opened (status %s)", kind, getattr(exc, "status", None))
            via = "failed"
        if via == "failed" and channel_id is not None:  # Discord failing: the private thread is a second way
            via = await self._fallback(kind, community, user_id, channel_id, text, extra)
            via = "failed" if via == "skipped" else via
        self.deliveries.append(Delivery(kind, member_id, via))
        if via in ("skipped", "failed"):  # reported, never silent
            self.failures[f"{kind} not delivered"] += 1
            log.warning("%s for member %s in %s not delivered privately (%s)", kind, member_id, community.key, via)
        elif via != "dm":
            log.info("%s for member %s in %s: DMs closed -> %s", kind, member_id, community.key, via)
        return via

    async def _fallback(
        self, kind: str, community: Community, user_id: int, channel_id: str | None, text: str, extra: dict[str, Any]
    ) -> str:
        if self.dm_fallback != "thread" or channel_id is None:
            return "skipped"
        guild = self._guild(community)
        parent = guild.get_channel(int(channel_id)) if guild is not None else None
        if not isinstance(parent, discord.TextChannel):
            return "skipped"
        try:
            thread = await parent.create_thread(
                name=PRIVATE_THREAD_NAME, type=discord.ChannelType.private_thread, invitable=False,
                auto_archive_duration=1440,
            )
            await thread.add_user(discord.Object(user_id))
            sent = await self._call(f"{kind} in private thread", thread.send, text, **extra)
        except discord.HTTPException as exc:
            log.warning("private thread fallback failed for a %s (status %s, code %s)", kind, exc.status, exc.code)
            return "failed"
        return "thread" if sent is not None else "failed"

    async def _alert(self, action: AlertModerators) -> bool:
        """Post the alert in the moderator channel; returns whether a moderator was told.

        A crisis alert whose channel is missing or refuses the post goes by DM to the server
        owner and the members with a moderator role, and is logged as an error: it is never
        only a warning."""
        guild = self._guild(action.community)
        if guild is None:
            if action.reason == "crisis":
                log.critical("CRISIS ALERT REACHED NO MODERATOR: peerbot is not in server %s (member %s)",
                             action.community.id, action.member_id)
            return False
        link = action.link
        if link is None and action.message_channel_id and action.message_id:
            link = jump_link(action.community.id, action.message_channel_id, action.message_id)
        text = action.text
        if link and link not in text:
            text = f"{text}\n{link}"
        channel = self.resolve_channel(guild, action.channel)
        problem = "does not exist"
        if channel is not None:
            try:
                # The member is named, not pinged: an alert is for moderators only.
                sent = await self._call("moderator alert", channel.send, text,
                                        allowed_mentions=discord.AllowedMentions.none())
                if sent is not None:
                    return True
                problem = "failed"
            except discord.HTTPException as exc:
                problem = f"refused the post (status {exc.status}, code {exc.code})"
        self.failures["moderator channel unusable"] += 1
        if action.reason != "crisis":
            log.warning("server %s: moderator channel %r %s; a %s alert was not posted", guild.id, action.channel,
                        problem, action.reason)
            return False
        told = await self._alert_by_dm(guild, text)
        if told:
            log.error("CRISIS ALERT: server %s's moderator channel %r %s; sent by DM to %d moderators instead. "
                      "Fix the channel (/peerbot channel)", guild.id, action.channel, problem, told)
        else:
            log.critical("CRISIS ALERT REACHED NO MODERATOR: server %s's moderator channel %r %s and no moderator "
                         "could be sent a DM (member %s)", guild.id, action.channel, problem, action.member_id)
        return told > 0

    def _alert_recipients(self, guild: discord.Guild) -> list[int]:
        """The server owner, then members with a configured moderator role (from the cache)."""
        found = [guild.owner_id] if guild.owner_id else []
        for member in guild.members:
            if member.bot:
                continue
            if any(str(r.id) in self.moderator_roles or r.name.lower() in self.moderator_roles for r in member.roles):
                found.append(member.id)
        return list(dict.fromkeys(found))[:ALERT_FALLBACK_RECIPIENTS]

    async def _alert_by_dm(self, guild: discord.Guild, text: str) -> int:
        told = 0
        for user_id in self._alert_recipients(guild):
            try:
                user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
                channel = user.dm_channel or await user.create_dm()
                sent = await self._call("crisis alert DM", channel.send, text,
                                        allowed_mentions=discord.AllowedMentions.none())
            except (discord.HTTPException, OSError, asyncio.TimeoutError) as exc:
                log.warning("crisis alert DM to moderator %s failed (status %s)", user_id, getattr(exc, "status", None))
                continue
            told += sent is not None
        return told

    async def _reply(self, interaction: discord.Interaction, text: str) -> None:
        if interaction.response.is_done():
            await self._call("interaction follow-up", interaction.followup.send, text, ephemeral=True)
        else:
            await self._call("interaction reply", interaction.response.send_message, text, ephemeral=True)

    # ------------------------------------------------------------- interactions
    def is_moderator(self, interaction: discord.Interaction) -> bool:
        """Manage Server (or Administrator), or one of the configured moderator roles."""
        if interaction.permissions.manage_guild or interaction.permissions.administrator:
            return True
        roles = getattr(interaction.user, "roles", ())
        return any(str(r.id) in self.moderator_roles or r.name.lower() in self.moderator_roles for r in roles)

    async def run_command(self, interaction: discord.Interaction, text: str) -> None:
        """A slash command as the engine's command line, answered only to the caller."""
        if interaction.guild is None:
            await interaction.response.send_message(NOT_IN_SERVER, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        event = ModeratorCommand(
            event_id=f"discord:cmd:{interaction.id}",
            community=self.community(interaction.guild),
            at=interaction.created_at,
            author=self.member(interaction.user),
            channel=self._policy_channel(interaction.channel) or Channel(id=str(interaction.channel_id)),
            text=text,
            is_moderator=self.is_moderator(interaction),
        )
        actions = await self.dispatch(event, interaction)
        if not any(isinstance(a, (ReplyToModerator, PrivateMessage)) for a in actions):
            await self._reply(interaction, "Done." if event.is_moderator else NOT_MODERATOR)

    async def on_feedback(self, interaction: discord.Interaction, verdict: str, guild_id: str, nudge_id: str) -> None:
        guild = self.client.get_guild(int(guild_id))
        community = Community(PLATFORM, guild_id, guild.name if guild else "")
        event = NudgeFeedback(
            event_id=f"discord:fb:{interaction.id}",
            community=community,
            at=interaction.created_at,
            member=self.member(interaction.user),
            nudge_id=nudge_id,
            verdict=verdict,  # type: ignore[arg-type]
        )
        actions = await self.dispatch(event, interaction)
        if not interaction.response.is_done():
            if not actions:
                await self._call("feedback ack", interaction.response.send_message, FEEDBACK_THANKS, ephemeral=True)
            else:
                await self._call("feedback ack", interaction.response.defer)

    async def _on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("slash command failed: %s", type(getattr(error, "original", error)).__name__,
                  exc_info=getattr(error, "original", error))
        try:
            await self._reply(interaction, "Sorry, that didn't work. The error was logged for the operator.")
        except discord.HTTPException:
            pass


NOT_MODERATOR = "Only moderators (Manage Server, or a moderator role) can use peerbot's commands."


def _channel_ref(channel: discord.abc.GuildChannel | None) -> str:
    return f"#{channel.name}" if channel is not None else ""


def build_command_group(adapter: DiscordAdapter) -> app_commands.Group:
    """The ``/peerbot`` slash commands. Each one becomes an engine command line; the engine
    decides, replies and writes the audit trail. The commands are hidden from members without
    Manage Server by default (server admins can grant them to a moderator role under Server
    Settings -> Integrations); the check in code (``is_moderator``) is what counts."""
    group = app_commands.Group(
        name="peerbot",
        description="Moderator tools for peerbot",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def line(*parts: object) -> str:
        return " ".join(str(p) for p in parts if p not in (None, ""))

    @group.command(name="settings", description="Show peerbot's settings for this server")
    async def settings_(interaction: discord.Interaction) -> None:
        await adapter.run_command(interaction, "settings")

    @group.command(name="threshold", description="Set the nudge threshold (0-1; higher = fewer nudges)")
    @app_commands.describe(value="0 to 1", channel="only in this channel (default: everywhere)")
    async def threshold(interaction: discord.Interaction, value: app_commands.Range[float, 0.0, 1.0],
                        channel: discord.TextChannel | None = None) -> None:
        await adapter.run_command(interaction, line("threshold", f"{value:g}", _channel_ref(channel)))

    @group.command(name="nudges", description="Turn nudges on or off, everywhere or in one channel")
    async def nudges(interaction: discord.Interaction, enabled: bool,
                     channel: discord.TextChannel | None = None) -> None:
        await adapter.run_command(interaction, line("nudges", "on" if enabled else "off", _channel_ref(channel)))

    @group.command(name="exempt", description="Never nudge members with a role, or in a channel")
    async def exempt(interaction: discord.Interaction, role: discord.Role | None = None,
                     channel: discord.TextChannel | None = None) -> None:
        target = ("role", role.name) if role else ("channel", _channel_ref(channel)) if channel else ()
        await adapter.run_command(interaction, line("exempt", *target))

    @group.command(name="unexempt", description="Remove a role or channel exemption")
    async def unexempt(interaction: discord.Interaction, role: discord.Role | None = None,
                       channel: discord.TextChannel | None = None) -> None:
        target = ("role", role.name) if role else ("channel", _channel_ref(channel)) if channel else ()
        await adapter.run_command(interaction, line("unexempt", *target))

    @group.command(name="schedule", description="Show, or change, when the daily prompt is posted")
    @app_commands.describe(time="24-hour local time, e.g. 09:00", weekdays="e.g. mon,wed,fri (or daily)")
    async def schedule(interaction: discord.Interaction, time: str | None = None, weekdays: str | None = None) -> None:
        await adapter.run_command(interaction, line("schedule", time, weekdays if time else None))

    @group.command(name="channel", description="Show, or change, where welcomes, prompts or moderator alerts go")
    @app_commands.describe(purpose="what goes there (default: show all three)", channel="the channel to use",
                           reset="go back to the config file's channel")
    @app_commands.choices(purpose=[app_commands.Choice(name="welcomes", value="welcome"),
                                   app_commands.Choice(name="daily prompts", value="prompts"),
                                   app_commands.Choice(name="moderator alerts", value="moderators")])
    async def channel_(interaction: discord.Interaction, purpose: app_commands.Choice[str] | None = None,
                       channel: discord.TextChannel | None = None, reset: bool = False) -> None:
        # By id (<#id>): a renamed channel keeps working; replies show it as a channel link.
        target = "reset" if reset else f"<#{channel.id}>" if channel is not None else None
        # A channel (or reset) without a purpose is refused by the engine with the usage line.
        await adapter.run_command(interaction, line("channel", purpose.value if purpose else None, target))

    prompts = app_commands.Group(name="prompts", description="The encouragement prompt library", parent=group)

    @prompts.command(name="list", description="List the prompts")
    async def prompts_list(interaction: discord.Interaction) -> None:
        await adapter.run_command(interaction, "prompts list")

    @prompts.command(name="add", description="Add a prompt")
    @app_commands.choices(theme=[app_commands.Choice(name=t, value=t) for t in THEMES][:25])
    async def prompts_add(interaction: discord.Interaction, theme: app_commands.Choice[str],
                          text: app_commands.Range[str, 1, 500]) -> None:
        await adapter.run_command(interaction, line("prompts add", theme.value, text))

    @prompts.command(name="remove", description="Remove a prompt by id")
    async def prompts_remove(interaction: discord.Interaction, prompt_id: str) -> None:
        await adapter.run_command(interaction, line("prompts remove", prompt_id))

    @prompts.command(name="preview", description="Show the next prompt (or one by id) without posting it")
    async def prompts_preview(interaction: discord.Interaction, prompt_id: str | None = None) -> None:
        await adapter.run_command(interaction, line("prompts preview", prompt_id))

    @group.command(name="test", description="See what peerbot's analyzer makes of a text (only you see it)")
    async def test(interaction: discord.Interaction, text: app_commands.Range[str, 1, 2000]) -> None:
        await adapter.run_command(interaction, line("test", text))

    @group.command(name="stats", description="Nudges, alerts, welcomes, prompts and feedback, in numbers")
    async def stats(interaction: discord.Interaction, days: app_commands.Range[int, 1, 366] = 7) -> None:
        await adapter.run_command(interaction, line("stats", days))

    @group.command(name="help", description="What each peerbot command does")
    async def help_(interaction: discord.Interaction) -> None:
        await adapter.run_command(interaction, "help")

    @group.command(name="audit", description="Recent settings changes")
    async def audit(interaction: discord.Interaction) -> None:
        await adapter.run_command(interaction, "audit")

    return group


# --------------------------------------------------------------------------------- CLI
# ``peerbot run discord``, ``peerbot discord sync`` and ``peerbot discord invite`` call these;
# each prints its own operator messages and returns an exit code.
#: Exit codes (see ``peerbot.runtime``): 0 after a stop; 2 when peerbot cannot start (settings,
#: a rejected token, privileged intents not enabled, Discord's API unreachable), with a message
#: saying what to fix; 1 when the database is unavailable at start.
EXIT_OK, EXIT_CONFIG = runtime.EXIT_OK, runtime.EXIT_CONFIG


def _load(args: Any) -> Any:
    from peerbot.settings import ConfigError, load_settings

    try:
        return load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"peerbot: error: {exc}", file=sys.stderr)
        return None


def _setup_logging(settings: Any) -> None:
    logging.basicConfig(level=getattr(logging, settings.log_level, logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _quiet_discord_logs()


async def _make_adapter(engine: Any, settings: Any) -> DiscordAdapter:
    return DiscordAdapter.from_settings(engine, settings)


def cli_run(args: Any) -> int:
    """``peerbot run discord``: connect and serve until SIGTERM or SIGINT (exit codes in
    ``peerbot.runtime``)."""
    return runtime.run(args, _make_adapter, quiet_logs=_quiet_discord_logs)


def cli_sync(args: Any) -> int:
    """``peerbot discord sync [--guild ID]``: register the slash commands, then exit."""
    settings = _load(args)
    if settings is None:
        return EXIT_CONFIG
    _setup_logging(settings)

    async def main() -> int:
        adapter = DiscordAdapter.from_settings(None, settings, sync_on_start=False)
        try:
            await adapter.login()
            synced = await adapter.sync_commands(getattr(args, "guild", None))
        finally:
            await adapter.close()
        where = f"server {args.guild} (available now)" if getattr(args, "guild", None) else \
            "all servers (Discord may take up to an hour to show new global commands)"
        names = ", ".join(sorted("/" + c.name for c in synced))
        print(f"synced {names} to {where}")
        return EXIT_OK

    try:
        return asyncio.run(main())
    except DiscordStartupError as exc:
        print(f"peerbot: error: {exc}", file=sys.stderr)
        return exc.exit_code


def cli_invite(args: Any) -> int:
    """``peerbot discord invite``: print the URL that adds the bot to a server."""
    settings = _load(args)
    if settings is None:
        return EXIT_CONFIG
    app_id = getattr(args, "application_id", None) or settings.discord.application_id
    if not app_id:
        token = settings.discord.token
        if token is None or not token.get_secret_value():
            print("peerbot: error: set PEERBOT_DISCORD__APPLICATION_ID (Developer Portal -> General "
                  "Information -> Application ID) or PEERBOT_DISCORD__TOKEN", file=sys.stderr)
            return EXIT_CONFIG

        async def lookup() -> int:
            adapter = DiscordAdapter.from_settings(None, settings, sync_on_start=False)
            try:
                await adapter.login()
                return int(adapter.client.application_id or 0)
            finally:
                await adapter.close()

        try:
            app_id = asyncio.run(lookup())
        except DiscordStartupError as exc:
            print(f"peerbot: error: {exc}", file=sys.stderr)
            return exc.exit_code
    print(invite_url(app_id))
    return EXIT_OK
