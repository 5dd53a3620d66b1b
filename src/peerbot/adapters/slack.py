"""Slack adapter: slack-bolt in, core events; core actions out, Slack Web API calls.

A thin translator and nothing more (see DESIGN.md): every decision is the engine's. This
module turns Slack payloads into :mod:`peerbot.events`, hands them to ``Engine.handle`` and
turns the returned :mod:`peerbot.actions` into Web API calls:

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

========================  ==============================================================
core action               Slack out
========================  ==============================================================
``Post``                  ``chat.postMessage`` in the channel (names resolved to ids);
                          prompts invite replies in the thread; a post with a file
                          (the weekly digest's chart) is uploaded (``files_upload_v2``)
``PrivateNudge``          ``chat.postEphemeral`` (only the author sees it) with feedback
                          buttons
``CrisisSupport``,        ``conversations.open`` + ``chat.postMessage`` (a DM)
``PrivateMessage``
``AlertModerators``       ``chat.postMessage`` to the moderator channel with a permalink
                          (``chat.getPermalink``), never the member's text
``ReplyToModerator``      the slash command's ``response_url`` (ephemeral), else
                          ``chat.postEphemeral``
========================  ==============================================================

Slack redelivers events it thinks were not acknowledged; each core event carries Slack's
``event_id`` and the engine handles an id once (the store's ``claim_event``), so a retry is
harmless even when it lands on another HTTP worker.

Logging never includes message text, tokens or the signing secret: only ids, methods and
Slack's error codes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

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
from peerbot import runtime
from peerbot.runtime import Runtime

if TYPE_CHECKING:
    from aiohttp import web
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from peerbot.settings import Settings, SlackSettings

log = logging.getLogger("peerbot.slack")

PLATFORM = "slack"

#: Button labels for the feedback choices the engine puts on a nudge.
FEEDBACK_LABELS = {
    "helpful": "Thanks",
    "not_helpful": "This wasn't fair",
    "why": "Why did I get this?",
}
FEEDBACK_ACTION = re.compile(r"^peerbot_feedback_(helpful|not_helpful|why)$")

#: Message subtypes that are a member's new words; every other subtype (joins, bot
#: messages, channel topic changes, deletions...) is ignored.
HUMAN_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")

CACHE_SECONDS = 300.0
#: Distinct unknown members looked up (``users.info``, concurrently) per message; the rest of a
#: message's mentions keep their ids. One message can carry thousands of mentions: looking
#: each up would hold the message (a crisis too) behind thousands of calls.
MENTION_LOOKUPS = 20
#: How long a message waits for those look-ups before going on with ids.
MENTION_LOOKUP_SECONDS = 2.0
#: Members told by DM when a crisis alert cannot reach the moderator channel.
ALERT_FALLBACK_RECIPIENTS = 10
#: How far off Slack's request timestamp may be (Slack's own rule: five minutes).
SIGNATURE_WINDOW_SECONDS = 300
#: What a failing Web API call raises once slack_sdk's retries are spent.
PLATFORM_FAILURES = (SlackClientError, OSError, asyncio.TimeoutError, aiohttp.ClientError)


class MalformedPayload(ValueError):
    """A Slack payload without the shape peerbot needs; ``str()`` names what is wrong,
    never a value from it."""


class SlackPayloadFilter(logging.Filter):
    """Keeps Slack payloads (message text) out of the logs.

    slack_bolt logs the whole request body at INFO when a signature is invalid, and both
    libraries log payloads at DEBUG. On a logger or handler, this filter drops DEBUG records
    of ``slack_bolt``/``slack_sdk`` and rewrites the invalid-signature line without the body.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(("slack_bolt", "slack_sdk")):
            return True
        if record.levelno < logging.INFO:
            return False
        message = record.getMessage()
        if "body:" in message or "body=" in message:
            record.msg = message.split("body", 1)[0].rstrip(" ,(:") + " (request body withheld)"
            record.args = ()
        return True


PAYLOAD_FILTER = SlackPayloadFilter()
# The one INFO line of slack_bolt that carries a request body.
_BODY_LOGGERS = ("slack_bolt.RequestVerification", "slack_bolt.AsyncRequestVerification")


def guard_logs() -> None:
    for name in _BODY_LOGGERS:
        logger = logging.getLogger(name)
        if PAYLOAD_FILTER not in logger.filters:
            logger.addFilter(PAYLOAD_FILTER)


