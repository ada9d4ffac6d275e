"""The one normal form every reader produces and the loader writes.

Rows are plain tuples (``NamedTuple``) in the column order of their table, so the loader can hand
them to ``executemany`` without copying.  Timestamps are naive UTC ISO strings
(``YYYY-MM-DD HH:MM:SS``), which SQLite compares as text and PostgreSQL casts on insert.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from collections.abc import Iterator
from typing import NamedTuple

import orjson

__all__ = [
    "UserRow",
    "TweetRow",
    "EdgeRow",
    "NamedEdge",
    "UrlRow",
    "Parsed",
    "Problem",
    "RECORD_ERRORS",
    "validate",
    "validate_all",
    "guarded",
    "read_json",
    "json_items",
    "excerpt_of",
    "storable",
    "stub_user",
    "excerpt",
    "local_id",
    "v2_time",
    "v1_time",
    "url_domain",
    "MENTION_RE",
    "x_id",
    "x_optional_id",
    "BadValue",
    "structure_error",
    "x_count",
    "FIRST_TIME",
    "latest_time",
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


class ComplianceEvent(NamedTuple):
    """An X compliance event: tweet or account ``id`` was deleted, protected, suspended,
    withheld... (``store.erase`` applies it)."""

    id: int
    action: str
    reason: str | None = None


def compliance_event(obj: object) -> ComplianceEvent | str | None:
    """A compliance line (``{"id", "action", ...}``) as an event, a reason it is malformed, or
    None for a line that is not one."""
    if not isinstance(obj, dict) or "action" not in obj:
        return None
    raw, action = obj.get("id"), obj.get("action")
    if not isinstance(action, str) or not action:
        return "compliance event without an action"
    try:
        value = int(str(raw))
    except ValueError:
        return f"compliance event id is not a number: {str(raw)[:40]!r}"
    if not 0 < value < 2 ** 63:
        return f"compliance event id out of range: {value}"
    reason = obj.get("reason")
    return ComplianceEvent(value, action.lower(), reason if isinstance(reason, str) else None)


@dataclass(slots=True)
class Parsed:
    """What one line, page or row of a source yields."""

    users: list[UserRow] = field(default_factory=list)
    tweets: list[TweetRow] = field(default_factory=list)
    edges: list[EdgeRow] = field(default_factory=list)
    named_edges: list[NamedEdge] = field(default_factory=list)
    urls: list[UrlRow] = field(default_factory=list)
    compliance: list[ComplianceEvent] = field(default_factory=list)
    api_errors: int = 0
    where: str = ""  # file:line (or file:item N) it came from, for a reject
    # The content hash of the page (line) it was read from: the loader stores it with the
    # page's rows, so an unchanged page is not parsed again (``ingest.parallel``).
    digest: bytes | None = None
    checked: bool = False  # validate() already passed it (in a parsing worker)
    # (reason, excerpt) of the record's parts a reader could not read (a page's tweet with a
    # float id): ``validate_all`` turns each into a rejected Problem, and the rest loads.
    rejects: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Problem:
    """A record that could not be used. ``rejected`` records are malformed (stored, counted
    against the run); the others are valid non-tweet records that are skipped on purpose."""

    location: str
    reason: str
    excerpt: str = ""
    rejected: bool = True


# What a reader catches around one record: any of these is that record's fault, never the
# file's (a dict where text belongs, 1e400 as an id, a retweet nested a thousand deep).
RECORD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError,
                 RecursionError)


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


_ID_TEXT = re.compile(r"[0-9]{1,19}")
_SIGNED = re.compile(r"-?[0-9]{1,40}")  # digits, to say which range they are out of


class BadValue(ValueError):
    """A field whose value is not what the schema stores (an id that is not an id): the
    message is the whole reason, "table.column: value is not ..."."""


def structure_error(exc: BaseException, what: str = "tweet") -> str:
    """The reason a reader gives for a record it could not read."""
    if isinstance(exc, BadValue):
        return str(exc)
    return f"unexpected {what} structure: {type(exc).__name__}: {exc}"


def x_id(value: object, what: str = "id") -> int:
    """An X id as given: an integer, or a string of ASCII decimal digits, from 1 to 2**63-1.
    Nothing else is an id: not a float (``1.9`` and ``1e18`` would land on another record's
    id), not ``true``, not "١٢٣" or "1_234" or " 12" (which ``int()`` accepts). Raises
    ValueError naming ``what``."""
    if type(value) is int:
        n = value
    elif type(value) is str and _SIGNED.fullmatch(value):
        n = int(value)
    else:
        raise BadValue(f"{what}: {_show(value)} is not an id (decimal digits)")
    if not 1 <= n <= ID_MAX:
        raise BadValue(f"{what}: {n} is not an id (1 to {ID_MAX}, a signed 64-bit integer)")
    return n


def x_optional_id(value: object, what: str = "id") -> int | None:
    """``x_id``, or None for a missing value (None or "")."""
    return None if value is None or value == "" else x_id(value, what)


def x_count(value: object, what: str = "count") -> int | None:
    """A count as given (an integer or decimal digits), or None when missing; a float or a
    boolean is not a count (``int()`` would truncate it without a word)."""
    if value is None or value == "":
        return None
    if type(value) is int:
        return value
    if type(value) is str and _ID_TEXT.fullmatch(value):
        return int(value)
    raise BadValue(f"{what}: {_show(value)} is not a count")


_V2_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2})"
                      r"(?:\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?")


def v2_time(value: str | None) -> str | None:
    """``2021-04-08T19:34:16.000Z`` -> ``2021-04-08 19:34:16`` (UTC; a time without an offset
    is UTC). Anything else comes back as it is, for validation to reject with its reason:
    the time is read from the whole value, never from the characters at a time's places."""
    if not value:
        return None
    m = _V2_TIME.fullmatch(value) if type(value) is str else None
    if m is None:
        return value
    zone = m.group(3)
    if zone is None or zone == "Z" or zone == "+00:00":
        return f"{m.group(1)} {m.group(2)}"
    dt = datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}{zone}").astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


