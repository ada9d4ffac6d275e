"""Issue 9: the counts behind each score (``champion_scores.facts``): people helped and
thanked, fixes spread and their reach, active weeks, median minutes to answer, and each
component's true total of evidence acts (the evidence stored is the newest 25). Evidence rows
keep a value (``score_evidence.points``): minutes to answer, or the week.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("champion_scores") as batch:
        batch.add_column(sa.Column("facts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("champion_scores") as batch:
        batch.drop_column("facts")
