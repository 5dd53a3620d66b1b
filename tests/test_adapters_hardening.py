"""Issue 11, the adapter items: crisis alerts that no command or missing channel can silence,
crisis texts that only say what is true, mention amplification on Slack, Socket Mode with a
rejected app token, and start-up failures that are one clear line and exit code 2.

Real discord.py and slack-bolt clients against the loopback fakes in tests/fakes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from fakes.discord_server import FakeDiscord
from fakes.slack_server import FakeSlack, event_callback, signed_headers, slash_command_body
from peerbot.adapters.discord import DiscordAdapter
from peerbot.adapters.slack import MENTION_LOOKUPS, SlackAdapter, SlackStartupError, serve
from peerbot.engine import Engine
from peerbot.events import Community
from peerbot.settings import Settings, SlackSettings
from peerbot.store import open_store

SECRET = "hardening-signing-secret"
TEAM = "T0FAKE"
CRISIS = "I want to kill myself tonight"
TOLD = "A moderator has been told"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):
        if name.startswith("PEERBOT_"):
            monkeypatch.delenv(name)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def at(self, level: int) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == level]


@pytest.fixture
def logs():
    """INFO+ records of the platform libraries and peerbot; tests say which errors they expect."""
    handler = _Capture()
    loggers = [logging.getLogger(n) for n in ("slack_bolt", "slack_sdk", "discord", "peerbot")]
    old = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield handler
    for lg, level in zip(loggers, old, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def _one_error_line(err: bytes) -> str:
    """The process's single error line; INFO log lines may precede it, nothing worse may."""
    text = err.decode()
    assert "Traceback" not in text, text[-3000:]
    errors = [line for line in text.splitlines() if line.startswith("peerbot: error:")]
    assert len(errors) == 1, text[-3000:]
    assert not [line for line in text.splitlines() if " ERROR " in line or " WARNING " in line], text[-3000:]
    return errors[0]


async def _finish(proc: asyncio.subprocess.Process, timeout: float) -> tuple[bytes, bytes]:
    """The process's output once it exits; killed (and the test failed) if it does not."""
    try:
        return await asyncio.wait_for(proc.communicate(), timeout)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


def _child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PEERBOT_", "SLACK_CLIENT", "SLACK_BOT", "SLACK_SIGNING"))}
    env.update(extra)
    return env


# -- Slack -------------------------------------------------------------------------------------


def _slack_settings(fake: FakeSlack, db: Path, *, community: dict[str, Any] | None = None, **slack: Any) -> Settings:
    return Settings(
        _env_file=None, database_url=f"sqlite+aiosqlite:///{db}", community=community or {},
        slack=SlackSettings(bot_token=fake.bot_token, app_token=fake.app_token, signing_secret=SECRET,
                            api_url=fake.api_url, mode="http", **slack),
    )


