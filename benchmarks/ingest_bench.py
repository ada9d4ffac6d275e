"""Ingest benchmark: twarc2 JSONL into SQL, end to end, against the raw-write floor.

For each run (median of ``--repeat``, wall and CPU; CPU includes the parsing workers'):
1. end to end: ``import_files`` (the code path of ``python -m ingest file``) into a fresh
   database: parse, normalise, validate, write users, tweets, edges and URLs, link replies;
2. the re-load: the same file again into that database (0 new rows: its pages are known);
3. the floor (SQLite): the same rows, read back from that database, written by raw
   ``sqlite3`` ``executemany`` into a fresh database with the same schema and indexes (WAL,
   synchronous=NORMAL, 50k-row commits). Only the writes are timed: a naive loader would
   also have to parse, so an import at or below this floor costs less than its writes alone.
Peak memory is measured in a child process per size (ru_maxrss of the importer and of its
largest worker), to show it stays flat as the file grows.

    python benchmarks/ingest_bench.py [--file PATH | --tweets 1000000] [--repeat 3]
        [--sizes 250000,500000,1000000] [--workers auto|0|1|2[,...]]

``--file`` uses an existing corpus (its peak memory is measured on its first quarter, half and
whole); otherwise a corpus is generated (``make_twarc_corpus``). The database part is
:func:`measure_import`, which takes a URL, so other databases can be measured the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.make_twarc_corpus import generate  # noqa: E402
from ingest.files import import_files  # noqa: E402
from store.db import make_engine  # noqa: E402
from store.migrate import upgrade  # noqa: E402

TABLES = ["users", "tweets", "interactions", "tweet_urls"]


@dataclass
class Timing:
    wall: float
    cpu: float  # this process and its finished children (the parsing workers)


class _Clock:
    def __enter__(self) -> _Clock:
        self._t = time.perf_counter()
        self._c = _cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.timing = Timing(time.perf_counter() - self._t, _cpu() - self._c)


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def corpus(n: int) -> Path:
    out = HERE / "out" / f"twarc-{n}.jsonl"
    if not out.exists():
        out.parent.mkdir(exist_ok=True)
        t = time.perf_counter()
        generate(out, n)
        print(f"generated {out.name} ({out.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t:.1f} s", flush=True)
    return out


def prefix(path: Path, fraction: float, folder: Path) -> Path:
    """The first ``fraction`` of a JSON-lines file's lines (pages), as a file of its own."""
    if fraction >= 1:
        return path
    with path.open("rb") as fh:
        total = sum(1 for _ in fh)
    keep = max(1, int(total * fraction))
    out = folder / f"{path.stem}-{fraction:g}.jsonl"
    with path.open("rb") as src, out.open("wb") as dst:
        for i, line in enumerate(src):
            if i >= keep:
                break
            dst.write(line)
    return out


@dataclass
class Run:
    e2e: Timing
    reload: Timing
    tweets_new: int
    unchanged: int


def measure_import(url: str, path: Path, workers: int | None) -> Run:
    """End to end into the empty database at ``url``, then the same file again."""
    engine = make_engine(url)
    try:
        with _Clock() as first:
            res = import_files(engine, None, [path], log=lambda m: None, workers=workers)
        with _Clock() as again:
            res2 = import_files(engine, None, [path], log=lambda m: None, workers=workers)
    finally:
        engine.dispose()
    assert res2.counts.tweets_new == 0, res2.counts
    return Run(first.timing, again.timing, res.counts.tweets_new, res2.counts.unchanged)


def sqlite_floor(src: Path, dst: Path) -> tuple[Timing, int]:
    """Raw ``executemany`` of the rows of ``src`` into a fresh database with the same schema."""
    engine = make_engine(f"sqlite:///{dst}")
    upgrade(engine)  # the same schema and indexes, empty
    engine.dispose()
    s = sqlite3.connect(src)
    d = sqlite3.connect(dst)
    d.execute("PRAGMA journal_mode=WAL")
    d.execute("PRAGMA synchronous=NORMAL")
    wall = cpu = 0.0
    rows = 0
    for table in TABLES:
        cur = s.execute(f"SELECT * FROM {table}")
        ncols = len(cur.description)
        sql = f"INSERT INTO {table} VALUES ({', '.join('?' * ncols)})"
        while chunk := cur.fetchmany(50_000):
            with _Clock() as c:
                d.executemany(sql, chunk)
                d.commit()
            wall += c.timing.wall
            cpu += c.timing.cpu
            rows += len(chunk)
    s.close()
    d.close()
    return Timing(wall, cpu), rows


