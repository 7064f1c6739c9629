"""A number its field allows but history makes hard to believe is warned about, located at its
line; `--strict` makes the warning an error (exit 2, nothing written)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import Field
from typer.testing import CliRunner

import thesis
from tests.conftest import EXAMPLES
from thesis.cli import app
from thesis.files.plausibility import implausible
from thesis.files.validate import validate
from thesis.files.yaml import parse
from thesis.models.base import UserModel
from thesis.models.distributions import Distribution, Domain, Rate


class Inner(UserModel):
    ratio: Annotated[Distribution, Domain(0.0, plausible=(0.0, 3.0))] | None = None


class Toy(UserModel):
    growth: Annotated[Distribution, Domain(-1.0, plausible=(-0.9, 10.0))] | None = Field(
        default=None, description="a fraction per year: 1.0 = +100%")
    dollars: Annotated[Distribution, Domain(0.0, plausible=(0.0, 1.0e11))] | None = None
    percent: Annotated[Distribution, Domain(0.0, 100.0, plausible=(0.0, 10.0))] | None = None
    share: Rate | None = None
    inner: Inner | None = None


def warned(text: str) -> list[str]:
    doc = parse(text.encode(), "t.yaml")
    return [str(p) for p in implausible(validate(Toy, doc), doc)]


def test_a_point_outside_is_located_explained_and_read_as_a_percentage() -> None:
    assert warned("share: 0.5\ngrowth: 250\n") == [
        "t.yaml:2:1: growth: 250 is far outside the plausible range -0.9..10 (a fraction per "
        "year: 1.0 = +100%); did you mean 2.5?"]


def test_a_nested_field_is_located_at_its_own_line() -> None:
    assert warned("growth: 1.0\ninner:\n  ratio: 85\n") == [
        "t.yaml:3:3: inner.ratio: 85 is far outside the plausible range 0..3; did you mean 0.85?"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("growth: {low: 20, high: 250}",
         "its range 20..250 leaves the plausible range -0.9..10 (a fraction per year: "
         "1.0 = +100%); did you mean 0.2 to 2.5?"),
        ("growth: {mean: 8, sd: 3}",  # the P90, 11.8, leaves; the P10 and the mean do not
         "its P10..P90 4.18..11.8 leaves the plausible range -0.9..10 (a fraction per year: "
         "1.0 = +100%)"),
        ("growth: {p10: 2, p90: 15}",
         "its P10..P90 2..15 leaves the plausible range -0.9..10 (a fraction per year: "
         "1.0 = +100%)"),
        ("inner: {ratio: {alpha: 2, beta: 2, low: 1, high: 4}}",
         "its range 1..4 leaves the plausible range 0..3"),
    ],
)
def test_a_distribution_warns_when_what_it_states_leaves_the_range(text: str,
                                                                  expected: str) -> None:
    [line] = warned(text)
    assert line.split(": ", 2)[2] == expected


@pytest.mark.parametrize(
    "text",
    [
        "growth: 2000",  # a hundredth, 20, is implausible too
        "growth: -0.95",  # within 1 either way it is a fraction already
        "growth: {low: 1, high: 12}",  # half inside: a wide range, not a slip of units
        "dollars: 2.0e11",  # dollars are not fractions
        "percent: 50",  # a field bounded at 100 holds percentages already
    ],
)
def test_a_hundredth_is_offered_only_where_a_percentage_is_a_likely_slip(text: str) -> None:
    [line] = warned(text)
    assert "plausible range" in line
    assert "did you mean" not in line


@pytest.mark.parametrize(
    "text",
    [
        "growth: 2.5",
        "growth: -0.9",
        "growth: 10",
        "growth: {p10: 1.5, p90: 3}",
        "growth: {mean: 5, sd: 1}",
        "growth: {low: -0.9, mode: 1, high: 10}",
        "dollars: 1.0e11",
        "share: 0.99",  # no plausible range: the hard domain says it all
        "inner: {ratio: 2.9}",
    ],
)
def test_nothing_inside_the_range_warns(text: str) -> None:
    assert warned(text) == []


@pytest.mark.parametrize("plausible", [(0.0, 2.0), (-0.5, 0.5), (0.8, 0.2)])
def test_a_plausible_range_is_ordered_inside_the_domain(plausible: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="plausible range"):
        Domain(0.0, 1.0, plausible=plausible)


# End to end on the real fields: revenue.growth_yoy and speculation.top10_market_cap_to_gdp.

GROWTH = "revenue.growth_yoy: 250 is far outside the plausible range -0.9..10"
TOP10 = "speculation.top10_market_cap_to_gdp: 85 is far outside the plausible range 0..3"
runner = CliRunner()


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1", "COLUMNS": "160"})


@pytest.fixture
def company(write) -> Path:
    return write("name: Acme\nlayer: application\nmoat:\n  close_to_customer: true\n"
                 "revenue:\n  growth_yoy: 250\n")


@pytest.fixture
def linked(write) -> Path:
    """A plausible company whose market file is not."""
    write("name: AI\nas_of: 2025-10-31\nspeculation:\n  top10_market_cap_to_gdp: 85\n",
          "market.yaml")
    return write("name: Acme\nlayer: application\nmarket: market.yaml\nmoat:\n"
                 "  close_to_customer: true\n", "linked.yaml")


def test_load_company_warns_at_the_callers_line_and_the_model_keeps_them(company: Path) -> None:
    with pytest.warns(thesis.PlausibilityWarning) as caught:
        loaded = thesis.load_company(company)
    [warning] = caught
    assert isinstance(warning.message, thesis.PlausibilityWarning)
    assert isinstance(warning.message, UserWarning)
    assert warning.filename == __file__
    assert str(warning.message).startswith(f"{company}:6:3: {GROWTH}")
    assert str(warning.message).endswith("; did you mean 2.5?")
    assert thesis.warnings_of(loaded) == [warning.message.problem]


def test_load_warns_and_strict_python_code_can_make_it_raise(company: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", thesis.PlausibilityWarning)
        with pytest.raises(thesis.PlausibilityWarning, match=r"did you mean 2\.5"):
            thesis.load(company)


def test_a_model_built_in_python_has_no_file_to_warn_in() -> None:
    assert thesis.warnings_of(thesis.Company(name="X", layer="model")) == []


def test_a_linked_market_files_warnings_are_located_in_it(linked: Path) -> None:
    with pytest.warns(thesis.PlausibilityWarning):
        loaded = thesis.load_company(linked)
    assert [str(p).split(" (")[0] for p in thesis.warnings_of(loaded)] == [
        f"{linked.parent / 'market.yaml'}:4:3: {TOP10}"]


def test_score_warns_on_stderr_and_goes_on(company: Path) -> None:
    result = run("score", company, "-n", "0", "-f", "json")
    assert result.exit_code == 0, result.output
    assert '"score"' in result.stdout and "plausible" not in result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith(f"warning: {company}:6:3: {GROWTH} (")
    assert line.endswith("; did you mean 2.5?")


def test_strict_makes_the_warning_an_error_and_writes_nothing(company: Path) -> None:
    target = company.parent / "report.json"
    warned_lines = run("score", company, "-n", "0", "-f", "json").stderr.splitlines()
    result = run("score", company, "-n", "0", "--strict", "-o", target)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [w.removeprefix("warning: ") for w in warned_lines]
    assert sorted(p.name for p in company.parent.iterdir()) == [company.name]


def test_bubble_strict_on_a_market_writes_no_chart_or_report(linked: Path) -> None:
    market = linked.parent / "market.yaml"
    chart, report = market.parent / "c.svg", market.parent / "r.json"
    assert run("bubble", market, "-n", "64", "-o", report, "--chart", chart).exit_code == 0
    chart.unlink()
    report.unlink()
    result = run("bubble", market, "-n", "64", "-o", report, "--chart", chart, "--strict")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{market}:4:3: {TOP10}")
    assert not chart.exists() and not report.exists()


def test_validate_warns_and_strict_fails_the_file(company: Path, linked: Path) -> None:
    result = run("validate", company, linked)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{company}: ok (company)", f"{linked}: ok (company)"]
    assert [line.split(" (")[0] for line in result.stderr.splitlines()] == [
        f"warning: {company}:6:3: {GROWTH}",
        f"warning: {linked.parent / 'market.yaml'}:4:3: {TOP10}"]
    strict = run("validate", "--strict", company, linked)
    assert strict.exit_code == 2
    assert strict.stdout == ""
    assert strict.stderr.splitlines() == [
        line.removeprefix("warning: ") for line in result.stderr.splitlines()]


def test_the_examples_are_plausible() -> None:
    files = sorted(EXAMPLES.glob("*/*.yaml"))
    result = run("validate", "--strict", *files)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
