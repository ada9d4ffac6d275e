"""How much one act of help counts, by who was helped: pure functions, no SQL.

A support community is hard to fake cheaply only if credit depends on *who* was helped:

* **Per person, not per post.** Several answers to one person count as one person helped,
  with a little more for follow-ups (``max_answers_per_person``), and one confirmation.
* **Reciprocity.** Accounts that answer each other's "questions" (the person helped also
  answered the helper, or someone else in the helper's circle) count ``reciprocal_weight``:
  a ring of five asking and answering each other is worth little to each member.
* **A life outside the helper's circle.** A person helped (or thanking) counts in full only if
  they also address someone outside the helper's circle (the helper and everyone the helper
  helped or was helped by), or a brand account engaged them. Sock accounts and rings that only
  talk to each other count ``closed_weight``.

References: the anchors' "per-pair cap, reciprocity discount, thanker trust" recipe
(``../shared/RANKING-ANCHORS.md`` §4), after SybilRank (Cao et al., NSDI 2012) and the
sockpuppet study of Kumar et al. (WWW 2017): pairwise and group signals beat single-account ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

__all__ = ["circle_of", "pair_weight"]


def circle_of(helper: int, helped: Mapping[int, Set[int]],
              helped_by: Mapping[int, Set[int]]) -> set[int]:
    """The helper and everyone they answered or were answered by."""
    return {helper, *helped.get(helper, ()), *helped_by.get(helper, ())}


def pair_weight(helper: int, person: int, *, circle: Set[int],
                addressed: Mapping[int, list[frozenset[int]]], brand_engaged: Set[int],
                helped: Mapping[int, Set[int]], reciprocal_weight: float,
                closed_weight: float) -> tuple[float, list[str]]:
    """The weight (0..1] of ``helper``'s help to ``person``, and the reasons it is below 1.

    ``addressed[person]`` lists, per tweet of theirs in the window, the accounts it addressed
    (replied to or mentioned); ``brand_engaged`` holds accounts a brand replied to, quoted or
    retweeted; ``helped[a]`` the people ``a`` answered.
    """
    weight, why = 1.0, []
    # The person helped answers the helper, or others in the helper's circle: a group that
    # answers each other's questions (a ring), not a customer helped.
    if helped.get(person, set()) & circle:
        weight *= reciprocal_weight
        why.append("they also answer each other")
    outside = person in brand_engaged or any(
        targets - circle for targets in addressed.get(person, ()))
    if not outside:
        weight *= closed_weight
        why.append("talks to no one outside the helper's circle")
    return weight, why
