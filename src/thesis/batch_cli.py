"""`thesis batch`: score files, folders, globs and pipeline CSVs at once, and rank them.

Errors are isolated: a file or a pipeline row that cannot be scored is listed on stderr at its
location and the others are still ranked; the exit code is then 2. The work runs on a process
pool (`--jobs`, one process a core by default) through `thesis.batch`, reproducibly: the same
`--seed` gives the same table whatever the number of jobs. Like `thesis.cli`, this module
imports no numpy, scipy or pydantic until the command runs; `thesis.cli` imports it, and it
registers the command there.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from thesis.cli import (
    OutputOption,
    SamplesOption,
    ScorecardOption,
    SeedOption,
    app,
    check_output,
    example,
    format_help,
    output_format,
    plausibility,
    user_errors,
    write_output,
)
from thesis.defaults import DEFAULT_SAMPLES
from thesis.errors import InputError, PlausibilityWarning
from thesis.report.batch import BatchFormat

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from thesis.batch import Item

SUBJECT_FILES = ("*.yaml", "*.yml")


def expand(arguments: list[str]) -> tuple[list[Path], list[str]]:
    """The files the arguments name, in order and each once (a folder's YAML files sorted, a
    glob's matches sorted), and a line for each argument that names none."""
    found: list[Path] = []
    missing: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            matches = sorted(p for pattern in SUBJECT_FILES for p in path.glob(pattern))
            what = "no .yaml files in this folder"
        elif not path.exists() and glob.has_magic(argument):
            root = Path(path.anchor or ".")
            matches = sorted(p for p in root.glob(str(path.relative_to(root)))
                             if not p.is_dir())
            what = "no file matches this pattern"
        else:
            matches, what = [path], ""
        found += matches
        if not matches:
            missing.append(f"{argument}: {what}")
    return list(dict.fromkeys(found)), missing


def subjects(files: list[Path]) -> tuple[list[Item], list[str]]:
    """What to score in each file (a YAML file's path, a pipeline's good rows), and the located
    problems of the rows and pipelines that cannot be read."""
    from thesis.files.pipeline import load_pipeline

    items: list[Item] = []
    problems: list[str] = []
    for file in files:
        if file.suffix.lower() != ".csv":
            items.append(file)
            continue
        try:
            rows = load_pipeline(file)
        except InputError as exc:
            problems += exc.lines()
            continue
        items += [row.company for row in rows if row.company is not None]
        problems += [str(p) for row in rows for p in row.problems]
    return items, problems


class _Bar:
    """A rich progress bar on stderr, shown only on a terminal. It starts with the first
    subject done, after every task was submitted, so no worker is forked while its refresh
    thread runs."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Scoring", total=total)
        assert self.task is not None
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@user_errors
def batch_command(
    paths: Annotated[list[str], typer.Argument(
        help="Company or market YAML files, folders (every .yaml file inside), globs "
        "('deals/*.yaml') and pipeline .csv files (one company a row; see docs/batch.md).",
        metavar="PATH...")],
    scorecard: ScorecardOption = None,
    samples: SamplesOption = DEFAULT_SAMPLES,
    seed: SeedOption = 0,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="N",
        help="Processes to score in, 1 or more (default: one per core).")] = None,
    fmt: Annotated[BatchFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help=format_help(BatchFormat))] = None,
    output: OutputOption = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Set aside a file or row with a number outside its plausible range, "
        "listed like one that cannot be read (exit 2), instead of warning and ranking it.")
                      ] = False,
) -> None:
    """Score many companies or markets at once and rank them, highest score first.

    Each row: the score and its P10/P50/P90, the verdict and how sure, coverage, the top driver
    and what to find out first. A file or row that cannot be scored is listed on stderr at its
    location, the rest ranked, and the exit code is 2."""
    from concurrent.futures import Executor, ProcessPoolExecutor

    from thesis.batch import keep_freed_memory, score_each
    from thesis.report.batch import ranked, render, summarise

    check_output(output)
    layout = output_format(fmt, output, BatchFormat.table)
    files, failures = expand(paths)
    bar = _Bar() if sys.stderr.isatty() else None
    with _implausible_set_aside() if strict else plausibility(strict=False):
        items, broken = subjects(files)
        failures += broken
        if strict:
            items, implausible = _plausible(items)
            failures += implausible
        workers = min(jobs or os.cpu_count() or 1, len(items))
        keep_freed_memory()  # before the workers fork, so they have it too
        pool: Executor | None = ProcessPoolExecutor(workers) if workers > 1 else None
        try:
            scored = score_each(items, summarise, scorecard, samples=samples, seed=seed,
                                executor=pool, progress=bar, brief=True)
        finally:
            if bar is not None:
                bar.close()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    if strict:  # a file's warnings come back from the worker that loaded it
        failures += [str(problem) for s in scored for problem in s.warnings]
        scored = [s for s in scored if not s.warnings]
    write_output(render(ranked(scored), layout), output)
    failures += [line for s in scored for line in s.errors]
    for line in failures:
        typer.echo(line, err=True)
    if failures:
        raise typer.Exit(2)


@contextlib.contextmanager
def _implausible_set_aside() -> Iterator[None]:
    """Under --strict: no implausible number is warned about, as its subject is set aside."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlausibilityWarning)
        yield


def _plausible(items: list[Item]) -> tuple[list[Item], list[str]]:
    """The subjects loaded here (a pipeline's rows) with no implausible number, and the
    located lines of those that have one (a file named by its path is checked as it loads)."""
    from thesis.files.plausibility import warnings_of

    kept: list[Item] = []
    lines: list[str] = []
    for item in items:
        found = [] if isinstance(item, str | Path) else warnings_of(item)
        lines += [str(problem) for problem in found]
        if not found:
            kept.append(item)
    return kept, lines


app.command("batch", epilog=example(
    "thesis batch examples/companies pipeline.csv --jobs 2 -o ranked.csv"))(batch_command)
