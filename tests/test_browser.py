"""The dashboard in a real browser: `streamlit run app.py` headless on 127.0.0.1, driven in
Chromium, on the demo community (plus two hostile helpers), as a support lead would use it.

* The leaderboard shows the top champion; a podium name or a table row opens that person's page
  with the tweets that earned their score; a status changed there shows in the outreach history.
* A fresh server never shows a menu of module names, not even before app.py has run, and opens
  a shared person link.
* A flag confirmed (and one overruled) on the flag review page is used by the next ranking.
* Untrusted text (HTML, a script, Markdown images in a name, a bio, tweets) stays text.
* The leaderboard's download is fetched and read: no live formula, nobody do-not-contact or in
  the cooldown, and Streamlit's own "Download as CSV" is not on the table's toolbar.
* Every page renders; with ``CHAMPIONS_SCREENSHOTS=docs/screenshots`` the screenshots the
  README shows are saved there.
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
from datetime import datetime, timedelta, timezone
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
from tests.conftest import IN_CI, ROOT, copy_sqlite

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
# The menu app.py draws, in order; nothing else may ever appear in it (no module names).
MENU = ["Leaderboard", "Response times", "Person", "Fixes", "Network", "Outreach", "Flag review",
        "Ingestion health"]
# Run in the page before Streamlit's own scripts: every menu entry and sidebar link ever drawn.
WATCH_MENU = """
window.__menu = new Set();
new MutationObserver(() => {
  document.querySelectorAll('[data-testid="stSidebarNav"] a, [data-testid="stSidebarNavLink"],'
                            + ' [data-testid="stTopNavLink"], [data-testid="stSidebar"] a')
    .forEach(a => window.__menu.add((a.innerText || '').trim()));
}).observe(document, {childList: true, subtree: true, characterData: true});
"""
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
    """Twelve help requests to the brand, each answered by ``helper`` and thanked, in the
    days before today (the demo's default day), so they stay in its ranking window."""
    end = datetime.combine(datetime.now(timezone.utc).date(), datetime.min.time()) \
        - timedelta(hours=12)
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


def _shot(page, tmp_path, name: str) -> Path:
    shot = Path(os.environ.get("CHAMPIONS_SCREENSHOTS", tmp_path)) / name
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    return shot


def _cells(frame) -> list[str]:
    """The cells of a Streamlit table: drawn on a canvas, and mirrored in an accessible table."""
    return [c.text_content() for c in frame.locator("td").all()]


def test_leaderboard_shows_the_top_champion(server, browser, tmp_path):
    base, res = server
    page = browser.new_page(viewport={"width": 1400, "height": 1150})
    page.goto(base, wait_until="networkidle")
    top = res.ranked[0]
    page.get_by_role("link", name=f"#1 @{top.username}").wait_for(timeout=30_000)
    page.get_by_text("Search by username or name").wait_for(timeout=30_000)
    # The podium says why in words, and the trend as a number.
    page.get_by_text(re.compile(rf"^{top.score:.1f} points · (new|[+-]\d+\.\d|0\.0) · "
                                rf"{top.tier}$")).wait_for(timeout=10_000)
    page.get_by_text(re.compile(rf"^answered {top.helped} people, {top.confirmed} thanked them"
                                )).first.wait_for(timeout=10_000)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=30_000)
    page.wait_for_timeout(2500)  # the table is a canvas, drawn after the page settles
    headers = [h.text_content() for h in table.locator("th").all()]
    assert headers[:6] == ["rank", "username", "score", "trend", "tier", "why they rank"]
    _shot(page, tmp_path, "leaderboard.png")
    page.close()


