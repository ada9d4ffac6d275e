"""Engines and sessions, made in one place from one URL."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateIndex, DropIndex

from store.models import Base

__all__ = [
    "make_engine", "init_db", "bind_time", "drop_deferrable_indexes",
    "create_deferrable_indexes", "utcnow",
]


def utcnow() -> datetime:
    """Now, in UTC, without a time zone (how every timestamp is stored)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for ``url``; SQLite files get WAL and their folder is created.

    ``create`` makes the tables that do not exist yet (the schema is versioned with the code; see
    the README's design notes on migrations).
    """
    parsed = make_url(url)
    kwargs: dict = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 60}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if create:
        init_db(engine)
    return engine


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


def init_db(engine: Engine) -> None:
    """Create missing tables, and missing indexes on existing tables (a bulk load that died
    after dropping its secondary indexes gets them back here)."""
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            for index in table.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))


# Indexes only reads need. A bulk load into an empty database drops them and builds them once at
# the end, which is far faster than maintaining them row by row. Unique keys (which the upserts
# rely on) and the username index (which resolves mentions while loading) are never dropped.
def deferrable_indexes():
    keep = {"ix_users_username_lower"}
    return [ix for t in Base.metadata.sorted_tables for ix in t.indexes
            if not ix.unique and ix.name not in keep]


def drop_deferrable_indexes(engine: Engine) -> None:
    with engine.begin() as conn:
        for index in deferrable_indexes():
            conn.execute(DropIndex(index, if_exists=True))


def create_deferrable_indexes(engine: Engine) -> None:
    with engine.begin() as conn:
        for index in deferrable_indexes():
            conn.execute(CreateIndex(index, if_not_exists=True))
