"""The one normal form every reader produces and the loader writes.

Rows are plain tuples (``NamedTuple``) in the column order of their table, so the loader can hand
them to ``executemany`` without copying.  Timestamps are naive UTC ISO strings
(``YYYY-MM-DD HH:MM:SS``), which SQLite compares as text and PostgreSQL casts on insert.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple

__all__ = [
    "UserRow",
    "TweetRow",
    "EdgeRow",
    "NamedEdge",
    "UrlRow",
    "Parsed",
    "Problem",
    "stub_user",
    "excerpt",
    "local_id",
    "v2_time",
    "v1_time",
    "url_domain",
    "MENTION_RE",
]


class UserRow(NamedTuple):
    id: int
    username: str | None
    name: str | None = None
    description: str | None = None
    location: str | None = None
    url: str | None = None
    profile_image_url: str | None = None
    verified: bool | None = None
    protected: bool | None = None
    created_at: str | None = None
    followers_count: int | None = None
    following_count: int | None = None
    tweet_count: int | None = None
    listed_count: int | None = None
    is_stub: bool = True
    is_brand: bool = False
    seen_at: str | None = None


class TweetRow(NamedTuple):
    id: int
    author_id: int
    created_at: str | None
    text: str | None
    lang: str | None
    conversation_id: int | None
    kind: str
    in_reply_to_tweet_id: int | None
    in_reply_to_user_id: int | None
    retweeted_id: int | None
    quoted_id: int | None
    retweet_count: int | None = None
    reply_count: int | None = None
    like_count: int | None = None
    quote_count: int | None = None


class EdgeRow(NamedTuple):
    kind: str
    src_user_id: int
    dst_user_id: int
    key_tweet_id: int
    tweet_id: int | None
    ref_tweet_id: int | None
    created_at: str | None


class NamedEdge(NamedTuple):
    """An edge whose target is known only by username; the loader resolves it against the users
    it has seen (in the same batch, then in the database)."""

    kind: str
    src_user_id: int
    dst_username: str
    key_tweet_id: int
    tweet_id: int | None
    ref_tweet_id: int | None
    created_at: str | None


class UrlRow(NamedTuple):
    tweet_id: int
    url: str
    domain: str | None


@dataclass(slots=True)
class Parsed:
    """What one line, page or row of a source yields."""

    users: list[UserRow] = field(default_factory=list)
    tweets: list[TweetRow] = field(default_factory=list)
    edges: list[EdgeRow] = field(default_factory=list)
    named_edges: list[NamedEdge] = field(default_factory=list)
    urls: list[UrlRow] = field(default_factory=list)
    api_errors: int = 0


@dataclass(slots=True, frozen=True)
class Problem:
    """A record that could not be used. ``rejected`` records are malformed (stored, counted
    against the run); the others are valid non-tweet records that are skipped on purpose."""

    location: str
    reason: str
    excerpt: str = ""
    rejected: bool = True


def excerpt(raw: bytes | None, limit: int = 300) -> str:
    """The start of a bad record, as text, for the rejected-records table."""
    if raw is None:
        return ""
    return raw[:limit].decode("utf-8", errors="replace").strip()


def stub_user(user_id: int, username: str | None = None) -> UserRow:
    return UserRow(user_id, username)


def local_id(namespace: str, key: str) -> int:
    """A stable negative id for a record that has no real X id (e.g. a TWCS handle).

    Real X ids are positive, so the two spaces never collide.
    """
    digest = hashlib.blake2b(f"{namespace}:{key}".encode(), digest_size=8).digest()
    return -((int.from_bytes(digest, "big") & 0x7FFF_FFFF_FFFF_FFFF) or 1)


def v2_time(value: str | None) -> str | None:
    """``2021-04-08T19:34:16.000Z`` -> ``2021-04-08 19:34:16`` (UTC)."""
    if not value:
        return None
    if value.endswith("Z") or value.endswith("+00:00") or len(value) <= 19:
        return f"{value[:10]} {value[11:19]}"
    dt = datetime.fromisoformat(value).astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


_MONTHS = {m: f"{i:02d}" for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}


def v1_time(value: str | None) -> str | None:
    """``Tue Oct 31 22:10:47 +0000 2017`` -> ``2017-10-31 22:10:47`` (UTC)."""
    if not value:
        return None
    parts = value.split()
    if len(parts) == 6 and parts[4] == "+0000" and parts[1] in _MONTHS:
        return f"{parts[5]}-{_MONTHS[parts[1]]}-{int(parts[2]):02d} {parts[3]}"
    dt = datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def url_domain(url: str) -> str | None:
    """The host of a URL, lower-case, without ``www.``; None if it has none."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.isalpha():
        return None
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rpartition("@")[2]
    if host.startswith("["):  # IPv6 literal
        host = host[1:host.find("]")] if "]" in host else ""
    else:
        host = host.split(":", 1)[0]
    host = host.lower()
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


# X usernames: 1-15 word characters, not preceded by a word character (so e-mail addresses
# such as a@b.com do not count).
MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})(?!\w)")
