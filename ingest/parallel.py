"""Line formats read in chunks: unchanged pages skipped by their hash, the rest parsed in
worker processes, records handed back in file order to the one writer.

A twarc2 or v1.1 JSON-lines file is one record per line (a twarc2 line is one X API response
page). :func:`read_pages` reads the lines in the parent, as the format's reader does (the same
caps, the same line numbers), hashes each (:func:`page_digest`), asks ``known`` once per chunk
which hashes are stored (``loaded_pages``: the loader writes a page's hash in the transaction
that stores its rows) and skips those without parsing them. The other lines are parsed by
:func:`parse_chunk`: in this process for a small file, else in a pool of worker processes
(:class:`ParsePool`), which also validate the rows and send them back packed with ``marshal``
(pickling row tuples cost as much as parsing them). At most a few chunks are in flight, so
memory stays bounded whatever the file's size; results come back in file order, so rejects are
reported in order with the file, line and reason the serial reader gives.

This module imports no database code: workers start by importing it.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import marshal
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from ingest.readers.bounded import TooLong
from ingest.readers.detect import LINE_READERS, read_lines
from ingest.records import (ComplianceEvent, EdgeRow, NamedEdge, Parsed, Problem, TweetRow,
                            UrlRow, UserRow, validate_all)
from settings import IngestLimits

__all__ = ["ParsePool", "Unchanged", "page_digest", "parse_chunk", "read_pages",
           "PARALLEL_MIN_BYTES"]

# A chunk: enough lines to be worth a round trip to a worker and one hash lookup, few enough
# that a handful in flight stay small (a twarc2 page of 100 tweets is about 90 KB).
CHUNK_BYTES = 4 << 20
CHUNK_LINES = 1_000
# Below this a file is parsed in this process: starting workers costs more than they save.
PARALLEL_MIN_BYTES = 32 << 20

# (line number, the line's bytes, its hash or None, the reason it was cut or None)
Item = tuple[int, bytes, "bytes | None", "str | None"]


def page_digest(fmt: str, line: bytes) -> bytes:
    """The content hash of one line read as ``fmt``: SHA-256 (hardware-accelerated, and, unlike
    SHA-1, no crafted collision can hide a page) of the format and the line without its line
    ending, cut to 16 bytes. The format is part of it, so a line read as another format with
    ``--format`` is never taken for one already loaded."""
    return _hasher(fmt)(line)


def _hasher(fmt: str) -> Callable[[bytes], bytes]:
    base = hashlib.sha256(fmt.encode() + b"\0")

    def digest(line: bytes) -> bytes:
        n = len(line)
        if n and line[n - 1] == 10:  # \n
            n -= 1
            if n and line[n - 1] == 13:  # \r
                n -= 1
        h = base.copy()
        h.update(memoryview(line)[:n])
        return h.digest()[:16]

    return digest


def parse_chunk(fmt: str, name: str, items: list[Item], *, check: bool = False,
                state: dict | None = None) -> list[Parsed | Problem]:
    """The records of a chunk of lines, in order, each carrying its line's hash. ``check``:
    validate them here (in a worker) rather than in the loader. ``state`` is the reader's
    state across the chunks of one stream (the profiles already yielded)."""
    parse_line = LINE_READERS[fmt][1]
    state = {} if state is None else state
    out: list[Parsed | Problem] = []
    for lineno, line, digest, too_long in items:
        for rec in parse_line(line, too_long, f"{name}:{lineno}", state):
            if type(rec) is Parsed:
                rec.digest = digest
                if check:
                    out.extend(validate_all(rec, name, positive_ids=True))
                    continue
            out.append(rec)
    return out


# --- worker side: parse, validate, pack as plain tuples for marshal ---------------------------

def _worker_init() -> None:
    # Ctrl-C reaches the whole process group; the parent stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# The reader's state for the stream this worker is parsing. A worker takes its chunks in file
# order, and the parent reads every record in file order, so a profile this worker yielded for
# an earlier chunk has reached the parent before it is skipped as a repeat in a later one. A
# new stream (another file, or the same one read again after a failure) starts afresh.
_STREAM: list = [None, {}]


def _work(fmt: str, name: str, items: list[Item], stream: int) -> bytes:
    if _STREAM[0] != stream:
        _STREAM[:] = [stream, {}]
    gc.disable()  # as in the loader: many small objects, no cycles
    try:
        recs = parse_chunk(fmt, name, items, check=True, state=_STREAM[1])
        packed = []
        for r in recs:
            if type(r) is Parsed:
                packed.append((0, [tuple(x) for x in r.users], [tuple(x) for x in r.tweets],
                               [tuple(x) for x in r.edges], [tuple(x) for x in r.named_edges],
                               [tuple(x) for x in r.urls], [tuple(x) for x in r.compliance],
                               r.api_errors, r.where, r.digest, r.checked))
            else:
                packed.append((1, r.location, r.reason, r.excerpt, r.rejected))
        return marshal.dumps(packed)
    finally:
        gc.enable()


def _unpack(blob: bytes) -> list[Parsed | Problem]:
    new = tuple.__new__
    out: list[Parsed | Problem] = []
    for r in marshal.loads(blob):
        if r[0] == 0:
            out.append(Parsed([new(UserRow, x) for x in r[1]], [new(TweetRow, x) for x in r[2]],
                              [new(EdgeRow, x) for x in r[3]], [new(NamedEdge, x) for x in r[4]],
                              [new(UrlRow, x) for x in r[5]],
                              [new(ComplianceEvent, x) for x in r[6]],
                              r[7], r[8], r[9], r[10]))
        else:
            out.append(Problem(r[1], r[2], r[3], r[4]))
    return out


class ParsePool:
    """Worker processes for parsing, started on first use and shared by the files of one
    import. ``workers`` 0 parses in this process. If they cannot start, or die, parsing
    carries on in this process and ``stopped`` says why."""

    def __init__(self, workers: int):
        self.workers = workers
        self.stopped: str | None = None
        self.reported = False  # the import said so once
        self._executor: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor | None:
        if self.workers < 1 or self.stopped:
            return None
        if self._executor is None:
            try:
                # spawn, not fork: the parent holds database connections and maybe threads.
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=get_context("spawn"), initializer=_worker_init)
            except (OSError, ValueError, ImportError, NotImplementedError) as exc:
                self.stop(exc)
        return self._executor

    def submit(self, *args) -> Future | None:
        ex = self.executor()
        if ex is None:
            return None
        try:
            return ex.submit(_work, *args)
        except (OSError, RuntimeError, BrokenProcessPool) as exc:
            self.stop(exc)
            return None

    def stop(self, exc: BaseException) -> None:
        if self.stopped is None:
            self.stopped = f"{type(exc).__name__}: {exc}"
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    @property
    def inflight(self) -> int:
        """Chunks allowed in flight: enough to keep every worker busy while the parent writes."""
        return 2 * self.workers + 1


_streams = itertools.count(os.getpid() << 20)


@dataclass
class Unchanged:
    """What :func:`read_pages` skipped: pages whose hash is stored, and the tweets they gave."""

    pages: int = 0
    tweets: int = 0


def read_pages(path: Path, fmt: str, limits: IngestLimits,
               known: Callable[[list[bytes]], dict[bytes, int]], *,
               pool: ParsePool | None = None, skipped: Unchanged | None = None,
               on_skip: Callable[[int, int], None] | None = None
               ) -> Iterator[Parsed | Problem]:
    """The records of a file in a line format (``detect.LINE_READERS``), in file order, less
    the pages ``known`` (hash -> tweets) says are stored, which are counted in ``skipped`` and
    reported to ``on_skip(pages, tweets)``. ``pool`` parses in workers; None, in this process.

    A read that fails part-way (a cut gzip, a cap) raises after the records of every line read
    before it, as the serial reader does."""
    digest = _hasher(fmt)
    name = str(path)
    skipped = skipped if skipped is not None else Unchanged()
    stream = next(_streams)
    state: dict = {}  # the reader's state when parsing here
    window: deque[tuple[Future | None, list[Item], list[Parsed | Problem] | None]] = deque()

    def dispatch(chunk: list[Item]) -> None:
        hashes = [d for _, _, d, _ in chunk if d is not None]
        have = known(hashes) if hashes else {}
        if have:
            todo = [item for item in chunk if item[2] not in have]
            pages = len(chunk) - len(todo)
            tweets = sum(have[item[2]] for item in chunk if item[2] in have)
            skipped.pages += pages
            skipped.tweets += tweets
            if on_skip is not None:
                on_skip(pages, tweets)
        else:
            todo = chunk
        if not todo:
            return
        future = pool.submit(fmt, name, todo, stream) if pool is not None else None
        window.append((future, todo, None if future is not None else
                       parse_chunk(fmt, name, todo, state=state)))

    def take() -> list[Parsed | Problem]:
        future, todo, done = window.popleft()
        if future is None:
            return done  # type: ignore[return-value]
        try:
            return _unpack(future.result())
        except BrokenProcessPool as exc:  # a worker died (killed, out of memory): carry on here
            pool.stop(exc)  # type: ignore[union-attr]
            state.clear()  # it may not know what the workers yielded
            return parse_chunk(fmt, name, todo, state=state)

    try:
        with read_lines(path, fmt, limits) as lines:
            if lines is None:
                raise ValueError(f"{path}: not read a line at a time as {fmt}")
            lines = enumerate(lines, 1)
            chunk: list[Item] = []
            size = 0
            error: Exception | None = None
            while True:
                try:
                    got = next(lines, None)
                except Exception as exc:  # noqa: BLE001 - the file's damage, raised below
                    error = exc
                    got = None
                if got is None:
                    break
                lineno, line = got
                if type(line) is TooLong:
                    chunk.append((lineno, bytes(line), None, line.reason))
                elif not line or line.isspace():
                    continue
                else:
                    chunk.append((lineno, line, digest(line), None))
                    size += len(line)
                if size >= CHUNK_BYTES or len(chunk) >= CHUNK_LINES:
                    dispatch(chunk)
                    chunk, size = [], 0
                    while len(window) > (pool.inflight if pool is not None else 0):
                        yield from take()
            if chunk:
                dispatch(chunk)
            while window:
                yield from take()
            if error is not None:
                raise error
    finally:
        for future, _, _ in window:  # the loader stopped early: drop what is still queued
            if future is not None:
                future.cancel()
