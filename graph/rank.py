"""A ranking run: classify, aggregate, score, place in tiers and communities, store.

Each run stores its scores, components, evidence tweet ids, tiers and trends in SQL
(``ranking_runs``, ``champion_scores``, ``score_evidence``), so pages only read.
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, text

from graph.classify import _shareable, _workers, classify_tweets
from graph.features import (Evidence, c2c_replies, collect_features, evidence_tweets,
                            id_chunks)
from graph.helpacts import refresh_help_acts
from graph.incremental import (CACHE_VERSION, Kept, churn, data_marks, dirty, marks_after,
                               evidence_people, kept_flags, load_kept, nothing_new, save_kept,
                               update_evidence, update_window, windows_of)
from graph.score import COMPONENTS, Person, Scored, reviewable, score_people, tier_of
from settings import Settings
from store.accounts import account_labels, mark_brands
from store.db import bind_time, copy_rows, utcnow

__all__ = ["Ranked", "RankingResult", "run_ranking", "latest_tweet_time", "load_people",
           "RANKING_STEPS"]

# The steps ``run_ranking`` names to its ``progress`` callback, in this order; the last only
# when the run is stored.
RANKING_STEPS = ("classifying tweets", "finding help acts", "reading the window",
                 "building the graph", "computing PageRank", "scoring people",
                 "scoring the previous window", "gathering evidence", "finding communities",
                 "storing the run")


def _no_progress(step: str) -> None:
    """The ``progress`` callback of a ranking no one watches."""


@dataclass
class Ranked:
    user_id: int
    username: str | None
    name: str | None
    followers: int
    rank: int | None
    score: float
    components: dict[str, float]
    tier: str
    previous_score: float | None
    previous_tier: str | None
    community: int | None
    lang: str | None
    flags: list[str]
    # component -> [(tweet id, other user, value)]: the newest acts, at most EVIDENCE_LIMIT
    evidence: dict[str, list[tuple[int, int | None, float | None]]] = field(default_factory=dict)
    helped: int = 0
    confirmed: int = 0
    # Plain counts behind the score, for one-line reasons and "25 of 143 shown" (see _facts)
    facts: dict[str, object] = field(default_factory=dict)


@dataclass
class RankingResult:
    run_id: int | None
    start: datetime
    end: datetime
    people: list[Ranked]
    timings: dict[str, float]
    # Why no one is named, when the window holds no customer-to-customer help.
    abstain: str | None = None
    # How the run was made: "scratch" (every person read), "incremental" (only the people
    # something changed for read again: ``graph.incremental``), or "reused" (nothing new
    # since the last stored run, which this is).
    made: str = "scratch"

    @property
    def ranked(self) -> list[Ranked]:
        return [p for p in self.people if p.rank is not None]


def latest_tweet_time(engine: Engine) -> datetime | None:
    with engine.connect() as conn:
        value = conn.execute(text("SELECT max(created_at) FROM tweets")).scalar()
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value


def load_people(engine: Engine, ids: list[int]) -> dict[int, Person]:
    people: dict[int, Person] = {}
    with engine.connect() as conn:
        for _, member, params in id_chunks(conn, ids):
            rows = conn.execute(text(
                "SELECT id, username, name, description, followers_count, is_brand FROM users"
                f" WHERE {member('id')}"), params)
            for uid, username, name, desc, followers, brand in rows:
                people[uid] = Person(uid, username, name, desc, followers or 0, bool(brand))
    return people


def _brand_ids(engine: Engine) -> tuple[set[int], set[str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, username FROM users WHERE is_brand")).all()
    return {r[0] for r in rows}, {(r[1] or "").lower() for r in rows if r[1]}


def _score_window(engine: Engine, settings: Settings, start: datetime, end: datetime,
                  backend: str | None, timings: dict[str, float], label: str,
                  with_communities: bool, helpers: "_Helpers | None" = None,
                  step: Callable[[str], None] = _no_progress):
    """(features, scores, communities, PageRank) of one window; the communities (only
    ``with_communities``) as a function returning them, from ``helpers`` (``_Helpers``).
    ``step`` is told each step's name as it starts (``RANKING_STEPS``)."""
    step("reading the window")
    t = time.perf_counter()
    with engine.connect() as conn:
        feats = collect_features(conn, start, end, settings.ranking)
    timings[f"{label}_sql_aggregate"] = time.perf_counter() - t
    comms = None
    if with_communities:
        # Communities of help: who helped, thanked or spread whose fixes. The brand's own
        # replies to customers (most edges, all through a few hubs) place people near the
        # brand for PageRank but say nothing about who helps whom, and made Louvain slow.
        comms = (helpers or _Helpers(False)).call(
            _communities_of, feats.pairs, int(settings.ranking["louvain_seed"]), backend)
    scored, ppr = _scores(engine, settings, feats, backend, timings, label, step)
    return feats, scored, comms, ppr


