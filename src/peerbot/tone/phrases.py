"""Many phrase patterns, matched in one pass over a message.

Python's regex engine pays for every alternative at every character, so a few
hundred phrase patterns cost ~50 µs per ordinary message even when nothing
matches, which is most of the time. Instead, every pattern is taken apart
with Python's own regex parser and its most specific literal stretch is
spelled out in full ("shut up", "kill myself", "between you and me", ...).
All those strings go into one Aho-Corasick automaton (pyahocorasick, in C),
which finds every one of them in a single pass. Only the patterns whose
stretch occurs are then run as regexes, so results are exactly the regexes'.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]

import ahocorasick

# Spelling out more variants than this makes the automaton big for no gain.
_MAX_VARIANTS = 4096
# A stretch shorter than this would occur in too many messages to screen any.
_MIN_STRETCH = 3

_ZERO_WIDTH = {_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT}


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _product(parts: list[set[str]]) -> set[str] | None:
    total = 1
    for part in parts:
        total *= len(part)
        if total > _MAX_VARIANTS:
            return None
    return {"".join(combo) for combo in itertools.product(*parts)}


def _spell(items: list) -> set[str] | None:
    """Every string a fully literal piece of pattern can match, or None."""
    parts: list[set[str]] = []
    for op, arg in items:
        spelled = _spell_item(op, arg)
        if spelled is None:
            return None
        parts.append(spelled)
    return _product(parts)


def _spell_item(op, arg) -> set[str] | None:  # noqa: ANN001 - sre parser internals
    if op is _sre.LITERAL:
        return {chr(arg)}
    if op in _ZERO_WIDTH:
        return {""}
    if op is _sre.SUBPATTERN:
        return _spell(list(arg[-1]))
    if op is _sre.BRANCH:
        out: set[str] = set()
        for alternative in arg[1]:
            spelled = _spell(list(alternative))
            if spelled is None:
                return None
            out |= spelled
        return out if len(out) <= _MAX_VARIANTS else None
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in arg:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < 40:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None
        return chars
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, high, body = arg
        if high > 3:
            return None
        spelled = _spell(list(body))
        if spelled is None:
            return None
        out = set()
        for count in range(low, high + 1):
            product = _product([spelled] * count)
            if product is None:
                return None
            out |= product
        return out
    return None


@dataclass(frozen=True, slots=True)
class Stretch:
    """Literal strings one of which every match contains, and whether the
    pattern demands a word boundary just before or just after them."""

    strings: frozenset[str]
    word_start: bool
    word_end: bool


def _is_boundary(item) -> bool:  # noqa: ANN001 - sre parser internals
    return item[0] is _sre.AT and item[1] in (_sre.AT_BOUNDARY, _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)


def screen_for(pattern: str, *, whole_words: bool = False) -> Stretch | None:
    """The most specific literal stretch of ``pattern``, or None.

    Zero-width assertions are read as matching nothing, so the strings may
    find a little more than the pattern does, never less; None when no
    stretch is specific enough to be worth screening with.
    """
    items = list(_sre_parse.parse(pattern))
    while len(items) == 1 and items[0][0] is _sre.SUBPATTERN:
        items = list(items[0][1][-1])
    best: Stretch | None = None
    run: list = []
    start = 0
    for position, item in enumerate([*items, (None, None)]):
        spelled = _spell_item(*item) if item[0] is not None else None
        if spelled is not None:
            if not run:
                start = position
            run.append(item)
            continue
        # A run of spellable items ends: each stretch of it is a candidate,
        # the most specific with the fewest strings kept.
        parts = [_spell_item(*it) for it in run]
        for a in range(len(parts)):
            spelled_so_far: set[str] | None = {""}
            for b in range(a, len(parts)):
                spelled_so_far = _product([spelled_so_far, parts[b]])
                if spelled_so_far is None:
                    break
                if min(map(len, spelled_so_far)) >= _MIN_STRETCH and (best is None or _better(spelled_so_far, set(best.strings))):
                    best = Stretch(
                        frozenset(spelled_so_far),
                        word_start=_is_boundary(run[a]) or (whole_words and start + a == 0),
                        word_end=_is_boundary(run[b]) or (whole_words and start + b + 1 == len(items)),
                    )
        run = []
    return best


def stretches(pattern: str) -> set[str] | None:
    """The strings of ``screen_for(pattern)``."""
    found = screen_for(pattern)
    return set(found.strings) if found else None


def screen_key(pattern: str, whole_words: bool) -> str:
    return f"{int(whole_words)}\t{pattern}"


def write_screens(tables: Mapping[str, Mapping[str, float] | Iterable[str]], whole_words: Iterable[str], path: Path) -> None:
    """Spell out every pattern's stretch once and keep it in ``path``.

    Parsing several hundred patterns to find their stretches took most of the
    analyzer's import time; the file makes that a JSON load. An entry is found
    by the pattern's exact text, so a changed pattern is simply screened anew.
    """
    bounded = set(whole_words)
    out: dict[str, object] = {}
    for name, table in tables.items():
        for pattern in table:
            found = screen_for(pattern, whole_words=name in bounded)
            out[screen_key(pattern, name in bounded)] = (
                None if found is None else [found.word_start, found.word_end, sorted(found.strings)]
            )
    path.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def read_screens(path: Path) -> dict[str, Stretch | None]:
    """The stretches ``write_screens`` kept; empty when the file is missing or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: None if v is None else Stretch(frozenset(v[2]), bool(v[0]), bool(v[1])) for key, v in raw.items()}


