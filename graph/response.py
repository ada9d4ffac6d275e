"""Response times: how fast customers' help requests to the support handles get a first
answer, and from whom; the champions' share of that work; the queue nobody answered.

Definitions (the README's "Response times" section says the same in words):

* a **help request** is a customer's tweet in the window, addressed to a support handle (a
  reply to it or a mention of it), that the ranking's roles (``tweet_acts``) call a request:
  the same conditions ``graph.features.HELP_WHERE`` puts on the request it answers (a problem
  or a question, not in a brand agent's or a business's voice), by an account that is neither
  a brand nor staff. Its handle is the one it replies to, else the first mentioned.
* **staff** are brand accounts (``users.is_brand``), accounts staff marked as staff
  (``account_labels``), the accounts the ranking run flagged as staff (configured, by their
  bio, or likely staff by their agent voice; unless staff overruled it), and the configured
  staff handles. A **staff answer** is any reply by staff to the request: a support reply
  counts whatever it says ("DM us", a sign-off, steps).
* a **community answer** is the ranking's help (``graph.features.HELP_FROM``): a customer's
  reply with answer content to the request (or the continuation of their own reply to it),
  not negative; by anyone who is not staff. A **champion** is a community member in the run's
  champion or rising tier.
* a request is **first answered by** staff when staff's first answer came no later than the
  community's first answer, else by the community (a champion, or another member), else by
  nobody. Answers count up to the window's end.
* **time to first answer** is measured from the request to staff's first answer (every request
  staff answered), to the community's first answer (every request the community answered),
  and to whichever came first; the median and the 90th percentile (linear interpolation
  between the two nearest values, as pandas' ``quantile``).
* **the champions' share** is the requests the community answered before staff did. The
  **staff hours saved** are, summed over those staff answered later, staff's first answer time
  minus the community's: how much sooner the customer had an answer. Requests staff never
  answered are counted apart (``staff_never_answered``), not given hours.

One SQL statement gives one row per request (its handle, language, time, and the seconds to
staff's and to the community's first answer, with who answered); Python only sorts those rows
into groups and takes medians.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from graph.features import HELP_FROM, Dialect
from store.db import bind_time

__all__ = ["response_times", "for_run", "unanswered_queue", "outreach_status", "quantile",
           "run_window",
           "STAFF_FLAG_PREFIXES", "CHAMPION_TIERS", "ANSWERERS"]

# Flags of a ranking run that say an account is staff (graph.score).
STAFF_FLAG_PREFIXES = ("likely staff", "staff (")
CHAMPION_TIERS = ("champion", "rising")
ANSWERERS = ("staff", "champion", "community", "unanswered")


def quantile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile by linear interpolation between the nearest ranks (pandas' default);
    None for no values."""
    if not values:
        return None
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def _lang_sql(col: str) -> str:
    # X tags Indonesian "in"; a tweet without a language is "und" (undetermined).
    return (f"CASE WHEN {col} IS NULL OR {col} = '' THEN 'und' WHEN lower({col}) = 'in'"
            f" THEN 'id' ELSE lower({col}) END")


def _staff_cte(run_id: int | None, staff_handles: tuple[str, ...] | list[str]
               ) -> tuple[str, dict[str, Any]]:
    """SQL for ``staff(id)``: brand accounts, staff decisions, the run's staff flags, and the
    configured staff handles."""
    parts = ["SELECT id FROM users WHERE is_brand",
             "SELECT user_id FROM account_labels WHERE label = 'staff'"]
    params: dict[str, Any] = {}
    if run_id is not None:
        likes = " OR ".join(f"s.flags LIKE :sf{i}" for i in range(len(STAFF_FLAG_PREFIXES)))
        parts.append(
            "SELECT s.user_id FROM champion_scores s"
            " LEFT JOIN account_labels l ON l.user_id = s.user_id"
            f" WHERE s.run_id = :run AND s.flags IS NOT NULL AND ({likes})"
            " AND (l.label IS NULL OR l.label != 'customer')")
        params["run"] = run_id
        # flags are a JSON list of strings: each flag starts right after a quote.
        params.update({f"sf{i}": f'%"{p}%' for i, p in enumerate(STAFF_FLAG_PREFIXES)})
    names = sorted({h.lstrip("@").lower() for h in staff_handles if h})
    if names:
        marks = ", ".join(f":sh{i}" for i in range(len(names)))
        parts.append(f"SELECT id FROM users WHERE lower(username) IN ({marks})")
        params.update({f"sh{i}": n for i, n in enumerate(names)})
    return "staff(id) AS (" + " UNION ".join(parts) + ")", params


