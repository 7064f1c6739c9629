"""The company a thesis is about: what an analyst knows of it, every number possibly uncertain.

Field names are the vocabulary scorecards refer to (`moat.data_flywheel.unique_dataset`).
Every block is optional: an input the analyst does not give is drawn from the prior its
criterion declares (cited, or an assumption with its reason) and the report marks it "not given
(prior)"; the scorecard's coverage says how much of the score rests on given inputs.

One convention for units, stated in every field's description:

- shares and rates as fractions: 0.35, not 35 (a percentage where a share is expected is
  caught with "did you mean 0.35");
- growth as a fraction per year: 1.0 is +100% a year (doubling), 0 is flat, -0.5 halves;
- money in US dollars a year (ARR, wages, pools), plain numbers: 12.0e6;
- yes/no evidence as true, false or the probability that it is true.

A number may be given as a distribution (`{low, high}`, `{p10, p90}`, ...), in the same units.
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
"""Growth a year as a fraction (1.0 = +100%). At least -1 (all revenue gone). Plausible from -0.9
to 10 (+1,000%, 11x): Bessemer's "State of AI 2025" Supernovas went from ~US$40M ARR in their
first year to ~US$125M in the second (~+210%), and its Q2T3 path quadruples (+300%) twice; more
than 11x a year happens only from a tiny base, where a percentage (250 for +250%) is the likelier
slip."""
Margin = Annotated[Distribution, Domain(-1.0, 1.0)]
Retention = Annotated[Distribution, Domain(0.0, 5.0, plausible=(0.3, 2.5))]
"""Net revenue retention as a fraction (1.18 = 118%). Plausible from 0.3 to 2.5: SaaS Capital's
B2B SaaS retention surveys put medians near 1.0, and the highest public figures are below 1.8
(Snowflake reported 1.78 in early 2022); under 0.3 most of last year's revenue left."""
Money = Annotated[Distribution, Domain(0.0, plausible=(0.0, 1.0e11))]
"""US dollars a year. Plausible up to US$100B: the revenue OpenAI forecasts for 2027-28, the
largest AI revenue any of the sources names (seed 004)."""
Wage = Annotated[Distribution, Domain(0.0, plausible=(1.0e3, 5.0e5))]
"""A median annual wage in US dollars. Plausible from US$1,000 to US$500,000: the US Bureau of
Labor Statistics' Occupational Employment and Wage Statistics top-code annual wages near
US$240,000, so no occupation's median is far above it; under US$1,000 a year reads as an hourly
figure."""
LabourRatio = Annotated[Distribution, Domain(0.0, plausible=(0.1, 50.0))]
"""A ratio of what the labour a product replaces costs to what the product charges for the same
work. Plausible from 0.1 to 50 (assumption, no history bounds it): at 0.1 the product costs ten
times the people it replaces, which seed 004 says cannot be charged for at all ("就是因为人力很便宜
AI 很贵"); above 50 it would be priced at 2% of the work it does; 300 for "3x" (a percentage) is
the likelier slip."""
Generation = Annotated[Distribution, Domain(1.0, plausible=(1.0, 5.0))]
"""Which generation of its category a product is, counting from 1 (the first of its kind).
Plausible up to 5: seed 002's winners came in the third generation (Google in search, Facebook
in social networks, "谷歌是第三代搜索产品，Facebook 是第三代社交网络"); a fifth generation of an AI
category within a few years is already generous (assumption)."""
Commitments = Annotated[Distribution, Domain(0.0, plausible=(0.0, 100.0))]
"""Spending and debt commitments in years of revenue. Plausible up to 100: seed 004's extreme
case, OpenAI's ~US$1-1.5T of commitments against a ~US$20-30B year-end run rate, is ~35-75
years ("他一年 1000 亿 他也还不起 1.5 T"); 100 leaves room above it."""
Pricing = Annotated[Categorical, Choices("seat", "usage", "outcome")]
Budget = Annotated[Categorical, Choices("labour", "software", "new_spend")]

YES_NO = "yes/no: true, false or the probability that it is true"


class DataFlywheel(UserModel):
    """Seed 000's test: own usage data, a unique dataset, and a business metric it moves."""

    own_usage_data: Evidence | None = Field(
        default=None, description=f"the flywheel is fed by the product's own usage data; {YES_NO}")
    unique_dataset: Evidence | None = Field(
        default=None, description=f"it builds a dataset nobody else can get; {YES_NO}")
    business_metric: str | None = Field(
        default=None, description="the business metric the flywheel moves, named; omit if none"
    )
    moves_metric: Evidence | None = Field(
        default=None,
        description="probability that the flywheel measurably moves that metric "
        "(default: yes when a metric is named, no when the flywheel is given without one)",
    )


