"""End to end: the real discord.py client, the peerbot Discord adapter and the real engine and
store, against the loopback fake Discord in tests/fakes/discord_server.py.

Every test fails on an ERROR record of the ``discord`` or ``peerbot`` loggers (discord.py
only logs exceptions raised in event handlers).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import discord
import pytest

from timing import STARTUP_SECONDS
from fakes.discord_server import MESSAGE_CONTENT, FakeDiscord, Session
from peerbot.adapters.discord import DiscordAdapter, DiscordStartupError, invite_url
from peerbot.engine import Engine
from peerbot.events import Event, MessagePosted
from peerbot.settings import Settings
from peerbot.store import open_store

CRITICISM = "you're useless, you always ruin every thread"
STRUGGLE = "I had an awful week and I feel worthless"
CRISIS = "I want to end my life tonight"
ROOT = Path(__file__).resolve().parents[1]


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_logged_errors():
    handler = _Errors()
    loggers = [logging.getLogger(name) for name in ("discord", "peerbot")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)
    assert not handler.records, [f"{r.name}: {r.getMessage()}" for r in handler.records]


@pytest.fixture(autouse=True)
def _restore_endpoints():
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


class Bot:
    """A running adapter, plus what it handled (via its observer)."""

    def __init__(self, adapter: DiscordAdapter, engine: Engine) -> None:
        self.adapter, self.engine = adapter, engine
        self.handled: list[tuple[Event, list[Any], float]] = []
        self._changed = asyncio.Condition()

    def observe(self, event: Event, actions: list[Any], seconds: float) -> None:
        self.handled.append((event, actions, seconds))

        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        asyncio.get_running_loop().create_task(notify())

    async def wait_handled(self, predicate: Callable[[Event], bool], timeout: float = 3.0) -> tuple[Event, list[Any]]:
        async def waiter() -> tuple[Event, list[Any]]:
            async with self._changed:
                while True:
                    for event, actions, _ in self.handled:
                        if predicate(event):
                            return event, actions
                    await self._changed.wait()

        return await asyncio.wait_for(waiter(), timeout)

    async def message_handled(self, message: dict[str, Any]) -> tuple[Event, list[Any]]:
        return await self.wait_handled(lambda e: isinstance(e, MessagePosted) and e.message_id == message["id"])


def make_settings(fake: FakeDiscord, db: Path, **discord_extra: Any) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{db}",
        discord={"token": fake.token, "api_url": fake.api_url, "gateway_url": fake.gateway_url, **discord_extra},
    )


@contextlib.asynccontextmanager
async def running(fake: FakeDiscord, db: Path, **adapter_options: Any) -> AsyncIterator[Bot]:
    settings = make_settings(fake, db)
    store = await open_store(settings.database_url)
    engine = Engine(store, settings)
    options = dict(guild_ready_timeout=0.05, tick_interval=0, retry_delay=0.01)
    options.update(adapter_options)
    bot: Bot | None = None
    adapter = DiscordAdapter.from_settings(engine, settings, observer=lambda *a: bot.observe(*a), **options)
    bot = Bot(adapter, engine)
    await adapter.login()
    task = asyncio.create_task(adapter.connect())
    try:
        await asyncio.wait_for(adapter.client.wait_until_ready(), 3)
        yield bot
    finally:
        await adapter.close()
        await asyncio.wait_for(task, 3)
        await store.close()


def dm_calls(fake: FakeDiscord, user_id: int, after: int = 0) -> list[Any]:
    """DM channel opens for one user, from call index ``after``."""
    return [c for c in fake.calls[after:]
            if c.method == "POST" and c.path == "/users/@me/channels" and c.body.get("recipient_id") in (user_id, str(user_id))]


def run(coro_fn: Callable[[], Any]) -> None:
    asyncio.run(coro_fn())


# ------------------------------------------------------------------------------ tests
def test_welcome_on_join(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                newbie = fake.add_user("newbie")
                await fake.join(newbie)
                call = await fake.wait_for_call("POST", rf"/channels/{fake.channel('welcome').id}/messages")
                assert f"<@{newbie.id}>" in call.body["content"]
                assert [str(u) for u in call.body["allowed_mentions"]["users"]] == [str(newbie.id)]
                # and privately, by DM
                await fake.wait_until(lambda: fake.dm_messages(newbie))
                assert "welcome" in fake.dm_messages(newbie)[0]["content"].lower()
                assert bot.adapter.deliveries[-1].via == "dm"

    run(scenario)


def test_criticism_gets_a_private_nudge_with_buttons_and_struggle_gets_nothing(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                mark = len(fake.calls)
                struggle = await fake.post("general", fake.bob, STRUGGLE)
                event, actions = await bot.message_handled(struggle)
                assert event.text == STRUGGLE  # message content reached the engine
                assert actions == []
                assert [c for c in fake.calls[mark:] if c.method != "GET"] == []
                assert fake.dm_messages(fake.bob) == []

                criticism = await fake.post("general", fake.alice, f"<@{fake.bob.id}> {CRITICISM}")
                event, actions = await bot.message_handled(criticism)
                assert [type(a).__name__ for a in actions] == ["PrivateNudge"]
                await fake.wait_until(lambda: fake.dm_messages(fake.alice))
                dm = fake.dm_messages(fake.alice)[0]
                assert "private note" in dm["content"]
                assert CRITICISM not in dm["content"]
                buttons = [b for row in dm["components"] for b in row["components"]]
                assert {b["label"] for b in buttons} >= {"Thanks", "This wasn't fair"}
                assert all(b["custom_id"].startswith("peerbot:fb:") for b in buttons)
                # nothing public, nothing to bob
                assert fake.bot_messages("general") == [] and fake.dm_messages(fake.bob) == []

    run(scenario)


def test_crisis_gets_resources_by_dm_and_a_moderator_alert_with_a_link_not_the_text(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                message = await fake.post("general", fake.bob, CRISIS)
                await bot.message_handled(message)
                await fake.wait_until(lambda: fake.dm_messages(fake.bob) and fake.bot_messages("moderators"))
                assert "988" in fake.dm_messages(fake.bob)[0]["content"]
                alert = fake.bot_messages("moderators")[0]["content"]
                link = f"https://discord.com/channels/{fake.guild.id}/{fake.channel('general').id}/{message['id']}"
                assert link in alert
                assert CRISIS not in alert and "end my life" not in alert
                post = fake.find_calls("POST", rf"/channels/{fake.channel('moderators').id}/messages")[0]
                assert post.body["allowed_mentions"] == {"parse": []}  # the member is named, not pinged

    run(scenario)


def test_dms_closed_fall_back_to_a_private_thread_or_skip(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            fake.dms_closed.add(fake.alice.id)
            async with running(fake, tmp_path / "db.sqlite") as bot:
                message = await fake.post("general", fake.alice, CRITICISM)
                await bot.message_handled(message)
                await fake.wait_for_call("POST", r"/channels/\d+/messages", count=1)
                await fake.wait_until(lambda: bot.adapter.deliveries)
                assert [(d.kind, d.via) for d in bot.adapter.deliveries] == [("nudge", "thread")]
                thread_call = fake.find_calls("POST", rf"/channels/{fake.channel('general').id}/threads")[0]
                assert thread_call.body["type"] == 12 and thread_call.body["invitable"] is False
                thread = next(c for c in fake.channels.values() if c.type == 12)
                assert fake.alice.id in thread.thread_members
                sent = [m for m in thread.messages if m["author"]["id"] == str(fake.bot.id)]
                assert len(sent) == 1 and sent[0]["components"]  # the nudge, with its buttons
                assert fake.dm_messages(fake.alice) == []

            async with running(fake, tmp_path / "db2.sqlite", dm_fallback="skip") as bot:
                threads_before = len(fake.find_calls("POST", r"/channels/\d+/threads"))
                message = await fake.post("general", fake.alice, CRITICISM + " again")
                await bot.message_handled(message)
                await fake.wait_until(lambda: bot.adapter.deliveries)
                assert [(d.kind, d.via) for d in bot.adapter.deliveries] == [("nudge", "skipped")]
                assert len(fake.find_calls("POST", r"/channels/\d+/threads")) == threads_before

    run(scenario)


def test_moderator_changes_threshold_and_a_member_is_refused(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite", sync_on_start=True) as bot:
                names = {c["name"] for c in fake.commands[None]}
                assert names == {"peerbot"}
                peerbot = fake.commands[None][0]
                assert peerbot["default_member_permissions"] == str(1 << 5)  # Manage Server
                assert {o["name"] for o in peerbot["options"]} >= {"threshold", "settings", "stats", "test", "prompts"}

                # a member without Manage Server or the moderator role is refused, in code
                refused = await fake.slash(fake.alice, "peerbot", [
                    {"name": "threshold", "type": 1, "options": [{"name": "value", "type": 10, "value": 0.9}]}])
                await fake.wait_until(lambda: fake.interactions[int(refused["id"])]["followups"])
                reply = fake.interactions[int(refused["id"])]["followups"][0]["body"]
                assert "Only moderators" in reply["content"] and reply["flags"] & 64
                community = bot.adapter.community(bot.adapter.client.get_guild(fake.guild.id))
                assert (await bot.engine.community_settings(community)).nudges.threshold == 0.5

                # the moderator role (no Manage Server) may change it; it lands in the audit trail
                done = await fake.slash(fake.moderator, "peerbot", [
                    {"name": "threshold", "type": 1, "options": [{"name": "value", "type": 10, "value": 0.9},
                                                                 {"name": "channel", "type": 7,
                                                                  "value": str(fake.channel("general").id)}]}])
                first = await fake.wait_for_response(done)
                assert first["type"] == 5 and first["data"]["flags"] & 64  # deferred, ephemeral
                await fake.wait_until(lambda: fake.interactions[int(done["id"])]["followups"])
                reply = fake.interactions[int(done["id"])]["followups"][0]["body"]
                assert "0.90" in reply["content"]
                settings = await bot.engine.community_settings(community)
                assert settings.channels["general"].threshold == 0.9
                audit = await bot.engine.store.audit_trail(community)
                assert audit[0].actor_id == str(fake.moderator.id) and audit[0].key == "channels.general.threshold"

                # the owner (Manage Server via ownership) may too
                owner = await fake.slash(fake.owner, "peerbot", [
                    {"name": "test", "type": 1, "options": [{"name": "text", "type": 3, "value": CRITICISM}]}])
                await fake.wait_until(lambda: fake.interactions[int(owner["id"])]["followups"])
                assert "nudge" in fake.interactions[int(owner["id"])]["followups"][0]["body"]["content"]

    run(scenario)


def test_moderator_moves_the_welcome_channel_with_the_channel_command(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            lobby = fake.add_channel(fake.guild, "lobby")
            async with running(fake, tmp_path / "db.sqlite", sync_on_start=True) as bot:
                channel_cmd = next(o for o in fake.commands[None][0]["options"] if o["name"] == "channel")
                assert {c["value"] for c in next(o for o in channel_cmd["options"]
                                                 if o["name"] == "purpose")["choices"]} == {
                    "welcome", "prompts", "moderators"}
                options = [{"name": "purpose", "type": 3, "value": "welcome"},
                           {"name": "channel", "type": 7, "value": str(lobby.id)}]
                refused = await fake.slash(fake.alice, "peerbot", [{"name": "channel", "type": 1, "options": options}])
                await fake.wait_until(lambda: fake.interactions[int(refused["id"])]["followups"])
                assert "Only moderators" in fake.interactions[int(refused["id"])]["followups"][0]["body"]["content"]

                done = await fake.slash(fake.moderator, "peerbot", [{"name": "channel", "type": 1, "options": options}])
                await fake.wait_until(lambda: fake.interactions[int(done["id"])]["followups"])
                reply = fake.interactions[int(done["id"])]["followups"][0]["body"]
                assert f"Welcomes go to <#{lobby.id}>" in reply["content"] and reply["flags"] & 64
                community = bot.adapter.community(bot.adapter.client.get_guild(fake.guild.id))
                audit = await bot.engine.store.audit_trail(community)
                assert [(e.key, e.new_value, e.actor_id) for e in audit] == [
                    ("welcome.channel", str(lobby.id), str(fake.moderator.id))]

                newbie = fake.add_user("newbie")
                await fake.join(newbie)
                call = await fake.wait_for_call("POST", rf"/channels/{lobby.id}/messages")
                assert f"<@{newbie.id}>" in call.body["content"]
                assert fake.bot_messages("welcome") == []

                # and back to the config file's channel
                back = await fake.slash(fake.owner, "peerbot", [{"name": "channel", "type": 1, "options": [
                    {"name": "purpose", "type": 3, "value": "welcome"}, {"name": "reset", "type": 5, "value": True}]}])
                await fake.wait_until(lambda: fake.interactions[int(back["id"])]["followups"])
                assert "Welcomes go to #welcome" in fake.interactions[int(back["id"])]["followups"][0]["body"]["content"]
                # a channel without saying what goes there is refused, not silently ignored
                vague = await fake.slash(fake.owner, "peerbot", [{"name": "channel", "type": 1, "options": [
                    {"name": "channel", "type": 7, "value": str(lobby.id)}]}])
                await fake.wait_until(lambda: fake.interactions[int(vague["id"])]["followups"])
                assert "usage" in fake.interactions[int(vague["id"])]["followups"][0]["body"]["content"]

    run(scenario)


def test_feedback_buttons_are_recorded_and_survive_a_restart(tmp_path):
    async def scenario():
        db = tmp_path / "db.sqlite"
        async with FakeDiscord() as fake:
            async with running(fake, db) as bot:
                message = await fake.post("general", fake.alice, CRITICISM)
                await bot.message_handled(message)
                await fake.wait_until(lambda: fake.dm_messages(fake.alice))
            dm = fake.dm_messages(fake.alice)[0]
            custom_ids = {b["label"]: b["custom_id"] for row in dm["components"] for b in row["components"]}

            # a new process (new client, same database): the old buttons still work
            async with running(fake, db) as bot:
                click = await fake.click(fake.alice, dm, custom_ids["This wasn't fair"])
                response = await fake.wait_for_response(click)
                assert response["type"] == 4 and response["data"]["flags"] & 64
                guild = bot.adapter.client.get_guild(fake.guild.id)
                stats = await bot.engine.store.stats(bot.adapter.community(guild), since=_long_ago())
                assert stats.feedback == {"not_helpful": 1}
                # someone else pressing it changes nothing
                other = await fake.click(fake.bob, dm, custom_ids["Thanks"])
                await fake.wait_for_response(other)
                stats = await bot.engine.store.stats(bot.adapter.community(guild), since=_long_ago())
                assert stats.feedback == {"not_helpful": 1}
                # and moderators see it in /peerbot stats
                asked = await fake.slash(fake.owner, "peerbot", [{"name": "stats", "type": 1, "options": []}])
                await fake.wait_until(lambda: fake.interactions[int(asked["id"])]["followups"])
                assert "not_helpful 1" in fake.interactions[int(asked["id"])]["followups"][0]["body"]["content"]

    run(scenario)


def _long_ago():
    from datetime import datetime, timezone

    return datetime(2000, 1, 1, tzinfo=timezone.utc)


def test_missing_privileged_intents_give_a_clear_operator_message(tmp_path):
    async def scenario():
        async with FakeDiscord(allowed_privileged=MESSAGE_CONTENT) as fake:  # members switch off
            settings = make_settings(fake, tmp_path / "db.sqlite")
            store = await open_store(settings.database_url)
            adapter = DiscordAdapter.from_settings(Engine(store, settings), settings, guild_ready_timeout=0.05)
            with pytest.raises(DiscordStartupError) as caught:
                await asyncio.wait_for(adapter.run(), 3)
            await store.close()
            text = str(caught.value)
            assert "4014" in text and "Privileged Gateway Intents" in text
            assert "SERVER MEMBERS INTENT" in text and "MESSAGE CONTENT INTENT" in text
            assert fake.identifies[0]["intents"] & (1 << 1) and fake.identifies[0]["intents"] & (1 << 15)

    run(scenario)


def test_reconnect_and_resume_keep_working(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                await fake.force_reconnect("drop")  # network drop: the client resumes
                message = await fake.post("general", fake.alice, CRITICISM)  # sent while away, replayed
                await bot.message_handled(message)
                await fake.wait_until(lambda: fake.dm_messages(fake.alice))
                assert len(fake.resumes) == 1 and len(fake.identifies) == 1

                await fake.force_reconnect("op7")  # Discord asks for a reconnect
                await fake.wait_until(lambda: len(fake.resumes) == 2)
                newbie = fake.add_user("newbie")
                await fake.join(newbie)
                await fake.wait_for_call("POST", rf"/channels/{fake.channel('welcome').id}/messages")
                assert len(fake.identifies) == 1  # resumed both times, never re-identified

    run(scenario)


def test_ignores_itself_other_bots_and_webhooks_and_answers_dms_with_help(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                await fake.post("general", fake.other_bot, CRITICISM)
                await fake.post("general", fake.alice, CRITICISM, webhook_id=12345)
                await fake.post("general", fake.bot, CRITICISM)  # as if echoed back to itself
                await fake.join(fake.add_user("helperbot", bot=True))
                last = await fake.post("general", fake.bob, "hello everyone, lovely day")
                await bot.message_handled(last)
                authors = {e.author.id for e, _, _ in bot.handled if isinstance(e, MessagePosted)}
                assert authors == {str(fake.bob.id)}
                assert not any(type(e).__name__ == "MemberJoined" for e, _, _ in bot.handled)
                assert fake.find_calls("POST", r"/users/@me/channels") == []

                await fake.dm_bot(fake.alice, "hi bot, what do you do?")
                await fake.wait_until(lambda: fake.dm_messages(fake.alice))
                assert "/peerbot" in fake.dm_messages(fake.alice)[0]["content"]
                # the DM went to the engine as a private message in the server alice is in
                await bot.wait_handled(lambda e: type(e).__name__ == "DirectMessage")
                assert [type(e).__name__ for e, _, _ in bot.handled] == ["MessagePosted", "DirectMessage"]

    run(scenario)


def test_crisis_in_a_dm_to_the_bot_gets_resources_and_an_alert_without_link_or_text(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                message = await fake.dm_bot(fake.bob, CRISIS)
                event, actions = await bot.wait_handled(lambda e: type(e).__name__ == "DirectMessage")
                assert event.community.id == str(fake.guild.id) and event.message_id == message["id"]
                assert [type(a).__name__ for a in actions] == ["CrisisSupport", "AlertModerators"]
                await fake.wait_until(lambda: fake.dm_messages(fake.bob) and fake.bot_messages("moderators"))
                assert "988" in fake.dm_messages(fake.bob)[0]["content"]
                alert = fake.bot_messages("moderators")[0]["content"]
                assert f"<@{fake.bob.id}>" in alert and "private message" in alert
                assert "discord.com/channels" not in alert and "end my life" not in alert
                stats = await bot.engine.store.stats(event.community, since=_long_ago())
                assert stats.crisis_alerts == 1 and stats.crisis_delivery == {"dm": 1}
                # the same words again in that message (a redelivery) change nothing
                assert await bot.engine.handle(event) == []

                # someone who shares no server with peerbot gets the built-in help text
                stranger = fake.add_user("stranger")
                await fake.dm_bot(stranger, CRISIS)
                await fake.wait_until(lambda: fake.dm_messages(stranger))
                assert "988" in fake.dm_messages(stranger)[0]["content"]
                assert len(fake.bot_messages("moderators")) == 1
                assert sum(type(e).__name__ == "DirectMessage" for e, _, _ in bot.handled) == 1

    run(scenario)


def test_edit_into_criticism_is_nudged_once(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                message = await fake.post("general", fake.alice, "good morning all")
                await bot.message_handled(message)
                await fake.edit(message, CRITICISM)
                event, actions = await bot.wait_handled(lambda e: type(e).__name__ == "MessageEdited")
                assert event.text == CRITICISM and [type(a).__name__ for a in actions] == ["PrivateNudge"]
                await fake.wait_until(lambda: fake.dm_messages(fake.alice))

    run(scenario)


def test_loopback_latency_event_to_rest(tmp_path, capsys):
    """MESSAGE_CREATE sent by the fake -> the nudge DM's POST arriving at the fake."""

    async def scenario():
        async with FakeDiscord() as fake:
            users = [fake.add_user(f"user{i}") for i in range(60)]
            for user in users:
                fake.add_member(fake.guild, user)
            async with running(fake, tmp_path / "db.sqlite") as bot:
                latencies = []
                for user in users:
                    mark = len(fake.calls)
                    message = await fake.post("general", user, CRITICISM)
                    call = await fake.wait_for_call("POST", r"/channels/\d+/messages", after=mark)
                    latencies.append(call.at - message["_sent_at"])
                latencies.sort()
                p50 = statistics.median(latencies)
                p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
                with capsys.disabled():
                    print(f"\nloopback MESSAGE_CREATE -> nudge DM POST over {len(latencies)} messages: "
                          f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
                assert p50 < 0.25 and p99 < 1.0

    run(scenario)


def test_invite_url_has_the_scopes_and_permissions():
    url = invite_url(1234)
    assert "client_id=1234" in url and "scope=bot+applications.commands" in url
    perms = discord.Permissions(int(url.split("permissions=")[1].split("&")[0]))
    assert perms.send_messages and perms.create_private_threads and perms.read_message_history
    assert not perms.administrator and not perms.manage_messages
    assert perms.attach_files  # the weekly digest's chart
    # README's list of permissions is exactly what the invite asks for
    import re

    readme = (ROOT / "README.md").read_text()
    listed = readme.split("these permissions only: ", 1)[1].split(". Open the URL", 1)[0]
    listed_names = {part.strip() for part in re.sub(r"\s*\([^)]*\)", "", listed.replace("\n", " ")).split(",")}
    names = {"view_channel": "View Channels", "read_messages": "View Channels", "send_messages": "Send Messages",
             "send_messages_in_threads": "Send Messages in Threads", "create_public_threads": "Create Public Threads",
             "create_private_threads": "Create Private Threads", "read_message_history": "Read Message History",
             "embed_links": "Embed Links", "attach_files": "Attach Files"}
    granted = {flag for flag, on in perms if on}
    assert granted <= names.keys(), granted - names.keys()
    assert {names[flag] for flag in granted} == listed_names


def _spawn_run(fake: FakeDiscord, tmp_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERBOT_")}
    env.update(
        PEERBOT_DISCORD__TOKEN=fake.token,
        PEERBOT_DISCORD__API_URL=fake.api_url,
        PEERBOT_DISCORD__GATEWAY_URL=fake.gateway_url,
        PEERBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'proc.sqlite'}",
    )
    return subprocess.Popen([sys.executable, "-m", "peerbot.cli", "run", "discord"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_peerbot_run_discord_as_a_separate_process(tmp_path):
    """`peerbot run discord` pointed at the fake by the three settings behaves as in-process."""

    async def scenario():
        async with FakeDiscord() as fake:
            proc = _spawn_run(fake, tmp_path)
            try:
                await fake.wait_ready(timeout=STARTUP_SECONDS)
                assert fake.commands[None][0]["name"] == "peerbot"  # synced on start
                await fake.post("general", fake.alice, CRITICISM)
                await fake.wait_until(lambda: fake.dm_messages(fake.alice), timeout=3)
                assert "private note" in fake.dm_messages(fake.alice)[0]["content"]
                await fake.post("general", fake.bob, CRISIS)
                await fake.wait_until(lambda: fake.bot_messages("moderators"), timeout=3)
            finally:
                proc.terminate()
                out, err = await asyncio.to_thread(proc.communicate, timeout=5)
            assert proc.returncode == 0, err
            assert "Traceback" not in err
            assert CRITICISM not in err + out and CRISIS not in err + out and fake.token not in err + out

        async with FakeDiscord(allowed_privileged=0) as fake:
            proc = _spawn_run(fake, tmp_path)
            out, err = await asyncio.to_thread(proc.communicate, timeout=STARTUP_SECONDS)
            assert proc.returncode == 2
            assert "Traceback" not in err
            assert "MESSAGE CONTENT INTENT" in err and "SERVER MEMBERS INTENT" in err

    run(scenario)


def test_daily_prompt_posts_with_a_reply_thread_on_the_clock_tick(tmp_path):
    async def scenario():
        from datetime import datetime
        from zoneinfo import ZoneInfo

        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite", prompt_thread=True) as bot:
                nine = datetime(2026, 3, 10, 9, 1, tzinfo=ZoneInfo("America/New_York"))
                actions = await bot.adapter.tick(nine)
                assert [a.kind for a in actions if type(a).__name__ == "Post"] == ["prompt"]
                prompt = fake.bot_messages("general")
                assert len(prompt) == 1
                thread = fake.find_calls("POST", rf"/channels/{fake.channel('general').id}/messages/\d+/threads")
                assert len(thread) == 1 and prompt[0]["id"] in thread[0].path
                assert await bot.adapter.tick(nine) == []  # exactly once per local date

    run(scenario)


def test_shard_settings_run_the_given_shards(tmp_path, monkeypatch):
    from peerbot.adapters.discord import PeerbotShardedClient

    async def no_identify_wait(self, shard_id, *, initial=False):  # real Discord: 5 s between identifies
        return None

    monkeypatch.setattr(PeerbotShardedClient, "before_identify_hook", no_identify_wait)

    async def scenario():
        async with FakeDiscord() as fake:
            fake.shard_count = 2
            async with running(fake, tmp_path / "db.sqlite", shard_count=2, shard_ids=[0, 1]) as bot:
                assert isinstance(bot.adapter.client, discord.AutoShardedClient)
                assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]
                message = await fake.post("general", fake.alice, CRITICISM)
                await bot.message_handled(message)
                await fake.wait_until(lambda: fake.dm_messages(fake.alice))

    run(scenario)


def test_messages_in_threads_are_judged_with_their_channels_settings(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            general, vent = fake.channel("general"), fake.add_channel(fake.guild, "vent")
            ideas = fake.add_channel(fake.guild, "ideas", type=11, parent_id=general.id)
            venting = fake.add_channel(fake.guild, "rough day", type=12, parent_id=vent.id)
            ideas.owner_id = venting.owner_id = fake.alice.id
            async with running(fake, tmp_path / "db.sqlite") as bot:
                # "vent" has nudges off (built-in and shipped default): its threads too
                quiet = await fake.post(venting, fake.bob, CRITICISM)
                event, actions = await bot.message_handled(quiet)
                assert (event.channel.id, event.channel.name) == (str(vent.id), "vent") and actions == []
                loud = await fake.post(ideas, fake.alice, CRITICISM)
                event, actions = await bot.message_handled(loud)
                assert event.channel.name == "general" and [type(a).__name__ for a in actions] == ["PrivateNudge"]
                await fake.wait_until(lambda: fake.dm_messages(fake.alice))
                assert fake.dm_messages(fake.bob) == []

    run(scenario)
