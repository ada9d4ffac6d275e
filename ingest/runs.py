"""Ingest runs: each one recorded with its counts and errors, and never two at once.

SQLite gets a file lock beside the database file; PostgreSQL a session advisory lock. Either is
released by the operating system or the server if the process dies, so a crash never leaves a
stale lock behind.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store.db import utcnow

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from store.lock import RunLockedError, run_lock

# Exit codes of the ingest commands (a public interface for schedulers).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL, EXIT_LOCKED, EXIT_USAGE_CAP = 0, 1, 2, 3, 4, 5

__all__ = ["EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_PARTIAL", "EXIT_LOCKED",
           "EXIT_USAGE_CAP", "RunLockedError", "run_lock", "start_run", "finish_run", "utcnow",
           "mark_abandoned", "remember_unrecorded", "record_unrecorded"]


def __getattr__(name: str):
    """``RunLockedError`` and ``run_lock`` from ``store.lock``, imported when first asked for:
    the command line imports this module for its exit codes, and ``--help`` should not import
    SQLAlchemy (which ``store.lock`` does)."""
    if name in ("RunLockedError", "run_lock"):
        from store import lock

        value = getattr(lock, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _pending_path(engine: Engine) -> Path | None:
    db = engine.url.database
    if engine.dialect.name != "sqlite" or not db or db == ":memory:":
        return None
    return Path(db).with_name(Path(db).name + ".unrecorded-runs.jsonl")


def remember_unrecorded(engine: Engine, command: str, source: str, error: str) -> None:
    """A run the database was too busy to record: kept beside the SQLite file (the caller holds
    the run lock) until the next run can write it into ``ingest_runs``."""
    path = _pending_path(engine)
    if path is None:
        return
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"command": command, "source": source[:4000],
                             "at": utcnow().isoformat(sep=" "), "error": error[:8000]}) + "\n")


def record_unrecorded(engine: Engine) -> int:
    """Write runs that could not be recorded (a busy database) as ``failed``; under the lock."""
    path = _pending_path(engine)
    if path is None or not path.exists():
        return 0
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            r = json.loads(line)
            at = datetime.fromisoformat(r["at"])
        except (ValueError, KeyError, TypeError):
            continue
        rows.append({"command": str(r.get("command"))[:32], "source": r.get("source"),
                     "started_at": at, "finished_at": at, "status": "failed",
                     "error": r.get("error")})
    if rows:
        from sqlalchemy import insert

        from store.models import IngestRun

        with engine.begin() as conn:
            conn.execute(insert(IngestRun), rows)
    path.unlink()
    return len(rows)


def mark_abandoned(engine: Engine) -> int:
    """Runs still ``running`` when a new run holds the lock were left by a process that died
    (killed, out of memory, power lost): they are ``abandoned``, not running forever."""
    from sqlalchemy import update

    from store.models import IngestRun

    with engine.begin() as conn:
        res = conn.execute(update(IngestRun).where(IngestRun.status == "running").values(
            status="abandoned", finished_at=utcnow(),
            error="the process running it stopped without recording an end"))
    return max(res.rowcount, 0)


def start_run(engine: Engine, command: str, source: str) -> int:
    from sqlalchemy import insert

    from store.models import IngestRun

    with engine.begin() as conn:
        return conn.execute(
            insert(IngestRun).values(command=command, source=source[:4000], started_at=utcnow(),
                                     status="running").returning(IngestRun.id)
        ).scalar_one()


def finish_run(engine: Engine, run_id: int, status: str, counts: dict | None = None,
               error: str | None = None) -> None:
    from sqlalchemy import update

    from store.models import IngestRun

    with engine.begin() as conn:
        conn.execute(
            update(IngestRun).where(IngestRun.id == run_id).values(
                finished_at=utcnow(), status=status,
                counts=json.dumps(counts) if counts is not None else None,
                error=error[:8000] if error else None,
            )
        )
