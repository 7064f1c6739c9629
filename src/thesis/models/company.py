"""The company a thesis is about: what an analyst knows of it, every number possibly uncertain.

Field names are the vocabulary scorecards refer to (`moat.data_flywheel.unique_dataset`).
Every block is optional: a criterion whose input is missing is reported "not assessed" and
left out of its factor, never silently scored as zero.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import Field, field_validator

from thesis.models.base import UserModel
from thesis.models.distributions import (
    Categorical,
    Choices,
    Distribution,
    Domain,
    Evidence,
    Positive,
    Rate,
)

Affordance = Annotated[Categorical, Choices("low", "medium", "high")]
Reach = Annotated[Categorical, Choices("none", "borrowed", "owned")]
Growth = Annotated[Distribution, Domain(-1.0, plausible=(-0.9, 10.0))]
Margin = Annotated[Distribution, Domain(-1.0, 1.0)]
Retention = Annotated[Distribution, Domain(0.0, 5.0)]
Pricing = Annotated[Categorical, Choices("seat", "usage", "outcome")]
Budget = Annotated[Categorical, Choices("labour", "software", "new_spend")]


class DataFlywheel(UserModel):
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


class Moat(UserModel):
    """Moat evidence: MAD (seed 003), the five strategies (seed 000), Casado's moats (seed 002)."""

    close_to_customer: Evidence | None = Field(
        default=None, description="works backwards from the customer (MAD, seed 003)")
    affordance: Affordance | None = Field(
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
    distribution: Reach | None = Field(
        default=None, description="who owns the route to users (seed 004)")


class MarketPool(UserModel):
    """Seed 001: size the pool first, employees x median wage of the jobs addressed."""

    employees: Positive | None = None
    median_wage_usd: Positive | None = None
    automatable_share: Rate | None = None


class Workflow(UserModel):
    """Seed 001: specialisation into repeatable, maintainable, billable production lines."""

    repeatable: Evidence | None = None
    maintainable: Evidence | None = None
    billable: Evidence | None = None
    proven_in_production: Evidence | None = None


class GrossMargin(UserModel):
    """Seed 000: the trajectory of gross margin matters, not today's level."""

    now: Margin | None = None
    in_24_months: Margin | None = None


class Revenue(UserModel):
    """Is the revenue real (seed 000's "vibe revenue" test), and how good is it?"""

    arr_usd: Positive | None = None
    growth_yoy: Growth | None = Field(
        default=None, description="revenue growth over the last year, a fraction per year "
        "(1.0 = +100%, doubling)")
    net_revenue_retention: Retention | None = Field(
        default=None, description="this year's revenue from last year's customers / last year's")
    gross_revenue_retention: Rate | None = Field(
        default=None, description="as net revenue retention, without expansion: at most 1")
    pilot_share: Rate | None = Field(
        default=None, description="share of revenue in paid pilots or experimental budgets")
    organic_growth_share: Rate | None = Field(
        default=None, description="share of new revenue that came without paid acquisition")
    gross_margin: GrossMargin = GrossMargin()
    pricing_model: Pricing | None = Field(
        default=None, description="what a customer pays for: seats, usage, or outcomes")
    replaces: Budget | None = Field(
        default=None, description="whose budget it comes from: labour, software, or new spend")


class CohortCurve(UserModel):
    """Share of one starting cohort still active, month by month from month 0."""

    start: str = Field(min_length=1, description="when the cohort started, e.g. 2025-01")
    active: list[float] = Field(description="shares (1.0, 0.82, ...) or percentages (100, 82)")
    size: int | None = Field(default=None, gt=0, description="users in the cohort, if known")

    @field_validator("active")
    @classmethod
    def _a_survival_curve(cls, active: list[float]) -> list[float]:
        if len(active) < 2:
            raise ValueError("needs at least months 0 and 1")
        scale = 100.0 if max(active) > 1 else 1.0
        if active[0] == 1.0 and scale == 100.0:
            month, value = next((i, v) for i, v in enumerate(active) if v > 1)
            raise ValueError(f"{value:g} at month {month} is above 1: give shares in [0, 1] "
                             "or percentages starting at 100")
        if active[0] != scale:
            raise ValueError(f"starts with the whole cohort: {scale:g}, not {active[0]:g}")
        for i, (before, after) in enumerate(itertools.pairwise(active)):
            if after > before:
                raise ValueError(f"rises from {before:g} to {after:g} at month {i + 1}: a "
                                 "survival curve never rises")
        if min(active) < 0 or max(active) > 100:
            raise ValueError("shares lie in [0, 1], percentages in [0, 100]")
        return active


class Engagement(UserModel):
    """What people actually do with the product (seed 000): engagement and retention."""

    dau_mau: Rate | None = None
    wau_mau: Rate | None = None
    cohorts: list[CohortCurve] = Field(default_factory=list)


RETENTION_6 = "engagement.retention_month_6"

Layer = Literal["application", "model", "infrastructure", "hardware"]
Segment = Literal["consumer_social", "consumer_transactional", "consumer_subscription",
                  "smb_saas", "enterprise_saas"]


class Company(UserModel):
    """A company as its analyst sees it."""

    name: str = Field(min_length=1)
    layer: Layer
    segment: Segment | None = Field(
        default=None, description="who buys, for retention benchmarks by segment (Rachitsky "
        "and Winters 2020)")
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
