"""Write a seeded corpus of X API v2 response pages, as twarc2 stores them, for benchmarks.

Same shape as the real recordings in ../shared/realdata/twarc-csv: 100 tweets a page with
``includes.users`` (authors, mentioned users) and ``includes.tweets`` (the tweets referenced),
``meta`` and ``__twarc``. Kinds: 40% original, 30% retweet, 20% reply, 10% quote; one or two
mentions on most tweets; a link on a third of them.

    python benchmarks/make_twarc_corpus.py OUT.jsonl --tweets 1000000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

BASE_ID = 1_500_000_000_000_000_000
DOMAINS = ["support.example.com", "forum.example.com", "help.example.org", "news.example.net",
           "blog.example.io"]
WORDS = ("my phone keeps restarting after the update any fix please try resetting network "
         "settings thanks that worked still broken router modem battery app crashes login "
         "account billing refund outage today again").split()


def user(rng: random.Random, uid: int) -> dict:
    return {
        "id": str(uid), "username": f"user{uid}", "name": f"User {uid}",
        "created_at": "2015-03-01T10:00:00.000Z", "description": " ".join(rng.choices(WORDS, k=8)),
        "location": "", "url": "", "verified": False, "protected": False,
        "profile_image_url": f"https://pbs.twimg.com/profile_images/{uid}/a_normal.jpg",
        "public_metrics": {"followers_count": rng.randint(0, 5000),
                           "following_count": rng.randint(0, 2000),
                           "tweet_count": rng.randint(1, 50000), "listed_count": 0},
    }


def generate(out: Path, n_tweets: int, seed: int = 7, n_users: int = 100_000) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    author_of: dict[int, int] = {}
    recent: dict[int, dict] = {}
    made = 0
    with out.open("wb") as fh:
        while made < n_tweets:
            data, inc_tweets, users = [], {}, {}
            for _ in range(min(100, n_tweets - made)):
                tid = BASE_ID + made
                uid = 1000 + rng.randrange(n_users)
                created = (start + timedelta(seconds=made * 3)).strftime(
                    "%Y-%m-%dT%H:%M:%S.000Z")
                r = rng.random()
                words = " ".join(rng.choices(WORDS, k=rng.randint(6, 20)))
                t = {"id": str(tid), "author_id": str(uid), "created_at": created, "lang": "en",
                     "conversation_id": str(tid), "edit_history_tweet_ids": [str(tid)],
                     "public_metrics": {"retweet_count": rng.randint(0, 30), "reply_count": 0,
                                        "like_count": rng.randint(0, 100), "quote_count": 0},
                     "entities": {}}
                mentions = []
                ref = None
                if made > 1000 and r < 0.6:
                    ref = BASE_ID + rng.randrange(max(0, made - 50_000), made)
                    ref_author = author_of.get(ref, 1000)
                    if r < 0.3:
                        t["referenced_tweets"] = [{"type": "retweeted", "id": str(ref)}]
                        words = f"RT @user{ref_author}: {words}"
                        mentions.append(ref_author)
                    elif r < 0.5:
                        t["referenced_tweets"] = [{"type": "replied_to", "id": str(ref)}]
                        t["in_reply_to_user_id"] = str(ref_author)
                        t["conversation_id"] = str(ref)
                        words = f"@user{ref_author} {words}"
                        mentions.append(ref_author)
                    else:
                        t["referenced_tweets"] = [{"type": "quoted", "id": str(ref)}]
                    # The API returns the referenced tweet itself in includes.
                    inc_tweets[ref] = recent.get(ref) or {
                        "id": str(ref), "author_id": str(ref_author), "text": "(older tweet)",
                        "created_at": created, "conversation_id": str(ref), "entities": {}}
                    users[ref_author] = None
                if rng.random() < 0.5:
                    other = 1000 + rng.randrange(n_users)
                    mentions.append(other)
                    words += f" cc @user{other}"
                if mentions:
                    t["entities"]["mentions"] = [
                        {"start": 0, "end": 10, "username": f"user{m}", "id": str(m)}
                        for m in mentions]
                    users.update(dict.fromkeys(mentions))
                if rng.random() < 0.33:
                    d = rng.choice(DOMAINS)
                    t["entities"]["urls"] = [{"start": 0, "end": 23, "url": "https://t.co/x",
                                              "expanded_url": f"https://{d}/kb/{rng.randrange(5000)}",
                                              "display_url": d}]
                t["text"] = words
                data.append(t)
                users[uid] = None
                author_of[tid] = uid
                recent[tid] = t
                made += 1
            page = {
                "data": data,
                "includes": {"users": [user(rng, u) for u in users],
                             "tweets": list(inc_tweets.values())},
                "meta": {"result_count": len(data), "newest_id": data[-1]["id"],
                         "oldest_id": data[0]["id"]},
                "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?query=bench",
                            "version": "2.14.0", "retrieved_at": "2024-06-01T00:00:00+00:00"},
            }
            fh.write(orjson.dumps(page) + b"\n")
            if len(author_of) > 200_000:  # keep the generator's own memory bounded
                for k in list(author_of)[:100_000]:
                    del author_of[k]
            while len(recent) > 50_000:
                del recent[next(iter(recent))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--tweets", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    generate(args.out, args.tweets, args.seed)


if __name__ == "__main__":
    main()
