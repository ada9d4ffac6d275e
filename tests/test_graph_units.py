"""Graph and score functions on tiny hand-built inputs, with answers worked out by hand."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import networkx as nx
import pytest

from settings.defaults import RANKING, WEIGHTS
from graph.features import Features, PairHelp
from graph.trust import circle_of, pair_weight
from graph.network import build_graph, check_backend, communities, personalized_pagerank
from graph.score import (COMPONENTS, Person, audience_factor, decay_weight, exclusion_flags,
                         score_people, tier_of, voice_flags)

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
    # Helper 1 answered three people: Ann (two answers, one a fix, confirmed), Bo (one
    # explanation, unconfirmed, who said it did not work) and Cy (one fix, unconfirmed).
    f.help[1] = {10: PairHelp(answers=2, fixes=1, confirmed=1, week=12, weeks={12}),
                 11: PairHelp(answers=1, fixes=0, denied=1, week=12, weeks={12}),
                 12: PairHelp(answers=1, fixes=1, week=11, weeks={11})}
    f.answer_latency[1] = 3600.0   # an hour to a fix, on average
    f.shares[1].add(12, 2)         # two engaged shares of a fix link
    f.retweets[1].add(12, 4)       # four different brand fixes retweeted: half a unit each
    f.endorsements[1].add(10, 1)
    r = {**RANKING, "half_life_days": 1e12}  # no decay, to keep the arithmetic plain
    people = {1: Person(1, "helper", followers=900), 2: Person(2, "other")}
    f.help[2] = {10: PairHelp(answers=1, fixes=1, week=0, weeks={0})}  # unconfirmed only
    got = score_people(f, people, {1: 0.2, 2: 0.1}, WEIGHTS, r, staff=set(), brand_names=set())
    c = got[1].components
    sure = 1.0 * 1.25                  # Ann: a fix, plus a quarter for the second answer
    unsure = 0.75 + 1.0                # Bo's explanation, Cy's fix
    helped = sure + (1 - math.exp(-unsure))  # unconfirmed: worth one confirmed person at most
    assert c["helpful_answers"] == pytest.approx(3.0 * math.sqrt(helped), abs=1e-3)
    assert c["confirmed_help"] == pytest.approx(4.0 * 1)  # one person confirmed
    assert c["negative_feedback"] == pytest.approx(-3.0)  # Bo
    units = 2 + 0.5 * 4                # two engaged shares, four retweets (all of theirs fixes)
    assert c["fix_amplification"] == pytest.approx(6 * (1 - math.exp(-units / 6)) * 2.0,
                                                   abs=1e-3)
    assert c["endorsement"] == pytest.approx(3.0)
    assert c["network"] == pytest.approx(0.2 * 10)  # the highest PageRank among candidates
    assert c["consistency"] == pytest.approx(0.5 * 1)  # confirmed help in week 12
    assert c["responsiveness"] == pytest.approx(2.0 * (2 / 3) / (1 + 1 / 2), abs=1e-3)
    assert got[1].score == pytest.approx(sum(c.values()), abs=1e-9)
    assert (got[1].helped, got[1].confirmed) == (3, 1)
    # Helper 2 was never confirmed: no network, consistency or speed points.
    assert got[2].components["network"] == 0.0
    assert got[2].components["consistency"] == 0.0
    assert got[2].components["helpful_answers"] == pytest.approx(
        3.0 * math.sqrt(1 - math.exp(-1.0)), abs=1e-3)
    assert set(c) == set(COMPONENTS)


def test_pasted_answers_count_a_quarter():
    f = Features(START, END)
    f.help[1] = {a: PairHelp(answers=1, fixes=1, week=12, weeks={12}) for a in range(10, 30)}
    f.help[2] = dict(f.help[1])
    f.canned[2] = 0.9
    r = {**RANKING, "half_life_days": 1e12}
    got = score_people(f, {}, {}, WEIGHTS, r, staff=set(), brand_names=set())
    assert got[2].components["helpful_answers"] == pytest.approx(
        3.0 * math.sqrt(1 - math.exp(-20 * 0.25)), abs=1e-3)
    assert got[2].score < got[1].score


def test_voice_flags():
    r = RANKING
    assert voice_flags(1, (10, 4, 0, 0, 0), r)[0].startswith("likely staff")
    assert voice_flags(1, (10, 1, 0, 0, 3), r) == []  # one sign-off is not a habit
    assert voice_flags(1, (6, 0, 1, 3, 0), r)[0].startswith("likely a business")
    assert voice_flags(1, (6, 0, 0, 3, 0), r)[0].startswith("likely a business")
    assert voice_flags(1, (6, 0, 0, 3, 2), r) == []  # a family that says "we" and "I"
    assert voice_flags(1, None, r) == []


def test_pair_weight_reciprocity_and_closed_circles():
    helped = {1: {2}, 2: {1}, 3: {4}}
    helped_by = {2: {1}, 1: {2}, 4: {3}}
    circle = circle_of(1, helped, helped_by)
    assert circle == {1, 2}
    # 1 and 2 answer each other, and 2 talks to no one else: 0.3 x 0.25.
    w, why = pair_weight(1, 2, circle=circle, addressed={2: [frozenset({1})]},
                         brand_engaged=set(), helped=helped, reciprocal_weight=0.3,
                         closed_weight=0.25)
    assert w == pytest.approx(0.075) and len(why) == 2
    # 4 also asked the brand (a tweet addressed outside 3's circle): full weight.
    w, why = pair_weight(3, 4, circle=circle_of(3, helped, helped_by),
                         addressed={4: [frozenset({3}), frozenset({99})]}, brand_engaged=set(),
                         helped=helped, reciprocal_weight=0.3, closed_weight=0.25)
    assert (w, why) == (1.0, [])
    # A brand replied to them: a life outside the circle too.
    w, _ = pair_weight(3, 4, circle={3, 4}, addressed={}, brand_engaged={4}, helped=helped,
                       reciprocal_weight=0.3, closed_weight=0.25)
    assert w == 1.0


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


@pytest.mark.parametrize("score,previous,helped,confirmed,tier", [
    (12, None, 3, 2, "champion"), (12, 20, 3, 2, "champion"),
    (40, None, 2, 2, "rising"),        # two people helped are not yet a champion
    (40, None, 5, 1, "rising"),        # only one confirmed the help
    (40, None, 120, 0, "occasional"),  # never thanked is not rising, however many answers
    (6, None, 1, 1, "rising"), (6, 2, 1, 1, "rising"),
    (6, 5, 1, 1, "occasional"), (6, None, 0, 0, "occasional"),  # spreading fixes only
    (1, None, 1, 1, "occasional"), (0, 3, 0, 0, "inactive")])
def test_tiers(score, previous, helped, confirmed, tier):
    assert tier_of(score, previous, RANKING, helped, confirmed) == tier
