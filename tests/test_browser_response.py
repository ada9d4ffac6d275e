"""The response-times and Fixes pages in Chromium (the server and browser of
tests/test_browser.py), on the demo community, against figures worked out here from each
request's first answers and from the tweets table (issue 19):

* the headline is the champions' share (requests first answered by a champion), beside the
  community's share, each labelled as what it counts;
* staff time saved is the requests staff never had to answer times the settings' minutes per
  request, and the page writes that product beside it;
* "Who answered before staff" puts first whoever spared staff the most answers;
* the Fixes queue counts conversations (one customer's requests to one handle), leaves out
  threads where staff had replied to the customer, and has one language selector: its own.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from graph import response
from ingest.demo import DEMO_SETTINGS
from store.db import make_engine
from tests.conftest import ROOT
from tests.test_browser import _cells, browser, demo, server  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.browser
CHAMPION_TIERS = ("champion", "rising")


def _requests(url: str, run_id: int):
    """Each request of the run's window with its first answers (``request_rows``, the unit
    the hand-built and TWCS tests check), the answerers' tiers, and the window."""
    engine = make_engine(url)
    try:
        w = response.run_window(engine, run_id)
        rows, people = response.request_rows(engine, w["start"], w["end"], run_id=run_id,
                                             staff_handles=w["staff_handles"])
    finally:
        engine.dispose()
    return rows, people, w


def _first(r, people) -> str:
    """Who answered first, from the seconds alone (a tie goes to staff)."""
    if r.staff_s is not None and (r.comm_s is None or r.staff_s <= r.comm_s):
        return "staff"
    if r.comm_s is not None:
        return "champion" if people[r.answerer]["tier"] in CHAMPION_TIERS else "community"
    return "unanswered"


def _minutes() -> float:
    """The assumption the server reads (it runs in the repository, on its champions.toml):
    ``[response] staff_minutes_per_request``, 10 when the file leaves it out (the default)."""
    raw = tomllib.loads((ROOT / "champions.toml").read_text(encoding="utf-8"))
    return float(raw.get("response", {}).get("staff_minutes_per_request", 10))


def _metric(page, label: str):
    box = page.locator('[data-testid="stMetric"]', has=page.locator(
        '[data-testid="stMetricLabel"]', has_text=label))
    box.first.wait_for(timeout=30_000)
    return box.first


def test_response_times_headline_is_the_champions_share(demo, server, browser,  # noqa: F811
                                                        tmp_path):
    url, res = demo
    base, _ = server
    rows, people, _ = _requests(url, res.run_id)
    n = len(rows)
    first = Counter(_first(r, people) for r in rows)
    community = first["champion"] + first["community"]
    assert n > 100 and 0 < first["champion"] < community  # figures worth telling apart
    page = browser.new_page(viewport={"width": 1600, "height": 2600})  # the whole page
    page.goto(f"{base}/response_times", wait_until="networkidle")
    page.get_by_role("heading", name="Response times", exact=True).wait_for(timeout=30_000)
    headline = page.locator('[data-testid="stMetric"]').first
    headline.wait_for(timeout=30_000)
    assert headline.locator('[data-testid="stMetricLabel"]').inner_text() == \
        "Champions' share of help requests"
    assert headline.locator('[data-testid="stMetricValue"]').inner_text() == \
        f"{first['champion'] / n:.1%}"
    beside = _metric(page, "Community's share")
    assert beside.locator('[data-testid="stMetricValue"]').inner_text() == \
        f"{community / n:.1%}"
    page.get_by_text(f"{community:,} of {n:,} first answered by any community member, "
                     "champions included", exact=True).wait_for(timeout=10_000)
    page.get_by_text(f"{first['champion']:,} of {n:,} requests first answered by a champion",
                     exact=True).wait_for(timeout=10_000)
    page.wait_for_timeout(1500)  # tables and charts draw after the metrics
    assert page.get_by_text("Traceback").count() == 0
    shot = Path(os.environ.get("CHAMPIONS_SCREENSHOTS", tmp_path)) / "response_times.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()


def test_staff_time_saved_is_requests_staff_never_answered_times_the_assumption(
        demo, server, browser):  # noqa: F811
    url, res = demo
    base, _ = server
    rows, people, _ = _requests(url, res.run_id)
    never = sum(1 for r in rows if _first(r, people) in ("champion", "community")
                and r.staff_s is None)
    minutes = _minutes()
    assert never > 0
    page = browser.new_page(viewport={"width": 1600, "height": 1400})
    page.goto(f"{base}/response_times", wait_until="networkidle")
    saved = _metric(page, "Staff time saved")
    assert saved.locator('[data-testid="stMetricValue"]').inner_text() == \
        f"{never * minutes / 60:,.1f} h"
    page.get_by_text(f"{never:,} requests staff never had to answer × {minutes:g} min each "
                     f"(the settings' assumption) = {never * minutes / 60:,.1f} h"
                     ).wait_for(timeout=10_000)
    assert page.get_by_text(re.compile("staff hours saved", re.I)).count() == 0
    page.close()


