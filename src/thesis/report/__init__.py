"""Renderers: one result, several formats (terminal table, markdown, JSON).

Each renderer is a function `render(result) -> str`; `FORMATS` maps a `--format` name to it,
so the CLI only picks one. `rows(result)` is the walk of the factor tree they share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from thesis.engine.compile import NOT_APPLICABLE
from thesis.result import FactorResult, PositionResult, ScorecardResult, ScoreResult

_SEED = re.compile(r"\b(\d{3})_[0-9a-f]{16}\.txt")


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


@dataclass(frozen=True)
class Row:
    """One line of a scorecard: a factor, a criterion or a gate, at a nesting depth."""

    depth: int
    kind: str  # "factor" | "criterion" | "gate"
    label: str
    given: str
    score: str
    share: str
    source: str
    note: str


def rows(result: ScorecardResult) -> Iterator[Row]:
    yield from _factor_rows(result.factors, 0)


def not_applicable(result: ScorecardResult) -> list[str]:
    """Titles of the factors left out because they do not apply (the table omits them)."""
    return [f.title for f in _walk(result.factors) if f.note == NOT_APPLICABLE]


def _walk(factors: list[FactorResult]) -> Iterator[FactorResult]:
    for f in factors:
        yield f
        yield from _walk(f.factors)


def _factor_rows(factors: list[FactorResult], depth: int) -> Iterator[Row]:
    for f in factors:
        if f.note == NOT_APPLICABLE:
            continue
        note = f.note or (f.verdict or "")
        if f.factors and f.given < f.criteria_count:
            note += f"; {f.given} of {f.criteria_count} criteria given"
        yield Row(depth, "factor", f.title, "", fmt_score(f.score), f"{f.share:.0%}",
                  f.source, note)
        yield from _factor_rows(f.factors, depth + 1)
        for c in f.criteria:
            yield Row(depth + 1, "criterion", c.question, c.given or "-", fmt_score(c.score),
                      "", c.source, c.note or c.rule)
        for g in f.gates:
            state = "-" if g.passes is None else ("passes" if g.passes == 1 else
                                                  "fails" if g.passes == 0 else
                                                  f"passes p={g.passes:.2f}")
            yield Row(depth + 1, "gate", g.question, g.given or "-", state, "", g.source,
                      f"caps the factor at {g.cap:.0f} while it fails")


def spoken(result: ScoreResult) -> list[PositionResult]:
    """The positions that speak to this company, challenges first."""
    return sorted((p for p in result.positions if p.stance != "silent"),
                  key=lambda p: (p.stance != "challenges", p.speaker))


def agreement(position: PositionResult) -> str:
    if position.agrees is None:
        return "not scored"
    return "agrees" if position.agrees else "parts ways"


def groups_line(result: ScorecardResult) -> str:
    """The verdicts of the included scorecards in one line, e.g. `Moat: durable moat`."""
    return " | ".join(f"{f.title}: {f.verdict}" for f in result.factors if f.verdict)


def regime_line(result: ScoreResult) -> str:
    """The market regime beside the company's score, or "" when the file names no market."""
    m = result.market_regime
    if m is None:
        return ""
    stage = f", stage: {m.stage}" if m.stage else ""
    return (f"Market: {m.market} (as of {m.as_of}): {m.verdict}, bubble score "
            f"{fmt_score(m.score)} / 100{stage}")


def fmt_score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def short_source(source: str) -> str:
    """`000_793eca45db821f36.txt: "..."` -> `seed 000`; `assumption: ...` -> `assumption`."""
    seeds = sorted(set(_SEED.findall(source)))
    if seeds:
        return ("seed " if len(seeds) == 1 else "seeds ") + ", ".join(seeds)
    head = source.strip().split(":", 1)[0]
    return head if len(head) <= 24 else head[:23] + "…"


def renderer(fmt: Format) -> Callable[[ScoreResult], str]:
    if fmt is Format.json:
        from thesis.report.json import render
    elif fmt is Format.markdown:
        from thesis.report.markdown import render
    elif fmt is Format.html:
        from thesis.report.html import render
    else:
        from thesis.report.table import render
    return render
