"""Response-times benchmark: ``python -m graph response-times --json`` on the 1M-tweet demo.

Builds the database once (``python -m ingest demo --size large --today DAY``, then ``python -m
graph rank``: response-times reads the ranking's roles and tiers, so it needs a stored run),
or reuses one: ``--db URL`` (any engine) or ``--cache PATH`` (a SQLite file, default
benchmarks/out/response-large.db). ``--pg URL`` does the same in a PostgreSQL database too
(created when missing; ``--drop-pg`` drops it at the end).

Then times the command in a fresh child process, ``--repeat`` times, median reported:

* wall time, and CPU time (user + system of the child, from ``getrusage(RUSAGE_CHILDREN)``
  deltas); on PostgreSQL the server's CPU beside it (its backends attached to the database,
  read from /proc while they run, as benchmarks/pg_ingest_bench.py does; "n/a" when the
  server is not on this host);
* the floor, measured in the same run and from the same checkout: a fresh ``python -c`` that
  imports what the command imports (``graph.cli``, ``graph.response``, ``graph.rank``,
  ``graph.results``, the settings, SQLAlchemy and the driver), loads the settings, connects
  and reads the latest ranking run's window: Python's start-up, the imports and the
  connection, everything the command pays before its own work (the request SQL, the thread
  walk, grouping, the JSON). The ratio to it, and the time over it, are the command's own;
* with ``--before PATH`` (a checkout of the old code, e.g. ``git worktree add /tmp/old-rt
  8ade79d``), the same command and floor run from that checkout, with this Python, against
  the same database: the change's cost is the after / before ratio measured in the same run.

The commands take turns in each repeat (floor, after, floor before, before), so a burst of
load on a shared machine falls on all of them alike; one untimed round warms the file cache
and the .pyc files first. A SQLite file is read through once before each run (untimed), as
benchmarks/rank_bench.py does: this machine's kernel evicts pages left idle.

From the JSON it prints ``requests``, ``first_answered_by.unanswered`` and
``unanswered_queue.conversations`` / ``.requests`` (the old code has no ``unanswered_queue``).

    python benchmarks/response_bench.py [--repeat 3] [--db URL | --cache PATH]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/response_bench] [--drop-pg]
        [--before /tmp/old-rt] [--size large] [--today 2026-11-26] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
TODAY = "2026-11-26"  # a fixed day: the same file and database on every machine (rank_bench's)
PY = sys.executable

FLOOR = """
import sys
import graph.cli, graph.rank, graph.response, graph.results  # what the command imports
from graph.response import run_window
from graph.results import latest_run
from settings import load_settings
from store.db import make_engine
settings = load_settings(sys.argv[2])
engine = make_engine(sys.argv[1])
run = latest_run(engine)
assert run and run_window(engine, run["id"]) is not None, "no ranking run stored"
"""


def child_env() -> dict[str, str]:
    """The environment without the project's own variables: every run is told --db and
    --config, and a PYTHONPATH would mix the two checkouts."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("CHAMPIONS_") and k != "PYTHONPATH"}


def warm_file(url: str) -> None:
    """Read a SQLite database file (and its WAL) through once, untimed."""
    if url.startswith("sqlite:///"):
        for path in (url[len("sqlite:///"):], url[len("sqlite:///"):] + "-wal"):
            try:
                with open(path, "rb") as fh:
                    while fh.read(1 << 24):
                        pass
            except FileNotFoundError:
                pass