def test_a_click_on_a_champion_opens_their_page_with_evidence(server, browser, tmp_path):
    """A podium name, then a table row: each opens that person's page, at an address that names
    them, with the tweets that earned each part of their score."""
    base, res = server
    second, fourth = res.ranked[1].username, res.ranked[3].username
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(base, wait_until="networkidle")
    page.get_by_role("link", name=f"#2 @{second}").click(timeout=30_000)
    page.wait_for_url(re.compile(rf"/person\?user={second}$"), timeout=30_000)
    page.get_by_text(f"@{second}  ·").wait_for(timeout=30_000)
    answers = page.get_by_text(re.compile(r"^Answers: \d+\.\d points, (all \d+|\d+ of \d+) "
                                          r"shown$"))
    answers.click(timeout=10_000)
    evidence = page.locator('[data-testid="stExpander"]', has=answers).locator(
        '[data-testid="stDataFrame"]')
    evidence.locator("td").first.wait_for(state="attached", timeout=10_000)
    cells = _cells(evidence)
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", c) for c in cells)  # at, to the minute
    assert any(c.startswith("https://x.com/i/web/status/") for c in cells)  # each tweet's link
    # Back on the leaderboard, one click on a row's cell (the table is a canvas: by position).
    page.get_by_role("link", name="Leaderboard").click()
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    box = table.bounding_box()
    row = 35  # Streamlit's row (and header) height, in pixels
    page.mouse.click(box["x"] + 150, box["y"] + row * 1.5 + row * 3)  # the fourth row
    page.wait_for_url(re.compile(rf"/person\?user={fourth}$"), timeout=30_000)
    page.get_by_text(f"@{fourth}  ·").wait_for(timeout=30_000)
    page.close()


def test_an_outreach_status_change_shows_in_the_history(server, browser, tmp_path):
    from playwright.sync_api import Error as PlaywrightError

    base, res = server
    who = res.ranked[5].username
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{base}/person?user={who}", wait_until="networkidle")
    page.get_by_text(f"@{who}  ·").wait_for(timeout=30_000)
    page.get_by_text("No outreach changes recorded yet.").wait_for(timeout=30_000)
    form = page.locator('[data-testid="stForm"]')
    status = form.get_by_role("combobox").first
    contacted = page.get_by_role("option", name="contacted", exact=True)
    # A redraw while the list is open closes it, or replaces the option under the click
    # ("element was detached from the DOM"): open and pick again until the box shows it.
    for _ in range(8):
        status.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        try:
            status.click(timeout=5_000)
            contacted.click(timeout=3_000)
        except PlaywrightError:
            page.keyboard.press("Escape")
            continue
        page.wait_for_timeout(300)
        if status.input_value() == "contacted":
            break
    assert status.input_value() == "contacted"
    form.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for(timeout=30_000)
    page.get_by_text("History of changes").wait_for(timeout=30_000)
    history = page.locator('[data-testid="stDataFrame"]').last
    row: list[str] = []
    for _ in range(20):  # the table is drawn a moment after its caption (until then the last
        # table on the page is another one, which may have a "status" column of its own)
        cells = _cells(history)
        if "status" in cells:
            row = cells[cells.index("status") - 2:cells.index("status") + 3]
            if row and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[0]):
                break
        page.wait_for_timeout(500)
    assert row and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[0]), row
    assert row[2:] == ["status", "to contact", "contacted"]
    assert "None" not in cells
    # The change is kept: a new visit shows it too, and the cooldown it starts.
    page.reload(wait_until="networkidle")
    page.get_by_text("Contacted recently: wait until", exact=False).wait_for(timeout=30_000)
    page.close()


def _exported(url: str) -> int:
    """People counted against daily caps so far (``export_log``)."""
    from sqlalchemy import text

    from store.db import make_engine

    eng = make_engine(url)
    try:
        with eng.connect() as conn:
            return int(conn.execute(text("SELECT COALESCE(SUM(users), 0) FROM export_log"))
                       .scalar())
    finally:
        eng.dispose()


