"""`thesis compare A B`: two companies, two markets, or two versions of one, side by side.

Both files are read first, and every problem in either is listed at once (exit 2, nothing
written); so is a pair of files of different kinds. Like `thesis.cli`, this module imports no
numpy, scipy or pydantic until the command runs; `thesis.cli` imports it, and it registers the
command there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from thesis.cli import (
    FormatOption,
    OutputOption,
    SamplesOption,
    ScorecardOption,
    SeedOption,
    StrictOption,
    app,
    check_output,
    example,
    in_colour,
    output_format,
    plausibility,
    user_errors,
    write_output,
)
from thesis.defaults import DEFAULT_SAMPLES
from thesis.errors import InputError, Problem
from thesis.report import Format

if TYPE_CHECKING:
    from thesis.subjects import Subject


@user_errors
def compare_command(
    first: Annotated[Path, typer.Argument(help="A company or a market YAML file.",
                                          metavar="A")],
    second: Annotated[Path, typer.Argument(
        help="Another of the same kind, or another version of the same one.", metavar="B")],
    scorecard: ScorecardOption = None,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    fmt: FormatOption = None,
    output: OutputOption = None,
    strict: StrictOption = False,
) -> None:
    """Compare two companies, two markets, or two versions of one, side by side.

    Factor by factor, the gap split among the inputs that differ, and P(A > B) from one joint
    Monte Carlo in which what the two give alike is drawn alike."""
    import thesis
    from thesis.comparison import compare_subjects
    from thesis.report.comparison import render

    check_output(output)
    layout = output_format(fmt, output)
    problems: list[Problem] = []
    subjects: list[Subject] = []
    with plausibility(strict):
        for file in (first, second):
            try:
                subjects.append(thesis.load(file))
            except InputError as exc:
                problems += exc.problems
        if problems:
            raise InputError(problems)
    a, b = subjects
    matchup = compare_subjects(a, b, scorecard, samples=samples, seed=seed)
    write_output(render(matchup, layout, colour=layout is Format.table and in_colour(output)),
                 output)


app.command("compare", epilog=example(
    "thesis compare examples/companies/casebook.yaml examples/companies/chorus.yaml"))(
        compare_command)
