"""Small communities written here, for evaluating the ranking: people and tweets as X API v2
response pages (twarc2 JSONL, the shape ``ingest.demo`` writes), which go through the real
importer.

* ``Community``: a brand (@AcmeHelp), customers asking for help, two regular helpers, a modest
  genuine helper and a one-time helper: the base every gaming test adds one faker to
  (tests/test_gaming.py);
* ``gaming_feed``: the four gaming accounts of issue 7 (a link farmer, an unlisted staff member,
  a link dropper and a five-account thanks ring), appended to the demo community;
* ``amplifiers_and_trolls``: customers who pass on the brand's fixes beside trolls who reply
  to every request with a dismissal, plus the ring and a link dropper
  (``graph.suite``, tests/test_amplifiers.py).

The wording is our own, not the demo generator's. Tweet ids follow X's snowflake layout
(milliseconds since X's epoch << 22 | sequence), with a millisecond offset and a sequence range
the demo generator never uses, and user ids far above the demo's, so a file written here can be
appended to the demo's without colliding.
"""

from __future__ import annotations

import math
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from settings import Settings

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
        if self.seq >= 0x400000:
            raise OverflowError("a feed holds at most 2M tweets")
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



def load(engine, feed: Feed, path: Path) -> int:
    """Import the feed through the real importer; every tweet written must arrive (raises
    otherwise). Returns the tweets stored."""
    from sqlalchemy import text

    from ingest.files import import_files

    with engine.connect() as conn:
        before = conn.execute(text("SELECT COUNT(*) FROM tweets")).scalar()
    res = import_files(engine, None, [feed.write(path)], log=lambda m: None)
    with engine.connect() as conn:
        after = conn.execute(text("SELECT COUNT(*) FROM tweets")).scalar()
    if res.counts.rejected or after - before != len(feed.tweets):
        raise RuntimeError(f"{path}: {res.counts.rejected} rejected, {after - before} of "
                           f"{len(feed.tweets)} tweets stored")
    return after - before


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
        if len(picked) != 6:
            raise RuntimeError("the community has too few customers for the modest helper")
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
        if len(out) != n:
            raise ValueError(f"fewer than {n} customers asked")
        return out

    def rank(self, engine, tmp_path: Path, *fakers: str):
        """Import the community (every tweet written, the fakers' included, must arrive:
        ``load``) and rank it."""
        from graph.rank import run_ranking

        load(engine, self.f, tmp_path / "community.jsonl")
        for name in fakers:
            if not self.f.count_by(name):
                raise ValueError(f"{name} wrote nothing")
        return run_ranking(engine, ACME)

    def when_of(self, tid: str) -> datetime:
        return created(self.f.known[tid])



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
    if len(usable) < 600:
        raise ValueError(f"the demo has {len(usable)} usable requests, 600 are needed")
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



# --------------------------------------------------------------------------------------------
# Amplifiers and trolls: the two halves of "community helpers who amplify fixes" beside the
# loudest look-alike, and the gaming accounts.

AMPLIFIERS = ["relay_rosa", "passiton_pat", "kb_keeper", "sharing_sunil", "fixfinder_fay"]
TROLLS = ["snark_stan", "meh_marge", "dunno_dom", "bored_bri", "shrug_shay"]
MASS_RT = "rt_everything_ray"   # retweets everything the brand posts, fixes and promotions
DROPPER = "linky_lou"           # pastes a help link under requests; nobody replies
AMP_RING = ["ring_ada", "ring_bo", "ring_cy", "ring_di", "ring_ed"]

QUOTES = ["This fixed it for me, pass it on 👇", "Saved me a support call. Sharing in case "
          "yours does the same", "If your {thing} is acting up after the update, this is the one",
          "Worked on both of mine. Bookmark it", "Two minutes, no reset needed. Recommended",
          "Finally an answer for the {thing} thing 🙌"]
GUIDES = ["Wrote up how I got the {thing} stable again, with screenshots: "
          "https://community.acme.example/t/{n}",
          "My notes on the {thing} {fault} problem, every step that worked: "
          "https://help.acme.example/kb/{kb}",
          "Short guide for anyone whose {thing} keeps {fault}: https://help.acme.example/kb/{kb}"]
GUIDE_REPLIES = ["this is great, thanks for writing it up", "saved me, cheers",
                 "followed it step by step, works now"]
# Troll wording: dismissals of our own, some in the phrase lists' words and some not.
SNARK = ["lol just switch to Android", "skill issue tbh",
         "welcome to the club, it'll never work", "give up mate, it's been broken for years",
         "have you tried not buying Acme 🤡", "imagine paying for this",
         "works fine for me, must be you 🤷", "just buy a better router honestly",
         "lmao same, they don't care", "yikes. good luck with that",
         "bin it and get something that works", "that's what you get for buying cheap"]
