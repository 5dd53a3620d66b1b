"""The one-pass screen in front of the phrase patterns must never hide a match.

Hypothesis writes strings that each pattern matches; each must make its
pattern a candidate of the scan, or the analyzer would silently miss it."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerbot.tone import acts
from peerbot.tone import crisis_lexicon as cx
from peerbot.tone import lexicon as lx
from peerbot.tone.analyzer import _PHRASES
from peerbot.tone.phrases import PhraseBook, stretches

TABLES = {
    "contempt": lx.CONTEMPT_PHRASES,
    "addressed": lx.ADDRESSED_CONTEMPT,
    "sarcasm": lx.SARCASM_PHRASES,
    "gossip": lx.GOSSIP_MARKERS,
    "disagreement": lx.DISAGREEMENT_PHRASES,
    "recovery": cx.RECOVERY_MARKERS,
    "crisis": cx.CRISIS_PATTERNS,
    "help": lx.HELP_SEEKING,
    **{family: table for family, (_, table) in acts.FAMILIES.items()},
}
BOUNDED = {"contempt", "addressed", "sarcasm", "gossip", "disagreement", *acts.FAMILIES}
PATTERNS = [(name, p) for name, table in TABLES.items() for p in table]
# The letters messages are made of, and the faces some patterns look for.
ALPHABET = st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789 ',.!?-\"\U0001f60a\U0001f642\U0001f643\U0001f607\U0001f921")


@pytest.mark.parametrize("table,pattern", PATTERNS, ids=[f"{t}:{p[:40]}" for t, p in PATTERNS])
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_match_is_found_through_the_screen(table: str, pattern: str, data: st.DataObject) -> None:
    phrase = data.draw(st.from_regex(re.compile(pattern), fullmatch=True, alphabet=ALPHABET))
    text = f"so {phrase} ok"
    expected = [m.group(0) for m in re.finditer(rf"(?<![\w'])(?:{pattern})(?![\w'])", text)] if table in BOUNDED else [
        m.group(0) for m in re.finditer(pattern, text)
    ]
    if not expected:
        return  # drawn only where lookarounds see the string's own edges
    found = [m.group(0) for m, _ in _PHRASES.scan(text).matches(table, text)]
    assert found, (pattern, phrase)
    assert any(e in f or f in e for e in expected for f in found)


@pytest.mark.parametrize(
    "pattern,expected",
    [
        ("shut up", {"shut up"}),
        (r"\bsuicid(?:e|al)\b", {"suicide", "suicidal"}),
        ("(?:fuck|screw|f) (?:you|off|u)", {"fuck you", "fuck off", "fuck u", "screw you", "screw off", "screw u", "f you", "f off", "f u"}),
        ("typical \\w+", {"typical "}),
        ("rumou?r", {"rumor", "rumour"}),
    ],
)
def test_stretches_spell_out_what_every_match_contains(pattern: str, expected: set[str]) -> None:
    assert stretches(pattern) == expected


def test_a_pattern_with_nothing_specific_runs_on_every_message() -> None:
    book = PhraseBook({"t": {r"\d+ ?[a-z]": 1.0, "shut up": 0.5}})
    assert book.unscreened == {"t": [r"\d+ ?[a-z]"]}
    scan = book.scan("i have 2 dogs")
    assert scan.could_match("t")
    assert [m.group(0) for m, _ in scan.matches("t", "i have 2 dogs")] == ["2 d"]


def test_only_patterns_whose_stretch_occurs_are_run() -> None:
    book = PhraseBook({"t": {"shut up": 0.5, "grow up": 0.4}}, whole_words=["t"])
    assert not book.scan("what a lovely day").could_match("t")
    scan = book.scan("oh shut up and grow up")
    assert scan.find("t", "oh shut up and grow up") == [("shut up", 0.5), ("grow up", 0.4)]
    assert scan.find("t", "oh shutup") == []


def test_overlapping_matches_keep_the_first_and_longest() -> None:
    book = PhraseBook({"t": {"you clearly don't": 0.5, "you clearly don't even know": 0.6}}, whole_words=["t"])
    text = "you clearly don't even know"
    assert book.scan(text).find("t", text) == [("you clearly don't even know", 0.6)]


def test_every_shipped_pattern_is_screened() -> None:
    """A pattern with nothing literal to screen with runs on every message:
    one such edit to the lexicon would quietly slow the whole analyzer."""
    assert _PHRASES.unscreened == {}


def test_the_shipped_phrase_screens_are_fresh() -> None:
    """phrase_screens.json holds every pattern's stretch as screen_for spells it
    today (after changing a pattern: peerbot.tone.analyzer.refresh_phrase_screens())."""
    from peerbot.tone import analyzer
    from peerbot.tone.phrases import read_screens, screen_for, screen_key

    shipped = read_screens(analyzer.PHRASE_SCREENS)
    bounded = set(analyzer._WHOLE_WORDS)
    for name, table in analyzer._PHRASE_TABLES.items():
        for pattern in table:
            key = screen_key(pattern, name in bounded)
            assert key in shipped, f"{name}: {pattern[:60]} is not in phrase_screens.json"
            assert shipped[key] == screen_for(pattern, whole_words=name in bounded), pattern[:60]
