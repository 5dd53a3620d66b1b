"""Issue 12's structure, checked: no import loop through the runtime, the commands, the engine
or the adapters (counting imports inside functions and under TYPE_CHECKING); no adapter or
runtime source file over 600 lines; the Slack adapter's inbound translation on recorded
payloads; one declaration per moderator command."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from peerbot.adapters.slack import inbound
from peerbot.commands import BY_NAME, COMMANDS, DECLARED, HELP, command_line
from peerbot.events import Channel, Community, DirectMessage, MemberJoined, MessageEdited, MessagePosted

SRC = Path(__file__).resolve().parents[1] / "src"
OWNED = ("peerbot.runtime", "peerbot.commands", "peerbot.engine", "peerbot.adapters")
TEAM = Community("slack", "T0FAKE", "Fake Community")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every peerbot module ``path`` imports, anywhere in the file (functions, TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def test_no_import_loop_runs_through_the_runtime_commands_engine_or_adapters():
    paths = {_module_name(p): p for p in (SRC / "peerbot").rglob("*.py") if "migrations" not in p.parts}
    modules = set(paths)
    graph = {name: _imports(path, modules) - {name} for name, path in paths.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            here = todo.pop()
            for nxt in graph.get(here, ()):
                # a package importing its own submodules is not a loop back into them
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    loops = []
    for name in sorted(modules):
        if not name.startswith(OWNED):
            continue
        for target in sorted(graph[name]):
            if target.startswith(name + ".") or name.startswith(target + "."):
                continue  # a package and its own modules
            if reaches(target, name):
                loops.append((name, target))
    assert loops == []


def test_no_runtime_or_adapter_source_file_is_over_600_lines():
    files = [SRC / "peerbot" / "runtime.py", SRC / "peerbot" / "commands.py", SRC / "peerbot" / "engine.py",
             *(SRC / "peerbot" / "adapters").rglob("*.py")]
    long = {str(p.relative_to(SRC)): n for p in files if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


# -- Slack inbound, on recorded payloads (shapes as Slack's Events API sends them) ----------------

MESSAGE = {"type": "message", "channel": "C0GENERAL", "user": "UALICE", "text": "hi <@UBOB> and <@UCAT|cat>",
           "ts": "1700000000.000100", "event_ts": "1700000000.000100", "channel_type": "channel",
           "client_msg_id": "8e1f", "team": "T0FAKE", "blocks": []}
BODY = {"token": "x", "team_id": "T0FAKE", "api_app_id": "A0PEERBOT", "event": MESSAGE, "type": "event_callback",
        "event_id": "Ev0001", "event_time": 1700000000}
EDIT = {"type": "message", "subtype": "message_changed", "channel": "C0GENERAL", "channel_type": "channel",
        "hidden": True, "ts": "1700000050.000200", "event_ts": "1700000050.000200",
        "message": {"type": "message", "user": "UALICE", "text": "hello again", "ts": "1700000000.000100",
                    "thread_ts": "1699999999.000001", "edited": {"user": "UALICE", "ts": "1700000050.000000"}},
        "previous_message": {"type": "message", "user": "UALICE", "text": "hi", "ts": "1700000000.000100"}}


def test_slack_message_payload_becomes_a_posted_message():
    incoming = inbound.read_message(MESSAGE, BODY, "UBOT")
    assert incoming is not None and incoming.kind == "posted" and incoming.event_id == "Ev0001"
    text, names = inbound.readable(incoming.text, {"UBOB": "Bob"}.get)
    assert (text, names) == ("hi @Bob and @cat", ("Bob", "cat"))
    event = inbound.message_event(incoming, TEAM, channel_name="general", roles=frozenset({"S1"}), text=text,
                                  names=names, link=inbound.permalink("https://x.slack.com/", "C0GENERAL", incoming.ts))
    assert isinstance(event, MessagePosted) and not isinstance(event, MessageEdited)
    assert event.channel == Channel("C0GENERAL", "general") and event.author.roles == frozenset({"S1"})
    assert event.link == "https://x.slack.com/archives/C0GENERAL/p1700000000000100"
    assert event.at == datetime.fromtimestamp(1700000000.0001, UTC)


def test_slack_edit_payload_becomes_an_edit_in_its_thread_and_an_unchanged_edit_nothing():
    incoming = inbound.read_message(EDIT, {"event_id": "Ev0002"}, "UBOT")
    assert incoming is not None and incoming.kind == "edited" and incoming.thread_ts == "1699999999.000001"
    event = inbound.message_event(incoming, TEAM, channel_name="", roles=frozenset(), text=incoming.text, names=(),
                                  link=None)
    assert isinstance(event, MessageEdited) and event.reply_to == "1699999999.000001"
    unfurled = dict(EDIT, previous_message=dict(EDIT["previous_message"], text="hello again"))
    assert inbound.read_message(unfurled, {}, "UBOT") is None


@pytest.mark.parametrize("change", [
    {"bot_id": "B1"}, {"user": "UBOT"}, {"subtype": "channel_join"}, {"channel_type": "mpim"}, {"user": None},
])
def test_slack_messages_peerbot_ignores(change):
    assert inbound.read_message(dict(MESSAGE, **change), BODY, "UBOT") is None


def test_slack_dm_payload_becomes_a_direct_message_and_malformed_ones_name_the_field():
    dm = dict(MESSAGE, channel="D0ALICE", channel_type="im", text="I want to end my life")
    incoming = inbound.read_message(dm, BODY, "UBOT")
    assert incoming is not None and incoming.kind == "direct"
    assert isinstance(inbound.direct_event(incoming, TEAM, incoming.text), DirectMessage)
    with pytest.raises(inbound.MalformedPayload, match="text is int") as info:
        inbound.read_message(dict(MESSAGE, text=5), BODY, "UBOT")
    assert "5" not in str(info.value)


def test_slack_joins_commands_buttons_and_deletions():
    joiner = inbound.team_join_member({"type": "team_join", "user": {"id": "UNEW", "name": "newbie",
                                                                      "profile": {"display_name": "Newbie"}}})
    assert joiner is not None and joiner.name == "Newbie"
    assert inbound.team_join_member({"user": {"id": "UB", "is_bot": True}}) is None
    joined = inbound.join_event(joiner, {"event_time": 1700000000}, TEAM, Channel("C0WELCOME", "welcome"))
    assert isinstance(joined, MemberJoined) and joined.event_id == "join:UNEW:2023-11-14"
    assert joined.channel == Channel("C0WELCOME", "welcome")
    assert inbound.channel_join({"user": "UBOT", "channel": "C1"}, "UBOT") is None
    command = inbound.command_event({"text": " channel moderators <#C0MODS|moderators> ", "user_id": "UMOD",
                                     "channel_id": "C0GENERAL", "trigger_id": "t1"}, TEAM, is_moderator=True)
    assert command.text == "channel moderators C0MODS" and command.event_id == "cmd:t1"
    assert inbound.command_text("exempt role <!subteam^S0PEERS|@peers>") == "exempt role S0PEERS"
    click = inbound.feedback_event({"user": {"id": "UALICE"}, "trigger_id": "t2"},
                                   {"action_id": "peerbot_feedback_why", "value": "n1", "action_ts": "1700000000.1"},
                                   TEAM)
    assert click is not None and click.verdict == "why" and click.nudge_id == "n1"
    assert inbound.feedback_event({"user": {"id": "U"}}, {"action_id": "other", "value": "x"}, TEAM) is None
    deleted = inbound.deleted_event({"subtype": "message_deleted", "channel": "C0GENERAL", "deleted_ts": "17.1",
                                     "channel_type": "channel"}, {"event_id": "Ev3"}, TEAM)
    assert deleted is not None and deleted.message_id == "17.1"


# -- commands declared once --------------------------------------------------------------------


def test_every_declared_command_is_dispatched_and_in_the_help():
    for command in DECLARED:
        first = command.name.split()[0]
        assert BY_NAME[first].name.split()[0] == first
        if command.handler is not None:
            assert COMMANDS[first] is command.handler
        if command.usage:
            assert command.usage in HELP
        assert 1 <= len(command.description) <= 100  # Discord's limit
    assert command_line(BY_NAME["threshold"], {"value": 0.5, "channel": "general"}) == "threshold 0.5 #general"
    assert command_line(BY_NAME["exempt"], {"role": "peers", "channel": "vent"}) == "exempt role peers"
    assert command_line(BY_NAME["nudges"], {"enabled": False}) == "nudges off"
    assert command_line(BY_NAME["stats"], {}) == "stats 7"
