"""The `thesis` command: parse arguments, check output paths, call the library, write, exit.

Exit codes: 0 success; 2 bad input or usage (every problem on its own line on stderr);
1 an internal error (a bug: set THESIS_DEBUG=1 to see the traceback). One decorator,
`user_errors`, is the boundary for every command. A number a subject file allows but history
makes hard to believe is a `warning:` line on stderr, and the run goes on; under `--strict` it is
an error like any other. The top of this module imports no numpy, scipy or pydantic, so
`--version` and `--help` answer at once.

Every command takes `-h`, and its help ends with an example; parameters are shown by what they
take (FILE, N, SEED), not by their Python types. `thesis --install-completion` installs shell
completion. The report table is in colour only on a colour terminal (`in_colour`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn, ParamSpec, TypeVar

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from thesis import __version__
from thesis.defaults import DEFAULT_SAMPLES, MAX_SAMPLES
from thesis.errors import InputError, OutputError, PlausibilityWarning, UserError
from thesis.report import Format, format_for

if TYPE_CHECKING:
    from rich.progress import TaskID
    from typer._click import Command, Context, Parameter

    from thesis.result import Result
    from thesis.subjects import Subject

P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound=StrEnum)


class _MetavarOption(TyperOption):
    """An option whose help shows its metavar (FILE, N) where typer shows its Python type and
    range (`<int range> [0<=x<=4194304]`), and nothing for a flag (typer: `<bool>`)."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None if self.is_flag else self.metavar or super().display_type_rich(ctx)

    def _get_number_range_help_str(self) -> str | None:
        return None  # the help text says the range in words


class _MetavarArgument(TyperArgument):
    """An argument shown by its metavar alone: `FILE...` (typer: `FILE... <list[Path]>`), and
    in the usage line as click writes it (`FILE...`, typer: `{FILE...}...`)."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def get_usage_pieces(self, ctx: Context) -> list[str]:
        if self.metavar is None:
            return super().get_usage_pieces(ctx)
        return [self.metavar if self.required else f"[{self.metavar}]"]


def _by_metavar(params: list[Parameter]) -> list[Parameter]:
    """The parameters, each made to show itself in help by its metavar (the same objects)."""
    for param in params:
        if isinstance(param, TyperOption):
            param.__class__ = _MetavarOption
        elif isinstance(param, TyperArgument):
            param.__class__ = _MetavarArgument
    return params


class _Group(TyperGroup):
    """The `thesis` command: every command's parameters, the help and completion options typer
    adds included, are shown in help by their metavars."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _by_metavar(super().get_params(ctx))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _by_metavar(command.get_params(ctx))
        return command


def example(invocation: str) -> str:
    """A command's help epilog: one example, on a line of its own."""
    return f"Example:\\\n`{invocation}`"


def choices(values: Iterable[str]) -> str:
    """Choices in words (an enum's values, say): `table, json, markdown or html`."""
    *most, last = values
    return f"{', '.join(most)} or {last}" if most else last


def format_help(formats: Iterable[str]) -> str:
    """A --format option's help: the formats in words, and how the default is chosen."""
    return f"{choices(formats)} (default: from the --output file's extension, else table)."


app = typer.Typer(
    cls=_Group,
    rich_markup_mode="markdown",  # paragraphs reflow to the terminal; `example` keeps its line
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Score an investment thesis: transparent, reproducible, uncertainty-aware.",
    epilog=example("thesis score examples/companies/casebook.yaml"),
)

FormatOption = Annotated[Format | None, typer.Option(
    "--format", "-f", metavar="FORMAT", help=format_help(Format))]
SamplesOption = Annotated[int, typer.Option(
    "--samples", "-n", min=0, max=MAX_SAMPLES, metavar="N",
    help=f"Monte Carlo samples, 0 to {MAX_SAMPLES:,}, rounded up to a power of two (as "
    "scrambled Sobol points need); 0 scores the base case only.")]
