"""People's wishes and X's deletions are honoured: forgetting a person, X compliance events
from files and from batch compliance jobs (replayed on 127.0.0.1), and suppressions that keep
erased data out of later imports, rankings, exports and pages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import tweepy
from streamlit.testing.v1 import AppTest

from graph import cli as graph_cli
from graph.rank import run_ranking
from ingest import cli
from ingest.compliance import read_compliance, run_compliance_job
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.xapi import XClient
from settings import Settings
from tests.conftest import realdata, scalar
from tests.xreplay import ReplayServer, Reply, redirect

APP = str(Path(__file__).resolve().parent.parent / "app.py")
DEMO = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]),
                staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
                fix_domains=tuple(DEMO_SETTINGS["fix_domains"]))


@pytest.fixture
def demo(engine, db_url, tmp_path):
    path = tmp_path / "demo.jsonl"
    generate_demo(path, DemoSpec(3_000, 7))
    assert cli.main(["file", str(path), "--db", db_url]) == cli.EXIT_OK
    return path


def _config(tmp_path) -> Path:
    cfg = tmp_path / "c.toml"
    cfg.write_text("support_handles = " + json.dumps(DEMO_SETTINGS["support_handles"]) + "\n"
                   "staff_handles = " + json.dumps(DEMO_SETTINGS["staff_handles"]) + "\n"
                   "fix_domains = " + json.dumps(DEMO_SETTINGS["fix_domains"]) + "\n")
    return cfg


def test_forget_then_reimport_keeps_the_person_out(engine, db_url, demo, tmp_path, capsys,
                                                   monkeypatch):
    res = run_ranking(engine, DEMO)
    top = res.ranked[0]
    uid, name = top.user_id, top.username
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE author_id = :u", u=uid) > 0
    assert cli.main(["forget", f"@{name}", "--db", db_url]) == cli.EXIT_OK
    assert "forgot user" in capsys.readouterr().out
    # The same file again, then a new ranking: nothing of theirs comes back.
    assert cli.main(["file", str(demo), "--db", db_url]) == cli.EXIT_OK
    res = run_ranking(engine, DEMO)
    assert uid not in {p.user_id for p in res.people}
    for sql in ("SELECT count(*) FROM users WHERE id = :u",
                "SELECT count(*) FROM tweets WHERE author_id = :u",
                "SELECT count(*) FROM interactions WHERE src_user_id = :u OR dst_user_id = :u",
                "SELECT count(*) FROM champion_scores WHERE user_id = :u",
                "SELECT count(*) FROM score_evidence WHERE user_id = :u OR other_user_id = :u",
                "SELECT count(*) FROM outreach_events WHERE user_id = :u"):
        assert scalar(engine, sql, u=uid) == 0, sql
    assert scalar(engine, "SELECT reason FROM suppressions WHERE kind = 'user' AND id = :u",
                  u=uid) == "forgotten"
    # The audit log says who forgot whom, by id, without their content.
    actor, subject, detail = engine.connect().exec_driver_sql(
        "SELECT actor, subject, detail FROM audit_log WHERE action = 'forget'").one()
    assert actor and subject == str(uid) and name.lower() not in (detail or "").lower()
    # Exports and pages.
    out = tmp_path / "export.csv"
    assert graph_cli.main(["export", "--db", db_url, "--config", str(_config(tmp_path)),
                           "--out", str(out)]) in (0, 3)
    exported = {r["username"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert exported and name not in exported
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert name not in set(at.dataframe[0].value["username"])


def test_forget_an_id_not_stored_yet(engine, db_url, tmp_path):
    """Someone asks before their tweets arrive: the suppression stops the first import."""
    path = realdata("twarc-csv/test-data/noflat.jsonl")
    first = json.loads(path.read_text().splitlines()[0])["data"][0]["author_id"]
    assert cli.main(["forget", first, "--db", db_url]) == cli.EXIT_OK
    assert cli.main(["file", str(path), "--db", db_url]) in (cli.EXIT_OK, cli.EXIT_PARTIAL)
    assert scalar(engine, "SELECT count(*) FROM users WHERE id = :u", u=int(first)) == 0
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE author_id = :u", u=int(first)) == 0
    assert scalar(engine, "SELECT count(*) FROM tweets") > 50
    assert cli.main(["forget", "@nobody_here", "--db", db_url]) == cli.EXIT_FAILED


def test_compliance_deletions_leave_pages_and_the_next_ranking(engine, db_url, demo, tmp_path,
                                                               monkeypatch):
    res = run_ranking(engine, DEMO)
    top = res.ranked[0]
    answers = [tid for tid, _, _ in top.evidence["helpful_answers"]]
    thanks = [tid for tid, _, _ in top.evidence.get("confirmed_help", [])]
    gone = answers + thanks
    texts = [scalar(engine, "SELECT text FROM tweets WHERE id = :t", t=t) for t in gone]
    lines = [json.dumps({"id": str(t), "action": "delete", "created_at":
                         "2026-10-30T10:00:00.000Z", "reason": "deleted"}) for t in gone]
    real = realdata("twarc-csv/test-data/tweets_compliance.jsonl").read_text().splitlines()
    comp = tmp_path / "compliance.jsonl"
    comp.write_text("\n".join(lines + real + ['{"id": "x1", "action": "delete"}']) + "\n")
    assert cli.main(["compliance", str(comp), "--db", db_url]) == cli.EXIT_PARTIAL  # one bad
    for t in gone:
        assert scalar(engine, "SELECT count(*) FROM tweets WHERE id = :t", t=t) == 0
        assert scalar(engine, "SELECT count(*) FROM interactions WHERE key_tweet_id = :t"
                              " OR tweet_id = :t", t=t) == 0
        assert scalar(engine, "SELECT count(*) FROM score_evidence WHERE tweet_id = :t",
                      t=t) == 0
    assert scalar(engine, "SELECT count(*) FROM rejected_records WHERE source = 'compliance'"
                          " AND reason LIKE 'compliance event id is not a number%'") == 1
    # A re-import of the old file does not bring them back, and the next ranking no longer
    # counts them.
    assert cli.main(["file", str(demo), "--db", db_url]) == cli.EXIT_OK
    after = {p.user_id: p for p in run_ranking(engine, DEMO).people}
    p = after.get(top.user_id)
    counted = {tid for items in (p.evidence.values() if p else ()) for tid, _, _ in items}
    assert not counted & set(gone)
    assert p is None or p.score < top.score
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/person.py")
    at.query_params["u"] = top.username
    at.run()
    shown = json.dumps([str(df.value.to_dict()) for df in at.dataframe])
    for body in texts:
        assert body[:60] not in shown


def test_user_events_erase_accounts(engine, db_url, tmp_path):
    path = realdata("twarc-csv/test-data/noflat.jsonl")
    assert cli.main(["file", str(path), "--db", db_url]) in (cli.EXIT_OK, cli.EXIT_PARTIAL)
    uid = scalar(engine, "SELECT author_id FROM tweets GROUP BY author_id"
                         " ORDER BY count(*) DESC LIMIT 1")
    comp = tmp_path / "users.jsonl"
    comp.write_text(json.dumps({"id": str(uid), "action": "delete", "reason": "suspended"})
                    + "\n")
    assert cli.main(["compliance", str(comp), "--type", "users", "--db", db_url]) == 0
    assert scalar(engine, "SELECT count(*) FROM users WHERE id = :u", u=uid) == 0
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE author_id = :u", u=uid) == 0
    assert scalar(engine, "SELECT reason FROM suppressions WHERE kind = 'user' AND id = :u",
                  u=uid).startswith("compliance:delete")


def test_real_compliance_lines_are_read():
    got = read_compliance(realdata("twarc-csv/test-data/tweets_compliance.jsonl"))
    assert [(e[1], e[2]) for e in got.events] == [("delete", "protected"),
                                                  ("delete", "deactivated")]
    # Tweets in a stream are skipped; its one cut-off line is named.
    got = read_compliance(realdata("twarc-csv/test-data/streaming_output_with_error.jsonl"))
    assert got.skipped == 7 and not got.events
    assert [p.location.rsplit(":", 1)[1] for p in got.problems] == ["8"]
    assert got.problems[0].reason.startswith("invalid JSON")


def test_batch_compliance_job_through_tweepy(engine, db_url, tmp_path):
    """The job path end to end against a server on 127.0.0.1: create (POST), upload the ids
    (PUT), poll until complete, download the result, apply it. X's job bodies follow the
    ComplianceJob schema of the OpenAPI spec (no recorded job exists in the shared data); the
    downloaded result is twarc's real compliance output."""
    path = realdata("twarc-csv/test-data/noflat.jsonl")
    assert cli.main(["file", str(path), "--db", db_url]) in (cli.EXIT_OK, cli.EXIT_PARTIAL)
    victim = scalar(engine, "SELECT max(id) FROM tweets WHERE id > 0")
    real = realdata("twarc-csv/test-data/tweets_compliance.jsonl").read_text()
    result = real + json.dumps({"id": str(victim), "action": "delete",
                                "created_at": "2023-01-01T00:00:00.000Z",
                                "reason": "deleted"}) + "\n"
    with ReplayServer() as server:
        job = {"id": "1372966999991541762", "type": "tweets", "status": "created",
               "created_at": "2023-01-02T10:00:00.000Z",
               "upload_url": f"{server.url}/upload/1", "download_url": f"{server.url}/dl/1",
               "upload_expires_at": "2023-01-02T10:15:00.000Z",
               "download_expires_at": "2023-01-09T10:00:00.000Z"}
        server.route(r"/2/compliance/jobs", Reply(200, {"data": job}))
        server.route(r"/2/compliance/jobs/\d+",
                     Reply(200, {"data": {**job, "status": "in_progress"}}),
                     Reply(200, {"data": {**job, "status": "complete"}}))
        server.route(r"/upload/1", Reply(200, ""))
        server.route(r"/dl/1", Reply(200, result))
        client = tweepy.Client("test-token", return_type=dict)
        redirect(client, server)
        assert cli.main(["compliance", "--x-job", "tweets", "--db", db_url],
                        x_client=client, sleep=lambda s: None) == cli.EXIT_OK
        uploads = server.requests_to(r"/upload/1")
        assert uploads and uploads[0].method == "PUT"
        sent = {int(x) for x in uploads[0].body.decode().split()}
        assert victim in sent and all(x > 0 for x in sent)
        assert [s.method for s in server.requests_to(r"/2/compliance/jobs")] == ["POST"]
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE id = :t", t=victim) == 0
    # A job that fails says so.
    with ReplayServer() as server:
        server.route(r"/2/compliance/jobs", Reply(200, {"data": {
            "id": "9", "upload_url": f"{server.url}/u", "download_url": f"{server.url}/d"}}))
        server.route(r"/2/compliance/jobs/\d+", Reply(200, {"data": {"status": "failed"}}))
        server.route(r"/u", Reply(200, ""))
        client = tweepy.Client("test-token", return_type=dict)
        redirect(client, server)
        with pytest.raises(Exception, match="compliance job 9 failed"):
            run_compliance_job(XClient(client=client), "tweets", [1, 2], sleep=lambda s: None)


