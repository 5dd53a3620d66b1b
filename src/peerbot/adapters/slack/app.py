"""Slack adapter: slack-bolt in, core events; core actions out, Slack Web API calls.

The package: ``inbound`` (pure payload -> event functions), ``outbound`` (one handler per
action), ``commands`` (the slash command and buttons), ``client`` (the Web API client) and
``app`` (this adapter: the Bolt app, serving, look-ups).

A thin translator and nothing more (see DESIGN.md): every decision is the engine's. This
module turns Slack payloads into :mod:`peerbot.events`, hands them to ``Engine.handle`` and
turns the returned :mod:`peerbot.actions` into Web API calls. What comes in:

========================  ==============================================================
Slack in                  core event
========================  ==============================================================
``team_join``             ``MemberJoined`` (a new workspace member)
``member_joined_channel`` ``MemberJoined`` when the channel is the welcome channel
``message``               ``MessagePosted`` (human messages only; bots, the bot itself and
                          system subtypes are ignored); ``message_changed`` ->
                          ``MessageEdited``; ``message_deleted`` -> ``MessageDeleted``
                          (ids only); in a DM to peerbot (``message.im``),
                          ``DirectMessage`` (crisis support, else a help text)
``/peerbot ...``          ``ModeratorCommand`` (``is_moderator`` from configured user ids
                          or user groups, or workspace admins/owners via ``users.info``)
nudge button click        ``NudgeFeedback``
========================  ==============================================================

What each core action becomes on Slack is the table in :mod:`peerbot.adapters.slack.outbound`,
beside the handlers themselves.

Slack redelivers events it thinks were not acknowledged; each core event carries Slack's
``event_id`` and the engine handles an id once (the store's ``claim_event``), so a retry is
harmless even when it lands on another HTTP worker.

Logging never includes message text, tokens or the signing secret: only ids, methods and
Slack's error codes.
"""


from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from peerbot import runtime
from peerbot.actions import Action
import peerbot.adapters.slack.inbound as inbound
from peerbot.adapters.slack.client import (
    CACHE_SECONDS,
    PLATFORM_FAILURES,
    Ttl,
    guard_logs,
    quiet_slack_logs,
    signature_ok,
    web_client,
)
from peerbot.adapters.slack.commands import SlackCommands
from peerbot.adapters.slack.inbound import FEEDBACK_ACTION, PLATFORM, MalformedPayload
from peerbot.adapters.slack.outbound import Respond, SlackOutbound
from peerbot.events import Channel, Community, Event, Member
from peerbot.runtime import Runtime

if TYPE_CHECKING:
    from aiohttp import web
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from peerbot.settings import Settings, SlackSettings

log = logging.getLogger("peerbot.slack")

#: Distinct unknown members looked up (``users.info``, concurrently) per message; the rest of a
#: message's mentions keep their ids. One message can carry thousands of mentions: looking
#: each up would hold the message (a crisis too) behind thousands of calls.
MENTION_LOOKUPS = 20
#: How long a message waits for those look-ups before going on with ids.
MENTION_LOOKUP_SECONDS = 2.0


