"""A seeded demo support community, written as twarc2 JSONL so it goes through the real importer.

The brand Acme answers customers through @AcmeHelp (English) and @AcmeAyuda (Spanish). Around
it: customers with problems, and planted **champions** who answer them with fixes, get thanked,
and spread Acme's fix tweets; among look-alike distractors:

* loud high-follower complainers, who tweet a lot and draw replies but help nobody;
* promo fans, who retweet and praise Acme's promotions (not its fixes);
* bots, which retweet everything within seconds (some say so in their bio, some do not);
* frequent askers, who ask and thank a lot;
* trolls, who reply to requests with snark and get told off;
* link droppers, who paste a help link under every request and are rarely thanked;
* staff, whose personal accounts help a lot (configured as ``staff_handles``);
* casual helpers, who answer once or twice.

The truth (who was planted as what) is written beside the JSONL as ``.truth.json``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

__all__ = ["SIZES", "DemoSpec", "generate_demo", "DEMO_SETTINGS"]

SIZES = {"tiny": 3_000, "small": 20_000, "medium": 200_000, "large": 1_000_000}
END = datetime(2026, 10, 31, tzinfo=timezone.utc)
DAYS = 120
TWITTER_EPOCH_MS = 1288834974657

BRANDS = {"en": "AcmeHelp", "es": "AcmeAyuda"}
MAIN_BRAND = "Acme"
STAFF = ["acme_jordan", "acme_priya", "acme_luis"]
FIX_DOMAINS = ["help.acme.example", "community.acme.example"]
DEMO_SETTINGS = {"support_handles": [*BRANDS.values(), MAIN_BRAND], "staff_handles": STAFF,
                 "fix_domains": FIX_DOMAINS}

T = {
    "en": {
        "request": ["@{brand} my {thing} keeps {fault} since the update, any fix?",
                    "@{brand} {thing} {fault} again. What do I do?",
                    "Anyone know how to stop the {thing} from {fault}? @{brand}",
                    "@{brand} help! the {thing} is {fault} and I have a deadline",
                    "Does anyone else have the {thing} {fault}? Driving me mad"],
        "fix": ["@{who} try holding the reset button for 10 seconds, then unplug it for a minute",
                "@{who} go to Settings > {thing} > Advanced and turn off power saving, that "
                "fixed it for me",
                "@{who} had the same. 1. sign out 2. clear the cache 3. sign back in",
                "@{who} this guide sorted it for me: https://{domain}/kb/{kb}",
                "@{who} you need to update the firmware first, then restart the {thing}"],
        "thanks": ["@{who} thanks, that worked!", "@{who} that did the trick, thank you 🙏",
                   "@{who} legend, all good now", "@{who} it worked! much appreciated",
                   "@{who} fixed it, thanks so much"],
        "negative": ["@{who} didn't work, still broken", "@{who} no luck, same problem",
                     "@{who} that made it worse tbh"],
        "brand_fix": ["Is your {thing} {fault}? Here's how to fix it in two minutes: "
                      "https://{domain}/kb/{kb}",
                      "Known issue: {thing} {fault} after 4.2. Workaround: restart in safe "
                      "mode. Steps: https://{domain}/kb/{kb}"],
        "brand_reply": ["@{who} sorry about that! Please try resetting the {thing}: "
                        "https://{domain}/kb/{kb}",
                        "@{who} we're sorry to hear this. Can you DM us your account number?",
                        "@{who} thanks for reaching out, we're looking into it"],
        "brand_thanks_helper": ["@{who} thanks for helping out, you're a star!",
                                "@{who} thank you for sharing the fix!"],
        "promo": ["Meet the new Acme {thing} Pro, out today! 🎉", "Big weekend sale on every "
                  "{thing}. Don't miss it!", "Our {thing} just won product of the year!"],
        "fan": ["Love my new Acme {thing}! ❤️", "Best {thing} I've ever owned, Acme rocks",
                "Can't wait for the {thing} Pro!!"],
        "complaint": ["@{brand} worst service ever. {thing} {fault} AGAIN. Fix it!",
                      "@{brand} three days with the {thing} {fault}. Unacceptable.",
                      "Never buying Acme again, {thing} {fault} every day @{brand}"],
        "troll": ["@{who} lol just buy a better {thing}", "@{who} not my problem mate",
                  "@{who} imagine paying for this"],
        "troll_reply": ["@{who} nobody asked", "@{who} useless comment", "@{who} shut up"],
        "link_drop": ["@{who} https://{domain}/kb/{kb}", "@{who} read this https://{domain}"],
        "quote": ["This fixed it for me, pass it on 👇", "Saved me a support call. Worth a "
                  "read", "If your {thing} is {fault}, this is the fix"],
        "share": ["PSA: if your {thing} is {fault}, this guide fixes it: https://{domain}/kb/{kb}",
                  "Tip for anyone with the {thing} {fault}: https://{domain}/kb/{kb}"],
        "chatter": ["Coffee first, then emails", "What a game last night!",
                    "Anyone watching the new series?", "Monday again..."],
        "same": ["@{who} same here!", "@{who} me too, so annoying"],
    },
    "es": {
        "request": ["@{brand} mi {thing} sigue {fault} desde la actualización, ¿alguna solución?",
                    "¿Alguien sabe cómo arreglar el {thing}? Sigue {fault} @{brand}",
                    "@{brand} ayuda, el {thing} no funciona y lo necesito"],
        "fix": ["@{who} prueba a reiniciar el {thing} y borra la caché, a mí me funcionó",
                "@{who} ve a Ajustes > {thing} y desactiva el ahorro de energía",
                "@{who} esta guía lo soluciona: https://{domain}/kb/{kb}"],
        "thanks": ["@{who} ¡gracias, funcionó!", "@{who} mil gracias, ya funciona",
                   "@{who} resuelto, eres un crack"],
        "negative": ["@{who} no funcionó, sigue igual", "@{who} no sirve, mismo problema"],
        "brand_fix": ["¿Tu {thing} sigue {fault}? Así se soluciona: https://{domain}/kb/{kb}"],
        "brand_reply": ["@{who} lo sentimos, prueba a reiniciar el {thing}: "
                        "https://{domain}/kb/{kb}", "@{who} escríbenos por DM, por favor"],
        "brand_thanks_helper": ["@{who} ¡gracias por ayudar a la comunidad!"],
        "quote": ["A mí me funcionó, compartidlo 👇", "Si vuestro {thing} falla, esta es la "
                  "solución"],
        "share": ["Consejo: si el {thing} sigue {fault}, esta guía lo arregla: "
                  "https://{domain}/kb/{kb}"],
    },
}
THINGS = {"en": ["router", "phone", "app", "printer", "smart speaker", "laptop", "watch"],
          "es": ["router", "móvil", "app", "impresora", "portátil"]}
FAULTS = {"en": ["dropping wifi", "crashing", "not charging", "freezing", "rebooting",
                 "losing sync"],
          "es": ["desconectándose", "bloqueado", "sin cargar", "reiniciándose"]}


@dataclass
class DemoSpec:
    tweets: int = SIZES["tiny"]
    seed: int = 7


@dataclass
class _User:
    id: int
    username: str
    name: str
    followers: int
    description: str = ""
    lang: str = "en"
    role: str = "customer"


@dataclass
class _Gen:
    spec: DemoSpec
    rng: random.Random
    users: dict[str, list[_User]] = field(default_factory=dict)
    out: list[dict[str, Any]] = field(default_factory=list)  # tweets of the current page
    includes: dict[int, dict[str, Any]] = field(default_factory=dict)
    page_users: dict[int, _User] = field(default_factory=dict)
    by_id: dict[int, tuple[dict[str, Any], _User]] = field(default_factory=dict)
    brand_fixes: list[int] = field(default_factory=list)
    brand_promos: list[int] = field(default_factory=list)
    seq: int = 0
    written: int = 0


def _id_at(when: datetime, seq: int) -> int:
    ms = int(when.timestamp() * 1000) - TWITTER_EPOCH_MS
    return (ms << 22) | (seq & 0x3FFFFF)


def _user_json(u: _User) -> dict[str, Any]:
    return {"id": str(u.id), "username": u.username, "name": u.name,
            "description": u.description, "created_at": "2019-05-01T12:00:00.000Z",
            "verified": False, "protected": False, "location": "", "url": "",
            "public_metrics": {"followers_count": u.followers, "following_count": 300,
                               "tweet_count": 1000, "listed_count": 1}}


class _Writer:
    def __init__(self, path: Path):
        self.fh = path.open("wb")

    def page(self, g: _Gen) -> None:
        if not g.out:
            return
        page = {"data": g.out,
                "includes": {"users": [_user_json(u) for u in g.page_users.values()],
                             "tweets": list(g.includes.values())},
                "meta": {"result_count": len(g.out), "newest_id": g.out[-1]["id"],
                         "oldest_id": g.out[0]["id"]},
                "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?query=acme",
                            "version": "2.14.0", "retrieved_at": "2026-11-01T00:00:00+00:00"}}
        self.fh.write(orjson.dumps(page) + b"\n")
        g.written += len(g.out)
        g.out, g.includes, g.page_users = [], {}, {}

    def close(self) -> None:
        self.fh.close()


def _fill(g: _Gen, lang: str, key: str, **kw: Any) -> str:
    lang = lang if key in T[lang] else "en"
    r = g.rng
    values = {"thing": r.choice(THINGS[lang]), "fault": r.choice(FAULTS[lang]),
              "domain": r.choice(FIX_DOMAINS), "kb": r.randint(100, 999), **kw}
    return r.choice(T[lang][key]).format(**values)


def _tweet(g: _Gen, w: _Writer, author: _User, text: str, when: datetime, *,
           reply_to: int | None = None, retweet: int | None = None, quote: int | None = None,
           mentions: list[_User] = ()) -> int:
    g.seq += 1
    tid = _id_at(when, g.seq)
    t: dict[str, Any] = {"id": str(tid), "author_id": str(author.id), "text": text,
                         "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                         "lang": author.lang, "conversation_id": str(tid),
                         "edit_history_tweet_ids": [str(tid)],
                         "public_metrics": {"retweet_count": 0, "reply_count": 0,
                                            "like_count": g.rng.randint(0, 20), "quote_count": 0},
                         "entities": {}}
    refs = []
    ref_id = reply_to or retweet or quote
    if ref_id is not None and ref_id in g.by_id:
        ref, ref_author = g.by_id[ref_id]
        g.includes[ref_id] = ref
        g.page_users[ref_author.id] = ref_author
        if reply_to:
            refs.append({"type": "replied_to", "id": str(reply_to)})
            t["in_reply_to_user_id"] = str(ref_author.id)
            t["conversation_id"] = ref["conversation_id"]
        if retweet:
            refs.append({"type": "retweeted", "id": str(retweet)})
            t["text"] = f"RT @{ref_author.username}: {ref['text']}"[:280]
            mentions = [ref_author]
            ref["public_metrics"]["retweet_count"] += 1
        if quote:
            refs.append({"type": "quoted", "id": str(quote)})
            ref["public_metrics"]["quote_count"] += 1
    if refs:
        t["referenced_tweets"] = refs
    if mentions:
        t["entities"]["mentions"] = [{"start": 0, "end": len(m.username) + 1,
                                      "username": m.username, "id": str(m.id)}
                                     for m in mentions]
        for m in mentions:
            g.page_users[m.id] = m
    if "https://" in t["text"]:
        url = t["text"][t["text"].index("https://"):].split()[0]
        t["entities"]["urls"] = [{"start": 0, "end": 23, "url": "https://t.co/demo",
                                  "expanded_url": url, "display_url": url[8:]}]
    g.page_users[author.id] = author
    g.out.append(t)
    g.by_id[tid] = (t, author)
    if len(g.by_id) > 60_000:  # only recent tweets are answered or referenced
        for old in list(g.by_id)[:20_000]:
            if old not in g.brand_fixes and old not in g.brand_promos:
                del g.by_id[old]
    if len(g.out) >= 100:
        w.page(g)
    return tid


def _people(g: _Gen) -> None:
    r, n = g.rng, g.spec.tweets
    next_id = [10_000]

    def make(role: str, count: int, prefix: str, followers: tuple[int, int], desc: str = "",
             lang_es: float = 0.2) -> list[_User]:
        out = []
        for i in range(count):
            next_id[0] += r.randint(1, 50)
            lang = "es" if r.random() < lang_es else "en"
            out.append(_User(next_id[0], f"{prefix}{i}", f"{prefix.title()} {i}",
                             r.randint(*followers), desc, lang, role))
        return out

    scale = max(1.0, n / 3000)
    g.users = {
        "brand": [_User(1, BRANDS["en"], "Acme Help", 250_000, "Official Acme support",
                        "en", "brand"),
                  _User(2, BRANDS["es"], "Acme Ayuda", 80_000, "Soporte oficial de Acme",
                        "es", "brand"),
                  _User(3, MAIN_BRAND, "Acme", 2_000_000, "Acme. Things that work.", "en",
                        "brand")],
        "staff": [_User(100 + i, h, h.replace("_", " ").title(), r.randint(200, 2000),
                        "Support engineer at @Acme. Views my own.", "en", "staff")
                  for i, h in enumerate(STAFF)],
        "champion": make("champion", max(6, min(200, round(n / 5000))), "helper_",
                         (50, 3000), "Tech tinkerer. Happy to help.", 0.25),
        "customer": make("customer", max(60, int(120 * scale)), "cust_", (0, 2000), ""),
        "complainer": make("complainer", max(3, int(3 * scale ** 0.7)), "loud_",
                           (50_000, 500_000), "Journalist. Opinions are loud.", 0.0),
        "fan": make("fan", max(4, int(4 * scale ** 0.8)), "fan_", (100, 5000),
                    "Acme fan since day one", 0.1),
        "bot": make("bot", max(3, int(2 * scale ** 0.6)), "newsfeed", (10, 500), "", 0.0),
        "asker": make("asker", max(4, int(4 * scale ** 0.8)), "asker_", (10, 800), "", 0.2),
        "troll": make("troll", max(3, int(3 * scale ** 0.7)), "snark_", (10, 3000), "", 0.0),
        "dropper": make("dropper", max(3, int(3 * scale ** 0.7)), "linkr_", (10, 2000),
                        "Links that help", 0.0),
        "casual": make("casual", max(10, int(12 * scale)), "sometimes_", (0, 1500), ""),
    }
    for i, b in enumerate(g.users["bot"]):
        if i % 2 == 0:
            b.description = "Automated account: retweets #Acme news"


def _when(g: _Gen) -> datetime:
    return END - timedelta(seconds=g.rng.randint(3600, DAYS * 86400))


def _later(when: datetime, g: _Gen, lo: int = 60, hi: int = 6 * 3600) -> datetime:
    return min(END - timedelta(seconds=1), when + timedelta(seconds=g.rng.randint(lo, hi)))


def _request_thread(g: _Gen, w: _Writer, asker: _User) -> None:
    r, U = g.rng, g.users
    when = _when(g)
    brand = U["brand"][0] if asker.lang == "en" else U["brand"][1]
    public = r.random() < 0.3
    text = _fill(g, asker.lang, "request", brand=brand.username)
    req = _tweet(g, w, asker, text, when, mentions=[brand])
    if not public and r.random() < 0.6:
        _tweet(g, w, brand, _fill(g, brand.lang, "brand_reply", who=asker.username),
               _later(when, g), reply_to=req, mentions=[asker])
    helpers = []
    if r.random() < 0.45:
        same_lang = [c for c in U["champion"] if c.lang == asker.lang] or U["champion"]
        helpers.append(("champion", r.choice(same_lang)))
    if r.random() < 0.12:
        helpers.append(("staff", r.choice(U["staff"])))
    if r.random() < 0.06:
        helpers.append(("casual", r.choice(U["casual"])))
    if r.random() < 0.25:
        helpers.append(("dropper", r.choice(U["dropper"])))
    if r.random() < 0.12:
        helpers.append(("troll", r.choice(U["troll"])))
    for kind, h in helpers:
        at = _later(when, g, 120, 8 * 3600)
        if kind == "troll":
            reply = _tweet(g, w, h, _fill(g, "en", "troll", who=asker.username), at,
                           reply_to=req, mentions=[asker])
            if r.random() < 0.5:
                _tweet(g, w, asker, _fill(g, "en", "troll_reply", who=h.username),
                       _later(at, g), reply_to=reply, mentions=[h])
            continue
        key = "link_drop" if kind == "dropper" else "fix"
        lang = asker.lang if kind != "dropper" else "en"
        reply = _tweet(g, w, h, _fill(g, lang, key, who=asker.username), at, reply_to=req,
                       mentions=[asker])
        p_thanks = {"champion": 0.7, "staff": 0.7, "casual": 0.5, "dropper": 0.06}[kind]
        p_neg = {"champion": 0.04, "staff": 0.03, "casual": 0.1, "dropper": 0.35}[kind]
        x = r.random()
        if x < p_thanks:
            _tweet(g, w, asker, _fill(g, asker.lang, "thanks", who=h.username),
                   _later(at, g), reply_to=reply, mentions=[h])
        elif x < p_thanks + p_neg:
            _tweet(g, w, asker, _fill(g, asker.lang, "negative", who=h.username),
                   _later(at, g), reply_to=reply, mentions=[h])
        if kind == "champion" and r.random() < 0.15:
            _tweet(g, w, brand, _fill(g, brand.lang, "brand_thanks_helper", who=h.username),
                   _later(at, g), reply_to=reply, mentions=[h])


def _brand_fix(g: _Gen, w: _Writer) -> None:
    r, U = g.rng, g.users
    brand = r.choice(U["brand"][:2])
    when = _when(g)
    fix = _tweet(g, w, brand, _fill(g, brand.lang, "brand_fix"), when)
    g.brand_fixes.append(fix)
    for b in U["bot"]:
        _tweet(g, w, b, "", when + timedelta(seconds=r.randint(2, 20)), retweet=fix)
    for c in U["champion"]:
        x = r.random()
        if x < 0.25:
            _tweet(g, w, c, "", _later(when, g), retweet=fix)
        elif x < 0.35:
            _tweet(g, w, c, _fill(g, c.lang, "quote"), _later(when, g), quote=fix)
    for cu in r.sample(U["customer"], k=min(3, len(U["customer"]))):
        if r.random() < 0.3:
            _tweet(g, w, cu, "", _later(when, g), retweet=fix)


def _promo(g: _Gen, w: _Writer) -> None:
    r, U = g.rng, g.users
    brand = U["brand"][2]
    when = _when(g)
    promo = _tweet(g, w, brand, _fill(g, "en", "promo"), when)
    g.brand_promos.append(promo)
    for b in U["bot"]:
        _tweet(g, w, b, "", when + timedelta(seconds=r.randint(2, 20)), retweet=promo)
    for f in U["fan"]:
        if r.random() < 0.7:
            _tweet(g, w, f, "", _later(when, g), retweet=promo)
        if r.random() < 0.3:
            q = _tweet(g, w, f, _fill(g, "en", "fan"), _later(when, g), quote=promo)
            if r.random() < 0.4:
                _tweet(g, w, brand, f"@{f.username} thanks for the love! ❤️", _later(when, g),
                       reply_to=q, mentions=[f])


def _complaint(g: _Gen, w: _Writer) -> None:
    r, U = g.rng, g.users
    c = r.choice(U["complainer"])
    brand = U["brand"][0]
    when = _when(g)
    t = _tweet(g, w, c, _fill(g, "en", "complaint", brand=brand.username), when,
               mentions=[brand])
    _tweet(g, w, brand, _fill(g, "en", "brand_reply", who=c.username), _later(when, g),
           reply_to=t, mentions=[c])
    for cu in r.sample(U["customer"], k=min(2, len(U["customer"]))):
        if r.random() < 0.5:
            _tweet(g, w, cu, _fill(g, "en", "same", who=c.username), _later(when, g),
                   reply_to=t, mentions=[c])
    if r.random() < 0.3:
        _tweet(g, w, c, f"@{brand.username} finally fixed, thanks", _later(when, g),
               mentions=[brand])


def _share(g: _Gen, w: _Writer) -> None:
    c = g.rng.choice(g.users["champion"])
    _tweet(g, w, c, _fill(g, c.lang, "share"), _when(g))


def _chatter(g: _Gen, w: _Writer) -> None:
    everyone = g.users["customer"] + g.users["casual"] + g.users["asker"]
    _tweet(g, w, g.rng.choice(everyone), _fill(g, "en", "chatter"), _when(g))


def generate_demo(out: Path, spec: DemoSpec) -> dict[str, Any]:
    """Write the community to ``out`` (twarc2 JSONL) and its truth beside it; return the truth."""
    g = _Gen(spec, random.Random(spec.seed))
    _people(g)
    w = _Writer(out)
    r = g.rng
    try:
        while g.written + len(g.out) < spec.tweets:
            x = r.random()
            if x < 0.55:
                pool = g.users["asker"] if r.random() < 0.25 else g.users["customer"]
                _request_thread(g, w, r.choice(pool))
            elif x < 0.62:
                _brand_fix(g, w)
            elif x < 0.68:
                _promo(g, w)
            elif x < 0.78:
                _complaint(g, w)
            elif x < 0.83:
                _share(g, w)
            else:
                _chatter(g, w)
        w.page(g)
    finally:
        w.close()
    truth = {"champions": [u.username for u in g.users["champion"]],
             "brand": [u.username for u in g.users["brand"]],
             "staff": [u.username for u in g.users["staff"]],
             "bots": [u.username for u in g.users["bot"]],
             "distractors": {k: [u.username for u in g.users[k]]
                             for k in ("complainer", "fan", "asker", "troll", "dropper",
                                       "casual")},
             "settings": DEMO_SETTINGS, "seed": spec.seed, "tweets": g.written}
    out.with_suffix(".truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth
