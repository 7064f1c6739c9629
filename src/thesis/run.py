"""Score a company against a scorecard and explain every number of the result."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thesis.engine.analysis import DEFAULT_SAMPLES, analyse
from thesis.engine.compile import NOT_APPLICABLE, Compiled, Evaluation, compile_scorecard
from thesis.engine.counterfactual import counterfactuals
from thesis.engine.sampling import Method, SeedLike
from thesis.errors import ThesisError
from thesis.files.load import load_scorecard
from thesis.models.company import Company
from thesis.models.positions import judge, shipped_positions
from thesis.models.scorecard import Categories, Curve, Factor, Rule, Scorecard
from thesis.result import (
    CriterionResult,
    FactorResult,
    GateResult,
    MarketRegime,
    RetentionFit,
    ScorecardResult,
    ScoreResult,
)
from thesis.subjects import cohort_fit, context, input_space


def compile_for(company: Company, scorecard: Scorecard) -> Compiled:
    """The scorecard bound to this company's inputs."""
    return compile_scorecard(scorecard, input_space(company), context(company))


def score(company: Company, scorecard: Scorecard | str | Path | None = None, *,
          samples: int = DEFAULT_SAMPLES, seed: SeedLike = 0, method: Method = "sobol",
          market_regime: MarketRegime | None = None) -> ScoreResult:
    """Score `company`: the base case (medians, probabilities, likeliest choices), and unless
    `samples` is 0, how sure that score is under the company's own uncertainty."""
    card = scorecard if isinstance(scorecard, Scorecard) else load_scorecard(scorecard or "thesis")
    if card.subject != "company":
        raise ThesisError(f"scorecard {card.id!r} scores a {card.subject}, not a company "
                          f"(a {card.subject} goes to thesis bubble)")
    compiled = compile_for(company, card)
    core = scorecard_result(card, compiled, compiled(compiled.base_case()), samples=samples,
                            seed=seed, method=method)
    positions = shipped_positions()
    judged = (judge(positions, compiled.space, company.layer, core)
              if card.id == positions.scorecard else [])
    return ScoreResult(company=company.name, layer=company.layer, market_regime=market_regime,
                       positions=judged, retention=retention_fit(company), **dict(core))


def retention_fit(company: Company) -> RetentionFit | None:
    """The fitted cohort curves for the report, if the company gives cohorts."""
    fitted = cohort_fit(company.engagement)
    if fitted is None:
        return None
    fit, reading = fitted
    months = np.arange(25, dtype=float)
    return RetentionFit(
        cohorts=len(company.engagement.cohorts), alpha=fit.alpha, beta=fit.beta,
        log_likelihood=fit.log_likelihood,
        survival=[round(float(x), 6) for x in fit.survival(months)],
        retention_rate=[round(float(x), 6) for x in fit.retention_rate(months[1:])],
        survival_24_interval=reading.interval_24, reading=reading.text, kind=reading.kind)


def scorecard_result(card: Scorecard, compiled: Compiled, evaluation: Evaluation, *,
                     samples: int = 0, seed: SeedLike = 0,
                     method: Method = "sobol") -> ScorecardResult:
    """The subject-agnostic part of a result: verdict and factor tree of the first sample, and
    the Monte Carlo analysis when `samples` > 0."""
    value = float(evaluation.composite[0])
    verdict = card.verdict(value)
    return ScorecardResult(
        scorecard=card.id,
        scorecard_title=card.title,
        score=value,
        verdict=verdict.label,
        verdict_meaning=verdict.meaning,
        verdict_source=card.verdict_source,
        factors=_factors(card, "", compiled, evaluation),
        not_assessed=compiled.not_assessed,
        uncertainty=analyse(compiled, samples=samples, seed=seed, method=method)
        if samples > 0 else None,
        counterfactuals=counterfactuals(compiled),
        verdict_floors={v.label: v.min for v in card.verdicts},
    )


def _factors(card: Scorecard, prefix: str, compiled: Compiled,
             evaluation: Evaluation) -> list[FactorResult]:
    assessed = {f.id: f.weight for f in card.factors if f"{prefix}{f.id}" in evaluation.factors}
    total = sum(assessed.values())
    return [_factor(f, prefix, compiled, evaluation, assessed.get(f.id, 0.0) / total if total
                    else 0.0) for f in card.factors]


def _factor(factor: Factor, prefix: str, compiled: Compiled, evaluation: Evaluation,
            share: float) -> FactorResult:
    path = f"{prefix}{factor.id}"
    raw = evaluation.factors.get(path)
    score = float(raw[0]) if raw is not None else None
    sub = factor.included
    criteria = [_criterion(c.id, c.question, c.input, c.rule, c.weight, c.source,
                           f"{path}.{c.id}", compiled, evaluation) for c in factor.criteria]
    children = _factors(sub, f"{path}.", compiled, evaluation) if sub is not None else []
    note = compiled.not_assessed.get(path, "")
    applies = note != NOT_APPLICABLE
    return FactorResult(
        id=factor.id, path=path, title=factor.title, weight=factor.weight, share=share,
        score=score, source=factor.source,
        verdict=sub.verdict(score).label if sub is not None and score is not None else None,
        criteria=criteria,
        gates=[GateResult(id=g.id, question=g.question, input=g.input,
                          given=_given(compiled, g.input),
                          passes=_first(evaluation.gates.get(f"{path}.{g.id}")),
                          cap=g.cap, source=g.source) for g in factor.gates],
        factors=children, note=note,
        given=applies * (sum(c.score is not None for c in criteria)
                         + sum(f.given for f in children)),
        criteria_count=applies * (len(criteria) + sum(f.criteria_count for f in children)),
    )


def _criterion(id_: str, question: str, input_path: str, rule: Rule, weight: float, source: str,
               path: str, compiled: Compiled, evaluation: Evaluation) -> CriterionResult:
    return CriterionResult(
        id=id_, question=question, input=input_path, given=_given(compiled, input_path),
        score=_first(evaluation.criteria.get(path)), weight=weight, rule=describe_rule(rule),
        source=source, note=compiled.not_assessed.get(path, ""),
    )


def _first(values: object) -> float | None:
    return None if values is None else float(values[0])  # type: ignore[index]


def _given(compiled: Compiled, path: str) -> str | None:
    space = compiled.space
    if path in space.inputs:
        inp = space.inputs[path]
        return f"{inp.describe()}; {inp.note}" if inp.note else inp.describe()
    if path in space:
        d = space.derived[path]
        return f" {d.operator} ".join(space.inputs[n].describe() for n in d.needs
                                      if n in space.inputs)
    return None


def describe_rule(rule: Rule) -> str:
    """A rule in a few words, e.g. `higher is better: 0.8 -> 20, 1 -> 60, 1.2 -> 100`."""
    if isinstance(rule, Curve):
        steps = ", ".join(f"{x:.4g} -> {y:.0f}" for x, y in rule.points)
        axis = " (log scale)" if rule.scale == "log" else ""
        return f"{rule.better} is better{axis}: {steps}"
    if isinstance(rule, Categories):
        return ", ".join(f"{k} {v:.0f}" for k, v in rule.scores.items())
    return f"yes {rule.yes:.0f}, no {rule.no:.0f}"
