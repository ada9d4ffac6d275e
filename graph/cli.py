"""``python -m graph``: rank, explain, evaluate, export, response-times, train-help. Flags are a public
interface.

Exit codes: 0 done, 1 failed, 2 bad usage, 3 partial (an export cut by the daily cap), 141 the
reader of the output went away (``| head``): the output is cut, quietly, as any Unix tool's
killed by SIGPIPE (128 + 13), so ``set -o pipefail`` scripts can tell. A ranking is stored
before anything is printed, so a closed pipe never loses a run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from settings import SettingsError, add_common_args, database_url, parse_days, settings_or_exit
from untrusted import printable, write_csv

if TYPE_CHECKING:
    from graph.rank import RankingResult

# Each command imports what it uses when it runs (NetworkX, SQLAlchemy, the ranking), so
# `--help` does not wait for them (benchmarks/startup_bench.py).

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_PIPE = 141  # 128 + SIGPIPE: the reader of the output went away


def _window(p: argparse.ArgumentParser) -> None:
    p.add_argument("--window", help="time window, e.g. 90d (default: ranking.window in settings)")
    p.add_argument("--end", type=datetime.fromisoformat,
                   help="end of the window, YYYY-MM-DD[THH:MM] (default: the newest tweet)")
    p.add_argument("--backend", help="NetworkX backend for PageRank and Louvain (e.g. parallel, "
                   "cugraph, graphblas) where installed")


def _progress_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show the ranking's steps on stderr (default: only when stderr is a "
                   "terminal)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m graph",
                                     description="Rank the community champions.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("rank", help="rank the champions and store the run",
                       description="Classify tweets, score everyone who helped in the window, "
                       "store the run, and print (or write) the ranking. With nothing new "
                       "since the last run (and the same settings and window), that run is "
                       "the ranking; otherwise only the people something changed for are "
                       "read again (the same figures as from scratch).")
    p.add_argument("--top", type=int, default=20, help="how many to print (default 20)")
    p.add_argument("--scratch", action="store_true",
                   help="read every person again, keeping nothing from the last run")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="write the whole ranking as CSV")
    _window(p)
    _progress_flag(p)
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
    truth.add_argument("--suite", action="store_true",
                       help="rank every labelled set the project keeps (real TWCS stretches, the "
                       "demo, the gaming and amplifier communities, the abstaining samples), each "
                       "in a fresh database, and print one table; exit 1 when any set falls "
                       "below its floor (--db is not used)")
    truth.add_argument("--export-labels", type=Path, metavar="FILE.csv",
                       help="rank nothing: write staff's corrections (the marks made on person "
                       "pages) as labels, one row per tweet and role: answers help/not_help "
                       "(train-help --data reads them as a set of their own), thanks "
                       "thanks/not_thanks, \"didn't work\" negative/not_negative")
    p.add_argument("--realdata", type=Path, default=Path(__file__).resolve().parent.parent.parent
                   / "shared" / "realdata", help="with --suite: where the real files are "
                   "(default ../shared/realdata)")
    p.add_argument("--only", action="append", metavar="SET",
                   help="with --suite: only this set (repeatable)")
    p.add_argument("--k", type=int, help="k for precision@k (default: 10 with --labels, the "
                   "number planted with --truth)")
    p.add_argument("--json", action="store_true", help="print JSON")
    _window(p)
    _progress_flag(p)
    add_common_args(p)
    p = sub.add_parser("response-times", help="how fast help requests get a first answer, and "
                       "from whom (staff, champions, the community); the champions' share",
                       description="For a ranking window, per support handle and language: "
                       "customers' help requests to the support handles, who answered first "
                       "(staff, a champion, another community member, nobody), the median and "
                       "90th-percentile minutes to the first answer, a weekly trend; the "
                       "champions' share (requests first answered by a champion) beside the "
                       "community's (by any community member); the staff time saved (requests "
                       "staff never had to answer x [response] staff_minutes_per_request); and "
                       "the unanswered queue in conversations. Without --window/--end: the "
                       "latest ranking run's window. Tiers, staff flags and the requests' roles "
                       "come from the ranking, so rank first: with no ranking run stored, or "
                       "with tweets in the window imported since the last run, this prints "
                       "nothing and exits 1 with 'rank first' (a cron job should run `python -m "
                       "graph rank` before it). An unknown --handle exits 2.")
    p.add_argument("--handle", help="only requests to this support handle (@AcmeHelp or "
                   "acmehelp: case does not matter)")
    p.add_argument("--json", action="store_true", help="print JSON (for monitoring)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show the steps on stderr (default: only when stderr is a terminal)")
    p.add_argument("--window", help="time window, e.g. 90d (default: the latest ranking run's; "
                   "with --end alone, ranking.window in settings)")
    p.add_argument("--end", type=datetime.fromisoformat,
                   help="end of the window, YYYY-MM-DD[THH:MM] (default: the latest ranking "
                   "run's; with --window alone, the newest tweet)")
    add_common_args(p)
    p = sub.add_parser("train-help", help="train the help model on labelled replies; "
                       "cross-validation by file",
                       description="Train graph/models/help.npz (which replies to another "
                       "customer's request are help) on labelled CSVs (columns reply or text, "
                       "label help/not_help, lang), leaving out each file in turn to report how "
                       "the model does on a source it never saw. --test files are only scored. "
                       "--from-db adds staff's corrections (answer overrides) from that database "
                       "as one more source.")
    p.add_argument("--data", type=Path, nargs="+", required=True, metavar="FILE.csv")
    p.add_argument("--test", type=Path, nargs="*", default=[], metavar="FILE.csv")
    p.add_argument("--from-db", metavar="URL", help="add staff corrections from this database")
    p.add_argument("--threshold", type=float, default=0.5,
                   help="probability above which a reply is help (default 0.5)")
    p.add_argument("--out", type=Path, help="where to write the model (default: the shipped "
                   "graph/models/help.npz); --dry-run writes nothing")
    p.add_argument("--dry-run", action="store_true", help="report only")
    p.add_argument("--realdata", type=Path, default=Path(__file__).resolve().parent.parent.parent
                   / "shared" / "realdata", help="where labelled real tweets (file, tweet_id) "
                   "are read from (default ../shared/realdata)")
    add_common_args(p)
    return parser


def csv_rows(result: RankingResult) -> tuple[list[str], list[list]]:
    from graph.score import COMPONENTS

    header = ["rank", "username", "score", *COMPONENTS, "tier", "previous_score", "community",
              "lang", "followers", "user_id"]
    rows = [[p.rank, p.username, p.score, *[p.components[c] for c in COMPONENTS], p.tier,
             p.previous_score, p.community, p.lang, p.followers, p.user_id]
            for p in result.ranked]
    return header, rows


def _rank(args, settings, engine, *, store: bool = True) -> RankingResult:
    from graph.rank import run_ranking

    from graph.rank import RANKING_STEPS

    days = parse_days(args.window) if args.window else None
    steps = len(RANKING_STEPS) - (0 if store else 1)  # the last step stores the run
    with _step_bar(getattr(args, "progress", None), steps, "ranking") as step:
        return run_ranking(engine, settings, window_days=days, end=args.end,
                           backend=args.backend, store=store, progress=step,
                           scratch=getattr(args, "scratch", False))


@contextmanager
def _step_bar(show: bool | None, total: int, desc: str) -> Iterator[Callable[[str], None]]:
    """A ``progress`` callback (``run_ranking``'s, ``response_times``') drawing a tqdm bar on
    stderr: one tick per step, the step's name as its description. As ingest's bars, it is
    off when stderr is not a terminal unless ``show`` (``--progress``) is True, and it never
    writes to stdout."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, disable=None if show is None else not show,
               file=sys.stderr,
               bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} steps [{elapsed}]")
    named: list[str] = []

    def step(name: str) -> None:
        bar.set_description_str(name, refresh=False)
        bar.n = len(named)  # a step starts when the one before it ends: one line drawn
        named.append(name)
        bar.refresh()

    with bar:
        yield step
        bar.n = len(named)  # the last step ended when the work returned; closing draws it