class Moat(UserModel):
    """Moat evidence: MAD (seed 003), the five strategies (seed 000), Casado's moats (seed 002)."""

    close_to_customer: Evidence | None = Field(
        default=None, description=f"works backwards from the customer (MAD, seed 003); {YES_NO}")
    affordance: Affordance | None = Field(
        default=None, description="how intuitive the product is to pick up (MAD, seed 003): low, "
        "medium, high, or probabilities over them")
    diffusion: Rate | None = Field(
        default=None,
        description="share of eligible users inside customer accounts who use it, a fraction "
        "(0.35); our reading of MAD's Diffusion (seed 003)")
    ai_native_organisation: Evidence | None = Field(
        default=None, description="the company's own organisation is AI-native, agents in its "
        f"processes (seed 003); {YES_NO}")
    end_to_end_solution: Evidence | None = Field(
        default=None, description="solves the whole problem with a point of view rather than "
        f"shipping a tool (seed 000); {YES_NO}")
    data_flywheel: DataFlywheel | None = Field(
        default=None, description="the data-flywheel test (seed 000)")
    speaks_industry_language: Evidence | None = Field(
        default=None, description=f"of the industry, for the industry (seed 000); {YES_NO}")
    domain_experts_in_go_to_market: Evidence | None = Field(
        default=None, description=f"sends domain experts to customers (seed 000); {YES_NO}")
    wraps_customer_workflow: Evidence | None = Field(
        default=None, description="wraps around the customer in ways a foundation model will "
        f"not (seed 000); {YES_NO}")
    customer_trust: Evidence | None = Field(
        default=None, description="customers trust the company to keep making the product "
        f"better (seed 000); {YES_NO}")
    long_tail_domain_understanding: Evidence | None = Field(
        default=None, description="integrates a domain's long tail (regulation, edge cases) "
        f"that gives pricing power (seed 002); {YES_NO}")
    two_sided_marketplace: Evidence | None = Field(
        default=None, description=f"a two-sided marketplace (seed 002); {YES_NO}")
    category_leader: Evidence | None = Field(
        default=None, description="the brand leader of its category while that market still "
        "expands fast; once growth slows brand yields to product (seed 002), so answer no "
        f"for a leader of a slowing market; {YES_NO}")
    own_models_where_frontier_is_weak: Evidence | None = Field(
        default=None, description="its own models for a domain the big models do badly "
        f"(seed 002); {YES_NO}")
    infrastructure_design_tradeoffs: Evidence | None = Field(
        default=None, description="the product embodies real design trade-offs only experts "
        f"make (infrastructure, hardware, models; seed 002); {YES_NO}")
    category_subsidised_by_giants: Evidence | None = Field(
        default=None, description="for a model company: the giants subsidise its model "
        f"category (frontier language, code, video; not voice or image; seed 002); {YES_NO}")
    distribution: Reach | None = Field(
        default=None, description="who owns the route to users (seed 004): none, borrowed, "
        "owned, or probabilities over them")
    deploys_inside_customer: Evidence | None = Field(
        default=None, description="deploys and implements its product inside each customer's "
        "business processes with its own people (as Palantir does), rather than handing over "
        f"a general tool (seed 004); {YES_NO}")
    category_generation: Generation | None = Field(
        default=None, description="count, at least 1: which generation of products in its "
        "category this one is - 1 for the first of its kind, 3 for Google in search (seed 002: "
        "winners often take two or three generations)")


class MarketPool(UserModel):
    """Seed 001: size the pool first, employees x median wage of the jobs addressed."""

    employees: Positive | None = Field(
        default=None, description="people employed in the jobs the product addresses, a count")
    median_wage_usd: Wage | None = Field(
        default=None, description="their median annual wage, US dollars a year")
    automatable_share: Rate | None = Field(
        default=None, description="share of that labour the product can take on today, a "
        "fraction (0.3)")
    labour_cost_to_price: LabourRatio | None = Field(
        default=None, description="ratio: what the labour the product replaces costs the buyer "
        "for a piece of work, over what the product charges for the same work (3.0 = the "
        "people cost three times the price; below 1.0 the AI costs more than the labour it "
        "replaces; seed 004)")


class Workflow(UserModel):
    """Seed 001: specialisation into repeatable, maintainable, billable production lines."""

    repeatable: Evidence | None = Field(
        default=None, description=f"the workflow is repeatable; {YES_NO}")
    maintainable: Evidence | None = Field(
        default=None, description=f"it is maintainable as a production line; {YES_NO}")
    billable: Evidence | None = Field(
        default=None, description=f"customers pay for what it produces; {YES_NO}")
    proven_in_production: Evidence | None = Field(
        default=None, description="proven by winning in real work rather than on academic "
        f"benchmarks; {YES_NO}")
    verifiable_output: Evidence | None = Field(
        default=None, description="its output can be checked right or wrong against a clear "
        "target (tests pass, accounts reconcile), so it can be trained on and scaled (seeds "
        f"004, 003, 001); {YES_NO}")
    delivers_the_work: Evidence | None = Field(
        default=None, description="it delivers the finished work itself - agents or an "
        "AI-native service doing the job - rather than selling a tool the customer's people "
        f"operate (seeds 003, 001); {YES_NO}")
    human_review: Evidence | None = Field(
        default=None, description="a person reviews, corrects or signs off each output before "
        "it counts: the product is built around a human operator (seeds 002 and 003 disagree "
        f"on whether that lasts); {YES_NO}")


