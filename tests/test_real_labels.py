"""The ranking on real support traffic, against the project's own hand labels
(``tests/data/twcs_head_labels.csv``; how they were made: ``tests/data/LABELS.md``), and its
honest abstention where the data holds no customer-to-customer help."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph import cli as graph_cli
from graph.evaluate import average_precision, load_labels
from graph.rank import run_ranking
from ingest.files import import_files
from settings import Settings
from tests.conftest import realdata, scalar

LABELS = Path(__file__).parent / "data" / "twcs_head_labels.csv"
TEN_YEARS = 3650


def test_labels_cover_the_customer_to_customer_replies():
    """The labelled set is the one LABELS.md describes: every author of a reply to another
    customer, and everyone they replied to."""
    rows = list(csv.DictReader(LABELS.open()))
    assert len(rows) == 188
    labels = {r["user"]: r["label"] for r in rows}
    assert {lab for lab in labels.values()} <= {"helper", "asker", "complainer", "banter",
                                                "business", "staff", "other"}
    assert sum(lab == "helper" for lab in labels.values()) == 5
    assert all(r["note"].strip() for r in rows)


def test_twcs_head_ranking_matches_the_hand_labels(engine):
    """The shared TWCS head, ranked as shipped (the help model saw this stretch's reply labels;
    the cross-file figures, with a model that did not, are ``tests/test_suite.py``'s) with the
    file's brand accounts as support handles over ten years: four of the five helpers in the
    top five, and no business, banter, complainer or staff account there. (The head's #1 is
    an asker whose suggestion to another customer, "they could hide it in an advanced
    settings area", the model reads as help at 0.53, thanked with "brilliant, please keep me
    updated": a borderline call the project's labels make the other way.)"""
    import_files(engine, None, [realdata("twcs-head-monalisapatra26/twcs.csv")],
                 log=lambda m: None)
    res = run_ranking(engine, Settings(), window_days=TEN_YEARS)
    labels = load_labels(LABELS)
    helpers = {u for u, lab in labels.items() if lab == "helper"}
    ranked = [(p.username or "").lower() for p in res.ranked]
    assert res.abstain is None
    assert average_precision(ranked, helpers) >= 0.5
    top = ranked[:5]
    assert len(helpers & set(top)) >= 4, [(u, labels.get(u)) for u in top]
    assert not [(u, labels[u]) for u in top
                if labels.get(u) in ("business", "banter", "complainer", "staff")]
    # "Really, OK ta." no longer confirms 116303's answer ("ta" matched one tweet: a fit,
    # removed); the answer itself still ranks them among the first.
    first = next(p for p in res.ranked if p.username == "116303")
    assert first.rank <= 2 and first.confirmed == 0
    # Every component lists the tweets that earned it.
    for p in res.ranked:
        for c, pts in p.components.items():
            if pts:
                assert p.evidence.get(c), (p.username, c)


def test_evaluate_cli_with_labels_does_not_store_a_run(engine, db_url, tmp_path, capsys):
    import_files(engine, None, [realdata("twcs-head-monalisapatra26/twcs.csv")],
                 log=lambda m: None)
    cfg = tmp_path / "c.toml"
    cfg.write_text('[ranking]\nwindow = "3650d"\n')
    assert graph_cli.main(["evaluate", "--labels", str(LABELS), "--db", db_url,
                           "--config", str(cfg), "--json"]) == 0
    import json
    report = json.loads(capsys.readouterr().out)
    ours = report["methods"]["champion tracker"]
    assert ours["average_precision"] >= 0.5
    # (an asker at #1 and a banter account at #6: see the test above)
    assert {o["label"] for o in ours["non_helpers_in_top_k"]} <= {"asker", "banter"}
    for baseline in ("followers", "mention in-degree", "plain PageRank"):
        assert report["methods"][baseline]["average_precision"] < ours["average_precision"]
    # The mention in-degree baseline puts the mince-pie businesses on top: shown by label.
    shown = {o["label"] for o in report["methods"]["mention in-degree"]["non_helpers_in_top_k"]}
    assert "business" in shown
    assert scalar(engine, "SELECT count(*) FROM ranking_runs") == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nx,helper\n")
    assert graph_cli.main(["evaluate", "--labels", str(bad), "--db", db_url]) == 2
    assert "bad.csv:1" in capsys.readouterr().err


def test_kaggle_sample_names_no_champion_and_says_why(engine):
    """Its two customer-to-customer replies are "me too" and a complaint: no help."""
    import_files(engine, None, [realdata("twcs-kaggle-sample/sample.csv")], log=lambda m: None)
    res = run_ranking(engine, Settings(), window_days=TEN_YEARS)
    assert res.ranked == []
    assert not [p for p in res.people if p.tier == "champion"]
    assert res.abstain.startswith("2 replies from one customer to another")
    stored = scalar(engine, "SELECT params FROM ranking_runs WHERE id = :r", r=res.run_id)
    assert "2 replies from one customer to another" in stored


@pytest.mark.parametrize("sample", ["brexit.jsonl", "withheld.jsonl", "noflat.jsonl"])
def test_twarc_files_without_support_context_name_no_champion(engine, sample, capsys,
                                                              db_url, tmp_path):
    import_files(engine, None, [realdata(f"twarc-csv/test-data/{sample}")], log=lambda m: None)
    res = run_ranking(engine, Settings(), window_days=TEN_YEARS)
    assert res.ranked == [] and res.abstain.startswith("no support handle in this data")
    cfg = tmp_path / "none.toml"
    cfg.write_text('[ranking]\nwindow = "3650d"\n')
    assert graph_cli.main(["rank", "--db", db_url, "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "no champion named: no support handle in this data" in out


def test_leaderboard_says_why_no_champion_is_named(engine, db_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    import_files(engine, None, [realdata("twcs-kaggle-sample/sample.csv")], log=lambda m: None)
    run_ranking(engine, Settings(), window_days=TEN_YEARS)
    monkeypatch.setenv("CHAMPIONS_DB_URL", db_url)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"),
                           default_timeout=30).run()
    assert not at.exception
    shown = [i.value for i in at.info]
    assert any(s.startswith("No champion named for this window: 2 replies from one customer")
               for s in shown), shown
