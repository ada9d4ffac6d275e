"""Evidence for the champion score, aggregated in SQL for one time window.

Help itself is read from ``help_acts``, one row per answer (``graph.helpacts`` keeps it from
``HELP_FROM`` below and the reactions to each answer). Every other query groups by person,
pair or week in the database: Python receives totals, never one row per tweet, except the
addressees of some of the people helped (for ``graph.trust``). The evidence for the people who
end up ranked is gathered afterwards, a bounded number of acts per component, from one read
of the window's answers and two queries for fixes spread and endorsements.

**What counts as help** (docs/design.md says why): a reply by one customer to
*another customer's* help request (a problem or a question, not a brand's or an agent's tweet)
that carries answer content (steps, an explanation, a fact, a pointer to a fix or to the right
handle), and is not itself negative. It is **confirmed** when the person helped replies to that
answer with thanks or "that worked" (never sarcastic or negated thanks), and **denied** when
they reply "didn't work".
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, text

from store.db import bind_time

__all__ = ["Features", "Acts", "PairHelp", "collect_features", "evidence_tweets", "Dialect",
           "gather", "weigh_help", "week_origin", "WEEK_EPOCH", "FAMILIES",
           "id_chunks", "derive_all", "derive_help", "derive_activity", "busy", "read_texts", "activity_cells",
           "week_of_day",
           "HELP_FROM", "HELP_JOINS", "HELP_WHERE", "EVIDENCE_LIMIT", "Evidence"]


# Weeks are counted from this Monday (``Dialect.week``); a window's weeks are numbered from it.
WEEK_EPOCH = datetime(1970, 1, 5)
_EPOCH_JULIAN = 2440591.5  # julianday('1970-01-05')


def week_origin(start: datetime) -> float:
    """Where ``start`` falls in the numbering of weeks (``Dialect.week``), in weeks: the week
    ``w`` is ``w - week_origin(start)`` weeks after the window's start."""
    return (start - WEEK_EPOCH).total_seconds() / 604800.0


class Dialect:
    """The few SQL expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, name: str):
        self.sqlite = name == "sqlite"

    def seconds(self, a: str, b: str) -> str:
        if self.sqlite:
            return f"((julianday({a}) - julianday({b})) * 86400.0)"
        return f"EXTRACT(EPOCH FROM ({a} - {b}))"

    def week(self, col: str) -> str:
        """The calendar week of ``col``: weeks (Monday to Sunday, UTC) since ``WEEK_EPOCH``.
        Counted from a fixed day, not from the window's start, a tweet stays in its week as
        the window moves on, so a ranking can keep the counts of the weeks nothing changed in
        (``graph.incremental``)."""
        if self.sqlite:
            return f"CAST(((julianday({col}) - {_EPOCH_JULIAN}) / 7.0) AS INTEGER)"
        return (f"CAST(FLOOR(EXTRACT(EPOCH FROM ({col} - TIMESTAMP '{WEEK_EPOCH:%Y-%m-%d}'))"
                " / 604800.0) AS INTEGER)")

    def day(self, col: str) -> str:
        return f"substr({col}, 1, 10)" if self.sqlite else f"CAST({col} AS DATE)"

    @property
    def then(self) -> str:
        """A join that keeps its left side first: SQLite's planner would start from the time
        index (most of the tweets) instead of the small set of fix tweets; PostgreSQL's plans
        from its statistics."""
        return "CROSS JOIN" if self.sqlite else "JOIN"


@dataclass
class Acts:
    """Counts of one kind of act for one person, per week of the window."""

    by_week: dict[int, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, week: int, n: float) -> None:
        self.by_week[week] += n

    @property
    def total(self) -> float:
        return sum(self.by_week.values())


@dataclass
class PairHelp:
    """One helper's answers to one person in the window."""

    answers: int = 0
    fixes: int = 0
    confirmed: int = 0       # answers the person replied to with thanks / "that worked"
    denied: int = 0          # answers the person replied to with "didn't work"
    week: int = 0            # the latest week with an answer (for decay)
    weeks: set[int] = field(default_factory=set)
    weight: float = 1.0      # graph.trust: who was helped
    confidence: float = 1.0  # the help model's surest reading of the answers (1: certain)
    why: list[str] = field(default_factory=list)


def _counts() -> defaultdict:
    """A tally (a named function, so that ``Features`` can be pickled)."""
    return defaultdict(int)


