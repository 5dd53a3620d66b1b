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
from collections.abc import Iterable
from pathlib import Path

from peerbot.tone import acts
from peerbot.tone import crisis as crisis_rules
from peerbot.tone import lexicon as lx
from peerbot.tone.names import find_names
from peerbot.tone.normalize import normalize
from peerbot.tone.phrases import PhraseBook, Scan, read_screens, write_screens
from peerbot.tone.reading import (
    JUDGING_WORDS,
    SENTENCES,
    TARGET_CUES,
    Tally,
    across_sentences,
    count_words,
    noisy_or,
    read_sentence,
    tokenize,
)
from peerbot.tone.sentiment import sentiment as _sentiment
from peerbot.tone.report import DEFAULT_THRESHOLD, Cue, ToneReport, decide

__all__ = ["analyze"]

# Every word that judges on its own: insults first, then judgements, then blame.
# A post this long, with the writer in it, is read as a story (characters).
_LONG_POST = 280
_CELEBRATION = re.compile(
    r"\b(?:proud of (?:you|u|ya)|happy (?:birthday|bday|anniversary|\d+|one|two|three|five|ten|first|1st)\b|congrats|congratulations|love (?:you|u|ya) (?:brother|bro|man|sis|sister)|well done,? (?:brother|bro|sis))"
)
_SELF_TALK = re.compile(r"\bme @ me\b|\bme to me\b|\bnote to self\b|\bme talking to myself\b|\bme to myself\b")
_KIDDING = re.compile(r"(?<!not )(?<!not just )\b(?:just kidding|kidding|jk|j/k|just joking|/j|/jk|only joking)\b(?! (?:aside|around))")
# A capitalised word said to someone: "Victor, you ...", "..., Lauren."
_VOCATIVE = re.compile(
    r"(?:^|[.!?]\s+|\b(?:Hi|Hey|Dear|Okay|Ok|Seriously|Honestly|Really|Look|Listen),?\s+)([A-Z][a-z]{2,})(?:,\s+(?:you|your|you're|nobody|no one|what|why|how|do|did|i|i'm|please|stop|seriously|honestly)\b)"
    r"|,\s+([A-Z][a-z]{2,})[.?!]"
)
_NOT_VOCATIVE = frozenset(
    """everyone everybody guys folks team all friends sir madam man bro dude please thanks okay yes well
    seriously honestly really look listen friend fam buddy pal mate people anyway again though too either
    today tonight tomorrow yesterday here there now then mom dad mum god jesus""".split()
)
# The community itself named in a post: its places, its roles, its members.
_HERE = re.compile(
    r"\b(?:in|of|to|at|from|on|into) (?:this|our) (?:group|server|chat|channel|community|meeting|room|team|circle|cohort|thread|space)\b"
    r"|\b(?:everyone|everybody|anyone|nobody|people|folks|members) (?:here|in here|in this \w+)\b"
    r"|\b(?:half|none|every one|every last one) of you\b"
    r"|\b(?:our|the|this) (?:mods?|moderators?|admins?|facilitators?|group leads?|mod team|peer team)\b"
    r"|\b(?:joined|in|at|to|from) (?:the|our) (?:\w+ ){0,2}(?:group|meeting|server|channel)\b"
)
_SYMPATHY = re.compile(
    r"\b(?:(?:i'm|im|i am|so) sorry (?:you|that|for|to hear|about)|feel (?:so )?(?:bad|sorry|terrible) for|that (?:sounds|must be) (?:so |really )?(?:hard|rough|awful|terrible|tough|horrible))"
)
# How much a remark aimed at the reader or a named member is lifted, and how
# strong its own cue must be for that.
_AIMED_LIFT = 0.15
_AIMED_MIN = 0.35
_QUOTED = re.compile('"[^"\n]{1,400}"|\u201c[^\u201d\n]{1,400}\u201d|(?<=[\\s:,])\'(?:[^\'\n]|(?<=\\w)\'(?=\\w)){3,200}\'(?=[\\s.,!?])')
_SECOND_WORDS = lx.SECOND | {"you're", "you've", "you'll", "you'd"}
_MOCK_WARMTH = frozenset({"condescension", "sarcasm naming its target"})
# Thanks said outright: the message is warm, whatever its adverbs.
_GRATITUDE = frozenset({"thank", "thanks", "thx", "ty", "grateful", "appreciate", "appreciated", "learned", "learnt", "means", "shoutout", "shout-out", "kudos", "props"})
# Below this a nudge category is not worth reporting: the cues were faint.
_MIN_NUDGE_SCORE = 0.2


