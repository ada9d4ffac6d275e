"""What ``python -m ingest status`` reports: counts, recent runs, rejected records, quiet days."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from store.models import EDGE_KINDS, IngestRun, Interaction, RejectedRecord, Tweet, User
from untrusted import printable

__all__ = ["collect_status", "format_status"]


def collect_status(engine: Engine, *, days: int = 30, until: date | None = None,
                   limit: int = 10) -> dict[str, Any]:
    until = until or date.today()
    start = until - timedelta(days=days - 1)
    with engine.connect() as conn:
        tweets = conn.execute(select(func.count()).select_from(Tweet)).scalar_one()
        users = conn.execute(select(func.count()).select_from(User)).scalar_one()
        stubs = conn.execute(
            select(func.count()).select_from(User).where(User.is_stub.is_(True))).scalar_one()
        brands = conn.execute(
            select(func.count()).select_from(User).where(User.is_brand.is_(True))).scalar_one()
        per_kind = dict(conn.execute(
            select(Interaction.kind, func.count()).group_by(Interaction.kind)).all())
        rejected = conn.execute(select(func.count()).select_from(RejectedRecord)).scalar_one()
        last_tweet = conn.execute(select(func.max(Tweet.created_at))).scalar()
        day = func.substr(func.cast(Tweet.created_at, Tweet.text.type), 1, 10)
        per_day = {
            str(d): n for d, n in conn.execute(
                select(day, func.count()).where(Tweet.created_at >= start,
                                                Tweet.created_at < until + timedelta(days=1))
                .group_by(day)).all()
        }
        by_source: dict[str, dict[str, int]] = {}
        for src, d, n in conn.execute(
                select(Tweet.source, day, func.count()).where(
                    Tweet.created_at >= start, Tweet.created_at < until + timedelta(days=1))
                .group_by(Tweet.source, day)).all():
            by_source.setdefault(src, {})[str(d)] = n
        # Mentions of the brand accounts: the monitored channel.
        brand_ids = select(User.id).where(User.is_brand.is_(True)).scalar_subquery()
        last_mention = conn.execute(select(func.max(Interaction.created_at)).where(
            Interaction.kind == "mention", Interaction.dst_user_id.in_(brand_ids))).scalar()
        runs = conn.execute(select(IngestRun.__table__).order_by(IngestRun.id.desc()).limit(limit)).all()
        rejects = conn.execute(
            select(RejectedRecord.__table__).order_by(RejectedRecord.id.desc()).limit(limit)).all()
    window = [(start + timedelta(days=i)).isoformat() for i in range(days)]
    return {
        "tweets": tweets,
        "users": users,
        "stub_users": stubs,
        "brand_users": brands,
        "interactions": {k: per_kind.get(k, 0) for k in EDGE_KINDS},
        "rejected": rejected,
        "last_tweet_at": last_tweet.isoformat(sep=" ") if last_tweet else None,
        "tweets_per_day": {d: per_day.get(d, 0) for d in window},
        "quiet_days": [d for d in window if not per_day.get(d)],
        "tweets_per_day_by_source": {src: {d: days_.get(d, 0) for d in window}
                                     for src, days_ in sorted(by_source.items())},
        "last_brand_mention_at": (last_mention.isoformat(sep=" ")
                                  if hasattr(last_mention, "isoformat") else last_mention),
        "days_since_brand_mention": (
            (until - (last_mention if hasattr(last_mention, "date")
                      else datetime.fromisoformat(last_mention)).date()).days
            if last_mention else None),
        "runs": [
            {"id": r.id, "command": r.command, "source": r.source, "status": r.status,
             "started_at": r.started_at.isoformat(sep=" ") if r.started_at else None,
             "finished_at": r.finished_at.isoformat(sep=" ") if r.finished_at else None,
             "counts": json.loads(r.counts) if r.counts else None, "error": r.error}
            for r in runs
        ],
        "rejected_records": [
            {"run_id": r.run_id, "source": r.source, "location": r.location, "reason": r.reason,
             "excerpt": r.excerpt}
            for r in rejects
        ],
    }


def format_status(s: dict[str, Any]) -> str:
    k = s["interactions"]
    lines = [
        f"tweets: {s['tweets']:,}   users: {s['users']:,} ({s['stub_users']:,} stubs, "
        f"{s['brand_users']:,} brand)   rejected records: {s['rejected']:,}",
        "interactions: " + ", ".join(f"{n} {k[n]:,}" for n in k),
        f"last tweet: {s['last_tweet_at'] or 'none'}",
    ]
    quiet, window = s["quiet_days"], s["tweets_per_day"]
    if quiet:
        lines.append(f"quiet days (no tweets) in {min(window)}..{max(window)}: {len(quiet)} of "
                     f"{len(window)}: {_ranges(quiet)}")
    else:
        lines.append(f"tweets arrived every day in {min(window)}..{max(window)}")
    lines.append("recent runs:")
    for r in s["runs"] or []:
        c = r["counts"] or {}
        lines.append(
            f"  #{r['id']} {r['command']:<8} {r['status']:<11} {r['started_at']}  "
            f"tweets new {c.get('tweets_new', 0):,}, present {c.get('tweets_present', 0):,}, "
            f"rejected {c.get('rejected', 0):,}"
            + (f", backlog in {c['backlog_queries']} quer"
               f"{'y' if c['backlog_queries'] == 1 else 'ies'}"
               + (f" (about {c['pages_left_estimate']} pages left)"
                  if c.get("pages_left_estimate") else "")
               if c.get("backlog_queries") else "")
            + (f"  error: {printable(r['error'])}" if r["error"] else ""))
    if not s["runs"]:
        lines.append("  none yet")
    if s["rejected_records"]:
        lines.append("recent rejected records:")
        lines.extend(f"  {printable(r['location'])}: {printable(r['reason'])}"
                     for r in s["rejected_records"])
    return "\n".join(lines)


def _ranges(days: list[str]) -> str:
    out: list[str] = []
    start = prev = date.fromisoformat(days[0])
    for d in [date.fromisoformat(x) for x in days[1:]] + [None]:
        if d is not None and d == prev + timedelta(days=1):
            prev = d
            continue
        out.append(start.isoformat() if start == prev else f"{start}..{prev}")
        if d is not None:
            start = prev = d
    return ", ".join(out)
