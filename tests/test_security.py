"""Privacy, secrets and permissions, end to end.

- Privacy: a full session on each adapter, run as `peerbot run` processes logging at DEBUG,
  on SQLite and on PostgreSQL; afterwards the database (the SQLite files' bytes, every
  PostgreSQL table) and every line the process printed are scanned for the messages' texts.
- Secrets: tokens, signing secret and database password never appear in logs, errors or
  `peerbot config check` output.
- Permissions: every moderator command tried by a non-moderator is refused and changes
  nothing, on both platforms; losing the moderator role or group counts at once.
- Malformed platform payloads are logged without their text and skipped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from db_kit import PG_URL, Db, backend  # noqa: F401 - fixture
from timing import STARTUP_SECONDS
from fakes.discord_server import FakeDiscord
from fakes.slack_server import FakeSlack, block_actions_body, event_callback, signed_headers, slash_command_body
from peerbot.cli import main
from peerbot.commands import COMMANDS
from test_discord_e2e import running
from test_faults_platform import _free_port, _wait_healthy

# What members write in the session: none of it may be kept or logged.
TEXTS = {
    "criticism": "you're an idiot Bobby and you always ruin every single thread zq1",
    "struggle": "I feel worthless and exhausted after my shift at the bakery zq2",
    "crisis": "I want to kill myself tonight, I have the pills ready zq3",
    "gossip": "between you and me, did you hear what Carla did at group zq4",
    "edit": "honestly you are pathetic and everyone laughs at you zq5",
    "reply": "lol look at him trying again, what a clown zq6",
    "private": "can you help me, I don't want to be alive anymore zq7",
    "test": "checking what peerbot thinks of you moron zq8",
}
MARKERS = [f"zq{i}" for i in range(1, 9)]  # a message can only be found by its own words
SLACK_SECRETS = {"bot": "xoxb-1111-secret-bot-token-abc", "signing": "f00dfacesigningsecret9999"}


def _leaks(haystack: bytes) -> list[str]:
    found = [name for name, text in TEXTS.items() if text.encode() in haystack]
    found += [m for m in MARKERS if m.encode() in haystack]
    return found


async def _database_bytes(db: Db, tmp_path: Path) -> bytes:
    if db.kind == "sqlite":
        files = [p for p in tmp_path.iterdir() if p.name.startswith("peerbot.db")]
        assert files
        return b"".join(p.read_bytes() for p in files)
    import asyncpg

    conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg://", "postgresql://"), timeout=5)
    try:
        tables = [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = $1", db.schema)]
        assert "nudges" in tables and "setting_overrides" in tables
        out = []
        for table in tables:
            rows = await conn.fetch(f'SELECT row_to_json(t)::text AS j FROM "{db.schema}"."{table}" AS t')
            out += [r["j"] for r in rows]
        return "\n".join(out).encode()
    finally:
        await conn.close()


def _env(db: Db, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERBOT_", "SLACK_"))}
    env.update(db.env())
    env.update({"PEERBOT_LOG_LEVEL": "DEBUG", **extra})
    return env


def test_slack_session_leaves_no_message_text_in_the_database_or_any_log_line(backend, tmp_path):  # noqa: F811
    team = "T0PRIV"
    async def scenario():
        async with FakeSlack(team_id=team, bot_token=SLACK_SECRETS["bot"], users={"UALICE": {}, "UBOB": {},
                             "UADMIN": {"is_admin": True}},
                             channels={"C0GENERAL": "general", "C0WELCOME": "welcome", "C0MODS": "moderators"}) as fake:
            port = _free_port()
            env = _env(backend, {
                "PEERBOT_SLACK__MODE": "http", "PEERBOT_SLACK__HOST": "127.0.0.1", "PEERBOT_SLACK__PORT": str(port),
                "PEERBOT_SLACK__API_URL": fake.api_url, "PEERBOT_SLACK__BOT_TOKEN": SLACK_SECRETS["bot"],
                "PEERBOT_SLACK__SIGNING_SECRET": SLACK_SECRETS["signing"],
                "PEERBOT_COMMUNITY__PROMPTS__ENABLED": "false"})
            # Files, not pipes: a DEBUG log fills a pipe nobody reads and the process blocks.
            log_file = open(tmp_path / "run.log", "wb")  # noqa: SIM115 - closed below
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "peerbot.cli", "run", "slack", cwd=tmp_path, env=env,
                stdout=log_file, stderr=asyncio.subprocess.STDOUT)
            url = f"http://127.0.0.1:{port}/slack/events"
            try:
                async with aiohttp.ClientSession() as http:
                    await _wait_healthy(http, port, proc)

                    async def post(raw: bytes, form: bool = False) -> None:
                        ctype = "application/x-www-form-urlencoded" if form else "application/json"
                        async with http.post(url, data=raw, headers=signed_headers(
                                SLACK_SECRETS["signing"], raw, content_type=ctype)) as r:
                            assert r.status == 200

                    async def event(ev: dict[str, Any]) -> None:
                        await post(json.dumps(event_callback(ev, team_id=team)).encode())

                    def msg(key: str, user: str, ts: str, **kw: Any) -> dict[str, Any]:
                        return {"type": "message", "channel": "C0GENERAL", "user": user, "text": TEXTS[key],
                                "ts": ts, "event_ts": ts, "channel_type": "channel", **kw}

                    await event({"type": "team_join", "user": {"id": "UNEW", "name": "new", "profile": {}}})
                    for n, (key, user) in enumerate([("criticism", "UALICE"), ("struggle", "UBOB"),
                                                     ("crisis", "UBOB"), ("gossip", "UNEW")]):
                        await event(msg(key, user, f"1712000000.00000{n}"))
                    await event(msg("reply", "UNEW", "1712000000.000009", thread_ts="1712000000.000001"))
                    await event({"type": "message", "subtype": "message_changed", "channel": "C0GENERAL",
                                 "channel_type": "channel", "ts": "1712000001.000000",
                                 "message": {"user": "UBOB", "text": TEXTS["edit"], "ts": "1712000000.000001"},
                                 "previous_message": {"user": "UBOB", "text": TEXTS["struggle"],
                                                      "ts": "1712000000.000001"}})
                    await event({"type": "message", "channel": "D0ALICE", "user": "UALICE", "text": TEXTS["private"],
                                 "ts": "1712000002.000000", "event_ts": "1712000002.000000", "channel_type": "im"})
                    await post(slash_command_body(text="test " + TEXTS["test"], user_id="UADMIN", team_id=team,
                                                  response_url=fake.response_url()), form=True)
                    await fake.wait_for("chat.postEphemeral", timeout=5)
                    nudge = fake.calls_to("chat.postEphemeral")[0].args
                    await post(block_actions_body(user_id=nudge["user"], team_id=team,
                                                  action_id="peerbot_feedback_not_helpful",
                                                  value=nudge["blocks"][-1]["elements"][0]["value"],
                                                  response_url=fake.response_url()), form=True)
                    await fake.wait_for_response(2, timeout=5)
                    await fake.wait_until(lambda: any(c.args.get("channel") == "C0MODS"
                                                      for c in fake.calls_to("chat.postMessage")), timeout=5)
                    await asyncio.sleep(0.3)  # ids recorded behind are written
            finally:
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
                await asyncio.wait_for(proc.wait(), 20)
                log_file.close()
            logged = (tmp_path / "run.log").read_bytes()
            assert proc.returncode == 0, logged.decode()[-2000:]
            assert b"DEBUG" in logged and len(logged.splitlines()) > 20  # it did log, verbosely
            assert _leaks(logged) == [], logged.decode()[-3000:]
            assert not [s for s in SLACK_SECRETS.values() if s.encode() in logged]
            stored = await _database_bytes(backend, tmp_path)
            assert b"UALICE" in stored  # the scan looks at the right place
            assert _leaks(stored) == []

    asyncio.run(scenario())


def test_discord_session_leaves_no_message_text_in_the_database_or_any_log_line(backend, tmp_path):  # noqa: F811
    async def scenario():
        async with FakeDiscord() as fake:
            env = _env(backend, {"PEERBOT_DISCORD__TOKEN": fake.token, "PEERBOT_DISCORD__API_URL": fake.api_url,
                                 "PEERBOT_DISCORD__GATEWAY_URL": fake.gateway_url})
            import subprocess

            # Files, not pipes: a DEBUG log fills a pipe nobody reads and the process blocks.
            log_file = open(tmp_path / "run.log", "wb")  # noqa: SIM115 - closed below
            proc = subprocess.Popen([sys.executable, "-m", "peerbot.cli", "run", "discord"], cwd=tmp_path, env=env,
                                    stdout=log_file, stderr=subprocess.STDOUT)
            try:
                await fake.wait_ready(timeout=STARTUP_SECONDS)
                await fake.join(fake.add_user("newbie"))
                first = await fake.post("general", fake.alice, TEXTS["criticism"])
                await fake.post("general", fake.bob, TEXTS["struggle"])
                await fake.post("general", fake.bob, TEXTS["crisis"])
                await fake.post("general", fake.owner, TEXTS["gossip"])
                calm = await fake.post("general", fake.moderator, "good morning all")
                await fake.edit(calm, TEXTS["edit"])
                await fake.post("general", fake.owner, TEXTS["reply"])
                await fake.dm_bot(fake.alice, TEXTS["private"])
                await fake.wait_until(lambda: fake.dm_messages(fake.alice) and fake.bot_messages("moderators"),
                                      timeout=10)
                asked = await fake.slash(fake.owner, "peerbot", [
                    {"name": "test", "type": 1, "options": [{"name": "text", "type": 3, "value": TEXTS["test"]}]}])
                await fake.wait_until(lambda: fake.interactions[int(asked["id"])]["followups"], timeout=5)
                await fake.wait_until(lambda: any(m.get("components") for m in fake.dm_messages(fake.alice)),
                                      timeout=5)
                dm = next(m for m in fake.dm_messages(fake.alice) if m.get("components"))
                button = dm["components"][0]["components"][1]["custom_id"]
                click = await fake.click(fake.alice, dm, button)
                await fake.wait_for_response(click, timeout=5)
                assert first["id"]
                await asyncio.sleep(0.3)
            finally:
                proc.send_signal(signal.SIGTERM)
                await asyncio.to_thread(proc.wait, timeout=20)
                log_file.close()
            logged = (tmp_path / "run.log").read_bytes()
            assert proc.returncode == 0, logged.decode()[-2000:]
            assert b"DEBUG" in logged and len(logged.splitlines()) > 20
            assert _leaks(logged) == [], logged.decode()[-3000:]
            assert fake.token.encode() not in logged
            stored = await _database_bytes(backend, tmp_path)
            assert str(fake.alice.id).encode() in stored
            assert _leaks(stored) == []

    asyncio.run(scenario())


# -- secrets ---------------------------------------------------------------------------------------

SECRETS = {
    "PEERBOT_DISCORD__TOKEN": "MTIzNDU2.discord-secret-token.xyz",
    "PEERBOT_SLACK__BOT_TOKEN": "xoxb-secret-bot-token-4242",
    "PEERBOT_SLACK__APP_TOKEN": "xapp-secret-app-token-4242",
    "PEERBOT_SLACK__SIGNING_SECRET": "signing-secret-4242abcd",
}


def test_config_check_and_config_errors_never_show_a_secret(clean_env, monkeypatch, capsys):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PEERBOT_DATABASE_URL", "postgresql+asyncpg://bot:db-pass-4242@db.example/peerbot")
    assert main(["config", "check"]) == 0
    out = capsys.readouterr()
    assert "config OK" in out.out
    for value in [*SECRETS.values(), "db-pass-4242"]:
        assert value not in out.out + out.err
    # a bad value next to the secrets: the error names the key, never a value
    monkeypatch.setenv("PEERBOT_SLACK__MODE", "xoxb-secret-bot-token-4242")
    monkeypatch.setenv("PEERBOT_DATABASE_URL", "mysql://bot:db-pass-4242@db.example/peerbot")
    assert main(["config", "check"]) == 2
    err = capsys.readouterr().err
    assert "PEERBOT_" in err or "database_url" in err
    for value in [*SECRETS.values(), "db-pass-4242"]:
        assert value not in err


# -- permissions -----------------------------------------------------------------------------------

SAMPLE_ARGS = {"threshold": "0.9", "nudges": "off", "exempt": "channel general", "unexempt": "channel general",
               "schedule": "08:00 mon", "prompts": "add gratitude a new prompt", "test": "you idiot",
               "stats": "7", "channel": "welcome #general", "channels": "welcome #general"}


def test_slack_every_moderator_command_is_refused_to_members_and_removal_counts_at_once(tmp_path):
    from test_slack_e2e import world

    async def scenario():
        async with world(tmp_path) as w:
            store = w.workers[0].store
            baseline = (await store.overrides(w.community), await store.audit_trail(w.community))
            names = sorted(set(COMMANDS) - {"help"})
            assert {"threshold", "nudges", "exempt", "prompts", "schedule"} <= set(names)
            for n, name in enumerate(names, start=1):
                await w.command(f"{name} {SAMPLE_ARGS.get(name, '')}".strip(), "UALICE")
                reply = (await w.fake.wait_for_response(n))[-1]
                assert "Only moderators" in reply["text"], (name, reply["text"])
            assert (await store.overrides(w.community), await store.audit_trail(w.community)) == baseline
            # a group moderator may; removed from the group, the very next command is refused
            await w.command("threshold 0.8", "UGROUPMOD")
            assert "0.80" in (await w.fake.wait_for_response(len(names) + 1))[-1]["text"]
            w.fake.usergroups["SMODS"] = [u for u in w.fake.usergroups["SMODS"] if u != "UGROUPMOD"]
            await w.command("threshold 0.3", "UGROUPMOD")
            assert "Only moderators" in (await w.fake.wait_for_response(len(names) + 2))[-1]["text"]
            # an admin demoted likewise
            await w.command("threshold 0.7", "UADMIN")
            assert "0.70" in (await w.fake.wait_for_response(len(names) + 3))[-1]["text"]
            w.fake.users["UADMIN"] = {**w.fake.users["UADMIN"], "is_admin": False}  # (the fixture's dict is shared)
            await w.command("threshold 0.2", "UADMIN")
            assert "Only moderators" in (await w.fake.wait_for_response(len(names) + 4))[-1]["text"]
            assert (await store.overrides(w.community))["nudges.threshold"] == 0.7

    asyncio.run(scenario())


def _sample(option: dict[str, Any], fake: FakeDiscord) -> Any:
    if option.get("choices"):
        return option["choices"][0]["value"]
    return {3: "x", 4: option.get("min_value", 7), 5: True, 6: str(fake.alice.id),
            7: str(fake.channel("general").id), 8: str(fake.moderator_role.id),
            10: 0.9}[option["type"]]


def _invocations(command: dict[str, Any], fake: FakeDiscord) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every subcommand of a registered command, with its required options filled in."""
    found = []
    for sub in command.get("options", []):
        if sub["type"] == 1:
            args = [{"name": o["name"], "type": o["type"], "value": _sample(o, fake)}
                    for o in sub.get("options", []) if o.get("required")]
            found.append((sub["name"], [{"name": sub["name"], "type": 1, "options": args}]))
        elif sub["type"] == 2:
            for leaf in sub.get("options", []):
                args = [{"name": o["name"], "type": o["type"], "value": _sample(o, fake)}
                        for o in leaf.get("options", []) if o.get("required")]
                found.append((f"{sub['name']} {leaf['name']}", [{"name": sub["name"], "type": 2, "options": [
                    {"name": leaf["name"], "type": 1, "options": args}]}]))
    return found


