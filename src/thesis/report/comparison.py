"""The report of `thesis compare`: one document built from a `Matchup`, laid out for the
terminal, markdown, HTML (one self-contained page) or JSON (the model itself).

Every word is written once, in `build`: a headline ("Casebook 78.5 vs Chorus 80.0: Chorus
ahead by 1.6; P(Casebook > Chorus) = 0.37"), the factors side by side with each one's part of
the gap, the changed inputs ranked by their share of it, and where the numbers came from.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html import escape

from rich import box
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from thesis.comparison import Matchup
from thesis.report import Format
from thesis.report.document import BUBBLE_DIRECTION, fmt_score
from thesis.report.html import style
from thesis.report.markdown import cell
from thesis.report.text import console, without_trailing_spaces

SHOWN_SHARE = 0.05
FACTORS = "Factor by factor"
INPUTS = "What separates them, input by input (each one's share of the gap)"
"""An input whose share of the gap rounds to 0.0 is named in one line, not given a row."""
_TRAILING_NOTE = re.compile(r"\s*\([^)]*\)$")


@dataclass(frozen=True)
class FactorLine:
    depth: int
    title: str
    a: str
    b: str
    gap: str
    part: str
    """The factor's part of the gap in the total score; empty inside a group."""


@dataclass(frozen=True)
class InputLine:
    question: str
    path: str
    a: str
    b: str
    share: str


@dataclass(frozen=True)
class MatchupDocument:
    title: str
    names: tuple[str, str]
    headline: str
    lead: list[str]
    factors: list[FactorLine]
    inputs: list[InputLine]
    notes: list[str]
    footer: str


def build(matchup: Matchup) -> MatchupDocument:
    """The comparison in words, for every layout."""
    m = matchup
    first, second = names(m)
    return MatchupDocument(
        title=f"{m.a.subject.name} vs {m.b.subject.name}: {m.scorecard_title}",
        names=(first, second),
        headline=headline(m), lead=_lead(m, first, second), factors=_factors(m),
        inputs=_inputs(m), notes=_notes(m, first, second),
        footer=_footer(m))


def names(matchup: Matchup) -> tuple[str, str]:
    """Short names for the two sides: without a trailing note such as "(hypothetical)", and
    when those are the same (two versions of one company), the file names."""
    a, b = (_TRAILING_NOTE.sub("", s.subject.name) or s.subject.name
            for s in (matchup.a, matchup.b))
    if a != b:
        return a, b
    files = matchup.a.file, matchup.b.file
    if files[0] and files[1] and files[0] != files[1]:
        return f"{a} ({files[0]})", f"{b} ({files[1]})"
    return f"{a} (A)", f"{b} (B)"


def headline(matchup: Matchup) -> str:
    """`Casebook 78.5 vs Chorus 80.0: Chorus ahead by 1.6; P(Casebook > Chorus) = 0.37`; of
    two markets, which is the more bubble-like."""
    first, second = names(matchup)
    gap = matchup.gap
    leader = first if gap > 0 else second
    ahead = ("level" if abs(gap) < SHOWN_SHARE
             else f"{leader} ahead by {abs(gap):.1f}" if matchup.kind == "company"
             else f"{leader} higher by {abs(gap):.1f} ({BUBBLE_DIRECTION})")
    line = (f"{first} {fmt_score(matchup.a.score)} vs {second} {fmt_score(matchup.b.score)}: "
            f"{ahead}")
    if matchup.joint is not None:
        line += f"; P({first} > {second}) = {matchup.joint.probability_above:.2f}"
    return line


def _lead(m: Matchup, first: str, second: str) -> list[str]:
    lines = [f"Verdicts: {first} {m.a.verdict}; {second} {m.b.verdict} "
             f"(answered {m.a.coverage.weight:.0%} and {m.b.coverage.weight:.0%} of the "
             "scorecard's weight)"]
    j = m.joint
    if j is None:
        return [*lines, "Base case only (--samples 0): no Monte Carlo, so no P(A > B)."]
    interval = "" if j.probability_interval is None else (
        " ({:.0%} interval {:.2f}-{:.2f} across {} independently scrambled replicates)".format(
            j.confidence, *j.probability_interval, j.replicates))
    lines.append(f"P({first} > {second}) = {j.probability_above:.2f}{interval}")
    if j.probability_tie > 0:
        lines.append(f"P({first} = {second}) = {j.probability_tie:.3g}: the share of samples "
                     "in which the two score exactly alike")
    g = j.gap
    lines.append(
        f"The gap ({first} minus {second}) over {j.samples:,} paired samples: P10 "
        f"{signed(g.p10)}, P50 {signed(g.p50)}, P90 {signed(g.p90)}. Each sample draws both "
        "from one design, and an input given alike (or drawn from the same prior) takes the "
        f"same draw for both ({j.shared_inputs} of the {j.sampled_inputs} drawn), so the two "
        "differ only where their inputs do.")
    lines.append(f"Scores P10-P90: {first} {fmt_score(j.a.p10)}-{fmt_score(j.a.p90)}, "
                 f"{second} {fmt_score(j.b.p10)}-{fmt_score(j.b.p90)}")
    return lines


