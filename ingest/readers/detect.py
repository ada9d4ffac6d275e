"""Which reader a path needs, detected from its name and first bytes, or forced by ``--format``."""

from __future__ import annotations

import stat
import zipfile
from contextlib import contextmanager
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from ingest.readers.archive import is_tweet_file, read_archive
from ingest.readers.bounded import open_bounded
from ingest.readers.twcs import REQUIRED as TWCS_COLUMNS
from ingest.readers.twcs import read_twcs
from ingest.readers.v1 import parse_v1_line, read_v1, v1_lines
from ingest.readers.v2 import jsonl_lines, parse_jsonl_line, read_jsonl
from ingest.records import Parsed, Problem, read_json
from settings import IngestLimits

__all__ = ["FORMATS", "LINE_READERS", "detect_format", "expand", "read_path", "read_lines",
           "FormatError"]

FORMATS = ("auto", "twarc2", "v1", "archive", "twcs")


class FormatError(ValueError):
    pass


def _is_archive_dir(path: Path) -> bool:
    """An archive's root (tweet files in it or in its data/ folder), or its data/ folder."""
    return any(is_tweet_file(p.name) for folder in (path, path / "data") if folder.is_dir()
               for p in folder.glob("*.js"))


def detect_format(path: Path) -> str:
    """The format of a file (or an archive folder); raises FormatError if it is none we read."""
    if path.is_dir():
        if _is_archive_dir(path):
            return "archive"
        raise FormatError(f"{path}: a folder that is not an X archive (expand it first)")
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as zf:
            if any(is_tweet_file(n) for n in zf.namelist()):
                return "archive"
        raise FormatError(f"{path}: a zip without X archive tweet files (tweets.js)")
    if name.endswith(".js"):
        return "archive"
    with open_bounded(path, IngestLimits()) as fh:
        head = fh.read(65536)
    text = head.lstrip()
    if not text:
        return "twarc2"  # an empty file holds no records in any format
    if name.endswith(".csv") or text.startswith(b"tweet_id,") or text.startswith(b",tweet_id,"):
        first = text.split(b"\n", 1)[0].decode("utf-8", "replace")
        if all(c in first for c in TWCS_COLUMNS):
            return "twcs"
        raise FormatError(f"{path}: a CSV without the TWCS columns ({', '.join(TWCS_COLUMNS)})")
    if text.startswith(b"window."):
        return "archive"
    if text.startswith(b"["):
        return "v1"
    if text.startswith(b"{"):
        line = text.split(b"\n", 1)[0]
        try:
            obj = read_json(line)
        except orjson.JSONDecodeError:
            obj = None
        if isinstance(obj, dict):
            if "user" in obj or "id_str" in obj or "full_text" in obj:
                return "v1"
            return "twarc2"
        # The first line is cut or malformed: fall back on field names in the head.
        if b'"id_str"' in head or b'"screen_name"' in head:
            return "v1"
        return "twarc2"
    raise FormatError(f"{path}: not a format we read (twarc2 JSONL, v1.1 JSON, X archive, TWCS)")


def expand(paths: list[Path]) -> Iterator[Path]:
    """Files to load: a folder that is not an archive stands for the files inside it.

    Symlinks are followed once: a file or folder reached again (a link back up the tree, two
    links to one file) is not yielded again. A path that cannot be looked at (missing, a link
    loop) is yielded as it is, for the import to name it as failed."""
    yield from _expand(paths, set())


def _expand(paths: list[Path], seen: set[tuple[int, int]]) -> Iterator[Path]:
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            yield path
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            continue
        seen.add(key)
        if stat.S_ISDIR(st.st_mode) and not _is_archive_dir(path):
            try:
                children = sorted(p for p in path.iterdir() if not p.name.startswith("."))
            except OSError:
                yield path
                continue
            yield from _expand([p for p in children if p.is_dir() or p.is_file()], seen)
        else:
            yield path


READERS: dict[str, Callable[[BinaryIO, str], Iterator[Parsed | Problem]]] = {
    "twarc2": read_jsonl,
    "v1": read_v1,
    "twcs": read_twcs,
}


# Formats read a line at a time, one record per line: (the lines of a stream, or None when
# this stream is a document read whole; one line's records). ``ingest.parallel`` hashes each
# line and parses lines in chunks, in worker processes.
LINE_READERS: dict[str, tuple[Callable[[BinaryIO], Iterator[bytes] | None],
                              Callable[[bytes, str | None, str, dict], list[Parsed | Problem]]]] = {
    "twarc2": (jsonl_lines, parse_jsonl_line),
    "v1": (v1_lines, parse_v1_line),
}


@contextmanager
def read_lines(path: Path, fmt: str, limits: IngestLimits) -> Iterator[Iterator[bytes] | None]:
    """The lines of a file in a line format, as its reader reads them (within ``limits``), or
    None if it is not read a line at a time (another format, a v1.1 JSON array, a folder)."""
    if fmt not in LINE_READERS or path.is_dir():
        yield None
        return
    with open_bounded(path, limits) as fh:
        yield LINE_READERS[fmt][0](fh)  # type: ignore[arg-type]


def read_path(path: Path, fmt: str = "auto", limits: IngestLimits | None = None
              ) -> tuple[str, Iterator[Parsed | Problem]]:
    """(format, records) for one path, read within ``limits`` (the ``[ingest]`` caps)."""
    limits = limits or IngestLimits()
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "archive":
        return fmt, read_archive(path, limits)
    if path.is_dir():
        raise FormatError(f"{path}: a folder, not a {fmt} file")
    reader = READERS[fmt]

    def records() -> Iterator[Parsed | Problem]:
        with open_bounded(path, limits) as fh:
            yield from reader(fh, str(path))  # type: ignore[arg-type]

    return fmt, records()