def cmd_rank(args, settings, engine) -> int:
    from graph.wording import score_text, trend_text
    from store.indexes import missing, missing_note

    gone = missing(engine)
    if gone:  # a first import running, or one that was killed: say why this is slow
        print(f"warning: {missing_note(len(gone))}", file=sys.stderr)
    result = _rank(args, settings, engine)
    code = EXIT_OK
    if args.out:
        code = _write_ranking(engine, result, args.out, settings.outreach.cooldown_days)
    how = {"incremental": f"; {int(result.timings.get('people_read_again', 0)):,} people read "
                          "again, the rest kept from the last run",
           "scratch": "; everyone read" + (
               f" ({result.timings['churn']:.1%} of the tweets changed since the last run:"
               " one pass is cheaper than reading them person by person)"
               if "churn" in result.timings else ""),
           "reused": "; nothing new since this run was made (the same data, settings and "
                     "window): it stands"}[result.made]
    print(f"ranking run {result.run_id}: {result.start:%Y-%m-%d} .. {result.end:%Y-%m-%d}, "
          f"{len(result.ranked)} ranked, "
          f"{sum(1 for p in result.people if p.flags)} left out"
          " (brand, staff, businesses, automated); "
          f"{result.timings['total']:.1f} s{how}")
    if result.abstain:
        print(f"no champion named: {result.abstain}")
    shown = result.ranked[:args.top]
    if shown:
        print(f"{'rank':>5} {'username':<21} {'score':>8} {'trend':>9}  tier")
    for p in shown:
        # Scores and trends are written as the dashboard writes them (one decimal).
        trend = trend_text(p.score, p.previous_score)
        name = printable(p.username or str(p.user_id), 20)
        print(f"{p.rank:>4}. @{name:<20} {score_text(p.score):>8} {trend:>9}  {p.tier}")
    return code


