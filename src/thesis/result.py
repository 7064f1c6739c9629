"""What a scoring run produces: typed, JSON-ready, every number with its explanation."""

from __future__ import annotations

from typing import Literal

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
    given: int = 0
    """How many of the criteria below (in factors that apply) had an input."""
    criteria_count: int = 0
    """How many criteria there are below, in factors that apply."""


class PositionResult(_Result):
    """What one source's author would say of this company, and whether our score agrees."""

    id: str
    speaker: str
    source: str
    date: str
    anchor: str
    claim: str
    about: str
    stance: Literal["backs", "challenges", "silent"]
    our_score: float | None
    """Our score of the factor the claim is about."""
    agrees: bool | None
    """None when the claim does not speak to this company."""


class ScoreDistribution(_Result):
    """The score over the Monte Carlo sample. P10 is the 10th percentile: 10% score lower."""

    mean: float
    sd: float
    p10: float
    p50: float
    p90: float
    verdict_probabilities: dict[str, float]
    flip_probability: float
    """Probability that the verdict differs from the base-case verdict."""
    histogram: list[int]
    """Sample counts in 50 equal bins over 0-100 (0-2, 2-4, ..., 98-100)."""


class Driver(_Result):
    """One input's share of the score's variance (Sobol indices, 95% bootstrap intervals)."""

    input: str
    question: str
    given: str
    first_order: float
    total: float
    first_order_interval: tuple[float, float]
    total_interval: tuple[float, float]


class TornadoBar(_Result):
    """The score with one input at its P10 and at its P90, the others at their base case."""

    input: str
    low: str
    high: str
    score_at_low: float
    score_at_high: float


class Uncertainty(_Result):
    """How sure the score is and what it hinges on, with the seed and sample count."""

    samples: int
    requested_samples: int
    method: str
    seed: int | None
    sample_note: str
    evaluations: int
    bootstrap: int
    base_score: float
    base_verdict: str
    distribution: ScoreDistribution
    drivers: list[Driver]
    """Every sampled input, largest total index first."""
    tornado: list[TornadoBar]
    diligence: list[str]
    """What to find out next, in words."""


class ScorecardResult(_Result):
    """A scorecard's reading of one subject (company or market) at its base case."""

    scorecard: str
    scorecard_title: str
    score: float
    verdict: str
    verdict_meaning: str
    verdict_source: str
    factors: list[FactorResult]
    not_assessed: dict[str, str]
    uncertainty: Uncertainty | None = None
    """None when scored at the base case only (samples = 0)."""
    counterfactuals: list[Counterfactual] = []
    """The nearest single-input changes that move the verdict."""
    verdict_floors: dict[str, float] = {}
    """Each verdict band's lowest score, highest band first."""


class MarketRegime(_Result):
    """The market a company sells into, as the bubble scorecard reads it (seed 004)."""

    market: str
    file: str
    as_of: str
    score: float
    verdict: str
    stage: str | None


class RetentionFit(_Result):
    """The company's cohorts, pooled and fitted with the sBG model (Fader & Hardie 2007)."""

    cohorts: int
    alpha: float
    beta: float
    log_likelihood: float
    survival: list[float]
    """Projected share of a starting cohort still active, months 0 to 24."""
    retention_rate: list[float]
    """Projected month-on-month retention, months 1 to 24."""
    survival_24_interval: tuple[float, float]
    """80% interval of month-24 survival from the estimate's sampling uncertainty."""
    reading: str
    kind: str


class ScoreResult(ScorecardResult):
    company: str
    layer: str
    market_regime: MarketRegime | None = None
    retention: RetentionFit | None = None
    """The fitted cohort curves, when the company gives cohorts."""
    positions: list[PositionResult] = []
    """What the source documents' authors would say of this company (thesis scorecard only)."""

    def _repr_markdown_(self) -> str:
        """A notebook shows the scorecard as the markdown report, not as a wall of fields."""
        from thesis.report.markdown import render

        return render(self)


class StageResult(_Result):
    """Where the subject stands on the scorecard's cycle (seed 004's bubble sequence)."""

    id: str
    title: str
    meaning: str
    source: str
    index: int
    stages: list[str]
    """Every stage's title, in cycle order, so a report can draw the whole climb."""
    probabilities: dict[str, float] = {}
    """Share of Monte Carlo samples at each stage (empty when scored at the base case only)."""


class Counterfactual(_Result):
    """The smallest change of one input, all else at its base case, that moves the verdict."""

    input: str
    factor: str
    now: str
    value: str
    score: float
    verdict: str
    direction: str
    """"up" (a higher score) or "down"."""


class RunUpResult(_Result):
    """Greenwood, Shleifer and You (2019): the two-year price run-up, raw and net of market."""

    start: str
    end: str
    raw: float
    market: float | None
    net: float | None
    exceeds_threshold: bool
    crash_probability: float | None
    """After a net run-up of this size; None below the smallest run-up tabulated."""
    source: str
    note: str = ""


class FactorDelta(_Result):
    id: str
    title: str
    score: float | None
    other: float | None
    contribution: float
    """This factor's part of the difference between the two composites (share x score)."""


class Comparison(_Result):
    """Factor by factor, what separates this market's score from another's."""

    market: str
    as_of: str
    score: float
    verdict: str
    factors: list[FactorDelta]


class BubbleResult(ScorecardResult):
    market: str
    as_of: str
    description: str | None = None
    stage: StageResult | None = None
    run_up: RunUpResult | None = None
    comparison: Comparison | None = None

    def _repr_markdown_(self) -> str:
        from thesis.report.bubble import render_markdown

        return render_markdown(self)
