"""Crisis recognition: self-harm and suicidal language, said by the writer, now.

A crisis is found in two ways: whole phrases (``CRISIS_PATTERNS``), and
meaning said in parts within one sentence (a thought of death together with
wanting or dwelling on it, by the speaker). A match that is negated ("I would
never hurt myself") does not count, and a recovery story about the past is
told apart from a crisis that is happening now.

The analyzer screens every message once with a shared phrase book; the
groups this module needs are in ``PHRASE_GROUPS``.
"""

from __future__ import annotations

import re

from peerbot.tone import crisis_lexicon as cx
from peerbot.tone.phrases import Scan

__all__ = ["PHRASE_GROUPS", "detect", "may_be_crisis"]

# Phrase-book groups (name -> patterns) the analyzer's one scan must include.
PHRASE_GROUPS: dict[str, tuple[str, ...]] = {
    "crisis": cx.CRISIS_PATTERNS,
    "crisis_parts": cx.CRISIS_DEATH + cx.CRISIS_SELF_ALONE,
    "recovery": cx.RECOVERY_MARKERS,
}

_CRISIS_ANY = re.compile("|".join(cx.CRISIS_PATTERNS))
_CRISIS_DEATH = re.compile("|".join(cx.CRISIS_DEATH))
_CRISIS_SELF_ALONE = re.compile("|".join(cx.CRISIS_SELF_ALONE))
_CRISIS_DWELLING = re.compile(cx.CRISIS_DWELLING)
_FIRST_PERSON = re.compile(cx.FIRST_PERSON_MARKERS)
_DWELLING_OPENS = re.compile(r"\s*(?:just |really |so |been |still |keep )?(?:thinking|want|wanna|wish|ready|planning|going to|gonna|praying|hoping|imagining|can't stop)\b")
_SENTENCE_SPANS = re.compile(r"[^.!?\n]+")
_CRISIS_NEGATED = re.compile("|".join(cx.CRISIS_NEGATIONS))
_RECOVERY_ANY = re.compile("|".join(cx.RECOVERY_MARKERS))
_CRISIS_NOW = re.compile(
    r"\b(?:again|right now|tonight|today|last night|yesterday|this morning|just now|anymore|any more|lately|these days|still|thinking about|planning|going to|gonna|want to|wanna|wish)\b"
)
_CLAUSES = re.compile(r"[.!?;,\n]|\b(?:and|but|though|although|yet)\b")


def may_be_crisis(scan: Scan) -> bool:
    """Whether the screening pass saw anything that could be crisis language."""
    return scan.could_match("crisis") or scan.could_match("crisis_parts")


def _composed_crisis(lower: str) -> list[re.Match[str]]:
    """Crisis said in parts: death or ending, and wanting or dwelling on it, by the speaker."""
    found: list[re.Match[str]] = []
    for sentence in _SENTENCE_SPANS.finditer(lower):
        # Searching within the sentence's span gives matches placed in the whole text.
        start, end = sentence.span()
        alone = _CRISIS_SELF_ALONE.search(lower, start, end)
        if alone and _FIRST_PERSON.search(lower, start, end):
            found.append(alone)
            continue
        death = _CRISIS_DEATH.search(lower, start, end)
        if death and _CRISIS_DWELLING.search(lower, start, end):
            # The speaker's own thought: "I", or a sentence that opens with the
            # thought itself ("Thinking about ending things").
            if _FIRST_PERSON.search(lower, start, end) or _DWELLING_OPENS.match(lower, start, end):
                found.append(death)
    return found


def detect(lower: str, scan: Scan) -> tuple[str, tuple[str, ...]] | None:
    """("crisis" | "recovery", phrases) when self-harm or suicidal language is present."""
    matches = [m for m, _ in scan.matches("crisis", lower)]
    if scan.could_match("crisis_parts"):
        matches += _composed_crisis(lower)
    if not matches:
        return None
    negated = [m.span() for m in _CRISIS_NEGATED.finditer(lower)]
    live = [m.group(0) for m in matches if not any(m.start() < nb and na < m.end() for na, nb in negated)]
    if not live:
        return None
    hits = tuple(dict.fromkeys(live))
    if scan.search("recovery", lower) and not _present_crisis(lower):
        return "recovery", tuple(hits)
    return "crisis", hits


def _present_crisis(lower: str) -> bool:
    """A recovery story that slides back into the present is a crisis now."""
    for sentence in _CLAUSES.split(lower):
        if (_CRISIS_ANY.search(sentence) or _composed_crisis(sentence)) and _CRISIS_NOW.search(sentence) and not _RECOVERY_ANY.search(sentence):
            return True
    return False
