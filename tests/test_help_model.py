"""The help model (``graph.helpmodel``) on replies it was never trained on, and its training.

* **Paraphrases**: ``tests/data/paraphrases_help.csv``, 199 replies in English, Spanish,
  French and Portuguese written by a helper session that never saw the rules, the phrases,
  the labels or the training data (99 help: steps, facts, explanations, pointers, links; 100
  not: complaints, me too, jokes, sarcasm, switch-brand trolling, dismissals, empty offers).
  Never trained on: a test set only.
* **Thanks**: ``paraphrases_thanks.csv`` (same author): genuine thanks against sarcastic,
  failed and refused ones. Its odd rows were read while writing the phrase lists (three
  idioms came from them); the even rows were not, and are the measurement.
* **Cross-validation by file** and **staff corrections** feeding the training.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.classify import set_override
from graph.helpmodel import TRAINING_FILES, load_model, read_labelled
from graph.roles import RoleMatcher
from graph.trainhelp import staff_corrections, train
from settings.phrases import PHRASES
from tests.conftest import REALDATA, realdata

DATA = Path(__file__).parent / "data"
M = RoleMatcher(PHRASES)


def _rates(rows, predicted):
    helps = [p for r, p in zip(rows, predicted) if r.help]
    others = [p for r, p in zip(rows, predicted) if not r.help]
    return sum(helps) / len(helps), sum(others) / len(others)


def test_blind_paraphrases_recall_and_false_positives():
    model = load_model()
    assert model is not None, "graph/models/help.npz is shipped"
    rows = read_labelled(DATA / "paraphrases_help.csv")
    assert sum(r.help for r in rows) >= 60 and sum(not r.help for r in rows) >= 60
    got = model.is_help(M, [(r.text, r.lang) for r in rows])
    recall, false_pos = _rates(rows, got)
    assert recall >= 0.8 and false_pos <= 0.1, (recall, false_pos)
    # And in each of the two main languages. Each has about 20 replies a side, so one reply
    # moves a rate by 5 points: the floor there is looser than over all 199.
    for lang in ("en", "es"):
        part = [(r, g) for r, g in zip(rows, got) if r.lang == lang]
        recall, false_pos = _rates([r for r, _ in part], [g for _, g in part])
        assert recall >= 0.75 and false_pos <= 0.2, (lang, recall, false_pos)


def test_blind_thanks_are_read_not_matched():
    """Genuine thanks are thanks; sarcastic thanks, thanks for a fix that failed, and a
    polite no are not (thanks to a brand, or a friend's "ty" for a joke, are left to the
    structure: only the asker's reply to an answer confirms it)."""
    with (DATA / "paraphrases_thanks.csv").open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if int(r["id"][1:]) % 2 == 0
                and r["kind"] not in ("brand", "social")]
    read = [(r, M.classify(r["text"], r["lang"])) for r in rows]
    genuine = [x.thanks and not x.negative for r, x in read if r["label"] == "thanks"]
    fake = [x.thanks and not x.negative for r, x in read if r["label"] != "thanks"]
    assert len(genuine) >= 20 and len(fake) >= 15
    assert sum(genuine) / len(genuine) >= 0.9
    assert sum(fake) / len(fake) <= 0.25


@pytest.fixture(scope="module")
def report():
    realdata("twcs-head-monalisapatra26/twcs.csv")
    return train(M, list(TRAINING_FILES), [DATA / "paraphrases_help.csv"], realdata=REALDATA)


def test_cross_validation_by_file(report):
    """Each source left out in turn (the written training replies, each real TWCS stretch):
    a model trained on the others ranks its help above its other replies more often than
    chance, and the final model holds on the blind paraphrases."""
    assert {s.source for s in report.folds} == {
        "help_train.csv", "help_train_real_style.csv", "twcs_reply_labels:head",
        "twcs_reply_labels:dev"}
    for s in report.folds:
        assert s.auc is not None and s.auc > 0.6, s
    test = report.tests[0]
    assert test.recall >= 0.8 and test.false_positive <= 0.1, test


def test_the_shipped_model_is_the_one_training_makes(report):
    """Retraining on the shipped data gives the shipped model's decisions (the weights file
    is not edited by hand, and is retrained when the phrases change)."""
    shipped = load_model()
    rows = [(r.text, r.lang) for r in read_labelled(DATA / "paraphrases_help.csv")]
    a = shipped.probabilities(M, rows)
    b = report.model.probabilities(M, rows)
    assert max(abs(x - y) for x, y in zip(a, b)) < 0.02


def test_staff_corrections_feed_the_training(engine):
    """A tweet staff marked "help" or "not help" on the person page is a training row of the
    source "staff corrections" (``python -m graph train-help --from-db``)."""
    from ingest.files import import_files
    from sqlalchemy import text

    import_files(engine, None, [realdata("twcs-kaggle-sample/sample.csv")], log=lambda m: None)
    with engine.connect() as conn:
        a, b = conn.execute(text("SELECT id FROM tweets WHERE kind = 'reply' ORDER BY id"
                                 " LIMIT 2")).scalars().all()
    set_override(engine, a, "answer", True, by="lead@acme.example")
    set_override(engine, b, "answer", False, by="lead@acme.example")
    rows = staff_corrections(engine)
    assert {(r.source, r.help) for r in rows} == {("staff corrections", True),
                                                  ("staff corrections", False)}
    assert all(r.text for r in rows)
