"""HTML: one self-contained page to share - the scorecard, the sections, the sources' positions,
and the chart inline as SVG (drawn only when there is a Monte Carlo sample to draw)."""

from __future__ import annotations

from html import escape

from thesis.report import Row, agreement, fmt_score, groups_line, regime_line, rows, spoken
from thesis.report.uncertainty import counterfactual_section, uncertainty_sections
from thesis.result import BubbleResult, ScorecardResult, ScoreResult

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


def _page(title: str, lead: list[str], result: ScorecardResult, subject: str,
          sections: list[tuple[str, list[str]]], tail: str = "") -> str:
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
             f"<h1>{escape(title)}</h1>", *(f"<p>{line}</p>" for line in lead)]
    if result.uncertainty is not None:
        from thesis.report.chart import render_chart

        svg = render_chart(result, subject, "svg").decode("utf-8")
        parts.append(f"<div class='chart'>{svg[svg.index('<svg'):]}</div>")
    parts.append(_scorecard(list(rows(result))))
    for heading, body in sections:
        items = "".join(f"<li>{escape(line)}</li>" for line in body)
        parts.append(f"<h2>{escape(heading)}</h2><ul>{items}</ul>")
    parts += [tail, "</body></html>\n"]
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


def render(result: ScoreResult) -> str:
    """A company's report as a page."""
    lead = [f"<span class='verdict'>Score <b>{fmt_score(result.score)}</b> / 100: "
            f"<b>{escape(result.verdict)}</b></span> - {escape(result.verdict_meaning)}",
            f"<span class='dim'>Layer: {escape(result.layer)}. Verdict bands: "
            f"{escape(result.verdict_source)}</span>"]
    lead += [escape(line) for line in (groups_line(result), regime_line(result)) if line]
    tail = ""
    if spoken(result):
        cells = "".join(
            f"<tr><td>{escape(p.speaker)}, {escape(p.date)}</td><td>{escape(p.claim)}</td>"
            f"<td class='dim'>{escape(p.source)}: \"{escape(p.anchor)}\"</td>"
            f"<td>{p.stance}</td><td class='num'>{fmt_score(p.our_score)}</td>"
            f"<td>{agreement(p)}</td></tr>" for p in spoken(result))
        tail = ("<h2>What the sources would say</h2><table><tr><th>who</th><th>claim</th>"
                "<th>anchor</th><th>stance</th><th>our score</th><th></th></tr>"
                f"{cells}</table>")
    sections = [*uncertainty_sections(result.uncertainty), counterfactual_section(result)]
    return _page(f"{result.company}: {result.scorecard_title}", lead, result, result.company,
                 sections, tail)


def render_bubble(result: BubbleResult) -> str:
    """A market's bubble report as a page."""
    from thesis.report.bubble import DIRECTION, sections

    lead = [f"<span class='verdict'>Bubble score <b>{fmt_score(result.score)}</b> / 100: "
            f"<b>{escape(result.verdict)}</b></span> - {escape(result.verdict_meaning)} "
            f"<span class='dim'>({DIRECTION}; as of {escape(result.as_of)})</span>"]
    return _page(f"{result.market}: {result.scorecard_title}", lead, result, result.market,
                 sections(result))
