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
import json
import contextvars
import logging
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from peerbot.events import Community
from peerbot.store.protocol import AuditEntry, JoinRecord, NudgeClaim, NudgeRecord, Stats

#: Outcomes a later edit may still change (a deletion or a closed window is final).
_EDITS = ("edited", "edited_softened")

log = logging.getLogger("peerbot.store")
T = TypeVar("T")


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite has no time zones), returned aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# The tables. The migrations in peerbot/store/migrations create exactly this (a test compares
# them); change both together: add a revision, never edit a released one.
metadata = MetaData()


def _scope() -> list[Column[Any]]:
    return [Column("platform", String(16), nullable=False), Column("community_id", String(64), nullable=False)]


processed_events = Table(
    "processed_events", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("event_id", String(200), nullable=False),
    Column("processed_at", UtcDateTime, nullable=False, index=True),
    UniqueConstraint("platform", "community_id", "event_id", name="uq_processed_event"),
)

members = Table(
    "members", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("member_id", String(64), nullable=False),
    Column("first_joined_at", UtcDateTime, nullable=False),
    UniqueConstraint("platform", "community_id", "member_id", name="uq_member"),
)

joins = Table(
    "joins", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("member_id", String(64), nullable=False),
    Column("joined_at", UtcDateTime, nullable=False, index=True),
    Column("is_returning", Boolean, nullable=False),
    Column("greeted_at", UtcDateTime, nullable=True),
)

