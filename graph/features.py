"""Evidence for the champion score, aggregated in SQL for one time window.

Every query groups by person, pair or week in the database: Python receives totals, never one
row per tweet, except the addressees of the people helped (for ``graph.trust``). The evidence
tweets for the people who end up ranked are fetched afterwards, a bounded number per component.

**What counts as help** (the README's design notes say why): a reply by one customer to
*another customer's* help request (a problem or a question, not a brand's or an agent's tweet)
that carries answer content (steps, an explanation, a fact, a pointer to a fix or to the right
handle), and is not itself negative. It is **confirmed** when the person helped replies to that
answer with thanks or "that worked" (never sarcastic or negated thanks), and **denied** when
they reply "didn't work".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, text

from store.db import bind_time

__all__ = ["Features", "Acts", "PairHelp", "collect_features", "evidence_tweets", "Dialect",
           "HELP_FROM", "HELP_JOINS", "HELP_WHERE", "EVIDENCE_LIMIT", "Evidence"]


class Dialect:
    """The few SQL expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, name: str):
        self.sqlite = name == "sqlite"

    def seconds(self, a: str, b: str) -> str:
        if self.sqlite:
            return f"((julianday({a}) - julianday({b})) * 86400.0)"
        return f"EXTRACT(EPOCH FROM ({a} - {b}))"

    def week(self, col: str) -> str:
        if self.sqlite:
            return f"CAST(((julianday({col}) - julianday(:start)) / 7.0) AS INTEGER)"
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({col} - :start)) / 604800.0) AS INTEGER)"

    def day(self, col: str) -> str:
        return f"substr({col}, 1, 10)" if self.sqlite else f"CAST({col} AS DATE)"


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
    why: list[str] = field(default_factory=list)