def signed(value: float) -> str:
    """A difference to one decimal with its sign: `+1.6`, `-0.4`, and `0.0` (never `-0.0`)."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def _factors(m: Matchup) -> list[FactorLine]:
    rows = [FactorLine(f.depth, f.title, fmt_score(f.a), fmt_score(f.b),
                       "-" if f.gap is None else signed(f.gap),
                       "" if f.contribution is None else signed(f.contribution))
            for f in m.factors]
    if abs(m.card_gates) >= SHOWN_SHARE:
        rows.append(FactorLine(0, "The scorecard's own gates, after its factors", "", "", "",
                               signed(m.card_gates)))
    rows.append(FactorLine(0, "Total score", fmt_score(m.a.score), fmt_score(m.b.score),
                           signed(m.gap), signed(m.gap)))
    return rows


def _inputs(m: Matchup) -> list[InputLine]:
    rows = []
    for g in m.inputs.inputs:
        if abs(g.share) < SHOWN_SHARE:
            continue
        error = "" if g.error is None or g.error < SHOWN_SHARE else f" ± {g.error:.1f}"
        rows.append(InputLine(" ".join(g.question.split()), g.input, g.a, g.b,
                              f"{signed(g.share)}{error}"))
    return rows


def _notes(m: Matchup, first: str, second: str) -> list[str]:
    """How the inputs' shares were found and how to read them."""
    split = m.inputs
    if not split.inputs:
        return ["The two give every input the scorecard reads alike: nothing separates them."]
    how = (f"Every mix of the two ({split.hybrids:,}: each changed input as {first} gives it or "
           f"as {second} does) was scored." if split.method == "exact" else
           f"Estimated from {split.permutations} random orders of the {len(split.inputs)} "
           f"changed inputs (seed {split.seed}); ± is one standard error.")
    notes = [f"A share is the input's Shapley value: the change its value from {second}'s to "
             f"{first}'s makes to the score, averaged over every order of making the changes, "
             "so no input's share depends on which is counted first. A positive share favours "
             f"{first}, a negative one {second}; the shares sum to the gap ({signed(m.gap)}). "
             + how]
    small = [g.input for g in split.inputs if abs(g.share) < SHOWN_SHARE]
    if small:
        notes.append(f"{len(small)} more changed input(s) move the gap by less than "
                     f"{SHOWN_SHARE} each: {', '.join(small)}")
    return notes


def _footer(m: Matchup) -> str:
    p = m.provenance
    cards = ", ".join(f"{c.id} {c.sha256[:12]}" for c in p.scorecards)
    files = " vs ".join(s.file or s.subject.name for s in (m.a, m.b))
    run = "base case only" if m.joint is None else (
        f"{m.joint.samples:,} sobol samples (paired), seed {p.seed}")
    if m.joint is not None and m.joint.samples != p.requested_samples:
        run += f" ({p.requested_samples:,} requested, rounded up to a power of two)"
    return f"thesis {p.thesis_version}; {files}; scorecards {cards}; {run}"


def render(matchup: Matchup, fmt: Format = Format.table, colour: bool = False) -> str:
    """The comparison as text in a format; the table in colour and bold if `colour`."""
    if fmt is Format.json:
        return matchup.model_dump_json(indent=2) + "\n"
    doc = build(matchup)
    if fmt is Format.markdown:
        return markdown(doc)
    if fmt is Format.html:
        return html(doc)
    return table(doc, colour)