def _scores(engine: Engine, settings: Settings, feats, backend: str | None,
            timings: dict[str, float], label: str, step: Callable[[str], None],
            start_ppr: dict[int, float] | None = None
            ) -> tuple[dict[int, Scored], dict[int, float]]:
    """Everyone's scores from a window's features, and the PageRank they used (begun at
    ``start_ppr``, the last ranking's, when given)."""
    from graph.network import build_graph, pagerank_pairs, personalized_pagerank

    step("building the graph")
    t = time.perf_counter()
    merged = dict(feats.pairs)
    for pair, w in feats.brand_pairs.items():
        merged[pair] = merged.get(pair, 0.0) + w
    # With a NetworkX backend, its graph; otherwise the pairs go straight to a matrix.
    g = build_graph(merged) if backend else None
    timings[f"{label}_graph_build"] = time.perf_counter() - t
    brands, brand_names = _brand_ids(engine)
    step("computing PageRank")
    t = time.perf_counter()
    tol = settings.ranking["pagerank_tol"]
    ppr = (personalized_pagerank(g, brands, tol=tol, backend=backend, start=start_ppr)
           if g is not None else pagerank_pairs(merged, brands, tol=tol, start=start_ppr))
    timings[f"{label}_pagerank"] = time.perf_counter() - t
    step("scoring people")
    t = time.perf_counter()
    people = load_people(engine, sorted(feats.candidates()))
    with engine.connect() as conn:
        labels = account_labels(conn)
    brand_names |= {h.lower() for h in settings.support_handles}
    scored = score_people(feats, people, ppr, settings.weights, settings.ranking,
                          staff={h.lower() for h in settings.staff_handles},
                          brand_names=brand_names, labels=labels)
    timings[f"{label}_scoring"] = time.perf_counter() - t
    return scored, ppr


def _communities_of(pairs, seed: int, backend: str | None) -> tuple[dict[int, int], float]:
    from graph.network import build_graph, communities

    t = time.perf_counter()
    # In the order of the pairs, whatever order they were found in: Louvain visits nodes in
    # the graph's order, and a ranking read in parts must find the same communities.
    found = communities(build_graph(dict(sorted(pairs.items()))), seed=seed, backend=backend)
    return found, time.perf_counter() - t


def _previous_window(db: Engine | str, settings: Settings, start: datetime, end: datetime,
                     backend: str | None):
    """The window before (for trends): its scores, the time they took, its features and
    PageRank. ``db``: the engine, or in a forked process the URL it opens its own with."""
    from store.db import make_engine

    engine = make_engine(db) if isinstance(db, str) else db
    try:
        timings: dict[str, float] = {}
        feats, before, _, ppr = _score_window(engine, settings, start, end, backend, timings,
                                              "previous", False)
        return before, timings, feats, ppr
    finally:
        if engine is not db:
            engine.dispose()


# Below this many tweets a ranking stays in one process: starting others costs more than
# it saves (and most test and demo databases are small).
_FORK_FROM_TWEETS = 200_000


def _parallel(engine: Engine) -> str | None:
    """The URL a forked process opens this database with, when a ranking should use one:
    two cores or more, a database another process can open, ``_FORK_FROM_TWEETS`` tweets."""
    url = _shareable(engine) if _workers() > 1 else None
    if url is not None:
        with engine.connect() as conn:
            if (conn.execute(text("SELECT COUNT(*) FROM tweets")).scalar() or 0
                    ) < _FORK_FROM_TWEETS:
                return None
    return url


