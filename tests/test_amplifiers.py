"""Amplifying counts, with its guards; trolls and dismissals earn nothing; many unconfirmed
replies never outscore one person confirmed twice, or a real amplifier.

The community is ``ingest.communities.amplifiers_and_trolls`` (our own wording): five customers
who pass on 10 to 30 of the brand's fix tweets and post guides others reply to, five trolls
who answer 20 to 50 requests each with dismissals, an account that retweets everything the
brand posts, a link dropper and a five-account thanks ring. The unit tests below work the
amplification and the cap on unconfirmed answers by hand."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from graph.features import Features, PairHelp
from graph.score import amplification, score_people
from ingest.communities import (ACME, AMP_RING, AMPLIFIERS, DROPPER, MASS_RT, TROLLS,
                                amplifiers_and_trolls, load)
from graph.rank import run_ranking
from settings.defaults import RANKING, WEIGHTS

START, END = datetime(2026, 1, 1), datetime(2026, 3, 31)
NO_DECAY = {**RANKING, "half_life_days": 1e12}


@pytest.mark.parametrize("seed", [5, 6])
def test_every_amplifier_outranks_every_troll_and_gamer(engine, tmp_path, seed):
    community, truth = amplifiers_and_trolls(seed)
    load(engine, community.f, tmp_path / "community.jsonl")
    res = run_ranking(engine, ACME)
    people = {(p.username or "").lower(): p for p in res.people}
    score = {n: (p.score if p.rank is not None else 0.0) for n, p in people.items()}
    amps = [score.get(n.lower(), 0.0) for n in AMPLIFIERS]
    trolls = {n: score.get(n.lower(), 0.0) for n in TROLLS}
    assert min(amps) > max(trolls.values()), (amps, trolls)
    # Every amplifier is ranked for spreading fixes, with the shares as evidence.
    for n in AMPLIFIERS:
        p = people[n.lower()]
        assert p.rank is not None and p.components["fix_amplification"] > 0, n
        assert p.evidence.get("fix_amplification"), n
    # The helpers and amplifiers fill the top; no gaming account reaches it.
    good = {n.lower() for n in truth["helpers"] + truth["amplifiers"]}
    top = [(p.username or "").lower() for p in res.ranked[:len(good)]]
    assert sum(n in good for n in top) / len(good) >= 0.85, top
    for n in (MASS_RT, DROPPER, *AMP_RING):
        p = people.get(n.lower())
        assert p is None or p.rank is None or p.rank > len(good), (n, p and p.rank)
    # The account retweeting everything is flagged as automated, not ranked.
    assert people[MASS_RT.lower()].rank is None


def _features(**help_) -> Features:
    f = Features(START, END)
    for uid, pairs in help_.items():
        f.help[int(uid[1:])] = pairs
    return f


def test_many_unconfirmed_answers_never_outscore_one_person_confirmed_twice():
    """Fifty different people answered with fixes, none confirmed, against one person
    answered twice who confirmed it."""
    f = _features(u1={a: PairHelp(answers=1, fixes=1, week=10, weeks={10})
                      for a in range(100, 150)},
                  u2={200: PairHelp(answers=2, fixes=1, confirmed=1, week=10, weeks={10})})
    got = score_people(f, {}, {}, WEIGHTS, NO_DECAY, staff=set(), brand_names=set())
    assert got[1].score <= WEIGHTS["helpful_answers"] * 1.0 + 1e-9  # at most 3 points
    assert got[2].score > got[1].score


def test_a_real_amplifier_outscores_any_number_of_unconfirmed_answers():
    """Ten brand fixes retweeted by an account with no followers, against a thousand
    unconfirmed answers."""
    f = _features(u1={a: PairHelp(answers=1, fixes=1, week=10, weeks={10})
                      for a in range(100, 1100)})
    f.retweets[2].add(10, 10)
    got = score_people(f, {}, {}, WEIGHTS, NO_DECAY, staff=set(), brand_names=set())
    assert got[2].score > got[1].score


def test_amplification_grows_with_fixes_and_audience_and_saturates():
    r = RANKING
    assert amplification(0, 5000, r) == 0.0
    one, ten, hundred = (amplification(u, 0, r) for u in (0.5, 5.0, 50.0))
    assert one < ten < hundred <= r["amplify_max"]
    assert hundred - ten < ten - one  # diminishing returns
    assert amplification(5.0, 100_000, r) == pytest.approx(ten * r["amplify_max_audience"])
    assert amplification(5.0, 0, r) == pytest.approx(6 * (1 - math.exp(-5 / 6)))


def test_retweeting_everything_dilutes_the_fix_retweets():
    """Forty fix retweets among 200 retweets of everything count as eight selective ones
    (before the saturation)."""
    f = _features()
    f.retweets[1].add(10, 40)
    f.retweets[2].add(10, 40)
    f.activity[1] = {"tweets": 400.0, "retweets": 200.0, "active_days": 60.0,
                     "peak_day": 10.0, "fast_retweets": 0.0}
    f.activity[2] = {"tweets": 80.0, "retweets": 40.0, "active_days": 40.0,
                     "peak_day": 5.0, "fast_retweets": 0.0}
    got = score_people(f, {}, {}, WEIGHTS, NO_DECAY, staff=set(), brand_names=set())
    assert got[1].components["fix_amplification"] == pytest.approx(
        amplification(0.5 * 40 * 0.2, 0, RANKING), abs=1e-3)
    assert got[2].components["fix_amplification"] == pytest.approx(
        amplification(0.5 * 40, 0, RANKING), abs=1e-3)
    assert got[1].components["fix_amplification"] < 0.55 * got[2].components["fix_amplification"]
