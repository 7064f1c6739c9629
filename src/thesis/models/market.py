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

    kind: ThemeKind | None = asked(
        "Is the theme a platform shift worth 5-10 years of risk, or a hype topic?",
        "a category: platform_shift (worth 5-10 years of risk) or hype_topic (a market hype "
        "topic)", {"platform_shift": 0.8, "hype_topic": 0.2})


class Penetration(UserModel):
    """Is the potential market huge and still growing fast (巨大的市场渗透)?"""

    adoption_speed_vs_prior: Positive | None = asked(
        "How many times faster than earlier platform shifts is adoption running?",
        "a ratio: how many times faster than earlier platform shifts (PC, internet) adoption "
        "is running; 1.0 = as fast", {"low": 2.0, "high": 4.0})
    addressable_market_usd: AddressableUsd | None = asked(
        "How much is spent a year on what the theme addresses?",
        "US dollars a year: the annual spend the theme addresses", {"p10": 1.0e12, "p90": 5.0e12})


class Revenue(UserModel):
    """Is the revenue real, growing, profitable and paying for the build-out now (收入和利润)?"""

    annual_revenue_usd: Positive | None = asked(
        "What revenue do the theme's leading borrowers earn a year?",
        "US dollars a year: the revenue of the theme's leading borrowers (the same companies "
        "as commitments_usd), at the as-of date; say in a comment whether it is a year's "
        "revenue or an annualised run rate", {"p10": 4.0e10, "p90": 8.0e10})
    growth_yoy: Growth | None = asked(
        "How fast does that revenue grow?",
        "a fraction a year: growth of that revenue (1.0 = +100%, doubling)",
        {"low": 0.8, "high": 1.5})
    funds_buildout: Funding | None = asked(
        "Does the revenue pay for the build-out now, soon, or only in a distant future?",
        "a category: the revenue pays for the build-out now, near_term or only in a distant "
        "future", "near_term")
    profits: Profits | None = asked(
        "Are the leading builders profitable now, later, or without a business model?",
        "a category: the theme's leading builders are profitable now, profitable_later (a "
        "dated path to profit) or have no_business_model (没有盈利模式)", "profitable_later")
    commitments_usd: Positive | None = asked(
        "How much have the same companies committed to spend or borrow?",
        "US dollars: spending and debt commitments of the same companies as "
        "annual_revenue_usd", 1.0e12)


class Leverage(UserModel):
    """Is the build-out financed by debt, and who holds the leverage (杠杆融资)?"""

    capex_debt_share: Rate | None = asked(
        "How much of the build-out's capex is financed by debt?",
        "a fraction: share of the build-out's capex financed by debt rather than operating "
        "cash flow or equity (0.5 = half)", 0.3)
    ocf_to_capex: Positive | None = asked(
        "How many times does the builders' operating cash flow cover their capex?",
        "a ratio: operating cash flow of the theme's leading builders over their capital "
        "spending, per year (2.0 = cash flow twice the capex; below 1.0 the build-out needs "
        "outside money)", {"low": 1.1, "high": 1.6})
    capex_to_gdp: CapexShare | None = asked(
        "How large is the build-out's yearly capex against GDP?",
        "a fraction of GDP: the build-out's capital spending per year over the country's GDP "
        "(0.012 = 1.2% of GDP)", 0.015)
    debt_concentration: Rate | None = asked(
        "How much of the new debt does the single largest borrower carry?",
        "a fraction: share of the build-out's new debt and commitments carried by its single "
        "largest borrower (0.6 = one borrower holds 60%)", 0.5)
    institutional: Holders | None = asked(
        "How levered are the institutions that build and invest?",
        "a category: leverage of the institutions building and investing: low, rising or high",
        "rising")
    retail_margin_debt_to_gdp: MarginDebtShare | None = asked(
        "How large is retail margin debt against GDP?",
        "a fraction of GDP: retail margin debt over GDP (0.03 = 3% of GDP)", 0.035)
    leveraged_products: Prevalence | None = asked(
        "How easy is leverage for retail investors?",
        "a category: how easy retail leverage is (2x/3x ETFs, perpetuals): none, available or "
        "pervasive", "pervasive")
    competition: Competition | None = asked(
        "Are the builders racing to outspend each other, and is the race getting fiercer?",
        "a category: the builders' race: calm (no race to outspend), arms_race (军备竞赛: they "
        "outspend each other) or escalating (the race is getting fiercer: 竞争更激烈了)",
        "arms_race")


