"""HTML: one self-contained page to share - the report, and the chart inline as SVG (drawn only
when there is a Monte Carlo sample to draw)."""

from __future__ import annotations

from html import escape

from thesis.report.document import Document, Row, build
from thesis.result import Result

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.verdict { font-size: 1.2em; } .dim { color: #666; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: .25em .5em; vertical-align: top; }
th { text-align: left; border-bottom: 2px solid #999; } tr.factor td { font-weight: 600;
  border-top: 1px solid #ccc; } td.num { text-align: right; white-space: nowrap; }
.chart svg { width: 100%; height: auto; }
"""


def layout(doc: Document, chart_svg: str = "") -> str:
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{escape(doc.title)}</title><style>{STYLE}</style></head><body>",
             f"<h1>{escape(doc.title)}</h1>",
             f"<p class='dim'>{escape(doc.context)}</p>",
             f"<p><span class='verdict'>{escape(doc.headline)}: <b>{escape(doc.verdict)}</b>"
             f"</span> - {escape(doc.meaning)}</p>",
             *(f"<p>{escape(line)}</p>" for line in doc.lead)]
    if chart_svg:
        parts.append(f"<div class='chart'>{chart_svg}</div>")
    parts.append(_scorecard(doc.rows))
    parts += [f"<p class='dim'>{escape(line)}</p>" for line in doc.legend]
    for section in doc.sections:
        items = "".join(f"<li>{escape(line)}</li>" for line in section.lines)
        parts.append(f"<h2>{escape(section.heading)}</h2><ul>{items}</ul>")
    if doc.stances:
        cells = "".join(
            f"<tr><td>{escape(s.who)}, {escape(s.when)}</td><td>{escape(s.claim)}</td>"
            f"<td class='dim'>{escape(s.source)}: \"{escape(s.anchor)}\"</td>"
            f"<td>{escape(s.stance)}</td><td>{escape(s.agreement)}</td></tr>"
            for s in doc.stances)
        parts.append("<h2>What the sources would say</h2><table><tr><th>who</th><th>claim</th>"
                     "<th>anchor</th><th>stance</th><th>and our score</th></tr>"
                     f"{cells}</table>")
    parts += [f"<footer class='dim'><p>{escape(doc.footer)}</p></footer>", "</body></html>\n"]
    return "\n".join(parts)


def _scorecard(lines: list[Row]) -> str:
    head = ("<table><tr><th>factor / criterion</th><th>given</th><th>score</th><th>share</th>"
            "<th>source</th></tr>")
    body = []
    for row in lines:
        note = f" <span class='dim'>({escape(row.note)})</span>" if (
            row.kind == "factor" and row.note) else ""
        body.append(f"<tr class='{row.kind}'><td style='padding-left:{0.5 + 1.5 * row.depth}em'>"
                    f"{escape(row.label)}{note}</td><td>{escape(row.given)}</td>"
                    f"<td class='num'>{row.score}</td><td class='num'>{row.share}</td>"
                    f"<td class='dim'>{escape(' '.join(row.source.split()))}</td></tr>")
    return head + "".join(body) + "</table>"


def render(result: Result) -> str:
    svg = ""
    if result.uncertainty is not None:
        from thesis.report.chart import render_chart

        drawn = render_chart(result, "svg").decode("utf-8")
        svg = drawn[drawn.index("<svg"):]
    return layout(build(result), svg)
