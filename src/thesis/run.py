"""Score a subject: `score(subject)` for companies and markets alike, and `compare` two results.

The one pipeline: bind the scorecard to the subject's inputs (`thesis.subjects`), evaluate the
base case, run the Monte Carlo analysis, find what would move the verdict, and add what the
subject's kind brings (a company's cohorts, its market's regime and the sources' positions; a
market's stage and price run-up). Files were read at load: nothing here touches the disk except
the shipped scorecards and positions, read once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np

from thesis import __version__
from thesis.defaults import DEFAULT_SAMPLES, MAX_SAMPLES
from thesis.engine.analysis import Analysis, analyse, verdict_index
from thesis.engine.compile import Compiled, Evaluation, Unknowns
from thesis.engine.counterfactual import counterfactuals
from thesis.engine.lens import apply as apply_lens
from thesis.engine.retention import NOMINAL_COHORT
from thesis.engine.runup import SOURCE as RUN_UP_SOURCE
from thesis.engine.runup import run_up
from thesis.engine.sampling import DesignStream, Method, SeedLike, row_uniforms
from thesis.engine.space import Input
from thesis.engine.stances import StanceCounts, View, judge, reads
from thesis.errors import InputError, NothingToScoreError, SubjectMismatchError, UserError
from thesis.files.lenses import shipped_lenses
from thesis.files.load import load_scorecard, shipped_positions
from thesis.models.company import Company
from thesis.models.distributions import Point
from thesis.models.lens import Lens
from thesis.models.market import Market
from thesis.models.positions import Positions
from thesis.models.scorecard import SCORE, Factor, Gate, Prior, Scorecard
from thesis.result import (
    CompanyHeader,
    Comparison,
    Counterfactual,
    CoverageResult,
    CriterionResult,
    Diligence,
    DisagreementResult,
    Driver,
    FactorDelta,
    FactorResult,
    GateResult,
    Given,
    LensResult,
    MarketHeader,
    MarketRegime,
    ObservedCohort,
    PositionResult,
    Provenance,
    Result,
    RetentionFit,
    RunUpResult,
    ScorecardDigest,
    ScoreDistribution,
    StageResult,
    TornadoBar,
    Uncertainty,
)
from thesis.subjects import (
    Subject,
    cohort_fit,
    compile_for,
    context,
    kind_of,
    undefined_ratios,
)

Progress = Callable[[int, int], None]
CONFIDENCE = 0.95
DRIVER_SHARE = 0.05
"""An input whose total index is below this explains too little variance to name as a driver
(assumption: 5%, the usual screening threshold for total Sobol indices)."""
HISTOGRAM_BINS = 50
T = TypeVar("T")
TIES = 12
"""Drivers and diligence are ranked by their shares rounded to this many decimals, so two inputs
that move the score alike keep the scorecard's order whatever the rounding of their estimates."""


