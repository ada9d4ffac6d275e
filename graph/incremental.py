"""Ranking only what changed: what a ranking keeps for the next, and how the next uses it.

A scheduled cycle imports a few thousand tweets into a window of a million, and the ranking's
figures barely move. So each stored ranking keeps what it read (``Kept``): the evidence of
both windows (``graph.features.Features``: per person, per calendar week), the evidence
tweets, PageRank and the communities. The next ranking reads again only the people whose
evidence may have changed (``dirty``), keeps everyone else's, and recomputes what is global
(PageRank, started from the last values; the scores; the communities, when the help between
people changed). The result is the same as a ranking from scratch: ``tests/test_cycle.py``
compares them, over many small cycles and a window that moves on.

**Whose evidence changes.** Evidence is read by the person it belongs to
(``graph.features.gather``), so a person's evidence changes only when a row of theirs
changes. A ranking finds them:

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
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from graph.features import FAMILIES, Evidence, Features, gather, weigh_help
from store.db import bind_time, ranking_cache_path

__all__ = ["Kept", "data_marks", "marks_after", "nothing_new", "load_kept", "save_kept", "dirty",
           "update_window", "update_evidence", "cache_path", "CACHE_VERSION",
           "evidence_people", "churn"]

# Bump when what ``Kept`` holds, or what the features mean, changes: old files are ignored.
CACHE_VERSION = 2

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


def load_kept(engine: Engine, run_id: int | None, params: str, marks: dict) -> Kept | None:
    """The kept file, when it can be built on: kept by the last stored run (``run_id``), with
    these settings (``params``), and nothing since that makes a ranking start from scratch
    (``RESTART_MARKS``, compared with ``marks``). Its small header is read first, so a
    ranking from scratch does not read the rest. None otherwise, or when there is no file or
    it cannot be read (a ranking from scratch follows, and writes a new one)."""
    path = cache_path(engine)
    if path is None or run_id is None:
        return None
    want = {"version": CACHE_VERSION, "run_id": run_id, "params": params,
            "marks": {k: marks.get(k) for k in RESTART_MARKS}}
    try:
        with path.open("rb") as fh, _no_gc():
            if pickle.load(fh) != want:
                return None
            kept = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            TypeError, ValueError, IndexError):
        return None
    return kept if isinstance(kept, Kept) and _header(kept) == want else None


def save_kept(engine: Engine, kept: Kept) -> None:
    """Write the kept file whole (its header, then the rest), then put it in place (a crash
    leaves the old file or none)."""
    path = cache_path(engine)
    if path is None:
        return
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


def dirty(conn: Connection, kept: Kept, touched: dict[str, set[tuple]],
          window: tuple[tuple[datetime, datetime], tuple[datetime, datetime]]
          ) -> dict[str, set[int]]:
    """For each family of evidence (``graph.features.FAMILIES``; and "askers": who was
    helped, "addressed": whom people helped addressed), the people whose evidence in it may
    have changed in the window (old bounds, new bounds) since ``kept`` (see the module's
    docstring): from ``touched`` (the help refresh) and the edges stored since, those in the
    new window; and everything in the time the window gained or lost. Brand accounts are
    left out: they have no evidence of their own."""
    name = conn.dialect.name
    brands = set(conn.execute(text("SELECT id FROM users WHERE is_brand")).scalars())
    start, end = window[1]
    out: dict[str, set[int]] = {f: set() for f in (*FAMILIES, "askers", "addressed")}

    def inside(*times) -> bool:
        """Any of ``times`` in the new window (or unknown)."""
        return any(t is None or start <= _as_time(t) < end for t in times)

    for author, at, link in touched.get("tweets", ()):
        if inside(at):
            out["activity"].add(author)
            if link:
                out["posts"].add(author)
    for helper, asker, at, thanked in touched.get("rows", ()):
        if inside(at):
            out["help"].add(helper)
            out["askers"].add(asker)
        if thanked is not None and inside(thanked):
            out["endorse"].add(helper)  # a brand's thanks is in the help row

    def edges(rows, check: bool) -> None:
        for kind, src, dst, fix, link, at in rows:
            if check and not inside(at):
                continue
            spread = kind in ("retweet", "quote")
            if spread and fix and dst in brands:
                out["amp"].add(src)
            if src in brands:
                out["brand"].add(dst)
                if spread and fix:
                    out["endorse"].add(dst)
            if link and kind != "mention" and src != dst:
                out["posts"].add(dst)  # someone engaged with a fix post
            if kind in ("reply", "mention", "quote"):
                out["addressed"].add(src)
            if kind == "retweet":
                out["activity"].add(src)

    refs = ("SELECT i.kind, i.src_user_id, i.dst_user_id, ra.is_fix, ra.has_fix_link,"
            " COALESCE(i.created_at, rt.created_at) FROM {src}"
            " LEFT JOIN tweet_acts ra ON ra.tweet_id = i.ref_tweet_id"
            " LEFT JOIN tweets rt ON rt.id = i.ref_tweet_id {where}")
    edges(conn.execute(text(refs.format(src="interactions i", where="WHERE i.id > :i")),
                       {"i": kept.marks.get("interactions") or 0}), True)
    for a, b in _ranges(*window):
        p = {"a": bind_time(name, a), "b": bind_time(name, b)}
        for author, link in conn.execute(text(
                "SELECT t.author_id, ta.has_fix_link FROM tweets t"
                " LEFT JOIN tweet_acts ta ON ta.tweet_id = t.id"
                " WHERE t.created_at >= :a AND t.created_at < :b"), p):
            out["activity"].add(author)
            if link:
                out["posts"].add(author)
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
        for helper, asker in conn.execute(text(
                "SELECT helper_id, asker_id FROM help_acts WHERE created_at >= :a"
                " AND created_at < :b"), p):
            out["help"].add(helper)
            out["askers"].add(asker)
        out["endorse"].update(conn.execute(text(
            "SELECT helper_id FROM help_acts WHERE brand_thanks_at >= :a"
            " AND brand_thanks_at < :b"), p).scalars())
    return {f: people - brands for f, people in out.items()}


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


def _merge(new: Features, old: Features, part: Features, names: tuple[str, ...],
           people: set[int]) -> None:
    """``new``'s per-person ``names``: ``old``'s but for ``people``, whose are ``part``'s."""
    for name in names:
        mine = getattr(new, name)
        mine.update((u, v) for u, v in getattr(old, name).items() if u not in people)
        mine.update(getattr(part, name))


