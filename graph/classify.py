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
from itertools import chain, islice

from sqlalchemy import Engine, text

from graph.helpacts import dirty_answers, help_state
from graph.roles import (_LEADING_MENTIONS, ROLE_NAMES, RoleMatcher, is_broadcast,
                         phrases_fingerprint)
from settings import Settings
from store.db import copy_rows, pyformat

__all__ = ["classify_tweets", "set_override", "clear_override", "fix_domain_clause"]

_FLAGS = (*(f"is_{r}" for r in ROLE_NAMES), "is_we", "is_me", "has_fix_link")

# A page's roles travel as (tweet id, one integer whose bit i is ``_FLAGS[i]``) into a staging
# table, and one INSERT ... SELECT spreads the bits into ``tweet_acts``' columns. Binding 13
# values a row was most of the writing: 2 values a row write 1.37M rows in a quarter of the
# time on SQLite. The staging table is session scratch, like the bulk loader's
# (``ingest.bulk``): TEMP, in the connection's own schema, created in the page's transaction.
_STAGE = "ct_stage_acts"
_STAGE_DDL = {
    "sqlite": f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (tweet_id INTEGER, m INTEGER, p REAL)",
    "postgresql": f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (tweet_id BIGINT, m INTEGER,"
                  " p DOUBLE PRECISION) ON COMMIT DELETE ROWS",
}


def _spread(whole: bool) -> str:
    """The INSERT that spreads the staged bits into columns (``help_pending`` FALSE when
    ``help_acts`` will be rebuilt whole: see ``classify_tweets``)."""
    bits = ", ".join(f"(m & {1 << i}) <> 0" for i in range(len(_FLAGS)))
    pending = ("help_pending, ", "FALSE, ") if whole else ("", "")
    return (f"INSERT INTO tweet_acts ({pending[0]}tweet_id, {', '.join(_FLAGS)}, help_p)"
            f" SELECT {pending[1]}tweet_id, {bits}, p FROM {_STAGE}")


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
CLASSIFIER_VERSION = 3


def _fingerprint(settings: Settings) -> str:
    from graph.helpmodel import model_fingerprint

    key = json.dumps([CLASSIFIER_VERSION, model_fingerprint(),
                      phrases_fingerprint(settings.phrases),
                      sorted(settings.fix_domains),
                      sorted(h.lower() for h in settings.support_handles)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def classify_tweets(engine: Engine, settings: Settings, *, chunk: int = 20_000) -> int:
    """Classify tweets that have no roles yet; returns how many were classified."""
    fp = _fingerprint(settings)  # (compiling the phrases waits until a tweet needs them)
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
    spread = _spread(whole)
    copy = engine.dialect.name == "postgresql"
    done = 0
    with engine.connect() as conn:
        # Equal counts: every tweet has its roles (a tweet's row goes when the tweet is erased),
        # so the search for unclassified tweets, a join of both tables, is skipped.
        total, classified = conn.execute(text(
            "SELECT (SELECT COUNT(*) FROM tweets), (SELECT COUNT(*) FROM tweet_acts)")).one()
        # With no roles stored at all (a first ranking, new settings), every tweet is
        # unclassified, and the join that finds them is left out (on PostgreSQL, 3 s of
        # hashing and sorting at 1.37M tweets for the pages alone).
        fresh = classified == 0
        unclassified = ("tweets t" if fresh else "tweets t LEFT JOIN tweet_acts r"
                        " ON r.tweet_id = t.id WHERE r.tweet_id IS NULL")
        # The pages: ranges of ids holding ``chunk`` unclassified tweets each, from one
        # numbered pass over their ids (the page reads then go to the workers).
        starts = _page_starts(conn, unclassified, chunk) if total != classified else []
        brands = tuple(conn.execute(text("SELECT id FROM users WHERE is_brand")).scalars())
    pages = list(zip(starts, [*starts[1:], None]))
    page = _PageReader(engine.dialect.name, settings.fix_domains, fresh, brands)
    with _Classifier(engine, settings.phrases, page,
                     _workers() if len(pages) > 1 else 0) as work:
        pending: deque = deque()  # pages being read and classified, oldest first
        for n, (lo, hi) in enumerate(pages):
            pending.append(work.submit(lo, hi))
            # Pages are written in order, each in its own transaction (resumable), while the
            # workers read and classify the next ones.
            while pending and (n == len(pages) - 1 or len(pending) > 2 * work.workers):
                rows = pending.popleft().result()
                with engine.begin() as conn:
                    conn.exec_driver_sql(_STAGE_DDL[engine.dialect.name])
                    if copy:  # PostgreSQL: COPY, a third of the server's work of an INSERT
                        copy_rows(conn, _STAGE, ("tweet_id", "m", "p"), rows)
                    else:
                        _stage_rows(conn, rows)
                    conn.exec_driver_sql(spread)
                    if not copy:  # (PostgreSQL empties it at commit)
                        conn.exec_driver_sql(f"DELETE FROM {_STAGE}")
                done += len(rows)
    with engine.begin() as conn:
        # The brand accounts by id, on the big tables' own columns: joined through
        # users.is_brand, PostgreSQL expected 41 mentions of a brand and met 84,028.
        # (``brands``, read above, after ``mark_brands``: the brand accounts by id.)
        marks = ", ".join(f":b{i}" for i in range(len(brands))) or "NULL"
        bp = {f"b{i}": b for i, b in enumerate(brands)}
        new_q = "TRUE" if whole else "(tr.help_pending OR qr.help_pending)"
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
            # Replies the workers could not put to the help model, because the tweet they
            # answer arrived after them (or the brand accounts changed): read now.
            if not fresh:
                model_answers(conn, settings,
                              None if whole else dirty_answers(conn.dialect.name))
            # Pointing someone to the right handle is an answer: a reply that brings in a
            # support handle the tweet it answers had not addressed ("@AcmeHelp can help").
            # (Only replies new since the last run, or under a tweet new since: from the marked
            # tweets and the replies to them, in that order; an OR of the two marks had SQLite
            # read every reply, a second at 1.37M tweets.)
            then = "CROSS JOIN" if engine.dialect.name == "sqlite" else "JOIN"
            replies = ("tweets r" if whole else
                       "(SELECT tweet_id AS id FROM tweet_acts WHERE help_pending"
                       f" UNION SELECT c.id FROM tweet_acts a {then} tweets c"
                       "  ON c.in_reply_to_tweet_id = a.tweet_id WHERE a.help_pending) n"
                       f" {then} tweets r ON r.id = n.id")
            conn.execute(text(
                "UPDATE tweet_acts SET is_answer = TRUE, help_p = NULL, help_pending = TRUE"
                " WHERE tweet_id IN"
                f" (SELECT r.id FROM {replies} JOIN tweets p ON p.id = r.in_reply_to_tweet_id"
                "  JOIN tweet_acts rr ON rr.tweet_id = r.id"
                "  JOIN tweet_acts pr ON pr.tweet_id = p.id"
                "  JOIN interactions m ON m.key_tweet_id = r.id AND m.kind = 'mention'"
                "  WHERE TRUE"
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
            # Staff's "help" counts in full, however unsure the help model was.
            sure, unsure = ((f", help_p = CASE WHEN {value} THEN 1.0 ELSE help_p END",
                             f" OR ({value} AND help_p < 1.0)") if role == "answer" else ("", ""))
            conn.execute(text(
                f"UPDATE tweet_acts SET is_{role} = {value}{sure}, help_pending = TRUE"
                " WHERE tweet_id IN (SELECT tweet_id FROM role_overrides WHERE role = :r)"
                f" AND (is_{role} != {value}{unsure})"),
                {"r": role})
    return done


def _page_starts(conn, unclassified: str, chunk: int) -> list[int]:
    """The first id of each page of ``chunk`` unclassified tweets, in order. SQLite walks the
    ids itself (a numbered window over them took twice as long: 1.2 s at 1.37M tweets);
    PostgreSQL numbers them on the server rather than sending every id."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"SELECT t.id FROM {unclassified} ORDER BY t.id")
        return [r[0] for r in islice(rows, 0, None, chunk)]
    return conn.execute(text(
        f"SELECT id FROM (SELECT t.id, ROW_NUMBER() OVER (ORDER BY t.id) AS n"
        f" FROM {unclassified}) p WHERE n % :chunk = 1 ORDER BY id"),
        {"chunk": chunk}).scalars().all()


# SQLite: rows staged this many to a statement (900 values, under the oldest SQLite's limit
# of 999): 2.4 times faster than a statement a row (executemany).
_STAGED_PER = 300


def _stage_rows(conn, rows: list[tuple]) -> None:
    full = f"INSERT INTO {_STAGE} VALUES " + ", ".join(["(?, ?, ?)"] * _STAGED_PER)
    for at in range(0, len(rows), _STAGED_PER):
        part = rows[at:at + _STAGED_PER]
        sql = full if len(part) == _STAGED_PER else (
            f"INSERT INTO {_STAGE} VALUES " + ", ".join(["(?, ?, ?)"] * len(part)))
        conn.exec_driver_sql(sql, tuple(chain.from_iterable(part)))


def model_answers(conn, settings: Settings, scope: str | None) -> int:
    """Put to the help model (``graph.helpmodel``) the customers' replies to a customer's
    tweet that it has not read (``help_p`` NULL): those classified before the tweet they
    answer was stored.
    ``scope``: SQL selecting the tweet ids to look at (None: all). Returns how many changed."""
    from graph.helpmodel import load_model

    model = load_model()
    if model is None:
        return 0
    rows = conn.execute(text(
        "SELECT r.id, r.text, r.lang FROM tweets r"
        " JOIN tweet_acts ra ON ra.tweet_id = r.id"
        " JOIN tweets p0 ON p0.id = r.in_reply_to_tweet_id"
        " JOIN users u0 ON u0.id = p0.author_id JOIN users ur ON ur.id = r.author_id"
        " WHERE ra.help_p IS NULL AND r.kind = 'reply' AND NOT u0.is_brand AND NOT ur.is_brand"
        " AND NOT ra.has_fix_link" + (f" AND r.id IN ({scope})" if scope else ""))).all()
    if not rows:
        return 0
    matcher = RoleMatcher(settings.phrases)
    changes = []
    for tid, body, lang in rows:
        p, answer = model.read(matcher, body or "", lang)
        changes.append({"t": tid, "v": answer, "p": p})
    conn.execute(text("UPDATE tweet_acts SET is_answer = :v, is_fix = is_fix AND :v,"
                      " help_p = :p, help_pending = TRUE WHERE tweet_id = :t"), changes)
    return len(changes)


def _words_key(body: str | None, lang: str | None) -> tuple:
    """What a tweet's roles and help reading are a function of: its words after the handles
    it starts with (a reply starts with the handles it answers: "@ann @AcmeHelp try X" and
    "@bob @AcmeHelp try X" read alike), its language, and whether it addresses six or more
    accounts (a broadcast: ``RoleMatcher._roles``). Only where that holds exactly: leading
    handles in ASCII and followed by a space, so that no handle runs into the words, a
    sign-off or a link (tests/test_roles.py compares it with reading each tweet alone)."""
    if body and body[0] in "@＠ \t\n":
        lead = _LEADING_MENTIONS.match(body)
        if lead is not None:
            cut = lead.end()
            if cut < len(body) and body[cut - 1].isspace() and lead.group().isascii():
                return body[cut:], lang, is_broadcast(body)
    return body, lang, None


def _roles_of(matcher: RoleMatcher, part: list[tuple], linked: set[int], model=None
              ) -> list[tuple[int, int, float | None]]:
    """The roles of a page of (id, text, kind, lang, answers a customer), as (id, bits of
    ``_FLAGS``, help probability); ``linked``: the ids of its tweets with a fix link. Tweets
    with the same words in the same language get the same roles, so each text is matched
    once. A reply to a customer's tweet is read by the help model (``model``), which decides
    whether it answers (the question the ranking asks of it), from the same reading of its
    phrases (replies of one shape and reading are summed once: ``HelpModel.read``)."""
    rows, seen = [], {}
    for tid, body, kind, lang, to_customer in part:
        if kind == "retweet":  # a retweet's words are the original's
            rows.append((tid, 0, None))
            continue
        key = _words_key(body, lang)
        got = seen.get(key)
        if got is None:
            reading = matcher.reading(body, lang)
            r, present = reading
            we, i = "we" in present, "i" in present
            # (request, fix, answer, thanks, negative, chatter, agent, business, we, me)
            got = seen[key] = (
                r.request | r.thanks << 3 | r.negative << 4 | r.chatter << 5 | r.agent << 6
                | r.business << 7 | (we and not i) << 8 | i << 9,
                r.fix, r.answer, r.negative, reading, [])
        bits, fix, answer, negative, reading, read = got
        link = tid in linked
        p = None
        if to_customer and model is not None and body and not link:
            if not read:  # the model's reading of these words, once
                read.append(model.read(matcher, body, lang, reading))
            p, answer = read[0]
            fix = fix and answer
        fix = (fix or link) and not negative
        rows.append((tid, bits | fix << 1 | (answer or fix) << 2 | link << 10, p))
    return rows


class _PageReader:
    """Reads one page of unclassified tweets, ids ``lo`` up to ``hi`` (None: to the end): its
    (id, text, kind, lang, whether a customer wrote it in reply to a stored customer's tweet)
    rows and the ids of those with a fix link. On the driver's own cursor: SQLAlchemy's rows
    cost a worker a tenth of its time here."""

    def __init__(self, dialect: str, fix_domains: tuple[str, ...], fresh: bool = False,
                 brands: tuple[int, ...] = ()):
        fix_url, self.params = fix_domain_clause(fix_domains, "u.domain")
        # Whether a reply is a customer's answer to a customer: neither its author nor its
        # parent's is a brand account (the brand ids, a handful, bound here: joining users
        # for each reply was a third of the page read). A brand's own replies are staff work,
        # not the help model's to read (it was trained on customers' replies).
        self.params.update({f"pb{i}": b for i, b in enumerate(brands)})
        marks = ", ".join(f":pb{i}" for i in range(len(brands)))
        customer = f"p0.author_id NOT IN ({marks})" if brands else "TRUE"
        by_customer = f" AND t.author_id NOT IN ({marks})" if brands else ""
        # ``fresh``: no tweet had roles when the pages were cut, so none is looked up.
        unclassified = ("tweets t WHERE" if fresh else "tweets t LEFT JOIN tweet_acts r"
                        " ON r.tweet_id = t.id WHERE r.tweet_id IS NULL AND")
        style = (lambda sql: sql) if dialect == "sqlite" else pyformat  # sqlite3 reads :name
        self.tweets = {
            bounded: style("SELECT t.id, CASE WHEN t.kind = 'retweet' THEN NULL ELSE t.text END,"
                           f" t.kind, t.lang, CASE WHEN t.kind = 'reply'{by_customer} THEN (SELECT"
                           f" {customer} FROM tweets p0"
                           " WHERE p0.id = t.in_reply_to_tweet_id) END"
                           f" FROM {unclassified} t.id >= :lo"
                           + (" AND t.id < :hi" if bounded else "") + " ORDER BY t.id")
            for bounded in (False, True)}
        # The page's fix links, by its id range (PostgreSQL hashed all of tweet_urls for an
        # EXISTS per page: a second a page at a million tweets).
        self.links = {
            bounded: style("SELECT DISTINCT u.tweet_id FROM tweet_urls u WHERE u.tweet_id >= :lo"
                           + (" AND u.tweet_id < :hi" if bounded else "") + f" AND {fix_url}")
            for bounded in (False, True)}

    def __call__(self, conn, lo: int, hi: int | None) -> tuple[list[tuple], set[int]]:
        params = {**self.params, "lo": lo, "hi": hi}
        cur = conn.connection.driver_connection.cursor()
        try:
            cur.execute(self.tweets[hi is not None], params)
            part = cur.fetchall()
            cur.execute(self.links[hi is not None], params)
            linked = {r[0] for r in cur.fetchall()}
        finally:
            cur.close()
        return part, linked


_WORKER: tuple | None = None  # (engine, matcher, page reader, model), in a worker process


def _worker_init(url: str, phrases, page: _PageReader) -> None:
    global _WORKER
    from graph.helpmodel import load_model
    from store.db import make_engine
    # The model was loaded before the fork: the worker shares it.
    _WORKER = (make_engine(url), RoleMatcher(phrases), page, load_model())


def _worker_roles(lo: int, hi: int | None) -> list[tuple[int, int, float | None]]:
    engine, matcher, page, model = _WORKER
    with engine.connect() as conn:
        return _roles_of(matcher, *page(conn, lo, hi), model)


def _workers() -> int:
    """Processes for matching phrases, when there are enough tweets waiting (see
    ``_Classifier``): every core, the database work overlapping theirs."""
    cores = os.cpu_count() or 1
    if cores < 2 or multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return 0
    return min(cores, 4)


def _shareable(engine: Engine) -> str | None:
    """The URL another process opens the same database with, or None (an in-memory SQLite
    database is this process's own)."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


class _Classifier:
    """Pages in, ``tweet_acts`` rows out: read and classified in this process for a page or
    two, in worker processes when more are waiting (forked, so the compiled phrases are built
    once per worker; each reads its pages on its own connection, leaving this process only
    the writing: it had been the bottleneck, reading half the run's time)."""

    def __init__(self, engine: Engine, phrases, page: _PageReader, workers: int):
        self.engine = engine
        self.page = page
        self.matcher: RoleMatcher | None = None
        self.pool = None
        self.workers = 1
        url = _shareable(engine) if workers else None
        if url is not None:
            try:
                self.pool = ProcessPoolExecutor(
                    workers, mp_context=multiprocessing.get_context("fork"),
                    initializer=_worker_init, initargs=(url, phrases, page))
                self.workers = workers
            except (OSError, ValueError):  # no fork here, or no processes allowed
                self.pool = None
        self.phrases = phrases  # compiled here only when a page is classified here

    def __enter__(self) -> "_Classifier":
        return self

    def submit(self, lo: int, hi: int | None) -> Future:
        if self.pool is not None:
            return self.pool.submit(_worker_roles, lo, hi)
        if self.matcher is None:
            self.matcher = RoleMatcher(self.phrases)
        from graph.helpmodel import load_model

        done: Future = Future()
        with self.engine.connect() as conn:
            done.set_result(_roles_of(self.matcher, *self.page(conn, lo, hi), load_model()))
        return done

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def set_override(engine: Engine, tweet_id: int, role: str, value: bool, *, by: str | None = None,
                 note: str | None = None) -> None:
    """Staff mark (``value`` True) or unmark (False) a tweet's role, unrecorded (the person
    page records each correction: ``graph.corrections.correct``)."""
    from graph.corrections import set_mark

    with engine.begin() as conn:
        set_mark(conn, tweet_id, role, value, by, note)


def clear_override(engine: Engine, tweet_id: int, role: str) -> None:
    """Forget a staff decision: the tweet is classified from its text again on the next run."""
    from graph.corrections import set_mark

    with engine.begin() as conn:
        set_mark(conn, tweet_id, role, None, None)
