"""What ``python -m ingest status`` and the health page report: counts, recent runs, rejected
records, the days tweets came in, and alerts that fit the data.

Two kinds of data are judged differently:

* **live**: tweets fetched by X API runs (``ingest x``, or ``ingest run``/``schedule`` with
  support handles; their runs' source starts with ``x:``). A live channel is compared with now:
  runs that stopped, mentions that stopped, days with nothing fetched are alarms.
* **imported history**: everything else (files: TWCS, archives, twarc2, the demo). Old data is
  not a broken channel, so it is judged on its own dates: its window is the data's own span and
  its checks are measured from its last day, never from today.

A database with any X API run is live (its imported files are reported beside it); one with
only files is history. ``until`` given explicitly (``--until``) fixes the window's last day
for either.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from store.db import pyformat, utcnow
from store.indexes import READ_INDEXES, missing_note
from untrusted import printable

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["collect_status", "format_status", "run_rows", "describe_source", "LIVE_SOURCE",
           "schema_is_current"]

LIVE_SOURCE = "x-api"       # tweets.source of tweets fetched from the X API
LIVE_RUN_PREFIX = "x:"      # ingest_runs.source of X API runs: "x:AcmeHelp,AcmeAyuda"
STOPPED_HOURS = 24          # no X API run for this long: the schedule has stopped
QUIET_MENTION_DAYS = 2      # days without a mention of a support handle before alarming
HISTORY_TRIM = 0.01         # the history chart starts where the newest 99% of tweets start
HISTORY_MAX_DAYS = 366      # and covers at most this many days
# store.models.EDGE_KINDS, in its order (a test keeps them equal): the status reads plain SQL
# so that `python -m ingest status` need not import the ORM models.
EDGE_KINDS = ("reply", "mention", "retweet", "quote")
MIGRATIONS = Path(__file__).resolve().parent.parent / "store" / "migrations" / "versions"


def _dt(v: Any) -> datetime | None:
    if v is None or isinstance(v, datetime):
        return v
    return datetime.fromisoformat(str(v))


def _iso(v: Any) -> str | None:
    v = _dt(v)
    return v.isoformat(sep=" ") if v is not None else None


def _minute(v: Any) -> str:
    v = _dt(v)
    return v.strftime("%Y-%m-%d %H:%M") if v is not None else ""


def _ago(then: datetime, now: datetime) -> str:
    hours = (now - then).total_seconds() / 3600
    if hours < 48:
        n = max(int(hours), 0)
        return f"{n} hour{'' if n == 1 else 's'} ago"
    n = int(hours // 24)
    return f"{n} days ago"


class _Sql:
    """Plain SQL with ``:name`` parameters, on an SQLAlchemy connection or a ``sqlite3`` one
    (``python -m ingest status`` reads a SQLite file with the standard library: importing
    SQLAlchemy alone takes longer than the whole command should). Times come back as SQLite
    text or PostgreSQL timestamps; ``_dt`` reads either."""

    def __init__(self, conn: Any) -> None:
        if isinstance(conn, sqlite3.Connection):
            self.sqlite = True
            self._run = lambda sql, params: conn.execute(sql, params).fetchall()
        elif _is_psycopg(conn):  # PostgreSQL without SQLAlchemy (``postgres_connection``)
            self.sqlite = False
            self._run = lambda sql, params: conn.execute(pyformat(sql), params).fetchall()
        else:  # an SQLAlchemy connection
            from sqlalchemy import text

            self.sqlite = conn.dialect.name == "sqlite"
            self._run = lambda sql, params: conn.execute(text(sql), params).all()

    def rows(self, sql: str, **params: Any) -> list[tuple]:
        return [tuple(r) for r in self._run(sql, params)]

    def one(self, sql: str, **params: Any) -> tuple:
        return self.rows(sql, **params)[0]

    def scalar(self, sql: str, **params: Any) -> Any:
        rows = self.rows(sql, **params)
        return rows[0][0] if rows else None

    def time(self, value: datetime) -> datetime | str:
        """A time parameter as SQLAlchemy's DateTime binds it: SQLite compares ISO text with
        microseconds, PostgreSQL timestamps."""
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else value


def _is_psycopg(conn: Any) -> bool:
    return type(conn).__module__.startswith("psycopg")


def _head_revision() -> str | None:
    """The newest migration in store/migrations, read from the revision files without
    importing Alembic; None unless there is exactly one head."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in MIGRATIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\b[^=\n]*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        down = re.search(r"^down_revision\b[^=\n]*=\s*(.+)$", source, re.M)
        if rev is None or down is None:
            return None
        revisions.add(rev[1])
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down[1]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def schema_is_current(db: Engine | sqlite3.Connection) -> bool:
    """Whether the database is at the newest schema revision, in plain SQL and without
    Alembic. False when it is not, or when unsure: ``store.migrate.check`` then says what to
    run."""
    head = _head_revision()
    if head is None:
        return False
    try:
        if isinstance(db, sqlite3.Connection) or _is_psycopg(db):
            rows = db.execute("SELECT version_num FROM alembic_version").fetchall()
        else:
            from sqlalchemy import text

            with db.connect() as conn:
                rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except Exception:  # noqa: BLE001 - no such table, or any other doubt: ask Alembic
        if _is_psycopg(db):
            db.rollback()  # the failed statement aborted the transaction
        return False
    return [tuple(r) for r in rows] == [(head,)]