class Respond(NamedTuple):
    """The answer channel of the slash command or button click being handled."""

    respond: Any  # Bolt's respond(): posts to the response URL
    replace_original: bool = False


class _Ttl:
    """A tiny TTL cache (ids -> look-up results), bounded by ``size``."""

    def __init__(self, seconds: float = CACHE_SECONDS, size: int = 2048) -> None:
        self.seconds, self.size = seconds, size
        self._data: dict[Any, tuple[float, Any]] = {}

    def get(self, key: Any) -> Any:
        hit = self._data.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, key: Any, value: Any) -> Any:
        if len(self._data) >= self.size:
            self._data.pop(next(iter(self._data)))
        self._data[key] = (time.monotonic() + self.seconds, value)
        return value


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _check_fields(what: str, payload: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        value = payload.get(name)
        if value is not None and not isinstance(value, str):
            raise MalformedPayload(f"{what}: {name} is {_kind(value)}, not a string")


def _check_message(event: dict[str, Any], message: Any) -> None:
    """A message event peerbot can read, or MalformedPayload naming the field (no values)."""
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


def signature_ok(secret: bytes, raw: bytes, timestamp: str | None, signature: str | None, now: float) -> bool:
    """Slack's request signature (``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{body}``), checked on
    the raw bytes; a timestamp that is not a number, or over five minutes off, fails."""
    if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if abs(now - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        return False
    expected = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def _at(ts: Any) -> datetime:
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (TypeError, ValueError):
        return datetime.now(UTC)


def web_client(slack: SlackSettings) -> AsyncWebClient:
    """The Web API client: ``slack.api_url`` as base URL, retries on 429, 5xx, resets."""
    base_url = slack.api_url if slack.api_url.endswith("/") else slack.api_url + "/"
    token = slack.bot_token.get_secret_value() if slack.bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=int(getattr(slack, "timeout_seconds", 30)) or 1,
        retry_handlers=[
            # A call that times out is tried again too (a slow Slack, a dropped connection).
            AsyncConnectionErrorRetryHandler(max_retry_count=2, error_types=[
                aiohttp.ServerConnectionError, aiohttp.ServerDisconnectedError, aiohttp.ClientOSError,
                asyncio.TimeoutError]),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


class SlackAdapter:
    """The Bolt app wired to an engine. One instance serves one workspace (one bot token)."""

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
        self._channels = _Ttl()
        self._names = _Ttl(seconds=3600)
        self._admins = _Ttl(seconds=60)
        self._groups = _Ttl(seconds=60)
        # member id -> the user groups they are in (ids, handles, names): Slack's "roles"
        self._memberships = _Ttl(seconds=CACHE_SECONDS)
        self._memberships_lock = asyncio.Lock()
        self._teams: dict[str, tuple[str, str]] = {}  # team id -> (name, https://x.slack.com/)
        self._threads = _Ttl(seconds=600)  # (channel, message ts) -> thread ts, for nudges in threads
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self.team_id = ""
        #: Where it serves once started: the HTTP URL, or "socket".
        self.where = ""
        self._stopped = asyncio.Event()
        self._register()

    platform = PLATFORM

    @property
    def handled(self) -> int:
        """Listener runs finished (tests and health checks read this; a count, no text)."""
        return self.runtime.handled

    @property
    def in_flight(self) -> int:
        return self.runtime.in_flight

    def handlers(self) -> dict[type[Action], Callable[[Any, Any], Awaitable[Any]]]:
        """The outbound table: one handler per action type (``context`` is a ``Respond``)."""
        return {
            Post: self._do_post,
            PrivateNudge: self._do_nudge,
            CrisisSupport: self._do_crisis,
            PrivateMessage: self._do_private,
            AlertModerators: self._do_alert,
            ReplyToModerator: self._do_reply,
        }

    def report_failure(self, action: Action, exc: Exception) -> None:
        if isinstance(exc, PLATFORM_FAILURES):
            self._report(type(action).__name__, exc)
            return
        # Never the exception's message (it may quote the payload): its type and where.
        where = traceback.extract_tb(exc.__traceback__)[-1]
        log.error("slack: %s failed after %s at %s:%d", type(action).__name__, type(exc).__name__,
                  where.filename.rsplit("/", 1)[-1], where.lineno)

    def communities(self) -> list[Community]:
        if not self.team_id:
            return []
        return [Community(PLATFORM, self.team_id, self._teams.get(self.team_id, ("", ""))[0])]

    # -- wiring ---------------------------------------------------------------------------

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

    # -- serving --------------------------------------------------------------------------

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

    # -- Slack -> core --------------------------------------------------------------------

    # Bolt injects listener arguments by parameter name; each listener counts its run.
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

    async def permalink(self, team_id: str | None, channel_id: str, ts: str, thread_ts: str | None = None) -> str | None:
        """Slack's permalink for a message, built from the workspace URL (no API call)."""
        _, url = await self._team(team_id)
        if not url or not channel_id or not ts:
            return None
        link = f"{url}archives/{channel_id}/p{ts.replace('.', '')}"
        if thread_ts and thread_ts != ts:
            link += f"?thread_ts={thread_ts}&cid={channel_id}"
        return link

    async def _handle_team_join(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        user = event.get("user") or {}
        if not isinstance(user, dict):
            raise MalformedPayload(f"team_join: user is {_kind(user)}, not an object")
        if not user.get("id") or user.get("is_bot") or user.get("deleted"):
            return
        profile = user.get("profile") or {}
        _check_fields("team_join", user, ("id", "name"))
        if not isinstance(profile, dict):
            raise MalformedPayload(f"team_join: profile is {_kind(profile)}, not an object")
        _check_fields("team_join profile", profile, ("display_name", "real_name"))
        member = Member(id=user["id"], name=profile.get("display_name") or profile.get("real_name") or user.get("name", ""))
        await self._join(member, body, context)

    async def _handle_member_joined_channel(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        user_id = event.get("user")
        if not user_id or user_id == context.get("bot_user_id"):
            return
        community = await self._community(context.team_id)
        settings = await self.runtime.engine.community_settings(community)  # type: ignore[attr-defined]
        welcome = settings.welcome.channel
        if not await self._is_channel(event.get("channel", ""), welcome):
            return
        await self._join(Member(id=user_id), body, context)

    async def _join(self, member: Member, body: dict[str, Any], context: Any) -> None:
        at = _at(body.get("event_time"))
        community = await self._community(context.team_id)
        # team_join and member_joined_channel both announce a newcomer (who is often put
        # into the welcome channel automatically): one join per member per day.
        event_id = f"join:{member.id}:{at.date().isoformat()}"
        await self._dispatch(MemberJoined(event_id=event_id, community=community, at=at, member=member))

    async def _handle_message(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        subtype = event.get("subtype")
        if subtype == "message_deleted":
            await self._deleted(event, body, context)
            return
        edited = subtype == "message_changed"
        message = (event.get("message") or {}) if edited else event
        if not isinstance(message, dict):
            raise MalformedPayload(f"message_changed: message is {_kind(message)}, not an object")
        if not edited and subtype not in HUMAN_SUBTYPES:
            return
        private = event.get("channel_type") == "im"  # a member's DM to peerbot
        if private and edited:
            return  # crisis support and help answer what was sent; an edit is not looked at again
        if not private and event.get("channel_type") not in (None, "channel", "group"):
            return  # group DMs are not a community space
        if edited:
            if message.get("subtype") not in HUMAN_SUBTYPES:
                return
            before = event.get("previous_message") or {}
            if before.get("text") == message.get("text"):
                return  # an unfurl or a thread reply count changed, not the words
        _check_message(event, message)
        user = message.get("user")
        if not user or message.get("bot_id") or message.get("bot_profile"):
            return
        if user == context.get("bot_user_id"):
            return
        channel_id = event.get("channel", "")
        ts, thread_ts = str(message.get("ts", "")), message.get("thread_ts")
        if private:
            await self._dispatch(DirectMessage(
                event_id=body.get("event_id") or f"dm:{channel_id}:{ts}",
                community=await self._community(context.team_id),
                at=_at(event.get("event_ts") or ts),
                author=Member(id=user),
                channel_id=channel_id,
                message_id=ts,
                text=(await self._readable(message.get("text") or ""))[0],
            ))
            return
        if thread_ts:
            self._threads.put((channel_id, ts), thread_ts)
        text, names = await self._readable(message.get("text") or "")
        community = await self._community(context.team_id)
        kind = MessageEdited if edited else MessagePosted
        core = kind(
            event_id=body.get("event_id") or f"msg:{channel_id}:{ts}:{event.get('ts')}",
            community=community,
            at=_at(event.get("event_ts") or event.get("ts")),
            channel=Channel(id=channel_id, name=await self.channel_name(channel_id)),
            author=Member(id=user, roles=await self.member_roles(user)),
            message_id=ts,
            text=text,
            link=await self.permalink(context.team_id, channel_id, ts, thread_ts),
            mentioned_names=names,
            reply_to=thread_ts if thread_ts and thread_ts != ts else None,  # a reply in a thread
        )
        await self._dispatch(core)

    async def _deleted(self, event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        """``message_deleted``: ids only, for what became of a nudged message."""
        if event.get("channel_type") not in (None, "channel", "group"):
            return
        channel_id = event.get("channel", "")
        ts = str(event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts") or "")
        if not channel_id or not ts:
            return
        await self._dispatch(MessageDeleted(
            event_id=body.get("event_id") or f"deleted:{channel_id}:{ts}",
            community=await self._community(context.team_id),
            at=_at(event.get("event_ts") or event.get("ts")),
            channel=Channel(id=channel_id),
            message_id=ts,
        ))

    async def _readable(self, text: str) -> tuple[str, tuple[str, ...]]:
        """Replace ``<@U123>`` mentions by ``@display name``; return the names too.

        Unknown members are looked up concurrently, at most ``MENTION_LOOKUPS`` per message
        and for at most ``MENTION_LOOKUP_SECONDS``; any others keep their ids."""
        matches = list(_MENTION.finditer(text))
        if not matches:
            return text, ()
        unknown = dict.fromkeys(m.group(1) for m in matches if not m.group(2) and self._names.get(m.group(1)) is None)
        if unknown:
            await self._look_up_names(list(unknown)[:MENTION_LOOKUPS], skipped=max(0, len(unknown) - MENTION_LOOKUPS))
        names: list[str] = []
        out, last = [], 0
        for match in matches:
            name = match.group(2) or self._names.get(match.group(1)) or match.group(1)
            names.append(name)
            out.append(text[last:match.start()])
            out.append("@" + name)
            last = match.end()
        out.append(text[last:])
        return "".join(out), tuple(dict.fromkeys(names))

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

    async def _handle_command(self, ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
        await ack()
        user_id = command.get("user_id", "")
        problem = await self._unknown_channel(command.get("text") or "")
        if problem is not None:
            await self._call("response_url", respond(text=problem, response_type="ephemeral"))
            return
        community = await self._community(context.team_id or command.get("team_id"))
        event = ModeratorCommand(
            event_id=f"cmd:{command.get('trigger_id') or time.time_ns()}",
            community=community,
            at=datetime.now(UTC),
            author=Member(id=user_id, name=command.get("user_name", "")),
            channel=Channel(id=command.get("channel_id", ""), name=command.get("channel_name", "")),
            text=(command.get("text") or "").strip(),
            is_moderator=await self.is_moderator(user_id),
        )
        await self._dispatch(event, respond=respond)

    async def _handle_feedback(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, context: Any) -> None:
        await ack()
        match = FEEDBACK_ACTION.match(action.get("action_id", ""))
        user_id = (body.get("user") or {}).get("id", "")
        if not match or not user_id or not action.get("value"):
            return
        community = await self._community(context.team_id)
        event = NudgeFeedback(
            event_id=f"feedback:{body.get('trigger_id') or action.get('action_ts')}",
            community=community,
            at=_at(action.get("action_ts")),
            member=Member(id=user_id),
            nudge_id=str(action["value"]),
            verdict=match.group(1),  # type: ignore[arg-type]
        )
        # The engine's answer replaces the nudge (so it can't be clicked twice), except for
        # "why?", which is shown below it.
        await self._dispatch(event, respond=respond, replace_original=match.group(1) != "why")

    async def _unknown_channel(self, text: str) -> str | None:
        """``channel PURPOSE CHANNEL`` naming a channel Slack does not know: the refusal
        (nothing changes). Moving crisis alerts to a channel that does not exist would
        silence them."""
        words = text.split()
        if len(words) != 3 or words[0].lower() != "channel" or words[2].lower() == "reset":
            return None
        ref = words[2]
        mention = re.fullmatch(r"<#([A-Z0-9]+)(?:\|[^>]*)?>", ref)
        try:
            if mention or _CHANNEL_ID.match(ref):
                found = await self.channel_name(mention.group(1) if mention else ref)
            else:
                found = await self.channel_id(ref)
        except PLATFORM_FAILURES as exc:
            self._report("conversations.list", exc)
            return "Slack could not be asked whether that channel exists; nothing was changed. Try again."
        if found:
            return None
        return (f"There is no channel {ref} that peerbot can see, so nothing was changed. Give an existing "
                "channel (invite peerbot to a private one first).")

    async def member_roles(self, user_id: str) -> frozenset[str]:
        """Slack's equivalent of roles: the user groups a member is in, by id (``S0123``),
        handle (``peer-supporters``) and name, so ``exempt role`` matches any of them. One
        ``usergroups.list`` per workspace every few minutes, shared by all members."""
        memberships = self._memberships.get("all")
        if memberships is None:
            async with self._memberships_lock:
                memberships = self._memberships.get("all")
                if memberships is None:
                    memberships = self._memberships.put("all", await self._load_memberships())
        return memberships.get(user_id, frozenset())

    async def _load_memberships(self) -> dict[str, frozenset[str]]:
        try:
            page = await self.client.usergroups_list(include_users=True)
        except SlackClientError as exc:
            # Workspaces on Slack's free plan have no user groups: then nobody has a "role".
            self._report("usergroups.list", exc)
            return {}
        names: dict[str, set[str]] = {}
        for group in page.get("usergroups") or []:
            labels = {str(group[key]) for key in ("id", "handle", "name") if group.get(key)}
            for member in group.get("users") or []:
                names.setdefault(member, set()).update(labels)
        return {member: frozenset(labels) for member, labels in names.items()}

    async def is_moderator(self, user_id: str) -> bool:
        """Configured user id, member of a configured user group, or a workspace admin/owner."""
        # Asked of Slack for every command, never from a cache: someone removed from a
        # moderator group, or no longer an admin, is refused from their next command on.
        if user_id in self.moderator_ids:
            return True
        for group in self.moderator_groups:
            try:
                members = set((await self.client.usergroups_users_list(usergroup=group)).get("users") or [])
            except PLATFORM_FAILURES as exc:
                self._report("usergroups.users.list", exc)
                members = set()
            if user_id in members:
                return True
        try:
            user = (await self.client.users_info(user=user_id)).get("user") or {}
        except PLATFORM_FAILURES as exc:
            self._report("users.info", exc)
            return False
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        return admin and not user.get("deleted") and not user.get("is_restricted")

    # -- core -> Slack --------------------------------------------------------------------

    async def _dispatch(self, event: Event, *, respond: Any = None, replace_original: bool = False) -> None:
        await self.runtime.handle(event, Respond(respond, replace_original) if respond is not None else None)

    async def tick(self, team_id: str, now: datetime | None = None) -> list[Action]:
        """One clock tick for the workspace: held welcomes and due prompts."""
        return await self.runtime.tick(now, [await self._community(team_id)])

    async def perform(self, action: Action, *, respond: Any = None, replace_original: bool = False) -> Any:
        """Carry out one action through the runtime (isolated); for an alert, returns whether
        a moderator was told."""
        return await self.runtime.perform(action, Respond(respond, replace_original) if respond is not None else None)

    async def _do_post(self, action: Post, context: Respond | None) -> None:
        await self._post(action)

    async def _do_nudge(self, action: PrivateNudge, context: Respond | None) -> None:
        via = "ephemeral"
        try:
            await self._nudge(action)
        except SlackClientError as exc:
            self._report("PrivateNudge", exc)
            via = "failed"
        await self.runtime.delivered(action.community, "nudge", action.message_id, via)

    async def _do_crisis(self, action: CrisisSupport, context: Respond | None) -> None:
        if not action.message_id:
            await self._crisis_private(action)
            return
        try:
            via = await self._crisis_private(action)
        except PLATFORM_FAILURES as exc:
            self._report("CrisisSupport", exc)
            via = "failed"
        await self.runtime.delivered(action.community, "crisis", action.message_id, via)

    async def _do_private(self, action: PrivateMessage, context: Respond | None) -> None:
        # An answer to the person who clicked or typed goes to the response URL (ephemeral).
        if context is not None:
            await self._call("response_url", context.respond(
                text=action.text, response_type="ephemeral", replace_original=context.replace_original))
        else:
            await self._dm(action.member_id, action.text)

    async def _do_alert(self, action: AlertModerators, context: Respond | None) -> bool:
        return await self._alert(action)

    async def _do_reply(self, action: ReplyToModerator, context: Respond | None) -> None:
        await self._reply(action, context.respond if context is not None else None)

    async def _post(self, action: Post) -> None:
        channel = await self.channel_id(action.channel)
        if channel is None:
            log.warning("slack: channel for a %s post not found (configured: %r)", action.kind, action.channel)
            return
        if action.file is not None and await self._upload(channel, action):
            return
        blocks = None
        if action.kind == "prompt":
            blocks = [
                {"type": "section", "text": {"type": "mrkdwn", "text": action.text}},
                {"type": "context", "elements": [
                    {"type": "mrkdwn", "text": ":thread: Reply in the thread to share yours."}]},
            ]
        posted = await self.client.chat_postMessage(channel=channel, text=action.text, blocks=blocks)
        if action.kind == "prompt" and action.ref and posted.get("ts"):
            # Replies in its thread are counted for moderators: the engine keeps its ts.
            await self.runtime.delivered(action.community, "prompt", action.ref, "channel", str(posted["ts"]))

    async def _upload(self, channel: str, action: Post) -> bool:
        """The post with its file (the digest chart): ``files_upload_v2`` (files.getUploadURLExternal,
        the upload, files.completeUploadExternal) shares it in the channel with the text as
        its comment. False when Slack refused (e.g. no files:write scope): post the text alone."""
        assert action.file is not None
        try:
            await self.client.files_upload_v2(
                channel=channel, file=action.file.data, filename=action.file.filename,
                title=action.file.filename.removesuffix(".png"), alt_txt=action.file.alt or None,
                initial_comment=action.text,
            )
        except SlackClientError as exc:
            self._report("files_upload_v2", exc)
            return False
        return True

    async def _nudge(self, action: PrivateNudge) -> None:
        buttons = [
            {
                "type": "button",
                "action_id": f"peerbot_feedback_{choice}",
                "text": {"type": "plain_text", "text": FEEDBACK_LABELS.get(choice, choice)},
                "value": action.nudge_id,
            }
            for choice in action.feedback_choices
            if choice in FEEDBACK_LABELS
        ]
        blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": action.text}}]
        if buttons:
            blocks.append({"type": "actions", "block_id": "peerbot_feedback", "elements": buttons})
        kwargs: dict[str, Any] = {"channel": action.channel_id, "user": action.member_id,
                                  "text": action.text, "blocks": blocks}
        # Keep the nudge next to the message: in the same thread when it was a reply.
        thread_ts = self._threads.get((action.channel_id, action.message_id))
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        await self.client.chat_postEphemeral(**kwargs)

    async def _crisis_private(self, action: CrisisSupport) -> str:
        """Crisis resources by DM; when the DM cannot be opened or sent (DMs off, a guest,
        Slack failing), as an ephemeral message in the channel where the member wrote.
        Returns how they went; raises only when both failed."""
        try:
            await self._dm(action.member_id, action.text)
            return "dm"
        except PLATFORM_FAILURES as exc:
            if not action.channel_id:
                raise
            self._report("CrisisSupport DM", exc)
        await self.client.chat_postEphemeral(channel=action.channel_id, user=action.member_id, text=action.text)
        log.info("slack: crisis resources for %s sent in the channel (the DM failed)", action.member_id)
        return "ephemeral"

    async def _dm(self, member_id: str, text: str) -> None:
        opened = await self.client.conversations_open(users=member_id)
        await self.client.chat_postMessage(channel=opened["channel"]["id"], text=text)

    async def _alert(self, action: AlertModerators) -> bool:
        """Post the alert in the moderator channel; returns whether a moderator was told.

        A crisis alert whose channel is missing or refuses the post goes by DM to the
        configured moderators (user ids and user group members), else to the workspace's
        admins and owners, and is logged as an error: it is never only a warning."""
        link = action.link
        if link is None and action.message_channel_id and action.message_id:
            try:
                link = (await self.client.chat_getPermalink(
                    channel=action.message_channel_id, message_ts=action.message_id))["permalink"]
            except SlackClientError as exc:
                self._report("chat.getPermalink", exc)
        text = action.text if link is None or link in action.text else f"{action.text}\n<{link}|View the message>"
        problem = "not found"
        try:
            channel = await self.channel_id(action.channel)
            if channel is not None:
                await self.client.chat_postMessage(channel=channel, text=text, unfurl_links=False, unfurl_media=False)
                return True
        except PLATFORM_FAILURES as exc:
            self._report("moderator alert", exc)
            problem = "refused the post" if isinstance(exc, SlackApiError) else f"unreachable ({type(exc).__name__})"
        if action.reason != "crisis":
            log.warning("slack: moderator channel %r %s: a %s alert was not posted", action.channel, problem,
                        action.reason)
            return False
        told = await self._alert_by_dm(text)
        if told:
            log.error("slack: CRISIS ALERT: the moderator channel %r %s; sent by DM to %d moderators instead. "
                      "Fix the channel (peerbot channel moderators #name)", action.channel, problem, told)
        else:
            log.critical("slack: CRISIS ALERT REACHED NO MODERATOR: the moderator channel %r %s and no moderator "
                         "could be sent a DM (member %s)", action.channel, problem, action.member_id)
        return told > 0

    async def _alert_by_dm(self, text: str) -> int:
        """DM ``text`` to the moderators (see ``_alert``); returns how many got it."""
        recipients = await self._alert_recipients()
        results = await asyncio.gather(*(self._dm(member, text) for member in recipients), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                self._report("crisis alert DM", result)
        return sum(not isinstance(r, BaseException) for r in results)

    async def _alert_recipients(self) -> list[str]:
        found = list(self.moderator_ids)
        for group in sorted(self.moderator_groups):
            try:
                found += (await self.client.usergroups_users_list(usergroup=group)).get("users") or []
            except PLATFORM_FAILURES as exc:
                self._report("usergroups.users.list", exc)
        if not found:
            try:
                cursor = None
                for _ in range(10):  # at most 10 pages of 200 members
                    page = await self.client.users_list(limit=200, cursor=cursor)
                    found += [u["id"] for u in page.get("members") or []
                              if (u.get("is_admin") or u.get("is_owner") or u.get("is_primary_owner"))
                              and not u.get("deleted") and not u.get("is_bot") and not u.get("is_restricted")]
                    cursor = (page.get("response_metadata") or {}).get("next_cursor")
                    if not cursor or len(found) >= ALERT_FALLBACK_RECIPIENTS:
                        break
            except PLATFORM_FAILURES as exc:
                self._report("users.list", exc)
        return list(dict.fromkeys(found))[:ALERT_FALLBACK_RECIPIENTS]

    async def _reply(self, action: ReplyToModerator, respond: Any) -> None:
        if respond is not None:
            await self._call("response_url", respond(text=action.text, response_type="ephemeral"))
        else:
            await self.client.chat_postEphemeral(channel=action.channel_id, user=action.member_id, text=action.text)

    # -- helpers --------------------------------------------------------------------------

    async def channel_id(self, channel: str) -> str | None:
        """A configured channel (id, name or ``#name``) as a channel id."""
        channel = channel.strip()
        if _CHANNEL_ID.match(channel):
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

    async def _is_channel(self, channel_id: str, configured: str) -> bool:
        if not channel_id or not configured:
            return False
        if channel_id == configured:
            return True
        try:
            return await self.channel_id(configured) == channel_id
        except SlackClientError as exc:
            self._report("conversations.list", exc)
            return False

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


# ------------------------------------------------------------------------------ running

EXIT_OK, EXIT_CONFIG = runtime.EXIT_OK, runtime.EXIT_CONFIG


class SlackStartupError(runtime.StartupError):
    """Settings or credentials that keep peerbot from serving Slack; one line for the user."""


def _quiet_slack_logs() -> None:
    # slack_bolt and slack_sdk log whole payloads (message text) at DEBUG, and Bolt gives each
    # of its loggers the root's level, so filter at the handlers rather than by level.
    for handler in logging.getLogger().handlers:
        if PAYLOAD_FILTER not in handler.filters:
            handler.addFilter(PAYLOAD_FILTER)
    guard_logs()


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
    return runtime.run(args, _make_adapter, quiet_logs=_quiet_slack_logs,
                       check=lambda settings: check_settings(settings.slack))
