"""The scheduled cycle: import the newest tweets, then rank, on a community of 1.37M tweets.

The brand-shaped community (``python -m ingest demo --shape brand --tweets 1370000``, the file
``rank_bench.py`` and ``ingest_bench.py`` use) is cut by time: everything before the newest
``--cycles x --new`` tweets is the base; the newest are ``--cycles`` files of ``--new`` tweets
each, in time order, so each cycle brings the newest tweets and moves the window's end (and
its start, and the window before it: tweets leave both windows as they would). The base is
imported and ranked once (untimed, from scratch: it writes the kept file), then kept as a
template (a file copy for SQLite, ``CREATE DATABASE ... TEMPLATE`` for PostgreSQL).

Timed, each in a fresh process, on a fresh copy of the base:

* **cycle**: ``python -m ingest cycle`` with the next file dropped into the watched folder
  (``[ingest] files``): the import, then the ranking (only the people something changed for);
* **nothing new**: ``python -m graph rank`` right after, and ``python -m ingest cycle`` with
  nothing new in the folder;
* **floor**: a process that imports the modules a cycle needs and parses the cycle's file
  (``orjson``), writing nothing: the least a cycle in a fresh process costs;
* **scratch**: ``python -m graph rank --scratch`` on the same data, once, at the end: the same
  ranking from scratch, which the last cycle's must equal (people, order, scores, tiers).

``--resident``: the cycles in one process instead, ``python -m ingest schedule --rank`` (each
ranking builds on the last in memory; the kept file is written after each cycle's line). The
next file is dropped in as each cycle's line arrives; the first cycle starts the process and
reads the kept file (reported apart), the median is of the others. Wall is the cycle's own
(its line's seconds: from the start of the import to the line); CPU is the process's between
two lines (with its workers'), which holds the kept file written after the previous line.

CPU is the child's (and its workers'); on PostgreSQL the server's backends' beside it. Median
of the cycles (``--cycles``, 3 by default).

    python benchmarks/cycle_bench.py [--db URL] [--new 10000] [--cycles 3] [--tweets 1370000]
                                     [--share X] [--resident]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import re
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from benchmarks.response_bench import PY, child_env, run_child  # noqa: E402

TODAY = "2026-11-26"  # the day rank_bench.py's community leads up to

FLOOR = """
import sys, orjson
sys.path.insert(0, {root!r})
import graph.rank, ingest.cli  # noqa: F401  (what a cycle imports)
n = 0
with open({path!r}, "rb") as fh:
    for line in fh:
        n += len(orjson.loads(line).get("data", ()))
print(n)
"""


def source_file(tweets: int) -> Path:
    """The community's twarc2 file (written once, as rank_bench.py's ``ingest demo`` does)."""
    from datetime import date

    from ingest.demo import DemoSpec, generate_demo

    path = HERE / "out" / "demo" / f"acme-{tweets}-seed7-brand.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generate_demo(path, DemoSpec(tweets, 7, today=date.fromisoformat(TODAY), shape="brand"))
    return path


def cut(src: Path, new: int, cycles: int, out: Path) -> tuple[Path, list[Path]]:
    """The base file and ``cycles`` files of the newest ``new`` tweets each, by time. The
    source's pages span its whole time, so its tweets are packed again into pages of 100, in
    the source's order, each with only the accounts and referred tweets its own tweets need
    (as a page of the X API has), and never a tweet newer than the page's cut."""
    import orjson

    base, parts = out / "base.jsonl", [out / f"cycle{i + 1}.jsonl" for i in range(cycles)]
    if base.exists() and all(p.exists() for p in parts):
        return base, parts
    times = []
    with src.open("rb") as fh:
        for line in fh:
            times.extend(t["created_at"] for t in orjson.loads(line).get("data", ()))
    times.sort()
    bounds = [times[len(times) - new * (cycles - i)] for i in range(cycles)]  # each cycle's first

    def slot(when: str) -> int:
        k = 0
        while k < cycles and when >= bounds[k]:
            k += 1
        return k  # 0: the base; k: cycle k

    outs = [base.open("wb"), *(p.open("wb") for p in parts)]
    pending: list[list[tuple[dict, dict, dict]]] = [[] for _ in outs]

    def flush(k: int) -> None:
        users: dict = {}
        tweets: dict = {}
        for _, u, t in pending[k]:
            users.update(u)
            tweets.update(t)
        data = [d for d, _, _ in pending[k]]
        outs[k].write(orjson.dumps({"data": data, "includes": {
            "users": list(users.values()), "tweets": list(tweets.values())},
            "meta": {"result_count": len(data)}}) + b"\n")
        pending[k].clear()

    try:
        with src.open("rb") as fh:
            for line in fh:
                page = orjson.loads(line)
                inc = page.get("includes") or {}
                users = {u["id"]: u for u in inc.get("users", ())}
                by_name = {u.get("username", "").lower(): u for u in users.values()}
                refs = {t["id"]: t for t in inc.get("tweets", ())}
                for t in page.get("data", ()):
                    k = slot(t["created_at"])
                    before = bounds[k] if k < cycles else "9999"
                    need_t = {r["id"]: refs[r["id"]] for r in t.get("referenced_tweets", ())
                              if r["id"] in refs and refs[r["id"]].get("created_at", "") < before}
                    ids = {t.get("author_id"), t.get("in_reply_to_user_id"),
                           *(r.get("author_id") for r in need_t.values())}
                    need_u = {i: users[i] for i in ids if i in users}
                    for m in (t.get("entities") or {}).get("mentions", ()):
                        u = users.get(m.get("id")) or by_name.get(m.get("username", "").lower())
                        if u is not None:
                            need_u[u["id"]] = u
                    pending[k].append((t, need_u, need_t))
                    if len(pending[k]) == 100:
                        flush(k)
        for k in range(len(outs)):
            if pending[k]:
                flush(k)
    finally:
        for fh in outs:
            fh.close()
    return base, parts


