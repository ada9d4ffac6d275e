"""The scheduled cycle: a ranking after each import reads again only the people something
changed for (``graph.incremental``), and must give what a ranking from scratch gives, cycle
after cycle, as the window moves on and tweets leave it (and the window before it). With
nothing new, the last run stands. ``python -m ingest cycle`` is import-then-rank in one
command, one line, one exit code."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text

from graph.corrections import correct
from graph.rank import run_ranking
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.files import import_files
from settings import Settings
from store.db import make_engine
from store.migrate import upgrade
from tests.conftest import realdata

# Each of these tests' cycles is a large share of its small community: kept built on whatever
# the share (``incremental_up_to``), so that building on it is what they test.
ACME = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]))
ACME.ranking["incremental_up_to"] = 1.0
ANY_SHARE = {**Settings().ranking, "incremental_up_to": 1.0}


def _everything(res) -> list[tuple]:
    """All a run says about everyone: rank, score, tier, trend, community, counts, evidence."""
    return [(p.user_id, p.rank, round(p.score, 3), p.tier, p.previous_tier,
             None if p.previous_score is None else round(p.previous_score, 3), p.community,
             p.lang, p.helped, p.confirmed, tuple(sorted(p.components.items())),
             json.dumps(p.facts, sort_keys=True),
             tuple(sorted((c, tuple(items)) for c, items in p.evidence.items())))
            for p in res.people]


def _cut_pages(src: Path, parts: int, base_share: float, out: Path) -> list[Path]:
    """``src``'s tweets cut by time: the oldest ``base_share`` first, then ``parts`` files of
    the rest in time order (each page split by its tweets' times, its includes kept)."""
    pages = [orjson.loads(line) for line in src.read_bytes().splitlines() if line.strip()]
    times = sorted(t["created_at"] for p in pages for t in p.get("data", ()))
    first = int(len(times) * base_share)
    step = -(-(len(times) - first) // parts)
    bounds = [times[min(first + i * step, len(times) - 1)] for i in range(parts)]
    files = [out / f"cut{i}.jsonl" for i in range(parts + 1)]
    chunks: list[list[bytes]] = [[] for _ in files]
    for page in pages:
        split: dict[int, list] = {}
        for t in page.get("data", ()):
            split.setdefault(sum(t["created_at"] >= b for b in bounds), []).append(t)
        for k, data in split.items():
            # The tweets a page includes (those referred to) older than its own cut only: a
            # page of older tweets must not bring newer ones.
            includes = dict(page.get("includes") or {})
            if k < parts and "tweets" in includes:
                includes["tweets"] = [t for t in includes["tweets"]
                                      if t.get("created_at", "") < bounds[k]]
            chunks[k].append(orjson.dumps({**page, "data": data, "includes": includes}))
    for f, lines in zip(files, chunks):
        f.write_bytes(b"\n".join(lines) + b"\n")
    return files


@pytest.fixture
def demo_cuts(tmp_path) -> list[Path]:
    path = tmp_path / "demo.jsonl"
    generate_demo(path, DemoSpec(3000, 7, today=date(2026, 11, 1)))
    return _cut_pages(path, 8, 0.5, tmp_path)


def test_many_small_cycles_rank_as_from_scratch_as_the_window_moves(engine, demo_cuts,
                                                                    second_db_url):
    """The demo's older half loaded and ranked, then eight cycles of its newer tweets in time
    order, a ranking after each, in a 21-day window: tweets leave the window and the window
    before it at every cycle. Each cycle's ranking (kept from the last) equals a ranking from
    scratch of the same data: people, order, scores, tiers, trends, communities, evidence;
    and the last equals one load of everything and one ranking, in another database."""
    import_files(engine, None, [demo_cuts[0]], log=lambda m: None)
    first = run_ranking(engine, ACME, window_days=21)
    assert first.made == "scratch"
    starts, again = [first.start], []
    for part in demo_cuts[1:]:
        import_files(engine, None, [part], log=lambda m: None)
        cycle = run_ranking(engine, ACME, window_days=21)
        scratch = run_ranking(engine, ACME, window_days=21, store=False)
        assert cycle.made == "incremental"
        assert (cycle.start, cycle.end) == (scratch.start, scratch.end)
        assert _everything(cycle) == _everything(scratch)
        assert cycle.ranked, "the window names champions"
        starts.append(cycle.start)
        again.append(cycle.timings["people_read_again"])
    with engine.connect() as conn:
        left = conn.execute(text(
            "SELECT COUNT(*) FROM help_acts WHERE created_at < :s AND created_at >= :f"),
            {"s": starts[-1].strftime("%Y-%m-%d %H:%M:%S"),
             "f": starts[0].strftime("%Y-%m-%d %H:%M:%S")}).scalar()
        authors = conn.execute(text("SELECT COUNT(DISTINCT author_id) FROM tweets")).scalar()
    assert left > 10, "answers left the window as it moved on"
    assert starts == sorted(starts) and starts[-1] > starts[0]
    # Read again: the people something changed for, not everyone.
    assert max(again) < authors  # (the demo is dense: most of its 184 people are active weekly)
    whole = make_engine(second_db_url)
    try:
        upgrade(whole)
        import_files(whole, None, demo_cuts, log=lambda m: None)
        once = run_ranking(whole, ACME, window_days=21)
        assert once.made == "scratch" and (once.start, once.end) == (cycle.start, cycle.end)
        assert _everything(once) == _everything(cycle)
    finally:
        whole.dispose()


def test_nothing_new_reuses_the_last_run_and_anything_new_does_not(engine, demo_cuts):
    import_files(engine, None, [demo_cuts[0]], log=lambda m: None)
    first = run_ranking(engine, ACME)
    same = run_ranking(engine, ACME)
    assert same.made == "reused" and same.run_id == first.run_id
    assert [(p.user_id, p.rank, p.score, p.tier) for p in same.people] == \
        [(p.user_id, p.rank, p.score, p.tier) for p in first.people]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM ranking_runs")).scalar() == 1
    # Other settings, another window: ranked again.
    other = Settings(support_handles=ACME.support_handles,
                     ranking={**ACME.ranking, "half_life_days": 10.0})
    assert run_ranking(engine, other).made == "scratch"
    assert run_ranking(engine, ACME, window_days=30).made == "scratch"
    back = run_ranking(engine, ACME)
    assert back.made == "scratch" and back.run_id != first.run_id
    # New tweets: read in part.
    import_files(engine, None, [demo_cuts[1]], log=lambda m: None)
    assert run_ranking(engine, ACME).made == "incremental"
    assert run_ranking(engine, ACME).made == "reused"
    # --scratch reads everyone, whatever is kept.
    assert run_ranking(engine, ACME, scratch=True).made == "scratch"


def test_what_makes_a_ranking_start_from_scratch(engine, demo_cuts, tmp_path):
    """A staff correction, an evaluation that took the new tweets' marks, and a lost kept
    file each make the next ranking start from scratch, and it still equals one."""
    import_files(engine, None, [demo_cuts[0]], log=lambda m: None)
    res = run_ranking(engine, ACME)
    answer = next(tid for p in res.ranked for tid, _, _ in p.evidence.get("helpful_answers", []))
    correct(engine, answer, "answer", False, "lead@acme.example")
    after = run_ranking(engine, ACME)
    assert after.made == "scratch"
    assert _everything(after) == _everything(run_ranking(engine, ACME, store=False))
    # An evaluation (not stored) refreshed the help rows the new tweets changed: the kept
    # evidence cannot know whose, so the next stored ranking reads everyone.
    import_files(engine, None, [demo_cuts[1]], log=lambda m: None)
    run_ranking(engine, ACME, store=False)
    assert run_ranking(engine, ACME).made == "scratch"
    # The kept file gone (or unreadable): from scratch, and the file is written again.
    from graph.incremental import cache_path

    import_files(engine, None, [demo_cuts[2]], log=lambda m: None)
    cache_path(engine).write_bytes(b"not a pickle")
    assert run_ranking(engine, ACME).made == "scratch"
    import_files(engine, None, [demo_cuts[3]], log=lambda m: None)
    assert run_ranking(engine, ACME).made == "incremental"


def _cut_csv(src: Path, parts: int, out: Path) -> list[Path]:
    """A TWCS file cut by time into ``parts`` files (the oldest first)."""
    from datetime import datetime

    with src.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    when = header.index("created_at")
    body.sort(key=lambda r: datetime.strptime(r[when], "%a %b %d %H:%M:%S %z %Y"))
    size = -(-len(body) // parts)
    chunks = [body[i * size:(i + 1) * size] for i in range(parts)]
    # Each support handle's first reply goes in the first file: a deployment knows its
    # handles from the start (a brand account first seen later rebuilds the help rows, and
    # the ranking starts from scratch, as it must).
    inbound, author = header.index("inbound"), header.index("author_id")
    brands = {row[author] for row in chunks[0] if row[inbound] == "False"}
    for chunk in chunks[1:]:
        for row in list(chunk):
            if row[inbound] == "False" and row[author] not in brands:
                brands.add(row[author])
                chunk.remove(row)
                chunks[0].append(row)
    files = []
    for i, chunk in enumerate(chunks):
        f = out / f"twcs{i}.csv"
        with f.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(chunk)
        files.append(f)
    return files


def test_real_support_traffic_in_cycles_ranks_as_from_scratch(engine, tmp_path):
    """Real TWCS traffic (the shared development stretch) in six cycles by time, a ranking
    after each in a 2-day window (the stretch spans days, so tweets leave it): each equals a
    ranking from scratch."""
    src = realdata("twcs-slice-mdakram2002/twcs_dev.csv")
    settings = Settings(ranking=dict(ANY_SHARE))
    parts = _cut_csv(src, 6, tmp_path)
    import_files(engine, None, [parts[0]], log=lambda m: None)
    run_ranking(engine, settings, window_days=2)
    made = []
    for part in parts[1:]:
        import_files(engine, None, [part], log=lambda m: None)
        cycle = run_ranking(engine, settings, window_days=2)
        made.append(cycle.made)
        assert _everything(cycle) == _everything(
            run_ranking(engine, settings, window_days=2, store=False))
    assert made.count("incremental") == len(made)


def test_ingest_cycle_imports_then_ranks_in_one_line(db_url, tmp_path, capsys, demo_cuts):
    """``python -m ingest cycle``: the configured folder's new files, then a ranking; one line
    on stdout; exit 0. Again with nothing new: the run stands. A bad line: exit 3 (partial),
    the good lines loaded and ranked."""
    from ingest.cli import main

    watched = tmp_path / "watched"
    watched.mkdir()
    config = tmp_path / "champions.toml"
    # (No support handles: with them, the run would try the X API, and say it skipped it.)
    config.write_text(f'[ranking]\nincremental_up_to = 1.0\n'
                      f'[ingest]\nfiles = [{json.dumps(str(watched))}]\n')
    args = ["cycle", "--db", db_url, "--config", str(config)]
    (watched / "a.jsonl").write_bytes(demo_cuts[0].read_bytes())
    assert main(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("cycle: imported, +")
    assert "from scratch" in out[0] and "ranked" in out[0], out
    assert main(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "+0 tweets" in out[0] and "nothing new: ranking run 1 stands" in out[0]
    (watched / "b.jsonl").write_bytes(demo_cuts[1].read_bytes() + b"{not json\n")
    assert main(args) == 3
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == 1
    assert "imported in part" in captured.out and "people read again" in captured.out
    # The bad line is named (file:line: reason) on stderr, as by `ingest run`.
    assert "rejected: " in captured.err and "b.jsonl:" in captured.err
    assert "invalid JSON" in captured.err


def test_schedule_with_rank_runs_a_cycle_each_time(db_url, tmp_path, capsys, demo_cuts):
    """``ingest schedule --rank``: each scheduled run is a cycle (import, then rank when
    anything changed), one line each."""
    from ingest.cli import main

    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "a.jsonl").write_bytes(demo_cuts[0].read_bytes())
    config = tmp_path / "champions.toml"
    config.write_text(f'[ingest]\nfiles = [{json.dumps(str(watched))}]\n')
    assert main(["schedule", "--every", "1m", "--times", "2", "--rank", "--db", db_url,
                 "--config", str(config)], sleep=lambda s: None) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert "from scratch" in lines[0] and "nothing new: ranking run 1 stands" in lines[1]


def _scores_of(engine, run_id: int) -> list[tuple]:
    with engine.connect() as conn:
        return [(u, rank, round(score, 3), tier, prev, comm) for u, rank, score, tier, prev, comm
                in conn.execute(text(
                    "SELECT user_id, rank, score, tier, previous_tier, community"
                    " FROM champion_scores WHERE run_id = :r ORDER BY user_id"), {"r": run_id})]


def _watched(tmp_path: Path, first: Path, ranking: str = "") -> tuple[Path, Path]:
    """A watched folder holding ``first``, and settings that import it and rank the demo
    (built on the last ranking whatever the share; ``ranking``: more of that section)."""
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / first.name).write_bytes(first.read_bytes())
    config = tmp_path / "champions.toml"
    config.write_text(f"support_handles = {json.dumps(list(ACME.support_handles))}\n"
                      f"[ranking]\nincremental_up_to = 1.0\n{ranking}"
                      f"[ingest]\nfiles = [{json.dumps(str(watched))}]\n")
    return watched, config


def test_a_resident_schedule_builds_on_memory_and_ranks_as_from_scratch(
        engine, db_url, tmp_path, capsys, demo_cuts, monkeypatch):
    """``ingest schedule --rank`` keeps the last ranking's evidence in memory: no cycle reads
    the kept file, each writes it after its line (for a ranking in another process, which
    builds on it), and the last cycle's ranking equals one from scratch of the same data."""
    from graph import incremental
    from graph.incremental import cache_path
    from ingest.cli import main
    from store.db import RESIDENT_KEPT

    watched, config = _watched(tmp_path, demo_cuts[0], 'window = "21d"\n')
    reads: list[Path] = []
    real_read = incremental._read_file
    monkeypatch.setattr(incremental, "_read_file",
                        lambda path, want: reads.append(path) or real_read(path, want))
    written: list[bool] = []
    later = iter(demo_cuts[1:])

    def between(seconds: float) -> None:  # the wait: the next cut arrives
        with engine.connect() as conn:
            last = conn.execute(text("SELECT MAX(id) FROM ranking_runs")).scalar()
        written.append(incremental._file_header(cache_path(engine))["run_id"] == last)
        part = next(later)
        (watched / part.name).write_bytes(part.read_bytes())

    cycles = len(demo_cuts)
    # Exit 3 (in part): the support handles are set (to rank), the X API has no token here.
    assert main(["schedule", "--every", "1m", "--times", str(cycles), "--rank", "--db", db_url,
                 "--config", str(config)], sleep=between) == 3
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == cycles and "from scratch" in lines[0]
    assert all("people read again" in line for line in lines[1:]), lines
    assert reads == [] and written == [True] * (cycles - 1)
    assert not RESIDENT_KEPT and not incremental._resident  # a schedule that ends lets go
    with engine.connect() as conn:
        last = conn.execute(text("SELECT MAX(id) FROM ranking_runs")).scalar()
    assert incremental._file_header(cache_path(engine))["run_id"] == last
    from settings import load_settings

    kept = _kept_file(engine)
    settings = load_settings(config)
    scratch = run_ranking(engine, settings, scratch=True)
    assert scratch.made == "scratch" and scratch.ranked
    assert _scores_of(engine, last) == _scores_of(engine, scratch.run_id)
    # What the cycles kept in memory is what a ranking from scratch keeps: every cell of both
    # windows, no one who left a window still held (a process that runs for weeks).
    fresh = _kept_file(engine)
    assert kept.current == fresh.current and kept.previous == fresh.previous
    assert (kept.people, kept.voiced) == (fresh.people, fresh.voiced)


def _kept_file(engine):
    import pickle

    from graph.incremental import cache_path

    with cache_path(engine).open("rb") as fh:
        pickle.load(fh)  # the header
        return pickle.load(fh)


def test_a_resident_schedule_goes_on_when_the_kept_file_cannot_be_written(
        db_url, tmp_path, capsys, caplog, demo_cuts, monkeypatch):
    """Writing the kept file after a cycle fails (a full disk, say): the schedule says so in
    its log and runs its next cycle, still built on what it kept in memory."""
    import logging

    from graph import incremental
    from ingest.cli import main

    def broken() -> float:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(incremental, "write_kept", broken)
    watched, config = _watched(tmp_path, demo_cuts[0])
    more = (watched / "cut1.jsonl", demo_cuts[1].read_bytes())
    with caplog.at_level(logging.WARNING, logger="ingest"):
        code = main(["schedule", "--every", "1m", "--times", "2", "--rank", "--db", db_url,
                     "--config", str(config)], sleep=lambda s: more[0].write_bytes(more[1]))
    assert code == 3  # in part: no X API token here
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "from scratch" in lines[0] and "people read again" in lines[1]
    # After each cycle, and once more as the schedule ends.
    assert sum("kept file not written: OSError" in r.getMessage() for r in caplog.records) == 3


def test_an_erasure_drops_what_a_resident_process_kept(engine, demo_cuts):
    """Forgetting a person deletes the kept evidence in memory as in the file: a resident
    process neither builds on it nor writes it back."""
    from graph.incremental import cache_path, stay_resident, write_kept
    from store.db import RESIDENT_KEPT
    from store.erase import forget_user

    import_files(engine, None, [demo_cuts[0]], log=lambda m: None)
    stay_resident()
    try:
        first = run_ranking(engine, ACME)
        assert RESIDENT_KEPT and not cache_path(engine).exists()  # the file: after the cycle
        gone = first.ranked[0].user_id
        with engine.begin() as conn:
            forget_user(conn, gone, actor="privacy@acme.example")
        assert not RESIDENT_KEPT
        write_kept()
        assert not cache_path(engine).exists()
        import_files(engine, None, [demo_cuts[1]], log=lambda m: None)
        after = run_ranking(engine, ACME)
        assert after.made == "scratch" and gone not in {p.user_id for p in after.people}
        write_kept()
        assert cache_path(engine).exists()
    finally:
        stay_resident(False)


def test_graph_rank_says_when_the_last_run_stands(engine, demo_cuts, db_url, capsys):
    from graph.cli import main

    import_files(engine, None, [demo_cuts[0]], log=lambda m: None)
    assert main(["rank", "--db", db_url, "--top", "3"]) == 0
    first = capsys.readouterr().out.splitlines()
    assert main(["rank", "--db", db_url, "--top", "3"]) == 0
    again = capsys.readouterr().out.splitlines()
    assert first[0].endswith("everyone read") and "it stands" in again[0]
    assert again[0].split(":")[0] == first[0].split(":")[0]  # "ranking run 1"
    assert again[1:] == first[1:]  # the same table


def test_forgetting_a_person_deletes_what_the_ranking_kept(engine, demo_cuts):
    """The kept file holds people's evidence: an erasure deletes it at once, and the next
    ranking starts from scratch, without them."""
    from graph.incremental import cache_path
    from store.erase import forget_user

    import_files(engine, None, [demo_cuts[0]], log=lambda m: None)
    first = run_ranking(engine, ACME)
    assert cache_path(engine).exists()
    gone = first.ranked[0].user_id
    with engine.begin() as conn:
        forget_user(conn, gone, actor="privacy@acme.example")
    assert not cache_path(engine).exists()
    after = run_ranking(engine, ACME)
    assert after.made == "scratch" and gone not in {p.user_id for p in after.people}
    assert cache_path(engine).exists()


def test_older_tweets_arriving_later_rank_as_from_scratch(engine, demo_cuts):
    """A backfill: the newest tweets first, then older and older ones (into the window, into
    the window before it, and before both). Each ranking equals one from scratch."""
    import_files(engine, None, [demo_cuts[-1], demo_cuts[-2]], log=lambda m: None)
    run_ranking(engine, ACME, window_days=21)
    made = []
    for part in reversed(demo_cuts[:-2]):
        import_files(engine, None, [part], log=lambda m: None)
        cycle = run_ranking(engine, ACME, window_days=21)
        made.append(cycle.made)
        a, b = _everything(cycle), _everything(
            run_ranking(engine, ACME, window_days=21, store=False))
        diff = [(i, x[i], y[i]) for x, y in zip(a, b) if x != y for i in range(len(x)) if x[i] != y[i]]
        assert a == b, diff[:3]
    assert made.count("incremental") == len(made)


def test_a_cycle_that_changes_a_large_share_ranks_from_scratch(engine, demo_cuts):
    """Above ``incremental_up_to`` of the tweets to read again for (here a sixteenth of the
    community at once, against 3%), one pass over the window is cheaper: the ranking starts
    from scratch, says how much changed, and keeps what it read for the next."""
    settings = Settings(support_handles=ACME.support_handles)
    assert settings.ranking["incremental_up_to"] == 0.03
    import_files(engine, None, [demo_cuts[0]], log=lambda m: None)
    run_ranking(engine, settings)
    import_files(engine, None, [demo_cuts[1]], log=lambda m: None)
    res = run_ranking(engine, settings)
    assert res.made == "scratch" and res.timings["churn"] > 0.03


def test_tweets_stored_while_a_ranking_runs_are_ranked_next(engine, demo_cuts):
    """An import that lands while a ranking runs (here: at its "gathering evidence" step,
    after it classified) is not in that run; the next ranking must not take the run as
    current because of it."""
    import_files(engine, None, [demo_cuts[0]], log=lambda m: None)
    run_ranking(engine, ACME)

    def import_midway(step: str) -> None:
        if step == "gathering evidence":
            import_files(engine, None, [demo_cuts[1]], log=lambda m: None)

    import_files(engine, None, [demo_cuts[2]], log=lambda m: None)
    run_ranking(engine, ACME, progress=import_midway)
    after = run_ranking(engine, ACME)
    assert after.made != "reused"
    assert _everything(after) == _everything(run_ranking(engine, ACME, store=False))


@pytest.mark.parametrize("offset_ms", [-1500.0, -1000.0, -1.0, -0.6, -0.4, 0.0, 0.4, 0.6, 1.0,
                                       1000.0, 1500.0])
def test_a_row_near_a_weeks_edge_is_marked_in_the_week_the_database_counts_it(engine,
                                                                             offset_ms):
    """A cycle reads again the weeks a changed row may be counted in (``dirty``); the database
    numbers a row's week itself (``Dialect.week``), SQLite after rounding the time to the
    millisecond. Near a Monday midnight, the week it counts must be among those marked, or a
    changed answer would stay in a week no one reads again."""
    from graph.features import Dialect
    from graph.incremental import _weeks
    from store.db import bind_time

    monday = datetime(2026, 11, 30)
    at = monday + timedelta(milliseconds=offset_ms)
    d = Dialect(engine.dialect.name)
    cast = "CAST(:t AS TIMESTAMP)" if not d.sqlite else ":t"
    # (On SQLite, as SQLAlchemy's DateTime stores it: with its microseconds.)
    value = at.isoformat(sep=" ") if d.sqlite else bind_time(engine.dialect.name, at)
    with engine.connect() as conn:
        counted = conn.execute(text(f"SELECT {d.week(cast)}"), {"t": value}).scalar()
    assert counted in _weeks(at), (at, counted, _weeks(at))
    assert _weeks(at) <= {counted - 1, counted, counted + 1}
