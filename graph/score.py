"""The champion score: a sum of named components, each computed from aggregated evidence.

Pure functions over ``graph.features.Features``: no SQL, no NetworkX.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from graph.features import Acts, Features

__all__ = ["COMPONENTS", "Person", "Scored", "score_people", "exclusion_flags", "decay_weight",
           "audience_factor"]

COMPONENTS = ("helpful_answers", "confirmed_help", "negative_feedback", "fix_amplification",
              "endorsement", "network", "consistency", "responsiveness")

OTHER_THANKS = 0.25
_BOT_WORDS = re.compile(r"\b(bot|robot|automated|auto-?(re)?tweets?|auto-?post(s|ing)?)\b", re.I)
_BOT_NAME = re.compile(r"(^bot|bot$|_bot|bot_)", re.I)
_WORK_WORDS = re.compile(
    r"\b(i work (at|for|on)|work(ing)? (at|for)|employee|staff|support (agent|team|rep)|"
    r"team member|community manager|moderator|official)\b", re.I)


@dataclass(frozen=True)
class Person:
    id: int
    username: str | None
    name: str | None = None
    description: str | None = None
    followers: int = 0
    is_brand: bool = False


@dataclass
class Scored:
    person: Person
    components: dict[str, float]
    score: float
    flags: list[str] = field(default_factory=list)


def decay_weight(week: int, window_days: float, half_life_days: float) -> float:
    """Weight of evidence from week ``week`` of the window: halves every half-life before the
    window's end."""
    age = max(0.0, window_days - (week + 0.5) * 7.0)
    return 0.5 ** (age / half_life_days) if half_life_days > 0 else 1.0


def audience_factor(followers: int) -> float:
    """How much new audience one share reaches: grows with followers, with diminishing returns
    (1 at none, 2 at ~1k, 4 at ~100k), so a large account counts more but cannot dominate."""
    return 1.0 + math.log10(1.0 + max(0, followers) / 100.0)


def _decayed(acts: Acts | None, window_days: float, half_life: float) -> float:
    if acts is None:
        return 0.0
    return sum(n * decay_weight(wk, window_days, half_life) for wk, n in acts.by_week.items())


def exclusion_flags(p: Person, activity: dict[str, float] | None, staff: set[str],
                    brand_names: set[str], r: dict[str, float]) -> list[str]:
    """Why a person is never ranked: brand, staff, or an automated account."""
    flags = []
    name = (p.username or "").lower()
    if p.is_brand:
        flags.append("brand account")
    if name in staff:
        flags.append("staff (configured)")
    bio = p.description or ""
    if _WORK_WORDS.search(bio) and any(b and b in bio.lower() for b in brand_names):
        flags.append("staff (says so in their bio)")
    if _BOT_WORDS.search(bio) or _BOT_WORDS.search(p.name or "") or _BOT_NAME.search(name):
        flags.append("automated: describes itself as a bot")
    a = activity or {}
    tweets, rts = a.get("tweets", 0.0), a.get("retweets", 0.0)
    if tweets >= r["bot_min_tweets"] and rts / tweets >= r["bot_retweet_share"]:
        flags.append(f"automated: {rts / tweets:.0%} of its tweets are retweets")
    if rts >= 5 and a.get("fast_retweets", 0.0) / rts >= r["bot_fast_share"]:
        flags.append("automated: retweets within seconds of the original")
    if a.get("peak_day", 0.0) >= r["bot_daily_volume"]:
        flags.append(f"automated: {a['peak_day']:.0f} tweets in one day")
    return flags


def score_people(f: Features, people: dict[int, Person], ppr: dict[int, float],
                 weights: dict[str, float], r: dict[str, float], *, staff: set[str],
                 brand_names: set[str]) -> dict[int, Scored]:
    """Score everyone with evidence of helping; flagged people are scored but not ranked."""
    window = (f.end - f.start).total_seconds() / 86400.0
    half = float(r["half_life_days"])
    candidates = f.candidates()
    base_ppr = max((ppr.get(u, 0.0) for u in candidates), default=0.0)
    out: dict[int, Scored] = {}
    for uid in candidates:
        p = people.get(uid) or Person(uid, None)
        ans = f.answers.get(uid)
        fixes = f.fix_answers.get(uid)
        weighted_answers = 0.0
        for wk, n in (ans.by_week.items() if ans else ()):
            nf = fixes.by_week.get(wk, 0.0) if fixes else 0.0
            weighted_answers += (nf + 0.5 * (n - nf)) * decay_weight(wk, window, half)
        amp = sum(n * decay_weight(wk, window, half)
                  for wk, n in (f.amplifications[uid].by_week.items()
                                if uid in f.amplifications else ()))
        weeks = set()
        for source in (f.answers, f.amplifications):  # weeks they acted, not were thanked
            if uid in source:
                weeks.update(wk for wk, n in source[uid].by_week.items() if n > 0)
        acted = uid in f.answers or uid in f.amplifications
        n_fix = fixes.total if fixes else 0.0
        resp = 0.0
        if n_fix and uid in f.answer_latency:
            hours = f.answer_latency[uid] / 3600.0
            resp = min(1.0, n_fix / 3.0) / (1.0 + hours / 2.0)
        raw = {
            "helpful_answers": math.sqrt(weighted_answers),
            # Thanks from the person helped count in full. Anyone else's ("this helped me
            # too", shout-outs) count a quarter, and only for someone who helped or spread a
            # fix in the window: thanks for a follow are not thanks for help.
            "confirmed_help": _decayed(f.thanks.get(uid), window, half) + (
                OTHER_THANKS * _decayed(f.other_thanks.get(uid), window, half)
                if acted else 0.0),
            "negative_feedback": _decayed(f.negatives.get(uid), window, half),
            "fix_amplification": amp * audience_factor(p.followers),
            "endorsement": _decayed(f.endorsements.get(uid), window, half),
            # Only for someone who helped or spread a fix: sitting near the brand (as a loud
            # complainer does) is not a helper's position.
            "network": (10.0 * ppr.get(uid, 0.0) / base_ppr
                        if base_ppr > 0 and acted else 0.0),
            "consistency": float(len(weeks)),
            "responsiveness": resp,
        }
        components = {k: round(weights[k] * raw[k], 3) + 0.0 for k in COMPONENTS}
        score = round(sum(components.values()), 3)
        flags = exclusion_flags(p, f.activity.get(uid), staff, brand_names, r)
        out[uid] = Scored(p, components, score, flags)
    return out


def tier_of(score: float, previous: float | None, r: dict[str, Any],
            top_score: float = 0.0) -> str:
    """Champion: a high score in absolute terms and next to the community's best (scores scale
    with a community's size and activity); rising: well up on the previous window."""
    if score >= max(r["champion_min_score"], r["champion_share_of_top"] * top_score):
        return "champion"
    if score >= r["rising_min_score"] and (previous is None or previous <= 0
                                           or score >= r["rising_growth"] * previous):
        return "rising"
    return "occasional" if score > 0 else "inactive"
