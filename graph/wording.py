"""What the dashboard and ``graph explain`` say about a score, in plain words: the one-line
reason a person ranks, the trend as a number, the components' names, and how numbers and times
are written.

Pure functions (no Streamlit, no database), so each wording is tested on its own.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

__all__ = ["COMPONENT_LABELS", "COMPONENT_HELP", "reason_line", "trend_text", "score_text",
           "time_text", "as_datetime", "week_text", "minutes_text", "short_count", "shown_of",
           "md_escape", "plural", "rule_flags", "lang_text", "followers_text"]

# The score's components (graph.score.COMPONENTS), as a support lead reads them.
COMPONENT_LABELS = {
    "helpful_answers": "Answers",
    "confirmed_help": "Thanked",
    "negative_feedback": "Didn't work",
    "fix_amplification": "Fixes spread",
    "endorsement": "Brand endorsed",
    "network": "Network",
    "consistency": "Steady weeks",
    "responsiveness": "Speed",
}
COMPONENT_HELP = {
    "helpful_answers": "Points for answering other customers' help requests with content "
                       "(steps, a fact, a link to a fix)",
    "confirmed_help": "Points for each person who thanked them or said the answer worked",
    "negative_feedback": "Points taken off for each person who said the answer didn't work",
    "fix_amplification": "Points for spreading the brand's fixes, weighed by their audience",
    "endorsement": "Points for the brand thanking, retweeting or quoting them",
    "network": "Points for how central they are among the people around the support handles",
    "consistency": "Points for each week with help someone confirmed",
    "responsiveness": "Points for answering with a fix soon after the request",
}


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 person", "14 people", "3 fixes"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def short_count(n: int | float) -> str:
    """A count as people say it: 950, 12,400 -> 12k, 41,230 -> 41k, 2,300,000 -> 2.3M."""
    n = int(n)
    if n >= 1_000_000:
        return f"{n / 1e6:.1f}M".replace(".0M", "M")
    if n >= 10_000:
        return f"{n / 1e3:.0f}k"
    return f"{n:,}"


def minutes_text(minutes: float | None) -> str:
    """A duration in the unit a person reads it in: 12 min, 3.5 h, 2.1 days; "" for none."""
    if minutes is None:
        return ""
    if minutes < 60:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"


def reason_line(facts: dict[str, Any] | None, components: dict[str, float] | None = None) -> str:
    """Why someone ranks, in one line of plain words, from the counts behind their score
    ("answered 14 people, 9 thanked them; 3 fixes spread to 41k followers"). Runs stored before
    those counts existed have only the components: then it names the largest ones."""
    f = facts or {}
    parts = []
    helped, confirmed = f.get("helped") or 0, f.get("confirmed") or 0
    if helped:
        parts.append(f"answered {plural(helped, 'person', 'people')}"
                     + (f", {confirmed:,} thanked them" if confirmed else ""))
    elif confirmed:
        parts.append(f"{plural(confirmed, 'person', 'people')} thanked them")
    spread = f.get("fixes_spread") or 0
    if spread:
        reach = f.get("reach") or 0
        parts.append(f"{plural(spread, 'fix', 'fixes')} spread"
                     + (f" to {short_count(reach)} followers" if reach else ""))
    weeks = f.get("active_weeks") or 0
    if weeks > 1:
        parts.append(f"helped in {weeks} different weeks")
    lost = (components or {}).get("negative_feedback") or 0.0
    denied = (f.get("evidence_totals") or {}).get("negative_feedback") or 0
    if denied or (lost < 0 and parts):
        # What went wrong is said, and first when it weighs most: a line of thanks above a
        # score pulled negative by "didn't work" replies would hide why the score is low.
        bad = (f"{plural(denied, 'reply', 'replies')} said it didn't work" if denied
               else "replies said it didn't work") + f" ({lost:.1f} points)"
        gained = sum(v for v in (components or {}).values() if v and v > 0)
        parts.insert(0 if -lost >= gained else len(parts), bad)
    if parts:
        return "; ".join(parts)
    earned = sorted(((abs(v), v, k) for k, v in (components or {}).items() if v),
                    reverse=True)[:2]
    if earned:
        return "points from " + " and ".join(
            f"{COMPONENT_LABELS.get(k, k).lower()} ({v:.1f})" for _, v, k in earned)
    return "no helping in this window"


def rule_flags(why: str) -> list[str]:
    """Of a left-out account's reasons ("; "-joined), those a staff decision cannot change:
    a brand account, configured staff, staff by their bio, automated. The rest ("likely
    staff", "likely a business", a decision already made) are staff's to confirm or overrule."""
    return [f for f in (why or "").split("; ") if f and not f.startswith(
        ("likely", "staff (confirmed", "business (confirmed"))]


def trend_text(score: float | None, previous: float | None) -> str:
    """The change against the previous window as a number: "+2.3", "-1.0", "0.0", or "new"
    for someone with no score then."""
    if previous is None:
        return "new"
    delta = round((score or 0.0) - previous, 1)
    return "0.0" if delta == 0 else f"{delta:+.1f}"


def lang_text(code: str | None) -> str:
    """A tweet language code as the page shows it: X writes "und" (undetermined) for a tweet
    it could not tell, and "zxx" for one with no words (links, media only)."""
    return {"und": "undetermined", "zxx": "no words", None: "", "": ""}.get(code, code)


def followers_text(n: int | None) -> str:
    """A follower count; "unknown" where the source has none (the TWCS file, a stub user)."""
    return "unknown" if n is None else f"{n:,}"


def score_text(value: float | None) -> str:
    """A score or component at one decimal ("" when there is none)."""
    return "" if value is None else f"{value:.1f}"


def as_datetime(at: datetime | str | None) -> datetime | None:
    """A stored time as a naive UTC datetime (SQLite hands back text for raw SQL reads)."""
    if at is None or at == "":
        return None
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            return None
    return at.replace(tzinfo=None) if at.tzinfo is None else (
        at.astimezone(timezone.utc).replace(tzinfo=None))


def time_text(at: datetime | str | None) -> str:
    """A time to the minute ("2026-10-30 14:05"); "" for none."""
    when = as_datetime(at)
    if when is None:
        return at[:16] if isinstance(at, str) else ""
    return when.strftime("%Y-%m-%d %H:%M")


def week_text(at: datetime | str | None) -> str:
    """The ISO week a time falls in, as calendars print it: "2026-W43"."""
    if at is None or at == "":
        return ""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    year, week, _ = at.isocalendar()
    return f"{year}-W{week:02d}"


def shown_of(shown: int, total: int | None) -> str:
    """How much of a list is on screen: "25 of 143 shown", "all 12 shown"."""
    total = max(total or 0, shown)
    if shown >= total:
        return f"all {shown:,} shown" if shown != 1 else "1 shown"
    return f"{shown:,} of {total:,} shown"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&\"'])")


def md_escape(text: str) -> str:
    """Untrusted text (a username from a file) made literal for the few places Streamlit reads
    a label as Markdown (page links, buttons): every Markdown character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
