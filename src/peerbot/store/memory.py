"""``MemoryStore``: the whole ``Store`` protocol in this process's memory.

It keeps the same promises as the database within one process (an event id, a prompt per
local date, a crisis alert or a nudge per message, each member's cooldown), and a unit is
all or nothing: what a unit changed is undone if it raises. Units are not isolated from
each other (one event loop, no locks), and nothing survives the process.

Two uses: the outage fallback of ``ResilientStore`` (which journals what is done here), and
fast engine tests that do not need SQL.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from peerbot.events import Community
from peerbot.store.protocol import (
    AuditEntry,
    CrisisAlert,
    JoinRecord,
    NewNudge,
    NudgeClaim,
    NudgeRecord,
    SettingTooLarge,
    Stats,
)
from peerbot.store.schema import setting_too_large

T = TypeVar("T")
_EDITS = ("edited", "edited_softened")
Key = tuple[str, str]  # (community key, an id)


@dataclass
class _Nudge:
    community: Community
    record: NudgeRecord
    outcome: str | None = None
    delivery: str | None = None


@dataclass
class _Prompt:
    prompt_id: str
    cycle: int
    claimed_at: datetime
    message_id: str | None = None
    replies: int = 0


@dataclass
class _Unit:
    undo: list[Callable[[], None]]
    after: list[Callable[[], None]]


class MemoryStore:
    """``Store`` in memory (see the module's docstring). ``nudge_prefix`` and ``join_step``
    keep its ids apart from another store's (the fallback's nudges are "offline-1", ...,
    and its joins count down from -1)."""

    def __init__(self, *, nudge_prefix: str = "", join_step: int = 1) -> None:
        self.events: dict[Key, datetime] = {}
        self.members: dict[Key, datetime | None] = {}
        self.joins: dict[int, tuple[Community, JoinRecord]] = {}
        self.prompts: dict[Key, _Prompt] = {}
        self.nudges: dict[str, _Nudge] = {}
        self.nudged: dict[Key, str | None] = {}  # (community, message id) -> nudge id (None: known elsewhere)
        self.cooldowns: dict[Key, datetime] = {}  # (community, member) -> last nudge
        self.alerts: dict[Key, CrisisAlert | None] = {}
        self.alert_delivery: dict[Key, str] = {}
        self.digests: dict[Key, datetime] = {}
        self.feedback: list[tuple[Community, str, str, str, datetime]] = []
        self.settings: dict[str, dict[str, Any]] = {}
        self.audit: dict[str, list[AuditEntry]] = {}
        self.tallies: Counter[tuple[str, datetime, str]] = Counter()
        self.seen: dict[str, Community] = {}
        self._nudge_prefix = nudge_prefix
        self._join_ids = itertools.count(join_step, join_step)
        self._nudge_ids = itertools.count(1)
        self._unit: contextvars.ContextVar[_Unit | None] = contextvars.ContextVar(f"peerbot-memory-{id(self)}",
                                                                                 default=None)

    # -- units ------------------------------------------------------------------------------

    def _undo(self, undo: Callable[[], None]) -> None:
        unit = self._unit.get()
        if unit is not None:
            unit.undo.append(undo)

    def after_commit(self, action: Callable[[], None]) -> None:
        """``action()`` when the current unit completes (at once outside a unit)."""
        unit = self._unit.get()
        if unit is None:
            action()
        else:
            unit.after.append(action)

    def _set(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        missing = object()
        old = table.get(key, missing)
        table[key] = value
        self._undo(lambda: table.pop(key, None) if old is missing else table.__setitem__(key, old))

    @contextlib.asynccontextmanager
    async def unit(self) -> AsyncIterator[MemoryStore]:
        if self._unit.get() is not None:
            yield self
            return
        unit = _Unit([], [])
        token = self._unit.set(unit)
        try:
            yield self
        except BaseException:
            for undo in reversed(unit.undo):
                undo()
            raise
        finally:
            self._unit.reset(token)
        for action in unit.after:
            action()

    async def atomically(self, work: Callable[[], Awaitable[T]], *, attempts: int = 3) -> T:
        async with self.unit():
            return await work()

    async def lock_community(self, community: Community, purpose: str) -> None:
        return None  # one process: nobody else takes turns with it

    async def create_schema(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def _touch(self, community: Community) -> None:
        self.seen.setdefault(community.key, community)

    # -- events -----------------------------------------------------------------------------

    async def claim_event(self, community: Community, event_id: str, at: datetime) -> bool:
        if (community.key, event_id) in self.events:
            return False
        self._set(self.events, (community.key, event_id), at)
        return True

    def record_event(self, community: Community, event_id: str, at: datetime) -> None:
        self.events.setdefault((community.key, event_id), at)

    async def prune_events(self, before: datetime) -> int:
        old = [key for key, at in self.events.items() if at < before]
        for key in old:
            del self.events[key]
        return len(old)

    # -- welcomes ---------------------------------------------------------------------------

    async def record_join(self, community: Community, member_id: str, at: datetime) -> JoinRecord:
        self._touch(community)
        returning = (community.key, member_id) in self.members
        if not returning:
            self._set(self.members, (community.key, member_id), at)
        join = JoinRecord(id=next(self._join_ids), member_id=member_id, joined_at=at, returning=returning,
                          greeted_at=None)
        self._set(self.joins, join.id, (community, join))
        return join

    async def joins_since(self, community: Community, since: datetime) -> list[JoinRecord]:
        found = [j for c, j in self.joins.values() if c == community and j.joined_at >= since]
        return sorted(found, key=lambda j: abs(j.id))

    async def mark_greeted(self, community: Community, join_id: int, at: datetime) -> bool:
        found = self.joins.get(join_id)
        if found is None or found[0] != community or found[1].greeted_at is not None:
            return False
        self._set(self.joins, join_id, (community, replace(found[1], greeted_at=at)))
        return True

    # -- prompts ----------------------------------------------------------------------------

    async def used_prompts(self, community: Community) -> list[tuple[str, int]]:
        return [(p.prompt_id, p.cycle) for (c, _), p in self.prompts.items() if c == community.key]

    async def claim_prompt(self, community: Community, local_date: str, prompt_id: str, cycle: int,
                           at: datetime) -> bool:
        if (community.key, local_date) in self.prompts:
            return False
        self._touch(community)
        self._set(self.prompts, (community.key, local_date), _Prompt(prompt_id, cycle, at))
        return True

    # -- nudges -----------------------------------------------------------------------------

    async def record_nudge(self, community: Community, nudge: NewNudge, *,
                           cooldown: timedelta | None = None) -> str | None:
        if (community.key, nudge.message_id) in self.nudged:
            return None
        last = self.cooldowns.get((community.key, nudge.member_id))
        if cooldown is not None and last is not None and last > nudge.at - cooldown:
            return None
        self._touch(community)
        nudge_id = f"{self._nudge_prefix}{next(self._nudge_ids)}"
        record = NudgeRecord(id=nudge_id, channel_id=nudge.channel_id, member_id=nudge.member_id,
                             message_id=nudge.message_id, created_at=nudge.at, category=nudge.category,
                             score=nudge.score, threshold=nudge.threshold, cues=tuple(dict.fromkeys(nudge.cues)))
        self._set(self.nudges, nudge_id, _Nudge(community, record))
        self._set(self.nudged, (community.key, nudge.message_id), nudge_id)
        if cooldown is not None:  # the member's slot moves to this nudge (as the database's row does)
            self._set(self.cooldowns, (community.key, nudge.member_id), nudge.at)
        return nudge_id

    async def claim_nudge(self, community: Community, nudge: NewNudge, *, cooldown: timedelta,
                          since: datetime) -> NudgeClaim:
        nudge_id = await self.record_nudge(community, nudge, cooldown=cooldown)
        if nudge_id is None:
            return NudgeClaim(None)
        recent = await self.nudges_since(community, nudge.member_id, since)
        return NudgeClaim(nudge_id, tuple(n.category for n in recent))

    async def last_nudge_at(self, community: Community, member_id: str) -> datetime | None:
        times = [n.record.created_at for n in self.nudges.values()
                 if n.community == community and n.record.member_id == member_id]
        slot = self.cooldowns.get((community.key, member_id))
        return max([*times, *([slot] if slot is not None else [])], default=None)

    async def nudges_since(self, community: Community, member_id: str, since: datetime) -> list[NudgeRecord]:
        return [n.record for n in self.nudges.values()
                if n.community == community and n.record.member_id == member_id and n.record.created_at >= since]

    async def get_nudge(self, community: Community, nudge_id: str) -> NudgeRecord | None:
        found = self.nudges.get(nudge_id)
        return found.record if found is not None and found.community == community else None

    async def claim_crisis_alert(self, community: Community, alert: CrisisAlert) -> bool:
        if (community.key, alert.message_id) in self.alerts:
            return False
        self._touch(community)
        self._set(self.alerts, (community.key, alert.message_id), alert)
        return True

    async def record_feedback(self, community: Community, nudge_id: str, member_id: str, verdict: str,
                              at: datetime) -> None:
        click = (community, nudge_id, member_id, verdict, at)
        self.feedback.append(click)
        self._undo(lambda: self.feedback.remove(click))

    # -- settings ---------------------------------------------------------------------------

    async def overrides(self, community: Community) -> dict[str, Any]:
        return dict(self.settings.get(community.key, {}))

    async def set_override(self, community: Community, key: str, value: Any, *, actor_id: str,
                           at: datetime) -> None:
        problem = setting_too_large(key, value)
        if problem is not None:
            raise SettingTooLarge(problem)
        values = dict(self.settings.get(community.key, {}))
        old = values.pop(key, None)
        if value is not None:
            values[key] = json.loads(json.dumps(value))  # stored as JSON, as the database does
        self._set(self.settings, community.key, values)
        trail = [*self.audit.get(community.key, []), AuditEntry(key, old, value, actor_id, at)]
        self._set(self.audit, community.key, trail)

    async def audit_trail(self, community: Community, limit: int = 20) -> list[AuditEntry]:
        return list(reversed(self.audit.get(community.key, [])))[:limit]

    # -- moderator insight ------------------------------------------------------------------

    def count_message(self, community: Community, at: datetime, category: str) -> None:
        self._touch(community)
        self.tallies[(community.key, at.astimezone(UTC).replace(minute=0, second=0, microsecond=0), category)] += 1

    def count_reply(self, community: Community, parent_id: str) -> None:
        for (key, _), prompt in self.prompts.items():
            if key == community.key and prompt.message_id == parent_id:
                prompt.replies += 1

    async def record_edit(self, community: Community, message_id: str, at: datetime, *, softened: bool,
                          window: timedelta) -> bool:
        return self._outcome(community, message_id, at, "edited_softened" if softened else "edited", window)

    async def record_deletion(self, community: Community, message_id: str, at: datetime, *,
                              window: timedelta) -> bool:
        return self._outcome(community, message_id, at, "deleted", window)

    def _outcome(self, community: Community, message_id: str, at: datetime, outcome: str, window: timedelta) -> bool:
        nudge = self.nudges.get(self.nudged.get((community.key, message_id)) or "")
        if nudge is None or not at - window <= nudge.record.created_at <= at:
            return False
        if nudge.outcome is not None and nudge.outcome not in _EDITS:
            return False
        self._set(self.nudges, nudge.record.id, replace(nudge, outcome=outcome))
        return True

    async def settle_outcomes(self, community: Community, now: datetime, window: timedelta) -> int:
        due = [n for n in self.nudges.values()
               if n.community == community and n.outcome is None and n.record.created_at <= now - window]
        for nudge in due:
            self._set(self.nudges, nudge.record.id, replace(nudge, outcome="unchanged"))
        return len(due)

    async def record_delivery(self, community: Community, what: str, ref: str, via: str,
                              message_id: str | None = None) -> None:
        if what == "nudge":
            nudge = self.nudges.get(self.nudged.get((community.key, ref)) or "")
            if nudge is not None:
                self._set(self.nudges, nudge.record.id, replace(nudge, delivery=via))
        elif what == "crisis" and (community.key, ref) in self.alerts:
            self._set(self.alert_delivery, (community.key, ref), via)
        elif what == "prompt" and message_id and (community.key, ref) in self.prompts:
            self.prompts[(community.key, ref)].message_id = message_id

    async def claim_digest(self, community: Community, week_end: str, at: datetime) -> bool:
        if (community.key, week_end) in self.digests:
            return False
        self._set(self.digests, (community.key, week_end), at)
        return True

    async def last_activity(self, community: Community) -> datetime | None:
        key = community.key
        times = [hour for (c, hour, _) in self.tallies if c == key]
        times += [n.record.created_at for n in self.nudges.values() if n.community == community]
        times += [j.joined_at for c, j in self.joins.values() if c == community]
        times += [a.at for (c, _), a in self.alerts.items() if c == key and a is not None]
        times += [p.claimed_at for (c, _), p in self.prompts.items() if c == key]
        return max(times, default=None)

    async def communities(self) -> list[tuple[str, str]]:
        return sorted((c.platform, c.id) for c in self.seen.values())

    async def stats(self, community: Community, since: datetime, until: datetime | None = None,
                    settled_before: datetime | None = None) -> Stats:
        def within(at: datetime) -> bool:
            return at >= since and (until is None or at < until)

        key = community.key
        sent = [n for n in self.nudges.values() if n.community == community and within(n.record.created_at)]
        alerts = [(k, a) for k, a in self.alerts.items() if k[0] == key and a is not None and within(a.at)]
        prompts = [p for (c, _), p in self.prompts.items() if c == key and within(p.claimed_at)]
        clicks = [(nudge_id, verdict) for c, nudge_id, _, verdict, at in self.feedback if c == community and within(at)]
        sent_ids = {n.record.id for n in sent}
        outcomes: Counter[str] = Counter()
        for n in sent:
            settled = settled_before is None or n.record.created_at <= settled_before
            outcomes[n.outcome or ("unchanged" if settled else "watching")] += 1
        seen: Counter[str] = Counter()
        for (tallied, hour, category), count in self.tallies.items():
            if tallied == key and within(hour):
                seen[category] += count
        by_verdict: dict[str, set[str]] = {}
        for c, nudge_id, _, verdict, _ in self.feedback:
            if c == community and nudge_id in sent_ids:
                by_verdict.setdefault(verdict, set()).add(nudge_id)
        return Stats(
            since=since, until=until,
            nudges_by_category=dict(Counter(n.record.category for n in sent)),
            members_nudged=len({n.record.member_id for n in sent}),
            crisis_alerts=len(alerts), prompts_posted=len(prompts), prompt_replies=sum(p.replies for p in prompts),
            members_welcomed=len([j for c, j in self.joins.values() if c == community and within(j.joined_at)]),
            feedback=dict(Counter(verdict for _, verdict in clicks)),
            feedback_nudges={verdict: len(ids) for verdict, ids in by_verdict.items()},
            messages_by_category=dict(seen), outcomes=dict(outcomes),
            nudge_delivery=dict(Counter(n.delivery for n in sent if n.delivery)),
            crisis_delivery=dict(Counter(self.alert_delivery[k] for k, _ in alerts if k in self.alert_delivery)),
        )
