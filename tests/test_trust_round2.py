"""Issue 18, trust round 2: no record can break a run, mangle another, or bring a forgotten
person back. Each case on SQLite and PostgreSQL; each failed on the code before (the note
of issue 18 says how)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from graph.rank import run_ranking
from ingest.files import import_files
from ingest.status import collect_status
from settings import Settings
from store.erase import find_user, forget_user
from tests.conftest import scalar

GOOD_TIME = "2021-04-08T19:34:16.000Z"


def page(*tweets: dict, users: tuple[dict, ...] = ()) -> dict:
    """A twarc2 page of v2 tweets (by default each by user 11, @ann)."""
    return {"data": [{"author_id": "11", "created_at": GOOD_TIME, "text": "hello", **t}
                     for t in tweets],
            "includes": {"users": [{"id": "11", "username": "ann", "name": "Ann"}, *users]}}


def write_jsonl(path: Path, *pages: dict, bom: bool = False) -> Path:
    body = "\n".join(json.dumps(p) for p in pages) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode())
    return path


def load(engine, *paths: Path):
    return import_files(engine, None, list(paths), log=lambda m: None)


def rejects(engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT location, reason, excerpt FROM rejected_records ORDER BY id"))]


def tweet_ids(engine) -> set[int]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT id FROM tweets")).scalars())


@pytest.mark.parametrize("bad_id, why", [
    (1.9, "a float lands on another record's id"),
    (1e18, "a float exponent"),
    (True, "a boolean became tweet 1"),
    ("١٢٣", "Arabic-Indic digits"),
    ("1_234", "an underscore int() accepts"),
    (" 12", "a space int() accepts"),
    (str(2**63), "one past the largest id"),
    ("0", "not an X id"),
])
def test_an_id_is_decimal_digits_from_1_to_2_63_or_the_record_is_rejected(engine, tmp_path,
                                                                           bad_id, why):
    """The bad tweet is rejected with its reason; the good one beside it on another line
    loads, and nothing else is stored in the bad one's place."""
    f = write_jsonl(tmp_path / "ids.jsonl", page({"id": bad_id}), page({"id": "500"}))
    res = load(engine, f)
    assert res.counts.rejected == 1, why
    (where, reason, _), = rejects(engine)
    assert where == f"{f}:1" and "is not an id" in reason, reason
    assert tweet_ids(engine) == {500}


def test_float_ids_in_v1_and_twcs_are_rejected_not_rounded(engine, tmp_path):
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps([
        {"id": 1.5e17, "text": "a", "created_at": "Tue Oct 31 22:10:47 +0000 2017",
         "user": {"id_str": "7", "screen_name": "bo"}},
        {"id_str": "42", "text": "b", "created_at": "Tue Oct 31 22:10:47 +0000 2017",
         "user": {"id": 7.0, "screen_name": "bo"}},
        {"id_str": "43", "text": "c", "created_at": "Tue Oct 31 22:10:47 +0000 2017",
         "user": {"id_str": "7", "screen_name": "bo"}},
    ]))
    twcs = tmp_path / "twcs.csv"
    twcs.write_text("tweet_id,author_id,inbound,created_at,text,response_tweet_id,"
                    "in_response_to_tweet_id\n"
                    "1.5,ann,True,Tue Oct 31 22:10:47 +0000 2017,hi,,\n"
                    "1e3,ann,True,Tue Oct 31 22:10:47 +0000 2017,hi,,\n"
                    "7.0,ann,True,Tue Oct 31 22:10:47 +0000 2017,hi,,\n", encoding="utf-8")
    res = load(engine, v1, twcs)
    assert res.counts.rejected == 4
    assert tweet_ids(engine) == {43, -7}  # pandas' "7.0" is 7


@pytest.mark.parametrize("when, why", [
    ("9999-12-31T23:59:59.000Z", "in the future"),
    ("2099-01-01T00:00:00.000Z", "in the future"),
    ("2005-12-31T00:00:00.000Z", "before X's first day"),
])
def test_a_time_outside_x_s_life_is_rejected_and_every_reader_still_works(engine, tmp_path,
                                                                          when, why):
    good = [{"id": str(100 + i), "created_at": f"2021-04-0{i + 1}T10:00:00.000Z"}
            for i in range(3)]
    f = write_jsonl(tmp_path / "t.jsonl", page({"id": "99", "created_at": when}),
                    page(*good))
    load(engine, f)
    (_, reason, _), = rejects(engine)
    assert why in reason
    assert tweet_ids(engine) == {100, 101, 102}
    res = run_ranking(engine, Settings(support_handles=("ann",)))
    assert res.end.year == 2021  # the window is where the tweets are
    status = collect_status(engine)
    assert status is not None


