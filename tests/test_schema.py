"""Alembic owns the schema: the migrations build it, an old database upgrades in place,
readers never run DDL, the lock comes before the schema step, and dead or busy runs are
recorded, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from ingest import cli
from ingest.files import import_files
from store import __main__ as store_cli
from store.db import make_engine
from store.migrate import SchemaError, _config, check, current, head, upgrade
from store.models import Base
from tests.conftest import realdata, scalar

ROOT = Path(__file__).resolve().parent.parent
TWEETS = "twitter-to-sqlite/tests/tweets.json"


def test_migrations_build_exactly_the_models(db_url):
    """The migrated schema has every table and index the models declare: nothing else made
    the schema, so the two must agree."""
    engine = make_engine(db_url)
    assert current(engine) is None
    assert upgrade(engine) == (None, head())
    found = inspect(engine)
    tables = set(found.get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    index_sql = ("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
                 if engine.dialect.name == "sqlite"
                 else "SELECT indexname FROM pg_indexes WHERE tablename = :t")
    for table in Base.metadata.sorted_tables:
        with engine.connect() as conn:  # expression indexes too, which inspect() skips
            have = {r[0] for r in conn.execute(text(index_sql), {"t": table.name})}
        assert {ix.name for ix in table.indexes} <= have, table.name
        assert {c["name"] for c in found.get_columns(table.name)} == set(table.columns.keys())
    assert upgrade(engine) == (head(), head())  # idempotent
    engine.dispose()


def test_released_database_upgrades_in_place(db_url):
    """A database made by the released code (create_all, no alembic_version) keeps its data
    and gains the new tables; the old role cache goes."""
    engine = make_engine(db_url)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")  # the released schema, table for table
        conn.execute(text("DROP TABLE alembic_version"))  # as create_all left it
        conn.execute(text("INSERT INTO users (id, username, is_stub, is_brand)"
                          " VALUES (1, 'kept', FALSE, FALSE)"))
        conn.execute(text("INSERT INTO tweet_roles VALUES (5, TRUE, FALSE, FALSE, FALSE, FALSE)"))
        conn.execute(text("INSERT INTO graph_state VALUES ('roles', 'old')"))
    with pytest.raises(SchemaError, match="pre-Alembic.*python -m store upgrade"):
        check(engine)
    assert store_cli.main(["upgrade", "--db", db_url]) == 0
    check(engine)
    found = inspect(engine)
    assert found.has_table("tweet_acts") and found.has_table("suppressions")
    assert not found.has_table("tweet_roles")
    assert scalar(engine, "SELECT username FROM users WHERE id = 1") == "kept"
    assert scalar(engine, "SELECT count(*) FROM graph_state") == 0  # roles are reclassified
    engine.dispose()


def test_readers_never_run_ddl(db_url, capsys):
    """Status, rank and the dashboard's check on an empty database change nothing and say
    what to do."""
    from graph import cli as graph_cli

    engine = make_engine(db_url)
    with engine.connect():
        pass  # an empty SQLite file (no file at all is said apart: tests/test_graph_cli.py)
    assert cli.main(["status", "--db", db_url]) == cli.EXIT_FAILED
    assert graph_cli.main(["rank", "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert err.count("the database is empty") == 2 and "python -m store upgrade" in err
    with pytest.raises(SchemaError):
        check(engine)
    assert inspect(engine).get_table_names() == []
    # The first import creates the schema (under the run lock).
    assert cli.main(["file", str(realdata(TWEETS)), "--db", db_url]) == cli.EXIT_OK
    check(engine)
    assert cli.main(["status", "--db", db_url]) == cli.EXIT_OK
    engine.dispose()


def test_two_first_imports_into_a_fresh_database(tmp_path):
    """Two imports into a database that does not exist yet: the second, started while the
    first holds the lock, exits 4 with no traceback and created nothing (the lock comes before
    the schema step); the first creates the schema and loads."""
    from ingest.demo import DemoSpec, generate_demo

    demo = tmp_path / "demo.jsonl"
    generate_demo(demo, DemoSpec(150_000, 3))  # long enough to still hold the lock
    db = tmp_path / "fresh.db"
    url = f"sqlite:///{db}"
    lock = db.with_name(db.name + ".ingest.lock")
    first = subprocess.Popen([sys.executable, "-m", "ingest", "file", str(demo), "--db", url],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.run([sys.executable, "-m", "ingest", "file", str(demo), "--db", url],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    code = first.wait(timeout=300)
    err = first.stderr.read()
    assert second.returncode == cli.EXIT_LOCKED, second.stderr
    assert "another ingest run" in second.stderr and "Traceback" not in second.stderr
    assert code == cli.EXIT_OK and "Traceback" not in err, err
    engine = make_engine(url)
    assert scalar(engine, "SELECT count(*) FROM ingest_runs") == 1
    engine.dispose()


def test_a_run_left_running_is_marked_abandoned(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO ingest_runs (command, source, started_at, status)"
                          " VALUES ('file', 'x', '2026-11-01 00:00:00', 'running')"))
    assert cli.main(["file", str(realdata(TWEETS)), "--db", db_url]) == cli.EXIT_OK
    rows = dict(engine.connect().execute(text("SELECT id, status FROM ingest_runs")).all())
    assert sorted(rows.values()) == ["abandoned", "ok"]
    engine.dispose()


def test_a_busy_sqlite_database_is_a_clear_error(tmp_path, monkeypatch, capsys):
    """Another process holds a write transaction past the busy timeout: the import says so in
    one sentence, exits 1, and the run is recorded once the database is free."""
    from store import db as store_db

    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = make_engine(url)
    upgrade(engine)
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 1)
    monkeypatch.setattr(cli, "BUSY_TIMEOUT_S", 1)
    blocker = sqlite3.connect(tmp_path / "busy.db")
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("INSERT INTO graph_state VALUES ('busy', 'yes')")
    try:
        code = cli.main(["file", str(realdata(TWEETS)), "--db", url])
    finally:
        blocker.rollback()
        blocker.close()
    err = capsys.readouterr().err
    assert code == cli.EXIT_FAILED
    assert "the database is busy" in err and "Traceback" not in err
    # The next run records the one the busy database could not, with its reason.
    assert cli.main(["file", str(realdata(TWEETS)), "--db", url]) == cli.EXIT_OK
    runs = engine.connect().execute(
        text("SELECT status, error FROM ingest_runs ORDER BY id")).all()
    assert [r[0] for r in runs] == ["failed", "ok"]
    assert runs[0][1].startswith("the database is busy")
    engine.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_readers_during_an_import_on_postgresql(db_url, tmp_path):
    """Status, rank and a dashboard engine start while an import runs: none of them takes a
    schema lock, so the import finishes (it deadlocked in 3 of 4 tries when readers ran
    CREATE INDEX IF NOT EXISTS)."""
    from ingest.demo import DemoSpec, generate_demo

    demo = tmp_path / "demo.jsonl"
    generate_demo(demo, DemoSpec(60_000, 5))
    engine = make_engine(db_url)
    import_files(engine, None, [realdata(TWEETS)], log=lambda m: None)  # schema + a little data
    importer = subprocess.Popen([sys.executable, "-m", "ingest", "file", str(demo),
                                 "--db", db_url], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    readers = []
    try:
        time.sleep(1.0)
        for args in (["-m", "ingest", "status", "--json"], ["-m", "graph", "rank"],
                     ["-c", "from store.db import make_engine; from store.migrate import check;"
                            f"e = make_engine({db_url!r}); check(e);"
                            "from graph.results import runs; print(len(runs(e)))"]):
            readers.append(subprocess.run([sys.executable, *args, "--db", db_url]
                                          if args[0] == "-m" else [sys.executable, *args],
                                          cwd=ROOT, capture_output=True, text=True,
                                          timeout=300))
        assert importer.wait(timeout=300) == cli.EXIT_OK, importer.stderr.read()
    finally:
        if importer.poll() is None:
            importer.kill()
    for r in readers:
        assert r.returncode == 0, r.stderr
        assert "Deadlock" not in r.stderr
    status = json.loads(readers[0].stdout)
    assert status["tweets"] > 0  # status read the data the import had committed
    assert scalar(engine, "SELECT count(*) FROM tweets") > 50_000
    engine.dispose()


def test_store_cli_current_and_help(db_url, capsys):
    assert store_cli.main(["current", "--db", db_url]) == 0
    assert f"database: none; code: {head()}" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        store_cli.main(["upgrade", "--help"])
    assert exc.value.code == 0



def test_indexes_a_killed_bulk_load_dropped_come_back(engine):
    """A first load into an empty database drops its deferred indexes; killed before it built
    them again, it leaves them missing. The next job's schema step (``upgrade``, at head
    already) puts them back, so the ranking's queries are not left without them."""
    from store.migrate import bulk_load_indexes

    def indexes():
        found = inspect(engine)
        return {ix["name"] for t in ("tweets", "interactions", "tweet_acts")
                for ix in found.get_indexes(t)}

    want = indexes()
    assert {"ix_tweets_author_time", "ix_tweet_acts_fix_link"} <= want
    bulk_load_indexes(engine, drop=True)  # the load starts ... and is killed
    assert "ix_tweets_author_time" not in indexes()
    assert upgrade(engine) == (head(), head())
    assert indexes() == want
