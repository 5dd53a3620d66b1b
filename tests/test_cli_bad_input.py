"""Bad input to the command line gets exit 2 and one line naming the problem, never a
traceback; undecodable bytes never stop a crisis message from being answered (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from peerbot.cli import main

pytestmark = pytest.mark.usefixtures("clean_env")

CRISIS = "I want to kill myself"


def one_error_line(capsys, code: int, *, argparse: bool = False) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    if argparse:  # argparse's usage line, then its error line
        assert lines[0].startswith("usage: ") and len([x for x in lines if "error:" in x]) == 1
        return lines[-1]
    assert len(lines) == 1, err
    return lines[0]


def test_analyze_jsonl_too_deep_or_a_huge_integer(tmp_path, capsys):
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": "hi", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    assert "line 1: JSON nested too deeply" in one_error_line(capsys, main(["analyze", "--jsonl", str(deep)]))
    big = tmp_path / "big.jsonl"
    big.write_text('{"text": "hi", "n": ' + "9" * 5000 + "}\n")
    assert "line 1: a number in it is too long" in one_error_line(capsys, main(["analyze", "--jsonl", str(big)]))


@pytest.mark.parametrize(("row", "reason"), [
    ('{"text": "hi", "time": "9999-12-31T23:59:59"}', '"time" must be between 1900 and 9000'),
    ('{"text": "hi", "time": "0001-01-01"}', '"time" must be between 1900 and 9000'),
    ('{"text": "hi", "roles": 5}', '"roles" must be a list'),
    ('{"text": "hi", "x": ' + "[" * 50_000 + "]" * 50_000 + "}", "JSON nested too deeply"),
])
def test_replay_refuses_a_bad_row(tmp_path, capsys, row, reason):
    history = tmp_path / "history.jsonl"
    history.write_text(row + '\n{"text": "and then"}\n')
    assert reason in one_error_line(capsys, main(["replay", str(history)]))


def test_replay_reads_invalid_utf8_and_still_counts_the_crisis(tmp_path, capsys):
    history = tmp_path / "history.jsonl"
    history.write_bytes(b'{"text": "' + CRISIS.encode() + b' \xff\xfe"}\n{"text": "hello \xc3"}\n'
                        + json.dumps({"text": CRISIS + " \ud83d"}).encode() + b"\n")
    assert main(["replay", str(history), "--show"]) == 0
    out = capsys.readouterr().out
    assert "Crisis support + moderator alert: 2 messages (lines 1, 3)" in out
    assert "Note: 2 lines held bytes that are not UTF-8" in out


def test_chat_reads_invalid_utf8_and_answers_the_crisis(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERBOT_")}
    env["PYTHONIOENCODING"] = "utf-8"
    # A lone surrogate can arrive too: stdin read with surrogateescape (a C locale).
    script = CRISIS.encode() + b" \xff\n/quit\n"
    run = subprocess.run([sys.executable, "-m", "peerbot.cli", "chat"], input=script, capture_output=True,
                         env=env, cwd=tmp_path, timeout=120)
    out, err = run.stdout.decode(), run.stderr.decode()
    assert run.returncode == 0, err
    assert "Traceback" not in err
    assert "988 Suicide & Crisis Lifeline" in out and "peerbot alert: Crisis support" in out


def test_chat_refuses_an_endless_wait_and_goes_on(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("/wait 99999999d\n/wait 32d\nstill here\n/quit\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert out.count("wait at most 31d at a time") == 2 and "Ana: still here" in out


@pytest.mark.parametrize(("argv", "reason"), [
    (["stats", "--until", "0001-01-01"], "a date from 1900-01-01 to 9000-12-31, got 0001-01-01"),
    (["digest", "--week-of", "9999-12-31"], "a date from 1900-01-01 to 9000-12-31, got 9999-12-31"),
])
def test_stats_and_digest_refuse_dates_out_of_range(capsys, argv, reason):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert reason in one_error_line(capsys, exited.value.code, argparse=True)


@pytest.mark.parametrize("command", ["demo", "chat", "stats"])
@pytest.mark.parametrize(("where", "reason"), [
    ("missing/folder/peerbot.db", "does not exist"),
    ("a-folder", "is a folder, not a database file"),
    ("notes.txt", "is not a SQLite database"),
])
def test_db_option_refuses_what_cannot_be_a_database(tmp_path, capsys, monkeypatch, command, where, reason):
    import io

    (tmp_path / "a-folder").mkdir()
    (tmp_path / "notes.txt").write_text("not a database\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    line = one_error_line(capsys, main([command, "--db", str(tmp_path / where)]))
    if command == "stats" and where.startswith("missing"):
        reason = "does not exist" if where.count("/") > 1 else "no such database file"
    assert reason in line
    assert (tmp_path / "notes.txt").read_text() == "not a database\n"


async def test_stats_with_a_superscript_digit_is_a_usage_reply(tmp_path):
    from engine_kit import command, make_engine

    engine = await make_engine(tmp_path)
    try:
        [reply] = await engine.handle(command("stats ²"))
        assert "usage: stats [DAYS]" in reply.text
    finally:
        await engine.store.close()
