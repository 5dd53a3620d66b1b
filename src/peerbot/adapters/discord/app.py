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
import logging
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from peerbot.actions import Action
from peerbot.events import Community, Event
from peerbot import runtime
from peerbot.runtime import Runtime
from peerbot.adapters.discord.commands import DiscordCommands, build_command_group
from peerbot.adapters.discord.inbound import DiscordInbound
from peerbot.adapters.discord.outbound import Delivery, DiscordOutbound, DmFallback, FeedbackButton

log = logging.getLogger("peerbot.discord")

PLATFORM = "discord"

DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
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


def _quiet_discord_logs() -> None:
    # peerbot never joins voice: no "PyNaCl/davey is not installed" warnings at start.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    # discord.py logs whole gateway payloads (message text) at DEBUG.
    for name in ("discord", "discord.gateway", "discord.client", "discord.http", "discord.state"):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)



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



# ----------------------------------------------------------------------------- adapter
class DiscordAdapter(DiscordInbound, DiscordOutbound, DiscordCommands):
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

