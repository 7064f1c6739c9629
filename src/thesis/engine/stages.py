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
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from thesis.engine.space import InputSpace
from thesis.models.distributions import Array, InputKind

SCORE = "score"
FACTOR_PREFIX = "factors."


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              populate_by_name=True)


class Sign(_Data):
    """One sign of a stage: a bound on an input, on the composite score or on a factor."""

    of: str = Field(description="an input path, 'score', or 'factors.<factor id>'")
    at_least: float | None = None
    at_most: float | None = None
    among: list[str] | None = Field(default=None, alias="in",
                                    description="for a category: holds for these choices")

    @model_validator(mode="after")
    def _one_test(self) -> Sign:
        if (self.at_least is None and self.at_most is None) == (self.among is None):
            raise ValueError("a sign needs at_least and/or at_most, or in: [choices]")
        return self


class Stage(_Data):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    meaning: str = ""
    when: list[Sign] = Field(default_factory=list)
    source: str = Field(min_length=3)


def stage_problems(stages: list[Stage], inputs: dict[str, InputKind],
                   factors: set[str]) -> list[tuple[tuple[Any, ...], str]]:
    """Check the stages against the subject's inputs and the card's factors: (loc, message)."""
    out: list[tuple[tuple[Any, ...], str]] = []
    if stages and stages[0].when:
        out.append((("stages", 0, "when"), "the first stage is the default: it takes no signs"))
    ids = [s.id for s in stages]
    for dupe in sorted({i for i in ids if ids.count(i) > 1}):
        out.append((("stages",), f"duplicate stage id {dupe}"))
    for si, stage in enumerate(stages):
        for wi, sign in enumerate(stage.when):
            loc = ("stages", si, "when", wi)
            if sign.of == SCORE or sign.of.startswith(FACTOR_PREFIX):
                factor = sign.of.removeprefix(FACTOR_PREFIX)
                if sign.of != SCORE and factor not in factors:
                    out.append(((*loc, "of"), f"no factor {factor!r} in this scorecard"))
                elif sign.among is not None:
                    out.append(((*loc, "in"), "a score takes at_least/at_most, not in"))
                continue
            kind = inputs.get(sign.of)
            if kind is None:
                out.append(((*loc, "of"), f"unknown input {sign.of!r}"))
            elif (kind.kind == "category") != (sign.among is not None):
                out.append((loc, "use in: [choices] for a category, at_least/at_most otherwise"))
            elif sign.among is not None and set(sign.among) - set(kind.choices):
                out.append(((*loc, "in"), f"choices are {', '.join(kind.choices)}"))
    return out


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
