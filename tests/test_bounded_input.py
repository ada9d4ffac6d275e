"""Bounded input: decompression bombs, long lines, big documents, damaged files and symlink
loops each cost one named reject or one failed file, within a memory bound, and the other files
go on (issue 8, item 3 and the file-level half of item 2)."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from ingest.files import import_files
from settings import IngestLimits, SettingsError, load_settings
from store.db import make_engine
from tests.conftest import ROOT, realdata, scalar

ARCHIVE = "x-archive-andreruffert/data/"
RSS_BOUND_MB = 500

# Runs `python -m ingest ...` and reports the process's own peak RSS (VmHWM, KB) on stderr: the
# child's figure alone. Not ru_maxrss: Linux carries the forking parent's peak over exec into
# it, so a test process that had grown to 600 MB made every child "use" 600 MB.
_RSS_WRAPPER = """
import re, runpy, sys
sys.argv = ["ingest", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("ingest", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code or 0
with open("/proc/self/status") as fh:
    peak = re.search(r"VmHWM:\\s*(\\d+) kB", fh.read()).group(1)
print(f"PEAK_RSS_KB={peak}", file=sys.stderr)
sys.exit(code)
"""


def run_measured(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    proc = subprocess.run([sys.executable, "-c", _RSS_WRAPPER, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    m = re.search(r"PEAK_RSS_KB=(\d+)", proc.stderr)
    assert m, proc.stderr[-2000:]
    peak_mb = int(m.group(1)) / 1024
    print(f"peak RSS {peak_mb:.0f} MB: {' '.join(args[:2])}")
    return proc, peak_mb


def run_cli(*args: str, db: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", *args, "--db", db], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


# --- bombs ---------------------------------------------------------------------------------

GB = 1 << 30


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A 1 MB X archive zip whose tweets.js expands to 1 GB (a valid start, then spaces)."""
    path = tmp_path_factory.mktemp("bombs") / "archive-bomb.zip"
    spaces = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("data/manifest.js", realdata(ARCHIVE + "manifest.js").read_bytes())
        with zf.open("data/tweets.js", "w") as fh:
            fh.write(b"window.YTD.tweets.part0 = [")
            for _ in range(GB // len(spaces)):
                fh.write(spaces)
    assert path.stat().st_size < 2 << 20
    return path


def _lying_zip(bomb: Path, tmp_path: Path) -> Path:
    """The same bomb, with headers claiming the member is 1 KB: zipfile stops there, and the
    checksum no longer matches."""
    raw = bytearray(bomb.read_bytes())
    name = b"data/tweets.js"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := raw.find(sig, start)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if raw[name_at:name_at + len(name)] == name:
                raw[at + size_at:at + size_at + 4] = (1024).to_bytes(4, "little")
            start = at + 4
    path = tmp_path / "lying.zip"
    path.write_bytes(bytes(raw))
    return path


@pytest.fixture(scope="module")
def gzip_bomb(tmp_path_factory) -> Path:
    """A 1 MB twarc2 .gz: one line that expands to 1 GB (gzip members concatenate)."""
    path = tmp_path_factory.mktemp("bombs") / "pages.jsonl.gz"
    block = gzip.compress(b" " * (10 << 20), 9)
    path.write_bytes(gzip.compress(b'{"data": [', 9) + block * (GB // (10 << 20)))
    assert path.stat().st_size < 2 << 20
    return path


def test_zip_bomb_is_rejected_within_a_memory_bound(db_url, zip_bomb):
    good = realdata("twitter-to-sqlite/tests/tweets.json")
    proc, peak = run_measured("file", str(zip_bomb), str(good), "--db", db_url)
    assert proc.returncode == 3, proc.stderr  # partial: the good file loaded
    # (Caught by its ratio before its size: issue 18's max_ratio.)
    assert f"{zip_bomb}/data/tweets.js: expands 1,029 times its compressed size" in proc.stderr
    assert "max_ratio" in proc.stderr
    assert peak < RSS_BOUND_MB
    eng = make_engine(db_url)
    assert scalar(eng, "SELECT count(*) FROM tweets") == 5
    eng.dispose()


def test_zip_whose_header_lies_about_the_size_is_a_damaged_zip(engine, zip_bomb, tmp_path):
    lying = _lying_zip(zip_bomb, tmp_path)
    res = import_files(engine, None, [lying], log=lambda m: None)
    assert res.files == 0 and len(res.failed) == 1
    assert res.failed[0].startswith(f"{lying}: not a readable zip file (Bad CRC-32")


def test_gzip_bomb_is_rejected_within_a_memory_bound(db_url, gzip_bomb):
    proc, peak = run_measured("file", str(gzip_bomb), "--db", db_url)
    assert proc.returncode == 1, proc.stderr
    # (Caught by its ratio before its line length: issue 18's max_ratio.)
    assert f"{gzip_bomb}: expands more than 200 times its compressed size" in proc.stderr
    assert peak < RSS_BOUND_MB


def test_decompressed_cap_stops_a_gzip_and_names_it(engine, gzip_bomb):
    """Past [ingest] max_decompressed_mb the rest of the file is not even decompressed."""
    res = import_files(engine, None, [gzip_bomb], log=lambda m: None,
                       limits=IngestLimits(max_decompressed_mb=64))
    assert res.failed == [f"{gzip_bomb}: expands past 64 MB when decompressed; the rest is "
                          "not read (raise [ingest] max_decompressed_mb)"]


def test_decompressed_cap_keeps_the_records_before_it(engine, tmp_path):
    page = realdata("twarc-csv/test-data/2sets.jsonl").read_bytes().splitlines()[0]
    path = tmp_path / "pages.jsonl.gz"
    path.write_bytes(gzip.compress((page + b"\n") * 4))  # 1.6 MB when expanded
    res = import_files(engine, None, [path], log=lambda m: None,
                       limits=IngestLimits(max_decompressed_mb=1))
    assert res.files == 1 and len(res.failed) == 1  # partial: what came before it loaded
    assert "expands past 1 MB" in res.failed[0] and "records before it were read" in res.failed[0]
    assert scalar(engine, "SELECT count(*) FROM tweets") > 0


# --- line and document caps -----------------------------------------------------------------

def test_long_line_is_one_reject_and_the_rest_loads(engine, tmp_path):
    pages = realdata("twarc-csv/test-data/2sets.jsonl").read_bytes().splitlines()
    flat = realdata("twarc-csv/test-data/flat.jsonl").read_bytes().splitlines()
    long_line = b'{"data": [{"text": "' + b"x" * 600_000 + b'"}]}'
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([flat[0], long_line, flat[1]]) + b"\n")
    res = import_files(engine, None, [path], log=lambda m: None,
                       limits=IngestLimits(max_line_kb=512))
    assert res.counts.rejected == 1 and res.files == 1
    with engine.connect() as conn:
        loc, reason, excerpt = conn.execute(text(
            "SELECT location, reason, excerpt FROM rejected_records")).one()
    assert loc == f"{path}:2"
    assert reason == "line longer than 512 KB, not read (raise [ingest] max_line_kb to load it)"
    assert excerpt.startswith('{"data": [{"text": "xxx') and len(excerpt) <= 300
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE id IN (:a, :b)",
                  a=int(json.loads(flat[0])["id"]), b=int(json.loads(flat[1])["id"])) == 2
    assert len(pages[0]) > 300_000  # a real page is far under the default 16 MB line cap


def test_long_csv_row_and_long_v1_line(engine, tmp_path):
    lines = realdata("twcs-kaggle-sample/sample.csv").read_text(encoding="utf-8").splitlines()
    csv_path = tmp_path / "twcs.csv"
    long_row = "9999999,someone,True,Tue Oct 31 22:10:47 +0000 2017," + "y" * 200_000 + ",,"
    csv_path.write_text("\n".join(lines[:10] + [long_row] + lines[10:]) + "\n", encoding="utf-8")
    v1_lines = [json.dumps(t).encode() for t in
                json.loads(realdata("twitter-to-sqlite/tests/tweets.json").read_bytes())]
    v1_path = tmp_path / "v1.json"
    v1_path.write_bytes(b"\n".join(v1_lines[:2] + [b'{"text": "' + b"z" * 200_000 + b'"}']
                                   + v1_lines[2:]) + b"\n")
    res = import_files(engine, None, [csv_path, v1_path], log=lambda m: None,
                       limits=IngestLimits(max_line_kb=100))
    with engine.connect() as conn:
        got = dict(conn.execute(text("SELECT location, reason FROM rejected_records")).all())
    assert set(got) == {f"{csv_path}:11", f"{v1_path}:3"}
    assert all(r.startswith("line longer than 100 KB") for r in got.values())
    assert res.files == 2 and scalar(engine, "SELECT count(*) FROM tweets") == 93 + 5


def test_document_cap_fails_a_json_array_too_big_to_read_whole(engine, tmp_path):
    tweets = json.loads(realdata("twitter-to-sqlite/tests/tweets.json").read_bytes())
    path = tmp_path / "big.json"
    path.write_bytes(json.dumps(tweets * 150).encode())
    assert path.stat().st_size > 1 << 20
    res = import_files(engine, None, [path], log=lambda m: None,
                       limits=IngestLimits(max_document_mb=1))
    assert res.failed == [f"{path}: larger than 1 MB, too large to read whole "
                          "(raise [ingest] max_document_mb)"]


def test_caps_are_read_from_the_settings_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[ingest]\nmax_line_kb = 64\nmax_document_mb = 32\nmax_decompressed_mb = 100\n")
    assert load_settings(cfg).limits == IngestLimits(64, 32, 100)
    assert load_settings(cfg).limits.max_line == 64 * 1024
    cfg.write_text("[ingest]\nmax_line_kb = \"big\"\n")
    with pytest.raises(SettingsError, match="ingest.max_line_kb must be a positive whole number"):
        load_settings(cfg)
    cfg.write_text("support_handles = []\n")
    assert load_settings(cfg).limits == IngestLimits()


# --- damaged files, symlinks ----------------------------------------------------------------

def test_damaged_gzip_and_zip_are_named_and_the_other_files_load(db_url, tmp_path):
    good = realdata("twitter-to-sqlite/tests/tweets.json")
    pages = realdata("twarc-csv/test-data/withheld.jsonl").read_bytes()
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress(pages)[:-40])
    not_gzip = tmp_path / "junk.jsonl.gz"
    not_gzip.write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate")
    bad_zip = tmp_path / "archive.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really a zip")
    proc = run_cli("file", str(truncated), str(not_gzip), str(bad_zip), str(good), db=db_url)
    assert proc.returncode == 3, proc.stderr  # partial: the good file and part of cut.jsonl.gz
    assert f"error: {truncated}: the compressed data is cut short" in proc.stderr
    assert f"error: {not_gzip}: not a readable gzip file" in proc.stderr
    assert f"error: {bad_zip}: not a readable zip file (File is not a zip file)" in proc.stderr
    assert "Traceback" not in proc.stderr
    eng = make_engine(db_url)
    assert scalar(eng, "SELECT status FROM ingest_runs") == "partial"
    error = scalar(eng, "SELECT error FROM ingest_runs")
    assert str(truncated) in error and str(not_gzip) in error and str(bad_zip) in error
    # The good file, and the pages of the cut gzip before the cut.
    assert scalar(eng, "SELECT count(*) FROM tweets WHERE source = 'v1'") == 5
    assert scalar(eng, "SELECT count(*) FROM tweets WHERE source = 'twarc2'") > 0
    eng.dispose()


def test_unreadable_archive_manifest_fails_that_archive_only(engine, tmp_path):
    tweets_js = realdata(ARCHIVE + "tweets.js").read_bytes()
    broken = {
        "syntax": b"window.YTD.manifest.part0 = {not json",
        "shape": b"window.YTD.manifest.part0 = [1, 2, 3]",
        "id": b'window.YTD.manifest.part0 = {"userInfo": {"accountId": "99999999999999999999"}}',
    }
    folders = []
    for name, manifest in broken.items():
        folder = tmp_path / name / "data"
        folder.mkdir(parents=True)
        (folder / "tweets.js").write_bytes(tweets_js)
        (folder / "manifest.js").write_bytes(manifest)
        folders.append(folder)
    good = realdata("twitter-to-sqlite/tests/tweets.json")
    res = import_files(engine, None, [*folders, good], log=lambda m: None)
    assert res.files == 1 and len(res.failed) == 3
    syntax, shape, big_id = res.failed
    assert syntax.startswith(f"{folders[0]}: manifest.js: invalid JSON after the window.YTD")
    assert shape.startswith(f"{folders[1]}: unreadable manifest.js or tweet-headers.js")
    assert big_id == (f"{folders[2]}: the owner in manifest.js or tweet-headers.js: users.id: "
                      "99999999999999999999 is not an id (1 to 9223372036854775807, a signed "
                      "64-bit integer)")
    assert scalar(engine, "SELECT count(*) FROM rejected_records") == 0
    assert scalar(engine, "SELECT count(*) FROM tweets") == 5


def test_symlinks_are_followed_once(engine, tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    src = realdata("twarc-csv/test-data/two_tweets.jsonl")
    (inbox / "a.jsonl").write_bytes(src.read_bytes())
    os.symlink(".", inbox / "again")  # a loop: inbox/again/again/... is inbox
    os.symlink("..", inbox / "sub" / "up")  # back up the tree
    os.symlink("../a.jsonl", inbox / "sub" / "same.jsonl")  # a second name for one file
    knot = tmp_path / "knot.jsonl"
    os.symlink(knot.name, knot)  # a link to itself cannot be opened at all
    res = import_files(engine, None, [inbox, knot], log=lambda m: None)
    assert res.counts.records == 1  # one page, read once (it was 41 times)
    assert res.files == 1
    assert res.failed == [f"{knot}: too many levels of symbolic links"]


def test_every_record_rejected_is_a_failed_file_with_a_format_hint(db_url, tmp_path):
    """IBM's customer-care JSON looks like a v1.1 array; none of it is tweets."""
    ibm = tmp_path / "customer_care.json"
    ibm.write_text(json.dumps([{"conversation_id": i, "turns": [
        {"speaker": "customer", "utterance": "my order never came"},
        {"speaker": "agent", "utterance": "sorry to hear that"}]} for i in range(525)]))
    proc = run_cli("file", str(ibm), db=db_url)
    assert proc.returncode == 1, proc.stderr  # failed, not partial
    assert (f"error: {ibm}: all 525 records were rejected when read as v1 (first: {ibm}:item 1:"
            " unexpected tweet structure: KeyError: 'user'); if it is another format, pass "
            "--format twarc2, v1, archive or twcs") in proc.stderr
    eng = make_engine(db_url)
    assert scalar(eng, "SELECT status FROM ingest_runs") == "failed"
    eng.dispose()
    # Beside a good file it is one failed file of two: partial.
    proc = run_cli("file", str(ibm), str(realdata("twitter-to-sqlite/tests/tweets.json")),
                   db=db_url)
    assert proc.returncode == 3, proc.stderr


def test_the_command_line_uses_the_caps_from_the_settings(tmp_path, capsys):
    """`python -m ingest file` reads `[ingest] max_line_kb` from the settings file."""
    from ingest import cli

    line = json.dumps({"data": [{"id": "1", "text": "x" * 4000, "author_id": "2"}]})
    path = tmp_path / "long.jsonl"
    path.write_text(line + "\n")
    cfg = tmp_path / "c.toml"
    cfg.write_text("[ingest]\nmax_line_kb = 1\n")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    code = cli.main(["file", str(path), "--db", db, "--config", str(cfg)])
    assert code == cli.EXIT_FAILED  # its only record was over the cap
    assert "raise [ingest] max_line_kb" in capsys.readouterr().err
