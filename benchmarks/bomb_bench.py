"""Peak memory of an import given issue 18's three bombs, against a floor measured in the same run.

1. ``empty.jsonl.gz``: a 6 KB gzip of 2,000,000 ``{}`` lines (each a reject: only
   ``[ingest] max_reject_rows`` are stored one by one, the rest counted);
2. ``items.zip``: a 12 KB X archive zip whose tweets.js holds 4,000,000 ``{}`` items;
3. ``pages.zip``: a 1.3 MB X archive zip whose tweets.js expands to 1.31 GB (a real tweet
   every megabyte, spaces between): stopped at ``[ingest] max_ratio`` once past 64 MB.

Each is imported by ``python -m ingest file`` into a fresh SQLite database (``--db`` for
another), in a child process; its peak RSS (ru_maxrss, with any parsing workers) and wall and
CPU time are the median of ``--repeat``. The floor is the same command importing one real
page: what any import costs (Python, the libraries, the schema).

    python benchmarks/bomb_bench.py [--repeat 3] [--db URL]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
ARCHIVE = REALDATA / "x-archive-andreruffert" / "data"


def make_bombs(tmp: Path) -> dict[str, Path]:
    out = {}
    empty = tmp / "empty.jsonl.gz"
    empty.write_bytes(gzip.compress(b"{}\n" * 2_000_000, 9))
    out["2M {} lines, gzip"] = empty

    manifest = (ARCHIVE / "manifest.js").read_bytes()
    items = tmp / "items.zip"
    with zipfile.ZipFile(items, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("data/manifest.js", manifest)
        zf.writestr("data/tweets.js", b"window.YTD.tweets.part0 = [" + b"{}," * 3_999_999
                    + b"{}]")
    out["4M {} items, zip"] = items

    raw = (ARCHIVE / "tweets.js").read_text(encoding="utf-8")
    one = json.dumps(json.loads(raw[raw.index("["):])[0]).encode() + b","
    pages = tmp / "pages.zip"
    with zipfile.ZipFile(pages, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("data/manifest.js", manifest)
        with zf.open("data/tweets.js", "w", force_zip64=True) as fh:
            fh.write(b"window.YTD.tweets.part0 = [")
            block = one + b" " * ((1 << 20) - len(one))
            for _ in range(1_310_000_000 // len(block)):
                fh.write(block)
            fh.write(one[:-1] + b"]")
    out["1.31 GB archive, zip"] = pages

    floor = tmp / "floor.jsonl"
    first = (REALDATA / "twarc-csv" / "test-data" / "two_tweets.jsonl").read_bytes()
    floor.write_bytes(first.splitlines()[0] + b"\n")
    out["floor: one real page"] = floor
    return out


MEASURE = """
import resource, subprocess, sys, time
t, c = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, u.ru_utime + u.ru_stime - c.ru_utime - c.ru_stime,
      u.ru_maxrss, p.returncode, (p.stderr.strip().splitlines() or [""])[-1][:160], sep="\\t")
"""


def measure(path: Path, db: str | None, tmp: Path, run: int) -> tuple[float, float, float, int,
                                                                       str]:
    url = db or f"sqlite:///{tmp / f'bomb-{path.stem}-{run}.db'}"
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "ingest", "file",
                          str(path), "--db", url], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout.rstrip("\n").split("\t")
    return float(out[0]), float(out[1]), int(out[2]) / 1024, int(out[3]), out[4]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--db", help="a database URL (default: a fresh SQLite file per run)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        t = time.perf_counter()
        bombs = make_bombs(tmp)
        print(f"made the files in {time.perf_counter() - t:.1f} s: " + ", ".join(
            f"{p.name} {p.stat().st_size / 1024:,.0f} KB" for p in bombs.values()))
        rows = {}
        for run in range(args.repeat):  # interleaved, so a busy moment hits every case
            for name, path in bombs.items():
                rows.setdefault(name, []).append(measure(path, args.db, tmp, run))
        floor = statistics.median(r[2] for r in rows["floor: one real page"])
        print(f"\n{'file':24} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'x floor':>8}  exit  last"
              " line of stderr")
        for name, got in rows.items():
            wall, cpu, peak = (statistics.median(r[i] for r in got) for i in range(3))
            print(f"{name:24} {wall:7.1f} {cpu:7.1f} {peak:8.0f} {peak / floor:8.2f}  "
                  f"{got[-1][3]:>4}  {got[-1][4]}")
        print(f"\nmedian of {args.repeat}; peak = ru_maxrss of the import and its workers")


if __name__ == "__main__":
    main()
