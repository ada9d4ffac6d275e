"""Sign-in in the browser against a local OIDC provider (oidc-provider-mock) on 127.0.0.1: an
allowed address gets in, any other is refused."""

from __future__ import annotations

import pytest

from store.db import make_engine
from tests.test_browser import _free_port, _need, browser, streamlit_app  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory):
    try:
        from oidc_provider_mock import run_server_in_thread
    except ImportError:
        _need(False, "oidc-provider-mock not installed")
    tmp = tmp_path_factory.mktemp("signin")
    url = f"sqlite:///{tmp / 'empty.db'}"
    make_engine(url).dispose()
    (tmp / "champions.toml").write_text(
        '[access]\nallowed_emails = ["ana@acme.example"]\nallowed_domains = ["staff.acme.example"]\n')
    with run_server_in_thread(port=0) as oidc:
        port = _free_port()
        (tmp / ".streamlit").mkdir()
        (tmp / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "test-cookie-secret-not-for-production"\n'
            'client_id = "champion-tracker"\n'
            'client_secret = "test-client-secret"\n'
            f'server_metadata_url = "http://127.0.0.1:{oidc.server_port}'
            '/.well-known/openid-configuration"\n')
        env = {"CHAMPIONS_DB_URL": url, "CHAMPIONS_CONFIG": str(tmp / "champions.toml")}
        with streamlit_app(tmp, env, port) as base:
            yield base


def _sign_in(browser, base: str, email: str):
    page = browser.new_context().new_page()
    page.goto(base, wait_until="networkidle")
    page.get_by_role("button", name="Sign in").click()
    page.locator('input[name="sub"]').wait_for(timeout=30_000)
    page.fill('input[name="sub"]', email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**", timeout=30_000)
    return page


def test_a_page_url_as_the_first_request_shows_nothing_without_sign_in(signed_app, browser):
    """The first request to this fresh server goes straight to a page: Streamlit's legacy
    pages/ mode would run it without app.py; it must still show no data."""
    page = browser.new_context().new_page()
    page.goto(f"{signed_app}/health", wait_until="networkidle")
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    assert page.get_by_text("Ingestion health").count() == 0
    assert page.get_by_text("Tweets", exact=True).count() == 0
    page.context.close()


def test_allowed_address_gets_in(signed_app, browser):
    page = _sign_in(browser, signed_app, "ana@acme.example")
    page.get_by_text("Signed in as ana@acme.example").wait_for(timeout=30_000)
    page.get_by_text("No ranking yet").wait_for(timeout=30_000)
    assert page.get_by_text("not on the staff allow-list").count() == 0
    page.context.close()


def test_allowed_domain_gets_in(signed_app, browser):
    page = _sign_in(browser, signed_app, "bo@staff.acme.example")
    page.get_by_text("Signed in as bo@staff.acme.example").wait_for(timeout=30_000)
    page.context.close()


def test_other_address_is_refused(signed_app, browser):
    page = _sign_in(browser, signed_app, "mallory@evil.example")
    page.get_by_text("This account is not on the staff allow-list.").wait_for(timeout=30_000)
    assert page.get_by_text("No ranking yet").count() == 0
    assert page.get_by_role("heading", name="Leaderboard").count() == 0
    page.context.close()


def test_without_sign_in_nothing_is_shown(signed_app, browser):
    page = browser.new_context().new_page()
    page.goto(signed_app, wait_until="networkidle")
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert page.get_by_text("No ranking yet").count() == 0
    page.context.close()
