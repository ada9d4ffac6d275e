"""Issue 10: indexes for the ranking's window reads. ``interactions``' index by source becomes
(source, time, target, kind): the brands' conversations and a candidate's retweets in a window
are read from the index alone, as a range, instead of every edge the source ever made (the
lookups by source and target it could serve had no users: no query asks for both).
``users`` gains a partial index of the brand accounts, which the ranking reads about ten times a
run; each read scanned every user.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_interactions_src_dst_kind", table_name="interactions", if_exists=True)
    op.create_index("ix_interactions_src_time", "interactions",
                    ["src_user_id", "created_at", "dst_user_id", "kind"], if_not_exists=True)
    op.create_index("ix_users_brand", "users", ["id"], if_not_exists=True,
                    sqlite_where=sa.text("is_brand"), postgresql_where=sa.text("is_brand"))


def downgrade() -> None:
    op.drop_index("ix_users_brand", table_name="users", if_exists=True)
    op.drop_index("ix_interactions_src_time", table_name="interactions", if_exists=True)
    op.create_index("ix_interactions_src_dst_kind", "interactions",
                    ["src_user_id", "dst_user_id", "kind"], if_not_exists=True)
