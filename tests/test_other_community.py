"""A planted-champion community written here, independently of ``ingest.demo``: another brand,
another format (API v1.1 JSON), other wording and languages, and distractor kinds the demo
generator does not make (giveaway hunters, competitor shills, news aggregators, a mutual-thanks
ring, overeager newbies, a staff member known only from their bio, a high-volume deals bot).
The ranking is not tuned to it: it checks that the method carries over."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import pytest

from graph.evaluate import evaluate
from graph.rank import run_ranking
from ingest.files import import_files
from settings import Settings

START = datetime(2025, 3, 1, 8, 0)


class Community:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.lines: list[str] = []
        self.next_id = 5_000_000_000
        self.users: dict[str, dict] = {}

    def user(self, name: str, followers: int = 100, bio: str = "") -> dict:
        uid = str(900_000 + len(self.users))
        self.users[name] = {"id_str": uid, "screen_name": name, "name": name.title(),
                            "followers_count": followers, "friends_count": 50,
                            "statuses_count": 500, "description": bio,
                            "created_at": "Mon Jan 04 10:00:00 +0000 2016"}
        return self.users[name]

    def post(self, who: str, body: str, at: datetime, reply: dict | None = None,
             rt: dict | None = None, quote: dict | None = None, url: str | None = None) -> dict:
        self.next_id += self.r.randint(1, 1000)
        mentions = []
        for word in body.split():
            if word.startswith("@") and word[1:].strip(".,!?:") in self.users:
                u = self.users[word[1:].strip(".,!?:")]
                mentions.append({"screen_name": u["screen_name"], "id_str": u["id_str"]})
        t = {"id_str": str(self.next_id), "full_text": body, "lang": "en",
             "created_at": at.strftime("%a %b %d %H:%M:%S +0000 %Y"), "user": self.users[who],
             "entities": {"user_mentions": mentions,
                          "urls": [{"expanded_url": url}] if url else []}}
        if reply:
            t["in_reply_to_status_id_str"] = reply["id_str"]
            t["in_reply_to_user_id_str"] = reply["user"]["id_str"]
        if rt:
            t["retweeted_status"] = rt
            t["full_text"] = f"RT @{rt['user']['screen_name']}: {rt['full_text']}"[:140]
        if quote:
            t["quoted_status"] = quote
            t["quoted_status_id_str"] = quote["id_str"]
        self.lines.append(json.dumps(t))
        return t


def build(seed: int) -> tuple[Community, dict[str, set[str]]]:
    c = Community(seed)
    r = c.r
    c.user("GlobexCares", 90_000, "Official Globex customer care, 24/7")
    c.user("Globex", 1_500_000, "Globex. Connecting homes.")
    champs = ["modem_whisperer", "ana_redes", "fixitfelix77", "quietkernel", "rita_on_call"]
    for name in champs:
        c.user(name, r.randint(80, 4000), "Home network nerd")
    c.user("mara_from_globex", 700, "Support agent @GlobexCares. Tweets are mine.")
    customers = [f"household{i}" for i in range(40)]
    for name in customers:
        c.user(name, r.randint(0, 900))
    hunters = [f"winner_{i}" for i in range(3)]
    shills = ["initech_fan", "switcharoo"]
    news = ["wire_daily", "techheadlines"]
    ring = ["followback_a", "followback_b", "followback_c"]
    newbies = ["eager_ed", "curious_cat"]
    for name in hunters + shills + ring + newbies:
        c.user(name, r.randint(50, 3000))
    for name in news:
        c.user(name, r.randint(150_000, 400_000), "Breaking tech news")
    c.user("deals_feed", 1200, "Best prices, every hour")

    requests_en = ["@GlobexCares is there an outage? modem light blinking orange since 6am",
                   "Ugh @GlobexCares the TV box shows error E-42 again",
                   "Does anybody know why the Globex app logs me out every hour?",
                   "@GlobexCares internet drops every evening around 8, what gives"]
    requests_pt = ["@GlobexCares minha internet cai toda noite, alguém ajuda?"]
    answers = ["@{a} blinking orange means the firmware is stuck: pull the power cord, wait "
               "30s and plug it back in. Sorted it for me every time",
               "@{a} E-42 is the HDMI handshake. Swap to another HDMI port and power cycle "
               "the box",
               "@{a} log out of every device under Account > Sessions, then sign in once. "
               "Fixed the hourly logouts for me",
               "@{a} full walkthrough here https://support.globex.test/articles/77"]
    answers_pt = ["@{a} desliga o modem da tomada por 30 segundos e liga de novo, resolveu "
                  "aqui"]
    thanks = ["@{h} you are a genius, back online!", "@{h} brilliant, sorted 👍",
              "@{h} cheers mate, up and running", "@{h} wow that was it, thank you!"]
    thanks_pt = ["@{h} valeu, funcionou!"]

    day = START
    brand_fix = c.post("GlobexCares", "Orange light on your modem? Here's the 2-minute fix: "
                       "https://support.globex.test/articles/12", day,
                       url="https://support.globex.test/articles/12")
    for d in range(60):
        day = START + timedelta(days=d)
        for _ in range(6):  # requests, answered by champions, the agent, shills, newbies
            asker = r.choice(customers)
            pt = r.random() < 0.2
            req = c.post(asker, r.choice(requests_pt if pt else requests_en),
                         day + timedelta(minutes=r.randint(0, 600)))
            if r.random() < 0.5:
                c.post("GlobexCares", f"@{asker} sorry to hear that! Could you DM us your "
                       "account email?", day + timedelta(hours=1), reply=req)
            x = r.random()
            if x < 0.55:
                h = r.choice(champs[1:2] if pt else champs)
                ans = c.post(h, r.choice(answers_pt if pt else answers).format(a=asker),
                             day + timedelta(hours=2), reply=req,
                             url="https://support.globex.test/articles/77" if r.random() < 0.3
                             else None)
                if r.random() < 0.75:
                    c.post(asker, r.choice(thanks_pt if pt else thanks).format(h=h),
                           day + timedelta(hours=3), reply=ans)
                if r.random() < 0.1:
                    c.post("GlobexCares", f"@{h} thank you for sharing the fix!",
                           day + timedelta(hours=4), reply=ans)
            elif x < 0.7:
                ans = c.post("mara_from_globex", r.choice(answers).format(a=asker),
                             day + timedelta(hours=1), reply=req)
                c.post(asker, r.choice(thanks).format(h="mara_from_globex"),
                       day + timedelta(hours=2), reply=ans)
            elif x < 0.82:
                s = r.choice(shills)
                ans = c.post(s, f"@{asker} just switch to Initech lol, never had this problem",
                             day + timedelta(hours=2), reply=req)
                if r.random() < 0.6:
                    c.post(asker, f"@{s} no thanks, not helpful", day + timedelta(hours=3),
                           reply=ans)
            else:
                n = r.choice(newbies)
                c.post(n, f"@{asker} did you try asking Globex about it?",
                       day + timedelta(hours=2), reply=req)
        if d % 5 == 0:  # promos, giveaway hunters, aggregators quoting outage notices
            promo = c.post("Globex", "GIVEAWAY: win a year of free fibre! Reply with two "
                           "friends #GlobexGiveaway", day)
            for hnt in hunters:
                ent = c.post(hnt, f"Done ✅ @{r.choice(customers)} @{r.choice(customers)} "
                             "#GlobexGiveaway", day + timedelta(minutes=5), reply=promo)
                c.post("Globex", f"@{hnt} good luck!", day + timedelta(minutes=30), reply=ent)
            notice = c.post("GlobexCares", "We're aware of an outage in the north region and "
                            "engineers are on it", day + timedelta(hours=5))
            for w in news:
                c.post(w, "BREAKING: Globex outage hits the north region", day +
                       timedelta(hours=6), quote=notice)
        if d % 3 == 0:  # the ring thanks itself for follows
            for a in ring:
                b = r.choice([x for x in ring if x != a])
                c.post(a, f"@{b} thanks for the follow! 🙌", day + timedelta(hours=9))
        if d % 7 == 0:  # champions pass on the brand's fix
            for h in champs[::2]:
                c.post(h, "", day + timedelta(hours=10), rt=brand_fix)
        if d == 30:  # the deals bot posts 200 times in one day
            for i in range(200):
                c.post("deals_feed", f"Deal #{i}: Globex router 20% off",
                       day + timedelta(minutes=i * 5))
    truth = {"champions": set(champs), "staff": {"mara_from_globex"},
             "brand": {"globexcares", "globex"}, "bots": {"deals_feed"}}
    return c, truth


@pytest.mark.parametrize("seed", [1, 2])
def test_method_carries_over_to_another_community(engine, tmp_path, seed):
    c, truth = build(seed)
    path = tmp_path / "globex.json"
    path.write_text("\n".join(c.lines) + "\n")
    res_files = import_files(engine, None, [path], log=lambda m: None)
    assert res_files.counts.rejected == 0
    settings = Settings(support_handles=("GlobexCares", "Globex"),
                        fix_domains=("support.globex.test",))  # staff deliberately not listed
    res = run_ranking(engine, settings)
    ranked = [(p.username or "").lower() for p in res.ranked]
    report = evaluate(ranked, truth, engine)
    ours = report["methods"]["champion tracker"]
    assert ours["precision_at_k"] >= 0.95, ranked[:10]
    assert ours["forbidden_in_top_k"] == []
    # Here the champions are also well connected, so plain PageRank does fairly well (0.8 on
    # seed 1); the ranking must still beat every baseline.
    for name, m in report["methods"].items():
        if name != "champion tracker":
            assert m["precision_at_k"] < ours["precision_at_k"], name
            assert m["average_precision"] < ours["average_precision"], name
    flags = {(p.username or "").lower(): p.flags for p in res.people if p.flags}
    assert flags.get("mara_from_globex") == ["staff (says so in their bio)"]
    assert "mara_from_globex" not in ranked and "deals_feed" not in ranked
    tiers = {(p.username or "").lower(): p.tier for p in res.people}
    assert {n for n, t in tiers.items() if t == "champion"} == truth["champions"]
    # No distractor comes near: every one scores below a fifth of the weakest champion.
    scores = {(p.username or "").lower(): p.score for p in res.people}
    weakest = min(scores[n] for n in truth["champions"])
    for name in ("initech_fan", "switcharoo", "followback_a", "followback_b", "followback_c",
                 "eager_ed", "curious_cat", "wire_daily", "techheadlines", "winner_0"):
        assert scores.get(name, 0.0) < weakest / 5, name
