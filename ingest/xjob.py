"""The live job: for each support handle, fetch what builds its community graph.

Per handle: its mentions; a recent search (replies to it, mentions of it, links to the fix
domains); its own tweets; and, for its recent fix tweets, their retweeters and quote tweets
(keyword search no longer returns retweets, so ``retweeted_by`` is the only way to see them).

Every page is written as it arrives (its own transaction). The since_id cursors are written only
after the whole run has committed, so a run that dies is simply fetched again next time: the
upserts make the overlap harmless.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, BinaryIO

import orjson
from sqlalchemy import Engine, delete, insert, select, text

from ingest.loader import LoadCounts, Loader, link_replies
from ingest.readers.v2 import parse_page, v2_user
from ingest.records import Parsed, Problem
from ingest.runs import utcnow
from ingest.xapi import (EXPANSIONS, TWEET_FIELDS, USER_FIELDS, UsageCapExceeded, XApiError,
                         XClient, XFieldsChanged, check_fields)
from settings import Settings
from store.db import bind_time
from store.models import Cursor, Tweet

__all__ = ["fetch_handles", "XResult", "Backlog", "search_query"]

log = logging.getLogger(__name__)


@dataclass
class XResult:
    counts: LoadCounts = field(default_factory=LoadCounts)
    pages: int = 0
    cursors: dict[str, int] = field(default_factory=dict)
    # handle -> why it could not be fetched (renamed, suspended...): the others go on
    failed_handles: dict[str, str] = field(default_factory=dict)
    # query key -> what X said on a 200 page that held only errors (that query did not advance)
    error_pages: dict[str, str] = field(default_factory=dict)
    # query key -> the gap max_pages left for the next run (see ``Backlog``)
    backlog: dict[str, Backlog] = field(default_factory=dict)
    # retweeter and quote lists not fetched again because their counts had not changed
    unchanged_fix_lists: int = 0


@dataclass
class Backlog:
    """Posts a query cut short by ``max_pages`` did not reach: ids above ``since`` and below
    ``until``. ``pages_left`` is estimated from the rate of the pages fetched over the gap, and
    bounded by how far back X serves the endpoint (800 mentions, 3,200 own posts, 7 days of
    search); None when neither gives a figure."""

    since: int | None
    until: int
    pages_left: int | None
    how: str = "about"  # "about" (from the rate) or "at most" (from X's history limit)

    def describe(self) -> str:
        span = f"{_when(self.since) or 'as far back as X serves'} to {_when(self.until)}"
        left = (f"{self.how} {self.pages_left} page{'s' if self.pages_left != 1 else ''}"
                if self.pages_left is not None else "more pages")
        return f"{left} left (posts from {span}); the next run continues there"


@dataclass
class _State:
    """A cursors row (see ``store.models.Cursor``)."""

    since: int | None = None
    until: int | None = None
    newest: int | None = None


@dataclass
class _Fetched:
    done: bool = True
    pages: int = 0
    posts: int = 0
    oldest: int | None = None
    newest: int | None = None
    errors: str | None = None


def search_query(handle: str, fix_domains: tuple[str, ...]) -> str:
    parts = [f"to:{handle}", f"@{handle}"] + [f'url:"{d}"' for d in fix_domains]
    return "(" + " OR ".join(parts) + ")"


def _cursor(engine: Engine, key: str) -> _State:
    with engine.connect() as conn:
        row = conn.execute(select(Cursor.since_id, Cursor.until_id, Cursor.newest_id)
                           .where(Cursor.query_key == key)).first()
    return _State(*row) if row else _State()


def _seen_counts(engine: Engine, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    with engine.connect() as conn:
        return dict(conn.execute(select(Cursor.query_key, Cursor.seen_count)
                                 .where(Cursor.query_key.in_(keys))).all())


_EPOCH_MS = 1288834974657  # X's snowflake epoch


def _ms(snowflake: int) -> int:
    return (snowflake >> 22) + _EPOCH_MS


def _when(snowflake: int | None) -> str | None:
    if not snowflake or _ms(snowflake) <= _EPOCH_MS:
        return None
    return datetime.fromtimestamp(_ms(snowflake) / 1000, tz=timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC")


# How far back X serves each timeline, in posts (search is bounded by its 7 days instead).
_HISTORY_POSTS = {"get_users_mentions": 800, "get_users_tweets": 3200}
_SEARCH_DAYS = 7


def _backlog(method: str, since: int | None, until: int, got: _Fetched) -> Backlog:
    lower = _ms(since) if since else None
    if lower is None and method == "search_recent_tweets":
        lower = int((utcnow() - timedelta(days=_SEARCH_DAYS)).replace(
            tzinfo=timezone.utc).timestamp() * 1000)
    estimate = None
    if lower is not None and got.posts and got.oldest and got.newest:
        covered = max(1, _ms(got.newest) - _ms(got.oldest))
        gap = max(0, _ms(got.oldest) - lower)
        estimate = max(1, math.ceil(got.posts * gap / covered / 100))
    how = "about"
    limit = _HISTORY_POSTS.get(method)
    if limit is not None:
        most = max(1, math.ceil((limit - got.posts) / 100))
        if estimate is None or most < estimate:
            estimate, how = most, "at most"
    return Backlog(since, until, estimate, how)


def fetch_handles(
    engine: Engine,
    run_id: int | None,
    settings: Settings,
    x: XClient,
    handles: list[str],
    *,
    save_pages: BinaryIO | None = None,
    progress: Callable[[LoadCounts], None] | None = None,
) -> XResult:
    """Fetch every handle (each its own unit of work) and move the cursors of what finished.

    A query cut short by ``max_pages`` keeps its place: its cursor stays below what it did not
    fetch, and the next run continues that backlog first (newest to oldest inside the gap), then
    fetches what is new.
    """
    result = XResult()
    loader = Loader(engine, run_id, on_batch=progress)
    fields = {"tweet_fields": TWEET_FIELDS, "user_fields": USER_FIELDS,
              "expansions": EXPANSIONS}
    new_cursors: dict[str, _State] = {}
    seen_counts: dict[str, int] = {}

    def load(page: dict[str, Any], ref: str, url: str | None = None,
             note: dict[str, Any] | None = None) -> None:
        retrieved = utcnow().strftime("%Y-%m-%dT%H:%M:%S+00:00")
        page = {**page, "__twarc": {"url": url or ref, "retrieved_at": retrieved}}
        if note:
            page["__champions"] = note
        if save_pages is not None:
            save_pages.write(orjson.dumps(page) + b"\n")
        result.pages += 1
        got = parse_page(page)
        if isinstance(got, Problem) and not got.location:
            got = replace(got, location=f"x-api:{ref}")
        if isinstance(got, (Parsed, Problem)):
            result.counts.add(loader.load([got], "x-api", ref))

    def fetch(key: str, method: str, token_param: str, since: int | None, until: int | None,
              budget: int, params: dict[str, Any]) -> _Fetched:
        """Load every page of one query as it arrives, at most ``budget`` pages."""
        args = {**params, **fields, "max_results": 100}
        if since:
            args["since_id"] = since
        if until:
            args["until_id"] = until
        got = _Fetched()
        pages = x.pages(method, token_param=token_param, max_pages=budget, **args)
        for page in pages:
            meta = page.get("meta") or {}
            if page.get("errors") and not page.get("data"):
                # A 200 that holds only errors: nothing to store, and the query did not work.
                got.errors = "; ".join(_problem(e) for e in page["errors"])
                result.counts.api_errors += len(page["errors"])
                break
            load(page, key)
            got.pages += 1
            got.posts += int(meta.get("result_count") or len(page.get("data") or ()))
            for name, pick in (("newest_id", max), ("oldest_id", min)):
                if meta.get(name):
                    attr = name.removesuffix("_id")
                    old = getattr(got, attr)
                    setattr(got, attr, int(meta[name]) if old is None
                            else pick(old, int(meta[name])))
        got.done = not pages.cut_short
        return got

    def fetch_window(key: str, method: str, token_param: str, since: int | None,
                     until: int | None, budget: int, params: dict[str, Any]) -> _Fetched:
        try:
            return fetch(key, method, token_param, since, until, budget, params)
        except XApiError as exc:
            # Recent search refuses a since_id older than its 7-day window: after a long
            # pause, start again from what the window still holds.
            if not since or "since_id" not in str(exc) or isinstance(exc, XFieldsChanged):
                raise
            log.warning("%s: cursor %s is too old for the API; fetching without it", key, since)
            return fetch(key, method, token_param, None, until, budget, params)

    def incremental(key: str, method: str, token_param: str = "pagination_token",
                    **params: Any) -> None:
        state = _cursor(engine, key)
        budget = settings.x.max_pages
        since = state.since
        if state.until is not None:
            # A backlog from a run cut short: the gap between since and until comes first.
            got = fetch_window(key, method, token_param, since, state.until, budget, params)
            if got.errors:
                result.error_pages[key] = got.errors
                return
            if not got.done:
                until = got.oldest or state.until
                new_cursors[key] = _State(since, until, state.newest)
                result.backlog[key] = _backlog(method, since, until, got)
                return
            since = max(since or 0, state.newest or 0, got.newest or 0) or None
            budget -= got.pages
            if budget <= 0:
                new_cursors[key] = _State(since)
                return
        got = fetch_window(key, method, token_param, since, None, budget, params)
        if got.errors:
            result.error_pages[key] = got.errors
            if since != state.since:
                new_cursors[key] = _State(since)  # the backlog closed before the error
            return
        newest = max(since or 0, got.newest or 0) or None
        if got.done:
            if newest:
                new_cursors[key] = _State(newest)
            return
        # Cut short: keep the cursor below what was not fetched, and remember where to go on.
        until = got.oldest
        if until is None:
            return
        new_cursors[key] = _State(since, until, newest)
        result.backlog[key] = _backlog(method, since, until, got)
        log.warning("%s: stopped at max_pages (%d); %s", key, settings.x.max_pages,
                    result.backlog[key].describe())

    def fix_lists(handle: str, uid: int) -> None:
        """Retweeters and quotes of the handle's recent fix tweets, fetched again only when
        the counts X reports for them have grown since the last fetch."""
        ids = _fix_tweets(engine, uid, settings)
        if not ids:
            return
        # One lookup refreshes the candidates' counts (stored like any other page); then the
        # newest max_fix_tweets that were retweeted or quoted are asked about.
        page = x.call("get_tweets", ids=ids, **fields)
        check_fields(page, "get_tweets")
        load(page, f"fix_tweets:{handle}")
        counts = _fix_counts(engine, ids)
        ids = [t for t in ids if any(counts.get(t, (0, 0)))][:settings.x.max_fix_tweets]
        keys = [f"{kind}:{t}" for t in ids for kind in ("retweeted_by", "quote_tweets")]
        before = _seen_counts(engine, keys)
        for tweet_id in ids:
            rts, quotes = counts.get(tweet_id, (0, 0))
            for kind, now, method in (("retweeted_by", rts, "get_retweeters"),
                                      ("quote_tweets", quotes, "get_quote_tweets")):
                key = f"{kind}:{tweet_id}"
                if not now or before.get(key) == now:
                    result.unchanged_fix_lists += bool(now)
                    continue
                if kind == "retweeted_by":
                    pages = x.pages(method, id=tweet_id, max_pages=settings.x.max_pages,
                                    user_fields=USER_FIELDS, max_results=100)
                    note = {"retweeted_by": {"tweet_id": str(tweet_id), "author_id": str(uid)}}
                    for page in pages:
                        load(page, key, f"https://api.twitter.com/2/tweets/{tweet_id}"
                             "/retweeted_by", note)
                else:
                    pages = x.pages(method, id=tweet_id, max_pages=settings.x.max_pages,
                                    max_results=100, **fields)
                    for page in pages:
                        load(page, key, f"https://api.twitter.com/2/tweets/{tweet_id}"
                             "/quote_tweets")
                if not pages.cut_short:
                    seen_counts[key] = now

    def one_handle(handle: str) -> None:
        user_page = x.get_user_by_username(handle)
        brand = v2_user(user_page["data"], utcnow().strftime("%Y-%m-%d %H:%M:%S"))
        brand = brand._replace(is_brand=True)
        loader.load([Parsed(users=[brand])], "x-api", f"user:{handle}")
        uid = brand.id
        incremental(f"mentions:{handle}", "get_users_mentions", id=uid)
        if settings.x.recent_search:
            incremental(f"search:{handle}", "search_recent_tweets", token_param="next_token",
                        query=search_query(handle, settings.fix_domains))
        incremental(f"tweets:{handle}", "get_users_tweets", id=uid)
        fix_lists(handle, uid)

    for handle in handles:
        # Each handle is its own unit of work: a renamed or suspended handle is reported and
        # the others are still fetched. The monthly usage cap and renamed API fields stop
        # everything.
        done, done_counts = dict(new_cursors), dict(seen_counts)
        try:
            one_handle(handle)
        except (UsageCapExceeded, XFieldsChanged):
            raise
        except XApiError as exc:
            log.warning("@%s: %s; the other handles go on", handle, exc)
            result.failed_handles[handle] = str(exc)
            # no cursor moves for a handle that failed part-way
            new_cursors.clear()
            new_cursors.update(done)
            seen_counts.clear()
            seen_counts.update(done_counts)
    result.counts.replies_linked += link_replies(engine, run_id)
    # Only now, with every page committed, do the cursors move.
    with engine.begin() as conn:
        for key, st in new_cursors.items():
            conn.execute(delete(Cursor).where(Cursor.query_key == key))
            conn.execute(insert(Cursor).values(query_key=key, since_id=st.since,
                                               until_id=st.until, newest_id=st.newest,
                                               updated_at=utcnow(), run_id=run_id))
        for key, count in seen_counts.items():
            conn.execute(delete(Cursor).where(Cursor.query_key == key))
            conn.execute(insert(Cursor).values(query_key=key, seen_count=count,
                                               updated_at=utcnow(), run_id=run_id))
    result.cursors = {k: st.since for k, st in new_cursors.items() if st.since}
    return result


def _problem(error: Any) -> str:
    if not isinstance(error, dict):
        return str(error)[:200]
    return str(error.get("detail") or error.get("title") or error.get("message")
               or "error")[:200]


def _fix_counts(engine: Engine, ids: list[int]) -> dict[int, tuple[int, int]]:
    with engine.connect() as conn:
        rows = conn.execute(select(Tweet.id, Tweet.retweet_count, Tweet.quote_count)
                            .where(Tweet.id.in_(ids))).all()
    return {r[0]: (r[1] or 0, r[2] or 0) for r in rows}


def _fix_tweets(engine: Engine, uid: int, settings: Settings) -> list[int]:
    """The handle's own recent tweets worth asking about: with a link to a fix domain (any own
    tweet when no fix domain is configured), newest first, as many as one lookup takes. Their
    counts were stored when they were first fetched, usually at 0, so the job looks them up
    again before choosing."""
    since = utcnow() - timedelta(days=settings.x.fix_lookback_days)
    sql = "SELECT DISTINCT t.id FROM tweets t"
    params: dict[str, Any] = {"uid": uid, "since": bind_time(engine.dialect.name, since)}
    if settings.fix_domains:
        names = ", ".join(f":d{i}" for i in range(len(settings.fix_domains)))
        sql += f" JOIN tweet_urls u ON u.tweet_id = t.id AND u.domain IN ({names})"
        params.update({f"d{i}": d for i, d in enumerate(settings.fix_domains)})
    sql += (" WHERE t.author_id = :uid AND t.kind != 'retweet' AND t.created_at >= :since"
            " ORDER BY t.id DESC LIMIT 100")  # one lookup request
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(sql), params).all()]
