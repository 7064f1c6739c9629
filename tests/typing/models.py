"""Pins the static types of model fields: run by tests/test_typing.py as `mypy --strict`.

A field declared with `Annotated` input metadata keeps its real type, so code reading a company
or a market is type-checked (as structlog's tests/typing does for its API).
"""

from __future__ import annotations

from typing import assert_type

from thesis.engine.space import InputSpace, catalogue, space_of
from thesis.models.company import Company
from thesis.models.distributions import Categorical, Distribution, InputKind
from thesis.models.market import Market

company = Company.model_validate({"name": "Acme", "layer": "application"})
market = Market.model_validate({"name": "AI", "as_of": "2025-10-01"})

assert_type(company.revenue.growth_yoy, Distribution | None)
assert_type(company.revenue.arr_usd, Distribution | None)
assert_type(company.revenue.gross_margin.now, Distribution | None)
assert_type(company.moat.diffusion, Distribution | None)
assert_type(company.moat.affordance, Categorical | None)
assert_type(company.moat.end_to_end_solution, float | None)
assert_type(market.leverage.institutional, Categorical | None)
assert_type(market.leverage.retail_margin_debt_to_gdp, Distribution | None)
assert_type(market.speculation.smart_money_selling, float | None)

if company.revenue.growth_yoy is not None:
    assert_type(company.revenue.growth_yoy.median(), float)
if company.moat.affordance is not None:
    assert_type(company.moat.affordance.base_case, str)

assert_type(catalogue(Company), dict[str, InputKind])
assert_type(space_of(market), InputSpace)
