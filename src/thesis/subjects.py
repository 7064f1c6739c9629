"""Companies and markets as subjects of a score: the one registry of what each kind offers.

A subject kind names its model, the scorecard that reads it by default, and the inputs it offers
beyond the fields an analyst fills in: derived ones computed from other columns (a labour pool is
employees x median wage) and fitted ones estimated from its data (month-6 survival from the
cohorts). It also gives the context that decides which factors apply (a company's layer). The
engine needs only `input_space` and `context`; loading and checking need `catalogue`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel

from thesis.engine import retention
from thesis.engine.compile import Compiled, Unknowns, compile_scorecard
from thesis.engine.retention import (
    Cohort,
    Reading,
    Selection,
    as_cohort,
    read,
    select_model,
    selection_from_plain,
    selection_to_plain,
)
from thesis.engine.sampling import EDGE
from thesis.engine.space import Derived, Input, InputSpace, catalogue, field_at, space_of
from thesis.files.cache import keep, recall
from thesis.models.company import RETENTION_6, Company, Engagement
from thesis.models.distributions import Z90, Array, InputKind, Normal, Point
from thesis.models.market import Market
from thesis.models.scorecard import Scorecard

Subject = Company | Market
SubjectName = Literal["company", "market"]


def _product(*columns: Array) -> Array:
    out = columns[0]
    for column in columns[1:]:
        out = out * column
    return out


def _ratio(numerator: Array, denominator: Array) -> Array:
    """numerator / denominator; a zero denominator gives inf (no warning): infinitely stretched."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Array = numerator / denominator
    return out


@dataclass(frozen=True)
class SubjectKind:
    """What one kind of subject offers a scorecard."""

    name: SubjectName
    model: type[BaseModel]
    default_scorecard: str
    derived: tuple[Derived, ...] = ()
    fitted: dict[str, InputKind] = field(default_factory=dict)
    """Inputs estimated from the subject's data rather than stated."""
    context: Callable[[BaseModel], dict[str, str]] = lambda _: {}
    questions: dict[str, str] = field(default_factory=dict)
    """The questions of the derived and fitted inputs (a field's own is in its model)."""

    def question(self, path: str) -> str:
        """The question an analyst answers to give `path`, in words, for reports, charts and
        templates: the field's `question` (its JSON Schema extra), else its description, else
        the path itself."""
        if path in self.questions:
            return self.questions[path]
        info = field_at(self.model, path)
        if info is None:
            return path
        extra = info.json_schema_extra
        if isinstance(extra, dict) and isinstance(extra.get("question"), str):
            return str(extra["question"])
        return info.description or path

    def catalogue(self) -> dict[str, InputKind]:
        """Every input path this kind can offer, derived and fitted ones included."""
        found = catalogue(self.model)
        found.update({d.path: InputKind(d.kind) for d in self.derived})
        found.update(self.fitted)
        return found


NOT_STATED = "not stated"
STAGES = ("pre_seed", "seed", "series_a", "series_b", "growth")
"""The stages a company's free-text `stage` is read as (traction.yaml benchmarks ARR by stage;
it has no ARR benchmark for pre-seed, where the SaaS Funding Napkin expects none)."""
_LATER_ROUND = re.compile(r"series_[c-z]\+?|late(_stage)?|pre_ipo")
"""Rounds after Series B read as growth stage: the Series C and D+ columns of the SaaS
fundraising napkins (Point Nine 2016: US$12M+ ARR; Mostly Metrics 2022: US$15M+)."""


def stage_of(stage: str | None) -> str:
    """A company's stage as its context reads it: lower case, runs of spaces and hyphens as
    "_" ("Series A" -> series_a, "pre-seed" -> pre_seed), later rounds (Series C, D, ...) as
    growth; anything else, or nothing, is "not stated"."""
    if stage is None:
        return NOT_STATED
    key = re.sub(r"[\s_-]+", "_", stage.strip().lower())
    if key == "preseed":
        key = "pre_seed"
    if _LATER_ROUND.fullmatch(key):
        key = "growth"
    return key if key in STAGES else NOT_STATED


def _company_context(company: BaseModel) -> dict[str, str]:
    assert isinstance(company, Company)
    return {"layer": company.layer, "segment": company.segment or NOT_STATED,
            "stage": stage_of(company.stage)}


T2D3_TRIPLES_TO_USD = 18.0e6
"""T2D3 (Neeraj Agrawal, Battery Ventures, 2015): from ~US$2M ARR, triple twice (2 -> 6 ->
18), then double three times (18 -> 36 -> 72 -> 144). A year that ends at or below US$18M is
one of the triplings."""
T2D3_DOUBLES_FROM_USD = 36.0e6
"""A year that ends at or above US$36M is one of the doublings. Between US$18M and US$36M the
multiple falls from 3 to 2 linearly in log ARR (assumption: the path itself steps at US$18M;
the step is smoothed so crossing it is not a jump). Below US$2M the path has not started and
beyond US$144M it has ended: the multiple is held at 3 and 2 (assumption: the nearest leg)."""


