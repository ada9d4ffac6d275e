"""``python -m graph``: rank, explain, evaluate. Flags are a public interface.

Exit codes: 0 done, 1 failed, 2 bad usage, 3 partial (an export cut by the daily cap).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, text

from graph.explain import explain
from graph.evaluate import HELPER, evaluate, evaluate_labels, load_labels, load_truth
from untrusted import printable, write_csv
from graph.rank import RankingResult, run_ranking
from outreach.contact import os_user
from outreach.export import DAILY_USER_CAP, EXPORT_COLUMNS, export_rows, exported_today
from graph.score import COMPONENTS
from settings import SettingsError, add_common_args, database_url, parse_days, settings_or_exit
from store.db import make_engine, utcnow
from store.migrate import SchemaError, check
from store.models import ExportLog

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _window(p: argparse.ArgumentParser) -> None:
    p.add_argument("--window", help="time window, e.g. 90d (default: ranking.window in settings)")
    p.add_argument("--end", type=datetime.fromisoformat,
                   help="end of the window, YYYY-MM-DD[THH:MM] (default: the newest tweet)")
    p.add_argument("--backend", help="NetworkX backend for PageRank and Louvain (e.g. parallel, "
                   "cugraph, graphblas) where installed")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m graph",
                                     description="Rank the community champions.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("rank", help="rank the champions and store the run",
                       description="Classify tweets, score everyone who helped in the window, "
                       "store the run, and print (or write) the ranking.")
    p.add_argument("--top", type=int, default=20, help="how many to print (default 20)")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="write the whole ranking as CSV")
    _window(p)
    add_common_args(p)
    p = sub.add_parser("export", help="the outreach CSV (do-not-contact left out, daily cap)",
                       description="Write the latest ranking's contactable people as CSV for "
                       "outreach. Do-not-contact people are never exported, and people contacted "
                       "within [outreach] cooldown_days are left out unless --include-cooldown. "
                       "X's developer policy caps exports at 500 users per person per day: the "
                       "cap counts against the operating-system account running this command "
                       "(not $USER, not a name given on the command line).")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    # --as once named who the export was for, and the cap trusted it: it is refused now.
    p.add_argument("--as", dest="claimed_actor", help=argparse.SUPPRESS)
    p.add_argument("--top", type=int, help="only the first N ranked")
    p.add_argument("--tier", action="append", choices=["champion", "rising", "occasional",
                   "lapsed"], help="only these tiers (repeatable)")
    p.add_argument("--include-cooldown", action="store_true",
                   help="also export people contacted within the cooldown")
    add_common_args(p)
    p = sub.add_parser("explain", help="one person's score, component by component, with evidence",
                       description="Show a person's components from the latest ranking run and "
                       "the tweets that earned each.")
    p.add_argument("username")
    add_common_args(p)
    p = sub.add_parser("evaluate", help="score the ranking against labels, beside baselines",
                       description="Rank (without storing the run), then report average "
                       "precision and precision@k against hand labels or planted champions, "
                       "beside naive baselines (followers, mention in-degree, plain PageRank).")
    truth = p.add_mutually_exclusive_group(required=True)
    truth.add_argument("--labels", type=Path, metavar="FILE.csv",
                       help="hand labels: CSV with columns user,label; 'helper' rows are the "
                       "people who should rank (other labels: business, staff, banter, ...)")
    truth.add_argument("--truth", type=Path,
                       help="planted champions: JSON list, JSON object with 'champions', or one "
                       "username per line")
    p.add_argument("--k", type=int, help="k for precision@k (default: 10 with --labels, the "
                   "number planted with --truth)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _window(p)
    add_common_args(p)
    return parser


def csv_rows(result: RankingResult) -> tuple[list[str], list[list]]:
    header = ["rank", "username", "score", *COMPONENTS, "tier", "previous_score", "community",
              "lang", "followers", "user_id"]
    rows = [[p.rank, p.username, p.score, *[p.components[c] for c in COMPONENTS], p.tier,
             p.previous_score, p.community, p.lang, p.followers, p.user_id]
            for p in result.ranked]
    return header, rows


def _rank(args, settings, engine, *, store: bool = True) -> RankingResult:
    days = parse_days(args.window) if args.window else None
    return run_ranking(engine, settings, window_days=days, end=args.end, backend=args.backend,
                       store=store)


def cmd_rank(args, settings, engine) -> int:
    result = _rank(args, settings, engine)
    code = EXIT_OK
    if args.out:
        code = _write_ranking(engine, result, args.out)
    print(f"ranking run {result.run_id}: {result.start:%Y-%m-%d} .. {result.end:%Y-%m-%d}, "
          f"{len(result.ranked)} ranked, "
          f"{sum(1 for p in result.people if p.flags)} left out"
          " (brand, staff, businesses, automated); "
          f"{result.timings['total']:.1f} s")
    if result.abstain:
        print(f"no champion named: {result.abstain}")
    for p in result.ranked[:args.top]:
        trend = "" if p.previous_score is None else f" ({p.score - p.previous_score:+.1f})"
        print(f"{p.rank:>4}. @{p.username or p.user_id:<20} {p.score:8.2f}{trend:>9}  {p.tier}")
    return code


def _write_ranking(engine, result: RankingResult, out: Path) -> int:
    """The whole ranking as CSV: an export of people like any other, so do-not-contact people
    are left out and the rows count against the exporter's daily cap (X's policy)."""
    header, rows = csv_rows(result)
    with engine.connect() as conn:
        dnc = {r[0] for r in conn.execute(text(
            "SELECT user_id FROM outreach WHERE status = 'do-not-contact'"))}
    rows = [row for p, row in zip(result.ranked, rows) if p.user_id not in dnc]
    who = os_user()
    allowed = max(0, DAILY_USER_CAP - exported_today(engine, who))
    kept = rows[:allowed]
    write_csv(out, header, kept)
    if kept:
        with engine.begin() as conn:
            conn.execute(insert(ExportLog).values(actor=who, at=utcnow(), users=len(kept),
                                                  ranking_run_id=result.run_id))
    left_out = len(dnc & {p.user_id for p in result.ranked})
    print(f"wrote {len(kept)} people to {out}"
          + (f" ({left_out} do-not-contact left out)" if left_out else ""))
    if len(kept) < len(rows):
        print(f"the daily cap ({DAILY_USER_CAP} users per person per day, X's policy) cut "
              f"{len(rows) - len(kept)} people from {out}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def cmd_export(args, settings, engine) -> int:
    who = os_user()
    if args.claimed_actor is not None:
        print(f"error: --as is no longer accepted: the daily cap counts against the account "
              f"running the export ({who}); run it as the person it is for", file=sys.stderr)
        return EXIT_USAGE
    cooldown = settings.outreach.cooldown_days
    got = export_rows(engine, who, top=args.top, tiers=tuple(args.tier) if args.tier else None,
                      cooldown_days=cooldown, include_cooldown=args.include_cooldown)
    write_csv(args.out, EXPORT_COLUMNS, got.rows)
    print(f"exported {len(got.rows)} people to {args.out} for {who}; "
          f"{got.remaining_today} more allowed today (X's policy: {DAILY_USER_CAP} users per "
          "person per day)")
    if got.do_not_contact or got.cooldown:
        print(f"left out: {got.do_not_contact} do-not-contact, {got.cooldown} contacted in the "
              f"last {cooldown} days" + (" (--include-cooldown adds them)" if got.cooldown
                                          else ""))
    if got.capped:
        print(f"the daily cap cut {got.wanted - len(got.rows)} people from this export",
              file=sys.stderr)
        return EXIT_FAILED if not got.rows else EXIT_PARTIAL
    return EXIT_OK


def cmd_explain(args, settings, engine) -> int:
    return explain(engine, args.username)


def cmd_evaluate(args, settings, engine) -> int:
    if args.labels:
        return _evaluate_labels(args, settings, engine)
    truth = load_truth(args.truth)
    if not truth["champions"]:
        print(f"error: {args.truth}: no planted champions found", file=sys.stderr)
        return EXIT_USAGE
    # An evaluation is not a ranking staff should see: it is not stored.
    result = _rank(args, settings, engine, store=False)
    ranked = [(p.username or "").lower() for p in result.ranked]
    report = evaluate(ranked, truth, engine, args.k)
    if args.json:
        print(json.dumps(report, indent=2))
        return EXIT_OK
    print(f"planted champions: {report['planted']}, k = {report['k']}")
    print(f"{'method':<18} {'precision@k':>12} {'avg precision':>14}  forbidden in top k")
    for name, m in report["methods"].items():
        print(f"{name:<18} {m['precision_at_k']:>12.3f} {m['average_precision']:>14.3f}  "
              f"{', '.join(m['forbidden_in_top_k']) or '-'}")
    return EXIT_OK


def _evaluate_labels(args, settings, engine) -> int:
    try:
        labels = load_labels(args.labels)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if HELPER not in labels.values():
        print(f"error: {args.labels}: no row is labelled 'helper'", file=sys.stderr)
        return EXIT_USAGE
    result = _rank(args, settings, engine, store=False)
    ranked = [(p.username or "").lower() for p in result.ranked]
    report = evaluate_labels(ranked, labels, engine, args.k or 10)
    report["abstain"] = result.abstain
    if args.json:
        print(json.dumps(report, indent=2))
        return EXIT_OK
    print(f"labels: {report['labelled']} people, {report['helpers']} helpers; k = {report['k']}"
          + (f"; the ranking abstains: {result.abstain}" if result.abstain else ""))
    print(f"{'method':<18} {'avg precision':>14} {'precision@k':>12}  non-helpers in the top k")
    for name, m in report["methods"].items():
        others = ", ".join(f"#{o['rank']} {printable(o['user'], 20)} ({o['label']})"
                           for o in m["non_helpers_in_top_k"]) or "-"
        print(f"{name:<18} {m['average_precision']:>14.3f} {m['precision_at_k']:>12.3f}  {others}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings_or_exit(args.config)
    engine = make_engine(database_url(args.db))
    try:
        check(engine)  # rankings read the schema; only the schema step changes it
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        return {"rank": cmd_rank, "explain": cmd_explain, "evaluate": cmd_evaluate,
                "export": cmd_export}[
            args.command](args, settings, engine)
    except (ValueError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
