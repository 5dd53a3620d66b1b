"""Text normalisation: undo the tricks people use to slip words past filters.

Everything here is linear in the length of the text: no pattern in this module
can backtrack, so a 1 MB message costs about what a hundred small ones do.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import NamedTuple

import ahocorasick

# Characters that render as nothing but split words for a naive matcher.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070)),
    None,
)

_INVISIBLE_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE) + "]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})

# Leetspeak, applied only inside tokens that mix letters with these symbols.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
# A run of these characters; _unleet leaves runs without a letter alone. (Demanding the
# letter in the pattern, "[a-z0-9@$]*[a-z][a-z0-9@$]*", backtracked quadratically on long
# letterless runs: 44 s for "a0a " + 100,000 zeros.)
_LEET_TOKEN = re.compile(r"[a-z0-9@$]+")
# One pass that finds whether any of the tricks below could be present.
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_HINTS = ahocorasick.Automaton()
for _key in (
    [c * 3 for c in _LETTERS]
    + [f"{a} {b} {c}" for a in _LETTERS for b in _LETTERS for c in _LETTERS]
    + [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
):
    _HINTS.add_word(_key, True)
_HINTS.make_automaton()
_LEET_HINT = re.compile(r"[013457@$]")
_LEET_SHAPE = re.compile(r"[a-z][013457@$]+[a-z]|\b[013457@$][a-z]+[013457@$]")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|s|am|pm|k|m|h|x|d)")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_SPACED_LETTERS = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Half of a UTF-16 pair on its own: no platform should send one, but JSON can
# carry it ("\ud83d"), and encoding it raises. It stands for nothing readable.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Whitespace a reader does not see as more than one space: a double space, a
# tab or a line break inside a phrase must not hide it. A run holding a line
# break becomes one line break (sentences end there), any other run one space.
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")

# Cyrillic and Greek letters drawn like Latin ones ("kіll" with a Cyrillic і):
# the word a reader sees is the Latin one.
_HOMOGLYPHS = str.maketrans(
    {
        **dict(zip("аеіїорсхуѕјԁԛԝһӏкɑɡ", "aeiiopcxysjdqwhlkag")),
        **dict(zip("АВЕКМНОРСТХУІЈЅ", "ABEKMHOPCTXYIJS")),
        **dict(zip("αεικνορτυχϲΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "aeikvoptuxcABEZHIKMNOPTYX")),
    }
)
_HOMOGLYPH_CHARS = re.compile("[" + "".join(sorted({chr(c) for c in _HOMOGLYPHS})) + "]")
_WORD = re.compile(r"\w+")
# Characters that stand for an "i" or an "l" inside a word ("k!ll", "kiII",
# "ki||", "ki11"): which one is meant, only the word can say.
_I_OR_L = re.compile(r"[A-Za-z03457@$]I|[A-Za-z03457@$][1|!]+(?:[A-Za-z03457@$]|(?<=[1|])(?![\w|!]))|(?<![\w|!@$])[1|][a-z]")
_I_OR_L_TOKEN = re.compile(r"[A-Za-z0-9|!@$]+")
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789|!@$")
# Leetspeak other than "1", which may be an "i" or an "l".
_LEET_BUT_ONE = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


class Normalized(NamedTuple):
    """A message made comparable with the lexicons.

    ``cased`` keeps capitals (names are found there); ``lower`` is what the
    lexicons are matched against. ``tricks`` names the obfuscations undone.
    (A named tuple: made once per message, it is cheaper than a dataclass.)
    """

    cased: str
    lower: str
    tricks: tuple[str, ...]


def _unleet(match: re.Match[str]) -> str:
    token = match.group(0)
    # Mentions, ordinals and times ("@sam", "2nd", "9am") are not disguised words.
    # Only a symbol between letters disguises a word ("st00pid", "1d10t");
    # "$30k", "2nd" and "covid19" are what they say.
    if token[0] == "@" or not _LEET_SHAPE.search(token) or _ORDINAL.fullmatch(token):
        return token
    return token.translate(_LEET)


def _fold_homoglyphs(text: str) -> str:
    """Latin letters for their Cyrillic and Greek look-alikes, in every word
    made only of Latin letters and look-alikes: a reader sees a Latin word
    there. A Russian or Greek word has letters of its own and stays as it is."""

    def fold(match: re.Match[str]) -> str:
        word = match.group(0)
        latin = word.translate(_HOMOGLYPHS)
        return latin if latin.isascii() else word

    return _WORD.sub(fold, text)


@functools.lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Words peerbot's lexicons know, to read a disguised "i" or "l" by."""
    from peerbot.tone import crisis_lexicon, lexicon
    from peerbot.tone.sentiment import VADER_LEXICON

    words: set[str] = set(VADER_LEXICON)
    for module in (lexicon, crisis_lexicon):
        for value in vars(module).values():
            items = value if isinstance(value, (tuple, frozenset, dict)) else (value,) if isinstance(value, str) else ()
            for item in items:
                if isinstance(item, str):
                    words.update(re.findall(r"[a-z]{3,}", item))
    return frozenset(words)


