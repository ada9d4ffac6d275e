"""`python -m graph` for monitoring and pipes: response-times as JSON and as tables with
headers, rank's headers, and output cut by its reader (`| head`) ending quietly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from graph import cli as graph_cli
from tests.conftest import ROOT, scalar
from tests.test_cli import demo_db  # noqa: F401 - the demo community, loaded by ingest
from tests.test_response_times import threads  # noqa: F401 - the hand-built threads

PY = [sys.executable, "-m", "graph"]


@pytest.fixture
def cfg(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('support_handles = ["AcmeHelp", "AcmeAyuda"]\n'
                    'staff_handles = ["kim_agent"]\n')
    return str(path)


def test_response_times_has_help(capsys):
    with pytest.raises(SystemExit) as exc:
        graph_cli.main(["response-times", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--window", "--end", "--handle", "--json", "--db", "--config"):
        assert flag in out


def _json(capsys, *args) -> dict:
    assert graph_cli.main(["response-times", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_response_times_json_holds_the_figures(threads, db_url, cfg, capsys):  # noqa: F811
    engine, res = threads
    common = ["--db", db_url, "--config", cfg]
    got = _json(capsys, *common)
    # The latest run's window, with the figures worked out by hand in test_response_times.
    assert got["run_id"] == res.run_id
    assert got["window_end"] == "2026-10-31 12:00:00"
    assert got["requests"] == 8
    assert got["first_answered_by"] == {"staff": 3, "champion": 3, "community": 1,
                                        "unanswered": 1}
    assert got["champions_share"] == {"share": 3 / 8, "requests": 3}
    assert got["community_share"]["share"] == 0.5
    assert got["staff_time_saved"] == {"requests": 1, "minutes_per_request": 10.0,
                                       "hours": pytest.approx(10 / 60)}
    assert got["customers_time_saved"]["hours"] == pytest.approx(178 / 60)
    assert got["time_to_first_answer"]["staff"]["median_minutes"] == pytest.approx(57.5)
    assert got["time_to_first_answer"]["community"]["p90_minutes"] == pytest.approx(42.5)
    assert [p["username"] for p in got["people"]] == ["champ", "helper"]
    assert [w["week"] for w in got["weekly"]] == ["2026-W43", "2026-W44"]
    # One handle.
    ayuda = _json(capsys, *common, "--handle", "AcmeAyuda")
    assert (ayuda["requests"], ayuda["handle"]) == (2, "AcmeAyuda")
    # A window of its own, as `graph rank` takes it: 10-28 12:00 to 10-31 12:00 holds R5, R8
    # and R9 (R6 came at 11:00): staff first on R8 and R9, a champion on R5.
    three = _json(capsys, *common, "--window", "3d", "--end", "2026-10-31T12:00")
    assert three["window_start"] == "2026-10-28 12:00:00"
    assert three["first_answered_by"] == {"staff": 2, "champion": 1, "community": 0,
                                          "unanswered": 0}
    assert _json(capsys, *common, "--window", "14d", "--end", "2026-10-31T12:00"
                 )["requests"] == 8


def test_response_times_table_has_headers(threads, db_url, cfg, capsys):  # noqa: F811
    assert graph_cli.main(["response-times", "--db", db_url, "--config", cfg]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("response times 2026-10-17 12:00 .. 2026-10-31 12:00")
    assert lines[2].startswith("champions' share: 37.5% (3 of 8 requests first answered by "
                               "a champion); community's share: 50.0% (4 of 8")
    words = [line.split() for line in lines]
    for header in (["first", "answered", "by", "requests", "share"],
                   ["minutes", "to", "first", "answer", "answered", "median", "p90"],
                   ["handle", "requests", "staff", "champion", "community", "unanswered"],
                   ["language", "requests", "staff", "champion", "community", "unanswered"],
                   ["week", "requests", "answered", "community", "first", "median", "min"],
                   ["answered", "before", "staff", "tier", "staff", "never", "had", "to",
                    "answer", "answered", "first", "staff", "answered", "later"]):
        assert any(w[:len(header)] == header for w in words), header
    # Rows line up under their headers.
    assert ["staff", "6", "57.5", "85.0"] in words
    assert ["AcmeHelp", "6", "3", "2", "1", "0", "100%", "57.5", "85.0", "30.0", "43.0"] in words
    assert ["2026-W44", "6", "83%", "3", "30.0"] in words
    assert ["@champ", "champion", "1", "3", "2", "0.2", "1.7"] in words


def test_rank_printout_has_headers(threads, db_url, cfg, capsys):  # noqa: F811
    assert graph_cli.main(["rank", "--db", db_url, "--config", cfg, "--window", "14d",
                           "--end", "2026-10-31T12:00"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.split()[:1] == ["rank"])
    assert lines[at].split() == ["rank", "username", "score", "trend", "tier"]
    first = lines[at + 1].split()
    assert first[:2] == ["1.", "@champ"] and first[-1] == "champion"
    assert first[3] == "new"  # nobody had a score in the previous window


def _closed_pipe(args: list[str]) -> subprocess.CompletedProcess:
    """Run ``python -m graph ARGS`` with its stdout's reader already gone."""
    proc = subprocess.Popen(PY + args, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    proc.stdout.close()  # the reader goes away before anything is written
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return subprocess.CompletedProcess(args, proc.wait(timeout=120), "", err)


@pytest.mark.parametrize("command", [["explain", "champ"], ["rank", "--window", "14d"],
                                     ["response-times"], ["response-times", "--json"]])
def test_output_to_a_closed_pipe_ends_quietly(threads, db_url, cfg, command):  # noqa: F811
    done = _closed_pipe([*command, "--db", db_url, "--config", cfg])
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr, done.stderr
    assert done.stderr == ""
    assert done.returncode == 141  # 128 + SIGPIPE, as a Unix tool cut by `head` reports


def test_piped_to_head(threads, db_url, cfg):  # noqa: F811
    """What a person types: `| head -1` and `| head -3` print the first lines, quietly."""
    for command, lines in ((["explain", "champ"], 1), (["rank", "--window", "14d"], 3),
                           (["response-times"], 3)):
        shell = (f"{' '.join(PY)} {' '.join(command)} --db '{db_url}' --config '{cfg}'"
                 f" | head -{lines}")
        done = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        out = done.stdout.splitlines()
        assert len(out) == lines
        assert out[0].startswith({"explain": "@champ: #1", "rank": "ranking run",
                                  "response-times": "response times"}[command[0]])


# ---- the demo community, ranked from the command line ----

STEPS = ["classifying tweets", "finding help acts", "reading the window", "building the graph",
         "computing PageRank", "scoring people", "scoring the previous window",
         "gathering evidence", "finding communities", "storing the run"]
ONE_DECIMAL = r"-?\d+\.\d"


@pytest.fixture(scope="module")
def demo_cfg(tmp_path_factory) -> str:
    from ingest.demo import DEMO_SETTINGS

    path = tmp_path_factory.mktemp("cfg") / "demo.toml"
    path.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in DEMO_SETTINGS.items()))
    return str(path)


