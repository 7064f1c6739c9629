"""The terminal layout: the report a user reads first.

Plain text by default: what `thesis.render(result, Format.table)` returns, the same bytes
whether it is printed, piped or written to a file. Colour and bold only when asked for
(`colour=True`), which the command line does when it writes to a colour terminal. The width is
COLUMNS when set, else the terminal's, from `MIN_WIDTH` to `MAX_WIDTH` (also the width with
no terminal); long cells wrap to it, and no line ends in spaces.
"""

from __future__ import annotations

import io
import os
import re
import shutil

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from thesis.report.document import Document, Row, Stance, build, short_source
from thesis.result import Result

MAX_WIDTH = 120
"""A wider terminal still gets lines this long at most, as longer ones are hard to read; so does
output with no terminal to follow (piped, or written to a file). COLUMNS is followed above it."""
MIN_WIDTH = 80
"""The fewest columns, COLUMNS or terminal: narrower, the scorecard's questions and inputs
would wrap a word or two to a line."""
_TRAILING = re.compile(r"(?:\x1b\[[0-9;]*m| )+$", re.MULTILINE)
"""The spaces at the end of a line, with any colour codes among them (which are kept)."""


def width(least: int = MIN_WIDTH, most: int | None = MAX_WIDTH) -> int:
    """The columns to lay out in: COLUMNS if set, else stdout's terminal's up to `most` (None:
    no limit), else `most` (or `MAX_WIDTH`); never under `least`."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit():
        return max(int(columns), least)
    fallback = most or MAX_WIDTH
    terminal = shutil.get_terminal_size((fallback, 0)).columns  # stdout's, if a terminal
    return max(min(terminal, most or terminal), least)


def console(buffer: io.StringIO, colour: bool = False, *, least: int = MIN_WIDTH,
            most: int | None = MAX_WIDTH) -> Console:
    """A console that writes to `buffer` at `width(least, most)`: plain text, or with colour
    and bold (`colour`).

    Nothing in the environment (FORCE_COLOR, NO_COLOR, TERM) changes what it writes: whoever
    asks for colour has decided. Cell text is shown as it is, never read as rich markup."""
    return Console(file=buffer, width=width(least, most), force_terminal=colour, no_color=False,
                   color_system="standard" if colour else None, highlight=False, markup=False,
                   emoji=False, legacy_windows=False)


def without_trailing_spaces(text: str) -> str:
    """The text with the padding rich adds to the end of each line removed."""
    return _TRAILING.sub(lambda end: end.group().replace(" ", ""), text)


def layout(doc: Document, colour: bool = False) -> str:
    """The document for a terminal: headline, scorecard table, sections, the sources' stances."""
    buffer = io.StringIO()
    out = console(buffer, colour)
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
        out.print()
        out.print(Text(section.heading, style="bold"))
        for line in section.lines:
            out.print(Padding(Text(line, style="dim" if line.startswith("source:") else ""),
                              (0, 0, 0, 2)))
    if doc.stances:
        out.print()
        out.print(Text("What the sources would say", style="bold"))
        for stance in doc.stances:
            out.print(*stance_lines(stance))
    out.print()
    out.print(Text(doc.footer, style="dim"))
    return without_trailing_spaces(buffer.getvalue())


def render(result: Result, colour: bool = False) -> str:
    """The report as the terminal shows it; plain text unless `colour`."""
    return layout(build(result), colour)


def stance_lines(s: Stance) -> list[Padding]:
    """One source's position on this subject, and whether our score agrees: who said it, the
    stance, then the claim and our reading below it (a block, which reads at any width)."""
    stance = Text(s.stance, style="red" if s.stance.startswith("challenges") else "green")
    return [Padding(Text.assemble(f"{s.who}, {s.when} ({short_source(s.source)}): ", stance),
                    (0, 0, 0, 2)),
            Padding(Text(s.claim), (0, 0, 0, 4)),
            Padding(Text(s.agreement, style="dim"), (0, 0, 0, 4))]


def scorecard_table(lines: list[Row]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column("factor / criterion", ratio=6)
    table.add_column("given", ratio=3, overflow="fold")
    table.add_column("score", justify="right", min_width=6)
    table.add_column("share", justify="right", min_width=5)
    table.add_column("source", min_width=10, max_width=16)
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