class _Helpers:
    """Two forked processes to compute parts of a big ranking beside this one (``fork``), or
    none: then each part is computed here when its result is asked for. Same results either
    way. They are forked at the first ``call``, before this process holds a window's
    features: each part gets its inputs pickled, and the processes stay small (forked from a
    process holding the features, the communities' one copied most of it: 900 MB in all at
    1.37M tweets instead of 500)."""

    def __init__(self, fork: bool):
        self.pool = None
        if fork:
            try:
                self.pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
            except (OSError, ValueError):  # no processes allowed here
                self.pool = None

    def call(self, fn, *args):
        """A function that returns ``fn(*args)``."""
        if self.pool is None:
            return lambda: fn(*args)
        return self.pool.submit(fn, *args).result

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def settings_key(settings: Settings, days: float) -> str:
    """The settings a run is made with, as stored with it (``ranking_runs.params``, less its
    results): a ranking with the same key, on the same data, gives the same figures."""
    from graph.classify import _fingerprint

    return json.dumps({"window_days": days, "weights": settings.weights,
                       "support_handles": list(settings.support_handles),
                       "staff_handles": list(settings.staff_handles),
                       "fix_domains": list(settings.fix_domains),
                       # (how much may change before a ranking starts from scratch is
                       # not a setting of the figures: the same either way)
                       "ranking": {k: v for k, v in settings.ranking.items()
                                   if k != "incremental_up_to"},
                       "roles": _fingerprint(settings)},
                      sort_keys=True)


def run_ranking(engine: Engine, settings: Settings, *, window_days: float | None = None,
                end: datetime | None = None, backend: str | None = None,
                store: bool = True, progress: Callable[[str], None] | None = None,
                scratch: bool = False) -> RankingResult:
    """Rank the window ending at ``end`` (default: the newest tweet stored).

    Parameters
    ----------
    engine, settings : the database and the settings to rank with.
    window_days : the window's length (default: ``ranking.window_days`` in the settings).
    end : the window's end (default: just after the newest tweet stored).
    backend : a NetworkX backend for PageRank and Louvain, where installed.
    store : store the run (``ranking_runs`` and the scores); False for evaluations.
    progress : called with a short name as each step starts, in the order of
        ``RANKING_STEPS`` ("classifying tweets", ..., "storing the run"; that last one only
        when ``store``), once each, from the calling thread. A step ends when the next one
        is named or ``run_ranking`` returns. For a progress bar or a spinner; it should
        return at once, and whatever it raises stops the ranking.
    scratch : read every person, keeping nothing from the last stored run. A stored run
        otherwise reuses that run when nothing is new, and reads again only the people
        something changed for (``graph.incremental``): the same figures either way.

    Returns
    -------
    RankingResult : everyone scored, the ranked first; ``run_id`` is None unless stored;
    ``made`` says how.
    """
    step = progress or _no_progress
    if backend:
        from graph.network import check_backend

        check_backend(backend)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    step("classifying tweets")
    mark_brands(engine, settings.support_handles)
    days = float(window_days or settings.ranking["window_days"])
    if end is None:
        last = latest_tweet_time(engine)
        end = (last + timedelta(seconds=1)) if last else utcnow()
    start = end - timedelta(days=days)
    key = settings_key(settings, days)
    with engine.connect() as conn:
        marks = data_marks(conn)
        last_run = conn.execute(text("SELECT MAX(id) FROM ranking_runs")).scalar()
        again = nothing_new(conn, marks, key, start, end) if store and not scratch else None
    if again is not None:
        timings["total"] = time.perf_counter() - t0
        return _stored_result(engine, again, start, end, timings)
    t = time.perf_counter()
    classified = classify_tweets(engine, settings)
    timings["classify"] = time.perf_counter() - t
    step("finding help acts")
    t = time.perf_counter()
    kept = load_kept(engine, last_run, key, marks) if store and not scratch else None
    touched: dict[str, set[tuple]] | None = defaultdict(set) if kept else None
    helped = refresh_help_acts(engine, touched)
    if helped["rebuilt"]:
        kept = None
    if kept is not None:
        with engine.connect() as conn:
            timings["churn"] = churn(conn, kept, touched or {}, windows_of(kept, start, end, days))
        if timings["churn"] > float(settings.ranking["incremental_up_to"]):
            kept = None  # so much changed that one pass over the window is cheaper
    if (engine.dialect.name == "postgresql" and kept is None
            and (classified or helped["answers"])):
        # Fresh statistics for the rows just written: the queries below are planned on them.
        # (Not when only the people something changed for are read: their queries go by
        # person, and the statistics of a few thousand new rows among a million barely move;
        # the ANALYZE was 2-3 s of a 15-minute cycle. Autovacuum keeps them.)
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE tweet_acts, help_acts")
    timings["help_acts"] = time.perf_counter() - t
    if kept is not None:
        result, keep = _rank_again(engine, settings, kept, touched or {}, start, end, days,
                                   backend, timings, t0, step)
    else:
        result, keep = _rank_scratch(engine, settings, start, end, days, backend, timings, t0,
                                     step)
    if store:
        step("storing the run")
        with engine.connect() as conn:
            after = marks_after(conn, marks)
        result.run_id = _store(engine, key, after, start, end, result.people, timings,
                               result.abstain)
        t = time.perf_counter()
        save_kept(engine, Kept(CACHE_VERSION, result.run_id, key, after, **keep))
        timings["keep"] = time.perf_counter() - t
    return result


