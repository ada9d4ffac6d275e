"""X API v2 tweets: twarc2 response pages, twarc2's flattened lines, and live API pages.

Pages may use X's older field names (``referenced_tweets``, ``includes.tweets``...) or the newer
ones of its OpenAPI spec v2.167 (``referenced_posts``, ``includes.posts``...). A long post's
mentions and links come from its ``note_tweet`` as well as its cut ``text``. A saved
``retweeted_by`` page that says whose tweet it was (``__champions.retweeted_by``, written by the
live job) gives the same retweet edges as the live fetch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import orjson

from ingest.readers.bounded import TooLong
from ingest.records import (
    read_json,
    RECORD_ERRORS,
    ComplianceEvent,
    EdgeRow,
    NamedEdge,
    Parsed,
    Problem,
    compliance_event,
    TweetRow,
    UrlRow,
    UserRow,
    excerpt,
    guarded,
    structure_error,
    url_domain,
    v2_time,
    x_id,
    x_optional_id,
)

__all__ = ["read_jsonl", "jsonl_lines", "parse_jsonl_line", "parse_page", "parse_flat",
           "v2_user"]

# X's OpenAPI spec from v2.167 on renames tweet -> post in the fields this reader uses. Both
# namings are read through these tables, here and nowhere else, so a page in either gives the
# same rows; the rest of the reader works in the older names.
_POST_KEYS = {"referenced_posts": "referenced_tweets", "note_post": "note_tweet",
              "edit_history_post_ids": "edit_history_tweet_ids"}
_POST_METRICS = {"repost_count": "retweet_count"}
_USER_METRICS = {"post_count": "tweet_count"}
_INCLUDES = {"posts": "tweets"}


def _old_names(obj: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """``obj`` with each newer key under its older name: a copy, or ``obj`` itself when it has
    none of them (the usual case, and the fast path: every tweet and user passes here). Where a
    record has both, the older one is kept."""
    for new in names:
        if new in obj:
            break
    else:
        return obj
    out = dict(obj)
    for new, old in names.items():
        if new in out:
            value = out.pop(new)
            out.setdefault(old, value)
    return out


def _as_tweet(t: dict[str, Any]) -> dict[str, Any]:
    """A tweet or post in the older naming (see ``_POST_KEYS``)."""
    t = _old_names(t, _POST_KEYS)
    metrics = t.get("public_metrics")
    if metrics:
        renamed = _old_names(metrics, _POST_METRICS)
        if renamed is not metrics:
            t = {**t, "public_metrics": renamed}
    return t


# Rows are made with tuple.__new__, a C call: a NamedTuple's own constructor is a Python
# function (3-4 times slower), and this reader makes about three rows a tweet.
_row = tuple.__new__


def v2_user(u: dict[str, Any], seen_at: str | None) -> UserRow:
    m = _old_names(u.get("public_metrics") or {}, _USER_METRICS)
    return _row(UserRow, (
        x_id(u["id"], "users.id"),
        u.get("username"),
        u.get("name"),
        u.get("description"),
        u.get("location"),
        u.get("url") or None,
        u.get("profile_image_url"),
        u.get("verified"),
        u.get("protected"),
        v2_time(u.get("created_at")),
        m.get("followers_count"),
        m.get("following_count"),
        m.get("tweet_count"),
        m.get("listed_count"),
        False,
        False,
        seen_at,
    ))


def _add_tweet(
    t: dict[str, Any],
    out: Parsed,
    authors: dict[int, int],
    users_by_name: dict[str, int],
) -> None:
    """Append one v2 tweet's rows. ``authors`` maps tweet id -> author id for referenced tweets;
    ``users_by_name`` maps lower-case username -> id for resolving mentions."""
    tid = x_id(t["id"], "tweets.id")
    author = x_id(t["author_id"], "tweets.author_id")
    created = v2_time(t.get("created_at"))
    reply_to = retweeted = quoted = None
    for ref in t.get("referenced_tweets") or ():
        rtype = ref.get("type")
        if rtype == "replied_to":
            reply_to = x_id(ref["id"], "tweets.referenced_tweets.id")
        elif rtype == "retweeted":
            retweeted = x_id(ref["id"], "tweets.referenced_tweets.id")
        elif rtype == "quoted":
            quoted = x_id(ref["id"], "tweets.referenced_tweets.id")
    if retweeted is not None:
        kind = "retweet"
    elif reply_to is not None:
        kind = "reply"
    elif quoted is not None:
        kind = "quote"
    else:
        kind = "original"
    reply_user = t.get("in_reply_to_user_id")
    reply_user = x_optional_id(reply_user, "tweets.in_reply_to_user_id")
    note = t.get("note_tweet")
    text = note.get("text") if isinstance(note, dict) and note.get("text") else t.get("text")
    mentions, urls = _mentions_and_urls(t)
    conv = t.get("conversation_id")
    pm = t.get("public_metrics") or {}
    out.tweets.append(
        _row(TweetRow, (
            tid, author, created, text, t.get("lang"), x_optional_id(conv, "tweets.conversation_id"), kind,
            reply_to, reply_user, retweeted, quoted,
            pm.get("retweet_count"), pm.get("reply_count"), pm.get("like_count"),
            pm.get("quote_count"),
        ))
    )
    edges = out.edges
    if reply_to is not None:
        dst = reply_user if reply_user is not None else authors.get(reply_to)
        if dst is not None:
            edges.append(_row(EdgeRow, ("reply", author, dst, tid, tid, reply_to, created)))
    if retweeted is not None:
        dst = authors.get(retweeted)
        if dst is not None:
            edges.append(_row(EdgeRow, ("retweet", author, dst, retweeted, tid, retweeted,
                                          created)))
        elif mentions:
            # The retweeted tweet was not returned (deleted, protected); "RT @user:" names its
            # author, and that is the first mention.
            _mention_edge(out, "retweet", author, mentions[0], users_by_name,
                          retweeted, tid, retweeted, created)
    if quoted is not None:
        dst = authors.get(quoted)
        if dst is not None:
            edges.append(_row(EdgeRow, ("quote", author, dst, tid, tid, quoted, created)))
    if retweeted is None and mentions:
        # A retweet's mentions belong to the tweet it copies, not to the retweeter.
        seen: set[str] = set()
        for m in mentions:
            name = (m.get("username") or "").lower()
            if not name or name in seen:
                continue
            seen.add(name)
            _mention_edge(out, "mention", author, m, users_by_name, tid, tid, None, created)
    for u in urls:
        url = _url_of(u)
        if url:
            out.urls.append(_row(UrlRow, (tid, url, url_domain(url))))


def _url_of(u: dict[str, Any]) -> str | None:
    return u.get("unwound_url") or u.get("expanded_url") or u.get("url")


def _mentions_and_urls(t: dict[str, Any]) -> tuple[Any, Any]:
    """A tweet's mention and URL entities. ``entities`` covers only ``text``, which X cuts at
    280 characters; a long post's ``note_tweet.entities`` covers the whole text. The top-level
    ones come first (a retweet's first mention names the retweeted author), then the note's
    that are not among them: the same username (any case), or the same link."""
    entities = t.get("entities") or {}
    mentions = entities.get("mentions") or ()
    urls = entities.get("urls") or ()
    note = t.get("note_tweet")
    more = note.get("entities") if isinstance(note, dict) else None
    if more:
        mentions = _merge(mentions, more.get("mentions"), _mention_keys)
        urls = _merge(urls, more.get("urls"), _url_keys)
    return mentions, urls


def _mention_keys(m: dict[str, Any]) -> tuple[str, ...]:
    name = (m.get("username") or "").lower()
    return (name,) if name else ()


def _url_keys(u: dict[str, Any]) -> tuple[str, ...]:
    # The t.co link and the link it stands for: the note may give only expanded_url where the
    # top level gave unwound_url for the same t.co link.
    return tuple(v for v in (u.get("url"), _url_of(u)) if v)


def _merge(first: Any, more: Any, keys) -> Any:
    if not more:
        return first
    out = list(first)
    seen = {k for e in out for k in keys(e)}
    for e in more:
        ks = keys(e)
        if seen.isdisjoint(ks):
            out.append(e)
            seen.update(ks)
    return out


def _mention_edge(out, kind, src, mention, users_by_name, key, tweet, ref, created) -> None:
    uid = mention.get("id")
    name = mention.get("username") or ""
    if uid is None:
        uid = users_by_name.get(name.lower())
    if uid is not None:
        out.edges.append(_row(EdgeRow, (kind, src, x_id(uid, "interactions.dst_user_id"), key, tweet, ref, created)))
    elif name:
        out.named_edges.append(NamedEdge(kind, src, name, key, tweet, ref, created))


def parse_page(page: dict[str, Any], emitted: dict[int, str | None] | None = None
               ) -> Parsed | Problem | None:
    """One X API v2 response page (``data``, ``includes``, ``errors``, ``meta``).

    ``emitted`` (user id -> observation time) lets a stream skip profiles it already yielded
    with the same observation time: the loader would discard them as unchanged anyway, and a
    page repeats most of its users. Returns None for a page with no tweets or users and nothing
    wrong in it.
    """
    out = Parsed()
    twarc = page.get("__twarc")
    seen_at = v2_time(twarc.get("retrieved_at")) if isinstance(twarc, dict) else None
    data = page.get("data")
    if isinstance(data, dict):  # filtered-stream pages carry one tweet
        data = [data]
    data = _part(data, "data", list, out)
    includes = _old_names(_part(page.get("includes"), "includes", dict, out) or {}, _INCLUDES)
    inc_users = _part(includes.get("users"), "includes.users", list, out) or ()
    inc_tweets = _part(includes.get("tweets"), "includes.tweets", list, out) or ()
    errors = page.get("errors")
    out.api_errors = len(errors) if isinstance(errors, list) else 0

    users_by_name: dict[str, int] = {}

    def add_user(u: dict[str, Any]) -> None:
        uid = x_id(u["id"], "users.id")
        # A profile yielded already with this observation time is not yielded again.
        if emitted is None or uid not in emitted or emitted[uid] != seen_at:
            row = v2_user(u, seen_at)
            if emitted is not None:
                emitted[uid] = seen_at
            out.users.append(row)
        name = u.get("username")
        if name:
            users_by_name[name.lower()] = uid

    for u in inc_users:  # a bad profile is one reject; the page's tweets still load
        guarded(out, "user", u, add_user, u)
    # The page's kind, from its first record that is an object.
    first = next((d for d in data if isinstance(d, dict)), None) if data else None
    if first is not None and "username" in first and "text" not in first:
        # A users page (followers, user lookup, a tweet's retweeters).
        retweeted = _retweeted_by(page)
        if isinstance(retweeted, str):
            return Problem("", retweeted)
        before = len(out.users)
        for u in data:
            guarded(out, "user", u, lambda u: out.users.append(v2_user(u, seen_at)), u)
        if retweeted is not None:
            tweet_id, author = retweeted
            # One edge per retweeter, keyed by the retweeted tweet; X gives neither the
            # retweet's own id nor its time here.
            out.edges.extend(EdgeRow("retweet", u.id, author, tweet_id, None, tweet_id, None)
                             for u in out.users[before:])
        return out
    if first is not None and "text" not in first:
        return Problem("", "not tweets or users (e.g. a counts or lists page)", rejected=False)
    all_tweets: list[dict[str, Any]] = []
    for t in [*(data or ()), *inc_tweets]:
        guarded(out, "tweet", t, lambda t: all_tweets.append(_as_tweet(t)), t)
    authors: dict[int, int] = {}
    for t in all_tweets:
        _note_author(t, authors)
    for t in all_tweets:  # a bad tweet is one reject; the page's other tweets still load
        guarded(out, "tweet", t, _add_tweet, t, out, authors, users_by_name)
    if not out.tweets and not out.users and not out.rejects:
        return None
    return out


def _part(value: Any, name: str, kind: type, out: Parsed) -> Any:
    """A page's part (``data``, ``includes``...) when it is what X sends (a list, an object)
    or empty; otherwise one reject naming it, and the page's other parts still load."""
    if not value or isinstance(value, kind):
        return value
    out.rejects.append((f"{name}: expected {'a list' if kind is list else 'an object'},"
                        f" got {type(value).__name__}", str(value)[:300]))
    return None


def _note_author(t: dict[str, Any], authors: dict[int, int]) -> None:
    """Remember a tweet's author for the edges of tweets referring to it; a tweet whose ids
    are not ids is rejected when it is added, and is no one's reference here."""
    try:
        if t.get("author_id"):
            authors[x_id(t["id"])] = x_id(t["author_id"])
    except RECORD_ERRORS:
        pass


_ID = re.compile(r"[0-9]{1,19}")  # X's TweetId and UserId pattern
_RETWEETED_BY_URL = re.compile(r"/2/tweets/([0-9]+)/retweeted_by/?(?:[?#]|$)")


def _retweeted_by(page: dict[str, Any]) -> tuple[int, int] | str | None:
    """For a saved ``retweeted_by`` page: (tweet id, that tweet's author id), from the
    ``__champions.retweeted_by`` block the live job writes beside the page; None for a users
    page without one; or why the block cannot be used.

    A page saved by ``twarc2 retweeted-by`` names the tweet in ``__twarc.url`` but not its
    author, so it gives None: its users are read, and no edge is made (the loader has no way
    to make an edge to "the author of tweet N")."""
    block = page.get("__champions")
    if not isinstance(block, dict) or "retweeted_by" not in block:
        return None
    rt = block["retweeted_by"]
    if not isinstance(rt, dict):
        return "__champions.retweeted_by: expected an object with tweet_id and author_id"
    ids = []
    for key in ("tweet_id", "author_id"):
        value = rt.get(key)
        if value is None:
            return f"__champions.retweeted_by.{key}: missing"
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not _ID.fullmatch(
                str(value)):
            return f"__champions.retweeted_by.{key}: not an id: {str(value)[:40]!r}"
        ids.append(int(value))
    url = (page.get("__twarc") or {}).get("url")
    named = _RETWEETED_BY_URL.search(url) if isinstance(url, str) else None
    if named and int(named.group(1)) != ids[0]:
        return (f"__champions.retweeted_by.tweet_id {ids[0]} is not the tweet the page was"
                f" fetched for ({named.group(1)} in __twarc.url)")
    return ids[0], ids[1]


def parse_flat(t: dict[str, Any]) -> Parsed:
    """twarc2's flattened form: one tweet per line with ``author`` and references inline."""
    out = Parsed()
    seen_at = v2_time((t.get("__twarc") or {}).get("retrieved_at"))
    users_by_name: dict[str, int] = {}
    authors: dict[int, int] = {}

    def add_user(u: dict[str, Any]) -> None:
        row = v2_user(u, seen_at)
        out.users.append(row)
        users_by_name[row.username.lower()] = row.id

    def user(u: Any) -> None:
        if u and u.get("id") and u.get("username"):
            guarded(out, "user", u, add_user, u)

    def collect(tw: dict[str, Any]) -> None:
        user(tw.get("author"))
        user(tw.get("in_reply_to_user"))
        for m in _mentions_and_urls(tw)[0]:
            if "username" in m and "id" in m and "name" in m:
                user(m)

    # Referenced tweets are inline, and may reference further tweets (a retweet of a quote).
    found: list[dict[str, Any]] = []
    t = _as_tweet(t)
    stack = [t]
    while stack:
        tw = stack.pop()
        if tw is not t:
            if not (tw.get("author_id") and tw.get("text")):
                continue
            tw = _as_tweet(tw)
        found.append(tw)
        stack.extend(tw.get("referenced_tweets") or ())
    read = [tw for tw in found if guarded(out, "tweet", tw, collect, tw)]
    for tw in read:
        _note_author(tw, authors)
    for tw in read:  # a bad referenced tweet is one reject; the others still load
        guarded(out, "tweet", tw, _add_tweet, tw, out, authors, users_by_name)
    return out


def _classify(obj: Any) -> str:
    if not isinstance(obj, dict):
        return "other"
    if "data" in obj or "includes" in obj or "meta" in obj:
        return "page"
    if "id" in obj and "text" in obj and "author_id" in obj:
        return "flat"
    if "action" in obj and "id" in obj:
        return "compliance"
    if "errors" in obj:
        return "errors"
    return "other"


def read_jsonl(stream: BinaryIO, name: str) -> Iterator[Parsed | Problem]:
    """Read twarc2 JSONL (pages or flattened tweets, mixed lines allowed) from a binary stream."""
    state: dict = {}
    for lineno, line in enumerate(stream, 1):
        yield from parse_jsonl_line(line, line.reason if type(line) is TooLong else None,
                                    f"{name}:{lineno}", state)


def jsonl_lines(stream: BinaryIO) -> Iterator[bytes]:
    """The lines :func:`read_jsonl` reads, one record each (``ingest.parallel`` numbers them)."""
    return iter(stream)


def parse_jsonl_line(line: bytes, too_long: str | None, where: str, state: dict
                     ) -> list[Parsed | Problem]:
    """One line of twarc2 JSONL: a record, a problem, or nothing (a blank line, an empty page).
    ``too_long`` is the reason when only the start of an over-long line was kept. ``state``
    is shared by the lines of one stream (or one chunk of it): the profiles already yielded,
    so a page repeating a user seen at the same time does not yield it again."""
    if not line.strip():
        return []
    emitted = state.get("emitted")
    if emitted is None or len(emitted) > 500_000:  # bounded: forgetting costs a redundant row
        emitted = state["emitted"] = {}
    if too_long is not None:
        return [Problem(where, too_long, excerpt(line))]
    return _read_line(line, where, emitted)


def _read_line(line: bytes, where: str, emitted: dict | None = None
               ) -> Iterable[Parsed | Problem]:
    try:
        obj = read_json(line)
    except orjson.JSONDecodeError as exc:
        return [Problem(where, f"invalid JSON: {exc}", excerpt(line))]
    kind = _classify(obj)
    try:
        if kind == "page":
            got = parse_page(obj, emitted)
            if isinstance(got, Problem):
                return [Problem(where, got.reason, excerpt(line), rejected=got.rejected)]
            if got is not None:
                got.where = where
            return [got] if got is not None else []
        if kind == "flat":
            got = parse_flat(obj)
            got.where = where
            return [got]
    except RECORD_ERRORS as exc:
        return [Problem(where, structure_error(exc), excerpt(line))]
    if kind == "compliance":
        event = compliance_event(obj)
        if isinstance(event, ComplianceEvent):
            return [Parsed(compliance=[event], where=where)]
        return [Problem(where, event or "not a compliance event", excerpt(line))]
    if kind == "errors":
        return [Problem(where, "API error record, not a tweet", excerpt(line), rejected=False)]
    return [Problem(where, "not an X API v2 page or tweet", excerpt(line))]
