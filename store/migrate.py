"""The schema step: Alembic migrations, the only code that runs DDL.

* ``upgrade`` creates or migrates the schema. The ingest job calls it under its run lock (so two
  first imports cannot race), and ``python -m store upgrade`` calls it by hand.
* A database made before Alembic owned the schema (the released create_all schema) has tables
  and no ``alembic_version``: it is stamped at revision 0001 and migrated in place.
* Readers (``graph``, ``ingest status``, the dashboard) only ``check`` the revision and say what
  to run; they never change the schema, so they cannot deadlock an import.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.schema import CreateIndex, DropIndex

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


def bulk_load_indexes(engine: Engine, *, drop: bool) -> None:
    """Part of the schema step, for the ingest job only, under its run lock: drop the read-only
    indexes before a first bulk load (``drop=True``) and build them after it."""
    with engine.begin() as conn:
        for index in _deferrable():
            conn.execute(DropIndex(index, if_exists=True) if drop
                         else CreateIndex(index, if_not_exists=True))


def restore_indexes(engine: Engine) -> None:
    """Build any read-only index a bulk load that died part-way left missing."""
    bulk_load_indexes(engine, drop=False)
