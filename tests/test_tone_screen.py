"""The word screen in front of the phrase lists must never hide a match.

Hypothesis writes strings that each pattern matches; every one of them must
pass its list's screen, or the analyzer would silently miss that phrase."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerbot.tone import lexicon as lx
from peerbot.tone.screen import WORDS, ScreenedPhrases, anchor

TABLES = {
    "contempt": lx.CONTEMPT_PHRASES,
    "addressed": lx.ADDRESSED_CONTEMPT,
    "sarcasm": lx.SARCASM_PHRASES,
    "gossip": lx.GOSSIP_MARKERS,
    "disagreement": lx.DISAGREEMENT_PHRASES,
    "recovery": lx.RECOVERY_MARKERS,
    "crisis": lx.CRISIS_PATTERNS,
    "help": lx.HELP_SEEKING,
}
PATTERNS = [(name, p) for name, table in TABLES.items() for p in table]
SCREENS = {name: ScreenedPhrases.build(table) for name, table in TABLES.items()}


def _example(pattern: str) -> st.SearchStrategy[str]:
    # Lowercase ASCII around and inside, as the analyzer sees normalised text.
    alphabet = st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789 ',.!?-")
    return st.from_regex(re.compile(pattern), fullmatch=True, alphabet=alphabet)


@pytest.mark.parametrize("table,pattern", PATTERNS, ids=[f"{t}:{p[:40]}" for t, p in PATTERNS])
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_match_passes_the_screen(table: str, pattern: str, data: st.DataObject) -> None:
    phrase = data.draw(_example(pattern))
    text = f"so {phrase} ok"
    if not re.search(pattern, text):
        return  # the drawn string only matches where lookarounds see its edges
    words = frozenset(WORDS.findall(text))
    assert SCREENS[table].could_match(text, words), (pattern, phrase, sorted(words))


@pytest.mark.parametrize(
    "pattern,expected",
    [
        ("shut up", {"shut"}),
        ("(?:you|u) should be ashamed", {"ashamed"}),
        (r"\bsuicid(?:e|al)\b", {"suicide", "suicidal"}),
        (r"\b(?:end|ending|take|taking|took) my (?:own )?life\b", {"life"}),
        ("(?:fuck|screw|f) (?:you|off|u)", {"fuck", "screw", "f"}),
    ],
)
def test_anchors_are_whole_words_every_match_contains(pattern: str, expected: set[str]) -> None:
    assert anchor(pattern) == expected


@pytest.mark.parametrize("pattern", ["rumou?r", "(?:shock|surpris)ed", "un(?:happy|kind)ness", "how (?:can|do) i"])
def test_partial_words_and_common_words_are_not_anchors(pattern: str) -> None:
    assert anchor(pattern) is None


def test_a_message_without_anchor_words_skips_the_anchored_phrases() -> None:
    screen = ScreenedPhrases.build({"shut up": 0.5, "grow up": 0.5})
    assert screen.unanchored is None
    assert screen.find("what a lovely day", frozenset({"what", "a", "lovely", "day"})) == []
    assert screen.find("oh shut up", frozenset({"oh", "shut", "up"})) == [("shut up", 0.5)]
