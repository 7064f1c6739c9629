"""The company a thesis is about: what an analyst knows of it, every number possibly uncertain.

Field names are the vocabulary scorecards refer to (`moat.data_flywheel.unique_dataset`).
Every block is optional: a criterion whose input is missing is reported "not assessed" and
left out of its factor, never silently scored as zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from thesis.inputs import Derived, Input, InputSpace, space_of
from thesis.uncertain import Array, Evidence, Positive, Rate, Uncertain, categorical

Affordance = categorical(("low", "medium", "high"))
Reach = categorical(("none", "borrowed", "owned"))
Growth = Uncertain(-1.0)


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class DataFlywheel(_Block):
    """Seed 000's test: own usage data, a unique dataset, and a business metric it moves."""

    own_usage_data: Evidence | None = None
    unique_dataset: Evidence | None = None
    business_metric: str | None = Field(
        default=None, description="the business metric the flywheel moves, named; omit if none"
    )
    moves_metric: Evidence | None = Field(
        default=None,
        description="probability that the flywheel measurably moves that metric "
        "(default: yes when a metric is named)",
    )


class Moat(_Block):
    """Moat evidence: MAD (seed 003), the five strategies (seed 000), Casado's moats (seed 002)."""

    close_to_customer: Evidence | None = Field(
        default=None, description="works backwards from the customer (MAD, seed 003)")
    affordance: Affordance | None = Field(  # type: ignore[valid-type]
        default=None, description="how intuitive the product is to pick up (MAD, seed 003)")
    diffusion: Rate | None = Field(
        default=None,
        description="share of eligible users inside customer accounts who use it (MAD, seed 003)")
    ai_native_organisation: Evidence | None = None
    end_to_end_solution: Evidence | None = None
    data_flywheel: DataFlywheel | None = None
    speaks_industry_language: Evidence | None = None
    domain_experts_in_go_to_market: Evidence | None = None
    wraps_customer_workflow: Evidence | None = None
    customer_trust: Evidence | None = None
    long_tail_domain_understanding: Evidence | None = None
    two_sided_marketplace: Evidence | None = None
    category_leader: Evidence | None = None
    own_models_where_frontier_is_weak: Evidence | None = None
    infrastructure_design_tradeoffs: Evidence | None = None
    category_subsidised_by_giants: Evidence | None = None
    distribution: Reach | None = Field(  # type: ignore[valid-type]
        default=None, description="who owns the route to users (seed 004)")


class MarketPool(_Block):
    """Seed 001: size the pool first, employees x median wage of the jobs addressed."""

    employees: Positive | None = None
    median_wage_usd: Positive | None = None
    automatable_share: Rate | None = None


class Workflow(_Block):
    """Seed 001: specialisation into repeatable, maintainable, billable production lines."""

    repeatable: Evidence | None = None
    maintainable: Evidence | None = None
    billable: Evidence | None = None
    proven_in_production: Evidence | None = None


class Revenue(_Block):
    arr_usd: Positive | None = None
    growth_yoy: Growth | None = None  # type: ignore[valid-type]


class Engagement(_Block):
    dau_mau: Rate | None = None


Layer = Literal["application", "model", "infrastructure", "hardware"]


class Company(_Block):
    """A company as its analyst sees it."""

    name: str = Field(min_length=1)
    layer: Layer
    vertical: str | None = None
    stage: str | None = None
    description: str | None = None
    market: str | None = Field(
        default=None, description="path to a market file, relative to this file")
    revenue: Revenue = Revenue()
    engagement: Engagement = Engagement()
    moat: Moat = Moat()
    market_pool: MarketPool = MarketPool()
    workflow: Workflow = Workflow()


def _product(*columns: Array) -> Array:
    out = columns[0]
    for column in columns[1:]:
        out = out * column
    return out


DERIVED = [
    Derived("market_pool.labour_pool_usd", "number",
            ("market_pool.employees", "market_pool.median_wage_usd"), _product,
            "employees x median wage (seed 001)"),
    Derived("market_pool.addressable_usd", "number",
            ("market_pool.employees", "market_pool.median_wage_usd",
             "market_pool.automatable_share"), _product,
            "employees x median wage x automatable share"),
]


def input_space(company: Company) -> InputSpace:
    """The company's inputs, with the derived ones its scorecards use."""
    space = space_of(company, DERIVED)
    flywheel = company.moat.data_flywheel
    if flywheel is not None:
        named = flywheel.business_metric is not None and flywheel.business_metric.strip() != ""
        moves = flywheel.moves_metric if flywheel.moves_metric is not None else 1.0
        space.inputs["moat.data_flywheel.moves_metric"] = Input(
            "moat.data_flywheel.moves_metric", "evidence", probability=moves if named else 0.0)
    return space


def resolve_market_path(company: Company, company_file: str | Path) -> Path | None:
    if company.market is None:
        return None
    return (Path(company_file).parent / company.market).resolve()
