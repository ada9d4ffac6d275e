"""Engines and sessions, made in one place from one URL."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["make_engine", "bind_time", "utcnow", "BUSY_TIMEOUT_S"]


def utcnow() -> datetime:
    """Now, in UTC, without a time zone (how every timestamp is stored)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL and their folder is created.

    It never changes the schema: ``store.migrate.upgrade`` does, in the ingest job under its
    run lock or from ``python -m store upgrade``.
    """
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


def bind_time(dialect: str, value: datetime) -> datetime | str:
    """A timestamp as a query parameter: SQLite stores them as ISO text (and Python 3.12
    deprecates sqlite3's datetime adapter), PostgreSQL as timestamps."""
    return value.strftime("%Y-%m-%d %H:%M:%S") if dialect == "sqlite" else value
