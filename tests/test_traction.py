"""Traction (scorecards/traction.yaml): ARR for the company's stage and growth for its ARR,
against T2D3, the SaaS funding napkins and Bessemer's State of AI 2025 profiles.

The laws: more ARR or more growth never lowers the score; a later stage never reads the same
ARR higher; a company on the T2D3 path reads well and one at a quarter of it poorly; the AI-era
profiles read as breakout; revenue that leaks is capped; a stage that is missing or unknown
leaves ARR unjudged by stage but still scores growth; every rule carries a prior and a source.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import thesis
from tests.conftest import EXAMPLES
from thesis.engine.compile import Compiled, prior_input
from thesis.models.company import Company
from thesis.models.scorecard import Curve, Scorecard
from thesis.subjects import (
    COMPANY,
    NOT_STATED,
    STAGES,
    compile_for,
    context,
    input_space,
    stage_of,
    t2d3_multiple,
)

GROWTH = "revenue.growth_vs_t2d3"
ARR_FACTORS = {"seed": "arr_seed", "series_a": "arr_series_a", "series_b": "arr_series_b",
               "growth": "arr_growth_stage"}
STAGE_ORDER = ["seed", "series A", "series B", "growth"]
HEALTHY_GRR = 0.9
"""Gross revenue retention that passes the card's gate, so tests of ARR and growth see them."""


@functools.cache
def card() -> Scorecard:
    return thesis.load_scorecard("traction")


def company(stage: str | None, arr: float | None = None, growth: float | None = None,
            grr: float | None = HEALTHY_GRR) -> Company:
    revenue: dict[str, Any] = {}
    for key, value in (("arr_usd", arr), ("growth_yoy", growth),
                       ("gross_revenue_retention", grr)):
        if value is not None:
            revenue[key] = value
    return Company.model_validate({"name": "T", "layer": "application", "stage": stage,
                                   "revenue": revenue})


def base(subject: Company) -> tuple[Compiled, float, dict[str, float]]:
    """The card bound to the company, its base-case score and factor scores."""
    compiled = compile_for(subject, card())
    evaluation = compiled(compiled.base_case())
    return compiled, float(evaluation.composite[0]), {
        path: float(v[0]) for path, v in evaluation.factors.items()}


def score(stage: str | None, arr: float | None = None, growth: float | None = None,
          grr: float | None = HEALTHY_GRR) -> float:
    return base(company(stage, arr, growth, grr))[1]


# --- the rules carry their sources and priors --------------------------------------------------

def test_every_criterion_and_gate_has_a_prior_and_a_source() -> None:
    kinds = COMPANY.catalogue()
    items = [*card().gates] + [item for _, f in card().walk() for item in (*f.criteria, *f.gates)]
    assert len(items) == 6
    for item in items:
        assert len(item.source.strip()) > 20, item.id
        assert item.prior is not None, f"{item.id} has no prior"
        assert len(item.prior.source.strip()) > 20, item.id
        # the prior reads as the input itself would be given, and draws finite values
        drawn = prior_input(item.input, kinds[item.input], item.prior).draw(
            np.linspace(0.01, 0.99, 9))
        assert np.all(np.isfinite(drawn)), item.id
    for _, factor in card().walk():
        assert factor.source.strip()
    assert card().minimum_coverage is not None
    assert "assumption" in card().minimum_coverage.source


def test_each_prior_sits_inside_its_own_benchmark() -> None:
    """A prior centred on its cited range: its median scores between the curve's ends."""
    kinds = COMPANY.catalogue()
    for _, factor in card().walk():
        for crit in factor.criteria:
            assert isinstance(crit.rule, Curve) and crit.prior is not None
            median = prior_input(crit.input, kinds[crit.input], crit.prior).quantile(0.5)
            xs = [x for x, _ in crit.rule.points]
            assert xs[0] < median < xs[-1], (factor.id, median)


def test_the_card_validates_and_scores_the_casebook_from_the_command_line() -> None:
    from typer.testing import CliRunner

    from thesis.cli import app

    result = CliRunner().invoke(app, ["score", str(EXAMPLES / "companies" / "casebook.yaml"),
                                      "--scorecard", "traction", "--samples", "0"],
                                env={"NO_COLOR": "1", "COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "ARR for a Series A company" in result.stdout
    assert "Growth for the ARR level" in result.stdout
    assert "revenue.arr_usd" not in result.stdout.split("Given, not scored")[-1]


# --- the stage ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "stage"), [
    ("seed", "seed"), ("Seed", "seed"), ("series A", "series_a"), ("Series-A", "series_a"),
    ("  SERIES   B ", "series_b"), ("growth", "growth"), ("Series C", "growth"),
    ("series D+", "growth"), ("late stage", "growth"), ("Pre-seed", "pre_seed"),
    ("preseed", "pre_seed"), ("stealth", NOT_STATED), ("series", NOT_STATED), ("", NOT_STATED),
    (None, NOT_STATED)])
