"""Adversarial (anti-gaming) acceptance tests: the cheapest ways to fake each signal that earns
points, and a check that the faker does not win.

Every community here is written in this file as X API v2 pages in twarc2's JSONL shape and goes
through the real importer (``ingest.files.import_files``) and the real ranking
(``graph.rank.run_ranking``); the tests assert only on ranks, scores and tiers, so they hold for
any ranking method that resists the fake.

* ``test_gaming_accounts_stay_out_of_the_demo_top``: the seeded demo community (about 40
  planted champions; the size that plants them is found from the generator) plus eight gaming
  accounts appended in a second file: a link farmer, an unlisted staff member speaking in the
  brand's voice, a link dropper, and a ring of five accounts that ask each other fake
  questions and thank each other.
* One small community per signal, each with a modest genuine helper (a few different people
  answered, and thanked by them) whom the faker must not outrank: sock-puppet thanks, thanks
  that @mention many accounts, sarcastic or negated thanks, "me too" and joke replies, mass
  retweets of the brand's fix tweets, a brand agent's sign-off ("-Thanks-Anwar"), and many
  answers to one single person. Where the rule is that a fake must not count at all
  (@mentions, sarcasm, sign-offs), the faker also has a twin who does exactly the same
  without the fake, and must not score above it. A control test runs the fakers without the
  fake part and checks they rank below the helper then (and level with their twins), so a
  failure is the fake's doing; a baseline test checks the helpers are ranked at all.

Tweet ids follow X's snowflake layout (milliseconds since X's epoch << 22 | sequence), with a
millisecond offset and a sequence range the demo generator never uses, and user ids far above
the demo's, so the appended file can never collide with the demo's ids.
"""

from __future__ import annotations

import math
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest

from graph.rank import run_ranking
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.files import import_files
from settings import Settings
from tests.conftest import scalar

UTC = timezone.utc
X_EPOCH_MS = 1288834974657
SEQ_BASE = 0x200000  # the demo numbers its tweets from 1; 2M+ is never reached by it
MS_OFFSET = 777  # the demo's tweets are on whole seconds; ours never are
USER_ID_BASE = 7_000_000_000  # the demo's user ids stay below a million
FIX_DOMAINS = ("help.acme.example", "community.acme.example")
ACME = Settings(support_handles=("AcmeHelp", "Acme"), fix_domains=FIX_DOMAINS)
DEMO = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]),
                staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
                fix_domains=tuple(DEMO_SETTINGS["fix_domains"]))
_HANDLE = re.compile(r"(?<![\w@])@(\w{1,15})")
_LINK = re.compile(r"https?://\S+")


# --------------------------------------------------------------------------------------------
# Writing tweets as twarc2 pages


class Feed:
    """Users and tweets written here, saved as X API v2 response pages (twarc2 JSONL), the
    shape ``ingest.demo`` writes: ``data``, ``includes`` (users and referenced tweets), ``meta``
    and ``__twarc``, at most 100 tweets a page."""

    def __init__(self, seed: int, retrieved_at: str = "2026-11-01T00:00:00+00:00"):
        self.rng = random.Random(seed)
        self.users: dict[str, dict[str, Any]] = {}  # lower-case username -> v2 user
        self.users_by_id: dict[str, dict[str, Any]] = {}
        self.tweets: list[dict[str, Any]] = []  # written here, in the order posted
        self.known: dict[str, dict[str, Any]] = {}  # id -> tweet (ours and adopted ones)
        self.seq = SEQ_BASE
        self.next_uid = USER_ID_BASE
        self.retrieved_at = retrieved_at

    # -- people

    def user(self, username: str, followers: int = 300, bio: str = "", name: str | None = None,
             created: str = "2017-06-12T09:30:00.000Z", tweet_count: int = 2500) -> str:
        self.next_uid += self.rng.randint(3, 400)
        u = {"id": str(self.next_uid), "username": username,
             "name": name or username.replace("_", " ").strip().title(),
             "description": bio, "created_at": created, "verified": False, "protected": False,
             "location": "", "url": "",
             "public_metrics": {"followers_count": followers,
                                "following_count": self.rng.randint(40, 900),
                                "tweet_count": tweet_count, "listed_count": 0}}
        self.users[username.lower()] = u
        self.users_by_id[u["id"]] = u
        return username

    def adopt(self, tweet: dict[str, Any], author: dict[str, Any]) -> str:
        """A tweet stored elsewhere (the demo file) that tweets here reply to; it is repeated
        in ``includes`` as the API does."""
        self.users.setdefault(author["username"].lower(), author)
        self.users_by_id.setdefault(author["id"], author)
        self.known[tweet["id"]] = tweet
        return tweet["id"]

    def author_of(self, tid: str) -> str:
        return self.users_by_id[self.known[tid]["author_id"]]["username"]

    # -- tweets

    def post(self, who: str, text: str, when: datetime, *, reply_to: str | None = None,
             retweet: str | None = None, quote: str | None = None) -> str:
        author = self.users[who.lower()]
        ms = int(when.timestamp() * 1000) + MS_OFFSET
        self.seq += 1
        assert self.seq < 0x400000
        tid = str(((ms - X_EPOCH_MS) << 22) | self.seq)
        t: dict[str, Any] = {
            "id": tid, "author_id": author["id"], "text": text,
            "created_at": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "lang": "en", "conversation_id": tid, "edit_history_tweet_ids": [tid],
            "public_metrics": {"retweet_count": 0, "reply_count": 0,
                               "like_count": self.rng.randint(0, 6), "quote_count": 0},
            "entities": {}}
        refs = []
        if reply_to is not None:
            parent = self.known[reply_to]
            refs.append({"type": "replied_to", "id": reply_to})
            t["in_reply_to_user_id"] = parent["author_id"]
            t["conversation_id"] = parent["conversation_id"]
            parent["public_metrics"]["reply_count"] += 1
        if retweet is not None:
            original = self.known[retweet]
            refs.append({"type": "retweeted", "id": retweet})
            t["text"] = f"RT @{self.author_of(retweet)}: {original['text']}"[:280]
            original["public_metrics"]["retweet_count"] += 1
        if quote is not None:
            refs.append({"type": "quoted", "id": quote})
            self.known[quote]["public_metrics"]["quote_count"] += 1
        if refs:
            t["referenced_tweets"] = refs
        body = t["text"]
        mentions = []
        for m in _HANDLE.finditer(body):
            u = self.users.get(m.group(1).lower())
            if u is not None:
                mentions.append({"start": m.start(), "end": m.end(), "username": u["username"],
                                 "id": u["id"]})
        if mentions:
            t["entities"]["mentions"] = mentions
        urls = [{"start": m.start(), "end": m.end(), "url": f"https://t.co/g{self.seq:x}{i}",
                 "expanded_url": m.group(0), "display_url": m.group(0).split("://", 1)[1]}
                for i, m in enumerate(_LINK.finditer(body))]
        if urls and retweet is None:
            t["entities"]["urls"] = urls
        self.tweets.append(t)
        self.known[tid] = t
        return tid

    def reply(self, who: str, to: str, text: str, when: datetime) -> str:
        """A reply that starts with the replied-to author's handle, as X writes it."""
        return self.post(who, f"@{self.author_of(to)} {text}", when, reply_to=to)

    # -- output

    def write(self, path: Path) -> Path:
        ordered = sorted(self.tweets, key=lambda t: int(t["id"]))
        with path.open("wb") as fh:
            for i in range(0, len(ordered), 100):
                data = ordered[i:i + 100]
                users: dict[str, dict[str, Any]] = {}
                inc: dict[str, dict[str, Any]] = {}
                for t in data:
                    users[t["author_id"]] = self.users_by_id[t["author_id"]]
                    for m in t["entities"].get("mentions", ()):
                        users[m["id"]] = self.users_by_id[m["id"]]
                    for ref in t.get("referenced_tweets", ()):
                        ref_t = self.known[ref["id"]]
                        inc[ref["id"]] = ref_t
                        users[ref_t["author_id"]] = self.users_by_id[ref_t["author_id"]]
                page = {"data": data,
                        "includes": {"users": list(users.values()), "tweets": list(inc.values())},
                        "meta": {"result_count": len(data), "newest_id": data[-1]["id"],
                                 "oldest_id": data[0]["id"]},
                        "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent"
                                           "?query=acme", "version": "2.14.0",
                                    "retrieved_at": self.retrieved_at}}
                fh.write(orjson.dumps(page) + b"\n")
        return path

    def ids_of(self, *names: str) -> list[int]:
        return [int(self.users[n.lower()]["id"]) for n in names]

    def count_by(self, *names: str) -> int:
        ids = {self.users[n.lower()]["id"] for n in names}
        return sum(t["author_id"] in ids for t in self.tweets)


