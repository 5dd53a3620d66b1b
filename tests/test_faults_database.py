"""Faults of the database: unavailable at start (a clear error and exit code), lost while
running (the bot keeps nudging, welcoming and alerting, and writes what it did when the
database is back, or says exactly what it dropped).

The running outage is real: PostgreSQL is reached through a TCP proxy on 127.0.0.1
(tests/fakes/tcp_proxy.py) that the test cuts (live connections reset, new ones refused)
and restores; the platform is the fake Slack with the real Bolt app.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import text

from db_kit import PG_URL, drop_schema, pg_schema, require_postgresql
from engine_kit import COMMUNITY, GENERAL, T0, command, joined, posted, report, scripted
from fakes.slack_server import FakeSlack, event_callback, signed_headers, slash_command_body
from fakes.tcp_proxy import TcpProxy
from peerbot.adapters.slack import SlackAdapter
from peerbot.engine import Engine
from peerbot.settings import Settings, SlackSettings
from peerbot.store import CrisisAlert, open_store
from peerbot.store.resilient import ResilientStore
from peerbot.store import open_store_from

SECRET = "faults-signing-secret"
TEAM = "T0FAULT"
CHANNELS = {"C0GENERAL": "general", "C0WELCOME": "welcome", "C0MODS": "moderators"}
USERS = {"UALICE": {}, "UBOB": {}, "UADMIN": {"is_admin": True}}
CRITICISM = "<@UBOB> you're an idiot and you always ruin everything"
CRISIS = "I want to kill myself tonight"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("PEERBOT_", "SLACK_")):
            monkeypatch.delenv(name)


@pytest.fixture
def schema():
    require_postgresql()
    name = pg_schema()
    yield name
    drop_schema(name)


@pytest.fixture
def logs(log_lines):
    return log_lines


async def _rows(schema: str, sql: str) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg://", "postgresql://"), timeout=5)
    try:
        await conn.execute(f'SET search_path TO "{schema}"')
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


class Bot:
    def __init__(self, fake: FakeSlack, adapter: SlackAdapter, url: str, http: aiohttp.ClientSession) -> None:
        self.fake, self.adapter, self.url, self.http = fake, adapter, url, http
        self.sent = 0

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None) -> str:
        body = event_callback(event, team_id=TEAM, event_id=event_id)
        raw = json.dumps(body).encode()
        async with self.http.post(self.url, data=raw, headers=signed_headers(SECRET, raw, retry_num=retry)) as r:
            assert r.status == 200
        self.sent += 1
        await self.adapter.wait_handled(self.sent, timeout=8)
        return body["event_id"]

    async def message(self, text_: str, user: str = "UALICE", ts: str | None = None, **kw: Any) -> str:
        ts = ts or f"{time.time():.6f}"
        return await self.event({"type": "message", "channel": "C0GENERAL", "user": user, "text": text_, "ts": ts,
                                 "event_ts": ts, "channel_type": "channel"}, **kw)

    async def command(self, line: str, user: str = "UADMIN") -> dict[str, Any]:
        before = len(self.fake.responses)
        raw = slash_command_body(text=line, user_id=user, team_id=TEAM, response_url=self.fake.response_url())
        headers = signed_headers(SECRET, raw, content_type="application/x-www-form-urlencoded")
        async with self.http.post(self.url, data=raw, headers=headers) as r:
            assert r.status == 200
        self.sent += 1
        return (await self.fake.wait_for_response(before + 1, timeout=8))[-1]


def test_database_lost_while_running_keeps_the_bot_working_and_is_written_when_back(schema, logs):
    async def scenario():
        async with TcpProxy("127.0.0.1", _pg_port()) as proxy, \
                FakeSlack(team_id=TEAM, users=USERS, channels=CHANNELS) as fake, aiohttp.ClientSession() as http:
            url = _via(proxy)
            settings = Settings(
                _env_file=None, database_url=url, database_schema=schema, database_timeout_seconds=2,
                database_retry_seconds=0.2, settings_cache_seconds=0,
                slack=SlackSettings(bot_token=fake.bot_token, signing_secret=SECRET, api_url=fake.api_url, mode="http"),
            )
            store = await open_store_from(settings)
            assert isinstance(store, ResilientStore)
            adapter = SlackAdapter(Engine(store, settings), settings)
            runner = web.AppRunner(adapter.web_app(), access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            bot = Bot(fake, adapter, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/slack/events",
                      http)
            try:
                await bot.message("good morning everyone")  # up: a normal message, the pool is warm
                proxy.cut()

                # -- the database is away: everything that matters still happens -----------------
                await bot.message(CRITICISM, user="UALICE")
                assert len(fake.calls_to("chat.postEphemeral")) == 1
                assert store.down
                await bot.message(CRITICISM.replace("idiot", "moron"), user="UALICE")  # the cooldown holds
                assert len(fake.calls_to("chat.postEphemeral")) == 1
                crisis_ts = f"{time.time():.6f}"
                crisis_id = await bot.message(CRISIS, user="UBOB", ts=crisis_ts)
                dms = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "DBOB"]
                alerts = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0MODS"]
                assert len(dms) == 1 and len(alerts) == 1
                await bot.message(CRISIS, user="UBOB", ts=crisis_ts, event_id=crisis_id, retry=1)  # Slack's retry
                assert len([c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0MODS"]) == 1
                await bot.event({"type": "team_join", "user": {"id": "UNEW", "name": "new", "profile": {}}})
                welcome = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0WELCOME"]
                assert len(welcome) == 1 and "<@UNEW>" in welcome[0].args["text"]
                # the daily prompt waits rather than risk a second one
                nine = datetime.now(settings.community.zone).replace(hour=9, minute=5, second=0, microsecond=0)
                await adapter.tick(TEAM, nine)
                assert not [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0GENERAL"]
                # a moderator's change is refused, and says so
                reply = await bot.command("threshold 0.9")
                assert "database is unavailable" in reply["text"] and "nothing was changed" in reply["text"]
                assert store.pending["nudge"] == 1 and store.pending["crisis"] == 1 and store.pending["join"] == 1
                # It keeps trying the database while away (every 0.2 s here). Waited for, not
                # read at once: on a loaded machine the first try may not have come yet.
                deadline = time.monotonic() + 10
                while proxy.refused == 0:
                    assert time.monotonic() < deadline, "the store never tried the database again"
                    await asyncio.sleep(0.05)

                # -- it comes back: the journal is written, then the database is used again ------
                proxy.restore()
                deadline = time.monotonic() + 8
                while store.down:
                    assert time.monotonic() < deadline, "the store never went back to the database"
                    await asyncio.sleep(0.05)
                assert store.pending == {}
                nudged = await _rows(schema, "SELECT member_id, category FROM nudges")
                assert [(r["member_id"], r["category"]) for r in nudged] == [("UALICE", "criticism")]
                assert [r["member_id"] for r in await _rows(schema, "SELECT member_id FROM crisis_alerts")] == ["UBOB"]
                joins = await _rows(schema, "SELECT member_id, greeted_at FROM joins")
                assert [r["member_id"] for r in joins] == ["UNEW"] and joins[0]["greeted_at"] is not None
                cooldown = await _rows(schema, "SELECT member_id FROM nudge_cooldowns")
                assert [r["member_id"] for r in cooldown] == ["UALICE"]
                events = {r["event_id"] for r in await _rows(schema, "SELECT event_id FROM processed_events")}
                assert crisis_id in events or len(events) >= 3
                # the same crisis redelivered now: the database knows it was alerted
                await bot.message(CRISIS, user="UBOB", ts=crisis_ts, event_id=crisis_id, retry=2)
                assert len([c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0MODS"]) == 1
                # the prompt that waited is posted now (still on time), once
                await adapter.tick(TEAM, nine + timedelta(minutes=15))
                await adapter.tick(TEAM, nine + timedelta(minutes=16))
                prompts = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0GENERAL"]
                assert len(prompts) == 1
                # and settings can be changed again
                assert "0.90" in (await bot.command("threshold 0.9"))["text"]
            finally:
                await runner.cleanup()
                await store.close()
        said = "\n".join(logs)
        assert "database unavailable" in said and "database available again" in said
        assert "1 nudges" in said and "1 crisis alerts" in said and "1 joins" in said
        assert CRITICISM not in said and CRISIS not in said

    asyncio.run(scenario())


def test_shutdown_with_the_database_still_away_says_exactly_what_it_dropped(schema, logs):
    async def scenario():
        async with TcpProxy("127.0.0.1", _pg_port()) as proxy:
            inner = await open_store(_via(proxy), schema=schema)
            store = ResilientStore(inner, timeout=2, retry_seconds=60)
            engine = Engine(store, Settings(_env_file=None, database_url="sqlite+aiosqlite:///unused.db"),
                            analyze=scripted({"mean": report("criticism", 0.9, "nudge"),
                                              "help": report("crisis", 1.0, "crisis")}))
            proxy.cut()
            assert [type(a).__name__ for a in await engine.handle(posted("mean", author="ana"))] == ["PrivateNudge"]
            kinds = [type(a).__name__ for a in await engine.handle(posted("help", author="bo"))]
            assert kinds == ["CrisisSupport", "AlertModerators"]
            actions = await engine.handle(joined("cy", T0))
            assert "PrivateMessage" in [type(a).__name__ for a in actions]
            await engine.handle(posted("hello", author="di"))
            reply = await engine.handle(command("nudges off"))
            assert not reply[0].ok and "unavailable" in reply[0].text
            assert store.down and store.pending == {"nudge": 1, "crisis": 1, "join": 1, "event": 5}
            await store.close()
            assert store.dropped == {"nudge": 1, "crisis": 1, "join": 1, "event": 5}

    asyncio.run(scenario())
    said = "\n".join(logs)
    assert "dropped what was done while it was away: 1 crisis alerts, 5 handled event ids, 1 joins, 1 nudges" in said


def test_the_event_id_writer_backs_off_and_logs_once_while_postgresql_is_away(schema, logs):
    """It used to try again every ~24 ms with a full traceback each time (1,263 in 30 s)."""
    async def scenario():
        async with TcpProxy("127.0.0.1", _pg_port()) as proxy:
            store = await open_store(_via(proxy), schema=schema)
            try:
                await store.claim_event(COMMUNITY, "before", T0)  # the pool is warm, then it goes
                proxy.cut()
                for n in range(10):  # messages keep coming while it is away
                    store.record_event(COMMUNITY, f"away-{n}", T0)
                    await asyncio.sleep(0.1)
                await asyncio.sleep(1.0)
                tries = proxy.refused
                proxy.restore()
                assert 1 <= tries <= 8, tries  # 0.1 + 0.2 + 0.4 + 0.8 s: about 5 tries, not 40
                deadline = time.monotonic() + 10
                while store._pending:
                    assert time.monotonic() < deadline, "the ids recorded meanwhile were never written"
                    await asyncio.sleep(0.05)
                store.record_event(COMMUNITY, "after", T0)
                await store.drain()
            finally:
                await store.close()
        events = {r["event_id"] for r in await _rows(schema, "SELECT event_id FROM processed_events")}
        assert events == {"before", "after", *(f"away-{n}" for n in range(10))}

    root = logging.getLogger()
    tracebacks = Tracebacks()
    root.addHandler(tracebacks)
    try:
        asyncio.run(scenario())
    finally:
        root.removeHandler(tracebacks)
    store_lines = [line for line in logs if "peerbot.store" in line]
    assert len([line for line in store_lines if "writing handled event ids failed" in line]) == 1, store_lines
    assert len([line for line in store_lines if "writing handled event ids works again" in line]) == 1, store_lines
    assert tracebacks.count == 0


def test_the_resilient_store_takes_the_ids_the_writer_could_not_write_instead_of_retrying(schema, logs):
    async def scenario():
        async with TcpProxy("127.0.0.1", _pg_port()) as proxy:
            store = ResilientStore(await open_store(_via(proxy), schema=schema), timeout=2, retry_seconds=60)
            try:
                await store.claim_event(COMMUNITY, "before", T0)
                proxy.cut()
                for n in range(5):
                    store.record_event(COMMUNITY, f"away-{n}", T0)
                await asyncio.sleep(1.5)
                assert store.down and store.pending == {"event": 5}
                assert proxy.refused <= 1  # handed over at the first failure; the probe waits its turn
                proxy.restore()
                assert await store.recover() and store.pending == {}
            finally:
                await store.close()
        events = {r["event_id"] for r in await _rows(schema, "SELECT event_id FROM processed_events")}
        assert events == {"before", *(f"away-{n}" for n in range(5))}

    asyncio.run(scenario())


class Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.name.startswith("peerbot"):
            self.count += 1


def _pg_port() -> int:
    return int(PG_URL.rsplit(":", 1)[1].split("/")[0])


def _via(proxy: TcpProxy) -> str:
    return PG_URL.replace(f"127.0.0.1:{_pg_port()}", f"127.0.0.1:{proxy.port}")


def test_a_full_journal_drops_event_ids_first_and_counts_them(tmp_path, logs):
    async def scenario():
        inner = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
        store = ResilientStore(inner, timeout=1, retry_seconds=60, journal_limit=3)
        store.down = True
        await store._memory.claim_crisis_alert(COMMUNITY, CrisisAlert(channel_id="c", member_id="m", message_id="1",
                                                                      at=T0))
        for n in range(5):
            store.record_event(COMMUNITY, f"e{n}", T0)
        assert store.pending == {"crisis": 1, "event": 2} and store.dropped == {"event": 3}
        store.down = False
        await store.close()

    asyncio.run(scenario())
    assert any("journal is full" in line and "dropped so far 1 handled event ids" in line for line in logs)


# -- unavailable at start ---------------------------------------------------------------------------


def _run(platform: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PEERBOT_", "SLACK_"))}
    return subprocess.run([sys.executable, "-m", "peerbot.cli", "run", platform], cwd=cwd, env={**base, **env},
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("platform,where", [("discord", "postgresql refused"), ("slack", "postgresql unknown host"),
                                            ("slack", "sqlite folder missing")])
def test_database_unavailable_at_start_is_one_clear_line_and_exit_code_1(tmp_path, platform, where):
    closed = _closed_port()
    url = {
        "postgresql refused": f"postgresql+asyncpg://peerbot:pw-s3cret@127.0.0.1:{closed}/peerbot",
        "postgresql unknown host": "postgresql+asyncpg://peerbot:pw-s3cret@no-such-host.invalid/peerbot",
        "sqlite folder missing": f"sqlite+aiosqlite:///{tmp_path}/missing/folder/peerbot.db",
    }[where]
    env = {"PEERBOT_DATABASE_URL": url, "PEERBOT_DISCORD__TOKEN": "discord-token-s3cret",
           "PEERBOT_SLACK__BOT_TOKEN": "xoxb-token-s3cret", "PEERBOT_SLACK__SIGNING_SECRET": "signing-s3cret",
           "PEERBOT_SLACK__MODE": "http", "PEERBOT_SLACK__API_URL": f"http://127.0.0.1:{closed}/api/"}
    done = _run(platform, env, tmp_path)
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("peerbot: error: cannot use the database at "), done.stderr
    assert "Traceback" not in done.stderr
    if where.startswith("postgresql"):
        assert "peerbot:********@" in lines[-1]
    for secret in ("pw-s3cret", "discord-token-s3cret", "xoxb-token-s3cret", "signing-s3cret"):
        assert secret not in done.stderr + done.stdout


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
