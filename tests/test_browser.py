"""One real-browser test: `streamlit run app.py` headless on 127.0.0.1, driven in Chromium.

It opens the leaderboard, checks the top champion is visible and saves a screenshot; then opens
the page of a helper whose name, bio and tweets hold HTML, a script and markdown images, and
checks that none of it became an element: untrusted text is shown as text.
"""

from __future__ import annotations

import os
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
from settings import Settings
from store.db import make_engine
from tests.conftest import IN_CI, ROOT

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
HOSTILE_NAME = '<img src="x" onerror="window.pwned=1">Eve'
HOSTILE_BIO = "<script>window.pwned=2</script> ![pic](http://127.0.0.1:9/bio.png)"
HOSTILE_FIX = ("@cust_0 <b>bold</b> **strong** ![img](http://127.0.0.1:9/fix.png) try holding "
               "the reset button for 10 seconds")


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
    end = datetime(2026, 10, 30, 12, 0)
    users = [{"id": "777000", "username": "eve_helps", "name": HOSTILE_NAME,
              "description": HOSTILE_BIO, "public_metrics": {"followers_count": 10}},
             {"id": "777001", "username": "asker_eve", "name": "Asker"},
             {"id": "1", "username": "AcmeHelp", "name": "Acme Help"}]
    data = []
    for i in range(12):
        at = end - timedelta(days=i * 5)
        req, ans, thx = 7_770_000 + i * 3, 7_770_001 + i * 3, 7_770_002 + i * 3
        data += [
            {"id": str(req), "author_id": "777001", "text": "@AcmeHelp my router is broken, help?",
             "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "entities": {"mentions": [{"username": "AcmeHelp", "id": "1"}]}},
            {"id": str(ans), "author_id": "777000", "text": HOSTILE_FIX,
             "created_at": (at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "referenced_tweets": [{"type": "replied_to", "id": str(req)}],
             "in_reply_to_user_id": "777001"},
            {"id": str(thx), "author_id": "777001", "text": "@eve_helps thanks, that worked!",
             "created_at": (at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "referenced_tweets": [{"type": "replied_to", "id": str(ans)}],
             "in_reply_to_user_id": "777000"}]
    return orjson.dumps({"data": data, "includes": {"users": users}}) + b"\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
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
    engine.dispose()
    assert "eve_helps" in [p.username for p in res.ranked]
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
