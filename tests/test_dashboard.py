"""Dashboard pages on a known database (AppTest): they start cleanly and show the expected
content."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from graph.rank import run_ranking
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.files import import_files
from settings import Settings
from store.db import make_engine
from tests.conftest import ROOT, realdata

APP = str(ROOT / "app.py")


@pytest.fixture
def loaded_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'dash.db'}"
    engine = make_engine(url)
    import_files(engine, None, [realdata("twcs-kaggle-sample/sample.csv")], log=lambda m: None)
    engine.dispose()
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    return url


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{tmp / 'demo.db'}"
    engine = make_engine(url)
    path = tmp / "demo.jsonl"
    generate_demo(path, DemoSpec(3000, 7))
    import_files(engine, None, [path], log=lambda m: None)
    res = run_ranking(engine, Settings(
        support_handles=tuple(DEMO_SETTINGS["support_handles"]),
        staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
        fix_domains=tuple(DEMO_SETTINGS["fix_domains"])))
    truth = json.loads(path.with_suffix(".truth.json").read_text())
    engine.dispose()
    return url, res, truth


def test_health_page_shows_the_counts(loaded_db):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/health.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tweets"] == "93"
    assert metrics["Users"] == "50"
    assert metrics["Rejected records"] == "0"
    # The sample is from 2017: the channel has been quiet for the whole window, and says so.
    assert any("No tweets arrived in the last 30 days" in e.value for e in at.error)


def test_empty_database_starts_cleanly(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAMPIONS_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("No ranking yet" in i.value for i in at.info)


def test_leaderboard_puts_the_top_planted_champion_first(demo_db, monkeypatch):
    url, res, truth = demo_db
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    table = at.dataframe[0].value
    top = res.ranked[0].username
    assert top in truth["champions"]
    assert table.iloc[0]["username"] == top and table.iloc[0]["rank"] == 1
    # The table is the ranking, in order (the demo's champions overlap casual helpers).
    assert list(table["username"]) == [p.username for p in res.ranked][:len(table)]
    assert table.iloc[0]["profile"] == f"https://x.com/{top}"
    assert [s.key for s in at.sidebar.selectbox] == ["filter_run", "filter_tier", "filter_lang",
                                                      "filter_community"]
    # Search.
    at.text_input(key="lb_search").input(top).run()
    assert list(at.dataframe[0].value["username"]) == [top]
    # The sidebar's language filter (set as the widget would; AppTest does not re-render the
    # entry page's sidebar on a rerun under st.navigation).
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["filter_lang"] = "es"
    at.run()
    assert set(at.dataframe[0].value["language"]) == {"es"}
    assert at.selectbox(key="filter_lang").value == "es"


def test_person_page_shows_the_tweets_that_earned_a_component(demo_db, monkeypatch):
    url, res, truth = demo_db
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/person.py").run()
    assert not at.exception
    top = res.ranked[0]
    assert at.selectbox(key="person_username").value == top.username
    assert any(t.value.startswith(f"@{top.username}") for t in at.text)
    tweet_id, _ = top.evidence["helpful_answers"][0]
    shown = [df.value for df in at.dataframe if "url" in df.value.columns]
    assert any(f"https://x.com/i/web/status/{tweet_id}" in set(df["url"]) for df in shown)
    # Outreach: saving records who changed what.
    [s for s in at.selectbox if s.label == "Status"][0].set_value("contacted")
    [t for t in at.text_input if t.label == "Owner"][0].input("ana")
    at.button[0].click().run()
    assert any("Saved" in s.value for s in at.success)
    history = [df.value for df in at.dataframe if "actor" in df.value.columns]
    assert history and "contacted" in set(history[0]["new"])


def _page(url, monkeypatch, page):
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_fixes_page_shows_who_spread_the_brand_fixes(demo_db, monkeypatch):
    url, res, truth = demo_db
    at = _page(url, monkeypatch, "pages/fixes.py")
    spread = at.dataframe[0].value
    assert (spread["spreaders"] > 0).all() and spread["brand"].isin(truth["brand"]).all()
    assert list(spread["spreaders"]) == sorted(spread["spreaders"], reverse=True)
    # The chosen fix's spreaders include the demo's bots and amplifying champions.
    who = set(at.dataframe[1].value["username"])
    assert who & set(truth["bots"])
    titles = [s.value for s in at.subheader]
    assert any(t.startswith("Help requests nobody answered") for t in titles)


def test_network_page_draws_helpers_and_brands(demo_db, monkeypatch):
    url, res, truth = demo_db
    from graph.results import network

    at = _page(url, monkeypatch, "pages/network.py")
    g = network(make_engine(url), res.run_id, 50)
    caption = [c.value for c in at.caption][-1]
    assert caption.startswith(f"{len(g['nodes'])} people, {len(g['edges'])} links.")
    # The top helpers and the brand accounts they talk with; everyone drawn has a link.
    assert res.ranked[0].username in {n["username"] for n in g["nodes"]}
    brands = len(DEMO_SETTINGS["support_handles"])
    assert len(g["nodes"]) + g["left_out"] == min(50, len(res.ranked)) + brands


def test_outreach_page_fills_a_template_and_exports(demo_db, monkeypatch):
    url, res, truth = demo_db
    at = _page(url, monkeypatch, "pages/outreach.py")
    top = res.ranked[0].username
    table = at.dataframe[0].value
    assert list(table.columns) == ["rank", "username", "tier", "score", "contact", "status",
                                   "owner", "last_contacted"]
    assert table.iloc[0]["username"] == top
    # The composer offers the best-ranked person nobody marked (the person page's test may have
    # just contacted the top champion: then they are in the cooldown).
    free = [u for u, c in zip(table["username"], table["contact"]) if not c]
    assert at.selectbox(key="outreach_to").value == free[0]
    message = at.code[0].value
    assert message.startswith(f"Hi @{free[0]}, thank you for helping @")
    at.button(key="export_prepare").click().run()
    assert not at.exception
    # Champions and rising helpers of the run, none marked: that many are exported.
    marked = {u for u, c in zip(table["username"], table["contact"]) if c}
    wanted = sum(1 for p in res.ranked if p.tier in ("champion", "rising")
                 and p.username not in marked)
    [download] = at.get("download_button")
    assert download.proto.label == f"Download {wanted} people"
    assert not at.warning  # well under the daily cap


def test_health_alerts_when_brand_mentions_stop(demo_db, monkeypatch):
    url, res, truth = demo_db
    at = _page(url, monkeypatch, "pages/health.py")
    alerts = [e.value for e in at.error]
    # The demo's last mention of @AcmeHelp is from October 2026: long quiet by now.
    assert any(a.startswith("Mentions of the support handles have stopped arriving: the last "
                            "was") for a in alerts)


def test_sidebar_time_window_picks_a_stored_ranking_run(demo_db, monkeypatch):
    url, res, truth = demo_db
    engine = make_engine(url)
    older = run_ranking(engine, Settings(
        support_handles=tuple(DEMO_SETTINGS["support_handles"]),
        staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
        fix_domains=tuple(DEMO_SETTINGS["fix_domains"])), window_days=30,
        end=res.end - timedelta(days=60))
    engine.dispose()
    import streamlit as st

    st.cache_data.clear()  # the list of runs is cached for a minute
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["filter_run"] = res.run_id
    at.run()
    assert at.caption[0].value.startswith(f"Ranking run {res.run_id}:")
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["filter_run"] = older.run_id
    at.run()
    assert at.caption[0].value.startswith(f"Ranking run {older.run_id}: "
                                          f"{older.start:%Y-%m-%d} to {older.end:%Y-%m-%d}")
    shown = list(at.dataframe[0].value["username"])
    assert shown == [p.username for p in older.ranked][:len(shown)]


def test_network_ego_view_centres_on_a_person(demo_db, monkeypatch):
    from graph.results import network

    url, res, truth = demo_db
    top = res.ranked[0].username
    g = network(make_engine(url), res.run_id, 50, center=top)  # the page's default size
    names = [n["username"] for n in g["nodes"] if not n["brand"]]
    assert names[0] == top and len(names) > 3 and g["edges"]
    at = _page(url, monkeypatch, "pages/network.py")
    at.text_input(key="net_center").input(top).run()
    assert not at.exception
    assert at.caption[-1].value.startswith(f"{len(g['nodes'])} people, {len(g['edges'])} links.")
