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

from thesis.models.base import ADVANCED, UserModel, asked
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

YES_NO = "yes/no"
"""The unit of yes/no evidence: true, false or the probability that it is true."""


class DataFlywheel(UserModel):
    """Seed 000's test: own usage data, a unique dataset, and a business metric it moves."""

    own_usage_data: Evidence | None = asked(
        "Is the flywheel fed by the product's own usage data?",
        f"the flywheel is fed by the product's own usage data; {YES_NO}", True)
    unique_dataset: Evidence | None = asked(
        "Does it build a dataset nobody else can get?",
        f"it builds a dataset nobody else can get; {YES_NO}", 0.7)
    business_metric: str | None = Field(
        default=None, description="the business metric the flywheel moves, named, in words; "
        "omit if none", examples=["first-draft acceptance rate"])
    moves_metric: Evidence | None = asked(
        "Does the flywheel measurably move the business metric it names?",
        "the flywheel measurably moves that metric; yes/no (not given: yes when a metric is "
        "named, no when none is)", 0.8,
        advanced=True)


class Moat(UserModel):
    """Moat evidence: MAD (seed 003), the five strategies (seed 000), Casado's moats (seed 002)."""

    close_to_customer: Evidence | None = asked(
        "Does the company work backwards from the customer?",
        f"works backwards from the customer (MAD, seed 003); {YES_NO}", True)
    affordance: Affordance | None = asked(
        "How intuitive is the product to pick up?",
        "how intuitive the product is to pick up (MAD, seed 003), a category: low, medium or "
        "high", {"high": 0.6, "medium": 0.4})
    diffusion: Rate | None = asked(
        "What share of eligible users inside customer accounts use it?",
        "share of eligible users inside customer accounts who use it, a fraction (0.35); our "
        "reading of MAD's Diffusion (seed 003)", {"low": 0.3, "high": 0.6})
    ai_native_organisation: Evidence | None = asked(
        "Is the company's own organisation AI-native, with agents in its processes?",
        f"the company's own organisation is AI-native, agents in its processes (seed 003); "
        f"{YES_NO}", 0.5)
    end_to_end_solution: Evidence | None = asked(
        "Does it solve the whole problem with a point of view, not hand over a tool?",
        f"solves the whole problem with a point of view rather than shipping a tool (seed "
        f"000); {YES_NO}", True)
    data_flywheel: DataFlywheel | None = Field(
        default=None, description="the data-flywheel test (seed 000): its usage data, its "
        "dataset and the business metric it moves")
    speaks_industry_language: Evidence | None = asked(
        "Is it of the industry, for the industry, speaking its language?",
        f"of the industry, for the industry (seed 000); {YES_NO}", True)
    domain_experts_in_go_to_market: Evidence | None = asked(
        "Does it send domain experts to its customers?",
        f"sends domain experts to customers (seed 000); {YES_NO}", True)
    wraps_customer_workflow: Evidence | None = asked(
        "Does it wrap around the customer in ways a foundation model will not?",
        f"wraps around the customer in ways a foundation model will not (seed 000); {YES_NO}",
        0.7)
    customer_trust: Evidence | None = asked(
        "Do customers trust it to keep making the product better?",
        f"customers trust the company to keep making the product better (seed 000); {YES_NO}",
        0.8)
    long_tail_domain_understanding: Evidence | None = asked(
        "Does it master a domain's long tail (rules, edge cases) that gives pricing power?",
        "integrates a domain's long tail (regulation, edge cases) that gives pricing power "
        f"(seed 002); {YES_NO}", 0.6)
    two_sided_marketplace: Evidence | None = asked(
        "Is it a two-sided marketplace?", f"a two-sided marketplace (seed 002); {YES_NO}",
        False)
    category_leader: Evidence | None = asked(
        "Is it the brand leader of a category that still grows fast?",
        "the brand leader of its category while that market still expands fast; once growth "
        "slows brand yields to product (seed 002), so answer no for a leader of a slowing "
        f"market; {YES_NO}", 0.4)
    own_models_where_frontier_is_weak: Evidence | None = asked(
        "Does it have its own models where the big models do badly?",
        f"its own models for a domain the big models do badly (seed 002); {YES_NO}", False)
    infrastructure_design_tradeoffs: Evidence | None = asked(
        "Does the product embody design trade-offs only experts make?",
        "the product embodies real design trade-offs only experts make (infrastructure, "
        f"hardware, models; seed 002); {YES_NO}", False)
    category_subsidised_by_giants: Evidence | None = asked(
        "Do the giants subsidise its model category?",
        "for a model company: the giants subsidise its model category (frontier language, "
        f"code, video; not voice or image; seed 002); {YES_NO}", False)
    distribution: Reach | None = asked(
        "Who owns its route to users: nobody, a partner, or the company itself?",
        "who owns the route to users (seed 004), a category: none, borrowed (a partner's) or "
        "owned", "borrowed")
    deploys_inside_customer: Evidence | None = asked(
        "Does it deploy inside each customer's processes with its own people?",
        "deploys and implements its product inside each customer's business processes with "
        "its own people (as Palantir does), rather than handing over a general tool (seed "
        f"004); {YES_NO}", False)
    category_generation: Generation | None = asked(
        "Which generation of products in its category is this one?",
        "a count, at least 1: which generation of products in its category this one is - 1 "
        "for the first of its kind, 3 for Google in search (seed 002: winners often take two "
        "or three generations)", {"low": 2.0, "high": 3.0})


