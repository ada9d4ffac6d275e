"""Engines and sessions, made in one place from one URL.

SQLAlchemy is imported when an engine is made, not with this module: ``python -m ingest
status`` reads a SQLite file through ``sqlite_connection`` (the standard library, the same
timeout and pragmas) and a PostgreSQL database through ``postgres_connection`` (psycopg
alone): importing SQLAlchemy takes longer than that whole command should.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["make_engine", "sqlite_connection", "postgres_connection", "copy_rows", "pyformat",
           "bind_time", "utcnow", "missing_sqlite_file", "no_database", "BUSY_TIMEOUT_S"]


def utcnow() -> datetime:
    """Now, in UTC, without a time zone (how every timestamp is stored)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL and their folder is created.

    It never changes the schema: ``store.migrate.upgrade`` does, in the ingest job under its
    run lock or from ``python -m store upgrade``.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    kwargs: dict = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_S}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


# A SQLite file URL that needs no URL decoding and carries no driver options: the only kind
# ``sqlite_connection`` opens itself (anything else goes through SQLAlchemy).
_PLAIN_SQLITE_FILE = re.compile(r"sqlite(?:\+pysqlite)?:///(?P<path>[^?%]+)")


def sqlite_connection(url: str) -> sqlite3.Connection | None:
    """A standard-library connection to the SQLite file ``url`` names, as ``make_engine``'s
    engine would connect (its folder created, the busy timeout, WAL and the other pragmas);
    None for any other URL (PostgreSQL, in-memory, URL-encoded paths, query options)."""
    m = _PLAIN_SQLITE_FILE.fullmatch(url)
    if m is None or m["path"] == ":memory:":
        return None
    Path(m["path"]).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(m["path"], timeout=BUSY_TIMEOUT_S)
    _sqlite_pragmas(conn, None)
    return conn


# Any SQLite file URL: the path (URL-encoded) and the query options SQLAlchemy passes on.
_SQLITE_FILE = re.compile(r"sqlite(?:\+\w+)?:///(?P<path>[^?]*)(?:\?(?P<query>.*))?", re.S)


def missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names, when there is no such file; None when it exists or ``url``
    is not a SQLite file (PostgreSQL, in-memory, or a ``uri=true`` URI this cannot read).

    Commands that only read check this first: connecting to a missing file creates it empty,
    and the next command then finds a database with no schema instead of no database."""
    m = _SQLITE_FILE.fullmatch(url)
    if m is None or m["path"] in ("", ":memory:") or "uri=" in (m["query"] or ""):
        return None
    path = Path(unquote(m["path"]))  # as SQLAlchemy decodes it
    return None if path.exists() else path


def no_database(path: Path) -> str:
    """What ``python -m graph`` and ``python -m ingest status`` say when the SQLite file they
    were given does not exist, and how to make one."""
    return (f"no database at {path} (from --db, $CHAMPIONS_DB_URL or the default): load "
            "tweets into it first with `python -m ingest file PATH...` (or `python -m ingest "
            "demo`, or `python -m ingest x`), or give --db the URL of an existing database")


# A PostgreSQL URL for the psycopg driver, the one kind ``postgres_connection`` opens itself.
_PSYCOPG_URL = re.compile(r"postgresql\+psycopg://(?P<rest>.*)", re.S)


def postgres_connection(url: str):
    """A psycopg connection (read-only, no SQLAlchemy) to the PostgreSQL database ``url``
    names, for ``python -m ingest status``; None for any other URL, when libpq cannot read it
    as a connection URI (query options only SQLAlchemy interprets), or when it cannot
    connect: the caller then goes through ``make_engine``, which reports the failure as every
    command does."""
    m = _PSYCOPG_URL.fullmatch(url)
    if m is None:
        return None
    import psycopg

    try:
        conn = psycopg.connect("postgresql://" + m["rest"])
    except psycopg.Error:
        return None
    conn.read_only = True
    return conn


# How long a SQLite writer waits for another process's write lock before giving up.
BUSY_TIMEOUT_S = 30


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def ranking_cache_path(engine: Engine) -> Path | None:
    """Where a ranking keeps what it read for the next (``graph.incremental``): beside a
    SQLite file (``<file>.rank-cache``), else under ``$CHAMPIONS_CACHE_DIR`` (default
    ``~/.cache/champion-tracker``), named by the URL without its password. None for an
    in-memory database."""
    import hashlib
    import os

    url = engine.url
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return None
        return Path(f"{url.database}.rank-cache")
    base = Path(os.environ.get("CHAMPIONS_CACHE_DIR")
                or Path.home() / ".cache" / "champion-tracker")
    key = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return base / f"rank-{key}.pickle"


# What a process that ranks again and again (``ingest schedule --rank``) keeps of its last
# ranking in memory, by the kept file's path: (what it kept, whether the file holds it yet)
# (``graph.incremental``). An erasure drops it with the file, so it is never written back.
RESIDENT_KEPT: dict[Path, tuple[object, bool]] = {}


def forget_ranking_cache(engine: Engine) -> None:
    """Delete what a ranking kept, in its file and in this process's memory (after an
    erasure: it may name who was erased; the next ranking starts from scratch and keeps what
    it reads then)."""
    path = ranking_cache_path(engine)
    if path is not None:
        RESIDENT_KEPT.pop(path, None)
        path.unlink(missing_ok=True)


def bind_time(dialect: str, value: datetime) -> datetime | str:
    """A timestamp as a query parameter: SQLite stores them as ISO text (and Python 3.12
    deprecates sqlite3's datetime adapter), PostgreSQL as timestamps."""
    return value.strftime("%Y-%m-%d %H:%M:%S") if dialect == "sqlite" else value


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def pyformat(sql: str) -> str:
    """``:name`` parameters (SQLAlchemy's and sqlite3's style) as psycopg's ``%(name)s``, a
    literal % doubled: for SQL run on the driver's own connection."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def copy_rows(conn, table: str, cols, rows) -> None:
    """PostgreSQL: COPY ``rows`` (tuples in ``cols``' order) into ``table``, on an SQLAlchemy
    connection's own psycopg 3 connection, inside its transaction. Driver errors are raised as
    SQLAlchemy's, as every other statement's are, so callers tell a bad value (``DataError``)
    from a lost server (``OperationalError``)."""
    from sqlalchemy.exc import DBAPIError

    statement = f"COPY {table} ({', '.join(cols)}) FROM STDIN"
    raw = conn.connection.driver_connection
    try:
        with raw.cursor() as cur, cur.copy(statement) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    except raw.Error as exc:  # psycopg.Error, without importing the driver here
        raise DBAPIError.instance(statement, None, exc, type(raw).Error) from exc
