"""Tone analysis: one pure decision per message (nudge, crisis or none).

    >>> from peerbot.tone import analyze
    >>> analyze("I had an awful week and feel worthless").action
    'none'
"""

from peerbot.tone.analyzer import analyze
from peerbot.tone.report import (
    CATEGORIES,
    DEFAULT_THRESHOLD,
    NUDGE_CATEGORIES,
    Action,
    Cue,
    ToneReport,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_THRESHOLD",
    "NUDGE_CATEGORIES",
    "Action",
    "Cue",
    "ToneReport",
    "analyze",
]