class MarketPool(UserModel):
    """Seed 001: size the pool first, employees x median wage of the jobs addressed."""

    employees: Positive | None = asked(
        "How many people do the jobs the product addresses?",
        "people employed in the jobs the product addresses, a count",
        {"low": 1.1e6, "high": 1.3e6})
    median_wage_usd: Wage | None = asked(
        "What is the median wage of those jobs?",
        "their median annual wage, US dollars a year", {"p10": 9.0e4, "p90": 1.3e5})
    automatable_share: Rate | None = asked(
        "What share of that work can the product take on today?",
        "share of that labour the product can take on today, a fraction (0.3)",
        {"alpha": 3.0, "beta": 7.0})
    labour_cost_to_price: LabourRatio | None = asked(
        "How many times the product's price does the labour it replaces cost?",
        "a ratio: what the labour the product replaces costs the buyer for a piece of work, "
        "over what the product charges for the same work (3.0 = the people cost three times "
        "the price; below 1.0 the AI costs more than the labour it replaces; seed 004)",
        {"low": 2.0, "mode": 3.0, "high": 5.0})


class Workflow(UserModel):
    """Seed 001: specialisation into repeatable, maintainable, billable production lines."""

    repeatable: Evidence | None = asked(
        "Is the workflow repeatable?", f"the workflow is repeatable; {YES_NO}", True)
    maintainable: Evidence | None = asked(
        "Can it be maintained as a production line?",
        f"it is maintainable as a production line; {YES_NO}", 0.8)
    billable: Evidence | None = asked(
        "Do customers pay for what it produces?",
        f"customers pay for what it produces; {YES_NO}", True)
    proven_in_production: Evidence | None = asked(
        "Has it proven itself in real work rather than on benchmarks?",
        "proven by winning in real work rather than on academic benchmarks; "
        f"{YES_NO}", 0.7)
    verifiable_output: Evidence | None = asked(
        "Can its output be checked right or wrong against a clear target?",
        "its output can be checked right or wrong against a clear target (tests pass, "
        "accounts reconcile), so it can be trained on and scaled (seeds 004, 003, 001); "
        f"{YES_NO}", 0.6)
    delivers_the_work: Evidence | None = asked(
        "Does it deliver the finished work itself, not a tool people operate?",
        "it delivers the finished work itself - agents or an AI-native service doing the job "
        f"- rather than selling a tool the customer's people operate (seeds 003, 001); {YES_NO}",
        0.3)
    human_review: Evidence | None = asked(
        "Does a person review or sign off each output before it counts?",
        "a person reviews, corrects or signs off each output before it counts: the product is "
        "built around a human operator (seeds 002 and 003 disagree on whether that lasts); "
        f"{YES_NO}", True)


class GrossMargin(UserModel):
    """Seed 000: the path of gross margin matters more than today's level."""

    now: Margin | None = asked(
        "What is the gross margin today?",
        "today's gross margin, a fraction (0.48; negative if revenue does not cover its "
        "direct costs)", 0.55)
    in_24_months: Margin | None = asked(
        "What gross margin do you expect in 24 months?",
        "the gross margin expected in 24 months, a fraction",
        {"low": 0.65, "mode": 0.72, "high": 0.8})
    thin_by_choice: Evidence | None = asked(
        "Is today's margin thin by choice, priced to win users, rather than by cost?",
        "today's margin is low because the board chose distribution over margin (priced to "
        "win users while capital is cheap), not because its costs force it (seed 002); "
        f"{YES_NO}", False)


class Revenue(UserModel):
    """Is the revenue real (seed 000's "vibe revenue" test), and how good is it?"""

    arr_usd: Money | None = asked(
        "What is the annual recurring revenue today?",
        "annual recurring revenue, US dollars a year", 12.0e6)
    growth_yoy: Growth | None = asked(
        "How fast did ARR grow over the last year?",
        "revenue growth over the last year, a fraction per year (1.0 = +100%, doubling)",
        {"low": 1.5, "high": 2.5})
    net_revenue_retention: Retention | None = asked(
        "How much do last year's customers pay now, against what they paid then?",
        "this year's revenue from last year's customers over last year's, a fraction (1.15 = "
        "115%)", {"mean": 1.15, "sd": 0.05})
    gross_revenue_retention: Rate | None = asked(
        "How much of last year's customers' revenue is kept, leaving out expansion?",
        "as net revenue retention, without expansion: a fraction, at most 1", 0.9)
    pilot_share: Rate | None = asked(
        "How much of the revenue is paid pilots or experimental budgets?",
        "share of revenue in paid pilots or experimental budgets, a fraction",
        {"low": 0.05, "high": 0.2})
    top_customer_share: Rate | None = asked(
        "How much of the revenue comes from the single largest customer?",
        "share of revenue from the single largest customer, a fraction (0.3 = 30%)", 0.08)
    gross_margin: GrossMargin = Field(
        default=GrossMargin(), description="gross margin today and in 24 months, fractions")
    pricing_model: Pricing | None = asked(
        "What does a customer pay for: seats, usage or outcomes?",
        "what a customer pays for, a category: seat, usage or outcome", "outcome")
    replaces: Budget | None = asked(
        "Whose budget does it come from: labour, software or new spend?",
        "whose budget it comes from, a category: labour, software or new_spend", "labour")


