"""A market as an analyst sees it on one date: the indicators of the six-factor bubble scorecard.

Seed 004 (retelling Coatue, 2025) judges a market on six dimensions (从六个维度来看这个泡沫):
theme, market penetration, revenue and profit, leverage financing, valuation, speculation. Each
block below holds measurable indicators of one dimension; numbers may be uncertain, and where
the source only judges qualitatively the field is a labelled category. Every block is optional:
a missing indicator is "not assessed", never scored as zero.

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

ThemeKind = Annotated[Categorical, Choices("platform_shift", "incremental", "hype_topic")]
Funding = Annotated[Categorical, Choices("now", "near_term", "distant")]
Holders = Annotated[Categorical, Choices("low", "rising", "high")]
Prevalence = Annotated[Categorical, Choices("none", "available", "pervasive")]
Speculators = Annotated[Categorical, Choices("retail", "both", "institutions")]
Growth = Annotated[Distribution, Domain(-1.0)]
Percent = Annotated[Distribution, Domain(0.0, 100.0)]


class Theme(UserModel):
    """Is this worth 5-10 years of risk (a platform shift), or a hype topic (炒作热点)?"""

    kind: ThemeKind | None = Field(
        default=None, description="platform_shift | incremental | hype_topic")


class Penetration(UserModel):
    """Is the potential market huge and still growing fast (巨大的市场渗透)?"""

    adoption_speed_vs_prior: Positive | None = Field(
        default=None, description="how many times faster than earlier platform shifts (PC, "
        "internet) adoption is running; 1 = as fast")
    addressable_market_usd: Positive | None = Field(
        default=None, description="annual spend the theme addresses, US$")


class Revenue(UserModel):
    """Is the revenue real, growing, and paying for the build-out now (收入和利润)?"""

    annual_revenue_usd: Positive | None = Field(
        default=None, description="annual revenue of the theme's leading borrowers/builders")
    growth_yoy: Growth | None = Field(
        default=None, description="growth of that revenue, year on year (1.0 = doubling)")
    funds_buildout: Funding | None = Field(
        default=None, description="does the revenue pay for the build-out now, soon, or only "
        "in a distant future?")
    commitments_usd: Positive | None = Field(
        default=None, description="spending and debt commitments of the same companies, US$")


class Leverage(UserModel):
    """Is the build-out financed by debt, and who holds the leverage (杠杆融资)?"""

    capex_debt_share: Rate | None = Field(
        default=None, description="share of the build-out's capex financed by debt rather "
        "than operating cash flow")
    institutional: Holders | None = Field(
        default=None, description="leverage of the institutions building and investing")
    retail_margin_debt_to_gdp: Percent | None = Field(
        default=None, description="retail margin debt as a percentage of GDP")
    leveraged_products: Prevalence | None = Field(
        default=None, description="how easy retail leverage is (2x/3x ETFs, perpetuals)")


class Valuation(UserModel):
    """How stretched are prices (估值)?"""

    leaders_forward_pe: Positive | None = Field(
        default=None, description="forward P/E of the theme's leading companies")
    normal_pe: Positive | None = Field(
        default=None, description="the broad market's normal forward P/E in that era")
    cape: Positive | None = Field(
        default=None, description="Shiller cyclically adjusted P/E of the broad market")


class Speculation(UserModel):
    """Who speculates (投机)? Speculators must be retail, not institutions."""

    speculators: Speculators | None = Field(
        default=None, description="retail | both | institutions")
    top10_market_cap_to_gdp: Annotated[Distribution, Domain(0.0, plausible=(0.0, 3.0))] | None = (
        Field(default=None, description="market value of the ten largest companies over GDP"))
    ipo_first_day_return: Growth | None = Field(
        default=None, description="average first-day return of new listings (0.7 = +70%)")
    smart_money_selling: Evidence | None = Field(
        default=None,
        description="are insiders and early investors net sellers (聪明人获利了 跑了)?")


class PricePoint(UserModel):
    date: date
    price: float = Field(gt=0, description="the theme's price index")
    market: float | None = Field(default=None, gt=0, description="the broad market index")


class Prices(UserModel):
    """Price history for the run-up check, and where the market stands against its peak."""

    drawdown_from_peak: Rate | None = Field(
        default=None, description="fall of the theme's index from its peak, 0..1")
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
