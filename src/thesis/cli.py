"""The `thesis` command: parse arguments, call the library, render, set the exit code.

Exit codes: 0 success; 2 bad input or usage (every problem on its own line on stderr);
1 an internal error (a bug: set THESIS_DEBUG=1 to see the traceback).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from thesis import __version__
from thesis.engine.analysis import DEFAULT_SAMPLES
from thesis.engine.compile import NothingToScoreError
from thesis.errors import InputError, ThesisError
from thesis.models.scorecard import Scorecard
from thesis.report import Format, renderer
from thesis.result import ScorecardResult

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Score an investment thesis: transparent, reproducible, uncertainty-aware.",
)

T = TypeVar("T")

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
SamplesOption = Annotated[int, typer.Option(
    "--samples", "-n", min=0,
    help="Monte Carlo samples (scrambled Sobol: rounded up to a power of two); 0 scores the "
    "base case only.")]
ChartOption = Annotated[Path | None, typer.Option(
    "--chart", help="Also draw the score's distribution and tornado to this .png or .svg file.")]
SeedOption = Annotated[int, typer.Option("--seed", min=0, help="Random seed: same seed, "
                                         "same output, on any machine.")]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write here instead of stdout ('-' for stdout)."),
]


def _fail(lines: list[str], code: int) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code)


def guarded(action: Callable[[], T]) -> T:
    """Run `action`; user errors become located lines and exit 2, bugs exit 1."""
    try:
        return action()
    except InputError as exc:
        _fail([str(p) for p in exc.problems], 2)
    except ThesisError as exc:
        _fail([f"error: {exc}"], 2)
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:
        if os.environ.get("THESIS_DEBUG"):
            raise
        _fail([f"internal error: {type(exc).__name__}: {exc}",
               "this is a bug in thesis; set THESIS_DEBUG=1 to see the traceback"], 1)


def write_output(text: str, output: Path | None) -> None:
    """Write to stdout, or atomically to a file: never a partial output file."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    write_file(text.encode("utf-8"), output)


def write_file(data: bytes, output: Path) -> None:
    """Write through a temporary file beside the target and rename: never a partial file."""
    target = output.resolve()
    if not target.parent.is_dir():
        raise InputError.single(output, "no such folder to write into")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        mask = os.umask(0)
        os.umask(mask)
        Path(tmp).chmod(0o666 & ~mask)  # mkstemp makes the file private; a report is not
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


CHART_FORMATS = {".png": "png", ".svg": "svg"}


def _check_chart(chart: Path | None, samples: int) -> None:
    if chart is None:
        return
    if chart.suffix.lower() not in CHART_FORMATS:
        _fail([f"error: --chart {chart}: name a .png or .svg file"], 2)
    if samples == 0:
        _fail(["error: --chart draws the Monte Carlo sample: it needs --samples above 0"], 2)


def _draw(chart: Path | None, result: ScorecardResult, subject: str) -> bytes | None:
    if chart is None:
        return None
    from thesis.report.chart import render_chart

    return render_chart(result, subject, CHART_FORMATS[chart.suffix.lower()])


def _write(report: tuple[str, bytes | None], output: Path | None, chart: Path | None) -> None:
    text, image = report
    if chart is not None and image is not None:
        guarded(lambda: write_file(image, chart))
    write_output(text, output)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"thesis {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Score an investment thesis: transparent, reproducible, uncertainty-aware."""


@app.command("score")
def score_command(
    file: Annotated[Path, typer.Argument(help="A company YAML file.")],
    fmt: FormatOption = Format.table,
    scorecard: Annotated[str, typer.Option(
        "--scorecard", help="A shipped scorecard name (thesis, moat, ...) or a YAML path.")
    ] = "thesis",
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    chart: ChartOption = None,
    output: OutputOption = None,
) -> None:
    """Score a company and explain every factor, beside the regime of its market (if given)."""
    import thesis
    from thesis.bubble import market_regime

    _check_chart(chart, samples)

    def run() -> tuple[str, bytes | None]:
        company = thesis.load_company(file)
        card = thesis.load_scorecard(scorecard)
        regime = market_regime(company, file)
        try:
            result = thesis.score(company, card, samples=samples, seed=seed,
                                  market_regime=regime)
        except NothingToScoreError as exc:
            raise InputError.single(file, str(exc)) from None
        return renderer(fmt)(result), _draw(chart, result, company.name)

    _write(guarded(run), output, chart)


@app.command("bubble")
def bubble_command(
    file: Annotated[Path, typer.Argument(help="A market YAML file.")],
    fmt: FormatOption = Format.table,
    scorecard: Annotated[str, typer.Option(
        "--scorecard", help="A shipped scorecard name (bubble) or a YAML path.")] = "bubble",
    compare: Annotated[Path | None, typer.Option(
        "--compare", help="Another market file: say, factor by factor, what separates the two "
        "scores.")] = None,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    chart: ChartOption = None,
    output: OutputOption = None,
) -> None:
    """Read a market with the six-factor bubble scorecard: verdict, stage, what would move it."""
    from thesis.bubble import compare as compare_markets
    from thesis.bubble import score_market
    from thesis.files.load import load_market, load_scorecard
    from thesis.report.bubble import bubble_renderer

    _check_chart(chart, samples)

    def run() -> tuple[str, bytes | None]:
        card = load_scorecard(scorecard)
        result = score_market(load_market(file), card, market_file=file, samples=samples,
                              seed=seed)
        if compare is not None:
            other = score_market(load_market(compare), card, market_file=compare, samples=0)
            result = compare_markets(result, other)
        return bubble_renderer(fmt)(result), _draw(chart, result, result.market)

    _write(guarded(run), output, chart)


@app.command("validate")
def validate_command(
    files: Annotated[list[Path], typer.Argument(
        help="Company, market or scorecard YAML files.")],
) -> None:
    """Check files without scoring them; every problem of every file is listed."""
    import thesis
    from thesis.engine.runup import prices_of
    from thesis.files.load import file_kind, load_market
    from thesis.files.yaml import load as load_yaml
    from thesis.models.positions import load_positions

    problems: list[str] = []
    for file in files:
        try:
            doc = load_yaml(file)
            kind = file_kind(doc.data) or "company"
            loaders: dict[str, Callable[[Path], object]] = {
                "scorecard": thesis.load_scorecard,
                "market": lambda path: prices_of(load_market(path), path),
                "company": thesis.load_company,
                "positions": load_positions}
            loaders[kind](file)
            typer.echo(f"{file}: ok ({kind})")
        except InputError as exc:
            problems.extend(str(p) for p in exc.problems)
    if problems:
        _fail(problems, 2)


@app.command("schema")
def schema_command(
    kind: Annotated[str, typer.Argument(help="company, market or scorecard")],
    output: OutputOption = None,
) -> None:
    """Print the JSON Schema of a file type, for editor validation of YAML."""
    from pydantic import BaseModel

    from thesis.models.company import Company
    from thesis.models.market import Market

    models: dict[str, type[BaseModel]] = {"company": Company, "market": Market,
                                          "scorecard": Scorecard}
    if kind not in models:
        _fail([f"error: unknown schema {kind!r}; choose one of {', '.join(models)}"], 2)
    schema = models[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    write_output(json.dumps(schema, indent=2) + "\n", output)


def main() -> None:
    app()
