"""Graph and score functions on tiny hand-built inputs, with answers worked out by hand."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import networkx as nx
import pytest

from settings.defaults import RANKING, WEIGHTS
from graph.features import Features
from graph.network import build_graph, check_backend, communities, personalized_pagerank
from graph.score import (COMPONENTS, Person, audience_factor, decay_weight, exclusion_flags,
                         score_people, tier_of)

END = datetime(2026, 10, 31)
START = END - timedelta(days=91)  # 13 whole weeks


def test_decay_halves_every_half_life():
    # Week 12 is the window's last: its middle is 3.5 days before the end.
    assert decay_weight(12, 91, 45) == pytest.approx(0.5 ** (3.5 / 45))
    assert decay_weight(12 - 45 // 7, 91, 45) < decay_weight(12, 91, 45)
    assert decay_weight(3, 91, 1e12) == pytest.approx(1.0)


def test_audience_factor_has_diminishing_returns():
    assert audience_factor(0) == 1.0
    assert audience_factor(900) == pytest.approx(2.0)  # 1 + log10(1 + 9)
    assert audience_factor(99_900) == pytest.approx(4.0)


def test_personalized_pagerank_on_a_star():
    """Brand B with two neighbours A and C, restarts at B (alpha 0.85):
    p_A = p_C = 0.85 * p_B / 2 and p_B = 0.15 + 0.85 * (p_A + p_C)
    => p_B = 0.15 / (1 - 0.85**2) = 0.54054, p_A = p_C = 0.22973."""
    g = build_graph({("B", "A"): 1.0, ("C", "B"): 1.0})
    pr = personalized_pagerank(g, {"B"})
    assert pr["B"] == pytest.approx(0.15 / (1 - 0.85 ** 2), rel=1e-8)
    assert pr["A"] == pytest.approx(0.85 * pr["B"] / 2, rel=1e-8)
    assert pr["C"] == pytest.approx(pr["A"], rel=1e-8)


def test_pagerank_top_k_matches_a_tightly_converged_reference():
    g = nx.barabasi_albert_graph(30_000, 2, seed=3)
    nx.set_edge_attributes(g, 1.0, "weight")
    seeds = {0, 1, 2}
    ours = personalized_pagerank(g, seeds)
    ref = nx.pagerank(g, personalization={s: 1 for s in seeds}, tol=1e-15, max_iter=10_000)
    top = lambda pr: [n for n, _ in sorted(pr.items(), key=lambda kv: (-kv[1], kv[0]))[:100]]
    assert top(ours) == top(ref)


def test_build_graph_merges_both_directions_and_drops_self_loops():
    g = build_graph({(1, 2): 2.0, (2, 1): 1.0, (3, 3): 5.0, (4, 5): 0.0})
    assert g[1][2]["weight"] == 3.0
    assert 3 not in g and not g.has_edge(4, 5)


def test_communities_are_seeded_and_split_two_cliques():
    pairs = {}
    for group in ((1, 2, 3, 4), (5, 6, 7, 8)):
        for a in group:
            for b in group:
                if a < b:
                    pairs[(a, b)] = 1.0
    pairs[(4, 5)] = 0.1
    g = build_graph(pairs)
    c = communities(g, seed=42)
    assert c == communities(g, seed=42)
    assert len({c[n] for n in (1, 2, 3, 4)}) == 1 and len({c[n] for n in (5, 6, 7, 8)}) == 1
    assert c[1] != c[5]


def test_unknown_backend_is_a_clear_error():
    check_backend(None)
    with pytest.raises(ValueError, match="backend 'nope' is not installed"):
        check_backend("nope")


def test_score_components_worked_by_hand():
    f = Features(START, END)
    f.answers[1].add(12, 4)        # 4 answers to requests...
    f.fix_answers[1].add(12, 2)    # ...2 of them with a fix: 2 + 0.5 * 2 = 3
    f.answer_latency[1] = 3600.0   # an hour to answer
    f.thanks[1].add(11, 2)
    f.negatives[1].add(12, 1)
    f.amplifications[1].add(12, 2)
    f.endorsements[1].add(10, 1)
    r = {**RANKING, "half_life_days": 1e12}  # no decay, to keep the arithmetic plain
    people = {1: Person(1, "helper", followers=900), 2: Person(2, "other")}
    f.answers[2].add(0, 1)
    got = score_people(f, people, {1: 0.2, 2: 0.1}, WEIGHTS, r, staff=set(), brand_names=set())
    c = got[1].components
    assert c["helpful_answers"] == pytest.approx(3.0 * math.sqrt(3), abs=1e-3)
    assert c["confirmed_help"] == pytest.approx(2.0 * 2)
    assert c["negative_feedback"] == pytest.approx(-3.0)
    assert c["fix_amplification"] == pytest.approx(1.0 * 2 * 2.0)  # audience 2.0 at 900
    assert c["endorsement"] == pytest.approx(3.0)
    assert c["network"] == pytest.approx(0.5 * 10)  # the highest PageRank among candidates
    assert c["consistency"] == pytest.approx(0.5 * 1)  # acted in week 12 (thanked in 11)
    assert c["responsiveness"] == pytest.approx(2.0 * (2 / 3) / (1 + 1 / 2), abs=1e-3)
    assert got[1].score == pytest.approx(sum(c.values()), abs=1e-9)
    assert got[1].score == pytest.approx(19.585, abs=2e-3)
    assert got[2].components["network"] == pytest.approx(0.5 * 10 * 0.1 / 0.2)
    assert set(c) == set(COMPONENTS)


def test_exclusion_flags():
    r = RANKING
    assert exclusion_flags(Person(1, "acmehelp", is_brand=True), None, set(), set(), r) == \
        ["brand account"]
    assert "staff (configured)" in exclusion_flags(Person(2, "Jo"), None, {"jo"}, set(), r)
    assert "staff (says so in their bio)" in exclusion_flags(
        Person(3, "sam", description="Support agent at @AcmeHelp"), None, set(), {"acmehelp"}, r)
    assert exclusion_flags(Person(4, "sam", description="I work at a bakery"), None, set(),
                           {"acmehelp"}, r) == []
    assert exclusion_flags(Person(5, "newsbot"), None, set(), set(), r) == \
        ["automated: describes itself as a bot"]
    assert exclusion_flags(Person(6, "robotics_fan"), None, set(), set(), r) == []
    busy = {"tweets": 40, "retweets": 38, "fast_retweets": 36, "peak_day": 200}
    flags = exclusion_flags(Person(7, "x"), busy, set(), set(), r)
    assert flags == ["automated: 95% of its tweets are retweets",
                     "automated: retweets within seconds of the original",
                     "automated: 200 tweets in one day"]


@pytest.mark.parametrize("score,previous,tier", [
    (12, None, "champion"), (12, 20, "champion"), (6, None, "rising"), (6, 2, "rising"),
    (6, 5, "occasional"), (1, None, "occasional"), (0, 3, "inactive")])
def test_tiers(score, previous, tier):
    assert tier_of(score, previous, RANKING) == tier
