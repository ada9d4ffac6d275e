"""Evidence for the champion score, aggregated in SQL for one time window.

Every query groups by person (and week, for decay and consistency) in the database: Python
receives per-person or per-pair totals, never one row per tweet. The evidence tweets for the
people who end up ranked are fetched afterwards, a bounded number per component.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, text

from store.db import bind_time

__all__ = ["Features", "Acts", "collect_features", "evidence_tweets", "Dialect"]


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
class Features:
    start: datetime
    end: datetime
    answers: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    fix_answers: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    answer_latency: dict[int, float] = field(default_factory=dict)  # mean seconds, fix answers
    thanks: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))  # by the helped
    other_thanks: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    answered: set[tuple[int, int]] = field(default_factory=set)  # (helper, person answered)
    negatives: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    endorsements: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    amplifications: dict[int, Acts] = field(default_factory=lambda: defaultdict(Acts))
    # (a, b) -> weight: who helped or amplified whom, for the network.
    pairs: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))
    activity: dict[int, dict[str, float]] = field(default_factory=dict)
    helped_langs: dict[int, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def candidates(self) -> set[int]:
        """Everyone with evidence for or against them as a helper."""
        return (set(self.answers) | set(self.thanks) | set(self.other_thanks)
                | set(self.negatives)
                | set(self.amplifications) | set(self.endorsements))


# Thanks that count: not negative, and not a fix offered in answer to a request ("try this,
# it worked for me" is an answer, however grateful it sounds). ``tr`` is the thanking tweet's
# roles, ``rr`` those of the tweet it replies to (if by the person thanked).
THANKS = ("tr.is_thanks AND NOT tr.is_negative"
          " AND NOT (tr.is_fix AND COALESCE(rr.is_request, FALSE))")


def _params(conn: Connection, start: datetime, end: datetime) -> dict:
    name = conn.dialect.name
    return {"start": bind_time(name, start), "end": bind_time(name, end)}


def collect_features(conn: Connection, start: datetime, end: datetime) -> Features:
    d = Dialect(conn.dialect.name)
    f = Features(start, end)
    p = _params(conn, start, end)
    in_window = "{c} >= :start AND {c} < :end"

    # Helpful answers: replies to someone else's help request (a request by its words, or a
    # tweet addressed to a brand account) that are not negative, and not themselves questions
    # without a fix ("did you try asking them?" asks; it does not answer).
    rows = conn.execute(text(f"""
        SELECT r.author_id, p.author_id, {d.week('r.created_at')} AS wk,
               COUNT(*), SUM(CASE WHEN rr.is_fix THEN 1 ELSE 0 END),
               SUM(CASE WHEN rr.is_fix THEN {d.seconds('r.created_at', 'p.created_at')}
                   ELSE 0 END),
               MAX(r.lang)
        FROM tweets r
        JOIN tweets p ON p.id = r.in_reply_to_tweet_id
        JOIN tweet_roles rr ON rr.tweet_id = r.id
        JOIN tweet_roles pr ON pr.tweet_id = p.id
        JOIN users pu ON pu.id = p.author_id
        WHERE {in_window.format(c='r.created_at')}
          AND r.author_id != p.author_id AND NOT pu.is_brand AND NOT rr.is_negative
          AND (rr.is_fix OR NOT rr.is_request)
          AND (pr.is_request
               OR p.in_reply_to_user_id IN (SELECT id FROM users WHERE is_brand)
               OR EXISTS (SELECT 1 FROM interactions m JOIN users b ON b.id = m.dst_user_id
                          WHERE m.key_tweet_id = p.id AND m.kind = 'mention' AND b.is_brand))
        GROUP BY r.author_id, p.author_id, {d.week('r.created_at')}
    """), p).all()
    latency_sum: dict[int, float] = defaultdict(float)
    latency_n: dict[int, float] = defaultdict(float)
    for helper, helped, wk, n, fixes, lat, lang in rows:
        f.answers[helper].add(wk, n)
        if fixes:
            f.fix_answers[helper].add(wk, fixes)
            latency_sum[helper] += float(lat or 0)
            latency_n[helper] += fixes
        f.pairs[(helper, helped)] += n
        f.answered.add((helper, helped))
        if lang:
            f.helped_langs[helper][lang] += n
    f.answer_latency = {u: max(0.0, latency_sum[u] / latency_n[u]) for u in latency_n}

    # Thanks and negative feedback addressed to someone (a reply to their tweet, or a mention),
    # and brand thanks for one of their fixes (an endorsement).
    rows = conn.execute(text(f"""
        SELECT e.dst, e.src, su.is_brand, {d.week('t.created_at')} AS wk,
               SUM(CASE WHEN {THANKS} THEN 1 ELSE 0 END),
               SUM(CASE WHEN tr.is_negative THEN 1 ELSE 0 END),
               SUM(CASE WHEN {THANKS} AND rr.is_fix THEN 1 ELSE 0 END),
               SUM(CASE WHEN {THANKS} AND hp.author_id = e.src THEN 1 ELSE 0 END)
        FROM (SELECT DISTINCT key_tweet_id AS tid, src_user_id AS src, dst_user_id AS dst
              FROM interactions
              WHERE kind IN ('reply', 'mention') AND src_user_id != dst_user_id
                AND {in_window.format(c='created_at')}) e
        JOIN tweet_roles tr ON tr.tweet_id = e.tid
        JOIN tweets t ON t.id = e.tid
        JOIN users su ON su.id = e.src
        LEFT JOIN tweets r ON r.id = t.in_reply_to_tweet_id AND r.author_id = e.dst
        LEFT JOIN tweet_roles rr ON rr.tweet_id = r.id
        LEFT JOIN tweets hp ON hp.id = r.in_reply_to_tweet_id
        WHERE tr.is_thanks OR tr.is_negative
        GROUP BY e.dst, e.src, su.is_brand, {d.week('t.created_at')}
    """), p).all()
    for helper, other, from_brand, wk, thanks, negatives, endorsed, helped in rows:
        if from_brand:
            if endorsed:
                f.endorsements[helper].add(wk, endorsed)
            continue
        if thanks:
            # Thanks from the person helped (they thank the answer to their own tweet) count
            # in full; thanks from anyone else ("this helped me too", shout-outs, thanks for
            # a follow) count a quarter.
            # From the person helped: a reply to the answer to their own tweet, or any thanks
            # from someone this helper answered in the window ("shout-out to @h for the fix").
            if (helper, other) in f.answered:
                helped = thanks
            if helped:
                f.thanks[helper].add(wk, helped)
            if thanks > helped:
                f.other_thanks[helper].add(wk, thanks - helped)
            f.pairs[(other, helper)] += thanks
        if negatives:
            f.negatives[helper].add(wk, negatives)

    # Fix amplification: retweets and quotes of fix tweets (by anyone but their author), and
    # shares: one's own tweets pointing to a fix domain or quoting a brand's tweet. Brand
    # retweets and quotes of someone's fix are endorsements instead.
    when = "COALESCE(i.created_at, fx.created_at)"
    rows = conn.execute(text(f"""
        SELECT i.src_user_id, i.dst_user_id, su.is_brand, {d.week(when)} AS wk, COUNT(*)
        FROM interactions i
        JOIN tweet_roles fr ON fr.tweet_id = i.ref_tweet_id
        JOIN tweets fx ON fx.id = i.ref_tweet_id
        JOIN users su ON su.id = i.src_user_id
        WHERE i.kind IN ('retweet', 'quote') AND fr.is_fix AND i.src_user_id != i.dst_user_id
          AND {in_window.format(c=when)}
        GROUP BY i.src_user_id, i.dst_user_id, su.is_brand, {d.week(when)}
    """), p).all()
    for amp, author, from_brand, wk, n in rows:
        if from_brand:
            f.endorsements[author].add(wk, n)
        else:
            f.amplifications[amp].add(wk, n)
            f.pairs[(amp, author)] += n
    rows = conn.execute(text(f"""
        SELECT t.author_id, {d.week('t.created_at')} AS wk, COUNT(*)
        FROM tweets t JOIN tweet_roles tr ON tr.tweet_id = t.id
        WHERE t.kind IN ('original', 'quote') AND tr.has_fix_link
          AND {in_window.format(c='t.created_at')}
        GROUP BY t.author_id, {d.week('t.created_at')}
    """), p).all()
    for author, wk, n in rows:
        f.amplifications[author].add(wk, n)

    # The brand's own conversations place customers near it in the network.
    rows = conn.execute(text(f"""
        SELECT i.src_user_id, i.dst_user_id, COUNT(*)
        FROM interactions i JOIN users s ON s.id = i.src_user_id
        WHERE s.is_brand AND i.kind = 'reply' AND {in_window.format(c='i.created_at')}
        GROUP BY i.src_user_id, i.dst_user_id
    """), p).all()
    for brand, customer, n in rows:
        f.pairs[(brand, customer)] += n

    # Activity, for spotting automated accounts.
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
    return f


EVIDENCE_LIMIT = 25


def evidence_tweets(conn: Connection, start: datetime, end: datetime, users: list[int]
                    ) -> dict[tuple[int, str], list[tuple[int, int | None]]]:
    """(user, component) -> [(tweet id, other user)], newest first, at most EVIDENCE_LIMIT."""
    out: dict[tuple[int, str], list[tuple[int, int | None]]] = defaultdict(list)
    if not users:
        return out
    p = {**_params(conn, start, end), "lim": EVIDENCE_LIMIT}
    wanted = set(users)
    queries = {
        "helpful_answers": f"""
            SELECT r.author_id AS u, r.id AS tid, p.author_id AS other, r.created_at AS at
            FROM tweets r JOIN tweets p ON p.id = r.in_reply_to_tweet_id
            JOIN tweet_roles rr ON rr.tweet_id = r.id JOIN tweet_roles pr ON pr.tweet_id = p.id
            JOIN users pu ON pu.id = p.author_id
            WHERE r.created_at >= :start AND r.created_at < :end AND r.author_id != p.author_id
              AND NOT pu.is_brand AND NOT rr.is_negative
          AND (rr.is_fix OR NOT rr.is_request)
              AND (pr.is_request
                   OR p.in_reply_to_user_id IN (SELECT id FROM users WHERE is_brand)
                   OR EXISTS (SELECT 1 FROM interactions m JOIN users b ON b.id = m.dst_user_id
                              WHERE m.key_tweet_id = p.id AND m.kind = 'mention'
                                AND b.is_brand))""",
        "confirmed_help": f"""
            SELECT e.dst_user_id AS u, e.key_tweet_id AS tid, e.src_user_id AS other,
                   e.created_at AS at
            FROM interactions e JOIN tweet_roles tr ON tr.tweet_id = e.key_tweet_id
            JOIN tweets t ON t.id = e.key_tweet_id
            JOIN users su ON su.id = e.src_user_id
            LEFT JOIN tweets r ON r.id = t.in_reply_to_tweet_id AND r.author_id = e.dst_user_id
            LEFT JOIN tweet_roles rr ON rr.tweet_id = r.id
            WHERE e.kind IN ('reply', 'mention') AND e.src_user_id != e.dst_user_id
              AND e.created_at >= :start AND e.created_at < :end
              AND {THANKS} AND NOT su.is_brand""",
        "negative_feedback": """
            SELECT e.dst_user_id AS u, e.key_tweet_id AS tid, e.src_user_id AS other,
                   e.created_at AS at
            FROM interactions e JOIN tweet_roles tr ON tr.tweet_id = e.key_tweet_id
            JOIN users su ON su.id = e.src_user_id
            WHERE e.kind IN ('reply', 'mention') AND e.src_user_id != e.dst_user_id
              AND e.created_at >= :start AND e.created_at < :end
              AND tr.is_negative AND NOT su.is_brand""",
        "fix_amplification": """
            SELECT i.src_user_id AS u, COALESCE(i.tweet_id, i.ref_tweet_id) AS tid,
                   i.dst_user_id AS other, COALESCE(i.created_at, fx.created_at) AS at
            FROM interactions i JOIN tweet_roles fr ON fr.tweet_id = i.ref_tweet_id
            JOIN tweets fx ON fx.id = i.ref_tweet_id
            WHERE i.kind IN ('retweet', 'quote') AND fr.is_fix AND i.src_user_id != i.dst_user_id
              AND COALESCE(i.created_at, fx.created_at) >= :start
              AND COALESCE(i.created_at, fx.created_at) < :end
            UNION ALL
            SELECT t.author_id AS u, t.id AS tid, NULL AS other, t.created_at AS at
            FROM tweets t JOIN tweet_roles tr ON tr.tweet_id = t.id
            WHERE t.kind IN ('original', 'quote') AND tr.has_fix_link
              AND t.created_at >= :start AND t.created_at < :end""",
        "endorsement": """
            SELECT r.author_id AS u, t.id AS tid, t.author_id AS other, t.created_at AS at
            FROM tweets t JOIN users b ON b.id = t.author_id AND b.is_brand
            JOIN tweet_roles tr ON tr.tweet_id = t.id
            JOIN tweets r ON r.id = t.in_reply_to_tweet_id
            JOIN tweet_roles rr ON rr.tweet_id = r.id
            WHERE tr.is_thanks AND NOT tr.is_negative AND rr.is_fix AND r.author_id != b.id
              AND t.created_at >= :start AND t.created_at < :end
            UNION ALL
            SELECT i.dst_user_id AS u, COALESCE(i.tweet_id, i.ref_tweet_id) AS tid,
                   i.src_user_id AS other, COALESCE(i.created_at, fx.created_at) AS at
            FROM interactions i JOIN users b ON b.id = i.src_user_id AND b.is_brand
            JOIN tweet_roles fr ON fr.tweet_id = i.ref_tweet_id
            JOIN tweets fx ON fx.id = i.ref_tweet_id
            WHERE i.kind IN ('retweet', 'quote') AND fr.is_fix AND i.dst_user_id != b.id
              AND COALESCE(i.created_at, fx.created_at) >= :start
              AND COALESCE(i.created_at, fx.created_at) < :end""",
    }
    for component, body in queries.items():
        sql = (f"SELECT u, tid, other FROM (SELECT u, tid, other, ROW_NUMBER() OVER"
               f" (PARTITION BY u ORDER BY at DESC, tid DESC) AS rn"
               f" FROM (SELECT DISTINCT u, tid, other, at FROM ({body}) b) acts) ranked"
               f" WHERE rn <= :lim")
        for u, tid, other in conn.execute(text(sql), p):
            if u in wanted:
                out[(u, component)].append((tid, other))
    return out
