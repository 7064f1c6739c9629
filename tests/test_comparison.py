"""`thesis compare A B` and `thesis.comparison.compare_subjects`: the gap by factor and by
changed input (Shapley values), P(A > B) from one joint Monte Carlo, and the command."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from typer.testing import CliRunner

import thesis
import thesis.compare_cli  # registers `thesis compare` (until thesis.cli imports it)
from tests.cards import criterion, gate, one_factor
from tests.conftest import EXAMPLES
from thesis.cli import app
from thesis.comparison import EXACT_PLAYERS, Matchup, _Hybrids, compare_subjects
from thesis.engine.compile import compile_scorecard
from thesis.engine.space import InputSpace
from thesis.errors import InputError, UserError
from thesis.files.load import load_scorecard
from thesis.report.comparison import headline

COMPANIES = EXAMPLES / "companies"
CASEBOOK = COMPANIES / "casebook.yaml"
CHORUS = COMPANIES / "chorus.yaml"
AI_2025 = EXAMPLES / "markets" / "ai-2025.yaml"
DOTCOM = EXAMPLES / "markets" / "dotcom-2000.yaml"
EVIDENCE = "{kind: evidence}"
LINEAR = "{kind: curve, better: higher, points: [[0, 0], [2, 100]]}"
"""Growth 0 -> 0 points, 2 -> 100: a score of 50 x growth on [0, 2]."""
runner = CliRunner()


def company(write, name: str, body: str):
    """A company file of the given body (YAML under the top level) under tmp_path, loaded."""
    return thesis.load(write(f"name: {name}\nlayer: application\n{body}", f"{name}.yaml"))


def shares(matchup: Matchup) -> dict[str, float]:
    return {g.input: g.share for g in matchup.inputs.inputs}


@pytest.fixture(scope="module")
def casebook_vs_chorus() -> Matchup:
    return compare_subjects(thesis.load(CASEBOOK), thesis.load(CHORUS), samples=256)


# the gap by factor

def test_factor_parts_sum_to_the_gap(casebook_vs_chorus: Matchup) -> None:
    m = casebook_vs_chorus
    parts = [f.contribution for f in m.factors if f.contribution is not None]
    assert len(parts) == len(load_scorecard("thesis").factors)  # one per top-level factor
    assert sum(parts) + m.card_gates == pytest.approx(m.gap, abs=1e-9)
    assert m.gap == pytest.approx(thesis.score(thesis.load(CASEBOOK), samples=0).score
                                  - thesis.score(thesis.load(CHORUS), samples=0).score)
    moat = next(f for f in m.factors if f.path == "moat")
    assert moat.gap == pytest.approx(moat.a - moat.b)


def test_a_whole_card_gate_is_a_part_of_its_own(write) -> None:
    card = one_factor([criterion("x", "moat.end_to_end_solution", EVIDENCE)],
                      second=[criterion("y", "moat.speaks_industry_language", EVIDENCE)],
                      card_gates=[gate("trusted", "moat.customer_trust", cap=30)])
    a = company(write, "a", "moat: {end_to_end_solution: true, speaks_industry_language: true, "
                "customer_trust: false}")
    b = company(write, "b", "moat: {end_to_end_solution: false, speaks_industry_language: false,"
                " customer_trust: false}")
    m = compare_subjects(a, b, card, samples=0)
    assert m.gap == pytest.approx(30.0)  # 100 capped at 30, against 0
    assert {f.path: f.contribution for f in m.factors} == {"f": 50.0, "g": 50.0}
    assert m.card_gates == pytest.approx(-70.0)


# the gap by changed input

def test_shapley_split_of_an_interaction_by_hand(write) -> None:
    """f is the best of x and y (`combine: any`), g reads z, the same in both. B has neither x
    nor y: v(none) = 50, v(x) = v(y) = v(x and y) = 100, so each gets half the gap, z nothing."""
    card = one_factor([criterion("x", "moat.end_to_end_solution", EVIDENCE),
                       criterion("y", "moat.speaks_industry_language", EVIDENCE)],
                      combine="any", second=[criterion("z", "moat.close_to_customer", EVIDENCE)])
    same = "close_to_customer: true"
    a = company(write, "a", f"moat: {{end_to_end_solution: true, speaks_industry_language: "
                f"true, {same}}}")
    b = company(write, "b", f"moat: {{end_to_end_solution: false, speaks_industry_language: "
                f"false, {same}}}")
    m = compare_subjects(a, b, card, samples=0)
    assert m.gap == pytest.approx(50.0)
    assert m.inputs.method == "exact"
    assert shares(m) == pytest.approx({"moat.end_to_end_solution": 25.0,
                                       "moat.speaks_industry_language": 25.0})
    assert "moat.close_to_customer" not in shares(m)


def test_shapley_split_of_a_weighted_mean_is_each_inputs_weighted_change(write) -> None:
    card = one_factor([criterion("x", "moat.end_to_end_solution", EVIDENCE, weight=1),
                       criterion("y", "moat.customer_trust", EVIDENCE, weight=3)])
    a = company(write, "a", "moat: {end_to_end_solution: true, customer_trust: 0.2}")
    b = company(write, "b", "moat: {end_to_end_solution: false, customer_trust: 0.6}")
    m = compare_subjects(a, b, card, samples=0)
    assert shares(m) == pytest.approx({"moat.end_to_end_solution": 25.0,
                                       "moat.customer_trust": -30.0})
    assert sum(shares(m).values()) == pytest.approx(m.gap)


def test_many_changed_inputs_are_split_by_random_orders_that_still_sum_to_the_gap(
        casebook_vs_chorus: Matchup) -> None:
    split = casebook_vs_chorus.inputs
    assert len(split.inputs) > EXACT_PLAYERS
    assert split.method == "permutation" and split.seed == 0
    assert sum(g.share for g in split.inputs) == pytest.approx(casebook_vs_chorus.gap, abs=1e-9)
    assert all(g.error is not None and g.error < 0.1 for g in split.inputs)
    by_input = {g.input: g for g in split.inputs}
    assert by_input["layer"].context and by_input["layer"].a == "application"
    assert by_input["revenue.arr_usd"].question == "What is the annual recurring revenue today?"
    assert by_input["revenue.arr_usd"].share < -1  # Chorus's ARR is ten times Casebook's


@pytest.mark.parametrize(("a", "b", "card", "unknowns"), [
    (CASEBOOK, CHORUS, "thesis", "leave_out"),  # inputs one gives and the other leaves out
    (AI_2025, DOTCOM, "bubble", "prior"),  # ratios of inputs one market does not give
])
def test_hybrids_scored_in_batches_match_each_hybrid_compiled_alone(
        a: Path, b: Path, card: str, unknowns: Literal["prior", "leave_out"]) -> None:
    game = _Hybrids(load_scorecard(card), thesis.load(a), thesis.load(b), unknowns)
    k = len(game.players)
    masks = np.vstack([np.random.default_rng(1).random((24, k)) < 0.5, np.ones(k, bool),
                       np.zeros(k, bool)])
    assert game.scores(masks) == pytest.approx([_alone(game, m) for m in masks], abs=1e-12)


def _alone(game: _Hybrids, mask: np.ndarray) -> float:
    """A hybrid scored on its own: its inputs and context from A where `mask` says, from B
    elsewhere, compiled as any subject is."""
    inputs = dict(game.fixed)
    for i, path in enumerate(game.changed):
        inputs.pop(path, None)
        source = game.spaces[0 if mask[i] else 1].inputs
        if path in source:
            inputs[path] = source[path]
    keys = game.players[len(game.changed):]
    context = {**game.contexts[1], **{k: game.contexts[0][k] for k, of_a in zip(
        keys, mask[len(game.changed):], strict=True) if of_a}}
    compiled = compile_scorecard(game.card, InputSpace(inputs, dict(game.derived)), context,
                                 game.kinds)
    return float(compiled.composite(compiled.base_case())[0])


def version(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    """Casebook as shipped, and a second version of it with one line changed (both in
    tmp_path, with the market link pointing back at the shipped market)."""
    text = CASEBOOK.read_text(encoding="utf-8").replace("../markets/ai-2025.yaml",
                                                         AI_2025.as_posix())
    assert old in text
    (tmp_path / "casebook.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "casebook-v2.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path / "casebook-v2.yaml", tmp_path / "casebook.yaml"


@pytest.mark.parametrize(("old", "new", "changed"), [
    ("employees: {low: 1.1e6, high: 1.3e6}", "employees: {low: 2.2e6, high: 2.6e6}",
     "market_pool.employees"),  # and the labour pool derived from it
    ("{start: 2025-04, active: [1.0, 0.85, 0.77, 0.74, 0.72]}",
     "{start: 2025-04, active: [1.0, 0.9, 0.85, 0.83, 0.82]}",
     "engagement.retention_month_6"),  # fitted from the cohorts
])
def test_two_versions_of_one_company_differ_only_where_they_differ(
        tmp_path: Path, old: str, new: str, changed: str) -> None:
    v2, v1 = version(tmp_path, old, new)
    m = compare_subjects(thesis.load(v2), thesis.load(v1), samples=256)
    assert m.gap > 0
    assert shares(m) == pytest.approx({changed: m.gap})
    assert m.inputs.method == "exact"
    joint = m.joint
    assert joint is not None
    assert joint.sampled_inputs == joint.shared_inputs + 2  # only the changed input is apart
    assert joint.probability_above == 1.0  # a certain improvement, all else drawn alike
    assert headline(m).startswith("Casebook (casebook-v2.yaml) ")  # one name: the files tell


# P(A > B) from one joint Monte Carlo

def test_a_subject_against_itself_differs_nowhere() -> None:
    casebook = thesis.load(CASEBOOK)
    m = compare_subjects(casebook, casebook, samples=256)
    assert m.gap == 0 and m.inputs.inputs == []
    joint = m.joint
    assert joint is not None
    assert (joint.gap.p10, joint.gap.p50, joint.gap.p90, joint.gap.mean) == (0, 0, 0, 0)
    assert joint.probability_above == 0 and joint.probability_tie == 1
    assert joint.shared_inputs == joint.sampled_inputs


def test_a_certain_improvement_is_ahead_in_every_sample(write) -> None:
    card = one_factor([criterion("x", "moat.end_to_end_solution", EVIDENCE),
                       criterion("y", "revenue.growth_yoy", LINEAR)])
    growth = "revenue: {growth_yoy: {low: 0, high: 2}}"
    a = company(write, "a", f"moat: {{end_to_end_solution: true}}\n{growth}")
    b = company(write, "b", f"moat: {{end_to_end_solution: false}}\n{growth}")
    joint = compare_subjects(a, b, card, samples=256).joint
    assert joint is not None
    assert joint.probability_above == 1 and joint.probability_tie == 0
    # growth, given alike, is drawn alike: the gap is the 50 points of x in every sample
    assert joint.gap.p10 == pytest.approx(50) and joint.gap.p90 == pytest.approx(50)
    # while each score alone spreads: 25 x growth, P10 to P90 of U(0, 2) is 0.2 to 1.8
    assert joint.a.p90 - joint.a.p10 == pytest.approx(40, abs=0.5)


def test_independent_inputs_match_the_analytic_gap(write) -> None:
    """Score 50 x growth; A's growth ~ U(0, 1), B's ~ U(0.2, 1.2), drawn independently. The gap
    is 50 (D - 0.2), D triangular on [-1, 1]: P(gap > 0) = 0.8^2 / 2 = 0.32, its median -10,
    P10 50 (sqrt(0.2) - 1.2), P90 50 (0.8 - sqrt(0.2))."""
    card = one_factor([criterion("y", "revenue.growth_yoy", LINEAR)])
    a = company(write, "a", "revenue: {growth_yoy: {low: 0, high: 1}}")
    b = company(write, "b", "revenue: {growth_yoy: {low: 0.2, high: 1.2}}")
    joint = compare_subjects(a, b, card, samples=4096).joint
    assert joint is not None
    assert joint.shared_inputs == 0 and joint.sampled_inputs == 2
    assert joint.probability_above == pytest.approx(0.32, abs=0.005)
    low, high = joint.probability_interval or (0, 1)
    assert low <= 0.32 <= high and high - low < 0.02
    assert joint.gap.p50 == pytest.approx(-10, abs=0.3)
    assert joint.gap.p10 == pytest.approx(50 * (math.sqrt(0.2) - 1.2), abs=0.3)
    assert joint.gap.p90 == pytest.approx(50 * (0.8 - math.sqrt(0.2)), abs=0.3)
    assert joint.probability_tie == 0


def test_a_company_and_a_market_are_not_compared() -> None:
    with pytest.raises(InputError, match=r"this is a market and casebook\.yaml is a company"):
        compare_subjects(thesis.load(CASEBOOK), thesis.load(AI_2025))


def test_markets_compare_under_the_bubble_scorecard() -> None:
    m = compare_subjects(thesis.load(DOTCOM), thesis.load(AI_2025), samples=256)
    assert m.scorecard == "bubble" and m.kind == "market"
    assert headline(m).startswith(f"Dotcom {m.a.score:.1f} vs AI {m.b.score:.1f}: Dotcom higher "
                                  f"by {m.gap:.1f} (higher scores are more bubble-like); "
                                  "P(Dotcom > AI) = ")
    assert m.gap > 0 and m.joint is not None and m.joint.probability_above > 0.9
    assert sum(shares(m).values()) == pytest.approx(m.gap, abs=1e-9)


def test_samples_out_of_range_are_refused() -> None:
    casebook = thesis.load(CASEBOOK)
    with pytest.raises(UserError, match="samples must be between"):
        compare_subjects(casebook, casebook, samples=-1)


# the command

def run(*args: str):
    return runner.invoke(app, ["compare", *args], env={"NO_COLOR": "1", "COLUMNS": "120"})


def test_compare_table_has_the_headline_factors_inputs_and_provenance(
        casebook_vs_chorus: Matchup) -> None:
    result = run(str(CASEBOOK), str(CHORUS), "--samples", "256")
    assert result.exit_code == 0, result.output
    out = result.stdout
    m = casebook_vs_chorus
    assert out.splitlines()[1] == headline(m)
    assert headline(m) == (f"Casebook {m.a.score:.1f} vs Chorus {m.b.score:.1f}: Chorus ahead "
                           f"by {-m.gap:.1f}; P(Casebook > Chorus) = "
                           f"{m.joint.probability_above:.2f}")
    for words in ["Factor by factor", "Distribution", "Total score", "revenue.arr_usd",
                  "What is the annual recurring revenue today?", "256 sobol samples",
                  f"thesis {thesis.__version__}", "casebook.yaml vs chorus.yaml"]:
        assert words in out
    assert str(EXAMPLES) not in out  # portable: file names only


@pytest.mark.parametrize("fmt", ["markdown", "json", "html"])
def test_compare_formats(fmt: str, casebook_vs_chorus: Matchup) -> None:
    result = run(str(CASEBOOK), str(CHORUS), "--samples", "256", "-f", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        m = Matchup.model_validate_json(out)
        assert m.a.subject.name == "Casebook (hypothetical)" and m.joint is not None
        assert json.loads(out)["provenance"]["seed"] == 0
    elif fmt == "markdown":
        assert out.startswith("# Casebook (hypothetical) vs Chorus (hypothetical): ")
        assert "| factor | Casebook | Chorus | gap | part of the gap |" in out
        assert "<sub>`revenue.arr_usd`</sub>" in out
        assert casebook_vs_chorus._repr_markdown_() == out  # what a notebook shows
    else:
        assert out.startswith("<!doctype html>") and out.rstrip().endswith("</html>")
        assert "Chorus ahead by " in out and "<script" not in out


def test_compare_is_the_same_for_a_seed_and_moves_with_it(tmp_path: Path) -> None:
    outputs = [tmp_path / "one.json", tmp_path / "two.json", tmp_path / "other.json"]
    for path, seed in zip(outputs, ["3", "3", "4"], strict=True):
        result = run(str(CASEBOOK), str(CHORUS), "--samples", "256", "--seed", seed, "-o",
                     str(path))
        assert result.exit_code == 0, result.output
    one, two, other = (p.read_text(encoding="utf-8") for p in outputs)
    assert one == two
    assert json.loads(one)["joint"] != json.loads(other)["joint"]


def test_files_of_different_kinds_exit_2_located() -> None:
    result = run(str(CASEBOOK), str(AI_2025), "--samples", "256")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{AI_2025}:1:1: this is a market")
    assert result.stdout == ""


def test_unreadable_files_are_all_listed(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    result = run(str(missing), str(broken))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{missing}:") and any(x.startswith(f"{broken}:") for x in lines)


def test_a_bad_output_path_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.md"
    result = run(str(CASEBOOK), str(CHORUS), "-o", str(target))
    assert result.exit_code == 2
    assert "no such folder" in result.stderr
    assert not target.parent.exists()


def test_strict_makes_an_implausible_number_an_error(write) -> None:
    odd = write("name: Odd\nlayer: application\nrevenue: {growth_yoy: 250}\n", "odd.yaml")
    assert run(str(odd), str(CASEBOOK), "--samples", "0").exit_code == 0
    result = run(str(odd), str(CASEBOOK), "--samples", "0", "--strict")
    assert result.exit_code == 2 and "revenue.growth_yoy" in result.stderr
