"""What a record says, read strictly and apart from the readers: the fuzz tests' oracle.

For each format, ``candidates`` walks a file's records and returns, per tweet id, what each copy
of that tweet gives for the stored columns, or ``Invalid`` (with why) when a copy holds a value that is not what
its column stores (a float id, a time that is no time, a dict where text belongs). A stored tweet
must equal a copy that is not ``Invalid``: that is "loaded exactly as given". The rules here are the
formats' documented ones (X's id and time formats, v1's ``id_str`` before ``id``, a post's
``note_tweet`` text, TWCS's pandas ``3.0`` ids), written from the formats, not from the readers.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from ingest.readers.twcs import twcs_user_id  # the id mapping TWCS handles are stored under
from ingest.records import MAX_LANG, MAX_TEXT

class Invalid(str):
    """A copy the tweet must not be stored from, and why."""
ANY = "<any>"  # a column this oracle does not predict (the archive's inferred quotes)

COLUMNS = ("author_id", "created_at", "text", "lang", "conversation_id",
           "in_reply_to_tweet_id", "in_reply_to_user_id", "retweeted_id", "quoted_id",
           "retweet_count", "reply_count", "like_count", "quote_count")
IDENTITY = ("author_id", "created_at", "text")  # a copy differing here is a conflict
METRICS = ("retweet_count", "reply_count", "like_count", "quote_count")  # the latest seen


class Bad(Exception):
    pass


def ident(v) -> int:
    if type(v) is int:
        n = v
    elif type(v) is str and v.isascii() and v.isdigit():
        n = int(v)
    else:
        raise Bad(f"id {v!r}")
    if not 1 <= n < 2**63:
        raise Bad(f"id {n} out of range")
    return n


def opt_ident(v) -> int | None:
    return None if v is None or v == "" else ident(v)


def count(v) -> int | None:
    if v is None or v == "":
        return None
    if type(v) is int:
        n = v
    elif type(v) is str and v.isascii() and v.isdigit() and len(v) < 20:
        n = int(v)
    else:
        raise Bad(f"count {v!r}")
    if not 0 <= n < 2**31:
        raise Bad(f"count {n} out of range")
    return n


def _in_range(dt: datetime) -> str:
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    if not datetime(2006, 3, 21) <= dt <= now + timedelta(days=1):
        raise Bad(f"time {dt} out of range")
    return dt.strftime("%Y-%m-%d %H:%M:%S")


_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)?",
                  re.ASCII)


def time_v2(v) -> str:
    m = _ISO.fullmatch(v) if type(v) is str else None
    if not m:
        raise Bad(f"time {v!r}")
    try:
        dt = datetime(*map(int, m.groups()[:6]))
    except ValueError as exc:
        raise Bad(str(exc)) from None
    zone = m.group(8)
    if zone and zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            raise Bad(f"offset {zone}")
        shift = timedelta(hours=hours, minutes=minutes)
        dt = dt - shift if zone[0] == "+" else dt + shift
    return _in_range(dt)


def time_v1(v) -> str:
    if type(v) is not str:
        raise Bad(f"time {v!r}")
    try:
        dt = datetime.strptime(v, "%a %b %d %H:%M:%S %z %Y")
    except ValueError as exc:
        raise Bad(str(exc)) from None
    return _in_range(dt.astimezone(timezone.utc).replace(tzinfo=None))


def text(v) -> str | None:
    if v is None:
        return None
    if type(v) is not str or "\x00" in v or len(v) > MAX_TEXT:
        raise Bad("text")
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        raise Bad("text: lone surrogate") from None
    return v


def lang(v) -> str | None:
    if v is None:
        return None
    if type(v) is not str or "\x00" in v or len(v) > MAX_LANG:
        raise Bad("lang")
    return v


def _dicts(obj):
    """Every dict in a JSON value, depth first."""
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            yield o
            stack.extend(o.values())
        elif isinstance(o, list):
            stack.extend(o)


def _add(out: dict, make, d) -> None:
    try:
        tid, row = make(d)
    except (Bad, KeyError, TypeError, AttributeError, ValueError) as exc:  # unreadable
        why = Invalid(f"{type(exc).__name__}: {exc}")
        try:  # still keyed by its id, when that is one: a copy not to store
            tid = ident(d.get("id_str") or d.get("id") or d.get("tweet_id"))
        except (Bad, AttributeError):
            return
        out.setdefault(tid, []).append(why)
        return
    out.setdefault(tid, []).append(row)


# --- X API v2 (twarc2) -------------------------------------------------------------------------

_POST = {"note_post": "note_tweet", "referenced_posts": "referenced_tweets"}


def _v2(d: dict):
    d = {**d, **{old: d[new] for new, old in _POST.items() if new in d and old not in d}}
    note = d.get("note_tweet")
    body = note["text"] if isinstance(note, dict) and note.get("text") else d.get("text")
    refs = {"replied_to": None, "retweeted": None, "quoted": None}
    given = d.get("referenced_tweets")
    if given and not isinstance(given, list):  # empty (null, [], {}, 0, "") is no reference
        raise Bad("referenced_tweets")
    for ref in given or ():
        if not isinstance(ref, dict):
            raise Bad("reference")
        if isinstance(ref.get("type"), str) and ref["type"] in refs:
            refs[ref["type"]] = ident(ref.get("id"))
    pm = d.get("public_metrics") or {}
    if not isinstance(pm, dict):
        raise Bad("public_metrics")
    if "repost_count" in pm and "retweet_count" not in pm:
        pm = {**pm, "retweet_count": pm["repost_count"]}
    ctime = d.get("created_at")
    if ctime is None or ctime == "":
        raise Bad("a tweet needs a time")
    return ident(d["id"]), {
        "author_id": ident(d["author_id"]), "created_at": time_v2(ctime), "text": text(body),
        "lang": lang(d.get("lang")), "conversation_id": opt_ident(d.get("conversation_id")),
        "in_reply_to_tweet_id": refs["replied_to"],
        "in_reply_to_user_id": opt_ident(d.get("in_reply_to_user_id")),
        "retweeted_id": refs["retweeted"], "quoted_id": refs["quoted"],
        **{k: count(pm.get(k)) for k in METRICS},
    }


def twarc2(records: list) -> dict[int, list]:
    out: dict[int, list] = {}
    for rec in records:
        for d in _dicts(rec):
            if "id" in d and "text" in d and "author_id" in d:
                _add(out, _v2, d)
    return out


# --- API v1.1 and the archive --------------------------------------------------------------

def _v1(d: dict, author: int | None = None, archive: bool = False):
    ctime = d.get("created_at")
    if ctime is None or ctime == "":
        raise Bad("a tweet needs a time")
    if author is None:
        user = d.get("user")
        if not isinstance(user, dict):
            raise Bad("user")
        author = ident(user.get("id_str") or user.get("id"))
    ext = d.get("extended_tweet") or {}
    if not isinstance(ext, dict):
        raise Bad("extended_tweet")
    rt = d.get("retweeted_status")
    if rt and not isinstance(rt, dict):
        raise Bad("retweeted_status")
    return ident(d.get("id_str") or d.get("id")), {
        "author_id": author, "created_at": time_v1(ctime),
        "text": text(ext.get("full_text") or d.get("full_text") or d.get("text")),
        "lang": lang(d.get("lang")), "conversation_id": None,
        "in_reply_to_tweet_id": opt_ident(d.get("in_reply_to_status_id_str")
                                          or d.get("tweets.in_reply_to_tweet_id")),
        "in_reply_to_user_id": opt_ident(d.get("in_reply_to_user_id_str")
                                         or d.get("tweets.in_reply_to_user_id")),
        "retweeted_id": ident(rt.get("id_str") or rt.get("id")) if rt else None,
        "quoted_id": ANY if archive else opt_ident(d.get("quoted_status_id_str")
                                                   or d.get("tweets.quoted_id")),
        **{k: count(d.get(f"tweets.{k}")) for k in METRICS},
    }


def v1(records: list) -> dict[int, list]:
    out: dict[int, list] = {}
    for rec in records:
        for d in _dicts(rec):
            if ("id_str" in d or "id" in d) and "user" in d:  # a tweet (its text may be gone)
                _add(out, _v1, d)
    return out


def archive(items: list, owner: int) -> dict[int, list]:
    out: dict[int, list] = {}
    for item in items:
        d = item.get("tweet", item) if isinstance(item, dict) else None
        if isinstance(d, dict):
            _add(out, lambda t: _v1(t, owner, archive=True), d)
    return out


# --- TWCS ----------------------------------------------------------------------------------

_TWCS_ID = re.compile(r"([0-9]{1,19})(\.0+)?")


def _twcs_id(v: str) -> int:
    m = _TWCS_ID.fullmatch(v.strip())
    if not m or not 1 <= int(m.group(1)) < 2**63:
        raise Bad(f"TWCS id {v!r}")
    return -int(m.group(1))


def twcs(rows: list[list[str]]) -> dict[int, list]:
    """Rows as the CSV gives them: tweet_id, author_id, inbound, created_at, text,
    response_tweet_id, in_response_to_tweet_id."""
    out: dict[int, list] = {}
    for row in rows:
        if len(row) != 7:
            continue
        try:
            tid = _twcs_id(row[0])
        except Bad:
            continue
        try:
            handle = row[1].strip()
            if not handle or row[2].strip().lower() not in ("true", "false"):
                raise Bad("author or inbound")
            parent = row[6].strip()
            got = {"author_id": twcs_user_id(handle), "created_at": time_v1(row[3].strip()),
                   "text": text(row[4]), "lang": None, "conversation_id": None,
                   "in_reply_to_tweet_id": _twcs_id(parent) if parent else None,
                   "in_reply_to_user_id": ANY, "retweeted_id": None, "quoted_id": None,
                   **{k: None for k in METRICS}}
        except Bad as exc:
            got = Invalid(str(exc))
        out.setdefault(tid, []).append(got)
    return out


# --- the comparison --------------------------------------------------------------------------

def _same(stored, given) -> bool:
    if given is ANY:
        return True
    if hasattr(stored, "strftime"):  # PostgreSQL gives times as datetimes
        stored = stored.strftime("%Y-%m-%d %H:%M:%S")
    return stored == given


def mismatch(stored: dict, copies: list, parent_author: int | None = None) -> str | None:
    """Why the stored tweet is not one of the copies given (None when it is one). The first
    copy's columns stand; a column it leaves empty may be filled from another copy, and the
    metrics are the latest a copy gave (the loader's documented merge). A reply that names
    only its parent tweet gets the parent's author as the user it replies to, when the parent
    is stored (``parent_author``)."""
    good = [c for c in copies if not isinstance(c, Invalid)]
    if not good:
        return f"stored, but every copy given is invalid: {copies}"
    reasons = []
    for c in good:
        wrong = []
        for col in COLUMNS:
            if col in METRICS:
                ok = any(_same(stored[col], o[col]) for o in good) or stored[col] is None
            elif c[col] is None:
                ok = (stored[col] is None or any(_same(stored[col], o[col]) for o in good)
                      or (col == "in_reply_to_user_id" and stored[col] == parent_author))
            else:
                ok = _same(stored[col], c[col])
            if not ok:
                wrong.append(f"{col}: stored {stored[col]!r}, given {c[col]!r}")
        if not wrong:
            return None
        reasons.append("; ".join(wrong))
    return " | ".join(reasons)