_PHRASE_TABLES = {
    "contempt": lx.CONTEMPT_PHRASES,
    "addressed": lx.ADDRESSED_CONTEMPT,
    "sarcasm": lx.SARCASM_PHRASES,
    "gossip": lx.GOSSIP_MARKERS,
    "disagreement": lx.DISAGREEMENT_PHRASES,
    **crisis_rules.PHRASE_GROUPS,
    "help": lx.HELP_SEEKING,
    **{family: table for family, (_, table) in acts.FAMILIES.items()},
    # Only a hint that laughter may be present; the words decide.
    "laughter": ("lol", "lool", "lmao", "lmfao", "rofl", "haha", "hehe", "ahah", "kek", "lulz"),
}
_WHOLE_WORDS = ("contempt", "addressed", "sarcasm", "gossip", "disagreement", *acts.FAMILIES)
# Each pattern's literal stretch, spelled out ahead of time (see write_screens).
PHRASE_SCREENS = Path(__file__).with_name("phrase_screens.json")
_PHRASES = PhraseBook(_PHRASE_TABLES, whole_words=_WHOLE_WORDS, screens=read_screens(PHRASE_SCREENS))


def refresh_phrase_screens() -> None:
    """Rewrite phrase_screens.json after patterns change (a test says when)."""
    write_screens(_PHRASE_TABLES, _WHOLE_WORDS, PHRASE_SCREENS)


_WORDS = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_SENSITIVE = re.compile(r"\b(?:" + "|".join(lx.SENSITIVE_PHRASES) + r")\b")
_OWN_RELATION = re.compile(r"\b(?:my|our) (?:(?:\w+ ){0,1})(?:" + "|".join(sorted(map(re.escape, lx.OWN_RELATIONS))) + r")s?\b")
# People outside the community the writer meets in their life ("the nurse was
# so rude to me"): venting about them is not a remark to anyone here.
_OUTSIDER = re.compile(
    r"\b(?:the|this|that|a|some|my|our) (?:\w+ )?(?:" + "|".join(sorted(map(re.escape, lx.OUTSIDERS))) + r")s?\b(?=[^.!?]{0,80}\b(?:me|my|i|us|we)\b)"
)
# Discord writes mentions "<@123>" or "<@!123>", Slack "<@U024BE7LH>" or "<@U024BE7LH|sam>".
_LEADING_MENTIONS = re.compile(r"^(?:\s*(?:@[\w.-]+|<@[\w!|.-]+>)[,:]?)+\s*")
# Someone speaking of themselves: what turns pain into a struggle shared.
_OWN_DIFFICULTY = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "my", "myself", "mine"}) | lx.STRUGGLE_WORDS
_BABY_WORDS = frozenset({"baby", "child", "toddler", "drama", "princess", "crybaby"})
_BABYISH = re.compile(r"(?<!\bme )(?<!\bus )\b(?:such a|big|like a|acting like a|being a|what a) (?:baby|child|toddler|drama queen|princess|crybaby)\b")

