"""`peerbot analyze`: the contract the detector is measured through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerbot.cli import main

ROWS = [
    {"text": "You're so lazy and stupid, nobody cares about your posts.", "label": "nudge", "id": 1},
    {"text": "I had an awful week and feel worthless."},
    {"text": "I don't want to be here anymore.", "kind": "crisis"},
    {"text": ""},
    {"text": "🎉🎉🎉"},
]


def _jsonl(rows: list[object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def run(*args: str, stdin: str | bytes = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERBOT_")}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "peerbot.cli", *args], input=data, capture_output=True, cwd=cwd, env=env, timeout=60
    )
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def test_jsonl_from_stdin_gives_one_object_per_line_in_order(tmp_path: Path) -> None:
    result = run("analyze", "--jsonl", stdin=_jsonl(ROWS), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(ROWS)
    assert [o["action"] for o in out] == ["nudge", "none", "crisis", "none", "none"]
    assert out[1]["category"] == "struggle"
    for o in out:
        assert {"action", "category", "score", "cues", "sentiment"} <= set(o)
        assert 0.0 <= o["score"] <= 1.0
        assert isinstance(o["cues"], list)
    assert any(c["name"].startswith("target:") for c in out[0]["cues"])


def test_jsonl_from_a_file_and_threshold_override(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_jsonl([{"text": "Your reflection was a bit sloppy."}]))
    low = run("analyze", "--jsonl", str(path), "--threshold", "0.05", cwd=tmp_path)
    high = run("analyze", "--jsonl", str(path), "--threshold", "0.99", cwd=tmp_path)
    assert json.loads(low.stdout)["action"] == "nudge"
    assert json.loads(high.stdout)["action"] == "none"
    assert json.loads(low.stdout)["score"] == json.loads(high.stdout)["score"]


@pytest.mark.parametrize(
    "payload,expected",
    [
        (b'{"text": "fine"}\n{"text": oops}\n', "line 2: not valid JSON"),
        (b'{"text": "fine"}\n["a list"]\n', "line 2: expected a JSON object"),
        (b'{"txt": "typo"}\n', 'line 1: field "text" is missing'),
        (b'{"text": 42}\n', 'line 1: field "text" is a int, not a string'),
        (b'{"text": "a"}\n\n{"text": "b"}\n', "line 2: empty line"),
        (b'{"text": "caf\xe9"}\n', "line 1: not UTF-8 text"),
    ],
)
def test_malformed_lines_are_named_and_exit_2_without_a_traceback(tmp_path: Path, payload: bytes, expected: str) -> None:
    result = run("analyze", "--jsonl", stdin=payload, cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run("analyze", "--jsonl", str(tmp_path / "nope.jsonl"), cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.jsonl: cannot read" in result.stderr


def test_bad_threshold_is_refused(tmp_path: Path) -> None:
    result = run("analyze", "hello", "--threshold", "1.5", cwd=tmp_path)
    assert result.returncode == 2
    assert "between 0 and 1" in result.stderr


def test_text_mode_explains_the_decision(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["analyze", "You're", "a", "hypocrite", "and", "everyone", "sees", "it."]) == 0
    out = capsys.readouterr().out
    assert out.startswith("NUDGE (criticism)")
    assert "hypocrite" in out and "target:the person addressed" in out


def test_text_mode_on_a_struggle_says_no_action(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["analyze", "I failed the exam and feel like an idiot"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("no action (struggle)")
    assert "self-judgement" in out
