"""The tables: ids, times, categories, scores and settings; never message text.

The migrations in peerbot/store/migrations create exactly this (a test compares them);
change both together: add a revision, never edit a released one.
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
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    and_,
)
from sqlalchemy.engine import Dialect

from peerbot.events import Community


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


def cue_names(cues: tuple[str, ...]) -> str:
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


def in_community(table: Table, community: Community) -> Any:
    """The rows of ``table`` that belong to ``community``."""
    return and_(table.c.platform == community.platform, table.c.community_id == community.id)


def aware(value: Any) -> datetime | None:
    """A time read back, aware in UTC: aggregates bypass the column type on SQLite."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