def test_scheduled_runs_apply_compliance_once_a_day(engine, db_url, tmp_path):
    """`ingest run` with `[ingest.x] compliance = true` runs the batch jobs when none ran in
    the last day, and not again the same day."""
    path = realdata("twarc-csv/test-data/noflat.jsonl")
    assert cli.main(["file", str(path), "--db", db_url]) in (cli.EXIT_OK, cli.EXIT_PARTIAL)
    cfg = tmp_path / "c.toml"
    cfg.write_text("[ingest.x]\ncompliance = true\n")
    with ReplayServer() as server:
        job = {"id": "77", "type": "tweets", "status": "complete",
               "upload_url": f"{server.url}/up", "download_url": f"{server.url}/down"}
        server.route(r"/2/compliance/jobs", Reply(200, {"data": job}))
        server.route(r"/2/compliance/jobs/\d+", Reply(200, {"data": job}))
        server.route(r"/up", Reply(200, ""))
        server.route(r"/down", Reply(200, ""))
        client = tweepy.Client("test-token", return_type=dict)
        redirect(client, server)
        args = ["run", "--db", db_url, "--config", str(cfg)]
        assert cli.main(args, x_client=client, sleep=lambda s: None) == cli.EXIT_OK
        assert len(server.requests_to(r"/2/compliance/jobs")) == 2  # tweets and users
        assert cli.main(args, x_client=client, sleep=lambda s: None) == cli.EXIT_OK
        assert len(server.requests_to(r"/2/compliance/jobs")) == 2


