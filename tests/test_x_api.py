"""The live X API path, replayed from real recorded responses (no network).

Bodies come from ../shared/realdata: twarc2 pages recorded with every field and expansion (each
served at the endpoint it was recorded from, or one of the same response shape), tweepy's
cassettes (user lookup, retweeted_by), and the Postman collection's recorded 429. Where a
recording continues past what was saved (a ``next_token`` with no saved next page) the test drops
that token, and says so.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import tweepy

from ingest import cli
from ingest.xapi import XApiError, XClient
from store.db import make_engine
from tests.conftest import data_dump, realdata, scalar
from tests.xreplay import ReplayServer, Reply, redirect

TOKEN = "AAAAtest-bearer-token-never-to-be-seen-0123456789"
TWARC = "twarc-csv/test-data/"


def pages(name: str) -> list[dict]:
    return [json.loads(line) for line in realdata(TWARC + name).read_text().splitlines()]


def last(page: dict) -> dict:
    """The recording stops here: drop the next_token of a page whose next page was not saved."""
    page = json.loads(json.dumps(page))
    page.get("meta", {}).pop("next_token", None)
    return page


def decoded(name: str) -> dict:
    path = realdata(f"tweepy-cassettes/decoded/{name}.decoded.json")
    return json.loads(path.read_text())[0]["body"]


def postman_429() -> tuple[str, dict[str, str]]:
    coll = json.loads(realdata(
        "postman-twitter-api/Twitter API v2.postman_collection.json").read_text())
    stack = list(coll["item"])
    while stack:
        item = stack.pop()
        stack += item.get("item", [])
        for r in item.get("response", []):
            if r.get("code") == 429 and r.get("body", "").startswith("Rate limit"):
                return r["body"], {h["key"]: h["value"] for h in r["header"]}
    raise AssertionError("no recorded 429 in the Postman collection")


class FakeTime:
    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.now += s


# The handle is the account whose timeline withheld.jsonl's 4th page recorded.
TIMELINE = pages("withheld.jsonl")[3]
UID = "2351222345"


def handle_user() -> dict:
    users = {u["id"]: u for p in pages("withheld.jsonl") for u in p["includes"].get("users", [])}
    return users[UID]


HANDLE = handle_user()["username"]


def make_server(server: ReplayServer, *, mentions_first=None, search_first=(),
                quote_reply=None) -> None:
    two = pages("2sets.jsonl")
    server.route(r"/2/users/by/username/\w+", Reply(200, {"data": handle_user()}))
    server.route(rf"/2/users/{UID}/mentions", *(mentions_first or []),
                 Reply(200, two[0]), Reply(200, last(two[1])))
    server.route(r"/2/tweets/search/recent", *search_first, Reply(200, last(pages("noflat.jsonl")[0])))
    server.route(rf"/2/users/{UID}/tweets", Reply(200, last(TIMELINE)))
    # The lookup that refreshes the fix tweets' counts: the same recorded tweets.
    server.route(r"/2/tweets", Reply(200, last(TIMELINE)))
    server.route(r"/2/tweets/\d+/retweeted_by", Reply(200, last(decoded("test_client_get_retweeters"))))
    server.route(r"/2/tweets/\d+/quote_tweets",
                 quote_reply or Reply(200, last(pages("quoted_edit.jsonl")[0])))


def config(tmp_path: Path) -> Path:
    cfg = tmp_path / "champions.toml"
    cfg.write_text(f'support_handles = ["{HANDLE}"]\nfix_domains = []\n'
                   "[ingest.x]\nfix_lookback_days = 100000\nmax_fix_tweets = 3\nmax_pages = 5\n")
    return cfg


def client_for(server: ReplayServer, t: FakeTime) -> XClient:
    tw = tweepy.Client(TOKEN, return_type=dict)
    redirect(tw, server)
    return XClient(client=tw, sleep=t.sleep, clock=t.clock)


def run_x(db_url, tmp_path, server, t, *extra) -> int:
    return cli.main(["x", "--db", db_url, "--config", str(config(tmp_path)), *extra],
                    x_client=client_for(server, t))


def test_live_fetch_builds_the_graph_and_advances_cursors(db_url, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    body, headers = postman_429()
    t = FakeTime()
    reset = int(t.now) + 42
    saved = tmp_path / "pages.jsonl"
    with ReplayServer() as server:
        make_server(server,
                    mentions_first=[Reply(429, body, {**headers, "x-rate-limit-reset": str(reset)})],
                    search_first=[Reply(503, {"title": "Service Unavailable"}),
                                  Reply(503, {"title": "Service Unavailable"})])
        assert run_x(db_url, tmp_path, server, t, "--save-pages", str(saved)) == 0

        # 429: waited for the reset (+1 s); 503 twice: backoff 2 s then 4 s.
        assert t.sleeps[0] == pytest.approx(43)
        assert t.sleeps[1:3] == [2.0, 4.0]
        # Every field and expansion the graph needs was asked for.
        first = server.requests_to(rf"/2/users/{UID}/mentions")[0]
        for f in ("author_id", "conversation_id", "entities", "in_reply_to_user_id",
                  "note_tweet", "public_metrics", "referenced_tweets"):
            assert f in first.query["tweet.fields"].split(",")
        for e in ("author_id", "referenced_tweets.id", "referenced_tweets.id.author_id",
                  "entities.mentions.username", "in_reply_to_user_id"):
            assert e in first.query["expansions"].split(",")
        assert "since_id" not in first.query
        assert first.headers["Authorization"] == f"Bearer {TOKEN}"
        # Pagination: the second page was asked for with the first page's next_token.
        mentions = server.requests_to(rf"/2/users/{UID}/mentions")
        assert len(mentions) == 3  # the 429, then two pages
        assert mentions[2].query["pagination_token"] == pages("2sets.jsonl")[0]["meta"]["next_token"]
        search = server.requests_to(r"/2/tweets/search/recent")
        assert search[-1].query["query"] == f"(to:{HANDLE} OR @{HANDLE})"
        # Fix tweets: the handle's 3 newest retweeted tweets had their retweeters fetched.
        rt_calls = server.requests_to(r"/2/tweets/\d+/retweeted_by")
        assert len(rt_calls) == 3

    engine = make_engine(db_url)
    # Everything the recorded pages hold is stored, with the partial errors counted.
    assert scalar(engine, "SELECT is_brand FROM users WHERE id = :u", u=int(UID))
    n_retweeters = len(decoded("test_client_get_retweeters")["data"])
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind = 'retweet'"
                  " AND dst_user_id = :u AND tweet_id IS NULL", u=int(UID)) == 3 * n_retweeters
    two = pages("2sets.jsonl")
    assert scalar(engine, "SELECT since_id FROM cursors WHERE query_key = :k",
                  k=f"mentions:{HANDLE}") == max(int(p["meta"]["newest_id"]) for p in two)
    assert scalar(engine, "SELECT since_id FROM cursors WHERE query_key = :k",
                  k=f"tweets:{HANDLE}") == int(TIMELINE["meta"]["newest_id"])
    ids = {t["id"] for p in two for t in p["data"]} | {t["id"] for t in TIMELINE["data"]}
    stored = {str(r) for r in [x[0] for x in data_dump(engine)["tweets"]]}
    assert ids <= stored

    # The token is nowhere: not in logs, not in the database, not in the saved pages.
    assert TOKEN not in caplog.text
    assert TOKEN not in json.dumps(data_dump(engine), default=str)
    assert TOKEN not in saved.read_text()
    assert len(saved.read_text().splitlines()) >= 5
    engine.dispose()


def test_second_run_asks_only_for_newer_tweets(db_url, tmp_path):
    t = FakeTime()
    with ReplayServer() as server:
        make_server(server)
        assert run_x(db_url, tmp_path, server, t) == 0
        before = len(server.seen)
        assert run_x(db_url, tmp_path, server, t) == 0
        again = server.seen[before:]
    mentions = [s for s in again if s.path.endswith("/mentions")]
    two = pages("2sets.jsonl")
    assert mentions[0].query["since_id"] == str(max(int(p["meta"]["newest_id"]) for p in two))
    assert [s for s in again if s.path.endswith(f"{UID}/tweets")][0].query["since_id"] == \
        TIMELINE["meta"]["newest_id"]


def test_usage_cap_stops_cleanly_without_moving_cursors(db_url, tmp_path, capsys):
    cap = {"title": "UsageCapExceeded", "detail": "Usage cap exceeded: Monthly product cap",
           "type": "https://api.twitter.com/2/problems/usage-capped", "period": "Monthly",
           "scope": "Product"}
    t = FakeTime()
    with ReplayServer() as server:
        make_server(server, search_first=[Reply(429, cap)])
        code = run_x(db_url, tmp_path, server, t)
    assert code == cli.EXIT_USAGE_CAP
    assert "monthly usage cap" in capsys.readouterr().err
    engine = make_engine(db_url)
    assert scalar(engine, "SELECT count(*) FROM cursors") == 0
    # What was fetched before the cap is kept.
    assert scalar(engine, "SELECT count(*) FROM tweets") > 0
    assert scalar(engine, "SELECT status FROM ingest_runs") == "partial"
    engine.dispose()


def test_a_run_that_dies_is_fetched_again_and_lands_the_same(db_url, tmp_path):
    t = FakeTime()
    with ReplayServer() as server:
        make_server(server, search_first=[Reply(500, {"title": "boom"})] * 5)
        assert run_x(db_url, tmp_path, server, t) == cli.EXIT_FAILED
    engine = make_engine(db_url)
    assert scalar(engine, "SELECT count(*) FROM cursors") == 0  # nothing advanced
    assert "no answer within 30 s (4 tries" in scalar(engine, "SELECT error FROM ingest_runs")
    with ReplayServer() as server:
        make_server(server)
        assert run_x(db_url, tmp_path, server, t) == 0
        assert "since_id" not in server.requests_to(rf"/2/users/{UID}/mentions")[0].query
    first = data_dump(engine)
    with ReplayServer() as server:  # a clean database fetching the same gets the same data
        make_server(server)
        clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
        assert run_x(clean_url, tmp_path, server, FakeTime()) == 0
    if db_url.startswith("sqlite"):
        clean = make_engine(clean_url)
        assert data_dump(clean)["tweets"] == first["tweets"]
        assert data_dump(clean)["interactions"] == first["interactions"]
        clean.dispose()
    engine.dispose()


def test_unauthorized_is_a_clear_failure(tmp_path):
    t = FakeTime()
    with ReplayServer() as server:
        server.route(r"/2/users/by/username/\w+",
                     Reply(401, {"title": "Unauthorized", "type": "about:blank", "status": 401,
                                 "detail": "Unauthorized"}))
        x = client_for(server, t)
        with pytest.raises(XApiError, match="HTTP 401 Unauthorized"):
            x.get_user_by_username("TwitterDev")


def test_network_errors_retry_then_give_up():
    t = FakeTime()
    tw = tweepy.Client(TOKEN, return_type=dict)
    tw.session.mount("https://api.twitter.com", _Refuse())
    x = XClient(client=tw, sleep=t.sleep, clock=t.clock, max_retries=3)
    with pytest.raises(XApiError, match="gave up after 3 tries: ConnectionError"):
        x.call("get_user", username="TwitterDev")
    assert t.sleeps == [2.0, 4.0]


class _Refuse(__import__("requests").adapters.HTTPAdapter):
    def send(self, request, **kw):
        raise __import__("requests").ConnectionError("refused")


def test_no_token_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["x", "--handle", "TwitterDev", "--db", f"sqlite:///{tmp_path / 'c.db'}"])
    assert code == cli.EXIT_USAGE
    assert "X_BEARER_TOKEN" in capsys.readouterr().err


def test_tweepy_logger_stays_above_debug():
    import ingest.xapi  # noqa: F401 - importing it sets the level

    assert logging.getLogger("tweepy").getEffectiveLevel() > logging.DEBUG


def test_search_cursor_older_than_the_window_restarts_without_it(db_url, tmp_path):
    """Recent search answers 400 to a since_id older than its 7 days (the error shape of the
    Postman collection's recorded 400s); the job fetches the window again instead of failing
    every run from then on."""
    too_old = {
        "errors": [{"parameters": {"since_id": ["1"]},
                    "message": "Invalid 'since_id':'1'. 'since_id' must be a tweet id created "
                               "after 2026-11-15T00:00Z."}],
        "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request"}
    t = FakeTime()
    with ReplayServer() as server:
        make_server(server)
        assert run_x(db_url, tmp_path, server, t) == 0
    with ReplayServer() as server:
        make_server(server, search_first=[Reply(400, too_old)])
        assert run_x(db_url, tmp_path, server, t) == 0
        search = server.requests_to(r"/2/tweets/search/recent")
    assert "since_id" in search[0].query and "since_id" not in search[1].query
