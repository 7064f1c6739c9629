"""The company scorecards read the archetypes the way the seeds do, at the base case.

- Vibe revenue caps the thesis (seed 000, "vibe revenue will kill you"): a strong moat cannot
  carry a company whose revenue reads as vibe revenue to "promising" or better.
- Casado's traditional moats are alternatives (seed 002): a brand leader alone has one.
- A company that does not say who buys is judged against the general retention benchmark,
  not dropped from retention.
- Every criterion and gate has a prior, so an unknown input widens the answer instead of
  leaving the score; too little given reads "insufficient evidence".
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import thesis
from tests.conftest import EXAMPLES
from thesis.errors import PlausibilityWarning
from thesis.models.scorecard import FACTOR_PREFIX, Scorecard

PROMISING = 60.0  # thesis.yaml: the promising band's min, read back below
CARDS = ("thesis", "moat", "revenue")
EXAMPLE_FILES = sorted((EXAMPLES / "companies").glob("*.yaml"))

STRONG_MOAT: dict[str, Any] = {
    "close_to_customer": True, "affordance": "high", "diffusion": 0.7,
    "ai_native_organisation": True, "end_to_end_solution": True,
    "speaks_industry_language": True, "domain_experts_in_go_to_market": True,
    "wraps_customer_workflow": True, "customer_trust": True,
    "data_flywheel": {"own_usage_data": True, "unique_dataset": True,
                      "business_metric": "claims closed per adjuster-hour"},
    "long_tail_domain_understanding": True, "category_leader": True, "distribution": "owned",
}
BIG_POOL = {"employees": 1.5e6, "median_wage_usd": 100_000, "automatable_share": 0.4}
PRODUCTION_LINE = {"repeatable": True, "maintainable": True, "billable": True,
                   "proven_in_production": True}
VANISHING = [1.0, 0.4, 0.15, 0.06, 0.02, 0.01, 0.005, 0.002]  # cohorts decaying to ~0
HOLDING = [1.0, 0.85, 0.8, 0.78, 0.77, 0.765, 0.76, 0.758]  # a durable core near 76%


def company(**fields: Any) -> thesis.Company:
    data: dict[str, Any] = {"name": "Calibration case", "layer": "application"}
    data.update(fields)
    return thesis.Company.model_validate(data)


def cohorts(active: list[float]) -> dict[str, Any]:
    return {"cohorts": [{"start": "2025-01", "active": active, "size": 5000},
                        {"start": "2025-02", "active": active[:6], "size": 5000}]}


def strong_company(revenue: dict[str, Any], active: list[float]) -> thesis.Company:
    return company(segment="smb_saas", revenue=revenue, engagement=cohorts(active),
                   moat=STRONG_MOAT, market_pool=BIG_POOL, workflow=PRODUCTION_LINE)


def card(name: str) -> Scorecard:
    return thesis.load_scorecard(name)


def uncapped(result: thesis.Result) -> float:
    """The weighted mean of the thesis factors, before the card's gates."""
    scored = [f for f in result.factors if f.score is not None]
    return sum(f.weight * f.score for f in scored if f.score is not None) / sum(
        f.weight for f in scored)


def test_the_promising_band_starts_where_the_tests_assume() -> None:
    bands = {v.label: v.min for v in card("thesis").verdicts}
    assert bands["promising"] == PROMISING


def test_vibe_revenue_cannot_read_promising_however_strong_the_moat() -> None:
    vibe = strong_company({"pilot_share": 0.7, "net_revenue_retention": 0.85,
                           "gross_revenue_retention": 0.6}, VANISHING)
    result = thesis.score(vibe, samples=0)
    assert result.factor("revenue_quality").verdict == "vibe revenue"
    assert result.factor("moat").verdict == "durable moat"
    # without the card's gate the strong moat, pool and workflow would carry it past promising
    assert uncapped(result) >= PROMISING
    assert result.score < PROMISING
    assert result.verdict not in {"promising", "strong conviction"}
    [gate] = [g for g in result.gates if g.input == FACTOR_PREFIX + "revenue_quality"]
    assert gate.holds == 0.0


def test_the_same_company_with_real_revenue_is_not_capped() -> None:
    real = strong_company({"pilot_share": 0.05, "net_revenue_retention": 1.2,
                           "gross_revenue_retention": 0.92}, HOLDING)
    result = thesis.score(real, samples=0)
    assert result.factor("revenue_quality").verdict == "real revenue"
    assert result.score == pytest.approx(uncapped(result))
    assert result.verdict in {"promising", "strong conviction"}


