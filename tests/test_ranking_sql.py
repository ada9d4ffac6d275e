"""The ranking over SQL, on a hand-built conversation (both backends), with hand-worked
components; staff overrides; stored runs; the CLI."""

from __future__ import annotations

import math

import json
from datetime import datetime, timedelta

import orjson
import pytest

from graph import cli as graph_cli
from graph.classify import clear_override, set_override
from graph.rank import run_ranking
from ingest.files import import_files
from settings import Settings
from tests.conftest import scalar

END = datetime(2026, 10, 31, 12, 0, 0)
USERS = {1: "AcmeHelp", 2: "asker", 3: "helper", 4: "troll", 5: "fan", 6: "bystander"}
SETTINGS = Settings(support_handles=("AcmeHelp",), fix_domains=("help.acme.example",))


def tw(tid, author, body, hours_ago, reply_to=None, retweet=None, mentions=(), url=None):
    t = {"id": str(tid), "author_id": str(author), "text": body, "lang": "en",
         "created_at": (END - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
         "entities": {"mentions": [{"username": USERS[m], "id": str(m)} for m in mentions]}}
    refs = []
    if reply_to:
        refs.append({"type": "replied_to", "id": str(reply_to[0])})
        t["in_reply_to_user_id"] = str(reply_to[1])
    if retweet:
        refs.append({"type": "retweeted", "id": str(retweet)})
    if refs:
        t["referenced_tweets"] = refs
    if url:
        t["entities"]["urls"] = [{"url": "https://t.co/x", "expanded_url": url}]
    return t


CONVERSATION = [
    tw(100, 2, "@AcmeHelp my router keeps dropping wifi, any fix?", 50, mentions=[1]),
    tw(101, 3, "@asker try holding the reset button for 10 seconds", 49, reply_to=(100, 2),
       mentions=[2]),
    tw(102, 2, "@helper thanks, that worked!", 48, reply_to=(101, 3), mentions=[3]),
    tw(103, 4, "@asker not my problem mate", 49, reply_to=(100, 2), mentions=[2]),
    tw(104, 2, "@troll useless comment", 48, reply_to=(103, 4), mentions=[4]),
    tw(105, 1, "@helper thank you for sharing the fix!", 47, reply_to=(101, 3), mentions=[3]),
    tw(106, 1, "Wifi dropping? Here is the fix: https://help.acme.example/kb/1", 40,
       url="https://help.acme.example/kb/1"),
    tw(107, 5, "RT @AcmeHelp: Wifi dropping? Here is the fix", 39, retweet=106, mentions=[1]),
    tw(108, 6, "nice weather today", 30),
]


@pytest.fixture
def conversation(engine, tmp_path):
    users = [{"id": str(i), "username": n, "name": n, "public_metrics": {
        "followers_count": 900 if n == "fan" else 10}} for i, n in USERS.items()]
    page = {"data": CONVERSATION, "includes": {"users": users}}
    path = tmp_path / "conversation.jsonl"
    path.write_bytes(orjson.dumps(page) + b"\n")
    import_files(engine, None, [path], log=lambda m: None)
    return engine


def no_decay(settings: Settings) -> Settings:
    return Settings(**{**settings.__dict__, "ranking": {**settings.ranking,
                                                        "half_life_days": 1e12}})


def test_hand_built_conversation(conversation):
    res = run_ranking(conversation, no_decay(SETTINGS), window_days=7)
    by = {p.username: p for p in res.people}
    helper = by["helper"].components
    assert helper["helpful_answers"] == pytest.approx(3.0)   # 3.0 x sqrt(1 fix answer)
    assert helper["confirmed_help"] == pytest.approx(4.0)    # confirmed by the asker
    assert helper["endorsement"] == pytest.approx(3.0)       # the brand thanked the answer
    assert helper["negative_feedback"] == 0
    assert (by["helper"].helped, by["helper"].confirmed) == (1, 1)
    # The troll's reply was negative, so it is no answer and earns nothing.
    assert "troll" not in by
    # The fan retweeted the brand's fix (half a unit: a bare retweet, and every retweet of
    # theirs is a fix) to 900 followers (audience 2.0): 6 x (1 - e^(-0.5 / 6)) x 2.0.
    assert by["fan"].components["fix_amplification"] == pytest.approx(
        6 * (1 - math.exp(-0.5 / 6)) * 2.0, abs=1e-3)
    assert "bystander" not in by and "AcmeHelp" not in [p.username for p in res.ranked]
    assert [p.username for p in res.ranked][:2] == ["helper", "fan"]
    for p in res.people:
        assert sum(p.components.values()) == pytest.approx(p.score, abs=1e-9)
    # Each component lists its own acts: (tweet, other person, value).
    ev = by["helper"].evidence
    assert [t for t, _, _ in ev["helpful_answers"]] == [101]
    assert ev["confirmed_help"] == [(102, 2, None)]
    assert [t for t, _, _ in ev["endorsement"]] == [105]
    assert [t for t, _, _ in by["fan"].evidence["fix_amplification"]] == [107]
    # Derived components show their own evidence, not a copy of the answers: the person
    # helped (network), the week (consistency), and the answer's time: 101 came an hour
    # after the request 100 (responsiveness, in minutes).
    assert ev["network"] == [(101, 2, None)]
    assert ev["responsiveness"] == [(101, 2, 60.0)]
    assert [(t, o) for t, o, _ in ev["consistency"]] == [(101, 2)]
    assert by["helper"].facts == {
        "helped": 1, "confirmed": 1, "answers": 1, "fixes_spread": 0, "reach": 0,
        "active_weeks": 1, "median_response_minutes": 60.0,
        "evidence_totals": {c: 1 for c in ev}}
    assert by["fan"].facts["fixes_spread"] == 1 and by["fan"].facts["reach"] == 900


def test_results_are_stored_for_pages(conversation):
    res = run_ranking(conversation, SETTINGS, window_days=7)
    assert scalar(conversation, "SELECT count(*) FROM ranking_runs") == 1
    helper_id = 3
    row = scalar(conversation, "SELECT components FROM champion_scores WHERE run_id = :r"
                 " AND user_id = :u", r=res.run_id, u=helper_id)
    assert json.loads(row)["confirmed_help"] > 0
    assert scalar(conversation, "SELECT rank FROM champion_scores WHERE run_id = :r AND"
                  " user_id = 3", r=res.run_id) == 1
    assert scalar(conversation, "SELECT count(*) FROM score_evidence WHERE run_id = :r AND"
                  " user_id = 3 AND component = 'helpful_answers' AND tweet_id = 101",
                  r=res.run_id) == 1


def test_staff_override_unmarks_a_fix(conversation):
    run_ranking(conversation, SETTINGS, window_days=7)
    set_override(conversation, 101, "fix", False, by="lead@acme.example", note="not a real fix")
    res = run_ranking(conversation, no_decay(SETTINGS), window_days=7)
    helper = {p.username: p for p in res.people}["helper"].components
    # Still an answer to a request (an explanation is worth three quarters of a fix).
    assert helper["helpful_answers"] == pytest.approx(3.0 * 0.75 ** 0.5, abs=1e-3)
    set_override(conversation, 101, "answer", False, by="lead@acme.example", note="no answer")
    res = run_ranking(conversation, no_decay(SETTINGS), window_days=7)
    assert "helper" not in {p.username for p in res.people}  # no help, no endorsement
    clear_override(conversation, 101, "fix")
    clear_override(conversation, 101, "answer")
    res = run_ranking(conversation, no_decay(SETTINGS), window_days=7)
    assert {p.username: p for p in res.people}["helper"].components["endorsement"] == 3.0


def test_staff_accounts_are_never_ranked(conversation):
    settings = Settings(**{**SETTINGS.__dict__, "staff_handles": ("helper",)})
    res = run_ranking(conversation, settings, window_days=7)
    helper = {p.username: p for p in res.people}["helper"]
    assert helper.rank is None and helper.flags == ["staff (configured)"]


def test_cli_rank_explain_and_csv(conversation, db_url, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text('support_handles = ["AcmeHelp"]\nfix_domains = ["help.acme.example"]\n')
    out = tmp_path / "rank.csv"
    assert graph_cli.main(["rank", "--db", db_url, "--config", str(cfg), "--window", "7d",
                           "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("rank,username,score,helpful_answers,")
    assert lines[1].split(",")[:2] == ["1", "helper"]
    assert "@helper" in capsys.readouterr().out
    assert graph_cli.main(["explain", "@Helper", "--db", db_url, "--config", str(cfg)]) == 0
    shown = capsys.readouterr().out
    assert "@helper: #1" in shown and "101 <-> @asker" in shown and "confirmed_help" in shown
    assert graph_cli.main(["explain", "nobody", "--db", db_url, "--config", str(cfg)]) == 1
    assert graph_cli.main(["rank", "--db", db_url, "--backend", "nope"]) == 2


@pytest.mark.parametrize("command", ["rank", "explain", "evaluate", "export"])
def test_graph_commands_have_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        graph_cli.main([command, "--help"])
    assert exc.value.code == 0
    assert "--db" in capsys.readouterr().out


def test_champion_quiet_in_this_window_is_lapsed(conversation):
    """Eight days on, the helper's week is the previous window: they were a champion there."""
    one_is_enough = Settings(**{**SETTINGS.__dict__, "ranking": {
        **SETTINGS.ranking, "half_life_days": 1e12, "champion_min_helped": 1,
        "champion_min_confirmed": 1}})
    res = run_ranking(conversation, one_is_enough, window_days=7, end=END + timedelta(days=8))
    helper = {p.username: p for p in res.people}["helper"]
    assert helper.previous_tier == "champion" and helper.tier == "lapsed"
    assert helper.score == 0 and helper.rank is None and helper.previous_score >= 10


def test_networkx_backend_passes_through(conversation):
    res = run_ranking(conversation, SETTINGS, window_days=7, backend="networkx")
    assert res.ranked[0].username == "helper"


def test_empty_database_ranks_nobody(engine):
    res = run_ranking(engine, SETTINGS)
    assert res.people == [] and res.run_id is not None


def test_cli_evaluate_reports_methods(conversation, db_url, tmp_path, capsys):
    truth = tmp_path / "truth.txt"
    truth.write_text("@helper\n")
    cfg = tmp_path / "c.toml"
    cfg.write_text('support_handles = ["AcmeHelp"]\nfix_domains = ["help.acme.example"]\n')
    assert graph_cli.main(["evaluate", "--truth", str(truth), "--db", db_url, "--config",
                           str(cfg), "--window", "7d", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["k"] == 1
    assert report["methods"]["champion tracker"]["precision_at_k"] == 1.0
    assert set(report["methods"]) == {"champion tracker", "followers", "mention in-degree",
                                      "plain PageRank"}
    empty = tmp_path / "none.json"
    empty.write_text("[]")
    assert graph_cli.main(["evaluate", "--truth", str(empty), "--db", db_url]) == 2


def test_thanks_credit_only_the_answer_they_reply_to(engine, tmp_path):
    """A shout-out by mention, and thanks from a bystander, confirm nobody's help: only the
    person helped, replying to the answer, confirms it (a thanks tweet that @mentions ten
    accounts must not credit all ten)."""
    users = [{"id": str(i), "username": n, "name": n} for i, n in USERS.items()]
    data = CONVERSATION[:2] + [
        tw(120, 2, "Huge shout-out to @helper and @fan, thank you! wifi is back", 45,
           mentions=[3, 5]),
        tw(121, 6, "@helper thanks, that worked for me too", 44, reply_to=(101, 3),
           mentions=[3])]
    path = tmp_path / "c.jsonl"
    path.write_bytes(orjson.dumps({"data": data, "includes": {"users": users}}) + b"\n")
    import_files(engine, None, [path], log=lambda m: None)
    res = run_ranking(engine, no_decay(SETTINGS), window_days=7)
    by = {p.username: p for p in res.people}
    assert by["helper"].components["confirmed_help"] == 0
    assert by["helper"].confirmed == 0
    assert "fan" not in by


def test_fix_counts_are_true_totals_beyond_the_listed(conversation):
    """The Fixes page's headings count every fix in the window, not the listed ones: the
    brand's fix 106 was retweeted by the fan; with room for none, the count still says 1."""
    from graph.results import fix_counts, fixes

    res = run_ranking(conversation, SETTINGS, window_days=7)
    assert fix_counts(conversation, res.start, res.end) == (1, 0)
    assert fixes(conversation, res.start, res.end, limit=0) == []
    assert [f["tweet_id"] for f in fixes(conversation, res.start, res.end)] == [106]
