"""The command line as a newcomer meets it: help on every command, shell completion, a terminal
report in colour only on a terminal, that fits the terminal; and the notebook methods."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len
from typer.testing import CliRunner

import thesis
from tests.conftest import EXAMPLES
from thesis.cli import app
from thesis.result import FRAME_COLUMNS

CASEBOOK = str(EXAMPLES / "companies" / "casebook.yaml")
SHIPPED = sorted(str(p) for kind in ("companies", "markets")
                 for p in (EXAMPLES / kind).glob("*.yaml"))
COMMANDS = sorted(typer.main.get_group(app).commands)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PLAIN = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": "80"}
"""Neither colour switch set, whatever the environment the tests run in."""
runner = CliRunner()


def run(*args: str, **env: str | None) -> str:
    result = runner.invoke(app, list(args), env={**PLAIN, **env}, prog_name="thesis")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def casebook() -> thesis.Result:
    return thesis.score(thesis.load(CASEBOOK), samples=0)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_command_answers_h_with_an_example_and_no_python_types(command: str) -> None:
    args = [command] if command else []
    short = run(*args, "-h")
    assert short == run(*args, "--help")
    assert short.lstrip().startswith(f"Usage: thesis {command}".rstrip())
    example = short.split("Example:", 1)[1].split()
    assert example[:2] == ["thesis", command or "score"]
    assert not re.search(r"<(bool|int|float|str|path|list)|list\[|<=x|x>=", short), short


def test_arguments_and_options_are_named_by_what_they_take() -> None:
    help_text = run("score", "-h")
    assert "Usage: thesis score [OPTIONS] FILE" in help_text
    for metavar in ("--format     -f      FORMAT", "--samples    -n      N", "--seed  ",
                    "SEED", "--output     -o      FILE", "CARD", "prior|leave-out"):
        assert metavar in help_text
    assert "Usage: thesis validate [OPTIONS] FILE..." in run("validate", "-h")
    assert "Usage: thesis batch [OPTIONS] PATH..." in run("batch", "-h")


def test_shell_completion_can_be_shown_installed_and_used() -> None:
    root = run("-h")
    assert "--install-completion" in root and "--show-completion" in root
    assert "_THESIS_COMPLETE" in run("--show-completion", "bash")
    completed = run(_THESIS_COMPLETE="complete_bash", COMP_WORDS="thesis sc", COMP_CWORD="1")
    assert completed.split() == ["score", "schema"]


@pytest.mark.parametrize("args", [["--version"], ["-h"]])
def test_the_quick_answers_load_no_heavy_library(args: list[str]) -> None:
    code = ("import sys, thesis.cli\n"
            f"sys.argv = ['thesis', *{args!r}]\n"
            "try:\n    thesis.cli.main()\nexcept SystemExit:\n    pass\n"
            "print(sorted({'numpy', 'scipy', 'pydantic'} & set(sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_piped_output_is_plain_and_is_what_render_returns(monkeypatch, casebook) -> None:
    piped = run("score", CASEBOOK, "--samples", "0")
    assert ANSI.search(piped) is None
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("FORCE_COLOR", "1")  # the library's table is plain whatever is set
    assert piped == thesis.render(casebook, thesis.Format.table)


def test_no_color_wins_over_a_terminal() -> None:
    out = run("score", CASEBOOK, "--samples", "0", NO_COLOR="1", FORCE_COLOR="1", TERM="xterm")
    assert ANSI.search(out) is None


def test_a_terminal_gets_colour_and_bold_with_the_same_words(tmp_path: Path) -> None:
    """FORCE_COLOR=1 makes stdout count as a colour terminal (rich's convention)."""
    coloured = run("score", CASEBOOK, "--samples", "0", FORCE_COLOR="1", TERM="xterm")
    assert "\x1b[1m" in coloured and "\x1b[1;36m" in coloured  # bold; the verdict bold cyan
    assert ANSI.sub("", coloured) == run("score", CASEBOOK, "--samples", "0")
    assert not [line for line in ANSI.sub("", coloured).splitlines() if line.endswith(" ")]
    report = tmp_path / "report.txt"
    run("score", CASEBOOK, "--samples", "0", "-o", str(report), FORCE_COLOR="1", TERM="xterm")
    assert ANSI.search(report.read_text(encoding="utf-8")) is None


@pytest.mark.parametrize("file", SHIPPED, ids=lambda p: Path(p).stem)
def test_every_example_fits_80_columns_without_trailing_spaces(file: str) -> None:
    out = run("score", file, "--samples", "256")
    lines = out.splitlines()
    assert len(lines) > 20
    assert [line for line in lines if line.endswith(" ")] == []
    assert max(cell_len(line) for line in lines) <= 80  # wide (CJK) characters count twice
    assert max(cell_len(line) for line in lines) >= 70  # the width is used, not a narrow default


@pytest.mark.parametrize(("columns", "terminal", "expected"), [
    ("50", None, 80), ("100", None, 100), ("160", 100, 160),  # COLUMNS, down to 80
    (None, None, 120), (None, 90, 90), (None, 200, 120)])  # no terminal, a terminal up to 120
def test_width_follows_columns_or_the_terminal(monkeypatch, casebook, columns: str | None,
                                               terminal: int | None, expected: int) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback: os.terminal_size(
        fallback if terminal is None else (terminal, 40)))
    assert max(map(cell_len, thesis.render(casebook).splitlines())) == expected


def test_notebook_methods_are_the_layouts(casebook) -> None:
    assert casebook.to_markdown() == thesis.render(casebook, thesis.Format.markdown)
    assert casebook._repr_markdown_() == casebook.to_markdown()
    page = casebook.to_html()
    assert page == thesis.render(casebook, thesis.Format.html)
    shown = casebook._repr_html_()
    assert shown.startswith("<") and "Casebook (hypothetical)" in shown
    assert shown in page and "<head>" not in shown and "<body>" not in shown


def test_to_frame_has_a_row_per_factor_and_criterion(casebook) -> None:
    pytest.importorskip("pandas")
    frame = casebook.to_frame()
    assert tuple(frame.columns) == FRAME_COLUMNS
    factors = casebook.walk()
    assert len(frame) == len(factors) + sum(len(f.criteria) for f in factors)
    flywheel = frame[(frame.factor == "moat.data_flywheel") & (frame.criterion == "")]
    assert flywheel.score.item() == pytest.approx(casebook.factor("moat.data_flywheel").score)
    criteria = frame[frame.criterion != ""]
    assert criteria.share.isna().all() and criteria.given.str.len().gt(0).all()


def test_to_frame_names_the_extra_when_pandas_is_missing(monkeypatch, casebook) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match=re.escape('pip install "thesis[pandas]"')):
        casebook.to_frame()
