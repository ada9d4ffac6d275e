"""X API v1.1 tweet JSON (``retweeted_status``, ``quoted_status``, ``extended_tweet``,
``full_text``), one object per line or in an array. Also the tweet shape of the X archive."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from ingest.readers.bounded import TooLong
from ingest.records import (
    read_json,
    RECORD_ERRORS,
    EdgeRow,
    NamedEdge,
    Parsed,
    Problem,
    TweetRow,
    UrlRow,
    UserRow,
    excerpt,
    excerpt_of,
    guarded,
    json_items,
    stub_user,
    structure_error,
    url_domain,
    v1_time,
    x_count,
    x_id,
    x_optional_id,
)

__all__ = ["read_v1", "v1_lines", "parse_v1_line", "add_v1_tweet", "v1_user",
           "STATUS_URL_RE"]

STATUS_URL_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w{1,15})/status(?:es)?/([0-9]{1,19})(?![0-9])",
    re.I
)
RT_RE = re.compile(r"^RT @(\w{1,15}):")


def _id(obj: dict[str, Any], what: str) -> int:
    """An object's id: ``id_str``, else ``id`` (strictly: ``records.x_id``)."""
    return x_id(obj.get("id_str") or obj["id"], what)


def _mention(m: dict[str, Any]) -> int:
    """A mention's user id; -1, which the archive writes for accounts that no longer exist,
    stays -1."""
    value = m.get("id_str") or m["id"]
    return -1 if value in ("-1", -1) else x_id(value, "interactions.dst_user_id")


def v1_user(u: dict[str, Any], seen_at: str | None) -> UserRow:
    return UserRow(
        _id(u, "users.id"),
        u.get("screen_name"),
        u.get("name"),
        u.get("description"),
        u.get("location"),
        u.get("url"),
        u.get("profile_image_url_https") or u.get("profile_image_url"),
        u.get("verified"),
        u.get("protected"),
        v1_time(u.get("created_at")),
        x_count(u.get("followers_count"), "users.followers_count"),
        x_count(u.get("friends_count"), "users.following_count"),
        x_count(u.get("statuses_count"), "users.tweet_count"),
        x_count(u.get("listed_count"), "users.listed_count"),
        False,
        False,
        seen_at,
    )


def add_v1_tweet(
    t: dict[str, Any], out: Parsed, *, author: int | None = None, archive: bool = False
) -> None:
    """Append a v1.1 tweet (and the tweets it embeds) to ``out``.

    ``author`` is given for archive tweets, which carry no ``user`` object; there retweets show
    only as ``RT @user:`` text and quotes only as a status URL, so both are inferred.
    """
    created = v1_time(t.get("created_at"))
    if author is None:
        user = t["user"]
        row = v1_user(user, created)
        out.users.append(row)
        author = row.id
    tid = _id(t, "tweets.id")
    ext = t.get("extended_tweet") or {}
    text = ext.get("full_text") or t.get("full_text") or t.get("text")
    entities = ext.get("entities") or t.get("entities") or {}
    mentions = entities.get("user_mentions") or ()
    urls = [u.get("expanded_url") or u.get("url") for u in entities.get("urls") or ()]
    urls = [u for u in urls if u]

    reply_to = x_optional_id(t.get("in_reply_to_status_id_str")
                             or t.get("tweets.in_reply_to_tweet_id"), "tweets.in_reply_to_tweet_id")
    reply_user = x_optional_id(t.get("in_reply_to_user_id_str")
                               or t.get("tweets.in_reply_to_user_id"), "tweets.in_reply_to_user_id")
    rt_obj = t.get("retweeted_status")
    q_obj = t.get("quoted_status")
    retweeted = _id(rt_obj, "tweets.retweeted_id") if rt_obj else None
    quoted = x_optional_id(t.get("quoted_status_id_str") or t.get("tweets.quoted_id"),
                           "tweets.quoted_id")
    rt_user = _id(rt_obj["user"], "users.id") if rt_obj else None
    q_user = (_id(q_obj["user"], "users.id")
              if q_obj and q_obj.get("user") else None)
    q_name = None
    if archive:
        m = RT_RE.match(text or "")
        if m:
            rt_user = _mention_id(mentions, m.group(1))
        elif quoted is None:
            for u in urls:
                sm = STATUS_URL_RE.match(u)
                if sm and int(sm.group(2)) != reply_to and int(sm.group(2)) < 2**63:
                    quoted, q_name = int(sm.group(2)), sm.group(1)
                    q_user = _mention_id(mentions, q_name)
                    break
        is_rt = m is not None
    else:
        is_rt = rt_obj is not None

    if is_rt:
        kind = "retweet"
    elif reply_to is not None:
        kind = "reply"
    elif quoted is not None:
        kind = "quote"
    else:
        kind = "original"
    out.tweets.append(
        TweetRow(
            tid, author, created, text, t.get("lang"), None, kind, reply_to, reply_user,
            retweeted, quoted, x_count(t.get("tweets.retweet_count"), "tweets.retweet_count"),
            x_count(t.get("tweets.reply_count"), "tweets.reply_count"),
            x_count(t.get("tweets.like_count"), "tweets.like_count"),
            x_count(t.get("tweets.quote_count"), "tweets.quote_count"),
        )
    )
    # Old replies may name the user without the status (in_reply_to_status_id null).
    if reply_user is not None and not is_rt:
        if not any(_mention(m) == reply_user for m in mentions):
            out.users.append(stub_user(reply_user, t.get("in_reply_to_screen_name")))
        out.edges.append(EdgeRow("reply", author, reply_user, tid, tid, reply_to, created))
    if is_rt:
        key = retweeted if retweeted is not None else tid
        if rt_user is not None:
            out.edges.append(EdgeRow("retweet", author, rt_user, key, tid, retweeted, created))
        elif archive:  # the archive writes id -1 for accounts that no longer exist
            out.named_edges.append(NamedEdge("retweet", author, RT_RE.match(text).group(1),
                                             key, tid, retweeted, created))
    if kind != "retweet" and quoted is not None:
        if q_user is not None:
            out.edges.append(EdgeRow("quote", author, q_user, tid, tid, quoted, created))
        elif q_name:
            out.named_edges.append(NamedEdge("quote", author, q_name, tid, tid, quoted, created))
    seen: set[int] = set()
    for m in mentions:
        uid = _mention(m)
        if uid == -1:  # the archive writes -1 for accounts that no longer exist
            if not is_rt and m.get("screen_name"):
                out.named_edges.append(NamedEdge("mention", author, m["screen_name"], tid, tid,
                                                 None, created))
            continue
        out.users.append(stub_user(uid, m.get("screen_name")))
        if is_rt or uid in seen:
            continue
        seen.add(uid)
        out.edges.append(EdgeRow("mention", author, uid, tid, tid, None, created))
    for u in urls:
        out.urls.append(UrlRow(tid, u, url_domain(u)))
    # The embedded copies are parts of their own: a bad one is one reject, this tweet loads.
    if rt_obj:
        guarded(out, "tweet", rt_obj, add_v1_tweet, rt_obj, out)
    if q_obj and q_obj.get("user"):
        guarded(out, "tweet", q_obj, add_v1_tweet, q_obj, out)


