"""The champion score: a sum of named components, each computed from aggregated evidence.

Pure functions over ``graph.features.Features``: no SQL, no NetworkX.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from graph.features import Acts, Features, PairHelp, week_origin

__all__ = ["COMPONENTS", "Person", "Scored", "score_people", "exclusion_flags", "decay_weight",
           "audience_factor", "amplification", "amplification_units", "voice_flags", "helped_counts", "tier_of", "reviewable"]

COMPONENTS = ("helpful_answers", "confirmed_help", "negative_feedback", "fix_amplification",
              "endorsement", "network", "consistency", "responsiveness")

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
    helped: int = 0      # different people helped (counting in full)
    confirmed: int = 0   # of them, who confirmed the help


def decay_weight(week: float, window_days: float, half_life_days: float) -> float:
    """Weight of evidence from week ``week`` of the window (counted from its start; the first
    calendar week may begin before it, at a negative index): halves every half-life before
    the window's end."""
    age = max(0.0, window_days - (week + 0.5) * 7.0)
    return 0.5 ** (age / half_life_days) if half_life_days > 0 else 1.0


def audience_factor(followers: int) -> float:
    """How much new audience one share reaches: grows with followers, with diminishing returns
    (1 at none, 2 at ~1k, 4 at ~100k), so a large account counts more but cannot dominate."""
    return 1.0 + math.log10(1.0 + max(0, followers) / 100.0)


def _decayed(acts: Acts | None, window_days: float, half_life: float, origin: float) -> float:
    """``acts`` weighed by their age; their weeks are calendar weeks, ``origin`` the window's
    start among them (``graph.features.week_origin``)."""
    if acts is None:
        return 0.0
    return sum(n * decay_weight(wk - origin, window_days, half_life)
               for wk, n in acts.by_week.items())


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


def voice_flags(uid: int, voice: tuple[int, int, int, int, int] | None, r: dict[str, Any]
                ) -> list[str]:
    """Likely staff or a business, from the voice of the account's own tweets in the window:
    an agent's sign-offs and "DM us", or an organisation's "we" and product talk."""
    if not voice:
        return []
    n, agent, business, we, me = voice
    flags = []
    min_n, share = int(r["voice_min_tweets"]), float(r["voice_min_share"])
    if agent >= int(r["voice_min_agent_tweets"]) and agent >= share * n:
        flags.append(f"likely staff: {agent} of {n} tweets in a brand agent's voice "
                     "(sign-offs, \"DM us\")")
    elif ((business >= 1 and we >= min_n and we >= 0.4 * n)
          or (business >= min_n and business >= share * n)
          or (we >= 3 and we >= 0.4 * n and me == 0)):
        flags.append(f"likely a business: {max(business, we)} of {n} tweets speak as an "
                     "organisation (\"our ...\", \"we\")")
    return flags


CANNED_SHARE = 0.5  # of a helper's answers repeating another word for word


def amplification_units(f: Features, uid: int, window: float, half: float) -> float:
    """How many of the brand's fixes someone passed on, in units: a bare retweet of a fix a
    half, a quote (with their own words) three quarters, and one of their own posts pointing
    at a fix that others engaged with one. Retweets count by how selective the person is:
    whoever retweets everything the brand posts (promotions, giveaways) passes on no fix in
    particular, so their fix retweets count by the share of their retweets that are fixes."""
    origin = week_origin(f.start)
    rts = _decayed(f.retweets.get(uid), window, half, origin)
    quotes = _decayed(f.quotes.get(uid), window, half, origin)
    shares = _decayed(f.shares.get(uid), window, half, origin)
    every = (f.activity.get(uid) or {}).get("retweets", 0.0)
    fix_rts = sum(f.retweets[uid].by_week.values()) if uid in f.retweets else 0.0
    selective = min(1.0, fix_rts / every) if every > 0 else 1.0
    return 0.5 * rts * selective + 0.75 * quotes + shares


def amplification(units: float, followers: int, r: dict[str, Any]) -> float:
    """Points for spreading fixes: grow with the fixes spread and saturate
    (``amplify_max`` x (1 - e^(-units / amplify_scale))), times the audience reached
    (``audience_factor``, at most ``amplify_max_audience``): ten fixes passed on by a customer
    with no followers earn about as much as one person's unconfirmed answers at most (3), a
    flood of them about twice that, and a large audience up to 2.5 times more."""
    if units <= 0:
        return 0.0
    top, scale = float(r["amplify_max"]), float(r["amplify_scale"])
    reach = min(audience_factor(followers), float(r["amplify_max_audience"]))
    return top * (1.0 - math.exp(-units / scale)) * reach


def reviewable(flags: list[str]) -> bool:
    """Whether a person was left out by a call staff can confirm or overrule (likely staff,
    likely a business, or such a decision already made), not by configuration or automation."""
    return any(f.startswith(("likely", "staff (confirmed", "business (confirmed"))
               for f in flags)


def _pair_value(pair: PairHelp, r: dict[str, Any]) -> float:
    """One person helped: 1 for a fix, 3/4 for an explanation, a quarter more per follow-up
    answer up to the cap (so many answers to one person do not add up); unconfirmed, times how
    sure the help model is that the answers are help (its surest reading; 1 for a fix link).
    The person's thanks settles it: confirmed help counts in full."""
    extra = min(pair.answers, int(r["max_answers_per_person"])) - 1
    return ((1.0 if pair.fixes else 0.75) * (1.0 + 0.25 * max(0, extra))
            * (1.0 if pair.confirmed else pair.confidence))


