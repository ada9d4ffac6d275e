"""Issue 10: unchanged input is recognised by its content. ``loaded_pages`` holds the hash of
every page (one line of a twarc2 or v1.1 JSON-lines file) whose rows are stored, written in the
transaction that stores them, so an import skips a page it has loaded before without parsing
it; ``imported_files`` gains the hash of a whole-document file (an X archive, a TWCS CSV, a
JSON array) loaded in full, so an identical file is skipped even when its mtime changed. Both
keep the tweets they gave, counted as already present when skipped.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loaded_pages",
        sa.Column("digest", sa.LargeBinary(length=16), nullable=False),
        sa.Column("tweets", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_loaded_pages")),
    )
    with op.batch_alter_table("imported_files") as batch:
        batch.add_column(sa.Column("content_hash", sa.LargeBinary(length=16), nullable=True))
        batch.add_column(sa.Column("tweets", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("imported_files") as batch:
        batch.drop_column("tweets")
        batch.drop_column("content_hash")
    op.drop_table("loaded_pages")
