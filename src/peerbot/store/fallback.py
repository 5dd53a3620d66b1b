"""What ``ResilientStore`` serves from while its database is away: a ``MemoryStore`` that
keeps a journal of what it did, and refuses what must wait for the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from peerbot.events import Community
from peerbot.store.memory import MemoryStore
from peerbot.store.protocol import (
    CrisisAlert,
    JoinRecord,
    NewNudge,
    NudgeRecord,
    Stats,
    StoreUnavailable,
)

#: Offline nudge ids are not digits, so the database never mistakes them for its own.
OFFLINE_PREFIX = "offline-"
#: At most this many facts learned from the database (members seen, messages nudged or
#: alerted, cooldowns) are kept for an outage; the oldest are forgotten first.
LEARNED_LIMIT = 50_000

UNAVAILABLE = "the database is unavailable right now; please try again in a few minutes"


@dataclass
class Entry:
    """One thing done while the database was away, to be written when it is back."""

    kind: str  # event | join | nudge | crisis | feedback
    community: Community
    data: dict[str, Any] = field(default_factory=dict)


class Fallback(MemoryStore):
    """The store's promises kept by this process alone, each write journaled through
    ``journal`` (when the unit it is part of completes). Daily prompts, digests and
    moderators' changes wait for the database (``StoreUnavailable``); settings are read from
    the last copy seen; a few write-behinds of moderator insight are skipped and counted."""

    def __init__(self, journal: Callable[[Entry], None], skip: Callable[[str], None],
                 overrides: Callable[[Community], dict[str, Any]]) -> None:
        super().__init__(nudge_prefix=OFFLINE_PREFIX, join_step=-1)
        self._journal, self._skip, self._last_overrides = journal, skip, overrides

    def _write(self, entry: Entry) -> None:
        self.after_commit(lambda: self._journal(entry))

    # -- what the database decided while it was up -----------------------------------------

    def learn(self, table: dict[Any, Any], key: Any, value: Any = None) -> None:
        if key not in table and len(table) >= LEARNED_LIMIT:
            table.pop(next(iter(table)))
        table[key] = value

    # -- journaled ------------------------------------------------------------------------------

    async def claim_event(self, community: Community, event_id: str, at: datetime) -> bool:
        first = await super().claim_event(community, event_id, at)
        if first:
            self._write(Entry("event", community, {"event_id": event_id, "at": at}))
        return first

    def record_event(self, community: Community, event_id: str, at: datetime) -> None:
        if (community.key, event_id) not in self.events:
            super().record_event(community, event_id, at)
            self._journal(Entry("event", community, {"event_id": event_id, "at": at}))

    async def prune_events(self, before: datetime) -> int:
        return 0  # the journal still has to write them

    async def record_join(self, community: Community, member_id: str, at: datetime) -> JoinRecord:
        join = await super().record_join(community, member_id, at)
        self._write(Entry("join", community, {"join_id": join.id}))
        return join

    async def record_nudge(self, community: Community, nudge: NewNudge, *,
                           cooldown: timedelta | None = None) -> str | None:
        nudge_id = await super().record_nudge(community, nudge, cooldown=cooldown)
        if nudge_id is not None:
            self._write(Entry("nudge", community, {"offline_id": nudge_id, "nudge": nudge}))
        return nudge_id

    async def claim_crisis_alert(self, community: Community, alert: CrisisAlert) -> bool:
        first = await super().claim_crisis_alert(community, alert)
        if first:
            self._write(Entry("crisis", community, {"alert": alert}))
        return first

    async def record_feedback(self, community: Community, nudge_id: str, member_id: str, verdict: str,
                              at: datetime) -> None:
        await super().record_feedback(community, nudge_id, member_id, verdict, at)
        self._write(Entry("feedback", community, {"nudge_id": nudge_id, "member_id": member_id,
                                                  "verdict": verdict, "at": at}))

    def join(self, join_id: int) -> JoinRecord | None:
        found = self.joins.get(join_id)
        return None if found is None else found[1]

    def nudge(self, nudge_id: str) -> NudgeRecord | None:
        found = self.nudges.get(nudge_id)
        return None if found is None else found.record

    # -- waits for the database ----------------------------------------------------------------

    async def used_prompts(self, community: Community) -> list[tuple[str, int]]:
        return []

    async def claim_prompt(self, community: Community, local_date: str, prompt_id: str, cycle: int,
                           at: datetime) -> bool:
        # Raised, not False: the event's claim is undone with the unit, so the prompt is still
        # due at the next tick (posted when the database is back, if still on time). A prompt
        # claimed in memory could be posted twice (by another process, or after a restart).
        raise StoreUnavailable(f"the daily prompt for {community.key} on {local_date} waits for the database")

    async def claim_digest(self, community: Community, week_end: str, at: datetime) -> bool:
        raise StoreUnavailable(f"the weekly digest for {community.key} ({week_end}) waits for the database")

    async def overrides(self, community: Community) -> dict[str, Any]:
        return self._last_overrides(community)

    async def set_override(self, community: Community, key: str, value: Any, *, actor_id: str,
                           at: datetime) -> None:
        raise StoreUnavailable("the database is unavailable right now, so nothing was changed; please try again "
                               "in a few minutes")

    async def audit_trail(self, community: Community, limit: int = 20) -> Any:
        raise StoreUnavailable(UNAVAILABLE)

    async def stats(self, community: Community, since: datetime, until: datetime | None = None,
                    settled_before: datetime | None = None) -> Stats:
        raise StoreUnavailable(UNAVAILABLE)

    async def last_activity(self, community: Community) -> datetime | None:
        raise StoreUnavailable(UNAVAILABLE)

    async def communities(self) -> list[tuple[str, str]]:
        raise StoreUnavailable(UNAVAILABLE)

    # -- moderator insight that is not kept through an outage -----------------------------------

    async def record_edit(self, community: Community, message_id: str, at: datetime, *, softened: bool,
                          window: timedelta) -> bool:
        self._skip("record_edit")
        return False

    async def record_deletion(self, community: Community, message_id: str, at: datetime, *,
                              window: timedelta) -> bool:
        self._skip("record_deletion")
        return False

    async def settle_outcomes(self, community: Community, now: datetime, window: timedelta) -> int:
        self._skip("settle_outcomes")
        return 0

    async def record_delivery(self, community: Community, what: str, ref: str, via: str,
                              message_id: str | None = None) -> None:
        self._skip("record_delivery")
