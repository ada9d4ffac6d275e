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

from ingest.readers.v1 import add_v1_tweet
from ingest.records import Parsed, Problem, UserRow, v1_time, v2_time

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
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ArchiveError(f"{name}: invalid JSON after the window.YTD assignment: {exc}") from exc


class _Files:
    """A uniform view over a folder, a zip, or a single file of an archive."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path) if path.suffix.lower() == ".zip" else None

    def names(self) -> list[str]:
        if self.zip is not None:
            return [n for n in self.zip.namelist() if not n.endswith("/")]
        if self.path.is_dir():
            return sorted(str(p.relative_to(self.path)) for p in self.path.rglob("*.js"))
        return [self.path.name]

    def read(self, name: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(name)
        if self.path.is_dir():
            return (self.path / name).read_bytes()
        return self.path.read_bytes()

    def sibling(self, basename: str) -> bytes | None:
        """A metadata file beside the tweets (manifest.js, tweet-headers.js), if present."""
        if self.zip is not None or self.path.is_dir():
            for n in self.names():
                if PurePosixPath(n).name == basename:
                    return self.read(n)
            return None
        p = self.path.parent / basename
        return p.read_bytes() if p.exists() else None

    def label(self, name: str) -> str:
        if self.zip is not None or self.path.is_dir():
            return f"{self.path}/{name}"
        return str(self.path)


def _owner(files: _Files) -> UserRow | None:
    raw = files.sibling("manifest.js")
    if raw is not None:
        info = parse_ytd(raw, "manifest.js").get("userInfo") or {}
        if info.get("accountId"):
            generated = (parse_ytd(raw, "manifest.js").get("archiveInfo") or {}).get(
                "generationDate")
            return UserRow(int(info["accountId"]), info.get("userName"),
                           info.get("displayName"), is_stub=False,
                           seen_at=v2_time(generated))
    raw = files.sibling("tweet-headers.js") or files.sibling("tweets-headers.js")
    if raw is not None:
        for entry in parse_ytd(raw, "tweet-headers.js"):
            head = entry.get("tweet", entry)
            if head.get("user_id"):
                return UserRow(int(head["user_id"]), None)
    return None


def _note_key(created: str | None, text: str) -> tuple[str | None, str]:
    return created, text[:40]


def read_archive(path: Path) -> Iterator[Parsed | Problem]:
    files = _Files(path)
    names = [n for n in files.names() if is_tweet_file(n)]
    if not names:
        yield Problem(str(path), "no tweet files (tweets.js, tweet.js, note-tweet.js) here")
        return
    try:
        owner = _owner(files)
    except ArchiveError as exc:
        yield Problem(str(path), str(exc))
        return
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
    first = Parsed(users=[owner])
    yield first
    for n in (n for n in names if "note-tweet" not in n):
        label = files.label(n)
        try:
            entries = parse_ytd(files.read(n), label)
        except ArchiveError as exc:
            yield Problem(label, str(exc))
            continue
        if not isinstance(entries, list):
            yield Problem(label, "expected a list of tweets")
            continue
        for i, entry in enumerate(entries, 1):
            t = entry.get("tweet", entry) if isinstance(entry, dict) else None
            where = f"{label}:item {i}"
            if not isinstance(t, dict):
                yield Problem(where, "not a tweet object", str(entry)[:300])
                continue
            if notes:
                text = t.get("full_text") or ""
                key = _note_key(v1_time(t.get("created_at")), text)
                if key in notes:
                    t = {**t, "full_text": notes[key]}
            out = Parsed()
            try:
                add_v1_tweet(t, out, author=owner.id, archive=True)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                yield Problem(where, f"unexpected tweet structure: {type(exc).__name__}: {exc}",
                              orjson.dumps(t)[:300].decode("utf-8", "replace"))
                continue
            yield out
