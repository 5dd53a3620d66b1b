"""The ``Store`` protocol and the plain records it returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from peerbot.events import Community

T = TypeVar("T")


class StoreUnavailable(Exception):
    """The database cannot be reached (or will not write) and this operation cannot wait for it;
    ``str()`` says so to a moderator."""


class ReadOnly(StoreUnavailable):
    """The database answers but will not take writes (a standby after a failover)."""


class DatabaseUnavailable(Exception):
    """The database cannot be reached or refused us (the message never holds a password)."""


class SchemaError(Exception):
    """The database schema does not match this peerbot: behind (in ``check`` mode) or ahead."""


class SettingTooLarge(ValueError):
    """A moderator's setting does not fit the store; ``str()`` says why, for the moderator."""


@dataclass(frozen=True, slots=True)
class JoinRecord:
    id: int
    member_id: str
    joined_at: datetime
    returning: bool
    greeted_at: datetime | None


@dataclass(frozen=True, slots=True)
class NudgeRecord:
    id: str
    channel_id: str
    member_id: str
    message_id: str
    created_at: datetime
    category: str
    score: float
    threshold: float
    cues: tuple[str, ...]  # cue names only, never the words that triggered them


@dataclass(frozen=True, slots=True)
class NewNudge:
    """A nudge to record: the member's message it answers and what the analyzer found
    (category, score, the threshold it crossed, cue names), never the words."""

    channel_id: str
    member_id: str
    message_id: str
    at: datetime
    category: str
    score: float
    threshold: float
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CrisisAlert:
    """Crisis support given for a member's message (in a channel, or a DM to peerbot)."""

    channel_id: str
    member_id: str
    message_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class NudgeClaim:
    """The outcome of ``claim_nudge``."""

    nudge_id: str | None  # None: not sent (the message was already nudged, or the cooldown runs)
    recent: tuple[str, ...] = ()  # categories of the member's nudges in the window, this one included


@dataclass(frozen=True, slots=True)
class AuditEntry:
    key: str
    old_value: Any
    new_value: Any
    actor_id: str
    changed_at: datetime


