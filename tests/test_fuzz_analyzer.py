"""Bad input for the tone analyzer: any text gets a decision, without an exception, in bounded
time; no pattern the analyzer runs can backtrack catastrophically.

A decision is bounded by the analyzer's own design (long texts are scored in slices), so the
time limits below are generous for a loaded 2-core CI machine and still far below what a
catastrophic pattern costs (the emoji flood found here took 1.2 s per 1,000 characters and
almost two minutes for 100 KB before the fix).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerbot.tone import ToneReport, analyze
from peerbot.tone import analyzer as analyzer_module
from peerbot.tone import censor as censor_module
from peerbot.tone import crisis as crisis_module
from peerbot.tone import crisis_lexicon as cx
from peerbot.tone import lexicon as lx
from peerbot.tone import names as names_module
from peerbot.tone import normalize as normalize_module
from peerbot.tone import sentiment as sentiment_module
from peerbot.tone.normalize import _LEET_TOKEN, _unleet, normalize

ACTIONS = {"none", "nudge", "crisis"}
CATEGORIES = {"criticism", "gossip", "mockery", "crisis", "struggle", "recovery", "complaint", "disagreement",
              "supportive", "neutral"}

# Pieces people (and attackers) put in messages.
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f"]
BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u200e",
        "\u061c"]
COMBINING = ["\u0301", "\u0308", "\u0336", "\u20dd", "\u1ab0", "\ufe20", "\u0489"]
EMOJI = ["\U0001f602", "\U0001f644", "\U0001f921", "\U0001f480", "\u2764\ufe0f", "\U0001f44d\U0001f3fd",
         "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f1fa\U0001f1f8", "\u2620", "\U0001f52a"]
CONTROL = [chr(c) for c in (*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x9F)]
MARKDOWN = ["```", "```python\n", "`", "**", "__", "~~", "||", "> ", ">>> ", "# ", "- ", "1. ", "[link](http://x)",
            "<https://example.org>", "\\", "*", "_"]
MENTIONS = ["<@123456789012345678>", "<@!42>", "<@&99>", "<#555>", "<@U024BE7LH>", "<@U024BE7LH|sam>", "@everyone",
            "@here", "<!channel>", "<!subteam^S123>", "@ghost", "@", "<@", "<@>", "<@|>"]
WORDS = ["you", "you're", "idiot", "stupid", "always", "never", "I", "feel", "useless", "he", "she", "they",
         "did you hear", "between you and me", "lol", "haha", "kill", "myself", "end it", "die", "want to",
         "not", "no one", "nobody", "Sam", "s t u p i d", "st00pid", "stuuupid", "a**hole", "f*ck", "b!tch", "tonight"]
SPACE = [" ", "  ", "\n", "\t", "\r\n", "\u00a0", "\u3000", "\u2028", "\u2029", ".", "!", "?", ";", ",", "..."]
PIECES = ZERO_WIDTH + BIDI + COMBINING + EMOJI + CONTROL + MARKDOWN + MENTIONS + WORDS + SPACE

# Any Unicode scalar value (surrogates cannot be in a str that came from a platform).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=3000)
MIXED = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=300).map("".join)


def check(report: ToneReport) -> None:
    assert isinstance(report, ToneReport)
    assert report.action in ACTIONS and report.category in CATEGORIES
    assert 0.0 <= report.score <= 1.0
    assert -1.0 <= report.sentiment <= 1.0
    for cue in report.cues:
        assert isinstance(cue.name, str) and all(isinstance(w, str) for w in cue.words)


def timed(fn: Callable[[], object]) -> float:
    # CPU seconds of this process, not wall time: the bounds are on the analyzer's own work,
    # which other processes on a loaded machine do not change (alongside benchmarks/load.py a
    # 0.5 s job took 6.4 s of wall time and failed a 2 s bound).
    started = time.process_time()
    fn()
    return time.process_time() - started


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, threshold=st.floats(0.0, 1.0))
def test_any_unicode_text_gets_a_decision(text: str, threshold: float) -> None:
    seconds = timed(lambda: check(analyze(text, threshold=threshold)))
    assert seconds < 1.0, (len(text), seconds)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MIXED, names=st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=5))
def test_tricky_pieces_and_unknown_names_get_a_decision(text: str, names: list[str]) -> None:
    report = analyze(text, names=names)
    check(report)
    # deterministic: a pure function of its input
    assert analyze(text, names=names) == report


@pytest.mark.parametrize("text", ["", " ", "\n\n\t ", "\u200b\u200b", "\u3000" * 50, "\x00", "```\n```", "*" * 40,
                                  "<@>", "@", "\u202e", "\u0301" * 30])
def test_empty_and_invisible_messages_are_neutral(text: str) -> None:
    report = analyze(text)
    check(report)
    assert report.action == "none"


def test_the_decision_survives_obfuscation_and_markup() -> None:
    """Fuzzing shows nothing crashes; this shows the tricks still don't hide anything."""
    plain = analyze("you're an idiot and you always ruin everything")
    assert plain.action == "nudge"
    disguised = "\u202e**y\u200bou're** an i\u0301d\u200bi\u0336ot\U0001f602 and you always ruin everything"
    assert analyze(disguised).action == "nudge"
    assert analyze("```\nI want to kill myself tonight\n```").action == "crisis"