def table(doc: MatchupDocument, colour: bool = False) -> str:
    """The terminal layout: plain text unless `colour`."""
    buffer = io.StringIO()
    out = console(buffer, colour)
    first, second = doc.names
    out.print(Text(doc.title, style="bold"))
    out.print(Text(doc.headline, style="bold cyan"))
    for line in doc.lead:
        out.print(Text(line))
    out.print()
    factors = Table(title=FACTORS, title_justify="left", box=box.SIMPLE_HEAD,
                    expand=True, pad_edge=False, show_edge=False)
    factors.add_column("factor", ratio=6)
    for heading in (first, second, "gap", "part of the gap"):
        factors.add_column(heading, justify="right", ratio=1)
    for row in doc.factors:
        label = Text(row.title, style="bold" if row.depth == 0 else "")
        factors.add_row(Padding(label, (0, 0, 0, 2 * row.depth)), row.a, row.b, row.gap,
                        row.part)
    out.print(factors)
    out.print()
    inputs = Table(title=INPUTS, title_justify="left", box=box.SIMPLE_HEAD, expand=True,
                   pad_edge=False, show_edge=False)
    inputs.add_column("input", ratio=5)
    inputs.add_column(first, ratio=2)
    inputs.add_column(second, ratio=2)
    inputs.add_column("share of the gap", justify="right", ratio=1)
    for x in doc.inputs:
        inputs.add_row(Text.assemble(x.question, "\n", (x.path, "dim")), x.a, x.b, x.share)
    out.print(inputs if doc.inputs else Text(INPUTS, style="italic"))
    for note in doc.notes:
        out.print(Text(note, style="dim"))
    out.print()
    out.print(Text(doc.footer, style="dim"))
    return without_trailing_spaces(buffer.getvalue())


def markdown(doc: MatchupDocument) -> str:
    """The markdown layout, for an investment memo."""
    first, second = doc.names
    lines = [f"# {cell(doc.title)}", "", f"**{cell(doc.headline)}**", "",
             *(x for line in doc.lead for x in (cell(line), "")),
             f"## {FACTORS}", "",
             f"| factor | {cell(first)} | {cell(second)} | gap | part of the gap |",
             "|---|---:|---:|---:|---:|"]
    for row in doc.factors:
        title = "&nbsp;&nbsp;" * row.depth + (f"**{cell(row.title)}**" if row.depth == 0
                                              else cell(row.title))
        lines.append(f"| {title} | {row.a} | {row.b} | {row.gap} | {row.part} |")
    lines += ["", f"## {INPUTS}", ""]
    if doc.inputs:
        lines += [f"| input | {cell(first)} | {cell(second)} | share of the gap |",
                  "|---|---|---|---:|"]
        lines += [f"| {cell(x.question)}<br><sub>`{x.path}`</sub> | {cell(x.a)} | "
                  f"{cell(x.b)} | {x.share} |" for x in doc.inputs]
    lines += ["", *(x for note in doc.notes for x in (f"_{cell(note)}_", "")),
              f"<sub>{cell(doc.footer)}</sub>"]
    return "\n".join(lines) + "\n"


def html(doc: MatchupDocument) -> str:
    """One self-contained page to share, in the memo's style."""
    first, second = (escape(n) for n in doc.names)
    factors = "".join(
        f"<tr class='{'factor' if row.depth == 0 else 'criterion'}'>"
        f"<td class='label d{row.depth}'>{escape(row.title)}</td>"
        f"<td class='num'>{row.a}</td><td class='num'>{row.b}</td>"
        f"<td class='num'>{row.gap}</td><td class='num'>{row.part}</td></tr>"
        for row in doc.factors)
    rows = "".join(
        f"<tr><td>{escape(x.question)}<span class='path'>{escape(x.path)}</span></td>"
        f"<td>{escape(x.a)}</td><td>{escape(x.b)}</td><td class='num'>{escape(x.share)}</td>"
        "</tr>" for x in doc.inputs)
    parts = [
        "<!doctype html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        f"<title>{escape(doc.title)}</title>\n<style>{style()}</style>\n</head>",
        "<body>", "<main>", f"<h1>{escape(doc.title)}</h1>",
        f"<div class='summary'><p class='verdict'><strong>{escape(doc.headline)}</strong></p>",
        *(f"<p>{escape(line)}</p>" for line in doc.lead), "</div>",
        f"<h2>{FACTORS}</h2>",
        f"<div class='scroll'><table><tr><th>factor</th><th class='num'>{first}</th>"
        f"<th class='num'>{second}</th><th class='num'>gap</th>"
        f"<th class='num'>part of the gap</th></tr>{factors}</table></div>",
        f"<h2>{escape(INPUTS)}</h2>",
        f"<div class='scroll'><table><tr><th>input</th><th>{first}</th><th>{second}</th>"
        f"<th class='num'>share of the gap</th></tr>{rows}</table></div>" if rows else "",
        *(f"<p class='legend'>{escape(note)}</p>" for note in doc.notes),
        f"<footer><p class='dim'>{escape(doc.footer)}</p></footer>",
        "</main>", "</body>", "</html>\n"]
    return "\n".join(parts)