ChartOption = Annotated[Path | None, typer.Option(
    "--chart", metavar="FILE",
    help="Also draw the score's distribution and tornado to this .png or .svg file.")]
SeedOption = Annotated[int, typer.Option(
    "--seed", min=0, metavar="SEED",
    help="Random seed, 0 or more: the same seed gives the same output on any machine.")]
ScorecardOption = Annotated[str | None, typer.Option(
    "--scorecard", metavar="CARD", help="A shipped scorecard (thesis, moat, revenue, traction "
    "or bubble) or your own YAML file; default: thesis for a company, bubble for a market.")]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar="FILE",
    help="Write to this file instead of the terminal ('-': the terminal).")]
StrictOption = Annotated[bool, typer.Option(
    "--strict", help="Treat a number outside its plausible range as an error (exit 2, "
    "nothing written), not a warning.")]
PROGRESS_AFTER = 2.0
"""Seconds a run may take before a progress bar appears (on a terminal only)."""
CHART_FORMATS = {".png": "png", ".svg": "svg"}


def _fail(lines: list[str], code: int) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code)


def user_errors(command: Callable[P, T]) -> Callable[P, T]:
    """The error boundary: user errors become their lines and exit 2, bugs exit 1."""

    @functools.wraps(command)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return command(*args, **kwargs)
        except UserError as exc:
            _fail(exc.lines(), 2)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("THESIS_DEBUG"):
                raise
            _fail([f"internal error: {type(exc).__name__}: {exc}",
                   "this is a bug in thesis; set THESIS_DEBUG=1 to see the traceback"], 1)

    return guarded


@contextlib.contextmanager
def plausibility(strict: bool) -> Iterator[None]:
    """Around loading subjects: print each `PlausibilityWarning` their loaders emit as one
    `warning:` line on stderr, or, under --strict, fail with them all once loading is done
    (before anything is scored or written). Other warnings are shown as usual."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlausibilityWarning)
        yield
    found = [w.message.problem for w in caught if isinstance(w.message, PlausibilityWarning)]
    for w in caught:
        if not isinstance(w.message, PlausibilityWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if strict and found:
        raise InputError(found)
    for problem in found:
        typer.echo(f"warning: {problem}", err=True)


def check_output(path: Path | None, option: str = "--output") -> None:
    """Refuse, before any work, a path that cannot be written."""
    if path is None or str(path) == "-":
        return
    if path.is_dir():
        raise OutputError(f"{option} {path}: is a folder; name a file")
    if not path.parent.is_dir():
        raise OutputError(f"{option} {path}: no such folder {str(path.parent)!r}")


def output_format(fmt: F | None, output: Path | None,
                  default: F = Format.table) -> F:  # type: ignore[assignment]
    """The format asked for, or the one the output file's extension implies among the
    formats of `default`'s kind (a report's by default, or another command's, such as
    `thesis batch`'s), else `default`."""
    implied = (None if output is None or str(output) == "-"
               else format_for(output, type(default)))
    if fmt is not None and implied is not None and fmt is not implied:
        raise OutputError(f"--output {output}: a .{output.suffix.lstrip('.')} file "  # type: ignore[union-attr]
                          f"holds {implied.value}, not {fmt.value} (drop --format or rename)")
    return fmt or implied or default