def score(subject: Subject, scorecard: Scorecard | str | Path | None = None, *,
          samples: int = DEFAULT_SAMPLES, seed: SeedLike = 0, method: Method = "sobol",
          unknowns: Unknowns = "prior", progress: Progress | None = None,
          brief: bool = False) -> Result:
    """Score a company or a market: the base case (numbers at their medians, yes/no evidence and
    categories at their expected score), and unless `samples` is 0, how sure that score is under
    the subject's own uncertainty.

    An input the subject does not give is drawn from the scorecard's prior for it, so what is
    unknown widens the answer; `unknowns="leave_out"` leaves it out and renormalises the rest
    instead, which reads thin evidence as certain (asked for explicitly only). Below the
    scorecard's minimum coverage the verdict is "insufficient evidence", with its leaning.

    `scorecard` is a loaded scorecard, a shipped name (`thesis`, `moat`, `revenue`, `traction`,
    `bubble`) or a path; by default the subject kind's own (`thesis` for companies, `bubble`
    for markets).
    `progress`, if given, is called with (rows done, rows in all) as the Monte Carlo runs.
    `brief=True` leaves out what a ranking of many subjects does not show, for about half the
    time: the lenses, the counterfactuals, the sources' positions and the linked market's
    regime (those fields are left empty).
    """
    if not 0 <= samples <= MAX_SAMPLES:
        raise UserError(f"samples must be between 0 and {MAX_SAMPLES:,}, not {samples:,}")
    kind = kind_of(subject)
    card = scorecard if isinstance(scorecard, Scorecard) else load_scorecard(
        scorecard or kind.default_scorecard)
    if card.subject != kind.name:
        raise SubjectMismatchError(f"scorecard {card.id!r} scores a {card.subject}, not a "
                                   f"{kind.name}")
    base = _BaseCase.of(subject, card, unknowns)
    compiled, evaluation, value = base.compiled, base.evaluation, base.value
    stances = None if brief else _Stances(subject, card, compiled, seed)
    analysis = analyse(compiled, samples=samples, seed=seed, method=method,
                       confidence=CONFIDENCE, progress=progress,
                       observe=None if stances is None else stances.observe
                       ) if samples > 0 else None
    factors = _factors(card, "", compiled, evaluation)
    coverage = base.coverage
    verdict, meaning, leaning = base.verdict
    origin = subject.origin
    result = Result(
        subject=_header(subject), scorecard=card.id, scorecard_title=card.title, score=value,
        verdict=verdict, leaning=leaning, verdict_meaning=meaning,
        verdict_source=card.verdict_source,
        verdict_floors={v.label: v.min for v in card.verdicts},
        factors=factors, gates=_gates(card.gates, "", compiled, evaluation),
        coverage=coverage,
        inputs=_inputs(compiled),
        not_scored=sorted(set(compiled.space.inputs) - set(compiled.names)
                          - (set() if stances is None else stances.reads)),
        uncertainty=None if analysis is None else _uncertainty(compiled, analysis, seed),
        counterfactuals=[] if brief else _counterfactuals(compiled),
        stage=_stage(card, evaluation, analysis),
        provenance=Provenance(
            thesis_version=__version__,
            input_file=None if origin is None else Path(origin.path).name,
            scorecards=[ScorecardDigest(id=c.id, sha256=c.digest()) for c in _cards(card)],
            samples=0 if analysis is None else analysis.n, requested_samples=samples,
            seed=seed if isinstance(seed, int) else None, method=method),
    )
    if stances is not None:
        positions, disagreements = stances.results(evaluation, factors)
        result = result.model_copy(update={
            "positions": positions, "disagreements": disagreements,
            "lenses": [_lens(subject, card, lens, factors, unknowns, samples, seed, method)
                       for lens in shipped_lenses(card.id)]})
    if isinstance(subject, Company):
        return result.model_copy(update={
            "retention": _retention(subject),
            "market_regime": None if brief else _regime(subject)})
    return result.model_copy(update={"run_up": _run_up(subject)})


INSUFFICIENT = "insufficient evidence"


@dataclass(frozen=True)
class _BaseCase:
    """A card bound to a subject and read at its base case: score, coverage and verdict."""

    compiled: Compiled
    evaluation: Evaluation
    value: float
    coverage: CoverageResult
    verdict: tuple[str, str, str | None]
    """(verdict, its meaning, the leaning when the evidence is too thin for a verdict)."""

    @classmethod
    def of(cls, subject: Subject, card: Scorecard, unknowns: Unknowns) -> _BaseCase:
        compiled = _compile(subject, card, unknowns)
        evaluation = compiled(compiled.base_case())
        value = float(evaluation.composite[0])
        coverage = _coverage(card, compiled, "")
        return cls(compiled, evaluation, value, coverage, _verdict(card, value, coverage))