def run(args: list[str], url: str, server=None, check: bool = True) -> dict:
    """One fresh ``python ARGS`` (``response_bench.run_child``): wall, CPU (its own and its
    children's), server CPU, and its last line of output."""
    wall, cpu, server_cpu, out = run_child(args, ROOT, url, server, check)
    return {"wall": wall, "cpu": cpu, "server": server_cpu,
            "out": out.strip().splitlines()[-1] if out.strip() else ""}


class Database:
    """The base database and fresh copies of it."""

    def __init__(self, url: str | None, tweets: int, cut: str):
        self.pg = url is not None and url.startswith("postgresql")
        if self.pg:
            from sqlalchemy.engine import make_url

            parsed = make_url(url)
            self.admin = parsed.set(database="postgres").render_as_string(hide_password=False)
            self.base_name = f"{parsed.database}_cycle_base_{tweets}_{cut}"
            self.work_name = f"{parsed.database}_cycle_work_{tweets}_{cut}"
            self.base = parsed.set(database=self.base_name).render_as_string(hide_password=False)
            self.work = parsed.set(database=self.work_name).render_as_string(hide_password=False)
        else:
            folder = HERE / "out"
            self.base_file = folder / f"cycle-base-{tweets}-{cut}.db"
            self.work_file = folder / f"cycle-work-{tweets}-{cut}.db"
            self.base, self.work = f"sqlite:///{self.base_file}", f"sqlite:///{self.work_file}"

    def _admin(self, sql: str) -> None:
        from sqlalchemy import create_engine, text

        eng = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        try:
            with eng.connect() as conn:
                conn.execute(text(sql))
        finally:
            eng.dispose()

    def base_ready(self) -> bool:
        from sqlalchemy import create_engine, text

        if not self.pg and not self.base_file.exists():
            return False
        eng = create_engine(self.base)
        try:  # (a missing PostgreSQL database fails here too)
            with eng.connect() as conn:
                return bool(conn.execute(text("SELECT COUNT(*) FROM ranking_runs")).scalar())
        except Exception:
            return False
        finally:
            eng.dispose()  # CREATE DATABASE ... TEMPLATE needs no one connected to the base

    def make_base(self) -> None:
        if self.pg:
            self._admin(f'DROP DATABASE IF EXISTS "{self.base_name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.base_name}"')
        else:
            self.base_file.unlink(missing_ok=True)

    def fresh(self) -> str:
        """A copy of the base, with the base's kept ranking file."""
        from graph.incremental import cache_path
        from store.db import make_engine

        if self.pg:
            self._admin(f'DROP DATABASE IF EXISTS "{self.work_name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.work_name}" TEMPLATE "{self.base_name}"')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.work_file}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.base_file, self.work_file)
        base, work = make_engine(self.base), make_engine(self.work)
        shutil.copyfile(cache_path(base), cache_path(work))
        base.dispose()
        work.dispose()
        return self.work

    def server(self):
        if not self.pg:
            return None
        from benchmarks.pg_ingest_bench import ServerCpu

        return ServerCpu(self.admin, self.work_name)


