"""Classify every stored tweet's roles once, into ``tweet_roles``; staff overrides win.

Roles depend on the settings (phrases, fix domains, support handles), so a change of settings
reclassifies everything; otherwise only new tweets are classified.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime, timezone

from sqlalchemy import Engine, text

from graph.helpacts import help_state
from graph.roles import ROLE_NAMES, RoleMatcher, phrases_fingerprint
from settings import Settings
from store.db import copy_rows

__all__ = ["classify_tweets", "set_override", "clear_override", "fix_domain_clause"]

_COLUMNS = ("tweet_id", *(f"is_{r}" for r in ROLE_NAMES), "is_we", "is_me", "has_fix_link")
_INSERT = (f"INSERT INTO tweet_acts ({', '.join(_COLUMNS)}) VALUES"
           f" ({', '.join(['{ph}'] * len(_COLUMNS))})")
_NOTHING = (False,) * (len(_COLUMNS) - 1)


def fix_domain_clause(domains: tuple[str, ...], column: str) -> tuple[str, dict[str, str]]:
    """SQL matching a domain or any subdomain of it, e.g. ``kb.example.com`` for example.com."""
    if not domains:
        return "FALSE", {}
    parts, params = [], {}
    for i, d in enumerate(domains):
        parts.append(f"{column} = :fd{i} OR {column} LIKE :fds{i}")
        params[f"fd{i}"] = d
        params[f"fds{i}"] = f"%.{d}"
    return "(" + " OR ".join(parts) + ")", params


# Bump when the classification logic changes, so stored roles are computed again.
CLASSIFIER_VERSION = 2


def _fingerprint(settings: Settings) -> str:
    key = json.dumps([CLASSIFIER_VERSION, phrases_fingerprint(settings.phrases),
                      sorted(settings.fix_domains),
                      sorted(h.lower() for h in settings.support_handles)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def classify_tweets(engine: Engine, settings: Settings, *, chunk: int = 20_000) -> int:
    """Classify tweets that have no roles yet; returns how many were classified."""
    fp = _fingerprint(settings)  # (compiling the phrases waits until a tweet needs them)
    ph = "?" if engine.dialect.name == "sqlite" else "%s"
    insert = _INSERT.format(ph=ph)
    with engine.begin() as conn:
        old = conn.execute(text("SELECT value FROM graph_state WHERE key = 'roles'")).scalar()
        if old != fp:
            conn.execute(text("DELETE FROM tweet_acts"))
            conn.execute(text("DELETE FROM graph_state WHERE key = 'roles'"))
            conn.execute(text("INSERT INTO graph_state (key, value) VALUES ('roles', :v)"),
                         {"v": fp})
    # When help_acts will be rebuilt whole anyway (new settings, new brand accounts), new
    # roles need no mark for it: marking and clearing every row would only cost time.
    with engine.connect() as conn:
        whole = help_state(conn) != conn.execute(text(
            "SELECT value FROM graph_state WHERE key = 'help_acts'")).scalar()
    if whole:
        insert = insert.replace("(tweet_id,", "(help_pending, tweet_id,", 1).replace(
            "VALUES (", "VALUES (FALSE, ", 1)
    columns = ("help_pending", *_COLUMNS) if whole else _COLUMNS
    copy = engine.dialect.name == "postgresql"
    fix_url, params = fix_domain_clause(settings.fix_domains, "u.domain")
    sql = text(
        "SELECT t.id, t.text, t.kind, t.lang"
        " FROM tweets t LEFT JOIN tweet_acts r ON r.tweet_id = t.id"
        " WHERE r.tweet_id IS NULL AND t.id > :after ORDER BY t.id LIMIT :n"
    )
    # The page's fix links, by its id range (PostgreSQL hashed all of tweet_urls for an
    # EXISTS per page: a second a page at a million tweets).
    links = text(f"SELECT DISTINCT u.tweet_id FROM tweet_urls u"
                 f" WHERE u.tweet_id >= :lo AND u.tweet_id <= :hi AND {fix_url}")
    done = 0
    after = -(2 ** 63)
    with engine.connect() as conn:
        # Equal counts: every tweet has its roles (a tweet's row goes when the tweet is erased),
        # so the search for unclassified tweets, a join of both tables, is skipped.
        missing = conn.execute(text("SELECT (SELECT COUNT(*) FROM tweets)"
                                    " - (SELECT COUNT(*) FROM tweet_acts)")).scalar()
    with _Classifier(settings.phrases, _workers() if missing else 0) as work:
        pending: deque = deque()  # pages being classified, oldest first
        while missing:  # keyset pages, each written in its own transaction: resumable
            with engine.begin() as conn:
                part = conn.execute(sql, {"after": after, "n": chunk}).all()
                linked = ({r[0] for r in conn.execute(links, {**params, "lo": part[0][0],
                                                              "hi": part[-1][0]})}
                          if part else set())
            if part:
                after = part[-1][0]
                pending.append(work.submit([(*r, r[0] in linked) for r in part],
                                           more=len(part) == chunk))
            # Up to two pages are classified while the next is read; then the oldest is written.
            while pending and (not part or len(pending) > 2):
                rows = pending.popleft().result()
                with engine.begin() as conn:
                    if copy:  # PostgreSQL: COPY, a third of the server's work of an INSERT
                        copy_rows(conn, "tweet_acts", columns,
                                  ((False, *r) for r in rows) if whole else rows)
                    else:
                        conn.exec_driver_sql(insert, rows)
                done += len(rows)
            if not part:
                break
    with engine.begin() as conn:
        # The brand accounts by id, on the big tables' own columns: joined through
        # users.is_brand, PostgreSQL expected 41 mentions of a brand and met 84,028.
        brands = [r[0] for r in conn.execute(text("SELECT id FROM users WHERE is_brand"))]
        marks = ", ".join(f":b{i}" for i in range(len(brands))) or "NULL"
        bp = {f"b{i}": b for i, b in enumerate(brands)}
        new_q = "TRUE" if whole else "(tr.help_pending OR qr.help_pending)"
        new_r = "TRUE" if whole else "(rr.help_pending OR pr.help_pending)"
        # (Also when a run stopped between its last page and this step: its roles are marked.)
        if done or whole or conn.execute(text(
                "SELECT 1 FROM tweet_acts WHERE help_pending LIMIT 1")).first():
            # A quote of a brand's fix passes the fix on: a pointer to a fix.
            # (Only where either tweet is new since the last run, the rest was done then; all of
            # them when help_acts is rebuilt whole, since nothing is marked new then.)
            conn.execute(text(
                "UPDATE tweet_acts SET is_fix = TRUE, is_answer = TRUE, has_fix_link = TRUE,"
                " help_pending = TRUE WHERE tweet_id IN"
                " (SELECT t.id FROM tweets t JOIN tweet_acts tr ON tr.tweet_id = t.id"
                "  JOIN tweets q ON q.id = t.quoted_id JOIN tweet_acts qr ON qr.tweet_id = q.id"
                "  WHERE t.quoted_id IS NOT NULL AND t.kind != 'retweet'"
                f"  AND q.author_id IN ({marks}) AND qr.is_fix AND {new_q})"
                " AND NOT has_fix_link AND NOT is_negative"), bp)
            # Pointing someone to the right handle is an answer: a reply that brings in a
            # support handle the tweet it answers had not addressed ("@AcmeHelp can help").
            conn.execute(text(
                "UPDATE tweet_acts SET is_answer = TRUE, help_pending = TRUE WHERE tweet_id IN"
                " (SELECT r.id FROM tweets r JOIN tweets p ON p.id = r.in_reply_to_tweet_id"
                "  JOIN tweet_acts rr ON rr.tweet_id = r.id"
                "  JOIN tweet_acts pr ON pr.tweet_id = p.id"
                "  JOIN interactions m ON m.key_tweet_id = r.id AND m.kind = 'mention'"
                f"  WHERE {new_r}"
                f"  AND m.dst_user_id IN ({marks})"
                "  AND p.author_id != m.dst_user_id AND r.author_id != m.dst_user_id"
                "  AND NOT EXISTS (SELECT 1 FROM interactions pm WHERE pm.key_tweet_id = p.id"
                "                  AND pm.kind = 'mention' AND pm.dst_user_id = m.dst_user_id))"
                " AND NOT is_answer AND NOT is_negative AND NOT is_chatter AND NOT is_agent"
                " AND NOT is_request AND NOT is_thanks"), bp)
        # Staff overrides win over the text.
        for role in ROLE_NAMES:
            value = ("(SELECT o.value FROM role_overrides o"
                     " WHERE o.tweet_id = tweet_acts.tweet_id AND o.role = :r)")
            conn.execute(text(
                f"UPDATE tweet_acts SET is_{role} = {value}, help_pending = TRUE"
                " WHERE tweet_id IN (SELECT tweet_id FROM role_overrides WHERE role = :r)"
                f" AND is_{role} != {value}"),
                {"r": role})
    return done


def _roles_of(matcher: RoleMatcher, part: list[tuple]) -> list[tuple]:
    """The ``tweet_acts`` rows of a page of (id, text, kind, lang, has a fix link). Tweets with
    the same words in the same language get the same roles, so each text is matched once."""
    rows, seen = [], {}
    for tid, body, kind, lang, link in part:
        if kind == "retweet":  # a retweet's words are the original's
            rows.append((tid, *_NOTHING))
            continue
        link = bool(link)
        got = seen.get((body, lang))
        if got is None:
            got = seen[(body, lang)] = matcher.classify_with_voice(body, lang)
        r, we, i = got
        fix = (r.fix or link) and not r.negative
        rows.append((tid, r.request, fix, r.answer or fix, r.thanks, r.negative,
                     r.chatter, r.agent, r.business, we and not i, i, link))
    return rows


_WORKER_MATCHER: RoleMatcher | None = None


def _worker_init(phrases) -> None:
    global _WORKER_MATCHER
    _WORKER_MATCHER = RoleMatcher(phrases)


def _worker_roles(part: list[tuple]) -> list[tuple]:
    return _roles_of(_WORKER_MATCHER, part)


def _workers() -> int:
    """Processes for matching phrases, when there are enough tweets waiting (see
    ``_Classifier``): every core, the database work overlapping theirs."""
    cores = os.cpu_count() or 1
    if cores < 2 or multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return 0
    return min(cores, 4)


class _Classifier:
    """Pages of tweets in, ``tweet_acts`` rows out: in this process, until a full page shows
    more are waiting than a scheduled run brings; then in worker processes (forked, so the
    compiled phrases are built once per worker)."""

    def __init__(self, phrases, workers: int):
        self.phrases = phrases
        self.workers = workers
        self.pool = None
        self.matcher: RoleMatcher | None = None

    def __enter__(self) -> "_Classifier":
        return self

    def submit(self, part: list[tuple], *, more: bool) -> Future:
        if more and self.workers and self.pool is None:
            self.workers, workers = 0, self.workers  # one try
            try:
                self.pool = ProcessPoolExecutor(
                    workers, mp_context=multiprocessing.get_context("fork"),
                    initializer=_worker_init, initargs=(self.phrases,))
            except (OSError, ValueError):  # no fork here, or no processes allowed
                self.pool = None
        if self.pool is not None:
            return self.pool.submit(_worker_roles, part)
        if self.matcher is None:
            self.matcher = RoleMatcher(self.phrases)
        done: Future = Future()
        done.set_result(_roles_of(self.matcher, part))
        return done

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def set_override(engine: Engine, tweet_id: int, role: str, value: bool, *, by: str | None = None,
                 note: str | None = None) -> None:
    """Staff mark (``value`` True) or unmark (False) a tweet's role."""
    if role not in ROLE_NAMES:
        raise ValueError(f"role must be one of {', '.join(ROLE_NAMES)}")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM role_overrides WHERE tweet_id = :t AND role = :r"),
                     {"t": tweet_id, "r": role})
        conn.execute(text("INSERT INTO role_overrides (tweet_id, role, value, set_by, set_at,"
                          " note) VALUES (:t, :r, :v, :b, :at, :n)"),
                     {"t": tweet_id, "r": role, "v": value, "b": by, "at": now, "n": note})
        conn.execute(text(f"UPDATE tweet_acts SET is_{role} = :v, help_pending = TRUE"
                          " WHERE tweet_id = :t"),
                     {"t": tweet_id, "v": value})


def clear_override(engine: Engine, tweet_id: int, role: str) -> None:
    """Forget a staff decision: the tweet is classified from its text again on the next run."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM role_overrides WHERE tweet_id = :t AND role = :r"),
                     {"t": tweet_id, "r": role})
        conn.execute(text("DELETE FROM tweet_acts WHERE tweet_id = :t"), {"t": tweet_id})