def _coverage(card: Scorecard, compiled: Compiled, prefix: str) -> CoverageResult:
    minimum = card.minimum_coverage
    return CoverageResult(**asdict(compiled.coverage(prefix)),
                          minimum=None if minimum is None else minimum.weight,
                          minimum_source=None if minimum is None else minimum.source)


def _verdict(card: Scorecard, value: float, coverage: CoverageResult
             ) -> tuple[str, str, str | None]:
    """The verdict, its meaning and, with too little given for a verdict, the score's leaning:
    thin evidence never reads as a confident verdict."""
    band = card.verdict(value)
    if coverage.minimum is None or coverage.weight >= coverage.minimum:
        return band.label, band.meaning, None
    return INSUFFICIENT, (
        f"only {coverage.weight:.0%} of the scorecard's weight rests on given inputs, below the "
        f"{coverage.minimum:.0%} it needs for a verdict. On what is given and assumed, the "
        f"score leans to {band.label!r}"), band.label


def _compile(subject: Subject, card: Scorecard, unknowns: Unknowns) -> Compiled:
    # a file's subject was checked as it loaded (located there); one built in Python is here
    undefined = undefined_ratios(subject) if subject.origin is None else []
    if undefined:
        raise UserError("; ".join(f"{path}: {why}" for path, why in undefined))
    try:
        return compile_for(subject, card, unknowns)
    except NothingToScoreError as exc:
        if subject.origin is None:
            raise
        raise InputError.single(subject.origin.path, str(exc)) from None


def _header(subject: Subject) -> CompanyHeader | MarketHeader:
    if isinstance(subject, Company):
        return CompanyHeader(name=subject.name, layer=subject.layer, segment=subject.segment,
                             vertical=subject.vertical, stage=subject.stage)
    return MarketHeader(name=subject.name, as_of=str(subject.as_of),
                        description=subject.description)


def _cards(card: Scorecard) -> list[Scorecard]:
    return [card, *(f.included for _, f in card.walk() if f.included is not None)]


def _factors(card: Scorecard, prefix: str, compiled: Compiled,
             evaluation: Evaluation) -> list[FactorResult]:
    assessed = {f.id: f.weight for f in card.factors if f"{prefix}{f.id}" in evaluation.factors}
    total = sum(assessed.values())
    return [_factor(f, prefix, compiled, evaluation,
                    assessed.get(f.id, 0.0) / total if total else 0.0) for f in card.factors]


def _factor(factor: Factor, prefix: str, compiled: Compiled, evaluation: Evaluation,
            share: float) -> FactorResult:
    path = f"{prefix}{factor.id}"
    raw = evaluation.factors.get(path)
    value = None if raw is None else float(raw[0])
    sub = factor.included
    status = compiled.not_assessed.get(path)
    criteria = [CriterionResult(
        id=c.id, question=c.question, input=c.input,
        status=_status(f"{path}.{c.id}" in evaluation.criteria, c.input, compiled),
        score=_first(evaluation.criteria.get(f"{path}.{c.id}")), weight=c.weight, rule=c.rule,
        source=c.source) for c in factor.criteria]
    children = _factors(sub, f"{path}.", compiled, evaluation) if sub is not None else []
    applies = status != "not_applicable"
    verdict = None
    if sub is not None and value is not None:
        verdict = _verdict(sub, value, _coverage(sub, compiled, f"{path}."))[0]
    return FactorResult(
        id=factor.id, path=path, title=factor.title, weight=factor.weight, share=share,
        status="scored" if status is None else "nothing_given" if applies else "not_applicable",
        score=value, source=factor.source, combine=factor.combine, verdict=verdict,
        criteria=criteria, factors=children,
        gates=_gates(factor.gates if sub is None else sub.gates, path, compiled, evaluation),
        given=applies * (sum(c.status == "scored" for c in criteria)
                         + sum(f.given for f in children)),
        criteria_count=applies * (len(criteria) + sum(f.criteria_count for f in children)),
    )


