"""Faults of the platforms, on the real discord.py and slack-bolt clients against the loopback
fakes: a call rate-limited (429), failing (5xx), timing out, or a DM refused is retried or
falls back, and is never silently lost; SIGTERM finishes what is in flight; a restart in the
middle of the day posts no second prompt and no second welcome."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import discord
import pytest
from aiohttp import web

from timing import STARTUP_SECONDS
from fakes.discord_server import FakeDiscord
from fakes.slack_server import FakeSlack, event_callback, signed_headers
from peerbot.adapters.slack import SlackAdapter
from peerbot.engine import Engine
from peerbot.settings import Settings, SlackSettings
from peerbot.store import open_store
from test_discord_e2e import _spawn_run, running

SECRET = "platform-faults-secret"
TEAM = "T0PLAT"
CHANNELS = {"C0GENERAL": "general", "C0WELCOME": "welcome", "C0MODS": "moderators"}
CRITICISM = "<@UBOB> you're an idiot and you always ruin everything"
CRISIS = "I want to kill myself tonight"
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("PEERBOT_", "SLACK_")):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _restore_discord_endpoints():
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest.fixture
def logs(log_lines):
    yield log_lines
    assert not [line for line in log_lines if line.startswith("ERROR")], log_lines


# -- Slack ---------------------------------------------------------------------------------------


class SlackBot:
    def __init__(self, fake: FakeSlack, adapter: SlackAdapter, url: str, http: aiohttp.ClientSession) -> None:
        self.fake, self.adapter, self.url, self.http = fake, adapter, url, http
        self.sent = 0

    async def event(self, event: dict[str, Any], *, event_id: str | None = None) -> None:
        raw = json.dumps(event_callback(event, team_id=TEAM, event_id=event_id)).encode()
        async with self.http.post(self.url, data=raw, headers=signed_headers(SECRET, raw)) as r:
            assert r.status == 200
        self.sent += 1
        await self.adapter.wait_handled(self.sent, timeout=10)

    async def message(self, text: str, user: str = "UALICE") -> None:
        ts = f"{time.time():.6f}"
        await self.event({"type": "message", "channel": "C0GENERAL", "user": user, "text": text, "ts": ts,
                          "event_ts": ts, "channel_type": "channel"})

    def posts_to(self, channel: str) -> list[Any]:
        return [c for c in self.fake.calls_to("chat.postMessage") if c.args["channel"] == channel]


@contextlib.asynccontextmanager
async def slack(db: Path) -> AsyncIterator[SlackBot]:
    async with FakeSlack(team_id=TEAM, users={"UALICE": {}, "UBOB": {}}, channels=CHANNELS) as fake, \
            aiohttp.ClientSession() as http:
        settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{db}",
                            slack=SlackSettings(bot_token=fake.bot_token, signing_secret=SECRET, api_url=fake.api_url,
                                                mode="http", timeout_seconds=1))
        store = await open_store(settings.database_url)
        adapter = SlackAdapter(Engine(store, settings), settings)
        runner = web.AppRunner(adapter.web_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        try:
            yield SlackBot(fake, adapter, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/slack/events",
                           http)
        finally:
            await runner.cleanup()
            await store.close()


def test_slack_calls_rate_limited_failing_or_timing_out_are_retried(tmp_path, logs):
    async def scenario():
        async with slack(tmp_path / "db.sqlite") as bot:
            bot.fake.fail_next("chat.postEphemeral", status=429, error="ratelimited")
            await bot.message(CRITICISM, user="UALICE")
            bot.fake.fail_next("chat.postEphemeral", status=503, error="service_unavailable")
            await bot.message(CRITICISM, user="UBOB")
            bot.fake.delay_next("chat.postEphemeral", 1.3)  # longer than the client's 1 s timeout
            await bot.message(CRITICISM, user="UCY")
            nudges = bot.fake.calls_to("chat.postEphemeral")
            assert [c.args["user"] for c in nudges] == ["UALICE"] * 2 + ["UBOB"] * 2 + ["UCY"] * 2
            assert bot.adapter.failed_calls == 0

    asyncio.run(scenario())


def test_slack_crisis_resources_fall_back_to_the_channel_when_the_dm_is_refused_or_fails(tmp_path, logs):
    async def scenario():
        async with slack(tmp_path / "db.sqlite") as bot:
            bot.fake.fail_next("conversations.open", error="cannot_dm_bot", status=200)
            await bot.message(CRISIS, user="UALICE")
            private = [c for c in bot.fake.calls_to("chat.postEphemeral") if c.args["user"] == "UALICE"]
            assert len(private) == 1 and "988" in private[0].args["text"]
            assert private[0].args["channel"] == "C0GENERAL"
            assert len(bot.posts_to("C0MODS")) == 1
            # Slack failing on every try: reported, the resources still reach the member, and
            # the moderators' alert is not lost behind the failure
            bot.fake.fail_next("conversations.open", status=500, error="internal_error", times=3)
            await bot.message(CRISIS + " please", user="UBOB")
            assert len(bot.fake.calls_to("conversations.open")) == 4
            assert [c.args["user"] for c in bot.fake.calls_to("chat.postEphemeral")] == ["UALICE", "UBOB"]
            assert len(bot.posts_to("C0MODS")) == 2
            assert bot.adapter.failed_calls == 2
        assert any("CrisisSupport DM failed: cannot_dm_bot" in line for line in logs)
        assert any("CrisisSupport DM failed: internal_error (HTTP 500)" in line for line in logs)

    asyncio.run(scenario())


def test_slack_restart_in_the_middle_of_the_day_posts_no_second_prompt_or_welcome(tmp_path, logs):
    async def scenario():
        db = tmp_path / "db.sqlite"
        nine = datetime.now(NEW_YORK).replace(hour=9, minute=5, second=0, microsecond=0)
        join = {"type": "team_join", "user": {"id": "UNEW", "name": "new", "profile": {}}}
        async with slack(db) as bot:
            await bot.adapter.tick(TEAM, nine)
            await bot.event(join, event_id="EvJOIN1")
            assert len(bot.posts_to("C0GENERAL")) == 1 and len(bot.posts_to("C0WELCOME")) == 1
        async with slack(db) as bot:  # a new process on the same database, later that morning
            await bot.adapter.tick(TEAM, nine.replace(minute=40))
            await bot.event(join, event_id="EvJOIN1")  # Slack's retry of the same event
            await bot.event(join, event_id="EvJOIN2")  # or the join announced again
            assert bot.fake.action_calls() == []

    asyncio.run(scenario())


# -- Discord ---------------------------------------------------------------------------------------


def test_discord_calls_rate_limited_failing_or_timing_out_are_retried(tmp_path, logs):
    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite", call_timeout=0.5) as bot:
                fake.fail_next("POST", r"/channels/\d+/messages", status=429)
                await bot.message_handled(await fake.post("general", fake.alice, CRITICISM))
                await fake.wait_until(lambda: fake.dm_messages(fake.alice))
                fake.fail_next("POST", r"/channels/\d+/messages", status=502)  # discord.py retries after 1 s
                await bot.message_handled(await fake.post("general", fake.bob, CRITICISM))
                await fake.wait_until(lambda: fake.dm_messages(fake.bob), timeout=5)
                owner = fake.owner
                fake.delay_next("POST", r"/channels/\d+/messages", 0.8)  # hangs past the 0.5 s timeout
                await bot.message_handled(await fake.post("general", owner, CRITICISM))
                await fake.wait_until(lambda: fake.dm_messages(owner), timeout=5)
                assert [d.via for d in bot.adapter.deliveries] == ["dm", "dm", "dm"]
                assert not bot.adapter.failures

    asyncio.run(scenario())


def test_discord_crisis_with_dms_closed_and_no_fallback_is_reported_and_still_alerts(tmp_path, logs):
    async def scenario():
        async with FakeDiscord() as fake:
            fake.dms_closed.add(fake.bob.id)
            async with running(fake, tmp_path / "db.sqlite", dm_fallback="skip") as bot:
                await bot.message_handled(await fake.post("general", fake.bob, CRISIS))
                await fake.wait_until(lambda: fake.bot_messages("moderators"))
                assert [(d.kind, d.via) for d in bot.adapter.deliveries] == [("crisis", "skipped")]
                assert bot.adapter.failures["crisis not delivered"] == 1
        assert any(line.startswith("WARNING") and "crisis for member" in line and "not delivered" in line
                   for line in logs)

    asyncio.run(scenario())


def test_discord_restart_in_the_middle_of_the_day_posts_no_second_prompt_or_welcome(tmp_path, logs):
    async def scenario():
        db = tmp_path / "db.sqlite"
        nine = datetime(2026, 3, 10, 9, 1, tzinfo=NEW_YORK)
        async with FakeDiscord() as fake:
            newbie = fake.add_user("newbie")
            async with running(fake, db) as bot:
                await bot.adapter.tick(nine)
                await fake.join(newbie)
                await fake.wait_for_call("POST", rf"/channels/{fake.channel('welcome').id}/messages")
                await fake.wait_until(lambda: fake.dm_messages(newbie))
            mark = len(fake.calls)
            async with running(fake, db) as bot:  # a new process on the same database, later that day
                assert await bot.adapter.tick(nine.replace(hour=11)) == []
                assert await bot.adapter.tick(nine.replace(hour=11, minute=1)) == []
                posts = [c for c in fake.calls[mark:] if c.method == "POST" and "/messages" in c.path]
                assert posts == [] and len(fake.dm_messages(newbie)) == 1

    asyncio.run(scenario())


# -- SIGTERM ---------------------------------------------------------------------------------------


def test_sigterm_finishes_the_discord_actions_in_flight(tmp_path):
    async def scenario():
        async with FakeDiscord() as fake:
            proc = _spawn_run(fake, tmp_path)
            try:
                await fake.wait_ready(timeout=STARTUP_SECONDS)
                mods = fake.channel("moderators").id
                fake.delay_next("POST", r"/channels/\d+/messages", 1.0)  # the crisis DM is slow
                mark = len(fake.calls)
                await fake.post("general", fake.bob, CRISIS)
                await fake.wait_until(lambda: fake.find_calls("POST", r"/channels/\d+/messages", after=mark))
                proc.send_signal(signal.SIGTERM)  # while the DM hangs and the alert is still to come
                out, err = await asyncio.to_thread(proc.communicate, timeout=15)
            finally:
                if proc.poll() is None:
                    proc.kill()
            assert proc.returncode == 0, err
            assert "988" in fake.dm_messages(fake.bob)[0]["content"]
            assert len(fake.find_calls("POST", rf"/channels/{mods}/messages")) == 1
            assert "stopped after finishing every event in flight" in err

    asyncio.run(scenario())


def test_sigterm_finishes_the_slack_actions_in_flight(tmp_path):
    async def scenario():
        async with FakeSlack(team_id=TEAM, users={"UALICE": {}}, channels=CHANNELS) as fake:
            port = _free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERBOT_", "SLACK_"))}
            env.update({"PEERBOT_SLACK__MODE": "http", "PEERBOT_SLACK__HOST": "127.0.0.1",
                        "PEERBOT_SLACK__PORT": str(port), "PEERBOT_SLACK__API_URL": fake.api_url,
                        "PEERBOT_SLACK__BOT_TOKEN": fake.bot_token, "PEERBOT_SLACK__SIGNING_SECRET": SECRET,
                        "PEERBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
                        "PEERBOT_COMMUNITY__PROMPTS__ENABLED": "false"})
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "peerbot.cli", "run", "slack", cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            try:
                async with aiohttp.ClientSession() as http:
                    await _wait_healthy(http, port, proc)
                    fake.delay_next("conversations.open", 1.0)
                    ts = f"{time.time():.6f}"
                    raw = json.dumps(event_callback({"type": "message", "channel": "C0GENERAL", "user": "UALICE",
                                                     "text": CRISIS, "ts": ts, "channel_type": "channel"},
                                                    team_id=TEAM)).encode()
                    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=raw,
                                         headers=signed_headers(SECRET, raw)) as r:
                        assert r.status == 200  # acknowledged at once; the work runs on
                    await fake.wait_for("conversations.open", timeout=5)
                    proc.send_signal(signal.SIGTERM)
                    out, err = await asyncio.wait_for(proc.communicate(), 15)
            finally:
                if proc.returncode is None:
                    proc.kill()
            assert proc.returncode == 0, err.decode()
            posts = fake.calls_to("chat.postMessage")
            assert sorted(c.args["channel"] for c in posts) == ["C0MODS", "DALICE"]
            assert b"stopped after finishing every event in flight" in err

    asyncio.run(scenario())


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _wait_healthy(http: aiohttp.ClientSession, port: int, proc: Any) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                if r.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        assert proc.returncode is None, (await proc.stderr.read()) if proc.stderr else "peerbot run slack exited"
        assert time.monotonic() < deadline, "peerbot run slack did not start listening"
        await asyncio.sleep(0.05)
