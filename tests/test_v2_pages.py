"""X API v2 pages beyond the plain recorded ones: long posts (``note_tweet``), X's newer
``post`` field names (OpenAPI v2.167), and saved ``retweeted_by`` pages.

Every input is a real recorded page from ../shared/realdata changed only in the way the X spec
says such a page differs: a real tweet made into a long post, a real page under the new names, a
real ``retweeted_by`` body with the block the live job saves beside it. Where it matters the
page goes end to end: written as JSONL, imported with ``python -m ingest file``, and read back
from the tables.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from ingest import cli
from ingest.readers.v2 import parse_flat, parse_page, read_jsonl
from ingest.records import EdgeRow, Parsed, Problem
from store.db import make_engine
from tests.conftest import data_dump, realdata, scalar

TWARC = "twarc-csv/test-data/"
RETWEETERS = "tweepy-cassettes/decoded/test_client_get_retweeters.decoded.json"


def lines(name: str) -> list[dict]:
    return [json.loads(x) for x in realdata(TWARC + name).read_text().splitlines() if x.strip()]


def write_jsonl(path: Path, objs: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(o) + "\n" for o in objs))
    return path


def import_file(db_url: str, path: Path) -> int:
    return cli.main(["file", str(path), "--db", db_url])


def edges(eng, where: str = "1 = 1", **params) -> set[tuple]:
    with eng.connect() as conn:
        return {tuple(r) for r in conn.execute(text(
            "SELECT kind, src_user_id, dst_user_id, key_tweet_id, tweet_id, ref_tweet_id,"
            f" created_at FROM interactions WHERE {where}"), params)}


# --- X's newer names (OpenAPI v2.167: tweet -> post) ---------------------------------------

# Every renamed field of the Post, User and Expansions schemas that a recorded page holds,
# checked against specs/openapi.json in test_the_renames_are_the_specs.
POST_NAMES = {
    "referenced_tweets": "referenced_posts",
    "note_tweet": "note_post",
    "edit_history_tweet_ids": "edit_history_post_ids",
    "retweet_count": "repost_count",      # Post.public_metrics
    "tweet_count": "post_count",          # User.public_metrics
    "pinned_tweet_id": "pinned_post_id",  # User
    "most_recent_tweet_id": "most_recent_post_id",
}


def to_post_names(obj, parent: str | None = None):
    """A v2 page or flattened line as the v2.167 spec names it: every renamed key, at any
    depth (flattened lines nest whole tweets and users), and ``includes.tweets`` ->
    ``includes.posts``."""
    if isinstance(obj, list):
        return [to_post_names(x) for x in obj]
    if not isinstance(obj, dict):
        return obj
    out = {}
    for k, v in obj.items():
        new = "posts" if parent == "includes" and k == "tweets" else POST_NAMES.get(k, k)
        out[new] = to_post_names(v, k)
    return out


def test_the_renames_are_the_specs():
    """The renames this file applies are the ones between X's two spec versions."""
    new = json.loads(realdata("x-openapi-xdk/specs/openapi.json").read_text())
    old = json.loads(realdata("x-openapi-xdk/latest-openapi.json").read_text())
    ns, os_ = new["components"]["schemas"], old["components"]["schemas"]
    assert new["info"]["version"] == "2.167" and old["info"]["version"] == "2.159"
    post, tweet = ns["Post"]["properties"], os_["Tweet"]["properties"]
    for o, n in [("referenced_tweets", "referenced_posts"), ("note_tweet", "note_post"),
                 ("edit_history_tweet_ids", "edit_history_post_ids")]:
        assert o in tweet and o not in post and n in post
    assert "tweets" in os_["Expansions"]["properties"]
    assert "posts" in ns["Expansions"]["properties"]
    assert "tweets" not in ns["Expansions"]["properties"]
    assert "repost_count" in ns["PostPublicMetrics"]["properties"]
    assert "retweet_count" in tweet["public_metrics"]["properties"]
    assert "post_count" in ns["UserPublicMetrics"]["properties"]
    assert "tweet_count" in os_["User"]["properties"]["public_metrics"]["properties"]
    # referenced_posts items keep the same shape and type values.
    item = ns["PostReferencedPosts"]["items"]
    assert item["required"] == ["type", "id"]
    assert item["properties"]["type"]["oneOf"][0]["enum"] == ["retweeted", "quoted", "replied_to"]


@pytest.mark.parametrize("name", ["2sets.jsonl", "withheld.jsonl", "flat.jsonl", "noflat.jsonl",
                                  "quoted_edit.jsonl", "edited.jsonl", "users.jsonl",
                                  "streaming_output_with_error.jsonl", "entities_test.jsonl"])
