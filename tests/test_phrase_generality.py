"""No built-in phrase is a rule for one tweet: each matches at least three of the shared real
texts (TWCS stretches, twarc2 and v1.1 tweets, the X archive, the labelled public sets), or
``settings.phrases.GENERAL`` says why it is a general construct of its language."""

from __future__ import annotations

import pytest

from graph.roles import phrase_counts
from settings.phrases import PHRASES, why_general
from tests.conftest import REALDATA, realdata
from tests.realtexts import real_texts

MIN_MATCHES = 3


@pytest.fixture(scope="module")
def counts():
    realdata("twcs-head-monalisapatra26/twcs.csv")  # skips with a reason when absent
    texts = [t for _, t in real_texts(REALDATA)]
    assert len(texts) > 80_000
    return phrase_counts(PHRASES, texts)


def test_every_rare_phrase_says_why_it_is_general(counts):
    unexplained = sorted(f"{lang}:{role}:{phrase} ({n})" for (lang, role, phrase), n in counts.items()
                         if n < MIN_MATCHES and why_general(lang, role, phrase) is None)
    assert not unexplained, unexplained


def test_the_fitted_phrases_are_gone():
    """The phrases issue 17 found matching exactly one tweet, its labelled one."""
    fitted = {"only customers", "is premium rate", "is inclusive", "stick with it",
              "has to be reported", "said to me", "ta", "not just us"}
    present = {p for lists in PHRASES.values() for values in lists.values() for p in values}
    assert not fitted & present


def test_the_count_sees_what_the_matcher_sees(counts):
    """A common phrase is counted often, a phrase in a script without spaces as a substring,
    and a word never inside another word ("ty" is not in "pretty")."""
    assert counts[("en", "thanks", "thanks")] > 1000
    assert counts[("en", "thanks", "ty")] < 200
    small = phrase_counts({"ja": {"thanks": ["ありがとう"]}, "en": {"thanks": ["ty"]}},
                          ["本当にありがとうございます", "pretty good", "@x ty!"])
    assert small == {("ja", "thanks", "ありがとう"): 1, ("en", "thanks", "ty"): 1}
