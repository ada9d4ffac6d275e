"""The command-line interface scheduled jobs use: help, exit codes, status, locks, schedules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect

from ingest import cli
from ingest.runs import RunLockedError, run_lock
from store.db import make_engine
from tests.conftest import ROOT, realdata, scalar

COMMANDS = ["file", "x", "run", "schedule", "demo", "status"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--db" in out and "--config" in out
    sub = cli.build_parser()._subparsers._group_actions[0].choices[command]
    assert sub.description or sub.format_help()  # every command says what it does
    assert cli.build_parser()._subparsers._group_actions[0]._choices_actions[
        COMMANDS.index(command)].help


def test_status_json_has_the_monitoring_keys(db_url, capsys):
    assert cli.main(["file", str(realdata("twarc-csv/test-data/2sets.jsonl")),
                     "--db", db_url]) == 0
    capsys.readouterr()
    assert cli.main(["status", "--json", "--db", db_url, "--until", "2021-09-23",
                     "--days", "3"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["tweets"] == 276
    assert set(s["interactions"]) == {"reply", "mention", "retweet", "quote"}
    assert sum(s["interactions"].values()) == 247
    assert s["rejected"] == 0 and s["users"] == 299
    # The page was fetched on 2021-09-22; the tweets it references go back further.
    assert s["tweets_per_day"]["2021-09-22"] > 0
    assert s["quiet_days"] == ["2021-09-23"]
    assert s["runs"][0]["status"] == "ok" and s["runs"][0]["counts"]["tweets_new"] == 276


def test_status_text(db_url, capsys):
    cli.main(["file", str(realdata("twcs-kaggle-sample/sample.csv")), "--db", db_url])
    capsys.readouterr()
    cli.main(["status", "--db", db_url, "--until", "2017-10-12", "--days", "5"])
    out = capsys.readouterr().out
    assert "tweets: 93" in out and "13 brand" in out
    assert "quiet days (no tweets) in 2017-10-08..2017-10-12" in out
    assert "#1 file" in out


def test_second_run_waits_for_the_lock(db_url):
    engine = make_engine(db_url)
    with run_lock(engine):
        with pytest.raises(RunLockedError):
            with run_lock(engine):
                pass
        code = cli.main(["file", str(realdata("twitter-to-sqlite/tests/tweets.json")),
                         "--db", db_url])
        assert code == cli.EXIT_LOCKED
    with run_lock(engine):  # released
        pass
    # The lock comes before any schema work: the locked-out run created nothing.
    assert not inspect(engine).has_table("tweets")
    engine.dispose()


def test_lock_is_held_by_another_process(tmp_path):
    """The lock holds across processes, not just threads of one."""
    db = tmp_path / "c.db"
    url = f"sqlite:///{db}"
    make_engine(url).dispose()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom store.db import make_engine\nfrom ingest.runs import run_lock\n"
         f"e = make_engine({url!r})\n"
         "with run_lock(e):\n    print('held', flush=True)\n    time.sleep(30)\n"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        tweets = str(realdata("twitter-to-sqlite/tests/tweets.json"))
        proc = subprocess.run([sys.executable, "-m", "ingest", "file", tweets, "--db", url],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == cli.EXIT_LOCKED, proc.stderr
        assert "another ingest run" in proc.stderr
    finally:
        holder.kill()
        holder.wait()


def _config(tmp_path, files, extra=""):
    cfg = tmp_path / "champions.toml"
    entries = ", ".join(json.dumps(str(f)) for f in files)
    cfg.write_text(f"support_handles = []\n{extra}\n[ingest]\nfiles = [{entries}]\n")
    return cfg


def test_run_imports_configured_folder_and_skips_unchanged_files(db_url, tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(realdata("twcs-kaggle-sample/sample.csv"), inbox / "a.csv")
    cfg = _config(tmp_path, [inbox])
    assert cli.main(["run", "--db", db_url, "--config", str(cfg)]) == 0
    engine = make_engine(db_url)
    assert scalar(engine, "SELECT count(*) FROM tweets") == 93
    capsys.readouterr()
    # Second run: nothing new; then a new file arrives.
    assert cli.main(["run", "--db", db_url, "--config", str(cfg)]) == 0
    assert "1 unchanged files skipped" in capsys.readouterr().out
    shutil.copy(realdata("twitter-to-sqlite/tests/tweets.json"), inbox / "b.json")
    assert cli.main(["run", "--db", db_url, "--config", str(cfg)]) == 0
    assert "1 unchanged files skipped" in capsys.readouterr().out
    assert scalar(engine, "SELECT count(*) FROM tweets") == 98
    assert scalar(engine, "SELECT count(*) FROM ingest_runs WHERE status = 'ok'") == 3
    engine.dispose()


def test_schedule_runs_at_the_interval(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    cfg = _config(tmp_path, [realdata("twcs-kaggle-sample/sample.csv")])
    slept = []
    code = cli.main(["schedule", "--every", "15m", "--times", "3", "--db", db,
                     "--config", str(cfg)], sleep=slept.append)
    assert code == 0
    assert len(slept) == 2 and all(800 < s <= 900 for s in slept)
    engine = make_engine(db)
    assert scalar(engine, "SELECT count(*) FROM ingest_runs") == 3
    assert scalar(engine, "SELECT count(*) FROM tweets") == 93
    engine.dispose()


@pytest.mark.parametrize("value,seconds", [("90s", 90), ("15m", 900), ("1h", 3600),
                                           ("2d", 172800), ("45", 45)])
def test_parse_interval(value, seconds):
    assert cli.parse_interval(value) == seconds


def test_bad_interval_and_missing_config_are_usage_errors(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert cli.main(["schedule", "--every", "soon", "--db", db]) == cli.EXIT_USAGE
    with pytest.raises(SystemExit) as exc:
        cli.main(["status", "--db", db, "--config", str(tmp_path / "no.toml")])
    assert exc.value.code == cli.EXIT_USAGE
    assert "settings file not found" in capsys.readouterr().err


def test_run_with_nothing_configured_says_so(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert cli.main(["run", "--db", db, "--config", str(_config(tmp_path, []))]) == cli.EXIT_USAGE
    assert "nothing configured" in capsys.readouterr().err


def test_support_handles_are_marked_as_brands(db_url, tmp_path):
    cfg = tmp_path / "champions.toml"
    cfg.write_text('support_handles = ["@simonw"]\n')
    cli.main(["file", str(realdata("twitter-to-sqlite/tests/tweets.json")), "--db", db_url,
              "--config", str(cfg)])
    engine = make_engine(db_url)
    assert scalar(engine, "SELECT username FROM users WHERE is_brand") == "simonw"
    engine.dispose()


def test_db_url_from_environment(tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("CHAMPIONS_DB_URL", f"sqlite:///{db}")
    assert cli.main(["file", str(realdata("twitter-to-sqlite/tests/tweets.json"))]) == 0
    assert db.exists()


def test_two_concurrent_file_imports_never_overlap(tmp_path):
    """Started together, one import runs and the other is refused (exit 4) or runs after."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    make_engine(url).dispose()
    path = str(realdata("twcs-head-monalisapatra26/twcs.csv"))
    codes = []

    def go():
        codes.append(subprocess.run([sys.executable, "-m", "ingest", "file", path, "--db", url],
                                    cwd=ROOT, capture_output=True, timeout=120).returncode)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) in ([0, 0], [0, cli.EXIT_LOCKED])
    engine = make_engine(url)
    assert scalar(engine, "SELECT count(*) FROM tweets") == 5000
    engine.dispose()