class SlackAdapter(SlackOutbound, SlackCommands):
    """The Bolt app wired to the runtime. One instance serves one workspace (one bot token)."""

    platform = PLATFORM

    def __init__(
        self,
        engine: Any,
        settings: Settings,
        *,
        client: AsyncWebClient | None = None,
        moderators: Iterable[str] | None = None,
        process_before_response: bool = False,
    ) -> None:
        guard_logs()
        self.runtime = Runtime(engine, self)
        self.settings = settings
        self.slack = settings.slack
        self.client = client or web_client(self.slack)
        secret = self.slack.signing_secret.get_secret_value() if self.slack.signing_secret else None
        self.app = AsyncApp(
            client=self.client,
            signing_secret=secret,
            # Socket Mode needs no signing secret; requests are then not HTTP at all.
            request_verification_enabled=secret is not None,
            process_before_response=process_before_response,
        )
        # Moderators: user ids (U.../W...) and user group ids (S...), besides admins/owners.
        configured = list(moderators if moderators is not None else getattr(self.slack, "moderators", ()))
        self.moderator_ids = {m for m in configured if not m.startswith("S")}
        self.moderator_groups = {m for m in configured if m.startswith("S")}
        self.failed_calls = 0
        self._channels = Ttl()
        self._names = Ttl(seconds=3600)
        self._admins = Ttl(seconds=60)
        self._groups = Ttl(seconds=60)
        # member id -> the user groups they are in (ids, handles, names): Slack's "roles"
        self._memberships = Ttl(seconds=CACHE_SECONDS)
        self._memberships_lock = asyncio.Lock()
        self._teams: dict[str, tuple[str, str]] = {}  # team id -> (name, https://x.slack.com/)
        self._threads = Ttl(seconds=600)  # (channel, message ts) -> thread ts, for nudges in threads
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self.team_id = ""
        #: Where it serves once started: the HTTP URL, or "socket".
        self.where = ""
        self._stopped = asyncio.Event()
        self._register()

    @property
    def handled(self) -> int:
        """Listener runs finished (tests and health checks read this; a count, no text)."""
        return self.runtime.handled

    @property
    def in_flight(self) -> int:
        return self.runtime.in_flight

    def communities(self) -> list[Community]:
        if not self.team_id:
            return []
        return [Community(PLATFORM, self.team_id, self._teams.get(self.team_id, ("", ""))[0])]

    def _register(self) -> None:
        app = self.app
        app.event("team_join")(self._on_team_join)
        app.event("member_joined_channel")(self._on_member_joined_channel)
        app.event("message")(self._on_message)
        app.command(self.slack.command)(self._on_command)
        app.action(FEEDBACK_ACTION)(self._on_feedback)

    @contextlib.asynccontextmanager
    async def _listener_run(self) -> AsyncIterator[None]:
        async with self.runtime.track():
            try:
                yield
            except MalformedPayload as exc:
                log.warning("slack: malformed payload skipped: %s", exc)
            except Exception as exc:
                # Never the exception's message (it may quote the payload): its type and where.
                where = traceback.extract_tb(exc.__traceback__)[-1]
                log.error("slack: event skipped after %s at %s:%d", type(exc).__name__,
                          where.filename.rsplit("/", 1)[-1], where.lineno)

    async def drain(self, timeout: float = 10.0) -> int:
        """Wait (up to ``timeout``) for the listener runs in flight; returns how many still run."""
        return await self.runtime.drain(timeout)

    async def wait_handled(self, count: int, timeout: float = 3.0) -> None:
        """Wait until ``count`` listener runs have finished (for tests and benchmarks)."""
        await self.runtime.wait_handled(count, timeout)

    def web_app(self, path: str = "/slack/events") -> web.Application:
        """HTTP mode: an aiohttp application answering Events API, commands and buttons.

        The signature is checked on the raw bytes before anything parses the body (Bolt's
        own handler parses first, so a non-JSON body or a non-numeric timestamp from anyone
        became an HTTP 500 with a traceback): unsigned or badly signed requests get 401, a
        signed request whose body cannot be read gets 400."""
        from aiohttp import web
        from slack_bolt.adapter.aiohttp import to_aiohttp_response
        from slack_bolt.request.async_request import AsyncBoltRequest

        if not self.slack.signing_secret:
            # Without it anyone could post events: never serve HTTP unverified.
            raise ValueError("HTTP mode needs PEERBOT_SLACK__SIGNING_SECRET")
        secret = self.slack.signing_secret.get_secret_value().encode()

        async def events(request: web.Request) -> web.StreamResponse:
            raw = await request.read()
            if not signature_ok(secret, raw, request.headers.get("X-Slack-Request-Timestamp"),
                                request.headers.get("X-Slack-Signature"), time.time()):
                log.info("slack: request without a valid signature refused (401)")
                return web.Response(status=401, text="invalid request signature")
            try:
                bolt_request = AsyncBoltRequest(body=raw.decode("utf-8"), query=request.query_string,
                                                headers=request.headers)  # type: ignore[arg-type]
            except (UnicodeDecodeError, ValueError, TypeError, AttributeError) as exc:
                log.warning("slack: signed request with an unreadable body refused (400): %s", type(exc).__name__)
                return web.Response(status=400, text="unreadable request body")
            return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

        app = web.Application()
        app.router.add_post(path, events)
        return app

    async def start_socket_mode(self, *, ping_interval: float = 10) -> None:
        """Socket Mode: connect to Slack and keep the connection up (returns once connected)."""
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        if not self.slack.app_token:
            raise ValueError("Socket Mode needs PEERBOT_SLACK__APP_TOKEN (an xapp- token)")
        token = self.slack.app_token.get_secret_value()
        # Asked once here, so a rejected token is one clear error: slack_sdk's connect loop
        # retries any failure forever, logging a traceback each time.
        try:
            opened = await self.client.apps_connections_open(app_token=token)
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else "?"
            raise SlackStartupError(
                f"Slack refused the app token ({error}): check PEERBOT_SLACK__APP_TOKEN, an xapp- token "
                "with the connections:write scope") from None
        except PLATFORM_FAILURES as exc:
            raise SlackStartupError(f"cannot reach Slack to open Socket Mode at {self.slack.api_url} "
                                    f"({type(exc).__name__})") from None
        self._socket = AsyncSocketModeHandler(self.app, token, ping_interval=ping_interval)
        self._socket.client.wss_uri = opened["url"]  # the URL just issued: no second request
        await self._socket.connect_async()

    async def start(self) -> None:
        """Check the bot token, then listen (HTTP mode) or connect (Socket Mode)."""
        from aiohttp import web

        check_settings(self.slack)
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:
            raise SlackStartupError(f"Slack refused the bot token: {exc.response.get('error')}") from None
        except (SlackClientError, OSError) as exc:
            raise SlackStartupError(f"cannot reach the Slack API at {self.slack.api_url} ({type(exc).__name__})") from None
        self.team_id = auth.get("team_id") or ""
        url = auth.get("url") or ""
        self._teams[self.team_id] = (auth.get("team") or "", url if url.endswith("/") or not url else url + "/")
        if self.slack.mode == "http":
            app = self.web_app()
            app.router.add_get("/healthz", _healthz)
            self._runner = web.AppRunner(app, access_log=None)
            await self._runner.setup()
            # reuse_port: several worker processes may listen on one port (Linux).
            site = web.TCPSite(self._runner, self.slack.host, self.slack.port, reuse_port=True)
            try:
                await site.start()
            except OSError as exc:
                raise SlackStartupError(
                    f"cannot listen on {self.slack.host}:{self.slack.port} ({exc.strerror or exc}): "
                    "another program uses the port, or set PEERBOT_SLACK__PORT") from None
            port = site._server.sockets[0].getsockname()[1] if site._server else self.slack.port  # type: ignore[union-attr]
            self.where = f"http://{self.slack.host}:{port}/slack/events"
        else:
            await self.start_socket_mode()
            self.where = "socket"
        log.info("peerbot serving Slack workspace %s (%s)", self.team_id,
                 "Socket Mode" if self.where == "socket" else self.where)

    async def serving(self) -> None:
        await self._stopped.wait()

    async def stop(self) -> None:
        """Take no new events: stop listening (requests in progress are still answered), or
        close the Socket Mode connection."""
        self._stopped.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None

    async def close(self) -> None:
        await self.stop()

    async def _on_team_join(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        async with self._listener_run():
            await self._handle_team_join(event, body, context)

    async def _on_member_joined_channel(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        async with self._listener_run():
            await self._handle_member_joined_channel(event, body, context)

    async def _on_message(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        async with self._listener_run():
            await self._handle_message(event, body, context)

    async def _on_command(self, ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
        async with self._listener_run():
            await self._handle_command(ack, command, respond, context)

    async def _on_feedback(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any,
                           context: Any) -> None:
        async with self._listener_run():
            await self._handle_feedback(ack, body, action, respond, context)

    async def _team(self, team_id: str | None) -> tuple[str, str]:
        """(workspace name, workspace URL) from one cached ``auth.test``."""
        team = team_id or ""
        if team not in self._teams:
            try:
                auth = await self.client.auth_test()
            except SlackClientError as exc:
                self._report("auth.test", exc)
                return "", ""
            url = auth.get("url") or ""
            self._teams[team] = (auth.get("team") or "", url if url.endswith("/") or not url else url + "/")
        return self._teams[team]

    async def _community(self, team_id: str | None) -> Community:
        name, _ = await self._team(team_id)
        return Community(PLATFORM, team_id or "", name)

    async def _fetch_name(self, user_id: str) -> str:
        """Look one member's display name up and cache it (the id when Slack can't say).
        Returns Slack's error, or "" on success."""
        name, error = user_id, ""
        try:
            user = (await self.client.users_info(user=user_id)).get("user") or {}
            profile = user.get("profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or user.get("name") or user_id
        except SlackApiError as exc:
            error = str(exc.response.get("error") if exc.response is not None else "error")
        except PLATFORM_FAILURES as exc:
            error = type(exc).__name__
        self._names.put(user_id, name)
        return error

    async def _look_up_names(self, user_ids: list[str], *, skipped: int) -> None:
        """Fill the name cache for ``user_ids`` (concurrently); one log line for all failures."""
        tasks = [asyncio.ensure_future(self._fetch_name(u)) for u in user_ids]
        done, pending = await asyncio.wait(tasks, timeout=MENTION_LOOKUP_SECONDS)
        for task in pending:
            task.cancel()
        failed = [t.result() for t in done if not t.cancelled() and t.exception() is None and t.result()]
        if failed or pending or skipped:
            self.failed_calls += len(failed)
            log.warning("slack: mentioned members shown by id: %d look-ups failed (%s), %d too slow, "
                        "%d over the %d per message", len(failed), ", ".join(sorted(set(failed))) or "-",
                        len(pending), skipped, MENTION_LOOKUPS)

    async def _dispatch(self, event: Event, *, respond: Any = None, replace_original: bool = False) -> None:
        await self.runtime.handle(event, Respond(respond, replace_original) if respond is not None else None)

    async def tick(self, team_id: str, now: datetime | None = None) -> list[Action]:
        """One clock tick for the workspace: held welcomes and due prompts."""
        return await self.runtime.tick(now, [await self._community(team_id)])

    async def channel_id(self, channel: str) -> str | None:
        """A configured channel (id, name or ``#name``) as a channel id."""
        channel = channel.strip()
        if inbound.CHANNEL_ID.match(channel):
            return channel
        name = channel.lstrip("#")
        cached = self._channels.get(name)
        if cached is not None:
            return cached
        await self._load_channels()
        return self._channels.get(name)

    async def channel_name(self, channel_id: str) -> str:
        """A channel's name, so that settings given by name (per-channel overrides, exempt
        channels) apply from a worker's first message on. Cached; "" when it can't be known."""
        cached = self._channels.get(("id", channel_id))
        if cached is not None or not channel_id:
            return cached or ""
        try:
            info = (await self.client.conversations_info(channel=channel_id)).get("channel") or {}
        except SlackClientError as exc:
            self._report("conversations.info", exc)
            return ""  # not cached: asked again with the next message
        name = str(info.get("name") or "")
        self._channels.put(("id", channel_id), name)
        if name:
            self._channels.put(name, channel_id)
        return name

    async def _load_channels(self) -> None:
        cursor = None
        while True:
            page = await self.client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=1000, cursor=cursor)
            for ch in page.get("channels") or []:
                self._channels.put(ch["name"], ch["id"])
                self._channels.put(("id", ch["id"]), ch["name"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break

    async def _call(self, what: str, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except (SlackClientError, OSError, asyncio.TimeoutError) as exc:
            self._report(what, exc)
            return None

    def _report(self, what: str, exc: BaseException) -> None:
        self.failed_calls += 1
        if isinstance(exc, SlackApiError):
            error = exc.response.get("error") if exc.response is not None else None
            log.warning("slack: %s failed: %s (HTTP %s)", what, error, getattr(exc.response, "status_code", "?"))
        else:
            log.warning("slack: %s failed: %s", what, type(exc).__name__)

    async def _handle_team_join(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        member = inbound.team_join_member(event)
        if member is not None:
            await self._dispatch(inbound.join_event(member, body, await self._community(context.team_id)))

    async def _handle_member_joined_channel(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        joined = inbound.channel_join(event, context.get("bot_user_id"))
        if joined is None:
            return
        user_id, channel_id = joined
        # Which channel's joins are welcomed is the engine's call; it gets the name too, as
        # the welcome channel is usually configured by name.
        channel = Channel(id=channel_id, name=await self.channel_name(channel_id))
        await self._dispatch(inbound.join_event(Member(id=user_id), body, await self._community(context.team_id),
                                                channel))

    async def _handle_message(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        if event.get("subtype") == "message_deleted":
            deleted = inbound.deleted_event(event, body, await self._community(context.team_id))
            if deleted is not None:
                await self._dispatch(deleted)
            return
        message = inbound.read_message(event, body, context.get("bot_user_id"))
        if message is None:
            return
        community = await self._community(context.team_id)
        text, names = await self._readable(message.text)
        if message.kind == "direct":
            await self._dispatch(inbound.direct_event(message, community, text))
            return
        if message.thread_ts:
            self._threads.put((message.channel_id, message.ts), message.thread_ts)
        _, url = await self._team(context.team_id)
        await self._dispatch(inbound.message_event(
            message, community, channel_name=await self.channel_name(message.channel_id),
            roles=await self.member_roles(message.user), text=text, names=names,
            link=inbound.permalink(url, message.channel_id, message.ts, message.thread_ts)))

    async def _readable(self, text: str) -> tuple[str, tuple[str, ...]]:
        """Mentions as display names. Unknown members are looked up concurrently, at most
        ``MENTION_LOOKUPS`` per message and for at most ``MENTION_LOOKUP_SECONDS``; any
        others keep their ids."""
        unknown = [u for u in inbound.mentioned_ids(text) if self._names.get(u) is None]
        if unknown:
            await self._look_up_names(unknown[:MENTION_LOOKUPS], skipped=max(0, len(unknown) - MENTION_LOOKUPS))
        return inbound.readable(text, self._names.get)


# ------------------------------------------------------------------------------ running

EXIT_OK, EXIT_CONFIG = runtime.EXIT_OK, runtime.EXIT_CONFIG


class SlackStartupError(runtime.StartupError):
    """Settings or credentials that keep peerbot from serving Slack; one line for the user."""


def check_settings(slack: SlackSettings) -> None:
    """Fail early, naming the missing variable (never printing a value)."""
    if not slack.bot_token:
        raise SlackStartupError("PEERBOT_SLACK__BOT_TOKEN is not set (the xoxb- bot token)")
    if slack.mode == "http" and not slack.signing_secret:
        raise SlackStartupError("HTTP mode needs PEERBOT_SLACK__SIGNING_SECRET (Basic Information > Signing Secret)")
    if slack.mode == "socket" and not slack.app_token:
        raise SlackStartupError("Socket Mode needs PEERBOT_SLACK__APP_TOKEN (an xapp- token with connections:write)")


async def _make_adapter(engine: Any, settings: Settings) -> SlackAdapter:
    return SlackAdapter(engine, settings)


async def serve(settings: Settings, *, stop: asyncio.Event | None = None,
                on_ready: Callable[[SlackAdapter, str], None] | None = None) -> None:
    """Run peerbot on Slack until ``stop`` is set: Socket Mode or HTTP, plus the 15 s tick.
    ``on_ready(adapter, where)`` is called once serving (the HTTP URL or ``"socket"``)."""
    check_settings(settings.slack)
    ready = None if on_ready is None else (lambda adapter: on_ready(adapter, adapter.where))  # type: ignore[attr-defined]
    await runtime.serve(settings, _make_adapter, stop=stop, on_ready=ready)


async def _healthz(request: Any) -> Any:
    from aiohttp import web

    return web.Response(text="ok")


def cli_run(args: Any) -> int:
    """``peerbot run slack``: serve until SIGTERM or SIGINT (exit codes in ``peerbot.runtime``)."""
    return runtime.run(args, _make_adapter, quiet_logs=quiet_slack_logs,
                       check=lambda settings: check_settings(settings.slack))