def collect_status(engine: Engine | sqlite3.Connection, *, days: int = 30,
                   until: date | None = None, limit: int = 10,
                   now: datetime | None = None) -> dict[str, Any]:
    """The ingestion status as plain data (``--json`` prints it as is).

    Parameters
    ----------
    engine : the database: an SQLAlchemy engine, or an open ``sqlite3`` or psycopg connection
        (``store.db.sqlite_connection``, ``store.db.postgres_connection``).
    days : the live window (days up to today) checked for days without tweets.
    until : the window's last day, for either kind of data (default: today for live data,
        the data's own last day for imported history).
    limit : how many recent runs and rejected records to list.
    now : the current time, UTC without a zone (default: the clock); tests set it.

    Returns
    -------
    dict: counts; ``mode`` ("live", "history" or "empty"); ``judged_against`` (the day the
    checks are measured from); the window (``window_start``, ``window_end``) with
    ``tweets_per_day``, ``tweets_per_day_by_source`` and ``quiet_days``; the last brand
    mention; ``live`` (X API runs and tweets) and ``history`` (imported files) facts;
    ``alerts`` (level "error", "warning" or "info", and text); recent ``runs`` and
    ``rejected_records``.
    """
    if isinstance(engine, sqlite3.Connection) or _is_psycopg(engine):
        return _collect(_Sql(engine), days, until, limit, now or utcnow())
    with engine.connect() as conn:
        return _collect(_Sql(conn), days, until, limit, now or utcnow())


