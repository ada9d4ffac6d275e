"""Dashboard pages on a known database (AppTest): they start cleanly and show the expected
content."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from graph.wording import (md_escape, reason_line, rule_flags, short_count, shown_of,
                               time_text, trend_text)
from graph.rank import run_ranking
from graph.score import COMPONENTS
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.files import import_files
from settings import Settings
from store.db import make_engine
from tests.conftest import ROOT, ranked_twcs_head, realdata

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
    # The sample is imported history from 2017: judged on its own dates, so no alarm that it
    # went quiet years ago, and the page says how it judged it.
    assert not at.error
    notes = [re.sub(r"\\(.)", r"\1", i.value) for i in at.info]
    assert any("judged on its own dates, not against today" in n and "2017-10-12" in n
               for n in notes)
    assert not any("days ago" in n for n in notes)


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
    # Each row says why in words, and the trend as a number.
    first = res.ranked[0]
    assert table.iloc[0]["why"].startswith(f"answered {first.helped} people, "
                                           f"{first.confirmed} thanked them")
    assert table.iloc[0]["trend"] == trend_text(first.score, first.previous_score)
    assert all(t == "new" or re.fullmatch(r"[+-]\d+\.\d|0\.0", t) for t in table["trend"])
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


def _columns(frame) -> dict:
    """A table's column settings as the browser gets them (labels, formats, bar scales)."""
    return json.loads(frame.proto.columns)


def test_leaderboard_reads_plainly_on_a_stable_scale(demo_db, monkeypatch):
    """Plain-English component headers at one decimal, tiers explained once, and score bars
    drawn against the run's best score, however the table is filtered."""
    url, res, truth = demo_db
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    cols = _columns(at.dataframe[0])
    assert cols["helpful_answers"]["label"] == "Answers"
    assert cols["confirmed_help"]["label"] == "Thanked"
    assert {cols[c]["type_config"]["format"] for c in COMPONENTS} == {"%.1f"}
    assert cols["score"]["type_config"]["max_value"] == round(res.ranked[0].score, 1)
    assert at.dataframe[0].value["score"].iloc[0] == round(res.ranked[0].score, 1)
    assert [e.label for e in at.expander].count("What the tiers mean") == 1
    assert any(t.value.startswith("champion: at least") for t in at.text)
    # Filtered to one language the bars keep the run's scale, not the filtered maximum.
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["filter_lang"] = "es"
    at.run()
    shown = at.dataframe[0].value
    assert shown["score"].max() < res.ranked[0].score
    assert _columns(at.dataframe[0])["score"]["type_config"]["max_value"] == round(
        res.ranked[0].score, 1)


def test_a_leaderboard_row_opens_that_persons_page(demo_db, monkeypatch):
    url, res, truth = demo_db
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    second = res.ranked[1].username
    # A click on a cell of the second row (as the browser reports it).
    at.session_state["lb_table"] = {"selection": {"rows": [], "columns": [],
                                                  "cells": [(1, "username")]}}
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Person"]
    assert at.selectbox(key="person_username").value == second
    assert at.query_params["user"] == second  # the address can be shared


def test_a_shared_person_link_opens_that_person(demo_db, monkeypatch):
    """``/person?user=NAME`` (and the older ``?u=``) opens that person, even one the sidebar
    filters hide; picking another person moves the address along."""
    url, res, truth = demo_db
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    third = res.ranked[2]
    hidden = next(p for p in res.ranked if p.lang != third.lang)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["filter_lang"] = third.lang
    at.run()
    at.query_params["user"] = hidden.username
    at.switch_page("pages/person.py").run()
    assert not at.exception
    assert at.selectbox(key="person_username").value == hidden.username
    assert any(t.value.startswith(f"@{hidden.username}  ·") for t in at.text)
    at.selectbox(key="person_username").set_value(third.username).run()
    assert at.query_params["user"] == third.username
    assert any(t.value.startswith(f"@{third.username}  ·") for t in at.text)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.query_params["u"] = "@" + third.username.upper()
    at.switch_page("pages/person.py").run()
    assert at.selectbox(key="person_username").value == third.username
    assert at.query_params["user"] == third.username and "u" not in at.query_params


