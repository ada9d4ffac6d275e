"""Faults on the live X path, against servers on 127.0.0.1 serving recorded X responses (issue
11): a token with whitespace, a server that never answers, cut and undecodable bodies,
max_pages with pages left, SIGTERM, a missing handle, a repeated token, errors-only pages,
saved pages, and X renaming its fields."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import tweepy

from ingest import cli
from ingest.xapi import XApiError, XClient, scrub
from settings import ROOT, SettingsError, bearer_token
from store.db import make_engine
from store.lock import run_lock
from tests.conftest import data_dump, realdata, scalar, table_dump
from tests.test_x_api import (HANDLE, UID, FakeTime, client_for, decoded, last, make_server,
                              pages)
from tests.xreplay import ReplayServer, Reply, redirect

# Shaped like a bearer token (URL-encoded characters included), built here so no scanner takes
# a committed string for a real one.
SECRET = "-".join(["not", "a", "real", "token"]) + "%2F" + "0123456789abcdef" * 2


def test_token_is_stripped_and_checked(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    monkeypatch.setenv("X_BEARER_TOKEN", SECRET + "\n")
    assert bearer_token() == SECRET
    monkeypatch.setenv("X_BEARER_TOKEN", SECRET[:20] + "\n" + SECRET[20:])
    with pytest.raises(SettingsError) as exc:
        bearer_token()
    assert SECRET[:20] not in str(exc.value) and "not shown" in str(exc.value)


def test_a_bad_token_is_one_clear_error_and_never_echoed(monkeypatch, tmp_path, db_url,
                                                         capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", "abc def " + SECRET)
    assert cli.main(["x", "--handle", "AcmeHelp", "--db", db_url]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "bearer token" in err and SECRET not in err


def test_errors_are_scrubbed_before_they_are_printed_or_stored():
    leaked = f"InvalidHeader: Invalid leading whitespace in header value: 'Bearer {SECRET}\\n'"
    assert SECRET not in scrub(leaked, SECRET) and "[token]" in scrub(leaked, SECRET)
    assert SECRET not in scrub(f"Authorization: bearer {SECRET}")  # even without the token


@pytest.fixture
def silent_server():
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held, stop = [], threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    t.join(timeout=2)
    for c in held:
        c.close()
    sock.close()


def test_a_server_that_never_answers_times_out_and_is_retried(silent_server):
    client = tweepy.Client("test-token", return_type=dict)

    class Server:
        url = silent_server

    redirect(client, Server)
    waits = []
    x = XClient(client=client, sleep=waits.append, max_retries=3, timeout=(1.0, 0.5))
    started = time.monotonic()
    with pytest.raises(XApiError, match="get_user: gave up after 3 tries: ReadTimeout"):
        x.call("get_user", username="AcmeHelp")
    assert time.monotonic() - started < 10  # bounded: no hang
    assert len(waits) == 2  # retried like a 5xx, with backoff


def test_cut_bodies_and_bad_json_are_retried(db_url):
    user = {"data": {"id": "2244994945", "name": "Developers", "username": "XDevelopers"}}
    with ReplayServer() as server:
        server.route(r"/2/users/by/username/\w+",
                     Reply(200, '{"data": {"id": "22449'),  # a 200 whose JSON is cut
                     Reply(200, "<html>gateway</html>"),  # a 200 that is not JSON at all
                     Reply(200, user))
        client = tweepy.Client("test-token", return_type=dict)
        redirect(client, server)
        x = XClient(client=client, sleep=lambda s: None, max_retries=5)
        assert x.call("get_user", username="XDevelopers")["data"]["id"] == "2244994945"
        assert len(server.requests_to(r"/2/users/by/username/\w+")) == 3
    with ReplayServer() as server:
        server.route(r"/2/users/by/username/\w+", Reply(200, "not json"))
        client = tweepy.Client("test-token", return_type=dict)
        redirect(client, server)
        x = XClient(client=client, sleep=lambda s: None, max_retries=2)
        with pytest.raises(XApiError, match="get_user: .*not valid JSON"):
            x.call("get_user", username="XDevelopers")


def test_a_failed_run_stores_no_token(monkeypatch, tmp_path, db_url, engine):
    """Whatever an exception says, the run's stored error and the output have no token."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", SECRET)

    def leaky(*args, **kwargs):
        raise RuntimeError(f"header 'Bearer {SECRET}' was refused")

    import ingest.xjob

    monkeypatch.setattr(ingest.xjob, "fetch_handles", leaky)
    client = XClient(client=tweepy.Client(SECRET, return_type=dict))
    assert cli.main(["x", "--handle", "AcmeHelp", "--db", db_url], x_client=client) == \
        cli.EXIT_FAILED
    stored = scalar(engine, "SELECT error FROM ingest_runs ORDER BY id DESC")
    assert SECRET not in stored and "[token]" in stored


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the logic is not the database's
def test_a_missing_handle_does_not_stop_the_others(db_url, tmp_path, engine, capsys):
    """A renamed or suspended support handle ("User Not Found") is reported; the other handles
    are fetched and their cursors move; the exit code says partial (issue 11, item 6)."""
    cfg = tmp_path / "two.toml"
    cfg.write_text(f'support_handles = ["GoneHandle", "{HANDLE}"]\nfix_domains = []\n'
                   "[ingest.x]\nfix_lookback_days = 100000\nmax_fix_tweets = 3\nmax_pages = 5\n")
    with ReplayServer() as server:
        server.route(r"/2/users/by/username/GoneHandle", Reply(200, {"errors": [{
            "value": "GoneHandle", "detail": "Could not find user with username: [GoneHandle].",
            "title": "Not Found Error", "resource_type": "user", "parameter": "username",
            "resource_id": "GoneHandle",
            "type": "https://api.twitter.com/2/problems/resource-not-found"}]}))
        make_server(server)
        code = cli.main(["x", "--db", db_url, "--config", str(cfg)],
                        x_client=client_for(server, FakeTime()))
    assert code == cli.EXIT_PARTIAL
    assert "@GoneHandle not fetched: no such X account" in capsys.readouterr().err
    assert scalar(engine, "SELECT count(*) FROM tweets") > 100
    assert scalar(engine, "SELECT count(*) FROM cursors WHERE query_key LIKE :k",
                  k=f"%:{HANDLE}") >= 2
    run = engine.connect().exec_driver_sql(
        "SELECT status, error FROM ingest_runs ORDER BY id DESC").first()
    assert run[0] == "partial" and "@GoneHandle" in run[1]


