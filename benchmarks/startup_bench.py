"""Start-up benchmark: how long the command lines take to start and finish, against the floor.

Each command runs in a fresh process, ``--repeat`` times, the commands taking turns (so a burst
of load on a shared machine falls on all of them alike). For each: the median wall time, the
median CPU time (user + system of the child, from ``getrusage(RUSAGE_CHILDREN)`` deltas), the
fastest wall time, and the median wall over the floor's (``python -c pass``). ``python -c
"import sqlalchemy"`` is a second reference: what importing SQLAlchemy alone costs.

``ingest status`` reads a small SQLite database made here by ``python -m ingest demo --size
tiny``; ``--status-db URL`` also times it on another database with the current schema (e.g. a
PostgreSQL one).

``--root DIR`` times another checkout of the project (e.g. the code before a change) with
this Python.

    python benchmarks/startup_bench.py [--repeat 7] [--budget 0.3] [--status-db URL] [--root DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def commands(db: str, status_db: str | None) -> list[tuple[str, list[str]]]:
    cmds = [
        ("python -c pass (floor)", ["-c", "pass"]),
        ('python -c "import sqlalchemy"', ["-c", "import sqlalchemy"]),
        ("ingest --help", ["-m", "ingest", "--help"]),
        ("ingest status", ["-m", "ingest", "status", "--db", db]),
        ("ingest status --json", ["-m", "ingest", "status", "--json", "--db", db]),
        ("graph --help", ["-m", "graph", "--help"]),
        ("store --help", ["-m", "store", "--help"]),
    ]
    if status_db:
        cmds += [("ingest status (--status-db)", ["-m", "ingest", "status", "--db", status_db]),
                 ("ingest status --json (--status-db)",
                  ["-m", "ingest", "status", "--json", "--db", status_db])]
    return cmds


def run_once(args: list[str], root: Path = ROOT) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh ``python ARGS`` in ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([PY, *args], cwd=root, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"python {' '.join(args)} exited {proc.returncode}:\n"
                         f"{proc.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs of each command (default 7)")
    ap.add_argument("--budget", type=float, default=0.3,
                    help="the wall-time goal in seconds (default 0.3)")
    ap.add_argument("--status-db", metavar="URL",
                    help="also time `ingest status` on this database (current schema)")
    ap.add_argument("--root", type=Path, default=ROOT,
                    help="the checkout to time (default: this one)")
    args = ap.parse_args()
    if args.repeat < 3:
        ap.error("--repeat must be 3 or more (the figures are medians)")

    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/startup.db"
        subprocess.run([PY, "-m", "ingest", "demo", "--size", "tiny", "--db", db, "--out", tmp],
                       cwd=args.root, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        cmds = commands(db, args.status_db)
        for _, a in cmds:  # warm the file cache and the .pyc files; not counted
            run_once(a, args.root)
        walls: dict[str, list[float]] = {name: [] for name, _ in cmds}
        cpus: dict[str, list[float]] = {name: [] for name, _ in cmds}
        for _ in range(args.repeat):
            for name, a in cmds:
                wall, cpu = run_once(a, args.root)
                walls[name].append(wall)
                cpus[name].append(cpu)

    print(f"{args.root}: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, Python "
          f"{platform.python_version()}, SQLAlchemy {version('sqlalchemy')}; "
          f"median of {args.repeat} fresh processes each")
    floor = statistics.median(walls[cmds[0][0]])
    width = max(len(name) for name, _ in cmds)
    print(f"{'command':<{width}}  {'wall':>8}  {'CPU':>8}  {'fastest':>8}  {'x floor':>7}  "
          f"{'over floor':>10}  goal")
    for name, _ in cmds:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        goal = "" if name.startswith("python") else (
            f"<= {args.budget} s" if wall <= args.budget else f"OVER {args.budget} s")
        print(f"{name:<{width}}  {wall:7.3f}s  {cpu:7.3f}s  {min(walls[name]):7.3f}s  "
              f"{wall / floor:7.1f}  {wall - floor:9.3f}s  {goal}")


if __name__ == "__main__":
    main()
