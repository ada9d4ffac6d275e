"""PostgreSQL ingest benchmark: the same twarc2 file into SQLite and into PostgreSQL.

Each run imports the file with ``python -m ingest file`` (the whole job: lock, schema, load,
index rebuild, reply linking, ANALYZE) in a child process, into a fresh SQLite file and into a
fresh PostgreSQL database, then imports it again into the loaded database (the re-load: every
row already present). Reported per engine, median of ``--repeat`` runs:

* wall time, and tweets stored per second of it;
* CPU: the client's (the child process: parsing, normalising, and for SQLite the engine too,
  since it runs in-process) and the PostgreSQL server's, summed over the backends, parallel
  workers and autovacuum workers attached to the benchmark's database, read from /proc while
  they run (sampled every 0.2 s, so a process's last fraction of a second can be missed; "n/a"
  when the server is not on this host). The server's own background writers are not counted;
* the ratio PostgreSQL / SQLite for the load and the re-load (the goal: within 1.5x).

Two re-loads: as the job does it (pages and files already stored are recognised by their
content hash and skipped unparsed), and with those hashes forgotten first ("re-upsert"), so
every row goes through the upserts again and is found present: the cost of re-reading
overlapping data that is not byte-identical.

    python benchmarks/pg_ingest_bench.py [--file PATH | --tweets 200000] [--repeat 3]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test] [--only sqlite|postgresql]

Without ``--file`` a brand-shaped demo of ``--tweets`` tweets is generated once into
benchmarks/out/ (what ``python -m ingest demo --shape brand --tweets N`` writes).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, inspect, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_PG = os.environ.get("CHAMPIONS_TEST_PG",
                            "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHOW = ["shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size",
        "synchronous_commit", "max_wal_size", "random_page_cost"]


def corpus(n: int) -> Path:
    from ingest.demo import DemoSpec, generate_demo

    out = HERE / "out" / f"brand-{n}.jsonl"
    if not out.exists():
        out.parent.mkdir(exist_ok=True)
        t = time.perf_counter()
        generate_demo(out, DemoSpec(n, 7, today=date(2026, 11, 26), shape="brand"))
        print(f"generated {out} in {time.perf_counter() - t:.0f} s", flush=True)
    return out


class ServerCpu:
    """CPU seconds used by the PostgreSQL processes attached to one database, read from
    /proc while they live (a backend's time is gone from /proc once it exits)."""

    def __init__(self, admin_url: str, database: str):
        self.admin_url, self.database = admin_url, database
        self.seen: dict[int, float] = {}
        self.local = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ServerCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float | None:
        return sum(self.seen.values()) if self.local else None

    def _poll(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        eng = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with eng.connect() as conn:
                while True:
                    pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"),
                                        {"d": self.database}).scalars().all()
                    for pid in pids:
                        try:
                            with open(f"/proc/{pid}/stat") as f:
                                fields = f.read().rsplit(")", 1)[1].split()
                        except OSError:
                            if not Path("/proc").exists():
                                self.local = False
                            continue
                        self.seen[pid] = (int(fields[11]) + int(fields[12])) / tick
                    if self._stop.wait(0.2):
                        break
        finally:
            eng.dispose()
        if not self.seen:
            self.local = False


def run_ingest(url: str, path: Path) -> tuple[float, float]:
    """``python -m ingest file`` in a child: (wall s, the child's CPU s)."""
    cmd = [sys.executable, "-m", "ingest", "file", "--db", url,
           "--config", str(ROOT / "champions.toml"), str(path)]
    with tempfile.TemporaryFile("w+") as log:  # a file, not a pipe: nothing can block
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            raise SystemExit(f"ingest failed ({proc.returncode}): {log.read()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def count_tweets(url: str) -> int:
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM tweets")).scalar()
    finally:
        eng.dispose()


def forget_content(url: str) -> None:
    """Forget the content hashes of what was loaded, so the next import parses and upserts
    every row again."""
    eng = create_engine(url)
    try:
        with eng.begin() as conn:
            if inspect(conn).has_table("loaded_pages"):
                conn.execute(text("DELETE FROM loaded_pages"))
            conn.execute(text("DELETE FROM imported_files"))
    finally:
        eng.dispose()


def one_sqlite(path: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        wall, cpu = run_ingest(url, path)
        tweets = count_tweets(url)
        rwall, rcpu = run_ingest(url, path)
        forget_content(url)
        uwall, ucpu = run_ingest(url, path)
    return {"wall": wall, "cpu": cpu, "server": 0.0, "tweets": tweets,
            "rwall": rwall, "rcpu": rcpu, "rserver": 0.0,
            "uwall": uwall, "ucpu": ucpu, "userver": 0.0}


def one_pg(admin_url: str, path: Path) -> dict:
    name = f"pgbench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        with ServerCpu(admin_url, name) as server:
            wall, cpu = run_ingest(url, path)
        tweets = count_tweets(url)
        with ServerCpu(admin_url, name) as rserver:
            rwall, rcpu = run_ingest(url, path)
        forget_content(url)
        with ServerCpu(admin_url, name) as userver:
            uwall, ucpu = run_ingest(url, path)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return {"wall": wall, "cpu": cpu, "server": server.seconds, "tweets": tweets,
            "rwall": rwall, "rcpu": rcpu, "rserver": rserver.seconds,
            "uwall": uwall, "ucpu": ucpu, "userver": userver.seconds}


def _cpu(client: float, server: float | None, engine: str) -> str:
    if engine == "sqlite":
        return f"CPU {client:6.1f} s (in-process engine)"
    srv = "n/a" if server is None else f"{server:6.1f} s"
    return f"CPU {client:6.1f} s client + {srv} server"


def line(engine: str, label: str, r: dict) -> str:
    return (f"{engine:10} {label}: load {r['wall']:6.1f} s wall, "
            f"{_cpu(r['cpu'], r['server'], engine)}, {r['tweets'] / r['wall']:7,.0f} tweets/s\n"
            f"{'':10} {' ' * len(label)}  re-load {r['rwall']:6.1f} s wall, "
            f"{_cpu(r['rcpu'], r['rserver'], engine)}"
            f" | re-upsert {r['uwall']:6.1f} s wall, {_cpu(r['ucpu'], r['userver'], engine)}")


def median_of(runs: list[dict]) -> dict:
    def med(key):
        vals = [r[key] for r in runs]
        return None if any(v is None for v in vals) else statistics.median(vals)
    return {k: med(k) for k in runs[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, help="a twarc2 JSONL file (default: a generated demo)")
    ap.add_argument("--tweets", type=int, default=200_000,
                    help="size of the generated brand-shaped demo (default 200000)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pg", default=DEFAULT_PG,
                    help="a PostgreSQL URL whose server the benchmark may create databases on")
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    path = args.file or corpus(args.tweets)
    admin = create_engine(args.pg)
    with admin.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
        settings = {s: conn.execute(text(f"SHOW {s}")).scalar() for s in SHOW}
    admin.dispose()
    print(f"file: {path} ({path.stat().st_size / 1e6:,.0f} MB)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
          f"PostgreSQL {version}")
    print("server settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()), flush=True)
    engines = [args.only] if args.only else ["sqlite", "postgresql"]
    runs: dict[str, list[dict]] = {e: [] for e in engines}
    for i in range(args.repeat):
        for engine in engines:  # interleaved, so a change in machine load hits both
            r = one_sqlite(path) if engine == "sqlite" else one_pg(args.pg, path)
            runs[engine].append(r)
            print(line(engine, f"run {i + 1}", r), flush=True)
    med = {e: median_of(rs) for e, rs in runs.items()}
    for engine, r in med.items():
        print(line(engine, "median", r))
    if len(med) == 2:
        s, p = med["sqlite"], med["postgresql"]
        print(f"PostgreSQL / SQLite: load {p['wall'] / s['wall']:.2f}x wall, re-load "
              f"{p['rwall'] / s['rwall']:.2f}x, re-upsert {p['uwall'] / s['uwall']:.2f}x "
              "(goal <= 1.5)")


if __name__ == "__main__":
    main()
