"""Crisis the way people actually say it (issue 17), and the false alarms that cost trust.

Every sentence here is written for this file in fresh words: none is copied from the blind
batches (kept as data in tests/data/blind-crisis and checked at the end) or from any
benchmark set. Each crisis must be recognised, and its report must name the parts of
meaning that fired."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerbot.tone import analyze

FORMS = {
    # plans with no death word: a place, a means, a time
    "plan": [
        "I already know which parking garage, I checked the top floor yesterday. going back there friday night",
        "got the rope in my trunk and i know which tree. doing it sunday",
        "been researching how many of my lithium pills would be enough. think i have the number now",
        "my uncle's gun is in the basement and the key is in my pocket now. tonight is the night, decided already",
    ],
    # goodbyes and affairs put in order
    "goodbye": [
        "if anyone wants my guitar or my books just message me, clearing out my room this week. you guys were the best part of this year",
        "I gave my cat to my neighbor and told her I'm going on a long trip. I'm not",
        "No point renewing my lease past March. Cancelled my dentist and my counseling sessions too, I won't be needing them",
        "I left notes for my mom and my brother in the kitchen drawer where they'll find them. thank you all for everything",
    ],
    # self-harm, and relapse after a time clean
    "self-harm": [
        "relapsed on sh tonight after almost a year, and honestly i want to do it again",
        "I took a razor to my thigh again last night after 8 months clean",
        "burned myself with the lighter again, three times this week",
        "kept hitting my head against the door until it went quiet",
    ],
    # broken grammar, second-language English
    "grammar": [
        "for me is better to not exist, I am only problem for my family",
        "I want kill me, I not can continue like this",
        "my life is finish, nobody will missing me",
        "I think to jump from the roof of my building tonight",
    ],
    # typos and slang
    "slang": [
        "ngl i might kms this weekend",
        "gonna unalive myself after exams are over",
        "planning to ctb when everyone is asleep",
        "thinking about sewerslide again, it feels like the only way out",
        "im going to kil myslef tonight",
    ],
}

LONG_POST = (
    "So this semester has been a lot. My roommate moved out in September and I had to find someone new, "
    "which took forever, and my manager at the cafe cut my hours, so rent has been tight. Classes are fine I guess, "
    "my stats professor is actually pretty good and the group project is going ok even though one guy never answers. "
    "I started going to the climbing gym on Tuesdays which helps a bit. My sister had her baby last month and I "
    "visited for a weekend, the baby is tiny and loud and cute. Anyway I don't really know why I'm writing all of "
    "this. I've been saving up my sleeping pills for a few weeks now and I think I finally have enough. "
    "Sorry this is so long, I just wanted to tell someone. Thanks for reading."
)

# Families of false alarms: each must not be a crisis.
NOT_CRISIS = {
    "recovery story": [
        "Five years ago I tried to end my life. Today I run a peer group and I'm glad I stayed.",
        "It's been 300 days since I last cut myself and I wanted to share that with you all",
        "Back when I was nineteen I overdosed on my meds. These days I'm doing okay.",
    ],
    "sharing a hotline": [
        "If you're thinking about suicide, you can call or text 988 any time, they're kind.",
        "Reminder that the suicide hotline is free and open all night if anyone needs it.",
    ],
    "worry about someone else": [
        "My friend keeps saying 'i just want to die' and I don't know how to help her",
        "She told me she's been thinking about ending it. What should I do?",
        "My brother posted a goodbye message and I can't reach him, who do I call?",
    ],
    "dark humour about oneself": [
        "this commute is going to be the death of me",
        "if I have to sit through one more budget meeting I'm going to die lol",
        "I could just die of embarrassment, I called my teacher mom",
    ],
    "lyrics and quotes": [
        "\"I want to die\" is such a dramatic line for a pop song about a breakup",
        "she sang 'goodbye my lover, goodbye my friend' at karaoke and everyone cried",
    ],
    "grief": [
        "My dad died by suicide two years ago and the holidays are still hard.",
        "We buried my grandmother today. I miss her so much.",
    ],
    "everyday goodbyes and plans": [
        "bye everyone, see you tomorrow at group!",
        "Cancelled my dentist appointment because I'm sick, rescheduling next week",
        "Gave my old bike to my nephew, he's been wanting one for ages",
        "I'm going on a long trip to visit family in Ohio next month",
    ],
}


@pytest.mark.parametrize("form, text", [(f, t) for f, ts in FORMS.items() for t in ts])
def test_each_form_is_crisis_and_says_why(form: str, text: str) -> None:
    report = analyze(text)
    assert report.action == "crisis", (form, text, report.cues)
    crisis_cues = [c for c in report.cues if c.name == "crisis language"]
    assert crisis_cues and crisis_cues[0].words


def test_the_parts_that_fired_are_named() -> None:
    report = analyze("got the rope in my trunk and i know which tree. doing it sunday")
    words = [w for c in report.cues if c.name == "crisis language" for w in c.words]
    assert any(w.startswith(("means:", "plan:", "preparation:")) for w in words), words


def test_a_crisis_inside_a_long_post_is_found() -> None:
    assert len(LONG_POST) > 700
    assert analyze(LONG_POST).action == "crisis"


@pytest.mark.parametrize("family, text", [(f, t) for f, ts in NOT_CRISIS.items() for t in ts])
def test_false_alarm_families_are_not_crisis(family: str, text: str) -> None:
    report = analyze(text)
    assert report.action != "crisis", (family, text, report.cues)


# -- the blind batches, kept as tests -----------------------------------------------------------------------

BATCHES = Path(__file__).parent / "data" / "blind-crisis"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (BATCHES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", ["batch-1.jsonl", "batch-2.jsonl", "batch-3.jsonl"])
def test_the_worked_blind_batches_stay_fully_recognised(name: str) -> None:
    """Batches 1-3 were each brought to every crisis recognised, no false alarm, by families
    of language; a change that loses any of them is a regression."""
    rows = _rows(name)
    missed = [r["kind"] for r in rows if r["label"] == "crisis" and analyze(r["text"]).action != "crisis"]
    alarms = [r["kind"] for r in rows if r["label"] == "none" and analyze(r["text"]).action == "crisis"]
    assert missed == [] and alarms == []


def test_the_last_blind_batch_stays_at_least_at_its_first_sight() -> None:
    """Batch 4 was measured on first sight (13 of 26 crises, 4 of 18 false alarms) and not
    worked on yet: it may only get better."""
    rows = _rows("batch-4.jsonl")
    caught = sum(1 for r in rows if r["label"] == "crisis" and analyze(r["text"]).action == "crisis")
    alarms = sum(1 for r in rows if r["label"] == "none" and analyze(r["text"]).action == "crisis")
    assert caught >= 13 and alarms <= 4
