"""Response times: how fast customers' help requests to the support handles get a first
answer, and from whom; the champions' share of that work; the queue nobody answered.

Definitions (docs/response-times.md says the same in words):

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
* **the champions' share** is the share of requests first answered by a champion; **the
  community's share** the share first answered by any community member (champions included).
* **staff time saved** is the requests staff never had to answer (the community answered first
  and no staff reply came by the window's end) times an assumed handling time per request,
  ``[response] staff_minutes_per_request`` in the settings (``settings.defaults.RESPONSE``).
  **The time the community saved customers** is apart: summed over the requests the community
  answered first and staff answered later, staff's first answer time minus the community's
  (how much sooner the customer had an answer). Staff saved no time on those.
* **the unanswered queue** counts conversations. A request is left out of it when its thread
  holds a staff reply to its asker by the window's end (before or after it: staff are handling
  that customer there, so nobody answering is not the word for it); the thread is the request's
  ``conversation_id`` when stored, else the root of its chain of stored replies. The requests
  left are grouped into **conversations**: one customer's unanswered requests to one support
  handle in the window, their follow-ups in one thread and their separate tweets alike (one
  answer reaches all of it). Two customers in one thread are two conversations: each waits for
  their own answer, and each row names whom to contact.

One SQL statement gives one row per request (its handle, language, time, and the seconds to
staff's and to the community's first answer, with who answered); one more walks the threads of
the unanswered ones; Python only sorts those rows into groups and takes medians. Each step is
announced to an optional ``progress`` callback (a terminal's bar, the dashboard's status).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import Engine, text

from graph.features import HELP_FROM, Dialect, id_chunks
from store.db import bind_time
from untrusted import printable

__all__ = ["response_times", "for_run", "unanswered_conversations", "unanswered_queue",
           "queue_page", "outreach_status", "quantile", "run_window", "support_handles",
           "resolve_handle", "unclassified_tweets", "STAFF_FLAG_PREFIXES", "CHAMPION_TIERS",
           "ANSWERERS", "RESPONSE_STEPS", "QUEUE_STEPS"]

# Flags of a ranking run that say an account is staff (graph.score).
STAFF_FLAG_PREFIXES = ("likely staff", "staff (")
CHAMPION_TIERS = ("champion", "rising")
ANSWERERS = ("staff", "champion", "community", "unanswered")
# The steps announced to ``progress``, in order.
RESPONSE_STEPS = ("finding the help requests and their first answers",
                  "looking for staff replies in the unanswered requests' threads",
                  "counting per handle, language, week and person")
QUEUE_STEPS = ("finding the help requests nobody answered",
               "looking for staff replies in their threads",
               "grouping them into conversations")
# Replies followed up or down one thread at most (a loop in bad data stops here).
_MAX_DEPTH = 1000


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
    author_id: int
    staff_s: float | None      # seconds to staff's first answer
    comm_s: float | None       # seconds to the community's first answer
    answerer: int | None       # the community's first answerer
    first: str = "unanswered"  # staff, champion, community or unanswered


def _as_time(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _seconds(value) -> float | None:
    # julianday differences carry float noise: whole seconds (never negative: clock skew).
    return None if value is None else float(max(0, round(float(value))))


def _no_progress(step: str) -> None:
    pass


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
            SELECT id, at, lang, handle, author_id, staff_s, comm_s, who FROM answered"""),
                            params).all()
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
        req = Request(r.id, _as_time(r.at), r.lang, r.handle, r.author_id, _seconds(r.staff_s),
                      _seconds(r.comm_s), r.who)
        if req.staff_s is not None and (req.comm_s is None or req.staff_s <= req.comm_s):
            req.first = "staff"
        elif req.comm_s is not None:
            tier = people.get(req.answerer, {}).get("tier")
            req.first = "champion" if tier in CHAMPION_TIERS else "community"
        out.append(req)
    return out, people


