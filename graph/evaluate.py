"""Score a ranking against a community's planted champions, beside naive baselines.

Baselines rank the same eligible people (everyone but the brand accounts) by followers, by
mention in-degree, and by plain PageRank over the whole interaction graph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
from sqlalchemy import Engine, text

__all__ = ["load_truth", "load_labels", "precision_at_k", "average_precision", "baselines",
           "evaluate", "evaluate_labels", "HELPER"]

HELPER = "helper"


def load_truth(path: Path) -> dict[str, set[str]]:
    """Planted labels: JSON (a list of champion usernames, or an object whose ``champions``
    key lists them, with optional ``brand``, ``staff``, ``bots`` lists), or one username a line.
    Usernames compare case-insensitively, without a leading @."""
    raw = path.read_text(encoding="utf-8")

    def names(values: Any) -> set[str]:
        return {str(v).strip().lstrip("@").lower() for v in values or () if str(v).strip()}

    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return {"champions": names(raw.split())}
    if isinstance(data, list):
        return {"champions": names(data)}
    truth = {"champions": names(data.get("champions") or data.get("planted_champions"))}
    for key in ("brand", "staff", "bots", "distractors"):
        value = data.get(key)
        if isinstance(value, dict):  # e.g. {"trolls": [...], "bots": [...]}
            value = [n for group in value.values() for n in group]
        truth[key] = names(value)
    return truth


def load_labels(path: Path) -> dict[str, str]:
    """Hand labels: a CSV with columns ``user,label`` (more columns are ignored), one person a
    row; users compare case-insensitively, without a leading @. Raises ValueError naming the
    file and line for a file that is not such a CSV."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields = {f.strip().lower() for f in reader.fieldnames or ()}
        if not {"user", "label"} <= fields:
            raise ValueError(f"{path}:1: the header needs the columns user,label")
        labels: dict[str, str] = {}
        for row in reader:
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            user, label = row["user"].lstrip("@").lower(), row["label"].lower()
            if not user or not label:
                raise ValueError(f"{path}:{reader.line_num}: a row needs a user and a label")
            labels[user] = label
    return labels


def precision_at_k(ranked: list[str], truth: set[str], k: int) -> float:
    return sum(1 for u in ranked[:k] if u in truth) / k if k else 0.0


def average_precision(ranked: list[str], truth: set[str]) -> float:
    hits, total = 0, 0.0
    for i, u in enumerate(ranked, 1):
        if u in truth:
            hits += 1
            total += hits / i
    return total / len(truth) if truth else 0.0


def baselines(engine: Engine) -> dict[str, list[str]]:
    """Usernames, best first, by followers, mention in-degree and plain PageRank."""
    with engine.connect() as conn:
        users = {uid: (name or "").lower() for uid, name in conn.execute(text(
            "SELECT id, username FROM users WHERE NOT is_brand AND username IS NOT NULL"))}
        followers = [u for u, _ in conn.execute(text(
            "SELECT id, followers_count FROM users WHERE NOT is_brand AND username IS NOT NULL"
            " ORDER BY followers_count DESC, id"))]
        indeg = [u for u, _ in conn.execute(text(
            "SELECT dst_user_id, count(*) FROM interactions WHERE kind = 'mention'"
            " GROUP BY dst_user_id ORDER BY count(*) DESC, dst_user_id"))]
        edges = conn.execute(text(
            "SELECT src_user_id, dst_user_id, count(*) FROM interactions"
            " WHERE src_user_id != dst_user_id GROUP BY src_user_id, dst_user_id")).all()
    g = nx.DiGraph()
    g.add_weighted_edges_from(edges)
    pr = nx.pagerank(g, weight="weight", tol=1e-10, max_iter=1000) if len(g) else {}
    by_pr = sorted(pr, key=lambda u: (-pr[u], u))

    def names(ids: list[int]) -> list[str]:
        return [users[u] for u in ids if u in users]

    return {"followers": names(followers), "mention in-degree": names(indeg),
            "plain PageRank": names(by_pr)}


def evaluate(ranked: list[str], truth: dict[str, set[str]], engine: Engine,
             k: int | None = None) -> dict[str, Any]:
    champions = truth["champions"]
    k = k or len(champions)
    forbidden = truth.get("brand", set()) | truth.get("staff", set()) | truth.get("bots", set())
    rows = {"champion tracker": ranked, **baselines(engine)}
    return {
        "k": k,
        "planted": len(champions),
        "methods": {
            name: {"precision_at_k": round(precision_at_k(r, champions, k), 4),
                   "average_precision": round(average_precision(r, champions), 4),
                   "forbidden_in_top_k": sorted(u for u in r[:k] if u in forbidden)}
            for name, r in rows.items()
        },
    }


def evaluate_labels(ranked: list[str], labels: dict[str, str], engine: Engine,
                    k: int = 10) -> dict[str, Any]:
    """Average precision over the ``helper`` rows, precision@k, and which labelled
    non-helpers reached the top k, for the ranking and every baseline."""
    helpers = {u for u, label in labels.items() if label == HELPER}
    rows = {"champion tracker": ranked, **baselines(engine)}
    return {
        "k": k,
        "helpers": len(helpers),
        "labelled": len(labels),
        "methods": {
            name: {"average_precision": round(average_precision(r, helpers), 4),
                   "precision_at_k": round(precision_at_k(r, helpers, k), 4),
                   "ranked": len(r),
                   "non_helpers_in_top_k": [
                       {"user": u, "label": labels[u], "rank": i}
                       for i, u in enumerate(r[:k], 1)
                       if u in labels and labels[u] != HELPER]}
            for name, r in rows.items()
        },
    }