class GrossMargin(UserModel):
    """Seed 000: the path of gross margin matters more than today's level."""

    now: Margin | None = Field(
        default=None, description="today's gross margin, a fraction (0.48; negative if "
        "revenue does not cover its direct costs)")
    in_24_months: Margin | None = Field(
        default=None, description="the gross margin expected in 24 months, a fraction")
    thin_by_choice: Evidence | None = Field(
        default=None, description="today's margin is low because the board chose distribution "
        "over margin (priced to win users while capital is cheap), not because its costs force "
        f"it (seed 002); {YES_NO}")


class Revenue(UserModel):
    """Is the revenue real (seed 000's "vibe revenue" test), and how good is it?"""

    arr_usd: Money | None = Field(
        default=None, description="annual recurring revenue, US dollars a year")
    growth_yoy: Growth | None = Field(
        default=None, description="revenue growth over the last year, a fraction per year "
        "(1.0 = +100%, doubling)")
    net_revenue_retention: Retention | None = Field(
        default=None, description="this year's revenue from last year's customers / last "
        "year's, a fraction (1.15 = 115%)")
    gross_revenue_retention: Rate | None = Field(
        default=None, description="as net revenue retention, without expansion: a fraction, "
        "at most 1")
    pilot_share: Rate | None = Field(
        default=None, description="share of revenue in paid pilots or experimental budgets, "
        "a fraction")
    top_customer_share: Rate | None = Field(
        default=None, description="share of revenue from the single largest customer, a "
        "fraction (0.3 = 30%)")
    gross_margin: GrossMargin = Field(
        default=GrossMargin(), description="gross margin today and in 24 months, fractions")
    pricing_model: Pricing | None = Field(
        default=None, description="what a customer pays for: seat, usage, outcome, or "
        "probabilities over them")
    replaces: Budget | None = Field(
        default=None, description="whose budget it comes from: labour, software, new_spend, "
        "or probabilities over them")


class Financing(UserModel):
    """How the company pays for itself: seed 004's test that returns must repay what was borrowed
    ("能不能够还你前面泡沫欠的债"), at the level of one company."""

    debt_share: Rate | None = Field(
        default=None, description="share of the money the company has raised that is debt "
        "(loans, bonds, venture debt) rather than equity, a fraction (0.2 = a fifth)")
    commitments_to_revenue: Commitments | None = Field(
        default=None, description="ratio, in years of revenue: the company's spending and debt "
        "commitments (compute contracts, leases, loans) over its annual revenue (15 = fifteen "
        "years of revenue)")


class CohortCurve(UserModel):
    """Share of one starting cohort still active, month by month from month 0."""

    start: str = Field(min_length=1, description="when the cohort started, e.g. 2025-01")
    active: list[float] = Field(description="share still active each month from month 0, as "
                                "fractions (1.0, 0.82, ...); percentages (100, 82) are read too")
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

    dau_mau: Rate | None = Field(
        default=None, description="daily over monthly active users, a fraction (0.25)")
    wau_mau: Rate | None = Field(
        default=None, description="weekly over monthly active users, a fraction")
    cohorts: list[CohortCurve] = Field(
        default_factory=list, description="share of each starting cohort still active, month "
        "by month; month-6 retention is fitted from them")


RETENTION_6 = "engagement.retention_month_6"

Layer = Literal["application", "model", "infrastructure", "hardware"]
Segment = Literal["consumer_social", "consumer_transactional", "consumer_subscription",
                  "smb_saas", "enterprise_saas"]


class Company(UserModel):
    """A company as its analyst sees it."""

    name: str = Field(min_length=1, description="the company's name")
    layer: Layer = Field(description="where it sits: application, model, infrastructure, "
                         "hardware (decides which moat factors apply)")
    segment: Segment | None = Field(
        default=None, description="who buys, for retention benchmarks by segment (Rachitsky "
        "and Winters 2020); not given, cohorts are scored against a general benchmark")
    vertical: str | None = Field(default=None, description="the industry or job it serves")
    stage: str | None = Field(default=None, description="funding stage, e.g. seed, series A")
    description: str | None = Field(default=None, description="a few words on the company")
    market: str | None = Field(
        default=None, description="path to a market file, relative to this file")
    revenue: Revenue = Field(default=Revenue(), description="revenue quality (seed 000)")
    engagement: Engagement = Field(default=Engagement(), description="engagement and cohorts")
    moat: Moat = Field(default=Moat(), description="moat evidence (seeds 000, 002, 003, 004)")
    market_pool: MarketPool = Field(default=MarketPool(), description="the labour pool it "
                                    "addresses (seed 001)")
    workflow: Workflow = Field(default=Workflow(), description="specialisation into a "
                               "production line (seed 001)")
    financing: Financing = Field(default=Financing(), description="debt and commitments against "
                                 "revenue (seed 004)")
