"""``python -m ingest``: the commands scheduled jobs call. Their flags are a public interface.

Exit codes: 0 done; 1 failed; 2 bad usage; 3 partial (some records rejected, or some files or
sources failed while the rest loaded); 4 another ingest run holds the lock; 5 the X API monthly
usage cap is reached (stopped cleanly, nothing lost); 130 stopped by Ctrl-C (SIGINT) and 143
by SIGTERM, the run in progress recorded as ``interrupted``, its open batch rolled back and the
lock released; 141 the reader of the output went away (``| head``): the output is cut, quietly,
as any Unix tool's killed by SIGPIPE (128 + 13), as ``python -m graph`` does.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.runs import (EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE,
                         EXIT_USAGE_CAP)
from settings import (ROOT, Settings, SettingsError, add_common_args, bearer_token,
                      database_url, settings_or_exit)
from store.db import BUSY_TIMEOUT_S, missing_sqlite_file, no_database

if TYPE_CHECKING:
    from sqlalchemy.exc import OperationalError
    from tqdm import tqdm

    from ingest.loader import LoadCounts

# The commands import what they use when they run, so `--help` and `status` do not wait for
# SQLAlchemy, Alembic, tweepy and the readers (benchmarks/startup_bench.py). The choices the
# parser shows are copied here for the same reason; tests/test_startup.py keeps them equal to
# ingest.readers.detect.FORMATS and ingest.demo.SIZES.
FORMATS = ("auto", "twarc2", "v1", "archive", "twcs")
SIZES = {"tiny": 3_000, "small": 20_000, "medium": 200_000, "large": 1_000_000}
EXIT_PIPE = 141  # 128 + SIGPIPE: the reader of the output went away


def __getattr__(name: str):
    """``XClient``, imported on first use and kept: tests replace ``ingest.cli.XClient`` with
    a client aimed at a replay server, and ``ingest x`` uses whichever is here."""
    if name != "XClient":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ingest.xapi import XClient

    globals()[name] = XClient
    return XClient


log = logging.getLogger("ingest")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Load tweets into the Champion Tracker database.",
        epilog="Exit codes: 0 done, 1 failed, 2 bad usage, 3 partial, 4 another run is active, "
               "5 X API usage cap reached.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("file", help="import files, folders and zips",
                       description="Import twarc2 JSONL, API v1.1 JSON, X archives (tweets.js, "
                       "folder or .zip) and the Kaggle TWCS CSV. Formats are detected.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--format", choices=FORMATS, default="auto",
                   help="force a format instead of detecting it")
    p.add_argument("--batch-size", type=int, default=20_000,
                   help="tweets per transaction (default 20000)")
    add_common_args(p)

    p = sub.add_parser("x", help="fetch live from the X API v2",
                       description="Fetch mentions, a recent search, own tweets, and the "
                       "retweeters and quotes of recent fix tweets for each support handle. "
                       "Needs X_BEARER_TOKEN.")
    p.add_argument("--handle", action="append", dest="handles", metavar="HANDLE",
                   help="a support handle (repeatable; default: support_handles in settings)")
    p.add_argument("--save-pages", type=Path, metavar="FILE",
                   help="also append every raw response page to this twarc2-style JSONL file")
    add_common_args(p)

    p = sub.add_parser("run", help="run every configured source once (for cron and timers)",
                       description="Import new or changed files from [ingest] files, then fetch "
                       "from the X API if support_handles and a token are set.")
    add_common_args(p)

    p = sub.add_parser("cycle", help="run, then rank when anything changed (for cron)",
                       description="One scheduled cycle: 'run' (every configured source once), "
                       "then a ranking if anything changed since the last one (only the people "
                       "something changed for are read again). Prints one line; the exit code "
                       "is the import's, or 1 if the ranking failed.")
    add_common_args(p)

    p = sub.add_parser("schedule", help="run every configured source at an interval",
                       description="Long-running mode: 'run' every --every (e.g. 15m, 1h); "
                       "with --rank, a 'cycle' (run, then rank when anything changed).")
    p.add_argument("--every", help="interval: 90s, 15m, 1h, 1d (default: [ingest] every in "
                   "the settings)")
    p.add_argument("--times", type=int, default=0, help="stop after this many runs (0: never)")
    p.add_argument("--rank", action="store_true",
                   help="rank after each run when anything changed (as 'cycle')")
    add_common_args(p)

    p = sub.add_parser("demo", help="write and load the seeded demo support community",
                       description="Write a realistic support community (the brand Acme, "
                       "planted champions among look-alike distractors) as twarc2 JSONL under "
                       "data/demo/, with its truth file, and import it like any other file.")
    p.add_argument("--size", choices=sorted(SIZES, key=SIZES.get), default="small",
                   help="tiny 3k, small 20k, medium 200k, large 1M tweets (default small)")
    p.add_argument("--tweets", type=int, help="an exact number of tweets instead of --size")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--out", type=Path, help="folder for the JSONL and truth files "
                   "(default data/demo)")
    p.add_argument("--today", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="the day the demo leads up to (default: today, UTC): the same seed "
                   "and day give the same file")
    p.add_argument("--shape", choices=("demo", "brand"), default="demo",
                   help="demo: a compact community (default); brand: shaped like a real "
                   "brand's, most customers and helpers active once or twice (for benchmarks)")
    add_common_args(p)

    p = sub.add_parser("forget", help="erase a person and keep them out of later imports",
                       description="Remove a person's tweets, the edges to and from them, their "
                       "scores, evidence, notes and outreach history, and suppress their X id so "
                       "no later import, ranking or export brings them back. The audit log "
                       "records who forgot whom (by id) and when.")
    p.add_argument("who", metavar="USERNAME|ID", help="@username or numeric X user id")
    add_common_args(p)

    p = sub.add_parser("compliance", help="apply X compliance events (deletions, protected, "
                       "suspended, withheld)",
                       description="Apply X compliance events from files (batch compliance "
                       "job output, or the compliance lines in twarc2 JSONL), or from X's "
                       "batch compliance jobs through the API (--x-job; needs X_BEARER_TOKEN). "
                       "Erased content goes with its edges and evidence, and stays out.")
    p.add_argument("paths", nargs="*", type=Path, metavar="FILE",
                   help="JSON lines with id and action")
    p.add_argument("--type", choices=["tweets", "users"],
                   help="what the ids are (default: by what is stored)")
    p.add_argument("--x-job", choices=["tweets", "users"], action="append", dest="x_jobs",
                   help="run X batch compliance jobs for the stored tweets or users "
                   "(repeatable)")
    add_common_args(p)

    p = sub.add_parser("status", help="counts, last runs, rejected records, quiet days")
    p.add_argument("--json", action="store_true", help="machine-readable JSON for monitoring")
    p.add_argument("--days", type=int, default=30, help="window for quiet days (default 30)")
    p.add_argument("--until", type=date.fromisoformat,
                   help="last day of the window, YYYY-MM-DD (default: today)")
    add_common_args(p)
    return parser


def parse_interval(value: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value)
    if not m:
        raise ValueError(f"not an interval: {value!r} (use 90s, 15m, 1h, 1d)")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def _bar(desc: str) -> tuple[tqdm, Callable[[LoadCounts], None]]:
    from tqdm import tqdm

    bar = tqdm(desc=desc, unit=" tweets", disable=None, file=sys.stderr)
    return bar, lambda c: bar.update(c.tweets)


def summary(c: LoadCounts) -> str:
    text = (f"read {c.records:,} records: {c.tweets:,} tweets ({c.tweets_new:,} new, "
            f"{c.tweets_present:,} already present), {c.users:,} users, {c.edges:,} edges "
            f"({c.edges_new:,} new), {c.rejected:,} rejected, {c.skipped:,} skipped")
    extras = []
    if c.api_errors:
        extras.append(f"{c.api_errors:,} partial API errors (unavailable tweets or users)")
    if c.unresolved_mentions:
        extras.append(f"{c.unresolved_mentions:,} edges to usernames not seen yet")
    if c.replies_linked:
        extras.append(f"{c.replies_linked:,} replies linked to their parent")
    if c.unchanged:
        extras.append(f"{c.unchanged:,} pages or files unchanged since they were loaded, "
                      "not parsed again")
    return text + ("; " + "; ".join(extras) if extras else "")


def _job(engine, command: str, source: str, work: Callable[[int], tuple[int, dict, str | None]]
         ) -> int:
    """Run ``work(run_id)`` under the lock, recording the run whatever happens. The lock comes
    first, then the schema step (create or migrate), then the run."""
    from sqlalchemy.exc import OperationalError

    from ingest.runs import (finish_run, mark_abandoned, record_unrecorded,
                             remember_unrecorded, start_run)
    from ingest.xapi import UsageCapExceeded
    from store.lock import RunLockedError, run_lock
    from store.migrate import upgrade

    try:
        with run_lock(engine):
            try:
                upgrade(engine)
                record_unrecorded(engine)
                mark_abandoned(engine)
                run_id = start_run(engine, command, source)
            except OperationalError as exc:
                message = _busy(engine, exc)
                remember_unrecorded(engine, command, source, message)
                print(f"error: {message}", file=sys.stderr)
                return EXIT_FAILED
            try:
                code, counts, error = work(run_id)
            except UsageCapExceeded as exc:
                finish_run(engine, run_id, "partial", error=str(exc))
                print(f"stopped: {exc}", file=sys.stderr)
                return EXIT_USAGE_CAP
            except KeyboardInterrupt:
                finish_run(engine, run_id, "interrupted", error="interrupted")
                raise
            except OperationalError as exc:
                message = _busy(engine, exc)
                _finish_quietly(engine, run_id, message)
                print(f"error: {message}", file=sys.stderr)
                return EXIT_FAILED
            except Exception as exc:
                message = _scrubbed(f"{type(exc).__name__}: {exc}")
                finish_run(engine, run_id, "failed", error=message)
                print(f"error: {message}", file=sys.stderr)
                return EXIT_FAILED
            status = {EXIT_OK: "ok", EXIT_PARTIAL: "partial"}.get(code, "failed")
            finish_run(engine, run_id, status, counts, _scrubbed(error) if error else None)
            return code
    except RunLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED


def _scrubbed(message: str) -> str:
    """Errors are printed and stored: never with the bearer token in them."""
    from ingest.xapi import scrub

    try:
        token = bearer_token()
    except SettingsError:
        token = None
    return scrub(message, token)


def _busy(engine, exc: OperationalError) -> str:
    """A clear sentence for a database that is busy or unreachable (not a traceback)."""
    detail = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
    if "locked" in detail or "busy" in detail:
        return (f"the database is busy: another process held a write lock on "
                f"{engine.url.database} for over {BUSY_TIMEOUT_S} s ({detail}); try again later")
    return f"database error: {detail}"


def _finish_quietly(engine, run_id: int, message: str) -> None:
    """Record a failed run; if the database is still busy, the next run marks it abandoned."""
    from sqlalchemy.exc import OperationalError

    from ingest.runs import finish_run

    try:
        finish_run(engine, run_id, "failed", error=message)
    except OperationalError:
        pass


def _files_work(engine, settings: Settings, paths, fmt, only_changed, batch_size=20_000):
    from ingest.files import import_files
    from store.accounts import mark_brands

    def work(run_id: int):
        bar, update = _bar("importing")
        with bar:
            res = import_files(engine, run_id, paths, fmt, only_changed=only_changed,
                               batch_tweets=batch_size, progress=update,
                               limits=settings.limits)
        mark_brands(engine, settings.support_handles)
        c = res.counts
        print(summary(c) + (f"; {res.skipped_files} unchanged files skipped"
                            if res.skipped_files else ""))
        error = "; ".join(res.failed) or None
        if res.failed and not res.files:
            return EXIT_FAILED, c.as_dict(), error
        return (EXIT_PARTIAL if res.failed or c.rejected else EXIT_OK), c.as_dict(), error
    return work


def _x_client_class():
    """``XClient`` as this module's attribute: a test's replacement if there is one."""
    return sys.modules[__name__].XClient


def _x_work(engine, settings: Settings, handles, save_pages: Path | None, client=None):
    from ingest.xapi import x_deadlines, x_timeouts
    from ingest.xjob import fetch_handles

    def work(run_id: int):
        x = client or _x_client_class()(bearer_token(), timeout=x_timeouts(settings.x),
                                        **x_deadlines(settings.x))
        bar, update = _bar("fetching")
        fh = save_pages.open("ab") if save_pages else None
        try:
            with bar:
                res = fetch_handles(engine, run_id, settings, x, handles, save_pages=fh,
                                    progress=update)
        finally:
            if fh:
                fh.close()
        c = res.counts
        print(f"{res.pages} pages from {x.requests} requests; " + summary(c))
        for handle, why in res.failed_handles.items():
            print(f"@{handle} not fetched: {why}", file=sys.stderr)
        for key, why in res.error_pages.items():
            print(f"{key}: X answered with errors only ({why}); its cursor did not move",
                  file=sys.stderr)
        for key, gap in res.backlog.items():
            print(f"{key}: stopped at max_pages; {gap.describe()}")
        if res.unchanged_fix_lists:
            print(f"{res.unchanged_fix_lists} retweeter or quote lists not fetched again: "
                  "their counts had not changed")
        known = [g.pages_left for g in res.backlog.values() if g.pages_left is not None]
        counts = {**c.as_dict(), "pages": res.pages,
                  "repeated_tokens": getattr(x, "repeated_tokens", 0),
                  "failed_handles": len(res.failed_handles),
                  "error_pages": len(res.error_pages),
                  "backlog_queries": len(res.backlog),
                  "pages_left_estimate": sum(known) if known else None}
        counts = {k: v for k, v in counts.items() if v is not None}
        problems = [f"@{h}: {why}" for h, why in res.failed_handles.items()]
        problems += [f"{key}: errors only: {why}" for key, why in res.error_pages.items()]
        error = "; ".join(problems) or None
        if res.failed_handles and len(res.failed_handles) == len(handles):
            return EXIT_FAILED, counts, error
        partial = c.rejected or res.failed_handles or res.error_pages
        return (EXIT_PARTIAL if partial else EXIT_OK), counts, error
    return work


def cmd_run(engine, settings: Settings, client=None) -> int:
    """Every configured source once: changed files, then the X API."""
    from ingest.erase_jobs import compliance_due, compliance_work

    codes = []
    if settings.file_sources:
        for src in settings.file_sources:
            codes.append(_job(engine, "run", f"files:{src.path}",
                              _files_work(engine, settings, [src.path], src.format, True)))
    if settings.support_handles:
        if client is None and not bearer_token():
            print("X API skipped: support_handles are set but X_BEARER_TOKEN is not",
                  file=sys.stderr)
            codes.append(EXIT_PARTIAL)
        else:
            codes.append(_job(engine, "run", "x:" + ",".join(settings.support_handles),
                              _x_work(engine, settings, list(settings.support_handles), None,
                                      client)))
    if settings.x.compliance and (client is not None or bearer_token()):
        if compliance_due(engine):
            codes.append(_job(engine, "compliance", "x-job",
                              compliance_work(engine, [], None, ["tweets", "users"], client,
                                               settings=settings)))
        elif not codes:
            print("compliance: the daily X compliance jobs already ran; nothing else is due")
            return EXIT_OK
    if not codes:
        print("nothing configured: add [ingest] files or support_handles to the settings file",
              file=sys.stderr)
        return EXIT_USAGE
    for special in (EXIT_LOCKED, EXIT_USAGE_CAP):
        if special in codes:
            return special
    if all(c == EXIT_OK for c in codes):
        return EXIT_OK
    return EXIT_FAILED if all(c == EXIT_FAILED for c in codes) else EXIT_PARTIAL


def cmd_cycle(engine, settings: Settings, client=None) -> int:
    """``run``, then a ranking when anything changed (``graph.rank.run_ranking`` reuses the
    last run when nothing did, and otherwise reads again only the people something changed
    for). The runs' own lines are left out (``ingest status`` has them); errors still go to
    stderr. One line on stdout; the exit code is the import's, or 1 when the ranking failed."""
    import contextlib
    import io

    from sqlalchemy import text

    from graph.rank import run_ranking

    t = time.perf_counter()

    def tweets() -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM tweets")).scalar() or 0

    try:
        before = tweets()
    except Exception:  # no schema yet: the run below makes it
        before = 0
    with contextlib.redirect_stdout(io.StringIO()):
        code = cmd_run(engine, settings, client)
    imported = {EXIT_OK: "imported", EXIT_PARTIAL: "imported in part"}.get(code, "import failed")
    line = f"cycle: {imported}, {tweets() - before:+,} tweets"
    if code in (EXIT_USAGE, EXIT_LOCKED):
        print(f"{line}; not ranked (exit {code}); {time.perf_counter() - t:.1f} s")
        return code
    try:
        result = run_ranking(engine, settings)
    except Exception as exc:  # the import's rows are stored; the next cycle ranks them
        print(f"error: ranking failed: {_scrubbed(f'{type(exc).__name__}: {exc}')}",
              file=sys.stderr)
        print(f"{line}; ranking failed; {time.perf_counter() - t:.1f} s")
        return EXIT_FAILED
    how = {"reused": f"nothing new: ranking run {result.run_id} stands",
           "incremental": f"ranking run {result.run_id}, "
                          f"{int(result.timings.get('people_read_again', 0)):,} people read again",
           "scratch": f"ranking run {result.run_id}, from scratch"
                      + (f" ({result.timings['churn']:.1%} of the tweets changed)"
                         if "churn" in result.timings else "")}[result.made]
    print(f"{line}; {how}: {len(result.ranked):,} ranked; {time.perf_counter() - t:.1f} s")
    return code