def _rank_scratch(engine: Engine, settings: Settings, start: datetime, end: datetime,
                  days: float, backend: str | None, timings: dict[str, float], t0: float,
                  step: Callable[[str], None]) -> tuple[RankingResult, dict]:
    """Every person read (``run_ranking``); with what the next ranking can keep."""
    # On big data the window before (for trends) and the current window's communities are
    # found in forked processes while this one scores the current window (the warm ranking
    # of 1.37M tweets on two cores: 19.7 -> 15 s); the results are the same either way.
    url = _parallel(engine)
    helpers = _Helpers(url is not None)
    try:
        previous = helpers.call(_previous_window, url or engine, settings,
                                start - timedelta(days=days), start, backend)
        feats, now, pending, ppr = _score_window(engine, settings, start, end, backend,
                                                 timings, "current", True, helpers, step)
        step("scoring the previous window")  # for trends; in another process on big data
        before, theirs, previous_feats, previous_ppr = previous()
        timings.update(theirs)
        keep: dict = {"current": feats, "previous": previous_feats, "ppr": ppr,
                      "previous_ppr": previous_ppr}
        result = _finish(engine, settings, start, end, feats, now, before, pending, timings,
                         t0, step, keep)
    finally:
        helpers.close()
    return result, keep


def _rank_again(engine: Engine, settings: Settings, kept: Kept, touched: dict[str, set[tuple]],
                start: datetime, end: datetime, days: float, backend: str | None,
                timings: dict[str, float], t0: float, step: Callable[[str], None]
                ) -> tuple[RankingResult, dict]:
    """Only the people something changed for read again (``graph.incremental``)."""
    step("reading the window")
    t = time.perf_counter()
    current, previous = windows_of(kept, start, end, days)
    with engine.connect() as conn:
        ranges: dict = {}  # (the window before moved by some of the same time)
        changed = dirty(conn, kept, touched, current, ranges)
        feats = update_window(conn, kept.current, start, end, changed, settings.ranking)
    timings["current_sql_aggregate"] = time.perf_counter() - t
    timings["people_read_again"] = float(len(set().union(*changed.values())))
    # The communities, when the help between people changed: on big data in a forked
    # process, while this one scores (as ``_rank_scratch``).
    helpers = _Helpers(_parallel(engine) is not None and dict(feats.pairs) != kept.pairs)
    try:
        if dict(feats.pairs) == kept.pairs:
            found = (dict(kept.communities), 0.0)
            pending = lambda: found  # noqa: E731 (the help between people did not change)
        else:
            pending = helpers.call(_communities_of, feats.pairs,
                                   int(settings.ranking["louvain_seed"]), backend)
        now, ppr = _scores(engine, settings, feats, backend, timings, "current", step,
                           kept.ppr)
        step("scoring the previous window")
        t = time.perf_counter()
        with engine.connect() as conn:
            previous_feats = update_window(conn, kept.previous, start - timedelta(days=days),
                                           start, dirty(conn, kept, touched, previous, ranges),
                                           settings.ranking)
        timings["previous_sql_aggregate"] = time.perf_counter() - t
        before, previous_ppr = _scores(engine, settings, previous_feats, backend, timings,
                                       "previous", _no_progress, kept.previous_ppr)
        keep: dict = {"current": feats, "previous": previous_feats, "ppr": ppr,
                      "previous_ppr": previous_ppr}
        result = _finish(engine, settings, start, end, feats, now, before, pending, timings,
                         t0, step, keep, kept, changed)
    finally:
        helpers.close()
    result.made = "incremental"
    return result, keep


