"""`thesis init`: a commented company or market file, generated from the models, that validates
and scores as written, and is never written over an existing file without --force."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import thesis.init_cli  # registers `thesis init` (thesis.cli imports it too)
from tests.conftest import ROOT
from thesis import template as template_module
from thesis.cli import app
from thesis.engine.space import catalogue
from thesis.files.yaml import parse
from thesis.models.base import is_advanced
from thesis.subjects import KINDS
from thesis.template import WIDTH, all_fields, answered, schema_reference, template

runner = CliRunner()
SUBJECTS = ["company", "market"]


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args], env={"NO_COLOR": "1", "COLUMNS": "160"})


@pytest.fixture(params=SUBJECTS)
def written(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    kind: str = request.param
    path = tmp_path / f"{kind}.yaml"
    result = run("init", path, "--kind", kind)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: written ({kind}); fill it in, then: thesis score {path}\n"
    return kind, path


def test_the_template_validates_and_scores_as_insufficient_evidence(
        written: tuple[str, Path]) -> None:
    """As written only the required fields are answered: no invented example is ever scored."""
    kind, path = written
    checked = run("validate", "--strict", path)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == f"{path}: ok ({kind})\n"
    assert checked.stderr == ""
    scored = run("score", path, "--samples", "256", "-f", "json")
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.stdout)
    assert report["subject"]["kind"] == kind
    assert report["coverage"]["given"] == 0 and report["verdict"] == "insufficient evidence"


def test_every_example_answered_validates_and_answers_every_criterion(
        written: tuple[str, Path]) -> None:
    kind, path = written
    path.write_text(answered(path.read_text(encoding="utf-8"), kind), encoding="utf-8")
    checked = run("validate", "--strict", path)
    assert checked.exit_code == 0 and checked.stderr == "", checked.output
    report = json.loads(run("score", path, "--samples", "256", "-f", "json").stdout)
    assert report["coverage"]["given"] == report["coverage"]["criteria"] > 0


def value_at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


@pytest.mark.parametrize("kind", SUBJECTS)
def test_every_field_appears_in_model_order_with_its_question_or_commented_out(
        kind: str) -> None:
    text = template(kind)
    data = parse(text.encode(), "t.yaml").data
    example = parse(answered(text, kind).encode(), "t.yaml").data
    subject = KINDS[kind]
    inputs = catalogue(subject.model)
    fields = all_fields(subject.model, inputs)
    assert {path for path, _ in fields} >= set(inputs)
    position = 0
    for path, info in fields:
        leaf = path.rsplit(".", 1)[-1]
        if info.is_required():
            assert value_at(data, path) is not None, path
            key = f"{leaf}:"
        else:
            assert value_at(data, path) is None, path
            key = f"# {leaf}:"
        if not is_advanced(info):
            assert value_at(example, path) not in (None, info.default), path
        indent = "  " * path.count(".")
        found = text.find(f"\n{indent}{key}", position)
        assert found > position, f"{path} missing or out of model order"
        position = found
        if path in inputs:
            assert f"{indent}# {subject.question(path)}\n" in text[:found], path
    assert [path for path, info in fields if is_advanced(info)]  # marked "few investors know"
    prose = " ".join(line.strip().lstrip("#").strip() for line in text.splitlines())
    assert prose.count(template_module.FEW_KNOW) == sum(is_advanced(i) for _, i in fields)


def test_numbers_say_their_range_and_categories_their_choices() -> None:
    text = template("company")
    assert ("  # A number in [0, 1]; or a distribution in the same unit.\n"
            "  # gross_revenue_retention: 0.9\n") in text
    assert "# A number, at least -1, believable from -0.9 to 10; or a distribution" in text
    assert "# A number, at least 0, believable up to 100B; or a distribution" in text
    assert ("# One of seat, usage, outcome; or probabilities over them: {seat: 0.6, usage: "
            "0.4}.\n  # pricing_model: outcome\n") in text
    assert "# True, false, or the probability that it is true, from 0 to 1." in text


@pytest.mark.parametrize("kind", SUBJECTS)
def test_the_template_is_deterministic_portable_and_narrow(kind: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert run("init", first, "-k", kind).exit_code == 0
    assert run("init", second, "-k", kind).exit_code == 0
    text = first.read_text(encoding="utf-8")
    assert text == second.read_text(encoding="utf-8") == template(kind)
    assert str(tmp_path) not in text and "/work" not in text and "/tmp" not in text
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert text.startswith(f"# yaml-language-server: $schema={kind}.schema.json\n"
                           f"# (Editors check this file as you type once that schema is beside "
                           f"it: thesis schema {kind} -o\n# {kind}.schema.json)\n")
    assert f"(thesis {thesis.__version__})" in text


def test_the_schema_is_found_where_the_project_publishes_it(tmp_path: Path) -> None:
    shipped = ROOT / "examples" / "companies" / "new.yaml"
    assert schema_reference("company", shipped) == "../../docs/schema/company.schema.json"
    assert schema_reference("market", ROOT / "new.yaml") == "docs/schema/market.schema.json"
    assert schema_reference("company", tmp_path / "new.yaml") is None
    (tmp_path / "docs" / "schema").mkdir(parents=True)
    (tmp_path / "docs" / "schema" / "company.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "deals").mkdir()
    result = run("init", tmp_path / "deals" / "acme.yaml")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "deals" / "acme.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../docs/schema/company.schema.json\n"
                           "# A company to score")


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text("name: Mine\nlayer: model\n", encoding="utf-8")
    refused = run("init", path)
    assert refused.exit_code == 2
    assert refused.stderr == f"error: {path}: already exists; pass --force to overwrite it\n"
    assert refused.stdout == ""
    assert path.read_text(encoding="utf-8") == "name: Mine\nlayer: model\n"
    forced = run("init", path, "--force", "--kind", "market")
    assert forced.exit_code == 0, forced.output
    assert path.read_text(encoding="utf-8") == template("market")


@pytest.mark.parametrize(("target", "message"), [
    ("missing/acme.yaml", "error: FILE {tmp}/missing/acme.yaml: no such folder "
                          "'{tmp}/missing'"),
    ("", "error: FILE {tmp}: is a folder; name a file"),
])
def test_a_bad_path_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, target: str,
                                                             message: str) -> None:
    result = run("init", tmp_path / target if target else tmp_path, "--force")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message.format(tmp=tmp_path)]
    assert list(tmp_path.iterdir()) == []


def test_a_dash_prints_the_template(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "-", "--kind", "market")
    assert result.exit_code == 0, result.output
    assert result.stdout == template("market")


def test_an_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    result = run("init", tmp_path / "a.yaml", "--kind", "fund")
    assert result.exit_code == 2
    assert not (tmp_path / "a.yaml").exists()