def _read_i_or_l(text: str) -> str:
    """``text`` with each word whose "I", "1", "|" or "!" stands for a letter
    spelled as the word the lexicons know, when there is one."""
    out: list[str] = []
    done = 0
    for hint in _I_OR_L.finditer(text):
        if hint.start() < done:
            continue  # inside the word just read
        left = hint.start()
        while left > done and text[left - 1] in _TOKEN_CHARS:
            left -= 1
        token = _I_OR_L_TOKEN.match(text, left)
        if token is None:
            continue
        out.append(text[done:left])
        out.append(_read_word(token.group(0)))
        done = token.end()
    out.append(text[done:])
    return "".join(out)


def _read_word(token: str) -> str:
    # "KIII" is "KILL" in most fonts; "III" is a numeral.
    spots = [k for k, c in enumerate(token) if c in "1|!" or (c == "I" and k > 0)]
    if all(c == "I" for c in token):
        return token
    if not spots or len(spots) > 6 or len(token) > 30 or not any(c.isalpha() for c in token):
        return token
    vocabulary = _vocabulary()
    lower = token.lower().translate(_LEET_BUT_ONE) if token[0] != "@" else token.lower()
    if lower in vocabulary:
        return token
    chars = list(lower)
    for choice in itertools.product("il", repeat=len(spots)):
        for k, c in zip(spots, choice):
            chars[k] = c
        candidate = "".join(chars)
        if candidate in vocabulary:
            return candidate
    return token


def _fold_unicode(text: str, tricks: list[str]) -> str:
    cleaned = text
    if _SURROGATES.search(cleaned):
        cleaned = _SURROGATES.sub("\ufffd", cleaned)
    if _INVISIBLE_CHARS.search(text):
        cleaned = text.translate(_INVISIBLE)
        tricks.append("invisible characters")
    folded = cleaned if unicodedata.is_normalized("NFKC", cleaned) else unicodedata.normalize("NFKC", cleaned)
    if folded != cleaned and any(ord(c) > 0x2000 for c in cleaned):
        tricks.append("look-alike characters")
    folded = folded.translate(_APOSTROPHES)
    if _HOMOGLYPH_CHARS.search(folded):
        homoglyphs = _fold_homoglyphs(folded)
        if homoglyphs != folded:
            folded = homoglyphs
            tricks.append("look-alike characters")
    # Combining marks stacked on letters ("zalgo") hide words too.
    if _COMBINING.search(folded):
        stripped = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
        folded = unicodedata.normalize("NFC", stripped)
    return folded


def normalize(text: str) -> Normalized:
    tricks: list[str] = []
    # Plain ASCII cannot hide anything Unicode folding would reveal.
    folded = text.replace("`", "'") if text.isascii() else _fold_unicode(text, tricks)
    if _I_OR_L.search(folded):
        read = _read_i_or_l(folded)
        if read != folded:
            folded = read
            tricks.append("look-alike characters")
    if _SPACE_RUN.search(folded):
        folded = _SPACE_RUN.sub(lambda m: "\n" if "\n" in m.group(0) else " ", folded)
    lower = folded.lower()
    # One C pass says whether control characters, stretched letters ("ooo")
    # or spaced letters ("s t u") are present; most messages have none.
    hint = next(_HINTS.iter(lower), None)
    if hint is None and not (_LEET_HINT.search(lower) and _LEET_SHAPE.search(lower)):
        return Normalized(cased=folded, lower=lower, tricks=tuple(tricks))
    if _CONTROL.search(folded):
        folded = _CONTROL.sub(" ", folded)
        lower = folded.lower()
    unleeted = _LEET_TOKEN.sub(_unleet, lower) if _LEET_SHAPE.search(lower) else lower
    if unleeted != lower:
        tricks.append("letters swapped for digits or symbols")
    collapsed = _REPEATS.sub(r"\1\1", unleeted)
    if collapsed != unleeted:
        tricks.append("stretched letters")
    despaced = collapsed
    if _SPACED_LETTERS.search(collapsed):
        despaced = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), collapsed)
        tricks.append("spaced-out letters")
    return Normalized(cased=folded, lower=despaced, tricks=tuple(tricks))
