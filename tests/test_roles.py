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
    ("@kim midnight apparently!", {"answer"}),
    ("@kim If you called an 0844 number this is premium rate", {"answer"}),
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