@dataclass
class Features:
    start: datetime
    end: datetime
    help: dict[int, dict[int, PairHelp]] = field(default_factory=lambda: defaultdict(dict))
    answer_latency: dict[int, float] = field(default_factory=dict)  # mean seconds, fix answers
    endorsements: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    # Different brand fixes retweeted, and quoted; one's own fix posts others engaged with.
    retweets: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    quotes: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    shares: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    # (a, b) -> weight: who helped or amplified whom, for the network (``weigh_help``); and
    # the amplifying part alone: (who spread, the brand) -> fixes spread.
    pairs: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))
    amp_pairs: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))
    # Whom each person helped addressed, per tweet in the window (``weigh_help``)
    addressed: dict[int, list[frozenset[int]]] = field(default_factory=dict)
    # (brand, customer) -> replies: the brand's own conversations, which place customers near
    # it (PageRank) but are not help between people (communities).
    brand_pairs: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))
    brands: list[int] = field(default_factory=list)
    brand_engaged: set[int] = field(default_factory=set)  # replied to, mentioned, quoted or
    # retweeted by a brand account in the window
    activity: dict[int, dict[str, float]] = field(default_factory=dict)
    # author -> (tweets, agent voice, business talk, "we" voice, "I" voice) in the window,
    # retweets left out
    voice: dict[int, tuple[int, int, int, int, int]] = field(default_factory=dict)
    helped_langs: dict[int, dict[str, int]] = field(
        default_factory=lambda: defaultdict(_counts))
    # helper -> share of their answers that repeat another answer word for word (links and
    # handles aside): a link-dropper pastes the same reply under every request.
    canned: dict[int, float] = field(default_factory=dict)
    c2c_replies: int = 0     # replies from one customer to another in the window
    brand_accounts: int = 0  # brand accounts in the whole database
    # The cells the figures above are summed from (``derive``), per person and calendar week
    # (per day for activity): a ranking reads again only the cells something changed in
    # (``graph.incremental``). ``endorsements`` and ``shares`` are their own cells (by week).
    # helper -> (asker, week) -> (answers, fixes, seconds to the fixes, a language, confirmed,
    # denied, the surest reading)
    help_cells: dict[int, dict[tuple[int, int], tuple]] = field(default_factory=dict)
    # busy helper -> week -> a digest of each answer's words (``_canned``)
    texts: dict[int, dict[int, list[bytes]]] = field(default_factory=dict)
    # who spread -> (the brand, "retweet" or "quote", week) -> different fixes
    amp_cells: dict[int, dict[tuple[int, str, int], int]] = field(default_factory=dict)
    # customer -> (brand, week) -> the brand's replies to them (0: other edges only)
    brand_cells: dict[int, dict[tuple[int, int], int]] = field(default_factory=dict)
    # author -> week -> (tweets, retweets, active days, the busiest day's tweets, classified,
    # agent, business, we, me, flagged); retweeter -> week -> retweets within a minute; for
    # the people in ``activity_of``
    activity_weeks: dict[int, dict[int, tuple]] = field(default_factory=dict)
    fast_cells: dict[int, dict[int, int]] = field(default_factory=dict)
    activity_of: set[int] = field(default_factory=set)

    def candidates(self) -> set[int]:
        """Everyone with evidence for or against them as a helper."""
        return (set(self.help) | set(self.help_cells) | set(self.retweets) | set(self.quotes)
                | set(self.amp_cells) | set(self.shares) | set(self.endorsements))


# A customer's help request answered with content by another customer. ``r`` is the answer,
# ``p`` the request; the caller adds the window on ``r.created_at``.
#
# The request is the conversation's, not only the tweet replied to: the nearest of the three
# tweets above the answer (``p0``, its parent ``p1``, and ``p2``) that is a customer's request
# by someone other than the helper, through customers' tweets only (a brand's tweet on the way
# ends the search, before any of the request's conditions is looked at: most replies answer a
# brand, and the brand-mention test below is the costly one). So help still counts when it comes after a clarifying turn ("which model?"
# "the X2" "then hold reset for 10 s"), after someone else's "me too", or under the helper's
# own earlier reply; and the person helped is the one with the problem.
def _asks(t: str, a: str) -> str:
    """SQL: tweet ``t`` (roles ``a``) asks for help: a problem or a question in its words, or
    a customer's tweet addressed to a brand account that is not thanks, chatter or an
    organisation's talk. On a support handle, writing to the brand is how a customer reports a
    problem ("@AcmeHelp hub 5 rebooting every couple of hours"), whatever the words."""
    return (f"({a}.is_request OR (NOT {a}.is_thanks AND NOT {a}.is_chatter"
            f" AND NOT {a}.is_business AND EXISTS (SELECT 1 FROM interactions bm"
            f" WHERE bm.key_tweet_id = {t}.id AND bm.kind = 'mention'"
            f" AND bm.dst_user_id IN (SELECT id FROM users WHERE is_brand))))")


HELP_JOINS = """
    FROM tweets r
    JOIN tweet_acts ra ON ra.tweet_id = r.id
    JOIN tweets p0 ON p0.id = r.in_reply_to_tweet_id
    JOIN tweet_acts a0 ON a0.tweet_id = p0.id
    JOIN users u0 ON u0.id = p0.author_id
    LEFT JOIN tweets p1 ON p1.id = p0.in_reply_to_tweet_id AND NOT u0.is_brand
    LEFT JOIN tweet_acts a1 ON a1.tweet_id = p1.id
    LEFT JOIN users u1 ON u1.id = p1.author_id
    LEFT JOIN tweets p2 ON p2.id = p1.in_reply_to_tweet_id AND NOT u1.is_brand
    LEFT JOIN tweet_acts a2 ON a2.tweet_id = p2.id
    JOIN tweets p ON p.id = CASE
        WHEN u0.is_brand THEN NULL
        WHEN p0.author_id != r.author_id AND NOT a0.is_agent AND {asks0} THEN p0.id
        WHEN u1.is_brand THEN NULL
        WHEN p1.author_id != r.author_id AND NOT a1.is_agent AND {asks1} THEN p1.id
        WHEN p2.author_id != r.author_id AND NOT a2.is_agent AND {asks2} THEN p2.id
        END
    JOIN tweet_acts pa ON pa.tweet_id = p.id
    JOIN users pu ON pu.id = p.author_id
    JOIN users ru ON ru.id = r.author_id
""".format(asks0=_asks("p0", "a0"), asks1=_asks("p1", "a1"), asks2=_asks("p2", "a2"))
# (The CASE chose a request: the conditions below are the rest.)
HELP_WHERE = """
    r.author_id != p.author_id AND NOT pu.is_brand AND NOT ru.is_brand
    AND NOT pa.is_agent AND NOT pa.is_business
    AND ra.is_answer AND NOT ra.is_negative
"""
HELP_FROM = HELP_JOINS + " WHERE " + HELP_WHERE


