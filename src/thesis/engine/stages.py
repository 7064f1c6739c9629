"""Stages of a cycle as data: which indicators place a subject at which stage.

Seed 004 tells a bubble as a sequence: paradigm shift -> speculation -> boom -> mania -> smart
money exits -> panic -> crash. A scorecard may list such stages in order, each with the signs
that mark it (`when`, all must hold). A subject is placed at the latest stage whose signs all
hold; the first stage has no signs, so every subject has a place. A sign is a bound on an input
(`of: valuation.pe_to_normal`), on the composite (`of: score`) or on a factor
(`of: factors.leverage`); a sign whose indicator is not given does not hold.

Placement is vectorised like the rest of the engine: one stage index per sample.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from thesis.engine.space import InputSpace
from thesis.models.distributions import Array
from thesis.models.scorecard import FACTOR_PREFIX, SCORE, Sign, Stage

StageFn = Callable[[Array, dict[str, Array], Callable[[str], Array]], Array]


def compile_stages(stages: list[Stage], space: InputSpace) -> StageFn:
    """A function (composite, factors, value-of-input) -> stage index per sample."""

    def holds(sign: Sign, score: Array, factors: dict[str, Array],
              value: Callable[[str], Array]) -> Array:
        if sign.of == SCORE:
            x = score
        elif sign.of.startswith(FACTOR_PREFIX):
            found = factors.get(sign.of.removeprefix(FACTOR_PREFIX))
            if found is None:
                return np.zeros(len(score), dtype=bool)
            x = found
        elif sign.of not in space:
            return np.zeros(len(score), dtype=bool)
        else:
            x = value(sign.of)
        if sign.among is not None:
            choices = space.inputs[sign.of].choices
            wanted = np.array([c in sign.among for c in choices])
            return np.asarray(wanted[x.astype(np.intp)], dtype=bool)
        ok = np.ones(len(x), dtype=bool)
        if sign.at_least is not None:
            ok &= x >= sign.at_least
        if sign.at_most is not None:
            ok &= x <= sign.at_most
        return ok

    def place(score: Array, factors: dict[str, Array], value: Callable[[str], Array]) -> Array:
        reached = np.stack([
            np.logical_and.reduce([holds(s, score, factors, value) for s in stage.when]
                                  + [np.ones(len(score), dtype=bool)])
            for stage in stages])
        latest: Array = (len(stages) - 1 - np.argmax(reached[::-1], axis=0)).astype(float)
        return latest

    return place


def stage_inputs(stages: list[Stage], space: InputSpace) -> list[str]:
    """The input paths the stages read, so the compiled evaluator samples them too."""
    return [s.of for stage in stages for s in stage.when
            if s.of != SCORE and not s.of.startswith(FACTOR_PREFIX) and s.of in space]
