"""Loading twice, loading one tweet from two formats, and dying midway all leave one faithful
copy of the data."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ingest.files import import_files
from ingest.loader import Loader
from tests.conftest import data_dump, realdata, scalar
from store.migrate import upgrade
from store.models import Base

TWARC = "twarc-csv/test-data/"
MIXED = [
    TWARC + "withheld.jsonl",
    TWARC + "2sets.jsonl",
    TWARC + "flat.jsonl",
    "twcs-head-monalisapatra26/twcs.csv",
    "x-archive-andreruffert/data",
    "tweet_parser/test/tweet_payload_examples/original_format_examples.json",
]


def load(engine, paths, **kw):
    return import_files(engine, None, [realdata(p) for p in paths], log=lambda m: None, **kw)


def test_loading_the_same_files_twice_changes_nothing(engine):
    first = load(engine, MIXED)
    before = data_dump(engine)
    second = load(engine, MIXED)
    assert data_dump(engine) == before
    assert second.counts.tweets_new == 0
    assert second.counts.tweets_present == first.counts.tweets
    assert second.counts.edges_new == 0
    assert second.counts.replies_linked == 0


def test_same_tweets_from_two_formats_are_one_row_each(engine):
    """flat.jsonl and noflat.jsonl hold the same 100 tweets, flattened and as a page."""
    load(engine, [TWARC + "noflat.jsonl"])
    before = data_dump(engine)
    counts = load(engine, [TWARC + "flat.jsonl"]).counts
    after = data_dump(engine)
    assert counts.tweets_new == 0
    assert len(after["tweets"]) == len(before["tweets"]) == 164
    assert scalar(engine, "SELECT count(*) FROM (SELECT key_tweet_id, kind, src_user_id,"
                  " dst_user_id FROM interactions GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d") == 0
    # The flattened form resolves 4 more mentions (it names users the page's errors withheld);
    # nothing else changes.
    assert len(after["interactions"]) - len(before["interactions"]) == counts.edges_new
    assert set(before["interactions"]) <= set(after["interactions"])


def test_retweet_seen_twice_is_one_edge(engine):
    """A retweet's identity is (retweeter, retweeted tweet): the brexit page overlaps 2sets."""
    load(engine, [TWARC + "2sets.jsonl"])
    n = scalar(engine, "SELECT count(*) FROM interactions WHERE kind = 'retweet'")
    load(engine, [TWARC + "brexit.jsonl"])
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind = 'retweet'") == n


class Boom(RuntimeError):
    pass


def test_import_killed_midway_then_rerun_equals_one_clean_run(engine, monkeypatch):
    paths = [TWARC + "withheld.jsonl", "twcs-head-monalisapatra26/twcs.csv"]
    # The reference: one clean run, on the same backend; then an empty schema again.
    load(engine, paths, batch_tweets=50)
    want = data_dump(engine)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    upgrade(engine)
    assert scalar(engine, "SELECT count(*) FROM tweets") == 0

    real_flush = Loader.flush
    calls = {"n": 0}

    def dying_flush(self, batch, source, ref):
        calls["n"] += 1
        if calls["n"] == 4:  # after three committed batches, between two pages
            raise Boom("killed")
        return real_flush(self, batch, source, ref)

    monkeypatch.setattr(Loader, "flush", dying_flush)
    with pytest.raises(Boom):
        load(engine, paths, batch_tweets=50)
    partial = data_dump(engine)
    assert 0 < len(partial["tweets"]) < len(want["tweets"])
    monkeypatch.setattr(Loader, "flush", real_flush)
    load(engine, paths, batch_tweets=50)
    assert data_dump(engine) == want


def test_a_failing_batch_writes_nothing_of_itself(engine, monkeypatch):
    """A batch is one transaction: if its last write fails, its first writes are rolled back."""
    from ingest import loader as loader_mod

    real = loader_mod._sql

    def broken_sql(dialect):
        sql = real(dialect)
        sql["urls"] = "INSERT INTO no_such_table VALUES (" + sql["ph"] + ")"
        return sql

    monkeypatch.setattr(loader_mod, "_sql", broken_sql)
    from ingest import bulk  # PostgreSQL's COPY path writes with its own statements
    monkeypatch.setitem(bulk._sql(), "urls", "INSERT INTO no_such_table SELECT 1")
    with pytest.raises(Exception):
        load(engine, [TWARC + "2sets.jsonl"])
    assert scalar(engine, "SELECT count(*) FROM tweets") == 0
    assert scalar(engine, "SELECT count(*) FROM users") == 0
