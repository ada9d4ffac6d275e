"""The outreach pipeline and the outreach CSV export."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from graph import cli as graph_cli
from outreach.contact import os_user
from outreach.export import DAILY_USER_CAP, export_rows, profile_url
from outreach.pipeline import OutreachError, history, update_entry
from store.models import ChampionScore, ExportLog, RankingRun, User
from tests.conftest import scalar
from tests.outreach_data import EVIL_NAME, EVIL_USER, small_community


@pytest.fixture
def ranked(engine, tmp_path):
    """Three helpers: one with a formula for a name whose answer starts with =cmd|, one whose
    username is a formula, and one to mark do-not-contact."""
    return small_community(engine, tmp_path)


def test_export_neutralises_formulas_and_skips_do_not_contact(ranked, db_url, tmp_path):
    update_entry(ranked, 4, "lead@acme.example", status="do-not-contact",
                 notes="asked not to be contacted")
    out = tmp_path / "export.csv"
    assert graph_cli.main(["export", "--db", db_url, "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    # quiet_helper is do-not-contact; a username that is a formula comes out inert, unlinked.
    assert sorted(r["username"] for r in rows) == sorted(["helper", "'" + EVIL_USER])
    evil = next(r for r in rows if r["username"] == "'" + EVIL_USER)
    assert evil["profile_url"] == ""
    row = next(r for r in rows if r["username"] == "helper")
    assert row["name"] == "'" + EVIL_NAME
    assert row["evidence_tweet"].startswith("'=cmd|")
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert row["profile_url"] == "https://x.com/helper"
    assert row["evidence_tweet_url"] == "https://x.com/i/web/status/11"
    assert "confirmed_help=" in row["components"] and row["status"] == "to contact"


def test_daily_cap_per_person(engine):
    """600 ranked people: one person can export 500 a day; others have their own cap."""
    now = datetime(2026, 11, 1, 9, 0)
    with engine.begin() as conn:
        conn.execute(insert(User), [{"id": 1000 + i, "username": f"u{i}", "is_stub": False,
                                     "is_brand": False} for i in range(600)])
        run = conn.execute(insert(RankingRun).values(
            created_at=now, window_start=now - timedelta(days=90), window_end=now,
            params="{}").returning(RankingRun.id)).scalar_one()
        conn.execute(insert(ChampionScore), [
            {"run_id": run, "user_id": 1000 + i, "rank": i + 1, "score": 600.0 - i,
             "components": json.dumps({"confirmed_help": 600.0 - i}), "tier": "champion"}
            for i in range(600)])
    first = export_rows(engine, "ana", top=450, now=now)
    assert len(first.rows) == 450 and not first.capped and first.remaining_today == 50
    second = export_rows(engine, "ana", now=now + timedelta(hours=2))
    assert len(second.rows) == 50 and second.capped and second.wanted == 600
    assert second.rows[0][0] == 1  # the cap trims from the bottom of the ranking
    third = export_rows(engine, "ana", now=now + timedelta(hours=3))
    assert third.rows == [] and third.capped
    assert len(export_rows(engine, "ben", now=now).rows) == DAILY_USER_CAP
    assert len(export_rows(engine, "ana", top=10, now=now + timedelta(days=1)).rows) == 10


def test_cli_export_says_when_the_cap_cut_it(ranked, db_url, tmp_path, capsys):
    with ranked.begin() as conn:
        conn.execute(insert(ExportLog).values(
            actor=os_user(), at=datetime.now(timezone.utc).replace(tzinfo=None),
            users=DAILY_USER_CAP))
    out = tmp_path / "x.csv"
    code = graph_cli.main(["export", "--db", db_url, "--out", str(out)])
    assert code == 1
    assert "the daily cap cut 3 people" in capsys.readouterr().err


def test_pipeline_records_every_change(ranked):
    update_entry(ranked, 3, "ana@acme.example", status="contacted", owner="ana")
    update_entry(ranked, 3, "ben@acme.example", status="responded", notes="happy to help more")
    update_entry(ranked, 3, "ben@acme.example", status="responded")  # no change, no event
    events = [(e["actor"], e["field"], e["old"], e["new"]) for e in history(ranked, 3)]
    assert events[:3] == [("ana@acme.example", "status", "to contact", "contacted"),
                          ("ana@acme.example", "owner", None, "ana"),
                          ("ana@acme.example", "last_contacted_at", None, events[2][3])]
    assert events[3:] == [("ben@acme.example", "status", "contacted", "responded"),
                          ("ben@acme.example", "notes", None, "happy to help more")]
    assert scalar(ranked, "SELECT status FROM outreach WHERE user_id = 3") == "responded"
    assert scalar(ranked, "SELECT last_contacted_at FROM outreach WHERE user_id = 3") is not None
    with pytest.raises(OutreachError, match="status must be one of"):
        update_entry(ranked, 3, "ana", status="spammed")
    with pytest.raises(OutreachError, match="needs an actor"):
        update_entry(ranked, 3, "", notes="x")


def test_profile_url_only_from_a_valid_username():
    assert profile_url(12, "good_name") == "https://x.com/good_name"
    assert profile_url(12, "javascript:alert(1)") == ""
    assert profile_url(12, EVIL_NAME) == ""
    assert profile_url(-5, "applesupport") == ""  # TWCS ids are not X accounts
