"""The erasure jobs behind ``python -m ingest forget`` and ``python -m ingest compliance``:
each is a ``work(run_id)`` the CLI runs under the run lock, like an import."""

from __future__ import annotations

import getpass
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ingest.compliance import chunks, read_compliance, run_compliance_job, stored_ids
from ingest.runs import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, utcnow
from ingest.xapi import XClient, x_deadlines, x_timeouts
from settings import Settings, bearer_token
from store.erase import apply_compliance, find_user, forget_user

__all__ = ["operator", "forget_work", "compliance_work", "compliance_due"]


def operator() -> str:
    """Who runs a command: the OS user (for the audit log and the export cap)."""
    return getpass.getuser()


def forget_work(engine, who: str):
    def work(run_id: int):
        with engine.begin() as conn:
            uid = find_user(conn, who)
            if uid is None:
                # Not stored (yet): suppress the id anyway so no later import brings it in.
                if not who.strip().lstrip("@").isdigit():
                    print(f"error: no stored account @{who.lstrip('@')}; give the numeric X "
                          "id to keep someone out who is not stored yet", file=sys.stderr)
                    return EXIT_FAILED, {}, f"unknown account {who}"
                uid = int(who.strip())
            counts = forget_user(conn, uid, actor=operator())
        print(f"forgot user {uid}: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
              + "; their id is suppressed in later imports")
        return EXIT_OK, {k: v for k, v in counts.items() if v}, None
    return work


def compliance_work(engine, paths: list[Path], kind: str | None, x_jobs, client,
                     sleep=time.sleep, settings: Settings | None = None):
    def work(run_id: int):
        totals: dict[str, int] = {}
        problems = []
        batches = []
        for path in paths:
            got = read_compliance(path)
            problems += got.problems
            batches.append((got.events, kind))
        if x_jobs:
            options = (settings or Settings()).x
            x = client if isinstance(client, XClient) else XClient(
                bearer_token(), client=client, timeout=x_timeouts(options),
                **x_deadlines(options))
            for job_kind in x_jobs:
                for ids in chunks(stored_ids(engine, job_kind)):
                    job = run_compliance_job(x, job_kind, ids, sleep=sleep)
                    problems += job.problems
                    batches.append((job.events, job_kind))
        for events, k in batches:
            with engine.begin() as conn:
                counts = apply_compliance(conn, events, actor=operator(), kind=k)
            for name, v in counts.items():
                totals[name] = totals.get(name, 0) + v
        for p in problems:
            print(f"{p.location}: {p.reason}", file=sys.stderr)
        _store_problems(engine, run_id, problems)
        totals["rejected"] = len(problems)
        print("compliance: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in
                                         totals.items()))
        return (EXIT_PARTIAL if problems else EXIT_OK), totals, None
    return work


def compliance_due(engine, every_hours: float = 24.0) -> bool:
    """X's batch compliance jobs run once a day: due when none finished in the last day."""
    try:
        with engine.connect() as conn:
            last = conn.execute(text("SELECT max(finished_at) FROM ingest_runs WHERE command ="
                                     " 'compliance' AND status IN ('ok', 'partial')")).scalar()
    except SQLAlchemyError:  # no schema yet: the run creates it
        return True
    if isinstance(last, str):
        last = datetime.fromisoformat(last)
    return last is None or (utcnow() - last).total_seconds() > every_hours * 3600


def _store_problems(engine, run_id: int, problems) -> None:
    if not problems:
        return
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO rejected_records (run_id, source, location, reason,"
                          " excerpt, created_at) VALUES (:r, 'compliance', :l, :why, :e, :t)"),
                     [{"r": run_id, "l": p.location, "why": p.reason, "e": p.excerpt,
                       "t": utcnow()} for p in problems])