def test_a_free_text_stage_is_normalised(text: str | None, stage: str) -> None:
    assert stage_of(text) == stage
    assert context(company(text))["stage"] == stage


def test_every_example_states_a_stage_the_card_knows() -> None:
    for path in sorted((EXAMPLES / "companies").glob("*.yaml")):
        stage = context(thesis.load_company(path))["stage"]
        assert stage in ARR_FACTORS, (path.name, stage)


def test_one_arr_factor_per_benchmarked_stage_and_none_otherwise() -> None:
    for stage in [*STAGES, NOT_STATED]:
        applying = [f.id for f in card().factors if f.applies_to and f.applies({"stage": stage})]
        assert applying == ([ARR_FACTORS[stage]] if stage in ARR_FACTORS else []), stage


@pytest.mark.parametrize("stage", [None, "stealth", "pre-seed"])
def test_without_a_benchmarked_stage_growth_alone_is_scored(stage: str | None) -> None:
    compiled, value, factors = base(company(stage, arr=6.0e6, growth=2.0))
    assert set(factors) == {"growth_for_arr"}
    assert all(compiled.not_assessed[f] == "not_applicable" for f in ARR_FACTORS.values())
    assert value == pytest.approx(factors["growth_for_arr"])
    assert value == pytest.approx(75.0)  # on the T2D3 path: x3 at US$6M


@given(arr=st.floats(4.0, 10.0), growth=st.floats(-0.9, 10.0))
def test_a_later_stage_never_reads_the_same_arr_higher(arr: float, growth: float) -> None:
    arr_factor = [base(company(s, 10**arr, growth))[2][ARR_FACTORS[stage_of(s)]]
                  for s in STAGE_ORDER]
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(arr_factor))
    totals = [score(s, 10**arr, growth) for s in STAGE_ORDER]
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(totals))


def test_the_same_arr_reads_strong_at_seed_and_weak_at_growth_stage() -> None:
    seed = base(company("seed", 3.0e6, 2.0))[2]["arr_seed"]
    late = base(company("growth", 3.0e6, 2.0))[2]["arr_growth_stage"]
    assert seed >= 85
    assert late <= 15
    assert score("seed", 3.0e6, 2.0) - score("growth", 3.0e6, 2.0) >= 30


# --- T2D3 and the AI-era profiles --------------------------------------------------------------

@given(low=st.floats(0.0, 12.0), high=st.floats(0.0, 12.0))
def test_t2d3_asks_three_then_two_and_never_more_as_arr_grows(low: float, high: float) -> None:
    low, high = sorted((10**low, 10**high))
    asked = t2d3_multiple(np.array([low, high]))
    assert asked[0] >= asked[1]
    assert np.all((asked >= 2.0) & (asked <= 3.0))


@pytest.mark.parametrize(("arr", "multiple"), [
    (2.0e6, 3.0), (6.0e6, 3.0), (18.0e6, 3.0), (36.0e6, 2.0), (72.0e6, 2.0), (144.0e6, 2.0),
    (1.0e9, 2.0)])
def test_t2d3_multiple_at_each_point_of_the_path(arr: float, multiple: float) -> None:
    """Battery Ventures' path: 2 -> 6 -> 18 (triples), -> 36 -> 72 -> 144 (doubles)."""
    assert t2d3_multiple(np.array([arr]))[0] == pytest.approx(multiple)


def test_growth_against_t2d3_is_derived_from_the_given_growth_and_arr() -> None:
    space = input_space(company("series A", {"low": 5.0e6, "high": 7.0e6}, 2.0))
    assert GROWTH in space
    columns = {"revenue.growth_yoy": np.array([2.0, 1.0, 0.5]),
               "revenue.arr_usd": np.array([6.0e6, 72.0e6, 6.0e6])}
    np.testing.assert_allclose(space.column(GROWTH, columns), [1.0, 1.0, 0.5])
    assert GROWTH not in input_space(company("series A", arr=6.0e6))


# the T2D3 path: (stage, ARR at the end of the year, growth in that year)
ON_THE_PATH = [("series A", 6.0e6, 2.0), ("series B", 18.0e6, 2.0), ("growth", 72.0e6, 1.0)]


@pytest.mark.parametrize(("stage", "arr", "growth"), ON_THE_PATH)
def test_on_the_t2d3_path_scores_well_and_at_a_quarter_of_it_poorly(
        stage: str, arr: float, growth: float) -> None:
    on_path = thesis.score(company(stage, arr, growth), card(), samples=0)
    quarter = thesis.score(company(stage, arr / 4, growth / 4), card(), samples=0)
    assert on_path.score >= 65
    assert on_path.verdict in {"on track", "breakout"}
    assert quarter.score < 35
    assert quarter.verdict == "little traction"