# A stretch this long is specific enough; past it, fewer strings matter more
# than longer ones (the automaton's size is what the analyzer's import costs).
_SPECIFIC_ENOUGH = 8


def _better(new: set[str], old: set[str]) -> bool:
    def rank(strings: set[str]) -> tuple[int, int]:
        return min(_SPECIFIC_ENOUGH, min(map(len, strings))), -len(strings)

    return rank(new) > rank(old)


class _Pattern:
    """One phrase pattern, compiled the first time a message could match it:
    most of several hundred patterns never meet a message that holds their
    stretch, and compiling them all made importing the analyzer slow."""

    __slots__ = ("table", "source", "weight", "_regex")

    def __init__(self, table: str, source: str, weight: float) -> None:
        self.table = table
        self.source = source
        self.weight = weight
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.source)
        return self._regex


class PhraseBook:
    """Named phrase tables sharing one automaton.

    ``scan(text)`` finds, in one pass, which patterns could match; the result
    then runs just those patterns against ``text`` or a part of it.
    """

    def __init__(
        self,
        tables: Mapping[str, Mapping[str, float] | Iterable[str]],
        *,
        whole_words: Iterable[str] = (),
        screens: Mapping[str, Stretch | None] | None = None,
    ) -> None:
        bounded = set(whole_words)
        screens = screens or {}
        self._patterns: list[_Pattern] = []
        self._always: dict[str, list[int]] = {name: [] for name in tables}
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        owners: dict[str, list[int]] = {}
        for name, table in tables.items():
            weights = dict(table) if isinstance(table, Mapping) else dict.fromkeys(table, 1.0)
            for pattern, weight in weights.items():
                index = len(self._patterns)
                source = rf"(?<![\w'])(?:{pattern})(?![\w'])" if name in bounded else pattern
                self._patterns.append(_Pattern(name, source, weight))
                key = screen_key(pattern, name in bounded)
                found = screens[key] if key in screens else screen_for(pattern, whole_words=name in bounded)
                if found is None:
                    self._always[name].append(index)
                    continue
                for stretch in found.strings:
                    # Boundaries are checked only where the stretch has a word character.
                    start = found.word_start and _is_word_char(stretch[0])
                    end = found.word_end and _is_word_char(stretch[-1])
                    owners.setdefault(stretch, []).append((index, start, end))
        for stretch, owned in owners.items():
            automaton.add_word(stretch, (len(stretch), tuple(owned)))
        automaton.make_automaton()
        self._automaton = automaton
        self.unscreened = {name: [self._patterns[i].source for i in ix] for name, ix in self._always.items() if ix}

    def scan(self, text: str) -> Scan:
        candidates: dict[str, set[int]] = {}
        last = len(text) - 1
        for end, (length, owned) in self._automaton.iter(text):
            begin = end - length + 1
            inside_word_before = begin > 0 and _is_word_char(text[begin - 1])
            inside_word_after = end < last and _is_word_char(text[end + 1])
            for index, word_start, word_end in owned:
                # "die" inside "studied" cannot be the word the pattern wants.
                if (word_start and inside_word_before) or (word_end and inside_word_after):
                    continue
                candidates.setdefault(self._patterns[index].table, set()).add(index)
        return Scan(self, candidates)


@dataclass(frozen=True, slots=True)
class Scan:
    """Which patterns of a PhraseBook could match one message."""

    book: PhraseBook
    candidates: dict[str, set[int]]

    def could_match(self, table: str) -> bool:
        return bool(self.candidates.get(table) or self.book._always[table])

    def matches(self, table: str, text: str) -> list[tuple[re.Match[str], float]]:
        """Non-overlapping matches in text order, each with its phrase's weight.

        Where phrases overlap, the one that starts first (then the longer,
        then the one listed first) is kept, as a single alternation would:
        the same text always gets the same matches, whatever order a set
        of candidates happens to come out in.
        """
        found = self.candidates.get(table)
        always = self.book._always[table]
        if not found and not always:
            return []
        indexes = found.union(always) if found else always
        patterns = self.book._patterns
        hits = [(m, i) for i in indexes for m in patterns[i].regex.finditer(text)]
        if len(hits) < 2:
            return [(m, patterns[i].weight) for m, i in hits]
        hits.sort(key=lambda hit: (hit[0].start(), -hit[0].end(), hit[1]))
        kept: list[tuple[re.Match[str], float]] = []
        end = -1
        for match, index in hits:
            if match.start() >= end:
                kept.append((match, patterns[index].weight))
                end = match.end()
        return kept

    def find(self, table: str, text: str) -> list[tuple[str, float]]:
        return [(m.group(0), w) for m, w in self.matches(table, text)]

    def search(self, table: str, text: str) -> re.Match[str] | None:
        found = self.matches(table, text)
        return found[0][0] if found else None
