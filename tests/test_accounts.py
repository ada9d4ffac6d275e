"""Staff and businesses recognised by behaviour, with the tweets that made the call; staff
confirm or overrule the call (stored in ``account_labels``) and the next ranking obeys."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from graph import cli as graph_cli
from graph.rank import run_ranking
from ingest.files import import_files
from settings import Settings
from store.accounts import account_labels, set_account_label
from tests.conftest import scalar

END = datetime(2026, 10, 31, 12, 0, 0)
SETTINGS = Settings(support_handles=("AcmeHelp",))
USERS = {1: "AcmeHelp", 2: "kim_morales", 3: "sam_fixes", 4: "ourshop_uk"}
PROBLEMS = ["my router keeps dropping wifi, any fix?", "the app crashes on launch, help?",
            "printer says offline again, what do I do?", "watch won't pair with my phone?"]


def tw(tid, author, body, hours_ago, reply_to=None, mentions=()):
    t = {"id": str(tid), "author_id": str(author), "text": body, "lang": "en",
         "created_at": (END - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
         "entities": {"mentions": [{"username": USERS[m], "id": str(m)} for m in mentions]}}
    if reply_to:
        t["referenced_tweets"] = [{"type": "replied_to", "id": str(reply_to[0])}]
        t["in_reply_to_user_id"] = str(reply_to[1])
    return t


@pytest.fixture
def community(engine, tmp_path):
    """Eight customers ask @AcmeHelp. An agent on a personal account (kim_morales) answers four
    of them in brand voice with a sign-off; a shop (ourshop_uk) answers two as "we"; a
    customer (sam_fixes) answers four. Everyone answered thanks their helper."""
    users = {**USERS, **{10 + i: f"cust{i}" for i in range(8)}}
    USERS.update(users)
    data, tid = [], 100
    helpers = [2, 2, 2, 2, 3, 3, 3, 3]
    for i, helper in enumerate(helpers):
        asker = 10 + i
        ask = tw(tid, asker, f"@AcmeHelp {PROBLEMS[i % 4]}", 60 - i, mentions=[1])
        if helper == 2:
            body = ("Sorry about that! Go to Settings > Network and turn off power saving, "
                    "and DM us if it persists ^KM")
        else:
            body = "had the same, go to Settings > Network and turn off power saving"
        answer = tw(tid + 1, helper, f"@cust{i} {body}", 59 - i, reply_to=(tid, asker),
                    mentions=[asker])
        thanks = tw(tid + 2, asker, f"@{USERS[helper]} thanks, that worked!", 58 - i,
                    reply_to=(tid + 1, helper), mentions=[helper])
        data += [ask, answer, thanks]
        tid += 10
    for i, tweet in enumerate(["Our new range of mesh routers is in our stores now!",
                               "We're excited to announce our winter deals",
                               "We are open late this week, visit us"]):
        data.append(tw(500 + i, 4, tweet, 30 + i))
    users_json = [{"id": str(i), "username": n, "name": n} for i, n in users.items()]
    path = tmp_path / "c.jsonl"
    path.write_bytes(orjson.dumps({"data": data, "includes": {"users": users_json}}) + b"\n")
    import_files(engine, None, [path], log=lambda m: None)
    return engine


def by_name(res):
    return {p.username: p for p in res.people}


def test_agent_voice_is_left_out_with_the_tweets_that_made_the_call(community):
    res = run_ranking(community, SETTINGS, window_days=7)
    kim = by_name(res)["kim_morales"]
    assert kim.rank is None and kim.tier == "excluded"
    assert kim.flags and kim.flags[0].startswith("likely staff: 4 of 4 tweets")
    shown = [tid for tid, _, _ in kim.evidence["flags"]]
    assert len(shown) == 4
    for tid in shown:
        assert scalar(community, "SELECT text FROM tweets WHERE id = :t", t=tid).endswith("^KM")
    # The customer who helped the same way, in their own voice, is ranked.
    assert by_name(res)["sam_fixes"].rank == 1


def test_staff_decisions_win_at_the_next_run(community):
    with community.begin() as conn:
        kim = conn.execute(text("SELECT id FROM users WHERE username = 'kim_morales'")).scalar()
        set_account_label(conn, kim, "customer", by="lead@acme.example", note="a customer")
    res = run_ranking(community, SETTINGS, window_days=7)
    assert by_name(res)["kim_morales"].rank is not None
    assert by_name(res)["kim_morales"].flags == []
    with community.begin() as conn:
        set_account_label(conn, kim, "staff", by="lead@acme.example")
        assert account_labels(conn) == {kim: "staff"}
        with pytest.raises(ValueError):
            set_account_label(conn, kim, "robot", by="x")
    res = run_ranking(community, SETTINGS, window_days=7)
    assert by_name(res)["kim_morales"].flags == ["staff (confirmed by staff)"]


def test_person_page_records_a_decision(community, db_url, monkeypatch):
    run_ranking(community, SETTINGS, window_days=7)
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"),
                           default_timeout=30).run()
    at.switch_page("pages/person.py")
    at.query_params["u"] = "kim_morales"
    at.run()
    assert not at.exception
    assert any("likely staff" in w.value for w in at.warning)
    overrule = next(b for b in at.button if b.label == "Overrule: a customer")
    overrule.click().run()
    assert not at.exception
    assert scalar(community, "SELECT label FROM account_labels") == "customer"
    assert scalar(community, "SELECT set_by FROM account_labels")  # who decided is kept


def test_explain_shows_the_flag_and_its_tweets(community, db_url, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text('support_handles = ["AcmeHelp"]\n[ranking]\nwindow = "7d"\n')
    assert graph_cli.main(["rank", "--db", db_url, "--config", str(cfg)]) == 0
    capsys.readouterr()
    assert graph_cli.main(["explain", "kim_morales", "--db", db_url, "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "left out: likely staff" in out and "Sorry about that! Go to Settings" in out