def test_a_repeated_pagination_token_ends_the_query():
    """X handing back the same next_token would spend the monthly cap on one page forever
    (issue 11, item 7)."""
    page = {"data": [{"id": "1", "text": "hi", "author_id": "2",
                      "created_at": "2026-11-20T10:00:00.000Z"}],
            "meta": {"result_count": 1, "next_token": "7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i"}}
    with ReplayServer() as server:
        server.route(r"/2/users/\d+/mentions", Reply(200, page))
        client = tweepy.Client("test-token", return_type=dict)
        redirect(client, server)
        x = XClient(client=client, sleep=lambda s: None)
        got = list(x.pages("get_users_mentions", id=2244994945, max_pages=20))
        assert len(got) == 2 and x.repeated_tokens == 1
        assert len(server.requests_to(r"/2/users/\d+/mentions")) == 2


# ---------------------------------------------------------------------------------------------
# The fault-injection suite (issue 11): one test per fault. Each checks the exit code, the
# stored run and the cursors, then re-runs against a healthy server and checks that the
# database equals the one a fault-free run builds.
# ---------------------------------------------------------------------------------------------

TWO = pages("2sets.jsonl")
# Three pages of mentions: the two of 2sets.jsonl, then an older recorded search page (noflat:
# same response shape, older ids), which ends the query. Recent search is off in these tests so
# no other query holds the third page's posts.
MENTIONS = [TWO[0], {**TWO[1], "meta": {**TWO[1]["meta"], "next_token": "page3token"}},
            last(pages("noflat.jsonl")[0])]
