"""Markdown: a scorecard to paste into an investment memo, sources in full."""

from __future__ import annotations

from thesis.report import agreement, fmt_score, groups_line, regime_line, rows, spoken
from thesis.report.uncertainty import counterfactual_section, uncertainty_sections
from thesis.result import ScorecardResult, ScoreResult


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def section_lines(sections: list[tuple[str, list[str]]]) -> list[str]:
    """Report sections after the scorecard as markdown headings and bullets."""
    out: list[str] = []
    for heading, body in sections:
        out += ["", f"## {heading}", "", *(f"- {line}" for line in body)]
    return out


def scorecard_lines(result: ScorecardResult) -> list[str]:
    """The factor tree as a markdown table, sources in full."""
    lines = ["| | item | given | score | share | note | source |",
             "|---|---|---|---|---|---|---|"]
    for row in rows(result):
        indent = "&nbsp;&nbsp;" * row.depth
        label = f"**{_cell(row.label)}**" if row.kind == "factor" else _cell(row.label)
        lines.append(f"| {row.kind} | {indent}{label} | {_cell(row.given)} | {row.score} | "
                     f"{row.share} | {_cell(row.note)} | {_cell(row.source)} |")
    return lines


def render(result: ScoreResult) -> str:
    lines = [
        f"# {result.company}: {result.scorecard_title}",
        "",
        f"**Score {fmt_score(result.score)} / 100: {result.verdict}** ({result.verdict_meaning})",
        "",
        f"Layer: {result.layer}. Verdict bands: {_cell(result.verdict_source)}",
        "",
        *([groups_line(result), ""] if groups_line(result) else []),
        *([regime_line(result), ""] if regime_line(result) else []),
        *scorecard_lines(result),
    ]
    lines += section_lines([*uncertainty_sections(result.uncertainty),
                            counterfactual_section(result)])
    if spoken(result):
        lines += ["", "## What the sources would say", "",
                  "| who | when | claim | anchor | stance | our score | |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| {_cell(p.speaker)} | {p.date} | {_cell(p.claim)} | {p.source}: "
                  f"\"{_cell(p.anchor)}\" | {p.stance} | {fmt_score(p.our_score)} ({p.about}) | "
                  f"{agreement(p)} |" for p in spoken(result)]
    return "\n".join(lines) + "\n"
