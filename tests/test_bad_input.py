"""A malformed line or row gets a clear error naming file, line and reason, is recorded as
rejected, and the good lines around it still load."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from tests.conftest import ROOT, realdata, scalar
from store.db import make_engine


def run_cli(*args: str, env_db: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", *args, "--db", env_db],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def rejected(db_url):
    eng = make_engine(db_url)
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT location, reason, excerpt FROM rejected_records")).all()
    eng.dispose()
    return rows


def test_bad_jsonl_line_between_good_pages(db_url, tmp_path):
    pages = realdata("twarc-csv/test-data/2sets.jsonl").read_bytes().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(pages[0] + b"\n" + b'{"data": [{"id": "1", "text": oops}\n' + pages[1] + b"\n")
    proc = run_cli("file", str(bad), env_db=db_url)
    assert proc.returncode == 3, proc.stderr  # partial success
    assert f"{bad}:2: invalid JSON" in proc.stderr
    assert "1 rejected" in proc.stdout
    rows = rejected(db_url)
    assert [(r.location, r.reason.startswith("invalid JSON")) for r in rows] == [(f"{bad}:2", True)]
    assert "oops" in rows[0].excerpt
    eng = make_engine(db_url)
    # Both good pages loaded: 200 tweets in data, 276 with the referenced ones.
    assert scalar(eng, "SELECT count(*) FROM tweets") == 276
    eng.dispose()


def test_bad_csv_row_in_the_middle(db_url, tmp_path):
    lines = realdata("twcs-kaggle-sample/sample.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "twcs.csv"
    broken = "notanumber,105834,True,Wed Oct 11 06:55:44 +0000 2017,@AppleSupport hi,,"
    bad.write_text("\n".join(lines[:40] + [broken] + lines[40:]) + "\n", encoding="utf-8")
    proc = run_cli("file", str(bad), env_db=db_url)
    assert proc.returncode == 3
    assert f"{bad}:41: bad value" in proc.stderr
    rows = rejected(db_url)
    assert len(rows) == 1 and rows[0].location == f"{bad}:41"
    assert "notanumber" in rows[0].excerpt
    eng = make_engine(db_url)
    assert scalar(eng, "SELECT count(*) FROM tweets") == 93
    eng.dispose()


def test_wrong_column_count_and_bad_inbound(engine, tmp_path):
    from ingest.files import import_files

    lines = realdata("twcs-kaggle-sample/sample.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "twcs.csv"
    bad.write_text("\n".join(lines[:3] + ["1,2,3"] + [lines[3].replace(",True,", ",maybe,", 1)]
                             + lines[4:]) + "\n", encoding="utf-8")
    res = import_files(engine, None, [bad], log=lambda m: None)
    assert res.counts.rejected == 2
    with engine.connect() as conn:
        reasons = dict(conn.execute(text("SELECT location, reason FROM rejected_records")).all())
    assert reasons[f"{bad}:4"] == "expected 7 columns, found 3"
    assert "inbound must be True or False" in reasons[f"{bad}:5"]
    assert scalar(engine, "SELECT count(*) FROM tweets") == 92


def test_unknown_file_fails_clearly_and_others_still_load(db_url, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\n")
    good = realdata("twitter-to-sqlite/tests/tweets.json")
    proc = run_cli("file", str(junk), str(good), env_db=db_url)
    assert proc.returncode == 3
    assert f"{junk}: not a format we read" in proc.stderr
    eng = make_engine(db_url)
    assert scalar(eng, "SELECT count(*) FROM tweets") == 5
    assert scalar(eng, "SELECT status FROM ingest_runs") == "partial"
    eng.dispose()


def test_missing_file_is_a_failure(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    proc = run_cli("file", str(tmp_path / "nope.jsonl"), env_db=db)
    assert proc.returncode == 1
    assert "no such file or folder" in proc.stderr