def peak_rss_mb(path: Path, workers: int | None) -> tuple[float, float]:
    """Peak RSS (MB) of a child process that imports ``path`` into a fresh database, and of
    its largest parsing worker."""
    with tempfile.TemporaryDirectory() as tmp:
        code = (
            "import json, resource, sys\n"
            f"sys.path.insert(0, {str(HERE.parent)!r})\n"
            "from pathlib import Path\n"
            "from store.db import make_engine\nfrom ingest.files import import_files\n"
            "if __name__ == '__main__':\n"
            f"    e = make_engine('sqlite:///{tmp}/m.db')\n"
            f"    import_files(e, None, [Path({str(path)!r})], log=lambda m: None,"
            f" workers={workers!r})\n"
            "    print(json.dumps([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
        )
        script = Path(tmp) / "rss.py"
        script.write_text(code)
        out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                             check=True).stdout
    me, kids = json.loads(out.strip().splitlines()[-1])
    return me / 1024, kids / 1024


def _workers(value: str) -> int | None:
    return None if value == "auto" else int(value)


def _med(values: list[float]) -> float:
    return statistics.median(values)


def bench(path: Path, repeat: int, workers: int | None) -> None:
    label = "auto" if workers is None else str(workers)
    e2e, reload, floor = [], [], []
    n = rows = 0
    for i in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            a, b = Path(tmp) / "e2e.db", Path(tmp) / "raw.db"
            run = measure_import(f"sqlite:///{a}", path, workers)
            f, rows = sqlite_floor(a, b)
        n = run.tweets_new
        e2e.append(run.e2e)
        reload.append(run.reload)
        floor.append(f)
        print(f"  run {i + 1}: end to end {run.e2e.wall:6.1f} s wall {run.e2e.cpu:6.1f} s CPU"
              f" ({n / run.e2e.wall:,.0f} tweets/s) | floor {f.wall:5.1f} s wall {f.cpu:5.1f} s"
              f" CPU | re-load {run.reload.wall:4.1f} s wall {run.reload.cpu:4.1f} s CPU"
              f" ({run.unchanged:,} pages unchanged)", flush=True)
    ew, ec = _med([t.wall for t in e2e]), _med([t.cpu for t in e2e])
    fw, fc = _med([t.wall for t in floor]), _med([t.cpu for t in floor])
    rw, rc = _med([t.wall for t in reload]), _med([t.cpu for t in reload])
    print(f"median, workers={label}, {n:,} tweets, {rows:,} rows:\n"
          f"  end to end   {ew:7.1f} s wall {ec:7.1f} s CPU  {n / ew:8,.0f} tweets/s wall"
          f"  {n / ec:8,.0f} tweets/s CPU\n"
          f"  raw floor    {fw:7.1f} s wall {fc:7.1f} s CPU  (executemany of the same "
          f"{rows:,} rows)\n"
          f"  ratio        {ew / fw:7.2f} wall  {ec / fc:9.2f} CPU   (end to end / floor; goal <= 1)\n"
          f"  re-load      {rw:7.1f} s wall {rc:7.1f} s CPU  (0 new rows; goal < 10 s)",
          flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, help="an existing twarc2 JSONL corpus")
    ap.add_argument("--tweets", type=int, default=1_000_000,
                    help="size of the generated corpus (without --file)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per setting (0: memory only)")
    ap.add_argument("--sizes", default="250000,500000,1000000",
                    help="generated sizes for the peak-memory check (without --file)")
    ap.add_argument("--workers", default="auto",
                    help="parsing workers: auto, or a number; several (0,1,2) to compare")
    ap.add_argument("--no-rss", action="store_true", help="skip the peak-memory check")
    args = ap.parse_args()
    path = args.file or corpus(args.tweets)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, Python "
          f"{sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; {path} "
          f"({path.stat().st_size / 1e6:,.0f} MB)", flush=True)
    choices = [_workers(w) for w in args.workers.split(",")]
    for workers in choices:
        if args.repeat > 0:
            bench(path, args.repeat, workers)
    if args.no_rss:
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.file:
            sized = [(f"{frac:>4.0%} of the file", prefix(path, frac, Path(tmp)))
                     for frac in (0.25, 0.5, 1.0)]
        else:
            sized = [(f"{int(s):>9,} tweets", corpus(int(s)))
                     for s in args.sizes.split(",") if s]
        for workers in choices:
            for label, p in sized:
                me, worker = peak_rss_mb(p, workers)
                print(f"peak RSS importing {label} ({p.stat().st_size / 1e6:,.0f} MB), workers="
                      f"{'auto' if workers is None else workers}: {me:6.0f} MB, largest worker "
                      f"{worker:5.0f} MB", flush=True)


if __name__ == "__main__":
    main()
