"""The tone decision on messages written for these tests (none come from the
evaluation or benchmark sets): each category, negation, obfuscation, crisis
against recovery stories, and odd input."""

from __future__ import annotations

import time

import pytest

from peerbot.tone import CATEGORIES, DEFAULT_THRESHOLD, ToneReport, analyze

CRITICISM = [
    "You are so lazy, you never pull your weight in group.",
    "Honestly you're the most selfish person in this program.",
    "Your answer was stupid and you should know better.",
    "Why do you always have to be so rude to everyone?",
    "Kevin is an idiot who shouldn't be near clients.",
    "Our facilitator is clueless and totally useless.",
    "She is so fake, I can't stand her.",
    "Grow up and stop whining about the schedule.",
    "You ruined the whole meeting with your attitude.",
    "Nobody cares about your opinion, just shut up.",
    "that new guy is a complete moron",
    "You're pathetic.",
]

GOSSIP = [
    "Did you hear that Jamal got fired from the clinic? Apparently he was drinking on the job.",
    "Between you and me, Rosa is cheating on her husband.",
    "Don't tell anyone, but I heard Carla relapsed last weekend.",
    "Rumor has it the coordinator is getting divorced.",
]

MOCKERY = [
    "lol Kevin really thought he nailed that role play 😂",
    "Oh great, another genius plan from Tasha, how original.",
    "Sure, Marcus, because you're the expert on everything 🙄",
]

STRUGGLE = [
    "I had an awful week and feel worthless.",
    "I feel like such a failure today.",
    "I'm so angry at myself for relapsing.",
    "My anxiety is through the roof and I hate how weak I feel.",
    "Someone told me I was useless and I keep thinking about it.",
    "I'm exhausted and lonely and nothing is working.",
    "My sponsor said I'm hopeless and part of me believes her.",
    "I feel stupid for crying in group yesterday.",
]

CRISIS = [
    "I don't want to be here anymore.",
    "Everyone would be better off without me.",
    "I'm saying goodbye to everyone tonight.",
    "I just want to go to sleep and never wake up.",
    "I keep thinking about ending my life.",
    "I've been cutting myself again.",
    "I have the pills ready and I'm done.",
]

CALM = [
    ("Thank you all for the kind words yesterday, it meant a lot.", "supportive"),
    ("You did an amazing job facilitating today!", "supportive"),
    ("Can someone share the link for Thursday's training?", "neutral"),
    ("The bus was late again and the heating is broken, ugh.", None),
    ("This printer is useless.", None),
    ("I respectfully disagree, I think the other approach works better for me.", "disagreement"),
]

NEGATED = [
    "You're not lazy at all, you've been carrying a lot.",
    "You are not stupid, this stuff is genuinely hard.",
    "Don't worry, you didn't ruin anything.",
    "Nobody thinks you're a failure.",
]


@pytest.mark.parametrize("text", CRITICISM)
def test_criticism_of_a_person_is_nudged(text: str) -> None:
    report = analyze(text)
    assert report.action == "nudge", report
    assert report.category == "criticism"
    assert report.score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("text", GOSSIP)
def test_gossip_is_nudged(text: str) -> None:
    report = analyze(text)
    assert (report.action, report.category) == ("nudge", "gossip"), report


@pytest.mark.parametrize("text", MOCKERY)
def test_mockery_is_nudged(text: str) -> None:
    report = analyze(text)
    assert (report.action, report.category) == ("nudge", "mockery"), report


@pytest.mark.parametrize("text", STRUGGLE)
def test_sharing_a_struggle_is_never_nudged(text: str) -> None:
    report = analyze(text)
    assert report.action == "none", report
    assert report.category == "struggle", report


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_language_gets_crisis(text: str) -> None:
    report = analyze(text)
    assert (report.action, report.category) == ("crisis", "crisis"), report
    assert any(c.name == "crisis language" for c in report.cues)


@pytest.mark.parametrize(
    "text",
    [
        "Five years ago I attempted suicide. Today I'm grateful to be alive and training as a peer.",
        "When I was 19 I used to self-harm; I've been harm-free for three years now.",
        "I survived my suicide attempt in 2015 and my story is why I do this work.",
    ],
)
def test_recovery_story_is_not_a_crisis(text: str) -> None:
    report = analyze(text)
    assert report.action == "none", report
    assert report.category == "recovery"


def test_recovery_story_that_turns_to_the_present_is_a_crisis() -> None:
    text = "Years ago I attempted suicide, and tonight I want to die again."
    assert analyze(text).action == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal, just really tired of winter.",
        "This suicide prevention training was excellent.",
        "I could die of embarrassment after that presentation lol",
    ],
)
def test_crisis_words_that_are_not_a_crisis(text: str) -> None:
    assert analyze(text).action != "crisis"


