"""The file import job: paths in, one recorded run out."""

from __future__ import annotations

import gzip
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DataError, IntegrityError

from ingest.loader import LoadCounts, Loader, link_replies
from ingest.readers.archive import ArchiveError
from ingest.readers.bounded import InputTooLarge
from ingest.readers.detect import FormatError, expand, read_path
from ingest.records import Parsed, Problem, storable
from ingest.runs import utcnow
from settings import IngestLimits
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
    limits: IngestLimits | None = None,
) -> FileResult:
    """Load every path (files, folders, zips). ``only_changed`` skips files already loaded in
    full whose size and mtime have not changed (what scheduled runs want). ``limits`` are the
    ``[ingest]`` caps on line, document and decompressed sizes (default: the defaults).

    A file never stops the others: one that cannot be opened or read to its end (a damaged
    gzip or zip, an unreadable archive manifest, past a cap), or whose every record was
    rejected, is listed in ``failed``, named, with the reason. The caller holds
    the ingest run lock; the schema is created or migrated first (the first import)."""
    upgrade(engine)
    result = FileResult()
    loader = Loader(engine, run_id, batch_tweets=batch_tweets, on_batch=progress)
    bulk = _is_empty(engine)
    if bulk:
        bulk_load_indexes(engine, drop=True)
    try:
        _import_each(engine, run_id, paths, fmt, only_changed, loader, result, log,
                     limits or IngestLimits())
    finally:
        if bulk:
            bulk_load_indexes(engine, drop=False)
    result.counts.replies_linked += link_replies(engine, run_id)
    return result


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM tweets LIMIT 1")).first() is None


@dataclass
class _FileOutcome:
    first_reject: str | None = None
    damage: BaseException | None = None


def _import_each(engine, run_id, paths, fmt, only_changed, loader, result, log, limits) -> None:
    for path in expand(paths):
        try:
            stat = path.stat()
        except OSError as exc:
            reason = ("no such file or folder" if isinstance(exc, FileNotFoundError)
                      else (exc.strerror or str(exc)).lower())
            _fail(result, log, f"{path}: {reason}")
            continue
        key = storable(str(path.resolve()))
        if only_changed and _unchanged(engine, key, stat.st_size, stat.st_mtime_ns):
            result.skipped_files += 1
            continue
        outcome = _FileOutcome()
        loader.on_reject = lambda p, o=outcome: _rejected(p, o, log)
        try:
            used, records = read_path(path, fmt, limits)
        except Exception as exc:  # noqa: BLE001 - whatever stops it opening is this file's
            _fail(result, log, _file_error(path, exc))
            continue
        try:
            counts = loader.load(_guarded(records, outcome), used, storable(str(path)))
        except (DataError, IntegrityError) as exc:  # a value validation let through
            _fail(result, log, _file_error(path, exc))
            continue
        finally:
            loader.on_reject = None
        result.counts.add(counts)
        if outcome.damage is not None:
            # Cut short (a truncated gzip, a cap): what came before it is kept; the file is
            # not remembered, so the next scheduled run reads it again (it may be still
            # being written).
            _fail(result, log, _file_error(path, outcome.damage, counts.records))
            if counts.records > counts.rejected + counts.skipped:
                result.files += 1
            continue
        if counts.rejected and counts.records == counts.rejected + counts.skipped:
            how = ("forced with --format" if fmt != "auto" else
                   "if it is another format, pass --format twarc2, v1, archive or twcs")
            _fail(result, log, f"{path}: all {counts.rejected:,} records were rejected when "
                  f"read as {used} (first: {outcome.first_reject}); {how}")
            # Unchanged, it would fail the same way: remembered, so a schedule does not
            # store its rejects again on every run.
            _remember(engine, key, stat.st_size, stat.st_mtime_ns, run_id)
            continue
        result.files += 1
        _remember(engine, key, stat.st_size, stat.st_mtime_ns, run_id)


def _fail(result: FileResult, log: Callable[[str], None], message: str) -> None:
    result.failed.append(message)
    log(f"error: {printable(message)}")


def _rejected(problem: Problem, outcome: _FileOutcome, log: Callable[[str], None]) -> None:
    text = f"{problem.location}: {problem.reason}"
    if outcome.first_reject is None:
        outcome.first_reject = text
    log(f"rejected: {printable(text)}")


def _guarded(records: Iterable[Parsed | Problem], outcome: _FileOutcome
             ) -> Iterator[Parsed | Problem]:
    """The file's records until it cannot be read further; the error is kept in ``outcome``
    and the stream ends cleanly, so the loader still writes what came before it."""
    try:
        yield from records
    except Exception as exc:  # noqa: BLE001 - any failure to read is this file's
        outcome.damage = exc


def _file_error(path: Path, exc: BaseException, read_before: int = 0) -> str:
    """One line naming the file and what is wrong with it."""
    if isinstance(exc, EOFError):
        msg = f"{path}: the compressed data is cut short ({exc})"
    elif isinstance(exc, (gzip.BadGzipFile, zlib.error)):
        msg = f"{path}: not a readable gzip file ({exc})"
    elif isinstance(exc, zipfile.BadZipFile):
        msg = f"{path}: not a readable zip file ({exc})"
    elif isinstance(exc, (FormatError, InputTooLarge, ArchiveError, OSError,
                          UnicodeDecodeError)):
        msg = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
    else:
        msg = f"{path}: {type(exc).__name__}: {exc}"
    if read_before:
        msg += f" (the {read_before:,} records before it were read)"
    return msg


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
