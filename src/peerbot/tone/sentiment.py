"""Sentiment: VADER's compound score, made safe for long and emoji-heavy texts.

VADER's cost grows faster than linearly with the length of a text and with
the emoji in it, so long texts are scored in slices and averaged, and a slice
is cut before its spelled-out emoji would make it slow.
"""

from __future__ import annotations

import re

import ahocorasick
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from peerbot.tone import lexicon as lx

__all__ = ["VADER_LEXICON", "lexicon_valence", "sentiment"]



class _LinearVader(SentimentIntensityAnalyzer):
    """VADER with the same scores, in time linear in the words.

    For every sentiment word VADER lower-cases the whole text twice (in its
    negation and idiom checks) to look at most three words back and two
    ahead: a 1,000-character slice of sentiment words cost 24 ms. These
    checks see only that window, so they get only the window.
    """

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):  # noqa: ANN001, ANN205 - VADER's signature
        low = max(0, i - 3)
        return SentimentIntensityAnalyzer._negation_check(valence, words_and_emoticons[low:i + 3], start_i, i - low)

    @staticmethod
    def _special_idioms_check(valence, words_and_emoticons, i):  # noqa: ANN001, ANN205 - VADER's signature
        low = max(0, i - 3)
        return SentimentIntensityAnalyzer._special_idioms_check(valence, words_and_emoticons[low:i + 3], i - low)


_VADER = _LinearVader()
VADER_LEXICON: dict[str, float] = _VADER.lexicon

# VADER's cost grows faster than linearly with text length (26 s for 100 KB),
# so long texts are scored in slices and averaged.
_SENTIMENT_SLICE = 1_000
_SENTIMENT_MAX_SLICES = 24
# VADER first spells every emoji out in words ("face with tears of joy"), and
# its negation check costs the square of the words: one slice of 1,000 emoji
# took 1.2 s, a 100 KB message of them almost two minutes. A slice is cut
# where its spelled-out length would pass twice the slice.
_VADER_EMOJI: dict[str, int] = {k: len(v) + 1 for k, v in _VADER.emojis.items() if len(k) == 1}
_VADER_EMOJI_MAX = max(_VADER_EMOJI.values())
# A regex class of emoji is slow (they lie outside the Basic Multilingual Plane,
# where re scans its ranges one by one); an automaton finds them in one C pass.
_VADER_EMOJI_FINDER = ahocorasick.Automaton()
for _emoji, _extra in _VADER_EMOJI.items():
    _VADER_EMOJI_FINDER.add_word(_emoji, _extra)
_VADER_EMOJI_FINDER.make_automaton()

_SENTENCES = re.compile(r"[^.!?;\n]+[.!?;\n]*")


def _vader_slice(text: str) -> str:
    """``text``, cut where VADER's spelled-out emoji would make it too long to score fast."""
    if text.isascii():
        return text
    # Each non-ASCII character adds at least one UTF-8 byte, and no emoji spells
    # out longer than _VADER_EMOJI_MAX: most texts are clearly short enough.
    if len(text) + (len(text.encode("utf-8")) - len(text)) * _VADER_EMOJI_MAX <= 2 * _SENTIMENT_SLICE:
        return text
    size = len(text)
    for index, extra in _VADER_EMOJI_FINDER.iter(text):
        size += extra
        if size > 2 * _SENTIMENT_SLICE:
            return text[:index]
    return text


def sentiment(text: str) -> float:
    if len(text) <= _SENTIMENT_SLICE:
        return float(_VADER.polarity_scores(_vader_slice(text))["compound"])
    total = 0.0
    count = 0
    for match in _SENTENCES.finditer(text):
        piece = match.group(0).strip()
        if not piece:
            continue
        total += _VADER.polarity_scores(_vader_slice(piece[:_SENTIMENT_SLICE]))["compound"]
        count += 1
        if count >= _SENTIMENT_MAX_SLICES * 4:
            break
    return total / count if count else 0.0


def lexicon_valence(tokens: list[str]) -> float:
    """VADER's lexicon summed and squashed like its compound score, without
    its per-call cost: good enough to tell a bitter sentence from a calm one."""
    total = 0.0
    for i, tok in enumerate(tokens):
        v = VADER_LEXICON.get(tok)
        if v is not None:
            if i and tokens[i - 1] in lx.NEGATIONS or (i > 1 and tokens[i - 2] in lx.NEGATIONS):
                v = -0.74 * v
            total += v
    return total / (total * total + 15) ** 0.5
