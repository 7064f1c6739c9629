"""HTML: the memo, one self-contained page to share with a partner.

Inline CSS (`memo.css`, shipped with the package), inline SVG charts, no script and no external
request: it opens offline, reads on a phone, and prints on A4 or Letter. The words are the
`Document`'s; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from html import escape
from importlib import resources

from thesis.report.citations import SEEDS_NOTE
from thesis.report.document import (
    POSITIONS,
    Chart,
    Document,
    Fact,
    Line,
    Row,
    Run,
    Section,
    Stance,
    Summary,
    around_positions,
    build,
)
from thesis.result import Result

CHARTS: tuple[Chart, ...] = ("distribution", "tornado", "cohorts")


@cache
def style() -> str:
    """The memo's stylesheet, read once from the package."""
    return resources.files("thesis.report").joinpath("memo.css").read_text(encoding="utf-8")


def render(result: Result, run: Run | None = None) -> str:
    """The memo of one result; `run` adds the date and the file as given to its provenance."""
    from thesis.report.chart import figure_svg

    doc = build(result, run)
    wanted = {s.chart for s in doc.sections if s.chart is not None}
    return layout(doc, {which: figure_svg(result, which) for which in CHARTS if which in wanted})


def layout(doc: Document, charts: Mapping[Chart, str | None]) -> str:
    """The page: the opening (summary and key figures), the scorecard, the sections with their
    charts, the sources' positions, the notes and the provenance."""
    head = ("<!doctype html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
            f"<title>{escape(doc.title)}</title>\n<style>{style()}</style>\n</head>")
    card = doc.title.rpartition(": ")[2]
    parts = [head, "<body>", "<main>", "<header>",
             f"<p class='kicker'>{escape(card)} &middot; {escape(doc.context)}</p>",
             f"<h1>{escape(doc.subject)}</h1>", "</header>",
             "<div class='opening'>", _summary(doc.summary), _facts(doc.facts), "</div>",
             "<section id='scorecard'>", "<h2>Scorecard</h2>", _scorecard(doc.rows),
             *(f"<p class='legend'>{escape(line)}</p>" for line in doc.legend), "</section>"]
    before, after = around_positions(doc.sections)
    parts += [_section(section, charts) for section in before]
    if doc.stances:
        parts.append(_stances(doc.stances))
    parts += [_section(section, charts) for section in after]
    if doc.notes:
        parts += ["<section id='notes'>", "<h2>Notes</h2>", "<ol class='notes'>",
                  *(f"<li id='note-{n.number}' value='{n.number}'>{escape(n.text)}</li>"
                    for n in doc.notes), "</ol>", _seeds(doc.seeds), "</section>"]
    parts += [_provenance(doc), "</main>", "</body>", "</html>\n"]
    return "\n".join(parts)


def _refs(numbers: Iterable[int]) -> str:
    """Note numbers as superscript links to their notes."""
    links = ",".join(f"<a href='#note-{n}'>{n}</a>" for n in numbers)
    return f"<sup class='ref'>{links}</sup>" if links else ""


def _title(text: str) -> str:
    """A tooltip: the input path behind a figure or a question, where there is one."""
    return f" title='{escape(text)}'" if text else ""


def _path(path: str) -> str:
    return f"<span class='path'>{escape(path)}</span>" if path else ""


def _item(line: Line) -> str:
    return f"<li>{escape(line.text)}{_refs(line.notes)}{_path(line.path)}</li>"


