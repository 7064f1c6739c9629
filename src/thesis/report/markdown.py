"""Markdown: the memo to paste into a document or a notebook, with the same parts as the HTML
page (charts aside): summary, key figures, the scorecard with numbered notes, the sections, the
sources' positions, the notes and the provenance."""

from __future__ import annotations

import html
from collections.abc import Iterable

from thesis.report.citations import SEEDS_NOTE
from thesis.report.document import (
    POSITIONS,
    Document,
    Fact,
    Line,
    Run,
    Section,
    Summary,
    around_positions,
    build,
)
from thesis.result import Result


def cell(text: str) -> str:
    """Text on one line, safe in a table cell and in any viewer: its `|` escaped, and `<`, `>`
    and `&` as entities, so a name such as `<img ...>` in a subject file shows as written and
    is never rendered as HTML."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _refs(numbers: Iterable[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _line(line: Line) -> str:
    path = f" <sub>{line.path}</sub>" if line.path else ""
    return f"{cell(line.text)}{_refs(line.notes)}{path}"


def _facts(facts: list[Fact]) -> list[str]:
    return ["| | |", "|---|---|", *(f"| {cell(f.label)} | {cell(f.value)} |" for f in facts)]


def _summary(s: Summary) -> list[str]:
    lines = ["## Summary", "", f"**{s.verdict}**{_refs(s.notes)} (score {s.score}). "
             f"{cell(s.meaning)}", ""]
    lines += [f"- {cell(x)}" for x in s.points]
    for label, items in zip(s.ranking, (s.strongest, s.weakest), strict=True):
        if items:
            lines += ["", f"**{label}:** {cell('; '.join(items))}"]
    if s.questions:
        lines += ["", "**What to find out next**", "",
                  *(f"{i}. {_line(q)}" for i, q in enumerate(s.questions, 1))]
    return [*lines, ""]


def _sections(sections: list[Section]) -> list[str]:
    return [x for section in sections for x in (
        "", f"## {section.heading}", "", *(f"- {_line(item)}" for item in section.items))]


def layout(doc: Document) -> str:
    card = doc.title.rpartition(": ")[2]
    lines = [f"# {cell(doc.title)}", "",
             f"{cell(card)}, {cell(doc.context)}. **{cell(doc.headline)}: {doc.verdict}**", ""]
    if doc.summary is not None:
        lines += _summary(doc.summary)
    if doc.facts:
        lines += ["## Key figures", "", *_facts(doc.facts), ""]
    lines += ["## Scorecard", "", "| | item | given | score | share | note | notes |",
              "|---|---|---|---|---|---|---|"]
    for row in doc.rows:
        indent = "&nbsp;&nbsp;" * row.depth
        label = f"**{cell(row.label)}**" if row.kind == "factor" else cell(row.label)
        lines.append(f"| {row.kind} | {indent}{label} | {cell(row.given)} | {row.score} | "
                     f"{row.share} | {cell(row.note)} | {_refs(row.notes)} |")
    lines += ["", *(f"_{cell(line)}_" for line in doc.legend)]
    before, after = around_positions(doc.sections)
    lines += _sections(before)
    if doc.stances:
        lines += ["", f"## {POSITIONS}", "",
                  "| who, when | claim | stance | and our score |", "|---|---|---|---|"]
        lines += [f"| {cell(s.who)}, {cell(s.when)}{_refs(s.notes)} | {cell(s.claim)} | "
                  f"{s.stance} | {cell(s.agreement)} |" for s in doc.stances]
    lines += _sections(after)
    if doc.notes:
        lines += ["", "## Notes", "", *(f"- [{n.number}] {cell(n.text)}" for n in doc.notes)]
    if doc.seeds:
        lines += ["", SEEDS_NOTE, "",
                  *(f"- `{f.label}`: {cell(f.value)}" for f in doc.seeds)]
    lines += ["", "## Provenance", "", *(f"- {f.label}: {cell(f.value)}" for f in doc.provenance)]
    return "\n".join(lines) + "\n"


def render(result: Result, run: Run | None = None) -> str:
    """The memo of one result; `run` adds the date and the file as given to its provenance."""
    return layout(build(result, run))
