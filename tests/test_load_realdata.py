"""Every real file that holds tweets loads with no unexplained loss.

Per file, the database counts are checked against the MANIFEST (../shared/realdata/MANIFEST.md)
and against an independent count made here straight from the raw JSON or CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from ingest.files import import_files
from tests.conftest import realdata, scalar

TWARC = "twarc-csv/test-data/"


def load(engine, *paths: Path, fmt: str = "auto"):
    res = import_files(engine, None, list(paths), fmt, log=lambda m: None)
    assert not res.failed, res.failed
    return res.counts


def kinds_of(engine, ids: set[int]) -> dict[str, int]:
    """Tweet kinds among ``ids``: replies and quotes counted by reference, as the MANIFEST does
    (a reply that quotes counts in both)."""
    rows = []
    id_list = sorted(ids)
    for i in range(0, len(id_list), 500):
        chunk = ",".join(str(x) for x in id_list[i:i + 500])
        with engine.connect() as conn:
            rows += conn.execute(text(
                "SELECT kind, in_reply_to_tweet_id IS NOT NULL, quoted_id IS NOT NULL"
                f" FROM tweets WHERE id IN ({chunk})")).all()
    return {
        "tweets": len(rows),
        "original": sum(1 for k, _, _ in rows if k == "original"),
        "retweets": sum(1 for k, _, _ in rows if k == "retweet"),
        "replies": sum(1 for k, r, _ in rows if r and k != "retweet"),
        "quotes": sum(1 for k, _, q in rows if q and k != "retweet"),
    }


# --- X API v2 / twarc2 -----------------------------------------------------------------------

def independent_v2(path: Path) -> dict:
    """Count tweets, users and edges from raw twarc2 pages or flattened lines, without the
    project's readers."""
    tweets: dict[str, dict] = {}
    data_ids: set[int] = set()
    users: dict[str, dict] = {}
    for line in path.read_text().splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "data" in obj or "includes" in obj:
            data = obj.get("data") or []
            data = [data] if isinstance(data, dict) else data
            for t in data:
                if "text" in t:
                    tweets.setdefault(t["id"], t)
                    data_ids.add(int(t["id"]))
                elif "username" in t:
                    users[t["id"]] = t
            for t in obj.get("includes", {}).get("tweets", []):
                tweets.setdefault(t["id"], t)
            for u in obj.get("includes", {}).get("users", []):
                users[u["id"]] = u
        elif "author_id" in obj:  # flattened
            stack = [obj]
            data_ids.add(int(obj["id"]))
            while stack:
                t = stack.pop()
                tweets.setdefault(t["id"], t)
                for k in ("author", "in_reply_to_user"):
                    if isinstance(t.get(k), dict) and "username" in t[k]:
                        users[t[k]["id"]] = t[k]
                for m in t.get("entities", {}).get("mentions", []):
                    if "id" in m and "name" in m:
                        users[m["id"]] = m
                stack += [r for r in t.get("referenced_tweets", []) if "text" in r]
    by_name = {u["username"].lower(): u["id"] for u in users.values()}
    author = {tid: t["author_id"] for tid, t in tweets.items()}
    edges = {"reply": set(), "mention": set(), "retweet": set(), "quote": set()}
    referenced_users = set(author.values())
    for tid, t in tweets.items():
        refs = {r["type"]: r["id"] for r in t.get("referenced_tweets", [])}
        mentions = t.get("entities", {}).get("mentions", [])
        if "replied_to" in refs:
            dst = t.get("in_reply_to_user_id") or author.get(refs["replied_to"])
            if dst:
                edges["reply"].add(tid)
                referenced_users.add(dst)
        if "retweeted" in refs:
            dst = author.get(refs["retweeted"])
            if dst is None and mentions:
                dst = mentions[0].get("id") or by_name.get(mentions[0]["username"].lower())
            if dst:
                edges["retweet"].add((t["author_id"], refs["retweeted"]))
        elif mentions:
            for m in mentions:
                uid = m.get("id") or by_name.get(m["username"].lower())
                if uid:
                    edges["mention"].add((tid, uid))
                    referenced_users.add(uid)
        if "quoted" in refs and "retweeted" not in refs and author.get(refs["quoted"]):
            edges["quote"].add(tid)
    return {
        "tweets": len(tweets),
        "data_ids": data_ids,
        "users": len(set(users) | {str(u) for u in referenced_users}),
        "edges": {k: len(v) for k, v in edges.items()},
    }


