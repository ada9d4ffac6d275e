"""The outreach CSV: the ranked people staff may contact, with what to thank them for. Every
download of people from the dashboard and the command line is made here.

* Do-not-contact people are never exported; people contacted within the cooldown
  (``[outreach] cooldown_days``) are left out unless the export asks for them.
* X's developer policy caps downloads of user data at 500 users per person per day: each export
  is logged against the identity making it (``outreach.contact``: the signed-in account, or the
  operating-system account), and an export past the cap is cut to what remains (and says so).
* Cells that a spreadsheet would run as formulas are neutralised by the callers' writer
  (``untrusted.csv_text`` / ``write_csv``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, func, insert, select, text

from outreach.contact import DO_NOT_CONTACT, may_contact
from settings import OutreachOptions
from store.filters import people_filters
from store.models import ExportLog
from untrusted import profile_url

__all__ = ["EXPORT_COLUMNS", "DAILY_USER_CAP", "Export", "export_rows", "exported_today",
           "profile_url"]

DAILY_USER_CAP = 500
EXPORT_COLUMNS = ["rank", "username", "name", "profile_url", "score", "tier", "components",
                  "evidence_tweet_url", "evidence_tweet", "followers", "status", "owner",
                  "last_contacted"]


@dataclass
class Export:
    rows: list[list]
    wanted: int  # people the export asked for, do-not-contact (and cooldown) excluded
    capped: bool  # True when the daily cap cut the export
    remaining_today: int  # users this person may still export today, after this export
    do_not_contact: int = 0  # left out: do-not-contact
    cooldown: int = 0  # left out: contacted within the cooldown


def exported_today(engine: Engine, actor: str, now: datetime | None = None) -> int:
    """Users ``actor`` has exported today (UTC), against the daily cap."""
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.sum(ExportLog.users), 0)).where(
            ExportLog.actor == actor, ExportLog.at >= day,
            ExportLog.at < day + timedelta(days=1))).scalar_one()


def export_rows(engine: Engine, actor: str, *, run_id: int | None = None, top: int | None = None,
                tiers: tuple[str, ...] | None = None, lang: str | None = None,
                community: int | None = None, search: str | None = None,
                cooldown_days: int = OutreachOptions.cooldown_days,
                include_cooldown: bool = False, now: datetime | None = None,
                log: bool = True) -> Export:
    """Rows of a ranking run (default: the latest) for ``actor``, with the leaderboard's
    filters, within the daily cap, and log them against the cap (``log``: False for a preview
    of what a download would hold, which counts nothing). ``actor`` must be an identity the
    caller has established (``outreach.contact.os_user`` or the signed-in account), never
    free text."""
    if not actor:
        raise ValueError("an export needs the person it is for (the daily cap is per person)")
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    sql = ("SELECT s.rank, u.id, u.username, u.name, s.score, s.tier, s.components,"
           " u.followers_count, o.status, o.owner, o.last_contacted_at,"
           " ev.tweet_id, t.text"
           " FROM champion_scores s JOIN users u ON u.id = s.user_id"
           " LEFT JOIN outreach o ON o.user_id = s.user_id"
           " LEFT JOIN score_evidence ev ON ev.id = (SELECT min(e.id) FROM score_evidence e"
           "  WHERE e.run_id = s.run_id AND e.user_id = s.user_id)"
           " LEFT JOIN tweets t ON t.id = ev.tweet_id"
           " WHERE s.run_id = :r AND (s.rank IS NOT NULL OR s.tier = 'lapsed')")
    where, params = people_filters(lang=lang, community=community, search=search)
    sql += where
    sql += " ORDER BY s.rank IS NULL, s.rank, s.previous_score DESC, s.user_id"
    with engine.connect() as conn:
        run = run_id if run_id is not None else conn.execute(
            text("SELECT max(id) FROM ranking_runs")).scalar()
        if run is None:
            raise ValueError("no ranking run yet: run `python -m graph rank` first")
        rows = conn.execute(text(sql), {"r": run, **params}).all()
    if tiers:
        rows = [r for r in rows if r[5] in tiers]
    dnc = sum(1 for r in rows if r[8] == DO_NOT_CONTACT)
    contactable = [r for r in rows if may_contact(r[8], r[10], cooldown_days,
                                                  include_cooldown=include_cooldown, now=now)]
    resting = len(rows) - dnc - len(contactable)
    rows = contactable[:top] if top else contactable
    used = exported_today(engine, actor, now)
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
    if out and log:
        with engine.begin() as conn:
            conn.execute(insert(ExportLog).values(actor=actor, at=now, users=len(out),
                                                  ranking_run_id=run))
    return Export(out, len(rows), capped, allowed - len(out), dnc, resting)
