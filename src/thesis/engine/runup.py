"""The run-up check of Greenwood, Shleifer and You (2019), "Bubbles for Fama", JFE 131(1).

Beyond seed 004: a quantitative price test shown beside the six factors, never inside them.
GSY study US industries 1926-2014: a price run-up of more than 100% over two years, raw or net
of the market, does not predict low average returns, but it does predict a much higher
probability of a crash (a 40% drawdown within the next two years), rising with the run-up.

Pure arithmetic on dated closes (`PricePoint`); reading them from a file is
`thesis.files.prices`. A series that cannot give a two-year run-up raises `ValueError`, which
loading locates in the market file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from thesis.models.market import PricePoint

WINDOW_YEARS = 2
THRESHOLD = 1.0
CRASH_BY_NET_RUN_UP: tuple[tuple[float, float], ...] = ((0.5, 0.20), (1.0, 0.53), (1.5, 0.80))
"""Probability of a crash (40% drawdown within two years) after a two-year run-up net of the
market of at least x, US industries 1926-2014: GSY (2019) Table 3 / Fig. 3 as summarised by
Alpha Architect (2022, "Are stock market bubbles identifiable?"); the 150% figure (80%) we could
not check against the paper itself: low confidence."""
SOURCE = ("Greenwood, Shleifer and You (2019), 'Bubbles for Fama', Journal of Financial "
          "Economics 131(1): run-up > 100% over two years; crash = 40% drawdown within two years; "
          "crash probability 20% / 53% / 80% after net-of-market run-ups of 50% / 100% / 150% "
          "(the 80% unverified against the paper)")


@dataclass(frozen=True)
class RunUp:
    """The two-year run-up ending `end`, raw and net of the market, and what GSY make of it."""

    start: date
    end: date
    raw: float
    market: float | None
    net: float | None
    exceeds_threshold: bool
    crash_probability: float | None
    """After a net run-up of this size; None below the smallest run-up tabulated."""
    interpolated: bool
    """No close on the start date: the start is interpolated log-linearly."""


def run_up(closes: Sequence[PricePoint], as_of: date) -> RunUp:
    """The two-year run-up ending at the last close on or before `as_of`, raw and net."""
    usable = [c for c in closes if c.date <= as_of]
    if len(usable) < 2:
        raise ValueError(f"no two closes on or before {as_of}")
    end = usable[-1]
    start_on = _years_before(end.date, WINDOW_YEARS)
    if start_on < usable[0].date:
        raise ValueError(f"the series must reach back to {start_on} for a {WINDOW_YEARS}-year "
                         f"run-up ending {end.date}")
    raw = end.price / _at(usable, start_on, "price") - 1.0
    market = None if end.market is None else end.market / _at(usable, start_on, "market") - 1.0
    net = None if market is None else raw - market
    crash = None if net is None else next(
        (p for x, p in reversed(CRASH_BY_NET_RUN_UP) if net >= x), None)
    return RunUp(start=start_on, end=end.date, raw=raw, market=market, net=net,
                 exceeds_threshold=raw > THRESHOLD or (net is not None and net > THRESHOLD),
                 crash_probability=crash,
                 interpolated=not any(c.date == start_on for c in usable))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _at(closes: Sequence[PricePoint], on: date, field: str) -> float:
    """The close on `on`, log-linearly interpolated between its neighbours if not observed."""
    after = next(i for i, c in enumerate(closes) if c.date >= on)
    hi = closes[after]
    value_hi = float(getattr(hi, field))
    if hi.date == on or after == 0:
        return value_hi
    lo = closes[after - 1]
    value_lo = float(getattr(lo, field))
    t = (on - lo.date).days / (hi.date - lo.date).days
    return math.exp((1 - t) * math.log(value_lo) + t * math.log(value_hi))
