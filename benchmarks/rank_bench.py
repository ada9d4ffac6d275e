"""Ranking benchmark: cold and warm rankings on a community shaped like a real brand's.

Builds the database once (``python -m ingest demo --shape brand --tweets N``: about one customer
per 9 tweets and one casual helper per 65, so most people ask once or twice and most helpers
answer once or twice; ``--shape demo`` is the compact demo), then times ``run_ranking`` in a
fresh child process per run, so peak memory is the ranking's own (the largest process's, and
the sum over it and its worker processes, shared pages counted once: PSS, sampled):

* cold: the first ranking, which classifies every tweet's roles and builds ``help_acts``
  (on PostgreSQL the emptied tables are vacuumed first, untimed, so that each cold run starts
  alike: the dead rows of the last one slowed each next run by a third);
* warm: a later ranking (roles and help rows are kept; only new tweets are worked on).

CPU is the child's own plus its worker processes' (the classification runs in workers); on
PostgreSQL the server's backends' CPU is shown beside it (read from /proc at the end of the
run: the server must be on this machine; parallel query workers are not counted). The
floor, measured in the same run, is one grouped pass over the window's tweets
(``SELECT author_id, COUNT(*) ... GROUP BY author_id``): the least any ranking must read.

    python benchmarks/rank_bench.py [--tweets 1370000] [--shape brand] [--repeat 3]
        [--db URL] [--save ranking.json] [--compare ranking.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
TODAY = "2026-11-26"  # a fixed day: the same file and database on every machine

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from datetime import timedelta
from sqlalchemy import text
from graph.rank import latest_tweet_time, run_ranking
from settings import load_settings
from store.db import make_engine, bind_time
engine = make_engine({url!r})
kind = {kind!r}
if kind == "cold":
    with engine.begin() as c:
        c.execute(text("DELETE FROM help_acts"))
        c.execute(text("DELETE FROM tweet_acts"))
        c.execute(text("DELETE FROM graph_state"))
    if engine.dialect.name == "postgresql":  # each cold run starts from the same tables, not
        with engine.connect() as c:            # from the last one's dead rows
            c.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE tweet_acts, help_acts")
def usage():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
settings = load_settings({config!r})


def tree_pss():
    # Kilobytes of memory this process and its descendants hold, shared pages shared out
    # (PSS: a forked worker's untouched pages count once in all).
    import os
    todo, total = [os.getpid()], 0
    while todo:
        pid = todo.pop()
        try:
            for line in open(f"/proc/{{pid}}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for tid in os.listdir(f"/proc/{{pid}}/task"):
                todo += [int(c) for c in open(f"/proc/{{pid}}/task/{{tid}}/children").read().split()]
        except OSError:
            pass
    return total


peak_total = [0]


def sample():
    while True:
        peak_total[0] = max(peak_total[0], tree_pss())
        time.sleep(0.25)


import threading
threading.Thread(target=sample, daemon=True).start()
t, c0 = time.perf_counter(), usage()
if kind == "floor":
    end = latest_tweet_time(engine) + timedelta(seconds=1)
    start = end - timedelta(days=float(settings.ranking["window_days"]))
    with engine.connect() as conn:
        n = len(conn.execute(text("SELECT author_id, COUNT(*) FROM tweets WHERE created_at >= :s"
                                  " AND created_at < :e GROUP BY author_id"),
                             {{"s": bind_time(engine.dialect.name, start),
                               "e": bind_time(engine.dialect.name, end)}}).all())
    out = {{"authors": n}}
else:
    res = run_ranking(engine, settings)
    out = {{"timings": res.timings, "ranked": len(res.ranked),
           "people": [[p.user_id, p.rank, round(p.score, 3), p.tier] for p in res.people]}}
server = 0.0
if engine.dialect.name == "postgresql":  # the backends' own CPU (this machine's server only)
    import os
    tick = os.sysconf("SC_CLK_TCK")
    with engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity"
                                 " WHERE datname = current_database()")).scalars().all()
    for pid in pids:
        try:
            fields = open(f"/proc/{{pid}}/stat").read().rsplit(")", 1)[1].split()
            server += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
out.update(wall=time.perf_counter() - t, cpu=usage() - c0, server_cpu=server,
           rss_mb=max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
           total_mb=max(peak_total[0], tree_pss()) / 1024)
print(json.dumps(out))
"""


def build(url: str, tweets: int, shape: str) -> None:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ingest", "demo", "--tweets", str(tweets), "--shape",
                    shape, "--today", TODAY, "--out", str(HERE / "out" / "demo"), "--db", url],
                   cwd=ROOT, check=True)
    print(f"built the database in {time.perf_counter() - t:.0f} s", flush=True)


