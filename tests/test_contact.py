"""Do-not-contact and the cooldown, everywhere: every page marks them, no template or export names
them, every download goes through the formula-safe export and the daily cap, and the cap counts
against an identity nobody can type in (the signed-in account, or the OS account)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
import streamlit as st
from sqlalchemy import insert, text, update
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from graph import cli as graph_cli
from graph import results
from graph.network import network
from graph.response import unanswered_queue
from outreach.contact import as_datetime, contact_mark, may_contact, os_user
from outreach.export import DAILY_USER_CAP, export_rows, exported_today
from outreach.pipeline import update_entry
from settings import SettingsError, load_settings
from store.models import ExportLog, OutreachEntry
from tests.conftest import ROOT, scalar
from tests.outreach_data import (EVIL_NAME, EVIL_USER, HELPER, LONELY, QUIET_HELPER,
                                 small_community)

APP = str(ROOT / "app.py")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NOW = datetime(2026, 11, 20, 9, 0)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# The rule -------------------------------------------------------------------------------------

def test_do_not_contact_is_final_and_the_cooldown_ends():
    assert contact_mark("do-not-contact", None, 30, NOW) == "do not contact"
    assert contact_mark("do-not-contact", NOW - timedelta(days=400), 30, NOW) == "do not contact"
    recent = NOW - timedelta(days=3)
    assert contact_mark("contacted", recent, 30, NOW) == (
        f"cooldown until {recent + timedelta(days=30):%Y-%m-%d}")
    assert contact_mark("contacted", NOW - timedelta(days=31), 30, NOW) == ""
    assert contact_mark("contacted", recent, 0, NOW) == ""  # 0 turns the cooldown off
    assert contact_mark("to contact", None, 30, NOW) == ""
    # SQLite hands raw-SQL timestamps back as text.
    assert contact_mark("responded", str(recent), 30, NOW).startswith("cooldown until")
    assert as_datetime("2026-11-01 10:00:00.123456") == datetime(2026, 11, 1, 10, 0, 0, 123456)
    assert not may_contact("do-not-contact", None, 30, include_cooldown=True, now=NOW)
    assert not may_contact("contacted", recent, 30, now=NOW)
    assert may_contact("contacted", recent, 30, include_cooldown=True, now=NOW)
    assert may_contact(None, None, 30, now=NOW)


def test_cooldown_setting(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("")
    assert load_settings(path).outreach.cooldown_days == 30
    path.write_text("[outreach]\ncooldown_days = 14\n")
    assert load_settings(path).outreach.cooldown_days == 14
    for bad in ("-1", '"30d"', "2.5", "true"):
        path.write_text(f"[outreach]\ncooldown_days = {bad}\n")
        with pytest.raises(SettingsError, match="outreach.cooldown_days"):
            load_settings(path)


def test_os_user_is_not_taken_from_the_environment(monkeypatch):
    me = os_user()
    for var in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.setenv(var, "b@x")
    assert os_user() == me and me != "b@x"


# Exports --------------------------------------------------------------------------------------

@pytest.fixture
def ranked(engine, tmp_path):
    return small_community(engine, tmp_path)


def _contacted(engine, user_id, when):
    update_entry(engine, user_id, "lead@acme.example", status="contacted", last_contacted_at=when)


def test_export_leaves_out_do_not_contact_always_and_the_cooldown_by_default(ranked):
    now = _now()
    update_entry(ranked, QUIET_HELPER, "lead@acme.example", status="do-not-contact")
    _contacted(ranked, HELPER, now - timedelta(days=2))
    got = export_rows(ranked, "ana", now=now)
    assert [r[1] for r in got.rows] == [EVIL_USER]
    assert (got.do_not_contact, got.cooldown, got.wanted) == (1, 1, 1)
    got = export_rows(ranked, "ana", include_cooldown=True, now=now)
    assert sorted(r[1] for r in got.rows) == sorted(["helper", EVIL_USER])
    assert (got.do_not_contact, got.cooldown) == (1, 0)
    got = export_rows(ranked, "ana", cooldown_days=0, now=now)  # the cooldown turned off
    assert sorted(r[1] for r in got.rows) == sorted(["helper", EVIL_USER])
    # After the cooldown, they are back; do-not-contact never is.
    got = export_rows(ranked, "ana", now=now + timedelta(days=31))
    assert sorted(r[1] for r in got.rows) == sorted(["helper", EVIL_USER])
    # Every export counted against the cap (today's three, and the one a month later).
    assert exported_today(ranked, "ana", now) == 5


def test_export_follows_the_leaderboard_filters(ranked):
    run = scalar(ranked, "SELECT max(id) FROM ranking_runs")
    got = export_rows(ranked, "ana", run_id=run, search="QUIET")
    assert [r[1] for r in got.rows] == ["quiet_helper"]
    got = export_rows(ranked, "ana", run_id=run, tiers=("champion",))
    assert got.rows == [] and exported_today(ranked, "ana") == 1  # nothing exported, no log


def test_cli_export_cooldown(ranked, db_url, tmp_path, capsys):
    _contacted(ranked, HELPER, _now() - timedelta(days=2))
    update_entry(ranked, QUIET_HELPER, "lead@acme.example", status="do-not-contact")
    out = tmp_path / "x.csv"
    assert graph_cli.main(["export", "--db", db_url, "--out", str(out)]) == 0
    assert [r["username"] for r in csv.DictReader(out.open())] == ["'" + EVIL_USER]
    said = capsys.readouterr().out
    assert "left out: 1 do-not-contact, 1 contacted in the last 30 days" in said
    assert graph_cli.main(["export", "--db", db_url, "--out", str(out),
                           "--include-cooldown"]) == 0
    assert sorted(r["username"] for r in csv.DictReader(out.open())) == ["'" + EVIL_USER,
                                                                         "helper"]
    config = tmp_path / "c.toml"
    config.write_text("[outreach]\ncooldown_days = 1\n")
    assert graph_cli.main(["export", "--db", db_url, "--out", str(out),
                           "--config", str(config)]) == 0
    assert len(list(csv.DictReader(out.open()))) == 2


def test_cli_cap_is_the_os_account_not_a_name_on_the_command_line(ranked, db_url, tmp_path,
                                                                   capsys, monkeypatch):
    out = tmp_path / "x.csv"
    # --as once chose whose cap an export counted against: a@x then b@x got 1,000 a day.
    assert graph_cli.main(["export", "--db", db_url, "--out", str(out), "--as", "a@x"]) == 2
    assert "--as is no longer accepted" in capsys.readouterr().err
    assert not out.exists() and scalar(ranked, "SELECT count(*) FROM export_log") == 0
    with ranked.begin() as conn:
        conn.execute(insert(ExportLog).values(actor=os_user(), at=_now(),
                                              users=DAILY_USER_CAP - 2))
    # Nor do $USER or $LOGNAME choose it.
    monkeypatch.setenv("USER", "b@x")
    monkeypatch.setenv("LOGNAME", "b@x")
    assert graph_cli.main(["export", "--db", db_url, "--out", str(out)]) == 3  # partial
    assert len(list(csv.DictReader(out.open()))) == 2
    assert graph_cli.main(["export", "--db", db_url, "--out", str(out)]) == 1
    assert scalar(ranked, "SELECT count(DISTINCT actor) FROM export_log") == 1
    assert exported_today(ranked, os_user()) == DAILY_USER_CAP


# Readers carry what the marks need --------------------------------------------------------------

def test_readers_carry_status_and_last_contact(ranked):
    when = _now() - timedelta(days=1)
    for uid in (QUIET_HELPER, LONELY):
        update_entry(ranked, uid, "lead@acme.example", status="do-not-contact")
    _contacted(ranked, HELPER, when)
    run = results.latest_run(ranked)
    by_name = {r["username"]: r for r in results.leaderboard(ranked, run["id"])}
    assert by_name["quiet_helper"]["status"] == "do-not-contact"
    assert as_datetime(by_name["helper"]["last_contacted"]) == when
    assert by_name[EVIL_USER]["status"] == "to contact"
    spread = {r["username"]: r["status"] for r in results.spreaders(ranked, 50)}
    assert spread == {"helper": "contacted", "quiet_helper": "do-not-contact"}
    asks, _ = unanswered_queue(ranked, run["window_start"], run["window_end"])
    assert [(a["username"], a["status"]) for a in asks] == [("lonely", "do-not-contact")]
    nodes = {n["username"]: n for n in network(ranked, run["id"], 50)["nodes"]}
    assert nodes["quiet_helper"]["status"] == "do-not-contact"
    assert as_datetime(nodes["helper"]["last_contacted"]) == when
    ego = {n["username"]: n["status"] for n in
           network(ranked, run["id"], 50, center="helper")["nodes"]}
    assert ego["helper"] == "contacted"
    assert results.person(ranked, run["id"], "quiet_helper")["outreach"]["status"] == \
        "do-not-contact"


# Pages -----------------------------------------------------------------------------------------

@pytest.fixture
def marked(ranked, db_url, monkeypatch, tmp_path):
    """The community with quiet_helper and lonely do-not-contact and helper contacted yesterday,
    served to the dashboard without sign-in."""
    for uid in (QUIET_HELPER, LONELY):
        update_entry(ranked, uid, "lead@acme.example", status="do-not-contact")
    _contacted(ranked, HELPER, _now() - timedelta(days=1))
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    monkeypatch.setenv("CHAMPIONS_CONFIG", str(ROOT / "champions.toml"))
    return ranked


@pytest.fixture
def downloads(monkeypatch):
    """What each st.download_button would hand the browser: (file name, a function that
    fetches the file as the browser's click does). Downloads are made on the click
    (deferred data): only then do they count against the daily cap."""
    got: list[tuple[str, object]] = []
    real, real_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def spy(self, content, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if is_for_static_download:
            got.append((file_name, lambda: content))
        return real(self, content, mimetype, coordinates, file_name, is_for_static_download)

    def spy_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        got.append((file_name, data_callable))
        return real_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add", spy)
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    return got


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_leaderboard_marks_them_and_downloads_only_through_the_export(marked, downloads):
    st.set_option("client.disableDataExport", False)  # as a server started without the config
    at = _app()
    # Streamlit's own table download (and copy) is off for every table and chart.
    assert st.get_option("client.disableDataExport") is True
    table = at.dataframe[0].value
    contact = dict(zip(table["username"], table["contact"]))
    assert contact["quiet_helper"] == "do not contact"
    assert contact["helper"].startswith("cooldown until ")
    assert contact[EVIL_USER] == ""
    assert any("@quiet_helper" in t.value and "do not contact" in t.value for t in at.text)
    assert at.get("download_button") == []  # nothing is made until asked for
    assert scalar(marked, "SELECT count(*) FROM export_log") == 0
    at.button(key="lb_export_prepare").click().run()
    assert not at.exception
    [button] = at.get("download_button")
    assert button.proto.label == "Download 1 people"
    # Prepared, not downloaded: nothing counts against the cap yet (issue 18).
    assert scalar(marked, "SELECT count(*) FROM export_log") == 0
    [(name, fetch)] = downloads
    data = fetch()  # the click
    rows = _cells(data)
    assert name == "champions-leaderboard.csv" and rows[0][:2] == ["rank", "username"]
    assert [r[1] for r in rows[1:]] == ["'" + EVIL_USER]
    assert all(not c.startswith(FORMULA_START) for r in rows for c in r)
    assert "Left out: 1 do not contact, 1 contacted recently." in [c.value for c in at.caption]
    # Counted against the local operator's cap (the OS account, as on the command line), not
    # AppTest's stand-in st.user e-mail: sign-in is not configured.
    assert [tuple(r) for r in marked.connect().execute(text(
        "SELECT actor, users FROM export_log"))] == [(os_user(), 1)]


def test_leaderboard_download_within_the_cap(marked, downloads):
    with marked.begin() as conn:
        conn.execute(insert(ExportLog).values(actor=os_user(), at=_now(), users=DAILY_USER_CAP))
    at = _app()
    at.button(key="lb_export_prepare").click().run()
    assert any("The daily cap cut 1 people" in w.value for w in at.warning)
    [button] = at.get("download_button")
    assert button.proto.label == "Download 0 people" and button.proto.disabled


def test_signed_in_downloads_count_against_the_signed_in_account(marked, downloads, tmp_path,
                                                                  monkeypatch):
    config = tmp_path / "c.toml"
    config.write_text('[access]\nallowed_emails = ["ana@acme.example"]\n')
    monkeypatch.setenv("CHAMPIONS_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback",
                          "cookie_secret": "x", "client_id": "x", "client_secret": "x",
                          "server_metadata_url": "http://localhost/.well-known"}
    at.user = {"email": "ana@acme.example", "is_logged_in": True}
    at.run()
    assert not at.exception
    at.button(key="lb_export_prepare").click().run()
    assert not at.exception and len(downloads) == 1
    downloads[0][1]()  # the click: the download counts, for the account that prepared it
    assert scalar(marked, "SELECT actor FROM export_log") == "ana@acme.example"


def test_person_page_says_do_not_contact_and_cooldown(marked):
    at = _app("pages/person.py")
    at.selectbox(key="person_username").set_value("quiet_helper").run()
    assert any(e.value.startswith("Do not contact") for e in at.error)
    at.selectbox(key="person_username").set_value("helper").run()
    assert not at.error
    assert any(w.value.startswith("Contacted recently: wait until") for w in at.warning)
    at.selectbox(key="person_username").set_value(EVIL_USER).run()
    assert not at.error and not any("Contacted recently" in w.value for w in at.warning)


def test_outreach_page_never_offers_them_a_message(marked, downloads):
    at = _app("pages/outreach.py")
    table = at.dataframe[0].value
    assert dict(zip(table["username"], table["contact"]))["quiet_helper"] == "do not contact"
    assert at.selectbox(key="outreach_to").options == [EVIL_USER]
    at.checkbox(key="outreach_include_cooldown").check().run()
    assert sorted(at.selectbox(key="outreach_to").options) == sorted(["helper", EVIL_USER])
    at.multiselect(key="export_tiers").set_value(["occasional"]).run()
    at.button(key="export_prepare").click().run()
    [(name, fetch)] = downloads
    assert sorted(r[1] for r in _cells(fetch())[1:]) == ["'" + EVIL_USER, "helper"]


def test_fixes_page_marks_spreaders_and_askers(marked):
    at = _app("pages/fixes.py")
    spreaders = at.dataframe[1].value
    assert dict(zip(spreaders["username"], spreaders["contact"]))["quiet_helper"] == \
        "do not contact"
    asks = at.dataframe[-1].value
    assert list(zip(asks["username"], asks["contact"])) == [("lonely", "do not contact")]


def test_network_page_marks_them(marked):
    at = _app("pages/network.py")
    assert at.caption[-1].value.endswith(
        "Marked: 1 do not contact (✕), 1 contacted recently (▲).")
    with marked.begin() as conn:  # after the cooldown, only do-not-contact stays marked
        conn.execute(update(OutreachEntry).where(OutreachEntry.user_id == HELPER).values(
            last_contacted_at=_now() - timedelta(days=40)))
    st.cache_data.clear()
    at = _app("pages/network.py")
    assert at.caption[-1].value.endswith("Marked: 1 do not contact (✕), 0 contacted "
                                         "recently (▲).")


def test_nothing_marks_anyone_without_an_outreach_entry(ranked, db_url, monkeypatch):
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    at = _app()
    table = at.dataframe[0].value
    assert set(table["contact"]) == {""} and EVIL_USER in set(table["username"])
    assert set(table["name"]) >= {EVIL_NAME}  # shown as text in the table, never a formula
    assert not at.error
    at.button(key="lb_export_prepare").click().run()
    assert at.get("download_button")[0].proto.label == "Download 3 people"


# Issue 18: every list of people shows do-not-contact and the cooldown ------------------------

def test_rank_out_says_who_is_in_the_cooldown(ranked, db_url, tmp_path):
    """``graph rank --out`` listed people in the contact cooldown without a word."""
    _contacted(ranked, HELPER, _now() - timedelta(days=2))
    update_entry(ranked, QUIET_HELPER, "lead@acme.example", status="do-not-contact")
    config = tmp_path / "c.toml"
    config.write_text('support_handles = ["AcmeHelp"]\nwindow_days = 7\n')
    out = tmp_path / "rank.csv"
    graph_cli.main(["rank", "--db", db_url, "--out", str(out), "--window", "7d",
                    "--config", str(config)])
    rows = {r["username"]: r["contact"] for r in csv.DictReader(out.open())}
    assert "quiet_helper" not in rows  # do-not-contact: never in an export
    assert rows["helper"].startswith("cooldown until ")
    assert rows["'" + EVIL_USER] == ""