_LAUGH_WORD = re.compile(r"l+o+l+(?:o+l+)*|l+m+f*a+o+|ro+fl|(?:ha|he){2,}h?|a?ha(?:ha)+h?")
_MOCKING_EMOJI = re.compile("[" + "".join(sorted(lx.MOCKING_EMOJI)) + "]")
_NAMES_SOMEONE = re.compile(r"\b(?:you|u|he|she|they|him|her|them|mr|ms|mrs|miss)\b")
_AIMED_HERE = re.compile(r"(?<![\w'])(?:you|u|ur|your|yours|yourself|urself|ya|yall|y'all|youre|you're|@[\w.-]+|<@[\w!|.-]+>)(?![\w'])")


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

    tally = Tally(cues=cues, criticism=[], mockery=[], gossip=[], contempt=[], targets=set())
    if crisis is not None:
        tally.note("recovery story (past crisis)", crisis[1], 0.0)

    # Mentions that open a message say who it is for; "you" is then that person.
    body = _LEADING_MENTIONS.sub("", lower, count=1) if lower.lstrip()[:1] in ("@", "<") else lower
    if len(body) >= _LONG_POST and ('"' in body or "\u201c" in body or " '" in body):
        # In a long post, words in quotation marks are what someone said to
        # the writer: part of their story, not a remark to anyone here.
        body = _QUOTED.sub(" ", body)
    tricks = bool(norm.tricks)
    # (phrase, weight, counts in full without a named target)
    words = frozenset(_WORDS.findall(lower))
    tally.warm = sentiment >= 0.3 or not words.isdisjoint(_GRATITUDE)
    contempt = [(p, w, False) for p, w in scan.find("contempt", body)]
    contempt += [(p, w, True) for p, w in scan.find("addressed", body)]
    if not _BABY_WORDS.isdisjoint(words):
        contempt += [(m.group(0), 0.5, True) for m in _BABYISH.finditer(body)]
    sarcasm = scan.find("sarcasm", lower)
    family_hits = [
        (family, bucket, phrase, weight)
        for family, (bucket, _) in acts.FAMILIES.items()
        if scan.could_match(family)
        for phrase, weight in scan.find(family, body)
    ]
    gossip = scan.find("gossip", lower)
    laughter = sorted(words & lx.LAUGHTER)
    if scan.could_match("laughter"):
        laughter += sorted(w for w in words if w not in lx.LAUGHTER and _LAUGH_WORD.fullmatch(w))
    emoji = [] if text.isascii() else _MOCKING_EMOJI.findall(text, 0, 20_000)

    # Most messages hold no word that could judge anyone and no phrase of
    # contempt: for them the sentence-by-sentence walk is skipped, and only
    # the message's words are counted.
    walk = tricks or contempt or "*" in body or not words.isdisjoint(JUDGING_WORDS)
    needs_names = walk or sarcasm or gossip or laughter or emoji or family_hits
    names_found = find_names(norm.cased, names) if needs_names else frozenset()
    sentence_scores: list[float] = []
    if walk:
        for sentence in SENTENCES.findall(body):
            hits = [h for h in contempt if h[0] in sentence]
            if not (tricks or hits or "*" in sentence):
                sentence_words = frozenset(_WORDS.findall(sentence))
                if sentence_words.isdisjoint(JUDGING_WORDS):
                    count_words(sentence_words, names_found, tally, "@" in sentence)
                    continue
            tokens = tokenize(sentence)
            if not tokens:
                continue
            start = len(tally.criticism)
            targets_here = read_sentence(sentence, tokens, names_found, tally, tricks)
            for hit in hits:
                contempt.remove(hit)
                phrase, weight, addressed = hit
                if not (addressed or targets_here or "you" in phrase):
                    weight *= 0.7
                tally.add(tally.criticism, "contempt", (phrase,), weight)
                if addressed or "you" in phrase or targets_here & {"second", "name"}:
                    tally.aimed.append(weight)
                tally.contempt.append(weight)
            if len(tally.criticism) > start:
                sentence_scores.append(noisy_or(tally.criticism[start:]))
    else:
        count_words(words, names_found, tally, "@" in body)

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

    if family_hits:
        acted: list[float] = []
        for family, bucket, phrase, weight in family_hits:
            aimed_here = _AIMED_HERE.search(phrase) is not None or bool(targets & {"second", "name"})
            if bucket == "gossip":
                tally.add(tally.gossip, family, (phrase,), weight if (absent_target or aimed_here) else weight * 0.8)
            elif bucket == "mockery":
                tally.add(tally.mockery, family, (phrase,), weight)
            else:
                tally.add(tally.criticism, family, (phrase,), weight)
                acted.append(weight)
            if aimed_here:
                tally.aimed.append(weight)
        if acted:
            sentence_scores.append(noisy_or(acted))
    if not text.isascii() and (absent_target or tally.gossip) and not tally.mockery:
        hints = [e for e in acts.INSINUATING_EMOJI if e in text[:20_000]]
        if hints:
            tally.add(tally.gossip, "insinuating emoji", tuple(sorted(hints))[:2], 0.3)

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

    criticism = across_sentences(sentence_scores)
    scores = {
        "criticism": criticism,
        # Laughing while passing something on ("did you see Frank's outfit 😂") mocks.
        "mockery": noisy_or(
            tally.mockery + [w * 0.8 for w in tally.contempt] + [criticism * 0.5] + [w * 0.6 for w in tally.gossip]
        ) if tally.mockery else 0.0,
        "gossip": noisy_or(tally.gossip + [criticism * 0.5]) if tally.gossip else 0.0,
    }
    kind = max(scores, key=lambda k: scores[k])
    score = scores[kind]

    if score > 0:
        for cue_name in sorted({TARGET_CUES[t] for t in targets}):
            tally.note(cue_name)
        long_post = len(body) >= _LONG_POST
        # Someone here: a mention, a member's name, a named person the writer
        # addresses ("Victor, you ..."), or the group itself ("the mods in
        # this server", "half of you").
        here = (
            "@" in body
            or "<@" in body
            or (bool(names) and not words.isdisjoint(n.lower().lstrip("@") for n in names))
            or tally.addressed
            or _addresses_by_name(norm.cased)
            or _HERE.search(body) is not None
        )
        # A long post's overall warmth says little about its aim.
        warm = sentiment >= 0.5 and tally.praise > 0 and not (long_post and here and max(tally.aimed, default=0.0) >= 0.5)
        # Mock warmth is how condescension and sarcasm speak: no discount.
        mock_warmth = any(family in _MOCK_WARMTH and weight >= 0.4 for family, _, _, weight in family_hits)
        # The writer's own acts in this message (condescension, sarcasm,
        # threats, insinuation...) are no report of what others did.
        acts_score = noisy_or([weight for _, _, _, weight in family_hits]) if family_hits else 0.0
        if acts_score >= 0.5:
            mock_warmth = True
        if warm and kind != "mockery" and not mock_warmth:
            score *= 0.5
            tally.note("warm overall (praise, positive sentiment)", (), -0.5)
        # A long first-person post tells the writer's own story: what others
        # did or said in it is their experience, not a remark to anyone here.
        # ("You" in a story is often the person in it, or anyone.)
        story = long_post and tally.self_refs >= 3
        if story and not here:
            score = max(score * 0.35, min(score, acts_score * 0.9))
            tally.note("a first-person story (what others did is the writer's experience)", (), -0.65)
        elif story:
            tally.note("a long post aimed at someone here", (), 0.0)
        elif "second" not in targets and kind in ("criticism", "gossip"):
            relation = _OWN_RELATION.search(body) or _OUTSIDER.search(body)
            if relation or (tally.feelings >= 2 and tally.self_refs >= 2):
                # Someone venting about people in their own life, to be heard.
                score *= 0.45
                tally.note("venting about someone in one's own life", (relation.group(0),) if relation else (), -0.55)
            help_seeking = scan.search("help", body)
            if help_seeking:
                score *= 0.75
                tally.note("asking for help", (help_seeking.group(0),), -0.25)
            sympathy = _SYMPATHY.search(body)
            if sympathy:
                # "I'm so sorry you went through that, he sounds awful": taking
                # the reader's side against someone not here.
                score *= 0.6
                tally.note("sympathy with the reader", (sympathy.group(0),), -0.4)
        elif tally.aimed and not warm and not story and max(tally.aimed) >= _AIMED_MIN and score < 0.6:
            # A remark aimed at the reader or a named member weighs more than
            # the same words about no one in particular.
            score = noisy_or([score, _AIMED_LIFT])
            tally.note("aimed at the reader or a named member", (), _AIMED_LIFT)
        if kind == "gossip" and sentiment >= 0.3 and tally.praise > 0:
            score = 0.0
            tally.note("good news shared", (), -1.0)

    if score > 0 and kind == "criticism" and _CELEBRATION.search(body):
        # "Ortiz you ugly bastard, happy 1 year. Proud of you brother": rough
        # words wrapped around a celebration are affection.
        score *= 0.5
        tally.note("affectionate banter (a celebration)", (), -0.5)
    if score > 0 and _SELF_TALK.search(body):
        # "me @ me: why r u like this": the writer talking to themselves.
        score *= 0.3
        tally.note("the writer talking to themselves", (), -0.7)
    if score > 0 and _KIDDING.search(body):
        # In-group teasing that says it is a joke ("(kidding)", "jk").
        score *= 0.6
        tally.note("marked as a joke", (), -0.4)
    # A warm message with only faint cues is counted as what it mostly is.
    if score >= _MIN_NUDGE_SCORE and not (score < 0.35 and sentiment >= 0.4):
        category = kind
    else:
        score = score if score >= _MIN_NUDGE_SCORE else 0.0
        category = _calm_category(lower, words, scan, sentiment, tally, crisis is not None)

    action = decide(category, score, threshold)
    return ToneReport(action=action, category=category, score=min(1.0, score), sentiment=sentiment, cues=tuple(tally.cues))


