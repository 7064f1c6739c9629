"""Markdown: the report to paste into an investment memo, sources in full."""

from __future__ import annotations

from thesis.report.document import Document, build
from thesis.result import Result


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def layout(doc: Document) -> str:
    lines = [f"# {doc.title}", "", f"{doc.context}. **{doc.headline}: {doc.verdict}** "
             f"({doc.meaning})", "", *(x for line in doc.lead for x in (_cell(line), "")),
             "| | item | given | score | share | note | source |",
             "|---|---|---|---|---|---|---|"]
    for row in doc.rows:
        indent = "&nbsp;&nbsp;" * row.depth
        label = f"**{_cell(row.label)}**" if row.kind == "factor" else _cell(row.label)
        lines.append(f"| {row.kind} | {indent}{label} | {_cell(row.given)} | {row.score} | "
                     f"{row.share} | {_cell(row.note)} | {_cell(row.source)} |")
    lines += ["", *(f"_{_cell(line)}_" for line in doc.legend)]
    for section in doc.sections:
        lines += ["", f"## {section.heading}", "", *(f"- {line}" for line in section.lines)]
    if doc.stances:
        lines += ["", "## What the sources would say", "",
                  "| who | when | claim | anchor | stance | and our score |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {_cell(s.who)} | {s.when} | {_cell(s.claim)} | {s.source}: "
                  f"\"{_cell(s.anchor)}\" | {s.stance} | {_cell(s.agreement)} |"
                  for s in doc.stances]
    lines += ["", f"<sub>{_cell(doc.footer)}</sub>"]
    return "\n".join(lines) + "\n"


def render(result: Result) -> str:
    return layout(build(result))
