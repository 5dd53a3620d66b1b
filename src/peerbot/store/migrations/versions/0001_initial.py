"""The schema as peerbot 0.1 created it (before migrations): ids, times, categories, settings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _scope() -> list[sa.Column]:
    return [sa.Column("platform", sa.String(16), nullable=False), sa.Column("community_id", sa.String(64), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("processed_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("platform", "community_id", "event_id", name="uq_processed_event"),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("first_joined_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("platform", "community_id", "member_id", name="uq_member"),
    )
    op.create_table(
        "joins",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("joined_at", sa.DateTime, nullable=False),
        sa.Column("is_returning", sa.Boolean, nullable=False),
        sa.Column("greeted_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_joins_joined_at", "joins", ["joined_at"])
    op.create_table(
        "prompt_claims",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("local_date", sa.String(10), nullable=False),
        sa.Column("prompt_id", sa.String(64), nullable=False),
        sa.Column("cycle", sa.Integer, nullable=False),
        sa.Column("claimed_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("platform", "community_id", "local_date", name="uq_prompt_per_local_date"),
    )
    op.create_table(
        "nudges",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("cue_names", sa.String(1000), nullable=False),
        sa.UniqueConstraint("platform", "community_id", "message_id", name="uq_nudge_per_message"),
    )
    op.create_index("ix_nudges_created_at", "nudges", ["created_at"])
    op.create_table(
        "crisis_alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("platform", "community_id", "message_id", name="uq_alert_per_message"),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("nudge_id", sa.Integer, sa.ForeignKey("nudges.id"), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "setting_overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("value_json", sa.String(4000), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("platform", "community_id", "key", name="uq_setting_override"),
    )
    op.create_table(
        "setting_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        *_scope(),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("old_value_json", sa.String(4000), nullable=True),
        sa.Column("new_value_json", sa.String(4000), nullable=True),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("setting_audit", "setting_overrides", "feedback", "crisis_alerts", "nudges", "prompt_claims",
                  "joins", "members", "processed_events"):
        op.drop_table(table)