def _stored_result(engine: Engine, run_id: int, start: datetime, end: datetime,
                   timings: dict[str, float]) -> RankingResult:
    """A stored run as a ``RankingResult`` (its people without their evidence)."""
    with engine.connect() as conn:
        abstain = json.loads(conn.execute(text(
            "SELECT params FROM ranking_runs WHERE id = :r"), {"r": run_id}).scalar() or "{}"
        ).get("abstain")
        rows = conn.execute(text(
            "SELECT s.user_id, u.username, u.name, u.followers_count, s.rank, s.score,"
            " s.components, s.tier, s.previous_score, s.previous_tier, s.community, s.lang,"
            " s.flags, s.facts FROM champion_scores s LEFT JOIN users u ON u.id = s.user_id"
            " WHERE s.run_id = :r"), {"r": run_id}).all()
    import orjson  # (a run's rows are mostly JSON: a fifth of the time of json's)

    people = []
    for (uid, username, name, followers, rank, score, components, tier, prev, prev_tier,
         community, lang, flags, facts) in rows:
        facts = orjson.loads(facts) if facts else {}
        people.append(Ranked(uid, username, name, followers or 0, rank, score,
                             orjson.loads(components or "{}"), tier, prev, prev_tier,
                             community, lang, orjson.loads(flags) if flags else [],
                             helped=int(facts.get("helped", 0)),
                             confirmed=int(facts.get("confirmed", 0)), facts=facts))
    people.sort(key=lambda p: (p.rank is None, p.rank or 0, -p.score, p.user_id))
    return RankingResult(run_id, start, end, people, timings, abstain, made="reused")


def _finish(engine: Engine, settings: Settings, start: datetime, end: datetime, feats,
            now: dict[int, Scored], before: dict[int, Scored], pending,
            timings: dict[str, float], t0: float,
            step: Callable[[str], None] = _no_progress, keep: dict | None = None,
            kept: Kept | None = None, changed: dict[str, set[int]] | None = None
            ) -> RankingResult:
    """The ranked people with their evidence, trends and communities. ``kept`` and
    ``changed``: the evidence of everyone but whom ``changed`` names is taken from ``kept``.
    ``keep`` receives what the next ranking can keep."""
    step("gathering evidence")
    t = time.perf_counter()
    if not any(uid in feats.help and not s.flags for uid, s in now.items()):
        with engine.connect() as conn:  # counted only when the reason needs it
            feats.c2c_replies = c2c_replies(conn, start, end)
    abstain = abstain_reason(feats, now)
    people = _assemble(now, before, feats, settings, abstain)
    wanted = [p.user_id for p in people]
    flagged = [p.user_id for p in people if reviewable(p.flags)]
    with engine.connect() as conn:
        if kept is None:
            ev = evidence_tweets(conn, start, end, wanted)
            voice_evidence(conn, start, end, flagged, ev)
        else:
            changed = changed or {}
            ev = update_evidence(conn, kept, start, end, evidence_people(changed), wanted)
            voice_evidence(conn, start, end,
                           kept_flags(kept, flagged, changed.get("activity", set()), ev), ev)
    for p in people:
        p.evidence = _evidence_for(p, ev)
        p.facts = _facts(p, ev)
    timings["evidence"] = time.perf_counter() - t
    step("finding communities")  # begun earlier beside this process on big data
    comms, timings["current_communities"] = pending()
    for p in people:
        if p.user_id in now:  # (not the lapsed: they were not in the current window)
            p.community = comms.get(p.user_id)
    timings["total"] = time.perf_counter() - t0
    if keep is not None:
        keep.update(evidence=ev, voiced=set(flagged), communities=comms,
                    pairs=dict(feats.pairs), people=set(wanted))
    return RankingResult(None, start, end, people, timings, abstain)


