"""A small ranked community for the outreach, contact and export tests: helpers whose name, username
or answer is a spreadsheet formula, a brand fix two helpers retweeted, and a help request nobody
answered."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import orjson

from graph.rank import run_ranking
from ingest.files import import_files
from settings import Settings

END = datetime(2026, 10, 31, 12, 0, 0)
EVIL_NAME = '@=HYPERLINK("http://evil.example","click")'
EVIL_USER = '@=HYPERLINK("http://evil.example","x")'
EVIL_ANSWER = ("=cmd|' /C calc'!A0 then hold the reset button for 10 seconds and restart the "
               "router")
SETTINGS = Settings(support_handles=("AcmeHelp",), fix_domains=("help.acme.example",))
# Who is who (X user ids).
HELPER, QUIET_HELPER, LONELY = 3, 4, 8


def tw(tid, author, body, hours_ago, reply_to=None, retweet_of=None):
    t = {"id": str(tid), "author_id": str(author), "text": body, "lang": "en",
         "created_at": (END - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    if reply_to:
        t["referenced_tweets"] = [{"type": "replied_to", "id": str(reply_to[0])}]
        t["in_reply_to_user_id"] = str(reply_to[1])
    if retweet_of:
        t["referenced_tweets"] = [{"type": "retweeted", "id": str(retweet_of)}]
    return t


FIX = "Hold the reset button for 10 seconds: https://help.acme.example/reset"


def small_community(engine, tmp_path: Path):
    """Load and rank the community; returns the engine."""
    users = [{"id": "1", "username": "AcmeHelp", "name": "Acme"},
             {"id": "2", "username": "asker", "name": "Asker"},
             {"id": "3", "username": "helper", "name": EVIL_NAME},
             {"id": "4", "username": "quiet_helper", "name": "Quiet"},
             {"id": "5", "username": "asker2", "name": "Asker 2"},
             {"id": "6", "username": EVIL_USER, "name": "Formula"},
             {"id": "7", "username": "asker3", "name": "Asker 3"},
             {"id": "8", "username": "lonely", "name": "Lonely"}]
    data = [tw(10, 2, "@AcmeHelp my router is broken, any fix?", 50),
            tw(11, 3, EVIL_ANSWER, 49, (10, 2)),
            tw(12, 2, "@helper thanks, that worked!", 48, (11, 3)),
            tw(20, 5, "@AcmeHelp app keeps crashing, help?", 40),
            tw(21, 4, "@asker2 try reinstalling the app from settings", 39, (20, 5)),
            tw(22, 5, "@quiet_helper thank you, fixed it!", 38, (21, 4)),
            tw(30, 7, "@AcmeHelp printer offline, any fix?", 30),
            tw(31, 6, "try turning the printer off and on again", 29, (30, 7)),
            tw(32, 7, "thanks, that worked!", 28, (31, 6)),
            {**tw(40, 8, "@AcmeHelp my modem is dead, any fix?", 10),  # addressed, as X sends
             "entities": {"mentions": [{"username": "AcmeHelp", "id": "1"}]}},
            tw(50, 1, FIX, 60),
            tw(51, 3, f"RT @AcmeHelp: {FIX}", 59, retweet_of=50),
            tw(52, 4, f"RT @AcmeHelp: {FIX}", 58, retweet_of=50)]
    path = tmp_path / "c.jsonl"
    path.write_bytes(orjson.dumps({"data": data, "includes": {"users": users}}) + b"\n")
    import_files(engine, None, [path], log=lambda m: None)
    run_ranking(engine, SETTINGS, window_days=7)
    return engine