# Someone other than the author replied to, retweeted or quoted tweet ``{t}``.
ENGAGED = ("EXISTS (SELECT 1 FROM interactions e WHERE e.ref_tweet_id = {t}.id"
           " AND e.kind IN ('reply', 'retweet', 'quote') AND e.src_user_id != {t}.author_id)")


def _params(conn: Connection, start: datetime, end: datetime) -> dict:
    name = conn.dialect.name
    return {"start": bind_time(name, start), "end": bind_time(name, end)}


def c2c_replies(conn: Connection, start: datetime, end: datetime) -> int:
    """Replies from one customer to another in the window (why a window names no one)."""
    return conn.execute(text("""
        SELECT COUNT(*) FROM tweets r JOIN tweets p ON p.id = r.in_reply_to_tweet_id
        JOIN users pu ON pu.id = p.author_id JOIN users ru ON ru.id = r.author_id
        WHERE r.created_at >= :start AND r.created_at < :end AND r.author_id != p.author_id
          AND NOT pu.is_brand AND NOT ru.is_brand"""), _params(conn, start, end)).scalar() or 0


def id_chunks(conn: Connection, ids, size: int = 500):
    """``ids`` in chunks, each as (chunk, ``member``, params), where ``member(column)`` is the
    SQL saying that ``column`` is one of the chunk: on SQLite an ``IN`` list of at most ``size``
    marks; on PostgreSQL one array parameter per 10,000 ids (``= ANY``), which the planner
    joins in one go (500-id lists made the activity of 25k people fifty statements and 1.9 s;
    5,000-id arrays 0.45 s)."""
    ids = sorted(ids)
    if conn.dialect.name == "postgresql":
        for i in range(0, len(ids), 10_000):
            yield (ids[i:i + 10_000], lambda column: f"{column} = ANY(CAST(:xs AS BIGINT[]))",
                   {"xs": ids[i:i + 10_000]})
        return
    for i in range(0, len(ids), size):
        chunk = ids[i:i + size]
        # A list of a power of two marks (or ``size``), the last id repeated: SQLAlchemy
        # compiles and caches each statement text, and one text per length filled a resident
        # process's cache with hundreds of near-copies of a few queries.
        padded = chunk + chunk[-1:] * (min(size, 1 << (len(chunk) - 1).bit_length())
                                       - len(chunk))
        marks = ", ".join(f":x{j}" for j in range(len(padded)))
        yield (chunk, lambda column, marks=marks: f"{column} IN ({marks})",
               {f"x{j}": u for j, u in enumerate(padded)})


def collect_features(conn: Connection, start: datetime, end: datetime,
                     ranking: dict[str, float] | None = None) -> Features:
    """The window's evidence; ``ranking`` holds the trust weights (``settings.defaults``).

    Help is read from ``help_acts`` (``graph.helpacts`` keeps it up to date: call
    ``refresh_help_acts`` first); activity and voice only for the people with evidence.
    ``c2c_replies`` is left 0: the ranking counts it only when it needs to say why it names
    no one (``c2c_replies``)."""
    f = Features(start, end)
    gather(conn, f)
    weigh_help(conn, f, ranking or {})
    return f


# The families of evidence ``gather`` reads, each by its own person.
FAMILIES = ("help", "endorse", "amp", "posts", "brand", "activity")


def _parts(conn: Connection, only: Collection[int] | None):
    """(``member``, params) for each statement of a family: one for everyone, or one per chunk
    of ``only`` (``id_chunks``)."""
    if only is None:
        return [(lambda column: "1 = 1", {})]
    return [(member, ids) for _, member, ids in id_chunks(conn, only)]


