"""Each source's stance on a scored subject: the positions' conditions at the base case.

`judge` reads a position's conditions against the subject's inputs (their base case) and the
scored factors, and says whether the author backs or challenges the subject on that point and
whether our score of the factor the claim is about agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from thesis.engine.space import InputSpace
from thesis.models.positions import Condition, Positions

AGREEMENT_LINE = 50.0
"""A factor scoring at least this much counts as our score backing the subject on it
(assumption: the midpoint of the 0-100 scale, where the moat bands put "moat in the making")."""

Stance = Literal["backs", "challenges", "silent"]


@dataclass(frozen=True)
class Judgement:
    """One position's stance, and whether our score of its factor agrees (None if silent)."""

    stance: Stance
    our_score: float | None
    agrees: bool | None


def judge(positions: Positions, space: InputSpace, layer: str,
          scores: dict[str, float]) -> list[Judgement]:
    """Each position's stance at the base case; `scores` are the factor scores by path."""
    out = []
    for p in positions.positions:
        stance: Stance = "silent"
        if _all_hold(p.backs_when, space, layer, scores):
            stance = "backs"
        elif _all_hold(p.challenges_when, space, layer, scores):
            stance = "challenges"
        ours = scores.get(p.about)
        agrees = None if stance == "silent" or ours is None else (
            (ours >= AGREEMENT_LINE) == (stance == "backs"))
        out.append(Judgement(stance, ours, agrees))
    return out


def _all_hold(conditions: list[Condition], space: InputSpace, layer: str,
              scores: dict[str, float]) -> bool:
    return all(_holds(c, space, layer, scores) for c in conditions)


def _holds(c: Condition, space: InputSpace, layer: str, scores: dict[str, float]) -> bool:
    if c.layer is not None:
        return layer in c.layer
    if c.factor is not None:
        if c.factor not in scores:
            return False
        value = scores[c.factor]
    else:
        assert c.input is not None
        inp = space.inputs.get(c.input)
        if inp is None:
            return False
        if c.equals is not None:
            return inp.kind == "category" and inp.choices[inp.likeliest] == c.equals
        value = inp.base()
    if c.at_least is not None:
        return value >= c.at_least
    return c.at_most is not None and value <= c.at_most
