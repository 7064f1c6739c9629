"""Reports: one document per result (`document.build`), laid out as a format.

`Format` names the layouts; `render(result, fmt)` picks one. A format follows an output file's
extension (`format_for`, for any command's formats). This module is light (no numpy, no
pydantic), so the command line can offer the formats without loading the engine.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from thesis.result import Result


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


SUFFIXES = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html",
            ".htm": "html", ".txt": "table", ".csv": "csv"}
"""What an output file's extension says it holds, by format name, for every command."""
F = TypeVar("F", bound=StrEnum)


def format_for(path: Path, formats: type[F] = Format) -> F | None:  # type: ignore[assignment]
    """The format of `formats` (a report's by default, or another command's, such as
    `thesis batch`'s) that an output file's extension asks for, or None if it names none."""
    name = SUFFIXES.get(path.suffix.lower(), "")
    return formats(name) if name in formats.__members__ else None


def render(result: Result, fmt: Format = Format.table) -> str:
    """The result as text in a format; a table is plain text, without colour (the command line
    colours it on a terminal: `thesis.report.text.render(result, colour=True)`)."""
    if fmt is Format.json:
        from thesis.report.json import render as layout
    elif fmt is Format.markdown:
        from thesis.report.markdown import render as layout
    elif fmt is Format.html:
        from thesis.report.html import render as layout
    else:
        from thesis.report.text import render as layout
    return layout(result)