def abstain_reason(feats, scored: dict[int, Scored]) -> str | None:
    """Why the window names no champion, or None when it holds customer-to-customer help."""
    if feats.brand_accounts == 0:
        return ("no support handle in this data: set support_handles in the settings "
                "(no stored account is a brand account, so nothing here is support)")
    if any(uid in feats.help and not s.flags for uid, s in scored.items()):
        return None
    n = feats.c2c_replies
    if n == 0:
        return "0 replies from one customer to another in this window"
    return (f"{n} repl{'y' if n == 1 else 'ies'} from one customer to another in this window, "
            "but none answered another customer's help request with content (steps, an "
            "explanation, or a pointer to a fix)")


def voice_evidence(conn, start: datetime, end: datetime, users: list[int],
                   ev: Evidence) -> None:
    """The tweets behind "likely staff" and "likely a business" (the newest five each, with
    how many there are), added to ``ev`` as the component "flags"."""
    name = conn.dialect.name
    for _, member, params in id_chunks(conn, users):
        rows = conn.execute(text(
            "SELECT u, tid, n FROM (SELECT t.author_id AS u, t.id AS tid, ROW_NUMBER() OVER"
            " (PARTITION BY t.author_id ORDER BY t.created_at DESC, t.id DESC) AS rn,"
            " COUNT(*) OVER (PARTITION BY t.author_id) AS n"
            " FROM tweets t JOIN tweet_acts ta ON ta.tweet_id = t.id"
            f" WHERE {member('t.author_id')} AND (ta.is_agent OR ta.is_business OR ta.is_we)"
            " AND t.kind != 'retweet' AND t.created_at >= :start AND t.created_at < :end) v"
            " WHERE rn <= 5"),
            {**params, "start": bind_time(name, start), "end": bind_time(name, end)}).all()
        for u, tid, n in rows:
            ev.items[(u, "flags")].append((tid, None, None))
            ev.totals[(u, "flags")] = int(n)


def _evidence_for(p: Ranked, ev: Evidence) -> dict[str, list[tuple[int, int | None,
                                                                    float | None]]]:
    """Each component that earned points, with its own acts; and a flagged account's voice."""
    kept = {c: ev.items[(p.user_id, c)] for c in COMPONENTS
            if p.components.get(c) and ev.items.get((p.user_id, c))}
    if p.flags and ev.items.get((p.user_id, "flags")):
        kept["flags"] = ev.items[(p.user_id, "flags")]
    return kept


def _facts(p: Ranked, ev: Evidence) -> dict[str, object]:
    """The counts a person's one-line reason is made of, and each component's true total of
    acts (the evidence stored is the newest EVIDENCE_LIMIT)."""
    def total(component: str) -> int:
        return ev.totals.get((p.user_id, component), 0)

    minutes = sorted(ev.response_minutes.get(p.user_id, ()))
    spread = total("fix_amplification")
    return {
        "helped": p.helped, "confirmed": p.confirmed, "answers": total("helpful_answers"),
        "fixes_spread": spread, "reach": p.followers if spread else 0,
        "active_weeks": total("consistency"),
        "median_response_minutes": (round(statistics.median(minutes), 1) if minutes
                                    else None),
        "evidence_totals": {c: total(c) for c in (*COMPONENTS, "flags") if total(c)},
    }


