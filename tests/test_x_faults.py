"""Faults on the live X path, against servers on 127.0.0.1: a token with a trailing newline, a
server that never answers, a body cut mid-way, a 200 that is not JSON (issue 11, items 1-3)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import tweepy

from ingest import cli
from ingest.xapi import XApiError, XClient, scrub
from settings import SettingsError, bearer_token
from tests.conftest import scalar
from tests.test_x_api import HANDLE, FakeTime, client_for, make_server
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
    page = {"data": [{"id": "1", "text": "hi", "author_id": "2"}],
            "meta": {"result_count": 1, "next_token": "7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i"}}
    with ReplayServer() as server:
        server.route(r"/2/users/\d+/mentions", Reply(200, page))
        client = tweepy.Client("test-token", return_type=dict)
        redirect(client, server)
        x = XClient(client=client, sleep=lambda s: None)
        got = list(x.pages("get_users_mentions", id=2244994945, max_pages=20))
        assert len(got) == 2 and x.repeated_tokens == 1
        assert len(server.requests_to(r"/2/users/\d+/mentions")) == 2