@contextlib.asynccontextmanager
async def slack(tmp_path: Path, *, channels: dict[str, str], users: dict[str, Any] | None = None,
                moderators: tuple[str, ...] = (), usergroups: dict[str, list[str]] | None = None,
                ) -> AsyncIterator[tuple[FakeSlack, SlackAdapter, str, Any]]:
    fake = await FakeSlack(team_id=TEAM, users=users or {}, usergroups=usergroups or {}, channels=channels).start()
    settings = _slack_settings(fake, tmp_path / "peerbot.db")
    store = await open_store(settings.database_url)
    engine = Engine(store, settings)
    adapter = SlackAdapter(engine, settings, moderators=moderators)
    runner = web.AppRunner(adapter.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/slack/events"  # type: ignore[union-attr]
    try:
        yield fake, adapter, url, engine
    finally:
        await runner.cleanup()
        await store.close()
        await fake.stop()


async def _post(url: str, raw: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.post(url, data=raw, headers=headers) as resp:
        return resp.status, await resp.text()


async def _message(url: str, text: str, user: str = "UALICE") -> None:
    ts = f"{time.time():.6f}"
    raw = json.dumps(event_callback({"type": "message", "channel": "C0GENERAL", "user": user, "text": text,
                                     "ts": ts, "event_ts": ts, "channel_type": "channel"}, team_id=TEAM)).encode()
    assert (await _post(url, raw, signed_headers(SECRET, raw)))[0] == 200


async def _command(url: str, fake: FakeSlack, text: str, user: str) -> None:
    raw = slash_command_body(text=text, user_id=user, team_id=TEAM, response_url=fake.response_url())
    status, _ = await _post(url, raw, signed_headers(SECRET, raw, content_type="application/x-www-form-urlencoded"))
    assert status == 200


def _crisis_dm(fake: FakeSlack, member: str) -> str:
    dm = "D" + member.lstrip("U")
    return next(c.args["text"] for c in fake.calls_to("chat.postMessage") if c.args["channel"] == dm)


def test_slack_channel_command_refuses_a_channel_that_does_not_exist(tmp_path, logs):
    async def scenario():
        channels = {"C0GENERAL": "general", "C0MODS": "moderators", "C0CARE": "care-team"}
        async with slack(tmp_path, channels=channels, moderators=("UMOD",)) as (fake, adapter, url, engine):
            community = Community("slack", TEAM, "Fake Community")
            for target in ("#nonexistent", "nonexistent", "<#C0NOPE|nope>", "C0NOPE123"):
                seen = len(fake.responses)
                await _command(url, fake, f"channel moderators {target}", "UMOD")
                reply = (await fake.wait_for_response(seen + 1))[-1]["text"]
                # the channel is named as given (a mention as its id)
                assert "nothing was changed" in reply and target.strip("<#>").split("|")[0] in reply, reply
                assert (await engine.community_settings(community)).moderator_channel == "moderators"
            assert await engine.store.overrides(community) == {}
            # an existing channel is accepted, by name or as a mention
            await _command(url, fake, "channel moderators <#C0CARE|care-team>", "UMOD")
            await fake.wait_until(lambda: any("Moderator alerts go to" in b["text"] for _, b in fake.responses))
            assert (await engine.community_settings(community)).moderator_channel == "C0CARE"

    asyncio.run(scenario())


def test_slack_crisis_alert_without_its_channel_goes_to_the_moderators_by_dm_and_is_an_error(tmp_path, logs):
    async def scenario():
        # no #moderators channel at all (deleted, or never created)
        async with slack(tmp_path, channels={"C0GENERAL": "general"}, moderators=("UMOD", "SMODS"),
                         usergroups={"SMODS": ["UGROUPMOD"]}) as (fake, adapter, url, _):
            await _message(url, CRISIS, user="UALICE")
            await adapter.wait_handled(1)
            opened = [c.args["users"] for c in fake.calls_to("conversations.open")]
            assert set(opened) >= {"UALICE", "UMOD", "UGROUPMOD"}
            alerts = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] in ("DMOD", "DGROUPMOD")]
            assert len(alerts) == 2 and all("may need a check-in" in c.args["text"] for c in alerts)
            assert all(CRISIS not in c.args["text"] for c in alerts)
            assert TOLD in _crisis_dm(fake, "UALICE")  # true: two moderators were told
            assert any("CRISIS ALERT" in m and "2 moderators" in m for m in logs.at(logging.ERROR))

    asyncio.run(scenario())


def test_slack_crisis_alert_falls_back_to_workspace_admins(tmp_path, logs):
    async def scenario():
        users = {"UADMIN": {"is_admin": True}, "UOWNER": {"is_owner": True}, "UBOT2": {"is_admin": True, "is_bot": True},
                 "UALICE": {}}
        async with slack(tmp_path, channels={"C0GENERAL": "general"}, users=users) as (fake, adapter, url, _):
            fake.fail_next("chat.postMessage", error="not_in_channel", status=200)  # never reached: no channel
            await _message(url, CRISIS, user="UALICE")
            await adapter.wait_handled(1)
            assert {c.args["users"] for c in fake.calls_to("conversations.open")} == {"UALICE", "UADMIN", "UOWNER"}

    asyncio.run(scenario())


