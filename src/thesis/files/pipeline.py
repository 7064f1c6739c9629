"""A deal pipeline as a CSV file: one company a row, one input a column, every problem located.

A column is named by a company field's path, as scorecards name inputs (`moat.customer_trust`,
`revenue.arr_usd`, `revenue.gross_margin.now`), or by a company's own fields (`name`, `layer`,
`segment`, `vertical`, `stage`, `description`, `market`). An empty cell is not given. A cell
states what a YAML value would, in a compact syntax:

=============================  =============================================================
number                          `0.35`, `12e6`
uniform between low and high    `0.3..0.6`
triangular (low..mode..high)    `18..22..30`
any other distribution          its keys: `p10=1e6;p90=3e6`, `mean=1.1;sd=0.1`, `alpha=2;beta=5`
yes/no evidence                 `yes`, `no` (or `true`, `false`) or a probability, `0.7`
a category                      a choice, `usage`, or probabilities, `labour=0.7;software=0.3`
=============================  =============================================================

Each row becomes the nested mapping a YAML file would hold and is validated by the `Company`
model itself, so a row is checked exactly as a company file is; pydantic's error locations map
back to the cell, and every problem reads `pipeline.csv:ROW:COLUMN: field: message`, rows
numbered as a spreadsheet numbers them (the header is row 1). A broken row is reported and the
others still load; a broken header (an unknown column, a missing `name`) breaks the file.
Cohort curves are lists, which a cell does not hold: give them in a company YAML file.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import typing
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from thesis.engine.space import catalogue, find_in_type, model_class
from thesis.errors import InputError, PlausibilityWarning, Problem
from thesis.files.load import load_market
from thesis.files.plausibility import implausible
from thesis.files.validate import validate
from thesis.files.yaml import Document, Loc
from thesis.models.base import Origin
from thesis.models.company import Company
from thesis.models.distributions import InputKind
from thesis.models.market import Market
from thesis.subjects import undefined_ratios

YES_NO = {"yes": True, "no": False, "true": True, "false": False}
RANGES = {2: ("low", "high"), 3: ("low", "mode", "high")}
NUMBER_HELP = ("a number (0.35), a range (0.3..0.6, or 18..22..30 for low..mode..high) or a "
               "distribution's keys (p10=1e6;p90=3e6, mean=1.1;sd=0.1)")


@dataclass(frozen=True)
class Row:
    """One company of a pipeline: loaded, or the problems that stopped it."""

    source: str
    """`pipeline.csv:7`: the file and the row, as a spreadsheet numbers it."""
    company: Company | None
    problems: tuple[Problem, ...] = ()


@functools.cache
def columns() -> dict[str, InputKind | None]:
    """Every column a pipeline may have: each input with its kind, and each other field that
    holds one value (`name`, `layer`, ...) with None, read as text."""
    return _columns(Company, "", catalogue(Company))


def _columns(model: type[BaseModel], prefix: str,
             inputs: dict[str, InputKind]) -> dict[str, InputKind | None]:
    out: dict[str, InputKind | None] = {}
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = find_in_type(info.annotation, model_class)
        if path in inputs:
            out[path] = inputs[path]
        elif nested is not None:
            out.update(_columns(nested, f"{path}.", inputs))
        elif typing.get_origin(info.annotation) is not list:
            out[path] = None
    return out


def cell(text: str, kind: InputKind | None) -> Any:
    """A cell's text as the value a YAML file would give the field; raises `ValueError` saying
    what the cell should hold."""
    if kind is None:
        return text
    if kind.kind == "evidence":
        flag = YES_NO.get(text.lower())
        return flag if flag is not None else _number(
            text, "yes, no or a probability in [0, 1]")
    if "=" in text:
        return _pairs(text)
    if kind.kind == "category":
        return text
    parts = text.split("..")
    if len(parts) == 1:
        return _number(text, NUMBER_HELP)
    if len(parts) not in RANGES:
        raise ValueError(f"{text!r}: a range is low..high or low..mode..high")
    return dict(zip(RANGES[len(parts)], (_number(p, "a number") for p in parts), strict=True))


def _number(text: str, expected: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected {expected}, not {text!r}") from None


def _pairs(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, equals, value = (x.strip() for x in part.partition("="))
        if not equals or not key:
            raise ValueError(f"{part!r} is not key=value (as in p10=1e6;p90=3e6)")
        if key in out:
            raise ValueError(f"{key!r} is given twice")
        out[key] = _number(value, f"a number for {key}")
    return out


def load_pipeline(path: str | Path) -> list[Row]:
    """Every row of a pipeline CSV, each a validated `Company` or its located problems; raises
    `InputError` when the file itself cannot be read (unreadable, no header, unknown columns).

    A company's `market` cell names a market file relative to the CSV; it is loaded once for
    every row naming it. Numbers outside their plausible range are emitted as
    `thesis.PlausibilityWarning`s, located at their cell, as `load_company` does.
    """
    name = str(path)
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InputError.single(name, f"invalid CSV: {exc}", line=reader.line_num) from None
    if not records:
        raise InputError.single(name, "file is empty")
    header = _header(name, records[0])
    markets: dict[str, Market | InputError] = {}
    rows: list[Row] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(text.strip() for text in record):
            continue
        row, implausible_cells = _row(name, number, header, record, markets)
        rows.append(row)
        for problem in implausible_cells:
            warnings.warn(PlausibilityWarning(problem), stacklevel=2)
    return rows


def _text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError.single(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(str(path), f"cannot read the pipeline: {exc}") from None


def _header(name: str, record: list[str]) -> list[tuple[Loc, InputKind | None]]:
    """Each column's field path and kind; every problem of the header at once."""
    known = columns()
    problems: list[Problem] = []
    seen: set[str] = set()
    titles = [text.strip() for text in record]
    for index, title in enumerate(titles):
        message = None
        if not title:
            message = "a column needs a name"
        elif title in seen:
            message = f"column {title!r} is given twice"
        elif title not in known:
            close = difflib.get_close_matches(title, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"unknown column {title!r}{hint}"
        if message is not None:
            problems.append(Problem(name, 1, index + 1, title, message))
        seen.add(title)
    required = [f for f, info in Company.model_fields.items() if info.is_required()]
    problems += [Problem(name, 1, 1, f, f"no {f!r} column: every company needs one")
                 for f in required if f not in seen]
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.column))
    return [(tuple(title.split(".")), known[title]) for title in titles]