@pytest.mark.parametrize("text,category", CALM)
def test_calm_messages_are_left_alone(text: str, category: str | None) -> None:
    report = analyze(text)
    assert report.action == "none", report
    if category:
        assert report.category == category


@pytest.mark.parametrize("text", NEGATED)
def test_negation_and_praise_flip_judgement(text: str) -> None:
    report = analyze(text)
    assert report.action == "none", report


@pytest.mark.parametrize(
    "text,trick",
    [
        ("u r st00pid", "letters swapped for digits or symbols"),
        ("you are sooooo stupiiiid", "stretched letters"),
        ("you are an i\u200bd\u200bi\u200bo\u200bt", "invisible characters"),
        ("you are s t u p i d", "spaced-out letters"),
        ("ｙｏｕ ａｒｅ ａｎ ｉｄｉｏｔ", "look-alike characters"),
    ],
)
def test_obfuscated_insults_are_seen_through(text: str, trick: str) -> None:
    report = analyze(text)
    assert report.action == "nudge", report
    assert ("obfuscation", (trick,)) in [(c.name, c.words) for c in report.cues]


def test_a_censored_insult_is_seen_through() -> None:
    assert analyze("you're such an a**hole").action == "nudge"


def test_the_same_words_about_oneself_are_struggle_not_criticism() -> None:
    assert analyze("You are such an idiot.").action == "nudge"
    mine = analyze("I am such an idiot.")
    assert mine.action == "none"
    assert "self-judgement" in mine.cue_names()


def test_cues_explain_the_decision() -> None:
    report = analyze("You're so lazy and stupid.")
    names = report.cue_names()
    assert "target:the person addressed" in names
    words = {w for c in report.cues for w in c.words}
    assert {"lazy", "stupid"} <= words


def test_threshold_moves_the_decision_not_the_score() -> None:
    text = "Your reflection was a bit sloppy."
    low, high = analyze(text, threshold=0.1), analyze(text, threshold=0.99)
    assert low.score == high.score
    assert low.action == "nudge" and high.action == "none"
    assert low.nudges_at(0.1) and not low.nudges_at(0.99)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u200b\u200b"])
def test_empty_text_is_neutral(text: str) -> None:
    report = analyze(text)
    assert (report.action, report.category, report.score) == ("none", "neutral", 0.0)


@pytest.mark.parametrize("text", ["🎉🎉🎉", "💛" * 500, "🙏", "👍👍"])
def test_emoji_only_messages(text: str) -> None:
    report = analyze(text)
    assert report.action == "none"
    assert report.category in CATEGORIES


def test_report_fields_are_well_formed() -> None:
    report = analyze("You're a hypocrite and everyone knows it.")
    assert isinstance(report, ToneReport)
    assert 0.0 <= report.score <= 1.0
    assert -1.0 <= report.sentiment <= 1.0
    assert report.category in CATEGORIES
    data = report.as_dict()
    assert set(data) == {"action", "category", "score", "sentiment", "cues"}


def test_100_kb_of_text_is_analyzed_well_under_a_second() -> None:
    text = ("We met in the park and talked about our week. " * 2200)[:100_000]
    text += " By the way, you are a lazy idiot."
    started = time.perf_counter()
    report = analyze(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"100 KB took {elapsed:.2f}s"
    assert report.action == "nudge"


def test_crisis_at_the_end_of_a_long_message_is_found() -> None:
    text = "Just a long update about my garden and the weather. " * 2000 + "I want to kill myself."
    assert analyze(text).action == "crisis"


def test_analyze_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        analyze(b"bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize("mention", ["<@123456789>", "<@!123456789>", "<@U024BE7LH>", "<@U024BE7LH|sam>", "@sam"])
def test_platform_mentions_are_people(mention: str) -> None:
    # Mid-sentence a mention is someone talked about; opening a message it says who is addressed.
    assert analyze(f"Honestly {mention} is such a lazy idiot.").action == "nudge"
    assert analyze(f"{mention} you are so lazy and rude.").action == "nudge"
    assert analyze(f"{mention} thank you, that was so kind.").action == "none"


def test_decisions_do_not_depend_on_the_hash_seed() -> None:
    """Sets iterate in an order that changes from process to process; a decision must not."""
    import json
    import subprocess
    import sys

    texts = [
        "Well I for one think small d**** are adorable",
        "you're such an a**hole, f*** off",
        "Oh sure, because you know everything 🙄 lol, genius",
        "Did you hear? Between you and me, she got fired and relapsed, what a joke lol",
        "I want to kill myself, I don't see a way out, goodbye everyone",
    ]
    code = (
        "import json, sys; from peerbot.tone import analyze; "
        "print(json.dumps([analyze(t).as_dict() for t in json.load(sys.stdin)]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}, check=True, timeout=60,
        ).stdout
        for seed in (0, 1, 2, 3, 4, 5)
    }
    assert len(outputs) == 1
