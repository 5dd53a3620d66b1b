"""The analyzer's answer: what it decided, how strongly, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Action = Literal["none", "nudge", "crisis"]

#: Categories whose score a moderator's threshold is compared with.
NUDGE_CATEGORIES: frozenset[str] = frozenset({"criticism", "gossip", "mockery"})

#: Every category `analyze` can return.
CATEGORIES: tuple[str, ...] = (
    "criticism",
    "gossip",
    "mockery",
    "crisis",
    "struggle",
    "recovery",
    "complaint",
    "disagreement",
    "supportive",
    "neutral",
)

#: The nudge threshold used when a community has not chosen its own. The one
#: place it is written: settings and the command line take it from here.
DEFAULT_THRESHOLD = 0.5


def decide(category: str, score: float, threshold: float) -> Action:
    """The one comparison of a score with a threshold: nudge or not."""
    return "nudge" if category in NUDGE_CATEGORIES and score >= threshold else "none"


@dataclass(frozen=True, slots=True)
class Cue:
    """One signal the analyzer noticed.

    ``name`` is a stable identifier (``"insult"``, ``"target:second_person"``...),
    ``words`` are the (normalised) words that triggered it, and ``weight`` is
    its contribution: positive pushes towards a nudge, negative away from one.
    """

    name: str
    words: tuple[str, ...] = ()
    weight: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "words": list(self.words), "weight": round(self.weight, 3)}


@dataclass(frozen=True, slots=True)
class ToneReport:
    """The analyzer's decision about one message.

    ``score`` is the nudge strength in [0, 1] that a moderator's threshold is
    compared with; it is meaningful for nudge categories only (0 otherwise).
    ``sentiment`` is VADER's compound score in [-1, 1].
    """

    action: Action
    category: str
    score: float
    sentiment: float
    cues: tuple[Cue, ...] = field(default=())

    def nudges_at(self, threshold: float) -> bool:
        """Whether this message would be nudged at ``threshold``."""
        return decide(self.category, self.score, threshold) == "nudge"

    def cue_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.cues)

    def as_dict(self) -> dict[str, object]:
        return {
            "action": self.action,
            "category": self.category,
            "score": round(self.score, 3),
            "sentiment": round(self.sentiment, 3),
            "cues": [c.as_dict() for c in self.cues],
        }