def _row(name: str, number: int, header: list[tuple[Loc, InputKind | None]],
         record: list[str], markets: dict[str, Market | InputError]
         ) -> tuple[Row, list[Problem]]:
    """One row, its cells read and then validated as a company file would be, and the cells
    whose numbers are hard to believe."""
    source = f"{name}:{number}"
    data: dict[str, Any] = {}
    positions: dict[Loc, tuple[int, int]] = {(): (number, 1)}
    problems: list[Problem] = []
    for index, text in enumerate(record):
        text = text.strip()
        if index >= len(header):
            if text:
                problems.append(Problem(name, number, index + 1, "",
                                        f"a cell beyond the header's {len(header)} columns"))
            continue
        loc, kind = header[index]
        for depth in range(1, len(loc) + 1):
            positions.setdefault(loc[:depth], (number, index + 1))
        if not text:
            continue
        try:
            value = cell(text, kind)
        except ValueError as exc:
            problems.append(Problem(name, number, index + 1, ".".join(map(str, loc)), str(exc)))
            continue
        node = data
        for part in loc[:-1]:
            node = node.setdefault(str(part), {})
        node[str(loc[-1])] = value
    doc = Document(name, data, positions)
    try:  # the cells that read, validated even when others did not: every problem at once
        company = validate(Company, doc)
    except InputError as exc:
        problems += exc.problems
    if problems:
        return Row(source, None, tuple(sorted(problems, key=lambda p: p.column))), []
    problems = [doc.problem(path.split("."), why) for path, why in undefined_ratios(company)]
    market = None if company.market is None else _market(name, company.market, doc, markets)
    if isinstance(market, InputError):
        problems += market.problems
    if problems:
        return Row(source, None, tuple(problems)), []
    company._origin = Origin(source, doc, {"market": market} if market else {})
    return Row(source, company), implausible(company, doc)


def _market(name: str, market: str, doc: Document,
            markets: dict[str, Market | InputError]) -> Market | InputError:
    """The market file a row names, relative to the CSV, loaded once for every row naming it
    (so its warnings are emitted once)."""
    path = Path(name).parent / market
    if not path.is_file():
        return InputError([doc.problem(("market",), f"no market file {market!r}")])
    if str(path) not in markets:
        try:
            markets[str(path)] = load_market(path)
        except InputError as exc:
            markets[str(path)] = exc
    return markets[str(path)]