def _write_ranking(engine, result: RankingResult, out: Path, cooldown_days: int) -> int:
    """The whole ranking as CSV: an export of people like any other, so do-not-contact people
    are left out, people in the contact cooldown say so (a ``contact`` column: "cooldown
    until ..."), and the rows count against the exporter's daily cap (X's policy)."""
    from sqlalchemy import insert, text

    from graph.response import outreach_status
    from outreach.contact import contact_mark, os_user
    from outreach.export import DAILY_USER_CAP, exported_today
    from store.db import utcnow
    from store.models import ExportLog

    header, rows = csv_rows(result)
    with engine.connect() as conn:
        dnc = {r[0] for r in conn.execute(text(
            "SELECT user_id FROM outreach WHERE status = 'do-not-contact'"))}
    status = outreach_status(engine, [p.user_id for p in result.ranked])
    header = [*header, "contact"]
    rows = [[*row, contact_mark(status.get(p.user_id, {}).get("status"),
                                status.get(p.user_id, {}).get("last_contacted"), cooldown_days)]
            for p, row in zip(result.ranked, rows) if p.user_id not in dnc]
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
    from outreach.contact import os_user
    from outreach.export import DAILY_USER_CAP, EXPORT_COLUMNS, export_rows

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
    from graph.explain import explain

    return explain(engine, args.username)


def cmd_evaluate(args, settings, engine) -> int:
    from graph.evaluate import evaluate, load_truth

    if args.labels:
        return _evaluate_labels(args, settings, engine)
    if args.export_labels:
        from graph.corrections import export_labels

        n = export_labels(engine, args.export_labels)
        print(f"{n} staff correction{'' if n == 1 else 's'} written to {args.export_labels}")
        return EXIT_OK
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
    from graph.evaluate import HELPER, evaluate_labels, load_labels

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


def cmd_response_times(args, settings, engine) -> int:
    from graph.rank import latest_tweet_time
    from graph.response import (RESPONSE_STEPS, resolve_handle, response_times, run_window,
                                unclassified_tweets)
    from graph.results import latest_run
    from store.db import utcnow

    # Usage first: an unknown handle is a typing error whatever the database holds.
    handle = resolve_handle(engine, args.handle) if args.handle else None
    run = latest_run(engine)
    w = run_window(engine, run["id"]) if run else None
    if w is None:
        # Requests are told by the ranking's roles and champions by its tiers: without a run
        # every figure would be 0, which a cron job would take for a quiet week.
        print("error: no ranking run stored: rank first: run `python -m graph rank`",
              file=sys.stderr)
        return EXIT_FAILED
    if not (args.window or args.end):
        start, end = w["start"], w["end"]
    else:  # as `graph rank` chooses its window
        days = parse_days(args.window) if args.window else float(
            settings.ranking["window_days"])
        end = args.end
        if end is None:
            last = latest_tweet_time(engine)
            end = (last + timedelta(seconds=1)) if last else utcnow()
        start = end - timedelta(days=days)
    if missing := unclassified_tweets(engine, start, end):
        print(f"error: {missing:,} tweets in the window were imported after the latest ranking "
              "run and have no roles yet, so their requests would not be counted: rank first: "
              "run `python -m graph rank`", file=sys.stderr)
        return EXIT_FAILED
    staff = tuple(settings.staff_handles) + w["staff_handles"]
    with _step_bar(args.progress, len(RESPONSE_STEPS), "response times") as step:
        report = response_times(
            engine, start, end, run_id=w["run_id"], staff_handles=staff, handle=handle,
            staff_minutes_per_request=settings.response.staff_minutes_per_request,
            progress=step)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print(format_report(report))
    return EXIT_OK