def _status(scored: bool, input_path: str, compiled: Compiled
            ) -> Literal["scored", "prior", "not_given"]:
    if not scored:
        return "not_given"
    return "prior" if input_path in compiled.priors else "scored"


def _gates(gates: list[Gate], owner: str, compiled: Compiled,
           evaluation: Evaluation) -> list[GateResult]:
    paths = [f"{owner}.{g.id}" if owner else g.id for g in gates]
    return [GateResult(
        id=g.id, question=g.question, input=g.input,
        status=_status(path in evaluation.gates, g.input, compiled),
        holds=_first(evaluation.gates.get(path)), cap=g.cap, floor=g.floor, source=g.source)
        for g, path in zip(gates, paths, strict=True)]


def _first(values: np.ndarray | None) -> float | None:
    return None if values is None else float(values[0])


def _inputs(compiled: Compiled) -> list[Given]:
    """What was given for every input the scorecard reads, derived ones included."""
    space = compiled.space
    read = [c.input for _, f in compiled.scorecard.walk() for c in f.criteria]
    read += [g.input for _, f in compiled.scorecard.walk() for g in f.gates]
    out: dict[str, Given] = {inp.path: _given(inp, compiled.priors.get(inp.path))
                             for inp in compiled.inputs}
    for path in read:
        if path in space.derived and path in space and path not in out:
            d = space.derived[path]
            out[path] = Given(input=path, kind="derived", parts=list(d.needs),
                              operator=d.operator)
            out.update({n: _given(space.inputs[n]) for n in d.needs if n not in out})
    return list(out.values())


def _given(inp: Input, prior: Prior | None = None) -> Given:
    source = None if prior is None else prior.source
    if inp.kind == "category":
        return Given(input=inp.path, kind="category", prior=source,
                     probabilities=dict(zip(inp.choices, inp.weights, strict=True)))
    if inp.kind == "evidence":
        return Given(input=inp.path, kind="evidence", base=inp.probability, prior=source)
    exact = isinstance(inp.distribution, Point) or inp.is_certain
    base = inp.base()
    stated = {} if exact or inp.distribution is None else inp.distribution.model_dump(
        exclude_defaults=True)
    return Given(input=inp.path, kind="number", base=base,
                 p10=base if exact else inp.quantile(0.1),
                 p90=base if exact else inp.quantile(0.9), fitted=bool(inp.note), prior=source,
                 stated=stated)


def ranked(items: list[T], share: Callable[[T], float]) -> list[T]:
    """Largest share first; shares equal to TIES decimals keep the items' order (the
    scorecard's), so rounding noise in two alike estimates never decides which comes first."""
    return sorted(items, key=lambda item: -round(share(item), TIES))