def test_new_names_read_to_the_same_records(name):
    raw = realdata(TWARC + name).read_bytes()

    def rename(line: bytes) -> bytes:
        try:
            return json.dumps(to_post_names(json.loads(line))).encode()
        except ValueError:  # a line cut short stays as it was, and is the same reject
            return line

    renamed = b"\n".join(rename(x) for x in raw.splitlines())
    assert b'"referenced_posts"' in renamed or b'"post_count"' in renamed
    assert b'"referenced_tweets"' not in renamed and b'"tweet_count"' not in renamed
    before = list(read_jsonl(io.BytesIO(b"\n".join(raw.splitlines())), name))
    after = list(read_jsonl(io.BytesIO(renamed), name))
    assert any(isinstance(p, Parsed) and (p.tweets or p.users) for p in before)
    assert after == before


def test_a_page_in_the_new_names_loads_the_same_rows(db_url, second_db_url, tmp_path,
                                                     monkeypatch):
    """Pages (with includes.posts) and flattened lines, written in each naming and imported into
    two fresh databases under the same file name, fill every table identically."""
    objs = lines("2sets.jsonl") + lines("flat.jsonl")[:40] + lines("quoted_edit.jsonl")
    write_jsonl(tmp_path / "old" / "pages.jsonl", objs)
    write_jsonl(tmp_path / "new" / "pages.jsonl", [to_post_names(o) for o in objs])
    dumps = []
    for folder, url in (("old", db_url), ("new", second_db_url)):
        monkeypatch.chdir(tmp_path / folder)  # the same source_ref in both databases
        assert import_file(url, Path("pages.jsonl")) == 0
        eng = make_engine(url)
        dumps.append(data_dump(eng))
        eng.dispose()
    old, new = dumps
    kinds = {r[0] for r in old["interactions"]}
    assert kinds == {"reply", "mention", "retweet", "quote"}
    # The metrics that moved (retweet_count, tweet_count) arrived under their new names.
    eng = make_engine(second_db_url)
    assert scalar(eng, "SELECT count(*) FROM tweets WHERE retweet_count > 0") > 0
    assert scalar(eng, "SELECT count(*) FROM users WHERE tweet_count > 0") > 0
    eng.dispose()
    for table in old:
        assert new[table] == old[table], table


# --- long posts: note_tweet entities ---------------------------------------------------------

def long_post(naming: str) -> tuple[dict, dict]:
    """A real timeline page (withheld.jsonl, page 4) whose tweet 1255544744601665542 is made a
    long post as X sends one: ``text`` and ``entities`` stop where they did, and the note holds
    the whole text and its entities. Returns the page and what the note added."""
    page = lines("withheld.jsonl")[3]
    tweet = next(t for t in page["data"] if t["id"] == "1255544744601665542")
    ents = tweet["entities"]
    assert [m["username"] for m in ents["mentions"]] == ["leighsteinberg"]
    link = ents["urls"][0]
    assert link["unwound_url"] != link["expanded_url"]
    author = tweet["author_id"]
    # Someone in the page's users that this tweet does not mention, and a link from another
    # tweet of the page.
    other = next(u for u in page["includes"]["users"]
                 if u["id"] != author and u["username"].lower() != "leighsteinberg")
    donor = next(u for t in page["data"] if t["id"] != tweet["id"]
                 for u in (t.get("entities") or {}).get("urls") or ()
                 if u["expanded_url"] != link["expanded_url"])
    full = tweet["text"] + " " + "More on the league night below. " * 4
    at = len(full) + len("Thanks ")
    full += f"Thanks @{other['username']} for the rules: "
    start = len(full)
    full += donor["url"]
    tweet["note_tweet"] = {"text": full, "entities": {
        # The note's entities describe the whole text, so they repeat the first part's: here
        # with a username in other case, and the same t.co link without X's unwound_url.
        "mentions": [{"start": 3, "end": 18, "username": "LeighSteinberg"},
                     {"start": at, "end": at + 1 + len(other["username"]),
                      "username": other["username"]}],
        "urls": [{k: link[k] for k in ("start", "end", "url", "expanded_url", "display_url")},
                 {"start": start, "end": start + len(donor["url"]), "url": donor["url"],
                  "expanded_url": donor["expanded_url"], "display_url": donor["display_url"]}],
        "hashtags": ents["hashtags"],
    }}
    assert len(full) > 280 and len(tweet["text"]) <= 280
    if naming == "post":
        page = to_post_names(page)
    return page, {"tweet": int(tweet["id"]), "author": int(author), "other": int(other["id"]),
                  "other_name": other["username"], "text": full,
                  "unwound": link["unwound_url"], "expanded": link["expanded_url"],
                  "new_link": donor["expanded_url"]}


