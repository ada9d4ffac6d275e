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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, BinaryIO

import orjson
from sqlalchemy import Engine, select, text

from ingest.loader import LoadCounts, Loader, link_replies
from ingest.readers.v2 import parse_page, v2_user
from ingest.records import EdgeRow, Parsed, Problem
from ingest.runs import utcnow
from ingest.xapi import (EXPANSIONS, TWEET_FIELDS, USER_FIELDS, UsageCapExceeded, XApiError,
                         XClient)
from settings import Settings
from store.db import bind_time
from store.models import Cursor

__all__ = ["fetch_handles", "XResult", "search_query"]

log = logging.getLogger(__name__)


@dataclass
class XResult:
    counts: LoadCounts = field(default_factory=LoadCounts)
    pages: int = 0
    cursors: dict[str, int] = field(default_factory=dict)
    # handle -> why it could not be fetched (renamed, suspended...): the others go on
    failed_handles: dict[str, str] = field(default_factory=dict)


def search_query(handle: str, fix_domains: tuple[str, ...]) -> str:
    parts = [f"to:{handle}", f"@{handle}"] + [f'url:"{d}"' for d in fix_domains]
    return "(" + " OR ".join(parts) + ")"


def _cursor(engine: Engine, key: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(Cursor.since_id).where(Cursor.query_key == key)).scalar()


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
    result = XResult()
    loader = Loader(engine, run_id, on_batch=progress)
    fields = {"tweet_fields": TWEET_FIELDS, "user_fields": USER_FIELDS,
              "expansions": EXPANSIONS, "max_results": 100}
    new_cursors: dict[str, int] = {}

    def load(page: dict[str, Any], ref: str, extra: Parsed | None = None) -> None:
        retrieved = utcnow().strftime("%Y-%m-%dT%H:%M:%S+00:00")
        page = {**page, "__twarc": {"url": ref, "retrieved_at": retrieved}}
        if save_pages is not None:
            save_pages.write(orjson.dumps(page) + b"\n")
        result.pages += 1
        got = parse_page(page)
        records: list[Parsed | Problem] = []
        if isinstance(got, (Parsed, Problem)):
            records.append(got)
        if extra is not None:
            records.append(extra)
        result.counts.add(loader.load(records, "x-api", ref))

    def fetch(key: str, method: str, token_param: str, since: int | None,
              params: dict[str, Any]) -> int:
        """Load every page of one query as it arrives; return the newest id seen."""
        args = {**params, **fields}
        if since:
            args["since_id"] = since
        newest = 0
        for page in x.pages(method, token_param=token_param, max_pages=settings.x.max_pages,
                            **args):
            load(page, key)
            newest = max(newest, int((page.get("meta") or {}).get("newest_id") or 0))
        return newest

    def incremental(key: str, method: str, token_param: str = "pagination_token",
                    **params: Any) -> None:
        since = _cursor(engine, key)
        try:
            newest = fetch(key, method, token_param, since, params)
        except XApiError as exc:
            # Recent search refuses a since_id older than its 7-day window: after a long
            # pause, start again from what the window still holds.
            if not since or "since_id" not in str(exc):
                raise
            log.warning("%s: cursor %s is too old for the API; fetching without it", key, since)
            newest = fetch(key, method, token_param, None, params)
        newest = max(newest, since or 0)
        if newest:
            new_cursors[key] = newest

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
        for tweet_id, rts, quotes in _fix_tweets(engine, uid, settings):
            if rts:
                for page in x.pages("get_retweeters", id=tweet_id,
                                    max_pages=settings.x.max_pages, user_fields=USER_FIELDS,
                                    max_results=100):
                    edges = [EdgeRow("retweet", int(u["id"]), uid, tweet_id, None, tweet_id,
                                     None) for u in page.get("data") or ()]
                    load(page, f"retweeted_by:{tweet_id}", Parsed(edges=edges))
            if quotes:
                for page in x.pages("get_quote_tweets", id=tweet_id,
                                    max_pages=settings.x.max_pages, **fields):
                    load(page, f"quote_tweets:{tweet_id}")

    for handle in handles:
        # Each handle is its own unit of work: a renamed or suspended handle is reported and
        # the others are still fetched. The monthly usage cap stops everything.
        done = dict(new_cursors)
        try:
            one_handle(handle)
        except UsageCapExceeded:
            raise
        except XApiError as exc:
            log.warning("@%s: %s; the other handles go on", handle, exc)
            result.failed_handles[handle] = str(exc)
            new_cursors.clear()
            new_cursors.update(done)  # no cursor moves for a handle that failed part-way
    result.counts.replies_linked += link_replies(engine, run_id)
    # Only now, with every page committed, do the cursors move.
    with engine.begin() as conn:
        for key, since_id in new_cursors.items():
            conn.execute(text("DELETE FROM cursors WHERE query_key = :k"), {"k": key})
            conn.execute(
                text("INSERT INTO cursors (query_key, since_id, updated_at, run_id)"
                     " VALUES (:k, :s, :t, :r)"),
                {"k": key, "s": since_id, "t": utcnow(), "r": run_id},
            )
    result.cursors = new_cursors
    return result


def _fix_tweets(engine: Engine, uid: int, settings: Settings) -> list[tuple[int, int, int]]:
    """The handle's own recent tweets worth asking about: with a link to a fix domain (any own
    tweet when no fix domain is configured), and retweeted or quoted at least once."""
    since = utcnow() - timedelta(days=settings.x.fix_lookback_days)
    sql = ("SELECT DISTINCT t.id, COALESCE(t.retweet_count, 0), COALESCE(t.quote_count, 0)"
           " FROM tweets t")
    params: dict[str, Any] = {"uid": uid, "since": bind_time(engine.dialect.name, since)}
    if settings.fix_domains:
        names = ", ".join(f":d{i}" for i in range(len(settings.fix_domains)))
        sql += f" JOIN tweet_urls u ON u.tweet_id = t.id AND u.domain IN ({names})"
        params.update({f"d{i}": d for i, d in enumerate(settings.fix_domains)})
    sql += (" WHERE t.author_id = :uid AND t.kind != 'retweet' AND t.created_at >= :since"
            " AND (COALESCE(t.retweet_count, 0) > 0 OR COALESCE(t.quote_count, 0) > 0)"
            " ORDER BY t.id DESC LIMIT :n")
    params["n"] = settings.x.max_fix_tweets
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params).all()]