def t2d3_multiple(arr_usd: Array) -> Array:
    """The yearly ARR multiple T2D3 asks of a year that ends at this ARR: 3, falling to 2
    between US$18M and US$36M; never rising with ARR."""
    low, high = np.log(T2D3_TRIPLES_TO_USD), np.log(T2D3_DOUBLES_FROM_USD)
    along = (np.log(np.maximum(arr_usd, 1.0)) - low) / (high - low)
    out: Array = 3.0 - np.clip(along, 0.0, 1.0)
    return out


def _growth_vs_t2d3(growth_yoy: Array, arr_usd: Array) -> Array:
    """This year's ARR multiple (1 + growth) over the multiple T2D3 asks at this ARR: 1.0 is
    on the path. Rises with growth, and with ARR (T2D3 asks less as ARR grows)."""
    out: Array = (1.0 + growth_yoy) / t2d3_multiple(arr_usd)
    return out


COMPANY = SubjectKind(
    name="company", model=Company, default_scorecard="thesis",
    derived=(
        Derived("market_pool.labour_pool_usd", "number",
                ("market_pool.employees", "market_pool.median_wage_usd"), _product,
                operator="x", signs=(1, 1)),
        Derived("market_pool.addressable_usd", "number",
                ("market_pool.employees", "market_pool.median_wage_usd",
                 "market_pool.automatable_share"), _product, operator="x", signs=(1, 1, 1)),
        Derived("revenue.growth_vs_t2d3", "number", ("revenue.growth_yoy", "revenue.arr_usd"),
                _growth_vs_t2d3, operator="vs T2D3 at", signs=(1, 1)),
    ),
    fitted={RETENTION_6: InputKind("number", 0.0, 1.0)},
    context=_company_context,
    questions={
        "market_pool.labour_pool_usd": "What do the people who do this work earn in all, a year?",
        "market_pool.addressable_usd":
            "How much of that labour spend could the product take over, a year?",
        "revenue.growth_vs_t2d3": "Is ARR growing as fast as T2D3 asks at its size?",
        RETENTION_6: "What share of a starting cohort is still active at month 6?",
    },
)
"""The month-6 survival of the cohorts is fitted (the horizon of the published retention
benchmarks), from the pooled sBG fit (thesis.engine.retention)."""

MARKET = SubjectKind(
    name="market", model=Market, default_scorecard="bubble",
    derived=(
        Derived("revenue.commitments_to_revenue", "number",
                ("revenue.commitments_usd", "revenue.annual_revenue_usd"), _ratio,
                operator="/", signs=(1, -1)),
        Derived("valuation.pe_to_normal", "number",
                ("valuation.leaders_forward_pe", "valuation.normal_pe"), _ratio,
                operator="/", signs=(1, -1)),
    ),
    questions={
        "revenue.commitments_to_revenue":
            "How many years of revenue do the spending commitments amount to?",
        "valuation.pe_to_normal": "How far above a normal P/E do the leaders trade?",
    },
)

KINDS: dict[SubjectName, SubjectKind] = {"company": COMPANY, "market": MARKET}


def kind_of(subject: Subject) -> SubjectKind:
    return COMPANY if isinstance(subject, Company) else MARKET


def context(subject: Subject) -> dict[str, str]:
    """The subject's fields that decide which factors apply."""
    return kind_of(subject).context(subject)


def compile_for(subject: Subject, card: Scorecard, unknowns: Unknowns = "prior") -> Compiled:
    """The scorecard bound to this subject's inputs: one pure function of the input matrix.
    An input the subject does not give is drawn from its prior, or with `unknowns="leave_out"`
    left out."""
    kinds = kind_of(subject).catalogue() if unknowns == "prior" else None
    return compile_scorecard(card, input_space(subject), context(subject), kinds)


MIN_OBSERVED_MONTHS = 3
"""Fewer observed months than this and month-6 survival is not assessed (assumption): with two
or three parameters, fewer churn observations leave nothing to test the curve's shape against,
and month 6 would lie more than twice the observed horizon away."""
HORIZON = 6
PROJECTED_MONTHS = 24
"""How far a report projects the cohorts' survival."""


@dataclass(frozen=True)
class CohortFit:
    """The cohorts' retention models (sBG and BdW), the one chosen, its reading, and why
    month-6 survival is not scored when it is not."""

    selection: Selection
    reading: Reading
    cohorts: tuple[Cohort, ...]
    not_assessed: str = ""
    """Why month-6 survival is left out of the score; empty when it is scored."""

    @property
    def periods_observed(self) -> int:
        return self.selection.chosen.periods_observed

    @property
    def extrapolated(self) -> bool:
        """Month 6 lies beyond the longest cohort's observed months."""
        return self.periods_observed < HORIZON

    # What follows from the chosen fit alone is computed once per fit (fits are cached by
    # their cohorts, which many subjects of a batch may share).

    @functools.cached_property
    def at_horizon(self) -> tuple[float, tuple[float, float] | None]:
        """Month-6 survival and its central 80% interval (None for a degenerate fit)."""
        fit = self.selection.chosen
        return float(fit.survival(HORIZON)), fit.survival_interval(HORIZON, level=0.8)

    @functools.cached_property
    def projection(self) -> tuple[list[float], list[float]]:
        """Survival at months 0..PROJECTED_MONTHS, and the retention rate at months 1..."""
        fit = self.selection.chosen
        months = np.arange(PROJECTED_MONTHS + 1, dtype=float)
        return ([round(float(x), 6) for x in fit.survival(months)],
                [round(float(x), 6) for x in fit.retention_rate(months[1:])])