PEOPLE_SHOWN = 25  # rows of the response-times report's people table (--json has them all)


def _fmt(value, spec: str = ".1f", empty: str = "-") -> str:
    return empty if value is None else format(value, spec)


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, one header line."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]

    def line(row: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths))).rstrip()
    return [line(headers), *(line(r) for r in cells)]


def format_report(report: dict[str, Any]) -> str:
    """``graph.response.response_times`` as text tables with headers (usernames and handles
    made printable)."""
    from graph.response import ANSWERERS

    cs, ms = report["champions_share"], report["community_share"]
    saved, sooner = report["staff_time_saved"], report["customers_time_saved"]
    queue = report["unanswered_queue"]
    n = report["requests"]
    source = (f"ranking run {report['run_id']}: champions are its champion and rising tiers"
              if report["run_id"] is not None else
              "no ranking run: champions are not told apart from the community")
    handle = report["handle"]
    out = [f"response times {report['window_start'][:16]} .. {report['window_end'][:16]} "
           f"({source})"
           + (f", handle @{printable(handle.lstrip('@'), 30)}" if handle else ""),
           f"help requests: {n}, answered {report['answered']} "
           f"({_fmt(report['answered_share'], '.1%')})",
           f"champions' share: {_fmt(cs['share'], '.1%')} ({cs['requests']} of {n} requests "
           f"first answered by a champion); community's share: {_fmt(ms['share'], '.1%')} "
           f"({ms['requests']} of {n} first answered by any community member, champions "
           "included)",
           f"staff time saved: {saved['requests']} requests staff never had to answer x "
           f"{saved['minutes_per_request']:g} min each (the settings' assumption) = "
           f"{saved['hours']:.1f} h",
           f"time the community saved customers: {sooner['hours']:.1f} h sooner on the "
           f"{sooner['requests']} requests staff answered later",
           f"unanswered: {queue['conversations']} conversations ({queue['requests']} requests) "
           f"nobody answered; {queue['requests_in_threads_staff_answered']} more unanswered "
           "requests sit in threads where staff had replied to the customer", ""]
    out += _table(["first answered by", "requests", "share"],
                  [[k, v, _fmt(v / n if n else None, ".1%")]
                   for k, v in report["first_answered_by"].items()])
    out.append("")
    out += _table(["minutes to first answer", "answered", "median", "p90"],
                  [[k, t["answered"], _fmt(t["median_minutes"]), _fmt(t["p90_minutes"])]
                   for k, t in report["time_to_first_answer"].items()])
    for key, label in (("by_handle", "handle"), ("by_lang", "language")):
        out.append("")
        rows = []
        for g in report[key]:
            t = g["time_to_first_answer"]
            name = printable(g["handle"] if key == "by_handle" else g["lang"], 30)
            rows.append([name, g["requests"], *g["first_answered_by"].values(),
                         _fmt(g["answered_share"], ".0%"),
                         _fmt(t["staff"]["median_minutes"]), _fmt(t["staff"]["p90_minutes"]),
                         _fmt(t["community"]["median_minutes"]),
                         _fmt(t["community"]["p90_minutes"])])
        out += _table([label, "requests", *ANSWERERS, "answered", "staff median min",
                       "staff p90 min", "community median min", "community p90 min"], rows)
    out.append("")
    out += _table(["week", "requests", "answered", "community first", "median min"],
                  [[w["week"], w["requests"], _fmt(w["answered_share"], ".0%"),
                    w["community_first"], _fmt(w["median_minutes"])]
                   for w in report["weekly"]])
    out.append("")
    people = report["people"]
    out += _table(["answered before staff", "tier", "staff never had to answer",
                   "answered first", "staff answered later", "staff time saved h",
                   "customers' time saved h"],
                  [["@" + printable(p["username"] or str(p["user_id"]), 20), p["tier"] or "-",
                    p["staff_never_answered"], p["answered_first"], p["staff_answered_later"],
                    f"{p['staff_hours_saved']:.1f}", f"{p['customers_hours_saved']:.1f}"]
                   for p in people[:PEOPLE_SHOWN]])
    if len(people) > PEOPLE_SHOWN:
        out.append(f"... and {len(people) - PEOPLE_SHOWN} more people (--json lists them all)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """The command line; output cut short by its reader (``| head``) ends quietly (exit 141)."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the flush at exit cannot
        # raise again, and say nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE


def cmd_suite(args) -> int:
    from graph.suite import format_table, run_suite

    results = run_suite(args.realdata, args.only,
                        log=lambda m: print(m, file=sys.stderr, flush=True))
    if args.json:
        print(json.dumps([{"set": r.name, "kind": r.kind, "ok": r.ok, "skipped": r.skipped,
                           "figures": r.figures, "floors": r.floors, "failures": r.failures,
                           "top": r.top} for r in results], indent=2))
    else:
        print(format_table(results))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


def cmd_train_help(args, settings) -> int:
    from graph.helpmodel import MODEL_PATH
    from graph.roles import RoleMatcher
    from graph.trainhelp import staff_corrections, train

    extra = []
    if args.from_db:
        from store.db import make_engine, missing_sqlite_file, no_database

        url = database_url(args.from_db)
        if (gone := missing_sqlite_file(url)) is not None:
            print(f"error: {no_database(gone)}", file=sys.stderr)
            return EXIT_FAILED
        extra = staff_corrections(make_engine(url))
    report = train(RoleMatcher(settings.phrases), args.data, args.test, extra, args.threshold,
                   realdata=args.realdata)

    def line(s) -> str:
        auc = f"{s.auc:.3f}" if s.auc is not None else "-"
        return (f"{s.source:<28} {s.n:>5} {s.helps:>5} {s.recall:>7.2f} {s.false_positive:>7.2f}"
                f" {auc:>6}")

    print(f"threshold {report.model.threshold:.2f}")
    print(f"{'left out (trained on the rest)':<28} {'rows':>5} {'help':>5} {'recall':>7} "
          f"{'fp rate':>7} {'AUC':>6}")
    for s in report.folds:
        print(line(s))
    if report.tests:
        print(f"{'test (final model)':<28}")
        for s in report.tests:
            print(line(s))
    if not args.dry_run:
        out = args.out or MODEL_PATH
        report.model.save(out)
        print(f"wrote {out}")
    return EXIT_OK


def _main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings_or_exit(args.config)
    if args.command == "evaluate" and args.suite:
        return cmd_suite(args)
    if args.command == "train-help":
        try:
            return cmd_train_help(args, settings)
        except (OSError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE

    from ingest.status import schema_is_current
    from store.db import make_engine, missing_sqlite_file, no_database

    url = database_url(args.db)
    if (gone := missing_sqlite_file(url)) is not None:  # connecting would create it, empty
        print(f"error: {no_database(gone)}", file=sys.stderr)
        return EXIT_FAILED
    engine = make_engine(url)
    # Rankings read the schema; only the schema step changes it. Current (the usual case):
    # said in plain SQL, without importing Alembic (half a second of every command).
    if not schema_is_current(engine):
        from sqlalchemy.exc import OperationalError

        from store.migrate import SchemaError, check

        try:
            check(engine)
        except SchemaError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except OperationalError as exc:  # no server, no such database: one line, no traceback
            reason = str(exc.orig or exc).strip().splitlines()[0]
            print(f"error: cannot open the database: {reason}", file=sys.stderr)
            return EXIT_FAILED
    try:
        return {"rank": cmd_rank, "explain": cmd_explain, "evaluate": cmd_evaluate,
                "export": cmd_export, "response-times": cmd_response_times}[
            args.command](args, settings, engine)
    except (ValueError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
