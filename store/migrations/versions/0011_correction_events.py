"""Issue 19: staff correct the ranking's reading of evidence tweets ("not help", "help", "not a
thanks") on a person's page. The marks themselves live in ``role_overrides`` (since 0001); each
change is now recorded in ``correction_events``, as outreach changes are in ``outreach_events``:
who, when, which tweet and role, the mark before and after, and on whose page.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "correction_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("tweet_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("old", sa.Boolean(), nullable=True),
        sa.Column("new", sa.Boolean(), nullable=True),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_events")))
    op.create_index(op.f("ix_correction_events_user_id"), "correction_events", ["user_id"])
    op.create_index(op.f("ix_correction_events_tweet_id"), "correction_events", ["tweet_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_correction_events_tweet_id"), table_name="correction_events")
    op.drop_index(op.f("ix_correction_events_user_id"), table_name="correction_events")
    op.drop_table("correction_events")