def test_leaderboard_download_has_no_live_formula(server, demo, browser, tmp_path):
    base, res = server
    before = _exported(demo[0])
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.goto(base, wait_until="networkidle")
    page.get_by_role("link", name=f"#1 @{res.ranked[0].username}").wait_for(timeout=30_000)
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
    assert _exported(demo[0]) == before  # prepared only: the daily cap is untouched
    with page.expect_download(timeout=30_000) as info:
        button.click()
    download = info.value
    assert _exported(demo[0]) == before + said  # downloaded: counted
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
    still opens that person, whose page says not to contact them; the menu never lists the
    pages/ folder's modules on the way."""
    url, res = demo
    who = res.ranked[1].username
    with streamlit_app(ROOT, {"CHAMPIONS_DB_URL": url}) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.add_init_script(WATCH_MENU)
        page.goto(f"{base}/person?user={who}", wait_until="networkidle")
        page.get_by_text(f"@{who}  ·").wait_for(timeout=30_000)
        page.get_by_text("Do not contact: leave this person out of messages and exports."
                         ).wait_for(timeout=10_000)
        assert page.url == f"{base}/person?user={who}"
        seen = set(page.evaluate("Array.from(window.__menu)"))
        assert seen - {""} <= set(MENU), seen
        page.close()


def test_a_fresh_server_never_shows_module_names_in_the_menu(demo, browser, tmp_path):
    """Streamlit runs a fresh server's first page in its legacy pages/ folder mode, whose menu
    lists the modules (app, fixes, health...) until app.py replaces it. Every menu entry ever
    drawn is recorded from the first paint on (and frames are saved about every 100 ms): only
    app.py's own entries may appear."""
    from playwright.sync_api import Error as PlaywrightError

    url, res = demo
    with streamlit_app(ROOT, {"CHAMPIONS_DB_URL": url}) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.add_init_script(WATCH_MENU)
        page.goto(base, wait_until="commit")
        frames = Path(os.environ.get("CHAMPIONS_FRAMES", tmp_path)) / "startup"
        frames.mkdir(parents=True, exist_ok=True)
        first_paint = None
        for i in range(40):  # about 4 s from the first byte
            at = page.evaluate("performance.now()")
            try:
                page.screenshot(path=str(frames / f"{i:02d}-{at:05.0f}ms.png"))
            except PlaywrightError:  # nothing painted yet to capture
                pass
            first_paint = first_paint or page.evaluate(
                "(performance.getEntriesByName('first-paint')[0] || {}).startTime || null")
            if page.get_by_role("link", name=f"#1 @{res.ranked[0].username}").count():
                break
            page.wait_for_timeout(50)
        page.get_by_role("link", name=f"#1 @{res.ranked[0].username}").wait_for(timeout=30_000)
        assert first_paint is not None
        seen = set(page.evaluate("Array.from(window.__menu)")) - {""}
        menu = [a.inner_text().strip() for a in page.locator(
            '[data-testid="stSidebar"] [data-testid="stPageLink"] a').all()]
        page.close()
    assert seen <= set(MENU), f"menu entries drawn on the way: {sorted(seen - set(MENU))}"
    assert menu == MENU


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
    _shot(page, tmp_path, "person-untrusted.png")
    assert page.evaluate("window.pwned") is None
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("script", has_text="pwned").count() == 0
    assert page.locator("b", has_text="bold").count() == 0
    assert page.locator("strong", has_text="strong").count() == 0
    assert page.locator('img[src*="127.0.0.1:9"]').count() == 0
    assert not [u for u in requests_made if "127.0.0.1:9/" in u]
    page.close()


@pytest.mark.parametrize("path,heading,height", [
    ("person?user={top}", "Person", 1500), ("response_times", "Response times", 1300),
    ("fixes", "Fixes", 1200), ("network", "Network", 1200), ("outreach", "Outreach", 1300),
    ("flags", "Flag review", 1300), ("health", "Ingestion health", 1200)])
