"""End to end: the real slack-bolt app, the real engine and store, a fake Slack on 127.0.0.1.

Events arrive as real signed HTTP requests (or over a real Socket Mode websocket); every
effect is observed as a Web API call the fake recorded. Errors logged by slack_bolt,
slack_sdk or peerbot fail the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr

from timing import STARTUP_SECONDS
from fakes.slack_server import (
    FakeSlack,
    block_actions_body,
    block_actions_payload,
    event_callback,
    signed_headers,
    slash_command_body,
    slash_command_payload,
)
from peerbot.adapters.slack import SlackAdapter
from peerbot.engine import Engine
from peerbot.events import Community
from peerbot.settings import Settings, SlackSettings
from peerbot.store import open_store

SECRET = "e2e-signing-secret"
TEAM = "T0FAKE"
CHANNELS = {"C0GENERAL": "general", "C0WELCOME": "welcome", "C0MODS": "moderators", "C0VENT": "vent"}
USERS = {
    "UALICE": {"profile": {"display_name": "Alice"}},
    "UBOB": {"profile": {"display_name": "Bob"}},
    "UADMIN": {"is_admin": True},
    "UOWNER": {"is_owner": True},
    "UGROUPMOD": {},
    "UCONFMOD": {},
}
MODERATORS = ("UCONFMOD", "SMODS")

CRITICISM = "<@UBOB> you're an idiot and you always ruin everything"
STRUGGLE = "I feel useless and exhausted today"
CRISIS = "I want to kill myself tonight"
KIND = "thanks everyone, great meeting"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    # Bolt switches to OAuth mode when these are set; peerbot settings must come from the test.
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    import os

    for name in list(os.environ):
        if name.startswith("PEERBOT_"):
            monkeypatch.delenv(name)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logs():
    """Every INFO+ record of slack_bolt, slack_sdk and peerbot; any ERROR fails the test."""
    handler = _Capture()
    loggers = [logging.getLogger(name) for name in ("slack_bolt", "slack_sdk", "peerbot")]
    old = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield handler.records
    for lg, level in zip(loggers, old, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)
    errors = [f"{r.name}: {r.getMessage()}" for r in handler.records if r.levelno >= logging.ERROR]
    assert not errors, errors


@dataclass
class Worker:
    adapter: SlackAdapter
    url: str
    runner: web.AppRunner
    store: Any


@dataclass
class World:
    fake: FakeSlack
    workers: list[Worker]
    http: aiohttp.ClientSession
    settings: Settings
    community: Community = field(default_factory=lambda: Community("slack", TEAM, "Fake Community"))

    @property
    def adapter(self) -> SlackAdapter:
        return self.workers[0].adapter

    @property
    def handled(self) -> int:
        return sum(w.adapter.handled for w in self.workers)

    async def settle(self, count: int, timeout: float = 3.0) -> None:
        """Wait until ``count`` listener runs finished, over all workers."""
        deadline = time.monotonic() + timeout
        while self.handled < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {self.handled} of {count} listener runs finished")
            await asyncio.sleep(0.005)

    async def post(self, body: bytes, headers: dict[str, str], worker: int = 0) -> tuple[int, str]:
        async with self.http.post(self.workers[worker].url, data=body, headers=headers) as resp:
            return resp.status, await resp.text()

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, worker: int = 0,
                    retry_num: int | None = None, body: dict[str, Any] | None = None) -> str:
        envelope = body or event_callback(event, team_id=TEAM, event_id=event_id)
        raw = json.dumps(envelope).encode()
        status, _ = await self.post(raw, signed_headers(SECRET, raw, retry_num=retry_num), worker)
        assert status == 200
        return envelope["event_id"]

    async def message(self, text: str, *, user: str = "UALICE", channel: str = "C0GENERAL",
                      ts: str | None = None, **extra: Any) -> str:
        ts = ts or f"{time.time():.6f}"
        return await self.event({"type": "message", "channel": channel, "user": user, "text": text,
                                 "ts": ts, "event_ts": ts, "channel_type": "channel", **extra})

    async def command(self, text: str, user: str) -> None:
        raw = slash_command_body(text=text, user_id=user, team_id=TEAM, response_url=self.fake.response_url())
        status, _ = await self.post(raw, signed_headers(SECRET, raw, content_type="application/x-www-form-urlencoded"))
        assert status == 200

    async def click(self, user: str, verdict: str, nudge_id: str) -> None:
        raw = block_actions_body(user_id=user, team_id=TEAM, action_id=f"peerbot_feedback_{verdict}",
                                 value=nudge_id, response_url=self.fake.response_url())
        status, _ = await self.post(raw, signed_headers(SECRET, raw, content_type="application/x-www-form-urlencoded"))
        assert status == 200


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/slack/events"


def _settings(fake: FakeSlack, db: str, community: dict[str, Any] | None = None, **slack: Any) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{db}",
        community=community or {},
        slack=SlackSettings(bot_token=fake.bot_token, app_token=fake.app_token, signing_secret=SECRET,
                            api_url=fake.api_url, mode="http", **slack),
    )


@contextlib.asynccontextmanager
async def world(tmp_path, *, workers: int = 1, community: dict[str, Any] | None = None) -> AsyncIterator[World]:
    fake = await FakeSlack(team_id=TEAM, users=USERS, usergroups={"SMODS": ["UGROUPMOD"]}, channels=CHANNELS).start()
    settings = _settings(fake, str(tmp_path / "peerbot.db"), community)
    started: list[Worker] = []
    http = aiohttp.ClientSession()
    try:
        for _ in range(workers):  # separate stores and engines over one database, as separate processes
            store = await open_store(settings.database_url)
            adapter = SlackAdapter(Engine(store, settings), settings, moderators=MODERATORS)
            runner, url = await _serve(adapter.web_app())
            started.append(Worker(adapter, url, runner, store))
        yield World(fake, started, http, settings)
    finally:
        await http.close()
        for w in started:
            await w.runner.cleanup()
            await w.store.close()
        await fake.stop()


def run(coro: Any) -> None:
    asyncio.run(coro)


def visible(fake: FakeSlack) -> list[str]:
    return [c.method for c in fake.action_calls()]


# -- welcomes ------------------------------------------------------------------------------


def test_welcome_on_team_join_and_no_second_welcome_from_the_channel_join(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            await w.event({"type": "team_join", "user": {"id": "UNEW", "name": "newbie", "is_bot": False,
                                                          "profile": {"display_name": "Newbie"}}})
            await w.settle(1)
            posts = w.fake.calls_to("chat.postMessage")
            public = [c for c in posts if c.args["channel"] == "C0WELCOME"]
            assert len(public) == 1 and "<@UNEW>" in public[0].args["text"]
            # the private welcome went by DM
            assert w.fake.calls_to("conversations.open")[0].args["users"] == "UNEW"
            assert any(c.args["channel"] == "DNEW" for c in posts)
            before = len(w.fake.action_calls())
            # Slack also says the newcomer joined #welcome: the same join, not a second welcome
            await w.event({"type": "member_joined_channel", "user": "UNEW", "channel": "C0WELCOME",
                           "channel_type": "C", "team": TEAM})
            # joining another channel is no join at all
            await w.event({"type": "member_joined_channel", "user": "UALICE", "channel": "C0GENERAL",
                           "channel_type": "C", "team": TEAM})
            await w.settle(3)
            assert len(w.fake.action_calls()) == before

    run(scenario())


def test_team_join_and_channel_join_across_utc_midnight_are_one_welcome(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            midnight = int(datetime(2025, 3, 11, tzinfo=UTC).timestamp())
            await w.event({}, body=event_callback(
                {"type": "team_join", "user": {"id": "UNEW", "name": "newbie", "profile": {}}},
                team_id=TEAM, event_time=midnight - 1))
            await w.event({}, body=event_callback(
                {"type": "member_joined_channel", "user": "UNEW", "channel": "C0WELCOME", "channel_type": "C",
                 "team": TEAM}, team_id=TEAM, event_time=midnight + 1))
            await w.settle(2)
            public = [c.args["text"] for c in w.fake.calls_to("chat.postMessage") if c.args["channel"] == "C0WELCOME"]
            assert len(public) == 1 and "Welcome back" not in public[0]
            assert any(c.args["channel"] == "DNEW" for c in w.fake.calls_to("chat.postMessage"))

    run(scenario())


def test_member_joining_the_welcome_channel_is_welcomed(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            await w.event({"type": "member_joined_channel", "user": "UALICE", "channel": "C0WELCOME",
                           "channel_type": "C", "team": TEAM})
            await w.settle(1)
            public = [c for c in w.fake.calls_to("chat.postMessage") if c.args["channel"] == "C0WELCOME"]
            assert len(public) == 1 and "<@UALICE>" in public[0].args["text"]

    run(scenario())


# -- messages ------------------------------------------------------------------------------


def test_criticism_gets_an_ephemeral_nudge_with_feedback_buttons(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            await w.message(CRITICISM, user="UALICE")
            await w.settle(1)
            assert visible(w.fake) == ["chat.postEphemeral"]  # nothing public, no DM
            nudge = w.fake.calls_to("chat.postEphemeral")[0]
            assert nudge.args["user"] == "UALICE" and nudge.args["channel"] == "C0GENERAL"
            assert CRITICISM not in json.dumps(nudge.args)
            buttons = nudge.args["blocks"][-1]["elements"]
            labels = [b["text"]["text"] for b in buttons]
            assert "Thanks" in labels and "This wasn't fair" in labels
            assert len({b["value"] for b in buttons}) == 1  # every button carries the nudge id
            # the mention was resolved to a name for the analyzer
            assert w.fake.calls_to("users.info")[0].args["user"] == "UBOB"

    run(scenario())


def test_nudge_for_a_thread_reply_stays_in_the_thread(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            await w.message(CRITICISM, user="UALICE", thread_ts="1700000000.000100")
            await w.settle(1)
            nudge = w.fake.calls_to("chat.postEphemeral")[0]
            assert nudge.args["thread_ts"] == "1700000000.000100"

    run(scenario())


def test_struggle_share_and_kind_words_get_nothing(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            await w.message(STRUGGLE)
            await w.message(KIND, user="UBOB")
            await w.settle(2)
            assert visible(w.fake) == []

    run(scenario())


def test_bots_self_and_system_subtypes_are_ignored(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            ts = f"{time.time():.6f}"
            await w.event({"type": "message", "channel": "C0GENERAL", "bot_id": "BOTHER", "text": CRITICISM,
                           "ts": ts, "subtype": "bot_message", "channel_type": "channel"})
            await w.event({"type": "message", "channel": "C0GENERAL", "user": "UOTHERBOT", "bot_id": "BOTHER",
                           "text": CRITICISM, "ts": ts, "channel_type": "channel"})
            await w.message(CRITICISM, user="UBOT")  # peerbot itself
            await w.message(CRITICISM, subtype="channel_join")
            await w.message(CRITICISM, channel="G0ALICEBOB", channel_type="mpim")  # a group DM
            await w.settle(4)  # Bolt drops peerbot's own message before any listener
            await asyncio.sleep(0.05)
            assert visible(w.fake) == []

    run(scenario())


def test_edit_into_criticism_is_re_evaluated_and_nudged_once(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            ts = f"{time.time():.6f}"
            await w.message(KIND, ts=ts)
            edit = {"type": "message", "subtype": "message_changed", "channel": "C0GENERAL", "hidden": True,
                    "channel_type": "channel", "ts": f"{time.time() + 1:.6f}",
                    "message": {"type": "message", "user": "UALICE", "text": CRITICISM, "ts": ts},
                    "previous_message": {"type": "message", "user": "UALICE", "text": KIND, "ts": ts}}
            await w.event(edit)
            await w.settle(2)
            assert visible(w.fake) == ["chat.postEphemeral"]
            # a second edit of the same message is not nudged again
            edit2 = dict(edit, ts=f"{time.time() + 2:.6f}",
                         message=dict(edit["message"], text=CRITICISM + "!"),
                         previous_message=dict(edit["message"]))
            await w.event(edit2)
            await w.settle(3)
            assert visible(w.fake) == ["chat.postEphemeral"]

    run(scenario())


def test_crisis_gets_private_resources_and_a_moderator_alert_with_a_permalink(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            ts = "1712345678.123456"
            await w.message(CRISIS, user="UALICE", ts=ts)
            await w.settle(1)
            assert w.fake.calls_to("conversations.open")[0].args["users"] == "UALICE"
            posts = w.fake.calls_to("chat.postMessage")
            dm = [c for c in posts if c.args["channel"] == "DALICE"]
            alert = [c for c in posts if c.args["channel"] == "C0MODS"]
            assert len(dm) == 1 and len(alert) == 1
            assert "https://fake.slack.com/archives/C0GENERAL/p1712345678123456" in alert[0].args["text"]
            assert "<@UALICE>" in alert[0].args["text"]
            for call in posts + w.fake.calls_to("chat.postEphemeral"):
                assert CRISIS not in json.dumps(call.args)
            assert not w.fake.calls_to("chat.postEphemeral")  # no nudge for crisis
        # never a message text in any log line
        assert all(CRISIS not in r.getMessage() for r in logs)

    run(scenario())


# -- request verification and retries -----------------------------------------------------


def test_bad_signature_stale_timestamp_and_missing_headers_get_401_and_no_action(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            raw = json.dumps(event_callback({"type": "message", "channel": "C0GENERAL", "user": "UALICE",
                                             "text": CRISIS, "ts": "1.1", "channel_type": "channel"},
                                            team_id=TEAM)).encode()
            good = signed_headers(SECRET, raw)
            cases = [
                dict(good, **{"X-Slack-Signature": "v0=" + "0" * 64}),
                signed_headers("some-other-secret", raw),
                signed_headers(SECRET, raw, timestamp=int(time.time()) - 6 * 60),
                signed_headers(SECRET, raw, timestamp=int(time.time()) + 6 * 60),
                {"Content-Type": "application/json"},
            ]
            for headers in cases:
                status, _ = await w.post(raw, headers)
                assert status == 401
            # a body changed after signing is refused too
            status, _ = await w.post(raw.replace(b"UALICE", b"UBOB"), good)
            assert status == 401
            await asyncio.sleep(0.05)
            assert w.handled == 0 and w.fake.calls == []

    run(scenario())


def test_retried_event_produces_one_action_even_on_another_worker(tmp_path, logs):
    async def scenario():
        async with world(tmp_path, workers=2) as w:
            body = event_callback({"type": "message", "channel": "C0GENERAL", "user": "UALICE", "text": CRITICISM,
                                   "ts": f"{time.time():.6f}", "channel_type": "channel"}, team_id=TEAM)
            await w.event({}, body=body)
            await w.event({}, body=body, retry_num=1)  # same worker
            await w.event({}, body=body, retry_num=2, worker=1)  # a second process behind the balancer
            await w.settle(3)
            assert visible(w.fake) == ["chat.postEphemeral"]
            assert w.workers[1].adapter.handled >= 1

    run(scenario())


# -- moderator command ------------------------------------------------------------------------


def test_moderator_command_works_for_admins_owners_groups_and_configured_ids(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            for n, (user, value) in enumerate((("UADMIN", "0.7"), ("UOWNER", "0.65"), ("UGROUPMOD", "0.6"),
                                               ("UCONFMOD", "0.55")), start=1):
                await w.command(f"threshold {value}", user)
                replies = await w.fake.wait_for_response(n)
                assert value in replies[-1]["text"], replies[-1]
                assert replies[-1]["response_type"] == "ephemeral"
            trail = await w.workers[0].store.audit_trail(w.community)
            assert [e.actor_id for e in trail][:4] == ["UCONFMOD", "UGROUPMOD", "UOWNER", "UADMIN"]
            assert (await w.workers[0].store.overrides(w.community))["nudges.threshold"] == 0.55
            assert w.fake.calls_to("usergroups.users.list")[0].args["usergroup"] == "SMODS"
            # stats work too and carry no message text
            await w.command("stats", "UADMIN")
            assert (await w.fake.wait_for_response(5))[-1]["text"]

    run(scenario())


def test_moderator_moves_the_welcome_channel_and_it_is_audited(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            w.fake.channels["C0NEWBIES"] = "newcomers"
            await w.command("channel welcome #newcomers", "UALICE")  # not a moderator
            assert "Only moderators" in (await w.fake.wait_for_response(1))[0]["text"]
            await w.command("channel welcome #newcomers", "UADMIN")
            assert "Welcomes go to #newcomers" in (await w.fake.wait_for_response(2))[-1]["text"]
            trail = await w.workers[0].store.audit_trail(w.community)
            assert [(e.key, e.new_value, e.actor_id) for e in trail] == [("welcome.channel", "newcomers", "UADMIN")]
            # joining the new welcome channel is a join; the old one no longer is
            await w.event({"type": "member_joined_channel", "user": "UBOB", "channel": "C0WELCOME",
                           "channel_type": "C", "team": TEAM})
            await w.event({"type": "member_joined_channel", "user": "UALICE", "channel": "C0NEWBIES",
                           "channel_type": "C", "team": TEAM})
            await w.settle(4)
            public = [c.args for c in w.fake.calls_to("chat.postMessage") if c.args["channel"].startswith("C")]
            assert [(a["channel"], "<@UALICE>" in a["text"]) for a in public] == [("C0NEWBIES", True)]
            # Slack's escaped channel mention names the channel by id
            await w.command("channel prompts <#C0VENT|vent>", "UCONFMOD")
            assert "Daily prompts go to <#C0VENT>" in (await w.fake.wait_for_response(3))[-1]["text"]

    run(scenario())


def test_non_moderator_command_is_refused_and_changes_nothing(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            await w.command("threshold 0.9", "UALICE")
            reply = (await w.fake.wait_for_response(1))[0]
            assert "0.9" not in reply["text"] and reply["response_type"] == "ephemeral"
            assert await w.workers[0].store.overrides(w.community) == {}
            assert await w.workers[0].store.audit_trail(w.community) == []
            assert w.fake.calls_to("users.info")[0].args["user"] == "UALICE"

    run(scenario())


# -- feedback buttons ---------------------------------------------------------------------------


def test_nudge_button_feedback_is_recorded(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            await w.message(CRITICISM, user="UALICE")
            await w.settle(1)
            nudge_id = w.fake.calls_to("chat.postEphemeral")[0].args["blocks"][-1]["elements"][0]["value"]
            await w.click("UALICE", "not_helpful", nudge_id)
            reply = (await w.fake.wait_for_response(1))[0]
            assert reply["replace_original"] is True and reply["text"]
            await w.click("UBOB", "helpful", nudge_id)  # someone else's nudge: not counted
            await w.settle(3)
            stats = await w.workers[0].store.stats(w.community, datetime.now(UTC) - timedelta(days=1))
            assert stats.feedback == {"not_helpful": 1}

    run(scenario())


# -- prompts, failures -----------------------------------------------------------------------


def test_daily_prompt_is_posted_once_with_a_thread_invitation(tmp_path, logs):
    async def scenario():
        async with world(tmp_path, workers=2) as w:
            zone = w.settings.community.zone
            nine = datetime.now(zone).replace(hour=9, minute=5, second=0, microsecond=0)
            await w.workers[0].adapter.tick(TEAM, nine)
            await w.workers[1].adapter.tick(TEAM, nine + timedelta(seconds=15))
            posts = w.fake.calls_to("chat.postMessage")
            assert len(posts) == 1 and posts[0].args["channel"] == "C0GENERAL"
            assert "thread" in json.dumps(posts[0].args["blocks"]).lower()

    run(scenario())


def test_rate_limited_call_is_retried_and_a_failing_one_is_reported(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            w.fake.fail_next("chat.postEphemeral", error="ratelimited", status=429, retry_after=0)
            await w.message(CRITICISM, user="UALICE")
            await w.settle(1)
            assert len(w.fake.calls_to("chat.postEphemeral")) == 2  # 429, then the retry
            # a crisis whose DM fails still alerts the moderators; the failure is a warning
            w.fake.fail_next("conversations.open", error="cannot_dm_bot", status=200)
            await w.message(CRISIS, user="UBOB")
            await w.settle(2)
            alerts = [c for c in w.fake.calls_to("chat.postMessage") if c.args["channel"] == "C0MODS"]
            assert len(alerts) == 1
            assert w.adapter.failed_calls == 1
            assert any("cannot_dm_bot" in r.getMessage() and r.levelno == logging.WARNING for r in logs)

    run(scenario())


# -- Socket Mode ---------------------------------------------------------------------------------


def test_socket_mode_event_acked_and_handled_then_reconnects_on_disconnect(tmp_path, logs):
    async def scenario():
        fake = await FakeSlack(team_id=TEAM, users=USERS, channels=CHANNELS).start()
        settings = _settings(fake, str(tmp_path / "peerbot.db"), )
        settings = settings.model_copy(update={"slack": settings.slack.model_copy(
            update={"mode": "socket", "signing_secret": None})})
        store = await open_store(settings.database_url)
        adapter = SlackAdapter(Engine(store, settings), settings)
        try:
            await adapter.start_socket_mode(ping_interval=1)
            await fake.wait_connected(1)
            ts = f"{time.time():.6f}"
            env = await fake.send_event({"type": "message", "channel": "C0GENERAL", "user": "UALICE",
                                         "text": CRITICISM, "ts": ts, "channel_type": "channel"})
            await fake.wait_ack(env)
            await adapter.wait_handled(1)
            assert [c.method for c in fake.action_calls()] == ["chat.postEphemeral"]

            await fake.send_disconnect()
            await fake.wait_connected(2)
            assert fake.connections_opened == 2
            env2 = await fake.send_event({"type": "message", "channel": "C0GENERAL", "user": "UBOB",
                                          "text": CRISIS, "ts": f"{time.time():.6f}", "channel_type": "channel"})
            ack = await fake.wait_ack(env2)
            assert ack.connection == 2
            await adapter.wait_handled(2)
            # the alert first, so the member's text can truthfully say a moderator was told
            assert [c.method for c in fake.action_calls()][1:] == ["chat.postMessage", "conversations.open",
                                                                  "chat.postMessage"]
            # a slash command over the socket: acked on the socket, answered on the response URL
            env3 = await fake.send_envelope("slash_commands", slash_command_payload(
                text="help", user_id="UALICE", team_id=TEAM, response_url=fake.response_url()),
                accepts_response_payload=True)
            await fake.wait_ack(env3)
            assert "threshold" in (await fake.wait_for_response(1))[0]["text"]
            # and a button click
            nudge_id = fake.calls_to("chat.postEphemeral")[0].args["blocks"][-1]["elements"][0]["value"]
            env4 = await fake.send_envelope("interactive", block_actions_payload(
                user_id="UALICE", team_id=TEAM, action_id="peerbot_feedback_helpful", value=nudge_id,
                response_url=fake.response_url()))
            await fake.wait_ack(env4)
            await fake.wait_for_response(2)
            stats = await store.stats(Community("slack", TEAM), datetime.now(UTC) - timedelta(days=1))
            assert stats.feedback == {"helpful": 1}
        finally:
            await adapter.close()
            await store.close()
            await fake.stop()

    run(scenario())


# -- `peerbot run slack` as its own process ---------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_peerbot_run_slack_http_mode_answers_signed_requests_from_another_process(tmp_path, logs):
    import os
    import signal
    import sys

    async def scenario():
        async with FakeSlack(team_id=TEAM, users=USERS, channels=CHANNELS) as fake:
            port = _free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERBOT_", "SLACK_"))}
            env.update({
                "PEERBOT_SLACK__MODE": "http", "PEERBOT_SLACK__HOST": "127.0.0.1", "PEERBOT_SLACK__PORT": str(port),
                "PEERBOT_SLACK__API_URL": fake.api_url, "PEERBOT_SLACK__BOT_TOKEN": fake.bot_token,
                "PEERBOT_SLACK__SIGNING_SECRET": SECRET,
                "PEERBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
                # no prompt may fall due while the test runs
                "PEERBOT_COMMUNITY__PROMPTS__ENABLED": "false",
            })
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "peerbot.cli", "run", "slack", cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            url = f"http://127.0.0.1:{port}/slack/events"
            try:
                async with aiohttp.ClientSession() as http:
                    deadline = time.monotonic() + STARTUP_SECONDS
                    while True:
                        try:
                            async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                                if r.status == 200:
                                    break
                        except aiohttp.ClientConnectionError:
                            pass
                        assert proc.returncode is None, await proc.stderr.read()
                        assert time.monotonic() < deadline, "peerbot run slack did not start listening"
                        await asyncio.sleep(0.05)
                    raw = json.dumps(event_callback({"type": "message", "channel": "C0GENERAL", "user": "UALICE",
                                                     "text": CRITICISM, "ts": f"{time.time():.6f}",
                                                     "channel_type": "channel"}, team_id=TEAM)).encode()
                    async with http.post(url, data=raw, headers={**signed_headers(SECRET, raw),
                                         "X-Slack-Signature": "v0=" + "1" * 64}) as r:
                        assert r.status == 401
                    async with http.post(url, data=raw, headers=signed_headers(SECRET, raw)) as r:
                        assert r.status == 200
                    nudge = (await fake.wait_for("chat.postEphemeral", timeout=5))[0]
                    assert nudge.args["user"] == "UALICE"
                    async with http.post(url, data=raw, headers=signed_headers(SECRET, raw, retry_num=1)) as r:
                        assert r.status == 200
                    await asyncio.sleep(0.2)
                    assert len(fake.calls_to("chat.postEphemeral")) == 1
            finally:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
                out, err = await asyncio.wait_for(proc.communicate(), 5)
            assert proc.returncode == 0, err.decode()
            assert CRITICISM.encode() not in out + err, (out + err).decode()[-3000:]  # nothing logs the message text
            assert SECRET.encode() not in out + err and fake.bot_token.encode() not in out + err

    run(scenario())


def test_startup_refuses_missing_settings_and_a_rejected_token(tmp_path, logs):
    from peerbot.adapters.slack import SlackStartupError, serve

    async def scenario():
        async with FakeSlack(team_id=TEAM) as fake:
            base = _settings(fake, str(tmp_path / "s.db"))
            cases = {
                "BOT_TOKEN": {"bot_token": None},
                "SIGNING_SECRET": {"signing_secret": None},
                "APP_TOKEN": {"mode": "socket", "app_token": None},
                "invalid_auth": {"bot_token": SecretStr("xoxb-wrong")},
            }
            for expected, change in cases.items():
                settings = base.model_copy(update={"slack": base.slack.model_copy(update=change)})
                with pytest.raises(SlackStartupError, match=expected) as info:
                    await serve(settings)
                assert "xoxb-wrong" not in str(info.value)
            assert [c.method for c in fake.calls] == ["auth.test"]  # only the rejected token got that far

    run(scenario())


# -- settings that name channels ---------------------------------------------------------------


def test_channel_settings_given_by_name_apply_from_the_first_message(tmp_path, logs):
    """The shipped config names channels ("vent": nudges off, "moderators" exempt): a fresh
    worker must know a channel's name before it judges the first message there."""
    community = {"channels": {"vent": {"nudges_enabled": False}}, "nudges": {"exempt_channels": ["moderators"]}}

    async def scenario():
        async with world(tmp_path, community=community) as w:
            await w.message(CRITICISM, user="UALICE", channel="C0VENT")
            await w.message(CRITICISM, user="UBOB", channel="C0MODS")
            await w.settle(2)
            assert visible(w.fake) == []
            assert {c.args["channel"] for c in w.fake.calls_to("conversations.info")} == {"C0VENT", "C0MODS"}
            await w.message(CRITICISM, user="UALICE", channel="C0GENERAL")  # an ordinary channel still nudges
            await w.message(CRITICISM, user="UBOB", channel="C0VENT")
            await w.settle(4)
            assert [(c.args["user"], c.args["channel"]) for c in w.fake.calls_to("chat.postEphemeral")] == [
                ("UALICE", "C0GENERAL")]
            assert len(w.fake.calls_to("conversations.info")) == 3  # names are cached

    run(scenario())