def test_slack_crisis_text_does_not_say_a_moderator_was_told_when_none_was(tmp_path, logs):
    async def scenario():
        async with slack(tmp_path, channels={"C0GENERAL": "general"}) as (fake, adapter, url, _):
            await _message(url, CRISIS, user="UALICE")
            await adapter.wait_handled(1)
            text = _crisis_dm(fake, "UALICE")
            assert "988" in text and "911" in text
            assert TOLD not in text and "moderator" not in text.lower()
            assert any("REACHED NO MODERATOR" in m for m in logs.at(logging.CRITICAL))

    asyncio.run(scenario())


def test_slack_crisis_alert_refused_by_the_channel_falls_back(tmp_path, logs):
    async def scenario():
        async with slack(tmp_path, channels={"C0GENERAL": "general", "C0MODS": "moderators"},
                         moderators=("UMOD",)) as (fake, adapter, url, _):
            fake.fail_next("chat.postMessage", error="not_in_channel", status=200)  # the alert is the first post
            await _message(url, CRISIS, user="UALICE")
            await adapter.wait_handled(1)
            assert any(c.args["channel"] == "DMOD" for c in fake.calls_to("chat.postMessage"))
            assert TOLD in _crisis_dm(fake, "UALICE")
            assert any("refused the post" in m for m in logs.at(logging.ERROR))

    asyncio.run(scenario())


def test_slack_thousands_of_mentions_make_a_bounded_number_of_lookups_and_the_crisis_dm_goes_out(tmp_path, logs):
    async def scenario():
        async with slack(tmp_path, channels={"C0GENERAL": "general", "C0MODS": "moderators"}) as (fake, adapter, url, _):
            mentions = " ".join(f"<@U{i:06d}>" for i in range(3000))
            started = time.monotonic()
            await _message(url, f"{mentions} {CRISIS}", user="UALICE")
            await adapter.wait_handled(1, timeout=20)
            assert time.monotonic() - started < 10
            assert len(fake.calls_to("users.info")) <= MENTION_LOOKUPS
            assert "988" in _crisis_dm(fake, "UALICE")
            lookups = [m for m in logs.at(logging.WARNING) if "users.info" in m or "look-ups" in m]
            assert len(lookups) == 1, lookups  # one line for the message, not one per mention

    asyncio.run(scenario())


