"""Censored words ("f**k", "a**hole"): which listed word a token hides."""

from __future__ import annotations

import functools
import re

from peerbot.tone import lexicon as lx

__all__ = ["CENSORED", "uncensor"]

# A word with letters before its asterisks ("f**k", "a**hole"); markdown's
# "**bold**" has none and is left alone.
CENSORED = re.compile(r"(?<![\w*])[a-z]+\*+[a-z]*(?![\w*])")


@functools.lru_cache(maxsize=4096)
def uncensor(token: str) -> str | None:
    """Match "a**hole" or "f*ck" against the insult and profanity lists.

    Each run of asterisks stands for one to three letters. Only the words
    that begin with the letters before the first run are tried, and without
    compiling a pattern: a message of many distinct censored tokens
    ("bcdfg* hjklm* ...") cost 8.5-15 ms per KB when every token compiled a
    regex and tried all 415 words.
    """
    parts = re.split(r"\*+", token)
    candidates = _BY_PREFIX.get(parts[0][:_PREFIX])
    if not candidates:
        return None
    for word in candidates:
        if word.startswith(parts[0]) and _fits(word, len(parts[0]), parts, 1):
            return word
    return None


def _fits(word: str, at: int, parts: list[str], k: int) -> bool:
    """Whether word[at:] is a gap of 1-3 letters, parts[k], a gap, ... to the end."""
    if k == len(parts):
        return at == len(word)
    part = parts[k]
    for gap in (1, 2, 3):
        start = at + gap
        if start + len(part) > len(word) or not _LETTERS.issuperset(word[start - 1]):
            return False
        if word.startswith(part, start) and _fits(word, start + len(part), parts, k + 1):
            return True
    return False


# What a censored word most likely hides: swearing first, then insults, then
# judgements, shortest and then alphabetical within each. A fixed order, so
# "d****" reads the same in every process (set order changes with the hash seed).
_CENSORABLE = [
    *sorted(lx.PROFANITY, key=lambda w: (len(w), w)),
    *sorted(set(lx.PERSON_INSULTS) - lx.PROFANITY, key=lambda w: (len(w), w)),
    *sorted(set(lx.JUDGEMENTS) - set(lx.PERSON_INSULTS) - lx.PROFANITY, key=lambda w: (len(w), w)),
]
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
# Candidates by their first letters (up to _PREFIX of them), in _CENSORABLE order.
_PREFIX = 2
_BY_PREFIX: dict[str, list[str]] = {}
for _word in _CENSORABLE:
    for _n in range(1, _PREFIX + 1):
        if len(_word) > _n:
            _BY_PREFIX.setdefault(_word[:_n], []).append(_word)