def cohort_fit(engagement: Engagement) -> CohortFit | None:
    """The pooled fit of the company's cohorts (sBG or BdW, by a likelihood-ratio test)."""
    if not engagement.cohorts:
        return None
    return _fit(tuple(as_cohort(c.active, c.size, c.start) for c in engagement.cohorts))


@functools.cache
def _fit(cohorts: tuple[Cohort, ...]) -> CohortFit:
    selection = _selection(cohorts)
    fit = selection.chosen
    reason = ""
    if fit.periods_observed < MIN_OBSERVED_MONTHS:
        reason = (f"only {fit.periods_observed} observed month(s), fewer than the "
                  f"{MIN_OBSERVED_MONTHS} needed to project month-{HORIZON} survival")
    elif not fit.converged:
        reason = f"the retention fit did not converge ({fit.note})"
    return CohortFit(selection, read(fit), cohorts, reason)


def _selection(cohorts: tuple[Cohort, ...]) -> Selection:
    """`select_model`, kept on disk (`thesis.files.cache`) under the cohorts and the fitting
    code: the same cohorts always fit the same, and a fit takes about 60 ms, a quarter of a run
    answered by the resident server."""
    key = _fitter() + json.dumps([[c.survival, c.given_size, c.start] for c in cohorts]).encode()
    stored = recall(key)
    with contextlib.suppress(KeyError, TypeError, ValueError):
        if stored is not None:
            return selection_from_plain(stored)
    selection = select_model(list(cohorts))
    keep(key, selection_to_plain(selection))
    return selection


@functools.cache
def _fitter() -> bytes:
    """What a fit depends on besides the cohorts: the fitting code and numpy's and scipy's
    versions."""
    import scipy

    source = Path(retention.__file__).read_bytes()
    return b"cohort fit\0" + source + f"\0{np.__version__}\0{scipy.__version__}\0".encode()


def undefined_ratios(subject: Subject) -> list[tuple[str, str]]:
    """(the numerator's path, why) for each ratio whose two parts are both exactly 0: 0/0 has
    no value to score, while x/0 is a ratio stretched without bound (inf) and scores as such."""
    space = space_of(subject, list(kind_of(subject).derived))
    out: list[tuple[str, str]] = []
    for ratio in kind_of(subject).derived:
        if ratio.operator == "/" and ratio.path in space and all(
                _always_zero(space.inputs[need]) for need in ratio.needs):
            numerator, denominator = ratio.needs
            out.append((numerator, f"this and {denominator} are both 0, so their ratio "
                        f"{ratio.path} (0/0) has no value: give a non-zero figure or leave "
                        "both out"))
    return out


def _always_zero(inp: Input) -> bool:
    if inp.distribution is None:
        return False
    ends = inp.draw(np.array([EDGE, 1.0 - EDGE]))
    return bool(np.all(ends == 0.0))


def input_space(subject: Subject) -> InputSpace:
    """The subject's inputs, with the derived and fitted ones its scorecards use."""
    kind = kind_of(subject)
    space = space_of(subject, list(kind.derived))
    if isinstance(subject, Company):
        _add_company_inputs(subject, space)
    return space


def _add_company_inputs(company: Company, space: InputSpace) -> None:
    fitted = cohort_fit(company.engagement)
    if fitted is not None and not fitted.not_assessed:
        fit = fitted.selection.chosen
        survival, interval = fitted.at_horizon
        # a degenerate curve (all gone, or none) has no interval: its limit, without spread
        shape: Point | Normal = Point(value=survival) if interval is None else Normal(
            mean=survival, sd=max(interval[1] - interval[0], 1e-9) / (2 * Z90))
        note = f"fitted to the cohorts ({fit.model})"
        if fitted.extrapolated:
            note += f", extrapolated from {fit.periods_observed} observed months"
        space.inputs[RETENTION_6] = Input(RETENTION_6, "number",
                                           distribution=shape.within(0.0, 1.0),  # type: ignore[arg-type]
                                           note=note)
    flywheel = company.moat.data_flywheel
    if flywheel is not None:
        named = flywheel.business_metric is not None and flywheel.business_metric.strip() != ""
        moves = flywheel.moves_metric if flywheel.moves_metric is not None else 1.0
        space.inputs["moat.data_flywheel.moves_metric"] = Input(
            "moat.data_flywheel.moves_metric", "evidence", probability=moves if named else 0.0)