class Financing(UserModel):
    """How the company pays for itself: seed 004's test that returns must repay what was borrowed
    ("能不能够还你前面泡沫欠的债"), at the level of one company."""

    debt_share: Rate | None = asked(
        "How much of the money it has raised is debt rather than equity?",
        "share of the money the company has raised that is debt (loans, bonds, venture debt) "
        "rather than equity, a fraction (0.2 = a fifth)", 0.1)
    commitments_to_revenue: Commitments | None = asked(
        "How many years of revenue do its spending and debt commitments amount to?",
        "a ratio, in years of revenue: the company's spending and debt commitments (compute "
        "contracts, leases, loans) over its annual revenue (15 = fifteen years of revenue)",
        0.5)


class CohortCurve(UserModel):
    """Share of one starting cohort still active, month by month from month 0."""

    start: str = Field(min_length=1, description="when the cohort started, a month (2025-01) "
                       "or a date, in words", examples=["2025-01"])
    active: list[float] = Field(description="share still active each month from month 0, as "
                                "fractions (1.0, 0.82, ...); percentages (100, 82) are read too",
                                examples=[[1.0, 0.82, 0.74, 0.71]])
    size: int | None = Field(default=None, gt=0, description="users (or accounts) in the "
                             "cohort, a count, if known", examples=[1200])

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

    dau_mau: Rate | None = asked(
        "What share of monthly users use it on a given day?",
        "daily over monthly active users, a fraction (0.25)", {"low": 0.2, "high": 0.35})
    wau_mau: Rate | None = asked(
        "What share of monthly users use it in a given week?",
        "weekly over monthly active users, a fraction", 0.6)
    cohorts: list[CohortCurve] = Field(
        default_factory=list, description="share of each starting cohort still active, month "
        "by month; month-6 retention is fitted from them",
        examples=[[{"start": "2025-01", "active": [1.0, 0.86, 0.8, 0.77, 0.75, 0.74, 0.74],
                    "size": 40},
                   {"start": "2025-02", "active": [1.0, 0.88, 0.81, 0.78, 0.77], "size": 35}]])


RETENTION_6 = "engagement.retention_month_6"

Layer = Literal["application", "model", "infrastructure", "hardware"]
Segment = Literal["consumer_social", "consumer_transactional", "consumer_subscription",
                  "smb_saas", "enterprise_saas"]


class Company(UserModel):
    """A company as its analyst sees it."""

    name: str = Field(min_length=1, description="the company's name, in words",
                      examples=["Acme Legal (hypothetical)"])
    layer: Layer = Field(description="where it sits, a category: application, model, "
                         "infrastructure or hardware (decides which moat factors apply)",
                         examples=["application"])
    segment: Segment | None = Field(
        default=None, description="who buys, a category, for retention benchmarks by segment "
        "(Rachitsky and Winters 2020): consumer_social, consumer_transactional, "
        "consumer_subscription, smb_saas or enterprise_saas; not given, cohorts are scored "
        "against a general benchmark", examples=["smb_saas"])
    vertical: str | None = Field(default=None, description="the industry or job it serves, "
                                 "in words", examples=["legal"])
    stage: str | None = Field(default=None, description="funding stage, in words: pre-seed, "
                              "seed, series A, series B, growth (a later round reads as growth)",
                              examples=["series A"])
    description: str | None = Field(default=None, description="a few words on the company",
                                    examples=["contract review agents for mid-size law firms"])
    market: str | None = Field(
        default=None, description="path to a market file, relative to this file: the market "
        "it sells into", examples=["../markets/ai-2025.yaml"],
        json_schema_extra={ADVANCED: True})
    revenue: Revenue = Field(default=Revenue(), description="revenue quality (seed 000)")
    engagement: Engagement = Field(default=Engagement(), description="engagement and cohorts")
    moat: Moat = Field(default=Moat(), description="moat evidence (seeds 000, 002, 003, 004)")
    market_pool: MarketPool = Field(default=MarketPool(), description="the labour pool it "
                                    "addresses (seed 001)")
    workflow: Workflow = Field(default=Workflow(), description="specialisation into a "
                               "production line (seed 001)")
    financing: Financing = Field(default=Financing(), description="debt and commitments against "
                                 "revenue (seed 004)")
