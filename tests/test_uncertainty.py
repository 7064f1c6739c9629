"""How sure a score is: distribution, verdict probabilities, drivers, seeds, CLI flags."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import thesis
from tests.cards import criterion, one_factor
from tests.conftest import EXAMPLES
from thesis.cli import app
from thesis.report.document import diligence
from thesis.subjects import KINDS

CASEBOOK = EXAMPLES / "companies" / "casebook.yaml"
AI_2025 = EXAMPLES / "markets" / "ai-2025.yaml"


def company(**moat) -> thesis.Company:
    return thesis.Company.model_validate({"name": "U", "layer": "application", "moat": moat})


def test_certain_inputs_give_a_certain_score() -> None:
    result = thesis.score(company(end_to_end_solution=True, diffusion=0.4), "moat", samples=256,
                          unknowns="leave_out")
    u = result.uncertainty
    assert u is not None
    assert u.distribution.sd == 0
    assert u.distribution.p10 == u.distribution.p90 == pytest.approx(result.score)
    assert u.distribution.flip_probability == 0
    assert diligence(result) == ["nothing: every input is known, so the score is certain"]
    assert all(d.total == 0 for d in u.drivers)


def test_a_point_and_its_degenerate_distribution_analyse_alike() -> None:
    point = thesis.score(company(diffusion=0.4, customer_trust=0.5), "moat", samples=512, seed=3)
    degenerate = thesis.score(company(diffusion={"low": 0.4, "high": 0.4}, customer_trust=0.5),
                              "moat", samples=512, seed=3)
    assert point.uncertainty == degenerate.uncertainty


def test_the_distribution_and_verdict_probabilities() -> None:
    result = thesis.score(thesis.load_company(CASEBOOK), samples=4096, seed=0)
    u = result.uncertainty
    assert u is not None and u.samples == 4096 and u.seed == 0
    d = u.distribution
    assert d.p10 < d.p50 < d.p90
    assert sum(d.verdict_probabilities.values()) == pytest.approx(1.0)
    assert d.flip_probability == pytest.approx(1 - d.verdict_probabilities[result.verdict])
    assert abs(d.mean - result.score) < 2 * d.sd
    # drivers are sorted by total index; the diligence ranks by what would settle the verdict
    totals = [x.total for x in u.drivers]
    assert totals == sorted(totals, reverse=True)
    settles = [x.settles for x in u.diligence]
    assert settles == sorted(settles, reverse=True)
    assert {x.input for x in u.diligence} == {x.input for x in u.drivers}
    assert u.diligence[0].input in diligence(result)[0]
    assert KINDS["company"].question(u.diligence[0].input) in diligence(result)[0]


def test_the_yes_no_driver_is_found() -> None:
    # two uncertain yes/no criteria with the same weight, one far more uncertain
    result = thesis.score(company(end_to_end_solution=0.5, speaks_industry_language=0.95),
                          "moat", samples=2048, seed=1, unknowns="leave_out")
    u = result.uncertainty
    assert u is not None
    assert u.drivers[0].input == "moat.end_to_end_solution"
    # Bernoulli variances 0.25 vs 0.0475: shares 0.84 and 0.16 of the variance
    assert u.drivers[0].total == pytest.approx(0.25 / 0.2975, abs=0.03)
    # both swing no -> yes by the same 50 points: a confident yes/no keeps its bar
    assert {(b.input, b.low, b.high) for b in u.tornado} == {
        ("moat.end_to_end_solution", 0.0, 1.0), ("moat.speaks_industry_language", 0.0, 1.0)}
    assert [b.score_at_high - b.score_at_low for b in u.tornado] == pytest.approx([50, 50])


def test_same_seed_same_result_different_seed_different_sample() -> None:
    c = thesis.load_company(CASEBOOK)
    a = thesis.score(c, samples=1024, seed=7)
    b = thesis.score(c, samples=1024, seed=7)
    other = thesis.score(c, samples=1024, seed=8)
    assert a == b
    assert a.uncertainty is not None and other.uncertainty is not None
    assert a.uncertainty.seed == 7 and other.uncertainty.seed == 8
    # the sample itself differs, not only the seed it records
    assert a.uncertainty.distribution != other.uncertainty.distribution
    assert a.score == other.score  # the base case does not depend on the seed


def test_flip_is_measured_against_the_base_case_verdict_not_the_likeliest() -> None:
    card = one_factor([criterion("t", "moat.customer_trust")],
                      verdicts=[(70, "good"), (0, "bad")])
    # yes (100, good) in 60% of samples; the base case, 60, reads bad: the likeliest verdict
    # in the sample is not the base case's, and the verdict differs from it 60% of the time
    result = thesis.score(company(customer_trust=0.6), card, samples=4096)
    assert result.verdict == "bad"
    assert result.uncertainty is not None
    u = result.uncertainty.distribution
    assert u.verdict_probabilities["good"] == pytest.approx(0.6, abs=0.01)
    assert u.flip_probability == pytest.approx(0.6, abs=0.01)


def test_samples_zero_is_the_base_case_only() -> None:
    assert thesis.score(thesis.load_company(CASEBOOK), samples=0).uncertainty is None


def test_monte_carlo_mean_converges_on_linear_evidence() -> None:
    # for a linear rule the base case (the probability) is the Monte Carlo mean
    result = thesis.score(company(end_to_end_solution=0.3), "moat", samples=2**14, seed=0,
                          method="random", unknowns="leave_out")
    assert result.uncertainty is not None
    assert result.uncertainty.distribution.mean == pytest.approx(result.score, abs=1.0)
    assert np.isclose(result.score, 30.0)


runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "160"})


def test_cli_json_carries_seed_samples_and_drivers() -> None:
    first = cli("score", str(CASEBOOK), "-f", "json", "--samples", "1000", "--seed", "5")
    second = cli("score", str(CASEBOOK), "-f", "json", "--samples", "1000", "--seed", "5")
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    u = json.loads(first.stdout)["uncertainty"]
    assert u["seed"] == 5
    assert u["samples"] == 1024
    assert u["requested_samples"] == 1000
    table = cli("score", str(CASEBOOK), "--samples", "1000", "--seed", "5").stdout
    assert "1,000 requested, rounded up to a power of two" in " ".join(table.split())
    assert {"p10", "p50", "p90", "verdict_probabilities", "flip_probability"} <= set(
        u["distribution"])
    assert u["drivers"][0]["total_interval"][0] <= u["drivers"][0]["total"]


def test_cli_table_and_markdown_state_seed_and_samples() -> None:
    table = cli("score", str(CASEBOOK), "--samples", "512", "--seed", "2")
    assert table.exit_code == 0
    assert "How sure is the score (512 samples, seed 2)" in table.stdout
    assert "What to diligence next" in table.stdout
    assert "of 512 samples (seed 2)" in table.stdout
    markdown = cli("score", str(CASEBOOK), "-f", "markdown", "--samples", "256")
    assert "## How sure is the score (256 samples, seed 0)" in markdown.stdout
    base_only = cli("score", str(CASEBOOK), "--samples", "0")
    assert "base case only" in base_only.stdout


def test_cli_bubble_has_the_same_flags() -> None:
    result = cli("bubble", str(AI_2025), "-f", "json", "--samples", "256", "--seed", "4")
    assert result.exit_code == 0
    u = json.loads(result.stdout)["uncertainty"]
    assert (u["samples"], u["seed"]) == (256, 4)


def test_cli_rejects_negative_samples() -> None:
    assert cli("score", str(CASEBOOK), "--samples", "-5").exit_code == 2


def test_cli_chart_png_and_svg(tmp_path) -> None:
    png = tmp_path / "casebook.png"
    result = cli("score", str(CASEBOOK), "--samples", "256", "--chart", str(png))
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "ai.svg"
    assert cli("bubble", str(AI_2025), "--samples", "256", "--chart", str(svg)).exit_code == 0
    assert b"<svg" in svg.read_bytes()[:500]


def test_cli_chart_errors(tmp_path) -> None:
    wrong = cli("score", str(CASEBOOK), "--chart", str(tmp_path / "chart.pdf"))
    assert wrong.exit_code == 2
    assert "name a .png or .svg file" in wrong.stderr
    without = cli("score", str(CASEBOOK), "--samples", "0", "--chart", str(tmp_path / "c.png"))
    assert without.exit_code == 2
    assert "needs --samples above 0" in without.stderr
    nowhere = cli("score", str(CASEBOOK), "--chart", str(tmp_path / "no" / "c.png"))
    assert nowhere.exit_code == 2
    assert "no such folder" in nowhere.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_histogram_counts_every_sample() -> None:
    result = thesis.score(thesis.load_company(CASEBOOK), samples=512, seed=0)
    assert result.uncertainty is not None
    histogram = result.uncertainty.distribution.histogram
    assert len(histogram) == 50
    assert sum(histogram) == 512


def test_what_would_move_a_company_verdict() -> None:
    # one yes/no criterion: the score is 100 p; the moat bands start at 70, 50 and 30. One
    # criterion of sixteen is too little for a verdict: the score only leans to a band
    result = thesis.score(company(end_to_end_solution=True), "moat", samples=0,
                          unknowns="leave_out")
    assert (result.verdict, result.leaning) == ("insufficient evidence", "durable moat")
    [change] = result.counterfactuals
    assert change.input == "moat.end_to_end_solution"
    assert change.direction == "down"
    assert change.value == pytest.approx(0.69)
    assert change.now == 1.0
    assert change.verdict == "moat in the making"
    assert change.score == pytest.approx(69.0)
    assert change.factor == "Application-layer moat strategies"


def test_notebooks_show_results_as_markdown() -> None:
    company = thesis.score(thesis.load_company(CASEBOOK), samples=128)
    assert company._repr_markdown_().startswith("# Casebook (hypothetical): Investment thesis")
    market = thesis.score(thesis.load_market(AI_2025), samples=128)
    assert "benign bubble" in market._repr_markdown_()
