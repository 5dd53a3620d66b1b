"""Several processes: a shared nudge cooldown row per member, indexes for pruning and lookups.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nudge_cooldowns",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("community_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("last_nudge_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("platform", "community_id", "member_id", name="pk_nudge_cooldowns"),
    )
    # Members nudged before this revision keep their cooldown.
    op.execute(
        "INSERT INTO nudge_cooldowns (platform, community_id, member_id, last_nudge_at) "
        "SELECT platform, community_id, member_id, MAX(created_at) FROM nudges "
        "GROUP BY platform, community_id, member_id"
    )
    op.create_index("ix_processed_events_processed_at", "processed_events", ["processed_at"])
    op.create_index("ix_nudges_member", "nudges", ["platform", "community_id", "member_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_nudges_member", table_name="nudges")
    op.drop_index("ix_processed_events_processed_at", table_name="processed_events")
    op.drop_table("nudge_cooldowns")
