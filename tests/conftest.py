"""Shared fixtures: real data from ../shared/realdata, and a fresh database per test on SQLite and
on PostgreSQL (skipped with a reason when no server answers, except under CI, where it fails)."""

from __future__ import annotations

import os
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import hypothesis  # noqa: F401 - loaded up front: CPython 3.11.7 can fail to parse (AST
import pytest      # recursion depth mismatch) when hypothesis's pytest plugin imports it
                   # lazily in the terminal summary after a run that logged from threads
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from store.db import make_engine
from store.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
# Kept rankings of PostgreSQL test databases (graph.incremental) go to a folder of this run,
# not to the home folder.
os.environ.setdefault("CHAMPIONS_CACHE_DIR", tempfile.mkdtemp(prefix="champions-cache-"))
REALDATA = Path(os.environ.get("CHAMPIONS_REALDATA", ROOT.parent / "shared" / "realdata"))
PG_ADMIN_URL = os.environ.get(
    "CHAMPIONS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def realdata(rel: str) -> Path:
    """A file under ../shared/realdata, or a skip that says why."""
    path = REALDATA / rel
    if not path.exists():
        if IN_CI:
            pytest.fail(f"real data missing under CI: {path}")
        pytest.skip(f"real data not found: {path} (expected ../shared/realdata beside the repo)")
    return path


def ranked_twcs_head(folder: Path):
    """The real TWCS head (5,000 tweets, 76 brands, no follower counts) in a SQLite file in
    ``folder``, ranked over all of it with a settings file there: (url, settings path, result)."""
    from graph.rank import run_ranking
    from ingest.files import import_files
    from settings import load_settings
    from store.db import make_engine

    cfg = folder / "champions.toml"
    cfg.write_text('[ranking]\nwindow = "3650d"\n')
    url = f"sqlite:///{folder / 'twcs.db'}"
    engine = make_engine(url)
    import_files(engine, None, [realdata("twcs-head-monalisapatra26/twcs.csv")],
                 log=lambda m: None)
    res = run_ranking(engine, load_settings(cfg))
    engine.dispose()
    return url, cfg, res


def copy_sqlite(url: str, to: Path) -> str:
    """A copy of a SQLite database (for a test that ranks again), as a URL."""
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return f"sqlite:///{to}"


def _pg_available() -> str | None:
    try:
        eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


_PG_PROBLEM: list[str | None] = []


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A URL to a fresh, empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'champions.db'}"
        return
    if not _PG_PROBLEM:
        _PG_PROBLEM.append(_pg_available())
    if _PG_PROBLEM[0]:
        msg = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {_PG_PROBLEM[0]}"
        if IN_CI:
            pytest.fail(msg + " (CI must run the PostgreSQL tests)")
        pytest.skip(msg)
    with _pg_database() as url:
        yield url


@contextmanager
def _pg_database():
    """A fresh PostgreSQL database for one test, dropped after it."""
    name = f"ct_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def second_db_url(db_url, tmp_path):
    """Another fresh, empty database of the same kind as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    with _pg_database() as url:
        yield url


@pytest.fixture
def engine(db_url):
    """An engine on a fresh database with the current schema (made by the migrations)."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


def table_dump(eng, table: str, cols: str, order: str) -> list[tuple]:
    with eng.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT {cols} FROM {table} ORDER BY {order}"))]


def data_dump(eng) -> dict[str, list[tuple]]:
    """Every data table's content, without run ids (which differ between runs by design)."""
    return {
        "users": table_dump(eng, "users", "*", "id"),
        "tweets": table_dump(
            eng, "tweets",
            "id, author_id, created_at, text, lang, conversation_id, kind, in_reply_to_tweet_id,"
            " in_reply_to_user_id, retweeted_id, quoted_id, retweet_count, reply_count,"
            " like_count, quote_count, source, source_ref", "id"),
        "interactions": table_dump(
            eng, "interactions",
            "kind, src_user_id, dst_user_id, key_tweet_id, tweet_id, ref_tweet_id, created_at",
            "key_tweet_id, kind, src_user_id, dst_user_id"),
        "tweet_urls": table_dump(eng, "tweet_urls", "*", "tweet_id, url"),
    }


def scalar(eng, sql: str, **params):
    with eng.connect() as conn:
        return conn.execute(text(sql), params).scalar()