def _collect(db: _Sql, days: int, until: date | None, limit: int,
             now: datetime) -> dict[str, Any]:
    count = "SELECT count(*) FROM "
    tweets = db.scalar(count + "tweets")
    users = db.scalar(count + "users")
    stubs = db.scalar(count + "users WHERE is_stub = :yes", yes=True)
    brands = db.scalar(count + "users WHERE is_brand = :yes", yes=True)
    per_kind = dict(db.rows("SELECT kind, count(*) FROM interactions GROUP BY kind"))
    rejected = db.scalar(count + "rejected_records")
    first_tweet, last_tweet = db.one("SELECT min(created_at), max(created_at) FROM tweets")
    first_tweet, last_tweet = _dt(first_tweet), _dt(last_tweet)
    live_runs = db.rows("SELECT started_at, finished_at, status, error FROM ingest_runs "
                        "WHERE source LIKE :live ORDER BY id DESC LIMIT 50",
                        live=LIVE_RUN_PREFIX + "%")
    first_live_run = _dt(db.scalar("SELECT min(started_at) FROM ingest_runs "
                                   "WHERE source LIKE :live", live=LIVE_RUN_PREFIX + "%"))
    mode = "live" if live_runs else "history" if tweets else "empty"

    # The window: today's for live data, the data's own span for history.
    dated = db.scalar(count + "tweets WHERE created_at IS NOT NULL")
    if until is not None or mode != "history" or last_tweet is None:
        end = until or now.date()
        start = end - timedelta(days=days - 1)
    else:
        end = last_tweet.date()
        robust = _dt(db.scalar("SELECT created_at FROM tweets WHERE created_at IS NOT NULL "
                               "ORDER BY created_at LIMIT 1 OFFSET :skip",
                               skip=int(dated * HISTORY_TRIM))) or first_tweet
        # A few stray old tweets (a reply to a years-old tweet) would stretch the chart
        # to nothing: start where the newest 99% start, unless that cuts little.
        full, core = (end - first_tweet.date()).days, (end - robust.date()).days
        start = first_tweet.date() if full <= 2 * core + 7 else robust.date()
        start = max(start, end - timedelta(days=HISTORY_MAX_DAYS - 1))
    lo, hi = (db.time(datetime(start.year, start.month, start.day)),
              db.time(datetime(end.year, end.month, end.day) + timedelta(days=1)))
    day = "substr(CAST(created_at AS TEXT), 1, 10)"
    in_window = "created_at >= :lo AND created_at < :hi"
    # Per day from the created_at index alone; per source only when there are several
    # (reading every row of a long window for its source is the slow part).
    per_day = {str(d): n for d, n in db.rows(
        f"SELECT {day}, count(*) FROM tweets WHERE {in_window} GROUP BY {day}", lo=lo, hi=hi)}
    sources = [r[0] for r in db.rows("SELECT source FROM tweets GROUP BY source")]
    by_source: dict[str, dict[str, int]] = {}
    if len(sources) == 1 and per_day:
        by_source[sources[0]] = per_day
    elif len(sources) > 1:
        for src, d, n in db.rows(f"SELECT source, {day}, count(*) FROM tweets "
                                 f"WHERE {in_window} GROUP BY source, {day}", lo=lo, hi=hi):
            by_source.setdefault(src, {})[str(d)] = n
    before = db.scalar(count + "tweets WHERE created_at < :lo", lo=lo) \
        if mode == "history" and until is None else 0

    # Mentions of the brand accounts: the monitored channel.
    mentions = ("SELECT max(created_at) FROM interactions WHERE kind = 'mention' AND "
                "dst_user_id IN (SELECT id FROM users WHERE is_brand = :yes)")
    last_mention = _dt(db.scalar(mentions, yes=True))
    live: dict[str, Any] | None = None
    if mode == "live":
        last_live_mention = _dt(db.scalar(
            mentions + " AND tweet_id IN (SELECT id FROM tweets WHERE source = :live)",
            yes=True, live=LIVE_SOURCE))
        live_count, live_last = db.one("SELECT count(*), max(created_at) FROM tweets "
                                       "WHERE source = :live", live=LIVE_SOURCE)
        last = live_runs[0]
        failed_in_a_row = 0
        for r in live_runs:
            if r[2] not in ("failed", "abandoned", "interrupted"):
                break
            failed_in_a_row += 1
        last_started, _, last_status, last_error = last
        live = {
            "tweets": live_count, "last_tweet_at": _iso(live_last),
            "first_run_at": _iso(first_live_run), "last_run_at": _iso(last_started),
            "last_run_status": last_status,
            "last_run_error": printable(last_error, 300) if last_error else None,
            "hours_since_run": round((now - _dt(last_started)).total_seconds() / 3600, 1),
            "failed_in_a_row": failed_in_a_row,
            "last_brand_mention_at": _iso(last_live_mention),
            "days_since_brand_mention": ((now.date() - last_live_mention.date()).days
                                         if last_live_mention else None),
        }
    if mode == "live":
        files_count, files_first, files_last = db.one(
            "SELECT count(*), min(created_at), max(created_at) FROM tweets "
            "WHERE source != :live", live=LIVE_SOURCE)
    else:  # no X API run: every tweet came from a file (a full scan saved)
        files_count, files_first, files_last = tweets, first_tweet, last_tweet
    runs = db.rows("SELECT id, command, source, status, started_at, finished_at, counts, error "
                   "FROM ingest_runs ORDER BY id DESC LIMIT :limit", limit=limit)
    rejects = db.rows("SELECT run_id, source, location, reason, excerpt "
                      "FROM rejected_records ORDER BY id DESC LIMIT :limit", limit=limit)

    window = [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]
    # A live channel is quiet on a day nothing came from the X API, once it had started.
    checked = window
    if mode == "live" and until is None:
        since = first_live_run.date().isoformat() if first_live_run else window[0]
        checked = [d for d in window if d >= since]
    counted = by_source.get(LIVE_SOURCE, {}) if mode == "live" else per_day
    judged = end if (mode != "live" or until is not None) else now.date()
    s = {
        "tweets": tweets,
        "users": users,
        "stub_users": stubs,
        "brand_users": brands,
        "interactions": {k: per_kind.get(k, 0) for k in EDGE_KINDS},
        "rejected": rejected,
        "mode": mode,
        "judged_against": judged.isoformat(),
        "first_tweet_at": _iso(first_tweet),
        "last_tweet_at": _iso(last_tweet),
        "window_start": window[0],
        "window_end": window[-1],
        "tweets_before_window": before,
        "tweets_per_day": {d: per_day.get(d, 0) for d in window},
        "quiet_days": [d for d in checked if not counted.get(d)],
        "checked_days": len(checked),
        "tweets_per_day_by_source": {src: {d: days_.get(d, 0) for d in window}
                                     for src, days_ in sorted(by_source.items())},
        "last_brand_mention_at": _iso(last_mention),
        "days_since_brand_mention": ((judged - last_mention.date()).days
                                     if last_mention else None),
        "live": live,
        "history": ({"tweets": files_count, "first_tweet_at": _iso(files_first),
                     "last_tweet_at": _iso(files_last)} if files_count else None),
        "runs": [
            {"id": id_, "command": command, "source": source, "status": status,
             "started_at": _iso(started), "finished_at": _iso(finished),
             "duration_s": (round((_dt(finished) - _dt(started)).total_seconds(), 1)
                            if finished and started else None),
             "counts": json.loads(counts) if counts else None, "error": error}
            for id_, command, source, status, started, finished, counts, error in runs
        ],
        "rejected_records": [
            {"run_id": run_id, "source": source, "location": location, "reason": reason,
             "excerpt": excerpt}
            for run_id, source, location, reason, excerpt in rejects
        ],
    }
    present = {r[0] for r in db.rows(
        "SELECT name FROM sqlite_master WHERE type = 'index'" if db.sqlite else
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}
    s["missing_indexes"] = [n for n in READ_INDEXES if n not in present]
    s["alerts"] = _alerts(s, now)
    return s


def _ranges(days: list[str]) -> str:
    out: list[str] = []
    start = prev = date.fromisoformat(days[0])
    for d in [date.fromisoformat(x) for x in days[1:]] + [None]:
        if d is not None and d == prev + timedelta(days=1):
            prev = d
            continue
        out.append(start.isoformat() if start == prev else f"{start}..{prev}")
        if d is not None:
            start = prev = d
    return ", ".join(out)


def _alerts(s: dict[str, Any], now: datetime) -> list[dict[str, str]]:
    """What needs attention, as sentences: errors (a live channel stopped), warnings, and
    notes (how the data is judged)."""
    out: list[dict[str, str]] = []

    def add(level: str, text: str, about: str) -> None:
        out.append({"level": level, "text": text, "about": about})

    if s.get("missing_indexes"):
        add("warning", missing_note(len(s["missing_indexes"])), "indexes")
    quiet, checked = s["quiet_days"], s["checked_days"]
    if s["mode"] == "live":
        lv = s["live"]
        last_run = _dt(lv["last_run_at"])
        if lv["hours_since_run"] >= STOPPED_HOURS:
            add("error", f"X API runs have stopped: the last one started {_ago(last_run, now)} "
                         f"({_minute(last_run)} UTC, {lv['last_run_status']}). Check the "
                         "schedule: cron, the systemd timer, or 'python -m ingest schedule'.", "runs")
        if lv["failed_in_a_row"]:
            add("error", f"The last {lv['failed_in_a_row']} X API run"
                         f"{'s' if lv['failed_in_a_row'] > 1 else ''} did not finish "
                         f"({lv['last_run_status']}): {lv['last_run_error'] or 'no error recorded'}", "runs")
        elif lv["last_run_status"] == "partial":
            add("warning", "The last X API run was partial: "
                           f"{lv['last_run_error'] or 'some records were rejected'}", "runs")
        if s["brand_users"]:
            seen = _dt(lv["last_brand_mention_at"])
            if seen is None:
                add("error", "Mentions of the support handles have stopped arriving: none has "
                             "come from the X API yet. Check the runs below.", "mentions")
            elif lv["days_since_brand_mention"] >= QUIET_MENTION_DAYS:
                add("error", "Mentions of the support handles have stopped arriving: the last "
                             f"was {lv['days_since_brand_mention']} days ago ({_minute(seen)} "
                             "UTC). A monitored channel that goes quiet is a broken channel: "
                             "check the runs below.", "mentions")
        if checked and len(quiet) == checked:
            add("error", f"No tweets arrived from the X API in the last {checked} days "
                         f"(last: {_minute(lv['last_tweet_at']) or 'none yet'}). A monitored "
                         "channel that goes quiet is a broken channel: check the runs below.", "quiet")
        elif quiet:
            add("warning", f"{len(quiet)} of the last {checked} days had no tweets from the X "
                           f"API: {_ranges(quiet)}.", "quiet")
        h = s["history"]
        if h:
            add("info", f"Also {h['tweets']:,} imported tweets (files), dated "
                        f"{h['first_tweet_at'][:10]} to {h['last_tweet_at'][:10]}: imported "
                        "history is judged on its own dates, not against today.", "history")
        return out
    if s["mode"] != "history":
        return out
    end = s["judged_against"]
    note = (f"Imported history: {s['tweets']:,} tweets from files, dated "
            f"{(s['first_tweet_at'] or '')[:10]} to {(s['last_tweet_at'] or '')[:10]}. No X API "
            "run has fetched live data here, so it is judged on its own dates, not against "
            "today: the checks are measured from "
            + (f"its last day, {end}." if end == (s["last_tweet_at"] or "")[:10] else f"{end}."))
    if s["tweets_before_window"]:
        note += (f" The chart covers {s['window_start']} to {s['window_end']}; "
                 f"{s['tweets_before_window']:,} older tweets are outside it.")
    add("info", note, "history")
    seen = _dt(s["last_brand_mention_at"])
    if s["brand_users"] and seen is None:
        add("warning", "This history holds no mention of the support handles.", "mentions")
    elif s["brand_users"] and s["days_since_brand_mention"] >= QUIET_MENTION_DAYS:
        add("warning", "In this history, mentions of the support handles stop "
                       f"{s['days_since_brand_mention']} days before {end} (the last: "
                       f"{_minute(seen)} UTC).", "mentions")
    if quiet and len(quiet) == checked:
        add("warning", f"No tweets in this history from {s['window_start']} to "
                       f"{s['window_end']}.", "quiet")
    elif quiet:
        add("info", f"{len(quiet)} of the {checked} days in this history had no tweets: "
                    f"{_ranges(quiet)}.", "quiet")
    return out


def describe_source(command: str | None, source: str | None) -> str:
    """A run's source in a few words: file names rather than paths, handles with an @."""
    src = source or ""
    if src.startswith(LIVE_RUN_PREFIX):
        return "X API: " + ", ".join(f"@{h}" for h in src[len(LIVE_RUN_PREFIX):].split(",") if h)
    if src.startswith("files:"):
        return "files: " + PurePath(src[len("files:"):]).name
    if command in ("file", "demo", "run"):
        names = [PurePath(p).name or p for p in src.split()]
        return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return src


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.0f} s"
    m, sec = divmod(int(round(seconds)), 60)
    return f"{m} min {sec:02d} s" if m < 60 else f"{m // 60} h {m % 60:02d} min"


