"""`thesis report`: the memo a partner reads, as one self-contained HTML page or as markdown.

It scores the file as `thesis score` does and lays the result out as a memo (`thesis.report.html`
or `thesis.report.markdown`), with the date of the run and the file as given in its provenance.
The date is today's in UTC, or the one SOURCE_DATE_EPOCH names (seconds since 1970, the
reproducible-builds convention), so the same file, seed and date give the same bytes. Like
`thesis.cli`, this module imports no numpy, scipy or pydantic until the command runs;
`thesis.cli` imports it, and it registers the command there.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from thesis.cli import (
    OutputOption,
    SamplesOption,
    ScorecardOption,
    SeedOption,
    StrictOption,
    app,
    check_output,
    example,
    output_format,
    plausibility,
    score_with_progress,
    user_errors,
    write_output,
)
from thesis.defaults import DEFAULT_SAMPLES
from thesis.errors import OutputError, UserError
from thesis.report import format_for


class MemoFormat(StrEnum):
    html = "html"
    markdown = "markdown"


def check_memo_path(output: Path | None) -> None:
    """A memo is written as HTML or markdown, whatever else an output file's extension names."""
    if output is None or str(output) == "-" or not output.suffix:
        return
    if format_for(output, MemoFormat) is None:
        raise OutputError(f"--output {output}: a memo is written as .html or .md, not "
                          f"{output.suffix} (to get a PDF, print the HTML memo from a browser)")


def run_date() -> str:
    """Today in UTC, or the day SOURCE_DATE_EPOCH names, as 2026-01-31."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    if fixed is None:
        return datetime.now(UTC).date().isoformat()
    try:
        return datetime.fromtimestamp(int(fixed), UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise UserError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since "
                        f"1970-01-01, not {fixed!r}") from None


def as_given(file: Path) -> str:
    """The input file as the reader should see it: as given when relative; an absolute path
    relative to the working folder when under it, else by its name alone."""
    if not file.is_absolute():
        return file.as_posix()
    try:
        return file.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return file.name


@user_errors
def report_command(
    file: Annotated[Path, typer.Argument(help="A company or a market YAML file.",
                                         metavar="FILE")],
    output: OutputOption = None,
    fmt: Annotated[MemoFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="html or markdown (default: from the "
        "--output file's extension, else html: one self-contained page).")] = None,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    scorecard: ScorecardOption = None,
    strict: StrictOption = False,
) -> None:
    """Write the memo on a company or a market: the verdict and how sure, the subject's own
    figures, the scorecard with its sources as notes, the charts, what to find out next, and
    what the sources' authors would say."""
    import thesis
    from thesis.report.document import Run

    check_output(output)
    check_memo_path(output)
    layout = output_format(fmt, output, MemoFormat.html)
    run = Run(date=run_date(), input_file=as_given(file))
    with plausibility(strict):
        subject = thesis.load(file)
    result = score_with_progress(subject, scorecard, samples=samples, seed=seed)
    if layout is MemoFormat.markdown:
        from thesis.report.markdown import render
    else:
        from thesis.report.html import render
    write_output(render(result, run), output)


app.command("report", epilog=example(
    "thesis report examples/companies/casebook.yaml -o casebook.html"))(report_command)
