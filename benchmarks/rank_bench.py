"""Ranking benchmark: the whole ranking on a 1M-tweet demo community, in SQLite.

Builds the database once (``python -m ingest demo --tweets N``), then times ``run_ranking`` in a
fresh child process per run, so peak memory (ru_maxrss) is the ranking's own:

* cold: the first ranking, which classifies every tweet's roles;
* warm: later rankings (roles are stored; only new tweets are classified).

Prints the split between SQL aggregation, graph build (NetworkX), PageRank, communities and
scoring, and precision@k against the planted champions.

    python benchmarks/rank_bench.py [--tweets 1000000] [--repeat 3]
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

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from sqlalchemy import text
from graph.evaluate import load_truth, precision_at_k
from graph.rank import run_ranking
from settings import load_settings
from store.db import make_engine
engine = make_engine({url!r})
if {cold}:
    with engine.begin() as c:
        c.execute(text("DELETE FROM tweet_acts"))
        c.execute(text("DELETE FROM graph_state"))
settings = load_settings({config!r})
t = time.perf_counter()
c0 = time.process_time()
res = run_ranking(engine, settings)
wall = time.perf_counter() - t
cpu = time.process_time() - c0
truth = load_truth(__import__("pathlib").Path({truth!r}))
ranked = [(p.username or "").lower() for p in res.ranked]
k = len(truth["champions"])
print(json.dumps({{"wall": wall, "cpu": cpu, "timings": res.timings,
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                   "p_at_k": precision_at_k(ranked, truth["champions"], k), "k": k,
                   "ranked": len(res.ranked)}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tweets", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    db = out / f"demo-{args.tweets}.db"
    url = f"sqlite:///{db}"
    truth = out / "demo" / f"acme-{args.tweets}-seed7.truth.json"
    if not db.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ingest", "demo", "--tweets", str(args.tweets),
                        "--out", str(out / "demo"), "--db", url], cwd=ROOT, check=True)
        print(f"built {db.name} in {time.perf_counter() - t:.0f} s", flush=True)
    print(f"machine: {os.cpu_count()} cores; database {db.stat().st_size / 1e6:.0f} MB")
    results = {"cold": [], "warm": []}
    for i in range(args.repeat):
        for kind in ("cold", "warm"):
            code = CHILD.format(root=str(ROOT), url=url, cold=kind == "cold",
                                config=str(ROOT / "champions.toml"), truth=str(truth))
            got = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                            text=True, check=True).stdout.splitlines()[-1])
            results[kind].append(got)
            tm = got["timings"]
            split = ", ".join(f"{k} {v:.1f}" for k, v in tm.items() if k != "total")
            print(f"run {i + 1} {kind}: {got['wall']:.1f} s wall, {got['cpu']:.1f} s CPU, peak {got['rss_mb']:.0f} MB, "
                  f"{got['ranked']} ranked, precision@{got['k']} {got['p_at_k']:.3f} | {split}",
                  flush=True)
    for kind, runs in results.items():
        print(f"median {kind}: {statistics.median(r['wall'] for r in runs):.1f} s wall, "
              f"{statistics.median(r['cpu'] for r in runs):.1f} s CPU, "
              f"peak memory {max(r['rss_mb'] for r in runs):.0f} MB (goal < 60 s, < 4 GB)")


if __name__ == "__main__":
    main()
