"""The terminal table: the scorecard a user reads first. Honours NO_COLOR (rich does)."""

from __future__ import annotations

import io
import os
import shutil

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from thesis.report import (
    Row,
    agreement,
    fmt_score,
    groups_line,
    not_applicable,
    regime_line,
    rows,
    short_source,
    spoken,
)
from thesis.report.uncertainty import (
    counterfactual_section,
    headline_range,
    uncertainty_sections,
)
from thesis.result import ScoreResult


def console(buffer: io.StringIO) -> Console:
    width = int(os.environ.get("COLUMNS", 0)) or shutil.get_terminal_size((120, 40)).columns
    return Console(file=buffer, width=max(width, 100), no_color="NO_COLOR" in os.environ,
                   highlight=False)


def render(result: ScoreResult) -> str:
    buffer = io.StringIO()
    out = console(buffer)
    out.print(Text.assemble((result.company, "bold"), f"  {result.layer}  ",
                            (result.scorecard_title, "dim")))
    out.print(Text.assemble("Score ", (f"{fmt_score(result.score)} / 100", "bold"), "  ",
                            (result.verdict, "bold cyan"), f"  {result.verdict_meaning}"))
    if groups_line(result):
        out.print(Text(groups_line(result), style="cyan"))
    if regime_line(result):
        out.print(Text(regime_line(result), style="magenta"))
    if result.uncertainty is not None:
        out.print(Text(headline_range(result.uncertainty), style="cyan"))
    out.print(scorecard_table(list(rows(result))))
    out.print(Text("share: the factor's weight in its group after renormalisation; source: see "
                   "--format markdown or json for the full citation", style="dim"))
    if not_applicable(result):
        out.print(Text("not applicable here: " + "; ".join(not_applicable(result)), style="dim"))
    print_sections(out, [*uncertainty_sections(result.uncertainty),
                         counterfactual_section(result)])
    if spoken(result):
        out.print(positions_table(result))
    return buffer.getvalue()


def print_sections(out: Console, sections: list[tuple[str, list[str]]]) -> None:
    """Report sections after the scorecard: a bold heading, then indented lines."""
    for heading, lines in sections:
        out.print(Text(heading, style="bold"))
        for line in lines:
            out.print(Padding(Text(line, style="dim" if line.startswith("source:") else ""),
                              (0, 0, 0, 2)))


def positions_table(result: ScoreResult) -> Table:
    """What each source's author would say of this company, and whether our score agrees."""
    table = Table(title="What the sources would say", title_justify="left", box=box.SIMPLE_HEAD,
                  expand=True, pad_edge=False, show_edge=False)
    table.add_column("who, when", ratio=2)
    table.add_column("claim", ratio=6)
    table.add_column("stance", min_width=10)
    table.add_column("our score", justify="right", min_width=9)
    table.add_column("", min_width=10)
    for p in spoken(result):
        table.add_row(f"{p.speaker}, {p.date} ({short_source(p.source)})", p.claim,
                      Text(p.stance, style="red" if p.stance == "challenges" else "green"),
                      fmt_score(p.our_score), agreement(p))
    return table


def scorecard_table(lines: list[Row]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column("factor / criterion", ratio=6)
    table.add_column("given", ratio=3)
    table.add_column("score", justify="right", min_width=6)
    table.add_column("share", justify="right", min_width=5)
    table.add_column("source", min_width=10)
    for row in lines:
        factor = row.kind == "factor"
        muted = row.score == "n/a"
        label = Text(row.label,
                     style="bold" if factor and not muted else ("dim" if muted else ""))
        if factor and row.note:
            label.append(f"  ({row.note})", style="dim" if muted else "cyan")
        if factor and row.depth == 0 and table.row_count:
            table.add_section()
        table.add_row(Padding(label, (0, 0, 0, 2 * row.depth)),
                      Text(row.given, style="dim" if muted else ""), row.score, row.share,
                      short_source(row.source))
    return table
