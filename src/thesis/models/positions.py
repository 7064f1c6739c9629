"""The sources' own positions, as data: would each author back or challenge this company?

A position is one claim of one source (speaker, date, seed file, a short anchor to find it) with
two lists of conditions on the company's inputs and scored factors: when all of `backs_when`
hold, the author would back the company on that point; when all of `challenges_when` hold, they
would challenge it; otherwise the claim does not speak to it. Each position names the factor it
is `about`, so the report can say whether our score agrees with the author or parts ways.

Conditions are data (an input or factor path, a comparison and a value), never code.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from thesis.engine.space import InputSpace
from thesis.errors import InputError
from thesis.files.load import load_scorecard, shipped_dir
from thesis.files.validate import validate
from thesis.files.yaml import load as load_yaml
from thesis.result import FactorResult, PositionResult, ScorecardResult
from thesis.subjects import KINDS

AGREEMENT_LINE = 50.0
"""A factor scoring at least this much counts as our score backing the company on it
(assumption: the midpoint of the 0-100 scale, where the moat bands put "moat in the making")."""


class Condition(BaseModel):
    """One test: an input or a factor score compared with a value, or the company's layer."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    input: str | None = None
    factor: str | None = None
    layer: list[str] | None = None
    at_least: float | None = None
    at_most: float | None = None
    equals: str | None = Field(default=None, description="for a category: its likeliest choice")

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        subjects = [x for x in (self.input, self.factor, self.layer) if x is not None]
        if len(subjects) != 1:
            raise ValueError("a condition tests exactly one of input, factor, layer")
        tests = [x for x in (self.at_least, self.at_most, self.equals) if x is not None]
        if self.layer is None and len(tests) != 1:
            raise ValueError("a condition needs exactly one of at_least, at_most, equals")
        if self.factor is not None and self.equals is not None:
            raise ValueError("a factor score is compared with at_least or at_most")
        return self


class Position(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    speaker: str = Field(min_length=2)
    source: str = Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")
    date: str
    anchor: str = Field(min_length=1, description="a few words of the source, to find the passage")
    claim: str = Field(min_length=10)
    about: str = Field(description="the factor path this claim speaks to")
    backs_when: list[Condition] = Field(min_length=1)
    challenges_when: list[Condition] = Field(min_length=1)


class Positions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    subject: Literal["company"]
    scorecard: str = Field(description="the scorecard whose factor paths `about` refers to")
    positions: list[Position] = Field(min_length=1)


def load_positions(path: str | Path | None = None) -> Positions:
    """The shipped positions on companies, or a file of your own; paths are checked."""
    target = Path(path) if path is not None else shipped_dir() / "positions" / "company.yaml"
    doc = load_yaml(target)
    found = validate(Positions, doc)
    inputs = KINDS[found.subject].catalogue()
    factors = {path for path, _ in load_scorecard(found.scorecard).walk()}
    problems = []
    for i, position in enumerate(found.positions):
        if position.about not in factors:
            problems.append(doc.problem(("positions", i, "about"),
                                        f"no factor {position.about!r} in {found.scorecard!r}"))
        for key in ("backs_when", "challenges_when"):
            for j, cond in enumerate(getattr(position, key)):
                loc = ("positions", i, key, j)
                if cond.input is not None and cond.input not in inputs:
                    problems.append(doc.problem((*loc, "input"), f"unknown input {cond.input!r}"))
                if cond.factor is not None and cond.factor not in factors:
                    problems.append(doc.problem(
                        (*loc, "factor"), f"no factor {cond.factor!r} in {found.scorecard!r}"))
    if problems:
        raise InputError(problems)
    return found


@functools.cache
def shipped_positions() -> Positions:
    return load_positions()


def judge(positions: Positions, space: InputSpace, layer: str,
          result: ScorecardResult) -> list[PositionResult]:
    """Each position's stance on this company at its base case, and whether our score agrees."""
    scores = _factor_scores(result.factors)
    out = []
    for p in positions.positions:
        stance: Literal["backs", "challenges", "silent"] = "silent"
        if _all_hold(p.backs_when, space, layer, scores):
            stance = "backs"
        elif _all_hold(p.challenges_when, space, layer, scores):
            stance = "challenges"
        ours = scores.get(p.about)
        agrees = None if stance == "silent" or ours is None else (
            (ours >= AGREEMENT_LINE) == (stance == "backs"))
        out.append(PositionResult(id=p.id, speaker=p.speaker, source=p.source, date=p.date,
                                  anchor=p.anchor, claim=p.claim, about=p.about, stance=stance,
                                  our_score=ours, agrees=agrees))
    return out


def _factor_scores(factors: list[FactorResult]) -> dict[str, float]:
    out: dict[str, float] = {}
    for f in factors:
        if f.score is not None:
            out[f.path] = f.score
        out.update(_factor_scores(f.factors))
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
            return inp.kind == "category" and inp.describe(inp.base()) == c.equals
        value = inp.base()
    if c.at_least is not None:
        return value >= c.at_least
    return c.at_most is not None and value <= c.at_most
