"""One real-browser test: `streamlit run app.py` headless on 127.0.0.1, driven in Chromium.

It opens the leaderboard, checks the top champion is visible and saves a screenshot; then opens
the page of a helper whose name, bio and tweets hold HTML, a script and markdown images, and
checks that none of it became an element: untrusted text is shown as text. The leaderboard's
download is fetched as a user would and read: no cell is a live formula, nobody do-not-contact
or in the cooldown is in it, and Streamlit's own "Download as CSV" is not on the table's toolbar.
"""

from __future__ import annotations

import csv
import os
import re
from contextlib import contextmanager
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import orjson
import pytest

from graph.rank import run_ranking
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.files import import_files
from outreach.export import EXPORT_COLUMNS
from outreach.pipeline import update_entry
from settings import Settings
from store.db import make_engine
from tests.conftest import IN_CI, ROOT

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
HOSTILE_NAME = '<img src="x" onerror="window.pwned=1">Eve'
HOSTILE_BIO = "<script>window.pwned=2</script> ![pic](http://127.0.0.1:9/bio.png)"
HOSTILE_FIX = ("@cust_0 <b>bold</b> **strong** ![img](http://127.0.0.1:9/fix.png) try holding "
               "the reset button for 10 seconds")
# A helper whose name and answers a spreadsheet would run.
FORMULA_NAME = '=HYPERLINK("http://evil.example","click")'
FORMULA_FIX = "=cmd|' /C calc'!A0 then try holding the reset button for 10 seconds"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _need(ok: bool, why: str) -> None:
    if not ok:
        if IN_CI:
            pytest.fail(why + " (CI must run the browser test)")
        pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hostile_page() -> bytes:
    users = [{"id": "777000", "username": "eve_helps", "name": HOSTILE_NAME,
              "description": HOSTILE_BIO, "public_metrics": {"followers_count": 10}},
             {"id": "777001", "username": "asker_eve", "name": "Asker"},
             {"id": "778000", "username": "formula_fan", "name": FORMULA_NAME,
              "description": "+1 for spreadsheets", "public_metrics": {"followers_count": 10}},
             {"id": "778001", "username": "asker_formula", "name": "-Asker"},
             {"id": "1", "username": "AcmeHelp", "name": "Acme Help"}]
    data = (_helped(777000, "eve_helps", 777001, HOSTILE_FIX, 7_770_000)
            + _helped(778000, "formula_fan", 778001, FORMULA_FIX, 7_780_000))
    return orjson.dumps({"data": data, "includes": {"users": users}}) + b"\n"