def test_person_page_shows_the_tweets_that_earned_a_component(demo_db, monkeypatch):
    url, res, truth = demo_db
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/person.py").run()
    assert not at.exception
    top = res.ranked[0]
    assert at.selectbox(key="person_username").value == top.username
    assert any(t.value.startswith(f"@{top.username}") for t in at.text)
    tweet_id, _, _ = top.evidence["helpful_answers"][0]
    shown = [df.value for df in at.dataframe if "url" in df.value.columns]
    assert any(f"https://x.com/i/web/status/{tweet_id}" in set(df["url"]) for df in shown)
    # Each component says how much of its evidence is shown, against the true total.
    answers = next(e.label for e in at.expander if e.label.startswith("Answers: "))
    total = top.facts.get("evidence_totals", {}).get("helpful_answers")
    assert answers == (f"Answers: {top.components['helpful_answers']:.1f} points, "
                       + shown_of(len(top.evidence["helpful_answers"]), total))
    assert any(t.value == "Why: " + reason_line(top.facts, top.components) for t in at.text)
    # Times to the minute, and no "None" cells.
    times = [v for df in shown for v in df["at"]]
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", v) for v in times)
    assert not [v for df in shown for v in df["with"] if v is None or v == "None"]
    # Outreach: saving records who changed what.
    [s for s in at.selectbox if s.label == "Status"][0].set_value("contacted")
    [t for t in at.text_input if t.label == "Owner"][0].input("ana")
    at.button[0].click().run()
    assert any("Saved" in s.value for s in at.success)
    history = [df.value for df in at.dataframe if "actor" in df.value.columns]
    assert history and "contacted" in set(history[0]["new"])
    rows = history[0].to_dict("records")
    assert {"field": "status", "old": "to contact", "new": "contacted"}.items() <= next(
        r for r in rows if r["field"] == "status").items()
    stamped = next(r for r in rows if r["field"] == "last contacted")
    assert stamped["old"] == "" and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d",
                                                   stamped["new"])


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
    assert any(t.startswith("Conversations nobody answered") for t in titles)


def test_network_page_draws_helpers_and_brands(demo_db, monkeypatch):
    url, res, truth = demo_db
    from dashboard.network_view import network_caption
    from graph.network import network

    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["filter_run"] = res.run_id  # another test may have stored an older window
    at.run()
    at.switch_page("pages/network.py").run()
    assert not at.exception
    g = network(make_engine(url), res.run_id, 50)
    caption = [c.value for c in at.caption][-1]
    assert caption == network_caption(g)
    # True counts: who qualifies (everyone ranked), how many of the top 50 are drawn, and
    # the ones left out for having no link to anyone drawn.
    people = [n for n in g["nodes"] if not n["brand"]]
    assert g["qualifying"] == len(res.ranked) and g["selected"] == min(50, len(res.ranked))
    assert len(people) == g["people"] and g["people"] + g["left_out"] == g["selected"]
    top = f"top {g['selected']} of the " if g["selected"] < g["qualifying"] else ""
    assert caption.startswith(f"{g['people']} of the {top}{g['qualifying']} people ranked in"
                              " this run are shown")
    assert f"{g['brands']} support handles, {g['links']} links." in caption
    # The top helpers and the brand accounts they talk with, drawn as brands.
    assert res.ranked[0].username in {n["username"] for n in people}
    drawn_brands = {n["username"] for n in g["nodes"] if n["brand"]}
    assert drawn_brands and drawn_brands <= set(DEMO_SETTINGS["support_handles"])
    assert len(g["edges"]) == g["links"]


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
    assert at.code[0].proto.wrap_lines  # the template wraps, never cut off on the right
    # Scores at one decimal, no "None" cells, times to the minute.
    assert _columns(at.dataframe[0])["score"]["type_config"]["format"] == "%.1f"
    assert not [v for c in ("owner", "last_contacted", "contact") for v in table[c]
                if v is None or v == "None"]
    assert all(v == "" or re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", v)
               for v in table["last_contacted"])
    at.button(key="export_prepare").click().run()
    assert not at.exception
    # Champions and rising helpers of the run, none marked: that many are exported.
    marked = {u for u, c in zip(table["username"], table["contact"]) if c}
    wanted = sum(1 for p in res.ranked if p.tier in ("champion", "rising")
                 and p.username not in marked)
    [download] = at.get("download_button")
    assert download.proto.label == f"Download {wanted} people"
    assert not at.warning  # well under the daily cap


