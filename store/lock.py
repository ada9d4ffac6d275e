"""One writer at a time per database: a file lock beside a SQLite file, an advisory lock on
PostgreSQL (both released if the process dies). Ingest jobs and the schema step take it."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

__all__ = ["RunLockedError", "run_lock"]

_ADVISORY_KEY = 0x43484D50  # "CHMP": one key for every ingest job on this database


class RunLockedError(RuntimeError):
    """Another ingest run holds the lock on this database."""


@contextmanager
def run_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "sqlite":
        db = engine.url.database
        if not db or db == ":memory:":
            yield
            return
        lock_path = Path(db).with_name(Path(db).name + ".ingest.lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RunLockedError(
                    f"another ingest run is using {db} (lock {lock_path})") from None
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            os.close(fd)
        return
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _ADVISORY_KEY}).scalar()
        conn.commit()
        if not got:
            raise RunLockedError("another ingest run holds the advisory lock on this database")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_KEY})
            conn.commit()
