"""The engine: the only place peerbot decides anything. (Skeleton; filled in next.)"""

from __future__ import annotations

from collections.abc import Callable

from peerbot.actions import Action
from peerbot.events import Event
from peerbot.tone import ToneReport
from peerbot.tone import analyze as default_analyze

Analyzer = Callable[..., ToneReport]


class Engine:
    """``await engine.handle(event) -> list[Action]``; state lives in the store."""

    def __init__(self, store, settings=None, *, analyze: Analyzer = default_analyze, library=None, messages=None) -> None:
        self.store = store
        self.settings = settings
        self.analyze = analyze
        self.library = library
        self.messages = messages

    async def handle(self, event: Event) -> list[Action]:
        return []
