"""The response-times page in Chromium (the server and browser of tests/test_browser.py): its
headline figure, the champions' share, is the one graph/response.py computes for the same
ranking run; and the unanswered queue on the Fixes page states its true count."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph import response
from store.db import make_engine
from tests.test_browser import browser, demo, server  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.browser


def _figures(url: str, run_id: int) -> tuple[dict, tuple[list, int]]:
    engine = make_engine(url)
    try:
        got = response.for_run(engine, run_id)
        w = response.run_window(engine, run_id)
        queue = response.unanswered_queue(engine, w["start"], w["end"], run_id=run_id,
                                          staff_handles=w["staff_handles"], limit=1)
    finally:
        engine.dispose()
    return got, queue


def test_response_times_headline_is_the_champions_share(demo, server, browser,  # noqa: F811
                                                        tmp_path):
    url, res = demo
    base, _ = server
    got, _ = _figures(url, res.run_id)
    share = got["champions_share"]
    assert got["requests"] > 100 and 0 < share["share"] < 1  # a figure worth reading
    page = browser.new_page(viewport={"width": 1400, "height": 2600})  # the whole page
    page.goto(f"{base}/response_times", wait_until="networkidle")
    page.get_by_role("heading", name="Response times", exact=True).wait_for(timeout=30_000)
    headline = page.locator('[data-testid="stMetric"]').first
    headline.wait_for(timeout=30_000)
    label = headline.locator('[data-testid="stMetricLabel"]').inner_text()
    value = headline.locator('[data-testid="stMetricValue"]').inner_text()
    assert label.startswith("Champions' share")
    assert value == f"{share['share']:.1%}"
    hours = page.locator('[data-testid="stMetric"]').nth(1)
    assert hours.locator('[data-testid="stMetricValue"]').inner_text() == \
        f"{share['staff_hours_saved']:,.1f} h"
    page.get_by_text(f"{share['requests']:,} of {got['requests']:,} requests were answered by "
                     "the community first").wait_for(timeout=10_000)
    page.wait_for_timeout(1500)  # tables and charts draw after the metrics
    assert page.get_by_text("Traceback").count() == 0
    shot = Path(os.environ.get("CHAMPIONS_SCREENSHOTS", tmp_path)) / "response_times.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    # The first name under "Who answered before staff" opens their person page (the table is
    # a canvas: click where its first row's link is drawn).
    first = got["people"][0]["username"]
    page.get_by_role("heading", name="Who answered before staff").wait_for(timeout=10_000)
    box = page.locator('[data-testid="stDataFrame"]').last.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 35 + 17)
    with page.context.expect_page(timeout=15_000) as opened:
        page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)
    person = opened.value
    person.wait_for_load_state()
    assert person.url == f"{base}/person?user={first}"
    person.get_by_text(f"@{first}").first.wait_for(timeout=30_000)
    person.close()
    page.close()


def test_fixes_page_states_the_true_unanswered_count(demo, server, browser):  # noqa: F811
    url, res = demo
    base, _ = server
    _, (rows, total) = _figures(url, res.run_id)
    assert total > 50  # more than one page: the table says how many more there are
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/fixes", wait_until="networkidle")
    page.get_by_role("heading", name=f"Help requests nobody answered ({total:,})"
                     ).wait_for(timeout=30_000)
    page.get_by_text(f"Showing 1-50 of {total:,}; {total - 50:,} more on later pages."
                     ).wait_for(timeout=10_000)
    page.close()