_MONTHS = {m: f"{i:02d}" for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
_V1_UTC = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
                     r"|Nov|Dec) ([0-9]{2}) ([0-9]{2}:[0-9]{2}:[0-9]{2}) \+0000 ([0-9]{4})")


def v1_time(value: str | None) -> str | None:
    """``Tue Oct 31 22:10:47 +0000 2017`` -> ``2017-10-31 22:10:47`` (UTC); another offset is
    converted. Raises ValueError for anything else."""
    if not value:
        return None
    m = _V1_UTC.fullmatch(value)
    if m:
        return f"{m.group(4)}-{_MONTHS[m.group(1)]}-{m.group(2)} {m.group(3)}"
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


# --- validation: the one check between every reader and the loader ---------------------------
#
# Every row is checked against what both databases can store, so a poison record is one reject
# (``file:line: reason``) and never an aborted import: ids fit a signed 64-bit BIGINT, counts a
# 32-bit INTEGER (0 to 2**31-1; nobody has 2 billion followers, so a larger count is a corrupt
# record, rejected rather than clamped: nothing is silently changed), times are real
# ``YYYY-MM-DD HH:MM:SS`` times between X's first day and a day after now (a tweet must have
# one), text is text (no NUL, which PostgreSQL cannot store, and no
# lone surrogate), within the caps below, and kinds are the ones the schema knows.

ID_MIN, ID_MAX = -(2**63), 2**63 - 1
COUNT_MAX = 2**31 - 1
TWEET_KINDS = ("original", "reply", "retweet", "quote")
EDGE_KINDS = ("reply", "mention", "retweet", "quote")
# Characters. X's own limits are far lower (a long post 25,000, a name 50, a bio 160, a
# username 15); username, lang and domain are the schema's column widths.
MAX_TEXT = 50_000
MAX_USERNAME = 64
MAX_NAME = 256
MAX_BIO = 1_024
MAX_LOCATION = 256
MAX_URL = 8_192
MAX_LANG = 16
MAX_DOMAIN = 255


class _Spec(NamedTuple):
    table: str
    ids: tuple[tuple[int, bool], ...]  # (position, required)
    counts: tuple[int, ...]
    times: tuple[tuple[int, bool], ...]  # (position, required)
    texts: tuple[tuple[int, int], ...]  # (position, cap)
    bools: tuple[int, ...]
    kind: tuple[int, tuple[str, ...]] | None
    fields: tuple[str, ...]


def _spec(row: type, table: str, *, ids=(), optional_ids=(), counts=(), times=(), texts=(),
          bools=(), kind=None, required_times=()) -> _Spec:
    pos = {f: i for i, f in enumerate(row._fields)}
    return _Spec(
        table,
        tuple((pos[f], True) for f in ids) + tuple((pos[f], False) for f in optional_ids),
        tuple(pos[f] for f in counts),
        tuple((pos[f], True) for f in required_times) + tuple((pos[f], False) for f in times),
        tuple((pos[f], cap) for f, cap in texts), tuple(pos[f] for f in bools),
        (pos[kind[0]], kind[1]) if kind else None, row._fields)