# (file, MANIFEST counts for the tweets in `data`: tweets, original, retweets, replies, quotes)
V2_FILES = [
    ("2sets.jsonl", (200, 34, 145, 10, 11)),
    ("brexit.jsonl", (100, 12, 67, 10, 11)),
    ("cashtags.jsonl", (1, 1, 0, 0, 0)),
    ("cotweet.jsonl", (1, 1, 0, 0, 0)),
    ("edited.jsonl", (1, 1, 0, 0, 0)),
    ("edited_after.jsonl", (1, 1, 0, 0, 0)),
    ("edited_before.jsonl", (1, 1, 0, 0, 0)),
    ("entities_test.jsonl", (474, 66, 314, 84, 12)),
    ("flat.jsonl", (100, 14, 47, 31, 8)),
    ("geo_tweets.jsonl", (2, 1, 0, 1, 0)),
    ("kpop.jsonl", (100, 22, 78, 0, 0)),
    ("many_urls.jsonl", (1, 0, 0, 1, 0)),
    ("media_policy_violation_off.jsonl", (100, 38, 42, 6, 14)),
    ("media_policy_violation_on.jsonl", (100, 38, 42, 6, 14)),
    ("media_tweet.jsonl", (1, 1, 0, 0, 0)),
    ("mentions_tweet.jsonl", (1, 0, 1, 0, 0)),
    ("noflat.jsonl", (100, 14, 47, 31, 8)),
    ("quoted_edit.jsonl", (1, 0, 0, 1, 1)),
    ("streaming_output_with_error.jsonl", (7, 3, 0, 3, 1)),
    ("two_tweets.jsonl", (1, 0, 1, 0, 0)),
    ("verified_type.jsonl", (1, 1, 0, 0, 0)),
    ("withheld.jsonl", (215, 62, 83, 62, 8)),
]


@pytest.mark.parametrize("name,manifest", V2_FILES, ids=[f for f, _ in V2_FILES])
def test_twarc2_file_counts(engine, name, manifest):
    path = realdata(TWARC + name)
    counts = load(engine, path)
    want = independent_v2(path)
    # The tweets in `data` match the MANIFEST, kind by kind.
    got = kinds_of(engine, want["data_ids"])
    assert (got["tweets"], got["original"], got["retweets"], got["replies"],
            got["quotes"]) == manifest
    # Every tweet the file holds (data and referenced tweets in includes) is stored once.
    assert scalar(engine, "SELECT count(*) FROM tweets") == want["tweets"]
    assert counts.tweets_new == want["tweets"]
    assert scalar(engine, "SELECT count(*) FROM users") == want["users"]
    for kind, n in want["edges"].items():
        assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind = :k", k=kind) == n, kind


def test_streaming_file_rejects_its_truncated_last_line(engine):
    path = realdata(TWARC + "streaming_output_with_error.jsonl")
    counts = load(engine, path)
    assert counts.rejected == 1
    with engine.connect() as conn:
        loc, reason = conn.execute(text("SELECT location, reason FROM rejected_records")).one()
    assert loc == f"{path}:8"
    assert "invalid JSON" in reason
    # The seven good pages before it all loaded.
    assert kinds_of(engine, independent_v2(path)["data_ids"])["tweets"] == 7


@pytest.mark.parametrize("name,skipped", [
    ("counts.jsonl", 1), ("lists.jsonl", 2), ("empty.json", 0)])
def test_non_tweet_files_are_skipped_with_a_reason(engine, name, skipped):
    counts = load(engine, realdata(TWARC + name))
    assert (counts.skipped, counts.rejected, counts.tweets) == (skipped, 0, 0)


@pytest.mark.parametrize("name", ["tweets_compliance.jsonl", "users_compliance.jsonl"])
def test_compliance_files_are_applied(engine, name):
    """X's compliance events are not tweets: they are applied (store.erase), and their ids
    stay suppressed although nothing with them was stored yet."""
    counts = load(engine, realdata(TWARC + name))
    assert (counts.compliance, counts.skipped, counts.rejected, counts.tweets) == (2, 0, 0, 0)
    assert scalar(engine, "SELECT count(*) FROM suppressions") >= 2


def test_users_page_loads_every_user(engine):
    path = realdata(TWARC + "users.jsonl")
    counts = load(engine, path)
    page = json.loads(path.read_text().splitlines()[0])
    ids = {u["id"] for u in page["data"]}
    assert len(page["data"]) == 96  # the MANIFEST's 96 user objects, some listed twice
    assert scalar(engine, "SELECT count(*) FROM users") == len(ids)
    assert scalar(engine, "SELECT count(*) FROM users WHERE is_stub") == 0
    assert counts.api_errors == 8


# --- API v1.1 ---------------------------------------------------------------------------------