def write_output(text: str, output: Path | None) -> None:
    """Write to stdout, or atomically to a file: never a partial output file."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    write_file(text.encode("utf-8"), output)


def in_colour(output: Path | None) -> bool:
    """Whether a table written to `output` may have colour and bold: only on stdout, and only
    where rich finds a colour terminal there (not piped, NO_COLOR unset, TERM not dumb;
    FORCE_COLOR=1 makes any stdout count as one)."""
    if output is not None and str(output) != "-":
        return False
    from rich.console import Console

    stdout = Console()
    return stdout.is_terminal and stdout.color_system is not None and not stdout.no_color


def write_file(data: bytes, output: Path) -> None:
    """Write through a temporary file beside the target and rename: never a partial file."""
    target = output.resolve()
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


def _check_chart(chart: Path | None, samples: int) -> None:
    if chart is None:
        return
    if chart.suffix.lower() not in CHART_FORMATS:
        raise OutputError(f"--chart {chart}: name a .png or .svg file")
    if samples == 0:
        raise OutputError("--chart draws the Monte Carlo sample: it needs --samples above 0")
    check_output(chart, "--chart")


class Unknowns(StrEnum):
    """What an input the file does not give does (`thesis.score`'s `unknowns`)."""

    prior = "prior"
    leave_out = "leave-out"

    @property
    def api(self) -> Literal["prior", "leave_out"]:
        return "prior" if self is Unknowns.prior else "leave_out"


class _Progress:
    """A rich progress bar on stderr, shown only on a terminal and once a run takes a while."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.bar: object | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if not sys.stderr.isatty() or time.monotonic() - self.start < PROGRESS_AFTER:
                return
            from rich.console import Console
            from rich.progress import Progress

            progress = Progress(console=Console(stderr=True), transient=True)
            progress.start()
            self.task = progress.add_task("Monte Carlo", total=total)
            self.bar = progress
        from rich.progress import Progress

        assert isinstance(self.bar, Progress) and self.task is not None
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        from rich.progress import Progress

        if isinstance(self.bar, Progress):
            self.bar.stop()


def score_with_progress(subject: Subject, scorecard: str | None, *, samples: int, seed: int,
                        unknowns: Literal["prior", "leave_out"] = "prior") -> Result:
    """`thesis.score`, with a progress bar on stderr once the run takes a while (on a
    terminal only)."""
    import thesis

    progress = _Progress()
    try:
        return thesis.score(subject, scorecard, samples=samples, seed=seed, unknowns=unknowns,
                            progress=progress)
    finally:
        progress.close()


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


def _score(file: Path, fmt: Format | None, scorecard: str | None, compare: Path | None,
           samples: int, seed: int, chart: Path | None, output: Path | None,
           market_only: bool, strict: bool, unknowns: Unknowns) -> None:
    import thesis

    check_output(output)
    layout = output_format(fmt, output)
    _check_chart(chart, samples)
    with plausibility(strict):
        subject = thesis.load_market(file) if market_only else thesis.load(file)
        other = None if compare is None else thesis.load(compare)
    result = score_with_progress(subject, scorecard, samples=samples, seed=seed,
                                 unknowns=unknowns.api)
    if other is not None:
        result = thesis.compare(result, thesis.score(other, scorecard, samples=0,
                                                     unknowns=unknowns.api))
    if layout is Format.table and in_colour(output):
        from thesis.report.text import render as render_table

        text = render_table(result, colour=True)
    else:
        text = thesis.render(result, layout)
    if chart is not None:
        from thesis.report.chart import render_chart

        write_file(render_chart(result, CHART_FORMATS[chart.suffix.lower()]), chart)
    write_output(text, output)


@user_errors
def score_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A company or a market YAML file.",
                                         metavar="FILE")],
    fmt: FormatOption = None,
    scorecard: ScorecardOption = None,
    compare: Annotated[Path | None, typer.Option(
        "--compare", metavar="FILE", help="Another file of the same kind: say, factor by "
        "factor, what separates the two scores.")] = None,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    chart: ChartOption = None,
    output: OutputOption = None,
    strict: StrictOption = False,
    unknowns: Annotated[Unknowns, typer.Option(
        "--unknowns", metavar="prior|leave-out", help="What an input the file does not give "
        "does: drawn from the scorecard's prior for it (prior), or left out with the other "
        "weights renormalised (leave-out: reads thin evidence as certain; for comparison with "
        "older reports).",
        case_sensitive=False)] = Unknowns.prior,
) -> None:
    """Score a company or a market and explain every factor: verdict, how sure, what moves it."""
    _score(file, fmt, scorecard, compare, samples, seed, chart, output,
           market_only=ctx.info_name == "bubble", strict=strict, unknowns=unknowns)


app.command("score", epilog=example(
    "thesis score examples/companies/casebook.yaml -f html -o casebook.html"))(score_command)
app.command("bubble", help="Read a market with the six-factor bubble scorecard.\n\nThe same as "
            "`thesis score` for a market file; refuses a company.", epilog=example(
                "thesis bubble examples/markets/dotcom-2000.yaml --compare "
                "examples/markets/ai-2025.yaml"))(score_command)


@app.command("validate", epilog=example("thesis validate examples/companies/*.yaml"))
@user_errors
def validate_command(
    files: Annotated[list[Path], typer.Argument(
        help="Company, market, scorecard, positions or lens YAML files.", metavar="FILE...")],
    strict: StrictOption = False,
) -> None:
    """Check files without scoring them: every problem of every file, each on its own line.

    Links are followed (a company's market, a market's prices, a scorecard's includes), and
    every number outside its plausible range is warned about."""
    import thesis

    problems: list[str] = []
    for file in files:
        try:
            with plausibility(strict):
                kind = thesis.validate(file)
            typer.echo(f"{file}: ok ({kind})")
        except InputError as exc:
            problems.extend(exc.lines())
    if problems:
        _fail(problems, 2)


@app.command("positions", epilog=example("thesis positions --source 004 --subject market"))
@user_errors
def positions_command(
    source: Annotated[str | None, typer.Option(
        "--source", help="Only the positions from this source document: its number (004) or "
        "its file name.", metavar="SOURCE")] = None,
    subject: Annotated[str | None, typer.Option(
        "--subject", help="Only the positions on a company or on a market.",
        metavar="company|market")] = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help=format_help(f for f in Format if f is not Format.html))] = None,
    output: OutputOption = None,
) -> None:
    """List the sources' positions with their citations (seed file, speaker, date, anchor)."""
    from thesis.files.load import shipped_positions
    from thesis.report.positions import render_positions

    check_output(output)
    layout = output_format(fmt, output)
    if subject not in (None, "company", "market"):
        raise UserError(f"--subject is company or market, not {subject!r}")
    kinds = [subject] if subject else ["company", "market"]
    sets = [shipped_positions(kind) for kind in kinds]
    if source is not None:
        kept = {p.id for s in sets for p in s.positions if p.source.startswith(source)}
        sets = [s.model_copy(update={
            "positions": [p for p in s.positions if p.id in kept],
            "disagreements": [d for d in s.disagreements
                              if all(i in kept for side in d.sides for i in side)]})
            for s in sets]
        if not any(s.positions for s in sets):
            raise UserError(f"no position cites {source!r}; seeds are named like "
                            "004_cd6a7d5e8935a604.txt (or just 004)")
    if layout is Format.html:
        raise UserError("positions are listed as a table, markdown or json")
    write_output(render_positions(sets, layout), output)


# the commands of their own modules, built on the helpers above (each registers on `app`)
import thesis.batch_cli  # noqa: E402
import thesis.compare_cli  # noqa: E402
import thesis.init_cli  # noqa: E402
import thesis.report_cli  # noqa: E402
import thesis.server_cli  # noqa: E402, F401


@app.command("schema", epilog=example("thesis schema company -o company.schema.json"))
@user_errors
def schema_command(
    kind: Annotated[str, typer.Argument(
        help="company, market, scorecard, positions or lens.", metavar="KIND")],
    output: OutputOption = None,
) -> None:
    """Print the JSON Schema of a kind of file, for editor validation of YAML."""
    from thesis.files.kinds import KINDS, json_schema_text

    check_output(output)
    if kind not in KINDS:
        raise UserError(f"unknown schema {kind!r}; choose one of {', '.join(KINDS)}")
    write_output(json_schema_text(kind), output)


@functools.cache
def command() -> Command:
    """The click command typer builds from the signatures above: the same on every call, so it
    is built once per process (about 25 ms each time; the resident server's runs share one)."""
    return typer.main.get_command(app)


def main() -> None:
    command()(prog_name="thesis")