def created(t: dict[str, Any]) -> datetime:
    return datetime.strptime(t["created_at"], "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=UTC)


def load(engine, feed: Feed, path: Path) -> None:
    """Import the feed through the real importer and check every tweet written arrived."""
    before = scalar(engine, "SELECT COUNT(*) FROM tweets")
    res = import_files(engine, None, [feed.write(path)], log=lambda m: None)
    assert res.counts.rejected == 0
    after = scalar(engine, "SELECT COUNT(*) FROM tweets")
    assert after - before == len(feed.tweets), (before, after, len(feed.tweets))


def tweets_by(engine, feed: Feed, *names: str) -> int:
    ids = ", ".join(str(i) for i in feed.ids_of(*names))
    return scalar(engine, f"SELECT COUNT(*) FROM tweets WHERE author_id IN ({ids})")


def by_name(res) -> dict[str, Any]:
    return {(p.username or "").lower(): p for p in res.people}


def describe(res, *names: str) -> str:
    people = by_name(res)
    out = []
    for n in names:
        p = people.get(n.lower())
        out.append(f"{n}: not scored" if p is None else
                   f"{n}: rank {p.rank} score {p.score:.1f} tier {p.tier} "
                   f"{ {k: v for k, v in p.components.items() if v} }")
    return "; ".join(out)


def assert_no_gain(res, faker: str, twin: str) -> None:
    """The fake added nothing: the faker scores no more than its twin, who did the same
    things without the fake (0.01 allows for the rounding of components)."""
    people = by_name(res)
    f, t = people.get(faker.lower()), people.get(twin.lower())
    f_score = f.score if f is not None and not f.flags else 0.0
    t_score = t.score if t is not None and not t.flags else 0.0
    assert f_score <= t_score + 0.01, describe(res, faker, twin)


def assert_ranks_below(res, faker: str, helper: str) -> None:
    """The genuine helper is ranked, and the faker is either not ranked or ranked lower, with a
    lower score."""
    people = by_name(res)
    h = people.get(helper.lower())
    assert h is not None and h.rank is not None, describe(res, helper, faker)
    f = people.get(faker.lower())
    if f is None or f.rank is None:
        return
    assert f.rank > h.rank and f.score < h.score, describe(res, faker, helper)


# --------------------------------------------------------------------------------------------
# Wording (our own, not the demo generator's)

THINGS = ["router", "mesh point", "smart plug", "thermostat", "doorbell cam", "tablet",
          "soundbar", "printer"]
FAULTS = ["dropping off the wifi", "stuck on the orange light", "rebooting every hour",
          "refusing to pair", "freezing on the logo", "losing its settings overnight"]
REQUESTS = [
    "@AcmeHelp my {thing} has been {fault} since Tuesday's update. Any ideas?",
    "@AcmeHelp {thing} keeps {fault}, is this a known issue or is mine dying?",
    "Is anyone else's Acme {thing} {fault}? @AcmeHelp this is the third time this week",
    "@AcmeHelp help please, the {thing} is {fault} and I'm working from home today",
    "@AcmeHelp how do I stop the {thing} {fault}? tried everything I can think of",
]
FIXES = [
    "I had exactly this. Hold the power button for 15 seconds until the light flashes white, "
    "then set it up again from the app",
    "go to Settings > Network > Advanced and switch off Smart Connect, then reboot it. "
    "Sorted mine in a minute",
    "it's the 4.2 firmware. Roll back under Settings > System > Updates > Previous version "
    "and it stops",
    "step 1: sign out of the Acme app. step 2: delete it. step 3: reinstall and sign back in. "
    "worked for me",
    "unplug it, wait a full minute, plug it back in, then set the wifi channel to 6 in the "
    "app. Mine has been fine since",
    "this guide sorted it for me: https://help.acme.example/kb/{kb}",
]
THANKS = ["that was it!! thank you so much", "legend, it's working again 🙌",
          "did the trick, thanks 🙏", "finally sorted, cheers for that",
          "worked first time, you've saved my evening", "brilliant, all good now. thank you!"]
BRAND_REPLIES = [
    "Hi there, sorry to hear that. Could you send us a DM with the serial number so we can "
    "check the account?",
    "We're sorry for the trouble! We've sent you a DM so we can look into this together.",
    "Sorry about that. There's a known issue with the latest update and our engineers are "
    "working on it.",
]
CHATTER = ["Rain again. Of course.", "Who else is watching the match tonight?",
           "Coffee number three and it's not even 10am", "New running shoes day 👟",
           "That sunset though 🌅", "Finally finished that book, what an ending"]
FIRST = ["maria", "tom", "jenny", "raj", "kate", "dave", "ines", "liam", "sofia", "ben",
         "amara", "chris", "yuki", "olu", "nina", "pedro", "hannah", "marcus", "zoe", "ivan",
         "fatima", "joe", "leah", "sam", "greta", "noah", "priya", "alex", "moira", "kwame"]
LAST = ["lopez", "b", "k", "patel", "obrien", "leeds", "m", "walsh", "r", "t", "okafor",
        "nguyen", "s", "ade", "h", "silva", "j", "webb", "f", "petrov"]


def fill(r: random.Random, template: str, **kw: Any) -> str:
    return template.format(thing=r.choice(THINGS), fault=r.choice(FAULTS),
                           kb=r.randint(100, 999), **kw)


# --------------------------------------------------------------------------------------------
# A small community: the brand, customers, two regular helpers, a modest genuine helper and a
# one-time helper. Each test adds one kind of faker to it.

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
DAYS = 70
MODEST = "hana_fixes"  # answered six different people with fixes; five thanked her
ONCE = "olga_once"  # answered one person once, and was thanked


class Community:
    def __init__(self, seed: int):
        self.f = f = Feed(seed)
        self.r = r = f.rng
        f.user("AcmeHelp", 250_000, "Official Acme support, 8am-10pm every day.",
               name="Acme Help")
        f.user("Acme", 2_000_000, "Acme. Things that work.")
        names: list[str] = []
        while len(names) < 44:
            n = f"{r.choice(FIRST)}_{r.choice(LAST)}{r.choice(['', str(r.randint(1, 99))])}"
            if n.lower() not in f.users:
                names.append(f.user(n, r.randint(20, 1500)))
        self.customers = names
        self.regulars = [f.user("router_rita", 900, "Home network tinkerer"),
                         f.user("patchday_pete", 400, "I fix things. Sometimes.")]
        f.user(MODEST, 150, "Nurse, gardener, occasional gadget fixer")
        f.user(ONCE, 80, "")
        self.requests: list[str] = []  # request tweet ids, in time order
        self.brand_fixes: list[str] = []
        self.hana_helped: list[str] = []  # customers the modest helper answered
        self._background()

    def at(self, day: float, hour: float = 0.0) -> datetime:
        return T0 + timedelta(days=day, hours=hour)

    def ask(self, who: str, when: datetime) -> str:
        tid = self.f.post(who, fill(self.r, self.r.choice(REQUESTS)), when)
        self.requests.append(tid)
        return tid

    def answer(self, helper: str, request: str, when: datetime, thanked: bool) -> str:
        r, f = self.r, self.f
        ans = f.reply(helper, request, fill(r, r.choice(FIXES)), when)
        if thanked:
            f.reply(f.author_of(request), ans, r.choice(THANKS),
                    when + timedelta(minutes=r.randint(20, 300)))
        return ans

    def _background(self) -> None:
        r, f = self.r, self.f
        # Every customer asks once or twice; the brand replies to about half of the requests.
        asks = []
        for c in self.customers:
            for _ in range(r.choice([1, 1, 2])):
                asks.append((r.uniform(0, DAYS - 3), c))
        asks.sort()
        threads = [(self.ask(c, self.at(d, r.uniform(7, 20))), d) for d, c in asks]
        for tid, d in threads:
            if r.random() < 0.5:
                f.reply("AcmeHelp", tid, r.choice(BRAND_REPLIES),
                        self.at(d, 21 + r.uniform(0, 2)))
        # The modest helper answers six different people (one request each), five thank her.
        picked: list[tuple[str, float]] = []
        seen: set[str] = set()
        for tid, d in threads[3::7]:
            who = f.author_of(tid)
            if who not in seen and len(picked) < 6:
                seen.add(who)
                picked.append((tid, d))
        assert len(picked) == 6
        for i, (tid, d) in enumerate(picked):
            self.answer(MODEST, tid, self.at(d, 22 + r.uniform(0, 1.5)), thanked=i != 2)
            self.hana_helped.append(f.author_of(tid))
        # The one-time helper: one answer, one thanks.
        tid, d = threads[10]
        if tid in {p[0] for p in picked}:
            tid, d = threads[11]
        self.answer(ONCE, tid, self.at(d, 23), thanked=True)
        # Two regular helpers answer about seven requests each, mostly thanked.
        for i, (tid, d) in enumerate(threads):
            if i % 4 == 1:
                self.answer(self.regulars[i % 8 // 4], tid, self.at(d, 22.5 + r.random()),
                            thanked=r.random() < 0.7)
        # Chatter, and the brand's own fix tweets (a few customers and Rita retweet some).
        for _ in range(60):
            f.post(r.choice(self.customers), r.choice(CHATTER),
                   self.at(r.uniform(0, DAYS), r.uniform(7, 22)))
        for w in range(10):
            fix = f.post("AcmeHelp", fill(r, "{thing} {fault} after 4.2? Here's the two-minute "
                                             "fix: https://help.acme.example/kb/{kb}"),
                         self.at(w * 7 + 1, 10))
            self.brand_fixes.append(fix)
            if w % 3 == 0:
                f.post("router_rita", "", self.at(w * 7 + 1, 13), retweet=fix)
            if w % 4 == 1:
                f.post(MODEST, "", self.at(w * 7 + 2, 9), retweet=fix)
            f.post(r.choice(self.customers), "", self.at(w * 7 + 1, 15), retweet=fix)

    def requests_from_others(self, helper: str, n: int, exclude: set[str] = frozenset()
                             ) -> list[str]:
        """n request ids from n different customers, none of them ``helper`` or in
        ``exclude`` (some may have answers already)."""
        out, seen = [], set(exclude)
        for tid in self.r.sample(self.requests, len(self.requests)):
            who = self.f.author_of(tid)
            if who != helper and who not in seen:
                seen.add(who)
                out.append(tid)
            if len(out) == n:
                break
        assert len(out) == n
        return out

    def rank(self, engine, tmp_path: Path, *fakers: str):
        load(engine, self.f, tmp_path / "community.jsonl")
        for name in fakers:  # the fake really is in the database
            assert tweets_by(engine, self.f, name) == self.f.count_by(name) > 0, name
        return run_ranking(engine, ACME)

    def when_of(self, tid: str) -> datetime:
        return created(self.f.known[tid])


def test_baseline_the_modest_helper_is_ranked(engine, tmp_path):
    """The community without any faker: the modest helper and the one-time helper are ranked
    (so every test below compares the faker with a helper the ranking does see)."""
    c = Community(3)
    res = c.rank(engine, tmp_path)
    people = by_name(res)
    assert people[MODEST].rank is not None and people[ONCE.lower()].rank is not None
    assert people[MODEST].rank < people[ONCE.lower()].rank, describe(res, MODEST, ONCE)


# --------------------------------------------------------------------------------------------
# The cheapest fake of each signal


def add_sock_thanks(c: Community, socks_thank: bool = True) -> str:
    """Ten throwaway accounts (no bio, a handful of followers, created last month) that only
    ever talk to the faker: each asks the faker something, thanks the answer, and thanks one
    of the faker's tip tweets."""
    f, r = c.f, c.r
    faker = f.user("wifi_wizard_uk", 640, "Fixing your wifi so you don't have to 📶")
    socks = [f.user(n, r.randint(0, 4), "", created="2026-04-20T10:00:00.000Z",
                    tweet_count=r.randint(3, 12))
             for n in ("jd8812771", "Sarah77716253", "mike_00142", "k1tty_lov3r_",
                       "bgh_2291", "realtom4410", "annie62819", "xx_gamer_9921",
                       "lucy_m_88213", "paulw_01192")]
    questions = ["@wifi_wizard_uk hey! my {thing} keeps {fault}, what should I do?",
                 "@wifi_wizard_uk quick one, any idea why my {thing} is {fault}?",
                 "@wifi_wizard_uk you seem to know this stuff, {thing} {fault} again, help"]
    tips = []
    for day in range(2, DAYS - 2, 11):
        tips.append(f.post(faker, fill(r, "Quick tip: if your {thing} is {fault}, power cycle "
                                          "it and move it off the floor. Works 9 times out "
                                          "of 10"), c.at(day, 12)))
    for i, sock in enumerate(socks):
        when = c.at(3 + i * 6.5, r.uniform(8, 18))
        q = f.post(sock, fill(r, r.choice(questions)), when)
        a = f.reply(faker, q, fill(r, r.choice(FIXES)), when + timedelta(minutes=25))
        if socks_thank:
            f.reply(sock, a, r.choice(THANKS), when + timedelta(minutes=40))
            tip = tips[i % len(tips)]
            f.reply(sock, tip, "this worked for me too, thanks!!",
                    c.when_of(tip) + timedelta(hours=5 + i))
    return faker


def test_sock_puppet_thanks_do_not_outrank_a_genuine_helper(engine, tmp_path):
    """Cheap fake: throwaway accounts with no other activity ask the faker, get an answer and
    thank it, and thank its tips. Ten "people helped" and twenty thanks cost ten sign-ups."""
    c = Community(11)
    faker = add_sock_thanks(c)
    res = c.rank(engine, tmp_path, faker)
    assert_ranks_below(res, faker, MODEST)


def add_tag_along(c: Community, tagged: bool = True) -> tuple[str, str]:
    """The faker and its twin drop the same quick tip under ten requests that a real helper
    then solves; each customer thanks the real helper in a reply that also @mentions the
    faker (not the twin), the brand and a friend, the way a reply-all in a busy thread reads.
    Returns (faker, twin)."""
    f, r = c.f, c.r
    faker = f.user("thread_hopper", 520, "Always online 💻")
    twin = f.user("thread_lurker", 520, "Always online 💻")
    quick = ["have you restarted it", "sounds like the update, restart it",
             "did you try unplugging it for a bit", "restart the app, always fixes mine"]
    # The modest helper's threads are left alone: her thanks stay hers.
    targets = c.requests_from_others(MODEST, 10, exclude=set(c.hana_helped))
    for i, tid in enumerate(targets):
        asker = f.author_of(tid)
        when = c.when_of(tid)
        tip = r.choice(quick)
        f.reply(faker, tid, tip, when + timedelta(minutes=15))
        f.reply(twin, tid, tip, when + timedelta(minutes=15))
        helper = c.regulars[i % 2]
        ans = f.reply(helper, tid, fill(r, r.choice(FIXES)), when + timedelta(hours=2))
        friend = r.choice([x for x in c.customers if x != asker])
        cc = f"@{faker} @AcmeHelp @{friend} " if tagged else ""
        f.post(asker, f"@{helper} {cc}{r.choice(THANKS)}", when + timedelta(hours=3),
               reply_to=ans)
    return faker, twin


def test_thanks_credit_only_the_account_replied_to_not_every_mention(engine, tmp_path):
    """Cheap fake: be @mentioned in other helpers' thanks. The faker posts a one-line
    "restart it" under requests that someone else then solves; the asker's thanks reply to
    the real helper, with the faker among the @mentions. Only the helper replied to earned it:
    the faker gains nothing over a twin who posted the same tips and was not mentioned."""
    c = Community(12)
    faker, twin = add_tag_along(c)
    res = c.rank(engine, tmp_path, faker, twin)
    assert_ranks_below(res, faker, MODEST)
    assert_no_gain(res, faker, twin)


SARCASM = ["thanks for nothing 🙄", "no thanks, not wiping all my settings for that",
           "thanks but it didn't work, still the same", "gee thanks, super helpful 🙄",
           "thanks a lot, now it won't even turn on", "yeah thanks, already tried that twice "
           "before asking", "wow thanks genius, never would have thought of that",
           "thanks for the 'help' I suppose 🙃", "no thank you, I'll wait for someone who "
           "knows what they're talking about", "thanks… I guess. makes no difference"]


def add_sarcasm(c: Community, sarcastic: bool = True) -> tuple[str, str]:
    """The faker and its twin answer the same ten people with the same lazy one-liners; every
    one of them replies to the faker with sarcastic or negated thanks, and ignores the twin.
    Returns (faker, twin)."""
    f, r = c.f, c.r
    faker = f.user("quickfix_quinn", 700, "I know a thing or two about gadgets")
    twin = f.user("quickfix_quentin", 700, "I know a thing or two about gadgets")
    lazy = ["just factory reset it lol", "turn it off and on again, works every time",
            "reset it. that's literally it", "update your firmware mate",
            "just buy the new model tbh, reset the old one and sell it"]
    for i, tid in enumerate(c.requests_from_others(faker, 10, exclude=set(c.hana_helped))):
        when = c.when_of(tid) + timedelta(minutes=30)
        tip = r.choice(lazy)
        ans = f.reply(faker, tid, tip, when)
        f.reply(twin, tid, tip, when)
        if sarcastic:
            f.reply(f.author_of(tid), ans, SARCASM[i], when + timedelta(hours=1))
    return faker, twin


def test_sarcastic_and_negated_thanks_do_not_count(engine, tmp_path):
    """Cheap fake: answers so lazy that people reply "thanks for nothing", "no thanks",
    "thanks but it didn't work". Ten of those are not ten thanks: the faker gains nothing over
    a twin who gave the same answers to the same people and got no reply at all."""
    c = Community(13)
    faker, twin = add_sarcasm(c)
    res = c.rank(engine, tmp_path, faker, twin)
    assert_ranks_below(res, faker, MODEST)
    assert_no_gain(res, faker, twin)


ME_TOO = ["same here!!", "me too, been like this all week", "+1, mine does exactly the same",
          "lol my toaster has better uptime", "have you tried shouting at it? works on my "
          "kids 😂", "same 😩 come on Acme", "following, I need this answer too",
          "welcome to the club 🙃", "haha classic Acme", "omg same, glad it's not just me",
          "this is why I still have a landline 😂", "ugh same"]


def add_me_too(c: Community) -> str:
    """The faker replies to forty requests from different people with "me too", "same here"
    and jokes: no answer in any of them."""
    f, r = c.f, c.r
    faker = f.user("lorenzo_b", 1100, "Opinions. Memes. Coffee.")
    targets = c.requests_from_others(faker, 40)
    for tid in targets:
        f.reply(faker, tid, r.choice(ME_TOO), c.when_of(tid) + timedelta(minutes=r.randint(5, 90)))
    return faker


def test_me_too_and_joke_replies_earn_nothing(engine, tmp_path):
    """Cheap fake: volume. Forty replies to forty different requests saying "same here" or
    cracking a joke answer nobody: they must not outrank someone who helped once."""
    c = Community(14)
    faker = add_me_too(c)
    res = c.rank(engine, tmp_path, faker)
    assert_ranks_below(res, faker, MODEST)
    assert_ranks_below(res, faker, ONCE)
    p = by_name(res).get(faker)
    assert p is None or p.tier not in ("champion", "rising"), describe(res, faker)


def add_mass_retweets(c: Community, extra_fixes: int = 30) -> str:
    """The brand posts forty fix tweets over the window; the faker retweets every one of them
    (minutes to hours later, not like a bot), quotes five with "this 👇", and posts enough
    chatter to stay under the automated-account thresholds. Nobody retweets, quotes, replies
    to or thanks the faker."""
    f, r = c.f, c.r
    for i in range(extra_fixes):
        c.brand_fixes.append(f.post(
            "AcmeHelp", fill(r, "PSA: {thing} {fault}? This article walks you through it: "
                                "https://help.acme.example/kb/{kb}"),
            c.at(1 + i * (DAYS - 3) / extra_fixes, 16)))
    faker = f.user("gadget_gus", 1800, "Acme everything. Early adopter.")
    for i, fix in enumerate(c.brand_fixes):
        when = c.when_of(fix) + timedelta(minutes=r.randint(15, 600))
        if i % 8 == 3:
            f.post(faker, r.choice(["this 👇", "Worth a read 👇", "bookmark this"]), when,
                   quote=fix)
        else:
            f.post(faker, "", when, retweet=fix)
    for _ in range(12):
        f.post(faker, r.choice(CHATTER), c.at(r.uniform(0, DAYS), r.uniform(8, 22)))
    return faker


def test_mass_retweets_of_brand_fixes_without_engagement_do_not_win(engine, tmp_path):
    """Cheap fake: one tap per fix tweet. Retweeting everything the brand posts reaches no one
    who engages, and helps nobody in particular."""
    c = Community(15)
    faker = add_mass_retweets(c)
    res = c.rank(engine, tmp_path, faker)
    assert_ranks_below(res, faker, MODEST)


SIGN_OFFS = ["-Thanks-Anwar", "Thanks - Emma", "Thanks, Anwar", "^Thanks-EM", "Thx - Priyanka",
             "Many thanks, Emma"]


def add_brand_signoffs(c: Community, signed: bool = True) -> tuple[str, str]:
    """The faker and its twin each complain to the brand eight times (the same words, listing
    the steps already tried) and drop the same quick tip under the same four requests; the
    brand's agents reply to every one of those tweets asking for a DM, and sign the replies
    to the faker with "-Thanks-Anwar", "Thanks - Emma" (the twin's are unsigned).
    Returns (faker, twin)."""
    f, r = c.f, c.r
    faker = f.user("marcus_tk", 350, "Dad of two. Tired.")
    twin = f.user("marcus_tj", 350, "Dad of two. Tired.")
    complaints = [
        "@AcmeHelp router dropping again. Already did the factory reset and updated the "
        "firmware twice, still the same",
        "@AcmeHelp I've unplugged it, reset it, moved it, reinstalled the app. It still drops "
        "every evening",
        "@AcmeHelp the smart plug won't pair. Restarted the hub, reset the plug, cleared the "
        "cache in the app. Nothing",
        "@AcmeHelp power cycled the mesh point and turned off band steering like the article "
        "says, no change",
    ]
    asks = ["Could you DM us your serial number so we can take a closer look?",
            "We'd like to help, please send us a DM with your account email.",
            "Sorry for the hassle. Can you DM us the model number and your postcode?"]
    tweets = []  # (author, their tweet, the customer the brand addresses too)
    for k in range(8):
        at = c.at(4 + k * 8, r.uniform(8, 12))
        for who in (faker, twin):
            tweets.append((who, f.post(who, complaints[k % 4], at), None))
    for tid in c.requests_from_others(faker, 4, exclude=set(c.hana_helped)):
        for who in (faker, twin):
            tweets.append((who, f.reply(who, tid, "try a factory reset, then set the wifi "
                                                  "channel to 6",
                                        c.when_of(tid) + timedelta(minutes=20)),
                           f.author_of(tid)))
    for i, (who, tid, customer) in enumerate(tweets):
        sign = f" {SIGN_OFFS[i // 2 % len(SIGN_OFFS)]}" if signed and who == faker else ""
        to = f"@{who}" + (f" @{customer}" if customer else "")
        f.post("AcmeHelp", f"{to} Hi there! {asks[i // 2 % len(asks)]}{sign}",
               c.when_of(tid) + timedelta(hours=1), reply_to=tid)
    return faker, twin


def test_brand_agent_signoff_is_not_an_endorsement(engine, tmp_path):
    """Cheap fake: tweet at the brand, listing steps (so the tweet reads like a fix), and
    collect the agents' replies, which end in "-Thanks-Anwar". A sign-off is not the brand
    thanking anyone: the faker gains nothing over a twin whose identical tweets got the same
    replies without a sign-off."""
    c = Community(16)
    faker, twin = add_brand_signoffs(c)
    res = c.rank(engine, tmp_path, faker, twin)
    assert_ranks_below(res, faker, MODEST)
    assert_no_gain(res, faker, twin)


def add_one_person(c: Community) -> str:
    """The faker answers one friend thirty times over the window (the friend asks the brand
    each time, as any customer would), and the friend thanks every answer."""
    f, r = c.f, c.r
    faker = f.user("devoted_dan", 450, "Here to help 🙂")
    friend = f.user("nora_needs_wifi", 120, "Teacher. Not a tech person.")
    for k in range(30):
        when = c.at(1 + k * (DAYS - 4) / 30, r.uniform(8, 20))
        q = c.ask(friend, when)
        a = f.reply(faker, q, fill(r, r.choice(FIXES)), when + timedelta(minutes=30))
        f.reply(friend, a, r.choice(THANKS), when + timedelta(minutes=70))
    return faker


def test_many_answers_to_one_person_do_not_beat_helping_many(engine, tmp_path):
    """Cheap fake: one friend who asks every few days and thanks every answer. Thirty answers
    and thirty thanks, one person helped; credit must grow with the people helped."""
    c = Community(17)
    faker = add_one_person(c)
    res = c.rank(engine, tmp_path, faker)
    assert_ranks_below(res, faker, MODEST)


@pytest.mark.parametrize("add", [add_sock_thanks, add_tag_along, add_sarcasm,
                                 add_brand_signoffs], ids=lambda f: f.__name__[4:])
def test_control_without_the_fake_the_faker_ranks_below(engine, tmp_path, add):
    """The same fakers with only their honest-looking part (the answers and tweets, without
    the sock thanks, the extra @mentions, the sarcastic replies or the sign-offs) rank below
    the modest helper, and score the same as their twins: so when a test above fails, the
    fake is what lifted the faker."""
    c = Community(20)
    made = add(c, False)
    faker, twin = made if isinstance(made, tuple) else (made, None)
    res = c.rank(engine, tmp_path, faker)
    assert_ranks_below(res, faker, MODEST)
    if twin is not None:
        assert_no_gain(res, faker, twin)
        assert_no_gain(res, twin, faker)


# --------------------------------------------------------------------------------------------
# The demo community plus eight gaming accounts

PLANTED = 40  # champions planted in the demo community
RING = ["kev_builds", "sarahtechs", "mo_repairs_it", "lina_gadgets", "pj_homelab"]
GAMERS = ["gearfix_daily", "becky_kowalski", "tips_by_theo", *RING]


def demo_with_planted(path: Path, wanted: int = PLANTED) -> dict[str, Any]:
    """Generate the demo at the size that plants about ``wanted`` champions, and return its
    truth. How many champions a size plants is the generator's business (and has changed), so
    the size is found from the generator itself: from a first guess, each next size follows
    the power law through the last two generations (champions ~ tweets ** b), and a
    generation within 10% of ``wanted`` is kept."""
    tried: list[tuple[int, int]] = []
    n = 37_500
    for _ in range(5):
        truth = generate_demo(path, DemoSpec(n, 7))
        k = len(truth["champions"])
        tried.append((n, k))
        if abs(k - wanted) <= 0.1 * wanted:
            return truth
        b = 0.75
        if len(tried) >= 2 and tried[-1][1] != tried[-2][1]:
            (n1, k1), (n2, k2) = tried[-2], tried[-1]
            b = max(0.2, math.log(k2 / k1) / math.log(n2 / n1))
        n = int(min(400_000, max(3_000, n * (wanted / k) ** (1 / b))))
    raise AssertionError(f"no demo size plants about {wanted} champions: {tried}")


def demo_requests(path: Path, truth: dict[str, Any]) -> tuple[list[tuple[dict, dict]], datetime]:
    """The demo's English help requests to @AcmeHelp by ordinary customers (original tweets
    that mention the support handle), with their authors; and the demo's newest tweet time."""
    not_customers = {n.lower() for k in ("champions", "brand", "staff", "bots")
                     for n in truth[k]}
    not_customers |= {n.lower() for names in truth["distractors"].values() for n in names}
    found, newest = [], ""
    with path.open("rb") as fh:
        for line in fh:
            page = orjson.loads(line)
            users = {u["id"]: u for u in page["includes"]["users"]}
            for t in page["data"]:
                newest = max(newest, t["created_at"])
                author = users[t["author_id"]]
                if ("referenced_tweets" in t or t["lang"] != "en"
                        or author["username"].lower() in not_customers):
                    continue
                names = {m["username"] for m in t["entities"].get("mentions", ())}
                if "AcmeHelp" in names:
                    found.append((t, author))
    return found, created({"created_at": newest})


FARM = ["{Thing} {fault}? Don't panic, here's the official fix 👉 {url}",
        "Fix of the day: {thing} {fault}. Full steps here: {url}",
        "Saving you a support call today: {url} #AcmeTips",
        "If your {thing} is {fault}, read this before you send it back: {url}",
        "Bookmark this one 🔖 {thing} {fault} solved: {url}",
        "Acme {thing} owners, this one's for you: {url}"]
STAFF_VOICE = [
    ("Hi there, so sorry about the trouble! Please DM us your serial number and we'll get "
     "this sorted ^BK", "dm"),
    ("We'd like to help, send us a DM with your account email and we'll take a look -Becky",
     "dm"),
    ("Thanks for flagging this. Our team is aware of an issue with the {thing} and we're "
     "working on a fix, we'll keep you posted here ^BK", "dm"),
    ("Sorry to hear that! Could you try restarting the {thing} while holding the power button "
     "for 10 seconds? Let us know how you get on -Becky", "steps"),
    ("Hey, that doesn't sound right. Can you DM us a screenshot of the error so we can look "
     "into it? ^BK", "dm"),
    ("We're sorry for the wait! Please pop us a DM with your order number and we'll check "
     "what's going on -Becky", "dm"),
    ("Hi! We've seen a few reports of this since the update. Please sign out of the app and "
     "back in, then reset the {thing} from Settings. Let us know if it persists ^BK", "steps"),
]
STAFF_THANKS = {"dm": ["thanks Becky, DM sent", "cheers, just DMed you", "thank you, sending "
                       "it over now 👍"],
                "steps": ["that sorted it, thanks!", "thank you, working again 🙏",
                          "cheers Becky, all good now"]}
DROPS = ["this 👉 https://community.acme.example/t/{n}", "answered here: "
         "https://help.acme.example/kb/{kb}", "see https://help.acme.example/kb/{kb}",
         "the FAQ covers it https://help.acme.example/kb/{kb}",
         "https://community.acme.example/t/{n}"]
RING_ASKS = ["Anyone know why my Acme {thing} keeps {fault}? Tried the obvious stuff",
             "Quick question for the Acme crowd: {thing} {fault} since last night, any fix?",
             "Is there a trick to stop the {thing} {fault}? Support is taking forever",
             "Help! {thing} {fault} and I've got guests coming. Ideas?",
             "How do I stop my {thing} {fault}? Third time this week"]
RING_ANSWERS = [
    "yes! go to Settings > Advanced > Power and turn off Eco mode, then restart it",
    "had this last month. Factory reset (hold the pin button 20s) and set it up fresh",
    "update to 4.2.1, they patched exactly that. Settings > System > Check for updates",
    "clear the app cache and re-pair it, took me two minutes",
    "swap the power adapter, the old 12V ones cause that. Then power cycle it",
    "toggle the 2.4GHz band off and on in the app, then reboot. fixed mine",
]
RING_THANKS = ["amazing, that worked! thank you", "you're a star, sorted 🙌",
               "thanks!! all good now", "did the trick, cheers", "legend, thank you"]


def gaming_feed(requests: list[tuple[dict, dict]], end: datetime, seed: int = 99) -> Feed:
    f = Feed(seed)
    r = f.rng
    start = end - timedelta(days=84)

    def spread(i: int, n: int) -> datetime:
        return start + timedelta(seconds=(i + r.random()) * (84 * 86400 - 7200) / n)

    def kb_url() -> str:
        return r.choice([f"https://help.acme.example/kb/{r.randint(100, 999)}",
                         f"https://community.acme.example/t/{r.randint(1000, 99999)}"])

    # a. A link farmer: 250 original tweets linking the help pages; nobody engages.
    f.user("gearfix_daily", 1300, "Daily fixes for your Acme gear 🔧 Not affiliated.",
           name="GearFix Daily")
    for i in range(250):
        text = r.choice(FARM).format(url=kb_url(), thing=r.choice(THINGS),
                                     Thing=r.choice(THINGS).capitalize(), fault=r.choice(FAULTS))
        f.post("gearfix_daily", text, spread(i, 250))
    # Customers' requests in the window: the staff member and the dropper answer different
    # ones.
    usable = [(t, a) for t, a in requests if start <= created(t) <= end - timedelta(days=1)]
    assert len(usable) >= 600, len(usable)
    picks = r.sample(usable, 570)
    # b. An unlisted staff member answering in the brand's voice, signing "^BK" or "-Becky";
    # some customers reply with thanks (for the DM, or for the steps).
    f.user("becky_kowalski", 640, "Londoner. Cyclist. Customer happiness is my thing 💙",
           name="Becky K")
    for t, author in picks[:450]:
        req = f.adopt(t, author)
        text, kind = r.choice(STAFF_VOICE)
        at = created(t)
        ans = f.reply("becky_kowalski", req, fill(r, text),
                      at + timedelta(minutes=r.randint(5, 240)))
        if r.random() < (0.6 if kind == "steps" else 0.25):
            f.reply(author["username"], ans, r.choice(STAFF_THANKS[kind]),
                    at + timedelta(minutes=r.randint(250, 600)))
    # c. A link dropper: a help link under 120 different requests, never thanked.
    f.user("tips_by_theo", 900, "Links that fix things")
    for t, author in picks[450:570]:
        req = f.adopt(t, author)
        at = created(t)
        f.reply("tips_by_theo", req, r.choice(DROPS).format(n=r.randint(1000, 99999),
                                                            kb=r.randint(100, 999)),
                at + timedelta(minutes=r.randint(3, 120)))
    # d. A ring of five: each asks a hundred fake questions (as busy as a real champion); the
    # other four answer each with plausible steps and the asker thanks every answer. Nobody
    # outside the ring is involved.
    for name in RING:
        f.user(name, r.randint(150, 900), r.choice(["Tech enthusiast", "Home lab nerd",
                                                    "I fix stuff", "Gadgets & coffee"]))
    for i in range(100 * len(RING)):
        asker = RING[i % len(RING)]
        at = spread(i, 100 * len(RING))
        q = f.post(asker, fill(r, r.choice(RING_ASKS)), at)
        for k, other in enumerate(x for x in RING if x != asker):
            a = f.reply(other, q, r.choice(RING_ANSWERS),
                        at + timedelta(minutes=5 + 20 * k + r.randint(0, 15)))
            f.reply(asker, a, r.choice(RING_THANKS),
                    at + timedelta(minutes=100 + 10 * k + r.randint(0, 30)))
    return f


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a big import: SQLite only
def test_gaming_accounts_stay_out_of_the_demo_top(engine, tmp_path):
    """The demo community (about 40 planted champions) and, appended in a second import, a
    link farmer, an unlisted staff member, a link dropper and a five-account thanks ring: none
    of the eight reaches the top k (k = the champions planted) or the champion tier; the top k
    is still real helpers (precision@k >= 0.95, counting the planted champions and the casual
    helpers, who answered one or two people and were thanked: the demo overlaps as real
    communities do); and the gaming accounts push out no planted champion."""
    demo = tmp_path / "demo.jsonl"
    truth = demo_with_planted(demo)
    champions = {n.lower() for n in truth["champions"]}
    k = len(champions)
    import_files(engine, None, [demo], log=lambda m: None)
    before = run_ranking(engine, DEMO)  # the demo alone, to tell its own misses from ours
    precision_before = sum((p.username or "").lower() in champions
                           for p in before.ranked[:k]) / k
    requests, end = demo_requests(demo, truth)
    feed = gaming_feed(requests, end)
    load(engine, feed, tmp_path / "gaming.jsonl")
    for name in GAMERS:  # every gaming tweet is stored
        assert tweets_by(engine, feed, name) == feed.count_by(name) > 0, name
    assert feed.count_by("gearfix_daily") == 250
    assert feed.count_by("tips_by_theo") == 120

    res = run_ranking(engine, DEMO)
    top = [(p.username or "").lower() for p in res.ranked[:k]]
    gamers = {g.lower() for g in GAMERS}
    in_top = [n for n in top if n in gamers]
    precision = sum(n in champions for n in top) / k
    helpers = champions | {n.lower() for n in truth["distractors"]["casual"]}
    helper_precision = sum(n in helpers for n in top) / k
    champion_tier = [p.username for p in res.people
                     if (p.username or "").lower() in gamers and p.tier == "champion"]
    report = (f"gaming accounts in the top {k}: {in_top}; gaming accounts in the champion"
              f" tier: {champion_tier}; precision@{k} {precision:.3f} (the demo alone:"
              f" {precision_before:.3f}; others in the top:"
              f" {[n for n in top if n not in champions]}); {describe(res, *GAMERS)}")
    assert not in_top, report
    assert not champion_tier, report
    assert helper_precision >= 0.95, report
    assert precision >= precision_before, report