@pytest.mark.parametrize("naming", ["tweet", "post"])
def test_long_post_mentions_and_links_past_280_characters_are_kept(db_url, tmp_path, naming):
    page, want = long_post(naming)
    assert import_file(db_url, write_jsonl(tmp_path / "long.jsonl", [page])) == 0
    eng = make_engine(db_url)
    tid = want["tweet"]
    assert scalar(eng, "SELECT text FROM tweets WHERE id = :t", t=tid) == want["text"]
    # The mention only in the note's second half is an edge, resolved through includes.users
    # (the entity has no id); the one in both halves is one edge.
    got = edges(eng, "key_tweet_id = :t AND kind = 'mention'", t=tid)
    created = scalar(eng, "SELECT created_at FROM tweets WHERE id = :t", t=tid)
    assert {(e[1], e[2]) for e in got} == {(want["author"], 44671264),
                                           (want["author"], want["other"])}
    assert all(e[3:6] == (tid, tid, None) and e[6] == created for e in got)
    # The note's link is stored; the first part's link once, as X unwound it.
    with eng.connect() as conn:
        urls = {r[0] for r in conn.execute(
            text("SELECT url FROM tweet_urls WHERE tweet_id = :t"), {"t": tid})}
    assert urls == {want["unwound"], want["new_link"]}
    eng.dispose()


def test_long_post_entities_in_a_flattened_line():
    """twarc2's flattened lines go through the same entities: a note mention with an inline
    user (as flattening writes mentions) becomes an edge and a user."""
    line = next(t for t in lines("flat.jsonl")
                if not t.get("referenced_tweets") and t.get("author_id"))
    mentioned = {m["username"].lower() for m in line.get("entities", {}).get("mentions", ())}
    other = next(t["author"] for t in lines("flat.jsonl") if t["author_id"] != line["author_id"]
                 and t["author"]["username"].lower() not in mentioned)
    full = line["text"] + " " + "Read the whole thread. " * 12 + f"@{other['username']}"
    start = len(full) - len(other["username"]) - 1
    line["note_tweet"] = {"text": full, "entities": {"mentions": [
        {"start": start, "end": len(full), **other}]}}
    out = parse_flat(line)
    assert out.tweets[0].text == full
    assert EdgeRow("mention", int(line["author_id"]), int(other["id"]), int(line["id"]),
                   int(line["id"]), None, out.tweets[0].created_at) in out.edges
    assert int(other["id"]) in {u.id for u in out.users}
    assert parse_flat(to_post_names(line)) == out


def test_a_long_retweet_still_credits_the_retweeted_author_only():
    """A retweet's mentions, the note's too, belong to the retweeted post; with the retweeted
    post missing from the page, "RT @user" (the top-level first mention) still names whose it
    was, whatever order the note lists its mentions in."""
    page = lines("kpop.jsonl")[0]
    rt = next(t for t in page["data"]
              if any(r["type"] == "retweeted" for r in t.get("referenced_tweets") or ()))
    source = next(r["id"] for r in rt["referenced_tweets"] if r["type"] == "retweeted")
    page["includes"]["tweets"] = [t for t in page["includes"]["tweets"] if t["id"] != source]
    first = rt["entities"]["mentions"][0]
    other = next(u for u in page["includes"]["users"]
                 if u["username"].lower() != first["username"].lower())
    rt["note_tweet"] = {"text": rt["text"] + " " + "x" * 300 + f" @{other['username']}",
                        "entities": {"mentions": [
                            {"start": 0, "end": 1, "username": other["username"]}, first]}}
    out = parse_page(page)
    mine = [e for e in out.edges + out.named_edges if e.tweet_id == int(rt["id"])]
    assert [(e.kind, e.dst_user_id) for e in mine] == [("retweet", int(first["id"]))]


# --- saved retweeted_by pages --------------------------------------------------------------

RT_TWEET = "1415348607813832708"  # the tweet tweepy's cassette asked retweeted_by about
# Who wrote it is what the live job knew (the handle it was fetching for); the page carries it,
# and the reader only copies it. @TwitterDev, one of the cassettes' accounts.
RT_AUTHOR = "2244994945"


def retweeters_body() -> dict:
    body = json.loads(realdata(RETWEETERS).read_text())[0]
    assert body["uri"].startswith(f"https://api.twitter.com/2/tweets/{RT_TWEET}/retweeted_by")
    return body["body"]


def saved_retweeters(champions: object = "default", url: str | None = None) -> dict:
    """The retweeted_by page as the live job saves it with --save-pages."""
    page = dict(retweeters_body())
    page["__twarc"] = {"url": url or f"https://api.twitter.com/2/tweets/{RT_TWEET}/retweeted_by",
                       "retrieved_at": "2022-03-01T10:00:00+00:00"}
    if champions == "default":
        champions = {"retweeted_by": {"tweet_id": RT_TWEET, "author_id": RT_AUTHOR}}
    if champions is not None:
        page["__champions"] = champions
    return page