def _mention_id(mentions, screen_name: str) -> int | None:
    name = screen_name.lower()
    for m in mentions:
        if (m.get("screen_name") or "").lower() == name:
            uid = _mention(m)
            return uid if uid > 0 else None
    return None


def _parse_one(obj: Any, where: str, raw: bytes | None) -> Parsed | Problem:
    if not isinstance(obj, dict):
        return Problem(where, "not a JSON object", excerpt(raw))
    if "delete" in obj or "limit" in obj or "scrub_geo" in obj:
        return Problem(where, "stream notice, not a tweet", excerpt(raw), rejected=False)
    out = Parsed(where=where)
    try:
        add_v1_tweet(obj, out)
    except RECORD_ERRORS as exc:
        return Problem(where, structure_error(exc),
                       excerpt(raw) if raw is not None else excerpt_of(obj))
    return out


def read_v1(stream: BinaryIO, name: str) -> Iterator[Parsed | Problem]:
    """One v1.1 tweet per line, or a JSON array of them."""
    head = stream.read(4096)
    stripped = head.lstrip()
    if stripped.startswith(b"["):
        body = head + stream.read()
        done = 0
        try:  # item by item: a document of millions of {} never holds them all at once
            for done, obj in enumerate(json_items(body), 1):
                yield _parse_one(obj, f"{name}:item {done}", None)
        except ValueError as exc:  # JSONDecodeError, a NaN, bytes that are not UTF-8
            after = f" after item {done} (which loaded)" if done else ""
            yield Problem(f"{name}:1", f"invalid JSON array{after}: {exc}", excerpt(body))
        return
    for lineno, line in enumerate(_lines(head, stream), 1):
        yield from parse_v1_line(line, line.reason if type(line) is TooLong else None,
                                 f"{name}:{lineno}", None)


def v1_lines(stream: BinaryIO) -> Iterator[bytes] | None:
    """The lines :func:`read_v1` reads, one tweet each; None for a JSON array (a document
    read whole)."""
    head = stream.read(4096)
    if head.lstrip().startswith(b"["):
        return None
    return _lines(head, stream)


def parse_v1_line(line: bytes, too_long: str | None, where: str, state: dict | None = None
                  ) -> list[Parsed | Problem]:
    """One line of v1.1 JSON lines: a record, a problem, or nothing (a blank line).
    ``too_long`` is the reason when only the start of an over-long line was kept."""
    if too_long is not None:
        return [Problem(where, too_long, excerpt(line))]
    if not line.strip():
        return []
    try:
        obj = read_json(line)
    except orjson.JSONDecodeError as exc:
        return [Problem(where, f"invalid JSON: {exc}", excerpt(line))]
    return [_parse_one(obj, where, line)]


def _lines(head: bytes, stream: BinaryIO):
    return (head + stream.read()).splitlines() if len(head) < 4096 else _chain(head, stream)


def _chain(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    first_rest = stream.readline()
    if type(first_rest) is TooLong:  # the line the head ends in runs past the cap
        yield from head.split(b"\n")[:-1]
        yield first_rest
    else:
        yield from (head + first_rest).splitlines()
    yield from stream
