"""Adversarial (anti-gaming) acceptance tests: the cheapest ways to fake each signal that earns
points, and a check that the faker does not win.

Every community here is written (by ``ingest.communities``) as X API v2 pages in twarc2's
JSONL shape and goes through the real importer (``ingest.files.import_files``) and the real ranking
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

from datetime import timedelta
from typing import Any

import pytest

from graph.rank import run_ranking
from ingest.communities import (CHATTER, DAYS, DEMO, FIXES, GAMERS, MODEST, ONCE, THANKS,
                                Community, Feed, demo_requests, demo_with_planted, fill,
                                gaming_feed, load)
from ingest.files import import_files
from tests.conftest import scalar


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
