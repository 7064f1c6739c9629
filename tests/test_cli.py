"""The `thesis` command as a user runs it: outputs, exit codes, located errors on stderr."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES, SCORECARDS
from thesis import __version__
from thesis.cli import app

CASEBOOK = str(EXAMPLES / "companies" / "casebook.yaml")
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env or {"NO_COLOR": "1", "COLUMNS": "160"})


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"thesis {__version__}"


def test_score_table_explains_every_factor() -> None:
    result = run("score", CASEBOOK)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Casebook (hypothetical)" in out
    assert "strong conviction" in out
    for words in ["Size of the pool", "Data flywheel", "Distribution", "seed 000", "borrowed"]:
        assert words in out
    assert "\x1b[" not in out  # NO_COLOR honoured
    assert "Moat: durable moat | Revenue quality: real revenue" in out


def test_score_json_has_the_contract_fields() -> None:
    result = run("score", CASEBOOK, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"subject", "score", "verdict", "factors", "provenance"} <= set(data)
    assert data["subject"]["name"] == "Casebook (hypothetical)"
    moat = next(f for f in data["factors"] if f["id"] == "moat")
    flywheel = next(f for f in moat["factors"] if f["id"] == "data_flywheel")
    crit = flywheel["criteria"][0]
    assert {"input", "status", "score", "source", "rule"} <= set(crit)
    assert crit["source"].startswith("000_793eca45db821f36.txt")
    assert 0 <= data["score"] <= 100


def test_score_markdown() -> None:
    result = run("score", CASEBOOK, "--format", "markdown", "--scorecard", "moat")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Casebook (hypothetical): Moat checklist")
    assert "| factor | **MAD - close to the customer** |" in result.stdout


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run("score", CASEBOOK, "-f", "json", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text())["subject"]["name"] == "Casebook (hypothetical)"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_bad_input_exits_2_with_located_lines_and_no_output_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nlayer: application\nmoat:\n  diffusion: 7\n  trust: yes\n")
    target = tmp_path / "out.json"
    result = run("score", str(bad), "-o", str(target))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}:4:3: moat.diffusion: must lie in [0, 1]; did you mean 0.07 (a share, not a "
        "percentage)?",
        f"{bad}:5:3: moat.trust: unknown field 'trust'",
    ]
    assert not target.exists()
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\x00\x01\x02", "binary file"),
        (b"name: [unclosed\n", "invalid YAML"),
        (b"name: !!python/object/apply:os.system [echo]\nlayer: model\n", "is not allowed"),
        (b"name: Empty\nlayer: model\n", "none of the inputs scorecard 'thesis' uses are given"),
    ],
)
def test_hostile_and_empty_files(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    result = run("score", str(bad), "--unknowns", "leave-out")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:")
    assert message in result.stderr


def test_a_file_that_gives_nothing_reads_insufficient_evidence(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("name: Empty\nlayer: model\n")
    result = run("score", str(empty), "--samples", "256")
    assert result.exit_code == 0
    assert "answered 0 of" in result.stdout and "insufficient evidence" in result.stdout


def test_missing_file_and_unknown_scorecard(tmp_path: Path) -> None:
    result = run("score", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "file not found" in result.stderr
    result = run("score", CASEBOOK, "--scorecard", "nosuch")
    assert result.exit_code == 2
    assert "nosuch.yaml:1:1: file not found" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run("score").exit_code == 2
    assert run("score", CASEBOOK, "--format", "pdf").exit_code == 2


def test_validate_lists_every_problem_of_every_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nlayer: application\nmoat: {diffusion: 7}\n")
    result = run("validate", CASEBOOK, str(bad), str(SCORECARDS / "moat.yaml"),
                 str(SCORECARDS / "positions" / "company.yaml"))
    assert result.exit_code == 2
    assert "company.yaml: ok (positions)" in result.stdout
    assert f"{CASEBOOK}: ok (company)" in result.stdout
    assert "moat.yaml: ok (scorecard)" in result.stdout
    assert result.stderr.strip() == (f"{bad}:3:8: moat.diffusion: must lie in [0, 1]; did you "
                                     "mean 0.07 (a share, not a percentage)?")


@pytest.mark.parametrize("kind", ["company", "scorecard"])
def test_schema(kind: str) -> None:
    result = run("schema", kind)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    assert "factors" in schema["properties"] or "moat" in schema["properties"]
    assert run("schema", "nope").exit_code == 2


def test_internal_errors_exit_1_without_traceback(monkeypatch) -> None:
    import thesis

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(thesis, "score", broken, raising=False)
    result = run("score", CASEBOOK)
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.output


def test_a_file_of_the_wrong_kind_is_named_as_such() -> None:
    result = run("bubble", CASEBOOK)
    assert result.exit_code == 2
    assert "this is a company file, not a market file" in result.stderr


def test_a_misspelt_distribution_key_is_shown(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nlayer: application\nmoat:\n  diffusion: {low: 0.5, hgh: 0.7}\n")
    result = run("score", str(bad))
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("(got {hgh, low})")


def test_a_market_scorecard_is_refused_for_a_company() -> None:
    result = run("score", CASEBOOK, "--scorecard", "bubble")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: scorecard 'bubble' scores a market, not a company")


def test_html_report_is_one_self_contained_page(tmp_path: Path) -> None:
    page = tmp_path / "casebook.html"
    result = run("score", CASEBOOK, "-f", "html", "--samples", "256", "-o", str(page))
    assert result.exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    assert "<title>Casebook (hypothetical): Investment thesis</title>" in text
    assert "<h1>Casebook (hypothetical)</h1>" in text
    assert text.count("<figure class='chart'><svg") == 3  # cohorts, distribution, tornado
    assert "What the sources would say" in text
    assert "<script" not in text
    mask = os.umask(0)
    os.umask(mask)
    assert page.stat().st_mode & 0o777 == 0o666 & ~mask  # as any file written, not private
    market = tmp_path / "ai.html"
    assert run("bubble", str(EXAMPLES / "markets" / "ai-2025.yaml"), "-f", "html",
               "-o", str(market)).exit_code == 0
    assert "benign bubble" in market.read_text(encoding="utf-8")


def test_html_without_samples_has_no_chart_of_the_samples() -> None:
    result = run("score", CASEBOOK, "-f", "html", "--samples", "0")
    assert result.exit_code == 0
    assert result.stdout.count("<svg") == 1  # the cohorts' chart only
    assert "id='revenue'><h2>Revenue: cohort retention" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["score", CASEBOOK, "-o", "{tmp}/missing/out.json"], "no such folder"),
    (["score", CASEBOOK, "-o", "{tmp}"], "is a folder; name a file"),
    (["score", CASEBOOK, "-o", "{tmp}/r.html", "-f", "json"], "holds html, not json"),
    (["schema", "company", "-o", "{tmp}/missing/x.json"], "no such folder"),
])
def test_output_paths_are_checked_before_any_work(tmp_path: Path, args, message) -> None:
    result = run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --output ") and message in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_format_follows_the_output_extension(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert run("score", CASEBOOK, "-n", "0", "-o", str(page)).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_validate_follows_the_market_link(write) -> None:
    company = write("name: C\nlayer: application\nmarket: nope.yaml\n")
    result = run("validate", str(company))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{company}:3:1: market: no market file 'nope.yaml'"


def test_a_market_file_is_scored_by_thesis_score() -> None:
    market = str(EXAMPLES / "markets" / "ai-2025.yaml")
    assert run("score", market, "-n", "0", "-f", "json").stdout == run(
        "bubble", market, "-n", "0", "-f", "json").stdout


def test_json_is_portable_and_reads_back(tmp_path: Path, monkeypatch) -> None:
    import thesis

    here = run("score", CASEBOOK, "-n", "64", "-f", "json").stdout
    monkeypatch.chdir(tmp_path)  # another working folder, as another checkout would be
    assert run("score", CASEBOOK, "-n", "64", "-f", "json").stdout == here
    assert str(EXAMPLES.parent) not in here
    result = thesis.Result.model_validate_json(here)
    assert result.provenance.input_file == "casebook.yaml"
    assert thesis.render(result, thesis.Format.json) == here