def _summary(summary: Summary | None) -> str:
    if summary is None:
        return ""
    s = summary
    parts = ["<section id='summary' class='summary'>", "<h2>Summary</h2>",
             f"<p class='verdict'><strong>{escape(s.verdict)}</strong>{_refs(s.notes)} "
             f"<span class='score'>score {escape(s.score)}</span></p>",
             f"<p>{escape(s.meaning)}</p>",
             "<ul>", *(f"<li>{escape(x)}</li>" for x in s.points), "</ul>"]
    ranks = [(label, items) for label, items in zip(s.ranking, (s.strongest, s.weakest),
                                                      strict=True) if items]
    if ranks:
        parts += ["<div class='ranks'>", *(
            f"<div><h3>{escape(label)}</h3><ol>{''.join(f'<li>{escape(x)}</li>' for x in items)}"
            "</ol></div>" for label, items in ranks), "</div>"]
    if s.questions:
        parts += ["<h3>What to find out next</h3>", "<ol class='questions'>",
                  *(_item(q) for q in s.questions), "</ol>"]
    parts.append("</section>")
    return "\n".join(parts)


def _facts(facts: list[Fact]) -> str:
    if not facts:
        return ""
    cells = "".join(f"<div><dt>{escape(f.label)}</dt><dd{_title(f.path)}>{escape(f.value)}</dd>"
                    "</div>" for f in facts)
    return (f"<aside id='key-figures' class='facts'><h2>Key figures</h2><dl>{cells}</dl>"
            "<p class='legend'>as the file states them</p></aside>")


def _scorecard(rows: list[Row]) -> str:
    head = ("<div class='scroll'><table class='scorecard'><thead><tr>"
            "<th class='label'>factor / criterion</th><th class='given'>given</th>"
            "<th class='num score'>score</th><th class='num share'>share</th>"
            "<th class='refs'>note</th></tr></thead><tbody>")
    body = []
    for row in rows:
        note = f" <span class='note'>({escape(row.note)})</span>" if (
            row.kind != "criterion" and row.note) else ""
        hint = _title(f"{row.path}: {row.note}" if row.path else "")
        muted = " muted" if row.muted else ""
        body.append(f"<tr class='{row.kind}{muted}'><td class='label d{min(row.depth, 3)}'"
                    f"{hint}>{escape(row.label)}{note}</td>"
                    f"<td class='given'>{escape(row.given)}</td>"
                    f"<td class='num'>{escape(row.score)}</td>"
                    f"<td class='num'>{escape(row.share)}</td>"
                    f"<td class='refs'>{_refs(row.notes)}</td></tr>")
    return head + "".join(body) + "</tbody></table></div>"


def _section(section: Section, charts: Mapping[Chart, str | None]) -> str:
    key = f" id='{section.key}'" if section.key else ""
    svg = charts.get(section.chart) if section.chart else None
    figure = f"<figure class='chart'>{svg}</figure>" if svg else ""
    items = "".join(_item(line) for line in section.items)
    return f"<section{key}><h2>{escape(section.heading)}</h2>{figure}<ul>{items}</ul></section>"


def _stances(stances: list[Stance]) -> str:
    items = "".join(
        f"<li><b>{escape(s.who)}</b>, {escape(s.when)}{_refs(s.notes)}: {escape(s.claim)} "
        f"<span class='stance {s.stance.split()[0]}'>{escape(s.stance)}</span>: "
        f"{escape(s.agreement)}</li>" for s in stances)
    return (f"<section id='positions'><h2>{POSITIONS}</h2><ul class='stances'>{items}</ul>"
            "</section>")


def _seeds(seeds: list[Fact]) -> str:
    if not seeds:
        return ""
    items = "".join(f"<li><b>{escape(f.label)}</b> {escape(f.value)}</li>" for f in seeds)
    return f"<p class='legend'>{escape(SEEDS_NOTE)}</p><ul class='seeds'>{items}</ul>"


def _provenance(doc: Document) -> str:
    cells = "".join(f"<div><dt>{escape(f.label)}</dt><dd>{escape(f.value)}</dd></div>"
                    for f in doc.provenance)
    return ("<footer id='provenance'><h2>Provenance</h2>"
            f"<dl>{cells}</dl><p>The same file, scorecards, samples and seed give the same "
            "numbers on any machine.</p></footer>")
