"""Ingest runs: each one recorded with its counts and errors, and never two at once.

SQLite gets a file lock beside the database file; PostgreSQL a session advisory lock. Either is
released by the operating system or the server if the process dies, so a crash never leaves a
stale lock behind.
"""

from __future__ import annotations

import json

from sqlalchemy import Engine, insert, update

from store.db import utcnow
from store.lock import RunLockedError, run_lock
from store.models import IngestRun

__all__ = ["RunLockedError", "run_lock", "start_run", "finish_run", "utcnow",
           "mark_abandoned"]

def mark_abandoned(engine: Engine) -> int:
    """Runs still ``running`` when a new run holds the lock were left by a process that died
    (killed, out of memory, power lost): they are ``abandoned``, not running forever."""
    with engine.begin() as conn:
        res = conn.execute(update(IngestRun).where(IngestRun.status == "running").values(
            status="abandoned", finished_at=utcnow(),
            error="the process running it stopped without recording an end"))
    return max(res.rowcount, 0)


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
