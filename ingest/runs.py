"""Ingest runs: each one recorded with its counts and errors, and never two at once.

SQLite gets a file lock beside the database file; PostgreSQL a session advisory lock. Either is
released by the operating system or the server if the process dies, so a crash never leaves a
stale lock behind.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, insert, text, update

from store.db import utcnow
from store.models import IngestRun

__all__ = ["RunLockedError", "run_lock", "start_run", "finish_run", "utcnow"]

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


def start_run(engine: Engine, command: str, source: str) -> int:
    with engine.begin() as conn:
        return conn.execute(
            insert(IngestRun).values(command=command, source=source[:4000], started_at=utcnow(),
                                     status="running").returning(IngestRun.id)
        ).scalar_one()


def finish_run(engine: Engine, run_id: int, status: str, counts: dict | None = None,
               error: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(IngestRun).where(IngestRun.id == run_id).values(
                finished_at=utcnow(), status=status,
                counts=json.dumps(counts) if counts is not None else None,
                error=error[:8000] if error else None,
            )
        )
