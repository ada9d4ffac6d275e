"""Issue 17: how sure the help model is that a reply is help. ``tweet_acts.help_p`` holds the
model's probability for a customer's reply to another customer's request (NULL where the model
did not read the tweet: rule-decided, or not such a reply); ``help_acts.confidence`` carries it
into each answer, and an answer counts in proportion (NULL counts in full: a link to a fix
domain, a quote of a brand's fix). Both are caches: the next ranking fills them.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tweet_acts") as batch:
        batch.add_column(sa.Column("help_p", sa.Float(), nullable=True))
    with op.batch_alter_table("help_acts") as batch:
        batch.add_column(sa.Column("confidence", sa.Float(), nullable=True))
    # The roles and help rows were made without the model: the next ranking redoes them.
    op.execute("DELETE FROM graph_state WHERE key IN ('roles', 'help_acts')")


def downgrade() -> None:
    with op.batch_alter_table("help_acts") as batch:
        batch.drop_column("confidence")
    with op.batch_alter_table("tweet_acts") as batch:
        batch.drop_column("help_p")
