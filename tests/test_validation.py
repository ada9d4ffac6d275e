"""Every record is validated in the normal form (``ingest.records.validate``): out-of-range ids
and counts, wrong types, impossible times and oversized fields are per-record rejects naming
``file:line``, on SQLite and PostgreSQL alike, and the rest of the file loads (issue 8, item 2)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from ingest.files import import_files
from ingest.records import (COUNT_MAX, ID_MAX, MAX_TEXT, ComplianceEvent, EdgeRow, NamedEdge,
                            Parsed, Problem, TweetRow, UrlRow, UserRow, validate)
from tests.conftest import realdata, scalar

T = "2021-04-08 19:34:16"


def tweet(**kw) -> TweetRow:
    base = dict(id=1, author_id=2, created_at=T, text="hi", lang="en", conversation_id=None,
                kind="original", in_reply_to_tweet_id=None, in_reply_to_user_id=None,
                retweeted_id=None, quoted_id=None)
    return TweetRow(**{**base, **kw})


def reason(rec: Parsed, **kw) -> str | None:
    got = validate(rec, "f.jsonl:3", **kw)
    return got.reason if isinstance(got, Problem) else None


@pytest.mark.parametrize("row,why", [
    (tweet(id=2**63), "tweets.id: 9223372036854775808 is not an id (1 to 9223372036854775807"),
    (tweet(id=0), "tweets.id: 0 is not an id"),
    (tweet(author_id="2"), "tweets.author_id: expected an id, got str '2'"),
    (tweet(author_id=None), "tweets.author_id: missing"),
    (tweet(quoted_id=True), "tweets.quoted_id: expected an id, got bool True"),
    (tweet(like_count=10**20), "tweets.like_count: 100000000000000000000 is not a count"),
    (tweet(like_count=1e20), "tweets.like_count: 1e+20 is not a count (0 to 2147483647)"),
    (tweet(retweet_count=-1), "tweets.retweet_count: -1 is not a count"),
    (tweet(created_at="not-a-date t-all-Z"), "tweets.created_at: not a time: 'not-a-date t"),
    (tweet(created_at="2021-02-31 10:00:00"), "tweets.created_at: not a time"),
    (tweet(text={"a": 1}), "tweets.text: expected text, got dict {'a': 1}"),
    (tweet(text="x" * (MAX_TEXT + 1)), "tweets.text: 50,001 characters, more than the 50,000"),
    (tweet(text="a\x00b"), "tweets.text: contains a NUL character"),
    (tweet(text="\ud800"), "tweets.text: not valid Unicode (a lone surrogate)"),
    (tweet(lang="x" * 17), "tweets.lang: 17 characters, more than the 16 allowed"),
    (tweet(kind="tweet"), "tweets.kind: 'tweet' is not one of original, reply, retweet, quote"),
])
def test_tweet_rows(row, why):
    assert reason(Parsed(tweets=[row])).startswith(why)


def test_other_rows():
    assert reason(Parsed(users=[UserRow(5, "u" * 65)])).startswith(
        "users.username: 65 characters, more than the 64")
    assert reason(Parsed(users=[UserRow(5, "u", "n" * 257)])).startswith("users.name: 257")
    assert reason(Parsed(users=[UserRow(5, "u", description="d" * 1025)])).startswith(
        "users.description: 1,025 characters")
    assert reason(Parsed(users=[UserRow(5, "u", followers_count=COUNT_MAX + 1)])).startswith(
        "users.followers_count: 2147483648 is not a count")
    assert reason(Parsed(users=[UserRow(5, "u", verified="yes")])) == \
        "users.verified: expected true or false, got 'yes'"
    assert reason(Parsed(users=[UserRow(5, "u", seen_at="2021-04-08T19:34:16")])) == \
        "users.seen_at: not a time: '2021-04-08T19:34:16'"
    assert reason(Parsed(edges=[EdgeRow("like", 1, 2, 3, 3, None, T)])).startswith(
        "interactions.kind: 'like' is not one of reply, mention, retweet, quote")
    assert reason(Parsed(edges=[EdgeRow("reply", 1, 2**64, 3, 3, None, T)])).startswith(
        "interactions.dst_user_id: 18446744073709551616 is not an id")
    assert reason(Parsed(named_edges=[NamedEdge("mention", 1, ["x"], 3, 3, None, T)])) == \
        "interactions.dst_username: expected text, got list ['x']"
    assert reason(Parsed(urls=[UrlRow(1, "https://x/", "h" * 256)])).startswith(
        "tweet_urls.domain: 256 characters")
    assert reason(Parsed(compliance=[ComplianceEvent(5, "delete", "why\x00")])) == \
        "compliance.reason: contains a NUL character"


def test_a_valid_record_passes_unchanged_and_twcs_ids_may_be_negative():
    rec = Parsed(users=[UserRow(ID_MAX, "u", followers_count=COUNT_MAX)],
                 tweets=[tweet(id=ID_MAX, author_id=ID_MAX, like_count=0)],
                 edges=[EdgeRow("mention", ID_MAX, 2, ID_MAX, ID_MAX, None, T)],
                 urls=[UrlRow(ID_MAX, "https://example.com/a", "example.com")])
    assert validate(rec) is rec
    twcs = Parsed(tweets=[tweet(id=-5, author_id=-(2**63))])
    assert validate(twcs, positive_ids=False) is twcs
    assert isinstance(validate(twcs), Problem)  # X ids are positive


def test_the_reject_names_the_record_and_shows_the_row():
    got = validate(Parsed(tweets=[tweet(like_count=10**20)], where="a.jsonl:7"), "a.jsonl")
    assert isinstance(got, Problem) and got.rejected
    assert got.location == "a.jsonl:7"
    assert "like_count=100000000000000000000" in got.excerpt


# --- end to end, on SQLite and PostgreSQL ---------------------------------------------------

def _flat(**over) -> dict:
    """A real flattened twarc2 tweet, with fields replaced (dotted keys reach inside)."""
    t = json.loads(realdata("twarc-csv/test-data/flat.jsonl").read_bytes().splitlines()[0])
    for key, value in over.items():
        obj = t
        *path, last = key.split(".")
        for k in path:
            obj = obj[k]
        obj[last] = value
    return t


POISON_LINES = {  # line number -> (replacements, the reason's start)
    2: ({"id": str(2**63)}, "tweets.id: 9223372036854775808 is not an id"),
    3: ({"id": str(2**64 + 5)}, "tweets.id: 18446744073709551621 is not an id"),
    4: ({"public_metrics.like_count": 1e20}, "tweets.like_count: 1e+20 is not a count"),
    5: ({"public_metrics.retweet_count": 2**31}, "tweets.retweet_count: 2147483648 is not a"),
    6: ({"text": {"a": "dict"}}, "tweets.text: expected text, got dict"),
    7: ({"created_at": "not-a-date-at-all-Z"}, "tweets.created_at: not a time"),
    8: ({"author.name": "N" * 300}, "users.name: 300 characters"),
    9: ({"author.description": "B" * 5000}, "users.description: 5,000 characters"),
    10: ({"text": "nul \u0000 inside"}, "tweets.text: contains a NUL character"),
    11: ({"lang": "en-GB-oxendict-x-long"}, "tweets.lang: 21 characters"),
    12: ({"author.username": "u" * 80}, "users.username: 80 characters"),
    13: ({"text": "t" * 60_000}, "tweets.text: 60,000 characters"),
    14: ({"author_id": "-7"}, "tweets.author_id: -7 is not an id"),
}


def test_poison_records_are_rejected_and_the_rest_loads(engine, tmp_path):
    good = _flat()
    lines = [good] + [_flat(**over) for over, _ in POISON_LINES.values()] + [good]
    path = tmp_path / "poison.jsonl"
    path.write_bytes(b"\n".join(json.dumps(t).encode() for t in lines) + b"\n")
    res = import_files(engine, None, [path], "twarc2", log=lambda m: None)
    assert res.counts.rejected == len(POISON_LINES) and res.files == 1 and not res.failed
    with engine.connect() as conn:
        got = dict(conn.execute(text("SELECT location, reason FROM rejected_records")).all())
    assert set(got) == {f"{path}:{n}" for n in POISON_LINES}
    for n, (_, why) in POISON_LINES.items():
        assert got[f"{path}:{n}"].startswith(why), (n, got[f"{path}:{n}"])
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE id = :i", i=int(good["id"])) == 1
    assert scalar(engine, "SELECT max(like_count) FROM tweets") <= COUNT_MAX


def test_out_of_range_ids_in_every_format(engine, tmp_path):
    v1 = json.loads(realdata("twitter-to-sqlite/tests/tweets.json").read_bytes())
    v1_path = tmp_path / "v1.json"
    bad_v1 = {**v1[0], "id_str": str(2**64), "id": 2**64}
    v1_path.write_bytes(b"\n".join(json.dumps(t).encode() for t in [bad_v1, *v1[1:]]) + b"\n")
    sample = realdata("twcs-kaggle-sample/sample.csv").read_text(encoding="utf-8").splitlines()
    csv_path = tmp_path / "twcs.csv"
    csv_path.write_text("\n".join(sample[:3] + [
        "1e400,someone,True,Tue Oct 31 22:10:47 +0000 2017,hello,,",
        "99999999999999999999,someone,True,Tue Oct 31 22:10:47 +0000 2017,hello,,",
        "12345,someone,True,not-a-date-at-all-Z,hello,,",
    ] + sample[3:]) + "\n", encoding="utf-8")
    res = import_files(engine, None, [v1_path, csv_path], log=lambda m: None)
    with engine.connect() as conn:
        got = dict(conn.execute(text("SELECT location, reason FROM rejected_records")).all())
    assert got[f"{v1_path}:1"].startswith("tweets.id: 18446744073709551616 is not an id")
    assert got[f"{csv_path}:4"] == "bad value: not a tweet id: '1e400'"
    assert got[f"{csv_path}:5"] == "bad value: not a tweet id: '99999999999999999999'"
    assert got[f"{csv_path}:6"].startswith("bad value: time data 'not-a-date-at-all-Z'")
    assert len(got) == 4 and res.files == 2
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE source = 'twcs'") == 93
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE id = :i", i=int(v1[1]["id_str"])) == 1
