"""The file import job: paths in, one recorded run out."""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DataError, IntegrityError

from ingest.bulk import analyze
from ingest.loader import LoadCounts, Loader, link_replies
from ingest.parallel import PARALLEL_MIN_BYTES, ParsePool, Unchanged, read_pages
from ingest.readers.archive import ArchiveError, is_tweet_file
from ingest.readers.bounded import InputTooLarge
from ingest.readers.detect import (FORMATS, LINE_READERS, FormatError, detect_format, expand,
                                   read_lines, read_path)
from ingest.records import Parsed, Problem, storable
from ingest.runs import utcnow
from settings import IngestLimits
from store.migrate import bulk_load_indexes, upgrade
from store.models import ImportedFile, LoadedPage
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
    workers: int | None = None,
) -> FileResult:
    """Load every path (files, folders, zips). ``only_changed`` skips files already loaded in
    full whose size and mtime have not changed (what scheduled runs want). ``limits`` are the
    ``[ingest]`` caps on line, document and decompressed sizes (default: the defaults).

    Unchanged content is skipped unparsed, whatever the mtime says (``counts.unchanged``): the
    pages of a JSON-lines file already stored, and whole-document files (archives, TWCS CSVs,
    JSON arrays) already loaded in full. ``workers`` processes parse large JSON-lines files
    (default: one per idle core beyond the writer's, at most two; 0 parses in this process).
    They are started with ``spawn``, which imports the main module again: a script calling
    this must guard its entry point (``if __name__ == "__main__":``), as multiprocessing asks.

    A file never stops the others: one that cannot be opened or read to its end (a damaged
    gzip or zip, an unreadable archive manifest, past a cap), or whose every record was
    rejected, is listed in ``failed``, named, with the reason. The caller holds
    the ingest run lock; the schema is created or migrated first (the first import)."""
    upgrade(engine)
    result = FileResult()
    loader = Loader(engine, run_id, batch_tweets=batch_tweets, on_batch=progress,
                    max_reject_rows=(limits or IngestLimits()).max_reject_rows)
    pool = ParsePool(_default_workers() if workers is None else workers)
    bulk = _is_empty(engine)
    if bulk:
        bulk_load_indexes(engine, drop=True)
    try:
        _import_each(engine, run_id, paths, fmt, only_changed, loader, result, log,
                     limits or IngestLimits(), pool)
    finally:
        pool.close()
        if bulk:
            bulk_load_indexes(engine, drop=False)
    result.counts.replies_linked += link_replies(engine, run_id)
    analyze(engine, result.counts)  # PostgreSQL: statistics for what was loaded
    return result


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM tweets LIMIT 1")).first() is None


@dataclass
class _FileOutcome:
    first_reject: str | None = None
    damage: BaseException | None = None


