"""The X account archive ("Download your data"): ``tweets.js``/``tweet.js``, ``note-tweet.js``,
a ``data/`` folder, or the whole ``.zip``.

The ``window.YTD.<kind>.partN = [...]`` assignment is parsed as JSON after its prefix; it is
never evaluated. Only tweet files are read (plus the owner's id and name from ``manifest.js`` or
``tweet-headers.js``); DMs, account, phone, IP and device files are never opened.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from ingest.readers.bounded import InputTooLarge, open_bounded, ratio_exceeded, read_capped
from ingest.readers.v1 import add_v1_tweet
from ingest.records import (RECORD_ERRORS, BadValue, Parsed, Problem, UserRow, excerpt_of,
                            json_items, read_json,
                            structure_error, v1_time, v2_time, validate, x_id)
from settings import IngestLimits

__all__ = ["read_archive", "parse_ytd", "is_tweet_file", "ArchiveError"]

YTD_RE = re.compile(rb"^\s*window\.(?:YTD\.[\w.]+|__THAR_CONFIG)\s*=\s*")
TWEET_FILE_RE = re.compile(r"^(?:tweets?|note-tweet)(?:-part\d+)?\.js$")


class ArchiveError(ValueError):
    pass


def is_tweet_file(name: str) -> bool:
    return bool(TWEET_FILE_RE.match(PurePosixPath(name).name))


def parse_ytd(raw: bytes, name: str) -> Any:
    """The data of one archive ``.js`` file, without evaluating it."""
    m = YTD_RE.match(raw)
    if not m:
        raise ArchiveError(f"{name}: not an X archive file (no window.YTD assignment)")
    body = raw[m.end():].rstrip().rstrip(b";")
    try:
        return read_json(body)
    except orjson.JSONDecodeError as exc:
        raise ArchiveError(f"{name}: invalid JSON after the window.YTD assignment: {exc}") from exc


class _Files:
    """A uniform view over a folder, a zip, or a single file of an archive. Every read is
    within ``limits``: a member or file past ``max_document_mb``, or a zip whose members
    together expand past ``max_decompressed_mb``, raises :class:`InputTooLarge`."""

    def __init__(self, path: Path, limits: IngestLimits):
        self.path = path
        self.limits = limits
        self.zip = zipfile.ZipFile(path) if path.suffix.lower() == ".zip" else None
        self.expanded = 0

    def names(self) -> list[str]:
        if self.zip is not None:
            return [n for n in self.zip.namelist() if not n.endswith("/")]
        if self.path.is_dir():
            return sorted(str(p.relative_to(self.path)) for p in self.path.rglob("*.js"))
        return [self.path.name]

    def read(self, name: str) -> bytes:
        limits = self.limits
        if self.zip is not None:
            label = self.label(name)
            info = self.zip.getinfo(name)
            size = info.file_size  # zipfile never returns more than this
            if ratio_exceeded(size, info.compress_size, limits):
                raise InputTooLarge(
                    f"{label}: expands {size / max(1, info.compress_size):,.0f} times its"
                    f" compressed size, more than {limits.max_ratio:,} (a decompression"
                    " bomb?); not read (raise [ingest] max_ratio)")
            if size > limits.max_document:
                raise InputTooLarge(
                    f"{label}: {size / 2**20:,.0f} MB uncompressed, more than "
                    f"{limits.max_document_mb:,} MB (raise [ingest] max_document_mb)")
            self.expanded += size
            if self.expanded > limits.max_decompressed:
                raise InputTooLarge(
                    f"{self.path}: expands past {limits.max_decompressed_mb:,} MB "
                    "(raise [ingest] max_decompressed_mb)")
            with self.zip.open(name) as fh:  # in chunks: a lying header costs no more
                return read_capped(fh, limits.max_document, label, limits)
        path = self.path / name if self.path.is_dir() else self.path
        with open_bounded(path, limits) as fh:
            return fh.read()

    def sibling(self, basename: str) -> bytes | None:
        """A metadata file beside the tweets (manifest.js, tweet-headers.js), if present."""
        if self.zip is not None or self.path.is_dir():
            for n in self.names():
                if PurePosixPath(n).name == basename:
                    return self.read(n)
            return None
        p = self.path.parent / basename
        if not p.exists():
            return None
        with open_bounded(p, self.limits) as fh:
            return fh.read()

    def label(self, name: str) -> str:
        if self.zip is not None or self.path.is_dir():
            return f"{self.path}/{name}"
        return str(self.path)


def _owner(files: _Files) -> UserRow | None:
    """The archive's owner; a manifest that cannot be read fails the whole archive."""
    try:
        owner = _read_owner(files)
    except ArchiveError:
        raise
    except BadValue as exc:
        raise ArchiveError(f"{files.path}: the owner in manifest.js or tweet-headers.js: "
                           f"{exc}") from exc
    except RECORD_ERRORS as exc:
        raise ArchiveError(f"{files.path}: unreadable manifest.js or tweet-headers.js: "
                           f"{type(exc).__name__}: {exc}") from exc
    if owner is not None:
        checked = validate(Parsed(users=[owner]))
        if isinstance(checked, Problem):
            raise ArchiveError(f"{files.path}: the owner in manifest.js or tweet-headers.js: "
                               f"{checked.reason}")
    return owner


