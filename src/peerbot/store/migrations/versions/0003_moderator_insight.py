"""Moderator insight: nudge outcomes and deliveries, message tallies, prompt replies, weekly digests.

Still no message text anywhere: an outcome ("edited_softened", "edited", "deleted",
"unchanged") and a delivery ("dm", "thread", "skipped", "failed", "ephemeral") are short
words; tallies are counts per hour and category; a prompt keeps its platform message id and a
reply count.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch_alter_table: SQLite cannot add columns with every option in place; on
    # PostgreSQL it is a plain ALTER TABLE.
    with op.batch_alter_table("nudges") as batch:
        batch.add_column(sa.Column("outcome", sa.String(16), nullable=True))
        batch.add_column(sa.Column("outcome_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("delivery", sa.String(16), nullable=True))
    with op.batch_alter_table("crisis_alerts") as batch:
        batch.add_column(sa.Column("delivery", sa.String(16), nullable=True))
    with op.batch_alter_table("prompt_claims") as batch:
        batch.add_column(sa.Column("message_id", sa.String(200), nullable=True))
        batch.add_column(sa.Column("replies", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_prompt_claims_message", "prompt_claims", ["platform", "community_id", "message_id"])
    op.create_table(
        "message_tallies",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("community_id", sa.String(64), nullable=False),
        sa.Column("hour", sa.DateTime, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("messages", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("platform", "community_id", "hour", "category", name="pk_message_tallies"),
    )
    op.create_table(
        "digest_claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("community_id", sa.String(64), nullable=False),
        sa.Column("week_end", sa.String(10), nullable=False),
        sa.Column("claimed_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("platform", "community_id", "week_end", name="uq_digest_per_week"),
    )


def downgrade() -> None:
    op.drop_table("digest_claims")
    op.drop_table("message_tallies")
    op.drop_index("ix_prompt_claims_message", table_name="prompt_claims")
    with op.batch_alter_table("prompt_claims") as batch:
        batch.drop_column("replies")
        batch.drop_column("message_id")
    with op.batch_alter_table("crisis_alerts") as batch:
        batch.drop_column("delivery")
    with op.batch_alter_table("nudges") as batch:
        batch.drop_column("delivery")
        batch.drop_column("outcome_at")
        batch.drop_column("outcome")