def _every(engine, settings: Settings, x_client, command, every: float, times: int,
           sleep, after=lambda: None) -> int:
    """``command`` every ``every`` seconds (``times`` times, or for ever); its last exit code.
    ``after`` runs once each has printed its line, before the wait."""
    n = 0
    while True:
        started = time.monotonic()
        code = command(engine, settings, x_client)
        sys.stdout.flush()
        after()
        log.info("scheduled run %d finished with exit code %d", n + 1, code)
        n += 1
        if times and n >= times:
            return code
        sleep(max(0.0, every - (time.monotonic() - started)))


class Stopped(KeyboardInterrupt):
    """SIGTERM, which systemd, Kubernetes and Docker send: stop as Ctrl-C does."""


def _on_sigterm(signum, frame) -> None:
    # The clean-up (recording the run, releasing the lock) must not be cut short by a second
    # SIGTERM; a supervisor that will not wait sends SIGKILL, and the next run marks the run
    # abandoned.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Stopped()


def _demo_day(path: Path) -> str | None:
    """The day a demo file was generated for (its truth file's "today"), or None."""
    try:
        return json.loads(path.with_suffix(".truth.json").read_text()).get("today") \
            if path.exists() else None
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None, *, x_client=None, sleep=time.sleep) -> int:
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
    out = sys.stdout = _CutOutput(sys.stdout)
    try:
        code = _main(argv, x_client=x_client, sleep=sleep)
        out.flush()  # inside the try: a closed pipe shows here, not at exit
        return EXIT_PIPE if out.cut else code
    except KeyboardInterrupt as exc:
        name, code = ("SIGTERM", 143) if isinstance(exc, Stopped) else ("Ctrl-C", 130)
        print(f"stopped by {name}: a run in progress is recorded as interrupted and the next "
              "run fetches or imports what it did not finish", file=sys.stderr)
        return code
    finally:
        sys.stdout = out.stream
        if in_main:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


