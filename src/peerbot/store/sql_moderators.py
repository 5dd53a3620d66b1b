"""What moderators set and read, in the database: settings and their audit trail, and
insight (nudge outcomes, deliveries, message tallies, weekly digests and the aggregates
``stats`` reads: counts and categories, never message text).

A part of ``SqlStore`` (it inherits these), kept in a module of its own so each file reads
as one subject.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from collections import Counter
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any, Callable

from sqlalchemy import Integer, Table, and_, bindparam, func, insert, or_, select, union, update
from sqlalchemy.ext.asyncio import AsyncConnection

from peerbot.events import Community
from peerbot.store.faults import describe_error
from peerbot.store.protocol import AuditEntry, SettingTooLarge, Stats
from peerbot.store.schema import (
    aware,
    crisis_alerts,
    digest_claims,
    feedback,
    in_community,
    joins,
    message_tallies,
    nudges,
    prompt_claims,
    setting_audit,
    setting_overrides,
    setting_too_large,
)

log = logging.getLogger("peerbot.store")

#: Outcomes a later edit may still change (a deletion or a closed window is final).
_EDITS = ("edited", "edited_softened")


class ModeratorQueries:
    """The moderator-facing methods of ``SqlStore``; they use its connections and write-behind state."""

    TALLY_LINGER: float
    _tallies: Counter[tuple[str, str, datetime, str]]
    _replies: Counter[tuple[str, str, str]]
    _tally_task: asyncio.Task[None] | None
    _tallies_failing: bool
    _conn: Callable[..., AbstractAsyncContextManager[AsyncConnection]]
    _insert: Callable[[Table], Any]
    _insert_once: Callable[..., Any]
    unit: Callable[[], AbstractAsyncContextManager[Any]]
    lock_community: Callable[..., Any]

    async def record_edit(
        self, community: Community, message_id: str, at: datetime, *, softened: bool, window: timedelta
    ) -> bool:
        return await self._set_outcome(community, message_id, at, "edited_softened" if softened else "edited", window)

    async def record_deletion(self, community: Community, message_id: str, at: datetime, *, window: timedelta) -> bool:
        return await self._set_outcome(community, message_id, at, "deleted", window)

    async def _set_outcome(
        self, community: Community, message_id: str, at: datetime, outcome: str, window: timedelta
    ) -> bool:
        # One statement, matching nothing for the (many) messages that were never nudged. The
        # last edit inside the window wins; a deletion and a closed window are final.
        async with self._conn(write=True) as conn:
            result = await conn.execute(
                update(nudges)
                .where(in_community(nudges, community), nudges.c.message_id == message_id,
                       nudges.c.created_at >= at - window, nudges.c.created_at <= at,
                       or_(nudges.c.outcome.is_(None), nudges.c.outcome.in_(_EDITS)))
                .values(outcome=outcome, outcome_at=at)
            )
            return result.rowcount == 1

    async def settle_outcomes(self, community: Community, now: datetime, window: timedelta) -> int:
        async with self._conn(write=True) as conn:
            result = await conn.execute(
                update(nudges)
                .where(in_community(nudges, community), nudges.c.outcome.is_(None), nudges.c.created_at <= now - window)
                .values(outcome="unchanged", outcome_at=now)
            )
            return result.rowcount or 0

    async def record_delivery(
        self, community: Community, what: str, ref: str, via: str, message_id: str | None = None
    ) -> None:
        if what == "nudge":
            stmt = update(nudges).where(in_community(nudges, community), nudges.c.message_id == ref).values(delivery=via)
        elif what == "crisis":
            stmt = (update(crisis_alerts).where(in_community(crisis_alerts, community), crisis_alerts.c.message_id == ref)
                    .values(delivery=via))
        elif what == "prompt" and message_id:
            stmt = (update(prompt_claims).where(in_community(prompt_claims, community), prompt_claims.c.local_date == ref)
                    .values(message_id=message_id))
        else:
            return
        async with self._conn(write=True) as conn:
            await conn.execute(stmt)

    async def claim_digest(self, community: Community, week_end: str, at: datetime) -> bool:
        return await self._insert_once(
            digest_claims, platform=community.platform, community_id=community.id, week_end=week_end, claimed_at=at,
        ) is not None

    def count_message(self, community: Community, at: datetime, category: str) -> None:
        hour = at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        self._tallies[(community.platform, community.id, hour, category)] += 1
        self._schedule_tallies()

    def count_reply(self, community: Community, parent_id: str) -> None:
        self._replies[(community.platform, community.id, parent_id)] += 1
        self._schedule_tallies()

    def _schedule_tallies(self) -> None:
        if self._tally_task is None or self._tally_task.done():
            # A fresh context: the write must not join a unit the caller may be in.
            self._tally_task = asyncio.create_task(self._tally_later(), context=contextvars.Context())

    async def _tally_later(self) -> None:
        await asyncio.sleep(self.TALLY_LINGER)
        await self.flush_tallies()

    async def flush_tallies(self) -> None:
        """Write the counts gathered so far: one upsert per (hour, category) row and one
        update per replied-to message, in one transaction (the caller's unit, if any). On
        failure the counts are kept for the next flush."""
        tallies, self._tallies = self._tallies, Counter()
        replies, self._replies = self._replies, Counter()
        if not tallies and not replies:
            return
        try:
            async with self._conn(write=True, single=False) as conn:
                if tallies:
                    stmt = self._insert(message_tallies)
                    stmt = stmt.on_conflict_do_update(
                        index_elements=[message_tallies.c.platform, message_tallies.c.community_id,
                                        message_tallies.c.hour, message_tallies.c.category],
                        set_={"messages": message_tallies.c.messages + stmt.excluded.messages},
                    )
                    # Sorted: two processes lock the same rows in the same order (no deadlock).
                    await conn.execute(stmt, [
                        {"platform": p, "community_id": c, "hour": h, "category": k, "messages": n}
                        for (p, c, h, k), n in sorted(tallies.items())
                    ])
                if replies:
                    await conn.execute(
                        update(prompt_claims)
                        .where(prompt_claims.c.platform == bindparam("b_platform"),
                               prompt_claims.c.community_id == bindparam("b_community"),
                               prompt_claims.c.message_id == bindparam("b_parent"))
                        .values(replies=prompt_claims.c.replies + bindparam("b_replies", type_=Integer)),
                        [{"b_platform": p, "b_community": c, "b_parent": m, "b_replies": n}
                         for (p, c, m), n in sorted(replies.items())],
                    )
        except Exception as exc:
            self._tallies.update(tallies)
            self._replies.update(replies)
            if not self._tallies_failing:  # one line per outage, not one per second
                self._tallies_failing = True
                log.warning("writing message tallies failed (%s); kept for the next try", describe_error(exc))
        else:
            if self._tallies_failing:
                self._tallies_failing = False
                log.warning("writing message tallies works again")

    async def last_activity(self, community: Community) -> datetime | None:
        await self.flush_tallies()
        columns = [(message_tallies, message_tallies.c.hour), (nudges, nudges.c.created_at),
                   (joins, joins.c.joined_at), (crisis_alerts, crisis_alerts.c.created_at),
                   (prompt_claims, prompt_claims.c.claimed_at)]
        latest: list[datetime] = []
        async with self._conn() as conn:
            for table, column in columns:
                found = aware(await conn.scalar(select(func.max(column)).where(in_community(table, community))))
                if found is not None:
                    latest.append(found)
        return max(latest, default=None)

    async def communities(self) -> list[tuple[str, str]]:
        await self.flush_tallies()
        query = union(*(select(t.c.platform, t.c.community_id)
                        for t in (message_tallies, nudges, joins, crisis_alerts, prompt_claims)))
        async with self._conn() as conn:
            return sorted((row[0], row[1]) for row in await conn.execute(query))

    async def stats(
        self, community: Community, since: datetime, until: datetime | None = None,
        settled_before: datetime | None = None,
    ) -> Stats:
        await self.flush_tallies()  # this process's counts, so the figures include them

        def within(column: Any) -> Any:
            return column >= since if until is None else and_(column >= since, column < until)

        async with self._conn() as conn:
            sent = (await conn.execute(
                select(nudges.c.category, nudges.c.member_id, nudges.c.outcome, nudges.c.delivery,
                       nudges.c.created_at)
                .where(in_community(nudges, community), within(nudges.c.created_at))
            )).all()
            crisis = (await conn.execute(
                select(crisis_alerts.c.delivery, func.count().label("n"))
                .where(in_community(crisis_alerts, community), within(crisis_alerts.c.created_at))
                .group_by(crisis_alerts.c.delivery)
            )).all()
            prompts = (await conn.execute(
                select(func.count(), func.coalesce(func.sum(prompt_claims.c.replies), 0))
                .where(in_community(prompt_claims, community), within(prompt_claims.c.claimed_at))
            )).one()
            welcomed = await conn.scalar(
                select(func.count()).select_from(joins).where(in_community(joins, community), within(joins.c.joined_at))
            )
            verdicts = {
                row.verdict: row.n
                for row in await conn.execute(
                    select(feedback.c.verdict, func.count().label("n"))
                    .where(in_community(feedback, community), within(feedback.c.created_at))
                    .group_by(feedback.c.verdict)
                )
            }
            verdict_nudges = {
                row.verdict: row.n
                for row in await conn.execute(
                    select(feedback.c.verdict, func.count(func.distinct(feedback.c.nudge_id)).label("n"))
                    .join(nudges, nudges.c.id == feedback.c.nudge_id)
                    .where(in_community(nudges, community), within(nudges.c.created_at))
                    .group_by(feedback.c.verdict)
                )
            }
            seen = {
                row.category: int(row.n)
                for row in await conn.execute(
                    select(message_tallies.c.category, func.sum(message_tallies.c.messages).label("n"))
                    .where(in_community(message_tallies, community), within(message_tallies.c.hour))
                    .group_by(message_tallies.c.category)
                )
            }
        outcomes: Counter[str] = Counter()
        for row in sent:
            settled = settled_before is None or aware(row.created_at) <= settled_before
            outcomes[row.outcome or ("unchanged" if settled else "watching")] += 1
        return Stats(
            since=since, until=until,
            nudges_by_category=dict(Counter(row.category for row in sent)),
            members_nudged=len({row.member_id for row in sent}),
            crisis_alerts=sum(row.n for row in crisis), prompts_posted=prompts[0], prompt_replies=int(prompts[1]),
            members_welcomed=welcomed or 0, feedback=verdicts, feedback_nudges=verdict_nudges,
            messages_by_category=seen, outcomes=dict(outcomes),
            nudge_delivery=dict(Counter(row.delivery for row in sent if row.delivery)),
            crisis_delivery={row.delivery: row.n for row in crisis if row.delivery},
        )

    # -- settings ---------------------------------------------------------------------------

    async def overrides(self, community: Community) -> dict[str, Any]:
        async with self._conn() as conn:
            rows = await conn.execute(
                select(setting_overrides.c.key, setting_overrides.c.value_json).where(in_community(setting_overrides, community))
            )
            return {row.key: json.loads(row.value_json) for row in rows}

    async def set_override(
        self, community: Community, key: str, value: Any, *, actor_id: str, at: datetime
    ) -> None:
        problem = setting_too_large(key, value)
        if problem is not None:  # PostgreSQL would refuse it mid-transaction; SQLite would keep it
            raise SettingTooLarge(problem)
        new_json = None if value is None else json.dumps(value, sort_keys=True)
        async with self.unit(), self._conn(write=True) as conn:
            # Two moderators changing settings at once are applied, and audited, one after the other.
            await self.lock_community(community, "settings")
            where = and_(in_community(setting_overrides, community), setting_overrides.c.key == key)
            old_json = await conn.scalar(select(setting_overrides.c.value_json).where(where))
            if old_json is not None:
                await conn.execute(setting_overrides.delete().where(where))
            if new_json is not None:
                await conn.execute(
                    insert(setting_overrides).values(
                        platform=community.platform, community_id=community.id, key=key,
                        value_json=new_json, updated_at=at, updated_by=actor_id,
                    )
                )
            await conn.execute(
                insert(setting_audit).values(
                    platform=community.platform, community_id=community.id, key=key,
                    old_value_json=old_json, new_value_json=new_json, actor_id=actor_id, changed_at=at,
                )
            )

    async def audit_trail(self, community: Community, limit: int = 20) -> list[AuditEntry]:
        async with self._conn() as conn:
            rows = await conn.execute(
                select(setting_audit).where(in_community(setting_audit, community)).order_by(setting_audit.c.id.desc()).limit(limit)
            )
            return [
                AuditEntry(
                    key=row.key,
                    old_value=None if row.old_value_json is None else json.loads(row.old_value_json),
                    new_value=None if row.new_value_json is None else json.loads(row.new_value_json),
                    actor_id=row.actor_id,
                    changed_at=row.changed_at,
                )
                for row in rows
            ]
