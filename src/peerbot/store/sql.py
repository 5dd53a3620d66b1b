"""SQLAlchemy 2 (asyncio) implementation of ``Store``: SQLite by default, PostgreSQL too.

Every "exactly once" promise is enforced by the database, never by an in-process lock, so
any number of processes may share one database:

- claims (an event id, a prompt per local date, a crisis alert or a nudge per message, a
  member's first join) are ``INSERT ... ON CONFLICT DO NOTHING RETURNING``: a row back
  means "mine", no row means "someone else got there first";
- the per-member nudge cooldown is one row per member, taken with a conditional upsert
  (``ON CONFLICT DO UPDATE ... WHERE last_nudge_at <= now - cooldown``), which PostgreSQL
  evaluates under the row lock, so two processes can never both nudge inside the window;
- decisions that read several rows first (combining a burst of joins into one welcome) take
  a transaction-scoped lock for the community: ``pg_advisory_xact_lock`` on PostgreSQL; on
  SQLite every write transaction starts with ``BEGIN IMMEDIATE``, which already serialises
  writers across processes.

``unit()`` runs several calls in one transaction on one connection: the engine claims an
event and records what it decided together, so a crash half-way leaves the event unclaimed
and its redelivery is handled from scratch. Calls outside a unit are their own short
transactions, and concurrent ``claim_event`` calls outside a unit are batched into one
multi-row INSERT (one round trip and one commit for many events).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from peerbot.events import Community
from peerbot.store.faults import describe_error, is_outage
from peerbot.store.sql_moderators import ModeratorQueries
from peerbot.store.protocol import (
    CrisisAlert,
    DatabaseUnavailable,
    JoinRecord,
    NewNudge,
    NudgeClaim,
    NudgeRecord,
    SettingTooLarge,
)
from peerbot.store.connect import create_engine
from peerbot.store.schema import (
    UtcDateTime,
    aware,
    in_community,
    crisis_alerts,
    cue_names,
    feedback,
    joins,
    members,
    metadata,
    nudge_cooldowns,
    nudges,
    processed_events,
    prompt_claims,
    setting_too_large,
)

# Re-exported: where these were defined before the schema and the errors had modules of their own.
__all__ = ["DatabaseUnavailable", "SettingTooLarge", "SqlStore", "create_engine", "describe_error", "is_outage",
           "metadata", "open_store", "setting_too_large"]


log = logging.getLogger("peerbot.store")
T = TypeVar("T")


def _nudge_record(row: Any) -> NudgeRecord:
    return NudgeRecord(
        id=str(row.id), channel_id=row.channel_id, member_id=row.member_id, message_id=row.message_id,
        created_at=row.created_at, category=row.category, score=row.score, threshold=row.threshold,
        cues=tuple(name for name in row.cue_names.split(",") if name),
    )


def _join_record(row: Any) -> JoinRecord:
    return JoinRecord(
        id=row.id, member_id=row.member_id, joined_at=row.joined_at,
        returning=bool(row.is_returning), greeted_at=row.greeted_at,
    )


# The nudge claim in one PostgreSQL statement (see SqlStore.claim_nudge). The member's
# cooldown row is taken first, under its row lock, and only when the last nudge is old enough
# and this message was not nudged yet; the nudge row goes in only if the slot was taken; the
# final SELECT sees the nudges from before this statement (so not this one).
_CLAIM_NUDGE_PG = text("""
WITH slot AS (
    INSERT INTO nudge_cooldowns AS c (platform, community_id, member_id, last_nudge_at)
    VALUES (:platform, :community_id, :member_id, :at)
    ON CONFLICT (platform, community_id, member_id) DO UPDATE SET last_nudge_at = EXCLUDED.last_nudge_at
    WHERE c.last_nudge_at <= :free_after
      AND NOT EXISTS (SELECT 1 FROM nudges AS n WHERE n.platform = :platform
                      AND n.community_id = :community_id AND n.message_id = :message_id)
    RETURNING 1
), nudge AS (
    INSERT INTO nudges (platform, community_id, channel_id, member_id, message_id, created_at, category, score,
                        threshold, cue_names)
    SELECT :platform, :community_id, :channel_id, :member_id, :message_id, :at, :category, :score, :threshold,
           :cue_names
    WHERE EXISTS (SELECT 1 FROM slot)
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT (SELECT id FROM nudge) AS nudge_id,
       ARRAY(SELECT category FROM nudges WHERE platform = :platform AND community_id = :community_id
             AND member_id = :member_id AND created_at >= :since ORDER BY id) AS recent
""").bindparams(
    bindparam("at", type_=UtcDateTime), bindparam("free_after", type_=UtcDateTime),
    bindparam("since", type_=UtcDateTime),
)

#: PostgreSQL SQLSTATEs after which a whole transaction may simply be run again.
_RETRYABLE = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def _retryable(exc: DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)
    return code in _RETRYABLE


class SqlStore(ModeratorQueries):
    """``Store`` over an ``AsyncEngine``. Each method is one short transaction, or part of
    the caller's ``unit()``."""

    #: Most event claims one batched INSERT carries.
    CLAIM_BATCH = 256
    #: How long ids recorded behind (nobody waits for them) gather before they are written:
    #: fewer, larger batches, so fewer round trips and commits under light load.
    RECORD_LINGER = 0.02
    #: How long message tallies and prompt reply counts gather before they are written.
    TALLY_LINGER = 1.0

    def __init__(self, engine: AsyncEngine, *, schema: str | None = None) -> None:
        self.engine = engine
        self.schema = schema
        self.dialect = engine.dialect.name
        if self.dialect not in ("postgresql", "sqlite"):
            raise ValueError(f"peerbot supports PostgreSQL and SQLite, not {self.dialect}")
        # The connection of the unit running in the current task, if any.
        self._unit: ContextVar[AsyncConnection | None] = ContextVar(f"peerbot-unit-{id(self)}", default=None)
        # PostgreSQL runs a single statement atomically on its own: no BEGIN/COMMIT round trips.
        self._single = engine.execution_options(isolation_level="AUTOCOMMIT") if self.dialect == "postgresql" else None
        self._pending: list[tuple[dict[str, Any], asyncio.Future[bool] | None]] = []
        self._flusher: asyncio.Task[None] | None = None
        # Counts written behind: (platform, community, hour, category) and (platform, community, parent id).
        self._tallies: Counter[tuple[str, str, datetime, str]] = Counter()
        self._replies: Counter[tuple[str, str, str]] = Counter()
        self._tally_task: asyncio.Task[None] | None = None
        self._tallies_failing = False
        self._claim_stmt = (
            self._insert(processed_events)
            .on_conflict_do_nothing()
            .returning(processed_events.c.platform, processed_events.c.community_id, processed_events.c.event_id)
        )

    # -- plumbing ---------------------------------------------------------------------------

    def _insert(self, table: Table) -> Any:
        return pg.insert(table) if self.dialect == "postgresql" else sqlite.insert(table)

    @contextlib.asynccontextmanager
    async def _conn(self, *, write: bool = False, single: bool = True) -> AsyncIterator[AsyncConnection]:
        """The current unit's connection, or a new short transaction. ``single``: the block
        runs one statement (or only reads), which PostgreSQL may run in autocommit mode."""
        current = self._unit.get()
        if current is not None:
            yield current
            return
        if single and self._single is not None:
            async with self._single.connect() as conn:
                yield conn
            return
        async with (self.engine.begin() if write else self.engine.connect()) as conn:
            yield conn

    @contextlib.asynccontextmanager
    async def unit(self) -> AsyncIterator[SqlStore]:
        """One transaction for every call made inside it (by this task); nested units join
        the outer one. Committed when the block ends, rolled back if it raises."""
        if self._unit.get() is not None:
            yield self
            return
        async with self.engine.begin() as conn:
            token = self._unit.set(conn)
            try:
                yield self
            finally:
                self._unit.reset(token)

    async def atomically(self, work: Callable[[], Awaitable[T]], *, attempts: int = 3) -> T:
        """Run ``work`` in a unit; run it again (from scratch) if PostgreSQL aborted the
        transaction for a deadlock or a serialization failure."""
        for attempt in range(1, attempts + 1):
            try:
                async with self.unit():
                    return await work()
            except DBAPIError as exc:
                if attempt == attempts or self._unit.get() is not None or not _retryable(exc):
                    raise
                log.info("transaction aborted by the database (%s); retrying", type(exc.orig).__name__)
        raise AssertionError("unreachable")

    async def lock_community(self, community: Community, purpose: str) -> None:
        """Serialise, until the end of the current unit, every process doing ``purpose`` for
        this community (PostgreSQL advisory lock; SQLite's write lock already does it)."""
        if self.dialect != "postgresql":
            return
        digest = hashlib.blake2b(f"{self.schema or ''}|{purpose}|{community.key}".encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        async with self._conn(write=True) as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    async def _insert_once(self, table: Table, **values: Any) -> Any:
        """Insert unless a unique constraint says the row exists; the new id, or None."""
        stmt = self._insert(table).values(**values).on_conflict_do_nothing().returning(table.c[self._pk(table)])
        async with self._conn(write=True) as conn:
            return (await conn.execute(stmt)).scalar()

    @staticmethod
    def _pk(table: Table) -> str:
        return next(iter(table.primary_key.columns)).name

    async def create_schema(self) -> None:
        """Bring the schema to the newest revision (Alembic migrations)."""
        from peerbot.store.migrate import upgrade

        await upgrade(self)

    async def drain(self) -> None:
        """Wait until every claim and count queued so far is written."""
        while self._flusher is not None and not self._flusher.done():
            await asyncio.wait([self._flusher])
        await self.flush_tallies()

    async def close(self) -> None:
        await self.drain()  # claims and counts written behind are not lost on a clean stop
        if self._tally_task is not None:
            self._tally_task.cancel()
        await self.engine.dispose()

    # -- events -----------------------------------------------------------------------------

    async def claim_event(self, community: Community, event_id: str, at: datetime) -> bool:
        row = {"platform": community.platform, "community_id": community.id, "event_id": event_id, "processed_at": at}
        if self._unit.get() is not None:
            async with self._conn(write=True) as conn:
                return (await conn.execute(self._claim_stmt, [row])).first() is not None
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._enqueue(row, future)
        return await future

    def record_event(self, community: Community, event_id: str, at: datetime) -> None:
        """Claim an event id without waiting: for an event whose outcome does not depend on
        the claim (one that leads to no action). Written in the next batch; ``close()``
        waits for it."""
        row = {"platform": community.platform, "community_id": community.id, "event_id": event_id, "processed_at": at}
        self._enqueue(row, None)

    def _enqueue(self, row: dict[str, Any], future: asyncio.Future[bool] | None) -> None:
        self._pending.append((row, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_claims())

    def _only_recorded(self) -> bool:
        return len(self._pending) < self.CLAIM_BATCH and all(future is None for _, future in self._pending)

    async def _flush_claims(self) -> None:
        # Group commit: claims that arrive while one batch is in flight go in the next one.
        # Ids recorded behind first linger a moment to gather company. On PostgreSQL the
        # flusher keeps its connection while batches keep coming (no pool round trip per
        # batch); SQLite's single connection goes back to the queue after each batch, so
        # units waiting for it are not starved.
        hold = self._single is not None
        failures = 0
        while self._pending:
            if self._only_recorded():
                await asyncio.sleep(self.RECORD_LINGER)
            try:
                async with (self._single or self.engine).connect() as conn:
                    while self._pending:
                        batch = self._pending[: self.CLAIM_BATCH]
                        del self._pending[: len(batch)]
                        try:
                            await self._claim_batch(conn, batch)
                        except BaseException as exc:
                            for _, future in batch:  # every waiter hears about it; none is left hanging
                                if future is not None and not future.done():
                                    future.set_exception(exc)
                            recorded = [(row, None) for row, future in batch if future is None]
                            if self.on_unwritten is None and isinstance(exc, Exception) and is_outage(exc):
                                self._pending[:0] = recorded  # the database is away: tried again later
                            else:
                                self._unwritten([row for row, _ in recorded])
                            raise
                        if not hold or self._only_recorded():
                            break
            except Exception as exc:  # the connection may be broken: the next batch gets a fresh one
                failures += 1
                self._writer_state(exc)
                if self.on_unwritten is not None:
                    # Someone keeps them (the resilient store, until the database is back): hand
                    # over what waits, instead of trying again and again meanwhile.
                    waiting, self._pending = self._pending, []
                    for _, future in waiting:
                        if future is not None and not future.done():
                            future.set_exception(exc)
                    self._unwritten([row for row, future in waiting if future is None])
                # Backing off (bounded): a database that is away is not asked 40 times a second.
                await asyncio.sleep(min(self.RETRY_MAX, self.RETRY_MIN * 2 ** (failures - 1)))
            else:
                failures = 0
                self._writer_state(None)

    #: First and longest pause between tries of the event-id writer while writes fail.
    RETRY_MIN = 0.1
    RETRY_MAX = 10.0
    _writer_failing = False

    def _writer_state(self, exc: BaseException | None) -> None:
        """One log line when writing behind starts failing, and one when it works again."""
        if exc is not None and not self._writer_failing:
            self._writer_failing = True
            log.warning("writing handled event ids failed (%s); trying again with a growing pause of up to %.0f s",
                        describe_error(exc), self.RETRY_MAX)
        elif exc is None and self._writer_failing:
            self._writer_failing = False
            log.warning("writing handled event ids works again")

    #: Called with the ids recorded behind that a failed batch could not write (the
    #: ResilientStore keeps them for when the database is back); unset, they are dropped and
    #: the log says how many.
    on_unwritten: Callable[[list[dict[str, Any]]], None] | None = None

    def _unwritten(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.on_unwritten is not None:
            self.on_unwritten(rows)
        else:
            log.warning("dropped %d handled event ids the database did not take (a redelivery of those events "
                        "would be analysed again)", len(rows))

    async def _claim_batch(
        self, conn: AsyncConnection, batch: list[tuple[dict[str, Any], asyncio.Future[bool] | None]]
    ) -> None:
        unique: dict[tuple[str, str, str], dict[str, Any]] = {}
        for row, _ in batch:
            unique.setdefault((row["platform"], row["community_id"], row["event_id"]), row)
        result = await conn.execute(self._claim_stmt, list(unique.values()))
        won = {tuple(r) for r in result}
        if self._single is None:
            await conn.commit()  # SQLite: each batch is one transaction
        for row, future in batch:
            key = (row["platform"], row["community_id"], row["event_id"])
            mine = key in won
            won.discard(key)  # a duplicate inside one batch: only the first wins
            if future is not None and not future.done():
                future.set_result(mine)

    async def prune_events(self, before: datetime) -> int:
        """Forget handled event ids older than ``before`` (platforms stop redelivering long
        before that); returns how many were removed."""
        async with self._conn(write=True) as conn:
            result = await conn.execute(delete(processed_events).where(processed_events.c.processed_at < before))
            return result.rowcount or 0

    # -- welcomes ---------------------------------------------------------------------------

    async def record_join(self, community: Community, member_id: str, at: datetime) -> JoinRecord:
        async with self._conn(write=True, single=False) as conn:
            first_time = (await conn.execute(
                self._insert(members).values(platform=community.platform, community_id=community.id,
                                             member_id=member_id, first_joined_at=at)
                .on_conflict_do_nothing().returning(members.c.id)
            )).first() is not None
            join_id = (await conn.execute(
                insert(joins).values(
                    platform=community.platform, community_id=community.id, member_id=member_id,
                    joined_at=at, is_returning=not first_time, greeted_at=None,
                ).returning(joins.c.id)
            )).scalar_one()
        return JoinRecord(id=join_id, member_id=member_id, joined_at=at, returning=not first_time, greeted_at=None)

    async def joins_since(self, community: Community, since: datetime) -> list[JoinRecord]:
        async with self._conn() as conn:
            rows = await conn.execute(
                select(joins).where(in_community(joins, community), joins.c.joined_at >= since).order_by(joins.c.id)
            )
            return [_join_record(row) for row in rows]

    async def mark_greeted(self, community: Community, join_id: int, at: datetime) -> bool:
        async with self._conn(write=True) as conn:
            result = await conn.execute(
                update(joins)
                .where(in_community(joins, community), joins.c.id == join_id, joins.c.greeted_at.is_(None))
                .values(greeted_at=at)
            )
            return result.rowcount == 1

    # -- prompts ----------------------------------------------------------------------------

    async def used_prompts(self, community: Community) -> list[tuple[str, int]]:
        async with self._conn() as conn:
            rows = await conn.execute(
                select(prompt_claims.c.prompt_id, prompt_claims.c.cycle)
                .where(in_community(prompt_claims, community))
                .order_by(prompt_claims.c.id)
            )
            return [(row.prompt_id, row.cycle) for row in rows]

    async def claim_prompt(
        self, community: Community, local_date: str, prompt_id: str, cycle: int, at: datetime
    ) -> bool:
        return await self._insert_once(
            prompt_claims, platform=community.platform, community_id=community.id,
            local_date=local_date, prompt_id=prompt_id, cycle=cycle, claimed_at=at,
        ) is not None

    # -- nudges -----------------------------------------------------------------------------

    async def record_nudge(
        self, community: Community, nudge: NewNudge, *, cooldown: timedelta | None = None
    ) -> str | None:
        async with self.unit(), self._conn(write=True) as conn:
            nudge_id = (await conn.execute(
                self._insert(nudges).values(
                    platform=community.platform, community_id=community.id, channel_id=nudge.channel_id,
                    member_id=nudge.member_id, message_id=nudge.message_id, created_at=nudge.at,
                    category=nudge.category, score=nudge.score, threshold=nudge.threshold,
                    cue_names=cue_names(nudge.cues),
                ).on_conflict_do_nothing().returning(nudges.c.id)
            )).scalar()
            if nudge_id is None:
                return None  # this message was already nudged
            if cooldown is not None and not await self._take_cooldown(
                    conn, community, nudge.member_id, nudge.at, cooldown):
                await conn.execute(delete(nudges).where(nudges.c.id == nudge_id))
                return None
            return str(nudge_id)

    async def claim_nudge(
        self, community: Community, nudge: NewNudge, *, cooldown: timedelta, since: datetime
    ) -> NudgeClaim:
        """``record_nudge`` with the member's cooldown, plus the categories of the member's
        nudges since ``since`` (this one included) for the repeat summary. On PostgreSQL all
        of it is one statement, atomic on its own: one round trip."""
        if self.dialect != "postgresql" or self._unit.get() is not None:
            async with self.unit():
                nudge_id = await self.record_nudge(community, nudge, cooldown=cooldown)
                if nudge_id is None:
                    return NudgeClaim(None)
                recent = await self.nudges_since(community, nudge.member_id, since)
                return NudgeClaim(nudge_id, tuple(n.category for n in recent))
        params = {
            "platform": community.platform, "community_id": community.id, "channel_id": nudge.channel_id,
            "member_id": nudge.member_id, "message_id": nudge.message_id, "at": nudge.at,
            "free_after": nudge.at - cooldown, "category": nudge.category, "score": nudge.score,
            "threshold": nudge.threshold, "cue_names": cue_names(nudge.cues), "since": since,
        }
        async with self._conn(write=True) as conn:
            row = (await conn.execute(_CLAIM_NUDGE_PG, params)).one()
        if row.nudge_id is None:
            return NudgeClaim(None)
        return NudgeClaim(str(row.nudge_id), (*row.recent, nudge.category))

    async def take_cooldown(self, community: Community, member_id: str, at: datetime, cooldown: timedelta) -> bool:
        """``_take_cooldown`` in the current unit (or a transaction of its own)."""
        async with self._conn(write=True) as conn:
            return await self._take_cooldown(conn, community, member_id, at, cooldown)

    async def _take_cooldown(
        self, conn: AsyncConnection, community: Community, member_id: str, at: datetime, cooldown: timedelta
    ) -> bool:
        """The member's nudge slot: True (and the slot moves to ``at``) when the last nudge
        is at least ``cooldown`` old. A concurrent taker waits for the row and re-checks."""
        stmt = self._insert(nudge_cooldowns).values(
            platform=community.platform, community_id=community.id, member_id=member_id, last_nudge_at=at,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[nudge_cooldowns.c.platform, nudge_cooldowns.c.community_id, nudge_cooldowns.c.member_id],
            set_={"last_nudge_at": stmt.excluded.last_nudge_at},
            where=nudge_cooldowns.c.last_nudge_at <= at - cooldown,
        ).returning(nudge_cooldowns.c.member_id)
        return (await conn.execute(stmt)).first() is not None

    async def last_nudge_at(self, community: Community, member_id: str) -> datetime | None:
        async with self._conn() as conn:
            value = await conn.scalar(
                select(func.max(nudges.c.created_at)).where(in_community(nudges, community), nudges.c.member_id == member_id)
            )
        return aware(value)

    async def nudges_since(self, community: Community, member_id: str, since: datetime) -> list[NudgeRecord]:
        async with self._conn() as conn:
            rows = await conn.execute(
                select(nudges)
                .where(in_community(nudges, community), nudges.c.member_id == member_id, nudges.c.created_at >= since)
                .order_by(nudges.c.id)
            )
            return [_nudge_record(row) for row in rows]

    async def get_nudge(self, community: Community, nudge_id: str) -> NudgeRecord | None:
        if not nudge_id.isdigit():
            return None
        async with self._conn() as conn:
            row = (await conn.execute(select(nudges).where(in_community(nudges, community), nudges.c.id == int(nudge_id)))).first()
        return None if row is None else _nudge_record(row)

    async def claim_crisis_alert(self, community: Community, alert: CrisisAlert) -> bool:
        return await self._insert_once(
            crisis_alerts, platform=community.platform, community_id=community.id, channel_id=alert.channel_id,
            member_id=alert.member_id, message_id=alert.message_id, created_at=alert.at,
        ) is not None

    async def record_feedback(
        self, community: Community, nudge_id: str, member_id: str, verdict: str, at: datetime
    ) -> None:
        async with self._conn(write=True) as conn:
            await conn.execute(
                insert(feedback).values(
                    platform=community.platform, community_id=community.id, nudge_id=int(nudge_id),
                    member_id=member_id, verdict=verdict, created_at=at,
                )
            )


async def open_store(
    url: str, *, create: bool = True, migrate: str | None = None, schema: str | None = None, pool_size: int = 10
) -> SqlStore:
    """Connect to ``url`` (e.g. ``sqlite+aiosqlite:///./peerbot.db``) and check the schema.

    ``migrate="auto"`` (the default when ``create``) upgrades the schema to the newest
    revision under a database lock, so several processes starting at once migrate once;
    ``"check"`` refuses with ``SchemaBehind`` when it is not current; ``"off"`` does nothing.
    """
    from peerbot.store.migrate import check, upgrade

    mode = migrate or ("auto" if create else "off")
    if mode not in ("auto", "check", "off"):
        raise ValueError(f"unknown migrate mode {mode!r}")
    store = SqlStore(create_engine(url, schema=schema, pool_size=pool_size), schema=schema)
    try:
        if mode == "auto":
            await upgrade(store)
        elif mode == "check":
            await check(store)
    except BaseException:
        await store.close()
        raise
    return store