class _CutOutput:
    """``sys.stdout`` while a command runs. When the reader of the output goes away (``|
    head``), stdout is pointed at devnull (Python's documented recipe, as ``graph.cli.main``)
    instead of raising BrokenPipeError: an import's summary is printed inside its run, and
    with unbuffered output (``PYTHONUNBUFFERED``, usual in containers) the error recorded a
    load that had committed its data as failed. The command then ends quietly with 141."""

    def __init__(self, stream):
        self.stream = stream
        self.cut = False

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            self._to_devnull()
            return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            self._to_devnull()

    def _to_devnull(self) -> None:
        # The stream's unwritten buffer then goes to devnull too, so the flush at exit
        # cannot raise again.
        self.cut = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self.stream.fileno())
        os.close(devnull)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def _main(argv: list[str] | None, *, x_client, sleep) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("tweepy").setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migrations say what they did
    args = build_parser().parse_args(argv)
    settings = settings_or_exit(args.config)
    if args.command in ("x", "run", "cycle", "schedule", "compliance"):
        try:
            bearer_token()  # a malformed token is one clear error, before any request
        except SettingsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.command == "status":
        url = database_url(args.db)
        if (gone := missing_sqlite_file(url)) is not None:  # a reader must not create it
            print(f"error: {no_database(gone)}", file=sys.stderr)
            return EXIT_FAILED
        return cmd_status(url, args.days, args.until, args.json)
    from store.db import make_engine

    engine = make_engine(database_url(args.db))

    if args.command == "file":
        source = " ".join(str(p) for p in args.paths)
        return _job(engine, "file", source,
                    _files_work(engine, settings, args.paths, args.format, False,
                                args.batch_size))
    if args.command == "x":
        handles = args.handles or list(settings.support_handles)
        if not handles:
            print("error: no handles: pass --handle or set support_handles", file=sys.stderr)
            return EXIT_USAGE
        if x_client is None and not bearer_token():
            print("error: set X_BEARER_TOKEN (or X_BEARER_TOKEN in .streamlit/secrets.toml)",
                  file=sys.stderr)
            return EXIT_USAGE
        from ingest.xapi import XApiError

        try:
            return _job(engine, "x", "x:" + ",".join(handles),
                        _x_work(engine, settings, handles, args.save_pages, x_client))
        except XApiError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    if args.command == "run":
        return cmd_run(engine, settings, x_client)
    if args.command == "cycle":
        return cmd_cycle(engine, settings, x_client)
    if args.command == "schedule":
        if not (args.every or settings.schedule_every):
            print("error: give --every, or set every = \"15m\" under [ingest] in the settings",
                  file=sys.stderr)
            return EXIT_USAGE
        try:
            every = parse_interval(args.every or settings.schedule_every)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if not args.rank:
            return _every(engine, settings, x_client, cmd_run, every, args.times, sleep)
        from graph.incremental import stay_resident, write_kept

        # Each ranking builds on the last in memory; the kept file (for other processes and
        # the next start) is written after the cycle's line, while the loop waits.
        def keep() -> None:
            try:
                log.info("kept file written in %.1f s", write_kept())
            except Exception as exc:  # the next process ranks from scratch; this one goes on
                log.warning("kept file not written: %s", _scrubbed(f"{type(exc).__name__}: {exc}"))

        stay_resident()
        try:
            return _every(engine, settings, x_client, cmd_cycle, every, args.times, sleep, keep)
        finally:
            keep()  # a cycle stopped between its ranking and its line
            stay_resident(False)
    if args.command == "demo":
        from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo

        n = args.tweets or SIZES[args.size]
        folder = args.out or ROOT / "data" / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (f"acme-{n}-seed{args.seed}"
                         f"{'' if args.shape == 'demo' else '-' + args.shape}.jsonl")
        today = args.today or datetime.now(timezone.utc).date()
        if _demo_day(path) != today.isoformat():  # missing, or made for another day
            truth = generate_demo(path, DemoSpec(n, args.seed, today=today, shape=args.shape))
            print(f"wrote {path} ({truth['tweets']:,} tweets, {len(truth['champions'])} planted "
                  f"champions; truth in {path.with_suffix('.truth.json').name})")
        demo_settings = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]))
        return _job(engine, "demo", str(path),
                    _files_work(engine, demo_settings, [path], "twarc2", False))
    if args.command == "forget":
        from ingest.erase_jobs import forget_work

        return _job(engine, "forget", f"forget:{args.who}", forget_work(engine, args.who))
    if args.command == "compliance":
        if not args.paths and not args.x_jobs:
            print("error: give compliance files, or --x-job tweets|users", file=sys.stderr)
            return EXIT_USAGE
        if args.x_jobs and x_client is None and not bearer_token():
            print("error: --x-job needs X_BEARER_TOKEN", file=sys.stderr)
            return EXIT_USAGE
        from ingest.erase_jobs import compliance_work

        return _job(engine, "compliance", " ".join(map(str, args.paths)) or "x-job",
                    compliance_work(engine, args.paths, args.type, args.x_jobs, x_client,
                                     sleep, settings))
    return EXIT_USAGE


def cmd_status(url: str, days: int, until: date | None, as_json: bool) -> int:
    """``ingest status``, a reader: it never creates or migrates the schema. A SQLite file is
    read with the standard library, a PostgreSQL database with psycopg alone, and the schema
    revision checked without Alembic, so a monitoring check starts and ends in a fraction of
    the time importing those took. Any other URL goes through SQLAlchemy Core, in the same
    plain SQL."""
    from ingest.status import collect_status, format_status, schema_is_current
    from store.db import make_engine, postgres_connection, sqlite_connection

    # None unless a plain SQLite file URL, or a PostgreSQL URL libpq reads and connects to
    conn = sqlite_connection(url) or postgres_connection(url)
    engine = make_engine(url) if conn is None else None
    try:
        if not schema_is_current(conn or engine):  # or unsure: Alembic says what to run
            from store.migrate import SchemaError, check

            try:
                check(engine or make_engine(url))
            except SchemaError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return EXIT_FAILED
        s = collect_status(conn or engine, days=days, until=until)
    finally:
        if conn is not None:
            conn.close()
        else:
            engine.dispose()
    print(json.dumps(s, indent=2) if as_json else format_status(s))
    return EXIT_OK
