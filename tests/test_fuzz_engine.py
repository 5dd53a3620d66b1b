"""Bad input for the engine, on the real SQLite and PostgreSQL stores: any message (text,
mentioned names, author and channel names) and any command line get an answer without an
exception, in bounded time, and nothing a moderator types can break the stored settings.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db_kit import Db, backend  # noqa: F401 - fixture
from engine_kit import COMMUNITY, GENERAL, T0
from peerbot.actions import Action, AlertModerators, CrisisSupport, PrivateNudge, ReplyToModerator
from peerbot.commands import COMMANDS
from peerbot.engine import Engine
from peerbot.events import Channel, Member, MessagePosted, ModeratorCommand
from peerbot.settings import Settings
from test_fuzz_analyzer import MIXED, PIECES

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=2000)
NAME = st.one_of(st.sampled_from(PIECES), st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_ids = itertools.count(1)


class Harness:
    """One engine on the test's database, driven from synchronous hypothesis examples."""

    def __init__(self, db) -> None:
        self.runner = asyncio.Runner()
        self.store = self.runner.run(db.open())
        self.engine = Engine(self.store, Settings(_env_file=None, database_url=db.url))

    def handle(self, event) -> tuple[list[Action], float]:
        # CPU seconds of this process (the store's thread included), not wall time: the bound
        # is on peerbot's work, which a loaded machine's other processes do not change.
        started = time.process_time()
        actions = self.runner.run(self.engine.handle(event))
        return actions, time.process_time() - started

    def close(self) -> None:
        self.runner.run(self.store.close())
        self.runner.close()


@pytest.fixture
def harness(backend):  # noqa: F811
    h = Harness(backend)
    yield h
    h.close()


def test_any_message_gets_a_decision(harness):
    @FUZZ
    @given(text=st.one_of(ANY_TEXT, MIXED), names=st.lists(NAME, max_size=4), author=NAME, channel=NAME,
           roles=st.frozensets(NAME, max_size=3))
    def example(text, names, author, channel, roles):
        n = next(_ids)
        event = MessagePosted(
            event_id=f"ev-{n}", community=COMMUNITY, at=T0 + timedelta(hours=2 * n), message_id=f"m-{n}",
            channel=Channel(f"c-{n % 3}", channel), author=Member(f"u-{n}", author, roles),
            text=text, mentioned_names=tuple(names),
        )
        actions, seconds = harness.handle(event)
        assert seconds < 2.0, seconds
        assert isinstance(actions, list)
        kinds = {type(a) for a in actions}
        assert kinds <= {PrivateNudge, CrisisSupport, AlertModerators}
        assert (CrisisSupport in kinds) <= (PrivateNudge not in kinds)  # crisis is never nudged

    example()


@pytest.fixture
def sqlite_harness(tmp_path):
    h = Harness(Db("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'peerbot.db'}"))
    yield h
    h.close()


def test_huge_messages_through_the_engine_are_bounded(sqlite_harness):
    """(On SQLite only: the time is the analyzer's; the fuzzing above runs on both stores.)"""
    harness = sqlite_harness
    for n, text in enumerate(["\U0001f602" * 999 + ". you idiot. " * 50, "a0a " + "0" * 1_000_000,
                              "you never listen. " * 60_000, "\u200b" * 1_000_000], start=1):
        event = MessagePosted(event_id=f"big-{n}", community=COMMUNITY, at=T0 + timedelta(hours=n),
                              message_id=f"big-{n}", channel=GENERAL, author=Member(f"big-{n}"), text=text)
        actions, seconds = harness.handle(event)
        assert seconds < 5.0, (n, seconds)


COMMAND_WORDS = st.sampled_from(sorted(COMMANDS) + ["help", "", "THRESHOLD", "prompts", "prompts add", "exempt role",
                                                   "threshold reset", "schedule", "nudges off"])
ARGS = st.lists(st.one_of(NAME, st.sampled_from(["0.7", "-1", "nan", "inf", "1e999", "2", "on", "off", "09:00",
                                                 "25:99", "mon,fri", "daily", "#general", "<#1>", "a.b", "reset",
                                                 "channel", "role", "gratitude", "x" * 5000])), max_size=4)


def test_any_command_line_gets_one_reply_and_keeps_the_settings_usable(harness):
    @FUZZ
    @given(word=COMMAND_WORDS, args=ARGS, moderator=st.booleans())
    def example(word, args, moderator):
        n = next(_ids)
        text = " ".join([word, *args])
        event = ModeratorCommand(event_id=f"cmd-{n}", community=COMMUNITY, at=T0 + timedelta(minutes=n),
                                 author=Member(f"mod-{n % 2}"), channel=GENERAL, text=text, is_moderator=moderator)
        before = harness.runner.run(harness.store.overrides(COMMUNITY))
        actions, seconds = harness.handle(event)
        assert seconds < 2.0
        replies = [a for a in actions if isinstance(a, ReplyToModerator)]
        assert len(replies) == 1 and replies[0].text.strip()
        after = harness.runner.run(harness.store.overrides(COMMUNITY))
        if not moderator or not replies[0].ok:
            assert after == before  # refused or rejected: nothing changed
        # whatever was stored, the community's settings still load
        harness.engine._invalidate()
        harness.runner.run(harness.engine.community_settings(COMMUNITY))

    example()


OVERSIZE = {
    "long prompt": ["prompts add gratitude " + "x" * 5000],
    "many prompts": [f"prompts add gratitude {i} " + "y" * 480 for i in range(12)],
    "long channel": ["threshold 0.7 " + "c" * 300],
    "long channel nudges": ["nudges off " + "c" * 300],
    "long role": ["exempt role " + "r" * 5000],
    "many exemptions": [f"exempt channel {i}" + "z" * 90 for i in range(60)],
}


def test_what_does_not_fit_is_refused_with_a_clear_reply_and_loses_nothing(harness):
    """The store's columns are bounded (a setting's value 4,000 characters, its key 200): a
    command that would not fit is answered with why, and what was stored before stays."""
    for case, lines in OVERSIZE.items():
        _refused_in_the_end(harness, case, lines)


def _refused_in_the_end(harness, case, lines):
    for n, line in enumerate(lines):
        before = harness.runner.run(harness.store.overrides(COMMUNITY))
        event = ModeratorCommand(event_id=f"fit-{next(_ids)}", community=COMMUNITY, at=T0 + timedelta(minutes=n),
                                 author=Member("mod"), channel=GENERAL, text=line, is_moderator=True)
        actions, _ = harness.handle(event)
        (reply,) = actions
        after = harness.runner.run(harness.store.overrides(COMMUNITY))
        if not reply.ok:
            assert "too long" in reply.text or "too many" in reply.text, reply.text
            assert after == before
    assert not reply.ok, case  # the last one no longer fits
    harness.runner.run(harness.engine.community_settings(COMMUNITY))