def update_window(conn: Connection, old: Features, start: datetime, end: datetime,
                  changed: dict[str, set[int]], ranking: dict) -> Features:
    """``old``'s evidence moved to the window [start, end): each family read again for the
    people ``changed`` names for it (``dirty``), everyone else's kept (their weeks are
    calendar weeks: they do not move with the window)."""
    part = Features(start, end)
    gather(conn, part, only={f: changed[f] for f in FAMILIES if f != "activity"})
    new = Features(start, end)
    _merge(new, old, part, ("help", "answer_latency", "helped_langs", "canned"),
           changed["help"])
    _merge(new, old, part, ("endorsements",), changed["endorse"])
    _merge(new, old, part, ("retweets", "quotes"), changed["amp"])
    _merge(new, old, part, ("shares",), changed["posts"])
    new.amp_pairs.update((k, v) for k, v in old.amp_pairs.items() if k[0] not in changed["amp"])
    new.amp_pairs.update(part.amp_pairs)
    new.brand_pairs.update((k, v) for k, v in old.brand_pairs.items()
                           if k[1] not in changed["brand"])
    new.brand_pairs.update(part.brand_pairs)
    new.brand_engaged = (old.brand_engaged - changed["brand"]) | part.brand_engaged
    new.brands, new.brand_accounts = part.brands, part.brand_accounts
    # Activity and voice are read for candidates only: those who tweeted in the time that
    # changed, and those who were not candidates before.
    candidates = new.candidates()
    active = (changed["activity"] & candidates) | (candidates - old.activity.keys())
    if active:
        gather(conn, part, only={"activity": active})
    new.activity = {u: v for u, v in old.activity.items() if u in candidates and u not in active}
    new.activity.update(part.activity)
    new.voice = {u: v for u, v in old.voice.items() if u in candidates and u not in active}
    new.voice.update(part.voice)
    new.addressed = old.addressed
    # Help counts by who was helped: whoever's help, addressees or brand engagement changed,
    # and the helpers who answered them, are weighed again.
    moved = changed["help"] | changed["askers"] | changed["addressed"] | changed["brand"]
    weigh = moved | _helpers_of(new, moved) | _helpers_of(old, moved)
    weigh_help(conn, new, ranking, helpers=weigh, reread=changed["addressed"])
    return new


def evidence_people(changed: dict[str, set[int]]) -> set[int]:
    """Whose evidence tweets may have changed."""
    return changed["help"] | changed["endorse"] | changed["amp"] | changed["posts"]


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
