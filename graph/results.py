"""Reading stored ranking results for the dashboard: pages read these, they never rank."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, text

from untrusted import profile_url
from graph.score import reviewable
from store.db import bind_time
from store.filters import people_filters
from store.models import RankingRun

__all__ = ["latest_run", "runs", "run_by_id", "leaderboard", "person", "filter_options", "fixes",
           "spreaders", "fix_counts", "abstain_reason", "left_out", "who",
           "TIER_RULES"]


def abstain_reason(engine: Engine, run_id: int) -> str | None:
    """Why a run named no champion (no customer-to-customer help in its window), else None."""
    with engine.connect() as conn:
        params = conn.execute(select(RankingRun.params).where(RankingRun.id == run_id)).scalar()
    try:
        return json.loads(params or "{}").get("abstain")
    except ValueError:
        return None


def TIER_RULES(ranking: dict[str, Any]) -> list[tuple[str, str]]:  # noqa: N802 - a table
    """The tiers in plain words, from the settings that decide them."""
    r = ranking
    return [
        ("champion", f"at least {r['champion_min_score']:g} points, "
                     f"{r['champion_min_helped']:g}+ different people helped and "
                     f"{r['champion_min_confirmed']:g}+ of them confirmed it worked"),
        ("rising", f"at least {r['rising_min_score']:g} points, help someone confirmed, and "
                   f"{r['rising_growth']:g}x the previous window's score (or new)"),
        ("occasional", "any other helping or fix-spreading in the window"),
        ("lapsed", "a champion in the previous window who is not one now"),
    ]


def left_out(engine: Engine, run_id: int) -> list[dict[str, Any]]:
    """People the run left out as likely staff or businesses (by the voice of their tweets) or
    by a staff decision, with the decision if any: the review queue."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.user_id, u.username, s.score, s.flags, a.label, a.set_by, a.set_at,"
            " o.status, o.last_contacted_at"
            " FROM champion_scores s JOIN users u ON u.id = s.user_id"
            " LEFT JOIN account_labels a ON a.user_id = s.user_id"
            " LEFT JOIN outreach o ON o.user_id = s.user_id"
            " WHERE s.run_id = :r AND s.flags IS NOT NULL ORDER BY s.score DESC, s.user_id"),
            {"r": run_id}).all()
    out = []
    for r in rows:
        flags = json.loads(r.flags)
        if not reviewable(flags):
            continue
        out.append({"user_id": r.user_id, "username": r.username, "score": r.score,
                    "why": "; ".join(flags), "decision": r.label, "decided_by": r.set_by,
                    "decided_at": r.set_at, **_outreach(r)})
    return out


def latest_run(engine: Engine) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(RankingRun.id, RankingRun.window_start, RankingRun.window_end,
                                  RankingRun.created_at).order_by(RankingRun.id.desc())
                           .limit(1)).first()
    return dict(row._mapping) if row else None


def runs(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """Stored ranking runs, newest first: each is one time window staff can look at."""
    with engine.connect() as conn:
        rows = conn.execute(select(RankingRun.id, RankingRun.window_start, RankingRun.window_end,
                                   RankingRun.created_at).order_by(RankingRun.id.desc())
                            .limit(limit)).all()
    return [dict(r._mapping) for r in rows]


def run_by_id(engine: Engine, run_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(RankingRun.id, RankingRun.window_start, RankingRun.window_end,
                                  RankingRun.created_at).where(RankingRun.id == run_id)).first()
    return dict(row._mapping) if row else None


def _outreach(row) -> dict[str, Any]:
    """A person's outreach status and last contact, for marking do-not-contact and cooldown
    (``outreach.contact``) wherever people are listed."""
    return {"status": row.status or "to contact", "last_contacted": row.last_contacted_at}


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
           " s.components, s.tier, s.previous_score, s.community, s.lang, s.facts, o.status,"
           " o.owner, o.last_contacted_at"
           " FROM champion_scores s JOIN users u ON u.id = s.user_id"
           " LEFT JOIN outreach o ON o.user_id = s.user_id"
           " WHERE s.run_id = :r AND (s.rank IS NOT NULL OR s.tier = 'lapsed')")
    where, params = people_filters(tier=tier, lang=lang, community=community, search=search)
    sql += where
    params.update({"r": run_id, "n": limit})
    sql += " ORDER BY s.rank IS NULL, s.rank, s.previous_score DESC LIMIT :n"
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    return [{"rank": r.rank, "user_id": r.user_id, "username": r.username, "name": r.name,
             "followers": r.followers_count, "score": r.score,
             "components": json.loads(r.components), "tier": r.tier,
             "previous_score": r.previous_score, "trend": _trend(r.score, r.previous_score),
             "community": r.community, "lang": r.lang, "status": r.status or "to contact",
             "owner": r.owner, "last_contacted": r.last_contacted_at,
             "facts": _facts(r.facts), "profile_url": profile_url(r.user_id, r.username)}
            for r in rows]