def _read_owner(files: _Files) -> UserRow | None:
    raw = files.sibling("manifest.js")
    if raw is not None:
        info = parse_ytd(raw, "manifest.js").get("userInfo") or {}
        if info.get("accountId"):
            generated = (parse_ytd(raw, "manifest.js").get("archiveInfo") or {}).get(
                "generationDate")
            return UserRow(x_id(info["accountId"], "users.id"), info.get("userName"),
                           info.get("displayName"), is_stub=False,
                           seen_at=v2_time(generated))
    raw = files.sibling("tweet-headers.js") or files.sibling("tweets-headers.js")
    if raw is not None:
        for entry in parse_ytd(raw, "tweet-headers.js"):
            head = entry.get("tweet", entry)
            if head.get("user_id"):
                return UserRow(x_id(head["user_id"], "users.id"), None)
    return None


def _note_key(created: str | None, text: str) -> tuple[str | None, str]:
    return created, text[:40]


def read_archive(path: Path, limits: IngestLimits | None = None) -> Iterator[Parsed | Problem]:
    """The archive's tweets, one record per item, each carrying the owner (as a v1.1 tweet
    carries its user). Raises :class:`ArchiveError` if the manifest cannot be read, and
    :class:`InputTooLarge` past the caps: either fails the whole file."""
    files = _Files(path, limits or IngestLimits())
    names = [n for n in files.names() if is_tweet_file(n)]
    if not names:
        yield Problem(str(path), "no tweet files (tweets.js, tweet.js, note-tweet.js) here")
        return
    owner = _owner(files)
    if owner is None:
        yield Problem(str(path), "cannot tell whose archive this is: manifest.js or "
                      "tweet-headers.js must be beside tweets.js (or load the whole archive)")
        return
    # Long posts: note-tweet.js holds the full text, matched to its tweet by time and opening.
    notes: dict[tuple[str | None, str], str] = {}
    for n in (n for n in names if "note-tweet" in n):
        try:
            for entry in parse_ytd(files.read(n), files.label(n)):
                core = (entry.get("noteTweet") or {}).get("core") or {}
                created = v2_time((entry.get("noteTweet") or {}).get("createdAt"))
                if core.get("text"):
                    notes[_note_key(created, core["text"])] = core["text"]
        except ArchiveError as exc:
            yield Problem(files.label(n), str(exc))
        except RECORD_ERRORS as exc:
            yield Problem(files.label(n), f"unexpected note-tweet structure: "
                          f"{type(exc).__name__}: {exc}")
    for n in (n for n in names if "note-tweet" not in n):
        label = files.label(n)
        try:
            entries = ytd_items(files.read(n), label)
            for i, entry in enumerate(entries, 1):
                yield from _item(entry, f"{label}:item {i}", owner, notes)
        except ArchiveError as exc:
            yield Problem(label, str(exc))


def ytd_items(raw: bytes, name: str) -> Iterator[Any]:
    """The items of an archive ``.js`` file's array, one at a time (``records.json_items``);
    raises :class:`ArchiveError` where it stops being a JSON array, after the items before."""
    m = YTD_RE.match(raw)
    if not m:
        raise ArchiveError(f"{name}: not an X archive file (no window.YTD assignment)")
    body = raw[m.end():].rstrip().rstrip(b";")
    done = 0
    try:
        for done, item in enumerate(json_items(body), 1):
            yield item
    except ValueError as exc:  # JSONDecodeError, a NaN, bytes that are not UTF-8
        after = f" (after item {done}, which loaded)" if done else ""
        raise ArchiveError(f"{name}: invalid JSON after the window.YTD assignment{after}:"
                           f" {exc}") from exc


def _item(entry: Any, where: str, owner: UserRow, notes: dict) -> Iterator[Parsed | Problem]:
    """One item of a tweets file: the tweet, or why not."""
    t = entry.get("tweet", entry) if isinstance(entry, dict) else None
    if not isinstance(t, dict):
        yield Problem(where, "not a tweet object", str(entry)[:300])
        return
    out = Parsed(users=[owner], where=where)
    try:
        if notes:
            text = t.get("full_text") or ""
            key = _note_key(v1_time(t.get("created_at")), text)
            if key in notes:
                t = {**t, "full_text": notes[key]}
        add_v1_tweet(t, out, author=owner.id, archive=True)
    except RECORD_ERRORS as exc:
        yield Problem(where, structure_error(exc), excerpt_of(t))
        return
    yield out