def _helped(helper: int, username: str, asker: int, answer: str, first_id: int) -> list[dict]:
    """Twelve help requests to the brand, each answered by ``helper`` and thanked."""
    end = datetime(2026, 10, 30, 12, 0)
    data = []
    for i in range(12):
        at = end - timedelta(days=i * 5)
        req, ans, thx = first_id + i * 3, first_id + 1 + i * 3, first_id + 2 + i * 3
        data += [
            {"id": str(req), "author_id": str(asker),
             "text": "@AcmeHelp my router is broken, help?",
             "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "entities": {"mentions": [{"username": "AcmeHelp", "id": "1"}]}},
            {"id": str(ans), "author_id": str(helper), "text": answer,
             "created_at": (at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "referenced_tweets": [{"type": "replied_to", "id": str(req)}],
             "in_reply_to_user_id": str(asker)},
            {"id": str(thx), "author_id": str(asker), "text": f"@{username} thanks, that worked!",
             "created_at": (at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "referenced_tweets": [{"type": "replied_to", "id": str(ans)}],
             "in_reply_to_user_id": str(helper)}]
    return data


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo community with the hostile helpers, ranked; the second-best asked not to be
    contacted and the third was contacted today."""
    _need(Path(CHROMIUM).exists(), f"{CHROMIUM} not installed (apt-get install chromium)")
    _need(shutil.which("streamlit", path=str(Path(sys.executable).parent)) is not None,
          "streamlit not installed")
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'demo.db'}"
    engine = make_engine(url)
    demo = tmp / "demo.jsonl"
    generate_demo(demo, DemoSpec(3000, 7))
    hostile = tmp / "hostile.jsonl"
    hostile.write_bytes(_hostile_page())
    import_files(engine, None, [demo, hostile], log=lambda m: None)
    res = run_ranking(engine, Settings(
        support_handles=tuple(DEMO_SETTINGS["support_handles"]),
        staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
        fix_domains=tuple(DEMO_SETTINGS["fix_domains"])))
    ranked = [p.username for p in res.ranked]
    assert "eve_helps" in ranked and "formula_fan" in ranked
    update_entry(engine, res.ranked[1].user_id, "lead@acme.example", status="do-not-contact")
    update_entry(engine, res.ranked[2].user_id, "lead@acme.example", status="contacted")
    engine.dispose()
    return url, res


@pytest.fixture(scope="module")
def server(demo):
    url, res = demo
    with streamlit_app(ROOT, {"CHAMPIONS_DB_URL": url}) as base:
        yield base, res


@contextmanager
def streamlit_app(cwd: Path, env: dict[str, str], port: int | None = None):
    """``streamlit run app.py`` headless on 127.0.0.1, from ``cwd`` (where it finds
    ``.streamlit/``); yields the base URL once the server answers."""
    port = port or _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
         "true", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start within 60 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "playwright not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def test_leaderboard_shows_the_top_champion(server, browser, tmp_path):
    base, res = server
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(base, wait_until="networkidle")
    top = res.ranked[0].username
    page.get_by_text(f"#1  @{top}").wait_for(timeout=30_000)
    page.get_by_text("Search by username or name").wait_for(timeout=30_000)
    page.wait_for_timeout(2500)  # the table is a canvas, drawn after the page settles
    shot = Path(os.environ.get("CHAMPIONS_SCREENSHOTS", tmp_path)) / "leaderboard.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()


def test_leaderboard_download_has_no_live_formula(server, browser, tmp_path):
    base, res = server
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.goto(base, wait_until="networkidle")
    page.get_by_text(f"#1  @{res.ranked[0].username}").wait_for(timeout=30_000)
    # The podium says who must not be contacted, and who was contacted recently.
    page.get_by_text(f"@{res.ranked[1].username}").first.wait_for(timeout=10_000)
    assert page.get_by_text("do not contact", exact=False).count() >= 1
    assert page.get_by_text("cooldown until", exact=False).count() >= 1
    # Streamlit's own table download is gone: the toolbar shows, without "Download as CSV".
    page.locator('[data-testid="stDataFrame"]').first.hover()
    page.get_by_role("button", name="Search").first.wait_for(timeout=10_000)
    assert page.get_by_role("button", name="Fullscreen").count() >= 1
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    # The page's own download: prepared on request, then fetched as a user would.
    page.get_by_role("button", name="Prepare CSV").click()
    button = page.get_by_role("button", name=re.compile(r"^Download \d+ people$"))
    button.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    said = int(re.search(r"\d+", button.inner_text()).group())
    shot = Path(os.environ.get("CHAMPIONS_SCREENSHOTS", tmp_path)) / "leaderboard-export.png"
    page.screenshot(path=str(shot), full_page=True)
    with page.expect_download(timeout=30_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "champions-leaderboard.csv"
    with open(download.path(), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    page.close()
    assert rows[0] == EXPORT_COLUMNS
    live = [(r[1], c) for r in rows[1:] for c in r if c.startswith(FORMULA_START)]
    assert live == []
    by_name = {r[1]: dict(zip(rows[0], r)) for r in rows[1:]}
    fan = by_name["formula_fan"]
    assert fan["name"] == "'" + FORMULA_NAME
    assert fan["evidence_tweet"].startswith("'=cmd|")
    assert res.ranked[0].username in by_name
    assert res.ranked[1].username not in by_name  # do-not-contact
    assert res.ranked[2].username not in by_name  # contacted today: in the cooldown
    assert len(by_name) == len(rows) - 1 == said


def test_a_fresh_server_opens_a_person_link_and_says_do_not_contact(demo, browser):
    """A person link sent to a server nobody has visited yet (it hands over to app.py first)
    still opens that person, whose page says not to contact them."""
    url, res = demo
    who = res.ranked[1].username
    with streamlit_app(ROOT, {"CHAMPIONS_DB_URL": url}) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/person?u={who}", wait_until="networkidle")
        page.get_by_text(f"@{who}  ·").wait_for(timeout=30_000)
        page.get_by_text("Do not contact: leave this person out of messages and exports."
                         ).wait_for(timeout=10_000)
        page.close()


def test_untrusted_text_is_never_rendered_as_html(server, browser, tmp_path):
    base, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    requests_made: list[str] = []
    page.on("request", lambda r: requests_made.append(r.url))
    page.goto(f"{base}/person?u=eve_helps", wait_until="networkidle")
    page.get_by_text("@eve_helps").first.wait_for(timeout=30_000)
    page.get_by_text("<script>window.pwned=2</script>", exact=False).first.wait_for(
        timeout=10_000)
    page.wait_for_timeout(1500)
    shot = Path(os.environ.get("CHAMPIONS_SCREENSHOTS", tmp_path)) / "person.png"
    page.screenshot(path=str(shot), full_page=True)
    assert page.evaluate("window.pwned") is None
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("script", has_text="pwned").count() == 0
    assert page.locator("b", has_text="bold").count() == 0
    assert page.locator("strong", has_text="strong").count() == 0
    assert page.locator('img[src*="127.0.0.1:9"]').count() == 0
    assert not [u for u in requests_made if "127.0.0.1:9/" in u]
    page.close()


@pytest.mark.parametrize("path,heading", [("fixes", "Fixes"), ("network", "Network"),
                                          ("outreach", "Outreach"),
                                          ("health", "Ingestion health")])
def test_main_pages_render_in_the_browser(server, browser, tmp_path, path, heading):
    base, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/{path}", wait_until="networkidle")
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # charts draw after the heading
    assert page.get_by_text("Traceback").count() == 0
    # Navigation is app.py's, never the raw pages/ folder (where "common" would show).
    assert page.get_by_role("link", name="Leaderboard").count() == 1
    assert page.get_by_role("link", name="common").count() == 0
    shot = Path(os.environ.get("CHAMPIONS_SCREENSHOTS", tmp_path)) / f"{path}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()
