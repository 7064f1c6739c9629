"""The run-up check of Greenwood, Shleifer and You (2019), "Bubbles for Fama", JFE 131(1).

Beyond seed 004: a quantitative price test shown beside the six factors, never inside them.
GSY study US industries 1926-2014: a price run-up of more than 100% over two years, raw or net
of the market, does not predict low average returns, but it does predict a much higher
probability of a crash (a 40% drawdown within the next two years), rising with the run-up.

The price series comes from the market file (`prices.series`) or a CSV (`prices.csv`, columns
`date,price[,market]`, relative to the market file); every bad row is reported at file:line.
"""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from thesis.errors import InputError, Problem
from thesis.files.yaml import load as load_yaml
from thesis.models.market import Market, PricePoint
from thesis.result import RunUpResult

WINDOW_YEARS = 2
MAX_CSV_BYTES = 20_000_000  # ~80 years of daily closes is under 2 MB; beyond this is not prices
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
class Close:
    on: date
    price: float
    market: float | None


def prices_of(market: Market, market_file: str | Path | None) -> list[Close] | None:
    """The market's price series, from the file itself or its CSV; None if it gives none."""
    block = market.prices
    if block.series is not None and block.csv is not None:
        raise InputError([_where(market_file, "prices", "give series or csv, not both")])
    if block.series is not None:
        return _checked([_close(p) for p in block.series], market_file, "prices.series")
    if block.csv is None:
        return None
    base = Path(market_file).parent if market_file is not None else Path.cwd()
    path = base / block.csv
    if not path.is_file():
        raise InputError([_where(market_file, "prices.csv", f"no price file {block.csv!r} "
                                                            f"({path})")])
    return read_csv(path)


def _close(point: PricePoint) -> Close:
    return Close(point.date, point.price, point.market)


def _where(file: str | Path | None, field: str, message: str) -> Problem:
    """A problem located at `field` of the market file (read again for its positions)."""
    if file is None or Path(file).suffix not in {".yaml", ".yml"}:
        return Problem(str(file or "<market>"), 1, 1, field, message)
    return load_yaml(file).problem(tuple(field.split(".")), message)


def _checked(closes: list[Close], file: str | Path | None, field: str) -> list[Close]:
    if len(closes) < 2:
        raise InputError([_where(file, field, "needs at least two dated closes")])
    if any(b.on <= a.on for a, b in itertools.pairwise(closes)):
        raise InputError([_where(file, field, "dates must be strictly increasing")])
    if len({c.market is None for c in closes}) > 1:
        raise InputError([_where(file, field, "give market for every close or for none")])
    return closes


def read_csv(path: Path) -> list[Close]:
    """Closes from a CSV with a `date,price[,market]` header; every bad row located."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise InputError.single(path, f"price file is over {MAX_CSV_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(path, f"cannot read price file: {exc}") from None
    if "\x00" in text:
        raise InputError.single(path, "binary file (contains NUL bytes), expected CSV text")
    rows = csv.reader(text.splitlines())
    header = [h.strip() for h in next(rows, [])]
    if header[:2] != ["date", "price"] or header[2:] not in ([], ["market"]):
        raise InputError.single(path, "header must be date,price or date,price,market")
    problems: list[Problem] = []
    closes: list[Close] = []
    for line, row in enumerate(rows, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            closes.append(_row(row, len(header)))
        except ValueError as exc:
            problems.append(Problem(str(path), line, 1, "", str(exc)))
            continue
        if len(closes) > 1 and closes[-1].on <= closes[-2].on:
            problems.append(Problem(str(path), line, 1, "date",
                                    "dates must be strictly increasing"))
    if problems:
        raise InputError(problems)
    return _checked(closes, path, "")


def _row(row: list[str], width: int) -> Close:
    if len(row) != width:
        raise ValueError(f"expected {width} columns, got {len(row)}")
    try:
        on = date.fromisoformat(row[0].strip())
    except ValueError:
        raise ValueError(f"date: {row[0].strip()!r} is not a date (YYYY-MM-DD)") from None
    values = []
    for name, cell in zip(("price", "market"), row[1:], strict=False):
        try:
            value = float(cell)
        except ValueError:
            raise ValueError(f"{name}: {cell.strip()!r} is not a number") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name}: must be a positive number")
        values.append(value)
    return Close(on, values[0], values[1] if len(values) > 1 else None)


def run_up(closes: list[Close], as_of: date, origin: str) -> RunUpResult:
    """The two-year run-up ending at the last close on or before `as_of`, raw and net."""
    usable = [c for c in closes if c.on <= as_of]
    if len(usable) < 2:
        raise InputError([_where(origin, "prices", f"no two closes on or before {as_of}")])
    end = usable[-1]
    start_on = _years_before(end.on, WINDOW_YEARS)
    if start_on < usable[0].on:
        raise InputError([_where(origin, "prices", f"the series must reach back to {start_on} "
                                 f"for a {WINDOW_YEARS}-year run-up ending {end.on}")])
    raw = end.price / _at(usable, start_on, "price") - 1.0
    market = None if end.market is None else end.market / _at(usable, start_on, "market") - 1.0
    net = None if market is None else raw - market
    crash = None if net is None else next(
        (p for x, p in reversed(CRASH_BY_NET_RUN_UP) if net >= x), None)
    exact = any(c.on == start_on for c in usable)
    note = "" if exact else (f"no close on {start_on}: interpolated log-linearly between the "
                             "closes around it")
    return RunUpResult(start=str(start_on), end=str(end.on), raw=raw, market=market, net=net,
                       exceeds_threshold=raw > THRESHOLD or (net is not None and net > THRESHOLD),
                       crash_probability=crash, source=SOURCE, note=note)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _at(closes: list[Close], on: date, field: str) -> float:
    """The close on `on`, log-linearly interpolated between its neighbours if not observed."""
    after = next(i for i, c in enumerate(closes) if c.on >= on)
    hi = closes[after]
    value_hi = float(getattr(hi, field))
    if hi.on == on or after == 0:
        return value_hi
    lo = closes[after - 1]
    value_lo = float(getattr(lo, field))
    t = (on - lo.on).days / (hi.on - lo.on).days
    return math.exp((1 - t) * math.log(value_lo) + t * math.log(value_hi))