def _assemble(now: dict[int, Scored], before: dict[int, Scored],
              feats, settings: Settings, abstain: str | None) -> list[Ranked]:
    r = settings.ranking
    people: list[Ranked] = []
    for uid, s in now.items():
        prev = before.get(uid)
        prev_score = prev.score if prev else None
        prev_tier = (tier_of(prev.score, None, r, prev.helped, prev.confirmed)
                     if prev and not prev.flags else None)
        langs = feats.helped_langs.get(uid)
        # The language they helped in most (a tie: the first by its code, whatever order the
        # rows were read in).
        lang = min(langs.items(), key=lambda kv: (-kv[1], kv[0]))[0] if langs else None
        lang = {"in": "id"}.get(lang, lang)  # X tags Indonesian "in"
        if s.flags:
            tier = "excluded"
        elif abstain:
            tier = "inactive"
        else:
            tier = tier_of(s.score, prev_score, r, s.helped, s.confirmed)
        people.append(Ranked(
            uid, s.person.username, s.person.name, s.person.followers, None, s.score,
            s.components, tier, prev_score, prev_tier, None, lang, s.flags,
            helped=s.helped, confirmed=s.confirmed))
    # Lapsed: champions of the previous window who are not champions now.
    for p in people:
        if p.previous_tier == "champion" and p.tier not in ("champion", "excluded"):
            p.tier = "lapsed"
    for uid, prev in before.items():
        if (uid not in now and not prev.flags
                and tier_of(prev.score, None, r, prev.helped, prev.confirmed) == "champion"):
            people.append(Ranked(uid, prev.person.username, prev.person.name,
                                 prev.person.followers, None, 0.0, dict.fromkeys(COMPONENTS, 0.0),
                                 "lapsed", prev.score, "champion", None, None, []))
    ranked = sorted((p for p in people if not p.flags and p.score > 0 and not abstain),
                    key=lambda p: (-p.score, p.username or "", p.user_id))
    for i, p in enumerate(ranked, 1):
        p.rank = i
    people.sort(key=lambda p: (p.rank is None, p.rank or 0, -p.score, p.user_id))
    return people


def _store(engine: Engine, key: str, marks: dict, start: datetime, end: datetime,
           people: list[Ranked], timings: dict[str, float], abstain: str | None) -> int:
    """Store a run: its settings (``settings_key``) with what it found (``abstain``) and the
    marks of the data it read (``graph.incremental.data_marks``), and its people."""
    from store.models import RankingRun

    params = {**json.loads(key), "abstain": abstain, "marks": marks}
    with engine.begin() as conn:
        run_id = conn.execute(insert(RankingRun).values(
            created_at=utcnow(), window_start=start, window_end=end,
            params=json.dumps(params), timings=json.dumps(timings)).returning(RankingRun.id)
        ).scalar_one()
        # Plain tuples through the driver's executemany: a run stores ~20k people and ~100k
        # evidence rows, and building and binding a dict per row took a second of a ranking.
        rows = [(run_id, p.user_id, p.rank, p.score, json.dumps(p.components), p.tier,
                 p.previous_score, p.previous_tier, p.community, p.lang,
                 json.dumps(p.flags) if p.flags else None,
                 json.dumps(p.facts) if p.facts else None) for p in people]
        _insert_many(conn, "champion_scores", ("run_id", "user_id", "rank", "score", "components",
                     "tier", "previous_score", "previous_tier", "community", "lang", "flags",
                     "facts"), rows)
        ev = [(run_id, p.user_id, c, tid, other, value)
              for p in people for c, items in p.evidence.items() for tid, other, value in items]
        _insert_many(conn, "score_evidence", ("run_id", "user_id", "component", "tweet_id",
                     "other_user_id", "points"), ev)
    return run_id


def _insert_many(conn, table: str, columns: tuple[str, ...], rows: list[tuple],
                 size: int = 5000) -> None:
    """Rows as plain tuples: PostgreSQL gets a COPY (an INSERT a row took 2 s for a run's 110k
    evidence rows), SQLite the driver's ``executemany``."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        copy_rows(conn, table, columns, rows)
        return
    sql = (f"INSERT INTO {table} ({', '.join(columns)})"
           f" VALUES ({', '.join(['?'] * len(columns))})")
    for i in range(0, len(rows), size):
        conn.exec_driver_sql(sql, rows[i:i + size])
