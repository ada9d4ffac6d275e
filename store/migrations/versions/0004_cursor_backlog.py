"""Issue 11: a query that stops at ``max_pages`` keeps its place. A cursor holds, besides
``since_id`` (everything up to it is stored), the gap still to fetch below ``until_id`` and the
newest id already stored (``newest_id``, the next ``since_id`` once the gap is closed); and, for
the retweeters and quotes of a fix tweet, the count they had when last fetched (``seen_count``),
so unchanged ones are not fetched again.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cursors") as batch:
        batch.add_column(sa.Column("until_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("newest_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("seen_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cursors") as batch:
        batch.drop_column("seen_count")
        batch.drop_column("newest_id")
        batch.drop_column("until_id")
