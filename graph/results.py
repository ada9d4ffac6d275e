"""Reading stored ranking results for the dashboard: pages read these, they never rank."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, text

from outreach.export import profile_url
from store.models import RankingRun

__all__ = ["latest_run", "leaderboard", "person", "filter_options"]


def latest_run(engine: Engine) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(RankingRun.id, RankingRun.window_start, RankingRun.window_end,
                                  RankingRun.created_at).order_by(RankingRun.id.desc())
                           .limit(1)).first()
    return dict(row._mapping) if row else None


def _trend(score: float, previous: float | None) -> str:
    if previous is None:
        return "new"
    delta = score - previous
    return "▲" if delta > 0.5 else "▼" if delta < -0.5 else "▬"


def leaderboard(engine: Engine, run_id: int, *, tier: str | None = None,
                lang: str | None = None, community: int | None = None,
                search: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Ranked people (and lapsed champions) of a run, best first, with filters."""
    sql = ("SELECT s.rank, s.user_id, u.username, u.name, u.followers_count, s.score,"
           " s.components, s.tier, s.previous_score, s.community, s.lang, o.status"
           " FROM champion_scores s JOIN users u ON u.id = s.user_id"
           " LEFT JOIN outreach o ON o.user_id = s.user_id"
           " WHERE s.run_id = :r AND (s.rank IS NOT NULL OR s.tier = 'lapsed')")
    params: dict[str, Any] = {"r": run_id, "n": limit}
    if tier:
        sql += " AND s.tier = :tier"
        params["tier"] = tier
    if lang:
        sql += " AND s.lang = :lang"
        params["lang"] = lang
    if community is not None:
        sql += " AND s.community = :c"
        params["c"] = community
    if search:
        sql += " AND (lower(u.username) LIKE :q OR lower(u.name) LIKE :q)"
        params["q"] = f"%{search.lower().lstrip('@')}%"
    sql += " ORDER BY s.rank IS NULL, s.rank, s.previous_score DESC LIMIT :n"
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    return [{"rank": r.rank, "user_id": r.user_id, "username": r.username, "name": r.name,
             "followers": r.followers_count or 0, "score": r.score,
             "components": json.loads(r.components), "tier": r.tier,
             "previous_score": r.previous_score, "trend": _trend(r.score, r.previous_score),
             "community": r.community, "lang": r.lang, "status": r.status or "to contact",
             "profile_url": profile_url(r.user_id, r.username)} for r in rows]


def filter_options(engine: Engine, run_id: int) -> dict[str, list]:
    with engine.connect() as conn:
        langs = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT lang FROM champion_scores WHERE run_id = :r AND lang IS NOT NULL"
            " ORDER BY lang"), {"r": run_id})]
        comms = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT community FROM champion_scores WHERE run_id = :r AND rank IS NOT NULL"
            " AND community IS NOT NULL ORDER BY community"), {"r": run_id})]
    return {"langs": langs, "communities": comms}


def person(engine: Engine, run_id: int, username: str) -> dict[str, Any] | None:
    """One person's score, components with their evidence tweets, activity and outreach."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT s.user_id, u.username, u.name, u.description, u.followers_count, s.rank,"
            " s.score, s.components, s.tier, s.previous_score, s.community, s.lang, s.flags"
            " FROM champion_scores s JOIN users u ON u.id = s.user_id"
            " WHERE s.run_id = :r AND lower(u.username) = :n"),
            {"r": run_id, "n": username.lstrip("@").lower()}).first()
        if row is None:
            return None
        ev = conn.execute(text(
            "SELECT e.component, e.tweet_id, o.username AS other, t.text, t.created_at,"
            " t.retweet_count, t.quote_count"
            " FROM score_evidence e LEFT JOIN users o ON o.id = e.other_user_id"
            " LEFT JOIN tweets t ON t.id = e.tweet_id"
            " WHERE e.run_id = :r AND e.user_id = :u ORDER BY e.id"),
            {"r": run_id, "u": row.user_id}).all()
        weeks = conn.execute(text(
            "SELECT created_at FROM tweets WHERE author_id = :u ORDER BY created_at DESC"
            " LIMIT 5000"), {"u": row.user_id}).all()
        outreach = conn.execute(text(
            "SELECT status, owner, notes, last_contacted_at FROM outreach WHERE user_id = :u"),
            {"u": row.user_id}).first()
    evidence: dict[str, list[dict[str, Any]]] = {}
    for e in ev:
        evidence.setdefault(e.component, []).append({
            "tweet_id": e.tweet_id, "with": e.other, "text": e.text or "",
            "at": e.created_at, "retweets": e.retweet_count, "quotes": e.quote_count,
            "url": f"https://x.com/i/web/status/{e.tweet_id}" if e.tweet_id > 0 else ""})
    activity: dict[str, int] = {}
    for (at,) in weeks:
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        if at is not None:
            key = at.strftime("%G-W%V")
            activity[key] = activity.get(key, 0) + 1
    return {
        "user_id": row.user_id, "username": row.username, "name": row.name,
        "bio": row.description or "", "followers": row.followers_count or 0, "rank": row.rank,
        "score": row.score, "components": json.loads(row.components), "tier": row.tier,
        "previous_score": row.previous_score, "community": row.community, "lang": row.lang,
        "flags": json.loads(row.flags) if row.flags else [],
        "profile_url": profile_url(row.user_id, row.username), "evidence": evidence,
        "helped": sorted({e["with"] for e in evidence.get("helpful_answers", []) if e["with"]}),
        "thanked_by": sorted({e["with"] for e in evidence.get("confirmed_help", [])
                              if e["with"]}),
        "activity": dict(sorted(activity.items())),
        "outreach": dict(outreach._mapping) if outreach else {"status": "to contact",
                                                                "owner": None, "notes": None,
                                                                "last_contacted_at": None},
    }
