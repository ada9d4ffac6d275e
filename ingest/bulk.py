"""PostgreSQL bulk writes: COPY a batch into staging tables, then one set-based upsert per table.

``executemany`` of ``INSERT ... ON CONFLICT`` makes PostgreSQL parse, plan and execute one
statement per row, and the loader's pre-selects cost forty ``IN (...)`` round trips per batch
and table; on the 1.37M-tweet corpus that was 715 s against SQLite's 110 s. Here a batch is
written as:

1. ``COPY`` of every row into a TEMP staging table (psycopg 3's ``cursor.copy``);
2. per table, one ``INSERT INTO t SELECT ... FROM staging ... ON CONFLICT ...`` whose conflict
   clause is the loader's own (``ingest.loader``), so both engines upsert alike. The loader's
   "write only new or changed rows" pre-select becomes a join in the same statement: a profile
   or a tweet seen again unchanged is not rewritten (no dead row version, no WAL), and the
   tweets already stored are counted by the same join.

The staging tables are session-scoped scratch (``TEMP``, ``ON COMMIT DELETE ROWS``), not
schema: they live in the connection's own ``pg_temp`` schema, are invisible to every other
session, take no lock another session could wait on, and vanish with the connection. So the
rule that only migrations change the schema holds; they are created by ``CREATE TEMP TABLE IF
NOT EXISTS ... AS SELECT <the loader's columns> FROM <table> WITH NO DATA`` (the real column
types, no constraints, no defaults: an ``interactions.id`` default would draw from its
sequence) in the batch's own transaction, so they also work behind a transaction pooler.
Everything runs in the caller's transaction: a failure anywhere rolls the whole batch back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

from ingest.records import EdgeRow, TweetRow, UrlRow, UserRow
from store.db import copy_rows

if TYPE_CHECKING:
    from ingest.loader import LoadCounts

__all__ = ["copy_batch", "analyze", "LOADED_TABLES"]

# The tables a load writes: what ``analyze`` refreshes.
LOADED_TABLES = ("users", "tweets", "interactions", "tweet_urls")

_USER_COLS = list(UserRow._fields)
_TWEET_COLS = list(TweetRow._fields) + ["source", "source_ref", "run_id"]
_EDGE_COLS = list(EdgeRow._fields) + ["run_id"]
_URL_COLS = list(UrlRow._fields)

# staging table -> (target table, columns copied)
_STAGES = {
    "ct_stage_users": ("users", _USER_COLS),
    "ct_stage_tweets": ("tweets", _TWEET_COLS),
    "ct_stage_edges": ("interactions", _EDGE_COLS),
    "ct_stage_urls": ("tweet_urls", _URL_COLS),
}


def _cols(cols: Iterable[str], alias: str = "") -> str:
    return ", ".join(alias + c for c in cols)


def _statements(conflict: dict[str, str], fill: list[str], metrics: list[str]
                ) -> dict[str, str]:
    """The set-based upserts, from the loader's merge rules: its ``ON CONFLICT`` clauses, the
    tweet columns later copies fill in (``fill``) and the metrics they update."""
    # Which staged users change something (``Loader._users_to_write``, in SQL): new ones, a
    # stub filled in, a newer profile, a brand mark. A profile seen again unchanged is most of
    # a batch's users, and rewriting it would only leave a dead row version behind.
    users = (
        f"INSERT INTO users ({_cols(_USER_COLS)}) SELECT {_cols(_USER_COLS, 's.')}"
        " FROM ct_stage_users s LEFT JOIN users u ON u.id = s.id"
        " WHERE u.id IS NULL"
        " OR (u.is_stub AND (NOT s.is_stub"
        "     OR (COALESCE(s.username, '') <> '' AND COALESCE(u.username, '') = '')))"
        " OR (NOT s.is_stub AND s.seen_at IS NOT NULL"
        "     AND (u.seen_at IS NULL OR s.seen_at > u.seen_at))"
        " OR (s.is_brand AND u.is_brand IS NOT TRUE)"
        f" {conflict['users']}"
    )
    # Which staged tweets add something (``Loader._tweets_to_write``): new ones, a known kind
    # for an 'original', newer metrics, a gap filled. The same join counts those stored.
    # A stored tweet with another author, time or text is not written over
    # (``Loader._tweets_to_write``): the stored copy's values come back for the loader to
    # name the conflict.
    other = ("(t.id IS NOT NULL AND (t.author_id <> s.author_id"
             " OR COALESCE(t.created_at <> s.created_at, FALSE)"
             " OR COALESCE(t.text <> s.text, FALSE)))")
    tweets = (
        f"WITH s AS (SELECT {_cols(_TWEET_COLS, 's.')}, t.id IS NOT NULL AS present,"
        f" {other} AS differs,"
        f" CASE WHEN {other} THEN json_build_array(t.author_id,"
        " to_char(t.created_at, 'YYYY-MM-DD HH24:MI:SS'), t.text) END AS stored,"
        " (t.id IS NULL"
        " OR (t.kind = 'original' AND s.kind IS DISTINCT FROM 'original')"
        + "".join(f" OR (s.{c} IS NOT NULL AND s.{c} IS DISTINCT FROM t.{c})" for c in metrics)
        + "".join(f" OR (t.{c} IS NULL AND s.{c} IS NOT NULL)" for c in fill)
        + ") AS adds FROM ct_stage_tweets s LEFT JOIN tweets t ON t.id = s.id),"
        f" w AS (INSERT INTO tweets ({_cols(_TWEET_COLS)}) SELECT {_cols(_TWEET_COLS)}"
        f" FROM s WHERE adds AND NOT differs {conflict['tweets']})"
        " SELECT (SELECT count(*) FROM s WHERE present),"
        " (SELECT json_agg(json_build_array(id, stored)) FROM s WHERE differs)"
    )
    # Edges already stored are not filtered out first: ON CONFLICT DO NOTHING probes the same
    # unique index once, and a NOT EXISTS probe ahead of it cost a tenth of a first load
    # (measured at 1.37M tweets). So, as with executemany, an edge seen again draws an id from
    # the interactions sequence and leaves a gap; page hashes keep re-reads rare.
    edges = (
        f"INSERT INTO interactions ({_cols(_EDGE_COLS)}) SELECT {_cols(_EDGE_COLS)}"
        f" FROM ct_stage_edges {conflict['edges']}"
    )
    urls = (
        f"INSERT INTO tweet_urls ({_cols(_URL_COLS)}) SELECT {_cols(_URL_COLS)}"
        f" FROM ct_stage_urls {conflict['urls']}"
    )
    stage = "; ".join(
        f"CREATE TEMP TABLE IF NOT EXISTS {name} ON COMMIT DELETE ROWS AS"
        f" SELECT {_cols(cols)} FROM {table} WITH NO DATA"
        for name, (table, cols) in _STAGES.items())
    return {"users": users, "tweets": tweets, "edges": edges, "urls": urls, "stage": stage}


_SQL: dict[str, str] = {}


def _sql() -> dict[str, str]:
    if not _SQL:
        from ingest import loader  # imported here: the loader imports this module
        _SQL.update(_statements(loader.conflict_clauses("postgresql"), loader._TWEET_FILL,
                                loader._METRICS))
    return _SQL


def copy_batch(conn: Connection, users: Collection[UserRow], tweets: Collection[TweetRow],
               prov: tuple, edges: Collection[EdgeRow], run_id: int | None,
               urls: Collection[UrlRow]) -> tuple[int, int]:
    """Write one batch in ``conn``'s transaction (PostgreSQL only). ``prov`` is the tweets'
    (source, source_ref, run_id). Returns (tweets already stored, edges added, the stored
    tweets the batch's copies differ from, not written over: (id, (author, time, text))).

    Keys must be unique within the batch (the loader keys its batch by them): ``ON CONFLICT DO
    UPDATE`` refuses to touch one row twice in a statement."""
    sql = _sql()
    run = conn.exec_driver_sql
    # An existing staging table makes CREATE ... IF NOT EXISTS say so as a NOTICE.
    run("SET LOCAL client_min_messages = warning")
    run(sql["stage"])
    # Each batch (at most some 20k rows a table) is matched to the stored rows by key. Left
    # to itself the planner hashes the whole stored table for that, once a batch: staging
    # tables have no statistics, and at a few hundred thousand stored rows a hash looks
    # cheaper than 20k index probes, so every batch read all of ``tweets`` and a load grew
    # quadratic. Index probes cost the same at any table size. Reset before the batch ends.
    run("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
    copy_rows(conn, "ct_stage_users", _USER_COLS, users)
    copy_rows(conn, "ct_stage_tweets", _TWEET_COLS, (t + prov for t in tweets))
    copy_rows(conn, "ct_stage_edges", _EDGE_COLS, (e + (run_id,) for e in edges))
    copy_rows(conn, "ct_stage_urls", _URL_COLS, urls)
    present = edges_new = 0
    other: list = []
    if users:  # users first: tweets and edges refer to them
        run(sql["users"])
    if tweets:
        present, stored = run(sql["tweets"]).one()
        other = [(tid, tuple(values)) for tid, values in stored or ()]
        if other:  # nothing of a copy that is not stored is written: not its edges or links
            ids = [tid for tid, _ in other]
            run("DELETE FROM ct_stage_edges WHERE key_tweet_id = ANY(%(x)s)"
                " OR tweet_id = ANY(%(x)s)", {"x": ids})
            run("DELETE FROM ct_stage_urls WHERE tweet_id = ANY(%(x)s)", {"x": ids})
    if edges:
        edges_new = max(run(sql["edges"]).rowcount, 0)
    if urls:
        run(sql["urls"])
    run("RESET enable_hashjoin; RESET enable_mergejoin")
    return present, edges_new, other


def analyze(engine: Engine, counts: LoadCounts | None = None,
            tables: Iterable[str] = LOADED_TABLES) -> None:
    """Refresh the planner's statistics after an import job (PostgreSQL; a no-op elsewhere).
    With ``counts`` (the job's totals), only when it stored new tweets or edges.

    Autovacuum analyzes a table only after 10% of it changed, so after a first load the
    ranking would be planned on no statistics, and after a day's import into a large table
    the newest days lie past the ``created_at`` histogram, where the planner expects no rows
    at all: exactly the ranking window. ANALYZE samples a fixed number of rows (300 x the
    statistics target), so it costs about the same on any size of table, and its lock blocks
    neither readers nor writers. Call it once per import job, not per batch."""
    if engine.dialect.name != "postgresql":
        return
    if counts is not None and not (counts.tweets_new or counts.edges_new
                                   or counts.replies_linked):
        return
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ANALYZE {', '.join(tables)}")