# -- big messages ---------------------------------------------------------------------------------------------

def _repeat(piece: str, size: int) -> str:
    return (piece * (size // max(1, len(piece)) + 1))[:size]


BIG = {
    "emoji flood": "\U0001f602",
    "emoji sentences": "\U0001f602" * 999 + ".",
    "emoji and words": "\U0001f602 no good ",
    "zero-width": "s\u200bt\u200bu\u200bp\u200bi\u200bd ",
    "combining": "a\u0301\u0308\u0336",
    "rtl": "\u202eyou are stupid ",
    "control": "\x00\x01\x1b[31m",
    "code block": "```\nx = y + z  # you idiot\n",
    "spaced letters": "a ",
    "stretched": "stuuuuuuuupid ",
    "leet": "st00p1d 1d10t ",
    "censored": "a*b*",
    "stars": "*",
    "laughing": "ha",
    "mentions": "<@123456789> <@U024BE7LH|sam> ",
    "capitals": "Sam Bob Ann ",
    "criticism": "you never listen to anyone. ",
    "crisis words": "i keep thinking about wanting to die and ",
    "sentences of words": "a good " * 142 + ".",
    "whitespace": " \n\t",
    "no spaces": "x",
}


@pytest.mark.parametrize("name", sorted(BIG))
def test_a_100_kb_message_is_decided_in_bounded_time(name: str) -> None:
    text = _repeat(BIG[name], 100_000)
    seconds = timed(lambda: check(analyze(text)))
    assert seconds < 2.0, f"{name}: {seconds:.2f} s for 100 KB"


@pytest.mark.parametrize("name", ["emoji sentences", "sentences of words", "a mix"])
def test_a_1_mb_message_is_decided_in_bounded_time(name: str) -> None:
    piece = "".join(BIG.values()) if name == "a mix" else BIG[name]
    text = _repeat(piece, 1_000_000)
    seconds = timed(lambda: check(analyze(text)))
    assert seconds < 5.0, f"{name}: {seconds:.2f} s for 1 MB"


def test_an_emoji_flood_costs_no_more_than_plain_text() -> None:
    """The regression found by fuzzing: VADER spells each emoji out as five words and its
    negation check is quadratic in words, so 1,000 emoji took 1.2 s and 100 KB of them
    in sentences almost two minutes."""
    flood = timed(lambda: analyze("\U0001f602" * 1000))
    plain = timed(lambda: analyze("good " * 200))
    assert flood < 0.1 and flood < 20 * plain + 0.02, (flood, plain)


# -- catastrophic backtracking --------------------------------------------------------------------------------

def _compiled_patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for module in (analyzer_module, normalize_module, crisis_module, names_module, censor_module, sentiment_module):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = value
    # The lexicon's phrase patterns, compiled as the phrase book runs them (whole-word tables
    # inside word-boundary lookarounds).
    for i, compiled in enumerate(analyzer_module._PHRASES._patterns):
        found[f"phrases.{compiled.table}[{i}]"] = compiled.regex
    return found


PATTERNS = _compiled_patterns()
# Inputs known to blow up naive patterns: long runs of what quantifiers eat, ending in what
# makes the match fail at the last moment.
RUNS = ["a", "a ", "aa ", "you ", "i ", "my ", "so ", "lo", "ha", "he", "a*", "*", "@", "<@", "a-", "a'", " ", "\n",
        ".", "A ", "Aa ", "0", "0a", "1d", "i want to ", "not ", "really ", "just ", "<@1|", "s t ", "\u0301",
        "\U0001f602"]
ENDINGS = ["", "!", "\x00ab1*>'-"]


def test_every_pattern_is_collected() -> None:
    assert len(PATTERNS) > 100
    tables = {"contempt": lx.CONTEMPT_PHRASES, "crisis": cx.CRISIS_PATTERNS, "gossip": lx.GOSSIP_MARKERS}
    for table, patterns in tables.items():
        assert sum(k.startswith(f"phrases.{table}[") for k in PATTERNS) == len(patterns)
    assert "normalize._SPACED_LETTERS" in PATTERNS and "names._CAPITALISED" in PATTERNS and "crisis._CRISIS_DEATH" in PATTERNS


# How the analyzer runs a pattern, where it is not a search over the whole text: anchored at
# the start of a sentence, or against one word.
ANCHORED = {"crisis._DWELLING_OPENS": "match", "analyzer._LAUGH_WORD": "fullmatch", "normalize._ORDINAL": "fullmatch"}


def _run(pattern: re.Pattern[str], how: str, text: str) -> object:
    if how == "match":
        return pattern.match(text)
    if how == "fullmatch":
        return [pattern.fullmatch(word) for word in text.split()]
    return [m.group(0) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_catastrophically(name: str) -> None:
    pattern, how = PATTERNS[name], ANCHORED.get(name, "search")
    worst, at = 0.0, ""
    for run in RUNS:
        body = _repeat(run, 4_000)
        for ending in ENDINGS:
            text = body + ending
            seconds = timed(lambda: _run(pattern, how, text))
            if seconds > 0.03:  # a pause of the machine, or the pattern? Best of three says.
                seconds = min(timed(lambda: _run(pattern, how, text)) for _ in range(3))
            if seconds > worst:
                worst, at = seconds, f"{run!r} * n + {ending!r}"
    # Linear matching of 4 KB takes under a millisecond; the quadratic pattern found here
    # (normalize._LEET_TOKEN as it was) took 65 ms on 4 KB and 44 s on 100 KB.
    assert worst < 0.03, f"{name}: {worst:.3f} s on 4 KB of {at}"


@settings(max_examples=60, deadline=None)
@given(run=st.sampled_from(RUNS + WORDS), ending=st.sampled_from(ENDINGS + PIECES), size=st.integers(1000, 20_000))
def test_adversarial_runs_through_the_whole_analyzer(run: str, ending: str, size: int) -> None:
    text = _repeat(run, size) + ending
    seconds = timed(lambda: check(analyze(text)))
    assert seconds < 1.0, (run, ending, size, seconds)


@settings(max_examples=100, deadline=None)
@given(text=ANY_TEXT)
def test_normalisation_never_grows_a_text_or_fails(text: str) -> None:
    norm = normalize(text)
    assert isinstance(norm.lower, str) and isinstance(norm.cased, str)
    # NFKC may expand ligatures a little; nothing may explode.
    assert len(norm.lower) <= 18 * len(text) + 1


# The backtracking found here: "[a-z0-9@$]*[a-z][a-z0-9@$]*" took 44 s on "a0a " + 100,000 zeros.
_OLD_LEET_TOKEN = re.compile(r"[a-z0-9@$]*[a-z][a-z0-9@$]*")


@pytest.mark.parametrize("run", ["0", "@", "$", "01", "9"])
def test_a_long_run_of_digits_or_symbols_after_a_disguised_word_is_linear(run: str) -> None:
    text = "a0a " + run * 100_000 + "!"
    seconds = timed(lambda: check(analyze(text)))
    assert seconds < 1.0, seconds


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab01@$ 3.!'", max_size=40))
def test_the_linear_leet_pattern_rewrites_exactly_what_the_old_one_did(text: str) -> None:
    assert _LEET_TOKEN.sub(_unleet, text) == _OLD_LEET_TOKEN.sub(_unleet, text)
