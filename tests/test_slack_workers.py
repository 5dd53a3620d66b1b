"""Slack HTTP mode under several worker processes on one port (SO_REUSEPORT) sharing one
PostgreSQL: every `peerbot run slack` is a real process; Slack's retries land on any worker."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sys
import time

import aiohttp

from db_kit import pg_db  # noqa: F401 - fixture
from timing import STARTUP_SECONDS
from fakes.slack_server import FakeSlack, event_callback, signed_headers

SECRET = "workers-signing-secret"
TEAM = "T0WORKERS"
CHANNELS = {"C0GENERAL": "general", "C0WELCOME": "welcome", "C0MODS": "moderators"}
USERS = {"UALICE": {"profile": {"display_name": "Alice"}}, "UBOB": {"profile": {"display_name": "Bob"}}}
CRITICISM = "<@UBOB> you're an idiot and you always ruin everything"
CRISIS = "I want to kill myself tonight"
WORKERS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _start(env: dict[str, str], tmp_path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "peerbot.cli", "run", "slack", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def _serving(proc: asyncio.subprocess.Process) -> None:
    """Wait for the worker's "serving" log line (it has migrated and is listening)."""
    while True:
        line = await asyncio.wait_for(proc.stderr.readline(), STARTUP_SECONDS)
        assert line, "worker exited before serving"
        if b"peerbot serving Slack workspace" in line:
            return


def test_http_workers_on_one_port_share_postgresql_and_act_once(pg_db, tmp_path):
    async def scenario():
        async with FakeSlack(team_id=TEAM, users=USERS, channels=CHANNELS) as fake:
            port = _free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERBOT_", "SLACK_"))}
            env.update(pg_db.env())
            env.update({
                "PEERBOT_SLACK__MODE": "http", "PEERBOT_SLACK__HOST": "127.0.0.1", "PEERBOT_SLACK__PORT": str(port),
                "PEERBOT_SLACK__API_URL": fake.api_url, "PEERBOT_SLACK__BOT_TOKEN": fake.bot_token,
                "PEERBOT_SLACK__SIGNING_SECRET": SECRET, "PEERBOT_COMMUNITY__PROMPTS__ENABLED": "false",
                "PEERBOT_LOG_LEVEL": "INFO",
            })
            # All workers start at once on an empty schema: they migrate once, between them.
            procs = [await _start(env, tmp_path) for _ in range(WORKERS)]
            logs: list[bytes] = [b""] * WORKERS
            try:
                await asyncio.gather(*(_serving(p) for p in procs))
                url = f"http://127.0.0.1:{port}/slack/events"
                posts = []
                base = time.time()
                for n in range(6):  # criticism from one member, six messages: the cooldown is shared
                    posts.append(event_callback({"type": "message", "channel": "C0GENERAL", "user": "UALICE",
                                                 "text": CRITICISM, "ts": f"{base + n:.6f}",
                                                 "channel_type": "channel"}, team_id=TEAM))
                for n in range(4):  # crisis from another: every message gets resources and an alert
                    posts.append(event_callback({"type": "message", "channel": "C0GENERAL", "user": "UBOB",
                                                 "text": CRISIS, "ts": f"{base + 10 + n:.6f}",
                                                 "channel_type": "channel"}, team_id=TEAM))
                posts.append(event_callback({"type": "team_join", "user": {"id": "UNEW", "name": "newcomer"}},
                                            team_id=TEAM))

                async def deliver(body: dict, retry: int) -> None:
                    raw = json.dumps(body).encode()
                    # a new connection each time, so the kernel spreads them over the workers
                    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
                        async with http.post(url, data=raw, headers=signed_headers(SECRET, raw, retry_num=retry
                                                                                   or None)) as r:
                            assert r.status == 200

                # Each event three times (Slack's retries), all at once.
                await asyncio.gather(*(deliver(body, retry) for body in posts for retry in range(3)))
                # Generous: three processes share two CPUs with the rest of the suite.
                await fake.wait_for("chat.postEphemeral", 1, timeout=STARTUP_SECONDS)
                alerts = lambda: [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0MODS"]  # noqa: E731
                await fake.wait_until(lambda: len(alerts()) >= 4, STARTUP_SECONDS)
                await fake.wait_until(lambda: any(c.args["channel"] == "C0WELCOME"
                                                  for c in fake.calls_to("chat.postMessage")), STARTUP_SECONDS)
                await asyncio.sleep(0.5)  # anything extra would arrive now
                assert [c.args["user"] for c in fake.calls_to("chat.postEphemeral")] == ["UALICE"]
                assert len(alerts()) == 4
                dms = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "DBOB"]  # the DM with UBOB
                assert len(dms) == 4
                assert len([c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C0WELCOME"]) == 1
            finally:
                for proc in procs:
                    if proc.returncode is None:
                        proc.send_signal(signal.SIGTERM)
                for n, proc in enumerate(procs):
                    out, err = await asyncio.wait_for(proc.communicate(), 10)
                    logs[n] = out + err
            assert all(proc.returncode == 0 for proc in procs), [log[-2000:] for log in logs]
            # The kernel gave work to more than one worker, and nobody logged a message text.
            busy = [n for n, log in enumerate(logs) if re.search(rb"message [0-9.]+: ", log)]
            assert len(busy) >= 2, busy
            for log in logs:
                assert CRITICISM.encode() not in log and CRISIS.encode() not in log
                assert SECRET.encode() not in log and fake.bot_token.encode() not in log

    asyncio.run(scenario())
