"""Issue 10: the ranking reads small tables. ``help_acts`` holds one row per answer one
customer gave to another customer's request (``graph.features.HELP_FROM``), with the asker's
and a brand's reactions to it; ``graph.helpacts`` keeps it up to date from the tweets whose roles
changed since the last run (``tweet_acts.help_pending``), so a ranking groups a few thousand
rows instead of joining every tweet four ways. Partial indexes find the fix tweets and the
tweets linking a fix without scanning all roles. The author index of ``tweets`` becomes
(author, time, kind, id), which answers a person's activity in a window from the index alone.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "help_acts",
        sa.Column("answer_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("helper_id", sa.BigInteger(), nullable=False),
        sa.Column("asker_id", sa.BigInteger(), nullable=False),
        sa.Column("request_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("request_at", sa.DateTime(), nullable=True),
        sa.Column("is_fix", sa.Boolean(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column("thanks_id", sa.BigInteger(), nullable=True),
        sa.Column("thanks_at", sa.DateTime(), nullable=True),
        sa.Column("denied_id", sa.BigInteger(), nullable=True),
        sa.Column("denied_at", sa.DateTime(), nullable=True),
        sa.Column("brand_thanks_id", sa.BigInteger(), nullable=True),
        sa.Column("brand_thanks_by", sa.BigInteger(), nullable=True),
        sa.Column("brand_thanks_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("answer_id", name=op.f("pk_help_acts")),
    )
    op.create_index("ix_help_acts_created_at", "help_acts", ["created_at"])
    op.create_index("ix_help_acts_helper", "help_acts", ["helper_id", "created_at"])
    op.create_index("ix_help_acts_asker_id", "help_acts", ["asker_id"])
    op.create_index("ix_help_acts_brand_thanks_at", "help_acts", ["brand_thanks_at"])
    with op.batch_alter_table("tweet_acts") as batch:
        # Existing roles are pending: the first ranking after the upgrade builds help_acts.
        batch.add_column(sa.Column("help_pending", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.create_index("ix_tweet_acts_help_pending", "tweet_acts", ["tweet_id"],
                    sqlite_where=sa.text("help_pending"), postgresql_where=sa.text("help_pending"))
    op.create_index("ix_tweet_acts_fix", "tweet_acts", ["tweet_id"],
                    sqlite_where=sa.text("is_fix"), postgresql_where=sa.text("is_fix"))
    op.create_index("ix_tweet_acts_fix_link", "tweet_acts", ["tweet_id"],
                    sqlite_where=sa.text("has_fix_link"),
                    postgresql_where=sa.text("has_fix_link"))
    # (if_exists: a bulk load that crashed leaves its deferred indexes dropped)
    op.drop_index("ix_tweets_author_id", table_name="tweets", if_exists=True)
    op.create_index("ix_tweets_author_time", "tweets", ["author_id", "created_at", "kind", "id"])


def downgrade() -> None:
    op.drop_index("ix_tweets_author_time", table_name="tweets")
    op.create_index("ix_tweets_author_id", "tweets", ["author_id"])
    op.drop_index("ix_tweet_acts_fix_link", table_name="tweet_acts")
    op.drop_index("ix_tweet_acts_fix", table_name="tweet_acts")
    op.drop_index("ix_tweet_acts_help_pending", table_name="tweet_acts")
    with op.batch_alter_table("tweet_acts") as batch:
        batch.drop_column("help_pending")
    op.drop_table("help_acts")