_USER = _spec(
    UserRow, "users", ids=["id"],
    counts=["followers_count", "following_count", "tweet_count", "listed_count"],
    times=["created_at", "seen_at"],
    texts=[("username", MAX_USERNAME), ("name", MAX_NAME), ("description", MAX_BIO),
           ("location", MAX_LOCATION), ("url", MAX_URL), ("profile_image_url", MAX_URL)],
    bools=["verified", "protected", "is_stub", "is_brand"])
_TWEET = _spec(
    TweetRow, "tweets", ids=["id", "author_id"],
    optional_ids=["conversation_id", "in_reply_to_tweet_id", "in_reply_to_user_id",
                  "retweeted_id", "quoted_id"],
    counts=["retweet_count", "reply_count", "like_count", "quote_count"],
    required_times=["created_at"], texts=[("text", MAX_TEXT), ("lang", MAX_LANG)],
    kind=("kind", TWEET_KINDS))
_EDGE = _spec(
    EdgeRow, "interactions", ids=["src_user_id", "dst_user_id", "key_tweet_id"],
    optional_ids=["tweet_id", "ref_tweet_id"], times=["created_at"], kind=("kind", EDGE_KINDS))
_NAMED = _spec(
    NamedEdge, "interactions", ids=["src_user_id", "key_tweet_id"],
    optional_ids=["tweet_id", "ref_tweet_id"], times=["created_at"],
    texts=[("dst_username", MAX_USERNAME)], kind=("kind", EDGE_KINDS))
_URL = _spec(UrlRow, "tweet_urls", ids=["tweet_id"],
             texts=[("url", MAX_URL), ("domain", MAX_DOMAIN)])
_COMPLIANCE = _spec(ComplianceEvent, "compliance", ids=["id"],
                    texts=[("action", 32), ("reason", MAX_NAME)])


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _bad_text(value: object, cap: int) -> str | None:
    if type(value) is not str:
        return f"expected text, got {type(value).__name__} {_show(value)}"
    if len(value) > cap:
        return f"{len(value):,} characters, more than the {cap:,} allowed"
    if "\x00" in value:
        return "contains a NUL character"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "not valid Unicode (a lone surrogate)"
    return None


# X's first day: no tweet or account is older.
FIRST_TIME = "2006-03-21 00:00:00"


def latest_time() -> str:
    """The newest time a record may carry: one day after now (clocks and time zones differ;
    a tweet from 2099 is a corrupt record, and it would move every ranking window there)."""
    now = time.time()
    if now - _LATEST[0] > 60:
        _LATEST[:] = [now, (datetime.now(timezone.utc) + timedelta(days=1)).strftime(
            "%Y-%m-%d %H:%M:%S")]
    return _LATEST[1]


_LATEST: list = [0.0, ""]


_STORED_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def _bad_time(value: object) -> str | None:
    if type(value) is str and _STORED_TIME.fullmatch(value):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if value < FIRST_TIME:
                return f"{value} is before X's first day ({FIRST_TIME[:10]})"
            if value > latest_time():
                return f"{value} is in the future (more than a day after the import)"
            return None
    return f"not a time: {_show(value)}"


def _bad_row(row: tuple, spec: _Spec, positive: bool) -> str | None:
    """Why ``row`` cannot be stored, or None. ``positive``: ids come from X, which are > 0
    (the negative space is TWCS's own ids)."""
    low = 1 if positive else ID_MIN
    for i, required in spec.ids:
        v = row[i]
        if v is None:
            if required:
                return f"{spec.fields[i]}: missing"
            continue
        if type(v) is not int:
            return f"{spec.fields[i]}: expected an id, got {type(v).__name__} {_show(v)}"
        if v < low or v > ID_MAX:
            return (f"{spec.fields[i]}: {_show(v)} is not an id "
                    f"({low} to {ID_MAX}, a signed 64-bit integer)")
    for i in spec.counts:
        v = row[i]
        if v is not None and (type(v) is not int or v < 0 or v > COUNT_MAX):
            return f"{spec.fields[i]}: {_show(v)} is not a count (0 to {COUNT_MAX})"
    for i, required in spec.times:
        v = row[i]
        if v is None:
            if required:
                return f"{spec.fields[i]}: missing (a tweet needs its time)"
        else:
            bad = _bad_time(v)
            if bad:
                return f"{spec.fields[i]}: {bad}"
    for i, cap in spec.texts:
        v = row[i]
        if v is not None:
            bad = _bad_text(v, cap)
            if bad:
                return f"{spec.fields[i]}: {bad}"
    for i in spec.bools:
        v = row[i]
        if v is not None and v is not True and v is not False:
            return f"{spec.fields[i]}: expected true or false, got {_show(v)}"
    if spec.kind is not None:
        i, allowed = spec.kind
        if row[i] not in allowed:
            return f"{spec.fields[i]}: {_show(row[i])} is not one of {', '.join(allowed)}"
    return None


