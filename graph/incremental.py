"""Ranking only what changed: what a ranking keeps for the next, and how the next uses it.

A scheduled cycle imports a few thousand tweets into a window of a million, and the ranking's
figures barely move. So each stored ranking keeps what it read (``Kept``): the evidence of
both windows (``graph.features.Features``: its cells, per person, family and calendar week),
the evidence tweets, PageRank and the communities. The next ranking reads again only the
cells that may have changed (``dirty``: people, each with the weeks its rows changed in;
``update_window`` reads a week at a time), keeps everyone else's, and recomputes what is global
(PageRank, started from the last values; the scores; the communities, when the help between
people changed). The result is the same as a ranking from scratch: ``tests/test_cycle.py``
compares them, over many small cycles and a window that moves on.

**Whose evidence changes.** Evidence is read by the person it belongs to
(``graph.features.gather``), so a person's evidence changes only when a row of theirs
changes, and only in that row's week. A ranking finds them:

* the authors of the tweets classified since (``tweet_acts.help_pending``), and the
  helpers and askers of the help rows rewritten (``graph.helpacts.refresh_help_acts``);
* both ends of every edge stored since (``interactions.id`` above the last one seen);
* everyone with a tweet, an edge or an answer in the time a window gained or lost as it
  moved on (its start, its end; the window before it, for trends, moves too);
* the helpers of all of those (how much help counts depends on the person helped:
  ``graph.trust``).

**When it starts from scratch** instead: no kept file, or one another ranking has since
replaced (the last stored run is not the one it was kept by); other settings; ``help_acts``
rebuilt whole (new roles or brand accounts, an erasure); a staff correction, an erasure or a
compliance event since; another refresh of the help rows since (an evaluation's, say). A
stored tweet seen again is not read again (its metrics are updated; the ranking does not use
them), as ``help_acts`` does not.

**Nothing new** (no tweet, edge, profile, label, correction or erasure since, the same
settings and window): the last stored run is the answer (``nothing_new``).

The file lives beside a SQLite database (``<file>.rank-cache``), or under
``$CHAMPIONS_CACHE_DIR`` (default ``~/.cache/champion-tracker``) for a server database. It
holds nothing the database does not; deleting it costs one ranking from scratch.

**A resident process** (``ingest schedule --rank``, ``stay_resident``) keeps the last ``Kept``
in memory too: the next cycle builds on it without reading the file, and the file is written
after the cycle (``write_kept``) for other processes, not during it. The memory copy is used
only while the file is its own or not yet written (an erasure deletes both: ``store.db``),
and taken out of memory while a ranking changes it (a ranking that fails leaves none).
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from graph.features import (FAMILIES, WEEK_EPOCH, Acts, Evidence, Features, activity_cells,
                            busy, derive_activity, derive_all, derive_help, gather, read_texts,
                            weigh_help)
from store.db import RESIDENT_KEPT, bind_time, ranking_cache_path

__all__ = ["Kept", "data_marks", "marks_after", "nothing_new", "load_kept", "save_kept", "dirty",
           "update_window", "update_evidence", "cache_path", "CACHE_VERSION",
           "evidence_people", "churn", "stay_resident", "write_kept"]

# Bump when what ``Kept`` holds, or what the features mean, changes: old files are ignored.
CACHE_VERSION = 3

# The marks that, changed, make a ranking start from scratch (the others say something new
# arrived, which a ranking reads by person).
RESTART_MARKS = ("audit", "corrections", "roles", "help_acts", "help_refresh", "brands")


@dataclass
class Kept:
    """What one stored ranking read, for the next (``graph.rank.run_ranking``)."""

    version: int
    run_id: int
    params: str  # the settings the run was made with (JSON)
    marks: dict  # ``data_marks`` after the run's own classification and refresh
    current: Features
    previous: Features
    evidence: Evidence
    voiced: set[int]  # whose "flags" evidence ``evidence`` holds
    ppr: dict[int, float]
    previous_ppr: dict[int, float]
    communities: dict[int, int]
    pairs: dict[tuple[int, int], float]  # the help graph the communities were found in
    people: set[int] = field(default_factory=set)  # everyone whose evidence is kept


def _one(conn: Connection, sql: str):
    return conn.execute(text(sql)).scalar()


def data_marks(conn: Connection) -> dict:
    """What the database holds, in a few numbers each ranking can compare: the newest edge,
    the tweets and their roles, the newest profile, labels, corrections and erasures, and the
    state of the roles and help rows. Equal marks: nothing a ranking reads has changed."""
    def stamp(value) -> str | None:
        return None if value is None else str(value)

    tweets, acts = conn.execute(text(
        "SELECT (SELECT COUNT(*) FROM tweets), (SELECT COUNT(*) FROM tweet_acts)")).one()
    labels = conn.execute(text("SELECT COUNT(*), MAX(set_at) FROM account_labels")).one()
    users = conn.execute(text("SELECT COUNT(*), MAX(seen_at) FROM users")).one()
    state = dict(conn.execute(text("SELECT key, value FROM graph_state")).all())
    return {
        "interactions": _one(conn, "SELECT MAX(id) FROM interactions"),
        "tweets": tweets, "acts": acts,
        "pending": conn.execute(text(
            "SELECT 1 FROM tweet_acts WHERE help_pending LIMIT 1")).first() is not None,
        "newest": stamp(_one(conn, "SELECT MAX(created_at) FROM tweets")),
        "users": [users[0], stamp(users[1])],
        "labels": [labels[0], stamp(labels[1])],
        "audit": _one(conn, "SELECT MAX(id) FROM audit_log"),
        "corrections": _one(conn, "SELECT MAX(id) FROM correction_events"),
        "roles": state.get("roles"), "help_acts": state.get("help_acts"),
        "help_refresh": state.get("help_refresh"),
        "brands": list(conn.execute(text(
            "SELECT id FROM users WHERE is_brand ORDER BY id")).scalars()),
    }


def marks_after(conn: Connection, before: dict) -> dict:
    """The marks a run stores: those read before it classified anything (``before``), with
    what the run itself changed (every tweet then stored has its roles, no marks pending, the
    roles' and help rows' state). Not marks read again at its end: an import running beside
    the ranking would be in those without being in the run, and the next ranking would take
    the run as current."""
    state = dict(conn.execute(text("SELECT key, value FROM graph_state")).all())
    return {**before, "acts": before["tweets"], "pending": False, "roles": state.get("roles"),
            "help_acts": state.get("help_acts"), "help_refresh": state.get("help_refresh")}


def nothing_new(conn: Connection, marks: dict, params: str, start: datetime, end: datetime
                ) -> int | None:
    """The last stored run, when it was made with these settings, on this window, from data
    with these marks: then a ranking now would give the same figures. None otherwise."""
    row = conn.execute(text(
        "SELECT id, params, window_start, window_end FROM ranking_runs"
        " ORDER BY id DESC LIMIT 1")).first()
    if row is None:
        return None
    try:
        stored = json.loads(row[1] or "{}")
    except ValueError:
        return None
    kept_marks = stored.pop("marks", None)
    stored.pop("abstain", None)
    if kept_marks != marks or json.dumps(stored, sort_keys=True) != params:
        return None
    same = [_as_time(row[2]) == start, _as_time(row[3]) == end]
    return row[0] if all(same) else None


def _as_time(value) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value


def cache_path(engine: Engine) -> Path | None:
    """Where the kept file of this database is (``store.db.ranking_cache_path``)."""
    return ranking_cache_path(engine)


@contextmanager
def _no_gc():
    """No cyclic garbage collection while a kept file is read or written: its hundreds of
    thousands of small objects set it off again and again (a third of the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _header(kept: Kept) -> dict:
    """What is checked before the rest of a kept file is read (``load_kept``)."""
    return {"version": kept.version, "run_id": kept.run_id, "params": kept.params,
            "marks": {k: kept.marks.get(k) for k in RESTART_MARKS}}


_resident = False


def stay_resident(on: bool = True) -> None:
    """Keep each stored ranking's ``Kept`` in this process's memory for the next ranking
    (``ingest schedule --rank``), its file written by ``write_kept`` after the cycle. Off:
    the memory let go (call ``write_kept`` first), and the file read and written in each
    ranking, as in a fresh process."""
    global _resident
    _resident = on
    if not on:
        RESIDENT_KEPT.clear()


def load_kept(engine: Engine, run_id: int | None, params: str, marks: dict) -> Kept | None:
    """The kept evidence, when it can be built on: kept by the last stored run (``run_id``),
    with these settings (``params``), and nothing since that makes a ranking start from
    scratch (``RESTART_MARKS``, compared with ``marks``). In a resident process, the memory
    copy while its file is its own or not yet written; else the file, its small header read
    first, so a ranking from scratch does not read the rest. None otherwise, or when there
    is no file or it cannot be read (a ranking from scratch follows, and keeps a new one)."""
    path = cache_path(engine)
    if path is None or run_id is None:
        return None
    want = {"version": CACHE_VERSION, "run_id": run_id, "params": params,
            "marks": {k: marks.get(k) for k in RESTART_MARKS}}
    # Out of memory whatever follows: the ranking changes it in place.
    kept, written = RESIDENT_KEPT.pop(path, (None, False))
    if (isinstance(kept, Kept) and _header(kept) == want
            and (not written or _file_header(path) == want)):
        return kept
    return _read_file(path, want)


# What reading a kept file that is damaged, or from other code, raises.
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
               TypeError, ValueError, IndexError)


