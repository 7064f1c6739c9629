"""The sources' positions as a list with their citations: what `thesis positions` prints.

One row per position: who said it and when, the seed file and the anchor that finds the passage,
the claim in our words and what it is about; disagreements follow, each with its sides.
"""

from __future__ import annotations

import io
import json

from rich import box
from rich.table import Table

from thesis.models.positions import Positions
from thesis.report import Format


def render_positions(sets: list[Positions], fmt: Format) -> str:
    """The positions of each file (companies, then markets), in a format: table, markdown or
    JSON (HTML is not offered: a list of citations reads as well in markdown)."""
    if fmt is Format.json:
        return json.dumps([s.model_dump(mode="json", by_alias=True, exclude_defaults=True)
                           for s in sets], ensure_ascii=False, indent=2) + "\n"
    if fmt is Format.markdown:
        return _markdown(sets)
    return _table(sets)


def _rows(positions: Positions) -> list[tuple[str, str, str, str, str, str]]:
    return [(p.id, f"{p.speaker}, {p.date}", p.source, p.anchor, p.claim, p.about)
            for p in positions.positions]


def _sides(positions: Positions) -> list[str]:
    speaker = {p.id: p.speaker for p in positions.positions}
    return [f"{d.about}: " + " vs ".join(", ".join(f"{speaker[i]} ({i})" for i in side)
                                         for side in d.sides)
            + (f" [{d.note}]" if d.note else "") for d in positions.disagreements]


def _markdown(sets: list[Positions]) -> str:
    lines: list[str] = []
    for s in sets:
        lines += [f"## Positions on a {s.subject} ({len(s.positions)}, scorecard {s.scorecard})",
                  "", "| id | who, when | seed | anchor | claim | about |",
                  "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
                  for row in _rows(s)]
        if s.disagreements:
            lines += ["", "Where they disagree:", "", *(f"- {line}" for line in _sides(s))]
        lines.append("")
    return "\n".join(lines)


def _table(sets: list[Positions]) -> str:
    from thesis.report.text import console as plain_console
    from thesis.report.text import without_trailing_spaces

    buffer = io.StringIO()
    console = plain_console(buffer)
    for s in sets:
        table = Table(title=f"Positions on a {s.subject} ({len(s.positions)})",
                      title_justify="left", box=box.SIMPLE_HEAD, expand=True)
        for name, ratio in (("id", 2), ("who, when", 2), ("seed", 1), ("anchor", 2),
                            ("claim", 4), ("about", 2)):
            table.add_column(name, ratio=ratio, overflow="fold")
        for row in _rows(s):
            table.add_row(row[0], row[1], row[2][:3], *row[3:])
        console.print(table)
        for line in _sides(s):
            console.print(f"  disagree: {line}")
    return without_trailing_spaces(buffer.getvalue())
