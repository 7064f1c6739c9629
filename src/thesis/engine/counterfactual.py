"""What would have to change for the verdict to move: one input at a time, on a grid.

For each input the compiled scorecard reads, every other input stays at its base case while this
one sweeps a grid over its domain (yes/no evidence 0..1, every choice of a category, and for a
number a linear plus a geometric grid around the base value). All grids go through the evaluator
as one matrix, so the search is one vectorised call. For each input and each direction (a higher
or a lower score) the report gives the nearest value that lands in another verdict band (for a
category, whose choices have no order, the choice that moves the score least).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from thesis.engine.analysis import verdict_index
from thesis.engine.compile import Compiled
from thesis.engine.space import Input
from thesis.models.distributions import Array

LINEAR_STEPS = 401
GEOMETRIC_SPAN = 100.0  # a positive base is swept from base / 100 to base x 100


def grid(inp: Input, base: float) -> Array:
    """Candidate values of one input, within its domain."""
    if inp.kind == "evidence":
        return np.linspace(0.0, 1.0, 101)
    if inp.kind == "category":
        return np.arange(len(inp.choices), dtype=float)
    assert inp.distribution is not None
    low, high = inp.distribution.domain
    reach = 10.0 * (abs(base) + 1.0)
    a = low if math.isfinite(low) else base - reach
    b = high if math.isfinite(high) else base + reach
    values = np.linspace(a, b, LINEAR_STEPS)
    if base > 0:
        values = np.concatenate([values, base * np.geomspace(1 / GEOMETRIC_SPAN, GEOMETRIC_SPAN,
                                                             LINEAR_STEPS)])
    return np.unique(np.clip(values, low, high))


@dataclass(frozen=True)
class Shift:
    """One input moved alone to the nearest value that lands in another verdict band."""

    input: str
    now: float | None
    """The input's base-case value; None for a category, whose base case is all its choices
    at their probabilities."""
    value: float
    score: float
    band: int
    """Index into the scorecard's verdicts (0 = the highest band)."""
    direction: Literal["up", "down"]


def counterfactuals(compiled: Compiled) -> list[Shift]:
    """The nearest single-input changes that move the verdict, up and down."""
    card = compiled.scorecard
    base = compiled.base_case()
    base_score = float(compiled.composite(base)[0])
    base_band = int(verdict_index(card, np.array([base_score]))[0])
    grids = [grid(inp, float(base[0, j])) for j, inp in enumerate(compiled.inputs)]
    if not grids:
        return []
    x = np.repeat(base, sum(len(g) for g in grids), axis=0)
    owner = np.repeat(np.arange(len(grids)), [len(g) for g in grids])
    x[np.arange(len(x)), owner] = np.concatenate(grids)
    scores = compiled.composite(x)
    bands = verdict_index(card, scores)  # 0 = the highest band
    out: list[Shift] = []
    directions: tuple[Literal["up", "down"], ...] = ("up", "down")
    for j, inp in enumerate(compiled.inputs):
        rows = np.flatnonzero(owner == j)
        for direction, moved in zip(directions, (bands[rows] < base_band,
                                                 bands[rows] > base_band), strict=True):
            if not moved.any():
                continue
            candidates = rows[moved]
            now = None if inp.kind == "category" else float(base[0, j])
            # the nearest value; for a category (no order) the choice that moves the score least
            distance = (scores[candidates] - base_score if now is None
                        else x[candidates, j] - now)
            best = candidates[np.argmin(np.abs(distance))]
            out.append(Shift(inp.path, now, float(x[best, j]), float(scores[best]),
                             int(bands[best]), direction))
    return out
