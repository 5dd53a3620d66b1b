"""The loopback fake Slack itself, proven against the real slack-bolt AsyncApp."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from fakes.slack_server import FakeSlack, event_callback, signed_headers

SECRET = "fake-signing-secret"


@pytest.fixture(autouse=True)
def _no_oauth_env(monkeypatch):
    monkeypatch.delenv("SLACK_CLIENT_ID", raising=False)
    monkeypatch.delenv("SLACK_CLIENT_SECRET", raising=False)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def slack_errors():
    handler = _Errors()
    loggers = [logging.getLogger(n) for n in ("slack_bolt", "slack_sdk")]
    for lg in loggers:
        lg.addHandler(handler)
    yield handler.records
    for lg in loggers:
        lg.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]


def _app(fake: FakeSlack) -> AsyncApp:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    app = AsyncApp(client=client, signing_secret=SECRET)

    @app.event("message")
    async def echo(event, say):
        await say(text="seen", channel=event["channel"])

    return app


async def _serve(app: AsyncApp) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app.web_app(path="/slack/events"), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}/slack/events"


def test_signed_http_event_reaches_fake_web_api(slack_errors):
    async def scenario():
        async with FakeSlack() as fake:
            runner, url = await _serve(_app(fake))
            try:
                body = json.dumps(event_callback(
                    {"type": "message", "channel": "C0GENERAL", "user": "UALICE", "text": "hi", "ts": "1.1"},
                    team_id=fake.team_id)).encode()
                async with aiohttp.ClientSession() as http:
                    bad = dict(signed_headers(SECRET, body), **{"X-Slack-Signature": "v0=" + "0" * 64})
                    async with http.post(url, data=body, headers=bad) as r:
                        assert r.status == 401
                    stale = signed_headers(SECRET, body, timestamp=int(time.time()) - 600)
                    async with http.post(url, data=body, headers=stale) as r:
                        assert r.status == 401
                    async with http.post(url, data=body, headers=signed_headers(SECRET, body)) as r:
                        assert r.status == 200
                calls = await fake.wait_for("chat.postMessage")
                assert len(calls) == 1
                assert calls[0].args["channel"] == "C0GENERAL"
                assert calls[0].token == fake.bot_token
                assert [c.method for c in fake.calls] == ["auth.test", "chat.postMessage"]
            finally:
                await runner.cleanup()

    asyncio.run(scenario())


def test_socket_mode_ack_and_reconnect(slack_errors):
    async def scenario():
        async with FakeSlack() as fake:
            app = _app(fake)
            handler = AsyncSocketModeHandler(app, fake.app_token, ping_interval=1)
            await handler.connect_async()
            try:
                await fake.wait_connected(1)
                env = await fake.send_event(
                    {"type": "message", "channel": "C0GENERAL", "user": "UALICE", "text": "hi", "ts": "1.1"})
                await fake.wait_ack(env)
                await fake.wait_for("chat.postMessage")
                await fake.send_disconnect()
                await fake.wait_connected(2)
                assert fake.connections_opened == 2
                env2 = await fake.send_event(
                    {"type": "message", "channel": "C0GENERAL", "user": "UALICE", "text": "again", "ts": "1.2"})
                ack = await fake.wait_ack(env2)
                assert ack.connection == 2
                await fake.wait_for("chat.postMessage", 2)
            finally:
                await handler.close_async()

    asyncio.run(scenario())