def _graph(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(PY + list(args), cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_ranking_names_its_steps_in_order(demo_db, demo_cfg):  # noqa: F811
    """The ``progress`` callback (the CLI's bar; later the dashboard's spinner) is told each
    step as it starts, once, in order; storing is a step only when the run is stored."""
    from graph.rank import RANKING_STEPS, run_ranking
    from settings import load_settings
    from store.db import make_engine

    engine = make_engine(demo_db)
    try:
        for store in (False, True):
            told: list[str] = []
            res = run_ranking(engine, load_settings(demo_cfg), store=store, progress=told.append)
            assert told == (STEPS if store else STEPS[:-1])
            assert (res.run_id is not None) == store and res.ranked
        assert list(RANKING_STEPS) == STEPS
    finally:
        engine.dispose()


def test_rank_progress_goes_to_stderr_and_stdout_stays_the_table(demo_db, demo_cfg):  # noqa: F811
    # (--scratch: a ranking of data already ranked would be the last run, with one step.)
    done = _graph("rank", "--progress", "--scratch", "--top", "5", "--db", demo_db,
                  "--config", demo_cfg)
    assert done.returncode == 0, done.stderr
    bar = done.stderr.replace("\r", "\n")
    at = [bar.find(f"{step}:") for step in STEPS]
    assert -1 not in at and at == sorted(at), done.stderr  # every step, in order
    assert "10/10 steps" in bar
    out = done.stdout.splitlines()
    assert out[0].startswith("ranking run ") and out[1].split() == ["rank", "username", "score",
                                                                    "trend", "tier"]
    assert len(out) == 7 and not any(step in done.stdout for step in STEPS)
    # stderr is not a terminal here: without --progress there is no bar, as ingest's.
    quiet = _graph("rank", "--db", demo_db, "--config", demo_cfg)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert _graph("rank", "--no-progress", "--db", demo_db, "--config", demo_cfg).stderr == ""


@pytest.mark.parametrize("command", [["rank"], ["explain", "someone"], ["export", "--out", "x.csv"],
                                     ["evaluate", "--truth", "truth.txt"], ["response-times"]],
                         ids=lambda c: c[0])
def test_graph_on_a_missing_database_says_so_and_creates_nothing(tmp_path, capsys, command,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "truth.txt").write_text("@someone\n")
    db = tmp_path / "data" / "champions.db"
    code = graph_cli.main([*command, "--db", f"sqlite:///{db}"])
    err = capsys.readouterr().err
    assert code == graph_cli.EXIT_FAILED
    assert f"no database at {db}" in err and "python -m ingest" in err
    assert not db.exists() and not db.parent.exists()
    assert not (tmp_path / "x.csv").exists()


def test_train_help_from_a_missing_database_says_so_and_creates_nothing(tmp_path, capsys):
    db = tmp_path / "champions.db"
    (tmp_path / "labels.csv").write_text("label,text\nhelp,try a restart\n")
    code = graph_cli.main(["train-help", "--data", str(tmp_path / "labels.csv"), "--from-db",
                           f"sqlite:///{db}", "--dry-run"])
    assert code == graph_cli.EXIT_FAILED
    assert f"no database at {db}" in capsys.readouterr().err and not db.exists()


def test_missing_database_from_the_environment(tmp_path):
    db = tmp_path / "champions.db"
    done = _graph("rank", env={"CHAMPIONS_DB_URL": f"sqlite:///{db}"})
    assert done.returncode == graph_cli.EXIT_FAILED and "Traceback" not in done.stderr
    assert f"no database at {db}" in done.stderr and not db.exists()


def test_scores_are_written_with_one_decimal_as_on_the_dashboard(demo_db, demo_cfg):  # noqa: F811
    from graph.wording import score_text
    from store.db import make_engine

    done = _graph("rank", "--top", "10", "--db", demo_db, "--config", demo_cfg)
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[2:]]
    assert len(rows) == 10
    engine = make_engine(demo_db)
    run = scalar(engine, "SELECT max(id) FROM ranking_runs")
    for rank, name, score, trend, _tier in rows:
        stored = scalar(engine, "SELECT s.score FROM champion_scores s JOIN users u ON"
                        " u.id = s.user_id WHERE s.run_id = :r AND u.username = :n",
                        r=run, n=name[1:])
        assert score == score_text(stored), (name, score, stored)
        assert re.fullmatch(ONE_DECIMAL, score) and re.fullmatch(r"new|[+-]?\d+\.\d", trend)
    engine.dispose()
    top = rows[0][1]
    shown = _graph("explain", top, "--db", demo_db, "--config", demo_cfg)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    head = re.search(r"score (\S+), tier \w+(?:, previous window ([^,]+))?", lines[0])
    assert head and head[1] == rows[0][2], lines[0]
    assert re.fullmatch(ONE_DECIMAL, head[2] or "0.0"), lines[0]
    figures = dict(m.groups() for m in map(re.compile(r"  (= score|[a-z_]+) +(\S+)").fullmatch,
                                             lines) if m)
    assert "helpful_answers" in figures and figures["= score"] == rows[0][2], figures
    assert all(re.fullmatch(ONE_DECIMAL, v) for v in figures.values()), figures


def test_explain_someone_not_in_the_run_says_so(demo_db, demo_cfg):  # noqa: F811
    assert _graph("rank", "--db", demo_db, "--config", demo_cfg).returncode == 0
    typo = _graph("explain", "@no_such_person", "--db", demo_db, "--config", demo_cfg)
    assert typo.returncode == graph_cli.EXIT_FAILED and typo.stdout == ""
    assert re.match(r"no one with the username @no_such_person in ranking run \d+ ",
                    typo.stderr), typo.stderr
    assert "no such username is stored at all: check the spelling" in typo.stderr
    # A stored account with no score (a support handle is never scored) is told apart.
    brand = _graph("explain", "AcmeHelp", "--db", demo_db, "--config", demo_cfg)
    assert brand.returncode == graph_cli.EXIT_FAILED
    assert "no one with the username @acmehelp in ranking run" in brand.stderr
    assert "is stored but had no helping evidence" in brand.stderr


def test_a_database_that_cannot_be_opened_is_one_line(capsys):
    """No server at the address (nothing listens on port 1): one line naming why, exit 1, no
    traceback."""
    code = graph_cli.main(["rank", "--db", "postgresql+psycopg://champions@127.0.0.1:1/none"])
    err = capsys.readouterr().err
    assert code == graph_cli.EXIT_FAILED
    assert err.startswith("error: cannot open the database:") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
