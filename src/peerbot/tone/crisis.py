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

import functools
import re

from peerbot.tone import crisis_lexicon as cx
from peerbot.tone import crisis_parts as parts
from peerbot.tone.phrases import PhraseBook, Scan

__all__ = ["PHRASE_GROUPS", "detect", "may_be_crisis"]

# Phrase-book groups (name -> patterns) the analyzer's one scan must include.
PHRASE_GROUPS: dict[str, tuple[str, ...]] = {
    "crisis": cx.CRISIS_PATTERNS,
    "crisis_parts": cx.CRISIS_DEATH + cx.CRISIS_SELF_ALONE,
    "recovery": cx.RECOVERY_MARKERS,
    **parts.PHRASE_GROUPS,
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
# Second-language grammar, folded to the forms the patterns know: "I cut me"
# for "I cut myself", "I want kill" for "I want to kill", "I not can" for "I
# can't". Only for recognising crisis; nothing else reads this text.
_REFLEXIVE = re.compile(r"\b(i (?:\w+ ){0,4}?)(kill|cut|burn|hurt|hang|harm|shoot|drown|punish|hit)( )me\b")
_MISSING_TO = re.compile(r"\b(want|wanna|need|decide|decided|try|plan|wish|going)( )(?!to\b)(kill|die|jump|end|finish|cut|hang|sleep|disappear|not|open|go|stop|live)\b")
_I_NOT = re.compile(r"\bi not (can|will|want|be)\b")
_MISSING_TO_WORDS = ("want ", "wanna ", "need ", "decide", "try ", "plan ", "wish ", "going ")


@functools.cache
def _book() -> PhraseBook:
    """The crisis groups alone, for a text changed by folding (rare: built on first use)."""
    return PhraseBook(PHRASE_GROUPS)


def _fold_grammar(flat: str) -> str:
    folded = _REFLEXIVE.sub(r"\1\2\3myself", flat) if " me" in flat else flat
    folded = _MISSING_TO.sub(r"\1 to \3", folded)
    return _I_NOT.sub(lambda m: {"can": "can't", "will": "won't", "want": "don't want", "be": "won't be"}[m.group(1)], folded)


# Time clean that just ended is a relapse now, not a recovery story.
_RELAPSE = re.compile(r"\b(?:relaps\w*|again)\b[^.!?]{0,40}\bafter\b[^.!?]{0,20}\b(?:clean|sober|free)\b|\bafter (?:\w+ ){1,3}(?:clean|sober|free)\b[^.!?]{0,40}\b(?:relaps\w*|again)\b")
_CLAUSES = re.compile(r"[.!?;,\n]|\b(?:and|but|though|although|yet)\b")


def may_be_crisis(scan: Scan, flat: str) -> bool:
    """Whether the screening pass saw anything that could be crisis language,
    or the text holds grammar that folds into it ("I want kill me")."""
    if scan.could_match("crisis") or scan.could_match("crisis_parts") or parts.may_match(scan):
        return True
    # Cheap tests first: most messages hold none of the words folding needs.
    if " me" in flat and _REFLEXIVE.search(flat):
        return True
    if "i not " in flat and _I_NOT.search(flat):
        return True
    return any(word in flat for word in _MISSING_TO_WORDS) and _MISSING_TO.search(flat) is not None


# Words in quotes after someone else's speech ("she keeps posting 'i wanna
# die'") are that person's, not the writer's: a worry, not a crisis.
_QUOTED = re.compile(r"(?<![\w'])'(?:[^'\n]|(?<=\w)'(?=\w)){2,200}'(?![\w'])|\"[^\"\n]{2,200}\"|\u201c[^\u201d\n]{2,200}\u201d")
_SOMEONE_SAYS = re.compile(
    r"\b(?:he|she|they|friend|sister|brother|mom|dad|mum|cousin|kid|son|daughter|partner|bf|gf|someone|somebody|person|guy|girl)\b"
    r"[^.!?]{0,40}\b(?:says?|said|saying|post(?:s|ed|ing)?|text(?:s|ed|ing)?|told|tells|wrote|writes|keeps|sent|messaged|goes)\b[^.!?]{0,20}$"
    r"|\b(?:song|lyrics?|line|poem|quote|book|movie|film|chorus|verse|sang|sings|singing)\b[^.!?]{0,30}$"
)
# ... or words of a song, a book or a film ("'I want to die' is such a dramatic line").
_QUOTE_IS_ART = re.compile(r"\W{0,3}(?:is|was|from|in|by)? ?(?:such )?(?:a |the |that |this )?(?:\w{1,20} ){0,3}(?:line|lyrics?|song|quote|poem|book|movie|film|show|verse|chorus)\b")


def _unquote_others(flat: str) -> str:
    if "'" not in flat and '"' not in flat and "\u201c" not in flat:
        return flat

    def blank(match: re.Match[str]) -> str:
        before = flat[max(0, match.start() - 80):match.start()]
        theirs = _SOMEONE_SAYS.search(before) or _QUOTE_IS_ART.match(flat, match.end(), match.end() + 60)
        return " " * len(match.group(0)) if theirs else match.group(0)

    return _QUOTED.sub(blank, flat)


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
    lower = _unquote_others(lower)
    folded = _fold_grammar(lower)
    if folded != lower:
        lower, scan = folded, _book().scan(folded)
    matches = [m for m, _ in scan.matches("crisis", lower)]
    if scan.could_match("crisis_parts"):
        matches += _composed_crisis(lower)
    negated = [m.span() for m in _CRISIS_NEGATED.finditer(lower)] if matches or parts.may_match(scan) else []
    labels: dict[int, str] = {}
    if parts.may_match(scan):
        for family, match in parts.find_parts(lower, scan, negated):
            matches.append(match)
            labels[id(match)] = family
    if not matches:
        return None
    live = [
        f"{labels[id(m)]}: {m.group(0)}" if id(m) in labels else m.group(0)
        for m in matches
        if not any(m.start() < nb and na < m.end() for na, nb in negated) and parts.writers_own(lower, m.start(), m.end())
    ]
    if not live:
        return None
    hits = tuple(dict.fromkeys(live))
    if scan.search("recovery", lower) and not _present_crisis(lower, scan):
        return "recovery", tuple(hits)
    return "crisis", hits


def _present_crisis(lower: str, scan: Scan) -> bool:
    """A recovery story that slides back into the present is a crisis now."""
    for sentence in _CLAUSES.split(lower):
        if (_RECOVERY_ANY.search(sentence) and not _RELAPSE.search(sentence)) or not _CRISIS_NOW.search(sentence):
            continue
        if _CRISIS_ANY.search(sentence) or _composed_crisis(sentence):
            return True
    # Parts of a crisis told after the story, in the present ("... 400 days clean. relapsed last night").
    for sentence in _SENTENCE_SPANS.findall(lower):
        if (not _RECOVERY_ANY.search(sentence) or _RELAPSE.search(sentence)) and parts.find_parts(sentence, parts.phrase_scan().scan(sentence), [m.span() for m in _CRISIS_NEGATED.finditer(sentence)]):
            return True
    return False