_GOOD_TIMES: set[str] = set()  # times already checked (bounded)


def _fast_check(spec: _Spec):
    """``ok(row, low) -> bool``: the checks of :func:`_bad_row` as straight-line code, built
    once per row type. Every row of every import goes through it (2.6M rows for 1M tweets);
    looping over field specs cost three times as much. Only a row it refuses takes the slow
    path, which says why."""
    lines = ["def ok(row, low):"]
    for i, required in spec.ids:
        test = f"v.__class__ is not int or v < low or v > {ID_MAX}"
        lines += [f"    v = row[{i}]",
                  f"    if {test}: return False" if required else
                  f"    if v is not None and ({test}): return False"]
    for i in spec.counts:
        lines += [f"    v = row[{i}]",
                  f"    if v is not None and (v.__class__ is not int or v < 0 or v > {COUNT_MAX}):"
                  " return False"]
    for i, required in spec.times:
        # A tweet's time is on its edges too, a page's time on its users: most are seen
        # before, and a set lookup is cheaper than parsing the time again.
        lines += [f"    v = row[{i}]",
                  *(["    if v is None: return False"] if required else []),
                  "    if v is not None and (v.__class__ is not str or v not in _good_times):",
                  "        if v.__class__ is not str or _bad_time(v): return False",
                  "        if len(_good_times) > 100_000: _good_times.clear()",
                  "        _good_times.add(v)"]
    for i, cap in spec.texts:
        lines += [f"    v = row[{i}]",
                  f"    if v is not None and (v.__class__ is not str or len(v) > {cap}"
                  " or '\\x00' in v or (not v.isascii() and _bad_text(v, " + str(cap) + "))):"
                  " return False"]
    for i in spec.bools:
        lines += [f"    v = row[{i}]",
                  "    if v is not None and v is not True and v is not False: return False"]
    if spec.kind is not None:
        lines += [f"    if row[{spec.kind[0]}] not in {spec.kind[1]!r}: return False"]
    lines.append("    return True")
    scope = {"_bad_time": _bad_time, "_bad_text": _bad_text, "_good_times": _GOOD_TIMES}
    exec("\n".join(lines), scope)  # noqa: S102 - our own code, from the specs above
    return scope["ok"]


_CHECKS = [(attr, spec, _fast_check(spec)) for attr, spec in (
    ("tweets", _TWEET), ("users", _USER), ("edges", _EDGE), ("named_edges", _NAMED),
    ("urls", _URL), ("compliance", _COMPLIANCE))]


def validate(rec: Parsed, where: str = "", *, positive_ids: bool = True) -> Parsed | Problem:
    """``rec`` itself if every row fits the schema, else one rejected :class:`Problem` naming
    the record (``rec.where``, else ``where``), the row and the reason; nothing is stored from
    a rejected record. Every record passes through here on its way to the loader."""
    if rec.checked:
        return rec
    if rec.rejects:
        reason, part = rec.rejects[0]
        return Problem(rec.where or where, reason, storable(part))
    low = 1 if positive_ids else ID_MIN
    for attr, spec, ok in _CHECKS:
        for row in getattr(rec, attr):
            if not ok(row, low):
                reason = _bad_row(row, spec, positive_ids) or "invalid"
                return Problem(rec.where or where, f"{spec.table}.{reason}",
                               storable(repr(row)[:300]))
    return rec


