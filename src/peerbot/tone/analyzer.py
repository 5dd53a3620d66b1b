"""The tone decision: nudge, crisis or none, with the cues that explain it.

Negative sentiment alone decides nothing. A nudge needs a *target* (the person
addressed, a named or third person, a group) together with *judgement*
(insults, contempt, "you always/never", mockery), or *gossip markers* about
someone absent with a negative turn. Judgement a speaker aims at themselves is
struggle, never a nudge. Crisis language wins over everything.

`analyze` is pure: no I/O, lexicons compiled once at import, and every pattern
is linear in the text, so a megabyte of emoji is as safe as a greeting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from dataclasses import dataclass

from peerbot.tone import crisis as crisis_rules
from peerbot.tone import lexicon as lx
from peerbot.tone.censor import CENSORED, uncensor
from peerbot.tone.names import find_names
from peerbot.tone.normalize import normalize
from peerbot.tone.phrases import PhraseBook, Scan
from peerbot.tone.sentiment import VADER_LEXICON as _VADER_LEXICON
from peerbot.tone.sentiment import lexicon_valence as _lexicon_valence
from peerbot.tone.sentiment import sentiment as _sentiment
from peerbot.tone.report import DEFAULT_THRESHOLD, NUDGE_CATEGORIES, Cue, ToneReport

__all__ = ["analyze"]

# Every word that judges on its own: insults first, then judgements, then blame.
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

# Below this a nudge category is not worth reporting: the cues were faint.
_MIN_NUDGE_SCORE = 0.2


_PHRASES = PhraseBook(
    {
        "contempt": lx.CONTEMPT_PHRASES,
        "addressed": lx.ADDRESSED_CONTEMPT,
        "sarcasm": lx.SARCASM_PHRASES,
        "gossip": lx.GOSSIP_MARKERS,
        "disagreement": lx.DISAGREEMENT_PHRASES,
        **crisis_rules.PHRASE_GROUPS,
        "help": lx.HELP_SEEKING,
        # Only a hint that laughter may be present; the words decide.
        "laughter": ("lol", "lool", "lmao", "lmfao", "rofl", "haha", "hehe", "ahah", "kek", "lulz"),
    },
    whole_words=("contempt", "addressed", "sarcasm", "gossip", "disagreement"),
)
_WORDS = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_SENSITIVE = re.compile(r"\b(?:" + "|".join(lx.SENSITIVE_PHRASES) + r")\b")
_OWN_RELATION = re.compile(r"\b(?:my|our) (?:(?:\w+ ){0,1})(?:" + "|".join(sorted(map(re.escape, lx.OWN_RELATIONS))) + r")s?\b")
# Discord writes mentions "<@123>" or "<@!123>", Slack "<@U024BE7LH>" or "<@U024BE7LH|sam>".
_LEADING_MENTIONS = re.compile(r"^(?:\s*(?:@[\w.-]+|<@[\w!|.-]+>)[,:]?)+\s*")
# Someone speaking of themselves: what turns pain into a struggle shared.
_OWN_DIFFICULTY = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "my", "myself", "mine"}) | lx.STRUGGLE_WORDS
_BABY_WORDS = frozenset({"baby", "child", "toddler", "drama", "princess", "crybaby"})
_BABYISH = re.compile(r"\b(?:such a|big|like a|acting like a|being a|what a) (?:baby|child|toddler|drama queen|princess|crybaby)\b")

_LAUGH_WORD = re.compile(r"l+o+l+(?:o+l+)*|l+m+f*a+o+|ro+fl|(?:ha|he){2,}h?|a?ha(?:ha)+h?")
_MOCKING_EMOJI = re.compile("[" + "".join(sorted(lx.MOCKING_EMOJI)) + "]")
_SENTENCES = re.compile(r"[^.!?;\n]+[.!?;\n]*")
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
_JUDGING_WORDS = (
    frozenset(lx.PERSON_INSULTS) | frozenset(lx.JUDGEMENTS) | frozenset(w for w, v in lx.BLAME_VERBS.items() if v > 0) | lx.PROFANITY
    | lx.ALWAYS_NEVER | frozenset({"*"})
    | frozenset(_VADER_JUDGING)
)
_NAMES_SOMEONE = re.compile(r"\b(?:you|u|he|she|they|him|her|them|mr|ms|mrs|miss)\b")
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
_TARGET_CUES = {
    "second": "target:the person addressed",
    "third": "target:someone else",
    "name": "target:a named person",
    "person": "target:someone else",
    "group": "target:a group of people",
    "implicit": "target:a person (implied)",
}
_TARGET_FACTOR = {"second": 1.0, "name": 0.95, "third": 0.9, "person": 0.9, "group": 0.8}


@dataclass(slots=True)
class _Tally:
    """Cues gathered while reading one message."""

    cues: list[Cue]
    criticism: list[float]
    mockery: list[float]
    gossip: list[float]
    contempt: list[float]
    targets: set[str]
    self_refs: int = 0
    feelings: int = 0
    praise: int = 0

    def add(self, bucket: list[float], name: str, words: tuple[str, ...], weight: float) -> None:
        bucket.append(weight)
        self.cues.append(Cue(name, words, weight))

    def note(self, name: str, words: tuple[str, ...] = (), weight: float = 0.0) -> None:
        self.cues.append(Cue(name, words, weight))


def _noisy_or(weights: list[float]) -> float:
    remaining = 1.0
    for w in weights:
        remaining *= 1.0 - max(0.0, min(w, 0.99))
    return 1.0 - remaining


# Each further sentence of criticism adds less: a long story that mentions
# several hard things about a partner is not several attacks.
_SENTENCE_DECAY = (1.0, 0.35, 0.15, 0.05)


def _across_sentences(scores: list[float]) -> float:
    if not scores:
        return 0.0
    ranked = sorted(scores, reverse=True)[: len(_SENTENCE_DECAY)]
    return _noisy_or([s * d for s, d in zip(ranked, _SENTENCE_DECAY)])


def _tokens(sentence: str) -> list[str]:
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
    for k in range(j - 1, max(-1, j - 9), -1):
        tok = tokens[k]
        if tok in _CLAUSE_BREAKS:
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
        if tok in _CLAUSE_BREAKS:
            break
        kind = _target_kind(tok, names)
        if kind in {"second", "name", "third", "self"}:
            return kind, False
        # "corrupt politicians", "hypocritical liberals": the word describes the noun it precedes.
        if kind in {"group", "person"} and k <= j + 2:
            return kind, False
    return None, False


_DENIERS = frozenset({"nobody", "noone", "no-one"})


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


def _count_words(present: Set[str], names: frozenset[str], tally: _Tally, mentions: bool) -> set[str]:
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


def _read_sentence(sentence: str, tokens: list[str], names: frozenset[str], tally: _Tally, tricks: bool) -> set[str]:
    """Gather the judgement cues of one sentence; return the kinds of people it names."""
    n = len(tokens)
    present = set(tokens)
    sentence_targets = _count_words(present, names, tally, "@" in sentence or "<@" in sentence)
    pending: list[tuple[str, float, str, str]] = []  # kind, weight, word, resolved target
    # Most sentences hold no word that could judge anyone: skip the walk.
    judging = tokens if tricks else [t for t in tokens if t in _JUDGING_WORDS]
    for j, tok in enumerate(tokens if judging else ()):
        if not tricks and tok not in _JUDGING_WORDS:
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
            if before in _TARGET_FACTOR and j + 1 < n and tokens[j + 1] not in lx.PRAISE:
                pending.append(("always_never", 0.4, f"{tokens[j - 1]} {tok}", before))
            continue
        if "*" in tok or (tok.isalpha() and j + 1 < n and tokens[j + 1].startswith("*")):
            continue
        found = _judgement_weight(tokens, j, tricks)
        if found is None:
            continue
        jkind, weight, word = found
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
    if "group" in sentence_targets and not pending and _lexicon_valence(tokens) <= -0.5:
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
        tally.add(tally.criticism, f"{label} ({_TARGET_CUES[target].split(':', 1)[1]})", (word,), weight * factor)
    return sentence_targets


def analyze(text: str, *, threshold: float = DEFAULT_THRESHOLD, names: Iterable[str] = ()) -> ToneReport:
    """Decide what peerbot should do about one message.

    ``threshold`` is the nudge threshold the score is compared with; ``names``
    are display names of people mentioned or known in the community, which
    helps the analyzer see that "Sam" is a person.
    """
    if not isinstance(text, str):
        raise TypeError(f"analyze() needs a str, got {type(text).__name__}")
    norm = normalize(text)
    lower = norm.lower
    if not lower.strip():
        return ToneReport(action="none", category="neutral", score=0.0, sentiment=0.0)
    sentiment = _sentiment(norm.cased)
    cues: list[Cue] = [Cue("obfuscation", (t,), 0.0) for t in norm.tricks]

    # A line break inside a phrase ("end\nmy life") must not hide a crisis; the
    # screen finds on the flat text every match the text with breaks has.
    flat = lower.replace("\n", " ") if "\n" in lower else lower
    scan = _PHRASES.scan(flat)
    crisis = crisis_rules.detect(flat, scan) if crisis_rules.may_be_crisis(scan, flat) else None
    if crisis is not None and crisis[0] == "crisis":
        cues.append(Cue("crisis language", crisis[1], 1.0))
        return ToneReport(action="crisis", category="crisis", score=1.0, sentiment=sentiment, cues=tuple(cues))

    tally = _Tally(cues=cues, criticism=[], mockery=[], gossip=[], contempt=[], targets=set())
    if crisis is not None:
        tally.note("recovery story (past crisis)", crisis[1], 0.0)

    # Mentions that open a message say who it is for; "you" is then that person.
    body = _LEADING_MENTIONS.sub("", lower, count=1) if lower.lstrip()[:1] in ("@", "<") else lower
    tricks = bool(norm.tricks)
    # (phrase, weight, counts in full without a named target)
    words = frozenset(_WORDS.findall(lower))
    contempt = [(p, w, False) for p, w in scan.find("contempt", body)]
    contempt += [(p, w, True) for p, w in scan.find("addressed", body)]
    if not _BABY_WORDS.isdisjoint(words):
        contempt += [(m.group(0), 0.5, True) for m in _BABYISH.finditer(body)]
    sarcasm = scan.find("sarcasm", lower)
    gossip = scan.find("gossip", lower)
    laughter = sorted(words & lx.LAUGHTER)
    if scan.could_match("laughter"):
        laughter += sorted(w for w in words if w not in lx.LAUGHTER and _LAUGH_WORD.fullmatch(w))
    emoji = [] if text.isascii() else _MOCKING_EMOJI.findall(text, 0, 20_000)

    # Most messages hold no word that could judge anyone and no phrase of
    # contempt: for them the sentence-by-sentence walk is skipped, and only
    # the message's words are counted.
    walk = tricks or contempt or "*" in body or not words.isdisjoint(_JUDGING_WORDS)
    needs_names = walk or sarcasm or gossip or laughter or emoji
    names_found = find_names(norm.cased, names) if needs_names else frozenset()
    sentence_scores: list[float] = []
    if walk:
        for sentence in _SENTENCES.findall(body):
            hits = [h for h in contempt if h[0] in sentence]
            if not (tricks or hits or "*" in sentence):
                sentence_words = frozenset(_WORDS.findall(sentence))
                if sentence_words.isdisjoint(_JUDGING_WORDS):
                    _count_words(sentence_words, names_found, tally, "@" in sentence)
                    continue
            tokens = _tokens(sentence)
            if not tokens:
                continue
            start = len(tally.criticism)
            targets_here = _read_sentence(sentence, tokens, names_found, tally, tricks)
            for hit in hits:
                contempt.remove(hit)
                phrase, weight, addressed = hit
                if not (addressed or targets_here or "you" in phrase):
                    weight *= 0.7
                tally.add(tally.criticism, "contempt", (phrase,), weight)
                tally.contempt.append(weight)
            if len(tally.criticism) > start:
                sentence_scores.append(_noisy_or(tally.criticism[start:]))
    else:
        _count_words(words, names_found, tally, "@" in body)

    targets = tally.targets
    person_target = bool(targets)
    absent_target = bool(targets & {"third", "name", "person"})

    if sarcasm or ((laughter or emoji) and person_target):
        for phrase, weight in sarcasm:
            # "Mr. Expert", "you managed...": some sarcasm names its target itself.
            aimed = person_target or _NAMES_SOMEONE.search(phrase)
            tally.add(tally.mockery, "sarcasm", (phrase,), weight if aimed else weight * 0.5)
        if (laughter or emoji) and person_target:
            eye_rolls = [e for e in emoji if e in lx.EYE_ROLL]
            if eye_rolls:
                tally.add(tally.mockery, "eye-roll at a person", tuple(eye_rolls[:3]), 0.4)
            others = laughter + [e for e in emoji if e not in lx.EYE_ROLL]
            if others:
                tally.add(tally.mockery, "laughing at a person", tuple(others[:3]), 0.3 if absent_target else 0.2)

    if gossip and absent_target:
        for phrase, weight in gossip:
            tally.add(tally.gossip, "gossip marker", (phrase,), weight)
        private = [w for w in re.findall(r"[a-z]+", lower) if w in lx.SENSITIVE_TOPICS]
        private += [m.group(0) for m in _SENSITIVE.finditer(lower)]
        if private:
            tally.add(tally.gossip, "private matter about someone absent", tuple(dict.fromkeys(private))[:3], 0.35)
        elif sentiment < -0.2:
            tally.add(tally.gossip, "negative turn about someone absent", (), 0.2)

    if not (sentence_scores or tally.mockery or tally.gossip):
        # Nothing aimed at anyone: the common case, decided without scoring.
        category = _calm_category(lower, words, scan, sentiment, tally, crisis is not None)
        return ToneReport(action="none", category=category, score=0.0, sentiment=sentiment, cues=tuple(tally.cues))

    criticism = _across_sentences(sentence_scores)
    scores = {
        "criticism": criticism,
        # Laughing while passing something on ("did you see Frank's outfit 😂") mocks.
        "mockery": _noisy_or(
            tally.mockery + [w * 0.8 for w in tally.contempt] + [criticism * 0.5] + [w * 0.6 for w in tally.gossip]
        ) if tally.mockery else 0.0,
        "gossip": _noisy_or(tally.gossip + [criticism * 0.5]) if tally.gossip else 0.0,
    }
    kind = max(scores, key=lambda k: scores[k])
    score = scores[kind]

    if score > 0:
        for cue_name in sorted({_TARGET_CUES[t] for t in targets}):
            tally.note(cue_name)
        warm = sentiment >= 0.5 and tally.praise > 0
        if warm and kind != "mockery":
            score *= 0.5
            tally.note("warm overall (praise, positive sentiment)", (), -0.5)
        if "second" not in targets and kind == "criticism":
            relation = _OWN_RELATION.search(body)
            if relation or (tally.feelings >= 2 and tally.self_refs >= 2):
                # Someone venting about people in their own life, to be heard.
                score *= 0.55
                tally.note("venting about someone in one's own life", (relation.group(0),) if relation else (), -0.45)
            help_seeking = scan.search("help", body)
            if help_seeking:
                score *= 0.75
                tally.note("asking for help", (help_seeking.group(0),), -0.25)
        if kind == "gossip" and sentiment >= 0.3 and tally.praise > 0:
            score = 0.0
            tally.note("good news shared", (), -1.0)

    if score >= _MIN_NUDGE_SCORE:
        category = kind
    else:
        score = score if score >= _MIN_NUDGE_SCORE else 0.0
        category = _calm_category(lower, words, scan, sentiment, tally, crisis is not None)

    action = "nudge" if category in NUDGE_CATEGORIES and score >= threshold else "none"
    return ToneReport(action=action, category=category, score=min(1.0, score), sentiment=sentiment, cues=tuple(tally.cues))


def _calm_category(lower: str, words: frozenset[str], scan: Scan, sentiment: float, tally: _Tally, recovery: bool) -> str:
    if recovery:
        return "recovery"
    if scan.search("disagreement", lower):
        tally.note("respectful disagreement")
        return "disagreement"
    if (tally.feelings or sentiment <= -0.3) and not words.isdisjoint(_OWN_DIFFICULTY):
        tally.note("sharing own struggle", (), 0.0)
        return "struggle"
    if sentiment <= -0.3:
        return "complaint"
    if sentiment >= 0.4 or tally.praise:
        return "supportive"
    return "neutral"