def test_health_alerts_when_brand_mentions_stop(demo_db, monkeypatch, tmp_path):
    url, res, truth = demo_db
    # The demo is made relative to today: it opens healthy, judged as imported history.
    at = _page(url, monkeypatch, "pages/health.py")
    assert not at.error and not at.warning
    # The same tweets fetched live by X API runs that stopped ten days ago: now the page
    # compares with now, and alarms.
    live = tmp_path / "live.db"
    with sqlite3.connect(make_engine(url).url.database) as src, sqlite3.connect(live) as dst:
        src.backup(dst)
    with sqlite3.connect(live) as conn:
        for table in ("tweets", "interactions"):
            conn.execute(f"UPDATE {table} SET created_at = datetime(created_at, '-10 days')")
        conn.execute("UPDATE tweets SET source = 'x-api'")
        conn.execute("INSERT INTO ingest_runs (command, source, started_at, finished_at, status)"
                     " VALUES ('x', 'x:AcmeHelp,AcmeAyuda,AcmeBantu',"
                     " datetime('now', '-10 days'), datetime('now', '-10 days'), 'ok')")
    import streamlit as st

    st.cache_data.clear()
    at = _page(f"sqlite:///{live}", monkeypatch, "pages/health.py")
    alerts = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]
    assert any(a.startswith("X API runs have stopped: the last one started 10 days ago")
               for a in alerts), alerts
    assert any(re.match(r"Mentions of the support handles have stopped arriving: the last was "
                        r"1[01] days ago", a) for a in alerts), alerts


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
    from dashboard.network_view import network_caption
    from graph.network import network

    url, res, truth = demo_db
    top = res.ranked[0].username
    g = network(make_engine(url), res.run_id, 50, center=top)  # the page's default size
    names = [n["username"] for n in g["nodes"] if not n["brand"]]
    assert names[0] == top and len(names) > 3 and g["edges"]
    centre = g["nodes"][0]
    assert centre["center"] and (centre["x"], centre["y"]) == (0.5, 0.5)
    # Nobody is drawn on top of the person in the middle.
    assert all((n["x"] - 0.5) ** 2 + (n["y"] - 0.5) ** 2 > 0.01 for n in g["nodes"][1:])
    assert g["people"] == len(names) - 1 and g["people"] + g["left_out"] == g["selected"]
    assert g["qualifying"] >= g["selected"] == min(50, g["qualifying"])
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["filter_run"] = res.run_id  # another test may have stored an older window
    at.run()
    at.switch_page("pages/network.py").run()
    at.text_input(key="net_center").input(top).run()
    assert not at.exception
    assert at.caption[-1].value == network_caption(g)
    assert at.caption[-1].value.startswith("The chosen person and ")
    # A name nobody has: said plainly, no empty drawing.
    at.text_input(key="net_center").input("nobody_has_this_name").run()
    assert not at.exception
    assert any("No one with that username" in w.value for w in at.warning)


def _copy_db(url: str, tmp_path) -> str:
    """A copy of a test database, for a test that ranks again (the shared one stays as is)."""
    dst = tmp_path / "copy.db"
    with sqlite3.connect(url.removeprefix("sqlite:///")) as src, sqlite3.connect(dst) as out:
        src.backup(out)
    return f"sqlite:///{dst}"


