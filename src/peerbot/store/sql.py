"""SQLAlchemy 2 (asyncio) implementation of ``Store``: SQLite by default, PostgreSQL too.

Portable SQL only: claims are plain INSERTs against unique constraints, and an
``IntegrityError`` means "someone else got there first". No in-process locks, so any number
of processes may share the database.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    and_,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from peerbot.events import Community
from peerbot.store.protocol import AuditEntry, JoinRecord, NudgeRecord, Stats


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


metadata = MetaData()


def _scope() -> list[Column[Any]]:
    return [Column("platform", String(16), nullable=False), Column("community_id", String(64), nullable=False)]


processed_events = Table(
    "processed_events", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("event_id", String(200), nullable=False),
    Column("processed_at", UtcDateTime, nullable=False),
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
    UniqueConstraint("platform", "community_id", "local_date", name="uq_prompt_per_local_date"),
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
    UniqueConstraint("platform", "community_id", "message_id", name="uq_nudge_per_message"),
)

crisis_alerts = Table(
    "crisis_alerts", metadata,
    Column("id", Integer, primary_key=True),
    *_scope(),
    Column("channel_id", String(64), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("platform", "community_id", "message_id", name="uq_alert_per_message"),
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


def _join_record(row: Any) -> JoinRecord:
    return JoinRecord(
        id=row.id, member_id=row.member_id, joined_at=row.joined_at,
        returning=bool(row.is_returning), greeted_at=row.greeted_at,
    )


class SqlStore:
    """``Store`` over an ``AsyncEngine``. Each method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

    async def close(self) -> None:
        await self.engine.dispose()

    async def _insert_once(self, table: Table, **values: Any) -> bool:
        try:
            async with self.engine.begin() as conn:
                await conn.execute(insert(table).values(**values))
        except IntegrityError:
            return False
        return True

    async def claim_event(self, community: Community, event_id: str, at: datetime) -> bool:
        return await self._insert_once(
            processed_events, platform=community.platform, community_id=community.id,
            event_id=event_id, processed_at=at,
        )

    async def record_join(self, community: Community, member_id: str, at: datetime) -> JoinRecord:
        first_time = await self._insert_once(
            members, platform=community.platform, community_id=community.id,
            member_id=member_id, first_joined_at=at,
        )
        async with self.engine.begin() as conn:
            result = await conn.execute(
                insert(joins).values(
                    platform=community.platform, community_id=community.id, member_id=member_id,
                    joined_at=at, is_returning=not first_time, greeted_at=None,
                )
            )
            join_id = result.inserted_primary_key[0]
        return JoinRecord(id=join_id, member_id=member_id, joined_at=at, returning=not first_time, greeted_at=None)

    async def joins_since(self, community: Community, since: datetime) -> list[JoinRecord]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(joins).where(_in(joins, community), joins.c.joined_at >= since).order_by(joins.c.id)
            )
            return [_join_record(row) for row in rows]

    async def mark_greeted(self, community: Community, join_id: int, at: datetime) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(joins)
                .where(_in(joins, community), joins.c.id == join_id, joins.c.greeted_at.is_(None))
                .values(greeted_at=at)
            )
            return result.rowcount == 1

    async def used_prompts(self, community: Community) -> list[tuple[str, int]]:
        async with self.engine.connect() as conn:
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
        )

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
    ) -> str | None:
        try:
            async with self.engine.begin() as conn:
                result = await conn.execute(
                    insert(nudges).values(
                        platform=community.platform, community_id=community.id, channel_id=channel_id,
                        member_id=member_id, message_id=message_id, created_at=at, category=category,
                        score=score, threshold=threshold, cue_names=",".join(cues),
                    )
                )
                return str(result.inserted_primary_key[0])
        except IntegrityError:
            return None

    async def last_nudge_at(self, community: Community, member_id: str) -> datetime | None:
        async with self.engine.connect() as conn:
            value = await conn.scalar(
                select(func.max(nudges.c.created_at)).where(_in(nudges, community), nudges.c.member_id == member_id)
            )
        if value is None:
            return None
        # Aggregates bypass the column type on SQLite, so normalise here.
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    async def nudges_since(self, community: Community, member_id: str, since: datetime) -> list[NudgeRecord]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(nudges)
                .where(_in(nudges, community), nudges.c.member_id == member_id, nudges.c.created_at >= since)
                .order_by(nudges.c.id)
            )
            return [_nudge_record(row) for row in rows]

    async def get_nudge(self, community: Community, nudge_id: str) -> NudgeRecord | None:
        if not nudge_id.isdigit():
            return None
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(nudges).where(_in(nudges, community), nudges.c.id == int(nudge_id)))).first()
        return None if row is None else _nudge_record(row)

    async def claim_crisis_alert(
        self, community: Community, *, channel_id: str, member_id: str, message_id: str, at: datetime
    ) -> bool:
        return await self._insert_once(
            crisis_alerts, platform=community.platform, community_id=community.id, channel_id=channel_id,
            member_id=member_id, message_id=message_id, created_at=at,
        )

    async def record_feedback(
        self, community: Community, nudge_id: str, member_id: str, verdict: str, at: datetime
    ) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(feedback).values(
                    platform=community.platform, community_id=community.id, nudge_id=int(nudge_id),
                    member_id=member_id, verdict=verdict, created_at=at,
                )
            )

    async def overrides(self, community: Community) -> dict[str, Any]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(setting_overrides.c.key, setting_overrides.c.value_json).where(_in(setting_overrides, community))
            )
            return {row.key: json.loads(row.value_json) for row in rows}

    async def set_override(
        self, community: Community, key: str, value: Any, *, actor_id: str, at: datetime
    ) -> None:
        new_json = None if value is None else json.dumps(value, sort_keys=True)
        async with self.engine.begin() as conn:
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
        async with self.engine.connect() as conn:
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

    async def stats(self, community: Community, since: datetime) -> Stats:
        async with self.engine.connect() as conn:
            by_category = {
                row.category: row.n
                for row in await conn.execute(
                    select(nudges.c.category, func.count().label("n"))
                    .where(_in(nudges, community), nudges.c.created_at >= since)
                    .group_by(nudges.c.category)
                )
            }
            members_nudged = await conn.scalar(
                select(func.count(func.distinct(nudges.c.member_id))).where(
                    _in(nudges, community), nudges.c.created_at >= since
                )
            )
            alerts = await conn.scalar(
                select(func.count()).select_from(crisis_alerts).where(
                    _in(crisis_alerts, community), crisis_alerts.c.created_at >= since
                )
            )
            prompts = await conn.scalar(
                select(func.count()).select_from(prompt_claims).where(
                    _in(prompt_claims, community), prompt_claims.c.claimed_at >= since
                )
            )
            welcomed = await conn.scalar(
                select(func.count()).select_from(joins).where(_in(joins, community), joins.c.joined_at >= since)
            )
            verdicts = {
                row.verdict: row.n
                for row in await conn.execute(
                    select(feedback.c.verdict, func.count().label("n"))
                    .where(_in(feedback, community), feedback.c.created_at >= since)
                    .group_by(feedback.c.verdict)
                )
            }
        return Stats(
            since=since, nudges_by_category=by_category, members_nudged=members_nudged or 0,
            crisis_alerts=alerts or 0, prompts_posted=prompts or 0, members_welcomed=welcomed or 0,
            feedback=verdicts,
        )


async def open_store(url: str, *, create: bool = True) -> SqlStore:
    """Connect to ``url`` (e.g. ``sqlite+aiosqlite:///./peerbot.db``) and create tables."""
    connect_args: dict[str, Any] = {}
    if url.startswith("sqlite"):
        # Several processes may share one SQLite file; wait for a writer instead of failing.
        connect_args["timeout"] = 30
    engine = create_async_engine(url, connect_args=connect_args)
    store = SqlStore(engine)
    if create:
        await store.create_schema()
    return store