def _cpu_of(pid: int) -> float:
    """A live process's CPU seconds, with its children's that it has waited for."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _memory_of(pid: int) -> str:
    """A live process's resident memory now and at its peak (/proc/PID/status)."""
    with open(f"/proc/{pid}/status") as fh:
        kb = dict(line.split(":", 1) for line in fh if line.startswith(("VmRSS", "VmHWM")))
    return (f"memory {int(kb['VmRSS'].split()[0]) // 1024} MB, "
            f"peak {int(kb['VmHWM'].split()[0]) // 1024} MB")


def resident(parts: list[Path], watched: Path, common: list[str], db: Database) -> list[dict]:
    """The cycles in one ``ingest schedule --rank`` process (``--resident``), one dict each:
    wall (the line's own seconds), CPU since the line before, server CPU, the line."""
    shutil.copyfile(parts[0], watched / parts[0].name)
    cmd = [PY, "-m", "ingest", "schedule", "--rank", "--every", "60s",
           "--times", str(len(parts)), *common]
    out: list[dict] = []
    with db.server() or nullcontext() as srv:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=child_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        cpu = server = 0.0
        for i, line in enumerate(proc.stdout):
            now, now_server = _cpu_of(proc.pid), (srv.seconds if srv else None) or 0.0
            wall = float(re.search(r"; ([\d.]+) s$", line.strip()).group(1))
            out.append({"wall": wall, "cpu": now - cpu, "out": line.strip(),
                        "server": now_server - server if srv else None})
            cpu, server = now, now_server
            print(f"resident cycle {i + 1}: {fmt(out[-1])} | {line.strip()}", flush=True)
            print(f"  process: {_memory_of(proc.pid)}", flush=True)
            print(f"  split  : {split_of(db.work)}", flush=True)
            if i + 1 < len(parts):
                shutil.copyfile(parts[i + 1], watched / parts[i + 1].name)
        if proc.wait() not in (0, 3):  # 3: in part (no X API token here)
            raise SystemExit(f"ingest schedule exited {proc.returncode}")
    return out


def against_scratch(work: str, common: list[str], db: Database) -> None:
    """The last cycle's ranking against ``graph rank --scratch`` of the same data."""
    last = ranking_of(work)
    r = run(["-m", "graph", "rank", "--scratch", "--top", "0", *common], work, db.server())
    print(f"graph rank --scratch (the same data): {fmt(r)} | {r['out']}")
    print("the last cycle's ranking against the one from scratch:", compare(last, ranking_of(work)))


def ranking_of(url: str, run_id: int | None = None) -> list:
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            run_id = run_id or conn.execute(text("SELECT MAX(id) FROM ranking_runs")).scalar()
            rows = conn.execute(text(
                "SELECT user_id, rank, score, tier, previous_tier, community"
                " FROM champion_scores WHERE run_id = :r ORDER BY user_id"), {"r": run_id})
            return [(u, rank, round(score, 3), tier, prev, comm)
                    for u, rank, score, tier, prev, comm in rows]
    finally:
        eng.dispose()


def split_of(url: str) -> str:
    """The newest run's own timings (seconds, wall), as ``run_ranking`` stored them."""
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            raw = conn.execute(text("SELECT timings FROM ranking_runs ORDER BY id DESC LIMIT 1")
                               ).scalar()
    finally:
        eng.dispose()
    return ", ".join(f"{k} {v:.2f}" for k, v in json.loads(raw or "{}").items())


def compare(a: list, b: list) -> str:
    ids = [r[0] for r in a] == [r[0] for r in b]
    order = ([r[0] for r in sorted((r for r in a if r[1]), key=lambda r: r[1])]
             == [r[0] for r in sorted((r for r in b if r[1]), key=lambda r: r[1])])
    by = {r[0]: r for r in b}
    scores = sum(1 for r in a if r[0] in by and abs(r[2] - by[r[0]][2]) > 0.0015)
    tiers = sum(1 for r in a if r[0] in by and (r[3], r[4]) != (by[r[0]][3], by[r[0]][4]))
    comms = sum(1 for r in a if r[0] in by and r[5] != by[r[0]][5])
    return (f"same people: {ids} ({len(a):,}), same order: {order}, scores differing by more "
            f"than rounding: {scores}, tiers differing: {tiers}, communities differing: {comms}")


