"""The bubble report (`thesis bubble`): verdict, stage, factor table, run-up, what would move it.

Three formats like the company report, sharing its factor walk (`rows`) and terminal table; the
sections after the scorecard are built once as plain lines (`sections`) and laid out per format.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.text import Text

from thesis.report import Format, fmt_score, rows
from thesis.report.markdown import _cell, scorecard_lines, section_lines
from thesis.report.uncertainty import counterfactual_section, uncertainty_sections
from thesis.result import BubbleResult, RunUpResult

DIRECTION = "higher scores are more bubble-like"


def stage_line(result: BubbleResult) -> str:
    """The whole cycle with the market's stage in brackets."""
    if result.stage is None:
        return ""
    return " > ".join(f"[{t.upper()}]" if i == result.stage.index else t.lower()
                      for i, t in enumerate(result.stage.stages))


def run_up_line(run: RunUpResult) -> str:
    net = "" if run.net is None else f", market {run.market:+.0%}, net of market {run.net:+.0%}"
    crash = ("below the smallest run-up tabulated" if run.crash_probability is None
             else f"{run.crash_probability:.0%}")
    verdict = "above" if run.exceeds_threshold else "below"
    return (f"{run.start} to {run.end}: raw {run.raw:+.0%}{net}; {verdict} the 100% run-up "
            f"line; crash probability after such a net run-up: {crash}")


def sections(result: BubbleResult) -> list[tuple[str, list[str]]]:
    """The report after the factor table: (heading, lines), empty sections left out."""
    out: list[tuple[str, list[str]]] = []
    if result.stage is not None:
        odds = ", ".join(f"{title.lower()} {p:.0%}"
                         for title, p in result.stage.probabilities.items() if p > 0)
        out.append(("Stage of the cycle", [
            stage_line(result), f"{result.stage.title}: {result.stage.meaning}",
            *([f"over the inputs' uncertainty: {odds}"] if odds else []),
            f"source: {' '.join(result.stage.source.split())}"]))
    if result.run_up is not None:
        run = result.run_up
        out.append(("Run-up check (beside the six factors, not in the score)",
                    [run_up_line(run), *([run.note] if run.note else []),
                     f"source: {run.source}"]))
    out.append(counterfactual_section(result))
    if result.comparison is not None:
        other = result.comparison
        lines = [f"{other.market} (as of {other.as_of}): {fmt_score(other.score)}, "
                 f"{other.verdict}; difference {result.score - other.score:+.1f}, by factor "
                 "(share x score, largest first):"]
        lines += [f"{d.title}: {fmt_score(d.score)} vs {fmt_score(d.other)} -> "
                  f"{d.contribution:+.1f}" for d in other.factors]
        out.append((f"Compared with {other.market}", lines))
    out += uncertainty_sections(result.uncertainty)
    if result.not_assessed:
        out.append(("Not assessed", [f"{k}: {v}" for k, v in result.not_assessed.items()]))
    return out


def render_table(result: BubbleResult) -> str:
    from thesis.report.table import console, print_sections, scorecard_table

    buffer = io.StringIO()
    out = console(buffer)
    out.print(Text.assemble((result.market, "bold"), f"  as of {result.as_of}  ",
                            (result.scorecard_title, "dim")))
    out.print(Text.assemble("Bubble score ", (f"{fmt_score(result.score)} / 100", "bold"),
                            f" ({DIRECTION})  ", (result.verdict, "bold cyan"),
                            f"  {result.verdict_meaning}"))
    out.print(scorecard_table(list(rows(result))))
    print_sections(out, sections(result))
    return buffer.getvalue()


def render_markdown(result: BubbleResult) -> str:
    lines = [f"# {result.market}: {result.scorecard_title}", "",
             f"As of {result.as_of}. **Bubble score {fmt_score(result.score)} / 100: "
             f"{result.verdict}** ({result.verdict_meaning}); {DIRECTION}.", "",
             f"Verdict bands: {_cell(result.verdict_source)}", "",
             *scorecard_lines(result)]
    lines += section_lines(sections(result))
    return "\n".join(lines) + "\n"


def render_json(result: BubbleResult) -> str:
    return result.model_dump_json(indent=2) + "\n"


def bubble_renderer(fmt: Format) -> Callable[[BubbleResult], str]:
    from thesis.report.html import render_bubble

    return {Format.json: render_json, Format.markdown: render_markdown,
            Format.html: render_bubble}.get(fmt, render_table)
