"""A cheap pre-check: could this message contain any of these phrases at all?

Python's regex engine pays for every alternative at every character, so a
pattern list of a few hundred phrases costs ~45 µs on an ordinary message even
when nothing matches, which is most of the time. Instead, each pattern gets an
*anchor*: a set of whole words at least one of which every match contains,
worked out from the pattern with Python's own regex parser. A message whose
words hit no anchor cannot match, and skips the regexes. Patterns without an
anchor (a few, made of common words) are tried by one small regex instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]

#: The words of a (lower-cased) message, spelled as anchors are.
WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")

# Too common to screen anything out: a pattern anchored on these would run on
# nearly every message.
COMMON = frozenset(
    """
    a an the i you u he she it we they me him her us them my your his our their its is are was
    were be been being am to of in on at for and or but so do did does not no this that what how
    why who when where which there here as if even sure good nice over down give get got go make
    know think want see look come take have has had with about all just like can will would should
    could out up more some very really one also back now then than only time way people well much
    because into from by any am im r
    """.split()
)


def _literal(items: list) -> str | None:
    """The alternative as plain text, or None when it holds any regex syntax."""
    chars = []
    for op, arg in items:
        if op is _sre.LITERAL:
            chars.append(chr(arg))
        else:
            return None
    return "".join(chars)


def anchor_options(pattern: str) -> list[frozenset[str]]:
    """Sets of words; every match of ``pattern`` contains a word of each set."""
    items = list(_sre_parse.parse(pattern))
    if len(items) == 1 and items[0][0] is _sre.SUBPATTERN:
        items = list(items[0][1][-1])
    options: list[frozenset[str]] = []
    word: list[str] = []
    left_bounded = True
    pending: frozenset[str] | None = None

    def boundary(bounded: bool) -> None:
        nonlocal word, pending
        if bounded and word and left_bounded:
            options.append(frozenset({"".join(word)}))
        if bounded and pending is not None:
            options.append(pending)
        word, pending = [], None

    for op, arg in items:
        if op is _sre.LITERAL and chr(arg) in _WORD_CHARS:
            if pending is not None:  # "(?:shock|surpris)ed": not whole words
                pending, left_bounded = None, False
            word.append(chr(arg))
            continue
        if op is _sre.LITERAL or op is _sre.AT:
            boundary(True)
            left_bounded = True
            continue
        if op is _sre.SUBPATTERN and len(arg[-1]) == 1:
            op, arg = arg[-1][0]
        if op is _sre.BRANCH and pending is None and (left_bounded or word):
            # The parser factors shared prefixes out: "(?:surprise|shocker)"
            # arrives as "s" then a branch of "urprise" and "hocker".
            prefix = "".join(word)
            alternatives = [_literal(list(alt)) for alt in arg[1]]
            firsts = [(prefix + alt).split()[:1] for alt in alternatives if alt is not None]
            if len(firsts) == len(alternatives) and all(firsts):
                # "no" + " one" is the word "no"; "no" + "body" is "nobody".
                pending = frozenset(f[0] for f in firsts)
                word = []
                continue
        if op is _sre.MAX_REPEAT and arg[0] == 0 and not word and pending is None:
            # "(?:own )?life": an optional run of whole words ending in a space
            # keeps the next word bounded on its left either way.
            body = list(arg[2])
            ends_in_space = bool(body) and body[-1] == (_sre.LITERAL, 32)
            left_bounded = left_bounded and ends_in_space
            continue
        boundary(False)
        left_bounded = False
    boundary(True)
    return options


def anchor(pattern: str) -> frozenset[str] | None:
    """The rarest usable anchor of ``pattern``, or None when it has none."""
    usable = [o for o in anchor_options(pattern) if o.isdisjoint(COMMON)]
    if not usable:
        return None
    return min(usable, key=lambda o: (len(o), -min(map(len, o))))


@dataclass(frozen=True, slots=True)
class ScreenedPhrases:
    """A phrase list with a cheap test for "could any of these be in here?".

    Patterns with an anchor are skipped unless an anchor word is among the
    message's words; the rest are tried by one small capture-free regex. Only
    a message that passes pays for ``detail``, whose named groups tell which
    phrase matched and so which weight applies.
    """

    anchors: frozenset[str]
    unanchored: re.Pattern[str] | None
    detail: re.Pattern[str]
    weights: tuple[float, ...]

    @classmethod
    def build(cls, table: Mapping[str, float] | Iterable[str], *, whole_words: bool = True) -> ScreenedPhrases:
        weights = dict(table) if isinstance(table, Mapping) else dict.fromkeys(table, 1.0)
        anchors: set[str] = set()
        loose: list[str] = []
        for pattern in weights:
            found = anchor(pattern)
            if found is None:
                loose.append(pattern)
            else:
                anchors |= found
        # Named groups tell which phrase matched (and so its weight) but make a
        # regex several times slower: lists without weights go without them.
        weighted = isinstance(table, Mapping)
        body = "|".join(f"(?P<p{i}>{p})" if weighted else p for i, p in enumerate(weights))
        detail = rf"(?<![\w'])(?:{body})(?![\w'])" if whole_words else f"(?:{body})"
        unanchored = re.compile(r"(?:" + "|".join(loose) + ")") if loose else None
        return cls(frozenset(anchors), unanchored, re.compile(detail), tuple(weights.values()))

    def could_match(self, text: str, words: frozenset[str]) -> bool:
        if not self.anchors.isdisjoint(words):
            return True
        return self.unanchored is not None and self.unanchored.search(text) is not None

    def find(self, text: str, words: frozenset[str]) -> list[tuple[str, float]]:
        """(matched text, weight) for every phrase in ``text``."""
        if not self.could_match(text, words):
            return []
        found = []
        for match in self.detail.finditer(text):
            group = match.lastgroup
            weight = self.weights[int(group[1:])] if group is not None else 1.0
            found.append((match.group(0), weight))
        return found

    def finditer(self, text: str, words: frozenset[str]) -> list[re.Match[str]]:
        return list(self.detail.finditer(text)) if self.could_match(text, words) else []

    def search(self, text: str, words: frozenset[str]) -> re.Match[str] | None:
        return self.detail.search(text) if self.could_match(text, words) else None