def test_discord_every_moderator_command_is_refused_to_members_and_role_removal_counts_at_once(tmp_path):
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY

    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite", sync_on_start=True) as bot:
                community = bot.adapter.community(bot.adapter.client.get_guild(fake.guild.id))
                store = bot.engine.store
                baseline = (await store.overrides(community), await store.audit_trail(community))
                invocations = [(n, o) for n, o in _invocations(fake.commands[None][0], fake) if n != "help"]
                assert len(invocations) >= 12
                for name, options in invocations:
                    asked = await fake.slash(fake.alice, "peerbot", options)
                    await fake.wait_until(lambda: fake.interactions[int(asked["id"])]["followups"]
                                          or fake.interactions[int(asked["id"])]["responses"][1:])
                    record = fake.interactions[int(asked["id"])]
                    said = " ".join(f["body"].get("content") or "" for f in record["followups"])
                    assert "Only moderators" in said, (name, said)
                assert (await store.overrides(community), await store.audit_trail(community)) == baseline
                # the moderator role may change settings; once it is taken away, not any more
                def change(value: float) -> list[dict[str, Any]]:
                    return [{"name": "threshold", "type": 1, "options": [{"name": "value", "type": 10, "value": value}]}]

                done = await fake.slash(fake.moderator, "peerbot", change(0.8))
                await fake.wait_until(lambda: fake.interactions[int(done["id"])]["followups"])
                assert "0.80" in fake.interactions[int(done["id"])]["followups"][0]["body"]["content"]
                user, _roles, joined = fake.guild.members[fake.moderator.id]
                fake.guild.members[fake.moderator.id] = (user, [], joined)
                refused = await fake.slash(fake.moderator, "peerbot", change(0.2))
                await fake.wait_until(lambda: fake.interactions[int(refused["id"])]["followups"])
                assert "Only moderators" in fake.interactions[int(refused["id"])]["followups"][0]["body"]["content"]
                assert (await bot.engine.community_settings(community)).nudges.threshold == 0.8

    try:
        asyncio.run(scenario())
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


