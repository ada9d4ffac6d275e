"""Issue 18: every stored value is valid, and both engines store the same data.

* PostgreSQL indexes a tweet's links by ``md5(url)`` instead of the URL itself: a btree row
  holds at most some 2,700 bytes, so one 3,000-character link (the validator allows 8,192)
  failed the whole import, there only. (SQLite has no such limit and keeps its key.)
* Tweets stored before times were bounded, dated before X's first day or in the future (a
  tweet from 9999 crashed every reader; 36 from 2099 moved the ranking window there), leave
  ``tweets`` for ``rejected_records``, with what they said. Profiles keep such a time as
  unknown.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from alembic import op
from sqlalchemy import text

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FIRST = "2006-03-21 00:00:00"  # ingest.records.FIRST_TIME, as it was when this was written


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE tweet_urls DROP CONSTRAINT IF EXISTS pk_tweet_urls")
        op.execute("CREATE UNIQUE INDEX IF NOT EXISTS uq_tweet_urls_md5"
                   " ON tweet_urls (tweet_id, md5(url))")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    latest = (now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    bounds = {"first": FIRST, "latest": latest}
    out = "(created_at < :first OR created_at > :latest)"
    if bind.dialect.name == "postgresql":
        bounds = {k: datetime.fromisoformat(v) for k, v in bounds.items()}
    bad = bind.execute(text(f"SELECT id, created_at, text FROM tweets WHERE {out}"),
                       bounds).all()
    for tid, created, body in bad:
        bind.execute(text(
            "INSERT INTO rejected_records (run_id, source, location, reason, excerpt, created_at)"
            " VALUES (NULL, 'upgrade', :loc, :reason, :excerpt, :now)"),
            {"loc": f"tweet {tid}", "now": now,
             "reason": f"created_at: {str(created)[:19]} is outside {FIRST[:10]} to a day after"
                       " the upgrade (removed by migration 0010)",
             "excerpt": (body or "")[:500].replace("\x00", "")})
    for i in range(0, len(bad), 500):
        ids = {f"t{j}": row[0] for j, row in enumerate(bad[i:i + 500])}
        marks = ", ".join(f":{k}" for k in ids)
        for table, column in (("tweet_urls", "tweet_id"), ("tweet_acts", "tweet_id"),
                              ("help_acts", "answer_id"), ("interactions", "key_tweet_id"),
                              ("tweets", "id")):
            bind.execute(text(f"DELETE FROM {table} WHERE {column} IN ({marks})"), ids)
    if bad:  # what the ranking kept of them
        op.execute("DELETE FROM graph_state WHERE key IN ('roles', 'help_acts')")
    for column in ("created_at", "seen_at"):
        bind.execute(text(f"UPDATE users SET {column} = NULL WHERE {column} < :first"
                          f" OR {column} > :latest"), bounds)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS uq_tweet_urls_md5")
        op.execute("ALTER TABLE tweet_urls ADD CONSTRAINT pk_tweet_urls"
                   " PRIMARY KEY (tweet_id, url)")
