"""A market's price closes, from its own file (`prices.series`) or a CSV beside it.

The CSV has a `date,price[,market]` header; every bad row is reported at file:line. A series
given inline is checked the same way, its problems located in the market file.
"""

from __future__ import annotations

import csv
import itertools
import math
from datetime import date
from pathlib import Path

from thesis.errors import InputError, Problem
from thesis.files.yaml import Document
from thesis.models.market import Market, PricePoint

MAX_CSV_BYTES = 20_000_000
"""About 80 years of daily closes is under 2 MB; a file beyond this is not prices."""


def closes_of(market: Market, doc: Document, folder: Path) -> tuple[PricePoint, ...] | None:
    """The market's closes; None if it gives none. A CSV is read relative to `folder`."""
    block = market.prices
    if block.series is not None and block.csv is not None:
        raise InputError([doc.problem(("prices",), "give series or csv, not both")])
    if block.series is not None:
        problem = series_problem(block.series)
        if problem:
            raise InputError([doc.problem(("prices", "series"), problem)])
        return tuple(block.series)
    if block.csv is None:
        return None
    path = folder / block.csv
    if not path.is_file():
        raise InputError([doc.problem(("prices", "csv"), f"no price file {block.csv!r}")])
    return read_csv(path, shown=str(Path(doc.file).parent / block.csv))


def series_problem(closes: list[PricePoint] | tuple[PricePoint, ...]) -> str:
    """What is wrong with a series of closes, or "" if nothing."""
    if len(closes) < 2:
        return "needs at least two dated closes"
    if any(b.date <= a.date for a, b in itertools.pairwise(closes)):
        return "dates must be strictly increasing"
    if len({c.market is None for c in closes}) > 1:
        return "give market for every close or for none"
    return ""


def read_csv(path: Path, shown: str | None = None) -> tuple[PricePoint, ...]:
    """Closes from a CSV with a `date,price[,market]` header; every bad row located (at
    `shown`, the path as the user would write it, if given)."""
    name = shown or str(path)
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise InputError.single(name, f"price file is over {MAX_CSV_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(name, f"cannot read price file: {exc}") from None
    if "\x00" in text:
        raise InputError.single(name, "binary file (contains NUL bytes), expected CSV text")
    rows = csv.reader(text.splitlines())
    header = [h.strip() for h in next(rows, [])]
    if header[:2] != ["date", "price"] or header[2:] not in ([], ["market"]):
        raise InputError.single(name, "header must be date,price or date,price,market")
    problems: list[Problem] = []
    closes: list[PricePoint] = []
    for line, row in enumerate(rows, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            closes.append(_row(row, len(header)))
        except ValueError as exc:
            problems.append(Problem(name, line, 1, "", str(exc)))
            continue
        if len(closes) > 1 and closes[-1].date <= closes[-2].date:
            problems.append(Problem(name, line, 1, "date", "dates must be strictly increasing"))
    if problems:
        raise InputError(problems)
    problem = series_problem(closes)
    if problem:
        raise InputError.single(name, problem)
    return tuple(closes)


def _row(row: list[str], width: int) -> PricePoint:
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
    return PricePoint(date=on, price=values[0], market=values[1] if len(values) > 1 else None)
