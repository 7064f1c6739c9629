"""The ranked table of a batch, highest score first, as a terminal table, CSV, JSON or markdown.

Each subject is boiled down to a `Summary` where it was scored (`summarise`, run in the worker),
so a batch of thousands holds and sends back a line each, not every full report. CSV and JSON
carry the same fields, numbers rounded to what the Monte Carlo can tell apart (scores to 0.01,
shares to 0.0001), plus the seed each subject was scored with, to reproduce any row alone with
`thesis score FILE --seed SEED`. Light at import (the standard library only): the command line
offers the formats without loading the engine.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table

    from thesis.batch import Scored
    from thesis.result import Result


class BatchFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"



@dataclass(frozen=True)
class Summary:
    """What the ranked table shows of one result."""

    name: str
    score: float
    p10: float | None
    p50: float | None
    p90: float | None
    verdict: str
    verdict_probability: float | None
    """How often the Monte Carlo lands in the base case's verdict band."""
    given: int
    criteria: int
    coverage: float
    """The share of the scorecard's weight resting on given inputs."""
    driver: str | None
    """The input explaining most of the score's variance (largest total Sobol index)."""
    driver_share: float | None
    diligence: str | None
    """The input whose learning would settle the verdict most, and its question (on one
    line)."""
    question: str | None


def summarise(result: Result) -> Summary:
    """The line of the ranked table for one result (run where the result was computed)."""
    spread = result.uncertainty
    dist = spread.distribution if spread else None
    driver = spread.drivers[0] if spread and spread.drivers else None
    first = spread.diligence[0] if spread and spread.diligence else None
    return Summary(
        name=result.subject.name, score=result.score,
        p10=dist.p10 if dist else None, p50=dist.p50 if dist else None,
        p90=dist.p90 if dist else None, verdict=result.verdict,
        verdict_probability=1.0 - dist.flip_probability if dist else None,
        given=result.coverage.given, criteria=result.coverage.criteria,
        coverage=result.coverage.weight,
        driver=driver.input if driver else None, driver_share=driver.total if driver else None,
        diligence=first.input if first else None,
        question=" ".join((first.question or first.input).split()) if first else None)


def ranked(scored: Sequence[Scored[Summary]]) -> list[Scored[Summary]]:
    """The scored subjects, highest score first (ties by name, then source: a stable order)."""
    done = [s for s in scored if s.result is not None]
    return sorted(done, key=lambda s: (-_summary(s).score, _summary(s).name, s.source))


def render(rows: Sequence[Scored[Summary]], fmt: BatchFormat = BatchFormat.table) -> str:
    """The ranked rows (see `ranked`) as text in a format."""
    if fmt is BatchFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records(rows))
        return buffer.getvalue()
    if fmt is BatchFormat.json:
        return json.dumps(records(rows), indent=2, ensure_ascii=False) + "\n"
    if fmt is BatchFormat.markdown:
        return _markdown(rows)
    return _table(rows)


FIELDS = ("rank", "name", "score", "p10", "p50", "p90", "verdict", "verdict_probability",
          "given", "criteria", "coverage", "driver", "driver_share", "diligence", "question",
          "source", "seed")


def records(rows: Sequence[Scored[Summary]]) -> list[dict[str, Any]]:
    """One plain record a row, the fields of `FIELDS` (what CSV and JSON hold)."""
    out = []
    for rank, row in enumerate(rows, start=1):
        s = _summary(row)
        out.append({
            "rank": rank, "name": s.name, "score": _round(s.score, 2), "p10": _round(s.p10, 2),
            "p50": _round(s.p50, 2), "p90": _round(s.p90, 2), "verdict": s.verdict,
            "verdict_probability": _round(s.verdict_probability, 4), "given": s.given,
            "criteria": s.criteria, "coverage": _round(s.coverage, 4), "driver": s.driver,
            "driver_share": _round(s.driver_share, 4), "diligence": s.diligence,
            "question": s.question, "source": row.source, "seed": row.seed})
    return out


HEADINGS = ("#", "subject", "score", "P10", "P50", "P90", "verdict", "sure", "coverage",
            "top driver", "find out first", "file")
NUMERIC = frozenset({"#", "score", "P10", "P50", "P90", "sure"})
RATIOS = {"subject": 3, "verdict": 2, "top driver": 3, "find out first": 5, "file": 3}
"""How the terminal table shares its width among the columns that wrap."""


def _cells(rank: int, row: Scored[Summary]) -> tuple[str, ...]:
    """A row as the table and markdown show it."""
    s = _summary(row)
    driver = f"{s.driver} ({s.driver_share:.0%})" if s.driver and s.driver_share is not None \
        else "-"
    return (str(rank), s.name, f"{s.score:.1f}", _shown(s.p10), _shown(s.p50), _shown(s.p90),
            s.verdict, _shown(s.verdict_probability, "{:.0%}"),
            f"{s.given}/{s.criteria} ({s.coverage:.0%})", driver, s.question or "-",
            row.source)


def _table(rows: Sequence[Scored[Summary]]) -> str:
    from thesis.report.text import console, without_trailing_spaces

    buffer = io.StringIO()
    console(buffer, least=100, most=None).print(_rich_table(rows))  # twelve columns: room
    return without_trailing_spaces(buffer.getvalue())


def _rich_table(rows: Sequence[Scored[Summary]]) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    for heading in HEADINGS:
        numeric = heading in NUMERIC
        table.add_column(heading, justify="right" if numeric else "left",
                         ratio=RATIOS.get(heading), no_wrap=numeric)
    for rank, row in enumerate(rows, start=1):
        table.add_row(*_cells(rank, row))
    return table


def _markdown(rows: Sequence[Scored[Summary]]) -> str:
    from thesis.report.markdown import cell

    lines = ["| " + " | ".join(HEADINGS) + " |",
             "|" + "|".join("---:" if h in NUMERIC else "---" for h in HEADINGS) + "|"]
    for rank, row in enumerate(rows, start=1):
        lines.append("| " + " | ".join(cell(c) for c in _cells(rank, row)) + " |")
    return "\n".join(lines) + "\n"


def _summary(row: Scored[Summary]) -> Summary:
    if row.result is None:
        raise ValueError(f"{row.source} has no result to show")
    return row.result


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _shown(value: float | None, spec: str = "{:.0f}") -> str:
    return "-" if value is None else spec.format(value)
