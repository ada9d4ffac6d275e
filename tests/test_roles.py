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


def test_thanks_but_still_broken_is_both():
    roles = M.classify("@sam thanks but it still doesn't work")
    assert roles.thanks and roles.negative


def test_words_inside_other_words_do_not_count():
    roles = M.classify("@ty_help_desk typewriter party at the helpdesk")
    assert not roles.thanks  # "ty" only as a word, and leading @mentions are ignored
    assert not M.classify("@helpme cheerful tryouts today").fix


def test_mentions_and_links_are_not_read_as_words():
    assert not M.classify("@thanks_bot https://example.com/try-again").fix


def test_empty_and_plain_tweets():
    assert M.classify(None) == (False, False, False, False)
    assert M.classify("Lovely weather in Leeds today") == (False, False, False, False)


def test_phrases_from_settings_replace_defaults():
    m = RoleMatcher({"en": {"thanks": ["nice one"]}})
    assert m.classify("@a nice one!").thanks
    assert not m.classify("@a thanks").thanks
    assert m.fingerprint != M.fingerprint


def test_every_default_phrase_is_found_and_whole_words_stay_whole():
    for roles in PHRASES.values():
        for role, phrases in roles.items():
            rx = M._rx[role]
            for p in phrases:
                assert rx.search(f"well {p.lower()} then"), (role, p)
                if p[0].isalnum() and p[-1].isalnum():
                    assert not rx.fullmatch(f"x{p.lower()}x") and not rx.search(
                        f"zz{p.lower()}zz".replace(" ", "_")), (role, p)