def _requests_sql(d: Dialect, run_id: int | None, staff_handles, *, handle: str | None,
                  lang: str | None) -> tuple[str, dict[str, Any]]:
    """WITH ... : ``req`` (one row per help request), ``staff_first`` (staff's first reply to
    each), ``cand`` (replies to a request and replies to those by the same author: the only
    tweets ``graph.features.HELP_FROM`` can take as its answer; naming them lets the database
    start from the requests), ``comm`` (community answers, numbered by time per request); and
    ``answered``, which puts them together: one row per request with the seconds to staff's
    and to the community's first answer, when it came before the window's end (the first
    answer comes before any other, so cutting after taking the first is the same as cutting
    before)."""
    staff, params = _staff_cte(run_id, staff_handles)
    where = []
    if handle:
        where.append("lower(handle) = :handle")
        params["handle"] = handle.lstrip("@").lower()
    if lang:
        where.append("lang = :lang")
        params["lang"] = {"in": "id"}.get(lang.lower(), lang.lower())
    sql = f"""
    WITH {staff},
    req AS (
        SELECT q.id, q.created_at AS at, q.author_id, {_lang_sql('q.lang')} AS lang,
               COALESCE(MIN(CASE WHEN m.kind = 'reply' THEN b.username END),
                        MIN(b.username)) AS handle
        FROM users b
        CROSS JOIN interactions m
        CROSS JOIN tweets q
        JOIN tweet_acts qa ON qa.tweet_id = q.id
        JOIN users qu ON qu.id = q.author_id
        WHERE b.is_brand AND m.dst_user_id = b.id AND m.kind IN ('reply', 'mention')
          AND q.id = m.key_tweet_id
          AND q.created_at >= :start AND q.created_at < :end AND q.kind != 'retweet'
          AND qa.is_request AND NOT qa.is_agent AND NOT qa.is_business AND NOT qu.is_brand
          AND NOT EXISTS (SELECT 1 FROM staff st WHERE st.id = q.author_id)
        GROUP BY q.id, q.created_at, q.author_id, q.lang
    ),
    staff_first AS (
        SELECT a.in_reply_to_tweet_id AS qid, MIN(a.created_at) AS at
        FROM tweets a JOIN staff st ON st.id = a.author_id
        WHERE a.in_reply_to_tweet_id IN (SELECT id FROM req)
        GROUP BY a.in_reply_to_tweet_id
    ),
    cand AS (
        SELECT t.id FROM tweets t WHERE t.in_reply_to_tweet_id IN (SELECT id FROM req)
        UNION ALL
        SELECT t2.id FROM tweets t JOIN tweets t2 ON t2.in_reply_to_tweet_id = t.id
        WHERE t.in_reply_to_tweet_id IN (SELECT id FROM req) AND t2.author_id = t.author_id
    ),
    comm AS (
        SELECT p.id AS qid, r.id AS aid, r.author_id AS who, r.created_at AS at,
               ROW_NUMBER() OVER (PARTITION BY p.id ORDER BY r.created_at, r.id) AS n
        {HELP_FROM}
          AND r.id IN (SELECT id FROM cand)
          AND NOT EXISTS (SELECT 1 FROM staff st WHERE st.id = r.author_id)
    ),
    answered AS (
        SELECT id, at, author_id, lang, handle,
               CASE WHEN sat < :end THEN {d.seconds('sat', 'at')} END AS staff_s,
               CASE WHEN cat < :end THEN {d.seconds('cat', 'at')} END AS comm_s,
               CASE WHEN cat < :end THEN who END AS who,
               CASE WHEN cat < :end THEN aid END AS aid
        FROM (
            -- One row per request: a union grouped by request, rather than outer joins that a
            -- planner can turn into a scan per request. (An answer whose request is not in
            -- req, such as one under the asker's own earlier tweet, makes a group without
            -- a request time: left out below.)
            SELECT qid AS id, MAX(at) AS at, MAX(author_id) AS author_id, MAX(lang) AS lang,
                   MAX(handle) AS handle, MIN(sat) AS sat, MIN(cat) AS cat, MAX(who) AS who,
                   MAX(aid) AS aid
            FROM (SELECT id AS qid, at, author_id, lang, handle, CAST(NULL AS TIMESTAMP) AS sat,
                         CAST(NULL AS TIMESTAMP) AS cat, CAST(NULL AS BIGINT) AS who,
                         CAST(NULL AS BIGINT) AS aid FROM req
                  UNION ALL
                  SELECT qid, NULL, NULL, NULL, NULL, at, NULL, NULL, NULL FROM staff_first
                  UNION ALL
                  SELECT qid, NULL, NULL, NULL, NULL, NULL, at, who, aid FROM comm
                  WHERE n = 1) u
            GROUP BY qid) g
        WHERE at IS NOT NULL {"".join(" AND " + w for w in where)}
    )"""
    return sql, params


