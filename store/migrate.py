"""The schema step: Alembic migrations, the only code that runs DDL.

* ``upgrade`` creates or migrates the schema. The ingest job calls it under its run lock (so two
  first imports cannot race), and ``python -m store upgrade`` calls it by hand.
* A database made before Alembic owned the schema (the released create_all schema) has tables
  and no ``alembic_version``: it is stamped at revision 0001 and migrated in place.
* Readers (``graph``, ``ingest status``, the dashboard) only ``check`` the revision and say what
  to run; they never change the schema, so they cannot deadlock an import.
"""

from __future__ import annotations

import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from store.models import Base

__all__ = ["upgrade", "check", "current", "head", "SchemaError", "bulk_load_indexes",
           "restore_indexes"]

_HERE = Path(__file__).resolve().parent / "migrations"


class SchemaError(RuntimeError):
    """The database has no schema yet, or an older one: run ``python -m store upgrade``."""


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE))
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The schema revision of the database (None: no Alembic schema yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check(engine: Engine) -> None:
    """For readers: raise SchemaError naming the fix unless the schema is current."""
    rev = current(engine)
    if rev == head():
        return
    if rev is None and not inspect(engine).has_table("tweets"):
        raise SchemaError("the database is empty: load tweets (python -m ingest ...) or run "
                          "`python -m store upgrade` to create the schema")
    raise SchemaError(f"the database schema is at revision {rev or 'pre-Alembic'}, the code "
                      f"needs {head()}: run `python -m store upgrade`")


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Create or migrate the schema to the newest revision; returns (from, to). Call it
    holding the ingest run lock."""
    before = current(engine)
    if before == head():
        # A load killed outright leaves its deferred indexes (and foreign keys) dropped:
        # put back whatever is missing (a no-op otherwise).
        restore_indexes(engine)
        return before, before
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        found = inspect(conn)
        if before is None and found.has_table("tweets"):
            # A schema made by create_all before Alembic: the released one (0001), or a
            # development build that already had issue 7's tables (0002). Adopt it in place.
            command.stamp(cfg, "0002" if found.has_table("tweet_acts") else "0001")
        command.upgrade(cfg, "head")
    restore_indexes(engine)
    return before, head()


# Indexes only reads need. A bulk load into an empty database drops them and builds them once
# at the end, which is far faster than maintaining them row by row. Unique keys (which the
# upserts rely on) and the username index (which resolves mentions while loading) stay.
def _deferrable():
    keep = {"ix_users_username_lower"}
    return [ix for t in Base.metadata.sorted_tables for ix in t.indexes
            if not ix.unique and ix.name not in keep]


# On PostgreSQL the loaded tables' foreign keys are deferred the same way (its manual's
# "Populating a Database" advice): a key is checked by a trigger per row (a lookup and a share
# lock on the user), which was half the time of a first load's inserts (EXPLAIN ANALYZE: 330 of
# 650 ms a 20k-tweet batch); re-adding the three keys checks each table in one join (1.5 s at
# 1.37M tweets). The loader writes every referenced user, a stub if need be, in the same
# transaction as the rows that refer to it, so the check at the end cannot fail. SQLite cannot
# drop a constraint without rebuilding its table, and checks cheaply anyway.
_LOADED = {"tweets", "interactions"}


def _deferrable_fks():
    return [fk for t in Base.metadata.sorted_tables if t.name in _LOADED
            for fk in t.foreign_key_constraints]


def bulk_load_indexes(engine: Engine, *, drop: bool) -> None:
    """Part of the schema step, for the ingest job only, under its run lock: drop the read-only
    indexes (and on PostgreSQL the loaded tables' foreign keys) before a first bulk load
    (``drop=True``) and build them after it, or build whichever are missing."""
    if engine.dialect.name == "postgresql":
        if drop:
            _drop_for_bulk_load(engine)
            return
        with engine.connect() as conn:
            have = set(conn.execute(text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            )).scalars())
        missing = [ix for ix in _deferrable() if ix.name not in have]
    else:
        missing = _deferrable()
    with engine.begin() as conn:
        for index in missing:
            conn.execute(DropIndex(index, if_exists=True) if drop
                         else CreateIndex(index, if_not_exists=True))
        if conn.dialect.name != "postgresql":
            return
        have = set(conn.execute(text(
            "SELECT conname FROM pg_constraint WHERE contype = 'f'"
            " AND connamespace = current_schema()::regnamespace")).scalars())
        for fk in _deferrable_fks():
            if fk.name not in have:
                conn.execute(AddConstraint(fk))


# Dropping an index or a key locks its table outright (ACCESS EXCLUSIVE). Taken one table at
# a time while a ranking reads, a lock held on one table and awaited on the next made a
# deadlock (1 of 6 trials). So a first load takes all of them in one LOCK, giving up after
# a fraction of a second, before PostgreSQL's deadlock check (1 s) could pick a reader as
# its victim, and tries again, holding nothing in between: readers only ever wait.
_LOCK_WAIT = "200ms"
_LOCK_TRIES = 2_000  # about ten minutes of readers holding a table (a long ranking)


def _drop_for_bulk_load(engine: Engine) -> None:
    from sqlalchemy.exc import OperationalError

    tables = sorted({ix.table.name for ix in _deferrable()} | _LOADED)
    for attempt in range(_LOCK_TRIES):
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{_LOCK_WAIT}'")
                conn.exec_driver_sql(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
                for index in _deferrable():
                    conn.execute(DropIndex(index, if_exists=True))
                for fk in _deferrable_fks():
                    conn.execute(DropConstraint(fk, if_exists=True))
            return
        except OperationalError as exc:
            if "lock timeout" not in str(exc):
                raise
            if attempt == _LOCK_TRIES - 1:
                raise SchemaError("a first load could not take its tables: other sessions"
                                  " (rankings, the dashboard) kept reading them for ten"
                                  " minutes; try again when they are done") from None
            time.sleep(0.1)


def restore_indexes(engine: Engine) -> None:
    """Build any read-only index (or, on PostgreSQL, foreign key) a bulk load that died
    part-way left missing."""
    bulk_load_indexes(engine, drop=False)