def _uncertainty(compiled: Compiled, analysis: Analysis, seed: SeedLike) -> Uncertainty:
    card = compiled.scorecard
    scores = analysis.scores
    n = analysis.n
    base_verdict = card.verdict(analysis.base_score).label
    bands = verdict_index(card, scores)
    probabilities = {v.label: float(np.mean(bands == i)) for i, v in enumerate(card.verdicts)}
    p10, p50, p90 = np.percentile(scores, [10, 50, 90])
    indices = analysis.indices
    questions = {path: item.question for path, (_, item) in compiled.feeding().items()}
    for gate in card.gates:  # the card's own gates feed no factor
        if gate.input in compiled.space:
            for inp in compiled.space.base_inputs([gate.input]):
                questions.setdefault(inp.path, gate.question)

    def interval(bounds: np.ndarray) -> tuple[float, float] | None:
        return (float(bounds[0]), float(bounds[1])) if indices.has_intervals else None

    drivers = [
        Driver(input=name, question=questions.get(name, ""),
               first_order=float(indices.first[j]), total=float(indices.total[j]),
               first_order_interval=interval(indices.first_interval[j]),
               total_interval=interval(indices.total_interval[j]))
        for j, name in enumerate(indices.names)]
    drivers = ranked(drivers, lambda d: d.total)
    settled = analysis.settling
    diligence = [
        Diligence(input=name, question=questions.get(name, ""),
                  given=name not in compiled.priors, settles=float(settled.share[j]),
                  settles_interval=interval(settled.interval[j]))
        for j, name in enumerate(settled.names)]
    diligence = ranked(diligence, lambda d: d.settles)
    return Uncertainty(
        samples=n, requested_samples=analysis.requested, method=analysis.method,
        seed=seed if isinstance(seed, int) else None,
        evaluations=analysis.evaluations, replicates=indices.replicates,
        confidence=indices.confidence, base_score=analysis.base_score,
        base_verdict=base_verdict,
        distribution=ScoreDistribution(
            mean=float(scores.mean()), sd=float(scores.std(ddof=1)) if n > 1 else 0.0,
            p10=float(p10), p50=float(p50), p90=float(p90),
            verdict_probabilities=probabilities,
            flip_probability=1.0 - probabilities[base_verdict],
            histogram=np.histogram(scores, bins=HISTOGRAM_BINS, range=(0, 100))[0].tolist()),
        drivers=drivers,
        tornado=[TornadoBar(input=s.name, low=s.low_value, high=s.high_value,
                            score_at_low=s.at_low, score_at_high=s.at_high)
                 for s in analysis.tornado if s.swing > 0],
        driver_share=DRIVER_SHARE, diligence=diligence,
    )


def _counterfactuals(compiled: Compiled) -> list[Counterfactual]:
    card = compiled.scorecard
    factor_of = {path: factor.title for path, (factor, _) in compiled.feeding().items()}
    return [Counterfactual(input=s.input, factor=factor_of.get(s.input, card.title), now=s.now,
                           value=s.value, score=s.score, verdict=card.verdicts[s.band].label,
                           direction=s.direction) for s in counterfactuals(compiled)]


def _stage(card: Scorecard, evaluation: Evaluation,
           analysis: Analysis | None) -> StageResult | None:
    if evaluation.stage is None:
        return None
    index = int(evaluation.stage[0])
    stage = card.stages[index]
    probabilities: dict[str, float] = {}
    if analysis is not None and analysis.stages is not None:
        counts = np.bincount(analysis.stages.astype(np.intp), minlength=len(card.stages))
        probabilities = {s.title: float(c) / analysis.n
                         for s, c in zip(card.stages, counts, strict=True)}
    return StageResult(id=stage.id, title=stage.title, meaning=stage.meaning,
                       source=stage.source, index=index, stages=[s.title for s in card.stages],
                       probabilities=probabilities)


def _run_up(market: Market) -> RunUpResult | None:
    origin = market.origin
    closes = origin.links.get("closes") if origin is not None else market.prices.series
    if not closes:
        return None
    try:
        found = run_up(closes, market.as_of)
    except ValueError as exc:
        raise UserError(f"prices: {exc}") from None
    return RunUpResult(start=str(found.start), end=str(found.end), raw=found.raw,
                       market=found.market, net=found.net,
                       exceeds_threshold=found.exceeds_threshold,
                       crash_probability=found.crash_probability,
                       interpolated=found.interpolated, source=RUN_UP_SOURCE)


