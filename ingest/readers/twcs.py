"""The Kaggle "Customer Support on Twitter" CSV (TWCS).

Columns ``tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id``; also as re-saved by pandas (a leading index column, float ids such as
``3.0``). Brand accounts are the ``inbound=False`` authors.

TWCS ids are the dataset's own (anonymised, sequential), not X ids, so they are mapped to the
negative id space (``ingest.records.local_id``); customers are known by anonymised numbers, which
their mentions (``@115712``) use too, so handles and ids resolve to the same user.
Reply edges need the parent's author, which may be further down the file: the loader's link step
fills them in SQL once both tweets are stored.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import BinaryIO

from ingest.readers.bounded import TooLong
from ingest.records import (
    MENTION_RE,
    RECORD_ERRORS,
    EdgeRow,
    Parsed,
    Problem,
    TweetRow,
    UrlRow,
    UserRow,
    local_id,
    url_domain,
    v1_time,
)

__all__ = ["read_twcs", "twcs_user_id", "twcs_tweet_id", "REQUIRED"]

REQUIRED = ("tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id")
# Lines reach the CSV parser escaped: ESC stands before E (an ESC in the text), R (a bare
# carriage return inside a field, which the parser would take for a line end), L (a line past
# [ingest] max_line_kb: only its start was kept) or U (a line that is not UTF-8). Cells are
# unescaped after parsing; a row holding L or U is rejected, so nothing is read wrongly.
_ESC = "\ue000"
_UNESCAPE = re.compile("\ue000(.)", re.S)


def twcs_user_id(handle: str) -> int:
    return local_id("twcs-user", handle.lower())


# A TWCS tweet id: decimal digits, or pandas' float spelling of them (``3.0``); nothing else
# (``3.5``, ``1e3``, "٣" are not ids; a float would round a large id onto another one).
_TWCS_ID = re.compile(r"([0-9]{1,19})(?:\.0+)?")


def twcs_tweet_id(raw: str) -> int:
    """TWCS tweet ids in the negative space; accepts ``3`` and pandas' ``3.0``."""
    m = _TWCS_ID.fullmatch(raw)
    value = int(m.group(1)) if m else 0
    if not 1 <= value <= 2**63 - 1:
        raise ValueError(f"not a tweet id: {raw!r}")
    return -value


def _lines(stream: BinaryIO, too_long: list[str]) -> Iterator[str]:
    for raw in stream:
        if type(raw) is TooLong:
            too_long.append(raw.reason)
            yield _ESC + "L\n"
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield _ESC + "U\n"
            continue
        if _ESC in line:
            line = line.replace(_ESC, _ESC + "E")
        if "\r" in line:
            if line.endswith("\r\n"):
                line = line[:-2].replace("\r", _ESC + "R") + "\n"
            else:
                line = line.replace("\r", _ESC + "R")
        yield line


def _unescaped(row: list[str], found: list[str]) -> list[str]:
    """A parsed row's cells as the file gives them; ``found`` gets the L and U marks."""
    def one(m: re.Match) -> str:
        c = m.group(1)
        if c == "E":
            return _ESC
        if c == "R":
            return "\r"
        found.append(c)
        return ""
    return [_UNESCAPE.sub(one, cell) if _ESC in cell else cell for cell in row]


def read_twcs(stream: BinaryIO, name: str) -> Iterator[Parsed | Problem]:
    too_long: list[str] = []
    reader = csv.reader(_lines(stream, too_long))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield Problem(f"{name}:1", f"unreadable CSV header: {exc}")
        return
    cols = {h.strip(): i for i, h in enumerate(header)}
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        yield Problem(f"{name}:1", f"not a TWCS CSV: missing columns {', '.join(missing)}",
                      ",".join(header)[:300])
        return
    i_id, i_author, i_in, i_time, i_text, i_parent = (cols[c] for c in REQUIRED)
    width = len(header)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(f"{name}:{start}", f"unreadable CSV row: {exc}")
            continue
        # A row can span lines (a quoted text with line breaks): its reject names them all.
        end = reader.line_num
        where = f"{name}:{start}" if end <= start else f"{name}:{start}-{end}"
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if any(_ESC in cell for cell in row):
            found: list[str] = []
            row = _unescaped(row, found)
            if "L" in found:
                yield Problem(where, too_long[-1] if too_long else "line too long")
                continue
            if "U" in found:
                yield Problem(where, "not UTF-8 text (a byte that is no character)")
                continue
        if len(row) != width:
            spans = (f"; a quote left open joins lines {start} to {end} into one row"
                     if end > start else "")
            yield Problem(where, f"expected {width} columns, found {len(row)}{spans}",
                          ",".join(row)[:300])
            continue
        try:
            got = _row(row, i_id, i_author, i_in, i_time, i_text, i_parent)
        except RECORD_ERRORS as exc:
            yield Problem(where, f"bad value: {exc}", ",".join(row)[:300])
            continue
        got.where = where
        yield got


def _row(row, i_id, i_author, i_in, i_time, i_text, i_parent) -> Parsed:
    tid = twcs_tweet_id(row[i_id].strip())
    handle = row[i_author].strip()
    if not handle:
        raise ValueError("empty author_id")
    inbound_raw = row[i_in].strip().lower()
    if inbound_raw not in ("true", "false"):
        raise ValueError(f"inbound must be True or False, not {row[i_in]!r}")
    created = v1_time(row[i_time].strip())
    text = row[i_text]
    parent_raw = row[i_parent].strip()
    parent = twcs_tweet_id(parent_raw) if parent_raw else None
    author = twcs_user_id(handle)
    out = Parsed()
    out.users.append(UserRow(author, handle, is_stub=False, is_brand=inbound_raw == "false",
                             seen_at=created))
    out.tweets.append(TweetRow(tid, author, created, text, None, None,
                               "reply" if parent is not None else "original",
                               parent, None, None, None))
    seen: set[str] = set()
    for m in MENTION_RE.finditer(text):
        name = m.group(1)
        key = name.lower()
        if key in seen:
            continue
        seen.add(key)
        uid = twcs_user_id(name)
        out.users.append(UserRow(uid, name))
        out.edges.append(EdgeRow("mention", author, uid, tid, tid, None, created))
    if "http" in text:
        for word in text.split():
            if word.startswith(("http://", "https://")):
                out.urls.append(UrlRow(tid, word, url_domain(word)))
    return out
