"""Reading input within the caps of ``[ingest]`` (``settings.IngestLimits``).

Readers get a :class:`BoundedReader` instead of the raw file: iterating it yields lines as usual,
except that a line longer than ``max_line_kb`` is never held whole. Its start is yielded as a
:class:`TooLong` (the reader turns it into one rejected record) and the rest of it is skipped.
``read()`` of a whole document stops at ``max_document_mb``, and a ``.gz`` stops at
``max_decompressed_mb``; both raise :class:`InputTooLarge`, which fails that one file, named.
So a 1 MB gzip of zeros costs one line's cap in memory, not the gigabytes it expands to. A
UTF-8 byte-order mark at the start of a file is skipped, whatever the format.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from settings import IngestLimits

__all__ = ["BoundedReader", "InputTooLarge", "TooLong", "open_bounded", "read_capped",
           "ratio_exceeded"]

_CHUNK = 1 << 20
_HEAD = 300  # what a rejected line keeps, for its excerpt


# The decompression ratio is looked at only past this many bytes: small files compress any way.
RATIO_FROM = 64 * 1024 * 1024


def ratio_exceeded(expanded: int, compressed: int, limits: IngestLimits) -> bool:
    """Whether ``compressed`` bytes expanding to ``expanded`` is a bomb (``max_ratio``)."""
    return expanded > max(RATIO_FROM, limits.max_ratio * compressed)


class InputTooLarge(ValueError):
    """A file, or a document or member in it, is past one of the ``[ingest]`` caps."""


class TooLong(bytes):
    """The start of a line longer than the cap; ``reason`` says so, with the setting to raise."""

    reason: str


def _too_long(head: bytes, limits: IngestLimits) -> TooLong:
    line = TooLong(head[:_HEAD])
    line.reason = (f"line longer than {limits.max_line_kb:,} KB, not read "
                   "(raise [ingest] max_line_kb to load it)")
    return line


class BoundedReader:
    """A binary stream with the caps applied. ``name`` is the file, for messages;
    ``decompressed`` says the bytes come out of a ``.gz``, so ``max_decompressed_mb`` counts."""

    def __init__(self, raw: BinaryIO, name: str, limits: IngestLimits,
                 *, decompressed: bool = False, compressed_size: int = 0):
        self.raw = raw
        self.name = name
        self.limits = limits
        self.total = 0
        self._budget = limits.max_decompressed if decompressed else None
        self._ratio_at = (max(RATIO_FROM, limits.max_ratio * compressed_size)
                          if decompressed else None)

    def _count(self, n: int) -> None:
        self.total += n
        if self._budget is not None and self.total > self._budget:
            raise InputTooLarge(
                f"{self.name}: expands past {self.limits.max_decompressed_mb:,} MB when "
                "decompressed; the rest is not read (raise [ingest] max_decompressed_mb)")
        if self._ratio_at is not None and self.total > self._ratio_at:
            raise InputTooLarge(
                f"{self.name}: expands more than {self.limits.max_ratio:,} times its compressed"
                " size (a decompression bomb?); the rest is not read (raise [ingest] max_ratio)")

    def read(self, n: int = -1) -> bytes:
        if n is not None and n >= 0:
            data = self.raw.read(n)
            self._count(len(data))
            return data
        # The rest of the file, read whole (a JSON array): bounded by the document cap.
        return read_capped(self.raw, self.limits.max_document - self.total, self.name,
                           self.limits, counted=self._count)

    def readline(self, limit: int = -1) -> bytes:
        cap = self.limits.max_line
        line = self.raw.readline(cap + 1 if limit is None or limit < 0 else min(limit, cap + 1))
        self._count(len(line))
        if len(line) > cap and not line.endswith(b"\n"):
            head = line
            while line and not line.endswith(b"\n"):  # skip the rest of the line
                line = self.raw.readline(_CHUNK)
                self._count(len(line))
            return _too_long(head, self.limits)
        return line

    def __iter__(self) -> Iterator[bytes]:
        readline = self.readline
        while True:
            line = readline()
            if not line:
                return
            yield line

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> BoundedReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_capped(fh: BinaryIO, cap: int, name: str, limits: IngestLimits,
                counted=None) -> bytes:
    """All of ``fh`` (a document parsed whole), in chunks, failing past ``cap`` bytes without
    holding more than the cap."""
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if counted is not None:
            counted(len(chunk))
        if size > cap:
            raise InputTooLarge(
                f"{name}: larger than {limits.max_document_mb:,} MB, too large to read whole "
                "(raise [ingest] max_document_mb)")
        parts.append(chunk)
    return b"".join(parts)


@contextmanager
def open_bounded(path: Path, limits: IngestLimits) -> Iterator[BoundedReader]:
    """A file (``.gz`` decompressed as it is read) with the caps applied."""
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as fh:
            _skip_bom(fh)  # type: ignore[arg-type]
            yield BoundedReader(fh, str(path), limits, decompressed=True,  # type: ignore[arg-type]
                                compressed_size=path.stat().st_size)
    else:
        with path.open("rb") as fh:
            _skip_bom(fh)
            yield BoundedReader(fh, str(path), limits)


_BOM = b"\xef\xbb\xbf"


def _skip_bom(fh: BinaryIO) -> None:
    """Past a UTF-8 byte-order mark at the start (Excel and Notepad write one): without it a
    CSV's first column is "\\ufefftweet_id" and a JSON line is not JSON."""
    if fh.read(len(_BOM)) != _BOM:
        fh.seek(0)
