"""A loopback fake of Discord for end-to-end tests of the real discord.py client.

It serves the REST API under ``http://127.0.0.1:PORT/api/v10`` and the gateway websocket at
``ws://127.0.0.1:PORT/gateway``, which is what ``PEERBOT_DISCORD__API_URL`` and
``PEERBOT_DISCORD__GATEWAY_URL`` point at in tests.

What it imitates (see ../shared/notes/testing-platforms.md):

* gateway: HELLO, heartbeat ACKs, IDENTIFY (token and intents checked) -> READY and one
  GUILD_CREATE per guild of the shard, RESUME (missed events replayed) -> RESUMED, op 7
  RECONNECT and op 9 INVALID_SESSION on demand;
* intents: without MESSAGE_CONTENT message ``content`` is blank (except DMs and mentions of
  the bot), without GUILD_MEMBERS no GUILD_MEMBER_ADD, without GUILD_MESSAGES no guild
  messages; a privileged intent the application is not allowed gets close code 4014;
* REST: the calls a bot makes (users/@me, applications, messages, DMs, threads, command
  sync, interaction callbacks and follow-ups); every call is recorded in ``calls``;
* closed DMs: members in ``dms_closed`` get 403 / 50007 "Cannot send messages to this user"
  when the bot sends them a DM (or, with ``dm_create_fails``, when it opens the DM channel).

Responses always carry ``Content-Type: application/json`` exactly, unknown routes answer 404
(never 5xx, which discord.py would retry with sleeps), and messages the bot posts come back
to it over the gateway as MESSAGE_CREATE, as on real Discord.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT

# permission bits
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
BASIC_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 6) | (1 << 31)  # view, send, history, react, use app cmds
ALL_PERMISSIONS = (1 << 50) - 1

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)


def snowflake() -> int:
    """A fresh, increasing snowflake id."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def _json(data: Any, status: int = 200) -> web.Response:
    # Exactly "application/json": with "; charset=utf-8" discord.py treats the body as text.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"message": message, "code": code}, status=status)


@dataclass
class Call:
    """One REST request the client made."""

    method: str
    path: str  # without the /api/v10 prefix, e.g. "/channels/123/messages"
    query: dict[str, str]
    body: Any
    status: int = 200
    at: float = field(default_factory=time.perf_counter)

    @property
    def content(self) -> str | None:
        return self.body.get("content") if isinstance(self.body, dict) else None