def gather(conn: Connection, f: Features,
           only: Mapping[str, Collection[int]] | None = None, derive: bool = True) -> None:
    """Every family of evidence in ``f``'s window but the help pairs' weights (``weigh_help``),
    for everyone, or, with ``only``, each family (``FAMILIES``) only for the people ``only``
    names for it: each family is read by the person it belongs to (the helper; the person
    endorsed; who spread a fix; a fix post's author; the customer a brand engaged; the
    author of the tweets counted), so a ranking can read again only the people something
    changed for (``graph.incremental``). With ``only``, ``activity`` is read for the people
    it names, not for every candidate.

    The reads fill ``f``'s cells (per person and week); ``derive`` sums them into the
    figures, and reads the busy helpers' answers for ``canned``. ``graph.incremental`` reads
    a week's cells with ``derive=False`` and sums them after merging."""
    d = Dialect(conn.dialect.name)
    p = _params(conn, f.start, f.end)
    some = only is not None

    def parts(family: str):
        return _parts(conn, None if only is None else only.get(family, ()))

    # Read for a few people, SQLite must start from the index of the people's own column;
    # ``+`` keeps it off the brands' columns (a brand's edges are most of the table).
    plus = "+" if d.sqlite and some else ""
    in_window = "{c} >= :start AND {c} < :end"
    h_window = in_window.format(c="h.created_at")

    f.brands = [r[0] for r in conn.execute(text("SELECT id FROM users WHERE is_brand"
                                                 " ORDER BY id"))]
    f.brand_accounts = len(f.brands)
    brand_marks = ", ".join(f":b{j}" for j in range(len(f.brands))) or "NULL"
    bp = {f"b{j}": b for j, b in enumerate(f.brands)}

    for member, ids in parts("help"):
        rows = conn.execute(text(f"""
            SELECT h.helper_id, h.asker_id, {d.week('h.created_at')} AS wk, COUNT(*),
                   SUM(CASE WHEN h.is_fix THEN 1 ELSE 0 END),
                   SUM(CASE WHEN h.is_fix THEN {d.seconds('h.created_at', 'h.request_at')}
                       ELSE 0 END),
                   MAX(h.lang),
                   SUM(CASE WHEN h.thanks_id IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN h.denied_id IS NOT NULL THEN 1 ELSE 0 END),
                   MAX(COALESCE(h.confidence, 1.0))
            FROM help_acts h WHERE {h_window} AND {member('h.helper_id')}
            GROUP BY h.helper_id, h.asker_id, {d.week('h.created_at')}
        """), {**p, **ids}).all()
        for helper, helped, wk, n, fixes, lat, lang, confirmed, denied, sure in rows:
            f.help_cells.setdefault(helper, {})[(helped, int(wk))] = (
                int(n), int(fixes or 0), float(lat or 0), lang, int(confirmed or 0),
                int(denied or 0), float(sure))

    # Endorsements: a brand thanks, retweets or quotes someone's answer.
    for member, ids in parts("endorse"):
        rows = conn.execute(text(f"""
            SELECT u, {d.week('at')}, COUNT(DISTINCT tid) FROM (
                SELECT h.helper_id AS u, h.answer_id AS tid, h.brand_thanks_at AS at
                FROM help_acts h
                WHERE h.brand_thanks_id IS NOT NULL
                  AND {in_window.format(c='h.brand_thanks_at')} AND {member('h.helper_id')}
                UNION ALL
                SELECT i.dst_user_id AS u, i.ref_tweet_id AS tid,
                       COALESCE(i.created_at, fx.created_at) AS at
                FROM interactions i
                JOIN tweet_acts fa ON fa.tweet_id = i.ref_tweet_id
                JOIN tweets fx ON fx.id = i.ref_tweet_id JOIN users du ON du.id = i.dst_user_id
                WHERE {plus}i.src_user_id IN ({brand_marks}) AND i.kind IN ('retweet', 'quote')
                  AND fa.is_fix AND NOT du.is_brand AND {member('i.dst_user_id')}
                  AND {in_window.format(c='COALESCE(i.created_at, fx.created_at)')}
            ) e GROUP BY u, {d.week('at')}
        """), {**p, **bp, **ids}).all()
        for helper, wk, n in rows:
            f.endorsements[helper].add(int(wk), n)

    # Spreading fixes (``graph.score``: amplification): retweets and quotes of a *brand's*
    # fix tweets, each fix once (``COUNT(DISTINCT``: the same fix again spreads nothing new);
    # and one's own posts pointing at a fix (a fix-domain link, a quote of a brand's fix),
    # which count more once someone else engaged with them (replied, retweeted or quoted).
    # For everyone, both start from the fix tweets (a partial index), a small share of all
    # tweets; for a few people, from those people's own edges and tweets.
    when = "COALESCE(i.created_at, fx.created_at)"
    spread_from = (f"tweet_acts fa {d.then} interactions i ON i.ref_tweet_id = fa.tweet_id"
                   if not some else
                   "interactions i JOIN tweet_acts fa ON fa.tweet_id = i.ref_tweet_id")
    posts_from = (f"tweet_acts ta {d.then} tweets t ON t.id = ta.tweet_id" if not some else
                  f"tweets t {d.then} tweet_acts ta ON ta.tweet_id = t.id")
    fix_link = "ta.has_fix_link" if not some else f"{plus}ta.has_fix_link"
    spread = f"""
        SELECT i.src_user_id AS src, i.dst_user_id AS dst, i.kind AS kind, i.ref_tweet_id AS ref,
               {when} AS at
        FROM {spread_from}
        JOIN tweets fx ON fx.id = i.ref_tweet_id
        JOIN users su ON su.id = i.src_user_id
        WHERE fa.is_fix AND i.kind IN ('retweet', 'quote') AND i.src_user_id != i.dst_user_id
          AND {plus}i.dst_user_id IN ({brand_marks}) AND NOT su.is_brand AND {{member}}"""
    # For everyone, one pass from the fix tweets; for a few people, their edges in the window
    # by the (source, time) index, and apart those of no time of their own (dated by the fix
    # tweet): the time of ``COALESCE`` could not use the index, and each person's every edge
    # was read (1.6 s for the 94 people of a cycle).
    spread = (spread + f" AND {in_window.format(c=when)}" if not some else
              spread + f" AND {in_window.format(c='i.created_at')} UNION ALL"
              + spread + f" AND i.created_at IS NULL AND {in_window.format(c='fx.created_at')}")
    for member, ids in parts("amp"):
        rows = conn.execute(text(f"""
            SELECT src, dst, kind, {d.week('at')} AS wk, COUNT(DISTINCT ref)
            FROM ({spread.format(member=member('i.src_user_id'))}) s
            GROUP BY src, dst, kind, {d.week('at')}
        """), {**p, **bp, **ids}).all()
        for amp, author, kind, wk, n in rows:
            f.amp_cells.setdefault(amp, {})[(author, kind, int(wk))] = int(n)
    for member, ids in parts("posts"):
        rows = conn.execute(text(f"""
            SELECT t.author_id, {d.week('t.created_at')} AS wk, COUNT(*),
                   SUM(CASE WHEN {ENGAGED.format(t='t')} THEN 1 ELSE 0 END)
            FROM {posts_from}
            JOIN users u ON u.id = t.author_id
            WHERE {fix_link} AND t.kind IN ('original', 'quote') AND NOT u.is_brand
              AND {member('t.author_id')} AND {in_window.format(c='t.created_at')}
            GROUP BY t.author_id, {d.week('t.created_at')}
        """), {**p, **ids}).all()
        for author, wk, n, engaged in rows:
            if engaged:
                f.shares[author].add(int(wk), engaged)

    # The brand's own conversations place customers near it in the network; whoever a brand
    # replied to, mentioned, quoted or retweeted is "engaged by a brand" (``weigh_help``).
    # (Between brand accounts, they are not conversations with customers: left out, and so
    # nothing is read by a brand account, whose own edges are most of the table.)
    for member, ids in parts("brand"):
        rows = conn.execute(text(f"""
            SELECT i.src_user_id, i.dst_user_id, i.kind, {d.week('i.created_at')}, COUNT(*)
            FROM interactions i
            WHERE {plus}i.src_user_id IN ({brand_marks})
              AND {plus}i.dst_user_id NOT IN ({brand_marks})
              AND i.kind IN ('reply', 'mention', 'quote', 'retweet')
              AND {member('i.dst_user_id')} AND {in_window.format(c='i.created_at')}
            GROUP BY i.src_user_id, i.dst_user_id, i.kind, {d.week('i.created_at')}
        """), {**p, **bp, **ids}).all()
        for brand, customer, kind, wk, n in rows:
            cells = f.brand_cells.setdefault(customer, {})
            key = (brand, int(wk))
            cells[key] = cells.get(key, 0) + (int(n) if kind == "reply" else 0)

    if only is None:
        activity_cells(conn, f, f.candidates())
    elif only.get("activity"):
        activity_cells(conn, f, set(only["activity"]))
    if derive:
        if only is None:
            read_texts(conn, f, busy(f, f.help_cells))
        derive_all(f)


