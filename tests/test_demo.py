import io
import json
import sqlite3
from pathlib import Path

import pytest

from peerbot.cli import main
from peerbot.local import DEMO_TEXTS

ROOT = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.usefixtures("clean_env")


@pytest.fixture(autouse=True)
def _no_colour_setting(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_demo_runs_from_anywhere_and_keeps_no_message_text(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "\033[" not in out  # not a terminal: no colour
    for expected in ("#welcome peerbot: Welcome to", "A warm welcome to everyone who just joined",
                     "Today's encouragement", "nudge (criticism)", "nudge (gossip)", "nudge (mockery)",
                     "988", "#moderators peerbot alert", "Nudge threshold for #debate is now 0.80",
                     "Only moderators"):
        assert expected in out, expected
    assert out.count("Today's encouragement") == 2
    # The struggle share gets nothing: the next transcript line is the narrator's.
    after_struggle = out.split(DEMO_TEXTS[5], 1)[1].splitlines()[1]
    assert after_struggle.startswith("-- Crisis language")
    data = b"".join(p.read_bytes() for p in tmp_path.glob("demo.db*"))
    assert len(data) > 0
    for text in DEMO_TEXTS:
        for fragment in {text, text[:24], text[-24:]}:
            assert fragment.encode() not in data, fragment
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from nudges").fetchone()[0] == 3
        assert conn.execute("select count(*) from crisis_alerts").fetchone()[0] == 1
        assert conn.execute("select count(*) from prompt_claims").fetchone()[0] == 2


def test_demo_uses_a_temporary_database_by_default(tmp_path, capsys):
    assert main(["demo"]) == 0
    assert list(tmp_path.iterdir()) == []


def test_colour_only_for_terminals_and_never_with_no_color(monkeypatch):
    from peerbot.adapters.console import use_colour

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert use_colour(Tty()) and not use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(Tty())


def test_chat_reads_commands_and_messages(monkeypatch, capsys):
    script = "\n".join([
        "/join Ana", "Hello everyone, glad to be here", "/join Ben",
        "You're so lazy and stupid, nobody cares about your posts.", "/feedback why",
        "/as Mo", "/mod Mo", "/bot threshold 0.9", "/wait 1d", "/quit", "never read",
    ])
    monkeypatch.setattr("sys.stdin", io.StringIO(script + "\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "Welcome to" in out and "nudge (criticism)" in out and "I noticed" in out
    assert "Nudge threshold for the community is now 0.90" in out
    assert "Today's encouragement" in out and "never read" not in out


def test_replay_prints_counts_and_sweep_but_no_text(tmp_path, capsys):
    rows = [
        {"text": "You're so lazy and stupid, nobody cares about your posts.", "author": "a", "channel": "general",
         "time": "2025-03-10T09:00:00-04:00"},
        {"text": "You're so lazy and stupid, nobody cares about your posts.", "author": "a", "channel": "general",
         "time": "2025-03-10T09:05:00-04:00"},
        {"text": "You're so lazy and stupid, nobody cares about your posts.", "author": "b", "channel": "vent",
         "time": "2025-03-10T09:06:00-04:00"},
        {"text": "I had an awful week and feel worthless.", "author": "c", "channel": "general"},
        {"text": "I want to kill myself.", "author": "d", "channel": "general"},
    ]
    history = tmp_path / "history.jsonl"
    history.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["replay", str(history), "--show"]) == 0
    out = capsys.readouterr().out
    assert "Replayed 5 messages" in out and "Crisis support + moderator alert: 1 messages (lines 5)" in out
    assert "1 nudges (criticism 1, gossip 0, mockery 0)" in out
    assert "channel_off 1" in out and "cooldown 1" in out and "line 1: criticism" in out
    assert "0.50" in out and "<- current" in out and "lazy" not in out


def test_replay_bad_input_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"author": "x"}\n')
    assert main(["replay", str(bad)]) == 2
    assert "line 2" in capsys.readouterr().err
