"""Shared helpers for engine tests: a real SQLite store in tmp_path, events with fresh ids."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from peerbot.engine import Engine
from peerbot.events import Channel, Community, Member, MemberJoined, MessagePosted, ModeratorCommand
from peerbot.settings import Settings
from peerbot.store import open_store
from peerbot.tone import Cue, ToneReport

COMMUNITY = Community("console", "circle", "Test Circle")
# Monday 10 March 2025, 10:00 in New York (EDT, UTC-4).
T0 = datetime(2025, 3, 10, 14, 0, tzinfo=UTC)
GENERAL = Channel("c-general", "general")
VENT = Channel("c-vent", "vent")
MODS = Channel("c-mods", "moderators")

_ids = itertools.count(1)

#: Every engine make_engine built; the ``closing_engines`` fixture (conftest.py) closes their
#: stores after each test, so none leaves a connection or pending writes behind.
OPENED: list[Engine] = []


def fresh(prefix: str = "ev") -> str:
    return f"{prefix}-{next(_ids)}"


def settings(**community: Any) -> Settings:
    return Settings(database_url="sqlite+aiosqlite:///unused.db", community=community)


async def make_engine(tmp_path: Path, *, analyze: Callable[..., ToneReport] | None = None,
                      config: Settings | None = None, db: str = "peerbot.db") -> Engine:
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / db}")
    kwargs: dict[str, Any] = {} if analyze is None else {"analyze": analyze}
    engine = Engine(store, config if config is not None else settings(), **kwargs)
    OPENED.append(engine)
    return engine


def member(member_id: str, *roles: str, name: str = "") -> Member:
    return Member(member_id, name or member_id.title(), frozenset(roles))


def joined(member_id: str, at: datetime, event_id: str | None = None) -> MemberJoined:
    return MemberJoined(event_id=event_id or fresh("join"), community=COMMUNITY, at=at, member=member(member_id))


def posted(text: str, author: str | Any = "ana", at: datetime = T0, channel: Channel = GENERAL,
           event_id: str | None = None, message_id: str | None = None) -> MessagePosted:
    who = author if not isinstance(author, str) else member(author)
    return MessagePosted(
        event_id=event_id or fresh("msg"), community=COMMUNITY, at=at, channel=channel, author=who,
        message_id=message_id or fresh("m"), text=text, link=f"https://chat.example/{fresh('link')}",
    )


def command(text: str, *, moderator: bool = True, at: datetime = T0, who: str = "mod") -> ModeratorCommand:
    return ModeratorCommand(event_id=fresh("cmd"), community=COMMUNITY, at=at, author=member(who, "moderator"),
                            channel=MODS, text=text, is_moderator=moderator)


def report(category: str, score: float, action: str = "none", cues: tuple[str, ...] = ()) -> ToneReport:
    return ToneReport(action=action, category=category, score=score, sentiment=-0.5,  # type: ignore[arg-type]
                      cues=tuple(Cue(name) for name in cues))


def scripted(by_text: Mapping[str, ToneReport]) -> Callable[..., ToneReport]:
    """An analyzer for policy tests: each text maps to a chosen report."""

    def analyze(text: str, *, threshold: float = 0.5, **_: Any) -> ToneReport:
        return by_text.get(text, report("neutral", 0.0))

    return analyze


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def kinds(actions: list[Any]) -> list[str]:
    return [type(a).__name__ for a in actions]