def test_a_brand_leader_alone_has_a_traditional_moat() -> None:
    # Casado: a marketplace, brand, the long tail, or own models - any one is enough
    alone = {"category_leader": True, "two_sided_marketplace": False,
             "own_models_where_frontier_is_weak": False, "long_tail_domain_understanding": False}
    leader = thesis.score(company(moat=alone), samples=0).factor("moat.traditional_moats")
    follower = thesis.score(company(moat={**alone, "category_leader": False}), samples=0
                            ).factor("moat.traditional_moats")
    assert leader.combine == "any"
    assert leader.score == pytest.approx(100.0)
    assert follower.score is not None and follower.score < 1.0


def test_cohorts_without_a_segment_are_scored_against_the_general_benchmark() -> None:
    curve = [1.0, 0.6, 0.48, 0.42, 0.39, 0.37, 0.36, 0.355]  # ~36% at month 6
    unstated = thesis.score(company(engagement=cohorts(curve)), "revenue", samples=0)
    general = unstated.factor("retention_general")
    assert general.status == "scored"
    [criterion] = general.criteria
    assert criterion.status == "scored"  # from the fitted cohorts, not from a prior
    for segment in ("consumer_social", "smb_saas", "enterprise_saas"):
        assert unstated.factor(f"retention_{segment}").status == "not_applicable"
    # the general curve lies between the segments' curves: stricter than consumer social's,
    # kinder than enterprise SaaS's
    by_segment = {
        segment: thesis.score(company(segment=segment, engagement=cohorts(curve)), "revenue",
                              samples=0).factor(f"retention_{segment}").score
        for segment in ("consumer_social", "enterprise_saas")}
    assert general.score is not None
    assert by_segment["enterprise_saas"] < general.score < by_segment["consumer_social"]


def test_a_company_without_cohorts_or_segment_still_has_retention_from_its_prior() -> None:
    result = thesis.score(company(revenue={"net_revenue_retention": 1.1}), "revenue", samples=0)
    [criterion] = result.factor("retention_general").criteria
    assert criterion.status == "prior"
    assert criterion.score is not None and 0 < criterion.score < 100


def test_a_one_line_company_is_insufficient_evidence() -> None:
    one_line = company(workflow={"repeatable": True})
    result = thesis.score(one_line, samples=0)
    minimum = card("thesis").minimum_coverage
    assert minimum is not None and result.coverage.weight < minimum.weight
    assert result.verdict == "insufficient evidence"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", CARDS)
def test_every_shipped_example_gives_enough_for_a_verdict(path, name: str) -> None:
    result = thesis.score(thesis.load_company(path), name, samples=0)
    minimum = card(name).minimum_coverage
    assert minimum is not None
    assert result.coverage.weight >= minimum.weight
    assert result.verdict != "insufficient evidence"


@pytest.mark.parametrize("name", CARDS)
def test_every_criterion_and_gate_has_a_prior(name: str) -> None:
    missing = []
    for path, factor in card(name).walk():
        missing += [f"{path}.{c.id}" for c in factor.criteria if c.prior is None]
        missing += [f"{path}.{g.id}" for g in factor.gates if g.prior is None]
    # a gate on the whole card reads a factor's score, which is always computed
    missing += [g.id for g in card(name).gates
                if g.prior is None and not g.input.startswith(FACTOR_PREFIX)]
    assert missing == []


@pytest.mark.parametrize("layer", ["application", "model", "infrastructure", "hardware"])
@pytest.mark.parametrize("segment", [None, "consumer_social", "consumer_transactional",
                                     "consumer_subscription", "smb_saas", "enterprise_saas"])
def test_every_prior_is_a_valid_input_of_its_kind(layer: str, segment: str | None) -> None:
    # a company that gives one thing draws everything else from the priors: each must read
    # as its input would be given, for every layer and segment's factors
    blank = company(layer=layer, segment=segment, workflow={"repeatable": True})
    result = thesis.score(blank, samples=64)
    priors = [c for f in result.walk() for c in f.criteria if c.status == "prior"]
    assert len(priors) >= 20
    assert 0 <= result.score <= 100
    assert result.verdict == "insufficient evidence"


def test_a_growth_percentage_where_a_fraction_is_expected_is_warned(write) -> None:
    path = write("name: X\nlayer: application\nrevenue:\n  growth_yoy: 250\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thesis.load_company(path)
    found = [str(w.message) for w in caught if issubclass(w.category, PlausibilityWarning)]
    assert len(found) == 1
    assert "growth" in found[0]
    fine = write("name: X\nlayer: application\nrevenue:\n  growth_yoy: 2.5\n"
                 "  net_revenue_retention: 1.2\n", "fine.yaml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thesis.load_company(fine)
    assert not [w for w in caught if issubclass(w.category, PlausibilityWarning)]


def test_an_implausible_net_revenue_retention_is_warned(write) -> None:
    path = write("name: X\nlayer: application\nrevenue:\n  net_revenue_retention: 3.0\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thesis.load_company(path)
    assert [w for w in caught if issubclass(w.category, PlausibilityWarning)]
