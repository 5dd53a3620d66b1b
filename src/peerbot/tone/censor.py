"""Censored words ("f**k", "a**hole"): which listed word a token hides."""

from __future__ import annotations

import functools
import re

from peerbot.tone import lexicon as lx

__all__ = ["CENSORED", "uncensor"]

# A word with letters before its asterisks ("f**k", "a**hole"); markdown's
# "**bold**" has none and is left alone.
CENSORED = re.compile(r"(?<![\w*])[a-z]+\*+[a-z]*(?![\w*])")


@functools.lru_cache(maxsize=512)
def uncensor(token: str) -> str | None:
    """Match "a**hole" or "f*ck" against the insult and profanity lists."""
    pattern = re.compile("".join("[a-z]{1,3}" if c == "*" else re.escape(c) for c in re.sub(r"\*+", "*", token)))
    for word in _CENSORABLE:
        if pattern.fullmatch(word):
            return word
    return None


# What a censored word most likely hides: swearing first, then insults, then
# judgements, shortest and then alphabetical within each. A fixed order, so
# "d****" reads the same in every process (set order changes with the hash seed).
_CENSORABLE = [
    *sorted(lx.PROFANITY, key=lambda w: (len(w), w)),
    *sorted(set(lx.PERSON_INSULTS) - lx.PROFANITY, key=lambda w: (len(w), w)),
    *sorted(set(lx.JUDGEMENTS) - set(lx.PERSON_INSULTS) - lx.PROFANITY, key=lambda w: (len(w), w)),
]