EMPTY = {"meta": {"result_count": 0}}
MENTIONS_PATH = rf"/2/users/{UID}/mentions"


def newest(*ps: dict) -> int:
    return max(int(p["meta"]["newest_id"]) for p in ps)


def healthy(server: ReplayServer, mentions_first=()) -> None:
    """The recorded X API, with three pages of mentions and nothing new after them."""
    make_server(server)
    server.routes = [r for r in server.routes if r[0].pattern != MENTIONS_PATH + "$"]
    server.route(MENTIONS_PATH, *mentions_first, *(Reply(200, p) for p in MENTIONS),
                 Reply(200, EMPTY))


def settings_file(tmp_path: Path, *, max_pages: int = 5, handles=(HANDLE,), extra: str = ""
                  ) -> Path:
    cfg = tmp_path / "faults.toml"
    quoted = ", ".join(f'"{h}"' for h in handles)
    cfg.write_text(f"support_handles = [{quoted}]\nfix_domains = []\n[ingest.x]\n"
                   f"fix_lookback_days = 100000\nmax_fix_tweets = 3\nmax_pages = {max_pages}\n"
                   f"recent_search = false\nread_timeout = 0.5\nconnect_timeout = 1\n{extra}")
    return cfg


def fetch(url: str, tmp_path: Path, server: ReplayServer, t: FakeTime | None = None,
          *extra: str, **cfg) -> int:
    t = t or FakeTime()
    tw = tweepy.Client("test-token", return_type=dict)
    redirect(tw, server)
    client = XClient(client=tw, sleep=t.sleep, clock=t.clock, timeout=(1.0, 0.5))
    return cli.main(["x", "--db", url, "--config", str(settings_file(tmp_path, **cfg)), *extra],
                    x_client=client)


def content(url: str) -> dict[str, list[tuple]]:
    """What a run leaves: the data tables and the cursors (run ids and observation times aside)."""
    eng = make_engine(url)
    try:
        d = data_dump(eng)
        d["users"] = table_dump(eng, "users", "id, username, is_brand", "id")
        d["cursors"] = table_dump(eng, "cursors",
                                  "query_key, since_id, until_id, newest_id, seen_count",
                                  "query_key")
        return d
    finally:
        eng.dispose()


def last_run(url: str) -> tuple:
    eng = make_engine(url)
    try:
        with eng.connect() as conn:
            return tuple(conn.exec_driver_sql(
                "SELECT status, error, counts FROM ingest_runs ORDER BY id DESC").first())
    finally:
        eng.dispose()


def cursors(url: str) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in content(url)["cursors"]}


@pytest.fixture(scope="module")
def fault_free(tmp_path_factory) -> dict[str, list[tuple]]:
    path = tmp_path_factory.mktemp("fault-free")
    url = f"sqlite:///{path / 'clean.db'}"
    with ReplayServer() as server:
        healthy(server)
        assert fetch(url, path, server) == cli.EXIT_OK
    got = content(url)
    assert cursors(url)[f"mentions:{HANDLE}"] == (newest(*MENTIONS), None, None, None)
    assert len(got["tweets"]) > 300 and got["interactions"]
    return got


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'faulty.db'}"


def rerun_equals(url: str, tmp_path: Path, fault_free: dict, **cfg) -> None:
    """A re-run against the healthy API finishes the work: the same database as a fault-free
    run."""
    with ReplayServer() as server:
        healthy(server)
        assert fetch(url, tmp_path, server, **cfg) == cli.EXIT_OK
    assert content(url) == fault_free


