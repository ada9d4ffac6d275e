"""PostgreSQL's COPY path (``ingest/bulk.py``) stores exactly what SQLite's ``executemany`` path
stores, row for row, from real files: first loads, re-imports, newer and older profiles, stubs
filled in, metrics updated; a batch that dies part-way leaves nothing of itself; the first load
defers and rebuilds indexes and foreign keys; the import job refreshes the statistics."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import ProgrammingError

from ingest import bulk
from ingest.files import import_files
from ingest.loader import Loader
from ingest.records import EdgeRow, Parsed, TweetRow, UrlRow, UserRow
from store.db import make_engine
from store.migrate import bulk_load_indexes, upgrade
from store.models import Base
from tests.conftest import data_dump, realdata, scalar

TWARC = "twarc-csv/test-data/"
FILES = [
    TWARC + "withheld.jsonl",
    TWARC + "2sets.jsonl",
    TWARC + "flat.jsonl",
    TWARC + "noflat.jsonl",
    TWARC + "brexit.jsonl",
    TWARC + "many_urls.jsonl",
    TWARC + "mentions_tweet.jsonl",
    TWARC + "quoted_edit.jsonl",
    TWARC + "edited_before.jsonl",
    TWARC + "edited_after.jsonl",
    TWARC + "users.jsonl",
    TWARC + "tweets_compliance.jsonl",
    "twcs-head-monalisapatra26/twcs.csv",
    "x-archive-andreruffert/data",
    "tweet_parser/test/tweet_payload_examples/original_format_examples.json",
    "twitter-to-sqlite/tests/tweets.json",
]

# Only the PostgreSQL database of conftest's ``db_url``; SQLite is made here, beside it.
on_postgresql = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def lite(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'lite.db'}")
    upgrade(eng)
    yield eng
    eng.dispose()


def load(engine, paths, **kw):
    res = import_files(engine, None, list(paths), log=lambda m: None, **kw)
    return res.counts


def same_form(dump: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """A dump with PostgreSQL's datetimes as SQLite's stored text (booleans already compare
    equal to SQLite's 0 and 1)."""
    def norm(v):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v
    return {t: [tuple(norm(v) for v in row) for row in rows] for t, rows in dump.items()}


def both(pg, lite, paths, **kw):
    """Load ``paths`` into both databases; the stored rows and the counts must agree."""
    got = load(pg, paths, **kw).as_dict(), load(lite, paths, **kw).as_dict()
    assert got[0] == got[1]
    assert same_form(data_dump(pg)) == same_form(data_dump(lite))
    return got[0]


def rewrite(src: Path, dst: Path, change) -> Path:
    """A copy of a twarc2 file with every page passed through ``change``."""
    with open(src) as f, open(dst, "w") as out:
        for line in f:
            page = json.loads(line)
            change(page)
            out.write(json.dumps(page) + "\n")
    return dst


def retrieved(page: dict, when: str) -> None:
    page.setdefault("__twarc", {})["retrieved_at"] = when


# --- the same rows as SQLite -------------------------------------------------------------------

@on_postgresql
def test_copy_path_loads_what_sqlite_loads(engine, lite):
    """Sixteen real files in every format, in small batches so that tweets, users and edges
    recur across batches and formats: every row and every count equal SQLite's."""
    paths = [realdata(p) for p in FILES]
    first = both(engine, lite, paths, batch_tweets=40)
    assert first["tweets_new"] > 1000 and first["edges_new"] > 1000
    assert scalar(engine, "SELECT count(*) FROM tweet_urls") > 100


def forget_content(*engines) -> None:
    """Forget the content hashes an import keeps (``loaded_pages``, ``imported_files``), so the
    next import of the same files goes through the upserts rather than skipping them."""
    for eng in engines:
        with eng.begin() as conn:
            if inspect(conn).has_table("loaded_pages"):
                conn.execute(text("DELETE FROM loaded_pages"))
            conn.execute(text("DELETE FROM imported_files"))


@on_postgresql
def test_reimport_writes_nothing(engine, lite):
    """A re-import through the upserts finds everything present and rewrites no row: no new
    row version of any user or tweet (``xmin``), the same counts as SQLite."""
    paths = [realdata(p) for p in FILES[:6]]
    first = both(engine, lite, paths)
    versions_sql = text("SELECT (SELECT array_agg(xmin::text ORDER BY id) FROM users),"
                        " (SELECT array_agg(xmin::text ORDER BY id) FROM tweets)")
    with engine.connect() as conn:
        versions = conn.execute(versions_sql).one()
    forget_content(engine, lite)
    again = both(engine, lite, paths)
    assert again["tweets_new"] == 0 and again["edges_new"] == 0
    assert again["tweets_present"] == first["tweets"]
    with engine.connect() as conn:
        assert conn.execute(versions_sql).one() == versions


@on_postgresql
def test_newer_profile_and_metrics_replace_older_ones_do_not(engine, lite, tmp_path):
    """The same real pages fetched later (new bios, follower counts, like counts) update the
    profiles and metrics; a copy fetched earlier does not roll the profiles back."""
    src = realdata(TWARC + "2sets.jsonl")

    def later(page):
        retrieved(page, "2022-01-01T00:00:00+00:00")
        for u in page.get("includes", {}).get("users", []):
            u["description"] = "newer: " + (u.get("description") or "")
            u.setdefault("public_metrics", {})["followers_count"] = 123_456
        for t in page.get("data", []):
            t.setdefault("public_metrics", {})["like_count"] = 4_321

    def earlier(page):
        retrieved(page, "2020-01-01T00:00:00+00:00")
        for u in page.get("includes", {}).get("users", []):
            u["description"] = "older"

    both(engine, lite, [src])
    both(engine, lite, [rewrite(src, tmp_path / "later.jsonl", later)])
    assert scalar(engine, "SELECT count(*) FROM users WHERE description LIKE 'newer: %'") > 200
    assert scalar(engine, "SELECT count(*) FROM users WHERE followers_count = 123456") > 200
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE like_count = 4321") == 200
    counts = both(engine, lite, [rewrite(src, tmp_path / "earlier.jsonl", earlier)])
    assert counts["tweets_new"] == 0
    assert scalar(engine, "SELECT count(*) FROM users WHERE description = 'older'") == 0


@on_postgresql
def test_stubs_are_filled_in_by_full_profiles(engine, lite, tmp_path):
    """Pages without their users' profiles leave stubs (ids only); the real pages fill them."""
    src = realdata(TWARC + "withheld.jsonl")

    def no_profiles(page):
        page.get("includes", {}).pop("users", None)

    both(engine, lite, [rewrite(src, tmp_path / "bare.jsonl", no_profiles)])
    stubs = scalar(engine, "SELECT count(*) FROM users WHERE is_stub")
    assert stubs > 50
    both(engine, lite, [src])
    assert scalar(engine, "SELECT count(*) FROM users WHERE is_stub") < stubs / 4


@on_postgresql
def test_merge_rules_and_awkward_text(engine, lite):
    """The merge rules one by one, through the loader itself, with text COPY must escape."""
    awkward = "tab\there, line\nbreak, back\\slash, \\N, 'quotes', \u2028, emoji 😀, ünïcödé"

    def user(uid, **kw):
        return UserRow(uid, kw.pop("username", None), **kw)

    def tweet(tid, author, **kw):
        base = dict(created_at="2024-05-01 10:00:00", text=f"tweet {tid}", lang=None,
                    conversation_id=tid, kind="original", in_reply_to_tweet_id=None,
                    in_reply_to_user_id=None, retweeted_id=None, quoted_id=None)
        return TweetRow(tid, author, **{**base, **kw})

    steps = [
        # a stub, then a stub that knows the username, then the profile, then an older one
        Parsed(users=[user(1)], tweets=[tweet(10, 1)]),
        Parsed(users=[user(1, username="alice")]),
        Parsed(users=[user(1, username="alice", name=awkward, is_stub=False,
                           followers_count=5, seen_at="2024-05-02 00:00:00")]),
        Parsed(users=[user(1, username="alice", name="old", is_stub=False,
                           followers_count=1, seen_at="2024-05-01 00:00:00")]),
        # a newer profile without a bio keeps the bio (gaps never erase); a brand mark sticks
        Parsed(users=[user(1, username="alice2", is_stub=False, description=None,
                           seen_at="2024-05-03 00:00:00", is_brand=True)]),
        Parsed(users=[user(1, is_stub=True)]),
        # a tweet: gaps filled, the metrics are the latest seen, and an inferred 'original'
        # yields to a known kind; a copy with other words is a conflict, named, and changes
        # nothing (issue 18)
        Parsed(users=[user(2, username="bob", is_stub=False, seen_at="2024-05-01 00:00:00")],
               tweets=[tweet(20, 2, text=awkward, lang=None, retweet_count=1)]),
        Parsed(tweets=[tweet(20, 2, text=None, lang="en", kind="reply",
                             in_reply_to_tweet_id=10, in_reply_to_user_id=1,
                             retweet_count=7, like_count=3)]),
        Parsed(tweets=[tweet(20, 2, text=awkward, kind="quote", retweet_count=None,
                             like_count=4)]),
        Parsed(tweets=[tweet(20, 2, text="other text", lang="fr", like_count=99)],
               edges=[EdgeRow("mention", 2, 2, 20, 20, None, "2024-05-01 10:00:00")]),
        # edges and URLs: one row each, however often seen
        Parsed(tweets=[tweet(20, 2, text=awkward)],
               edges=[EdgeRow("reply", 2, 1, 20, 20, 10, "2024-05-01 10:00:00")] * 2,
               urls=[UrlRow(20, "https://example.com/a\tb", "example.com")]),
        Parsed(tweets=[tweet(20, 2, text=awkward)],
               edges=[EdgeRow("reply", 2, 1, 20, 20, 10, "2024-05-01 10:00:00"),
                      EdgeRow("mention", 2, 1, 20, 20, None, "2024-05-01 10:00:00")],
               urls=[UrlRow(20, "https://example.com/a\tb", "example.com")]),
    ]
    for eng in (engine, lite):
        edges_new, conflicts = [], []
        for step in steps:
            counts = Loader(eng, None).load([step], "v2", "steps")
            edges_new.append(counts.edges_new)
            conflicts.append(counts.conflicts)
        assert edges_new[-3:] == [0, 1, 1]  # the conflicting copy's edge is not stored
        assert conflicts == [0] * 9 + [1, 0, 0]
    assert same_form(data_dump(engine)) == same_form(data_dump(lite))
    with engine.connect() as conn:
        alice = conn.execute(text("SELECT username, name, followers_count, is_stub, is_brand,"
                                  " seen_at FROM users WHERE id = 1")).one()
        t20 = conn.execute(text("SELECT text, lang, kind, in_reply_to_tweet_id, retweet_count,"
                                " like_count FROM tweets WHERE id = 20")).one()
    assert alice == ("alice2", awkward, 5, False, True, datetime(2024, 5, 3))
    assert t20 == (awkward, "en", "reply", 10, 7, 4)
    assert scalar(engine, "SELECT url FROM tweet_urls") == "https://example.com/a\tb"


# --- a batch is all or nothing -----------------------------------------------------------------

class Boom(RuntimeError):
    pass


@on_postgresql
@pytest.mark.parametrize("where", ["copy", "insert"])
def test_a_batch_that_dies_midway_leaves_nothing_of_itself(engine, lite, monkeypatch, where):
    """Killed in the middle of a batch (half-way through COPYing its edges, or after its
    users, tweets and edges were inserted), the database is as it was before that batch; a
    re-run then equals one clean load."""
    first = [realdata(TWARC + "withheld.jsonl")]
    second = [realdata(TWARC + "2sets.jsonl"), realdata("twcs-head-monalisapatra26/twcs.csv")]
    load(engine, first)
    before = data_dump(engine)
    real_copy, real_sql = bulk.copy_rows, dict(bulk._sql())

    def dying_copy(cur, table, cols, rows):
        if table != "ct_stage_edges":
            return real_copy(cur, table, cols, rows)
        rows = list(rows)

        def half_then_die():
            yield from rows[:len(rows) // 2]
            raise Boom("killed while copying")
        return real_copy(cur, table, cols, half_then_die())

    if where == "copy":
        monkeypatch.setattr(bulk, "copy_rows", dying_copy)
        dies = pytest.raises(Boom)
    else:  # the batch's last write fails
        monkeypatch.setitem(bulk._sql(), "urls", "INSERT INTO no_such_table SELECT 1")
        dies = pytest.raises(ProgrammingError)
    with dies:
        load(engine, second)
    assert data_dump(engine) == before
    monkeypatch.setattr(bulk, "copy_rows", real_copy)
    bulk._sql().update(real_sql)
    load(engine, second)  # the same connection's staging tables, after the failure
    load(lite, first)
    load(lite, second)
    assert same_form(data_dump(engine)) == same_form(data_dump(lite))


# --- the first load's deferred indexes and keys, and ANALYZE ------------------------------------

def _schema_objects(eng) -> tuple[set[str], set[str]]:
    with eng.connect() as conn:
        indexes = set(conn.execute(text(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")).scalars())
        fks = set(conn.execute(text(
            "SELECT conname FROM pg_constraint WHERE contype = 'f'"
            " AND connamespace = current_schema()::regnamespace")).scalars())
    return indexes, fks


@on_postgresql
def test_first_load_rebuilds_indexes_and_foreign_keys(engine, monkeypatch):
    want_ix = {ix.name for t in Base.metadata.sorted_tables for ix in t.indexes}
    want_fk = {fk.name for t in Base.metadata.sorted_tables for fk in t.foreign_key_constraints}
    ix, fk = _schema_objects(engine)
    assert want_ix <= ix and want_fk <= fk
    bulk_load_indexes(engine, drop=True)
    ix, fk = _schema_objects(engine)
    assert "ix_tweets_created_at" not in ix and "fk_tweets_author_id_users" not in fk
    assert "ix_users_username_lower" in ix  # resolves mentions while loading
    bulk_load_indexes(engine, drop=False)
    ix, fk = _schema_objects(engine)
    assert want_ix <= ix and want_fk <= fk

    # A first load that fails part-way still rebuilds them (and its rows keep their keys).
    real = bulk.copy_batch
    calls = {"n": 0}

    def dying(*a, **kw):
        calls["n"] += 1
        if calls["n"] == 2:  # the first batch is stored, the second dies
            raise Boom("killed")
        return real(*a, **kw)

    monkeypatch.setattr("ingest.loader.copy_batch", dying)
    with pytest.raises(Boom):
        load(engine, [realdata(TWARC + "withheld.jsonl")], batch_tweets=40)
    ix, fk = _schema_objects(engine)
    assert want_ix <= ix and want_fk <= fk
    found = inspect(engine).get_foreign_keys("tweets")
    assert [f["referred_table"] for f in found] == ["users"]


@on_postgresql
def test_import_job_analyzes_what_it_loaded(engine):
    def analyzed():
        with engine.connect() as conn:
            return dict(conn.execute(text(
                "SELECT relname, analyze_count FROM pg_stat_user_tables"
                " WHERE relname IN ('users', 'tweets', 'interactions', 'tweet_urls')")).all())

    load(engine, [realdata(TWARC + "2sets.jsonl")])
    once = analyzed()
    assert set(once) == set(bulk.LOADED_TABLES) and all(n >= 1 for n in once.values())
    assert scalar(engine, "SELECT reltuples FROM pg_class WHERE relname = 'tweets'") > 0
    assert scalar(engine, "SELECT count(DISTINCT tablename) FROM pg_stats WHERE tablename IN"
                          " ('users', 'tweets', 'interactions', 'tweet_urls')") == 4
    load(engine, [realdata(TWARC + "2sets.jsonl")])  # nothing new: no ANALYZE needed
    assert analyzed() == once
