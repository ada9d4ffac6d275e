"""``python -m graph explain``: one person's score, component by component, with the evidence
that earned each."""

from __future__ import annotations

import json
import sys

from sqlalchemy import Engine, select, text

from graph.wording import minutes_text, reason_line, score_text
from graph.score import COMPONENTS
from store.models import RankingRun
from untrusted import printable

EXIT_OK, EXIT_FAILED = 0, 1  # as graph.cli's


def explain(engine: Engine, username: str) -> int:
    """Print one person's score in the latest run, component by component, with evidence."""
    name = username.lstrip("@").lower()
    shown = printable(name, 40)  # typed or pasted: shown as text, never as terminal codes
    with engine.connect() as conn:
        run = conn.execute(select(RankingRun.id, RankingRun.window_start,
                                  RankingRun.window_end).order_by(RankingRun.id.desc())
                           .limit(1)).first()
        if run is None:
            print("no ranking run yet: run `python -m graph rank` first", file=sys.stderr)
            return EXIT_FAILED
        row = conn.execute(text(
            "SELECT s.user_id, u.username, s.rank, s.score, s.components, s.tier,"
            " s.previous_score, s.community, s.lang, s.flags, s.facts FROM champion_scores s"
            " JOIN users u ON u.id = s.user_id WHERE s.run_id = :r AND lower(u.username) = :n"),
            {"r": run.id, "n": name}).first()
        if row is None:
            stored = conn.execute(text("SELECT 1 FROM users WHERE lower(username) = :n"),
                                  {"n": name}).first() is not None
            # A typo and a quiet customer need different next steps: say which this is.
            why = (f"@{shown} is stored but had no helping evidence in "
                   f"{run.window_start:%Y-%m-%d} .. {run.window_end:%Y-%m-%d}" if stored else
                   "no such username is stored at all: check the spelling")
            print(f"no one with the username @{shown} in ranking run {run.id} ({why})",
                  file=sys.stderr)
            return EXIT_FAILED
        ev = conn.execute(text(
            "SELECT e.component, e.tweet_id, o.username, t.text, t.created_at, e.points"
            " FROM score_evidence e"
            " LEFT JOIN users o ON o.id = e.other_user_id LEFT JOIN tweets t ON t.id = e.tweet_id"
            " WHERE e.run_id = :r AND e.user_id = :u ORDER BY e.id"),
            {"r": run.id, "u": row.user_id}).all()
    comps = json.loads(row.components)
    rank = f"#{row.rank}" if row.rank else "not ranked"
    # Scores and components are written as the dashboard writes them (one decimal).
    print(f"@{printable(row.username, 40)}: {rank}, score {score_text(row.score)}, "
          f"tier {row.tier}"
          + (f", previous window {score_text(row.previous_score)}"
             if row.previous_score is not None else "")
          + (f", community {row.community}" if row.community is not None else "")
          + (f", language {row.lang}" if row.lang else ""))
    facts = json.loads(row.facts) if row.facts else {}
    totals = facts.get("evidence_totals", {})
    if facts:
        print("  " + reason_line(facts, comps))
    if row.flags:
        print("left out: " + "; ".join(json.loads(row.flags)))
        _print_items("flags", [e for e in ev if e.component == "flags"], totals, 5)
    for c in COMPONENTS:
        items = [e for e in ev if e.component == c]
        print(f"  {c:<18} {score_text(comps.get(c, 0.0)):>8}")
        _print_items(c, items, totals, 10)
    print(f"  {'= score':<18} {score_text(row.score):>8}")
    return EXIT_OK


def _print_items(component: str, items: list, totals: dict[str, int], show: int) -> None:
    """A component's own evidence, once, with how many acts there are in all."""
    if not items:
        return
    total = max(totals.get(component, 0), len(items))
    what = _WHAT.get(component, "tweets")
    print(f"      {min(show, len(items))} of {total} {what} shown")
    for e in items[:show]:
        who = f" <-> @{e.username}" if e.username else ""
        print(f"      {e.tweet_id}{who}{_value(component, e)}: {printable(e.text, 90)}")


# What each component's acts are (see graph.features.Evidence).
_WHAT = {"helpful_answers": "answers", "confirmed_help": "thanks",
         "negative_feedback": "replies saying it did not work",
         "fix_amplification": "fix shares", "endorsement": "brand endorsements",
         "network": "people helped", "consistency": "active weeks",
         "responsiveness": "answers with a fix", "flags": "tweets in a brand's voice"}


def _value(component: str, e) -> str:
    if e.points is None:
        return ""
    if component == "responsiveness":
        return f" (answered {minutes_text(e.points)} after the request)"
    if component == "consistency" and e.created_at is not None:
        return f" (in the week of {str(e.created_at)[:10]})"
    return ""
