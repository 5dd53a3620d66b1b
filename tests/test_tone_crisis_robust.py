"""Crisis language must survive how it is typed: any run of whitespace, any case, letters
drawn from another script or swapped for digits and symbols, and broken Unicode. A crisis
that slips through here gets no resources and no alert."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerbot.actions import CrisisSupport
from peerbot.events import DirectMessage
from peerbot.tone import analyze
from peerbot.tone.censor import uncensor
from peerbot.tone.normalize import normalize

from engine_kit import COMMUNITY, T0, fresh, kinds, make_engine, member

# Crisis sentences the analyzer recognises as typed plainly; each must still be crisis
# however it is spaced, cased or disguised below.
PHRASES = [
    "I want to kill myself",
    "I am going to end my life tonight",
    "I don't want to be here anymore",
    "Everyone would be better off without me",
    "I'm saying goodbye to everyone tonight",
    "I just want to go to sleep and never wake up",
    "I keep thinking about ending my life",
    "I've been cutting myself again",
    "I have the pills ready and I'm done",
    "I want to die",
    "I can't go on like this",
    "life is not worth living anymore",
]

# Whitespace a reader sees as a gap between two words.
GAPS = [" ", "  ", "   ", "\t", "\n", "\r\n", " \n ", "\u00a0", "\u3000", "\u2003", " \t "]
# Look-alikes a reader still reads as the letter: Cyrillic and Greek letters anywhere...
HOMOGLYPHS = {
    "a": "аα", "c": "с", "e": "еε", "i": "іι", "k": "кκ", "o": "оο", "p": "рρ", "s": "ѕ", "x": "хχ",
    "y": "у", "h": "һ", "j": "ј", "d": "ԁ", "u": "υ", "v": "ν", "t": "τ", "l": "ӏ",
}
# ... and digits and symbols inside a word ("k!ll", "kiII", "my5e1f").
INSIDE = {"i": "1!|", "l": "1|I", "o": "0", "e": "3", "a": "4@", "s": "5$", "t": "7"}


@st.composite
def disguised(draw: st.DrawFn, phrase: str) -> str:
    out: list[str] = []
    for n, word in enumerate(phrase.split(" ")):
        if n:
            out.append(draw(st.sampled_from(GAPS)))
        letters: list[str] = []
        for k, char in enumerate(word):
            low = char.lower()
            choice = draw(st.integers(0, 9))
            inside = 0 < k < len(word) - 1 or (k == len(word) - 1 and len(word) >= 3 and low in "il")
            if choice == 0 and low in HOMOGLYPHS:
                letters.append(draw(st.sampled_from(HOMOGLYPHS[low])))
            elif choice == 1 and inside and low in INSIDE and len(word) >= 3:
                letters.append(draw(st.sampled_from(INSIDE[low])))
            else:
                letters.append(char.upper() if draw(st.booleans()) else char.lower())
        out.append("".join(letters))
    return "".join(out)


@pytest.mark.parametrize("phrase", PHRASES)
def test_the_plain_phrase_is_crisis(phrase: str) -> None:
    assert analyze(phrase).action == "crisis"


@pytest.mark.parametrize("phrase", PHRASES)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_crisis_survives_whitespace_case_and_look_alikes(phrase: str, data: st.DataObject) -> None:
    text = data.draw(disguised(phrase))
    report = analyze(text)
    assert report.action == "crisis", (text, normalize(text).lower, report.cues)


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill  myself",  # two spaces
        "I want to kill\tmyself",
        "I am going to end\nmy life tonight",
        "I am going to end  my life tonight",
        "I want to k\u0456ll myself",  # Cyrillic i
        "I want to k!ll myself",
        "I want to kiII myself",  # capital I for l
        "I want to ki11 my5e1f",
        "I want to ki|| myself",
        "\u0406 w\u0430nt t\u043e d\u0456e",  # Cyrillic I, a, o, i
    ],
)
def test_the_reported_disguises_are_crisis(text: str) -> None:
    assert analyze(text).action == "crisis", normalize(text).lower


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It is fine. AI is here and I LOVE IT.", "it is fine. ai is here and i love it."),
        ("covid19 at 9am, 1st place, call 911", "covid19 at 9am, 1st place, call 911"),
        ("\u041c\u043e\u0441\u043a\u0432\u0430 \u0438 \u0421\u0430\u043d\u043a\u0442", None),  # Russian text stays Russian
    ],
)
def test_plain_words_are_not_rewritten(text: str, expected: str | None) -> None:
    lower = normalize(text).lower
    assert lower == (expected if expected is not None else text.lower())


def test_whitespace_runs_keep_sentence_breaks() -> None:
    # A line break still ends a sentence for the nudge rules; only its width goes.
    assert normalize("one  two\t\tthree \n\n four").lower == "one two three\nfour"


def test_a_lone_surrogate_does_not_crash_and_the_crisis_is_seen() -> None:
    report = analyze("I want to kill myself \ud83d")
    assert report.action == "crisis"
    assert analyze("\udfff\ud800 you are an idiot \ud83d").action == "nudge"
    assert analyze("\ud83d").action == "none"


def test_analyze_jsonl_answers_crisis_for_a_lone_surrogate() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERBOT_")}
    proc = subprocess.run(
        [sys.executable, "-m", "peerbot.cli", "analyze", "--jsonl"],
        input=b'{"text":"I want to kill myself \\ud83d"}\n', capture_output=True, env=env, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["action"] == "crisis"
    assert b"Traceback" not in proc.stderr


async def test_the_engine_gives_crisis_support_for_a_disguised_crisis(tmp_path) -> None:
    engine = await make_engine(tmp_path)
    for n, text in enumerate(["I want to end  my life", "I want to k\u0456ll myself \ud83d"]):
        message = DirectMessage(event_id=fresh("dm"), community=COMMUNITY, at=T0, author=member(f"m{n}"),
                                channel_id=f"D-m{n}", message_id=fresh("m"), text=text)
        actions = await engine.handle(message)
        assert kinds(actions) == ["CrisisSupport", "AlertModerators"], text
        assert isinstance(actions[0], CrisisSupport)


# -- the slow path of many distinct censored words (issue 11, item 6) --------------------------------------------

def _best_of_three(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        analyze(text)
        best = min(best, time.perf_counter() - started)
    return best


def test_many_distinct_censored_words_cost_about_what_plain_words_do() -> None:
    """Each distinct censored token compiled a regex and tried 415 words: 8.5-15 ms per KB,
    40 times the cost of plain words. Measured against plain words of the same size in the
    same run, so a loaded machine slows both alike."""
    rng = random.Random(11)
    consonants = "bcdfghjklmnpqrstvwxyz"
    censored = " ".join("".join(rng.choice(consonants) for _ in range(5)) + "*" for _ in range(7_000))[:40_000]
    plain = " ".join("".join(rng.choice(consonants) for _ in range(5)) + "s" for _ in range(7_000))[:40_000]
    assert _best_of_three(censored) < 3 * _best_of_three(plain) + 0.02


@pytest.mark.parametrize("token, word", [("f*ck", "fuck"), ("a**hole", "asshole"), ("b***h", "bitch"),
                                         ("id**t", "idiot"), ("st*pid", "stoopid"), ("laz*ass", None), ("zq*", None)])
def test_censored_words_read_as_before(token: str, word: str | None) -> None:
    assert uncensor(token) == word
