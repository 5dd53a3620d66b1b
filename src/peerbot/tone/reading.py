"""Reading one sentence: which words judge, and whom they are about.

A judging word (an insult, a verdict, a blaming verb) counts only once the
sentence says who it is about: the reader, someone named, someone else, a
group, or the writer (then it is struggle, not criticism). Words describing a
thing ("that toxic environment"), things done to a person ("I was cheated
on") and the writer's own reactions ("it freaks me out") judge nobody.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field

from peerbot.tone import lexicon as lx
from peerbot.tone.censor import CENSORED, uncensor
from peerbot.tone.report import Cue
from peerbot.tone.sentiment import VADER_LEXICON as _VADER_LEXICON
from peerbot.tone.sentiment import lexicon_valence as _lexicon_valence

_JUDGE_TABLE: dict[str, tuple[str, float]] = {
    **{w: ("blame", v) for w, v in lx.BLAME_VERBS.items() if v > 0},
    **{w: ("judgement", v) for w, v in lx.JUDGEMENTS.items()},
    **{w: ("insult", v) for w, v in lx.PERSON_INSULTS.items()},
}
# VADER's strongly negative words that are not feelings or states: they judge
# only when said of someone ("they are violent", "violent thugs").
_VADER_JUDGING: dict[str, float] = {
    w: v for w, v in _VADER_LEXICON.items() if v <= -1.5 and w not in lx.FEELINGS and w not in lx.STATES
}


SENTENCES = re.compile(r"[^.!?;\n]+[.!?;\n]*")
_TOKEN = re.compile(r"<@[\w!|.-]+>|@[\w.-]+|[a-z0-9]+(?:['-][a-z0-9]+)*|\*+|[^\s\w]")
_DOUBLES = re.compile(r"([a-z])\1")

_CONTRACTIONS = {
    "you're": ("you", "are"), "youre": ("you", "are"), "ur": ("your",), "u": ("you",),
    "r": ("are",), "ya": ("you",), "y'all": ("you",), "yall": ("you",),
    "i'm": ("i", "am"), "im": ("i", "am"), "i've": ("i", "have"), "ive": ("i", "have"),
    "i'd": ("i", "would"), "i'll": ("i", "will"), "he's": ("he", "is"), "hes": ("he", "is"),
    "she's": ("she", "is"), "shes": ("she", "is"), "it's": ("it", "is"), "that's": ("that", "is"),
    "thats": ("that", "is"), "they're": ("they", "are"), "theyre": ("they", "are"),
    "you've": ("you", "have"), "you'd": ("you", "would"), "you'll": ("you", "will"),
    "we're": ("we", "are"), "what's": ("what", "is"), "whats": ("what", "is"),
    "isn't": ("is", "not"), "isnt": ("is", "not"), "aren't": ("are", "not"),
    "arent": ("are", "not"), "wasn't": ("was", "not"), "wasnt": ("was", "not"),
    "weren't": ("were", "not"), "don't": ("do", "not"), "dont": ("do", "not"),
    "doesn't": ("does", "not"), "doesnt": ("does", "not"), "didn't": ("did", "not"),
    "didnt": ("did", "not"), "can't": ("can", "not"), "cant": ("can", "not"),
    "won't": ("will", "not"), "wouldn't": ("would", "not"), "shouldn't": ("should", "not"),
    "couldn't": ("could", "not"), "ain't": ("is", "not"), "haven't": ("have", "not"),
    "hasn't": ("has", "not"),
}

_TARGET_WORDS = lx.SECOND | lx.THIRD | lx.THIRD_PLURAL | lx.GROUP_NOUNS | lx.PERSON_NOUNS
# Any of these in a sentence means its words must be walked one by one.
JUDGING_WORDS = (
    frozenset(lx.PERSON_INSULTS) | frozenset(lx.JUDGEMENTS) | frozenset(w for w, v in lx.BLAME_VERBS.items() if v > 0) | lx.PROFANITY
    | lx.ALWAYS_NEVER | frozenset({"*"})
    | frozenset(_VADER_JUDGING)
)
_IMPERATIVE_OPENERS = frozenset({"stop", "quit", "don't", "dont", "do", "quit"})
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
_OBJECT_PRONOUNS = frozenset({"him", "them", "her", "his", "their", "your", "yourself", "themselves", "himself", "herself"})
_COPULAS = frozenset({"is", "are", "was", "were", "be", "being", "been", "am", "seem", "seems", "look", "looks", "sound", "sounds", "act", "acts", "acting", "become", "became", "get", "gets", "getting", "got", "'s", "s"})
_CLAUSE_BREAKS = frozenset({",", ";", ":", "but", "because", "cause", "cuz", "when", "if", "though", "although", "while", "since", "whereas", "unless", "until", "-", "(", ")", "\""})
_FILLERS = _COPULAS | lx.INTENSIFIERS | lx.DETERMINERS | {
    "kind", "of", "sort", "bit", "little", "pretty", "quite", "rather", "just", "being", "always", "still",
    "even", "also", "like", "ever", "the", "more", "less", "and", "or", "as", "at", "with", "person", "one",
    "human", "being", "excuse", "for", "piece", "group", "leader", "member", "bunch", "the", "clearly",
    "obviously", "basically", "simply", "now", "again", "gonna", "going", "to", "must", "can", "could",
    "would", "should", "will", "might", "may", "has", "have", "had", "do", "does", "did", "ever", "ive",
}

# Cue names moderators and members read; the nudge text is built from them.
TARGET_CUES = {
    "second": "target:the person addressed",
    "third": "target:someone else",
    "name": "target:a named person",
    "person": "target:someone else",
    "group": "target:a group of people",
    "implicit": "target:a person (implied)",
}
_TARGET_FACTOR = {"second": 1.0, "name": 0.95, "third": 0.9, "person": 0.9, "group": 0.8}


@dataclass(slots=True)
class Tally:
    """Cues gathered while reading one message."""

    cues: list[Cue]
    criticism: list[float]
    mockery: list[float]
    gossip: list[float]
    contempt: list[float]
    targets: set[str]
    # Weights of cues aimed at the reader or a named member.
    aimed: list[float] = field(default_factory=list)
    # A verdict said to the reader in the present ("you are ...").
    addressed: bool = False
    self_refs: int = 0
    feelings: int = 0
    # Thanks or praise anywhere in the message, or a warm overall tone.
    warm: bool = False
    praise: int = 0

    def add(self, bucket: list[float], name: str, words: tuple[str, ...], weight: float) -> None:
        bucket.append(weight)
        self.cues.append(Cue(name, words, weight))

    def note(self, name: str, words: tuple[str, ...] = (), weight: float = 0.0) -> None:
        self.cues.append(Cue(name, words, weight))


def noisy_or(weights: list[float]) -> float:
    remaining = 1.0
    for w in weights:
        remaining *= 1.0 - max(0.0, min(w, 0.99))
    return 1.0 - remaining


# Each further sentence of criticism adds less: a long story that mentions
# several hard things about a partner is not several attacks.
_SENTENCE_DECAY = (1.0, 0.35, 0.15, 0.05)


def across_sentences(scores: list[float]) -> float:
    if not scores:
        return 0.0
    ranked = sorted(scores, reverse=True)[: len(_SENTENCE_DECAY)]
    return noisy_or([s * d for s, d in zip(ranked, _SENTENCE_DECAY)])


def tokenize(sentence: str) -> list[str]:
    out: list[str] = []
    for tok in _TOKEN.findall(sentence):
        expanded = _CONTRACTIONS.get(tok)
        if expanded:
            out.extend(expanded)
        elif tok.endswith("'s") and len(tok) > 2:
            out.extend((tok[:-2], "'s"))
        else:
            out.append(tok)
    return out


# Who a word refers to. Pronouns outrank names; names outrank role nouns.
_PRONOUN_KIND: dict[str, str] = {
    **{w: "group" for w in lx.THIRD_PLURAL},
    **{w: "third" for w in lx.THIRD},
    **{w: "second" for w in lx.SECOND},
    **{w: "self" for w in lx.SELF},
}
_NOUN_KIND: dict[str, str] = {
    **{w: "thing" for w in lx.THING_PRONOUNS},
    **{w: "person" for w in lx.PERSON_NOUNS},
    **{w: "group" for w in lx.GROUP_NOUNS},
}


def _target_kind(token: str, names: frozenset[str]) -> str | None:
    kind = _PRONOUN_KIND.get(token)
    if kind is not None:
        return kind
    if token in names or token[:1] == "@" or token[:2] == "<@":
        return "name"
    return _NOUN_KIND.get(token)


# Both spellings of each word that names a person: "you" and "you're".
_KIND_OF: dict[str, str] = {w: k for w in _TARGET_WORDS if (k := _target_kind(w, frozenset())) not in (None, "self", "thing")}
_KIND_OF.update(
    {form: _KIND_OF[parts[0]] for form, parts in _CONTRACTIONS.items() if parts[0] in _KIND_OF}
)
_KIND_WORDS = frozenset(_KIND_OF)
_SELF_FORMS = lx.SELF | {form for form, parts in _CONTRACTIONS.items() if parts[0] in lx.SELF}

def _resolve_target(tokens: list[str], j: int, names: frozenset[str]) -> tuple[str | None, bool]:
    """Who the judgement at ``tokens[j]`` is about, and whether it is a feeling.

    Looks back to the nearest subject in the same clause, then briefly ahead
    ("what an idiot you are"). The second value is True when a feeling verb
    sits between subject and word ("you feel stupid"): a feeling, not a verdict.
    """
    feeling = False
    # ("you are a terrible listener": after a copula the subject decides.)
    if j + 1 < len(tokens) and j and tokens[j - 1] in _THING_DETERMINERS and (j < 2 or tokens[j - 2] not in _COPULAS):
        # "that toxic environment", "a dreadful day": the word describes the
        # noun after it, which is no person.
        following = tokens[j + 1]
        if tokens[j] not in lx.PERSON_INSULTS and following.isalpha() and _target_kind(following, names) is None and following not in _NOT_NOUNS and following not in JUDGING_WORDS:
            return "thing", False
    for k in range(j - 1, max(-1, j - 9), -1):
        tok = tokens[k]
        if tok in _CLAUSE_BREAKS:
            if tok == "but" and k and tokens[k - 1] in ("nothing", "anything"):
                continue  # "liberals are nothing but bullies": one clause
            break
        if k == 0 and tok in _IMPERATIVE_OPENERS and j > 1 and tokens[1] in {"being", "acting", "be"}:
            return "second", False  # "stop being so dramatic": said to the reader
        if tok in lx.FEELING_VERBS:
            feeling = True
            continue
        if k == j - 1 and tok in _DEMONSTRATIVES:
            continue  # "this dumb girl": a determiner, not the thing judged
        kind = _target_kind(tok, names)
        if kind is not None:
            return kind, feeling
    for k in range(j + 1, min(len(tokens), j + 4)):
        tok = tokens[k]
        if tok in _CLAUSE_BREAKS or tok in _PREPOSITIONS:
            break  # "the worst year for Sydney Trains": the year is judged
        kind = _target_kind(tok, names)
        if kind in {"second", "name", "third", "self"}:
            return kind, False
        # "corrupt politicians", "hypocritical liberals": the word describes the noun it precedes.
        if kind in {"group", "person"} and k <= j + 2:
            return kind, False
    return None, False


_PASSIVE = frozenset({"be", "been", "being", "was", "were", "get", "got", "gets", "getting", "is", "are", "am"})
_SUBJECTS = frozenset({"i", "you", "u", "we", "they", "he", "she"})
_WRITER = frozenset({"me", "us", "myself"})
_PREPOSITIONS = frozenset({"for", "of", "in", "on", "at", "with", "about", "from", "by", "to", "than", "into", "during"})
# After these, "cringe" is the verb: "makes everyone cringe", "I cringe".
_CRINGE_VERB = frozenset({"and", "to", "will", "would", "ll", "make", "makes", "made", "i", "me", "you", "we", "they", "woman", "everyone", "people", "still"})
_YOU_ARE = re.compile(r"\b(?:you are|you're|youre|u r|u are|ur (?:a|an|so|such))\b")
# "what could you possibly mean": after these, "mean" is the verb.
_MEAN_VERB = frozenset({"all", "could", "would", "should", "do", "does", "did", "possibly", "to", "dont", "don't", "doesn't", "didn't", "not"})


def _done_to_writer(tokens: list[str], j: int) -> str | None:
    """Why the judging word at ``tokens[j]`` is no verdict on anyone, or None.

    "I was cheated on", "you can be fired": something done to a person.
    "it freaks me out", "they are disgusting me": what the writer felt.
    "you mean ...", "I mean ...": the verb, not the adjective.
    """
    tok = tokens[j]
    following = tokens[j + 1] if j + 1 < len(tokens) else ""
    previous = tokens[j - 1] if j else ""
    if following in _WRITER or (following == "out" and tok.startswith("freak")):
        return "the writer's own reaction"
    if tok.endswith("ed") and previous in _PASSIVE and tok not in lx.PERSON_INSULTS:
        return "something done to a person"
    if tok.endswith("ed") is False and j > 1 and previous.endswith("ed") and tokens[j - 2] in _PASSIVE:
        return "a verdict reported about a person"  # "be deemed incompetent", "was called lazy"
    if tok == "cringe" and (previous in _CRINGE_VERB or following in ("at", "when", "reading", "thinking")):
        return "the writer's own reaction"
    if tok == "mean" and (previous in _SUBJECTS or previous in _MEAN_VERB):
        return "a verb, not a verdict"
    return None


_DENIERS = frozenset({"nobody", "noone", "no-one"})
_THING_DETERMINERS = frozenset({"the", "a", "an", "that", "this", "those", "these", "some"})
_NOT_NOUNS = _FILLERS | _CLAUSE_BREAKS | lx.LAUGHTER | frozenset(
    {"and", "or", "to", "of", "for", "about", "in", "on", "at", "by", "from", "with", "as", "than", "af", "asf", "right", "now", "today", "person", "human", "way", "thing", "things"}
)


def _negated(tokens: list[str], j: int) -> bool:
    # "Nobody thinks you're a failure": the whole clause is denied.
    if tokens[0] in _DENIERS or tokens[:2] == ["no", "one"]:
        return all(t not in _CLAUSE_BREAKS for t in tokens[:j])
    for k in range(j - 1, max(-1, j - 4), -1):
        tok = tokens[k]
        if tok in lx.NEGATIONS:
            # "you never do your share ... so selfish": "never" there is the verdict.
            return not (tok == "never" and k + 1 < len(tokens) and tokens[k + 1] not in _FILLERS)
        if tok in _CLAUSE_BREAKS:
            return False
    return False


def _judgement_weight(tokens: list[str], j: int, tricks: bool) -> tuple[str, float, str] | None:
    """(kind, weight, word) when ``tokens[j]`` judges, else None."""
    tok = tokens[j]
    found = _JUDGE_TABLE.get(tok)
    if found is None and tricks:
        # "stupiid", "dumbb": a stretched word, collapsed one step further.
        word = _DOUBLES.sub(r"\1", tok)
        found = _JUDGE_TABLE.get(word)
        if found is not None:
            return found[0], found[1], word
    if found is not None:
        return found[0], found[1], tok
    valence = _VADER_JUDGING.get(tok)
    if valence is not None:
        # Only a word predicated of someone ("they are violent") or describing
        # them ("violent thugs") counts here.
        following = tokens[j + 1] if j + 1 < len(tokens) else ""
        if following in lx.GROUP_NOUNS or following in lx.PERSON_NOUNS:
            return "judgement", min(0.5, -valence / 5.0), tok
        for k in range(j - 1, max(-1, j - 4), -1):
            if tokens[k] in _COPULAS:
                return "judgement", min(0.5, -valence / 5.0), tok
            if tokens[k] not in _FILLERS:
                break
    return None


def count_words(present: Set[str], names: frozenset[str], tally: Tally, mentions: bool) -> set[str]:
    """Count self-references, feelings and praise; return the kinds of people named.

    ``present`` may hold tokens or raw words ("you're", "brian's"): the word
    tables below know both spellings.
    """
    tally.self_refs += len(present & _SELF_FORMS)
    tally.feelings += len(present & lx.FEELINGS)
    tally.praise += len(present & lx.PRAISE)
    targets = {_KIND_OF[w] for w in present & _KIND_WORDS}
    if names and (not present.isdisjoint(names) or any(t.endswith("'s") and t[:-2] in names for t in present)):
        targets.add("name")
    elif mentions:
        targets.add("name")
    tally.targets |= targets
    return targets


def read_sentence(sentence: str, tokens: list[str], names: frozenset[str], tally: Tally, tricks: bool) -> set[str]:
    """Gather the judgement cues of one sentence; return the kinds of people it names."""
    n = len(tokens)
    present = set(tokens)
    sentence_targets = count_words(present, names, tally, "@" in sentence or "<@" in sentence)
    pending: list[tuple[str, float, str, str]] = []  # kind, weight, word, resolved target
    # Most sentences hold no word that could judge anyone: skip the walk.
    judging = tokens if tricks else [t for t in tokens if t in JUDGING_WORDS]
    for j, tok in enumerate(tokens if judging else ()):
        if not tricks and tok not in JUDGING_WORDS:
            continue
        if tok in lx.PROFANITY:
            # "your ass", "fuck you": profanity aimed right at someone weighs more.
            near = tokens[max(0, j - 2):j + 3]
            aimed = any(_target_kind(t, names) in {"second", "third", "name"} for t in near)
            pending.append(("profanity", 0.45 if aimed else 0.3, tok, ""))
            continue
        if tok in lx.ALWAYS_NEVER and j > 0:
            subject = tokens[j - 2] if j > 1 and tokens[j - 1] in _COPULAS else tokens[j - 1]
            before = None if subject in _OBJECT_PRONOUNS else _target_kind(subject, names)
            # "You always show up for people, thank you": praise, whatever its adverbs.
            praised = tally.warm or not present.isdisjoint(lx.PRAISE) or _lexicon_valence(tokens) > 0.3
            if tok == "never" and not praised:
                # "you never make anyone feel dumb": never doing harm is praise.
                rest = tokens[j + 1:]
                stop = next((k for k, t in enumerate(rest) if t in _CLAUSE_BREAKS), len(rest))
                praised = _lexicon_valence(rest[:stop]) < -0.2
            if before in _TARGET_FACTOR and j + 1 < n and tokens[j + 1] not in lx.PRAISE and not praised:
                pending.append(("always_never", 0.4, f"{tokens[j - 1]} {tok}", before))
            continue
        if "*" in tok or (tok.isalpha() and j + 1 < n and tokens[j + 1].startswith("*")):
            continue
        found = _judgement_weight(tokens, j, tricks)
        if found is None:
            continue
        jkind, weight, word = found
        done_to = _done_to_writer(tokens, j)
        if done_to:
            tally.note(done_to, (word,), 0.0)
            continue
        if _negated(tokens, j):
            tally.note("negated", (word,), 0.0)
            continue
        target, feeling = _resolve_target(tokens, j, names)
        if jkind == "blame":
            # "you ruined", "he always whines": the verb needs its subject close by.
            if target not in _TARGET_FACTOR or all(_target_kind(tokens[k], names) is None for k in range(max(0, j - 3), j)):
                continue
        if target == "self":
            tally.note("self-judgement", (word,), 0.0)
            continue
        if feeling and target in {"second", None}:
            tally.note("feeling, not a verdict", (word,), 0.0)
            continue
        if j > 0 and tokens[j - 1] in lx.INTENSIFIERS:
            weight = min(0.95, weight * 1.15)
        pending.append((jkind, weight, word, target or ""))

    if "*" in sentence:
        for match in CENSORED.finditer(sentence):
            word = uncensor(match.group(0))
            if word in lx.PERSON_INSULTS:
                pending.append(("insult", lx.PERSON_INSULTS[word], word, ""))
            elif word in lx.PROFANITY:
                pending.append(("profanity", 0.3, word, ""))

    person_here = bool(sentence_targets)
    if "group" in sentence_targets and not pending and present.isdisjoint(_SELF_FORMS) and _lexicon_valence(tokens) <= -0.5:
        # "liberals will believe anything": contempt for a whole group, in
        # words no list anticipates; the sentence's sentiment carries it.
        group_words = tuple(t for t in tokens[:5] if t in lx.GROUP_NOUNS)[:2]
        if group_words:
            tally.add(tally.criticism, "negative generalisation about a group", group_words, 0.5)
    for jkind, weight, word, target in pending:
        if jkind == "profanity":
            if person_here:
                tally.add(tally.criticism, "profanity at a person", (word,), weight)
            continue
        if jkind == "always_never":
            tally.add(tally.criticism, '"always/never" about a person', (word,), weight * _TARGET_FACTOR[target])
            if target in ("second", "name"):
                tally.aimed.append(weight * _TARGET_FACTOR[target])
            continue
        if target == "self":
            tally.note("self-judgement", (word,), 0.0)
            continue
        if target in _TARGET_FACTOR:
            factor = _TARGET_FACTOR[target]
        elif jkind == "insult":
            factor = 0.6 if word in lx.DESCRIPTIVE_LABELS else (0.8 if not person_here else 0.9)
            target = "implicit"
        elif person_here:
            # "..., it's so annoying": the "it" may be what that person did.
            factor = 0.45 if target == "thing" else 0.6
            target = "implicit"
        else:
            tally.note("judgement of a thing", (word,), 0.0)
            continue
        label = "insult" if jkind == "insult" else ("blame" if jkind == "blame" else "judgement")
        tally.add(tally.criticism, f"{label} ({TARGET_CUES[target].split(':', 1)[1]})", (word,), weight * factor)
        if target in ("second", "name"):
            tally.aimed.append(weight * factor)
            if target == "second" and weight >= 0.55 and _YOU_ARE.search(sentence):
                # "you are a lazy idiot": said to the reader now, even in a long post.
                tally.addressed = True
    return sentence_targets
