"""Tweet roles: pure functions, English and Spanish, with the settings' phrases."""

import pytest

from settings.phrases import PHRASES
from graph.roles import RoleMatcher

M = RoleMatcher(PHRASES)


@pytest.mark.parametrize("text", [
    "@AcmeHelp my router keeps dropping wifi every hour, any fix?",
    "Anyone know how to get the app to sync again? It's stuck on loading",
    "@AcmeHelp ayuda, no puedo entrar a mi cuenta",
    "¿Alguien sabe por qué no carga la app?",
    "my phone won't charge since the update",
])
def test_help_requests(text):
    assert M.classify(text).request


@pytest.mark.parametrize("text", [
    "@kim try holding the power button for 10 seconds, then unplug it for a minute",
    "@kim go to Settings > Network and reset network settings, that fixed it for me",
    "@kim 1. open the app 2. sign out 3. sign back in",
    "@kim prueba a reiniciar el router y borra la caché de la app",
    "@kim have you tried clearing the cache?",
])
def test_fixes(text):
    roles = M.classify(text)
    assert roles.fix
    assert not roles.request


@pytest.mark.parametrize("text", [
    "@sam thanks, that worked!", "@sam that did the trick 🙏", "@sam muchas gracias, ya funciona",
    "@sam you're a lifesaver", "@sam ty!!", "@sam merci ça marche",
])
def test_thanks(text):
    roles = M.classify(text)
    assert roles.thanks and not roles.negative and not roles.request


@pytest.mark.parametrize("text", [
    "@sam didn't work, still broken", "@sam not my problem mate", "@sam no funcionó, sigue igual",
    "@sam stop spamming links",
])
def test_negative(text):
    assert M.classify(text).negative


@pytest.mark.parametrize("text", [
    "@sam thanks but it still doesn't work", "@sam thanks for nothing",
    "@sam no thanks", "@sam thank you for nothing 🙄", "@sam thanks a lot, genius. still broken",
])
def test_negated_and_sarcastic_thanks_are_not_thanks(text):
    roles = M.classify(text)
    assert roles.negative and not roles.thanks


def test_words_inside_other_words_do_not_count():
    roles = M.classify("@ty_help_desk typewriter party at the helpdesk")
    assert not roles.thanks  # "ty" only as a word, and leading @mentions are ignored
    assert not M.classify("@helpme cheerful tryouts today").fix


def test_mentions_and_links_are_not_read_as_words():
    assert not M.classify("@thanks_bot https://example.com/try-again").fix


def test_empty_and_plain_tweets():
    assert not any(M.classify(None))
    assert not any(M.classify("Lovely weather in Leeds today"))


def test_phrases_from_settings_replace_defaults():
    m = RoleMatcher({"en": {"thanks": ["nice one"]}})
    assert m.classify("@a nice one!").thanks
    assert not m.classify("@a thanks").thanks
    assert m.fingerprint != M.fingerprint


def test_every_default_phrase_is_found_and_whole_words_stay_whole():
    for lang, roles in PHRASES.items():
        tag = None if lang == "any" else lang
        for role, phrases in roles.items():
            for p in phrases:
                assert role in M.matches(f"well {p} then", tag), (lang, role, p)
                spaced = not any("\u3040" <= ch <= "\u9fff" for ch in p)
                if spaced and p[0].isalnum() and p[-1].isalnum():
                    assert role not in M.matches(f"x{p}x", tag), (lang, role, p)


@pytest.mark.parametrize("text,roles", [
    ("@kim Me too am suffering, hope the can find a solution", {"chatter"}),
    ("1. Amazing time today at #PeoplesAssembly", set()),
    ("@x Please DM us your serial number ^JK", {"agent"}),
    ("@x Sorry to hear that! -Thanks-Anwar", {"agent"}),
    ("@x Good morning pie makers! Who is ready for day 9?", {"chatter"}),
    ("@a @b What do you need help with?", {"chatter"}),
    ("@kim you can get a tortilla on the side.", {"answer"}),
    # One weak cue is no answer by the phrases alone (a complaint says "because" as often):
    # a reply like these to another customer's request is read by the help model.
    ("@kim midnight apparently!", set()),
    ("@kim If you called an 0844 number this is premium rate", set()),
    ("@kim because they never answer lol", {"chatter"}),
    ("@kim apparently it's because the update broke it", {"answer"}),
    ("So when you say early hours, just how early please? Cheers.", {"request", "thanks"}),
])
def test_what_counts_on_real_tweets(text, roles):
    """Wording from the shared TWCS files: which roles hold (of request, answer, thanks,
    chatter, agent)."""
    got = M.classify(text)
    held = {r for r in ("request", "answer", "thanks", "chatter", "agent") if getattr(got, r)}
    assert held == roles


def test_agent_signoff_is_not_thanks():
    assert not M.classify("@kim Sorry for the trouble, we're on it. -Thanks-Anwar").thanks
    assert not M.classify("@kim Let me know how you get on. Thanks - Emma").thanks


# --- The classifier's fast paths give the plain patterns' answers -------------------------