def test_schedule_interval_from_settings(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    cfg = _config(tmp_path, [realdata("twcs-kaggle-sample/sample.csv")])
    cfg.write_text(cfg.read_text().replace("[ingest]\n", '[ingest]\nevery = "1h"\n'))
    slept = []
    assert cli.main(["schedule", "--times", "2", "--db", db, "--config", str(cfg)],
                    sleep=slept.append) == 0
    assert len(slept) == 1 and 3500 < slept[0] <= 3600
    plain = _config(tmp_path, [])
    assert cli.main(["schedule", "--db", db, "--config", str(plain)]) == cli.EXIT_USAGE


def test_status_reports_sources_and_the_last_brand_mention(db_url, capsys):
    cli.main(["file", str(realdata("twcs-kaggle-sample/sample.csv")), "--db", db_url])
    capsys.readouterr()
    cli.main(["status", "--json", "--db", db_url, "--until", "2017-10-12", "--days", "5"])
    s = json.loads(capsys.readouterr().out)
    assert set(s["tweets_per_day_by_source"]) == {"twcs"}
    assert sum(s["tweets_per_day_by_source"]["twcs"].values()) == sum(
        s["tweets_per_day"].values())
    assert s["last_brand_mention_at"].startswith("2017-")
    assert s["days_since_brand_mention"] >= 0


def test_demo_is_dated_from_today_or_the_given_day(tmp_path, capsys):
    """`ingest demo` writes a community leading up to today (UTC) or `--today`; a file made
    for another day is written again rather than reused with old dates."""
    out = tmp_path / "demo"
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    args = ["demo", "--tweets", "1500", "--out", str(out), "--db", db]
    assert cli.main([*args, "--today", "2026-10-31"]) == 0
    assert "wrote" in capsys.readouterr().out
    truth = json.loads(next(out.glob("*.truth.json")).read_text())
    assert truth["today"] == "2026-10-31"
    assert cli.main([*args, "--today", "2026-10-31"]) == 0  # same day: reused
    assert "wrote" not in capsys.readouterr().out
    assert cli.main(args) == 0  # today: another day, written again
    assert "wrote" in capsys.readouterr().out
    today = datetime.now(timezone.utc).date().isoformat()
    assert json.loads(next(out.glob("*.truth.json")).read_text())["today"] == today


def test_a_second_import_says_its_pages_were_unchanged(db_url, capsys):
    """The same file again: nothing new, and the summary says its pages were not parsed."""
    path = str(realdata("twarc-csv/test-data/2sets.jsonl"))
    assert cli.main(["file", path, "--db", db_url]) == 0
    first = capsys.readouterr()
    assert "unchanged" not in first.out + first.err
    assert cli.main(["file", path, "--db", db_url]) == 0
    again = capsys.readouterr()
    out = again.out + again.err
    assert "(0 new," in out and "unchanged since they were loaded, not parsed again" in out


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    """The seeded demo community (3,000 tweets, about 180 people), loaded as `python -m
    ingest demo` loads it, for a fixed day: long enough output for a pipe to be cut in."""
    tmp = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{tmp / 'demo.db'}"
    assert cli.main(["demo", "--tweets", "3000", "--today", "2026-10-31", "--out", str(tmp),
                     "--db", url]) == 0
    return url


def _ingest_to_closed_pipe(args: list[str], unbuffered: bool) -> tuple[int, str]:
    """``python -m ingest ARGS`` with its stdout's reader gone before anything is written;
    its output unbuffered (``PYTHONUNBUFFERED``, as in containers) or block-buffered."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, "-m", "ingest", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**env, "PYTHONUNBUFFERED": "1"} if unbuffered else env)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.wait(timeout=120), err


def _quiet(stderr: str) -> bool:
    return not any(s in stderr for s in ("Traceback", "BrokenPipeError", "Exception ignored"))


def test_status_json_cut_by_head_ends_quietly(demo_db):
    """`ingest status --json | head -c 600`, as a monitoring script reads it: the reader goes
    away mid-output (a race: it broke in most runs), and the command ends without a
    traceback each time."""
    assert len(subprocess.run([sys.executable, "-m", "ingest", "status", "--json", "--db",
                               demo_db], cwd=ROOT, capture_output=True, timeout=60
                              ).stdout) > 6000  # long enough to be cut
    for _ in range(10):
        done = subprocess.run(
            ["sh", "-c", f"'{sys.executable}' -m ingest status --json --db '{demo_db}'"
                         " | head -c 600"],
            cwd=ROOT, capture_output=True, timeout=60)
        assert len(done.stdout) == 600
        assert _quiet(done.stderr.decode()), done.stderr.decode()


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", ["status --json", "status", "file"])
def test_ingest_output_to_a_closed_pipe_ends_quietly_with_141(demo_db, tmp_path, command,
                                                               unbuffered):
    """Every command: output its reader never takes ends quietly, exit 141 (128 + SIGPIPE);
    a load's data is kept and its run recorded as it went (with unbuffered output the summary
    printed inside the run raised there, and a load that had committed was recorded as
    failed)."""
    if command == "file":
        url = f"sqlite:///{tmp_path / 'c.db'}"
        args = ["file", str(realdata("twitter-to-sqlite/tests/tweets.json")), "--db", url]
    else:
        url, args = demo_db, [*command.split(), "--db", demo_db]
    code, err = _ingest_to_closed_pipe(args, unbuffered)
    assert _quiet(err), err
    assert code == cli.EXIT_PIPE == 141, err
    if command == "file":
        engine = make_engine(url)
        assert scalar(engine, "SELECT count(*) FROM tweets") > 0
        assert scalar(engine, "SELECT status FROM ingest_runs") == "ok"
        engine.dispose()


@pytest.mark.parametrize("as_json", [False, True])
def test_status_on_a_missing_database_says_so_and_creates_nothing(tmp_path, capsys, as_json):
    db = tmp_path / "not-yet" / "champions.db"
    code = cli.main(["status", "--db", f"sqlite:///{db}", *(["--json"] if as_json else [])])
    err = capsys.readouterr().err
    assert code == cli.EXIT_FAILED
    assert f"no database at {db}" in err and "python -m ingest" in err
    assert not db.exists() and not db.parent.exists()


def test_status_on_a_missing_database_from_the_environment(tmp_path):
    """The same through $CHAMPIONS_DB_URL, in a process of its own, as cron runs it."""
    db = tmp_path / "champions.db"
    done = subprocess.run([sys.executable, "-m", "ingest", "status"], cwd=ROOT, text=True,
                          capture_output=True, timeout=60,
                          env={**os.environ, "CHAMPIONS_DB_URL": f"sqlite:///{db}"})
    assert done.returncode == cli.EXIT_FAILED
    assert f"no database at {db}" in done.stderr and "Traceback" not in done.stderr
    assert not db.exists()
    # A command that loads data still makes the database.
    assert cli.main(["file", str(realdata("twitter-to-sqlite/tests/tweets.json")),
                     "--db", f"sqlite:///{db}"]) == 0
    assert db.exists()