def helped_counts(f: Features, uid: int) -> tuple[int, int]:
    """(people helped, of them confirmed), counting only people the help fully counts for."""
    people = f.help.get(uid, {})
    trusted = [pair for pair in people.values() if pair.weight >= 0.5]
    return len(trusted), sum(1 for pair in trusted if pair.confirmed)


def score_people(f: Features, people: dict[int, Person], ppr: dict[int, float],
                 weights: dict[str, float], r: dict[str, Any], *, staff: set[str],
                 brand_names: set[str], labels: dict[int, str] | None = None
                 ) -> dict[int, Scored]:
    """Score everyone with evidence of helping; flagged people are scored but not ranked.

    ``labels`` are staff decisions about accounts (``store.accounts``): ``customer`` clears the
    behavioural flags, ``staff`` and ``business`` set them.
    """
    labels = labels or {}
    window = (f.end - f.start).total_seconds() / 86400.0
    half = float(r["half_life_days"])
    origin = week_origin(f.start)
    candidates = f.candidates()
    base_ppr = max((ppr.get(u, 0.0) for u in candidates), default=0.0)
    out: dict[int, Scored] = {}
    for uid in candidates:
        p = people.get(uid) or Person(uid, None)
        pairs = f.help.get(uid, {})
        sure = unsure = confirmed = denied = 0.0
        weeks: set[int] = set()
        for pair in pairs.values():
            decay = decay_weight(pair.week - origin, window, half)
            value = _pair_value(pair, r) * pair.weight * decay
            if pair.confirmed:
                sure += value
                # One confirmation per person: thanking every answer does not multiply it.
                confirmed += pair.weight * decay
                if pair.weight >= 0.5:
                    weeks |= pair.weeks
            else:
                unsure += value
            denied += (1.0 if pair.denied and not pair.confirmed else 0.0) * decay
        # Unconfirmed answers count with diminishing returns (a logarithm). When most answers
        # are one pasted reply, unconfirmed ones count a quarter and confirmed ones half:
        # volume alone cannot win, and a link pasted under every request is not a champion.
        if f.canned.get(uid, 0.0) >= CANNED_SHARE:
            unsure *= 0.25
            sure *= 0.5
            confirmed *= 0.5
        # Unconfirmed answers saturate: together they are worth at most one confirmed
        # person's answer (3 points), however many there are. Nobody thanked them, and
        # "switch to Android" under fifty requests must not outscore one real, thanked fix.
        cap = float(r["unconfirmed_cap"])
        helped = sure + (cap * (1.0 - math.exp(-unsure / cap)) if cap > 0 else 0.0)
        spread = amplification_units(f, uid, window, half)
        n_people, n_confirmed = helped_counts(f, uid)
        # Network position, consistency and speed describe a helper: someone whose help was
        # confirmed at least once.
        helper = n_confirmed >= 1
        n_fix = sum(pair.fixes for pair in pairs.values())
        resp = 0.0
        if n_fix and uid in f.answer_latency:
            hours = f.answer_latency[uid] / 3600.0
            resp = min(1.0, n_fix / 3.0) / (1.0 + hours / 2.0)
        raw = {
            "helpful_answers": math.sqrt(helped),
            "confirmed_help": confirmed,
            "negative_feedback": denied,
            "fix_amplification": amplification(spread, p.followers, r),
            # At most five endorsements count: a brand's favour is a signal, not a currency.
            "endorsement": min(5.0, _decayed(f.endorsements.get(uid), window, half, origin)),
            # Only for someone who helped: sitting near the brand (as a loud complainer does)
            # is not a helper's position.
            "network": (10.0 * ppr.get(uid, 0.0) / base_ppr
                        if base_ppr > 0 and helper else 0.0),
            "consistency": float(min(len(weeks), 8)) if helper else 0.0,
            "responsiveness": resp if helper else 0.0,
        }
        components = {k: round(weights[k] * raw[k], 3) + 0.0 for k in COMPONENTS}
        score = round(sum(components.values()), 3)
        flags = exclusion_flags(p, f.activity.get(uid), staff, brand_names, r)
        label = labels.get(uid)
        if label == "customer":
            pass  # staff overruled the behavioural flags
        elif label in ("staff", "business"):
            flags.append(f"{label} (confirmed by staff)")
        else:
            flags.extend(voice_flags(uid, f.voice.get(uid), r))
        out[uid] = Scored(p, components, score, flags, n_people, n_confirmed)
    return out


def tier_of(score: float, previous: float | None, r: dict[str, Any], helped: int = 0,
            confirmed: int = 0) -> str:
    """Absolute tiers that need evidence, so one outlier cannot demote everyone else:
    **champion**: a high score, several people helped, at least one of them confirmed it;
    **rising**: well up on the previous window, with help someone confirmed."""
    if (score >= r["champion_min_score"] and helped >= r["champion_min_helped"]
            and confirmed >= r["champion_min_confirmed"]):
        return "champion"
    if (score >= r["rising_min_score"] and helped >= r["rising_min_helped"]
            and confirmed >= r["rising_min_confirmed"]
            and (previous is None or previous <= 0 or score >= r["rising_growth"] * previous)):
        return "rising"
    return "occasional" if score > 0 else "inactive"
