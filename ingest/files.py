"""The file import job: paths in, one recorded run out."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select, text

from ingest.loader import LoadCounts, Loader, link_replies
from ingest.readers.detect import FormatError, expand, read_path
from ingest.records import Problem
from ingest.runs import utcnow
from store.migrate import bulk_load_indexes, upgrade
from store.models import ImportedFile
from untrusted import printable

__all__ = ["FileResult", "import_files"]


@dataclass
class FileResult:
    counts: LoadCounts = field(default_factory=LoadCounts)
    files: int = 0
    skipped_files: int = 0
    failed: list[str] = field(default_factory=list)  # "path: reason" for files that could not load


def import_files(
    engine: Engine,
    run_id: int | None,
    paths: list[Path],
    fmt: str = "auto",
    *,
    only_changed: bool = False,
    batch_tweets: int = 20_000,
    progress: Callable[[LoadCounts], None] | None = None,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
) -> FileResult:
    """Load every path (files, folders, zips). ``only_changed`` skips files already loaded in
    full whose size and mtime have not changed (what scheduled runs want). The caller holds
    the ingest run lock; the schema is created or migrated first (the first import)."""
    upgrade(engine)
    result = FileResult()
    loader = Loader(engine, run_id, batch_tweets=batch_tweets, on_batch=progress)
    bulk = _is_empty(engine)
    if bulk:
        bulk_load_indexes(engine, drop=True)
    try:
        _import_each(engine, run_id, paths, fmt, only_changed, loader, result, log)
    finally:
        if bulk:
            bulk_load_indexes(engine, drop=False)
    result.counts.replies_linked += link_replies(engine, run_id)
    return result


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM tweets LIMIT 1")).first() is None


def _import_each(engine, run_id, paths, fmt, only_changed, loader, result, log) -> None:
    for path in expand(paths):
        if not path.exists():
            result.failed.append(f"{path}: no such file or folder")
            log(f"error: {path}: no such file or folder")
            continue
        stat = path.stat()
        key = str(path.resolve())
        if only_changed and _unchanged(engine, key, stat.st_size, stat.st_mtime_ns):
            result.skipped_files += 1
            continue
        try:
            used, records = read_path(path, fmt)
            counts = loader.load(_logged(records, log), used, str(path))
        except (FormatError, OSError, UnicodeDecodeError) as exc:
            msg = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
            result.failed.append(msg)
            log(f"error: {msg}")
            continue
        result.counts.add(counts)
        result.files += 1
        _remember(engine, key, stat.st_size, stat.st_mtime_ns, run_id)


def _logged(records, log):
    for rec in records:
        if isinstance(rec, Problem) and rec.rejected:
            log(f"rejected: {printable(rec.location)}: {printable(rec.reason)}")
        yield rec


def _unchanged(engine: Engine, key: str, size: int, mtime_ns: int) -> bool:
    with engine.connect() as conn:
        row = conn.execute(select(ImportedFile).where(ImportedFile.path == key)).first()
    return row is not None and row.size == size and row.mtime_ns == mtime_ns


def _remember(engine: Engine, key: str, size: int, mtime_ns: int, run_id: int | None) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM imported_files WHERE path = :p"), {"p": key})
        conn.execute(
            text("INSERT INTO imported_files (path, size, mtime_ns, run_id, loaded_at)"
                 " VALUES (:p, :s, :m, :r, :t)"),
            {"p": key, "s": size, "m": mtime_ns, "r": run_id, "t": utcnow()},
        )