@functools.lru_cache(maxsize=4096)
def week_of_day(day) -> int:
    """The calendar week (``Dialect.week``) of a day as the database gives it (``Dialect.day``:
    a date, or its ISO text on SQLite)."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return (day - WEEK_EPOCH.date()).days // 7


def busy(f: Features, helpers: Collection[int], min_answers: int = 5) -> set[int]:
    """Of ``helpers``, those with ``min_answers`` answers or more in ``f``'s cells: whose
    answers ``_canned`` compares."""
    return {h for h in helpers
            if sum(c[0] for c in f.help_cells.get(h, {}).values()) >= min_answers}


def derive_help(f: Features, helpers: Collection[int]) -> None:
    """``helpers``' help pairs, answer latency and languages, summed from their cells (in the
    cells' order: the same figures however the cells were read)."""
    for h in helpers:
        for figures in (f.help, f.answer_latency, f.helped_langs):
            figures.pop(h, None)
        cells = f.help_cells.get(h)
        if not cells:
            f.help_cells.pop(h, None)
            continue
        if len(cells) == 1:  # (most helpers: one answer, or answers to one person in a week)
            ((helped, wk), (n, fixes, lat, lang, confirmed, denied, sure)), = cells.items()
            f.help[h] = {helped: PairHelp(n, fixes, confirmed, denied, wk, {wk},
                                          confidence=sure)}
            if fixes:
                f.answer_latency[h] = max(0.0, lat / fixes)
            if lang:
                f.helped_langs[h] = _counts()
                f.helped_langs[h][lang] += n
            continue
        people: dict[int, PairHelp] = {}
        lat_sum, lat_n, langs = 0.0, 0, _counts()
        for (helped, wk), (n, fixes, lat, lang, confirmed, denied, sure) in sorted(
                cells.items()):
            pair = people.get(helped)
            if pair is None:
                pair = people[helped] = PairHelp(confidence=0.0)
            pair.confidence = max(pair.confidence, sure)
            pair.answers += n
            pair.fixes += fixes
            pair.confirmed += confirmed
            pair.denied += denied
            pair.week = max(pair.week, wk)
            pair.weeks.add(wk)
            if fixes:
                lat_sum += lat
                lat_n += fixes
            if lang:
                langs[lang] += n
        f.help[h] = people
        if lat_n:
            f.answer_latency[h] = max(0.0, lat_sum / lat_n)
        if langs:
            f.helped_langs[h] = langs


def derive_all(f: Features, helpers: Collection[int] | None = None,
               active: Collection[int] | None = None) -> None:
    """Sum the cells into the figures: the help of ``helpers`` and the activity of
    ``active`` (None: everyone's), the rest whole (a few list walks)."""
    derive_help(f, f.help_cells.keys() if helpers is None else helpers)
    f.canned = {}
    for h, weeks in f.texts.items():
        digests = [x for wk in sorted(weeks) for x in weeks[wk]]
        if digests:
            f.canned[h] = 1.0 - len(set(digests)) / len(digests)
    f.retweets, f.quotes = defaultdict(Acts), defaultdict(Acts)
    f.amp_pairs = defaultdict(float)
    # (Whole numbers: their sums are exact in any order.)
    for amp, cells in f.amp_cells.items():
        for (author, kind, wk), n in cells.items():
            (f.retweets if kind == "retweet" else f.quotes)[amp].add(wk, n)
            f.amp_pairs[(amp, author)] += n
    f.brand_pairs, f.brand_engaged = defaultdict(float), set()
    for customer, cells in f.brand_cells.items():
        f.brand_engaged.add(customer)
        for (brand, _), replies in cells.items():
            if replies:
                f.brand_pairs[(brand, customer)] += replies
    derive_activity(f, f.activity_of if active is None else active)