#: What became of a nudged message within the watch window. "watching" is not stored: it is
#: a nudge whose window has not closed yet.
OUTCOMES: tuple[str, ...] = ("edited_softened", "edited", "deleted", "unchanged")
#: How a private nudge or crisis resources reached the member (reported by the adapter).
DELIVERIES: tuple[str, ...] = ("dm", "thread", "ephemeral", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class Stats:
    """Aggregates for one community and period ``[since, until)``; never a list of members.

    Nudges, their outcomes, deliveries and feedback count the nudges *sent* in the period;
    prompts and their replies count the prompts posted in it."""

    since: datetime
    nudges_by_category: dict[str, int] = field(default_factory=dict)
    members_nudged: int = 0
    crisis_alerts: int = 0
    prompts_posted: int = 0
    members_welcomed: int = 0
    feedback: dict[str, int] = field(default_factory=dict)  # verdict -> button presses in the period
    until: datetime | None = None
    messages_by_category: dict[str, int] = field(default_factory=dict)  # messages seen, by tone category
    outcomes: dict[str, int] = field(default_factory=dict)  # OUTCOMES and "watching" -> nudges
    nudge_delivery: dict[str, int] = field(default_factory=dict)  # DELIVERIES -> nudges
    crisis_delivery: dict[str, int] = field(default_factory=dict)  # DELIVERIES -> crisis messages
    feedback_nudges: dict[str, int] = field(default_factory=dict)  # verdict -> nudges that got it
    prompt_replies: int = 0

    @property
    def messages_seen(self) -> int:
        return sum(self.messages_by_category.values())

    @property
    def nudges(self) -> int:
        return sum(self.nudges_by_category.values())


class Store(Protocol):
    async def create_schema(self) -> None:
        """Bring the schema up to date (migrations)."""
        ...

    async def close(self) -> None: ...

    def unit(self) -> AbstractAsyncContextManager[Any]:
        """Every call inside the block (in this task) is one transaction: all or nothing."""
        ...

    async def atomically(self, work: Callable[[], Awaitable[T]], *, attempts: int = 3) -> T:
        """``work()`` in a unit, run again from scratch if the database aborted it (deadlock)."""
        ...

    async def lock_community(self, community: Community, purpose: str) -> None:
        """Inside a unit: one process at a time does ``purpose`` for this community."""
        ...

    async def claim_event(self, community: Community, event_id: str, at: datetime) -> bool:
        """True the first time an event id is seen for a community, False on redelivery.
        Inside a unit the claim commits (or not) with the rest of the unit."""
        ...

    def record_event(self, community: Community, event_id: str, at: datetime) -> None:
        """Claim an event id in the background (the caller's outcome does not depend on it)."""
        ...

    async def prune_events(self, before: datetime) -> int:
        """Forget event ids handled before ``before``; returns how many."""
        ...

    async def record_join(self, community: Community, member_id: str, at: datetime) -> JoinRecord:
        """Record a join; ``returning`` is True when the member was seen before."""
        ...

    async def joins_since(self, community: Community, since: datetime) -> list[JoinRecord]: ...

    async def mark_greeted(self, community: Community, join_id: int, at: datetime) -> bool:
        """Claim a join for greeting; False when another process already greeted it."""
        ...

    async def used_prompts(self, community: Community) -> list[tuple[str, int]]:
        """(prompt id, rotation round) for every prompt posted so far."""
        ...

    async def claim_prompt(
        self, community: Community, local_date: str, prompt_id: str, cycle: int, at: datetime
    ) -> bool:
        """Claim the community's prompt for a local date; False if already claimed."""
        ...

    async def record_nudge(
        self, community: Community, nudge: NewNudge, *, cooldown: timedelta | None = None
    ) -> str | None:
        """Record a nudge and return its id; None when the message was already nudged or,
        with ``cooldown``, when the member was nudged less than ``cooldown`` before
        ``nudge.at`` (shared by every process: the member's cooldown row is taken atomically)."""
        ...

    async def claim_nudge(
        self, community: Community, nudge: NewNudge, *, cooldown: timedelta, since: datetime
    ) -> NudgeClaim:
        """``record_nudge`` with ``cooldown``, atomically, plus the categories of the member's
        nudges since ``since`` (this one included)."""
        ...

    async def last_nudge_at(self, community: Community, member_id: str) -> datetime | None: ...

    async def nudges_since(self, community: Community, member_id: str, since: datetime) -> list[NudgeRecord]: ...

    async def get_nudge(self, community: Community, nudge_id: str) -> NudgeRecord | None: ...

    async def claim_crisis_alert(self, community: Community, alert: CrisisAlert) -> bool:
        """Record a crisis alert for a message; False when it was already alerted."""
        ...

    async def record_feedback(
        self, community: Community, nudge_id: str, member_id: str, verdict: str, at: datetime
    ) -> None: ...

    async def overrides(self, community: Community) -> dict[str, Any]:
        """Moderator-set settings as dotted keys ("nudges.threshold") to JSON values."""
        ...

    async def set_override(
        self, community: Community, key: str, value: Any, *, actor_id: str, at: datetime
    ) -> None:
        """Set (or, with ``value=None``, clear) an override and append to the audit trail."""
        ...

    async def audit_trail(self, community: Community, limit: int = 20) -> list[AuditEntry]: ...

    async def stats(
        self, community: Community, since: datetime, until: datetime | None = None,
        settled_before: datetime | None = None,
    ) -> Stats:
        """Aggregates for ``[since, until)``. A nudge with no outcome yet counts as
        "unchanged" when it was sent at or before ``settled_before`` (its window has
        closed), else as "watching"."""
        ...

    # -- moderator insight (aggregates and outcomes only) -----------------------------------

    def count_message(self, community: Community, at: datetime, category: str) -> None:
        """Count a message seen, by hour and tone category (written behind, batched)."""
        ...

    def count_reply(self, community: Community, parent_id: str) -> None:
        """Count a reply to the message ``parent_id``; it counts when that was a prompt
        (written behind, batched)."""
        ...

    async def record_edit(
        self, community: Community, message_id: str, at: datetime, *, softened: bool, window: timedelta
    ) -> bool:
        """A nudged message was edited at ``at``: its outcome becomes "edited_softened" or
        "edited" if the nudge is at most ``window`` old and not deleted or settled. True when
        a nudge was updated."""
        ...

    async def record_deletion(self, community: Community, message_id: str, at: datetime, *, window: timedelta) -> bool:
        """A nudged message was deleted: outcome "deleted", within the window. True when a
        nudge was updated."""
        ...

    async def settle_outcomes(self, community: Community, now: datetime, window: timedelta) -> int:
        """Nudges whose window closed with no edit or deletion become "unchanged"."""
        ...

    async def record_delivery(
        self, community: Community, what: str, ref: str, via: str, message_id: str | None = None
    ) -> None:
        """How an action reached the platform: a nudge or crisis support (``ref`` = the
        member's message id) and ``via``, or a prompt (``ref`` = its local date) and the
        posted ``message_id``."""
        ...

    async def claim_digest(self, community: Community, week_end: str, at: datetime) -> bool:
        """Claim the weekly digest for the week ending ``week_end``; False if already claimed."""
        ...

    async def last_activity(self, community: Community) -> datetime | None:
        """When anything was last recorded for the community (messages seen, joins, nudges...)."""
        ...

    async def communities(self) -> list[tuple[str, str]]:
        """Every (platform, community id) with something recorded."""
        ...
