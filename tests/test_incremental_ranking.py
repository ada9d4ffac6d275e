"""``help_acts`` is kept up to date incrementally (``graph.helpacts``): a community loaded and
ranked in many small runs must end with the same help rows and the same ranking as one load
and one ranking, on real support traffic and on the demo, on SQLite and PostgreSQL. Erasure,
staff overrides and a crash mid-refresh must leave nothing stale behind."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from graph.classify import set_override
from graph.helpacts import refresh_help_acts
from graph.rank import run_ranking
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.files import import_files
from settings import Settings
from store.db import make_engine
from store.erase import forget_user
from store.migrate import upgrade
from tests.conftest import realdata

TEN_YEARS = 3650
HELP_COLUMNS = ("answer_id, helper_id, asker_id, request_id, created_at, request_at, is_fix,"
                " lang, thanks_id, thanks_at, denied_id, denied_at, brand_thanks_id,"
                " brand_thanks_by, brand_thanks_at")


def _help_rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            f"SELECT {HELP_COLUMNS} FROM help_acts ORDER BY answer_id"))]


def _ranking(res) -> list[tuple]:
    return [(p.user_id, p.rank, round(p.score, 3), p.tier, p.helped, p.confirmed,
             tuple(sorted(p.components.items())), p.facts.get("evidence_totals"))
            for p in res.people]


def _split_csv(path: Path, parts: int, out: Path) -> list[Path]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    size = -(-len(body) // parts)
    files = []
    for i in range(parts):
        f = out / f"part{i}.csv"
        with f.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(body[i * size:(i + 1) * size])
        files.append(f)
    return files


def test_real_traffic_in_small_runs_ranks_as_one_load(engine, second_db_url, tmp_path):
    """The shared TWCS head in one load and one ranking, against the same file in five parts,
    each loaded and ranked in turn (replies arrive before the tweets they answer, thanks after
    the answer was stored): the same help rows, the same ranking, the same evidence totals."""
    src = realdata("twcs-head-monalisapatra26/twcs.csv")
    import_files(engine, None, [src], log=lambda m: None)
    whole = run_ranking(engine, Settings(), window_days=TEN_YEARS)

    parts = make_engine(second_db_url)
    upgrade(parts)
    runs = []
    for f in _split_csv(src, 5, tmp_path):
        import_files(parts, None, [f], log=lambda m: None)
        runs.append(run_ranking(parts, Settings(), window_days=TEN_YEARS))
    assert len(_help_rows(engine)) >= 5  # the file holds customer-to-customer help (7 answers)
    assert _help_rows(parts) == _help_rows(engine)
    assert _ranking(runs[-1]) == _ranking(whole)
    # The later runs did only the new work: no run after the first rebuilt the table whole.
    with parts.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM tweet_acts WHERE help_pending")
                            ).scalar() == 0


def _demo_pages(tmp_path: Path) -> tuple[Path, list[bytes]]:
    path = tmp_path / "demo.jsonl"
    generate_demo(path, DemoSpec(3000, 7, today=date(2026, 11, 1)))
    return path, path.read_bytes().splitlines(keepends=True)


def test_demo_in_many_runs_ranks_as_one_load(engine, second_db_url, tmp_path):
    """The demo community's pages loaded one fifth at a time, ranked after each: the last
    ranking equals one load and one ranking, and help_acts equals a rebuild from scratch."""
    settings = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]))
    path, pages = _demo_pages(tmp_path)
    import_files(engine, None, [path], log=lambda m: None)
    whole = run_ranking(engine, settings)

    parts = make_engine(second_db_url)
    upgrade(parts)
    step = -(-len(pages) // 5)
    for i in range(5):
        part = tmp_path / f"demo{i}.jsonl"
        part.write_bytes(b"".join(pages[i * step:(i + 1) * step]))
        import_files(parts, None, [part], log=lambda m: None)
        last = run_ranking(parts, settings, end=whole.end)
    assert _ranking(last) == _ranking(whole)
    incremental = _help_rows(parts)
    with parts.begin() as conn:
        conn.execute(text("DELETE FROM graph_state WHERE key = 'help_acts'"))
    assert refresh_help_acts(parts)["rebuilt"] == 1
    assert _help_rows(parts) == incremental
    assert len(incremental) > 100


def test_thanks_arriving_later_confirms_the_stored_answer(engine, tmp_path):
    """An answer stored and ranked unconfirmed; the asker's thanks arrives in a later load: the
    next ranking counts it confirmed (the thanks marks the answer it replies to)."""
    from tests.test_ranking_sql import CONVERSATION, END, SETTINGS

    first = [t for t in CONVERSATION if t["id"] != "102"]
    later = [t for t in CONVERSATION if t["id"] == "102"]  # "@helper thanks, that worked!"
    _load(engine, tmp_path / "a.jsonl", first)
    before = {p.username: p for p in run_ranking(engine, SETTINGS, window_days=7,
                                                 end=END).people}
    assert before["helper"].confirmed == 0
    _load(engine, tmp_path / "b.jsonl", later)
    after = {p.username: p for p in run_ranking(engine, SETTINGS, window_days=7,
                                                end=END).people}
    assert after["helper"].confirmed == 1
    assert after["helper"].score > before["helper"].score


def _load(engine, path: Path, tweets: list[dict]) -> None:
    import orjson

    from tests.test_ranking_sql import USERS
    users = [{"id": str(i), "username": n, "name": n, "public_metrics": {"followers_count": 10}}
             for i, n in USERS.items()]
    path.write_bytes(orjson.dumps({"data": tweets, "includes": {"users": users}}) + b"\n")
    import_files(engine, None, [path], log=lambda m: None)


def test_override_and_erasure_leave_nothing_stale(engine, tmp_path):
    """A staff override unmarking an answer removes its help row at the next ranking; a
    forgotten helper's rows go at once, and the next ranking rebuilds the table."""
    settings = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]))
    path, _ = _demo_pages(tmp_path)
    import_files(engine, None, [path], log=lambda m: None)
    run_ranking(engine, settings)
    rows = _help_rows(engine)
    answer, helper = rows[0][0], rows[0][1]
    set_override(engine, answer, "answer", False)
    run_ranking(engine, settings)
    assert answer not in {r[0] for r in _help_rows(engine)}
    with engine.begin() as conn:
        forget_user(conn, helper, actor="test")
    assert helper not in {r[1] for r in _help_rows(engine)}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM graph_state WHERE key = 'help_acts'")
                            ).scalar() is None
    run_ranking(engine, settings)
    assert helper not in {r[1] for r in _help_rows(engine)} and _help_rows(engine)


