"""Each source's stance on a scored subject: the positions' conditions, vectorised over rows.

A `View` is what conditions read for N rows: the subject's input values, the factor scores, the
composite, the verdict band and the market stage of each row, and the subject's context (layer,
segment). The base case is one such row, where yes/no evidence holds its probability and a
category is `EXPECTED` (a category condition then holds when its choices carry at least half the
probability); the Monte Carlo sample is N rows, so a stance comes with the probability that its
conditions hold over the samples (`StanceCounts`, filled a block of rows at a time). An input
that only positions read (not the scorecard) is not sampled: it holds its base case in every
row, so a stance that turns on it alone has a probability of 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from thesis.engine.space import InputSpace
from thesis.models.distributions import Array
from thesis.models.positions import Condition, Position, Positions
from thesis.models.scorecard import SCORE

AGREEMENT_LINE = 50.0
"""A factor scoring at least this much counts as our score backing the subject on it
(assumption: the midpoint of the 0-100 scale, where the moat bands put "moat in the making")."""

Stance = Literal["backs", "challenges", "silent"]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class View:
    """What conditions read, for N rows."""

    value: Callable[[str], Array]
    """An input's values per row, for a path in `space`."""
    space: InputSpace
    """The inputs the subject gives or a prior stands in for, and the derived ones."""
    factors: dict[str, Array]
    """Factor scores by path, and the composite under `score`."""
    bands: Array
    """The verdict band of each row, as an index into `labels`."""
    labels: list[str]
    stages: Array | None
    stage_ids: list[str]
    context: dict[str, str]

    @property
    def rows(self) -> int:
        return len(self.bands)


@dataclass(frozen=True)
class Judgement:
    """One position's stance at the base case, whether our score of its factor agrees (None
    if silent), and how often the author would back or challenge over the samples."""

    stance: Stance
    our_score: float | None
    agrees: bool | None
    backs: float | None = None
    challenges: float | None = None


def stances(positions: list[Position], view: View) -> tuple[Mask, Mask]:
    """Per position and row: whether the author backs, and whether they challenge (backing
    wins where both would hold)."""
    backs = np.stack([_all(p.backs_when, view) for p in positions])
    challenges = np.stack([_all(p.challenges_when, view) for p in positions]) & ~backs
    return backs, challenges


@dataclass
class StanceCounts:
    """How many sample rows each position backs and challenges, added up block by block."""

    positions: list[Position]
    rows: int = 0
    backs: Array = field(default_factory=lambda: np.zeros(0))
    challenges: Array = field(default_factory=lambda: np.zeros(0))

    def add(self, view: View) -> None:
        backs, challenges = stances(self.positions, view)
        if not self.rows:
            self.backs, self.challenges = np.zeros(len(self.positions)), np.zeros(
                len(self.positions))
        self.backs += backs.sum(axis=1)
        self.challenges += challenges.sum(axis=1)
        self.rows += view.rows


def judge(positions: Positions, base: View, counts: StanceCounts | None = None
          ) -> list[Judgement]:
    """Each position's stance at the base case (a one-row view), and over the samples if
    `counts` holds any."""
    backs, challenges = stances(positions.positions, base)
    out = []
    for i, p in enumerate(positions.positions):
        stance: Stance = "backs" if backs[i, 0] else "challenges" if challenges[i, 0] else (
            "silent")
        score = base.factors.get(p.about)
        ours = None if score is None else float(score[0])
        ours_backs = None if ours is None else (
            (ours >= AGREEMENT_LINE) == (positions.higher_scores == "back"))
        agrees = None if stance == "silent" or ours_backs is None else (
            ours_backs == (stance == "backs"))
        sampled = counts is not None and counts.rows > 0
        out.append(Judgement(
            stance, ours, agrees,
            float(counts.backs[i] / counts.rows) if sampled and counts else None,
            float(counts.challenges[i] / counts.rows) if sampled and counts else None))
    return out


def reads(positions: Positions) -> set[str]:
    """Every input path the positions' conditions read."""
    def paths(conditions: list[Condition]) -> set[str]:
        found = {c.input for c in conditions if c.input is not None}
        return found.union(*(paths(c.any) for c in conditions if c.any is not None))

    return set().union(*(paths(p.backs_when) | paths(p.challenges_when)
                         for p in positions.positions))


def _all(conditions: list[Condition], view: View) -> Mask:
    out = np.ones(view.rows, dtype=bool)
    for c in conditions:
        out &= _holds(c, view)
    return out


def _holds(c: Condition, view: View) -> Mask:
    n = view.rows
    for key, allowed in (("layer", c.layer), ("segment", c.segment)):
        if allowed is not None:
            return np.full(n, view.context.get(key) in allowed)
    if c.any is not None:
        found: Mask = np.logical_or.reduce([_holds(sub, view) for sub in c.any])
        return found
    if c.verdict is not None:
        wanted = [i for i, label in enumerate(view.labels) if label in c.verdict]
        return np.isin(view.bands, wanted)
    if c.stage is not None:
        if view.stages is None:
            return np.zeros(n, dtype=bool)
        return np.isin(view.stages, [i for i, s in enumerate(view.stage_ids) if s in c.stage])
    if c.factor is not None:
        key = SCORE if c.factor == SCORE else c.factor
        if key not in view.factors:
            return np.zeros(n, dtype=bool)
        return _compare(c, view.factors[key])
    assert c.input is not None
    if c.input not in view.space:
        return np.zeros(n, dtype=bool)
    values = view.value(c.input)
    if c.among is not None:
        inp = view.space.inputs[c.input]
        listed = np.array([choice in c.among for choice in inp.choices])
        base = float(np.dot(listed, inp.weights)) >= 0.5  # a category at its EXPECTED row
        safe = np.nan_to_num(values).astype(np.intp)
        return np.where(np.isnan(values), base, listed[safe])
    return _compare(c, values)


def _compare(c: Condition, values: Array) -> Mask:
    if c.at_least is not None:
        return np.asarray(values >= c.at_least)
    assert c.at_most is not None
    return np.asarray(values <= c.at_most)
