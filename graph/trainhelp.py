"""``python -m graph train-help``: train the help model (``graph.helpmodel``) and say how well
it holds on data it was not trained on.

Cross-validation is **by file**: each labelled file in turn is left out, a model is trained on
the others, and the left-out file is scored; a file is one source written one way (a labeller,
a real TWCS stretch), so the figures say how the model does on a source it has never seen,
not on other lines of the same one. Files given with ``--test`` are never trained on (the blind
paraphrase set): they are only scored, by the final model.

The threshold is the probability 0.5 of a model trained with balanced classes (``--threshold``
sets another). A threshold chosen on the pooled out-of-fold probabilities was tried and
dropped: each fold's model is calibrated differently (one is trained on 200 real replies, the
other on 600 written ones), and the pooled cut moved between 0.49 and 0.78 from run to run.
Above the threshold, the probability still counts: an unconfirmed answer weighs what the
model is sure of (``graph.score``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, text

from graph.helpmodel import HelpModel, Labelled, fit, read_labelled
from graph.roles import RoleMatcher

__all__ = ["train", "staff_corrections", "Scores", "TrainReport"]


@dataclass
class Scores:
    source: str
    n: int
    helps: int
    recall: float
    false_positive: float
    auc: float | None


@dataclass
class TrainReport:
    model: HelpModel
    folds: list[Scores]          # each training file, scored by a model trained on the others
    tests: list[Scores]          # each --test file, scored by the final model


def _scores(source: str, rows: list[Labelled], probs: list[float], threshold: float) -> Scores:
    y = np.array([r.help for r in rows])
    p = np.array(probs)
    pred = p >= threshold
    helps = int(y.sum())
    recall = float((pred & y).sum() / helps) if helps else float("nan")
    negatives = int((~y).sum())
    fp = float((pred & ~y).sum() / negatives) if negatives else float("nan")
    auc = None
    if 0 < helps < len(y):
        from sklearn.metrics import roc_auc_score

        auc = float(roc_auc_score(y, p))
    return Scores(source, len(rows), helps, recall, fp, auc)


def train(matcher: RoleMatcher, data: list[Path], tests: list[Path] = (),
          extra: list[Labelled] = (), threshold: float = 0.5, c: float = 4.0,
          realdata: Path | None = None, leave_out: str | None = None) -> TrainReport:
    """Cross-validate by file over ``data`` (and ``extra``, staff corrections, as one more
    source), then train on all of it; score each ``tests`` file with the final model.
    ``leave_out``: a source (e.g. ``twcs_reply_labels:dev``) not used at all."""
    by_file: dict[str, list[Labelled]] = defaultdict(list)
    for path in data:
        for row in read_labelled(path, realdata):
            if row.source != leave_out:
                by_file[row.source].append(row)
    for row in extra:
        by_file[row.source].append(row)
    everything = [r for rows in by_file.values() for r in rows]
    if not everything or all(r.help for r in everything) or not any(r.help for r in everything):
        raise ValueError("training needs labelled replies of both kinds (help and not_help)")
    folds: list[Scores] = []
    for source, held in by_file.items():
        rest = [r for s, rows in by_file.items() if s != source for r in rows]
        if not any(r.help for r in rest) or all(r.help for r in rest):
            continue
        m = fit(matcher, rest, c)
        probs = m.probabilities(matcher, [(r.text, r.lang) for r in held])
        folds.append((source, held, probs))
    scored = [_scores(s, held, probs, threshold) for s, held, probs in folds]
    model = fit(matcher, everything, c)
    model.threshold = threshold
    test_scores = []
    for path in tests:
        rows = read_labelled(path, realdata)
        test_scores.append(_scores(path.name, rows, model.probabilities(
            matcher, [(r.text, r.lang) for r in rows]), threshold))
    return TrainReport(model, scored, test_scores)


def staff_corrections(engine: Engine) -> list[Labelled]:
    """Staff's own readings of replies (``role_overrides`` on the ``answer`` role, set on the
    person page): a team's corrections become training rows of their own source."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT t.text, t.lang, o.value FROM role_overrides o JOIN tweets t"
            " ON t.id = o.tweet_id WHERE o.role = 'answer' AND t.text IS NOT NULL")).all()
    return [Labelled("staff corrections", body, lang, bool(value)) for body, lang, value in rows]