def test_a_crash_mid_refresh_leaves_the_marks(engine, tmp_path, monkeypatch):
    """A refresh that fails part-way rolls back: the marks stay, and the next run does the
    work, ending where a run without the crash ends."""
    settings = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]))
    path, pages = _demo_pages(tmp_path)
    half = tmp_path / "half.jsonl"
    half.write_bytes(b"".join(pages[: len(pages) // 2]))
    import_files(engine, None, [half], log=lambda m: None)
    run_ranking(engine, settings)
    import_files(engine, None, [path], log=lambda m: None)

    import graph.helpacts as helpacts
    real = helpacts.text

    def failing(sql, *a, **k):
        if str(sql).startswith("UPDATE tweet_acts SET help_pending = FALSE"):
            raise RuntimeError("killed mid-refresh")
        return real(sql, *a, **k)

    from graph.classify import classify_tweets
    classify_tweets(engine, settings)
    with engine.connect() as conn:
        marked = conn.execute(text("SELECT COUNT(*) FROM tweet_acts WHERE help_pending")).scalar()
    assert marked > 0
    monkeypatch.setattr(helpacts, "text", failing)
    with pytest.raises(RuntimeError):
        refresh_help_acts(engine)
    monkeypatch.setattr(helpacts, "text", real)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM tweet_acts WHERE help_pending")
                            ).scalar() == marked
    refresh_help_acts(engine)
    incremental = _help_rows(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM graph_state WHERE key = 'help_acts'"))
    refresh_help_acts(engine)
    assert _help_rows(engine) == incremental


def _spy_pools(monkeypatch, module) -> list:
    """The process pools ``module`` starts from now on (its ``ProcessPoolExecutor``)."""
    pools: list = []

    class Spy(module.ProcessPoolExecutor):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            pools.append(self)
    monkeypatch.setattr(module, "ProcessPoolExecutor", Spy)
    return pools


def test_roles_from_worker_processes_equal_roles_in_process(engine, second_db_url, tmp_path,
                                                            monkeypatch):
    """Small pages make many pages, so the classifier reads and classifies them in worker
    processes: the stored roles equal those of one in-process pass."""
    import graph.classify as classify
    from graph.classify import classify_tweets

    pools = _spy_pools(monkeypatch, classify)

    settings = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]))
    path, _ = _demo_pages(tmp_path)
    other = make_engine(second_db_url)
    upgrade(other)
    import_files(engine, None, [path], log=lambda m: None)
    import_files(other, None, [path], log=lambda m: None)
    assert classify_tweets(engine, settings, chunk=200) == classify_tweets(other, settings)
    assert len(pools) == 1  # the first run used workers, the default-sized one did not

    def roles(eng):
        with eng.connect() as conn:
            return conn.execute(text("SELECT * FROM tweet_acts ORDER BY tweet_id")).all()
    assert len(roles(engine)) > 3000
    assert roles(engine) == roles(other)


def test_a_ranking_in_forked_processes_equals_one_in_one_process(engine, tmp_path,
                                                                  monkeypatch):
    """On big data the previous window and the current window's communities are found in
    forked processes (``graph.rank._Helpers``): forced here on the demo, the ranking equals one
    computed in one process, trends, communities, evidence and facts included."""
    import graph.rank as rank

    settings = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]))
    path, _ = _demo_pages(tmp_path)
    import_files(engine, None, [path], log=lambda m: None)

    def full(res) -> list[tuple]:
        return [(p.user_id, p.rank, p.score, p.tier, p.previous_score, p.previous_tier,
                 p.community, p.lang, tuple(p.flags), sorted(p.evidence.items()),
                 sorted(p.facts.items(), key=repr)) for p in res.people]

    alone = run_ranking(engine, settings, window_days=20, store=False)
    pools = _spy_pools(monkeypatch, rank)
    monkeypatch.setattr(rank, "_FORK_FROM_TWEETS", 0)
    monkeypatch.setattr(rank, "_workers", lambda: 2)
    forked = run_ranking(engine, settings, window_days=20, store=False)
    assert len(pools) == 1  # two processes: the previous window, and the communities
    assert sum(p.previous_score is not None for p in alone.people) > 5
    assert len({p.community for p in alone.people} - {None}) > 1
    assert full(forked) == full(alone)
