"""The terminal layout: the report a user reads first. Honours NO_COLOR (rich does)."""

from __future__ import annotations

import io
import os
import shutil

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from thesis.report.document import Document, Row, Stance, build, short_source
from thesis.result import Result


def console(buffer: io.StringIO) -> Console:
    width = int(os.environ.get("COLUMNS") or 0) or shutil.get_terminal_size((120, 40)).columns
    return Console(file=buffer, width=max(width, 100), no_color="NO_COLOR" in os.environ,
                   highlight=False)


def layout(doc: Document) -> str:
    buffer = io.StringIO()
    out = console(buffer)
    title, _, card = doc.title.rpartition(": ")
    out.print(Text.assemble((title, "bold"), f"  {doc.context}  ", (card, "dim")))
    out.print(Text.assemble((doc.headline, "bold"), "  ", (doc.verdict, "bold cyan"),
                            f"  {doc.meaning}"))
    for line in doc.lead:
        out.print(Text(line, style="dim" if line.startswith("Verdict bands") else "cyan"))
    out.print(scorecard_table(doc.rows))
    for line in doc.legend:
        out.print(Text(line, style="dim"))
    for section in doc.sections:
        out.print(Text(section.heading, style="bold"))
        for line in section.lines:
            out.print(Padding(Text(line, style="dim" if line.startswith("source:") else ""),
                              (0, 0, 0, 2)))
    if doc.stances:
        out.print(stances_table(doc.stances))
    out.print(Text(doc.footer, style="dim"))
    return buffer.getvalue()


def render(result: Result) -> str:
    return layout(build(result))


def stances_table(stances: list[Stance]) -> Table:
    """What each source's author would say of this subject, and whether our score agrees."""
    table = Table(title="What the sources would say", title_justify="left", box=box.SIMPLE_HEAD,
                  expand=True, pad_edge=False, show_edge=False)
    table.add_column("who, when", ratio=2)
    table.add_column("claim", ratio=6)
    table.add_column("stance", min_width=10)
    table.add_column("and our score", ratio=4)
    for s in stances:
        table.add_row(f"{s.who}, {s.when} ({short_source(s.source)})", s.claim,
                      Text(s.stance, style="red" if s.stance.startswith("challenges")
                           else "green"), s.agreement)
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
        label = Text(row.label,
                     style="bold" if factor and not row.muted else ("dim" if row.muted else ""))
        if factor and row.note:
            label.append(f"  ({row.note})", style="dim" if row.muted else "cyan")
        if factor and row.depth == 0 and table.row_count:
            table.add_section()
        table.add_row(Padding(label, (0, 0, 0, 2 * row.depth)),
                      Text(row.given, style="dim" if row.muted else ""), row.score, row.share,
                      short_source(row.source))
    return table