def validate_all(rec: Parsed, where: str = "", *, positive_ids: bool = True
                 ) -> list[Parsed | Problem]:
    """``rec`` checked row by row: a row that cannot be stored is one rejected
    :class:`Problem` (naming the record, the row and the reason), and only it goes, with what
    belongs to it (a rejected tweet's edges and links); the record's other rows load. A page
    with one bad ``created_at`` keeps its other tweets and users. A record that lost rows is
    not remembered as loaded (``digest``), so the next import reads it again."""
    if rec.checked:
        return [rec]
    low = 1 if positive_ids else ID_MIN
    if not rec.rejects and all(ok(row, low) for attr, _, ok in _CHECKS
                               for row in getattr(rec, attr)):
        rec.checked = True
        return [rec]
    loc = rec.where or where
    problems = [Problem(loc, reason, storable(part)) for reason, part in rec.rejects]
    rec.rejects = []

    def keep(rows, spec: _Spec, ok, what=None) -> list:
        kept = []
        for row in rows:
            if ok(row, low):
                kept.append(row)
                continue
            reason = _bad_row(row, spec, positive_ids) or "invalid"
            label = f" ({what(row)}; the record's other rows load)" if what else ""
            problems.append(Problem(loc, f"{spec.table}.{reason}{label}",
                                    storable(repr(row)[:300])))
        return kept

    checks = {attr: (spec, ok) for attr, spec, ok in _CHECKS}
    tweets = keep(rec.tweets, *checks["tweets"], lambda t: f"tweet {_show(t.id)}")
    gone = {t.id for t in rec.tweets} - {t.id for t in tweets}
    rec.tweets = tweets
    rec.users = keep(rec.users, *checks["users"], lambda u: f"user {_show(u.id)}")
    rec.edges = keep([e for e in rec.edges if e.key_tweet_id not in gone
                      and e.tweet_id not in gone], *checks["edges"])
    rec.named_edges = keep([e for e in rec.named_edges if e.key_tweet_id not in gone
                            and e.tweet_id not in gone], *checks["named_edges"])
    rec.urls = keep([u for u in rec.urls if u.tweet_id not in gone], *checks["urls"])
    rec.compliance = keep(rec.compliance, *checks["compliance"])
    rec.digest = None
    rec.checked = True
    if rec.tweets or rec.users or rec.compliance:
        return [*problems, rec]
    return problems


def read_json(raw: bytes | str):
    """A JSON document, read by orjson; one it refuses only for a number past a double's range
    (``1e400``, valid JSON) is read by the standard library instead, where the number is
    infinity: the record holding it is then rejected for that value, and the document's other
    records load. Raises ``orjson.JSONDecodeError`` for anything else that is not JSON."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "infinity" not in str(exc):
            raise
        try:
            return json.loads(raw, parse_constant=_not_json)
        except (ValueError, RecursionError):
            raise exc from None


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_not_json)
_BLANK = re.compile(r"[ \t\n\r]*")


def json_items(raw: bytes) -> Iterator[object]:
    """The items of the JSON array ``raw``, one at a time, so a document of four million
    ``{}`` never holds four million objects at once (a whole-document parse would: 30 bytes
    for 3 in the file). Raises ``json.JSONDecodeError`` where the array stops being JSON,
    after the items before it; a number past a double's range (``1e400``) is infinity, for
    the item holding it to be rejected."""
    text = raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw
    i = _BLANK.match(text).end()
    if text[i:i + 1] != "[":
        raise json.JSONDecodeError("expected a JSON array", text, i)
    i = _BLANK.match(text, i + 1).end()
    if text[i:i + 1] == "]":
        i += 1
    else:
        while True:
            obj, i = _DECODER.raw_decode(text, i)
            yield obj
            i = _BLANK.match(text, i).end()
            c = text[i:i + 1]
            if c == "]":
                i += 1
                break
            if c != ",":
                raise json.JSONDecodeError("expected , or ] after an item", text, i)
            i = _BLANK.match(text, i + 1).end()
    if _BLANK.match(text, i).end() != len(text):
        raise json.JSONDecodeError("extra data after the array", text, i)


def guarded(out: Parsed, what: str, obj: object, add, *args) -> bool:
    """``add(*args)``, which appends one part's rows (a tweet's, a user's) to ``out``; if it
    fails on the part's values, its rows are taken back and the part is one of ``out.rejects``,
    so the record's other parts still load. Returns whether it was added."""
    marks = (len(out.users), len(out.tweets), len(out.edges), len(out.named_edges),
             len(out.urls))
    try:
        add(*args)
        return True
    except RECORD_ERRORS as exc:
        for rows, mark in zip((out.users, out.tweets, out.edges, out.named_edges, out.urls),
                              marks):
            del rows[mark:]
        out.rejects.append((structure_error(exc, what), excerpt_of(obj)))
        return False


def excerpt_of(obj: object, limit: int = 300) -> str:
    """The start of a bad record read as JSON, as text (any value: an integer past 64 bits
    is shown as Python writes it)."""
    try:
        return orjson.dumps(obj)[:limit].decode("utf-8", errors="replace")
    except (TypeError, ValueError, OverflowError, RecursionError):
        return repr(obj)[:limit]


def storable(text: str) -> str:
    """Text both databases accept (for reasons and excerpts of rejects): NUL and lone
    surrogates replaced."""
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\\x00")