def _flags_page(url, monkeypatch, run_id: int):
    """The flag review of one ranking run (another test may have stored an older window)."""
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["filter_run"] = run_id
    at.run()
    at.switch_page("pages/flags.py").run()
    assert not at.exception
    return at


def test_flag_review_decisions_are_used_by_the_next_ranking(demo_db, monkeypatch, tmp_path):
    """The flag review lists the accounts left out as likely staff or businesses, with the
    tweets that made the call; a confirmation and an overrule are stored, and the next ranking
    run follows them."""
    from graph.results import left_out
    from store.accounts import account_labels

    url, res, truth = demo_db
    url = _copy_db(url, tmp_path)
    engine = make_engine(url)
    review = [r for r in left_out(engine, res.run_id) if not rule_flags(r["why"])]
    assert len(review) >= 2 and not any(r["decision"] for r in review)
    overruled, confirmed = review[0], review[1]
    at = _flags_page(url, monkeypatch, res.run_id)
    assert at.metric[0].label == "Waiting for a decision"
    assert at.metric[0].value == str(len(review))
    assert any(t.value == f"Why left out: {overruled['why']}" for t in at.text)
    evidence = [df.value for df in at.dataframe if "url" in df.value.columns]
    assert evidence and all(len(df) for df in evidence)
    at.button(key=f"flag_customer_{overruled['user_id']}").click().run()
    at.button(key=f"flag_staff_{confirmed['user_id']}").click().run()
    assert not at.exception
    assert any(s.value.startswith("Saved") for s in at.success)
    with engine.connect() as conn:
        labels = account_labels(conn)
    assert labels[overruled["user_id"]] == "customer" and labels[confirmed["user_id"]] == "staff"
    # The next ranking run: the overruled account is ranked, the confirmed one stays out, and
    # says it was confirmed.
    after = run_ranking(engine, Settings(
        support_handles=tuple(DEMO_SETTINGS["support_handles"]),
        staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
        fix_domains=tuple(DEMO_SETTINGS["fix_domains"])))
    engine.dispose()
    assert overruled["user_id"] in {p.user_id for p in after.ranked}
    import streamlit as st

    st.cache_data.clear()  # the list of runs is cached for a minute
    at = _flags_page(url, monkeypatch, after.run_id)
    assert at.caption[0].value.startswith(f"Ranking run {after.run_id}:")
    at.radio(key="flags_show").set_value("decided").run()
    texts = [t.value for t in at.text]
    assert f"Why left out: {confirmed['why'].split('; ')[0]}" not in texts
    assert any(t.startswith("Why left out: staff (confirmed by staff)") for t in texts)
    assert any(t.startswith("Decision: confirmed, staff, by ")
               and t.endswith("this ranking run used it.") for t in texts)
    assert not any(overruled["username"] in t for t in texts)


def test_reason_lines_say_why_in_plain_words():
    facts = {"helped": 14, "confirmed": 9, "answers": 20, "fixes_spread": 3, "reach": 41_230,
             "active_weeks": 5, "median_response_minutes": 12.0}
    assert reason_line(facts) == ("answered 14 people, 9 thanked them; 3 fixes spread to 41k "
                                  "followers; helped in 5 different weeks")
    assert reason_line({"helped": 1, "confirmed": 0, "fixes_spread": 1, "reach": 0,
                        "active_weeks": 1}) == "answered 1 person; 1 fix spread"
    assert reason_line({"helped": 0, "confirmed": 2}) == "2 people thanked them"
    # A run stored before the counts existed: the largest components, named.
    assert reason_line({}, {"helpful_answers": 3.04, "confirmed_help": 8.0,
                            "negative_feedback": -3.0}) == (
        "points from thanked (8.0) and answers (3.0)")
    assert reason_line(None, {"helpful_answers": 0.0}) == "no helping in this window"