PROMOS = ["Black Friday: 30% off every Acme {thing} this weekend only",
          "New colours just dropped for the Acme {thing} 🎨", "Win an Acme {thing}! Follow and "
          "retweet to enter", "Our {thing} is back in stock at all partners"]


def amplifiers_and_trolls(seed: int = 5) -> tuple[Community, dict[str, Any]]:
    """The base community plus: five amplifiers who retweet and quote 10 to 30 of the brand's
    fix tweets and post guides of their own that customers engage with; five trolls who reply
    to 20 to 50 requests each with a dismissal; an account that retweets everything the brand
    posts; a link dropper; and a five-account thanks ring. Returns the community and its
    truth: who is a helper, an amplifier, a troll, a gamer."""
    c = Community(seed)
    f, r = c.f, c.r
    for name in AMPLIFIERS:
        f.user(name, r.choice([40, 150, 600, 2500]), r.choice(["Acme user since 2019",
               "Home network hobbyist", "I share what works", ""]))
    for name in TROLLS:
        f.user(name, r.randint(30, 4000), r.choice(["Professional cynic", "lol", "",
                                                    "Opinions nobody asked for"]))
    f.user(MASS_RT, 90, "Acme everything")
    f.user(DROPPER, 300, "Links that fix things")
    for name in AMP_RING:
        f.user(name, r.randint(50, 400), "Gadgets & coffee")
    # More of the brand's own fix tweets, and its promotions.
    fixes = list(c.brand_fixes)
    for i in range(30):
        fixes.append(f.post("AcmeHelp", fill(r, "Seeing your {thing} {fault}? This fixes it in "
                                                "a few steps: https://help.acme.example/kb/{kb}"),
                            c.at(1 + i * 2.2, r.uniform(9, 17))))
    promos = [f.post("Acme", fill(r, r.choice(PROMOS)), c.at(2 + i * 4.5, 12)) for i in range(15)]
    # Amplifiers: each passes on 10 to 30 different fixes (a third of them quoted with their own
    # words), and posts two or three guides of their own that customers reply to.
    for k, name in enumerate(AMPLIFIERS):
        n = 10 + 5 * k
        for j, fx in enumerate(r.sample(fixes, n)):
            at = created(f.known[fx]) + timedelta(hours=r.uniform(1, 30))
            if j % 3 == 0:
                f.post(name, fill(r, r.choice(QUOTES)), at, quote=fx)
            else:
                f.post(name, "", at, retweet=fx)
        for g in range(2 + k % 2):
            guide = f.post(name, fill(r, r.choice(GUIDES), n=r.randint(1000, 99999)),
                           c.at(5 + 20 * g + k, 19))
            for who in r.sample(c.customers, 2):
                f.reply(who, guide, r.choice(GUIDE_REPLIES),
                        c.at(5 + 20 * g + k, 21 + r.random()))
    # Trolls: 20 to 50 dismissals each under customers' requests, never thanked.
    for k, name in enumerate(TROLLS):
        for tid in r.sample(c.requests, min(len(c.requests), 20 + 7 * k)):
            f.reply(name, tid, r.choice(SNARK), c.when_of(tid) + timedelta(minutes=r.randint(
                5, 300)))
    # Retweets everything the brand posts, an hour or so later.
    for tid in fixes + promos:
        f.post(MASS_RT, "", created(f.known[tid]) + timedelta(minutes=r.randint(30, 180)),
               retweet=tid)
    # A link dropper: a help link under 40 requests, nobody replies.
    for tid in r.sample(c.requests, 40):
        f.reply(DROPPER, tid, r.choice(DROPS).format(n=r.randint(1000, 99999),
                                                    kb=r.randint(100, 999)),
                c.when_of(tid) + timedelta(minutes=r.randint(3, 90)))
    # A thanks ring: fake questions, plausible answers, thanks for every answer.
    for i in range(20 * len(AMP_RING)):
        asker = AMP_RING[i % len(AMP_RING)]
        at = c.at(r.uniform(0, DAYS - 2), r.uniform(8, 20))
        q = f.post(asker, fill(r, r.choice(RING_ASKS)), at)
        for j, other in enumerate(x for x in AMP_RING if x != asker):
            a = f.reply(other, q, r.choice(RING_ANSWERS), at + timedelta(minutes=5 + 20 * j))
            f.reply(asker, a, r.choice(RING_THANKS), at + timedelta(minutes=100 + 10 * j))
    truth = {"helpers": [*c.regulars, MODEST, ONCE], "amplifiers": list(AMPLIFIERS),
             "trolls": list(TROLLS), "gamers": [MASS_RT, DROPPER, *AMP_RING]}
    return c, truth