def independent_v1(objs: list[dict]) -> dict:
    tweets, users, mentions = {}, set(), set()
    stack = list(objs)
    while stack:
        t = stack.pop()
        tweets.setdefault(t["id_str"], t)
        users.add(t["user"]["id_str"])
        if t.get("in_reply_to_user_id_str"):
            users.add(t["in_reply_to_user_id_str"])
        ents = (t.get("extended_tweet") or {}).get("entities") or t["entities"]
        for m in ents.get("user_mentions", []):
            users.add(m["id_str"])
            if "retweeted_status" not in t:
                mentions.add((t["id_str"], m["id_str"]))
        stack += [t[k] for k in ("retweeted_status", "quoted_status") if k in t]
    return {"tweets": len(tweets), "users": len(users), "mentions": len(mentions)}


@pytest.mark.parametrize("rel,manifest", [
    # MANIFEST: top-level tweets, retweets, quotes, replies
    ("twitter-to-sqlite/tests/tweets.json", (3, 1, 1, 1)),
    ("tweet_parser/test/tweet_payload_examples/original_format_examples.json", (25, 3, 8, 4)),
])
def test_v1_file_counts(engine, rel, manifest):
    path = realdata(rel)
    load(engine, path)
    raw = path.read_text()
    objs = json.loads(raw) if raw.lstrip().startswith("[") else [
        json.loads(line) for line in raw.splitlines() if line.strip()]
    top = {int(o["id_str"]) for o in objs}
    got = kinds_of(engine, top)
    assert (got["tweets"], got["retweets"], got["quotes"], got["replies"]) == manifest
    want = independent_v1(objs)
    assert scalar(engine, "SELECT count(*) FROM tweets") == want["tweets"]
    assert scalar(engine, "SELECT count(*) FROM users") == want["users"]
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind='mention'") == \
        want["mentions"]
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind='retweet'") == \
        sum(1 for o in objs if "retweeted_status" in o)


def test_v1_extended_tweet_text_is_the_full_text(engine):
    path = realdata("tweet_parser/test/tweet_payload_examples/original_format_examples.json")
    load(engine, path)
    objs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    extended = [o for o in objs if "extended_tweet" in o]
    assert extended, "the fixture has extended tweets"
    for o in extended:
        stored = scalar(engine, "SELECT text FROM tweets WHERE id = :i", i=int(o["id_str"]))
        assert stored == o["extended_tweet"]["full_text"]


# --- X archive --------------------------------------------------------------------------------

def test_archive_folder_counts(engine):
    folder = realdata("x-archive-andreruffert/data")
    load(engine, folder)
    raw = (folder / "tweets.js").read_text()
    entries = [e["tweet"] for e in json.loads(raw[raw.index("["):])]
    assert len(entries) == 1986
    assert scalar(engine, "SELECT count(*) FROM tweets") == 1986
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE kind='retweet'") == 643
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE in_reply_to_tweet_id IS NOT NULL"
                  " AND kind != 'retweet'") == 485
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE kind IN ('original','quote')") == 858
    # Every tweet is the owner's, named by manifest.js.
    assert scalar(engine, "SELECT count(DISTINCT author_id) FROM tweets") == 1
    assert scalar(engine, "SELECT username FROM users WHERE id = 112769581") == "andreruffert"
    # Mentions: 1753 entities to 515 distinct accounts (MANIFEST); edges skip retweets' copies.
    ment_ids = {m["id_str"] for t in entries for m in t["entities"]["user_mentions"]}
    assert len(ment_ids) == 515
    # Accounts that no longer exist have id -1 and resolve by screen name, when known.
    known = {m["screen_name"].lower(): m["id_str"] for t in entries
             for m in t["entities"]["user_mentions"] if m["id_str"] != "-1"}

    def target(m):
        return m["id_str"] if m["id_str"] != "-1" else known.get(m["screen_name"].lower())

    own = {(t["id_str"], target(m)) for t in entries if not t["full_text"].startswith("RT @")
           for m in t["entities"]["user_mentions"] if target(m)}
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind='mention'") == len(own)
    # Retweets are inferred from "RT @user:" and point at that user.
    rt_targets = [target(next(m for m in t["entities"]["user_mentions"]
                              if m["screen_name"].lower() == t["full_text"][4:].split(":")[0]
                              .lower())) for t in entries if t["full_text"].startswith("RT @")]
    assert len(rt_targets) == 643
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind='retweet'") == \
        sum(1 for x in rt_targets if x)
    # Quotes are inferred from a status URL (not the tweet it replies to).
    status = re.compile(r"https?://(www\.)?(twitter|x)\.com/\w+/status/(\d+)")
    quoted = [t for t in entries if not t["full_text"].startswith("RT @") and any(
        (m := status.match(u.get("expanded_url", ""))) and m.group(3) !=
        t.get("in_reply_to_status_id_str") for u in t["entities"].get("urls", []))]
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE quoted_id IS NOT NULL") == len(quoted)
    users = ment_ids - {"-1"} | {t["in_reply_to_user_id_str"] for t in entries
                                 if t.get("in_reply_to_user_id_str")} | {"112769581"}
    assert scalar(engine, "SELECT count(*) FROM users") == len(users)