def test_who_answered_before_staff_puts_staff_never_answered_first(demo, server,  # noqa: F811
                                                                   browser):
    url, res = demo
    base, _ = server
    rows, people, _ = _requests(url, res.run_id)
    never, ahead = Counter(), Counter()
    for r in rows:
        if _first(r, people) in ("champion", "community"):
            ahead[r.answerer] += 1
            never[r.answerer] += r.staff_s is None
    order = sorted(ahead, key=lambda u: (-never[u], -ahead[u],
                                         people[u]["tier"] not in CHAMPION_TIERS,
                                         (people[u]["username"] or "").lower(), u))
    top = [people[u]["username"] for u in order[:3]]
    assert never[order[0]] > never[order[-1]]  # an order worth checking
    page = browser.new_page(viewport={"width": 1600, "height": 2600})
    page.goto(f"{base}/response_times", wait_until="networkidle")
    page.get_by_role("heading", name="Who answered before staff").wait_for(timeout=30_000)
    table = page.locator('[data-testid="stDataFrame"]').last
    headers: list[str] = []
    for _ in range(30):  # the table is drawn a moment after its heading
        headers = [h.text_content() for h in table.locator("th").all()]
        if "staff never had to answer" in headers:
            break
        page.wait_for_timeout(500)
    assert headers[:5] == ["person", "tier", "contact", "staff never had to answer",
                           "answered first"]
    cells = _cells(table)
    width = len(headers)
    shown = [cells[i * width:(i + 1) * width] for i in range(3)]
    assert [row[0] for row in shown] == [f"/person?user={u}" for u in top]
    assert [int(row[3]) for row in shown] == [never[u] for u in order[:3]]
    # The first name opens their person page (the table is a canvas: click where its first
    # row's link is drawn).
    box = table.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 35 + 17)
    with page.context.expect_page(timeout=15_000) as opened:
        page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)
    person = opened.value
    person.wait_for_load_state()
    assert person.url == f"{base}/person?user={top[0]}"
    person.close()
    page.close()


def _queue_from_tables(url: str, run_id: int) -> dict:
    """The queue by its definition, from the tweets table: the unanswered requests; left out
    when their thread (``conversation_id``: the demo stores it) holds a staff reply to a tweet
    of the asker; the rest one conversation per (asker, handle)."""
    rows, people, w = _requests(url, run_id)
    engine = make_engine(url)
    with engine.connect() as conn:
        staff = set(conn.execute(text(
            "SELECT id FROM users WHERE is_brand OR lower(username) IN ("
            + ", ".join(f"'{h.lower()}'" for h in DEMO_SETTINGS["staff_handles"]) + ")"
            " UNION SELECT user_id FROM account_labels WHERE label = 'staff'"
            " UNION SELECT user_id FROM champion_scores WHERE run_id = :r AND"
            " (flags LIKE '%\"likely staff%' OR flags LIKE '%\"staff (%')"),
            {"r": run_id}).scalars())
        tweets = conn.execute(text(
            "SELECT t.id, t.author_id, t.conversation_id, t.created_at, p.author_id"
            " FROM tweets t LEFT JOIN tweets p ON p.id = t.in_reply_to_tweet_id")).all()
    engine.dispose()
    thread = {t[0]: t[2] for t in tweets}
    author = {t[0]: t[1] for t in tweets}
    end = w["end"].isoformat(sep=" ")
    staff_told = {(t[2], t[4]) for t in tweets
                  if t[1] in staff and t[4] is not None and str(t[3])[:19] < end[:19]}
    groups: dict[tuple, list] = defaultdict(list)
    left = 0
    for r in rows:
        if _first(r, people) != "unanswered":
            continue
        if (thread[r.id], author[r.id]) in staff_told:
            left += 1
        else:
            groups[(author[r.id], r.handle.lower())].append(r)
    return {"conversations": groups, "left_out": left,
            "requests": sum(len(v) for v in groups.values())}


def test_fixes_queue_counts_conversations_and_leaves_out_answered_threads(  # noqa: F811
        demo, server, browser):
    url, res = demo
    base, _ = server
    want = _queue_from_tables(url, res.run_id)
    total = len(want["conversations"])
    # Customers who wrote more than once, and threads staff answered: the demo has both.
    assert total < want["requests"] and want["left_out"] > 0 and total > 50
    newest = max(want["conversations"].values(), key=lambda v: max((r.at, r.id) for r in v))
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(f"{base}/fixes", wait_until="networkidle")
    page.get_by_role("heading", name=f"Conversations nobody answered ({total:,})"
                     ).wait_for(timeout=30_000)
    page.get_by_text(f"{total:,} conversations holding {want['requests']:,} help requests"
                     ).wait_for(timeout=10_000)
    page.get_by_text(f"{want['left_out']:,} unanswered requests (all handles) sit in threads "
                     "where staff had already replied to the customer").wait_for(timeout=10_000)
    page.get_by_text(f"Showing 1-50 of {total:,} conversations; {total - 50:,} more on later "
                     "pages.").wait_for(timeout=10_000)
    table = page.locator('[data-testid="stDataFrame"]').last
    headers: list[str] = []
    for _ in range(30):
        headers = [h.text_content() for h in table.locator("th").all()]
        if "requests" in headers:
            break
        page.wait_for_timeout(500)
    cells = _cells(table)
    first_row = dict(zip(headers, cells[:len(headers)]))
    assert first_row["requests"] == str(len(newest))
    assert first_row["handle"].lower() == newest[0].handle.lower()
    page.close()


def test_fixes_has_one_language_selector_the_queues(demo, server, browser):  # noqa: F811
    base, _ = server
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.goto(f"{base}/fixes", wait_until="networkidle")
    page.get_by_role("heading", name=re.compile("nobody answered")).wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # the sidebar draws with the page
    boxes = page.locator('[data-testid="stSelectbox"]')
    boxes.nth(3).wait_for(timeout=30_000)  # the window, the fix, and the queue's
    labels = [x.inner_text().strip().splitlines()[0] for x in boxes.all()]
    assert [x for x in labels if "language" in x.lower()] == ["Queue: language"], labels
    assert "Queue: support handle" in labels and "Queue: order" in labels
    page.close()