def derive_activity(f: Features, people: Collection[int]) -> None:
    """``people``'s activity and voice, summed from their weeks."""
    for u in people:
        f.activity.pop(u, None)
        f.voice.pop(u, None)
        weeks = f.activity_weeks.get(u)
        if not weeks:
            continue
        a = {"tweets": 0.0, "retweets": 0.0, "active_days": 0.0, "peak_day": 0.0,
             "fast_retweets": float(sum(f.fast_cells.get(u, {}).values()))}
        v = [0] * 6
        for _, (c, rts, active, peak, *voice) in sorted(weeks.items()):
            a["tweets"] += c
            a["retweets"] += rts
            a["active_days"] += active
            a["peak_day"] = max(a["peak_day"], float(peak))
            for i, x in enumerate(voice):
                v[i] += x
        f.activity[u] = a
        if v[5] > 0:
            f.voice[u] = tuple(v[:5])


_MENTIONS_LINKS = re.compile(r"[@＠]\w+|https?://\S+|[^\w\s]")


def read_texts(conn: Connection, f: Features, helpers: Collection[int],
               weeks: Collection[int] | None = None) -> None:
    """The answers of ``helpers`` in ``f``'s window (only those of ``weeks``, when given), as
    digests of their words (``f.texts``, per week): how much of a busy helper's answering is
    one pasted reply (``canned``)."""
    d = Dialect(conn.dialect.name)
    p = _params(conn, f.start, f.end)
    wk = d.week("h.created_at")
    for _, member, ids in id_chunks(conn, helpers):
        rows = conn.execute(text(
            f"SELECT h.helper_id, {wk}, t.text FROM help_acts h JOIN tweets t"
            f" ON t.id = h.answer_id WHERE h.created_at >= :start AND h.created_at < :end"
            f" AND {member('h.helper_id')}"), {**p, **ids}).all()
        for h, week, body in rows:
            if weeks is not None and week not in weeks:
                continue
            words = " ".join(_MENTIONS_LINKS.sub(" ", (body or "").casefold()).split())
            f.texts.setdefault(h, {}).setdefault(int(week), []).append(
                hashlib.blake2b(words.encode(), digest_size=8).digest())


def activity_cells(conn: Connection, f: Features, people: set[int]) -> None:
    """For ``people`` (those with evidence, the only ones scored): their tweets per day in
    ``f``'s window, for spotting automated accounts (tweets per day, retweet speed) and for
    recognising staff and businesses by behaviour (voice). One pass over their tweets in the
    window, grouped by day; they join ``f.activity_of``."""
    d = Dialect(conn.dialect.name)
    p = _params(conn, f.start, f.end)
    in_window = "{c} >= :start AND {c} < :end"
    f.activity_of |= people
    for _, member, ids in id_chunks(conn, people):
        rows = conn.execute(text(f"""
            SELECT t.author_id, {d.day('t.created_at')}, COUNT(*),
                   SUM(CASE WHEN t.kind = 'retweet' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN t.kind != 'retweet' AND ta.tweet_id IS NOT NULL
                       THEN 1 ELSE 0 END),
                   SUM(CASE WHEN t.kind != 'retweet' AND ta.is_agent THEN 1 ELSE 0 END),
                   SUM(CASE WHEN t.kind != 'retweet' AND ta.is_business THEN 1 ELSE 0 END),
                   SUM(CASE WHEN t.kind != 'retweet' AND ta.is_we THEN 1 ELSE 0 END),
                   SUM(CASE WHEN t.kind != 'retweet' AND ta.is_me THEN 1 ELSE 0 END),
                   SUM(CASE WHEN t.kind != 'retweet'
                       AND (ta.is_agent OR ta.is_business OR ta.is_we) THEN 1 ELSE 0 END)
            FROM tweets t LEFT JOIN tweet_acts ta ON ta.tweet_id = t.id
            WHERE {member('t.author_id')} AND {in_window.format(c='t.created_at')}
            GROUP BY t.author_id, {d.day('t.created_at')}
        """), {**p, **ids}).all()
        days: dict[tuple[int, int], list[int]] = {}
        for uid, day, c, rts, *voice in rows:
            key = (uid, week_of_day(day))
            week = days.get(key)
            if week is None:
                week = days[key] = [0] * 10
            week[0] += c
            week[1] += rts or 0
            week[2] += 1
            week[3] = max(week[3], c)
            for i, x in enumerate(voice):
                week[4 + i] += x or 0
        for (uid, wk), week in days.items():
            f.activity_weeks.setdefault(uid, {})[wk] = tuple(week)
        rows = conn.execute(text(f"""
            SELECT i.src_user_id, {d.day('i.created_at')},
                   SUM(CASE WHEN {d.seconds('i.created_at', 'o.created_at')}
                       < :fast THEN 1 ELSE 0 END)
            FROM interactions i JOIN tweets o ON o.id = i.ref_tweet_id
            WHERE {member('i.src_user_id')} AND i.kind = 'retweet'
              AND {in_window.format(c='i.created_at')}
            GROUP BY i.src_user_id, {d.day('i.created_at')}
        """), {**p, **ids, "fast": 60}).all()
        for uid, day, fast in rows:
            if fast:
                cells = f.fast_cells.setdefault(uid, {})
                wk = week_of_day(day)
                cells[wk] = cells.get(wk, 0) + int(fast)


