"""A market as an analyst sees it on one date: the indicators of the six-factor bubble scorecard.

Seed 004 (004_cd6a7d5e8935a604.txt, a talk that credits the six dimensions to Coatue's 2025
study; the readings are the speaker's own) judges a market on six dimensions
(从六个维度来看这个泡沫): theme, market penetration, revenue and profit, leverage financing,
valuation, speculation. Each block below holds measurable indicators of one dimension; numbers
may be uncertain, and where the source only judges qualitatively the field is a labelled
category. Every block is optional: a missing indicator is drawn from the scorecard's prior for it
(reported "not given (prior)"), never scored as zero.

Units, one convention with the company model: a share or a fraction of GDP is a fraction
(0.35 = 35%), growth is a fraction per year (1.0 = +100% a year), money is US$, and a ratio is a
plain ratio (2.0 = twice). Each field's description states its unit. Where history bounds a
number, its `plausible` range says so: a value outside it is allowed but warned about (an error
under `--strict`), which catches a percentage typed where a fraction is meant (77 for 0.77).

`prices` is outside the six factors: a price series for the run-up check of Greenwood, Shleifer
and You (2019), and the drawdown from the peak that places a market late in the cycle.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

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

# Seed 004's theme test is binary: worth 5-10 years of risk ("前所未有的创新机会"), or a hype
# topic ("炒作热点"). Uncertainty between the two is stated as probabilities.
ThemeKind = Annotated[Categorical, Choices("platform_shift", "hype_topic")]
Funding = Annotated[Categorical, Choices("now", "near_term", "distant")]
Profits = Annotated[Categorical, Choices("profitable", "profitable_later", "no_business_model")]
Holders = Annotated[Categorical, Choices("low", "rising", "high")]
Prevalence = Annotated[Categorical, Choices("none", "available", "pervasive")]
Competition = Annotated[Categorical, Choices("calm", "arms_race", "escalating")]
Speculators = Annotated[Categorical, Choices("retail", "both", "institutions")]
Growth = Annotated[Distribution, Domain(-1.0)]

# Plausible ranges, each from history (a value outside warns; see the module docstring):
# - addressable spend: world GDP was ~US$105T in 2023 (World Bank, World Development
#   Indicators); a theme addresses at most about twice that.
AddressableUsd = Annotated[Distribution, Domain(0.0, plausible=(0.0, 2.0e14))]
# - margin debt / GDP: NYSE and FINRA margin statistics against BEA GDP give ~0.012 (2002 and
#   2009 troughs) to ~0.040 (Oct 2021 peak, US$936B against ~US$23.6T) over 1997-2024 (our
#   arithmetic, medium confidence); the seed's speaker expects "5% 的以上" at the coming peak.
#   0.08 leaves room above both.
MarginDebtShare = Annotated[Distribution, Domain(0.0, 1.0, plausible=(0.0, 0.08))]
# - build-out capex / GDP: US railroads at their 1870s-80s peak ~0.06, the largest build-out on
#   record; telecom at the dotcom peak ~0.01; AI in 2025 ~0.012-0.02 (Paul Kedrosky, "Honey, AI
#   Capex Is Eating the Economy", 2025; medium-low confidence, the measures differ by source).
CapexShare = Annotated[Distribution, Domain(0.0, 1.0, plausible=(0.0, 0.08))]
# - normal P/E: the S&P 500's long-run P/E is ~16 (Shiller data, 1871-2024) and its forward
#   P/E mostly 10-25 since 1990; seed 004's "18～22" lies inside.
NormalPe = Annotated[Distribution, Domain(0.0, plausible=(5.0, 35.0))]
# - CAPE: from 4.8 (Dec 1920) to 44.2 (Dec 1999), the all-time high (Shiller data).
Cape = Annotated[Distribution, Domain(0.0, plausible=(3.0, 60.0))]
# - top-10 market value / GDP: seed 004 gives 0.34 (2000) and 0.77 (2025),
#   "上次是 34% 现在已经 77% 了", the highest on its chart; 3.0 is four times that (assumption),
#   so 77 (a percentage) warns.
Top10Share = Annotated[Distribution, Domain(0.0, plausible=(0.0, 3.0))]
# - IPO first-day return: Jay Ritter's yearly US averages run from a few percent (1980s, 2008)
#   to 0.71 (1999), the highest ("Initial Public Offerings: Updated Statistics").
IpoReturn = Annotated[Distribution, Domain(-1.0, plausible=(-0.2, 1.0))]


class Theme(UserModel):
    """Is this worth 5-10 years of risk (a platform shift), or a hype topic (炒作热点)?"""

    kind: ThemeKind | None = Field(
        default=None, description="category: platform_shift (worth 5-10 years of risk) | "
        "hype_topic (a market hype topic); or probabilities over the two")


class Penetration(UserModel):
    """Is the potential market huge and still growing fast (巨大的市场渗透)?"""

    adoption_speed_vs_prior: Positive | None = Field(
        default=None, description="ratio: how many times faster than earlier platform shifts "
        "(PC, internet) adoption is running; 1.0 = as fast")
    addressable_market_usd: AddressableUsd | None = Field(
        default=None, description="US$ a year: the annual spend the theme addresses")


class Revenue(UserModel):
    """Is the revenue real, growing, profitable and paying for the build-out now (收入和利润)?"""

    annual_revenue_usd: Positive | None = Field(
        default=None, description="US$ a year: the revenue of the theme's leading borrowers "
        "(the same companies as commitments_usd), at the as-of date; say in a comment whether "
        "it is a year's revenue or an annualised run rate")
    growth_yoy: Growth | None = Field(
        default=None, description="fraction a year: growth of that revenue (1.0 = +100%, "
        "doubling)")
    funds_buildout: Funding | None = Field(
        default=None, description="category: does the revenue pay for the build-out now | "
        "near_term | only in a distant future?")
    profits: Profits | None = Field(
        default=None, description="category: are the theme's leading builders profitable now "
        "| profitable_later (a dated path to profit) | no_business_model (没有盈利模式)?")
    commitments_usd: Positive | None = Field(
        default=None, description="US$: spending and debt commitments of the same companies "
        "as annual_revenue_usd")


class Leverage(UserModel):
    """Is the build-out financed by debt, and who holds the leverage (杠杆融资)?"""

    capex_debt_share: Rate | None = Field(
        default=None, description="fraction: share of the build-out's capex financed by debt "
        "rather than operating cash flow or equity (0.5 = half)")
    ocf_to_capex: Positive | None = Field(
        default=None, description="ratio: operating cash flow of the theme's leading builders "
        "over their capital spending, per year (2.0 = cash flow twice the capex; below 1.0 the "
        "build-out needs outside money)")
    capex_to_gdp: CapexShare | None = Field(
        default=None, description="fraction of GDP: the build-out's capital spending per year "
        "over the country's GDP (0.012 = 1.2% of GDP)")
    debt_concentration: Rate | None = Field(
        default=None, description="fraction: share of the build-out's new debt and "
        "commitments carried by its single largest borrower (0.6 = one borrower holds 60%)")
    institutional: Holders | None = Field(
        default=None, description="category: leverage of the institutions building and "
        "investing: low | rising | high")
    retail_margin_debt_to_gdp: MarginDebtShare | None = Field(
        default=None, description="fraction of GDP: retail margin debt over GDP (0.03 = 3% of "
        "GDP)")
    leveraged_products: Prevalence | None = Field(
        default=None, description="category: how easy retail leverage is (2x/3x ETFs, "
        "perpetuals): none | available | pervasive")
    competition: Competition | None = Field(
        default=None, description="category: the builders' race: calm (no race to outspend) | "
        "arms_race (军备竞赛: they outspend each other) | escalating (the race is getting "
        "fiercer: 竞争更激烈了)")


class Valuation(UserModel):
    """How stretched are prices (估值)?"""

    leaders_forward_pe: Positive | None = Field(
        default=None, description="ratio: forward P/E of the theme's leading companies")
    normal_pe: NormalPe | None = Field(
        default=None, description="ratio: the broad market's normal forward P/E in that era")
    cape: Cape | None = Field(
        default=None, description="ratio: Shiller cyclically adjusted P/E of the broad market")


class Speculation(UserModel):
    """Who speculates (投机)? Speculators must be retail, not institutions."""

    speculators: Speculators | None = Field(
        default=None, description="category: who speculates: retail | both | institutions")
    top10_market_cap_to_gdp: Top10Share | None = Field(
        default=None, description="ratio: market value of the ten largest companies over GDP "
        "(0.77 = 77% of GDP)")
    ipo_first_day_return: IpoReturn | None = Field(
        default=None, description="fraction: average first-day return of new listings "
        "(0.7 = +70%)")
    smart_money_selling: Evidence | None = Field(
        default=None, description="yes/no or a probability: are insiders and early investors "
        "net sellers (聪明人获利了 跑了)?")


class PricePoint(UserModel):
    date: date
    price: float = Field(gt=0, description="index level: the theme's price index")
    market: float | None = Field(default=None, gt=0,
                                 description="index level: the broad market index")


class Prices(UserModel):
    """Price history for the run-up check, and where the market stands against its peak."""

    drawdown_from_peak: Rate | None = Field(
        default=None, description="fraction: fall of the theme's index from its peak (0.4 = "
        "-40%)")
    series: list[PricePoint] | None = Field(
        default=None, description="dated closes of the theme (price) and the market (market)")
    csv: str | None = Field(
        default=None, description="a CSV file (date,price[,market]) relative to this file")
    source: str | None = Field(default=None, description="where the prices come from")


class Market(UserModel):
    """A market (a theme, an episode) on one date."""

    name: Annotated[str, Field(min_length=1)]
    as_of: date
    description: str | None = None
    theme: Theme = Theme()
    penetration: Penetration = Penetration()
    revenue: Revenue = Revenue()
    leverage: Leverage = Leverage()
    valuation: Valuation = Valuation()
    speculation: Speculation = Speculation()
    prices: Prices = Prices()
