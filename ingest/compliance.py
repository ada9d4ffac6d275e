"""X compliance: which stored tweets and accounts were deleted, protected, suspended or
withheld, from files and from X's batch compliance jobs. Applying them is ``store.erase``'s.

* **Files**: one JSON object a line with ``id`` and ``action`` (X's batch compliance job output,
  and the compliance lines twarc2 writes into its JSONL: ``{"id": "...", "action": "delete",
  "created_at": ..., "reason": "deactivated"}``). Other lines (tweets, pages) are skipped;
  malformed ones are reported as ``file:line: reason``.
* **Batch compliance jobs** (``POST /2/compliance/jobs`` through tweepy): upload the stored ids,
  wait for the job, download its result, apply it. X asks developers to run these regularly;
  ``python -m ingest run`` does once a day when ``[ingest.x] compliance = true``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import requests
from sqlalchemy import Engine, text

from ingest.records import Problem, compliance_event, excerpt
from ingest.xapi import XApiError, XClient

__all__ = ["Event", "read_compliance", "ComplianceJob", "run_compliance_job", "stored_ids"]

log = logging.getLogger(__name__)

Event = tuple[int, str, "str | None"]  # (id, action, reason): records.ComplianceEvent


@dataclass
class Read:
    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0


def _read_lines(lines: Iterable[bytes], where: Callable[[int], str]) -> Read:
    """Compliance events from JSON lines; other objects are skipped, malformed lines named."""
    out = Read()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            got = compliance_event(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            out.problems.append(Problem(where(lineno), f"invalid JSON: {exc}", excerpt(line)))
            continue
        if got is None:
            out.skipped += 1
        elif isinstance(got, str):
            out.problems.append(Problem(where(lineno), got, excerpt(line)))
        else:
            out.events.append(got)
    return out


def read_compliance(path: Path) -> Read:
    with path.open("rb") as fh:
        return _read_lines(fh, lambda n: f"{path}:{n}")


def stored_ids(engine: Engine, kind: str, limit: int | None = None) -> list[int]:
    """The real X ids (positive; TWCS ids are local) of stored tweets or users."""
    table = "tweets" if kind == "tweets" else "users"
    sql = f"SELECT id FROM {table} WHERE id > 0 ORDER BY id" + (f" LIMIT {int(limit)}"
                                                                  if limit else "")
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(sql))]


@dataclass
class ComplianceJob:
    kind: str
    job_id: str
    events: list[Event]
    problems: list[Problem]


def run_compliance_job(x: XClient, kind: str, ids: list[int], *,
                       http: requests.Session | None = None,
                       sleep: Callable[[float], None] = time.sleep,
                       poll_every: float = 30.0, max_polls: int = 240,
                       timeout: float = 60.0) -> ComplianceJob:
    """Create a batch compliance job for ``ids`` (tweets or users), upload them, wait until the
    job is complete, and return its events. Errors are XApiError naming the step."""
    if kind not in ("tweets", "users"):
        raise ValueError("kind is tweets or users")
    http = http or requests.Session()
    created = x.call("create_compliance_job", type=kind, name="champion-tracker")
    job = created.get("data") or {}
    job_id, upload = job.get("id"), job.get("upload_url")
    if not job_id or not upload:
        raise XApiError(f"create_compliance_job: no job in the response ({str(created)[:200]})")
    body = "\n".join(str(i) for i in ids).encode()
    resp = http.put(upload, data=body, headers={"Content-Type": "text/plain"}, timeout=timeout)
    if resp.status_code >= 300:
        raise XApiError(f"compliance upload: HTTP {resp.status_code}")
    for _ in range(max_polls):
        job = (x.call("get_compliance_job", id=job_id).get("data") or {})
        status = job.get("status")
        if status == "complete":
            break
        if status in ("failed", "expired"):
            raise XApiError(f"compliance job {job_id} {status}")
        sleep(poll_every)
    else:
        raise XApiError(f"compliance job {job_id} not complete after {max_polls} polls")
    resp = http.get(job["download_url"], timeout=timeout)
    if resp.status_code >= 300:
        raise XApiError(f"compliance download: HTTP {resp.status_code}")
    got = _read_lines(resp.content.splitlines(), lambda n: f"compliance job {job_id}:{n}")
    log.info("compliance job %s (%s): %d events for %d ids", job_id, kind, len(got.events),
             len(ids))
    return ComplianceJob(kind, job_id, got.events, got.problems)


def chunks(ids: list[int], size: int = 100_000) -> Iterator[list[int]]:
    """A batch compliance job takes at most 500,000 ids; smaller jobs finish sooner."""
    for i in range(0, len(ids), size):
        yield ids[i:i + size]