def test_saved_retweeted_by_page_reimports_as_retweet_edges(db_url, tmp_path):
    body = retweeters_body()
    assert import_file(db_url, write_jsonl(tmp_path / "rt.jsonl", [saved_retweeters()])) == 0
    eng = make_engine(db_url)
    tid, author = int(RT_TWEET), int(RT_AUTHOR)
    # What the live job builds for each retweeter: EdgeRow("retweet", retweeter, author,
    # tweet_id, None, tweet_id, None).
    want = {("retweet", int(u["id"]), author, tid, None, tid, None) for u in body["data"]}
    assert len(want) == len(body["data"]) == 38
    assert edges(eng) == want
    # The retweeters are full profiles; the author is a stub until its profile is seen.
    assert scalar(eng, "SELECT count(*) FROM users WHERE NOT is_stub") == 38
    assert scalar(eng, "SELECT is_stub FROM users WHERE id = :a", a=author)
    eng.dispose()


def test_twarc2_retweeted_by_page_gives_its_users_only(db_url, tmp_path):
    """``twarc2 retweeted-by`` saves the API URL (the tweet) but not the tweet's author; the
    loader cannot make an edge to an unknown author, so the page gives its users and no edge."""
    page = saved_retweeters(champions=None)
    out = parse_page(page)
    assert isinstance(out, Parsed) and len(out.users) == 38 and not out.edges
    assert import_file(db_url, write_jsonl(tmp_path / "twarc.jsonl", [page])) == 0
    eng = make_engine(db_url)
    assert scalar(eng, "SELECT count(*) FROM users") == 38
    assert scalar(eng, "SELECT count(*) FROM interactions") == 0
    assert scalar(eng, "SELECT count(*) FROM rejected_records") == 0
    eng.dispose()


@pytest.mark.parametrize("block,reason", [
    ({"retweeted_by": {"tweet_id": "not-a-tweet", "author_id": RT_AUTHOR}},
     "__champions.retweeted_by.tweet_id: not an id: 'not-a-tweet'"),
    ({"retweeted_by": {"tweet_id": RT_TWEET}}, "__champions.retweeted_by.author_id: missing"),
    ({"retweeted_by": {"tweet_id": RT_TWEET, "author_id": "2244994945 "}},
     "__champions.retweeted_by.author_id: not an id: '2244994945 '"),
    ({"retweeted_by": {"tweet_id": RT_TWEET, "author_id": True}},
     "__champions.retweeted_by.author_id: not an id: 'True'"),
    ({"retweeted_by": {"tweet_id": RT_TWEET, "author_id": 1.5}},
     "__champions.retweeted_by.author_id: not an id: '1.5'"),
    ({"retweeted_by": [RT_TWEET, RT_AUTHOR]},
     "__champions.retweeted_by: expected an object with tweet_id and author_id"),
    ({"retweeted_by": {"tweet_id": "1293593516040269825", "author_id": RT_AUTHOR}},
     f"__champions.retweeted_by.tweet_id 1293593516040269825 is not the tweet the page was"
     f" fetched for ({RT_TWEET} in __twarc.url)"),
])
def test_bad_retweeted_by_ids_are_a_problem_not_a_crash(block, reason):
    got = parse_page(saved_retweeters(block))
    assert got == Problem("", reason)
    line = json.dumps(saved_retweeters(block)).encode()
    [read] = list(read_jsonl(io.BytesIO(line + b"\n"), "rt.jsonl"))
    assert isinstance(read, Problem) and read.rejected
    assert (read.location, read.reason) == ("rt.jsonl:1", reason)


def test_bad_retweeted_by_page_is_a_stored_reject(db_url, tmp_path):
    good = saved_retweeters()
    bad = saved_retweeters({"retweeted_by": {"tweet_id": RT_TWEET, "author_id": "@TwitterDev"}})
    path = write_jsonl(tmp_path / "rt.jsonl", [bad, good])
    assert import_file(db_url, path) != 0  # a partial import says so
    eng = make_engine(db_url)
    with eng.connect() as conn:
        rejects = conn.execute(text("SELECT location, reason FROM rejected_records")).all()
    assert [tuple(r) for r in rejects] == [
        (f"{path}:1", "__champions.retweeted_by.author_id: not an id: '@TwitterDev'")]
    assert len(edges(eng)) == 38  # the good line still loads
    eng.dispose()


def test_other_users_pages_are_unchanged():
    """A followers page, or a retweeted_by page with no block (saved before the job wrote one),
    still gives users only; an unrelated __champions block is ignored."""
    body = retweeters_body()
    plain = parse_page(body)
    assert isinstance(plain, Parsed) and len(plain.users) == 38 and not plain.edges
    keyed = saved_retweeters(champions=None, url=f"retweeted_by:{RT_TWEET}")
    assert not parse_page(keyed).edges
    other = saved_retweeters(champions={"something_else": {}})
    assert not parse_page(other).edges
