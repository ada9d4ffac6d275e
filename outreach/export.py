"""The outreach CSV: the ranked champions staff may contact, with what to thank them for.

* Do-not-contact people are never exported.
* X's developer policy caps downloads of user data at 500 users per person per day: each export
  is logged per person, and an export past the cap is cut to what remains (and says so).
* Cells that a spreadsheet would run as formulas are neutralised (``untrusted.safe_cell``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, func, insert, select, text

from store.models import ExportLog
from untrusted import profile_url

__all__ = ["EXPORT_COLUMNS", "DAILY_USER_CAP", "Export", "export_rows", "profile_url"]

DAILY_USER_CAP = 500
EXPORT_COLUMNS = ["rank", "username", "name", "profile_url", "score", "tier", "components",
                  "evidence_tweet_url", "evidence_tweet", "followers", "status", "owner",
                  "last_contacted"]
@dataclass
class Export:
    rows: list[list]
    wanted: int  # people the export asked for, do-not-contact excluded
    capped: bool  # True when the daily cap cut the export
    remaining_today: int  # users this person may still export today, after this export


def _exported_today(engine: Engine, actor: str, now: datetime) -> int:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.sum(ExportLog.users), 0)).where(
            ExportLog.actor == actor, ExportLog.at >= day,
            ExportLog.at < day + timedelta(days=1))).scalar_one()


def export_rows(engine: Engine, actor: str, *, top: int | None = None,
                tiers: tuple[str, ...] | None = None, now: datetime | None = None) -> Export:
    """Rows of the latest ranking run for ``actor``, within the daily cap, and log them."""
    if not actor:
        raise ValueError("an export needs the person it is for (the daily cap is per person)")
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    with engine.connect() as conn:
        run = conn.execute(text("SELECT max(id) FROM ranking_runs")).scalar()
        if run is None:
            raise ValueError("no ranking run yet: run `python -m graph rank` first")
        rows = conn.execute(text(
            "SELECT s.rank, u.id, u.username, u.name, s.score, s.tier, s.components,"
            " u.followers_count, o.status, o.owner, o.last_contacted_at,"
            " ev.tweet_id, t.text"
            " FROM champion_scores s JOIN users u ON u.id = s.user_id"
            " LEFT JOIN outreach o ON o.user_id = s.user_id"
            " LEFT JOIN score_evidence ev ON ev.id = (SELECT min(e.id) FROM score_evidence e"
            "  WHERE e.run_id = s.run_id AND e.user_id = s.user_id)"
            " LEFT JOIN tweets t ON t.id = ev.tweet_id"
            " WHERE s.run_id = :r AND s.rank IS NOT NULL"
            " AND (o.status IS NULL OR o.status != 'do-not-contact')"
            " ORDER BY s.rank"), {"r": run}).all()
    if tiers:
        rows = [r for r in rows if r[5] in tiers]
    if top:
        rows = rows[:top]
    used = _exported_today(engine, actor, now)
    allowed = max(0, DAILY_USER_CAP - used)
    capped = len(rows) > allowed
    kept = rows[:allowed]
    out = []
    for (rank, uid, username, name, score, tier, comps, followers, status, owner, last, ev,
         ev_text) in kept:
        components = "; ".join(f"{k}={v:g}" for k, v in json.loads(comps).items() if v)
        out.append([rank, username, name, profile_url(uid, username), score, tier, components,
                    f"https://x.com/i/web/status/{ev}" if ev and ev > 0 else "",
                    " ".join((ev_text or "").split())[:280], followers, status or "to contact", owner,
                    last.isoformat(sep=" ") if isinstance(last, datetime) else last])
    if out:
        with engine.begin() as conn:
            conn.execute(insert(ExportLog).values(actor=actor, at=now, users=len(out),
                                                  ranking_run_id=run))
    return Export(out, len(rows), capped, allowed - len(out))
