"""The fast paths of a file import give the same database as the plain one: unchanged pages and
files are recognised by their content hash and skipped unparsed, a file that grew loads only its
new pages, a crash leaves hashes only for committed pages, and parsing in worker processes gives
the same rows, and the same rejects in the same order, as parsing in this process."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import text

import ingest.files as files_mod
import ingest.parallel as parallel
from ingest.files import import_files
from ingest.loader import Loader
from ingest.parallel import ParsePool, Unchanged, page_digest, parse_chunk, read_pages
from ingest.readers.detect import read_path
from ingest.records import Parsed, Problem
from settings import IngestLimits
from store.migrate import upgrade
from store.models import Base
from tests.conftest import data_dump, realdata, scalar

TWARC = "twarc-csv/test-data/"
# Real twarc2 files with many pages between them: retweets, replies, quotes, partial errors,
# withheld users, a counts page, a users page, compliance lines, flattened tweets.
PAGES = ["withheld.jsonl", "2sets.jsonl", "brexit.jsonl", "kpop.jsonl", "entities_test.jsonl",
         "media_policy_violation_off.jsonl", "streaming_output_with_error.jsonl", "geo_tweets.jsonl",
         "users.jsonl", "counts.jsonl", "mentions_tweet.jsonl", "quoted_edit.jsonl",
         "tweets_compliance.jsonl", "flat.jsonl"]


def load(engine, paths, **kw):
    kw.setdefault("log", lambda m: None)
    return import_files(engine, None, list(paths), **kw)


def reset(engine) -> None:
    """An empty schema again, on the same backend."""
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    upgrade(engine)


def real_lines() -> list[bytes]:
    """Every line of the real twarc2 files above, in order."""
    out: list[bytes] = []
    for name in PAGES:
        out += [line for line in realdata(TWARC + name).read_bytes().splitlines() if line.strip()]
    return out


@pytest.fixture
def big(tmp_path):
    """The real pages as one file, and the pool forced on for it (the real files are small):
    chunks of three lines, so the workers get many chunks and the window fills."""
    path = tmp_path / "real.jsonl"
    path.write_bytes(b"\n".join(real_lines()) + b"\n")
    return path


@pytest.fixture
def in_workers(monkeypatch):
    monkeypatch.setattr(files_mod, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_LINES", 3)


def pages_stored(engine) -> int:
    return scalar(engine, "SELECT count(*) FROM loaded_pages")


# --- unchanged input ---------------------------------------------------------------------------

def test_reimport_of_a_real_file_loads_nothing_and_skips_its_pages(engine, tmp_path):
    path = tmp_path / "withheld.jsonl"
    shutil.copy(realdata(TWARC + "withheld.jsonl"), path)
    first = load(engine, [path]).counts
    before = data_dump(engine)
    assert first.tweets_new > 0 and first.unchanged == 0
    remembered = pages_stored(engine)
    # One page names a withheld account only by username: it is read again each time, in case
    # that account is known by then. The others are remembered.
    assert remembered == first.records - (1 if first.unresolved_mentions else 0) > 0

    os.utime(path, ns=(1, 1))  # a touched file: size and mtime are no help
    second = load(engine, [path], only_changed=True).counts
    assert data_dump(engine) == before
    assert second.unchanged == remembered
    assert second.records == first.records - remembered  # only the page left to resolve
    assert second.tweets_new == 0 and second.edges_new == 0
    assert second.tweets_present == first.tweets
    assert pages_stored(engine) == remembered


def test_appended_file_loads_only_the_new_pages(engine, tmp_path):
    lines = real_lines()
    path = tmp_path / "growing.jsonl"
    path.write_bytes(b"\n".join(lines[:6]) + b"\n")
    first = load(engine, [path]).counts
    assert first.records == 6
    with engine.connect() as conn:
        known = {bytes(d) for (d,) in conn.execute(text("SELECT digest FROM loaded_pages"))}
    assert len(known) == 5  # the sixth page has a mention not resolved yet
    with path.open("ab") as fh:
        fh.write(b"\n".join(lines[6:]) + b"\n")
    grown = load(engine, [path]).counts
    # Only the pages not stored were parsed (brexit's page is also 2sets' second: skipped too).
    skipped = [line for line in lines if page_digest("twarc2", line) in known]
    assert grown.unchanged == len(skipped) == 6
    assert grown.records == len(lines) - len(skipped)
    after = data_dump(engine)

    reset(engine)
    load(engine, [path])
    assert data_dump(engine) == after


class Boom(RuntimeError):
    pass


@pytest.mark.parametrize("workers", [0, 2])
def test_crash_midway_then_rerun_equals_one_clean_import(engine, big, in_workers, monkeypatch,
                                                         workers):
    load(engine, [big], batch_tweets=50, workers=workers)
    want = data_dump(engine)
    reset(engine)

    real_flush = Loader.flush
    calls = {"n": 0}

    def dying_flush(self, batch, source, ref):
        calls["n"] += 1
        if calls["n"] == 6:  # after five committed batches
            raise Boom("killed")
        return real_flush(self, batch, source, ref)

    monkeypatch.setattr(Loader, "flush", dying_flush)
    with pytest.raises(Boom):
        load(engine, [big], batch_tweets=50, workers=workers)
    monkeypatch.setattr(Loader, "flush", real_flush)
    committed = pages_stored(engine)
    partial = data_dump(engine)
    assert 0 < len(partial["tweets"]) < len(want["tweets"])
    assert 0 < committed
    # Every remembered page's tweets are stored: hashes never outlive their rows.
    with engine.connect() as conn:
        digests = {bytes(d) for (d,) in conn.execute(text("SELECT digest FROM loaded_pages"))}
    stored = {row[0] for row in partial["tweets"]}
    items = [(i, line, page_digest("twarc2", line), None)
             for i, line in enumerate(big.read_bytes().splitlines(), 1) if line.strip()]
    remembered = [r for r in parse_chunk("twarc2", str(big), items)
                  if isinstance(r, Parsed) and r.digest in digests]
    assert len({r.digest for r in remembered}) == committed  # a page may appear twice
    assert all(t.id in stored for r in remembered for t in r.tweets)

    rerun = load(engine, [big], batch_tweets=50, workers=workers).counts
    assert rerun.unchanged == len(remembered)  # every line of a remembered page
    assert data_dump(engine) == want


# --- parsing in workers ------------------------------------------------------------------------

@pytest.mark.parametrize("workers", [0, 1, 2])
def test_workers_give_the_rows_of_serial_parsing(big, in_workers, workers):
    limits = IngestLimits()
    nothing_known = lambda digests: {}  # noqa: E731
    pool = ParsePool(workers)
    try:
        got = list(read_pages(big, "twarc2", limits, nothing_known, pool=pool))
        assert pool.stopped is None
    finally:
        pool.close()
    assert all(r.checked for r in got if isinstance(r, Parsed)) == (workers > 0)
    lines = big.read_bytes().splitlines()

    # The records of the plain reader, in the same order, each with its page's hash; in
    # workers, validated there. With two workers, each remembers the profiles it yielded, so
    # a page may repeat a profile the other worker yielded with the same observation time.
    serial = list(read_path(big, "twarc2", limits)[1])
    assert len(serial) == len(got) > 100
    for a, b in zip(serial, got):
        if isinstance(a, Problem):
            assert a == b
            continue
        assert (a.tweets, a.edges, a.named_edges, a.urls, a.compliance, a.where) == (
            b.tweets, b.edges, b.named_edges, b.urls, b.compliance, b.where)
        if workers < 2:
            assert a.users == b.users
        else:
            assert set(a.users) <= set(b.users)
        assert b.digest == page_digest("twarc2", lines[int(b.where.rsplit(":", 1)[1]) - 1])


def strip(rec):
    if isinstance(rec, Parsed):
        return (rec.users, rec.tweets, rec.edges, rec.named_edges, rec.urls, rec.compliance,
                rec.api_errors, rec.where, rec.digest)
    return rec


def test_parallel_import_gives_the_database_of_a_serial_one(engine, big, in_workers):
    load(engine, [big], workers=2)
    parallel_db = data_dump(engine)
    reset(engine)
    # The plain reader straight into the loader: no hashes, no chunks, no workers.
    loader = Loader(engine, None)
    loader.load(read_path(big, "twarc2")[1], "twarc2", str(big))
    from ingest.loader import link_replies
    link_replies(engine, None)
    assert data_dump(engine) == parallel_db


def bad_file(tmp_path):
    """Real pages with bad lines between them: invalid JSON, an id no database can store, a
    line past the cap, an object that is not a page."""
    lines = real_lines()[:8]
    huge_id = lines[1].replace(b'"author_id": "', b'"author_id": "99999999999999999999', 1)
    assert huge_id != lines[1]
    bad = [lines[0], b'{"data": [{"id": "1", "text": oops}', lines[1], huge_id,
           b'{"data": [' + b"x" * (1100 * 1024), lines[2], b'{"hello": "world"}', b"", lines[3],
           b'"just a string"', lines[4]]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(bad) + b"\n")
    return path


@pytest.mark.parametrize("workers", [0, 2])
def test_bad_lines_are_reported_in_order_with_file_line_and_reason(engine, tmp_path, in_workers,
                                                                   workers):
    path = bad_file(tmp_path)
    limits = IngestLimits(max_line_kb=1024)  # the real pages fit, the 1.1 MB line does not
    # What the plain reader and the loader's validation say, in order.
    want = []
    for rec in read_path(path, "twarc2", limits)[1]:
        if isinstance(rec, Parsed):
            from ingest.records import validate
            rec = validate(rec, str(path))
        if isinstance(rec, Problem) and rec.rejected:
            want.append(f"rejected: {rec.location}: {rec.reason}")
    assert [w.split(": ", 2)[1] for w in want] == [f"{path}:{n}" for n in (2, 4, 5, 7, 10)]

    said: list[str] = []
    res = import_files(engine, None, [path], log=said.append, limits=limits, workers=workers)
    assert [s for s in said if s.startswith("rejected:")] == want
    assert res.counts.rejected == 5
    with engine.connect() as conn:
        stored = [r[0] for r in conn.execute(
            text("SELECT location FROM rejected_records ORDER BY id"))]
    assert stored == [w.split(": ", 2)[1] for w in want]

    # A rejected line is never remembered: the next import reports it again, and loads nothing.
    said.clear()
    again = import_files(engine, None, [path], log=said.append, limits=limits, workers=workers)
    assert [s for s in said if s.startswith("rejected:")] == want
    assert again.counts.tweets_new == 0 and again.counts.unchanged == pages_stored(engine) > 0


def test_workers_that_cannot_start_fall_back_to_parsing_here(engine, big, in_workers,
                                                             monkeypatch):
    load(engine, [big], workers=0)
    want = data_dump(engine)
    reset(engine)

    def refuse(*a, **kw):
        raise OSError("no semaphores here")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", refuse)
    said: list[str] = []
    res = load(engine, [big], workers=2, log=said.append)
    assert not res.failed
    assert any("parsing workers stopped (OSError: no semaphores here)" in s for s in said)
    assert data_dump(engine) == want


def test_chunks_parse_alike_in_and_out_of_process(big):
    """parse_chunk is the one parser of both paths; its worker side packs and unpacks rows."""
    items = [(i, line, page_digest("twarc2", line), None)
             for i, line in enumerate(big.read_bytes().splitlines(keepends=True), 1)]
    here = parse_chunk("twarc2", "f", items, check=True)
    back = parallel._unpack(parallel._work("twarc2", "f", items, -1))
    assert [strip(r) for r in back] == [strip(r) for r in here]


# --- whole documents ---------------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["twcs-head-monalisapatra26/twcs.csv",
                                 "twitter-to-sqlite/tests/tweets.json"])  # a JSON array
def test_identical_document_is_skipped_even_with_a_new_mtime(engine, tmp_path, rel):
    src = realdata(rel)
    path = tmp_path / src.name
    (shutil.copytree if src.is_dir() else shutil.copy)(src, path)
    first = load(engine, [path])
    before = data_dump(engine)
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, ns=(2, 2))
    again = load(engine, [path], only_changed=True)
    assert again.counts.unchanged == 1 and again.files == 1
    assert again.counts.records == 0
    assert again.counts.tweets_present == first.counts.tweets and again.counts.tweets_new == 0
    assert data_dump(engine) == before
    # A copy elsewhere is the same content.
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    (shutil.copytree if path.is_dir() else shutil.copy)(path, copy / path.name)
    assert load(engine, [copy / path.name]).counts.unchanged == 1


def test_an_archive_with_unresolved_mentions_is_read_again(engine, tmp_path):
    """Mentions of accounts the archive marks deleted resolve only once their username is
    known: an archive with any unresolved is not remembered, so a later import can."""
    path = tmp_path / "data"
    shutil.copytree(realdata("x-archive-andreruffert/data"), path)
    first = load(engine, [path]).counts
    assert first.unresolved_mentions > 0
    again = load(engine, [path]).counts
    assert again.unchanged == 0 and again.records == first.records
    # Once they resolve (here: the accounts become known), the archive is remembered.
    names = sorted({n for (n,) in _unresolved_names(path)})
    with engine.begin() as conn:
        for i, name in enumerate(names, 1):
            conn.execute(text("INSERT INTO users (id, username, is_stub, is_brand)"
                              " VALUES (:i, :n, TRUE, FALSE)"), {"i": 10 ** 15 + i, "n": name})
    third = load(engine, [path]).counts
    assert third.unresolved_mentions == 0
    assert load(engine, [path]).counts.unchanged == 1


def _unresolved_names(path):
    for rec in read_path(path, "archive")[1]:
        if isinstance(rec, Parsed):
            for n in rec.named_edges:
                yield (n.dst_username,)


def test_a_changed_document_is_read_again(engine, tmp_path):
    src = realdata("twcs-kaggle-sample/sample.csv").read_text(encoding="utf-8")
    path = tmp_path / "sample.csv"
    path.write_text(src, encoding="utf-8")
    load(engine, [path])
    path.write_text(src + "9999999,someone,True,Wed Oct 11 06:55:44 +0000 2017,"
                    "@AppleSupport hello,,\n", encoding="utf-8")
    again = load(engine, [path]).counts
    assert again.unchanged == 0 and again.tweets_new == 1


def test_a_document_with_rejects_is_read_and_reported_again(engine, tmp_path):
    lines = realdata("twcs-kaggle-sample/sample.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "twcs.csv"
    path.write_text("\n".join(lines[:40] + ["notanumber,105834,True,Wed Oct 11 06:55:44 +0000 "
                                            "2017,@AppleSupport hi,,"] + lines[40:]) + "\n",
                    encoding="utf-8")
    assert load(engine, [path]).counts.rejected == 1
    again = load(engine, [path]).counts
    assert again.rejected == 1 and again.unchanged == 0


def test_another_format_forced_is_not_taken_for_the_loaded_one(engine, tmp_path):
    path = tmp_path / "2sets.jsonl"
    shutil.copy(realdata(TWARC + "2sets.jsonl"), path)
    load(engine, [path])
    forced = load(engine, [path], fmt="v1")
    assert forced.counts.unchanged == 0
    assert forced.counts.records == 2  # read again, as v1.1 (and rejected)


def test_compliance_lines_are_applied_once_and_their_page_remembered(engine, tmp_path):
    path = tmp_path / "c.jsonl"
    shutil.copy(realdata(TWARC + "tweets_compliance.jsonl"), path)
    first = load(engine, [path]).counts
    assert first.compliance == 2
    kept_out = scalar(engine, "SELECT count(*) FROM suppressions")
    again = load(engine, [path]).counts
    assert again.compliance == 0 and again.unchanged == 2
    assert scalar(engine, "SELECT count(*) FROM suppressions") == kept_out > 0


def test_skipped_pages_are_counted_as_unchanged_not_as_read(engine, tmp_path):
    path = tmp_path / "2sets.jsonl"
    shutil.copy(realdata(TWARC + "2sets.jsonl"), path)
    load(engine, [path])
    seen = []
    again = load(engine, [path], progress=seen.append).counts
    assert (again.records, again.unchanged, again.tweets_new) == (0, 2, 0)
    assert sum(c.unchanged for c in seen) == 2  # the progress bar moves for skipped pages too
    assert again.as_dict()["unchanged"] == 2  # stored with the run's counts


def test_read_pages_counts_what_it_skips(big):
    lines = [line for line in big.read_bytes().splitlines() if line.strip()]
    known = {page_digest("twarc2", line): 7 for line in lines[:4]}
    skipped = Unchanged()
    recs = list(read_pages(big, "twarc2", IngestLimits(),
                           lambda ds: {d: known[d] for d in ds if d in known}, skipped=skipped))
    assert (skipped.pages, skipped.tweets) == (4, 28)
    assert all(int(r.where.rsplit(":", 1)[1]) > 4 for r in recs if isinstance(r, Parsed))