@dataclass
class Request:
    id: int
    at: datetime
    lang: str
    handle: str
    staff_s: float | None      # seconds to staff's first answer
    comm_s: float | None       # seconds to the community's first answer
    answerer: int | None       # the community's first answerer
    first: str = "unanswered"  # staff, champion, community or unanswered


def _as_time(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _seconds(value) -> float | None:
    # julianday differences carry float noise: whole seconds (never negative: clock skew).
    return None if value is None else float(max(0, round(float(value))))


def request_rows(engine: Engine, start: datetime, end: datetime, *, run_id: int | None = None,
                 staff_handles=(), handle: str | None = None, lang: str | None = None
                 ) -> tuple[list[Request], dict[int, dict[str, Any]]]:
    """Every help request of the window with its first answers; and the community's first
    answerers (user id -> username, tier)."""
    d = Dialect(engine.dialect.name)
    sql, params = _requests_sql(d, run_id, staff_handles, handle=handle, lang=lang)
    params.update(start=bind_time(engine.dialect.name, start),
                  end=bind_time(engine.dialect.name, end))
    with engine.connect() as conn:
        rows = conn.execute(text(sql + """
            SELECT id, at, lang, handle, staff_s, comm_s, who FROM answered"""), params).all()
        who = sorted({r.who for r in rows if r.who is not None})
        people: dict[int, dict[str, Any]] = {}
        for i in range(0, len(who), 500):
            chunk = who[i:i + 500]
            marks = ", ".join(f":u{j}" for j in range(len(chunk)))
            p = {f"u{j}": u for j, u in enumerate(chunk)}
            tier = "NULL"
            if run_id is not None:
                tier = ("(SELECT s.tier FROM champion_scores s WHERE s.run_id = :run"
                        " AND s.user_id = u.id)")
                p["run"] = run_id
            for uid, username, t in conn.execute(text(
                    f"SELECT u.id, u.username, {tier} FROM users u WHERE u.id IN ({marks})"), p):
                people[uid] = {"username": username, "tier": t}
    out = []
    for r in rows:
        req = Request(r.id, _as_time(r.at), r.lang, r.handle, _seconds(r.staff_s),
                      _seconds(r.comm_s), r.who)
        if req.staff_s is not None and (req.comm_s is None or req.staff_s <= req.comm_s):
            req.first = "staff"
        elif req.comm_s is not None:
            tier = people.get(req.answerer, {}).get("tier")
            req.first = "champion" if tier in CHAMPION_TIERS else "community"
        out.append(req)
    return out, people


def _times(values: list[float]) -> dict[str, Any]:
    mins = [v / 60.0 for v in values]
    return {"answered": len(mins), "median_minutes": quantile(mins, 0.5),
            "p90_minutes": quantile(mins, 0.9)}


def _group(reqs: list[Request]) -> dict[str, Any]:
    """The figures of one set of requests."""
    n = len(reqs)
    by = {k: 0 for k in ANSWERERS}
    for r in reqs:
        by[r.first] += 1
    first = [min(v for v in (r.staff_s, r.comm_s) if v is not None)
             for r in reqs if r.first != "unanswered"]
    answered = n - by["unanswered"]
    return {"requests": n, "first_answered_by": by, "answered": answered,
            "answered_share": answered / n if n else None,
            "community_first": by["champion"] + by["community"],
            "community_first_share": (by["champion"] + by["community"]) / n if n else None,
            "time_to_first_answer": {
                "any": _times(first),
                "staff": _times([r.staff_s for r in reqs if r.staff_s is not None]),
                "community": _times([r.comm_s for r in reqs if r.comm_s is not None])}}


def response_times(engine: Engine, start: datetime, end: datetime, *,
                   run_id: int | None = None, staff_handles=(), handle: str | None = None
                   ) -> dict[str, Any]:
    """The window's response-time figures (see the module's definitions), JSON-ready:
    totals, per handle, per language, per ISO week, the champions' share, and per person
    who answered before staff."""
    reqs, people = request_rows(engine, start, end, run_id=run_id,
                                staff_handles=staff_handles, handle=handle)
    out: dict[str, Any] = {"window_start": start.isoformat(sep=" "),
                           "window_end": end.isoformat(sep=" "), "run_id": run_id,
                           "handle": handle, **_group(reqs)}
    ahead = [r for r in reqs if r.first in ("champion", "community")]
    later = [r for r in ahead if r.staff_s is not None]
    saved = sum(r.staff_s - r.comm_s for r in later) / 3600.0
    out["champions_share"] = {
        "requests": len(ahead),
        "share": len(ahead) / len(reqs) if reqs else None,
        "by_champions": sum(1 for r in ahead if r.first == "champion"),
        "staff_answered_later": len(later),
        "staff_never_answered": len(ahead) - len(later),
        "staff_hours_saved": saved,
    }
    groups: dict[str, dict[str, list[Request]]] = {"by_handle": defaultdict(list),
                                                   "by_lang": defaultdict(list),
                                                   "weekly": defaultdict(list)}
    for r in reqs:
        groups["by_handle"][r.handle].append(r)
        groups["by_lang"][r.lang].append(r)
        groups["weekly"][r.at.strftime("%G-W%V")].append(r)
    out["by_handle"] = [{"handle": k, **_group(v)} for k, v in sorted(
        groups["by_handle"].items(), key=lambda kv: (-len(kv[1]), kv[0].lower()))]
    out["by_lang"] = [{"lang": k, **_group(v)} for k, v in sorted(
        groups["by_lang"].items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    out["weekly"] = []
    for week, v in sorted(groups["weekly"].items()):
        g = _group(v)
        out["weekly"].append({"week": week, "requests": g["requests"],
                              "first_answered_by": g["first_answered_by"],
                              "answered_share": g["answered_share"],
                              "community_first": g["community_first"],
                              "median_minutes": g["time_to_first_answer"]["any"]
                              ["median_minutes"]})
    per: dict[int, dict[str, Any]] = {}
    for r in ahead:
        p = per.setdefault(r.answerer, {
            "user_id": r.answerer, "username": people.get(r.answerer, {}).get("username"),
            "tier": people.get(r.answerer, {}).get("tier"), "requests": 0,
            "staff_answered_later": 0, "staff_never_answered": 0, "staff_hours_saved": 0.0})
        p["requests"] += 1
        if r.staff_s is None:
            p["staff_never_answered"] += 1
        else:
            p["staff_answered_later"] += 1
            p["staff_hours_saved"] += (r.staff_s - r.comm_s) / 3600.0
    out["people"] = sorted(per.values(), key=lambda p: (
        p["tier"] not in CHAMPION_TIERS, -p["staff_hours_saved"], -p["requests"],
        (p["username"] or "").lower()))
    return out


def run_window(engine: Engine, run_id: int) -> dict[str, Any] | None:
    """A stored ranking run's window and the staff handles it was ranked with."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, window_start, window_end, params FROM ranking_runs"
                                " WHERE id = :r"), {"r": run_id}).first()
    if row is None:
        return None
    try:
        params = json.loads(row.params or "{}")
    except ValueError:
        params = {}
    return {"run_id": row.id, "start": _as_time(row.window_start),
            "end": _as_time(row.window_end),
            "staff_handles": tuple(params.get("staff_handles") or ())}


def for_run(engine: Engine, run_id: int, *, handle: str | None = None) -> dict[str, Any]:
    """``response_times`` for a stored ranking run's window, tiers and staff."""
    w = run_window(engine, run_id)
    if w is None:
        raise ValueError(f"no ranking run {run_id}")
    return response_times(engine, w["start"], w["end"], run_id=run_id,
                          staff_handles=w["staff_handles"], handle=handle)


def unanswered_queue(engine: Engine, start: datetime, end: datetime, *,
                     run_id: int | None = None, staff_handles=(), handle: str | None = None,
                     lang: str | None = None, offset: int = 0, limit: int = 50,
                     oldest_first: bool = False) -> tuple[list[dict[str, Any]], int]:
    """The help requests nobody answered by the window's end (no staff reply, no community
    answer): one page of them, newest first (or oldest), and how many there are in all. Each
    row's ``waiting_hours`` is its age at the window's end."""
    d = Dialect(engine.dialect.name)
    sql, params = _requests_sql(d, run_id, staff_handles, handle=handle, lang=lang)
    name = engine.dialect.name
    params.update(start=bind_time(name, start), end=bind_time(name, end),
                  n=max(0, int(limit)), off=max(0, int(offset)))
    order = "ASC" if oldest_first else "DESC"
    unanswered = "FROM answered WHERE staff_s IS NULL AND comm_s IS NULL"
    with engine.connect() as conn:
        # One pass: the page, with the count of all (a page past the end asks for the count).
        rows = conn.execute(text(sql + f"""
            SELECT q.id, q.at, q.lang, q.handle, q.total, q.author_id, u.username, t.text,
                   o.status,
                   o.last_contacted_at, {d.seconds(':end', 'q.at')} AS waiting_s
            FROM (SELECT id, at, lang, handle, author_id, COUNT(*) OVER () AS total
                  {unanswered} ORDER BY at {order}, id {order} LIMIT :n OFFSET :off) q
            JOIN tweets t ON t.id = q.id JOIN users u ON u.id = q.author_id
            LEFT JOIN outreach o ON o.user_id = q.author_id
            ORDER BY q.at {order}, q.id {order}"""), params).all()
        total = rows[0].total if rows else conn.execute(
            text(sql + f" SELECT COUNT(*) {unanswered}"), params).scalar()
    out = [{"tweet_id": r.id, "at": _as_time(r.at), "user_id": r.author_id,
            "username": r.username,
            "handle": r.handle, "lang": r.lang, "text": r.text or "",
            "waiting_hours": round(max(0.0, float(r.waiting_s or 0)) / 3600.0, 1),
            "url": f"https://x.com/i/web/status/{r.id}" if r.id > 0 else "",
            "status": r.status or "to contact", "last_contacted": r.last_contacted_at}
           for r in rows]
    return out, int(total or 0)


def outreach_status(engine: Engine, user_ids: list[int]) -> dict[int, dict[str, Any]]:
    """user id -> outreach status and last contact (for do-not-contact and cooldown marks)."""
    ids = sorted(set(user_ids))
    out: dict[int, dict[str, Any]] = {}
    with engine.connect() as conn:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ", ".join(f":u{j}" for j in range(len(chunk)))
            for uid, status, last in conn.execute(text(
                    f"SELECT user_id, status, last_contacted_at FROM outreach"
                    f" WHERE user_id IN ({marks})"), {f"u{j}": u for j, u in enumerate(chunk)}):
                out[uid] = {"status": status or "to contact", "last_contacted": last}
    return out