def _in_staff_threads(engine: Engine, reqs: list[Request], end: datetime, *,
                      run_id: int | None, staff_handles) -> set[int]:
    """The ids of the requests among ``reqs`` whose thread holds a staff reply to their asker
    made before ``end`` (see the module's definitions). The thread is the request's
    ``conversation_id``, else the root of its chain of stored replies (or the id of the first
    tweet missing from it); its tweets are those replying down from that root, and those
    stored with that ``conversation_id``. A staff tweet is a reply to the asker when the tweet
    it answers is theirs (or, that tweet missing, its ``in_reply_to_user_id`` is)."""
    if not reqs:
        return set()
    staff, params = _staff_cte(run_id, staff_handles)
    params["end"] = bind_time(engine.dialect.name, end)
    found: set[int] = set()
    with engine.connect() as conn:
        for _, member, p in id_chunks(conn, [r.id for r in reqs]):
            found.update(conn.execute(text(f"""
            WITH RECURSIVE {staff},
            up(qid, id, parent, depth) AS (
                SELECT t.id, t.id, t.in_reply_to_tweet_id, 0 FROM tweets t WHERE {member('t.id')}
                AND t.conversation_id IS NULL  -- the others' thread is their conversation
                UNION ALL
                SELECT up.qid, a.id, a.in_reply_to_tweet_id, up.depth + 1
                FROM up JOIN tweets a ON a.id = up.parent
                WHERE up.depth < {_MAX_DEPTH}
            ),
            thread(qid, asker, root) AS (
                SELECT q.id, q.author_id, COALESCE(q.conversation_id, (
                    SELECT MIN(COALESCE(u.parent, u.id)) FROM up u WHERE u.qid = q.id
                    AND (u.parent IS NULL
                         OR NOT EXISTS (SELECT 1 FROM tweets x WHERE x.id = u.parent))), q.id)
                FROM tweets q WHERE {member('q.id')}
            ),
            down(root, id, depth) AS (
                SELECT DISTINCT root, root, 0 FROM thread
                UNION ALL
                SELECT dn.root, t.id, dn.depth + 1
                FROM down dn JOIN tweets t ON t.in_reply_to_tweet_id = dn.id
                WHERE dn.depth < {_MAX_DEPTH}
            ),
            in_thread(root, id) AS (
                SELECT root, id FROM down
                UNION
                SELECT t.conversation_id, t.id FROM tweets t
                WHERE t.conversation_id IN (SELECT root FROM thread)
            )
            SELECT DISTINCT th.qid
            FROM thread th
            JOIN in_thread m ON m.root = th.root
            JOIN tweets s ON s.id = m.id
            JOIN staff st ON st.id = s.author_id
            LEFT JOIN tweets a ON a.id = s.in_reply_to_tweet_id
            WHERE s.created_at < :end
              AND COALESCE(a.author_id, s.in_reply_to_user_id) = th.asker"""),
                {**params, **p}).scalars())
    return found


def _conversations(unanswered: list[Request], in_staff_threads: set[int], end: datetime
                   ) -> list[dict[str, Any]]:
    """The unanswered requests outside staff's threads as conversations (one customer, one
    support handle), newest first: each with its requests (oldest first), its latest request,
    and how long the customer had waited since the first at ``end``."""
    groups: dict[tuple[int, str], list[Request]] = defaultdict(list)
    for r in unanswered:
        if r.id not in in_staff_threads:
            groups[(r.author_id, r.handle.lower())].append(r)
    out = []
    for reqs in groups.values():
        reqs.sort(key=lambda r: (r.at, r.id))
        last = reqs[-1]
        waited = max(0.0, (end - reqs[0].at).total_seconds())
        out.append({"user_id": last.author_id, "handle": last.handle, "lang": last.lang,
                    "requests": len(reqs), "tweet_ids": [r.id for r in reqs],
                    "tweet_id": last.id, "at": last.at, "first_at": reqs[0].at,
                    "waiting_hours": round(waited / 3600.0, 1),
                    "url": f"https://x.com/i/web/status/{last.id}" if last.id > 0 else ""})
    out.sort(key=lambda c: (c["at"], c["tweet_id"]), reverse=True)
    return out


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


def _default_staff_minutes() -> float:
    from settings.defaults import RESPONSE

    return float(RESPONSE["staff_minutes_per_request"])


