"""`thesis batch` and `score_many`: many subjects ranked, errors isolated and located,
pipeline CSVs in the compact syntax, and the same table whatever runs it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

import thesis
from tests.conftest import EXAMPLES
from thesis.batch import score_many, seed_for
from thesis.cli import app
from thesis.files.pipeline import cell, columns, load_pipeline
from thesis.models.distributions import Beta, LogNormal, Normal, Triangular, Uniform

runner = CliRunner()
COMPANIES = ("chorus", "glowup", "ledgerline")
SAMPLES = "64"
BROKEN = "name: Broken\nlayer: application\nmoat:\n  customer_trust: 1.5\n"


def run(*args: str):
    return runner.invoke(app, ["batch", *args], env={"NO_COLOR": "1", "COLUMNS": "200"})


def shape(value: object) -> tuple[type, dict[str, float]]:
    assert isinstance(value, BaseModel)
    return type(value), value.model_dump()


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three example companies and one file that does not validate."""
    path = tmp_path_factory.mktemp("deals")
    for name in COMPANIES:
        shutil.copy(EXAMPLES / "companies" / f"{name}.yaml", path)
    (path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return path


PIPELINE = """\
name,layer,revenue.arr_usd,revenue.growth_yoy,moat.customer_trust,revenue.pricing_model
Alpha,application,p10=1e6;p90=3e6,0.5..1..2,yes,usage
Beta,application,2e6,mean=1.1;sd=0.1,maybe,seat
Gamma,model,4e6,0.8..1.2,0.7,seat=0.5;usage=0.5
"""


def test_a_folder_with_a_broken_file_ranks_the_rest_and_locates_it(folder: Path) -> None:
    result = run(str(folder), "-n", SAMPLES, "-f", "csv")
    assert result.exit_code == 2
    rows = rows_of(result.stdout)
    assert len(rows) == len(COMPANIES)
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    assert {Path(r["source"]).stem for r in rows} == set(COMPANIES)
    assert result.stderr.splitlines() == [
        f"{folder / 'broken.yaml'}:4:3: moat.customer_trust: expected true, false or a "
        "probability in [0, 1]"]


def test_a_broken_pipeline_cell_is_located_at_its_row_and_column(tmp_path: Path) -> None:
    pipeline = tmp_path / "pipeline.csv"
    pipeline.write_text(PIPELINE, encoding="utf-8")
    result = run(str(pipeline), "-n", SAMPLES, "-f", "json")
    assert result.exit_code == 2
    rows = json.loads(result.stdout)
    assert sorted(r["name"] for r in rows) == ["Alpha", "Gamma"]
    assert {r["source"] for r in rows} == {f"{pipeline}:2", f"{pipeline}:4"}
    assert result.stderr.splitlines() == [
        f"{pipeline}:3:5: moat.customer_trust: expected yes, no or a probability in [0, 1], "
        "not 'maybe'"]


def test_the_compact_syntax_reads_every_form(tmp_path: Path) -> None:
    pipeline = tmp_path / "forms.csv"
    pipeline.write_text(
        "name,layer,revenue.arr_usd,revenue.growth_yoy,revenue.net_revenue_retention,"
        "moat.diffusion,revenue.pilot_share,moat.customer_trust,moat.close_to_customer,"
        "moat.category_leader,revenue.pricing_model,revenue.replaces,vertical\n"
        "Forms,application,p10=1e6;p90=3e6,0.5..1..2,mean=1.1; sd=0.1,0.3..0.6,"
        "alpha=2;beta=5,yes,no,0.7,usage,labour=0.6;software=0.4,1999\n", encoding="utf-8")
    [row] = load_pipeline(pipeline)
    company = row.company
    assert company is not None and row.source == f"{pipeline}:2"
    assert shape(company.revenue.arr_usd) == (LogNormal, {"p10": 1e6, "p90": 3e6})
    assert shape(company.revenue.growth_yoy) == (Triangular,
                                                 {"low": 0.5, "mode": 1.0, "high": 2.0})
    assert shape(company.revenue.net_revenue_retention) == (Normal, {"mean": 1.1, "sd": 0.1})
    assert shape(company.moat.diffusion) == (Uniform, {"low": 0.3, "high": 0.6})
    assert shape(company.revenue.pilot_share) == (Beta, {"alpha": 2, "beta": 5, "low": 0,
                                                         "high": 1})
    assert (company.moat.customer_trust, company.moat.close_to_customer,
            company.moat.category_leader) == (1.0, 0.0, 0.7)
    assert company.revenue.pricing_model is not None
    assert company.revenue.pricing_model.probabilities == {"usage": 1.0}
    assert company.revenue.replaces is not None
    assert company.revenue.replaces.probabilities == {"labour": 0.6, "software": 0.4}
    assert company.vertical == "1999"  # a text field stays text
    assert company.engagement.dau_mau is None  # no column: not given


@pytest.mark.parametrize(("text", "field", "value"), [
    ("12e6", "revenue.arr_usd", 12e6),
    ("18..22..30", "revenue.arr_usd", {"low": 18.0, "mode": 22.0, "high": 30.0}),
    ("-0.2..0.5", "revenue.growth_yoy", {"low": -0.2, "high": 0.5}),
    (" p10 = 1e6 ; p90=3e6 ;", "revenue.arr_usd", {"p10": 1e6, "p90": 3e6}),
    ("YES", "moat.customer_trust", True),
    ("false", "moat.customer_trust", False),
    ("0.25", "moat.customer_trust", 0.25),
    ("usage", "revenue.pricing_model", "usage"),
    ("seat=0.4;usage=0.6", "revenue.pricing_model", {"seat": 0.4, "usage": 0.6}),
    ("series A", "stage", "series A"),
])
def test_a_cell_reads_as_its_yaml_value(text: str, field: str, value: object) -> None:
    assert cell(text.strip(), columns()[field]) == value


@pytest.mark.parametrize(("text", "field", "message"), [
    ("abc", "revenue.arr_usd", "expected a number (0.35), a range"),
    ("1..2..3..4", "revenue.arr_usd", "'1..2..3..4': a range is low..high or low..mode..high"),
    ("1..x", "revenue.arr_usd", "expected a number, not 'x'"),
    ("p10=1e6;p90", "revenue.arr_usd", "'p90' is not key=value"),
    ("p10=1;p10=2", "revenue.arr_usd", "'p10' is given twice"),
    ("p10=a", "revenue.arr_usd", "expected a number for p10, not 'a'"),
    ("maybe", "moat.customer_trust", "expected yes, no or a probability in [0, 1]"),
])
def test_a_cell_that_does_not_read_says_what_it_should_hold(text: str, field: str,
                                                            message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        cell(text, columns()[field])


def test_every_problem_of_a_row_is_located_and_the_other_rows_load(tmp_path: Path) -> None:
    pipeline = tmp_path / "p.csv"
    pipeline.write_text(
        "name,layer,moat.diffusion,revenue.growth_yoy,revenue.replaces,market\n"
        "Good,application,0.4,1,labour,\n"
        "Bad,app,35,x,labour=0.5;software=0.4,\n"
        "Lost,application,,,,nowhere.yaml\n"
        ",,,,,\n"
        "Long,application,,,,,extra\n", encoding="utf-8")
    rows = load_pipeline(pipeline)
    assert [r.source for r in rows] == [f"{pipeline}:{n}" for n in (2, 3, 4, 6)]
    assert rows[0].company is not None and rows[0].company.name == "Good"
    assert [str(p).removeprefix(f"{pipeline}:") for p in rows[1].problems] == [
        "3:2: layer: input should be 'application', 'model', 'infrastructure' or 'hardware' "
        "(got text)",
        "3:3: moat.diffusion: must lie in [0, 1]; did you mean 0.35 (a share, not a "
        "percentage)?",
        "3:4: revenue.growth_yoy: expected a number (0.35), a range (0.3..0.6, or 18..22..30 "
        "for low..mode..high) or a distribution's keys (p10=1e6;p90=3e6, mean=1.1;sd=0.1), "
        "not 'x'",
        "3:5: revenue.replaces: probabilities sum to 0.9, not 1"]
    assert [str(p) for p in rows[2].problems] == [
        f"{pipeline}:4:6: market: no market file 'nowhere.yaml'"]
    assert [str(p) for p in rows[3].problems] == [
        f"{pipeline}:6:7: a cell beyond the header's 6 columns"]


def test_a_broken_header_breaks_the_file_with_every_problem_located(tmp_path: Path) -> None:
    pipeline = tmp_path / "p.csv"
    pipeline.write_text("layr,moat.custmer_trust,moat,moat\nx,1,2,3\n", encoding="utf-8")
    with pytest.raises(thesis.InputError) as caught:
        load_pipeline(pipeline)
    assert caught.value.lines() == [
        f"{pipeline}:1:1: layr: unknown column 'layr'; did you mean 'layer'?",
        f"{pipeline}:1:1: name: no 'name' column: every company needs one",
        f"{pipeline}:1:1: layer: no 'layer' column: every company needs one",
        f"{pipeline}:1:2: moat.custmer_trust: unknown column 'moat.custmer_trust'; did you "
        "mean 'moat.customer_trust'?",
        f"{pipeline}:1:3: moat: unknown column 'moat'; did you mean 'market'?",
        f"{pipeline}:1:4: moat: column 'moat' is given twice"]


def test_a_pipeline_row_links_its_market_and_warns_of_implausible_cells(tmp_path: Path) -> None:
    pipeline = tmp_path / "p.csv"
    market = EXAMPLES / "markets" / "ai-2025.yaml"
    pipeline.write_text(f"name,layer,revenue.growth_yoy,market\nA,application,250,{market}\n",
                        encoding="utf-8")
    with pytest.warns(thesis.PlausibilityWarning, match=r"p\.csv:2:3: revenue\.growth_yoy: "
                      r"250 is far outside .*did you mean 2\.5\?"):
        [row] = load_pipeline(pipeline)
    assert row.company is not None
    result = thesis.score(row.company, samples=0)
    assert result.market_regime is not None
    assert result.provenance.input_file == "p.csv:2"


def test_the_same_seed_gives_the_same_table_on_one_job_or_two(folder: Path,
                                                              tmp_path: Path) -> None:
    pipeline = tmp_path / "pipeline.csv"
    pipeline.write_text(PIPELINE, encoding="utf-8")
    one = run(str(folder), str(pipeline), "-n", SAMPLES, "--seed", "9", "-f", "csv", "-j", "1")
    two = run(str(folder), str(pipeline), "-n", SAMPLES, "--seed", "9", "-f", "csv", "-j", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stdout == two.stdout and one.stderr == two.stderr
    other = run(str(folder), "-n", SAMPLES, "--seed", "10", "-f", "csv")
    assert [r["p10"] for r in rows_of(other.stdout)] != [
        r["p10"] for r in rows_of(one.stdout) if r["name"] not in {"Alpha", "Gamma"}]


def test_score_many_is_score_one_by_one_with_derived_seeds_on_any_executor(folder: Path) -> None:
    paths = [folder / f"{name}.yaml" for name in COMPANIES]
    company = thesis.load(EXAMPLES / "companies" / "tensorforge.yaml")
    items = [*paths, company, folder / "broken.yaml"]
    alone = score_many(items, samples=64, seed=4)
    with ProcessPoolExecutor(2) as pool:
        pooled = score_many(items, samples=64, seed=4, executor=pool)
    assert alone == pooled
    for item, scored in zip(items[:-1], alone, strict=False):
        subject = item if isinstance(item, thesis.Company) else thesis.load(item)
        assert scored.seed == seed_for(4, subject.name)
        assert scored.result == thesis.score(subject, samples=64, seed=scored.seed)
        assert not scored.errors
    assert alone[3].source == str(EXAMPLES / "companies" / "tensorforge.yaml")
    assert alone[-1].result is None and alone[-1].errors[0].startswith(
        f"{folder / 'broken.yaml'}:4:3: moat.customer_trust:")


def test_score_many_keeps_each_subject_apart(folder: Path) -> None:
    """A scorecard for the other kind fails that subject alone, its source named."""
    market = EXAMPLES / "markets" / "ai-2025.yaml"
    scored = score_many([folder / "chorus.yaml", market], "thesis", samples=0)
    assert scored[0].result is not None and scored[0].result.scorecard == "thesis"
    assert scored[1].result is None
    assert scored[1].errors == (f"{market}: scorecard 'thesis' scores a company, not a market",)


def test_seeds_follow_the_batch_seed_and_the_name() -> None:
    assert seed_for(0, "Acme") == seed_for(0, "Acme")
    assert len({seed_for(0, "Acme"), seed_for(1, "Acme"), seed_for(0, "Acme2")}) == 3


def test_a_row_is_reproduced_alone_by_thesis_score_with_its_seed(folder: Path) -> None:
    [row] = json.loads(run(str(folder / "chorus.yaml"), "-n", SAMPLES, "--seed", "3",
                           "-f", "json").stdout)
    alone = runner.invoke(app, ["score", row["source"], "-n", SAMPLES, "--seed",
                                str(row["seed"]), "-f", "json"])
    distribution = json.loads(alone.stdout)["uncertainty"]["distribution"]
    assert row["p10"] == round(distribution["p10"], 2)
    assert row["p90"] == round(distribution["p90"], 2)


def test_every_format_parses(folder: Path, tmp_path: Path) -> None:
    paths = [str(folder / f"{name}.yaml") for name in COMPANIES]
    as_csv = rows_of(run(*paths, "-n", SAMPLES, "-f", "csv").stdout)
    as_json = json.loads(run(*paths, "-n", SAMPLES, "-f", "json").stdout)
    assert [r["name"] for r in as_csv] == [r["name"] for r in as_json]
    first = as_json[0]
    assert set(first) == set(as_csv[0])
    assert first["p10"] <= first["p50"] <= first["p90"]
    assert 0 <= first["verdict_probability"] <= 1 and first["question"]
    assert first["driver"] and first["given"] <= first["criteria"]
    markdown = run(*paths, "-n", SAMPLES, "-f", "markdown").stdout.splitlines()
    assert markdown[0].startswith("| # | subject | score | P10 | P50 | P90 | verdict |")
    assert len(markdown) == 2 + len(COMPANIES)
    table = run(*paths, "-n", SAMPLES).stdout
    assert all(r["name"] in table for r in as_json)
    out = tmp_path / "ranked.csv"
    assert run(*paths, "-n", SAMPLES, "-o", str(out)).exit_code == 0
    assert [r["name"] for r in rows_of(out.read_text(encoding="utf-8"))] == [
        r["name"] for r in as_csv]


def test_without_samples_the_table_has_the_base_case_only(folder: Path) -> None:
    [row] = json.loads(run(str(folder / "chorus.yaml"), "-n", "0", "-f", "json").stdout)
    assert row["score"] > 0 and row["p10"] is None and row["driver"] is None


def test_globs_warnings_and_names_that_match_nothing(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "hot.yaml").write_text(
        "name: Hot\nlayer: application\nrevenue:\n  growth_yoy: 250\n", encoding="utf-8")
    result = run(str(tmp_path / "h*.yaml"), str(tmp_path / "nothing*.yaml"), str(tmp_path),
                 "-n", "0", "-f", "csv")
    assert result.exit_code == 2
    assert [r["name"] for r in rows_of(result.stdout)] == ["Hot"]  # listed twice, scored once
    assert f"warning: {tmp_path / 'hot.yaml'}:4:3: revenue.growth_yoy: 250" in result.stderr
    assert f"{tmp_path / 'nothing*.yaml'}: no file matches this pattern" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert f"{empty}: no .yaml files in this folder" in run(str(empty)).stderr


def test_an_output_whose_extension_disagrees_with_the_format_is_refused(tmp_path: Path) -> None:
    result = run(str(tmp_path), "-f", "json", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert "holds csv, not json" in result.stderr
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("example", ["companies/casebook.yaml", "markets/ai-2025.yaml"])
def test_a_brief_score_is_the_full_score_without_the_extra_sections(example: str) -> None:
    subject = thesis.load(EXAMPLES / example)
    full = thesis.score(subject, samples=256, seed=3)
    brief = thesis.score(subject, samples=256, seed=3, brief=True)
    assert full.lenses and full.positions and full.counterfactuals
    assert not (brief.lenses or brief.positions or brief.disagreements
                or brief.counterfactuals or brief.market_regime)
    left_out = {"lenses", "positions", "disagreements", "counterfactuals", "market_regime",
                "not_scored"}
    assert brief.model_dump(exclude=left_out) == full.model_dump(exclude=left_out)


def test_strict_sets_aside_implausible_files_and_rows_and_ranks_the_rest(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "companies" / "glowup.yaml", tmp_path / "glowup.yaml")
    (tmp_path / "slip.yaml").write_text("name: Slip\nlayer: application\nrevenue:\n"
                                        "  growth_yoy: 250\n", encoding="utf-8")
    pipeline = tmp_path / "p.csv"
    pipeline.write_text("name,layer,revenue.growth_yoy\nA,application,250\nB,application,2.5\n",
                        encoding="utf-8")
    args = ["batch", str(tmp_path / "glowup.yaml"), str(tmp_path / "slip.yaml"), str(pipeline),
            "--samples", "64", "-f", "csv", "--jobs", "1"]
    lenient = CliRunner().invoke(app, args)
    assert lenient.exit_code == 0 and lenient.stderr.count("warning:") == 2
    assert len(list(csv.DictReader(io.StringIO(lenient.stdout)))) == 4
    strict = CliRunner().invoke(app, [*args, "--strict"])
    assert strict.exit_code == 2 and "warning:" not in strict.stderr
    assert re.search(r"slip\.yaml:4:3: revenue\.growth_yoy: 250 is far outside", strict.stderr)
    assert re.search(r"p\.csv:2:3: revenue\.growth_yoy: 250 is far outside", strict.stderr)
    ranked = [row["name"] for row in csv.DictReader(io.StringIO(strict.stdout))]
    assert sorted(ranked) == ["B", "GlowUp (hypothetical)"]