def _retention(company: Company) -> RetentionFit | None:
    fitted = cohort_fit(company.engagement)
    if fitted is None:
        return None
    selection, reading = fitted.selection, fitted.reading
    fit = selection.chosen
    survival, retention_rate = fitted.projection
    longest = max(company.engagement.cohorts, key=lambda c: len(c.active))
    sized = all(c.size_given for c in fitted.cohorts)
    return RetentionFit(
        cohorts=len(fitted.cohorts), model=fit.model, model_choice=selection.reason,
        lr_statistic=selection.statistic, lr_p_value=selection.p_value, alpha=fit.alpha,
        beta=fit.beta, c=fit.c, log_likelihood=fit.log_likelihood, converged=fit.converged,
        degenerate=fit.boundary, note=reading.note,
        assumed_size=None if sized else NOMINAL_COHORT,
        observed=[ObservedCohort(start=c.start, active=list(c.survival),
                                 size=None if c.given_size is None else int(c.given_size))
                  for c in fitted.cohorts],
        survival=survival, retention_rate=retention_rate,
        survival_24=reading.survival_24, survival_24_interval=reading.interval_24,
        kind=reading.kind, last_month=len(longest.active) - 1,
        last_share=longest.active[-1] / longest.active[0],
        last_retention=reading.last_retention, extrapolated=fitted.extrapolated,
        not_assessed=fitted.not_assessed)


def _regime(company: Company) -> MarketRegime | None:
    """The bubble reading of the market the company's file links to (resolved at load)."""
    origin = company.origin
    market = origin.links.get("market") if origin is not None else None
    if market is None or company.market is None:
        return None
    card = load_scorecard(kind_of(market).default_scorecard)
    base = _BaseCase.of(market, card, "prior")
    stage = _stage(card, base.evaluation, None)
    return MarketRegime(market=market.name, file=company.market, as_of=str(market.as_of),
                        score=base.value, verdict=base.verdict[0],
                        stage=None if stage is None else stage.title)


class _Stances:
    """The sources' positions on one subject: their stances at the base case and, counted as
    the Monte Carlo runs, over the samples."""

    def __init__(self, subject: Subject, card: Scorecard, compiled: Compiled,
                 seed: SeedLike) -> None:
        positions = shipped_positions(kind_of(subject).name)
        self.positions = positions if positions.scorecard == card.id else None
        self.compiled = compiled
        self.context = context(subject)
        self.counts = StanceCounts(self.positions.positions if self.positions else [])
        self.reads = reads(self.positions) if self.positions else set()
        """The inputs the positions read: given figures a position uses are not set aside."""
        space, sampled = compiled.space, set(compiled.names)
        self.beside = sorted({inp.path: inp for path in self.reads if path in space
                              for inp in space.base_inputs([path])
                              if inp.path not in sampled and not inp.is_certain}.items())
        """Uncertain inputs only the positions read: drawn row by row beside the design (the
        score does not depend on them), so a stance on them is as unsure as they are."""
        self.seed = seed if isinstance(seed, int) else 0
        self.seen = 0

    def observe(self, x: np.ndarray, evaluation: Evaluation) -> None:
        if self.positions is not None:
            rows = np.arange(self.seen, self.seen + len(x))
            self.seen += len(x)
            self.counts.add(self.view(x, evaluation, {
                path: inp.draw(row_uniforms(self.seed, path, rows))
                for path, inp in self.beside}))

    def view(self, x: np.ndarray, evaluation: Evaluation,
             beside: dict[str, np.ndarray] | None = None) -> View:
        card = self.compiled.scorecard
        return View(value=self.compiled.reader(x, beside), space=self.compiled.space,
                    factors={**evaluation.factors, SCORE: evaluation.composite},
                    bands=verdict_index(card, evaluation.composite),
                    labels=[v.label for v in card.verdicts], stages=evaluation.stage,
                    stage_ids=[s.id for s in card.stages], context=self.context)

    def results(self, evaluation: Evaluation, factors: list[FactorResult]
                ) -> tuple[list[PositionResult], list[DisagreementResult]]:
        if self.positions is None:
            return [], []
        base = self.view(self.compiled.base_case(), evaluation)
        titled = {f.path: f for f in _walk(factors)}
        out = []
        for p, j in zip(self.positions.positions, judge(self.positions, base, self.counts),
                        strict=True):
            factor = titled.get(p.about)
            out.append(PositionResult(
                id=p.id, speaker=p.speaker, source=p.source, date=p.date, anchor=p.anchor,
                claim=p.claim, about=p.about, stance=j.stance,
                because={"backs": p.backs_because, "challenges": p.challenges_because}.get(
                    j.stance, ""),
                our_score=j.our_score, agrees=j.agrees,
                about_title=factor.title if factor else "overall score",
                weakest=_weakest(factor) if factor else [],
                backs_probability=j.backs, challenges_probability=j.challenges))
        return out, _disagreements(self.positions, out)