def run_child(args: list[str], root: Path, url: str, server=None, check: bool = True
              ) -> tuple[float, float, float | None, str]:
    """(wall s, CPU s, server CPU s or None, stdout) of one fresh ``python ARGS`` in ``root``;
    ``check``: stop the benchmark when it fails."""
    warm_file(url)
    with server or nullcontext() as srv:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run([PY, *args], cwd=root, env=child_env(), capture_output=True,
                              text=True)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and proc.returncode != 0:
        raise SystemExit(f"python {' '.join(args[:4])} ... in {root} exited {proc.returncode}:\n"
                         f"{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, (srv.seconds if srv else None), proc.stdout


def has_tweets_and_run(url: str) -> tuple[int, bool]:
    from sqlalchemy import inspect, text

    from store.db import make_engine
    eng = make_engine(url)
    try:
        with eng.connect() as conn:
            if not inspect(conn).has_table("tweets"):
                return 0, False
            n = conn.execute(text("SELECT COUNT(*) FROM tweets")).scalar()
            runs = (inspect(conn).has_table("ranking_runs")
                    and conn.execute(text("SELECT 1 FROM ranking_runs LIMIT 1")).first()
                    is not None)
            return n, bool(runs)
    finally:
        eng.dispose()


def build(url: str, args) -> None:
    """The demo loaded and ranked, unless the database already holds both."""
    tweets, ranked = has_tweets_and_run(url)
    label = url.split(":")[0]
    if not tweets:
        t = time.perf_counter()
        subprocess.run([PY, "-m", "ingest", "demo", "--size", args.size, "--today", args.today,
                        "--out", str(args.out), "--db", url,
                        "--config", str(ROOT / "champions.toml")],
                       cwd=ROOT, env=child_env(), check=True, stdout=subprocess.DEVNULL)
        print(f"{label}: loaded the demo in {time.perf_counter() - t:.0f} s", flush=True)
        ranked = False
    if not ranked:
        t = time.perf_counter()
        subprocess.run([PY, "-m", "graph", "rank", "--no-progress", "--top", "0", "--db", url,
                        "--config", str(ROOT / "champions.toml")],
                       cwd=ROOT, env=child_env(), check=True, stdout=subprocess.DEVNULL)
        print(f"{label}: ranked in {time.perf_counter() - t:.0f} s", flush=True)
    tweets, _ = has_tweets_and_run(url)
    print(f"{label}: {tweets:,} tweets, ranked", flush=True)


def ensure_pg(url: str) -> tuple[str, str]:
    """(admin URL, database name): the database is created when missing."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database
    admin_url = parsed.set(database="postgres").render_as_string(hide_password=False)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"),
                            {"d": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
                print(f"postgresql: created database {name}", flush=True)
    finally:
        admin.dispose()
    return admin_url, name


def drop_pg(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        print(f"postgresql: dropped database {name}")
    finally:
        admin.dispose()


def figures(out: str) -> dict:
    rep = json.loads(out)
    q = rep.get("unanswered_queue") or {}
    return {"requests": rep["requests"], "unanswered": rep["first_answered_by"]["unanswered"],
            "conversations": q.get("conversations"), "queue_requests": q.get("requests"),
            "window": f"{rep['window_start'][:16]} .. {rep['window_end'][:16]}"}


def bench(url: str, roots: dict[str, Path], repeat: int, pg: tuple[str, str] | None) -> None:
    from benchmarks.pg_ingest_bench import ServerCpu

    label = url.split(":")[0].split("+")[0]
    cmds = {}
    for name, root in roots.items():
        config = str(root / "champions.toml")
        cmds[f"floor ({name})"] = (root, ["-c", FLOOR, url, config])
        cmds[name] = (root, ["-m", "graph", "response-times", "--json", "--db", url,
                             "--config", config])

    def server():
        return ServerCpu(*pg) if pg else None

    seen = {}
    for key, (root, a) in cmds.items():  # untimed: the file cache, the .pyc files
        seen[key] = run_child(a, root, url, server())[3]
    runs: dict[str, list[tuple[float, float, float | None]]] = {k: [] for k in cmds}
    for i in range(repeat):
        for key, (root, a) in cmds.items():
            wall, cpu, srv, out = run_child(a, root, url, server())
            runs[key].append((wall, cpu, srv))
            if out and out != seen[key]:
                sys.exit(f"{key}: the JSON differs between runs")
            extra = f" + {srv:.2f} s server" if srv is not None else ""
            print(f"{label} run {i + 1} {key:16}: {wall:6.2f} s wall, {cpu:6.2f} s CPU{extra}",
                  flush=True)

    def med(key: str, j: int) -> float | None:
        vals = [r[j] for r in runs[key] if r[j] is not None]
        return statistics.median(vals) if vals else None

    print(f"\n{label}: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, Python "
          f"{platform.python_version()}; median of {repeat} fresh processes each")
    for name in roots:
        f = figures(seen[name])
        queue = ("" if f["conversations"] is None else
                 f", unanswered queue {f['conversations']:,} conversations"
                 f" ({f['queue_requests']:,} requests)")
        print(f"  {name}: window {f['window']}: {f['requests']:,} requests, "
              f"{f['unanswered']:,} unanswered{queue}")
    width = max(len(k) for k in cmds)
    print(f"  {'':<{width}}  {'wall':>8}  {'CPU':>8}  {'server':>8}  "
          f"{'x floor wall':>12}  {'x floor CPU':>11}  {'over floor (wall/CPU)':>21}")
    own = {}
    for key in cmds:
        wall, cpu, srv = med(key, 0), med(key, 1), med(key, 2)
        name = key[len("floor ("):-1] if key.startswith("floor (") else key
        fw, fc = med(f"floor ({name})", 0), med(f"floor ({name})", 1)
        srv_s = "" if not pg else ("n/a" if srv is None else f"{srv:.2f}s")
        if key.startswith("floor"):
            print(f"  {key:<{width}}  {wall:7.2f}s  {cpu:7.2f}s  {srv_s:>8}  {'1x':>12}  "
                  f"{'1x':>11}")
        else:
            own[key] = (wall, cpu, wall - fw, cpu - fc, srv)
            print(f"  {key:<{width}}  {wall:7.2f}s  {cpu:7.2f}s  {srv_s:>8}  "
                  f"{wall / fw:11.1f}x  {cpu / fc:10.1f}x  "
                  f"{wall - fw:+9.2f}s / {cpu - fc:+.2f}s")
    if "after" in own and "before" in own:
        a, b = own["after"], own["before"]
        line = (f"  after / before: {a[0] / b[0]:.2f}x wall, {a[1] / b[1]:.2f}x CPU; "
                f"over the floor {a[2] / b[2]:.2f}x wall, {a[3] / b[3]:.2f}x CPU")
        if a[4] is not None and b[4]:
            line += f"; server CPU {a[4] / b[4]:.2f}x"
        print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    ap.add_argument("--db", metavar="URL", help="the database to time (built if it holds no "
                    "tweets, ranked if it holds no run); default: the SQLite file --cache")
    ap.add_argument("--cache", type=Path, default=HERE / "out" / "response-large.db",
                    help="SQLite file to build or reuse (default benchmarks/out/"
                    "response-large.db)")
    ap.add_argument("--pg", metavar="URL", help="also time a PostgreSQL database (created and "
                    "built when missing)")
    ap.add_argument("--drop-pg", action="store_true", help="drop the --pg database at the end")
    ap.add_argument("--before", type=Path, metavar="PATH",
                    help="a checkout of the old code to time beside this one")
    ap.add_argument("--size", default="large", choices=("tiny", "small", "medium", "large"))
    ap.add_argument("--today", default=TODAY, help=f"the demo's day (default {TODAY})")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "response-demo",
                    help="folder for the demo's JSONL (default benchmarks/out/response-demo)")
    ap.add_argument("--only", choices=("sqlite", "postgresql"),
                    help="time only this engine (--db is the sqlite one)")
    args = ap.parse_args()
    if args.repeat < 3:
        ap.error("--repeat must be 3 or more (the figures are medians)")
    roots = {"after": ROOT}
    if args.before:
        if not (args.before / "graph" / "cli.py").exists():
            ap.error(f"--before {args.before}: not a checkout of this project")
        roots["before"] = args.before.resolve()
    for name, root in roots.items():
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        print(f"{name}: {root} ({rev or 'not a git checkout'})")

    from store.db import make_engine
    from store.migrate import upgrade

    targets: list[tuple[str, tuple[str, str] | None]] = []
    if args.only != "postgresql":
        targets.append((args.db or f"sqlite:///{args.cache.resolve()}", None))
    pg = None
    if args.pg and args.only != "sqlite":
        pg = ensure_pg(args.pg)
        targets.append((args.pg, pg))
    try:
        for url, server in targets:
            eng = make_engine(url)
            upgrade(eng)  # the same schema at both commits (8ade79d..HEAD changed no migration)
            eng.dispose()
            build(url, args)
        for url, server in targets:
            print(flush=True)
            bench(url, roots, args.repeat, server)
    finally:
        if pg and args.drop_pg:
            drop_pg(*pg)


if __name__ == "__main__":
    main()
