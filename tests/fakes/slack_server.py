"""A loopback fake of Slack for end-to-end tests of the real slack-bolt / slack-sdk clients.

One aiohttp server on 127.0.0.1 serves:

* the Web API at ``/api/<method>`` (point ``AsyncWebClient(base_url=fake.api_url)`` at it);
* ``response_url`` targets at ``/response/<id>`` (slash commands and buttons reply there);
* a Socket Mode websocket at ``/socket`` (``apps.connections.open`` hands out its URL).

Every Web API call is recorded as an :class:`ApiCall`; tests wait on them with
:meth:`FakeSlack.wait_for` and assert on :attr:`FakeSlack.calls`. Nothing is mocked inside
the client libraries: they speak HTTP and websockets to this server exactly as to Slack.

Helpers build the payloads Slack sends (``event_callback``, ``slash_command_body``,
``block_actions_body``) and sign raw request bodies (``signed_headers``) for HTTP mode.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

__all__ = [
    "ApiCall",
    "Ack",
    "FakeSlack",
    "signed_headers",
    "sign",
    "event_callback",
    "slash_command_body",
    "block_actions_body",
]

#: Methods that take the app-level token (``xapp-...``) instead of the bot token.
APP_TOKEN_METHODS = {"apps.connections.open"}


@dataclass(frozen=True)
class ApiCall:
    """One Web API call as the fake saw it."""

    method: str
    args: dict[str, Any]
    token: str | None
    http_method: str
    content_type: str
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Ack:
    """One Socket Mode acknowledgement sent by the client."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int