def response_times(engine: Engine, start: datetime, end: datetime, *,
                   run_id: int | None = None, staff_handles=(), handle: str | None = None,
                   staff_minutes_per_request: float | None = None,
                   progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The window's response-time figures (see the module's definitions), JSON-ready:
    totals; the champions' and the community's shares of first answers; the staff time saved
    (``staff_minutes_per_request``, default the settings' default) and the time the community
    saved customers; the unanswered queue's size; per handle, per language, per ISO week; and
    per person who answered before staff, those who spared staff the most answers first.
    ``progress`` is called with each of ``RESPONSE_STEPS`` as it starts."""
    step = progress or _no_progress
    minutes = (_default_staff_minutes() if staff_minutes_per_request is None
               else float(staff_minutes_per_request))
    step(RESPONSE_STEPS[0])
    reqs, people = request_rows(engine, start, end, run_id=run_id,
                                staff_handles=staff_handles, handle=handle)
    step(RESPONSE_STEPS[1])
    unanswered = [r for r in reqs if r.first == "unanswered"]
    in_staff = _in_staff_threads(engine, unanswered, end, run_id=run_id,
                                 staff_handles=staff_handles)
    step(RESPONSE_STEPS[2])
    convs = _conversations(unanswered, in_staff, end)
    n = len(reqs)
    out: dict[str, Any] = {"window_start": start.isoformat(sep=" "),
                           "window_end": end.isoformat(sep=" "), "run_id": run_id,
                           "handle": handle, **_group(reqs)}
    ahead = [r for r in reqs if r.first in ("champion", "community")]
    later = [r for r in ahead if r.staff_s is not None]
    never = len(ahead) - len(later)
    champions = sum(1 for r in ahead if r.first == "champion")
    out["champions_share"] = {"share": champions / n if n else None, "requests": champions}
    out["community_share"] = {"share": len(ahead) / n if n else None, "requests": len(ahead),
                              "staff_answered_later": len(later),
                              "staff_never_answered": never}
    out["staff_time_saved"] = {"requests": never, "minutes_per_request": minutes,
                               "hours": never * minutes / 60.0}
    out["customers_time_saved"] = {
        "requests": len(later), "hours": sum(r.staff_s - r.comm_s for r in later) / 3600.0}
    out["unanswered_queue"] = {
        "conversations": len(convs), "requests": sum(c["requests"] for c in convs),
        "requests_in_threads_staff_answered": len(in_staff)}
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
            "tier": people.get(r.answerer, {}).get("tier"), "answered_first": 0,
            "staff_never_answered": 0, "staff_answered_later": 0, "staff_hours_saved": 0.0,
            "customers_hours_saved": 0.0})
        p["answered_first"] += 1
        if r.staff_s is None:
            p["staff_never_answered"] += 1
            p["staff_hours_saved"] += minutes / 60.0
        else:
            p["staff_answered_later"] += 1
            p["customers_hours_saved"] += (r.staff_s - r.comm_s) / 3600.0
    # What staff value first: the answers they never had to give, then answers given first;
    # champions before others on a tie.
    out["people"] = sorted(per.values(), key=lambda p: (
        -p["staff_never_answered"], -p["answered_first"], p["tier"] not in CHAMPION_TIERS,
        (p["username"] or "").lower(), p["user_id"]))
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


def for_run(engine: Engine, run_id: int, *, handle: str | None = None,
            staff_minutes_per_request: float | None = None,
            progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """``response_times`` for a stored ranking run's window, tiers and staff."""
    w = run_window(engine, run_id)
    if w is None:
        raise ValueError(f"no ranking run {run_id}")
    return response_times(engine, w["start"], w["end"], run_id=run_id,
                          staff_handles=w["staff_handles"], handle=handle,
                          staff_minutes_per_request=staff_minutes_per_request,
                          progress=progress)


def support_handles(engine: Engine) -> list[str]:
    """The support handles help requests are counted for (the brand accounts), by name."""
    with engine.connect() as conn:
        names = conn.execute(text("SELECT username FROM users WHERE is_brand"
                                  " AND username IS NOT NULL")).scalars().all()
    return sorted(set(names), key=lambda h: (h.lower(), h))


def resolve_handle(engine: Engine, given: str) -> str:
    """``given`` (``@AcmeHelp``, ``acmehelp``) as the support handle is stored (``AcmeHelp``);
    ValueError naming the support handles when it is none of them."""
    want = given.strip().lstrip("@").lower()
    known = support_handles(engine)
    for h in known:
        if h.lower() == want:
            return h
    # (Both are untrusted text on their way to a terminal: made printable.)
    if not known:
        raise ValueError(f"unknown support handle @{printable(want, 40)}: no support handle "
                         "is stored yet")
    raise ValueError(f"unknown support handle @{printable(want, 40)}; the support handles are "
                     + ", ".join(f"@{printable(h, 40)}" for h in known))


def unclassified_tweets(engine: Engine, start: datetime, end: datetime) -> int:
    """Tweets of the window without roles yet (imported since the last ranking classified
    them): the requests among them are not counted until the ranking runs."""
    with engine.connect() as conn:
        total, classified = conn.execute(text(
            "SELECT (SELECT COUNT(*) FROM tweets), (SELECT COUNT(*) FROM tweet_acts)")).one()
        if classified >= total:  # every tweet has its roles (the usual case): no join
            return 0
        name = engine.dialect.name
        return int(conn.execute(text(
            "SELECT COUNT(*) FROM tweets t WHERE t.created_at >= :start AND t.created_at < :end"
            " AND NOT EXISTS (SELECT 1 FROM tweet_acts a WHERE a.tweet_id = t.id)"),
            {"start": bind_time(name, start), "end": bind_time(name, end)}).scalar() or 0)


def unanswered_conversations(engine: Engine, start: datetime, end: datetime, *,
                             run_id: int | None = None, staff_handles=(),
                             handle: str | None = None,
                             progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """The unanswered queue (see the module's definitions): ``conversations``, newest first,
    each with the customer's username, the handle, the number of ``requests`` in it, the
    latest request (``tweet_id``, ``at``, ``text``, ``lang``, ``url``) and ``waiting_hours``
    since its first request at the window's end; the ``requests`` they hold; the
    ``requests_in_threads_staff_answered`` left out; and the conversations per handle (every
    handle with a request in the window, 0 included) and per language (``by_handle``,
    ``by_lang``: a conversation counts under its latest request's).
    ``progress`` is called with each of ``QUEUE_STEPS`` as it starts."""
    step = progress or _no_progress
    step(QUEUE_STEPS[0])
    reqs, _ = request_rows(engine, start, end, run_id=run_id, staff_handles=staff_handles,
                           handle=handle)
    unanswered = [r for r in reqs if r.first == "unanswered"]
    step(QUEUE_STEPS[1])
    in_staff = _in_staff_threads(engine, unanswered, end, run_id=run_id,
                                 staff_handles=staff_handles)
    step(QUEUE_STEPS[2])
    convs = _conversations(unanswered, in_staff, end)
    texts: dict[int, str] = {}
    names: dict[int, str] = {}
    with engine.connect() as conn:
        for _, member, p in id_chunks(conn, [c["tweet_id"] for c in convs]):
            texts.update(conn.execute(text(
                f"SELECT id, text FROM tweets WHERE {member('id')}"), p).all())
        for _, member, p in id_chunks(conn, {c["user_id"] for c in convs}):
            names.update(conn.execute(text(
                f"SELECT id, username FROM users WHERE {member('id')}"), p).all())
    by_handle: dict[str, int] = {r.handle: 0 for r in reqs}  # every handle asked, even at 0
    by_lang: dict[str, int] = defaultdict(int)
    for c in convs:
        c["username"] = names.get(c["user_id"])
        c["text"] = texts.get(c["tweet_id"]) or ""
        by_handle[c["handle"]] += 1
        by_lang[c["lang"]] += 1
    return {"conversations": convs, "requests": sum(c["requests"] for c in convs),
            "requests_in_threads_staff_answered": len(in_staff),
            "by_handle": dict(sorted(by_handle.items(), key=lambda kv: (-kv[1], kv[0].lower()))),
            "by_lang": dict(sorted(by_lang.items(), key=lambda kv: (-kv[1], kv[0])))}


def queue_page(conversations: list[dict[str, Any]], *, lang: str | None = None,
               offset: int = 0, limit: int = 50, oldest_first: bool = False
               ) -> tuple[list[dict[str, Any]], int]:
    """One page of ``unanswered_conversations``' list in one language (that of the latest
    request), newest first by latest request, or the longest waiting first; and how many
    there are in all."""
    if lang:
        lang = {"in": "id"}.get(lang.lower(), lang.lower())
        conversations = [c for c in conversations if c["lang"] == lang]
    if oldest_first:
        conversations = sorted(conversations, key=lambda c: (c["first_at"], c["tweet_id"]))
    start = max(0, int(offset))
    return conversations[start:start + max(0, int(limit))], len(conversations)


def unanswered_queue(engine: Engine, start: datetime, end: datetime, *,
                     run_id: int | None = None, staff_handles=(), handle: str | None = None,
                     lang: str | None = None, offset: int = 0, limit: int = 50,
                     oldest_first: bool = False) -> tuple[list[dict[str, Any]], int]:
    """One page of the conversations nobody answered (``unanswered_conversations``,
    ``queue_page``), each with its customer's outreach status as it is now; and how many
    conversations there are in all."""
    q = unanswered_conversations(engine, start, end, run_id=run_id,
                                 staff_handles=staff_handles, handle=handle)
    rows, total = queue_page(q["conversations"], lang=lang, offset=offset, limit=limit,
                             oldest_first=oldest_first)
    now = outreach_status(engine, [r["user_id"] for r in rows])
    gone = {"status": "to contact", "last_contacted": None}
    return [{**r, **now.get(r["user_id"], gone)} for r in rows], total


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