@dataclass
class Features:
    start: datetime
    end: datetime
    help: dict[int, dict[int, PairHelp]] = field(default_factory=lambda: defaultdict(dict))
    answer_latency: dict[int, float] = field(default_factory=dict)  # mean seconds, fix answers
    endorsements: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    retweets: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))  # of fixes
    shares: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))  # engaged shares
    # (a, b) -> weight: who helped or amplified whom, for the network.
    pairs: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))
    activity: dict[int, dict[str, float]] = field(default_factory=dict)
    # author -> (tweets, agent voice, business talk, "we" voice, "I" voice) in the window,
    # retweets left out
    voice: dict[int, tuple[int, int, int, int, int]] = field(default_factory=dict)
    helped_langs: dict[int, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    # helper -> share of their answers that repeat another answer word for word (links and
    # handles aside): a link-dropper pastes the same reply under every request.
    canned: dict[int, float] = field(default_factory=dict)
    c2c_replies: int = 0     # replies from one customer to another in the window
    brand_accounts: int = 0  # brand accounts in the whole database

    def candidates(self) -> set[int]:
        """Everyone with evidence for or against them as a helper."""
        return (set(self.help) | set(self.retweets) | set(self.shares)
                | set(self.endorsements))


# A customer's help request answered with content by another customer. ``r`` is the answer,
# ``p`` the request; the caller adds the window on ``r.created_at``.
HELP_JOINS = """
    FROM tweets r
    JOIN tweets p0 ON p0.id = r.in_reply_to_tweet_id
    JOIN tweets p ON p.id = CASE WHEN p0.author_id = r.author_id
                                 THEN p0.in_reply_to_tweet_id ELSE p0.id END
    JOIN tweet_acts ra ON ra.tweet_id = r.id
    JOIN tweet_acts pa ON pa.tweet_id = p.id
    JOIN users pu ON pu.id = p.author_id
    JOIN users ru ON ru.id = r.author_id
"""
HELP_WHERE = """
    r.author_id != p.author_id AND NOT pu.is_brand AND NOT ru.is_brand
    AND pa.is_request AND NOT pa.is_agent AND NOT pa.is_business
    AND ra.is_answer AND NOT ra.is_negative
"""
HELP_FROM = HELP_JOINS + " WHERE " + HELP_WHERE
# (The request is the tweet replied to, or, when someone continues their own thread, the
# tweet that thread answers: "@a you can..." under one's own earlier reply to @a.)


def _reply_from_asker(flag: str) -> str:
    """SQL: the person helped replied to the answer ``r`` with a tweet of this role."""
    return (f"EXISTS (SELECT 1 FROM tweets t JOIN tweet_acts ta ON ta.tweet_id = t.id"
            f" WHERE t.in_reply_to_tweet_id = r.id AND t.author_id = p.author_id AND ta.{flag})")


CONFIRMED = _reply_from_asker("is_thanks")
DENIED = _reply_from_asker("is_negative")
# Someone other than the author replied to, retweeted or quoted tweet ``{t}``.
ENGAGED = ("EXISTS (SELECT 1 FROM interactions e WHERE e.ref_tweet_id = {t}.id"
           " AND e.kind IN ('reply', 'retweet', 'quote') AND e.src_user_id != {t}.author_id)")


# Joins a reply ``t`` to the answer ``r`` with the role ``flag``, by ``by`` (the asker, or a
# brand account ``tb``).
_ASKER_REPLY = ("JOIN tweets t ON t.in_reply_to_tweet_id = r.id"
                " JOIN tweet_acts ta ON ta.tweet_id = t.id AND ta.{flag}"
                " JOIN users tb ON tb.id = t.author_id AND {by} = t.author_id")


def _params(conn: Connection, start: datetime, end: datetime) -> dict:
    name = conn.dialect.name
    return {"start": bind_time(name, start), "end": bind_time(name, end)}


def collect_features(conn: Connection, start: datetime, end: datetime,
                     ranking: dict[str, float] | None = None) -> Features:
    """The window's evidence; ``ranking`` holds the trust weights (``settings.defaults``)."""
    d = Dialect(conn.dialect.name)
    f = Features(start, end)
    p = _params(conn, start, end)
    in_window = "{c} >= :start AND {c} < :end"
    r_window = in_window.format(c="r.created_at")

    f.brand_accounts = conn.execute(text("SELECT COUNT(*) FROM users WHERE is_brand")).scalar()
    f.c2c_replies = conn.execute(text(f"""
        SELECT COUNT(*) FROM tweets r JOIN tweets p ON p.id = r.in_reply_to_tweet_id
        JOIN users pu ON pu.id = p.author_id JOIN users ru ON ru.id = r.author_id
        WHERE {r_window} AND r.author_id != p.author_id AND NOT pu.is_brand
          AND NOT ru.is_brand"""), p).scalar() or 0

    rows = conn.execute(text(f"""
        SELECT r.author_id, p.author_id, {d.week('r.created_at')} AS wk, COUNT(*),
               SUM(CASE WHEN ra.is_fix THEN 1 ELSE 0 END),
               SUM(CASE WHEN ra.is_fix THEN {d.seconds('r.created_at', 'p.created_at')}
                   ELSE 0 END),
               MAX(r.lang),
               SUM(CASE WHEN {CONFIRMED} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {DENIED} THEN 1 ELSE 0 END)
        {HELP_FROM} AND {r_window}
        GROUP BY r.author_id, p.author_id, {d.week('r.created_at')}
    """), p).all()
    latency_sum: dict[int, float] = defaultdict(float)
    latency_n: dict[int, float] = defaultdict(float)
    for helper, helped, wk, n, fixes, lat, lang, confirmed, denied in rows:
        pair = f.help[helper].setdefault(helped, PairHelp())
        pair.answers += n
        pair.fixes += fixes or 0
        pair.confirmed += confirmed or 0
        pair.denied += denied or 0
        pair.week = max(pair.week, wk)
        pair.weeks.add(wk)
        if fixes:
            latency_sum[helper] += float(lat or 0)
            latency_n[helper] += fixes
        if lang:
            f.helped_langs[helper][lang] += n
    f.answer_latency = {u: max(0.0, latency_sum[u] / latency_n[u]) for u in latency_n}
    _canned(conn, f, p, r_window)

    # Endorsements: a brand thanks, retweets or quotes someone's answer.
    rows = conn.execute(text(f"""
        SELECT u, {d.week('at')}, COUNT(DISTINCT tid) FROM (
            SELECT r.author_id AS u, r.id AS tid, t.created_at AS at
            {HELP_JOINS} {_ASKER_REPLY.format(by='tb.id', flag='is_thanks')}
            WHERE {HELP_WHERE} AND {in_window.format(c='t.created_at')} AND tb.is_brand
            UNION ALL
            SELECT i.dst_user_id AS u, i.ref_tweet_id AS tid,
                   COALESCE(i.created_at, fx.created_at) AS at
            FROM interactions i JOIN users b ON b.id = i.src_user_id
            JOIN tweet_acts fa ON fa.tweet_id = i.ref_tweet_id
            JOIN tweets fx ON fx.id = i.ref_tweet_id JOIN users du ON du.id = i.dst_user_id
            WHERE i.kind IN ('retweet', 'quote') AND b.is_brand AND fa.is_fix
              AND NOT du.is_brand
              AND {in_window.format(c='COALESCE(i.created_at, fx.created_at)')}
        ) e GROUP BY u, {d.week('at')}
    """), p).all()
    for helper, wk, n in rows:
        f.endorsements[helper].add(wk, n)

    # Spreading fixes: retweets of someone else's fix (cheap, so they count little), and
    # quotes of a fix or one's own posts linking a fix domain, which count only once someone
    # else engaged with them (replied, retweeted or quoted).
    when = "COALESCE(i.created_at, fx.created_at)"
    rows = conn.execute(text(f"""
        SELECT i.src_user_id, i.dst_user_id, {d.week(when)} AS wk, COUNT(*)
        FROM interactions i
        JOIN tweet_acts fa ON fa.tweet_id = i.ref_tweet_id
        JOIN tweets fx ON fx.id = i.ref_tweet_id
        JOIN users su ON su.id = i.src_user_id
        WHERE i.kind = 'retweet' AND fa.is_fix AND i.src_user_id != i.dst_user_id
          AND NOT su.is_brand AND {in_window.format(c=when)}
        GROUP BY i.src_user_id, i.dst_user_id, {d.week(when)}
    """), p).all()
    for amp, author, wk, n in rows:
        f.retweets[amp].add(wk, n)
        f.pairs[(amp, author)] += n
    rows = conn.execute(text(f"""
        SELECT t.author_id, {d.week('t.created_at')} AS wk, COUNT(*)
        FROM tweets t JOIN tweet_acts ta ON ta.tweet_id = t.id JOIN users u ON u.id = t.author_id
        WHERE t.kind IN ('original', 'quote') AND ta.has_fix_link AND NOT u.is_brand
          AND {in_window.format(c='t.created_at')} AND {ENGAGED.format(t='t')}
        GROUP BY t.author_id, {d.week('t.created_at')}
    """), p).all()
    for author, wk, n in rows:
        f.shares[author].add(wk, n)

    # The brand's own conversations place customers near it in the network.
    rows = conn.execute(text(f"""
        SELECT i.src_user_id, i.dst_user_id, COUNT(*)
        FROM interactions i JOIN users s ON s.id = i.src_user_id
        WHERE s.is_brand AND i.kind = 'reply' AND {in_window.format(c='i.created_at')}
        GROUP BY i.src_user_id, i.dst_user_id
    """), p).all()
    for brand, customer, n in rows:
        f.pairs[(brand, customer)] += n

    # Voice, for recognising staff and businesses by behaviour.
    rows = conn.execute(text(f"""
        SELECT t.author_id, COUNT(*), SUM(CASE WHEN ta.is_agent THEN 1 ELSE 0 END),
               SUM(CASE WHEN ta.is_business THEN 1 ELSE 0 END),
               SUM(CASE WHEN ta.is_we THEN 1 ELSE 0 END),
               SUM(CASE WHEN ta.is_me THEN 1 ELSE 0 END)
        FROM tweets t JOIN tweet_acts ta ON ta.tweet_id = t.id
        WHERE t.kind != 'retweet' AND {in_window.format(c='t.created_at')}
        GROUP BY t.author_id
        HAVING SUM(CASE WHEN ta.is_agent OR ta.is_business OR ta.is_we THEN 1 ELSE 0 END) > 0
    """), p).all()
    f.voice = {u: (n, a or 0, b or 0, w or 0, m or 0) for u, n, a, b, w, m in rows}

    _activity(conn, d, f, p, in_window)
    _trust(conn, f, p, in_window, ranking or {})
    return f


_MENTIONS_LINKS = re.compile(r"[@＠]\w+|https?://\S+|[^\w\s]")


def _canned(conn: Connection, f: Features, p: dict, r_window: str, min_answers: int = 5
            ) -> None:
    """How much of each busy helper's answering is one pasted reply."""
    busy = sorted(h for h, people in f.help.items()
                  if sum(pair.answers for pair in people.values()) >= min_answers)
    for i in range(0, len(busy), 500):
        chunk = busy[i:i + 500]
        marks = ", ".join(f":h{j}" for j in range(len(chunk)))
        rows = conn.execute(text(
            f"SELECT r.author_id, r.text {HELP_FROM} AND {r_window}"
            f" AND r.author_id IN ({marks})"),
            {**p, **{f"h{j}": h for j, h in enumerate(chunk)}}).all()
        bodies: dict[int, list[str]] = defaultdict(list)
        for h, body in rows:
            bodies[h].append(" ".join(_MENTIONS_LINKS.sub(" ", (body or "").casefold()).split()))
        for h, texts in bodies.items():
            f.canned[h] = 1.0 - len(set(texts)) / len(texts)


def _activity(conn: Connection, d: Dialect, f: Features, p: dict, in_window: str) -> None:
    """Tweets per day and retweet speed, for spotting automated accounts."""
    rows = conn.execute(text(f"""
        SELECT author_id, SUM(c), SUM(rts), COUNT(*), MAX(c)
        FROM (SELECT author_id, {d.day('created_at')} AS dy, COUNT(*) AS c,
                     SUM(CASE WHEN kind = 'retweet' THEN 1 ELSE 0 END) AS rts
              FROM tweets WHERE {in_window.format(c='created_at')}
              GROUP BY author_id, {d.day('created_at')}) per_day
        GROUP BY author_id
    """), p).all()
    for uid, n, rts, days, peak in rows:
        f.activity[uid] = {"tweets": float(n), "retweets": float(rts), "active_days": float(days),
                           "peak_day": float(peak), "fast_retweets": 0.0}
    rows = conn.execute(text(f"""
        SELECT i.src_user_id, SUM(CASE WHEN {d.seconds('i.created_at', 'o.created_at')}
                                      < :fast THEN 1 ELSE 0 END)
        FROM interactions i JOIN tweets o ON o.id = i.ref_tweet_id
        WHERE i.kind = 'retweet' AND {in_window.format(c='i.created_at')}
        GROUP BY i.src_user_id
    """), {**p, "fast": 60}).all()
    for uid, fast in rows:
        if uid in f.activity:
            f.activity[uid]["fast_retweets"] = float(fast or 0)


def _trust(conn: Connection, f: Features, p: dict, in_window: str,
           ranking: dict[str, float]) -> None:
    """Weigh every help pair by who was helped (``graph.trust``), and add it to the network."""
    from graph.trust import circle_of, pair_weight

    if not f.help:
        return
    helped = {h: set(people) for h, people in f.help.items()}
    helped_by: dict[int, set[int]] = defaultdict(set)
    for h, people in helped.items():
        for a in people:
            helped_by[a].add(h)
    # Whom each person helped addressed, tweet by tweet (replies, mentions, quotes: a retweet
    # addresses no one), and whether a brand engaged them (replied, quoted or retweeted).
    rows = conn.execute(text(f"""
        SELECT i.src_user_id, i.key_tweet_id, i.dst_user_id, s.is_brand
        FROM interactions i JOIN users s ON s.id = i.src_user_id
        WHERE i.kind IN ('reply', 'mention', 'quote', 'retweet') AND i.src_user_id != i.dst_user_id
          AND (s.is_brand OR i.kind != 'retweet')
          AND {in_window.format(c='i.created_at')}
          AND (i.src_user_id IN (SELECT DISTINCT p.author_id {HELP_FROM} AND
                                 {in_window.format(c='r.created_at')})
               OR (s.is_brand AND i.dst_user_id IN (SELECT DISTINCT p.author_id {HELP_FROM} AND
                                 {in_window.format(c='r.created_at')})))
    """), p).all()
    tweets: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    brand_engaged: set[int] = set()
    for src, key, dst, from_brand in rows:
        if from_brand:
            brand_engaged.add(dst)
        else:
            tweets[src][key].add(dst)
    addressed = {u: [frozenset(t) for t in by_tweet.values()] for u, by_tweet in tweets.items()}
    for h, people in f.help.items():
        circle = circle_of(h, helped, helped_by)
        for a, pair in people.items():
            pair.weight, pair.why = pair_weight(
                h, a, circle=circle, addressed=addressed, brand_engaged=brand_engaged,
                helped=helped, reciprocal_weight=float(ranking.get("reciprocal_weight", 0.15)),
                closed_weight=float(ranking.get("closed_weight", 0.25)))
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
    * fix_amplification: retweets of the brand's fixes and one's own engaged fix-link posts;
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


def evidence_tweets(conn: Connection, start: datetime, end: datetime, users: list[int]
                    ) -> Evidence:
    """Each component's own evidence for ``users`` (see ``Evidence``), with true totals."""
    out = Evidence()
    if not users:
        return out
    d = Dialect(conn.dialect.name)
    p = {**_params(conn, start, end), "lim": EVIDENCE_LIMIT}
    wanted = set(users)
    r_window = "r.created_at >= :start AND r.created_at < :end"
    answer = ("SELECT r.author_id AS u, r.id AS tid, p.author_id AS other, r.created_at AS at,"
              " {pts} AS pts, {k} AS k")
    queries = {
        "helpful_answers": f"""
            {answer.format(pts="NULL", k="r.id")} {HELP_FROM} AND {r_window}""",
        "confirmed_help": f"""
            SELECT r.author_id AS u, t.id AS tid, p.author_id AS other, t.created_at AS at,
                   NULL AS pts, t.id AS k
            {HELP_JOINS} {_ASKER_REPLY.format(by='p.author_id', flag='is_thanks')}
            WHERE {HELP_WHERE} AND {r_window}""",
        "negative_feedback": f"""
            SELECT r.author_id AS u, t.id AS tid, p.author_id AS other, t.created_at AS at,
                   NULL AS pts, t.id AS k
            {HELP_JOINS} {_ASKER_REPLY.format(by='p.author_id', flag='is_negative')}
            WHERE {HELP_WHERE} AND {r_window}""",
        "fix_amplification": """
            SELECT i.src_user_id AS u, COALESCE(i.tweet_id, i.ref_tweet_id) AS tid,
                   i.dst_user_id AS other, COALESCE(i.created_at, fx.created_at) AS at,
                   NULL AS pts, COALESCE(i.tweet_id, i.ref_tweet_id) AS k
            FROM interactions i JOIN tweet_acts fa ON fa.tweet_id = i.ref_tweet_id
            JOIN tweets fx ON fx.id = i.ref_tweet_id
            WHERE i.kind = 'retweet' AND fa.is_fix AND i.src_user_id != i.dst_user_id
              AND COALESCE(i.created_at, fx.created_at) >= :start
              AND COALESCE(i.created_at, fx.created_at) < :end
            UNION ALL
            SELECT t.author_id AS u, t.id AS tid, NULL AS other, t.created_at AS at,
                   NULL AS pts, t.id AS k
            FROM tweets t JOIN tweet_acts ta ON ta.tweet_id = t.id
            WHERE t.kind IN ('original', 'quote') AND ta.has_fix_link
              AND t.created_at >= :start AND t.created_at < :end
              AND """ + ENGAGED.format(t="t"),
        "endorsement": f"""
            SELECT r.author_id AS u, t.id AS tid, t.author_id AS other, t.created_at AS at,
                   NULL AS pts, t.id AS k
            {HELP_JOINS} {_ASKER_REPLY.format(by='tb.id', flag='is_thanks')}
            WHERE {HELP_WHERE} AND tb.is_brand
              AND t.created_at >= :start AND t.created_at < :end
            UNION ALL
            SELECT i.dst_user_id AS u, COALESCE(i.tweet_id, i.ref_tweet_id) AS tid,
                   i.src_user_id AS other, COALESCE(i.created_at, fx.created_at) AS at,
                   NULL AS pts, COALESCE(i.tweet_id, i.ref_tweet_id) AS k
            FROM interactions i JOIN users b ON b.id = i.src_user_id AND b.is_brand
            JOIN tweet_acts fa ON fa.tweet_id = i.ref_tweet_id
            JOIN tweets fx ON fx.id = i.ref_tweet_id
            WHERE i.kind IN ('retweet', 'quote') AND fa.is_fix AND i.dst_user_id != b.id
              AND COALESCE(i.created_at, fx.created_at) >= :start
              AND COALESCE(i.created_at, fx.created_at) < :end""",
        # One row per person helped: their latest answer.
        "network": f"""
            {answer.format(pts="NULL", k="p.author_id")} {HELP_FROM} AND {r_window}""",
        # One row per week with an answer to someone who confirmed (some) help in the window.
        # (The confirmed pairs are found once, then joined: a correlated EXISTS per answer
        # took minutes on a million tweets.)
        "consistency": f"""
            {answer.format(pts=d.week("r.created_at"), k=d.week("r.created_at"))}
            {HELP_JOINS}
            JOIN (SELECT DISTINCT r.author_id AS h, p.author_id AS a
                  {HELP_JOINS} {_ASKER_REPLY.format(by='p.author_id', flag='is_thanks')}
                  WHERE {HELP_WHERE} AND {r_window}) cp
              ON cp.h = r.author_id AND cp.a = p.author_id
            WHERE {HELP_WHERE} AND {r_window}""",
    }
    for component, body in queries.items():
        sql = (f"SELECT u, tid, other, pts, n FROM (SELECT u, tid, other, pts,"
               f" ROW_NUMBER() OVER (PARTITION BY u ORDER BY at DESC, tid DESC) AS rn,"
               f" COUNT(*) OVER (PARTITION BY u) AS n"
               f" FROM (SELECT u, tid, other, at, pts, ROW_NUMBER() OVER"
               f" (PARTITION BY u, k ORDER BY at DESC, tid DESC) AS kn"
               f" FROM (SELECT DISTINCT u, tid, other, at, pts, k FROM ({body}) b0) b) acts"
               f" WHERE kn = 1) ranked WHERE rn <= :lim")
        for u, tid, other, pts, n in conn.execute(text(sql), p):
            if u in wanted:
                out.items[(u, component)].append(
                    (tid, other, float(pts) if pts is not None else None))
                out.totals[(u, component)] = int(n)
    # Answers with a fix, and how long after the request: all of them, for the median; the
    # newest EVIDENCE_LIMIT are responsiveness's evidence.
    rows = conn.execute(text(f"""
        SELECT r.author_id, r.id, p.author_id,
               {d.seconds('r.created_at', 'p.created_at')} / 60.0 AS minutes
        {HELP_FROM} AND {r_window} AND ra.is_fix
        ORDER BY r.author_id, r.created_at DESC, r.id DESC"""), p).all()
    for u, tid, other, minutes in rows:
        if u not in wanted:
            continue
        minutes = max(0.0, float(minutes or 0.0))
        out.response_minutes[u].append(minutes)
        key = (u, "responsiveness")
        if len(out.items[key]) < EVIDENCE_LIMIT:
            out.items[key].append((tid, other, round(minutes, 1)))
        out.totals[key] = out.totals.get(key, 0) + 1
    return out
