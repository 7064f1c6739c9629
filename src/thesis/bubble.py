"""Read a market with the six-factor bubble scorecard (seed 004): verdict, stage, what moves it.

`score_market` is the market's counterpart of `scoring.score`: the same compiled evaluator and
the same result core, plus the stage of the cycle, the counterfactuals, and the Greenwood-Shleifer
-You run-up check when the market file gives prices. `compare` explains, factor by factor, what
separates two markets' scores; `market_regime` is the short reading shown beside a company.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thesis.engine.analysis import DEFAULT_SAMPLES
from thesis.engine.compile import Compiled, NothingToScoreError, compile_scorecard
from thesis.engine.runup import prices_of, run_up
from thesis.engine.sampling import Method, SeedLike, generator, uniform_design
from thesis.errors import InputError, ThesisError
from thesis.files.load import load_market, load_scorecard
from thesis.files.yaml import load as load_yaml
from thesis.models.company import Company
from thesis.models.market import Market
from thesis.models.scorecard import Scorecard
from thesis.result import (
    BubbleResult,
    Comparison,
    FactorDelta,
    FactorResult,
    MarketRegime,
    StageResult,
)
from thesis.run import scorecard_result
from thesis.subjects import input_space

DEFAULT_BUBBLE_SCORECARD = "bubble"


def score_market(market: Market, scorecard: Scorecard | str | Path | None = None, *,
                 market_file: str | Path | None = None, samples: int = DEFAULT_SAMPLES,
                 seed: SeedLike = 0, method: Method = "sobol") -> BubbleResult:
    """Score `market` at its base case, and unless `samples` is 0 how sure that reading is;
    `market_file` locates a CSV of prices and its errors."""
    card = scorecard if isinstance(scorecard, Scorecard) else load_scorecard(
        scorecard or DEFAULT_BUBBLE_SCORECARD)
    if card.subject != "market":
        raise ThesisError(f"scorecard {card.id!r} scores a {card.subject}, not a market")
    closes = prices_of(market, market_file)
    try:
        compiled = compile_scorecard(card, input_space(market))
    except NothingToScoreError as exc:
        raise InputError.single(market_file or market.name, str(exc)) from None
    evaluation = compiled(compiled.base_case())
    return BubbleResult(
        market=market.name, as_of=str(market.as_of), description=market.description,
        stage=_stage(card, None if evaluation.stage is None else int(evaluation.stage[0]),
                     stage_probabilities(compiled, samples=samples, seed=seed, method=method)),
        run_up=None if closes is None else run_up(closes, market.as_of,
                                                  str(market_file or market.name)),
        **dict(scorecard_result(card, compiled, evaluation, samples=samples, seed=seed,
                                method=method)),
    )


def _stage(card: Scorecard, index: int | None,
           probabilities: dict[str, float]) -> StageResult | None:
    if index is None:
        return None
    stage = card.stages[index]
    return StageResult(id=stage.id, title=stage.title, meaning=stage.meaning,
                       source=stage.source, index=index,
                       stages=[s.title for s in card.stages], probabilities=probabilities)


def stage_probabilities(compiled: Compiled, *, samples: int, seed: SeedLike,
                        method: Method) -> dict[str, float]:
    """How often each stage is reached over the market's uncertainty ({} if samples is 0).

    The design is the one `uncertainty.analyse` draws for the same seed (2k columns, the first
    k the sample), so stage and verdict probabilities come from the same samples.
    """
    stages = compiled.scorecard.stages
    if samples <= 0 or not stages:
        return {}
    k = len(compiled.inputs)
    design = uniform_design(samples, 2 * k, generator(seed), method)
    placed = compiled(compiled.draw(design.points[:, :k])).stage
    assert placed is not None
    counts = np.bincount(placed.astype(np.intp), minlength=len(stages)) / len(placed)
    return {s.title: float(c) for s, c in zip(stages, counts, strict=True)}


def compare(result: BubbleResult, other: BubbleResult) -> BubbleResult:
    """`result` with a factor-by-factor account of how its score differs from `other`'s."""
    theirs = {f.id: f for f in other.factors}
    deltas = [_delta(f, theirs.get(f.id)) for f in result.factors]
    deltas.sort(key=lambda d: -abs(d.contribution))
    return result.model_copy(update={"comparison": Comparison(
        market=other.market, as_of=other.as_of, score=other.score, verdict=other.verdict,
        factors=deltas)})


def _delta(mine: FactorResult, theirs: FactorResult | None) -> FactorDelta:
    def part(f: FactorResult | None) -> float:
        return 0.0 if f is None or f.score is None else f.share * f.score

    return FactorDelta(id=mine.id, title=mine.title, score=mine.score,
                       other=None if theirs is None else theirs.score,
                       contribution=part(mine) - part(theirs))


def market_regime(company: Company, company_file: str | Path) -> MarketRegime | None:
    """The bubble reading of the market a company file points to (`market:`), if any."""
    if company.market is None:
        return None
    path = (Path(company_file).parent / company.market).resolve()
    if not path.is_file():
        doc = load_yaml(company_file)
        raise InputError([doc.problem(("market",), f"no market file {company.market!r} "
                                                   f"({path})")])
    result = score_market(load_market(path), market_file=path, samples=0)
    return MarketRegime(market=result.market, file=str(path), as_of=result.as_of,
                        score=result.score, verdict=result.verdict,
                        stage=None if result.stage is None else result.stage.title)