def test_the_state_of_ai_2025_profiles_read_as_breakout() -> None:
    """Shooting Star in year two (~US$3M quadrupled); Supernova in year two (~US$40M to
    ~US$125M), at the stages such companies raise."""
    shooting_star = thesis.score(company("series B", 12.0e6, 3.0), card(), samples=0)
    supernova = thesis.score(company("growth", 125.0e6, 125 / 40 - 1), card(), samples=0)
    assert shooting_star.verdict == "breakout"
    assert supernova.verdict == "breakout"
    assert supernova.score > shooting_star.score


# --- monotone in ARR and growth ----------------------------------------------------------------

stages = st.sampled_from([*STAGE_ORDER, None])
log_arr = st.floats(4.0, 10.0)
growths = st.floats(-0.9, 10.0)


@given(stage=stages, a=log_arr, b=log_arr, growth=growths)
def test_more_arr_never_lowers_the_score(stage: str | None, a: float, b: float,
                                         growth: float) -> None:
    low, high = sorted((10**a, 10**b))
    assert score(stage, low, growth) <= score(stage, high, growth) + 1e-9


@given(stage=stages, arr=log_arr, a=growths, b=growths)
def test_more_growth_never_lowers_the_score(stage: str | None, arr: float, a: float,
                                            b: float) -> None:
    low, high = sorted((a, b))
    assert score(stage, 10**arr, low) <= score(stage, 10**arr, high) + 1e-9


@given(stage=stages, arr=log_arr, growth=growths, a=st.floats(0, 1), b=st.floats(0, 1))
def test_more_revenue_retained_never_lowers_the_score(stage: str | None, arr: float,
                                                      growth: float, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert score(stage, 10**arr, growth, low) <= score(stage, 10**arr, growth, high) + 1e-9


# --- the gate, priors and coverage -------------------------------------------------------------

def test_revenue_that_leaks_is_capped_whatever_its_growth() -> None:
    leaky = score("growth", 125.0e6, 2.1, grr=0.5)
    assert leaky == pytest.approx(40.0)  # the gate's cap: the floor of 'behind'
    assert score("growth", 125.0e6, 2.1, grr=HEALTHY_GRR) > 85
    assert score("seed", 5.0e4, 0.1, grr=0.5) < 40  # below the cap the gate changes nothing
    assert score("seed", 5.0e4, 0.1, grr=0.5) == pytest.approx(score("seed", 5.0e4, 0.1))


def test_what_is_not_given_is_drawn_from_its_prior() -> None:
    compiled, _, factors = base(company("series A", arr=6.0e6, grr=None))
    assert set(compiled.priors) == {GROWTH, "revenue.gross_revenue_retention"}
    assert set(factors) == {"arr_series_a", "growth_for_arr"}
    nothing, _, _ = base(company("series A", grr=None))
    assert set(nothing.priors) == {"revenue.arr_usd", GROWTH, "revenue.gross_revenue_retention"}
    # the prior widens the answer: a Monte Carlo over it spreads, a stated figure does not
    unknown = thesis.score(company("series A", arr=6.0e6), card(), samples=256)
    known = thesis.score(company("series A", arr=6.0e6, growth=2.0), card(), samples=256)
    assert unknown.uncertainty is not None and known.uncertainty is not None
    spread = unknown.uncertainty.distribution
    assert spread.p90 - spread.p10 > 10
    assert known.uncertainty.distribution.p90 == pytest.approx(known.uncertainty.distribution.p10)


def test_arr_without_growth_is_insufficient_evidence() -> None:
    minimum = card().minimum_coverage
    assert minimum is not None
    without = thesis.score(company("series A", arr=6.0e6), card(), samples=0)
    with_growth = thesis.score(company("series A", arr=6.0e6, growth=2.0), card(), samples=0)
    assert without.coverage.weight == pytest.approx(0.4)  # ARR's two fifths
    assert without.coverage.weight < minimum.weight <= with_growth.coverage.weight
    assert with_growth.verdict != "insufficient evidence"
    assert without.verdict == "insufficient evidence"


def test_the_examples_read_as_their_stories() -> None:
    """The strong application companies are at least on track; GlowUp's launch-month ARR and
    growth are capped by its leaking revenue (seed 000's vibe revenue)."""
    def of(name: str) -> thesis.Result:
        return thesis.score(thesis.load_company(EXAMPLES / "companies" / f"{name}.yaml"),
                            card(), samples=0)

    for name in ["casebook", "ledgerline", "tensorforge", "chorus"]:
        assert of(name).verdict in {"on track", "breakout"}, name
    glowup = of("glowup")
    assert glowup.score <= 40 + 1e-9
    assert glowup.verdict == "behind"
