"""The terminal table: the scorecard a user reads first. Honours NO_COLOR (rich does)."""

from __future__ import annotations

import io
import os
import shutil

from rich.console import Console
from rich.table import Table
from rich.text import Text

from thesis.report import fmt_score, rows, short_source
from thesis.result import ScoreResult


def console(buffer: io.StringIO) -> Console:
    width = int(os.environ.get("COLUMNS", 0)) or shutil.get_terminal_size((120, 40)).columns
    return Console(file=buffer, width=max(width, 100), force_terminal=None,
                   no_color="NO_COLOR" in os.environ, highlight=False)


def render(result: ScoreResult) -> str:
    buffer = io.StringIO()
    out = console(buffer)
    out.print(Text.assemble(
        (f"{result.company}", "bold"), f"  ({result.layer})  ", (result.scorecard_title, "dim")))
    out.print(Text.assemble("Score ", (f"{fmt_score(result.score)}/100", "bold"), ": ",
                            (result.verdict, "bold cyan"), f"  {result.verdict_meaning}"))
    table = Table(show_lines=False, expand=True, pad_edge=False)
    table.add_column("factor / criterion", ratio=5)
    table.add_column("given", ratio=3)
    table.add_column("score", justify="right", ratio=1)
    table.add_column("share", justify="right", ratio=1)
    table.add_column("source", ratio=1)
    table.add_column("note", ratio=3)
    for row in rows(result):
        label = Text("  " * row.depth + row.label,
                     style="bold" if row.kind == "factor" else "")
        table.add_row(label, row.given, row.score, row.share, short_source(row.source),
                      Text(row.note, style="dim"))
    out.print(table)
    if result.not_assessed:
        out.print(Text("Not assessed: " + "; ".join(
            f"{k} ({v})" for k, v in result.not_assessed.items()), style="dim"))
    return buffer.getvalue()