def test_a_tweet_needs_its_time(engine, tmp_path):
    bare = {"id": "77", "author_id": "11", "text": "no time"}
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"data": [bare], "includes": {"users": []}}) + "\n"
                 + json.dumps(page({"id": "78"})) + "\n")
    load(engine, f)
    (_, reason, _), = rejects(engine)
    assert "created_at: missing" in reason
    assert tweet_ids(engine) == {78}


def test_byte_order_marks_are_accepted(engine, tmp_path):
    f = write_jsonl(tmp_path / "bom.jsonl", page({"id": "5"}), bom=True)
    csv = tmp_path / "bom.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + (
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "1,ann,True,Tue Oct 31 22:10:47 +0000 2017,hi there,,\n").encode())
    res = load(engine, f, csv)
    assert not res.failed and res.counts.rejected == 0
    assert tweet_ids(engine) == {5, -1}


def test_a_repeated_id_with_other_content_is_named_and_the_first_copy_kept(engine, tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", page({"id": "9", "text": "the real words"}))
    again = write_jsonl(tmp_path / "b.jsonl", page({"id": "9", "text": "the real words"}),
                        page({"id": "9", "text": "something else entirely"},
                             {"id": "10", "text": "fine"}))
    load(engine, first)
    res = load(engine, again)
    assert res.counts.conflicts == 1 and res.counts.rejected == 1
    (where, reason, _), = rejects(engine)
    assert where == f"{again}:2" and "tweet 9" in reason and "text" in reason
    assert scalar(engine, "SELECT text FROM tweets WHERE id = 9") == "the real words"
    assert tweet_ids(engine) == {9, 10}
    # Within one file too: the second copy with another author.
    both = write_jsonl(tmp_path / "c.jsonl", page({"id": "20"}),
                       page({"id": "20", "author_id": "12"},
                            users=({"id": "12", "username": "bob"},)))
    res = load(engine, both)
    assert res.counts.conflicts == 1
    assert scalar(engine, "SELECT author_id FROM tweets WHERE id = 20") == 11


def test_a_long_link_loads_on_both_engines(engine, tmp_path):
    import random

    # (Random letters: PostgreSQL compresses "aaaa..." into an index row that fits.)
    rnd = random.Random(18)
    url = "https://example.com/" + "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                           for _ in range(3000))
    t = {"id": "30", "entities": {"urls": [{"expanded_url": url, "url": "https://t.co/x"}]}}
    f = write_jsonl(tmp_path / "long.jsonl", page(t), page({"id": "31"}))
    res = load(engine, f)
    assert not res.failed and res.counts.rejected == 0
    assert tweet_ids(engine) == {30, 31}
    assert scalar(engine, "SELECT length(url) FROM tweet_urls WHERE tweet_id = 30") == len(url)
    load(engine, f)  # and again: the same link is one row
    assert scalar(engine, "SELECT count(*) FROM tweet_urls") == 1


def test_forgetting_holds_by_username_in_every_format(engine, tmp_path):
    """Forget @ann (loaded from X's API): a TWCS file naming her by username does not bring
    her back, a retweet of her new tweet is not stored with her words, and no reject keeps
    an excerpt naming her."""
    from store.erase import FORGOTTEN_EXCERPT

    f = write_jsonl(tmp_path / "a.jsonl", page({"id": "40", "text": "ann's words"}))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"data": [{"id": "41", "author_id": "11", "username": "ann", oops\n')
    load(engine, f, bad)
    assert "ann" in rejects(engine)[0][2]
    with engine.begin() as conn:
        forget_user(conn, find_user(conn, "ann"), actor="test")
    assert rejects(engine)[0][2] == FORGOTTEN_EXCERPT
    twcs = tmp_path / "twcs.csv"
    twcs.write_text("tweet_id,author_id,inbound,created_at,text,response_tweet_id,"
                    "in_response_to_tweet_id\n"
                    "1,ANN,True,Tue Oct 31 22:10:47 +0000 2017,ann again,,\n"
                    "2,carl,True,Tue Oct 31 22:11:47 +0000 2017,carl here,,\n", encoding="utf-8")
    retweet = {"id": "51", "author_id": "12", "text": "RT @ann: her new words",
               "referenced_tweets": [{"type": "retweeted", "id": "50"}]}
    rt = write_jsonl(tmp_path / "rt.jsonl", {
        "data": [retweet],
        "includes": {"users": [{"id": "11", "username": "ann"}, {"id": "12", "username": "bob"}],
                     "tweets": [{"id": "50", "author_id": "11", "text": "her new words",
                                 "created_at": GOOD_TIME}]}})
    load(engine, twcs, rt)
    with engine.connect() as conn:
        texts = set(conn.execute(text("SELECT text FROM tweets")).scalars())
        names = set(conn.execute(text("SELECT lower(username) FROM users"
                                      " WHERE username IS NOT NULL")).scalars())
    assert texts == {"carl here"}
    assert "ann" not in names


def test_a_bad_tweet_rejects_that_tweet_and_not_its_page(engine, tmp_path):
    """One bad ``created_at`` in a page of three: that tweet is rejected, named; the other two
    and the page's users load (the whole page was rejected before). Loaded again, the page is
    read again (not remembered as stored), and the user it alone carried has a name."""
    f = write_jsonl(tmp_path / "p.jsonl", page(
        {"id": "60"}, {"id": "61", "created_at": "not-a-time"},
        {"id": "62", "author_id": "13"},
        users=({"id": "13", "username": "cat", "name": "Cat"},)))
    res = load(engine, f)
    assert res.counts.rejected == 1
    (where, reason, _), = rejects(engine)
    assert where == f"{f}:1" and reason.startswith("tweets.created_at: not a time")
    assert "tweet 61" in reason
    assert tweet_ids(engine) == {60, 62}
    assert scalar(engine, "SELECT username FROM users WHERE id = 13") == "cat"
    res = load(engine, f)
    assert res.counts.unchanged == 0 and res.counts.rejected == 1


def test_a_csv_quote_left_open_names_the_lines_it_spans(engine, tmp_path):
    csv = tmp_path / "open.csv"
    csv.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "1,ann,True,Tue Oct 31 22:10:47 +0000 2017,fine,,\n"
        '2,ann,True,Tue Oct 31 22:10:47 +0000 2017,"never closed,,\n'
        "3,bob,True,Tue Oct 31 22:10:47 +0000 2017,swallowed,,\n"
        "4,bob,True,Tue Oct 31 22:10:47 +0000 2017,swallowed too,,\n", encoding="utf-8")
    load(engine, csv)
    (where, reason, _), = rejects(engine)
    assert where == f"{csv}:3-5", where
    assert "lines 3 to 5" in reason
    assert tweet_ids(engine) == {-1}


def test_rejects_are_bounded_per_file_and_counted(engine, tmp_path):
    """20,000 lines of ``{}`` in a 100-byte gzip: the first ``max_reject_rows`` rejects are
    stored one by one, the rest counted in one row; the good page after them loads."""
    import gzip

    from settings import IngestLimits

    f = tmp_path / "empty.jsonl.gz"
    with gzip.open(f, "wb") as fh:
        fh.write(b"{}\n" * 20_000 + json.dumps(page({"id": "70"})).encode() + b"\n")
    res = import_files(engine, None, [f], log=lambda m: None,
                       limits=IngestLimits(max_reject_rows=100))
    assert res.counts.rejected == 20_000
    rows = rejects(engine)
    assert len(rows) == 101
    assert rows[-1][1].startswith("19,900 more rejected records, counted but not stored")
    assert tweet_ids(engine) == {70}


def test_a_decompression_bomb_stops_at_its_ratio(engine, tmp_path, monkeypatch):
    """A gzip and a zip expanding 1,000 times their size fail that file, named, once past the
    size the ratio is looked at from (64 MB; 1 MB here); the good file beside them loads."""
    import gzip
    import zipfile

    from ingest.readers import bounded

    monkeypatch.setattr(bounded, "RATIO_FROM", 1 << 20)
    line = json.dumps(page({"id": "80"})).encode() + b"\n"
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb") as fh:
        fh.write(line * 60_000)  # 17 MB of the same page
    zbomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(zbomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data/manifest.js", 'window.__THAR_CONFIG = {"userInfo": {"accountId":'
                                       ' "11", "userName": "ann"}}')
        z.writestr("data/tweets.js", b"window.YTD.tweets.part0 = [" + b" " * (8 << 20) + b"]")
    good = write_jsonl(tmp_path / "good.jsonl", page({"id": "81"}))
    res = load(engine, bomb, zbomb, good)
    assert len(res.failed) == 2, res.failed
    assert all("times its compressed size" in f and "max_ratio" in f for f in res.failed)
    assert 81 in tweet_ids(engine)


def test_a_killed_first_load_is_reported_by_status(engine, tmp_path):
    """A first load drops the read indexes and builds them at its end; killed between, the
    database lacked them until the next import, and nothing said so. ``ingest status`` (so
    the health page) now warns, naming the repair; ``store upgrade`` repairs it."""
    from store.indexes import READ_INDEXES
    from store.migrate import _deferrable, bulk_load_indexes, upgrade

    assert sorted(READ_INDEXES) == sorted(ix.name for ix in _deferrable())
    load(engine, write_jsonl(tmp_path / "a.jsonl", page({"id": "90"})))
    assert collect_status(engine)["missing_indexes"] == []
    bulk_load_indexes(engine, drop=True)  # where a killed load leaves it
    status = collect_status(engine)
    assert sorted(status["missing_indexes"]) == sorted(READ_INDEXES)
    assert any(a["about"] == "indexes" and "store upgrade" in a["text"]
               for a in status["alerts"])
    upgrade(engine)
    assert collect_status(engine)["missing_indexes"] == []


def test_a_killed_first_load_is_reported_by_rank_and_the_dashboard(engine, db_url, tmp_path,
                                                                 capsys, monkeypatch):
    """The next command of any kind says so: ``graph rank`` warns on stderr (and still ranks),
    and the dashboard shows the warning above its pages, naming the repair."""
    from streamlit.testing.v1 import AppTest

    from dashboard.common import missing_indexes
    from graph.cli import main
    from store.migrate import bulk_load_indexes, upgrade
    from tests.conftest import ROOT

    load(engine, write_jsonl(tmp_path / "a.jsonl", page({"id": "91"})))
    bulk_load_indexes(engine, drop=True)  # where a killed load leaves it
    assert main(["rank", "--db", db_url]) == 0
    err = capsys.readouterr().err
    assert "read indexes are missing" in err and "python -m store upgrade" in err
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    missing_indexes.clear()
    # app.py draws it above whichever page is shown (AppTest's switch_page runs a page's
    # script alone, so the first run, the leaderboard, is where it can be seen here).
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("read indexes are missing" in w.value for w in at.warning), \
        [w.value for w in at.warning]
    upgrade(engine)
    assert main(["rank", "--db", db_url]) == 0
    assert "read indexes" not in capsys.readouterr().err


def test_first_loads_beside_rankings_and_status_never_deadlock(tmp_path):
    """Ten first loads into an empty PostgreSQL database, each with rankings and ``ingest
    status`` running beside it the whole time: no deadlock, no error, and every thread ends
    within its bound (the import takes its locks at once, and steps back while readers hold
    theirs; readers only wait)."""
    import threading

    from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
    from store.db import make_engine
    from store.migrate import upgrade
    from tests.conftest import IN_CI, _pg_available, _pg_database

    problem = _pg_available()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL not reachable under CI: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    path = tmp_path / "demo.jsonl"
    generate_demo(path, DemoSpec(400, 7))
    settings = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]),
                        staff_handles=tuple(DEMO_SETTINGS["staff_handles"]))
    for trial in range(10):
        with _pg_database() as url:
            upgrade(make_engine(url))
            done = threading.Event()
            errors: list[str] = []
            counts = {"rank": 0, "status": 0}

            def guard(name, work):
                eng = make_engine(url)
                try:
                    work(eng)
                except Exception as exc:  # noqa: BLE001 - every failure is the finding
                    errors.append(f"{name}: {type(exc).__name__}: {exc}")
                finally:
                    eng.dispose()

            def importer(eng):
                try:
                    import_files(eng, None, [path], log=lambda m: None)
                finally:
                    done.set()

            def reader(name, work):
                def loop(eng):
                    while not done.is_set():
                        work(eng)
                        counts[name] += 1
                return loop

            threads = [threading.Thread(target=guard, args=a) for a in (
                ("import", importer),
                ("rank", reader("rank", lambda e: run_ranking(e, settings, store=False))),
                ("status", reader("status", lambda e: collect_status(e))))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=300)
            assert not any(t.is_alive() for t in threads), f"trial {trial}: a thread hung"
            assert not errors, f"trial {trial}: {errors}"
            assert counts["status"] >= 1, counts
