"""`python -m graph` for monitoring and pipes: response-times as JSON and as tables with
headers, rank's headers, and output cut by its reader (`| head`) ending quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from graph import cli as graph_cli
from tests.conftest import ROOT
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
    assert got["champions_share"]["share"] == 0.5
    assert got["champions_share"]["staff_hours_saved"] == pytest.approx(178 / 60)
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
    assert lines[2].startswith("champions' share: 50.0% (4 of 8 requests")
    words = [line.split() for line in lines]
    for header in (["first", "answered", "by", "requests", "share"],
                   ["minutes", "to", "first", "answer", "answered", "median", "p90"],
                   ["handle", "requests", "staff", "champion", "community", "unanswered"],
                   ["language", "requests", "staff", "champion", "community", "unanswered"],
                   ["week", "requests", "answered", "community", "first", "median", "min"],
                   ["answered", "before", "staff", "tier", "requests", "staff", "later"]):
        assert any(w[:len(header)] == header for w in words), header
    # Rows line up under their headers.
    assert ["staff", "6", "57.5", "85.0"] in words
    assert ["AcmeHelp", "6", "3", "2", "1", "0", "100%", "57.5", "85.0", "30.0", "43.0"] in words
    assert ["2026-W44", "6", "83%", "3", "30.0"] in words
    assert ["@champ", "champion", "3", "2", "1", "1.7"] in words


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