def test_exempt_role_matches_the_members_slack_user_groups(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            w.fake.usergroups["SPEERS"] = ["UALICE"]  # handle "speers" in the fake
            await w.command("exempt role @speers", "UADMIN")
            assert "now exempt" in (await w.fake.wait_for_response(1))[-1]["text"]
            await w.message(CRITICISM, user="UALICE")  # in the exempt group
            await w.message(CRITICISM, user="UBOB")
            await w.settle(3)
            assert [c.args["user"] for c in w.fake.calls_to("chat.postEphemeral")] == ["UBOB"]
            # Slack's escaped user group mention names the group by id
            await w.command("unexempt role speers", "UADMIN")
            await w.command("exempt role <!subteam^SMODS|@smods>", "UADMIN")
            await w.fake.wait_for_response(3)
            await w.message(CRITICISM, user="UALICE")
            await w.message(CRITICISM, user="UGROUPMOD")
            await w.settle(7)
            assert [c.args["user"] for c in w.fake.calls_to("chat.postEphemeral")] == ["UBOB", "UALICE"]
            assert len(w.fake.calls_to("usergroups.list")) == 1  # memberships are cached

    run(scenario())


def test_a_workspace_without_user_groups_is_still_served(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            w.fake.fail_next("usergroups.list", error="paid_teams_only", status=200)
            await w.message(CRITICISM, user="UALICE")
            await w.message(CRITICISM, user="UBOB")
            await w.settle(2)
            assert sorted(c.args["user"] for c in w.fake.calls_to("chat.postEphemeral")) == ["UALICE", "UBOB"]
            assert len(w.fake.calls_to("usergroups.list")) == 1  # asked once, not on every message
            assert [r.getMessage() for r in logs if "usergroups.list" in r.getMessage()] == [
                "slack: usergroups.list failed: paid_teams_only (HTTP 200)"]

    run(scenario())


# -- direct messages to peerbot -----------------------------------------------------------------


def test_crisis_in_a_dm_to_peerbot_gets_resources_and_an_alert_otherwise_help(tmp_path, logs):
    async def scenario():
        async with world(tmp_path) as w:
            dm = {"channel": "D0ALICE", "channel_type": "im", "user": "UALICE"}
            event_id = await w.message(CRISIS, **dm)
            await w.settle(1)
            posts = w.fake.calls_to("chat.postMessage")
            support = [c.args for c in posts if c.args["channel"] == "DALICE"]
            alert = [c.args for c in posts if c.args["channel"] == "C0MODS"]
            assert len(support) == 1 and "988" in support[0]["text"]
            assert len(alert) == 1 and "<@UALICE>" in alert[0]["text"] and "private message" in alert[0]["text"]
            assert "archives" not in alert[0]["text"] and not w.fake.calls_to("chat.getPermalink")  # no link
            assert not w.fake.calls_to("chat.postEphemeral")  # never a nudge
            for call in w.fake.calls:
                assert CRISIS not in json.dumps(call.args)
            stats = await w.workers[0].store.stats(w.community, datetime.now(UTC) - timedelta(days=1))
            assert stats.crisis_alerts == 1 and stats.crisis_delivery == {"dm": 1}  # how it reached the member
            # Slack retries the event: nothing more happens
            body = event_callback({"type": "message", "text": CRISIS, "ts": "1.000001", **dm}, team_id=TEAM,
                                  event_id=event_id)
            await w.event({}, body=body, retry_num=1)
            await w.settle(2)
            assert len(w.fake.calls_to("chat.postMessage")) == 2

            # anything else, even criticism, gets a short help text and no nudge
            await w.message(CRITICISM, channel="D0BOB", channel_type="im", user="UBOB")
            await w.settle(3)
            help_ = [c.args for c in w.fake.calls_to("chat.postMessage") if c.args["channel"] == "DBOB"]
            assert len(help_) == 1 and "/peerbot" in help_[0]["text"] and "988" in help_[0]["text"]
            assert not w.fake.calls_to("chat.postEphemeral")
            # other bots' DMs and edits of a DM are left alone
            await w.event({"type": "message", "channel": "D0BOB", "channel_type": "im", "user": "UOTHERBOT",
                           "bot_id": "BOTHER", "text": CRISIS, "ts": f"{time.time():.6f}"})
            await w.event({"type": "message", "subtype": "message_changed", "channel": "D0BOB", "channel_type": "im",
                           "ts": f"{time.time():.6f}", "message": {"user": "UBOB", "text": CRISIS, "ts": "1.2"},
                           "previous_message": {"user": "UBOB", "text": "hi", "ts": "1.2"}})
            await w.settle(5)
            assert len(w.fake.action_calls()) == 5  # open+post (resources), alert, open+post (help)
        assert all(CRISIS not in r.getMessage() and CRITICISM not in r.getMessage() for r in logs)

    run(scenario())