def test_slack_requests_with_a_bad_timestamp_or_body_get_401_or_400_without_an_error(tmp_path, logs):
    async def scenario():
        async with slack(tmp_path, channels={"C0GENERAL": "general"}) as (fake, adapter, url, _):
            raw = b'{"type": "event_callback"'
            for headers in ({"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
                            {"X-Slack-Request-Timestamp": "١٢٣", "X-Slack-Signature": "v0=00"},
                            {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"},
                            {"Content-Type": "application/json"}):
                assert (await _post(url, raw, headers))[0] == 401, headers
            # signed, but not JSON (or not UTF-8): 400
            assert (await _post(url, raw, signed_headers(SECRET, raw)))[0] == 400
            bad = b"\xff\xfe{}"
            assert (await _post(url, bad, signed_headers(SECRET, bad)))[0] == 400
            assert [c for c in fake.calls if c.method != "auth.test"] == []
            assert not [r for r in logs.records if r.levelno >= logging.ERROR]
            assert not any("Traceback" in (r.exc_text or "") or r.exc_info for r in logs.records)

    asyncio.run(scenario())


def test_slack_port_in_use_is_one_clear_line_and_exit_code_2(tmp_path, logs):
    async def scenario():
        async with FakeSlack(team_id=TEAM) as fake:
            taken = socket.socket()
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            try:
                settings = _slack_settings(fake, tmp_path / "s.db", host="127.0.0.1", port=port)
                with pytest.raises(SlackStartupError, match="cannot listen on 127.0.0.1") as info:
                    await serve(settings)
                assert info.value.exit_code == 2
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "peerbot.cli", "run", "slack", cwd=tmp_path,
                    env=_child_env(PEERBOT_SLACK__MODE="http", PEERBOT_SLACK__HOST="127.0.0.1",
                                   PEERBOT_SLACK__PORT=str(port), PEERBOT_SLACK__API_URL=fake.api_url,
                                   PEERBOT_SLACK__BOT_TOKEN=fake.bot_token, PEERBOT_SLACK__SIGNING_SECRET=SECRET,
                                   PEERBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}"),
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
                out, err = await _finish(proc, 20)
            finally:
                taken.close()
            assert proc.returncode == 2, err.decode()
            assert "cannot listen on" in _one_error_line(err)

    asyncio.run(scenario())


def _socket_env(fake: FakeSlack, tmp_path: Path, app_token: str) -> dict[str, str]:
    return _child_env(PEERBOT_SLACK__MODE="socket", PEERBOT_SLACK__API_URL=fake.api_url,
                      PEERBOT_SLACK__BOT_TOKEN=fake.bot_token, PEERBOT_SLACK__APP_TOKEN=app_token,
                      PEERBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
                      PEERBOT_COMMUNITY__PROMPTS__ENABLED="false")


def test_slack_socket_mode_with_a_rejected_app_token_is_one_line_and_exit_code_2(tmp_path):
    async def scenario():
        async with FakeSlack(team_id=TEAM) as fake:
            started = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "peerbot.cli", "run", "slack", cwd=tmp_path,
                env=_socket_env(fake, tmp_path, "xapp-revoked-token"),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, err = await _finish(proc, 20)
            assert proc.returncode == 2, err.decode()
            assert "Slack refused the app token (invalid_auth)" in _one_error_line(err)
            assert "xapp-revoked-token" not in err.decode() + out.decode()
            assert fake.connections_opened == 0 and time.monotonic() - started < 15

    asyncio.run(scenario())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_slack_socket_mode_stops_on_sigterm_and_sigint(tmp_path, sig):
    async def scenario():
        async with FakeSlack(team_id=TEAM) as fake:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "peerbot.cli", "run", "slack", cwd=tmp_path,
                env=_socket_env(fake, tmp_path, fake.app_token),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            try:
                await fake.wait_connected(1, timeout=15)
                proc.send_signal(sig)
                out, err = await asyncio.wait_for(proc.communicate(), 15)
            finally:
                if proc.returncode is None:
                    proc.kill()
                    await proc.wait()
            assert proc.returncode == 0, err.decode()[-2000:]
            assert "Traceback" not in err.decode()

    asyncio.run(scenario())


# -- Discord -----------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", [["run", "discord"], ["discord", "sync"], ["discord", "invite"]])
def test_discord_commands_with_the_api_unreachable_are_one_line_and_exit_code_2(tmp_path, command):
    async def scenario():
        port = _closed_port()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "peerbot.cli", *command, cwd=tmp_path,
            env=_child_env(PEERBOT_DISCORD__TOKEN="some-bot-token",
                           PEERBOT_DISCORD__API_URL=f"http://127.0.0.1:{port}/api/v10",
                           PEERBOT_DISCORD__GATEWAY_URL=f"ws://127.0.0.1:{port}/",
                           PEERBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.db'}"),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await _finish(proc, 30)
        assert proc.returncode == 2, err.decode()
        assert "cannot reach Discord's API" in _one_error_line(err)
        assert "some-bot-token" not in err.decode() + out.decode()

    asyncio.run(scenario())


@contextlib.asynccontextmanager
async def discord_bot(fake: FakeDiscord, db: Path, **community: Any) -> AsyncIterator[DiscordAdapter]:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{db}", community=community,
                        discord={"token": fake.token, "api_url": fake.api_url, "gateway_url": fake.gateway_url})
    store = await open_store(settings.database_url)
    adapter = DiscordAdapter.from_settings(Engine(store, settings), settings, guild_ready_timeout=0.05,
                                           tick_interval=0, retry_delay=0.01, retries=0, sync_on_start=False)
    await adapter.login()
    task = asyncio.create_task(adapter.connect())
    try:
        await asyncio.wait_for(adapter.client.wait_until_ready(), 5)
        yield adapter
    finally:
        await adapter.close()
        await asyncio.wait_for(task, 5)
        await store.close()


def test_discord_crisis_alert_without_its_channel_goes_to_owner_and_moderators_by_dm(tmp_path, logs):
    async def scenario():
        async with FakeDiscord() as fake, discord_bot(fake, tmp_path / "db.sqlite", moderator_channel="gone"):
            await fake.post("general", fake.bob, CRISIS)
            await fake.wait_until(lambda: fake.dm_messages(fake.owner) and fake.dm_messages(fake.moderator)
                                  and fake.dm_messages(fake.bob))
            for mod in (fake.owner, fake.moderator):
                alert = fake.dm_messages(mod)[0]["content"]
                assert "may need a check-in" in alert and CRISIS not in alert
            assert TOLD in fake.dm_messages(fake.bob)[0]["content"]
            assert fake.bot_messages("moderators") == []
            assert any("CRISIS ALERT" in m and "2 moderators" in m for m in logs.at(logging.ERROR))

    asyncio.run(scenario())


def test_discord_crisis_alert_refused_and_no_moderator_reachable_says_nothing_untrue(tmp_path, logs):
    async def scenario():
        async with FakeDiscord() as fake, discord_bot(fake, tmp_path / "db.sqlite"):
            mods = fake.channel("moderators").id
            fake.fail_next("POST", rf"/channels/{mods}/messages", status=403, code=50013)
            fake.dms_closed.update({fake.owner.id, fake.moderator.id})
            await fake.post("general", fake.bob, CRISIS)
            await fake.wait_until(lambda: fake.dm_messages(fake.bob))
            text = fake.dm_messages(fake.bob)[0]["content"]
            assert "988" in text and TOLD not in text
            assert any("REACHED NO MODERATOR" in m for m in logs.at(logging.CRITICAL))

    asyncio.run(scenario())


def test_discord_crisis_text_says_a_moderator_was_told_when_the_alert_was_posted(tmp_path, logs):
    async def scenario():
        async with FakeDiscord() as fake, discord_bot(fake, tmp_path / "db.sqlite"):
            await fake.post("general", fake.bob, CRISIS)
            await fake.wait_until(lambda: fake.dm_messages(fake.bob) and fake.bot_messages("moderators"))
            assert TOLD in fake.dm_messages(fake.bob)[0]["content"]
            assert not [r for r in logs.records if r.levelno >= logging.ERROR]

    asyncio.run(scenario())


# -- the engine's crisis texts -----------------------------------------------------------------


def test_crisis_texts_say_a_moderator_was_told_only_when_an_alert_goes_out(tmp_path):
    from engine_kit import make_engine, posted, settings

    from peerbot.actions import AlertModerators, CrisisSupport

    async def scenario():
        engine = await make_engine(tmp_path)
        try:
            actions = await engine.handle(posted(CRISIS, "ana"))
            crisis = next(a for a in actions if isinstance(a, CrisisSupport))
            assert any(isinstance(a, AlertModerators) for a in actions)
            assert TOLD in crisis.text and TOLD not in crisis.unalerted_text and "988" in crisis.unalerted_text
        finally:
            await engine.store.close()
        # with moderator alerts switched off in the config file, nothing claims a moderator was told
        quiet = await make_engine(tmp_path, db="quiet.db", config=settings(crisis={"alert_moderators": False}))
        try:
            actions = await quiet.handle(posted(CRISIS, "ana"))
            assert [type(a).__name__ for a in actions] == ["CrisisSupport"]
            assert TOLD not in actions[0].text and "988" in actions[0].text
        finally:
            await quiet.store.close()

    asyncio.run(scenario())


def test_the_runtime_freezes_what_start_up_loaded_and_ticks_and_stops_cleanly(tmp_path, logs):
    import gc

    async def scenario():
        async with FakeSlack(team_id=TEAM, channels={"C0GENERAL": "general"}) as fake:
            settings = _slack_settings(fake, tmp_path / "s.db", host="127.0.0.1", port=_closed_port())
            stop = asyncio.Event()
            seen: dict[str, Any] = {}

            def ready(adapter: SlackAdapter, where: str) -> None:
                seen["frozen"], seen["where"] = gc.get_freeze_count(), where
                stop.set()

            try:
                await asyncio.wait_for(serve(settings, stop=stop, on_ready=ready), 20)
            finally:
                gc.unfreeze()
            assert seen["frozen"] > 0 and seen["where"].startswith("http://127.0.0.1:")
            assert any("stopped after finishing every event in flight" in m for m in logs.at(logging.INFO))

    asyncio.run(scenario())