prompt_claims = Table(
    "prompt_claims", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("local_date", String(10), nullable=False),
    Column("prompt_id", String(64), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("claimed_at", UtcDateTime, nullable=False),
    # The posted prompt's platform message id (reported by the adapter) and the replies to it.
    Column("message_id", String(200), nullable=True),
    Column("replies", Integer, nullable=False, server_default="0"),
    UniqueConstraint("platform", "community_id", "local_date", name="uq_prompt_per_local_date"),
    Index("ix_prompt_claims_message", "platform", "community_id", "message_id"),
)

nudges = Table(
    "nudges", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("channel_id", String(64), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("category", String(32), nullable=False),
    Column("score", Float, nullable=False),
    Column("threshold", Float, nullable=False),
    Column("cue_names", String(1000), nullable=False),
    # What became of the nudged message within the watch window (see OUTCOMES), and how the
    # nudge reached the member (see DELIVERIES); never what the message said.
    Column("outcome", String(16), nullable=True),
    Column("outcome_at", UtcDateTime, nullable=True),
    Column("delivery", String(16), nullable=True),
    UniqueConstraint("platform", "community_id", "message_id", name="uq_nudge_per_message"),
    Index("ix_nudges_member", "platform", "community_id", "member_id", "created_at"),
)

# One row per member who was ever nudged: the shared cooldown (see claim in record_nudge).
nudge_cooldowns = Table(
    "nudge_cooldowns", metadata,
    *_scope(),
    Column("member_id", String(64), nullable=False),
    Column("last_nudge_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("platform", "community_id", "member_id", name="pk_nudge_cooldowns"),
)

crisis_alerts = Table(
    "crisis_alerts", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("channel_id", String(64), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivery", String(16), nullable=True),  # how the crisis resources reached the member
    UniqueConstraint("platform", "community_id", "message_id", name="uq_alert_per_message"),
)

# Messages seen, counted per UTC hour and tone category: aggregates only, for stats.
message_tallies = Table(
    "message_tallies", metadata,
    *_scope(),
    Column("hour", UtcDateTime, nullable=False),
    Column("category", String(32), nullable=False),
    Column("messages", Integer, nullable=False),
    PrimaryKeyConstraint("platform", "community_id", "hour", "category", name="pk_message_tallies"),
)

# One weekly climate digest per community and week, claimed before it is posted.
digest_claims = Table(
    "digest_claims", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("week_end", String(10), nullable=False),  # local date the digest covers up to (exclusive)
    Column("claimed_at", UtcDateTime, nullable=False),
    UniqueConstraint("platform", "community_id", "week_end", name="uq_digest_per_week"),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("nudge_id", Integer, ForeignKey("nudges.id"), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# Moderator-set settings. Values are JSON (numbers, names, lists; a moderator-written prompt
# is a setting too). Member messages never come here.
setting_overrides = Table(
    "setting_overrides", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("key", String(200), nullable=False),
    Column("value_json", String(4000), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(64), nullable=False),
    UniqueConstraint("platform", "community_id", "key", name="uq_setting_override"),
)

setting_audit = Table(
    "setting_audit", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("key", String(200), nullable=False),
    Column("old_value_json", String(4000), nullable=True),
    Column("new_value_json", String(4000), nullable=True),
    Column("actor_id", String(64), nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
)


def _in(table: Table, community: Community) -> Any:
    return and_(table.c.platform == community.platform, table.c.community_id == community.id)


def _nudge_record(row: Any) -> NudgeRecord:
    return NudgeRecord(
        id=str(row.id), channel_id=row.channel_id, member_id=row.member_id, message_id=row.message_id,
        created_at=row.created_at, category=row.category, score=row.score, threshold=row.threshold,
        cues=tuple(name for name in row.cue_names.split(",") if name),
    )


class SettingTooLarge(ValueError):
    """A moderator's setting does not fit the store; ``str()`` says why, for the moderator."""


def setting_too_large(key: str, value: Any) -> str | None:
    """Why ``key = value`` cannot be stored (its name or JSON value is longer than the
    columns that hold it), or None when it fits."""
    key_width = setting_overrides.c.key.type.length
    value_width = setting_overrides.c.value_json.type.length
    if len(key) > key_width:
        return f"that name is too long to keep ({len(key) - key_width} characters over the limit). Nothing was changed."
    size = 0 if value is None else len(json.dumps(value, sort_keys=True))
    if size > value_width:
        return (f"that is too long to keep: the setting would take {size:,} characters and at most {value_width:,} "
                "fit (for the prompt library, remove a prompt or shorten one). Nothing was changed.")
    return None


def _cue_names(cues: tuple[str, ...]) -> str:
    """The cue names of a nudge as stored: each once, in order, within the column (a long
    message can fire one cue dozens of times, which overflowed it and lost the nudge)."""
    width = nudges.c.cue_names.type.length
    kept: list[str] = []
    size = -1
    for name in dict.fromkeys(c.replace(",", ";") for c in cues):
        if size + 1 + len(name) > width:
            break
        kept.append(name)
        size += 1 + len(name)
    return ",".join(kept)


def _join_record(row: Any) -> JoinRecord:
    return JoinRecord(
        id=row.id, member_id=row.member_id, joined_at=row.joined_at,
        returning=bool(row.is_returning), greeted_at=row.greeted_at,
    )


def _aware(value: Any) -> datetime | None:
    # Aggregates bypass the column type on SQLite, so normalise here.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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


class SqlStore:
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
                select(joins).where(_in(joins, community), joins.c.joined_at >= since).order_by(joins.c.id)
            )
            return [_join_record(row) for row in rows]

    async def mark_greeted(self, community: Community, join_id: int, at: datetime) -> bool:
        async with self._conn(write=True) as conn:
            result = await conn.execute(
                update(joins)
                .where(_in(joins, community), joins.c.id == join_id, joins.c.greeted_at.is_(None))
                .values(greeted_at=at)
            )
            return result.rowcount == 1

    # -- prompts ----------------------------------------------------------------------------

    async def used_prompts(self, community: Community) -> list[tuple[str, int]]:
        async with self._conn() as conn:
            rows = await conn.execute(
                select(prompt_claims.c.prompt_id, prompt_claims.c.cycle)
                .where(_in(prompt_claims, community))
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
        self,
        community: Community,
        *,
        channel_id: str,
        member_id: str,
        message_id: str,
        at: datetime,
        category: str,
        score: float,
        threshold: float,
        cues: tuple[str, ...],
        cooldown: timedelta | None = None,
    ) -> str | None:
        async with self.unit(), self._conn(write=True) as conn:
            nudge_id = (await conn.execute(
                self._insert(nudges).values(
                    platform=community.platform, community_id=community.id, channel_id=channel_id,
                    member_id=member_id, message_id=message_id, created_at=at, category=category,
                    score=score, threshold=threshold, cue_names=_cue_names(cues),
                ).on_conflict_do_nothing().returning(nudges.c.id)
            )).scalar()
            if nudge_id is None:
                return None  # this message was already nudged
            if cooldown is not None and not await self._take_cooldown(conn, community, member_id, at, cooldown):
                await conn.execute(delete(nudges).where(nudges.c.id == nudge_id))
                return None
            return str(nudge_id)

    async def claim_nudge(
        self,
        community: Community,
        *,
        channel_id: str,
        member_id: str,
        message_id: str,
        at: datetime,
        category: str,
        score: float,
        threshold: float,
        cues: tuple[str, ...],
        cooldown: timedelta,
        since: datetime,
    ) -> NudgeClaim:
        """``record_nudge`` with the member's cooldown, plus the categories of the member's
        nudges since ``since`` (this one included) for the repeat summary. On PostgreSQL all
        of it is one statement, atomic on its own: one round trip."""
        if self.dialect != "postgresql" or self._unit.get() is not None:
            async with self.unit():
                nudge_id = await self.record_nudge(
                    community, channel_id=channel_id, member_id=member_id, message_id=message_id, at=at,
                    category=category, score=score, threshold=threshold, cues=cues, cooldown=cooldown,
                )
                if nudge_id is None:
                    return NudgeClaim(None)
                recent = await self.nudges_since(community, member_id, since)
                return NudgeClaim(nudge_id, tuple(n.category for n in recent))
        params = {
            "platform": community.platform, "community_id": community.id, "channel_id": channel_id,
            "member_id": member_id, "message_id": message_id, "at": at, "free_after": at - cooldown,
            "category": category, "score": score, "threshold": threshold, "cue_names": _cue_names(cues), "since": since,
        }
        async with self._conn(write=True) as conn:
            row = (await conn.execute(_CLAIM_NUDGE_PG, params)).one()
        if row.nudge_id is None:
            return NudgeClaim(None)
        return NudgeClaim(str(row.nudge_id), (*row.recent, category))

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
                select(func.max(nudges.c.created_at)).where(_in(nudges, community), nudges.c.member_id == member_id)
            )
        return _aware(value)

    async def nudges_since(self, community: Community, member_id: str, since: datetime) -> list[NudgeRecord]:
        async with self._conn() as conn:
            rows = await conn.execute(
                select(nudges)
                .where(_in(nudges, community), nudges.c.member_id == member_id, nudges.c.created_at >= since)
                .order_by(nudges.c.id)
            )
            return [_nudge_record(row) for row in rows]

    async def get_nudge(self, community: Community, nudge_id: str) -> NudgeRecord | None:
        if not nudge_id.isdigit():
            return None
        async with self._conn() as conn:
            row = (await conn.execute(select(nudges).where(_in(nudges, community), nudges.c.id == int(nudge_id)))).first()
        return None if row is None else _nudge_record(row)

    async def claim_crisis_alert(
        self, community: Community, *, channel_id: str, member_id: str, message_id: str, at: datetime
    ) -> bool:
        return await self._insert_once(
            crisis_alerts, platform=community.platform, community_id=community.id, channel_id=channel_id,
            member_id=member_id, message_id=message_id, created_at=at,
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

    # -- moderator insight: outcomes, deliveries, tallies, digests ---------------------------

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
                .where(_in(nudges, community), nudges.c.message_id == message_id,
                       nudges.c.created_at >= at - window, nudges.c.created_at <= at,
                       or_(nudges.c.outcome.is_(None), nudges.c.outcome.in_(_EDITS)))
                .values(outcome=outcome, outcome_at=at)
            )
            return result.rowcount == 1

    async def settle_outcomes(self, community: Community, now: datetime, window: timedelta) -> int:
        async with self._conn(write=True) as conn:
            result = await conn.execute(
                update(nudges)
                .where(_in(nudges, community), nudges.c.outcome.is_(None), nudges.c.created_at <= now - window)
                .values(outcome="unchanged", outcome_at=now)
            )
            return result.rowcount or 0

    async def record_delivery(
        self, community: Community, what: str, ref: str, via: str, message_id: str | None = None
    ) -> None:
        if what == "nudge":
            stmt = update(nudges).where(_in(nudges, community), nudges.c.message_id == ref).values(delivery=via)
        elif what == "crisis":
            stmt = (update(crisis_alerts).where(_in(crisis_alerts, community), crisis_alerts.c.message_id == ref)
                    .values(delivery=via))
        elif what == "prompt" and message_id:
            stmt = (update(prompt_claims).where(_in(prompt_claims, community), prompt_claims.c.local_date == ref)
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

    _tallies_failing = False

    async def last_activity(self, community: Community) -> datetime | None:
        await self.flush_tallies()
        columns = [(message_tallies, message_tallies.c.hour), (nudges, nudges.c.created_at),
                   (joins, joins.c.joined_at), (crisis_alerts, crisis_alerts.c.created_at),
                   (prompt_claims, prompt_claims.c.claimed_at)]
        latest: list[datetime] = []
        async with self._conn() as conn:
            for table, column in columns:
                found = _aware(await conn.scalar(select(func.max(column)).where(_in(table, community))))
                if found is not None:
                    latest.append(found)
        return max(latest, default=None)

    async def communities(self) -> list[tuple[str, str]]:
        await self.flush_tallies()
        query = union(*(select(t.c.platform, t.c.community_id)
                        for t in (message_tallies, nudges, joins, crisis_alerts, prompt_claims)))
        async with self._conn() as conn:
            return sorted((row[0], row[1]) for row in await conn.execute(query))

    # -- settings ---------------------------------------------------------------------------

    async def overrides(self, community: Community) -> dict[str, Any]:
        async with self._conn() as conn:
            rows = await conn.execute(
                select(setting_overrides.c.key, setting_overrides.c.value_json).where(_in(setting_overrides, community))
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
            where = and_(_in(setting_overrides, community), setting_overrides.c.key == key)
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
                select(setting_audit).where(_in(setting_audit, community)).order_by(setting_audit.c.id.desc()).limit(limit)
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
                .where(_in(nudges, community), within(nudges.c.created_at))
            )).all()
            crisis = (await conn.execute(
                select(crisis_alerts.c.delivery, func.count().label("n"))
                .where(_in(crisis_alerts, community), within(crisis_alerts.c.created_at))
                .group_by(crisis_alerts.c.delivery)
            )).all()
            prompts = (await conn.execute(
                select(func.count(), func.coalesce(func.sum(prompt_claims.c.replies), 0))
                .where(_in(prompt_claims, community), within(prompt_claims.c.claimed_at))
            )).one()
            welcomed = await conn.scalar(
                select(func.count()).select_from(joins).where(_in(joins, community), within(joins.c.joined_at))
            )
            verdicts = {
                row.verdict: row.n
                for row in await conn.execute(
                    select(feedback.c.verdict, func.count().label("n"))
                    .where(_in(feedback, community), within(feedback.c.created_at))
                    .group_by(feedback.c.verdict)
                )
            }
            verdict_nudges = {
                row.verdict: row.n
                for row in await conn.execute(
                    select(feedback.c.verdict, func.count(func.distinct(feedback.c.nudge_id)).label("n"))
                    .join(nudges, nudges.c.id == feedback.c.nudge_id)
                    .where(_in(nudges, community), within(nudges.c.created_at))
                    .group_by(feedback.c.verdict)
                )
            }
            seen = {
                row.category: int(row.n)
                for row in await conn.execute(
                    select(message_tallies.c.category, func.sum(message_tallies.c.messages).label("n"))
                    .where(_in(message_tallies, community), within(message_tallies.c.hour))
                    .group_by(message_tallies.c.category)
                )
            }
        outcomes: Counter[str] = Counter()
        for row in sent:
            settled = settled_before is None or _aware(row.created_at) <= settled_before
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


def create_engine(url: str, *, schema: str | None = None, pool_size: int = 10) -> AsyncEngine:
    """An ``AsyncEngine`` set up for peerbot's use of ``url``.

    SQLite: one pooled connection per process (coroutines queue for it in order instead of
    spinning on SQLite's busy lock, which is what made p99 jump under concurrency), WAL so
    readers never wait for the writer, and ``BEGIN IMMEDIATE`` so a transaction that will
    write takes the database's write lock up front (no lock-upgrade deadlocks between
    processes; waiting writers get up to 30 s). PostgreSQL (asyncpg): a pool of
    ``pool_size`` connections, and ``search_path`` set to ``schema`` when one is given.
    """
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url, connect_args={"timeout": 30, "isolation_level": None}, pool_size=1, max_overflow=0, pool_timeout=60,
            hide_parameters=True,  # errors never echo values (ids only, but still: nothing in logs)
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            in_memory = ":memory:" in url or "mode=memory" in url
            if not in_memory:
                cursor.execute("PRAGMA journal_mode")
                if str(cursor.fetchone()[0]).lower() != "wal":
                    cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file: once is enough
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql"):
        if not url.startswith("postgresql+asyncpg"):
            raise ValueError("use the asyncpg driver for PostgreSQL: postgresql+asyncpg://user:password@host/db")
        connect_args: dict[str, Any] = {}
        if schema:
            connect_args["server_settings"] = {"search_path": schema}
        return create_async_engine(url, connect_args=connect_args, pool_size=pool_size, max_overflow=0, pool_timeout=60,
                                   hide_parameters=True)
    raise ValueError("database_url must be sqlite+aiosqlite://... or postgresql+asyncpg://...")


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


class DatabaseUnavailable(Exception):
    """The database cannot be reached or refused us (the message never holds a password)."""


#: PostgreSQL SQLSTATEs (classes, or whole codes) of a server that is there but cannot do the
#: work: connection exceptions (08), insufficient resources such as a full disk (53),
#: operator intervention such as a shutdown (57P), system errors such as I/O (58), and a
#: read-only transaction (25006: a standby after a failover, or writes switched off).
_OUTAGE_SQLSTATES = ("08", "53", "57P", "58", "25006")
_OUTAGE_NAMES = ("ConnectionDoesNotExistError", "CannotConnectNowError", "ConnectionFailureError",
                 "AdminShutdownError", "CrashShutdownError", "InterfaceError", "InternalClientError",
                 "TooManyConnectionsError", "PostgresConnectionError")


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    for candidate in (orig, getattr(orig, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None)
        if isinstance(code, str):
            return code
    return None


def is_outage(exc: BaseException) -> bool:
    """Is this the database being unreachable, or refusing writes for a reason of its own (a
    full disk, read-only after a failover, a failed commit), rather than a bug or bad data?"""
    if isinstance(exc, (OSError, TimeoutError, asyncio.TimeoutError, ConnectionError, sa_exc.TimeoutError,
                        DatabaseUnavailable)):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            return True
        code = _sqlstate(exc)
        if code is not None and code.startswith(_OUTAGE_SQLSTATES):
            return True
        orig = getattr(exc, "orig", None)
        cause = getattr(orig, "__cause__", None) or orig
        return isinstance(cause, (OSError, sqlite3.OperationalError)) or type(cause).__name__ in _OUTAGE_NAMES
    return False


async def open_store_from(settings: Any) -> Any:
    """``open_store`` with the database settings of a ``Settings``, for commands that serve:
    raises ``SchemaError`` or ``DatabaseUnavailable`` with a message for the operator. The
    store returned keeps serving from memory if the database goes away later
    (``peerbot.store.resilient``)."""
    from peerbot.settings import mask_url
    from peerbot.store.resilient import ResilientStore

    try:
        store = await open_store(
            settings.database_url, migrate=settings.database_migrate, schema=settings.database_schema,
            pool_size=settings.database_pool_size,
        )
    except (OSError, DBAPIError) as exc:
        raise DatabaseUnavailable(
            f"cannot use the database at {mask_url(settings.database_url)} ({describe_error(exc)})"
        ) from None
    return ResilientStore(store, timeout=getattr(settings, "database_timeout_seconds", 10.0),
                          retry_seconds=getattr(settings, "database_retry_seconds", 5.0))


def describe_error(exc: BaseException) -> str:
    """The driver's own error, named: "ConnectionRefusedError", or PostgreSQL's message such as
    'InvalidAuthorizationSpecificationError: role "x" does not exist' (never a password)."""
    root: BaseException = exc
    while True:
        inner = getattr(root, "orig", None) or root.__cause__
        if inner is None or inner is root:
            break
        root = inner
    name = type(root).__name__
    if type(root).__module__.startswith("asyncpg") and str(root):
        return f"{name}: {str(root).splitlines()[0][:200]}"
    return name