def _read_file(path: Path, want: dict) -> Kept | None:
    try:
        with path.open("rb") as fh, _no_gc():
            if pickle.load(fh) != want:
                return None
            kept = pickle.load(fh)
    except _UNREADABLE:
        return None
    return kept if isinstance(kept, Kept) and _header(kept) == want else None


def _file_header(path: Path) -> dict | None:
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except _UNREADABLE:
        return None


def save_kept(engine: Engine, kept: Kept) -> None:
    """Keep ``kept`` for the next ranking: in a resident process in memory, its file written
    by ``write_kept``; else in the file, now."""
    path = cache_path(engine)
    if path is None:
        return
    if _resident:
        RESIDENT_KEPT[path] = (kept, False)
    else:
        _write(path, kept)


def write_kept() -> float:
    """Write the kept files a resident process holds only in memory (after a cycle: for a
    ranking in another process, and the next start); the seconds it took."""
    t = time.perf_counter()
    for path, (kept, written) in list(RESIDENT_KEPT.items()):
        if not written and isinstance(kept, Kept):
            _write(path, kept)
            RESIDENT_KEPT[path] = (kept, True)
    return time.perf_counter() - t


def _write(path: Path, kept: Kept) -> None:
    """Write the kept file whole (its header, then the rest), then put it in place (a crash
    leaves the old file or none)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh, _no_gc():
            pickle.dump(_header(kept), fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(kept, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only place: the next ranking starts from scratch
        try:
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass


def _ranges(old: tuple[datetime, datetime], new: tuple[datetime, datetime]
            ) -> list[tuple[datetime, datetime]]:
    """The time a window gained or lost moving from ``old`` to ``new``."""
    out = []
    for a, b in ((old[0], new[0]), (old[1], new[1])):
        if a != b:
            out.append((min(a, b), max(a, b)))
    return out


def _weeks(at) -> set[int]:
    """The calendar weeks (``graph.features.Dialect.week``) a row of time ``at`` may be
    counted in: its own, and the next or the one before when it is within a second of the
    week's edge (the database rounds times its own way)."""
    seconds = (_as_time(at) - WEEK_EPOCH).total_seconds()
    wk = int(seconds // 604800)
    into = seconds - wk * 604800
    return {wk - 1, wk} if into < 1 else {wk, wk + 1} if into > 604799 else {wk}


def dirty(conn: Connection, kept: Kept, touched: dict[str, set[tuple]],
          window: tuple[tuple[datetime, datetime], tuple[datetime, datetime]],
          ranges: dict | None = None) -> dict[str, dict[int, set[int]]]:
    """For each family of evidence (``graph.features.FAMILIES``), the people whose evidence
    in it may have changed in the window (old bounds, new bounds) since ``kept`` (see the
    module's docstring), each with the calendar weeks it may have changed in: from
    ``touched`` (the help refresh) and the edges stored since, those in the new window; and
    everything in the time the window gained or lost. Also "askers" (who was helped) and
    "addressed" (whom people helped addressed), by person only. Brand accounts are left out:
    they have no evidence of their own. ``ranges``: what an earlier call found in the times
    windows moved by (a dict it fills)."""
    name = conn.dialect.name
    brands = set(conn.execute(text("SELECT id FROM users WHERE is_brand")).scalars())
    start, end = window[1]
    out: dict[str, dict[int, set[int]]] = {
        f: defaultdict(set) for f in (*FAMILIES, "askers", "addressed")}

    times: dict = {}  # a row's time, as the database gives it -> (the time, its weeks)

    def mark(family: str, person: int, at, check: bool = True) -> None:
        """``person``'s cells of ``family`` in the weeks of ``at``, when it is in the new
        window or ``check`` is False (rows of no time are in no window)."""
        if at is None:
            return
        known = times.get(at)
        if known is None:
            t = _as_time(at)
            known = times[at] = (t, _weeks(t))
        if not check or start <= known[0] < end:
            out[family][person] |= known[1]

    for author, at, link in touched.get("tweets", ()):
        mark("activity", author, at)
        if link:
            mark("posts", author, at)
    for helper, asker, at, thanked in touched.get("rows", ()):
        mark("help", helper, at)
        mark("askers", asker, at)
        mark("endorse", helper, thanked)  # a brand's thanks is in the help row

    def edges(rows, check: bool) -> None:
        for kind, src, dst, fix, link, made, ref_at in rows:
            at = made if made is not None else ref_at
            spread = kind in ("retweet", "quote")
            if spread and fix and dst in brands:
                mark("amp", src, at, check)
            if src in brands:
                mark("brand", dst, made, check)
                if spread and fix:
                    mark("endorse", dst, at, check)
            if link and kind != "mention" and src != dst:
                mark("posts", dst, ref_at)  # someone engaged with a fix post
            if kind in ("reply", "mention", "quote"):
                mark("addressed", src, made, check)
            if kind == "retweet":
                mark("activity", src, made, check)

    refs = ("SELECT i.kind, i.src_user_id, i.dst_user_id, ra.is_fix, ra.has_fix_link,"
            " i.created_at, rt.created_at FROM {src}"
            " LEFT JOIN tweet_acts ra ON ra.tweet_id = i.ref_tweet_id"
            " LEFT JOIN tweets rt ON rt.id = i.ref_tweet_id {where}")
    edges(conn.execute(text(refs.format(src="interactions i", where="WHERE i.id > :i")),
                       {"i": kept.marks.get("interactions") or 0}), True)
    # Everything in the time the window gained or lost (the same for each window that moved
    # by that time: ``ranges`` keeps what was found, for the window before).
    ranges = {} if ranges is None else ranges
    found = out
    for a, b in _ranges(*window):
        if (a, b) in ranges:
            for x, people in ranges[(a, b)].items():
                for u, weeks in people.items():
                    found[x][u] |= weeks
            continue
        out = {x: defaultdict(set) for x in found}
        p = {"a": bind_time(name, a), "b": bind_time(name, b)}
        for author, at, link in conn.execute(text(
                "SELECT t.author_id, t.created_at, ta.has_fix_link FROM tweets t"
                " LEFT JOIN tweet_acts ta ON ta.tweet_id = t.id"
                " WHERE t.created_at >= :a AND t.created_at < :b"), p):
            mark("activity", author, at, False)
            if link:
                mark("posts", author, at, False)
        # The edges made in that time (by the author of a tweet then, at its time), and those
        # of no time of their own (a retweet known from its retweeters) dated by their tweet.
        edges(conn.execute(text(refs.format(
            src="tweets t JOIN interactions i ON i.src_user_id = t.author_id"
                " AND i.created_at = t.created_at",
            where="WHERE t.created_at >= :a AND t.created_at < :b")), p), False)
        edges(conn.execute(text(refs.format(
            src="tweets t JOIN interactions i ON i.ref_tweet_id = t.id",
            where="WHERE t.created_at >= :a AND t.created_at < :b"
                  " AND i.created_at IS NULL")), p), False)
        for helper, asker, at in conn.execute(text(
                "SELECT helper_id, asker_id, created_at FROM help_acts WHERE created_at >= :a"
                " AND created_at < :b"), p):
            mark("help", helper, at, False)
            mark("askers", asker, at, False)
        for helper, at in conn.execute(text(
                "SELECT helper_id, brand_thanks_at FROM help_acts WHERE brand_thanks_at >= :a"
                " AND brand_thanks_at < :b"), p):
            mark("endorse", helper, at, False)
        ranges[(a, b)] = out
        for x, people in out.items():
            for u, weeks in people.items():
                found[x][u] |= weeks
    out = found
    return {f: {u: weeks for u, weeks in people.items() if u not in brands}
            for f, people in out.items()}


def churn(conn: Connection, kept: Kept, touched: dict[str, set[tuple]],
          windows: tuple[tuple, tuple]) -> float:
    """The share of the stored tweets a ranking built on ``kept`` reads again for: the new
    ones, and those in the time each window (old bounds, new bounds) moved by."""
    name = conn.dialect.name
    moved = 0
    for window in windows:
        for a, b in _ranges(*window):
            moved += conn.execute(text(
                "SELECT COUNT(*) FROM tweets WHERE created_at >= :a AND created_at < :b"),
                {"a": bind_time(name, a), "b": bind_time(name, b)}).scalar() or 0
    return (moved + len(touched.get("tweets", ()))) / max(1, kept.marks.get("tweets") or 0)


def _helpers_of(f: Features, people: set[int]) -> set[int]:
    """The helpers who answered any of ``people``."""
    return {h for h, asked in f.help.items() if not people.isdisjoint(asked)}


def _week_bounds(wk: int) -> tuple[datetime, datetime]:
    first = WEEK_EPOCH + timedelta(weeks=wk)
    return first, first + timedelta(weeks=1)


def _replace(mine: dict, theirs: dict, people, wk: int, week_of=lambda key: key[-1]) -> None:
    """In ``mine`` (person -> key -> value), ``people``'s cells of week ``wk`` become
    ``theirs``' (``week_of``: a cell key's week)."""
    for u in people:
        cells = {k: v for k, v in mine.get(u, {}).items() if week_of(k) != wk}
        cells.update((k, v) for k, v in theirs.get(u, {}).items() if week_of(k) == wk)
        if cells:
            mine[u] = cells
        else:
            mine.pop(u, None)


def _replace_acts(mine: dict[int, Acts], theirs: dict[int, Acts], people, wk: int) -> None:
    for u in people:
        acts = mine.get(u)
        if acts is not None:
            acts.by_week.pop(wk, None)
        n = theirs[u].by_week.get(wk) if u in theirs else None
        if n:
            mine[u].add(wk, n)
        elif acts is not None and not acts.by_week:
            del mine[u]


def update_window(conn: Connection, f: Features, start: datetime, end: datetime,
                  changed: dict[str, dict[int, set[int]]], ranking: dict) -> Features:
    """``f``'s evidence moved to the window [start, end) (``f`` itself, updated): the cells
    ``changed`` names (``dirty``: people, and the weeks each may have changed in) read again,
    a week at a time, everyone else's kept (their weeks are calendar weeks: they do not move
    with the window); then the figures summed again for those people."""
    families = [x for x in FAMILIES if x != "activity"]
    moved = set(changed["help"]) | set(changed["askers"]) | set(changed["addressed"]) \
        | set(changed["brand"])
    weigh = moved | _helpers_of(f, moved)  # (who answered them before; and after, below)
    was_busy = set(f.texts)
    f.start, f.end = start, end
    second = timedelta(seconds=1)
    weeks = sorted({wk for x in FAMILIES for wks in changed[x].values() for wk in wks})
    for wk in weeks:
        first, last = _week_bounds(wk)
        who = {x: {u for u, wks in changed[x].items() if wk in wks} for x in FAMILIES}
        # Rows of the week, and a second either side (the database's own rounding of a
        # time near the edge), only the cells it numbers ``wk`` kept.
        part = Features(max(start, first - second), min(end, last + second))
        if part.start < part.end:
            gather(conn, part, only={x: who[x] for x in families}, derive=False)
            again = who["help"] & was_busy
            if again:
                read_texts(conn, part, again, weeks={wk})
        _replace(f.help_cells, part.help_cells, who["help"], wk)
        _replace(f.texts, part.texts, who["help"] & was_busy, wk, week_of=lambda k: k)
        _replace(f.amp_cells, part.amp_cells, who["amp"], wk)
        _replace(f.brand_cells, part.brand_cells, who["brand"], wk)
        _replace_acts(f.endorsements, part.endorsements, who["endorse"], wk)
        _replace_acts(f.shares, part.shares, who["posts"], wk)
        # Activity is counted by day (whole days, in weeks), for the people it is kept for.
        active = who["activity"] & f.activity_of
        day = Features(max(start, first), min(end, last))
        if active and day.start < day.end:
            activity_cells(conn, day, active)
        _replace(f.activity_weeks, day.activity_weeks, active, wk, week_of=lambda k: k)
        _replace(f.fast_cells, day.fast_cells, active, wk, week_of=lambda k: k)
    # Canned replies: the busy helpers' answers, read whole for the newly busy.
    helpers = set(changed["help"])
    now_busy = busy(f, helpers)
    for h in helpers - now_busy:
        f.texts.pop(h, None)
    for h in now_busy - was_busy:
        f.texts.pop(h, None)
    if now_busy - was_busy:
        read_texts(conn, f, now_busy - was_busy)
    derive_help(f, helpers)
    derive_all(f, helpers=(), active=())
    # Activity and voice are read for candidates only: whoever is a candidate now and was not
    # is read whole; whoever no longer is, dropped.
    candidates = f.candidates()
    gone = f.activity_of - candidates
    new = candidates - f.activity_of
    for u in gone:
        f.activity_weeks.pop(u, None)
        f.fast_cells.pop(u, None)
    f.activity_of -= gone
    if new:
        activity_cells(conn, f, new)
    derive_activity(f, gone | new | set(changed["activity"]))
    # Help counts by who was helped: whoever's help, addressees or brand engagement changed,
    # and the helpers who answered them, are weighed again.
    weigh_help(conn, f, ranking, helpers=weigh | _helpers_of(f, moved),
               reread=set(changed["addressed"]))
    return f


def evidence_people(changed: dict[str, set[int]]) -> set[int]:
    """Whose evidence tweets may have changed."""
    return set().union(*(changed[x] for x in ("help", "endorse", "amp", "posts")))


def update_evidence(conn: Connection, kept: Kept, start: datetime, end: datetime,
                    people: set[int], wanted: list[int]) -> Evidence:
    """The evidence tweets of ``wanted`` in [start, end): ``people`` read again (and whoever
    the kept evidence does not hold), the rest kept."""
    from graph.features import evidence_tweets

    wanted_set = set(wanted)
    again = (wanted_set & people) | (wanted_set - kept.people)
    keep = wanted_set - again  # (and no one no longer wanted: what is kept stays bounded)
    part = evidence_tweets(conn, start, end, sorted(again), narrow=True)
    out = Evidence()
    old = kept.evidence
    out.items.update((k, v) for k, v in old.items.items() if k[0] in keep and k[1] != "flags")
    out.totals.update((k, v) for k, v in old.totals.items() if k[0] in keep and k[1] != "flags")
    out.response_minutes.update((u, v) for u, v in old.response_minutes.items() if u in keep)
    out.items.update(part.items)
    out.totals.update(part.totals)
    out.response_minutes.update(part.response_minutes)
    return out


def kept_flags(kept: Kept, flagged: list[int], people: set[int], ev: Evidence) -> list[int]:
    """Put the kept "flags" evidence of ``flagged`` people into ``ev``; returns those whose
    must be read (read again, or not kept)."""
    todo = []
    for u in flagged:
        if u in people or u not in kept.voiced:
            todo.append(u)
            continue
        items = kept.evidence.items.get((u, "flags"))
        if items:
            ev.items[(u, "flags")] = list(items)
            ev.totals[(u, "flags")] = kept.evidence.totals[(u, "flags")]
    return todo


def windows_of(kept: Kept, start: datetime, end: datetime, days: float
               ) -> tuple[tuple, tuple]:
    """(old, new) bounds of the current window and of the one before it."""
    return (((kept.current.start, kept.current.end), (start, end)),
            ((kept.previous.start, kept.previous.end), (start - timedelta(days=days), start)))