def _facts(raw: str | None) -> dict[str, Any]:
    """The counts behind a score (``graph.rank._facts``); empty for runs stored before them."""
    return json.loads(raw) if raw else {}


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
            " s.score, s.components, s.tier, s.previous_score, s.community, s.lang, s.flags,"
            " s.facts, a.label AS decision"
            " FROM champion_scores s JOIN users u ON u.id = s.user_id"
            " LEFT JOIN account_labels a ON a.user_id = s.user_id"
            " WHERE s.run_id = :r AND lower(u.username) = :n"),
            {"r": run_id, "n": username.lstrip("@").lower()}).first()
        if row is None:
            return None
        ev = conn.execute(text(
            "SELECT e.component, e.tweet_id, o.username AS other, t.text, t.created_at,"
            " t.retweet_count, t.quote_count, e.points"
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
            "value": e.points,
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
        "bio": row.description or "", "followers": row.followers_count, "rank": row.rank,
        "score": row.score, "components": json.loads(row.components), "tier": row.tier,
        "previous_score": row.previous_score, "community": row.community, "lang": row.lang,
        "flags": json.loads(row.flags) if row.flags else [], "decision": row.decision,
        "facts": _facts(row.facts),
        # component -> how many acts earned it (the evidence shown is the newest 25)
        "evidence_totals": {c: _facts(row.facts).get("evidence_totals", {}).get(
            c, len(items)) for c, items in evidence.items()},
        "profile_url": profile_url(row.user_id, row.username), "evidence": evidence,
        "helped": sorted({e["with"] for c in ("network", "helpful_answers")
                          for e in evidence.get(c, []) if e["with"]}),
        "thanked_by": sorted({e["with"] for e in evidence.get("confirmed_help", [])
                              if e["with"]}),
        # who thanked them, newest first (the "Thank you" message names the newest)
        "thanked_newest": list(dict.fromkeys(e["with"] for e in evidence.get(
            "confirmed_help", []) if e["with"])),
        "activity": dict(sorted(activity.items())),
        "outreach": dict(outreach._mapping) if outreach else {"status": "to contact",
                                                                "owner": None, "notes": None,
                                                                "last_contacted_at": None},
    }


def who(engine: Engine, run_id: int, username: str) -> dict[str, Any] | None:
    """Someone the data holds under ``username``, whether or not this run scored them: their
    id and name, whether they are a brand account, and how many tweets of theirs are stored;
    None for a name no one has. The person page says with it why it has no page to show."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT u.id, u.username, u.is_brand, (SELECT count(*) FROM tweets t"
            " WHERE t.author_id = u.id) AS tweets, (SELECT count(*) FROM champion_scores s"
            " WHERE s.run_id = :r AND s.user_id = u.id) AS scored"
            " FROM users u WHERE lower(u.username) = :n ORDER BY u.id LIMIT 1"),
            {"r": run_id, "n": username.strip().lstrip("@").lower()}).first()
    if row is None:
        return None
    return {"user_id": row.id, "username": row.username, "is_brand": bool(row.is_brand),
            "tweets": int(row.tweets), "scored": bool(row.scored)}


def fixes(engine: Engine, start: datetime, end: datetime, limit: int = 200
          ) -> list[dict[str, Any]]:
    """The brand's fix tweets in the window: who spread them (retweets, quotes) and how far
    (the spreaders' followers), most spread first; unspread fixes last."""
    sql = text(
        "SELECT t.id, b.username, t.text, t.created_at,"
        " COUNT(DISTINCT i.src_user_id) AS spreaders,"
        " SUM(CASE WHEN i.kind = 'retweet' THEN 1 ELSE 0 END) AS retweets,"
        " SUM(CASE WHEN i.kind = 'quote' THEN 1 ELSE 0 END) AS quotes,"
        " SUM(s.followers_count) AS reach"
        " FROM tweets t JOIN users b ON b.id = t.author_id AND b.is_brand"
        " JOIN tweet_acts r ON r.tweet_id = t.id AND r.is_fix"
        " LEFT JOIN interactions i ON i.ref_tweet_id = t.id AND i.kind IN ('retweet', 'quote')"
        "  AND i.src_user_id != t.author_id"
        " LEFT JOIN users s ON s.id = i.src_user_id"
        " WHERE t.created_at >= :start AND t.created_at < :end AND t.kind != 'retweet'"
        "  AND t.in_reply_to_tweet_id IS NULL"
        " GROUP BY t.id, b.username, t.text, t.created_at"
        " ORDER BY spreaders DESC, t.created_at DESC LIMIT :n")
    with engine.connect() as conn:
        rows = conn.execute(sql, {**_window(engine, start, end), "n": limit}).all()
    return [{"tweet_id": r.id, "brand": r.username, "text": r.text or "", "at": r.created_at,
             "spreaders": r.spreaders, "retweets": r.retweets or 0, "quotes": r.quotes or 0,
             # None: no spreader's follower count is known (the TWCS file has none)
             "reach": None if r.reach is None else int(r.reach),
             "url": f"https://x.com/i/web/status/{r.id}"}
            for r in rows]


def fix_counts(engine: Engine, start: datetime, end: datetime) -> tuple[int, int]:
    """How many of the brand's fix tweets in the window were spread, and how many were not
    (``fixes`` lists at most ``limit`` of them)."""
    sql = text(
        "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM interactions i"
        "  WHERE i.ref_tweet_id = t.id AND i.kind IN ('retweet', 'quote')"
        "  AND i.src_user_id != t.author_id) THEN 1 ELSE 0 END)"
        " FROM tweets t JOIN users b ON b.id = t.author_id AND b.is_brand"
        " JOIN tweet_acts r ON r.tweet_id = t.id AND r.is_fix"
        " WHERE t.created_at >= :start AND t.created_at < :end AND t.kind != 'retweet'"
        "  AND t.in_reply_to_tweet_id IS NULL")
    with engine.connect() as conn:
        total, spread = conn.execute(sql, _window(engine, start, end)).one()
    return int(spread or 0), int(total or 0) - int(spread or 0)


def spreaders(engine: Engine, tweet_id: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT u.username, i.kind, u.followers_count, o.status, o.last_contacted_at"
            " FROM interactions i JOIN users u ON u.id = i.src_user_id"
            " LEFT JOIN outreach o ON o.user_id = u.id WHERE i.ref_tweet_id = :t"
            " AND i.kind IN ('retweet', 'quote') ORDER BY u.followers_count DESC"),
            {"t": tweet_id}).all()
    return [{"username": r.username, "how": r.kind, "followers": r.followers_count,
             **_outreach(r)} for r in rows]


def _window(engine: Engine, start: datetime, end: datetime) -> dict[str, Any]:
    name = engine.dialect.name
    return {"start": bind_time(name, start), "end": bind_time(name, end)}
