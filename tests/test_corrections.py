"""Staff corrections of the ranking's reading (issue 19): a mark on an evidence tweet wins at
the next ranking, is recorded like outreach changes, is forgotten with its person, and is
exported as labels the help model's trainer reads. On both engines, on the demo community."""

from __future__ import annotations

import csv

import pytest

from graph.corrections import correct, export_labels, history, marks
from graph.helpmodel import read_labelled
from graph.rank import run_ranking
from graph.results import person
from ingest.demo import DEMO_SETTINGS, DemoSpec, generate_demo
from ingest.files import import_files
from settings import Settings
from tests.conftest import scalar

SETTINGS = Settings(support_handles=tuple(DEMO_SETTINGS["support_handles"]),
                    staff_handles=tuple(DEMO_SETTINGS["staff_handles"]),
                    fix_domains=tuple(DEMO_SETTINGS["fix_domains"]))


@pytest.fixture
def ranked(engine, tmp_path):
    path = tmp_path / "demo.jsonl"
    generate_demo(path, DemoSpec(3000, 7))
    import_files(engine, None, [path], log=lambda m: None)
    return run_ranking(engine, SETTINGS)


def _thanked(engine, res):
    """A ranked helper several people thanked, and their page."""
    for p in res.ranked:
        shown = person(engine, res.run_id, p.username)
        if len(shown["thanked_by"]) >= 2:
            return shown
    pytest.fail("the demo has a helper thanked by two people")


def test_not_a_thanks_counts_at_the_next_ranking_and_forgetting_it_restores(engine, ranked):
    """A thanks marked "not a thanks" no longer confirms the help it answered: one person
    fewer thanked them, the tweet leaves their evidence, and the score drops. Forgetting the
    mark reads the tweet from its text again: the first ranking's figures come back."""
    before = _thanked(engine, ranked)
    thanks = before["evidence"]["confirmed_help"][0]
    assert correct(engine, thanks["tweet_id"], "thanks", False, "lead@acme.example",
                   user_id=before["user_id"])
    assert marks(engine, [thanks["tweet_id"]]) == {(thanks["tweet_id"], "thanks"): False}
    res = run_ranking(engine, SETTINGS)
    after = person(engine, res.run_id, before["username"])
    assert after["facts"]["confirmed"] == before["facts"]["confirmed"] - 1
    assert thanks["tweet_id"] not in {e["tweet_id"] for e in
                                      after["evidence"].get("confirmed_help", [])}
    assert after["score"] < before["score"]
    # Recorded as outreach changes are: who, when, before and after, on whose page.
    events = history(engine, before["user_id"])
    assert [(e["tweet_id"], e["role"], e["old"], e["new"], e["actor"]) for e in events] == [
        (thanks["tweet_id"], "thanks", None, False, "lead@acme.example")]
    assert not correct(engine, thanks["tweet_id"], "thanks", False, "lead@acme.example",
                       user_id=before["user_id"])  # the same mark again changes nothing
    assert correct(engine, thanks["tweet_id"], "thanks", None, "lead@acme.example",
                   user_id=before["user_id"])
    res = run_ranking(engine, SETTINGS)
    again = person(engine, res.run_id, before["username"])
    assert again["facts"]["confirmed"] == before["facts"]["confirmed"]
    assert again["score"] == pytest.approx(before["score"], abs=0.05)
    assert [e["new"] for e in history(engine, before["user_id"])] == [False, None]


def test_a_help_mark_counts_an_unsure_answer_in_full(engine, ranked):
    """The help model counts an answer in proportion to how sure it is; staff's "help" counts
    it in full at the next ranking (and never less)."""
    unsure = scalar(engine, "SELECT h.answer_id FROM help_acts h WHERE h.confidence < 0.9"
                            " ORDER BY h.confidence LIMIT 1")
    if unsure is None:
        pytest.skip("the help model was sure of every answer in this demo")
    helper = scalar(engine, "SELECT author_id FROM tweets WHERE id = :t", t=unsure)
    correct(engine, unsure, "answer", True, "lead@acme.example", user_id=helper)
    run_ranking(engine, SETTINGS)
    assert scalar(engine, "SELECT confidence FROM help_acts WHERE answer_id = :t",
                  t=unsure) in (None, 1.0)


def test_corrections_are_exported_as_labels_the_trainer_reads(engine, ranked, tmp_path):
    """``export_labels`` writes every mark; ``train-help --data`` reads its answer rows (help /
    not_help) and skips the thanks; a text a spreadsheet would run is made inert in the file
    and read back as it was."""
    p = _thanked(engine, ranked)
    answer = p["evidence"]["helpful_answers"][0]
    thanks = p["evidence"]["confirmed_help"][0]
    correct(engine, answer["tweet_id"], "answer", False, "lead@acme.example", user_id=p["user_id"])
    correct(engine, thanks["tweet_id"], "thanks", False, "lead@acme.example", user_id=p["user_id"])
    with engine.begin() as conn:  # a reply that starts like a formula
        conn.exec_driver_sql(f"UPDATE tweets SET text = '=HYPERLINK(\"x\")' "
                             f"WHERE id = {answer['tweet_id']}")
    out = tmp_path / "labels.csv"
    assert export_labels(engine, out) == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {(r["tweet_id"], r["role"], r["label"]) for r in rows} == {
        (str(answer["tweet_id"]), "answer", "not_help"),
        (str(thanks["tweet_id"]), "thanks", "not_thanks")}
    assert all(r["set_by"] == "lead@acme.example" for r in rows)
    assert next(r for r in rows if r["role"] == "answer")["text"] == "'=HYPERLINK(\"x\")"
    labelled = read_labelled(out)
    assert [(r.text, r.help) for r in labelled] == [('=HYPERLINK("x")', False)]


def test_forgetting_a_person_forgets_their_corrections(engine, ranked):
    from store.erase import forget_user

    p = _thanked(engine, ranked)
    answer = p["evidence"]["helpful_answers"][0]
    correct(engine, answer["tweet_id"], "answer", False, "lead@acme.example", user_id=p["user_id"])
    with engine.begin() as conn:
        forget_user(conn, p["user_id"], actor="lead@acme.example")
    assert scalar(engine, "SELECT count(*) FROM correction_events") == 0
    assert scalar(engine, "SELECT count(*) FROM role_overrides") == 0


def test_a_correction_needs_someone_to_make_it(engine, ranked):
    with pytest.raises(ValueError, match="actor"):
        correct(engine, ranked.ranked[0].user_id, "answer", False, "")
    with pytest.raises(ValueError, match="role must be one of"):
        correct(engine, 1, "champion", False, "lead@acme.example")