def warm_file(url: str) -> None:
    """Read a SQLite database file through once, so that every run starts from the page cache
    (this machine's kernel evicts pages idle for a while, and a run that met them on disk
    measured the disk: a floor of 38 s wall for 5 s of CPU)."""
    if url.startswith("sqlite:///"):
        with open(url[len("sqlite:///"):], "rb") as fh:
            while fh.read(1 << 24):
                pass


def child(url: str, kind: str) -> dict:
    warm_file(url)
    code = CHILD.format(root=str(ROOT), url=url, kind=kind, config=str(ROOT / "champions.toml"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{kind} run failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def compare(before: list, after: list) -> str:
    a = {p[0]: p for p in before}
    b = {p[0]: p for p in after}
    order_a = [p[0] for p in sorted((p for p in before if p[1]), key=lambda p: p[1])]
    order_b = [p[0] for p in sorted((p for p in after if p[1]), key=lambda p: p[1])]
    moved = sum(1 for u in a.keys() & b.keys() if abs(a[u][2] - b[u][2]) > 0.0015)
    tiers = sum(1 for u in a.keys() & b.keys() if a[u][3] != b[u][3])
    return (f"same people: {a.keys() == b.keys()}, same order: {order_a == order_b}, "
            f"scores differing by more than rounding: {moved}, tiers differing: {tiers}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tweets", type=int, default=1_370_000)
    ap.add_argument("--shape", choices=("brand", "demo"), default="brand")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", help="database URL (default: a SQLite file under benchmarks/out); "
                    "a PostgreSQL database is loaded if it holds no tweets")
    ap.add_argument("--save", type=Path, help="write the ranking (id, rank, score, tier) here")
    ap.add_argument("--compare", type=Path, help="compare the ranking with one --save wrote")
    args = ap.parse_args()
    (HERE / "out").mkdir(exist_ok=True)
    url = args.db or f"sqlite:///{HERE / 'out' / f'{args.shape}-{args.tweets}.db'}"
    from sqlalchemy import text

    from store.db import make_engine
    from store.migrate import upgrade
    eng = make_engine(url)
    upgrade(eng)
    with eng.connect() as conn:
        empty = conn.execute(text("SELECT 1 FROM tweets LIMIT 1")).first() is None
        if not empty:
            users = conn.execute(text("SELECT COUNT(*) FROM users")).scalar()
            n = conn.execute(text("SELECT COUNT(*) FROM tweets")).scalar()
    eng.dispose()
    if empty:
        build(url, args.tweets, args.shape)
    else:
        print(f"database: {n:,} tweets, {users:,} users")
    _run(args, url)


def _run(args, url: str) -> None:
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {url.split(':')[0]}")
    results: dict[str, list[dict]] = {"floor": [], "cold": [], "warm": []}
    for i in range(args.repeat):
        for kind in ("floor", "cold", "warm"):
            got = child(url, kind)
            results[kind].append(got)
            split = ", ".join(f"{k} {v:.1f}" for k, v in got.get("timings", {}).items()
                              if k != "total")
            what = (f"{got['ranked']:,} ranked | {split}" if kind != "floor"
                    else f"{got['authors']:,} authors")
            server = f" + {got['server_cpu']:.1f} s server" if got.get("server_cpu") else ""
            print(f"run {i + 1} {kind:5}: {got['wall']:6.1f} s wall, {got['cpu']:6.1f} s CPU{server}, "
                  f"peak {got['rss_mb']:.0f} MB ({got['total_mb']:.0f} MB all processes)"
                  f" | {what}", flush=True)
    floor = statistics.median(r["cpu"] for r in results["floor"])
    floor_wall = statistics.median(r["wall"] for r in results["floor"])
    print(f"median floor: {floor_wall:.1f} s wall, {floor:.1f} s CPU")
    for kind in ("cold", "warm"):
        runs = results[kind]
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        server = statistics.median(r.get("server_cpu", 0.0) for r in runs)
        print(f"median {kind}: {wall:.1f} s wall, {cpu:.1f} s CPU"
              + (f" + {server:.1f} s server CPU" if server else "") + " "
              f"({cpu / floor:.1f}x the floor's CPU), peak memory "
              f"{max(r['rss_mb'] for r in runs):.0f} MB in one process,"
              f" {max(r['total_mb'] for r in runs):.0f} MB in all (PSS, sampled every 0.25 s)")
    people = results["warm"][-1]["people"]
    print("cold and warm rank alike:", compare(results["cold"][-1]["people"], people))
    if args.save:
        args.save.write_text(json.dumps(people))
    if args.compare:
        print("against", args.compare, ":", compare(json.loads(args.compare.read_text()), people))


if __name__ == "__main__":
    main()