# ---------------------------------------------------------------------------------------
# Signing and payload builders (what Slack sends)
# ---------------------------------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int | str) -> str:
    """Slack's v0 request signature of ``body`` at ``timestamp``."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    content_type: str = "application/json",
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> dict[str, str]:
    """Headers Slack would send with ``body`` (signed now unless ``timestamp`` is given)."""
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(secret, body, ts),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers


_event_ids = itertools.count(1)


def event_callback(
    event: dict[str, Any],
    *,
    team_id: str,
    api_app_id: str = "A0PEERBOT",
    event_id: str | None = None,
    event_time: int | None = None,
) -> dict[str, Any]:
    """The ``event_callback`` envelope of the Events API around ``event``."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):08d}",
        "event_time": event_time or int(time.time()),
        "authorizations": [
            {"enterprise_id": None, "team_id": team_id, "user_id": "UBOT", "is_bot": True,
             "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def slash_command_payload(
    *,
    text: str,
    user_id: str,
    team_id: str,
    channel_id: str = "C0GENERAL",
    command: str = "/peerbot",
    response_url: str = "",
    api_app_id: str = "A0PEERBOT",
) -> dict[str, str]:
    """The fields of a slash command invocation."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "fake",
        "channel_id": channel_id,
        "channel_name": "general",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"trig.{uuid.uuid4().hex[:10]}",
    }


def slash_command_body(**kwargs: Any) -> bytes:
    """A slash command as Slack posts it in HTTP mode (form-encoded bytes)."""
    return urlencode(slash_command_payload(**kwargs)).encode()


def block_actions_payload(
    *,
    user_id: str,
    team_id: str,
    action_id: str,
    value: str,
    channel_id: str = "C0GENERAL",
    response_url: str = "",
    block_id: str = "peerbot_feedback",
    api_app_id: str = "A0PEERBOT",
) -> dict[str, Any]:
    """A ``block_actions`` interaction: a button click in an (ephemeral) message."""
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": "0", "channel_id": channel_id, "is_ephemeral": True},
        "trigger_id": f"trig.{uuid.uuid4().hex[:10]}",
        "team": {"id": team_id, "domain": "fake"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": "button"},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


def block_actions_body(**kwargs: Any) -> bytes:
    """A button click as Slack posts it in HTTP mode (``payload=<json>`` form-encoded)."""
    return urlencode({"payload": json.dumps(block_actions_payload(**kwargs))}).encode()


# ---------------------------------------------------------------------------------------
# The fake server
# ---------------------------------------------------------------------------------------


class FakeSlack:
    """A Slack workspace on 127.0.0.1: Web API, response URLs and a Socket Mode websocket.

    ``users`` maps user ids to extra ``users.info`` fields (``is_admin``, ``is_owner``,
    ``is_bot``...); ``usergroups`` maps user group ids to member ids; ``channels`` maps
    channel ids to names.
    """

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-fake-bot-token",
        app_token: str = "xapp-fake-app-token",
        team_id: str = "T0FAKE",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        app_id: str = "A0PEERBOT",
        users: dict[str, dict[str, Any]] | None = None,
        usergroups: dict[str, list[str]] | None = None,
        channels: dict[str, str] | None = None,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.users: dict[str, dict[str, Any]] = dict(users or {})
        self.usergroups: dict[str, list[str]] = dict(usergroups or {})
        self.channels: dict[str, str] = dict(channels or {"C0GENERAL": "general", "C0WELCOME": "welcome"})

        self.calls: list[ApiCall] = []
        self.responses: list[tuple[str, dict[str, Any]]] = []  # (response_url id, body)
        self.acks: list[Ack] = []
        self.connections_opened = 0
        self.unknown_methods: list[str] = []
        # files_upload_v2: file id -> {"filename", "length", "data", then "channel", "comment", "title"}
        self.files: dict[str, dict[str, Any]] = {}

        self._failures: dict[str, list[tuple[int, str, dict[str, str]]]] = {}
        self._delays: dict[str, list[float]] = {}
        self._ts = itertools.count(1)
        self._changed: asyncio.Condition | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{rid}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL; ends with ``/`` as slack-sdk requires."""
        return f"{self.base}/api/"

    def response_url(self, rid: str | None = None) -> str:
        return f"{self.base}/response/{rid or uuid.uuid4().hex[:12]}"

    # -- assertions ----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def action_calls(self) -> list[ApiCall]:
        """Calls that change something a person sees (not look-ups)."""
        visible = {"chat.postMessage", "chat.postEphemeral", "chat.update", "conversations.open",
                   "views.open", "views.publish", "chat.scheduleMessage", "reactions.add",
                   "files.completeUploadExternal"}
        return [c for c in self.calls if c.method in visible]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 3.0) -> None:
        assert self._changed is not None, "start() the fake first"
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_for(self, method: str, count: int = 1, timeout: float = 3.0) -> list[ApiCall]:
        """Wait until ``method`` was called at least ``count`` times; return those calls."""
        try:
            await self.wait_until(lambda: len(self.calls_to(method)) >= count, timeout)
        except TimeoutError:
            seen = [c.method for c in self.calls]
            raise AssertionError(f"{method} x{count} not called within {timeout}s; calls: {seen}") from None
        return self.calls_to(method)

    async def wait_for_response(self, count: int = 1, timeout: float = 3.0) -> list[dict[str, Any]]:
        """Wait until ``count`` posts reached response URLs; return their bodies."""
        try:
            await self.wait_until(lambda: len(self.responses) >= count, timeout)
        except TimeoutError:
            raise AssertionError(f"{count} response_url post(s) not seen within {timeout}s") from None
        return [body for _, body in self.responses]

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` only after ``seconds`` (a slow or
        hanging Slack: the client may time out first)."""
        self._delays.setdefault(method, []).extend([seconds] * times)

    def fail_next(self, method: str, *, error: str = "ratelimited", status: int = 429,
                  times: int = 1, retry_after: int = 0) -> None:
        """Make the next ``times`` calls of ``method`` fail (429 ratelimited by default)."""
        headers = {"Retry-After": str(retry_after)} if status == 429 else {}
        self._failures.setdefault(method, []).extend([(status, error, headers)] * times)

    async def _notify(self) -> None:
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()

    # -- Web API ------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        ctype = request.content_type
        if request.method == "POST" and request.can_read_body:
            if ctype == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    args.update(body)
            else:
                form = await request.post()
                args.update({k: v for k, v in form.items() if isinstance(v, str)})
        for key in ("blocks", "attachments"):
            if isinstance(args.get(key), str):
                try:
                    args[key] = json.loads(args[key])
                except json.JSONDecodeError:
                    pass
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else args.pop("token", None)
        args.pop("token", None)
        self.calls.append(ApiCall(method, args, token, request.method, ctype))
        delays = self._delays.get(method)
        if delays:
            await self._notify()  # the call was seen: a test may act while it hangs
            await asyncio.sleep(delays.pop(0))
        try:
            return self._answer(method, args, token)
        finally:
            await self._notify()

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> web.Response:
        failures = self._failures.get(method)
        if failures:
            status, error, headers = failures.pop(0)
            return web.json_response({"ok": False, "error": error}, status=status, headers=headers)
        expected = self.app_token if method in APP_TOKEN_METHODS else self.bot_token
        if token != expected:
            return _ok_false("invalid_auth" if token else "not_authed")
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            self.unknown_methods.append(method)
            return _ok_false("unknown_method")
        return handler(args)

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def _m_auth_test(self, args: dict[str, Any]) -> web.Response:
        return _ok(url="https://fake.slack.com/", team="Fake Community", user="peerbot",
                   team_id=self.team_id, user_id=self.bot_user_id, bot_id=self.bot_id,
                   is_enterprise_install=False)

    def _m_chat_postMessage(self, args: dict[str, Any]) -> web.Response:
        channel = args.get("channel")
        if not channel:
            return _ok_false("channel_not_found")
        ts = self._next_ts()
        message = {"type": "message", "user": self.bot_user_id, "bot_id": self.bot_id, "ts": ts,
                   "text": args.get("text", "")}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return _ok(channel=self._channel_id(str(channel)), ts=ts, message=message)

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> web.Response:
        if not args.get("channel") or not args.get("user"):
            return _ok_false("channel_not_found" if not args.get("channel") else "user_not_in_channel")
        return _ok(message_ts=self._next_ts())

    def _m_chat_update(self, args: dict[str, Any]) -> web.Response:
        return _ok(channel=args.get("channel"), ts=args.get("ts"), text=args.get("text", ""))

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> web.Response:
        channel, ts = args.get("channel"), str(args.get("message_ts", ""))
        if not channel or not ts:
            return _ok_false("message_not_found")
        return _ok(channel=channel, permalink=f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}")

    def _m_conversations_open(self, args: dict[str, Any]) -> web.Response:
        users = str(args.get("users", ""))
        if not users:
            return _ok_false("users_list_not_supplied")
        return _ok(channel={"id": "D" + users.split(",")[0].lstrip("U")}, no_op=False, already_open=False)

    def _m_conversations_list(self, args: dict[str, Any]) -> web.Response:
        channels = [{"id": cid, "name": name, "is_channel": True, "is_member": True}
                    for cid, name in self.channels.items()]
        return _ok(channels=channels, response_metadata={"next_cursor": ""})

    def _m_conversations_info(self, args: dict[str, Any]) -> web.Response:
        cid = args.get("channel")
        if cid not in self.channels:
            return _ok_false("channel_not_found")
        return _ok(channel={"id": cid, "name": self.channels[cid], "is_channel": True, "is_member": True})

    def _m_conversations_join(self, args: dict[str, Any]) -> web.Response:
        return self._m_conversations_info(args)

    def _m_users_info(self, args: dict[str, Any]) -> web.Response:
        uid = args.get("user")
        if uid not in self.users:
            return _ok_false("user_not_found")
        user = {"id": uid, "team_id": self.team_id, "name": str(uid).lower(), "deleted": False,
                "is_admin": False, "is_owner": False, "is_primary_owner": False, "is_bot": False,
                "tz": "UTC", "profile": {"display_name": str(uid).lower()}}
        user.update(self.users[uid])
        return _ok(user=user)

    def _m_users_list(self, args: dict[str, Any]) -> web.Response:
        members = [self._user(uid) for uid in self.users]
        return _ok(members=members, response_metadata={"next_cursor": ""})

    def _user(self, uid: str) -> dict[str, Any]:
        user = {"id": uid, "team_id": self.team_id, "name": str(uid).lower(), "deleted": False,
                "is_admin": False, "is_owner": False, "is_primary_owner": False, "is_bot": False,
                "tz": "UTC", "profile": {"display_name": str(uid).lower()}}
        user.update(self.users[uid])
        return user

    def _m_usergroups_users_list(self, args: dict[str, Any]) -> web.Response:
        group = args.get("usergroup")
        if group not in self.usergroups:
            return _ok_false("no_such_subteam")
        return _ok(users=list(self.usergroups[group]))

    def _m_usergroups_list(self, args: dict[str, Any]) -> web.Response:
        groups = [{"id": gid, "handle": gid.lower(), "name": gid, "users": list(members)}
                  for gid, members in self.usergroups.items()]
        return _ok(usergroups=groups)

    def _m_views_open(self, args: dict[str, Any]) -> web.Response:
        return _ok(view={"id": "V" + uuid.uuid4().hex[:8].upper()})

    def _m_views_publish(self, args: dict[str, Any]) -> web.Response:
        return self._m_views_open(args)

    # files_upload_v2 is three steps: ask for an upload URL, upload the bytes there, complete.
    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> web.Response:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return _ok_false("invalid_arguments")
        file_id = "F" + uuid.uuid4().hex[:10].upper()
        self.files[file_id] = {"filename": args["filename"], "length": int(args["length"]), "data": None,
                               "alt_txt": args.get("alt_txt")}
        return _ok(upload_url=f"{self.base}/upload/{file_id}", file_id=file_id)

    async def _upload(self, request: web.Request) -> web.Response:
        record = self.files.get(request.match_info["file_id"])
        if record is None:
            return web.Response(status=404, text="unknown upload")
        record["data"] = await request.read()
        await self._notify()
        return web.Response(text=f"OK - {len(record['data'])}")

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> web.Response:
        try:
            files = json.loads(args.get("files") or "[]")
        except json.JSONDecodeError:
            return _ok_false("invalid_arguments")
        shared = []
        for item in files:
            record = self.files.get(item.get("id"))
            if record is None or record["data"] is None or len(record["data"]) != record["length"]:
                return _ok_false("file_not_found")
            record.update(channel=args.get("channel_id"), comment=args.get("initial_comment"),
                          title=item.get("title"))
            shared.append({"id": item["id"], "name": record["filename"], "title": item.get("title"),
                           "size": record["length"]})
        return _ok(files=shared)

    def shared_files(self) -> list[dict[str, Any]]:
        """Files uploaded and shared in a channel (completed), in upload order."""
        return [dict(record, id=file_id) for file_id, record in self.files.items() if "channel" in record]

    def _m_apps_connections_open(self, args: dict[str, Any]) -> web.Response:
        self.connections_opened += 1
        return _ok(url=f"ws://127.0.0.1:{self.port}/socket?ticket={self.connections_opened}")

    def _channel_id(self, channel: str) -> str:
        name = channel.lstrip("#")
        for cid, cname in self.channels.items():
            if cname == name:
                return cid
        return channel

    # -- response_url -------------------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            body = {"raw": await request.text()}
        self.responses.append((request.match_info["rid"], body))
        await self._notify()
        return web.Response(text="ok")

    # -- Socket Mode --------------------------------------------------------------------

    @property
    def open_sockets(self) -> int:
        return sum(1 for ws in self._sockets if not ws.closed)

    async def wait_connected(self, count: int = 1, timeout: float = 3.0) -> None:
        """Wait until ``count`` websocket connections have said hello (in total)."""
        try:
            await self.wait_until(lambda: self._hellos >= count and self.open_sockets >= 1, timeout)
        except TimeoutError:
            raise AssertionError(f"{count} socket connection(s) not seen within {timeout}s") from None

    _hellos = 0

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        number = len(self._sockets)
        await ws.send_json({
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake-slack", "build_number": 1, "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        })
        self._hellos += 1
        await self._notify()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                try:
                    data = json.loads(msg.data)
                except json.JSONDecodeError:
                    continue
                if isinstance(data, dict) and "envelope_id" in data:
                    self.acks.append(Ack(data["envelope_id"], data.get("payload"), number))
                    await self._notify()
        finally:
            await self._notify()
        return ws

    def _current_socket(self) -> web.WebSocketResponse:
        for ws in reversed(self._sockets):
            if not ws.closed:
                return ws
        raise AssertionError("no open Socket Mode connection")

    async def send_envelope(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0,
                            accepts_response_payload: bool = False) -> str:
        """Push one envelope (``events_api``, ``slash_commands``, ``interactive``); return its id."""
        envelope_id = str(uuid.uuid4())
        await self._current_socket().send_json({
            "envelope_id": envelope_id,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
            "payload": payload,
        })
        return envelope_id

    async def send_event(self, event: dict[str, Any], *, event_id: str | None = None,
                         retry_attempt: int = 0) -> str:
        """Push an Events API event over Socket Mode; return the envelope id."""
        return await self.send_envelope(
            "events_api", event_callback(event, team_id=self.team_id, api_app_id=self.app_id, event_id=event_id),
            retry_attempt=retry_attempt,
        )

    async def wait_ack(self, envelope_id: str, timeout: float = 3.0) -> Ack:
        try:
            await self.wait_until(lambda: any(a.envelope_id == envelope_id for a in self.acks), timeout)
        except TimeoutError:
            raise AssertionError(f"envelope {envelope_id} not acked within {timeout}s") from None
        return next(a for a in self.acks if a.envelope_id == envelope_id)

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does every few hours."""
        await self._current_socket().send_json(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}}
        )


def _ok(**fields: Any) -> web.Response:
    return web.json_response({"ok": True, **fields})


def _ok_false(error: str) -> web.Response:
    return web.json_response({"ok": False, "error": error})


def methods(calls: Iterable[ApiCall]) -> list[str]:
    return [c.method for c in calls]