def fmt(r: dict) -> str:
    server = f" + {r['server']:.1f} s server" if r.get("server") is not None else ""
    return f"{r['wall']:5.2f} s wall, {r['cpu']:5.2f} s CPU{server}"


def med(runs: list[dict]) -> dict:
    out = {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu")}
    servers = [r["server"] for r in runs if r.get("server") is not None]
    out["server"] = statistics.median(servers) if servers else None
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a PostgreSQL URL (its name is a prefix for the base and work "
                    "databases); default: SQLite files under benchmarks/out")
    ap.add_argument("--tweets", type=int, default=1_370_000)
    ap.add_argument("--new", type=int, default=10_000, help="tweets per cycle (default 10000)")
    ap.add_argument("--cycles", type=int, default=3)
    ap.add_argument("--share", type=float, help="[ranking] incremental_up_to for the run "
                    "(default: the settings' own; 1 builds on the last ranking whatever changed)")
    ap.add_argument("--resident", action="store_true",
                    help="the cycles in one 'ingest schedule --rank' process")
    args = ap.parse_args()
    out = HERE / "out" / f"cycle-{args.tweets}-{args.new}x{args.cycles}"
    out.mkdir(parents=True, exist_ok=True)
    base_file, parts = cut(source_file(args.tweets), args.new, args.cycles, out)
    db = Database(args.db, args.tweets, f"{args.new}x{args.cycles}")
    config = out / "cycle.toml"
    watched = out / "watched"
    shutil.rmtree(watched, ignore_errors=True)
    watched.mkdir()
    text = (ROOT / "champions.toml").read_text().replace(
        "files = []", f"files = [{json.dumps(str(watched))}]")
    if args.share is not None:
        text = text.replace("[ranking]\n", f"[ranking]\nincremental_up_to = {args.share}\n", 1)
    config.write_text(text)
    common = ["--db", None, "--config", str(config)]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"{'postgresql' if db.pg else 'sqlite'}", flush=True)
    if not db.base_ready():
        db.make_base()
        common[1] = db.base
        t = time.perf_counter()
        run(["-m", "ingest", "file", str(base_file), *common], db.base)
        r = run(["-m", "graph", "rank", *common], db.base)
        print(f"base built (import, then a ranking from scratch: {r['wall']:.1f} s) in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
    work = db.fresh()
    common[1] = work
    cycles, again, idle, floors = [], [], [], []
    if args.resident:
        runs = resident(parts, watched, common, db)
        against_scratch(work, common, db)
        print(f"first cycle (starts the process, reads the kept file): {fmt(runs[0])}")
        print(f"median of cycles 2-{len(runs)}: {fmt(med(runs[1:]))}")
        return
    for i, part in enumerate(parts):
        floors.append(run(["-c", FLOOR.format(root=str(ROOT), path=str(part))], work))
        shutil.copyfile(part, watched / part.name)
        r = run(["-m", "ingest", "cycle", *common], work, db.server(), check=False)
        cycles.append(r)
        print(f"cycle {i + 1}: {fmt(r)} | {r['out']}", flush=True)
        print(f"  split  : {split_of(work)}", flush=True)
        print(f"  floor  : {fmt(floors[-1])}", flush=True)
    for i in range(args.cycles):
        r = run(["-m", "graph", "rank", "--top", "0", *common], work, db.server())
        again.append(r)
        print(f"graph rank, nothing new {i + 1}: {fmt(r)} | {r['out']}", flush=True)
        r = run(["-m", "ingest", "cycle", *common], work, db.server(), check=False)
        idle.append(r)
        print(f"ingest cycle, nothing new {i + 1}: {fmt(r)} | {r['out']}", flush=True)
    against_scratch(work, common, db)
    floor = med(floors)
    for label, runs in (("cycle (import + rank)", cycles), ("graph rank, nothing new", again),
                        ("ingest cycle, nothing new", idle)):
        m = med(runs)
        print(f"median {label}: {fmt(m)} ({m['wall'] / floor['wall']:.1f}x the floor's wall, "
              f"{m['cpu'] / floor['cpu']:.1f}x its CPU)")
    print(f"median floor: {fmt(floor)}")


if __name__ == "__main__":
    main()