def weigh_help(conn: Connection, f: Features, ranking: dict[str, float],
               helpers: Collection[int] | None = None,
               reread: Collection[int] | None = None) -> None:
    """Weigh every help pair by who was helped (``graph.trust``), and make the network's pairs
    (``f.pairs``: the help so weighed, and the fixes spread).

    ``helpers``: weigh only these helpers' pairs (the rest keep their weights);
    ``reread``: read again only these people's addressees (``f.addressed`` keeps the rest's).
    Both None: everything, from scratch (``graph.incremental`` passes the people something
    changed for)."""
    from graph.trust import circle_of, pair_weight

    f.pairs = defaultdict(float, f.amp_pairs)
    if not f.help:
        return
    helped = {h: set(people) for h, people in f.help.items()}
    helped_by: dict[int, set[int]] = defaultdict(set)
    for h, people in helped.items():
        for a in people:
            helped_by[a].add(h)
    # Whom each person helped addressed, tweet by tweet (replies, mentions, quotes: a retweet
    # addresses no one), and whether a brand engaged them (replied, mentioned, quoted or
    # retweeted). A brand account is in no one's circle, so whoever addressed a brand or was
    # engaged by one is outside every circle: the brands' own edges settle most people asking
    # for help without reading theirs, and whoever addressed a brand needs no tweets kept.
    askers = set(helped_by)
    brands = set(f.brands)
    brand_engaged = askers & f.brand_engaged if brands else set()
    need = askers - brand_engaged
    if reread is None:
        f.addressed, todo = {}, need
    else:
        f.addressed = {a: v for a, v in f.addressed.items() if a in need and a not in reread}
        todo = need - f.addressed.keys()
    p = _params(conn, f.start, f.end)
    talkers: set[int] = set()
    tweets: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    # One read of the others' edges in the window (a range of the (source, time) index each):
    # whoever addressed a brand in it is a talker; the rest's tweets are kept.
    for _, member, ids in id_chunks(conn, todo):
        for src, key, dst in conn.execute(text(f"""
                SELECT i.src_user_id, i.key_tweet_id, i.dst_user_id FROM interactions i
                WHERE {member('i.src_user_id')} AND i.src_user_id != i.dst_user_id
                  AND i.kind IN ('reply', 'mention', 'quote')
                  AND i.created_at >= :start AND i.created_at < :end"""), {**p, **ids}):
            if dst in brands:
                talkers.add(src)
            tweets[src][key].add(dst)
    for u in talkers:
        del tweets[u]
    f.addressed.update(
        (u, [frozenset(t) for t in by_tweet.values()]) for u, by_tweet in tweets.items())
    f.addressed.update(dict.fromkeys(talkers, [frozenset(f.brands)]))
    weigh = f.help.keys() if helpers is None else f.help.keys() & set(helpers)
    for h in weigh:
        circle = circle_of(h, helped, helped_by)
        for a, pair in f.help[h].items():
            pair.weight, pair.why = pair_weight(
                h, a, circle=circle, addressed=f.addressed, brand_engaged=brand_engaged,
                helped=helped, reciprocal_weight=float(ranking.get("reciprocal_weight", 0.15)),
                closed_weight=float(ranking.get("closed_weight", 0.25)))
    for h, people in f.help.items():
        for a, pair in people.items():
            f.pairs[(h, a)] += pair.weight * (1 + pair.confirmed)


EVIDENCE_LIMIT = 25


@dataclass
class Evidence:
    """The acts behind each component: ``items[(user, component)]`` holds up to
    ``EVIDENCE_LIMIT`` of them, newest first, as (tweet id, other user, value);
    ``totals[(user, component)]`` counts them all. Each component has its own kind of act:

    * helpful_answers: answers to another customer's request (other: who asked);
    * confirmed_help: the asker's thanks (the thanks tweet; other: who thanked);
    * negative_feedback: the asker's "didn't work";
    * fix_amplification: retweets and quotes of the brand's fixes, and one's own fix posts
      others engaged with;
    * endorsement: a brand's thanks, retweet or quote;
    * network: the people helped, one answer each (other: the person);
    * consistency: the weeks with an answer to someone who confirmed help, one answer each
      (value: the week's index in the window);
    * responsiveness: answers with a fix, each with its value in minutes after the request.
    """

    items: dict[tuple[int, str], list[tuple[int, int | None, float | None]]] = field(
        default_factory=lambda: defaultdict(list))
    totals: dict[tuple[int, str], int] = field(default_factory=dict)
    # user -> minutes from request to answer, every answer with a fix (not only those shown)
    response_minutes: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))