# --- Kaggle TWCS ------------------------------------------------------------------------------

def independent_twcs(path: Path) -> dict:
    with path.open(newline="", encoding="utf-8") as fh:
        text = fh.read()
    # The file has a bare \r inside one unquoted field; split records on \n only.
    rows = list(csv.DictReader(
        io.StringIO(text.replace("\r\n", "\n").replace("\r", "\x0b"), newline="\n")))
    rows = [r for r in rows if r.get("tweet_id")]
    ids = {int(float(r["tweet_id"])) for r in rows}
    author_of = {int(float(r["tweet_id"])): r["author_id"] for r in rows}
    replies = [r for r in rows if r["in_response_to_tweet_id"]]
    with_parent = [r for r in replies if int(float(r["in_response_to_tweet_id"])) in ids]
    brands = {r["author_id"] for r in rows if r["inbound"] == "False"}
    c2c = sum(1 for r in with_parent
              if r["author_id"] not in brands
              and author_of[int(float(r["in_response_to_tweet_id"]))] not in brands
              and author_of[int(float(r["in_response_to_tweet_id"]))] != r["author_id"])
    mention_re = re.compile(r"(?<![\w@])@(\w{1,15})(?!\w)")
    mentions = {(r["tweet_id"], m.lower()) for r in rows
                for m in mention_re.findall(r["text"].replace("\x0b", "\r"))}
    handles = {r["author_id"].lower() for r in rows} | {m for _, m in mentions}
    return {"tweets": len(rows), "authors": len({r["author_id"] for r in rows}),
            "brands": len(brands), "replies": len(replies), "with_parent": len(with_parent),
            "c2c": c2c, "mentions": len(mentions), "users": len(handles),
            "inbound": sum(1 for r in rows if r["inbound"] == "True")}


@pytest.mark.parametrize("rel,manifest", [
    # MANIFEST: tweets, authors, brands, inbound, replies, replies with parent, customer->customer
    ("twcs-head-monalisapatra26/twcs.csv", (5000, 1519, 76, 2778, 3694, 3688, 229)),
    ("twcs-kaggle-sample/sample.csv", (93, 42, 13, 49, 68, 66, 2)),
])
def test_twcs_counts_and_threads(engine, rel, manifest):
    path = realdata(rel)
    counts = load(engine, path)
    want = independent_twcs(path)
    assert (want["tweets"], want["authors"], want["brands"], want["inbound"], want["replies"],
            want["with_parent"], want["c2c"]) == manifest
    tweets, authors, brands, inbound, replies, with_parent, c2c = manifest
    assert scalar(engine, "SELECT count(*) FROM tweets") == tweets
    assert scalar(engine, "SELECT count(DISTINCT author_id) FROM tweets") == authors
    assert scalar(engine, "SELECT count(*) FROM users WHERE is_brand") == brands
    assert scalar(engine, "SELECT count(*) FROM tweets t JOIN users u ON u.id = t.author_id"
                  " WHERE NOT u.is_brand") == inbound
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE in_reply_to_tweet_id IS NOT NULL") \
        == replies
    # Threads rebuilt: each reply whose parent is in the file got its parent's author and edge.
    assert scalar(engine, "SELECT count(*) FROM tweets c JOIN tweets p"
                  " ON p.id = c.in_reply_to_tweet_id") == with_parent
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE in_reply_to_user_id IS NOT NULL") \
        == with_parent
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind='reply'") == with_parent
    assert counts.replies_linked == with_parent
    assert scalar(engine,
                  "SELECT count(*) FROM interactions i JOIN users s ON s.id = i.src_user_id"
                  " JOIN users d ON d.id = i.dst_user_id WHERE i.kind = 'reply'"
                  " AND NOT s.is_brand AND NOT d.is_brand AND s.id != d.id") == c2c
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind='mention'") == \
        want["mentions"]
    assert scalar(engine, "SELECT count(*) FROM users") == want["users"]


def test_twcs_bare_carriage_return_row_survives(engine):
    path = realdata("twcs-head-monalisapatra26/twcs.csv")
    counts = load(engine, path)
    assert counts.rejected == 0
    text = scalar(engine, "SELECT text FROM tweets WHERE id = -3399")
    assert text is not None and "\r" in text


def test_twcs_reply_arriving_before_its_parent_links_later(engine, tmp_path):
    """Threads are rebuilt across files: the link step runs over everything stored."""
    src = realdata("twcs-kaggle-sample/sample.csv")
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(header + "".join(rows[::2]), encoding="utf-8")
    second.write_text(header + "".join(rows[1::2]), encoding="utf-8")
    load(engine, first)
    load(engine, second)
    assert scalar(engine, "SELECT count(*) FROM interactions WHERE kind='reply'") == 66
