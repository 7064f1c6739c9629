"""What a scoring run produces: typed, JSON-ready, every number with its explanation."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class CriterionResult(_Result):
    id: str
    question: str
    input: str
    given: str | None
    """How the input was stated (a range, a probability, a choice); None if not given."""
    score: float | None
    weight: float
    rule: str
    source: str
    note: str = ""


class GateResult(_Result):
    id: str
    question: str
    input: str
    given: str | None
    passes: float | None
    """Probability the gate passes at the base case (1 or 0 for certain inputs)."""
    cap: float
    source: str


class FactorResult(_Result):
    id: str
    path: str
    title: str
    weight: float
    share: float
    """This factor's share of its scorecard's score after renormalisation (0 if not assessed)."""
    score: float | None
    source: str
    verdict: str | None = None
    criteria: list[CriterionResult] = []
    gates: list[GateResult] = []
    factors: list[FactorResult] = []
    note: str = ""


class ScoreResult(_Result):
    company: str
    layer: str
    scorecard: str
    scorecard_title: str
    score: float
    verdict: str
    verdict_meaning: str
    verdict_source: str
    factors: list[FactorResult]
    not_assessed: dict[str, str]