@dataclass
class User:
    id: int
    username: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.username.title(),
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class Channel:
    id: int
    name: str | None
    type: int = 0  # 0 text, 1 DM, 11 public thread, 12 private thread
    guild_id: int | None = None
    parent_id: int | None = None
    owner_id: int | None = None
    recipient: User | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    thread_members: set[int] = field(default_factory=set)

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(self.id), "type": self.type, "flags": 0, "last_message_id": None}
        if self.type == 1:
            assert self.recipient is not None
            data["recipients"] = [self.recipient.payload()]
            return data
        data.update(
            name=self.name,
            guild_id=str(self.guild_id),
            position=0,
            permission_overwrites=[],
            nsfw=False,
            parent_id=str(self.parent_id) if self.parent_id else None,
            rate_limit_per_user=0,
        )
        if self.type in (11, 12):
            data.update(
                owner_id=str(self.owner_id),
                member_count=len(self.thread_members),
                message_count=len(self.messages),
                total_message_sent=len(self.messages),
                thread_metadata={
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": _now_iso(),
                    "locked": False,
                    "invitable": False,
                    "create_timestamp": _now_iso(),
                },
            )
        else:
            data["topic"] = None
        return data


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, tuple[User, list[int], str]] = field(default_factory=dict)  # user, role ids, joined_at

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def channel(self, name: str) -> Channel:
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(name)

    def role(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(name)

    def permissions(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        _, role_ids, _ = self.members[user_id]
        value = self.everyone.permissions
        for rid in role_ids:
            value |= self.roles[rid].permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def member_payload(self, user_id: int, *, with_user: bool = True) -> dict[str, Any]:
        user, role_ids, joined = self.members[user_id]
        data: dict[str, Any] = {
            "roles": [str(r) for r in role_ids],
            "joined_at": joined,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
        }
        if with_user:
            data["user"] = user.payload()
        return data

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "roles": [r.payload() for r in self.roles.values()],
            "channels": [c.payload() for c in self.channels.values() if c.type not in (11, 12)],
            "threads": [c.payload() for c in self.channels.values() if c.type in (11, 12)],
            "members": [self.member_payload(uid) for uid in self.members],
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "application_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "splash": None,
            "discovery_splash": None,
            "max_members": 500000,
            "joined_at": _now_iso(),
            "lazy": True,
        }


class Session:
    """One gateway session (survives a disconnect so that RESUME can replay)."""

    def __init__(self, session_id: str, intents: int, shard: tuple[int, int]) -> None:
        self.id = session_id
        self.intents = intents
        self.shard = shard
        self.seq = 0
        self.buffer: list[dict[str, Any]] = []  # every dispatched frame, for replay
        self.ws: web.WebSocketResponse | None = None
        self.identified = asyncio.Event()

    def wants_guild(self, guild_id: int) -> bool:
        shard_id, count = self.shard
        return (guild_id >> 22) % count == shard_id


class FakeDiscord:
    """A fake Discord on 127.0.0.1. Use as ``async with FakeDiscord() as fake:``.

    A default community is created: guild "Peer Circle" with channels #welcome, #general,
    #moderators, a "Moderator" role, an owner, a moderator and two members.
    """

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        allowed_privileged: int = GUILD_MEMBERS | MESSAGE_CONTENT,
        heartbeat_interval_ms: int = 41250,
    ) -> None:
        self.token = token
        self.allowed_privileged = allowed_privileged
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.application_id = snowflake()
        self.bot = User(self.application_id, "peerbot", bot=True)
        self.users: dict[int, User] = {self.bot.id: self.bot}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.calls: list[Call] = []
        self.sessions: dict[str, Session] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.close_codes: list[int] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}  # guild id (None = global) -> commands
        self.interactions: dict[int, dict[str, Any]] = {}  # interaction id -> {"payload", "responses"}
        self.dms_closed: set[int] = set()
        self.dm_create_fails = False
        # Faults injected by tests: (method, path pattern) -> what the next matching calls get.
        self._faults: list[tuple[str, str, tuple[Any, ...]]] = []
        self.shard_count = 1
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._build_default_community()

    # ------------------------------------------------------------------ set-up
    def _build_default_community(self) -> None:
        gid = snowflake()
        self.owner = self.add_user("olive")
        guild = Guild(gid, "Peer Circle", owner_id=self.owner.id)
        guild.roles[gid] = Role(gid, "@everyone", permissions=BASIC_PERMISSIONS)
        self.guilds[gid] = guild
        self.guild = guild
        self.moderator_role = self.add_role(guild, "Moderator", permissions=BASIC_PERMISSIONS, position=1)
        for name in ("welcome", "general", "moderators"):
            self.add_channel(guild, name)
        self.add_member(guild, self.bot)
        self.add_member(guild, self.owner)
        self.moderator = self.add_user("maya")
        self.add_member(guild, self.moderator, roles=[self.moderator_role.id])
        self.alice = self.add_user("alice")
        self.add_member(guild, self.alice)
        self.bob = self.add_user("bob")
        self.add_member(guild, self.bob)
        self.other_bot = self.add_user("otherbot", bot=True)
        self.add_member(guild, self.other_bot)

    def add_user(self, name: str, *, bot: bool = False) -> User:
        user = User(snowflake(), name, bot=bot)
        self.users[user.id] = user
        return user

    def add_role(self, guild: Guild, name: str, *, permissions: int = 0, position: int = 1) -> Role:
        role = Role(snowflake(), name, permissions=permissions, position=position)
        guild.roles[role.id] = role
        return role

    def add_channel(self, guild: Guild, name: str, *, type: int = 0, parent_id: int | None = None) -> Channel:
        channel = Channel(snowflake(), name, type=type, guild_id=guild.id, parent_id=parent_id)
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_member(self, guild: Guild, user: User, *, roles: list[int] | None = None) -> None:
        guild.members[user.id] = (user, list(roles or []), _now_iso())

    def channel(self, name: str) -> Channel:
        return self.guild.channel(name)

    # ---------------------------------------------------------------- lifecycle
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.base + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        for session in self.sessions.values():
            if session.ws is not None and not session.ws.closed:
                await session.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 3.0) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked on every request/frame)."""

        async def waiter() -> Any:
            async with self._changed:
                while True:
                    result = predicate()
                    if result:
                        return result
                    await self._changed.wait()

        return await asyncio.wait_for(waiter(), timeout)

    async def wait_for_call(
        self, method: str, pattern: str, *, after: int = 0, timeout: float = 3.0, count: int = 1
    ) -> Call:
        """Wait for the ``count``-th call (from index ``after``) whose path matches ``pattern``."""
        rx = re.compile(pattern)

        def found() -> Call | None:
            hits = [c for c in self.calls[after:] if c.method == method and rx.fullmatch(c.path)]
            return hits[count - 1] if len(hits) >= count else None

        return await self.wait_until(found, timeout)

    def find_calls(self, method: str, pattern: str, *, after: int = 0) -> list[Call]:
        rx = re.compile(pattern)
        return [c for c in self.calls[after:] if c.method == method and rx.fullmatch(c.path)]

    async def wait_ready(self, timeout: float = 3.0) -> Session:
        """Wait until some client has identified (or resumed) and holds an open socket."""
        return await self.wait_until(
            lambda: next((s for s in self.sessions.values() if s.ws is not None and not s.ws.closed
                          and s.identified.is_set()), None),
            timeout,
        )

    # ------------------------------------------------------------------- gateway
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None})
        session: Session | None = None
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op, data = frame.get("op"), frame.get("d")
                if op == 1:
                    await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
                elif op == 2:
                    session = await self._identify(ws, data)
                    if session is None:
                        break
                elif op == 6:
                    session = await self._resume(ws, data)
                    if session is None:
                        break
                elif op in (3, 4, 8):
                    pass  # presence, voice, member chunks: not needed
                await self._notify()
        finally:
            if session is not None and session.ws is ws:
                session.ws = None
            self.close_codes.append(ws.close_code or 0)
            await self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        self.identifies.append({k: v for k, v in data.items() if k != "token"})
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        intents = int(data.get("intents", 0))
        if intents & PRIVILEGED & ~self.allowed_privileged:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard = tuple(data.get("shard") or (0, 1))
        if shard[1] != self.shard_count or not 0 <= shard[0] < shard[1]:
            await ws.close(code=4010, message=b"Invalid shard.")
            return None
        session = Session(f"fake-session-{snowflake()}", intents, (int(shard[0]), int(shard[1])))
        session.ws = ws
        self.sessions[session.id] = session
        guilds = [g for g in self.guilds.values() if session.wants_guild(g.id)]
        await self._send(session, "READY", {
            "v": 10,
            "user": self.bot.payload() | {"verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "resume_gateway_url": self.gateway_url,
            "shard": list(session.shard),
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "presences": [],
        })
        if intents & GUILDS:
            for guild in guilds:
                await self._send(session, "GUILD_CREATE", guild.payload())
        session.identified.set()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        self.resumes.append({k: v for k, v in data.items() if k != "token"})
        session = self.sessions.get(data.get("session_id", ""))
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        if session is None:
            await ws.send_json({"op": 9, "d": False, "s": None, "t": None})
            return None
        session.ws = ws
        last = int(data.get("seq") or 0)
        for frame in session.buffer:
            if frame["s"] > last:
                await ws.send_json(frame)
        session.seq += 1
        await ws.send_json({"op": 0, "t": "RESUMED", "s": session.seq, "d": {}})
        session.identified.set()
        return session

    async def _send(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.buffer.append(frame)
        if session.ws is not None and not session.ws.closed:
            try:
                await session.ws.send_json(frame)
            except ConnectionError:
                pass  # the client is gone; RESUME will replay from the buffer

    def _live_sessions(self) -> list[Session]:
        # the newest session per shard (older ones were superseded by a re-identify)
        latest: dict[tuple[int, int], Session] = {}
        for session in self.sessions.values():
            latest[session.shard] = session
        return list(latest.values())

    async def dispatch(self, event: str, data: dict[str, Any], *, guild_id: int | None = None,
                       intent: int = 0, transform: Callable[[Session, dict[str, Any]], dict[str, Any] | None]
                       | None = None) -> float:
        """Send an event to every session that should get it. Returns the send time."""
        sent = time.perf_counter()
        for session in self._live_sessions():
            if guild_id is not None and not session.wants_guild(guild_id):
                continue
            if intent and not session.intents & intent:
                continue
            payload = transform(session, data) if transform else data
            if payload is not None:
                await self._send(session, event, payload)
        await self._notify()
        return sent

    async def force_reconnect(self, how: str = "op7") -> None:
        """Make connected clients reconnect: "op7" (RECONNECT), "drop" (close 4000, resumable),
        or "invalidate" (op 9, not resumable: the client re-identifies)."""
        for session in self._live_sessions():
            ws = session.ws
            if ws is None or ws.closed:
                continue
            session.identified.clear()
            if how == "op7":
                await ws.send_json({"op": 7, "d": None, "s": None, "t": None})
            elif how == "drop":
                session.ws = None
                await ws.close(code=4000, message=b"Unknown error")
            elif how == "invalidate":
                await ws.send_json({"op": 9, "d": False, "s": None, "t": None})
            else:
                raise ValueError(how)

    # ----------------------------------------------------------- what users do
    def _message(self, channel: Channel, author: User, content: str, *, components: list[Any] | None = None,
                 embeds: list[Any] | None = None, mentions: list[int] | None = None,
                 webhook_id: int | None = None, flags: int = 0) -> dict[str, Any]:
        mention_ids = set(mentions or [])
        mention_ids.update(int(m) for m in re.findall(r"<@!?(\d+)>", content))
        data: dict[str, Any] = {
            "id": str(snowflake()),
            "type": 0,
            "channel_id": str(channel.id),
            "author": author.payload(),
            "content": content,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [self.users[m].payload() for m in mention_ids if m in self.users],
            "mention_roles": [],
            "attachments": [],
            "embeds": embeds or [],
            "components": components or [],
            "pinned": False,
            "flags": flags,
        }
        if webhook_id is not None:
            data["webhook_id"] = str(webhook_id)
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
            guild = self.guilds[channel.guild_id]
            if author.id in guild.members and webhook_id is None:
                data["member"] = guild.member_payload(author.id, with_user=False)
        channel.messages.append(data)
        return data

    def _content_filter(self, session: Session, data: dict[str, Any]) -> dict[str, Any]:
        """Real Discord blanks content for bots without MESSAGE_CONTENT (except DMs, mentions
        of the bot, and the bot's own messages)."""
        if session.intents & MESSAGE_CONTENT or "guild_id" not in data:
            return data
        if data["author"]["id"] == str(self.bot.id):
            return data
        if any(m["id"] == str(self.bot.id) for m in data.get("mentions", [])):
            return data
        return data | {"content": "", "embeds": [], "attachments": [], "components": []}

    async def _dispatch_message(self, event: str, channel: Channel, data: dict[str, Any]) -> float:
        if channel.guild_id is None:
            intent = DIRECT_MESSAGES
        else:
            intent = GUILD_MESSAGES
        return await self.dispatch(event, data, guild_id=channel.guild_id, intent=intent,
                                   transform=self._content_filter)

    async def post(self, channel: Channel | str, author: User, content: str, **kw: Any) -> dict[str, Any]:
        """A user posts a message; MESSAGE_CREATE goes to the bot. Returns the message."""
        if isinstance(channel, str):
            channel = self.channel(channel)
        data = self._message(channel, author, content, **kw)
        data["_sent_at"] = await self._dispatch_message("MESSAGE_CREATE", channel, dict(data))
        return data

    async def edit(self, message: dict[str, Any], content: str) -> None:
        channel = self.channels[int(message["channel_id"])]
        message["content"] = content
        message["edited_timestamp"] = _now_iso()
        payload = {k: v for k, v in message.items() if not k.startswith("_")}
        await self._dispatch_message("MESSAGE_UPDATE", channel, payload)

    async def delete(self, message: dict[str, Any]) -> None:
        """The message is deleted (by its author or a moderator): MESSAGE_DELETE, ids only."""
        channel = self.channels[int(message["channel_id"])]
        channel.messages = [m for m in channel.messages if m["id"] != message["id"]]
        payload: dict[str, Any] = {"id": message["id"], "channel_id": message["channel_id"]}
        if channel.guild_id is not None:
            payload["guild_id"] = str(channel.guild_id)
        await self.dispatch("MESSAGE_DELETE", payload, guild_id=channel.guild_id,
                            intent=GUILD_MESSAGES if channel.guild_id is not None else DIRECT_MESSAGES)

    async def dm_bot(self, user: User, content: str) -> dict[str, Any]:
        """A user writes to the bot in a DM."""
        channel = self._dm_channel(user)
        data = self._message(channel, user, content)
        await self._dispatch_message("MESSAGE_CREATE", channel, dict(data))
        return data

    async def join(self, user: User, guild: Guild | None = None) -> float:
        guild = guild or self.guild
        self.add_member(guild, user)
        data = guild.member_payload(user.id) | {"guild_id": str(guild.id)}
        return await self.dispatch("GUILD_MEMBER_ADD", data, guild_id=guild.id, intent=GUILD_MEMBERS)

    def _interaction_base(self, kind: int, user: User, channel: Channel) -> dict[str, Any]:
        iid = snowflake()
        data: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": kind,
            "token": f"itoken-{iid}",
            "version": 1,
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(channel.guild_id or user.id)},
            "attachment_size_limit": 10485760,
        }
        if channel.guild_id is not None:
            guild = self.guilds[channel.guild_id]
            perms = guild.permissions(user.id)
            data["guild_id"] = str(guild.id)
            data["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
            data["guild_locale"] = "en-US"
            data["member"] = guild.member_payload(user.id) | {"permissions": str(perms)}
            data["app_permissions"] = str(guild.permissions(self.bot.id))
            data["context"] = 0
        else:
            data["user"] = user.payload()
            data["app_permissions"] = str(BASIC_PERMISSIONS)
            data["context"] = 1
        return data

    async def slash(self, user: User, name: str, options: list[dict[str, Any]] | None = None,
                    channel: Channel | str = "general") -> dict[str, Any]:
        """A user runs ``/name`` (options in Discord's nested form). Returns the interaction."""
        if isinstance(channel, str):
            channel = self.channel(channel)
        command = next((c for c in self.commands.get(None, []) + self.commands.get(channel.guild_id, [])
                        if c["name"] == name), None)
        data = self._interaction_base(2, user, channel)
        data["data"] = {
            "id": command["id"] if command else str(snowflake()),
            "name": name,
            "type": 1,
            "options": options or [],
        }
        if channel.guild_id is not None:
            data["data"]["guild_id"] = str(channel.guild_id) if command and command.get("guild_id") else None
            if data["data"]["guild_id"] is None:
                del data["data"]["guild_id"]
        resolved = self._resolved(options or [], channel.guild_id)
        if resolved:
            data["data"]["resolved"] = resolved
        self.interactions[int(data["id"])] = {"payload": data, "responses": [], "followups": []}
        await self.dispatch("INTERACTION_CREATE", data, guild_id=channel.guild_id)
        return data

    def _resolved(self, options: list[dict[str, Any]], guild_id: int | None) -> dict[str, Any]:
        """Real Discord sends the objects behind channel, user and role options in ``resolved``."""
        out: dict[str, dict[str, Any]] = {}
        for option in options:
            if option.get("options"):
                for kind, objects in self._resolved(option["options"], guild_id).items():
                    out.setdefault(kind, {}).update(objects)
            value = option.get("value")
            if option.get("type") == 7 and int(value) in self.channels:
                channel = self.channels[int(value)]
                out.setdefault("channels", {})[str(value)] = channel.payload() | {"permissions": str(ALL_PERMISSIONS)}
            elif option.get("type") == 6 and int(value) in self.users:
                out.setdefault("users", {})[str(value)] = self.users[int(value)].payload()
                if guild_id is not None and int(value) in self.guilds[guild_id].members:
                    member = self.guilds[guild_id].member_payload(int(value), with_user=False)
                    out.setdefault("members", {})[str(value)] = member
            elif option.get("type") == 8 and guild_id is not None:
                role = self.guilds[guild_id].roles.get(int(value))
                if role is not None:
                    out.setdefault("roles", {})[str(value)] = role.payload()
        return out

    async def click(self, user: User, message: dict[str, Any], custom_id: str) -> dict[str, Any]:
        """A user clicks the button ``custom_id`` on a message (in a DM or a guild channel)."""
        channel = self.channels[int(message["channel_id"])]
        data = self._interaction_base(3, user, channel)
        data["message"] = {k: v for k, v in message.items() if not k.startswith("_")}
        data["data"] = {"custom_id": custom_id, "component_type": 2}
        self.interactions[int(data["id"])] = {"payload": data, "responses": [], "followups": []}
        await self.dispatch("INTERACTION_CREATE", data, guild_id=channel.guild_id)
        return data

    def responses(self, interaction: dict[str, Any]) -> list[dict[str, Any]]:
        return self.interactions[int(interaction["id"])]["responses"]

    async def wait_for_response(self, interaction: dict[str, Any], timeout: float = 3.0) -> dict[str, Any]:
        record = self.interactions[int(interaction["id"])]
        return await self.wait_until(lambda: (record["responses"] or [None])[0], timeout)

    def _dm_channel(self, user: User) -> Channel:
        for channel in self.channels.values():
            if channel.type == 1 and channel.recipient is not None and channel.recipient.id == user.id:
                return channel
        channel = Channel(snowflake(), None, type=1, recipient=user)
        self.channels[channel.id] = channel
        return channel

    def dm_messages(self, user: User) -> list[dict[str, Any]]:
        """Messages the bot managed to deliver to ``user`` by DM."""
        for channel in self.channels.values():
            if channel.type == 1 and channel.recipient is not None and channel.recipient.id == user.id:
                return [m for m in channel.messages if m["author"]["id"] == str(self.bot.id)]
        return []

    def bot_messages(self, channel: Channel | str) -> list[dict[str, Any]]:
        if isinstance(channel, str):
            channel = self.channel(channel)
        return [m for m in channel.messages if m["author"]["id"] == str(self.bot.id)]

    # ---------------------------------------------------------------------- REST
    async def _unknown(self, request: web.Request) -> web.Response:
        self.calls.append(Call(request.method, request.path, dict(request.query), None, 404))
        await self._notify()
        return _error(404, 0, "404: Not Found")

    def fail_next(self, method: str, path: str, *, status: int, code: int = 0, times: int = 1) -> None:
        """The next ``times`` calls matching ``method`` and the ``path`` regex get ``status``
        (a 429 comes with Discord's rate-limit headers and a ``Via`` header, as from Discord
        itself rather than Cloudflare; a 5xx is retried by discord.py after a sleep)."""
        headers = {"Via": "1.1 google", "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                   "X-RateLimit-Reset-After": "0.01", "Retry-After": "0.01", "X-RateLimit-Scope": "user"} \
            if status == 429 else {}
        self._faults += [(method, path, ("fail", status, code, headers))] * times

    def delay_next(self, method: str, path: str, seconds: float, *, times: int = 1) -> None:
        """The next ``times`` matching calls are answered only after ``seconds``."""
        self._faults += [(method, path, ("delay", seconds))] * times

    def _injected(self, method: str, path: str) -> tuple[Any, ...] | None:
        for i, (m, pattern, fault) in enumerate(self._faults):
            if m == method and re.fullmatch(pattern, path):
                del self._faults[i]
                return fault
        return None

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body and request.content_type.startswith("multipart/"):
            body = await self._multipart(request)
        elif request.can_read_body:
            raw = await request.read()
            if raw and request.content_type == "application/json":
                body = json.loads(raw)
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        injected = self._injected(request.method, path)
        if injected is not None and injected[0] == "delay":
            await self._notify()  # the call was seen: a test may act while it hangs
            await asyncio.sleep(injected[1])
            injected = None
        try:
            if injected is not None:  # ("fail", status, code, headers)
                response = _json({"message": "injected failure", "code": injected[2],
                                  **({"retry_after": 0.01, "global": False} if injected[1] == 429 else {})},
                                 status=injected[1])
                response.headers.update(injected[3])
            else:
                response = await self._route(request, path, body)
        except Exception as exc:  # a bug in the fake: answer 400, never 5xx
            response = _error(400, 50035, f"fake could not handle the request: {exc!r}")
        call.status = response.status
        await self._notify()
        return response

    @staticmethod
    async def _multipart(request: web.Request) -> dict[str, Any]:
        """discord.py sends files as multipart: ``payload_json`` plus ``files[n]`` parts. The
        body becomes the JSON payload with the files under ``_files`` (filename, bytes)."""
        body: dict[str, Any] = {"_multipart": True}
        files: list[dict[str, Any]] = []
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":
                body.update(json.loads(await part.text()))
            elif part.name and part.name.startswith("files["):
                files.append({"filename": part.filename, "data": bytes(await part.read()),
                              "content_type": part.headers.get("Content-Type", "")})
        body["_files"] = files
        return body

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.token}"

    async def _route(self, request: web.Request, path: str, body: Any) -> web.Response:
        m = request.method
        # Interaction callbacks and webhook follow-ups are authorised by their token, not the bot's.
        if match := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            return self._interaction_callback(int(match[1]), match[2], body)
        if match := re.fullmatch(r"/webhooks/(\d+)/([^/]+)(/messages/(@original|\d+))?", path):
            return self._webhook(m, match[2], match[4], body)
        if not self._authorized(request):
            return _error(401, 0, "401: Unauthorized")

        if m == "GET" and path == "/users/@me":
            return _json(self.bot.payload() | {"verified": True, "mfa_enabled": False, "flags": 0})
        if m == "GET" and path == "/oauth2/applications/@me":
            return _json({
                "id": str(self.application_id), "name": "peerbot", "icon": None, "description": "",
                "rpc_origins": [], "bot_public": False, "bot_require_code_grant": False,
                "owner": self.owner.payload(), "summary": "", "verify_key": "00" * 32,
                "team": None, "flags": GUILD_MEMBERS_FLAG_LIMITED | MESSAGE_CONTENT_FLAG_LIMITED,
                "bot": self.bot.payload(),
            })
        if m == "GET" and path == "/gateway/bot":
            return _json({"url": self.gateway_url, "shards": self.shard_count,
                          "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0,
                                                  "max_concurrency": 1}})
        if m == "GET" and path == "/gateway":
            return _json({"url": self.gateway_url})

        if match := re.fullmatch(r"/applications/(\d+)(/guilds/(\d+))?/commands", path):
            guild_id = int(match[3]) if match[3] else None
            if m == "PUT":
                stored = []
                for cmd in body or []:
                    stored.append(cmd | {"id": str(snowflake()), "application_id": str(self.application_id),
                                         "version": str(snowflake()), "guild_id": str(guild_id) if guild_id else None,
                                         "default_member_permissions": None if cmd.get("default_member_permissions") is None
                                         else str(cmd["default_member_permissions"])})
                self.commands[guild_id] = stored
                return _json(stored)
            if m == "GET":
                return _json(self.commands.get(guild_id, []))

        if (match := re.fullmatch(r"/users/(\d+)", path)) and m == "GET":
            user = self.users.get(int(match[1]))
            return _json(user.payload()) if user else _error(404, 10013, "Unknown User")

        if m == "POST" and path == "/users/@me/channels":
            user = self.users.get(int((body or {}).get("recipient_id", 0)))
            if user is None:
                return _error(400, 50035, "Invalid Form Body")
            if self.dm_create_fails and user.id in self.dms_closed:
                return _error(403, 50007, "Cannot send messages to this user")
            return _json(self._dm_channel(user).payload())

        if match := re.fullmatch(r"/channels/(\d+)/messages", path):
            channel = self.channels.get(int(match[1]))
            if channel is None:
                return _error(404, 10003, "Unknown Channel")
            if m == "POST":
                if channel.type == 1 and channel.recipient is not None and channel.recipient.id in self.dms_closed:
                    return _error(403, 50007, "Cannot send messages to this user")
                body = body or {}
                data = self._message(channel, self.bot, body.get("content") or "",
                                     components=body.get("components"), embeds=body.get("embeds"),
                                     flags=body.get("flags") or 0)
                data["attachments"] = [self._attachment(f) for f in body.get("_files", [])]
                if body.get("message_reference"):
                    data["message_reference"] = body["message_reference"]
                await self._dispatch_message("MESSAGE_CREATE", channel, dict(data))
                return _json(data)
            if m == "GET":
                return _json(list(reversed(channel.messages)))

        if match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path):
            parent = self.channels.get(int(match[1]))
            if parent is None or m != "POST":
                return _error(404, 10003, "Unknown Channel")
            thread = self._thread(parent, (body or {}).get("name", "thread"), 11)
            del self.channels[thread.id], self.guilds[parent.guild_id].channels[thread.id]  # type: ignore[index]
            thread.id = int(match[2])  # a thread started from a message has the message's id
            self.channels[thread.id] = thread
            self.guilds[parent.guild_id].channels[thread.id] = thread  # type: ignore[index]
            await self._thread_created(thread)
            return _json(thread.payload())

        if match := re.fullmatch(r"/channels/(\d+)/threads", path):
            parent = self.channels.get(int(match[1]))
            if parent is None or m != "POST":
                return _error(404, 10003, "Unknown Channel")
            thread = self._thread(parent, (body or {}).get("name", "thread"), int((body or {}).get("type", 12)))
            await self._thread_created(thread)
            return _json(thread.payload())

        if match := re.fullmatch(r"/channels/(\d+)/thread-members/(\d+|@me)", path):
            thread = self.channels.get(int(match[1]))
            if thread is None:
                return _error(404, 10003, "Unknown Channel")
            if m == "PUT":
                thread.thread_members.add(self.bot.id if match[2] == "@me" else int(match[2]))
                return web.Response(status=204)

        if match := re.fullmatch(r"/channels/(\d+)", path):
            channel = self.channels.get(int(match[1]))
            if channel is None:
                return _error(404, 10003, "Unknown Channel")
            if m == "GET":
                return _json(channel.payload())

        if match := re.fullmatch(r"/guilds/(\d+)/members/(\d+)", path):
            guild = self.guilds.get(int(match[1]))
            if guild is None or int(match[2]) not in guild.members:
                return _error(404, 10007, "Unknown Member")
            if m == "GET":
                return _json(guild.member_payload(int(match[2])))

        if match := re.fullmatch(r"/guilds/(\d+)", path):
            guild = self.guilds.get(int(match[1]))
            if guild is None:
                return _error(404, 10004, "Unknown Guild")
            if m == "GET":
                return _json(guild.payload())

        return _error(404, 0, "404: Not Found")

    def _thread(self, parent: Channel, name: str, kind: int) -> Channel:
        thread = Channel(snowflake(), name, type=kind, guild_id=parent.guild_id, parent_id=parent.id,
                         owner_id=self.bot.id)
        thread.thread_members.add(self.bot.id)
        self.channels[thread.id] = thread
        self.guilds[parent.guild_id].channels[thread.id] = thread  # type: ignore[index]
        return thread

    async def _thread_created(self, thread: Channel) -> None:
        """Real Discord tells the bot about a new thread (THREAD_CREATE), so messages in it
        arrive in a channel the client knows."""
        await self.dispatch("THREAD_CREATE", thread.payload() | {"newly_created": True}, guild_id=thread.guild_id,
                            intent=GUILDS)

    def _attachment(self, file: dict[str, Any]) -> dict[str, Any]:
        attachment_id = snowflake()
        url = f"{self.base}/attachments/{attachment_id}/{file['filename']}"
        return {"id": str(attachment_id), "filename": file["filename"], "size": len(file["data"]), "url": url,
                "proxy_url": url, "content_type": file.get("content_type") or None}

    def _interaction_callback(self, iid: int, token: str, body: Any) -> web.Response:
        record = self.interactions.get(iid)
        if record is None or record["payload"]["token"] != token:
            return _error(404, 10062, "Unknown interaction")
        if record["responses"]:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        body = body or {}
        record["responses"].append(body)
        kind = body.get("type")
        payload = record["payload"]
        channel = self.channels[int(payload["channel_id"])]
        inner = body.get("data") or {}
        message = None
        if kind == 4:  # channel message with source
            message = self._message(channel, self.bot, inner.get("content") or "",
                                    components=inner.get("components"), embeds=inner.get("embeds"),
                                    flags=inner.get("flags") or 0)
            message["interaction_metadata"] = {"id": str(iid), "type": payload["type"],
                                               "user": (payload.get("member") or {}).get("user")
                                               or payload.get("user")}
        elif kind == 7 and "message" in payload:  # update the clicked message
            message = payload["message"] | {k: v for k, v in inner.items() if k in ("content", "components", "embeds")}
        flags = inner.get("flags") or 0
        result: dict[str, Any] = {"interaction": {
            "id": str(iid), "type": payload["type"],
            "response_message_id": message["id"] if message else None,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(flags & 64),
        }}
        if message is not None:
            result["resource"] = {"type": kind, "message": message}
        else:
            result["resource"] = {"type": kind}
        return _json(result)

    def _webhook(self, method: str, token: str, message_ref: str | None, body: Any) -> web.Response:
        record = next((r for r in self.interactions.values() if r["payload"]["token"] == token), None)
        if record is None:
            return _error(404, 10015, "Unknown Webhook")
        record["followups"].append({"method": method, "ref": message_ref, "body": body})
        channel = self.channels[int(record["payload"]["channel_id"])]
        body = body or {}
        message = self._message(channel, self.bot, body.get("content") or "",
                                components=body.get("components"), embeds=body.get("embeds"),
                                flags=body.get("flags") or 0)
        return _json(message)


GUILD_MEMBERS_FLAG_LIMITED = 1 << 15  # "server members intent" switch on, application under 100 guilds
MESSAGE_CONTENT_FLAG_LIMITED = 1 << 19  # "message content intent" switch on