def _addresses_by_name(cased: str) -> bool:
    """Whether the writer speaks to someone by name ("Victor, you ...",
    "Really, Ashley?", "Cry me a river, Lauren."): a name set off by commas."""
    for match in _VOCATIVE.finditer(cased, 0, 20_000):
        word = match.group(1) or match.group(2)
        if word.lower() not in _NOT_VOCATIVE:
            return True
    return False


def _calm_category(lower: str, words: frozenset[str], scan: Scan, sentiment: float, tally: Tally, recovery: bool) -> str:
    if recovery:
        return "recovery"
    if scan.search("disagreement", lower):
        tally.note("respectful disagreement")
        return "disagreement"
    if not words.isdisjoint(_GRATITUDE) and not words.isdisjoint(_SECOND_WORDS):
        # Thanking someone is support, even when it mentions a low moment.
        return "supportive"
    self_judged = any(c.name == "self-judgement" for c in tally.cues)
    if (tally.feelings or sentiment <= -0.3 or self_judged) and not words.isdisjoint(_OWN_DIFFICULTY):
        tally.note("sharing own struggle", (), 0.0)
        return "struggle"
    if sentiment <= -0.3:
        return "complaint"
    if sentiment >= 0.4 or tally.praise:
        return "supportive"
    return "neutral"
