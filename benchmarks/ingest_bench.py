"""Ingest benchmark: twarc2 JSONL into SQLite, end to end, against the raw-write limit.

For each run:
1. end to end: ``import_files`` (the code path of ``python -m ingest file``) into a fresh SQLite
   database: parse, normalise, write users, tweets, edges and URLs, link replies;
2. the limit: the same rows, read back from that database, written by raw ``sqlite3``
   ``executemany`` into a fresh database with the same schema (WAL, synchronous=NORMAL,
   50k-row commits). Only the writes are timed.
Peak memory is measured in a child process per size (ru_maxrss), to show it stays flat as the
file grows.

    python benchmarks/ingest_bench.py [--tweets 1000000] [--repeat 3] [--sizes 250000,500000,1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.make_twarc_corpus import generate  # noqa: E402
from ingest.files import import_files  # noqa: E402
from store.db import make_engine  # noqa: E402

TABLES = ["users", "tweets", "interactions", "tweet_urls"]


def corpus(n: int) -> Path:
    out = HERE / "out" / f"twarc-{n}.jsonl"
    if not out.exists():
        out.parent.mkdir(exist_ok=True)
        t = time.perf_counter()
        generate(out, n)
        print(f"generated {out.name} ({out.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t:.1f} s", flush=True)
    return out


def end_to_end(path: Path, db: Path) -> tuple[float, int]:
    engine = make_engine(f"sqlite:///{db}")
    t = time.perf_counter()
    res = import_files(engine, None, [path], log=lambda m: None)
    elapsed = time.perf_counter() - t
    engine.dispose()
    return elapsed, res.counts.tweets_new


def raw_limit(src: Path, dst: Path) -> tuple[float, int]:
    make_engine(f"sqlite:///{dst}").dispose()  # the same schema and indexes, empty
    s = sqlite3.connect(src)
    d = sqlite3.connect(dst)
    d.execute("PRAGMA journal_mode=WAL")
    d.execute("PRAGMA synchronous=NORMAL")
    elapsed, rows = 0.0, 0
    for table in TABLES:
        cur = s.execute(f"SELECT * FROM {table}")
        ncols = len(cur.description)
        sql = f"INSERT INTO {table} VALUES ({', '.join('?' * ncols)})"
        while chunk := cur.fetchmany(50_000):
            t = time.perf_counter()
            d.executemany(sql, chunk)
            d.commit()
            elapsed += time.perf_counter() - t
            rows += len(chunk)
    s.close()
    d.close()
    return elapsed, rows


def peak_rss_mb(path: Path) -> float:
    """Peak RSS of a child process that imports ``path`` into a fresh database."""
    with tempfile.TemporaryDirectory() as tmp:
        code = (
            "import resource, sys\n"
            f"sys.path.insert(0, {str(HERE.parent)!r})\n"
            "from pathlib import Path\n"
            "from store.db import make_engine\nfrom ingest.files import import_files\n"
            f"e = make_engine('sqlite:///{tmp}/m.db')\n"
            f"import_files(e, None, [Path({str(path)!r})], log=lambda m: None)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tweets", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", default="250000,500000,1000000",
                    help="sizes for the peak-memory check (comma-separated)")
    args = ap.parse_args()
    path = corpus(args.tweets)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"SQLite {sqlite3.sqlite_version}")
    e2e, limit = [], []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            a, b = Path(tmp) / "e2e.db", Path(tmp) / "raw.db"
            t_e2e, n = end_to_end(path, a)
            t_raw, rows = raw_limit(a, b)
        e2e.append(t_e2e)
        limit.append(t_raw)
        print(f"run {i + 1}: end to end {t_e2e:6.1f} s ({n / t_e2e:,.0f} tweets/s, "
              f"{rows / t_e2e:,.0f} rows/s) | raw executemany {t_raw:5.1f} s "
              f"({rows / t_raw:,.0f} rows/s) | {rows:,} rows | ratio {t_e2e / t_raw:.2f}",
              flush=True)
    me, ml = statistics.median(e2e), statistics.median(limit)
    print(f"median: end to end {me:.1f} s, raw limit {ml:.1f} s, ratio {me / ml:.2f} "
          f"(goal <= 2.0)")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    for n in sizes:
        p = corpus(n)
        print(f"peak RSS importing {n:>9,} tweets: {peak_rss_mb(p):7.0f} MB", flush=True)
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