class Valuation(UserModel):
    """How stretched are prices (估值)?"""

    leaders_forward_pe: Positive | None = asked(
        "At what forward P/E do the theme's leading companies trade?",
        "a ratio: forward price over earnings of the theme's leading companies",
        {"low": 28.0, "high": 40.0})
    normal_pe: NormalPe | None = asked(
        "What is the broad market's normal forward P/E in this era?",
        "a ratio: the broad market's normal forward price over earnings in that era",
        {"low": 18.0, "high": 22.0})
    cape: Cape | None = asked(
        "What is the broad market's Shiller CAPE?",
        "a ratio: Shiller cyclically adjusted price over earnings of the broad market", 38.0)


class Speculation(UserModel):
    """Who speculates (投机)? Speculators must be retail, not institutions."""

    speculators: Speculators | None = asked(
        "Who speculates: retail investors, institutions, or both?",
        "a category: who speculates: retail, both or institutions", "retail")
    top10_market_cap_to_gdp: Top10Share | None = asked(
        "How large is the market value of the ten largest companies against GDP?",
        "a ratio: market value of the ten largest companies over GDP (0.77 = 77% of GDP)",
        0.75)
    ipo_first_day_return: IpoReturn | None = asked(
        "What do new listings return on their first day, on average?",
        "a fraction: average first-day return of new listings (0.7 = +70%)", 0.25)
    smart_money_selling: Evidence | None = asked(
        "Are insiders and early investors net sellers?",
        "yes/no: insiders and early investors are net sellers (聪明人获利了 跑了)", 0.3)


class PricePoint(UserModel):
    """One dated close of the theme's index, and of the broad market's if given."""

    date: Annotated[date, Field(description="the day of the close, a date (YYYY-MM-DD)",
                                examples=["2025-10-31"])]
    price: float = Field(gt=0, description="index level: the theme's price index, in its own "
                         "points", examples=[240.0])
    market: float | None = Field(default=None, gt=0, description="index level: the broad "
                                 "market index, in its own points", examples=[145.0])


class Prices(UserModel):
    """Price history for the run-up check, and where the market stands against its peak."""

    drawdown_from_peak: Rate | None = asked(
        "How far has the theme's index fallen from its peak?",
        "a fraction: fall of the theme's index from its peak (0.4 = -40%)", 0.05)
    series: list[PricePoint] | None = Field(
        default=None, description="dated closes of the theme (price) and the market (market), "
        "oldest first, reaching back two years before the last close (the run-up check)",
        examples=[[{"date": "2023-10-31", "price": 100.0, "market": 100.0},
                   {"date": "2025-10-31", "price": 240.0, "market": 145.0}]])
    csv: str | None = Field(
        default=None, description="path to a CSV file of closes (date,price[,market]), "
        "relative to this file; instead of series", examples=["prices.csv"],
        json_schema_extra={ADVANCED: True})
    source: str | None = Field(default=None, description="where the prices come from, in words",
                               examples=["month-end closes of an index of the theme's leaders"])


class Market(UserModel):
    """A market (a theme, an episode) on one date."""

    name: str = Field(min_length=1, description="the market's name: a theme or an episode, in "
                      "words", examples=["AI build-out (example)"])
    as_of: date = Field(description="the date the figures describe, a date (YYYY-MM-DD)",
                        examples=["2025-10-31"])
    description: str | None = Field(default=None, description="a few words on the market",
                                    examples=["the AI build-out as it stood in late 2025"])
    theme: Theme = Field(default=Theme(), description="the theme: platform shift or hype topic")
    penetration: Penetration = Field(default=Penetration(), description="market penetration: "
                                     "how fast adoption runs and how much spend it addresses")
    revenue: Revenue = Field(default=Revenue(), description="revenue and profit of the theme's "
                             "leading companies, against their commitments")
    leverage: Leverage = Field(default=Leverage(), description="leverage: how the build-out is "
                               "financed and who holds the debt")
    valuation: Valuation = Field(default=Valuation(), description="valuation: the leaders' P/E "
                                 "against the market's")
    speculation: Speculation = Field(default=Speculation(), description="speculation: who "
                                     "speculates, and the signs of a frenzy")
    prices: Prices = Field(default=Prices(), description="price history for the run-up check, "
                           "and the fall from the peak")