RUN_COLUMNS = ["when", "command", "source", "status", "new tweets", "rejected", "duration",
               "error"]


def run_rows(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recent runs as a table a person reads: times to the minute (UTC), the source named in
    a few words, counts as numbers, durations, the error's first line; no empty-value cells."""
    out = []
    for r in runs:
        c = r.get("counts") or {}
        out.append({
            "when": _minute(r["started_at"]), "command": r["command"] or "",
            "source": describe_source(r["command"], r["source"]), "status": r["status"] or "",
            "new tweets": int(c.get("tweets_new", 0)), "rejected": int(c.get("rejected", 0)),
            "duration": _duration(r.get("duration_s")) or ("running" if r["status"] == "running"
                                                           else ""),
            "error": printable((r["error"] or "").splitlines()[0] if r["error"] else "", 160),
        })
    return out


def format_status(s: dict[str, Any]) -> str:
    k = s["interactions"]
    lines = [
        f"tweets: {s['tweets']:,}   users: {s['users']:,} ({s['stub_users']:,} stubs, "
        f"{s['brand_users']:,} brand)   rejected records: {s['rejected']:,}",
        "interactions: " + ", ".join(f"{n} {k[n]:,}" for n in k),
        f"last tweet: {s['last_tweet_at'] or 'none'}",
    ]
    mode = s.get("mode")
    if mode == "history":
        lines.append(f"data: imported history, judged on its own dates (checks measured from "
                     f"{s['judged_against']}, not today)")
    elif mode == "live":
        lines.append(f"data: live (X API runs), judged against {s['judged_against']}")
    quiet, window = s["quiet_days"], s["tweets_per_day"]
    if quiet:
        lines.append(f"quiet days (no tweets) in {min(window)}..{max(window)}: {len(quiet)} of "
                     f"{s.get('checked_days', len(window))}: {_ranges(quiet)}")
    else:
        lines.append(f"tweets arrived every day in {min(window)}..{max(window)}")
    for a in s.get("alerts", []):
        if a["about"] != "quiet" or a["level"] == "error":  # the line above lists quiet days
            lines.append(f"{a['level']}: {a['text']}")
    lines.append("recent runs:")
    for r in s["runs"] or []:
        c = r["counts"] or {}
        lines.append(
            f"  #{r['id']} {r['command']:<8} {r['status']:<11} {_minute(r['started_at'])}"
            + (f" ({_duration(r.get('duration_s'))})" if r.get("duration_s") is not None else "")
            + f"  tweets new {c.get('tweets_new', 0):,}, present {c.get('tweets_present', 0):,}, "
            f"rejected {c.get('rejected', 0):,}"
            + (f", backlog in {c['backlog_queries']} quer"
               f"{'y' if c['backlog_queries'] == 1 else 'ies'}"
               + (f" (~{c['pages_left_estimate']} pages left, estimated)"
                  if c.get("pages_left_estimate") else "")
               if c.get("backlog_queries") else "")
            + (f"  error: {printable(r['error'])}" if r["error"] else ""))
    if not s["runs"]:
        lines.append("  none yet")
    if s["rejected_records"]:
        lines.append("recent rejected records:")
        lines.extend(f"  {printable(r['location'])}: {printable(r['reason'])}"
                     for r in s["rejected_records"])
    return "\n".join(lines)
