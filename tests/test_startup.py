"""The command lines start fast because they import only what the command needs: ``--help``
imports no database, X API, graph or dashboard library, and ``ingest status`` on SQLite reads
with the standard library. Not timed (a shared machine makes timings flaky): each test runs the
real ``python -m ...`` in a fresh interpreter with ``-X importtime`` and checks what it
imported. ``benchmarks/startup_bench.py`` measures the time."""

from __future__ import annotations

import subprocess
import sys

import pytest

from store.db import make_engine
from store.migrate import upgrade
from tests.conftest import ROOT

# Heavy libraries (and our own modules that pull them in) that no --help needs.
HEAVY = {"tweepy", "networkx", "scipy", "pandas", "numpy", "streamlit", "alembic",
         "sqlalchemy", "tqdm", "orjson", "requests", "store.models", "store.migrate",
         "ingest.xapi", "ingest.xjob", "ingest.files", "ingest.loader", "ingest.erase_jobs",
         "ingest.demo", "ingest.readers", "graph.rank", "graph.features", "outreach.export"}
# What `ingest status` must not import on any database.
NOT_FOR_STATUS = {"tweepy", "networkx", "scipy", "pandas", "streamlit", "alembic",
                  "store.models", "store.migrate", "ingest.xapi", "ingest.files", "tqdm"}
# ... and on a SQLite file, where it reads with the standard library's sqlite3.
NOT_FOR_SQLITE_STATUS = NOT_FOR_STATUS | {"sqlalchemy", "numpy", "orjson"}


def imported(*args: str, env: dict | None = None) -> set[str]:
    """The modules ``python -X importtime -m ARGS`` imported (top-level packages and their
    submodules, e.g. both "sqlalchemy" and "sqlalchemy.orm")."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    names.discard("package")  # the header line
    assert "argparse" in names, "no -X importtime output"
    return names


def heavy_in(names: set[str], forbidden: set[str]) -> list[str]:
    return sorted(n for n in names if n in forbidden or n.split(".")[0] in forbidden
                  or any(n.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize("args", [("ingest", "--help"), ("graph", "--help"),
                                  ("store", "--help"), ("ingest", "status", "--help"),
                                  ("ingest", "file", "--help"), ("graph", "rank", "--help")])
def test_help_imports_nothing_heavy(args):
    assert heavy_in(imported(*args), HEAVY) == []


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'startup.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_status_on_sqlite_reads_with_the_standard_library(sqlite_db, extra):
    assert heavy_in(imported("ingest", "status", "--db", sqlite_db, *extra),
                    NOT_FOR_SQLITE_STATUS) == []


def test_status_on_any_database_reads_without_sqlalchemy(db_url):
    """SQLite through the standard library, PostgreSQL through psycopg alone: neither imports
    SQLAlchemy, the ORM models or Alembic."""
    engine = make_engine(db_url)
    upgrade(engine)
    engine.dispose()
    assert heavy_in(imported("ingest", "status", "--json", "--db", db_url),
                    NOT_FOR_SQLITE_STATUS) == []


def test_status_read_directly_equals_status_read_through_sqlalchemy(db_url):
    """The TWCS head, loaded: the status `ingest status` reads with sqlite3 or psycopg is the
    one the health page reads through SQLAlchemy, key for key; a URL that libpq cannot read
    falls back to SQLAlchemy."""
    from datetime import datetime

    from ingest import cli
    from ingest.status import collect_status, schema_is_current
    from store.db import postgres_connection, sqlite_connection
    from tests.conftest import realdata

    path = realdata("twcs-head-monalisapatra26/twcs.csv")
    assert cli.main(["file", str(path), "--db", db_url]) == 0
    now = datetime(2017, 12, 5, 12, 0)
    engine = make_engine(db_url)
    through = collect_status(engine, now=now)
    direct = sqlite_connection(db_url) or postgres_connection(db_url)
    assert direct is not None and schema_is_current(direct) and schema_is_current(engine)
    try:
        assert collect_status(direct, now=now) == through
    finally:
        direct.close()
        engine.dispose()
    assert through["tweets"] == 5000 and through["rejected"] == 0
    if db_url.startswith("postgresql"):
        assert postgres_connection(db_url + "?no_such_option=1") is None
        assert postgres_connection(db_url.replace("+psycopg", "+asyncpg")) is None


def test_copies_made_for_a_fast_start_match_their_sources(engine):
    """The parser's choices, the status's edge kinds and its schema head are copied (or read
    without Alembic) so the command lines need not import their sources: they must agree."""
    from ingest import cli, demo, status
    from ingest.readers import detect
    from store import migrate, models

    assert cli.FORMATS == detect.FORMATS
    assert cli.SIZES == demo.SIZES
    assert status.EDGE_KINDS == models.EDGE_KINDS
    assert status._head_revision() == migrate.head()
    assert status.schema_is_current(engine)


def test_an_older_schema_is_not_taken_for_current(tmp_path):
    import sqlite3

    from ingest import status

    db = sqlite3.connect(tmp_path / "old.db")
    assert not status.schema_is_current(db)  # no alembic_version table
    db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    db.execute("INSERT INTO alembic_version VALUES ('0001')")
    assert not status.schema_is_current(db)
    db.execute("UPDATE alembic_version SET version_num = ?", (status._head_revision(),))
    assert status.schema_is_current(db)