# -- malformed payloads ------------------------------------------------------------------------------


def test_malformed_slack_payloads_are_logged_without_text_and_skipped(tmp_path, caplog):
    from test_slack_e2e import world

    secret_words = "malformed secret words zq9"
    bad = [
        {"type": "message", "channel": "C0GENERAL", "user": "UALICE", "text": [secret_words], "ts": "1.2"},
        {"type": "message", "channel": "C0GENERAL", "user": "UALICE", "text": secret_words, "ts": secret_words},
        {"type": "message", "channel": "C0GENERAL", "user": {"id": secret_words}, "text": "x", "ts": "1.3"},
        {"type": "message", "channel": ["C0GENERAL"], "user": "UALICE", "text": secret_words, "ts": "1.4"},
        {"type": "message", "subtype": "message_changed", "channel": "C0GENERAL", "message": secret_words},
        {"type": "message", "channel": "C0GENERAL", "user": "UALICE", "text": secret_words, "ts": None},
        {"type": "team_join", "user": secret_words},
        {"type": "team_join", "user": {"id": "UX", "profile": [secret_words]}},
        {"type": "team_join", "user": {"id": "UX", "name": {"first": secret_words}}},
    ]

    async def scenario():
        async with world(tmp_path) as w:
            for event in bad:
                await w.event(event)
            await w.settle(len(bad))
            assert w.fake.action_calls() == []
            await w.message("<@UBOB> you're an idiot and you always ruin everything")  # still working
            await w.settle(len(bad) + 1)
            assert [c.method for c in w.fake.action_calls()] == ["chat.postEphemeral"]

    with caplog.at_level(logging.DEBUG):
        asyncio.run(scenario())
    skipped = [r for r in caplog.records if "malformed payload skipped" in r.getMessage()]
    assert len(skipped) == len(bad), [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [r for r in caplog.records if secret_words in r.getMessage() or "zq9" in r.getMessage()]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_malformed_discord_message_is_logged_without_text_and_skipped(tmp_path, caplog):
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY

    async def scenario():
        async with FakeDiscord() as fake:
            async with running(fake, tmp_path / "db.sqlite") as bot:
                channel = fake.channel("general")
                data = fake._message(channel, fake.alice, "placeholder")
                data["content"] = ["you idiot zq9"]
                await fake._dispatch_message("MESSAGE_CREATE", channel, data)
                good = await fake.post("general", fake.alice, "you're useless, you always ruin every thread")
                await bot.message_handled(good)
                assert [e.message_id for e, _, _ in bot.handled] == [good["id"]]

    try:
        with caplog.at_level(logging.INFO):
            asyncio.run(scenario())
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway
    assert any("malformed message" in r.getMessage() and "content is list" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if "zq9" in r.getMessage()]