def evidence_tweets(conn: Connection, start: datetime, end: datetime, users: list[int],
                    narrow: bool = False) -> Evidence:
    """Each component's own evidence for ``users`` (see ``Evidence``), with true totals.
    ``narrow``: ``users`` are a few of the window's people, read by their own rows (for
    everyone, one read of the window is faster)."""
    out = Evidence()
    if not users:
        return out
    d = Dialect(conn.dialect.name)
    p = {**_params(conn, start, end), "lim": EVIDENCE_LIMIT}
    wanted = set(users)
    h_window = "h.created_at >= :start AND h.created_at < :end"
    plus = "+" if d.sqlite and narrow else ""
    spread_from = (f"tweet_acts fa {d.then} interactions i ON i.ref_tweet_id = fa.tweet_id"
                   if not narrow else
                   "interactions i JOIN tweet_acts fa ON fa.tweet_id = i.ref_tweet_id")
    posts_from = (f"tweet_acts ta {d.then} tweets t ON t.id = ta.tweet_id" if not narrow else
                  f"tweets t {d.then} tweet_acts ta ON ta.tweet_id = t.id")
    queries = {
        "fix_amplification": (f"""
            SELECT i.src_user_id AS u, COALESCE(i.tweet_id, i.ref_tweet_id) AS tid,
                   i.dst_user_id AS other, COALESCE(i.created_at, fx.created_at) AS at,
                   NULL AS pts, COALESCE(i.tweet_id, i.ref_tweet_id) AS k
            FROM {spread_from}
            JOIN tweets fx ON fx.id = i.ref_tweet_id
            WHERE fa.is_fix AND i.kind IN ('retweet', 'quote')
              AND i.src_user_id != i.dst_user_id
              AND {plus}i.dst_user_id IN (SELECT id FROM users WHERE is_brand)
              AND COALESCE(i.created_at, fx.created_at) >= :start
              AND COALESCE(i.created_at, fx.created_at) < :end AND {{m_src}}
            UNION ALL
            SELECT t.author_id AS u, t.id AS tid, NULL AS other, t.created_at AS at,
                   NULL AS pts, t.id AS k
            FROM {posts_from}
            WHERE {plus}ta.has_fix_link AND t.kind IN ('original', 'quote')
              AND t.created_at >= :start AND t.created_at < :end AND {{m_author}}
              AND """) + ENGAGED.format(t="t"),
        "endorsement": f"""
            SELECT h.helper_id AS u, h.brand_thanks_id AS tid, h.brand_thanks_by AS other,
                   h.brand_thanks_at AS at, NULL AS pts, h.brand_thanks_id AS k
            FROM help_acts h WHERE h.brand_thanks_id IS NOT NULL
              AND h.brand_thanks_at >= :start AND h.brand_thanks_at < :end AND {{m_helper}}
            UNION ALL
            SELECT i.dst_user_id AS u, COALESCE(i.tweet_id, i.ref_tweet_id) AS tid,
                   i.src_user_id AS other, COALESCE(i.created_at, fx.created_at) AS at,
                   NULL AS pts, COALESCE(i.tweet_id, i.ref_tweet_id) AS k
            FROM interactions i JOIN users b ON b.id = i.src_user_id
            JOIN tweet_acts fa ON fa.tweet_id = i.ref_tweet_id
            JOIN tweets fx ON fx.id = i.ref_tweet_id
            WHERE {plus}i.src_user_id IN (SELECT id FROM users WHERE is_brand)
              AND i.kind IN ('retweet', 'quote') AND fa.is_fix
              AND i.dst_user_id != b.id AND {{m_dst}}
              AND COALESCE(i.created_at, fx.created_at) >= :start
              AND COALESCE(i.created_at, fx.created_at) < :end""",
    }
    parts = _parts(conn, users if narrow else None)
    for component, body in queries.items():
        for member, ids in parts:
            sql = ("SELECT u, tid, other, pts, n FROM (SELECT u, tid, other, pts,"
                   " ROW_NUMBER() OVER (PARTITION BY u ORDER BY at DESC, tid DESC) AS rn,"
                   " COUNT(*) OVER (PARTITION BY u) AS n"
                   " FROM (SELECT u, tid, other, at, pts, ROW_NUMBER() OVER"
                   " (PARTITION BY u, k ORDER BY at DESC, tid DESC) AS kn"
                   " FROM (SELECT DISTINCT u, tid, other, at, pts, k FROM ("
                   + body.format(m_src=member("i.src_user_id"), m_author=member("t.author_id"),
                                 m_helper=member("h.helper_id"), m_dst=member("i.dst_user_id"))
                   + ") b0) b) acts WHERE kn = 1) ranked WHERE rn <= :lim")
            for u, tid, other, pts, n in conn.execute(text(sql), {**p, **ids}):
                if u in wanted:
                    out.items[(u, component)].append(
                        (tid, other, float(pts) if pts is not None else None))
                    out.totals[(u, component)] = int(n)
    for member, ids in parts:
        _help_evidence(conn, d, {**p, **ids}, f"{h_window} AND {member('h.helper_id')}",
                       wanted, out)
    return out


def _help_evidence(conn: Connection, d: Dialect, p: dict, h_window: str, wanted: set[int],
                   out: Evidence) -> None:
    """The components whose acts are answers (``help_acts``), from one read of the window's
    rows: each act is (when, tweet, other, value, key); per person and key the newest act
    stays, and the newest EVIDENCE_LIMIT are listed with the true total."""
    rows = conn.execute(text(f"""
        SELECT h.helper_id, h.answer_id, h.asker_id, h.created_at, h.thanks_id, h.thanks_at,
               h.denied_id, h.denied_at, h.is_fix,
               {d.seconds('h.created_at', 'h.request_at')} / 60.0, {d.week('h.created_at')}
        FROM help_acts h WHERE {h_window}"""), p).all()
    acts: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    thanked = {(r[0], r[2]) for r in rows if r[4] is not None}  # pairs with confirmed help
    for (u, tid, other, at, thanks, thanks_at, denied, denied_at, fix, minutes,
         week) in rows:
        if u not in wanted:
            continue
        acts[(u, "helpful_answers")].append((at, tid, other, None, tid))
        acts[(u, "network")].append((at, tid, other, None, other))
        if thanks is not None:
            acts[(u, "confirmed_help")].append((thanks_at, thanks, other, None, thanks))
        if denied is not None:
            acts[(u, "negative_feedback")].append((denied_at, denied, other, None, denied))
        if (u, other) in thanked:
            acts[(u, "consistency")].append((at, tid, other, float(week), week))
        if fix:
            acts[(u, "responsiveness")].append(
                (at, tid, other, round(max(0.0, float(minutes or 0.0)), 1), tid))
            out.response_minutes[u].append(max(0.0, float(minutes or 0.0)))
    for key, found in acts.items():
        found.sort(key=lambda a: (a[0] is not None, a[0], a[1]), reverse=True)  # newest first
        newest: dict = {}
        for a in found:
            newest.setdefault(a[4], a)
        kept = list(newest.values())  # still newest first
        out.items[key] = [(tid, other, pts) for _, tid, other, pts, _ in kept[:EVIDENCE_LIMIT]]
        out.totals[key] = len(kept)