def test_compliance_lines_inside_an_import_are_applied(engine, db_url, tmp_path):
    """twarc2 writes X's compliance events into its JSONL: `ingest file` applies them, in the
    same pass, whichever comes first in the file."""
    page = realdata("twarc-csv/test-data/noflat.jsonl").read_text().splitlines()[0]
    victim = json.loads(page)["data"][0]["id"]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps({"id": victim, "action": "delete", "reason": "deleted"}) + "\n"
                     + page + "\n"
                     + realdata("twarc-csv/test-data/tweets_compliance.jsonl").read_text())
    assert cli.main(["file", str(mixed), "--db", db_url]) in (cli.EXIT_OK, cli.EXIT_PARTIAL)
    assert scalar(engine, "SELECT count(*) FROM tweets WHERE id = :t", t=int(victim)) == 0
    assert scalar(engine, "SELECT count(*) FROM tweets") > 50
    assert scalar(engine, "SELECT count(*) FROM suppressions WHERE id = :t", t=int(victim)) >= 1
    counts = json.loads(scalar(engine, "SELECT counts FROM ingest_runs ORDER BY id DESC"))
    assert counts["compliance"] == 3 and counts["suppressed"] >= 1


def test_person_page_forgets_after_typed_confirmation(engine, db_url, demo, monkeypatch):
    res = run_ranking(engine, DEMO)
    top = res.ranked[0]
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/person.py")
    at.query_params["u"] = top.username
    at.run()
    button = next(b for b in at.button if b.label == "Forget them")
    assert button.disabled  # nothing happens without typing their name
    at.text_input(key="forget_confirm").input(top.username.upper()).run()
    next(b for b in at.button if b.label == "Forget them").click().run()
    assert not at.exception
    assert any("Forgotten" in s.value for s in at.success)
    assert scalar(engine, "SELECT count(*) FROM users WHERE id = :u", u=top.user_id) == 0
    assert scalar(engine, "SELECT actor FROM audit_log WHERE action = 'forget'")
