"""Reports: one document per result (`document.build`), laid out as a format.

`Format` names the layouts; `render(result, fmt)` picks one. A format follows an output file's
extension (`format_for`). This module is light (no numpy, no pydantic), so the command line can
offer the formats without loading the engine.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from thesis.result import Result


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


EXTENSIONS = {".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown,
              ".html": Format.html, ".htm": Format.html, ".txt": Format.table}


def format_for(path: Path) -> Format | None:
    """The format an output file's extension asks for, or None if it does not say."""
    return EXTENSIONS.get(path.suffix.lower())


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
