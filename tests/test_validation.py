"""Every problem in a company file is reported at once, located at file:line:column."""

from __future__ import annotations

import pytest

import thesis
from thesis.errors import InputError
from thesis.files.validate import validate
from thesis.files.yaml import parse
from thesis.models.base import UserModel
from thesis.models.distributions import Rate

GOOD = """\
name: Acme
layer: application
moat:
  end_to_end_solution: true
"""


def problems(write, text: str) -> list[str]:
    path = write(text)
    with pytest.raises(InputError) as info:
        thesis.load_company(path)
    return [str(p).replace(str(path), "F") for p in info.value.problems]


def test_a_good_file_loads(write) -> None:
    company = thesis.load_company(write(GOOD))
    assert company.name == "Acme"
    assert company.moat.end_to_end_solution == 1.0


def test_all_problems_at_once_with_positions(write) -> None:
    text = """\
name: Acme
layer: app
moat:
  end_to_endsolution: true
  diffusion: {low: 0.2, high: 3}
  affordance: great
revenue:
  arr_usd: {mean: 1.0e6, sd: -5}
"""
    assert problems(write, text) == [
        "F:2:1: layer: input should be 'application', 'model', 'infrastructure' or 'hardware'"
        " (got text)",
        "F:4:3: moat.end_to_endsolution: unknown field 'end_to_endsolution'; did you mean "
        "'end_to_end_solution'?",
        "F:5:3: moat.diffusion: must lie in [0, 1]",
        "F:6:3: moat.affordance: unknown choice 'great'; expected one of low, medium, high",
        "F:8:26: revenue.arr_usd.sd: input should be greater than or equal to 0",
    ]


def test_missing_required_fields_point_at_the_mapping(write) -> None:
    assert problems(write, "vertical: legal\n") == [
        "F:1:1: name: required field is missing",
        "F:1:1: layer: required field is missing",
    ]


def test_wrong_types(write) -> None:
    found = problems(write, "name: [a]\nlayer: model\nmoat: 3\nmarket_pool:\n  employees: lots\n")
    assert found[0] == "F:1:1: name: input should be a valid string (got a list)"
    assert "F:3:1: moat: input should be a valid dictionary or instance of Moat (got a number)" in (
        found)
    assert any(f.startswith("F:5:3: market_pool.employees: expected a number or a distribution")
               for f in found)


def test_top_level_must_be_a_mapping(write) -> None:
    assert problems(write, "- a\n- b\n") == [
        "F:1:1: expected a mapping of fields, got a list"]


def test_nested_unknown_field_suggestion(write) -> None:
    text = GOOD + "  data_flywheel:\n    own_usage: true\n"
    assert problems(write, text) == [
        "F:6:5: moat.data_flywheel.own_usage: unknown field 'own_usage'; did you mean "
        "'own_usage_data'?"]


class Shapes(UserModel):
    beta: Rate | None = None
    uniform: Rate | None = None


def test_fields_named_like_a_distribution_keep_their_path() -> None:
    text = "beta: {alpha: 2, beta: -1}\nuniform: {low: 0.5, hgh: 0.7}\n"
    with pytest.raises(InputError) as info:
        validate(Shapes, parse(text.encode(), "F"))
    assert [str(p) for p in info.value.problems] == [
        "F:1:18: beta.beta: input should be greater than 0",
        "F:2:1: uniform: expected a number or a distribution: {low, high} | {low, mode, high} "
        "| {mean, sd} | {p10, p90} | {alpha, beta} (got {hgh, low})",
    ]


ZERO_OVER_ZERO = """\
name: Zero
as_of: 2025-01-01
revenue:
  commitments_usd: 0
  annual_revenue_usd: 0
valuation:
  leaders_forward_pe: 30
  normal_pe: {low: 0, high: 0}
"""


def test_a_ratio_of_two_zeros_is_located_in_the_file(write) -> None:
    path = write(ZERO_OVER_ZERO, "market.yaml")
    with pytest.raises(InputError) as info:
        thesis.load_market(path)
    found = [str(p).replace(str(path), "F") for p in info.value.problems]
    assert found == [
        "F:4:3: revenue.commitments_usd: this and revenue.annual_revenue_usd are both 0, so "
        "their ratio revenue.commitments_to_revenue (0/0) has no value: give a non-zero figure "
        "or leave both out"]  # normal_pe 0 under a P/E of 30 is a ratio stretched without bound


def test_a_ratio_of_two_zeros_built_in_python_is_refused_too() -> None:
    market = thesis.Market.model_validate(
        {"name": "Z", "as_of": "2025-01-01",
         "revenue": {"commitments_usd": 0, "annual_revenue_usd": 0}})
    with pytest.raises(thesis.UserError, match=r"0/0"):
        thesis.score(market)


def test_a_score_that_is_not_a_number_has_no_verdict() -> None:
    card = thesis.load_scorecard("bubble")
    with pytest.raises(ValueError, match="not a number"):
        card.verdict(float("nan"))


def test_a_percentage_where_a_share_is_expected_gets_a_did_you_mean(write) -> None:
    found = problems(write, """\
name: P
layer: application
engagement:
  dau_mau: 35
  wau_mau: 1.5
revenue:
  net_revenue_retention: {low: 90, high: 110}
""")
    assert found == [
        "F:4:3: engagement.dau_mau: must lie in [0, 1]; did you mean 0.35 (a share, not a "
        "percentage)?",
        "F:5:3: engagement.wau_mau: must lie in [0, 1]",  # 1.5 is no percentage
        "F:7:3: revenue.net_revenue_retention: must lie in [0, 5]; did you mean 0.9 to 1.1 (a "
        "share, not a percentage)?"]