def _walk(factors: list[FactorResult]) -> list[FactorResult]:
    return [x for f in factors for x in (f, *_walk(f.factors))]


WEAK = 50.0
"""A criterion under this reads as a weakness of its factor (the agreement line)."""


def _weakest(factor: FactorResult, count: int = 3) -> list[str]:
    scored = sorted((c for c in factor.criteria if c.score is not None and c.score < WEAK),
                    key=lambda c: c.score or 0.0)
    return [f"{c.id.replace('_', ' ')} {c.score:.0f}" for c in scored[:count]]


def _disagreements(positions: Positions, results: list[PositionResult]
                   ) -> list[DisagreementResult]:
    """The disagreements whose sides split on this subject: some back, others challenge."""
    stance = {p.id: p.stance for p in results}
    out = []
    for d in positions.disagreements:
        members = [i for side in d.sides for i in side]
        backing = [i for i in members if stance[i] == "backs"]
        challenging = [i for i in members if stance[i] == "challenges"]
        if backing and challenging:
            out.append(DisagreementResult(id=d.id, about=d.about, backing=backing,
                                          challenging=challenging, note=d.note))
    return out


def _lens(subject: Subject, card: Scorecard, lens: Lens, ours: list[FactorResult],
          unknowns: Unknowns, samples: int, seed: SeedLike, method: Method) -> LensResult:
    """The subject through one lens: the lensed card's base case, how often its verdict holds
    over a sample of its own inputs (the score only: no indices), and the factors that move it
    from our reading."""
    lensed = apply_lens(card, lens)
    base = _BaseCase.of(subject, lensed, unknowns)
    compiled, evaluation, value, verdict = base.compiled, base.evaluation, base.value, \
        base.verdict[0]
    probability = None
    if samples > 0:
        design = DesignStream(samples, len(compiled.inputs), seed, method)
        bands = verdict_index(lensed, compiled.composite(compiled.draw(design.rows(0, design.n))))
        probability = float(np.mean(bands == verdict_index(lensed, np.array([value]))[0]))
    theirs = {f.id: f for f in _factors(lensed, "", compiled, evaluation)}
    deltas = [_delta(theirs[f.id], f) for f in ours if f.id in theirs]
    deltas.sort(key=lambda d: -abs(d.contribution))
    return LensResult(id=lens.id, title=lens.title, speaker=lens.speaker, scorecard=lensed.id,
                      score=value, verdict=verdict, verdict_probability=probability,
                      factors=deltas)


def compare(result: Result, other: Result) -> Result:
    """`result` with a factor-by-factor account of how its score differs from `other`'s."""
    theirs = {f.id: f for f in other.factors}
    deltas = [_delta(f, theirs.get(f.id)) for f in result.factors]
    deltas.sort(key=lambda d: -abs(d.contribution))
    as_of = other.subject.as_of if isinstance(other.subject, MarketHeader) else None
    return result.model_copy(update={"comparison": Comparison(
        subject=other.subject.name, as_of=as_of, score=other.score, verdict=other.verdict,
        factors=deltas)})


def _delta(mine: FactorResult, theirs: FactorResult | None) -> FactorDelta:
    def part(f: FactorResult | None) -> float:
        return 0.0 if f is None or f.score is None else f.share * f.score

    return FactorDelta(id=mine.id, title=mine.title, score=mine.score,
                       other=None if theirs is None else theirs.score,
                       contribution=part(mine) - part(theirs))