def _real_texts() -> list[str]:
    """Every tweet text and bio in the shared real data (TWCS CSVs, twarc2 JSONL, v1.1 JSON,
    the X archive, tweepy's recorded API responses): 12,773 distinct strings in many languages."""
    import csv
    import json

    from tests.conftest import REALDATA

    if not REALDATA.is_dir():
        pytest.skip(f"the shared real data is not at {REALDATA}")
    texts: set[str] = set()

    def walk(v) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if k in ("text", "full_text", "description") and isinstance(x, str):
                    texts.add(x)
                else:
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for path in sorted(REALDATA.rglob("*")):
        if path.suffix == ".csv" and "twcs" in path.parent.name:
            with path.open(encoding="utf-8", newline="") as fh:
                texts.update(r["text"] for r in csv.DictReader(fh) if r.get("text"))
        elif path.suffix in (".json", ".jsonl", ".js"):
            raw = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".js":
                raw = raw[raw.find("["):]
            docs = raw.splitlines() if path.suffix == ".jsonl" else [raw]
            for doc in docs:
                try:
                    walk(json.loads(doc))
                except ValueError:
                    continue
    return sorted(texts)


def test_the_fast_paths_equal_the_plain_patterns_on_every_real_text():
    """``_Lists.present`` (words looked up, not ten patterns searched), the sign-off searched
    from the end and ASCII normalised without NFKC: the same answers as the plain way, for
    every real text, in every language's lists and in the lists for an unknown language."""
    import re
    import unicodedata

    from graph import roles

    texts = _real_texts()
    assert len(texts) > 10_000
    matchers = [M._compile(key) for key in M._sources]
    for text in texts:
        folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace(
            "‘", "'")
        assert roles.normalize(text) == re.sub(r"([a-zß-ÿ])\1{2,}", r"\1", folded)
        stripped = roles.SIGNOFF.search(text.rstrip())
        assert roles.strip_signoff(text) == ((text[:stripped.start()], True) if stripped
                                             else (text, False))
        body, _ = M._body(text)
        for lists in matchers:
            assert lists.present(body) == lists.present_by_patterns(body), (text, body)


@pytest.mark.parametrize("text", [
    "Fixed it for you." + " " * 60 + "Thanks, Emma",       # a run of spaces before a sign-off
    "お問い合わせありがとうございます" + "\u3000" * 70 + "TY",  # and ideographic ones
    "x" * 200 + " ^JK",
    "please try again later -Becky https://t.co/abc " + "y" * 80,
    "try this ^JK https://t.co/" + "a" * 90,                # a long link after a sign-off
    "restart it, that's how you'd fix it; you can't? try again. thx!!! 🙏 +1 #contest",
    "¡Gracias! ya funcionó 🙌 — you can't be serious /s",
    "Ｔｈａｎｋｓ！ ｆｕｌｌ ｗｉｄｔｈ ａｎｄ ＴＲＹ ＩＴ",
])
def test_the_fast_paths_on_hard_cases(text):
    from graph import roles

    stripped = roles.SIGNOFF.search(text.rstrip())
    assert roles.strip_signoff(text) == ((text[:stripped.start()], True) if stripped
                                         else (text, False))
    body, _ = M._body(text)
    for lists in [M._compile(key) for key in M._sources]:
        assert lists.present(body) == lists.present_by_patterns(body)


# Leading handles a reply can start with, the hostile ones first (handles running into the
# words, a link, a sign-off; fullwidth at signs; handles longer than X allows).
_LEADS = ("", "@ann ", "@ann @AcmeHelp ", "  @b\t@c\n", "＠AB ", "＠xy @z ", "@abcdefghijklmnopq ",
          "@abc", "@abchttp://t.co/x ", "@a -", "@Zed_99 ^", "@q .", "@q ", "@Ann  @BOB   ")


def test_a_page_reads_a_reply_as_it_reads_the_reply_alone():
    """The classifier reads the words after a tweet's leading handles once a page
    (``graph.classify._words_key``): real texts, behind four of the leads above each, get
    the roles and help reading it gets read alone, with a help model (and without)."""
    import random

    from graph.classify import _roles_of
    from graph.helpmodel import load_model

    model = load_model()
    assert model is not None
    rnd = random.Random(7)
    texts = rnd.sample(sorted(_real_texts()), 3000)  # (all of them: 45 s)
    # Words that read differently when a handle runs into them: behind every lead.
    glued = ["-Becky", "^JK", "-Thanks-Anwar", "/CG try again", "TY", "http://t.co/a ok"]
    rows = []
    for n, text in enumerate(glued + texts):
        for lead in (_LEADS if n < len(glued) else rnd.sample(_LEADS, 4)):
            # Six or more handles make a broadcast: some texts get them, after the lead.
            more = " ".join(f"@u{k}" for k in range(6)) + " " if n % 9 == 0 else ""
            rows.append((len(rows) + 1, lead + more + text, "reply", rnd.choice(
                (None, "en", "es", "ja")), n % 3 != 0))
    linked = {tid for tid, *_ in rows if tid % 17 == 0}
    for used in (model, None):
        alone = [_roles_of(M, [row], linked, used)[0] for row in rows]
        assert _roles_of(M, rows, linked, used) == alone