class Redirected(XClient):
    """The client ``ingest x`` builds from X_BEARER_TOKEN, sent to the replay server."""

    server: ReplayServer | None = None

    def __init__(self, token, **kwargs):
        super().__init__(token, sleep=lambda s: None, **kwargs)
        redirect(self.client, self.server)


def test_fault_token_with_whitespace_never_leaks(monkeypatch, tmp_path, url, fault_free,
                                                caplog, capsys):
    """1. A token with a trailing newline works, and neither it nor the raw value appears in
    an exception, a log line, a stored error, the saved pages or `ingest status`, even when the
    server echoes the Authorization header back in an error."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_BEARER_TOKEN", SECRET + "\n")
    monkeypatch.setattr(cli, "XClient", Redirected)
    saved = tmp_path / "pages.jsonl"
    cfg = str(settings_file(tmp_path))
    with ReplayServer() as server:
        # First the API fails and echoes the header it got; every retry the same.
        echo = Reply(500, {"title": "Internal Error", "detail": f"bad header 'Bearer {SECRET}'"})
        server.route(r"/2/users/by/username/\w+", echo)
        Redirected.server = server
        assert cli.main(["x", "--db", url, "--config", cfg]) == cli.EXIT_FAILED
    status, error, _ = last_run(url)
    assert status == "failed" and "[token]" in error and SECRET not in error
    assert cursors(url) == {}
    with ReplayServer() as server:
        healthy(server)
        Redirected.server = server
        assert cli.main(["x", "--db", url, "--config", cfg, "--save-pages", str(saved)]) == 0
        sent = {s.headers["Authorization"] for s in server.seen}
    assert sent == {f"Bearer {SECRET}"}  # stripped: no newline went out
    assert cli.main(["status", "--db", url]) == 0
    out = capsys.readouterr()
    for place in (caplog.text, out.out, out.err, saved.read_text(),
                  json.dumps(content(url), default=str), json.dumps(last_run(url))):
        assert SECRET not in place
    assert content(url) == fault_free


def test_fault_a_server_that_stops_answering(tmp_path, url, fault_free):
    """2. Reads that time out are retried like a 5xx; a server that never answers fails the
    run in bounded time with the endpoint named, and moves no cursor."""
    slow = Reply(200, TWO[0], delay=2.0)  # read_timeout is 0.5 s
    with ReplayServer() as server:
        healthy(server, mentions_first=[slow])
        assert fetch(url, tmp_path, server) == cli.EXIT_OK
    assert content(url) == fault_free
    url2 = url.replace("faulty.db", "silent.db")
    started = time.monotonic()
    with ReplayServer() as server:
        healthy(server, mentions_first=[slow] * 5)
        assert fetch(url2, tmp_path, server) == cli.EXIT_FAILED
    assert time.monotonic() - started < 30
    status, error, _ = last_run(url2)
    # (Fake time: tries and backoff waits of 2, 4 and 8 s, and the fourth would pass the call's
    # 30 s deadline.)
    assert status == "failed" and ("get_users_mentions: no answer within 30 s (4 tries;"
                                   in error) and "ReadTimeout" in error
    assert cursors(url2) == {}
    rerun_equals(url2, tmp_path, fault_free)


def test_a_stalled_server_costs_a_call_its_deadline_and_no_more():
    """A server that accepts the connection and never answers: with a read timeout of 60 s
    and five tries, one call took 331 s before; its deadline (``[ingest.x] call_deadline``,
    here 1.5 s of real time) ends it, every try included, with the reason named."""
    with ReplayServer() as server:
        server.route(MENTIONS_PATH, Reply(200, TWO[0], delay=8.0))
        tw = tweepy.Client("test-token", return_type=dict)
        redirect(tw, server)
        x = XClient(client=tw, timeout=(10.0, 60.0), deadline=1.5, backoff=0.2)
        started = time.monotonic()
        with pytest.raises(XApiError, match=r"get_users_mentions: no answer within 1\.5 s"):
            x.call("get_users_mentions", id=UID)
        assert time.monotonic() - started < 4


def test_a_run_past_its_deadline_sends_nothing_more():
    t = FakeTime()
    x = XClient(client=tweepy.Client("test-token", return_type=dict), sleep=t.sleep,
                clock=t.clock, run_deadline=60.0)
    t.sleep(61)
    with pytest.raises(XApiError, match="past its deadline of 60 s"):
        x.call("get_users_mentions", id=UID)
    assert x.requests == 0


@pytest.mark.parametrize("bad", [Reply(200, TWO[0], cut=True), Reply(200, "<html>bad gateway"),
                                 Reply(200, '{"data": [{"id": "1')],
                         ids=["cut-body", "html", "truncated-json"])
def test_fault_bad_bodies_are_retried(tmp_path, url, fault_free, bad):
    """3. A connection dropped mid-body and a 200 that is not JSON are retried."""
    with ReplayServer() as server:
        healthy(server, mentions_first=[bad])
        assert fetch(url, tmp_path, server) == cli.EXIT_OK
        assert len(server.requests_to(MENTIONS_PATH)) == 4  # the bad one, then three pages
    assert last_run(url)[0] == "ok"
    assert content(url) == fault_free


def test_fault_max_pages_keeps_its_place(tmp_path, url, fault_free, capsys):
    """4. Three pages waiting and max_pages = 2: the cursor does not pass the third page, the
    run says so, and the next run fetches it (the gap first, with until_id) before anything
    newer."""
    with ReplayServer() as server:
        healthy(server)
        assert fetch(url, tmp_path, server, max_pages=2) == cli.EXIT_OK
    out = capsys.readouterr().out
    # No earlier cursor: the gap is bounded by the 800 mentions X serves (200 fetched).
    assert f"mentions:{HANDLE}: stopped at max_pages; at most 6 pages left" in out
    status, _, counts = last_run(url)
    counts = json.loads(counts)
    assert status == "ok" and counts["backlog_queries"] == 1 and counts["pages_left_estimate"] >= 1
    assert cli.main(["status", "--db", url]) == cli.EXIT_OK
    assert "backlog in 1 query (~6 pages left, estimated)" in capsys.readouterr().out
    third = {int(t["id"]) for t in MENTIONS[2]["data"]}
    stored = {r[0] for r in content(url)["tweets"]}
    assert not third & stored - {int(t["id"]) for p in MENTIONS[:2] for t in p["data"]}
    oldest = min(int(p["meta"]["oldest_id"]) for p in MENTIONS[:2])
    assert cursors(url)[f"mentions:{HANDLE}"] == (None, oldest, newest(*MENTIONS[:2]), None)
    with ReplayServer() as server:
        healthy(server)
        server.routes = [r for r in server.routes if r[0].pattern != MENTIONS_PATH + "$"]
        server.route(MENTIONS_PATH, Reply(200, MENTIONS[2]), Reply(200, EMPTY))
        assert fetch(url, tmp_path, server, max_pages=2) == cli.EXIT_OK
        gap, new = server.requests_to(MENTIONS_PATH)
    assert gap.query["until_id"] == str(oldest) and "since_id" not in gap.query
    assert new.query["since_id"] == str(newest(*MENTIONS)) and "until_id" not in new.query
    assert third <= {r[0] for r in content(url)["tweets"]}
    assert content(url) == fault_free


def test_fault_sigterm_mid_fetch(tmp_path, url, fault_free, capsys):
    """5. SIGTERM (systemd, Kubernetes, Docker) while a page is in flight: exit 143, the run
    recorded as interrupted, no cursor moved, the lock released; a re-run finishes the work."""
    term = Reply(200, TWO[1], then=lambda: os.kill(os.getpid(), signal.SIGTERM), delay=0.3)
    with ReplayServer() as server:
        healthy(server)
        server.routes = [r for r in server.routes if r[0].pattern != MENTIONS_PATH + "$"]
        server.route(MENTIONS_PATH, Reply(200, MENTIONS[0]), term)
        assert fetch(url, tmp_path, server) == 143
    assert "stopped by SIGTERM" in capsys.readouterr().err
    assert last_run(url)[:2] == ("interrupted", "interrupted")
    assert cursors(url) == {}
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is put back
    eng = make_engine(url)
    with run_lock(eng):  # released
        pass
    eng.dispose()
    rerun_equals(url, tmp_path, fault_free)


def test_fault_a_missing_handle_then_back(tmp_path, url, fault_free):
    """6. A suspended handle is reported and the others go on (exit 3); once X finds it again,
    a re-run lands the same data as a fault-free run of both."""
    gone = Reply(200, {"errors": [{"value": "GoneHandle", "title": "Not Found Error",
                                   "detail": "Could not find user with username: [GoneHandle].",
                                   "type": "https://api.twitter.com/2/problems/resource-not-found"}]})
    with ReplayServer() as server:
        healthy(server)
        server.routes.insert(0, (re.compile(r"/2/users/by/username/GoneHandle$"), [gone]))
        assert fetch(url, tmp_path, server, handles=("GoneHandle", HANDLE)) == cli.EXIT_PARTIAL
    status, error, _ = last_run(url)
    assert status == "partial" and "@GoneHandle: no such X account" in error
    assert f"mentions:{HANDLE}" in cursors(url)
    rerun_equals(url, tmp_path, fault_free)


def test_fault_a_repeated_pagination_token(tmp_path, url, fault_free):
    """7. The API hands back the token it already gave: the query stops with a warning, keeps
    its place like a cut-short query, and the next run fetches the rest."""
    token = TWO[0]["meta"]["next_token"]
    again = {**TWO[1], "meta": {**TWO[1]["meta"], "next_token": token}}
    with ReplayServer() as server:
        healthy(server)
        server.routes = [r for r in server.routes if r[0].pattern != MENTIONS_PATH + "$"]
        server.route(MENTIONS_PATH, Reply(200, MENTIONS[0]), Reply(200, again),
                     Reply(200, MENTIONS[2]), Reply(200, EMPTY))
        assert fetch(url, tmp_path, server) == cli.EXIT_OK
        assert len(server.requests_to(MENTIONS_PATH)) == 2
    status, _, counts = last_run(url)
    assert status == "ok" and json.loads(counts)["repeated_tokens"] == 1
    assert cursors(url)[f"mentions:{HANDLE}"][0] is None  # did not pass the unfetched pages
    rerun_equals(url, tmp_path, fault_free)


def test_fault_a_page_of_errors_only(tmp_path, url, fault_free, capsys):
    """8. A 200 that holds only errors is counted and reported; that query's cursor stays."""
    errors_only = {"errors": [{"title": "Authorization Error", "type":
                               "https://api.twitter.com/2/problems/not-authorized-for-resource",
                               "detail": "Sorry, you are not authorized to see the user with "
                                         f"id: [{UID}]."}]}
    with ReplayServer() as server:
        healthy(server, mentions_first=[Reply(200, errors_only)])
        assert fetch(url, tmp_path, server) == cli.EXIT_PARTIAL
    assert "X answered with errors only (Sorry, you are not authorized" in capsys.readouterr().err
    status, error, counts = last_run(url)
    assert status == "partial" and f"mentions:{HANDLE}: errors only" in error
    assert json.loads(counts)["error_pages"] == 1
    assert f"mentions:{HANDLE}" not in cursors(url) and f"tweets:{HANDLE}" in cursors(url)
    rerun_equals(url, tmp_path, fault_free)


def test_fault_saved_pages_reimport_to_the_same_graph(tmp_path, url, fault_free):
    """10. `--save-pages` output imported as a file gives the live run's tweets and edges,
    the retweets from retweeted_by pages included."""
    saved = tmp_path / "pages.jsonl"
    with ReplayServer() as server:
        healthy(server)
        assert fetch(url, tmp_path, server, None, "--save-pages", str(saved)) == cli.EXIT_OK
    other = f"sqlite:///{tmp_path / 'reimported.db'}"
    assert cli.main(["file", str(saved), "--db", other]) == cli.EXIT_OK
    live, again = content(url), content(other)
    retweets = [e for e in live["interactions"] if e[0] == "retweet" and e[4] is None]
    assert len(retweets) == 3 * len(decoded("test_client_get_retweeters")["data"])
    assert [t[:-2] for t in again["tweets"]] == [t[:-2] for t in live["tweets"]]  # not source
    for table in ("interactions", "tweet_urls"):
        assert again[table] == live[table], table


SPECS = "x-openapi-xdk/"


def spec_check(spec_file: str):
    """A server-side check of each request against one of X's OpenAPI specs: a parameter or a
    field value the spec does not list gets X's real 400 "Invalid Request" answer."""
    spec = json.loads(realdata(SPECS + spec_file).read_text())
    routes = []
    for path, ops in spec["paths"].items():
        if "get" not in ops:
            continue
        params = {}
        for p in ops["get"].get("parameters", []):
            if "$ref" in p:
                p = spec["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]
            enum = (p.get("schema", {}).get("items") or {}).get("enum")
            params[p["name"]] = set(enum) if enum else None
        routes.append((re.compile(re.sub(r"\{\w+\}", r"[^/]+", path) + "$"), params))

    def check(path: str, query: dict[str, str]) -> Reply | None:
        known = next((params for rx, params in routes if rx.match(path)), None)
        if known is None:
            return None
        problems = []
        for name, value in query.items():
            if name not in known:
                problems.append({"parameters": {name: [value]},
                                 "message": f"The query parameter [{name}] is not one of "
                                            f"[{','.join(known)}]"})
            elif known[name]:
                bad = [v for v in value.split(",") if v not in known[name]]
                if bad:
                    problems.append({"parameters": {name: [value]},
                                     "message": f"The `{name}` query parameter value "
                                                f"[{bad[0]}] is not one of "
                                                f"[{','.join(sorted(known[name]))}]"})
        if not problems:
            return None
        return Reply(400, {"errors": problems, "title": "Invalid Request",
                           "detail": "One or more parameters to your request was invalid.",
                           "type": "https://api.twitter.com/2/problems/invalid-request"})

    return check


def test_every_request_follows_the_spec_we_were_built_for(tmp_path, url, fault_free):
    """Every parameter and field value sent is in X's spec v2.159 (the check answers a 400 to
    anything else, so a run that passes sent nothing unknown)."""
    with ReplayServer() as server:
        healthy(server)
        server.check = spec_check("latest-openapi.json")
        assert fetch(url, tmp_path, server) == cli.EXIT_OK
        assert len(server.seen) >= 8
    assert content(url) == fault_free


def test_fault_x_renames_its_fields(tmp_path, url, fault_free, capsys):
    """11. Against an API that follows the newest spec (v2.167: `post.fields`, not
    `tweet.fields`), the run stops at once with a clear message: exit 1, nothing stored but the
    handle's profile, no cursor; the other handles are not tried (they would fail alike)."""
    with ReplayServer() as server:
        healthy(server)
        server.check = spec_check("specs/openapi.json")
        assert fetch(url, tmp_path, server, handles=(HANDLE, "SecondHandle")) == cli.EXIT_FAILED
        assert not server.requests_to(r"/2/users/by/username/SecondHandle")
    err = capsys.readouterr().err
    assert "X no longer accepts what this version sends (parameter tweet.fields" in err
    assert "post.fields" in err
    status, error, _ = last_run(url)
    assert status == "failed" and "parameter tweet.fields" in error
    got = content(url)
    assert got["tweets"] == [] and got["interactions"] == [] and got["cursors"] == []
    rerun_equals(url, tmp_path, fault_free)


def test_fault_x_silently_drops_the_fields_asked_for(tmp_path, url, fault_free, capsys):
    """11. An API that ignores `tweet.fields` answers posts with only id and text: stored, they
    would be posts without authors or times. The run stops loudly before storing them."""
    bare = {"data": [{"id": t["id"], "text": t["text"]} for t in TWO[0]["data"]],
            "meta": TWO[0]["meta"]}
    with ReplayServer() as server:
        healthy(server, mentions_first=[Reply(200, bare)])
        assert fetch(url, tmp_path, server) == cli.EXIT_FAILED
    assert "returned posts without the fields asked for (author_id, created_at)" in \
        capsys.readouterr().err
    assert content(url)["tweets"] == []
    rerun_equals(url, tmp_path, fault_free)


def test_sigterm_stops_the_scheduler_mid_import(tmp_path):
    """5. `ingest schedule` importing a large file gets SIGTERM after its first batch commits:
    exit 143, the run `interrupted`, the open batch rolled back, the lock released; the next
    scheduled run imports the file again and the database equals a clean import."""
    from ingest.demo import DemoSpec, generate_demo

    demo = tmp_path / "inbox" / "demo.jsonl"
    demo.parent.mkdir()
    generate_demo(demo, DemoSpec(100_000, 3))
    cfg = tmp_path / "sched.toml"
    cfg.write_text(f"[ingest]\nfiles = [\"{demo}\"]\n")
    url = f"sqlite:///{tmp_path / 'sched.db'}"
    cmd = [sys.executable, "-m", "ingest", "schedule", "--every", "1h", "--config", str(cfg),
           "--db", url]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    eng = make_engine(url)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:  # the first 20,000-tweet batch has committed
                if scalar(eng, "SELECT count(*) FROM tweets") > 0:
                    break
            except Exception:  # noqa: BLE001 - the schema may not exist yet
                pass
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    with eng.connect() as conn:
        runs = conn.exec_driver_sql("SELECT status, error FROM ingest_runs").all()
    assert [tuple(r) for r in runs] == [("interrupted", "interrupted")]
    stored = scalar(eng, "SELECT count(*) FROM tweets")
    assert 0 < stored < 100_000 and stored % 20_000 == 0  # whole batches only
    with run_lock(eng):  # released
        pass
    # The next run (as the scheduler would start it) finishes the work.
    again = subprocess.run(cmd[:3] + ["run"] + cmd[6:], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    assert cli.main(["file", str(demo), "--db", clean_url]) == cli.EXIT_OK
    clean = make_engine(clean_url)
    got, want = data_dump(eng), data_dump(clean)
    assert [t[:-1] for t in got["tweets"]] == [t[:-1] for t in want["tweets"]]  # not the path
    assert got["interactions"] == want["interactions"]
    eng.dispose()
    clean.dispose()


def test_backlog_estimate_from_the_rate_of_the_pages_fetched():
    """With a cursor below the gap, pages left come from the rate of the pages fetched: 200
    posts over one hour, then a gap of two hours back to the cursor: about 4 pages."""
    from ingest.xjob import _backlog, _Fetched

    def at(ms: int) -> int:  # a snowflake id for a time
        return (ms - 1288834974657) << 22

    t0 = 1_790_000_000_000
    got = _Fetched(done=False, pages=2, posts=200, oldest=at(t0), newest=at(t0 + 3_600_000))
    gap = _backlog("search_recent_tweets", at(t0 - 7_200_000), at(t0), got)
    assert (gap.pages_left, gap.how) == (4, "about")
    assert "about 4 pages left (posts from 2026-09-21" in gap.describe()
    # The mentions timeline stops at 800 posts: never more than 6 pages after 200.
    assert _backlog("get_users_mentions", at(t0 - 86_400_000 * 30), at(t0), got).pages_left == 6
