"""Issue 7: tweet roles move to ``tweet_acts`` (more roles; a cache rebuilt from the text), and
staff decisions about accounts get ``account_labels``.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ROLES = ("request", "fix", "answer", "thanks", "negative", "chatter", "agent", "business",
         "we", "me")


def upgrade() -> None:
    op.create_table(
        "account_labels",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("set_by", sa.String(length=255), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_account_labels")),
    )
    op.create_table(
        "tweet_acts",
        sa.Column("tweet_id", sa.BigInteger(), autoincrement=False, nullable=False),
        *[sa.Column(f"is_{r}", sa.Boolean(), nullable=False) for r in ROLES],
        sa.Column("has_fix_link", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tweet_id", name=op.f("pk_tweet_acts")),
    )
    # The old role cache: recomputed into tweet_acts at the next ranking run. The stored
    # fingerprint goes too, so that run classifies every tweet.
    op.drop_table("tweet_roles")
    op.execute("DELETE FROM graph_state WHERE key = 'roles'")


def downgrade() -> None:
    op.create_table(
        "tweet_roles",
        sa.Column("tweet_id", sa.BigInteger(), autoincrement=False, nullable=False),
        *[sa.Column(f"is_{r}", sa.Boolean(), nullable=False)
          for r in ("request", "fix", "thanks", "negative")],
        sa.Column("has_fix_link", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tweet_id", name=op.f("pk_tweet_roles")),
    )
    op.execute("DELETE FROM graph_state WHERE key = 'roles'")
    op.drop_table("tweet_acts")
    op.drop_table("account_labels")
