"""Community batches written by an independent writer who never saw the rules,
one register each (gaming teens, older peer specialists, English as a second
language, in-group sarcasm, long posts, parents texting, a staff Slack, veterans'
banter, emoji and memes). Their first-sight figures, measured
before any rule changed in response to them, are in the README; here they are
kept as tests of what the analyzer does with them now, so a later rule that
breaks a register shows up. Their sentences are never copied into lexicons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerbot.tone import analyze

DATA = Path(__file__).parent / "data" / "community"
BATCHES = sorted(DATA.glob("batch-*.jsonl"))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_batches_are_there() -> None:
    assert len(BATCHES) >= 9


@pytest.mark.parametrize("path", BATCHES, ids=lambda p: p.stem)
def test_a_batch_is_read_as_a_moderator_would(path: Path) -> None:
    rows = _rows(path)
    decided = [(row["label"], analyze(row["text"]).action) for row in rows]
    nudges = [got for gold, got in decided if gold == "nudge"]
    nones = [got for gold, got in decided if gold == "none"]
    flagged = [gold for gold, got in decided if got == "nudge"]
    recall = nudges.count("nudge") / len(nudges)
    none_to_nudge = nones.count("nudge") / len(nones)
    precision = flagged.count("nudge") / len(flagged)
    assert recall >= 0.7, f"{path.stem}: nudge recall {recall:.2f}"
    assert none_to_nudge <= 0.05, f"{path.stem}: none->nudge {none_to_nudge:.2f}"
    assert precision >= 0.9, f"{path.stem}: precision {precision:.2f}"
    # Someone in crisis is never nudged, whatever else is decided.
    assert all(got != "nudge" for gold, got in decided if gold == "crisis")