def _default_workers() -> int:
    """Parsing workers for a large file: one per core that is idle now, beyond the writer's,
    at most two. The writer (SQLite has one) is then most of the work left, so more would
    wait; and where the cores are busy, workers only add the cost of sending rows back."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        idle = cores - os.getloadavg()[0]
    except (AttributeError, OSError):
        idle = cores - 1
    return max(0, min(2, cores - 1, int(idle)))


def _import_each(engine, run_id, paths, fmt, only_changed, loader, result, log, limits,
                 pool) -> None:
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
        skipped = Unchanged()
        try:
            used, records, digest, tweets = _open(engine, path, fmt, limits, pool, skipped,
                                                  loader.on_batch)
        except Exception as exc:  # noqa: BLE001 - whatever stops it opening is this file's
            _fail(result, log, _file_error(path, exc))
            continue
        if records is None:  # a whole document loaded in full before, byte for byte
            counts = LoadCounts(tweets=tweets, tweets_present=tweets, unchanged=1)
            if loader.on_batch is not None:
                loader.on_batch(counts)
            result.counts.add(counts)
            result.files += 1
            _remember(engine, key, stat.st_size, stat.st_mtime_ns, run_id, digest, tweets)
            continue
        try:
            counts = loader.load(_guarded(records, outcome), used, storable(str(path)))
        except (DataError, IntegrityError) as exc:  # a value validation let through
            _fail(result, log, _file_error(path, exc))
            continue
        finally:
            loader.on_reject = None
        # Pages stored before were skipped unparsed: their tweets are present.
        counts.unchanged += skipped.pages
        counts.tweets += skipped.tweets
        counts.tweets_present += skipped.tweets
        if pool.stopped and not pool.reported:
            log(f"note: parsing in this process: the parsing workers stopped ({pool.stopped})")
            pool.reported = True
        result.counts.add(counts)
        if outcome.damage is not None:
            # Cut short (a truncated gzip, a cap): what came before it is kept; the file is
            # not remembered, so the next scheduled run reads it again (it may be still
            # being written).
            _fail(result, log, _file_error(path, outcome.damage, counts.records))
            if counts.records + counts.unchanged > counts.rejected + counts.skipped:
                result.files += 1
            continue
        if (counts.rejected and counts.records == counts.rejected + counts.skipped
                and not counts.unchanged):
            how = ("forced with --format" if fmt != "auto" else
                   "if it is another format, pass --format twarc2, v1, archive or twcs")
            _fail(result, log, f"{path}: all {counts.rejected:,} records were rejected when "
                  f"read as {used} (first: {outcome.first_reject}); {how}")
            # Unchanged, it would fail the same way: remembered, so a schedule does not
            # store its rejects again on every run.
            _remember(engine, key, stat.st_size, stat.st_mtime_ns, run_id)
            continue
        result.files += 1
        # A whole document is remembered by content only if all of it was stored: rejects are
        # reported again on every import, and an unresolved mention may resolve next time.
        clean = not counts.rejected and not counts.unresolved_mentions
        _remember(engine, key, stat.st_size, stat.st_mtime_ns, run_id,
                  digest if clean else None, counts.tweets)


def _open(engine: Engine, path: Path, fmt: str, limits: IngestLimits, pool: ParsePool,
          skipped: Unchanged, progress: Callable[[LoadCounts], None] | None
          ) -> tuple[str, Iterator[Parsed | Problem] | None, bytes | None, int]:
    """(format, records, content hash, tweets) for one path. A JSON-lines file is read page by
    page, its stored pages skipped (counted in ``skipped``), the rest parsed in ``pool``'s
    workers when it is large; a whole document is hashed first, and if a file with the same
    content was loaded in full before its records are None and ``tweets`` what it gave."""
    used = detect_format(path) if fmt == "auto" else fmt
    if used not in FORMATS or used == "auto":
        raise FormatError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if used in LINE_READERS and not path.is_dir():
        with read_lines(path, used, limits) as lines:
            line_mode = lines is not None
        if line_mode:
            size = path.stat().st_size * (5 if path.suffix.lower() == ".gz" else 1)

            def on_skip(pages: int, tweets: int) -> None:
                if progress is not None:
                    progress(LoadCounts(tweets=tweets, tweets_present=tweets, unchanged=pages))

            return used, read_pages(path, used, limits, _known_pages(engine),
                                    pool=pool if size >= PARALLEL_MIN_BYTES else None,
                                    skipped=skipped, on_skip=on_skip), None, 0
    digest = _content_digest(path, used)
    tweets = _stored_file(engine, digest)
    if tweets is not None:
        return used, None, digest, tweets
    return *read_path(path, used, limits), digest, 0


_ARCHIVE_META = ("manifest.js", "tweet-headers.js", "tweets-headers.js")


def _content_digest(path: Path, fmt: str) -> bytes | None:
    """The content hash of a whole document: the file's bytes (a zip, a gzip as stored), or
    for an archive folder the files its reader opens (tweet files, the manifest), by name.
    DMs and account files are never opened, not even to be hashed. None for a folder that is
    not an archive."""
    if path.is_dir():
        if fmt != "archive":
            return None
        files = [p for p in sorted(path.rglob("*.js"))
                 if is_tweet_file(p.name) or p.name in _ARCHIVE_META]
    else:
        files = [path]
        if fmt == "archive" and path.suffix.lower() == ".js":  # its owner is beside it
            files += [path.parent / n for n in _ARCHIVE_META if (path.parent / n).is_file()]
    h = hashlib.sha256(fmt.encode() + b"\0")
    for f in files:
        h.update(f"{f.relative_to(path) if f.is_relative_to(path) else f.name}\0".encode())
        size = 0
        with f.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
        h.update(f"\0{size}\0".encode())
    return h.digest()[:16]


def _stored_file(engine: Engine, digest: bytes | None) -> int | None:
    """The tweets of a file loaded in full with this content hash, or None."""
    if digest is None:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(ImportedFile.tweets)
                           .where(ImportedFile.content_hash == digest).limit(1)).first()
    return None if row is None else (row[0] or 0)


def _known_pages(engine: Engine) -> Callable[[list[bytes]], dict[bytes, int]]:
    """Which of a chunk's page hashes are stored (hash -> tweets): one query per 500."""
    def known(digests: list[bytes]) -> dict[bytes, int]:
        found: dict[bytes, int] = {}
        wanted = list(dict.fromkeys(digests))
        with engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                rows = conn.execute(select(LoadedPage.digest, LoadedPage.tweets)
                                    .where(LoadedPage.digest.in_(wanted[i:i + 500])))
                found.update((bytes(d), n) for d, n in rows)
        return found
    return known


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


def _remember(engine: Engine, key: str, size: int, mtime_ns: int, run_id: int | None,
              digest: bytes | None = None, tweets: int | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM imported_files WHERE path = :p"), {"p": key})
        conn.execute(
            text("INSERT INTO imported_files (path, size, mtime_ns, run_id, loaded_at,"
                 " content_hash, tweets) VALUES (:p, :s, :m, :r, :t, :h, :n)"),
            {"p": key, "s": size, "m": mtime_ns, "r": run_id, "t": utcnow(), "h": digest,
             "n": tweets},
        )