def test_the_reason_line_says_what_went_wrong_first_when_it_weighs_most():
    """Issue 19: "answered 99 people, 3 thanked them" hid a score of -34.1 made by 30
    people's "didn't work" replies. What pulled the score down is said, and first when it
    outweighs every gain; a small loss is said after the gains."""
    facts = {"helped": 99, "confirmed": 3, "evidence_totals": {"negative_feedback": 30}}
    line = reason_line(facts, {"helpful_answers": 5.2, "confirmed_help": 2.7,
                               "negative_feedback": -42.0})
    assert line == ("30 replies said it didn't work (-42.0 points); "
                    "answered 99 people, 3 thanked them")
    line = reason_line({**facts, "evidence_totals": {"negative_feedback": 1}},
                       {"helpful_answers": 5.2, "confirmed_help": 9.0, "negative_feedback": -1.4})
    assert line == "answered 99 people, 3 thanked them; 1 reply said it didn't work (-1.4 points)"
    # Only a loss, from a run without the counts: it is named as the largest component.
    assert reason_line({}, {"negative_feedback": -6.0, "helpful_answers": 1.0}) == (
        "points from didn't work (-6.0) and answers (1.0)")


def test_trend_scores_and_times_are_written_for_people():
    assert trend_text(12.34, 10.0) == "+2.3"
    assert trend_text(8.0, 9.04) == "-1.0"
    assert trend_text(5.0, 5.01) == "0.0"
    assert trend_text(5.0, None) == "new"
    assert time_text(datetime(2026, 10, 30, 14, 5, 59, 123456)) == "2026-10-30 14:05"
    assert time_text("2026-10-30 14:05:59.123456") == "2026-10-30 14:05"
    assert time_text(None) == ""
    assert shown_of(25, 143) == "25 of 143 shown"
    assert shown_of(12, 12) == "all 12 shown"
    assert shown_of(3, None) == "all 3 shown"
    assert [short_count(n) for n in (950, 12_400, 41_230, 2_300_000)] == [
        "950", "12k", "41k", "2.3M"]


def test_flags_a_decision_cannot_change_are_told_apart():
    assert rule_flags('likely staff: 4 of 5 tweets in a brand agent\'s voice (sign-offs, "DM us")'
                      ) == []
    assert rule_flags("staff (confirmed by staff)") == []
    assert rule_flags("staff (configured); likely staff: 40 of 40 tweets") == [
        "staff (configured)"]
    assert rule_flags("automated: 95% of its tweets are retweets") == [
        "automated: 95% of its tweets are retweets"]


def test_names_in_link_labels_stay_literal():
    """Link labels are Markdown to Streamlit: an untrusted name must not become markup."""
    assert md_escape("cust_0_help") == r"cust\_0\_help"
    assert md_escape("![x](http://127.0.0.1:9/a.png)") == (
        r"\!\[x\]\(http\://127\.0\.0\.1\:9/a\.png\)")
    assert md_escape("**bold** <b>x</b> :material/home:") == (
        r"\*\*bold\*\* \<b\>x\</b\> \:material/home\:")
    assert md_escape("a\n\n# heading") == r"a \# heading"


def test_every_page_renders_on_the_real_twcs_head(tmp_path, monkeypatch):
    """Every page on the real TWCS head (5,000 tweets, 76 brands, no follower counts), ranked
    over all of it: no error anywhere (tests/test_browser_truth.py checks what it says)."""
    url, cfg, res = ranked_twcs_head(tmp_path)
    monkeypatch.setenv("CHAMPIONS_DB_URL", url)
    monkeypatch.setenv("CHAMPIONS_CONFIG", str(cfg))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and at.title[0].value == "Leaderboard"
    for page in ("response_times", "person", "fixes", "network", "outreach", "flags", "health"):
        if page == "person":
            at.query_params["user"] = res.ranked[0].username
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.message for e in at.exception])
        assert at.title, page