def test_main_pages_render_in_the_browser(server, browser, tmp_path, path, heading, height):
    base, res = server
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(f"{base}/{path.format(top=res.ranked[0].username)}", wait_until="networkidle")
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=30_000)
    if heading == "Person":  # the evidence is the point of this page: show some
        page.get_by_text(re.compile(r"^Answers: .* shown$")).click(timeout=30_000)
    page.wait_for_timeout(2000)  # charts and tables draw after the heading
    assert page.get_by_text("Traceback").count() == 0
    # Navigation is app.py's, never the raw pages/ folder (where "app" or "common" would show).
    menu = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a')
    assert [a.inner_text().strip() for a in menu.all()] == MENU
    assert page.get_by_role("link", name="common").count() == 0
    _shot(page, tmp_path, f"{path.split('?')[0]}.png")
    page.close()


def test_a_flag_confirmed_in_review_is_used_after_reranking(demo, browser, tmp_path):
    """On the flag review page staff confirm one flagged account as staff and overrule
    another; after the next ranking run the first says it was confirmed, and the second is on
    the leaderboard."""
    from graph.results import left_out

    url, res = demo
    url = copy_sqlite(url, tmp_path / "flags.db")  # it ranks again: the others keep theirs
    engine = make_engine(url)
    review = [r for r in left_out(engine, res.run_id)
              if r["why"].startswith("likely") and "; " not in r["why"]]
    assert len(review) >= 2
    confirmed, overruled = review[0], review[1]
    with streamlit_app(ROOT, {"CHAMPIONS_DB_URL": url}) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.goto(f"{base}/flags", wait_until="networkidle")
        page.get_by_role("heading", name="Flag review", exact=True).wait_for(timeout=30_000)
        page.get_by_text(f"Why left out: {confirmed['why']}").wait_for(timeout=10_000)
        page.locator(f".st-key-flag_staff_{confirmed['user_id']} button").click()
        page.get_by_text(f"Saved: @{confirmed['username']} is confirmed, staff.",
                         exact=False).wait_for(timeout=30_000)
        page.locator(f".st-key-flag_customer_{overruled['user_id']} button").click()
        page.get_by_text(f"Saved: @{overruled['username']} is overruled", exact=False
                         ).wait_for(timeout=30_000)
        after = run_ranking(engine, Settings(
            support_handles=tuple(DEMO_SETTINGS["support_handles"]),
            staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
            fix_domains=tuple(DEMO_SETTINGS["fix_domains"])))
        engine.dispose()
        # Reload until the new run shows (the list of runs is cached for a few seconds).
        for _ in range(20):
            page.reload(wait_until="networkidle")
            page.get_by_role("heading", name="Flag review", exact=True).wait_for(timeout=30_000)
            if page.get_by_text(f"Ranking run {after.run_id}:", exact=False).count():
                break
            page.wait_for_timeout(1000)
        page.get_by_text(f"Ranking run {after.run_id}:", exact=False).wait_for(timeout=1000)
        page.get_by_text("decided", exact=True).click()
        block = page.locator(f".st-key-flagged_{confirmed['user_id']}")
        block.get_by_text("Why left out: staff (confirmed by staff)").wait_for(timeout=30_000)
        block.get_by_text("Decision: confirmed, staff, by ", exact=False).wait_for()
        block.get_by_text("this ranking run used it.", exact=False).wait_for()
        assert page.get_by_role("link", name=f"@{overruled['username']}", exact=True).count() == 0
        page.wait_for_timeout(1500)  # the evidence table draws after the text
        _shot(page, tmp_path, "flags-after-reranking.png")
        page.goto(base, wait_until="networkidle")
        page.get_by_label("Search by username or name").fill(overruled["username"])
        page.keyboard.press("Enter")
        table = page.locator('[data-testid="stDataFrame"]').first
        page.wait_for_timeout(1500)
        assert overruled["username"] in _cells(table)
        page.close()
