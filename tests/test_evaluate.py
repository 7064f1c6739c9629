"""The compiled evaluator: rule kinds, gates, missing inputs, and one pass over N samples."""

from __future__ import annotations

import numpy as np
import pytest

import thesis
from tests.cards import criterion, one_factor
from tests.conftest import EXAMPLES
from thesis.engine.compile import gate_function, rule_function
from thesis.errors import NothingToScoreError
from thesis.models.scorecard import Categories, Curve, EvidenceRule, Gate
from thesis.report.document import rows
from thesis.subjects import compile_for


def test_curve_interpolates_and_is_flat_outside() -> None:
    f = rule_function(Curve(kind="curve", better="higher", points=[(0, 0), (1, 50), (2, 100)]))
    np.testing.assert_allclose(f(np.array([-5, 0, 0.5, 1.5, 2, 9])), [0, 0, 25, 75, 100, 100])


def test_log_curve_interpolates_in_decades() -> None:
    f = rule_function(Curve(kind="curve", better="higher", scale="log",
                            points=[(1e6, 0), (1e8, 100)]))
    np.testing.assert_allclose(f(np.array([1.0, 1e6, 1e7, 1e9])), [0, 0, 50, 100])


def test_categories_and_evidence() -> None:
    cat = rule_function(Categories(kind="categories", scores={"a": 10, "b": 90}), ("b", "a"))
    np.testing.assert_allclose(cat(np.array([0.0, 1.0])), [90, 10])
    ev = rule_function(EvidenceRule(kind="evidence", yes=80, no=20))
    np.testing.assert_allclose(ev(np.array([0, 0.5, 1])), [20, 50, 80])


def test_gates_on_numbers() -> None:
    gate = Gate(id="g", question="enough?", input="x", at_least=0.8, cap=0, source="assumption: t")
    np.testing.assert_allclose(gate_function(gate)(np.array([0.7, 0.8, 0.9])), [0, 1, 1])


def company(**moat) -> thesis.Company:
    return thesis.Company.model_validate({"name": "T", "layer": "application", "moat": moat})


def test_a_flywheel_without_a_business_metric_counts_for_nothing() -> None:
    flywheel = {"own_usage_data": True, "unique_dataset": True}
    without = thesis.score(company(data_flywheel=flywheel), "moat")
    named = thesis.score(company(data_flywheel={**flywheel, "business_metric": "win rate"}),
                         "moat")
    [f_without] = [f for f in without.factors if f.id == "data_flywheel"]
    [f_named] = [f for f in named.factors if f.id == "data_flywheel"]
    assert f_without.score == 0.0
    assert f_named.score == 100.0
    assert f_without.gates[0].holds == 0.0


def test_an_uncertain_gate_blends_capped_and_uncapped() -> None:
    flywheel = {"own_usage_data": True, "unique_dataset": True, "business_metric": "win rate",
                "moves_metric": 0.25}
    result = thesis.score(company(data_flywheel=flywheel), "moat")
    [factor] = [f for f in result.factors if f.id == "data_flywheel"]
    assert factor.score == pytest.approx(25.0)


def test_a_factor_is_the_weighted_mean_of_its_criteria() -> None:
    card = one_factor([criterion("a", "moat.customer_trust", weight=3),
                       criterion("b", "moat.category_leader", weight=1)])
    result = thesis.score(company(customer_trust=True, category_leader=False), card, samples=0)
    assert result.score == pytest.approx(75.0)  # (3 x 100 + 1 x 0) / 4, not (100 + 0) / 2


def test_missing_inputs_are_not_assessed_and_weights_renormalise() -> None:
    result = thesis.score(company(end_to_end_solution=True), "moat", unknowns="leave_out")
    assert result.score == 100.0  # the only assessed criterion is a yes
    assert result.not_assessed()["mad"] == "nothing_given"
    assert result.not_assessed()["application_strategies.wraps_customer_workflow"] == (
        "not_given")
    shares = [f.share for f in result.factors]
    assert sum(shares) == pytest.approx(1.0)


def test_factors_apply_by_layer() -> None:
    infra = thesis.Company.model_validate({"name": "I", "layer": "infrastructure", "moat": {
        "infrastructure_design_tradeoffs": True, "end_to_end_solution": False}})
    result = thesis.score(infra, "moat", unknowns="leave_out")
    assert result.not_assessed()["application_strategies"] == "not_applicable"
    assert result.score == 100.0


def test_nothing_given_reads_priors_only_and_insufficient_evidence() -> None:
    empty = thesis.Company(name="Empty", layer="model")
    result = thesis.score(empty, "moat", samples=0)
    assert result.verdict == "insufficient evidence" and result.coverage.given == 0
    with pytest.raises(NothingToScoreError):  # the old reading has nothing left to score
        thesis.score(empty, "moat", unknowns="leave_out")


def test_one_pass_over_many_rows_equals_row_by_row() -> None:
    c = thesis.load_company(EXAMPLES / "companies" / "casebook.yaml")
    compiled = compile_for(c, thesis.load_scorecard("thesis"))
    rng = np.random.default_rng(1)
    x = compiled.draw(rng.random((64, len(compiled.inputs))))
    together = compiled(x)
    for i in range(len(x)):
        alone = compiled(x[i : i + 1])
        assert alone.composite[0] == pytest.approx(together.composite[i], abs=1e-12)
        for path, values in together.factors.items():
            assert alone.factors[path][0] == pytest.approx(values[i], abs=1e-12)


def test_point_score_is_the_evaluator_at_the_base_case() -> None:
    c = thesis.load_company(EXAMPLES / "companies" / "casebook.yaml")
    compiled = compile_for(c, thesis.load_scorecard("thesis"))
    base = compiled(compiled.base_case()).composite[0]
    assert thesis.score(c).score == pytest.approx(float(base))


def test_results_count_the_criteria_given() -> None:
    result = thesis.score(company(end_to_end_solution=True, customer_trust=0.5), "thesis",
                          samples=0)
    [moat] = [f for f in result.factors if f.id == "moat"]
    assert moat.given == 2
    # the infrastructure and model-only factors do not apply to an application, so their
    # criteria are not counted
    assert moat.criteria_count == 16
    [row] = [r for r in rows(result) if r.label == "Moat"]
    # thin evidence no longer reads as a strong verdict: moat.yaml's minimum coverage
    assert row.note == "insufficient evidence; 2 of 16 criteria given"


def test_coverage_counts_the_criteria_answered_and_their_weight() -> None:
    one_line = thesis.Company.model_validate({"name": "W", "layer": "application",
                                              "workflow": {"repeatable": True}})
    result = thesis.score(one_line, samples=0)
    assert result.coverage.given == 1
    assert result.coverage.criteria > 30
    assert 0 < result.coverage.weight < 0.1
    assert "answered 1 of" in thesis.render(result, thesis.Format.markdown)
    full = thesis.score(company(end_to_end_solution=True), "moat", samples=0)
    moat = thesis.load_scorecard("moat")
    [strategies] = [f for f in moat.factors if f.id == "application_strategies"]
    applying = sum(f.weight for f in moat.factors if f.applies({"layer": "application"}))
    expected = strategies.weight / applying / len(strategies.criteria)  # one of four, equal
    assert full.coverage.weight == pytest.approx(expected)


def test_given_figures_no_rule_reads_are_set_aside_visibly() -> None:
    casebook = thesis.load_company(EXAMPLES / "companies" / "casebook.yaml")
    assert thesis.score(casebook, samples=0).not_scored == []  # the thesis reads every figure
    result = thesis.score(casebook, "moat", samples=0)
    assert {"revenue.arr_usd", "revenue.growth_yoy"} <= set(result.not_scored)
    assert not set(result.not_scored) & {g.input for g in result.inputs}
    for layout in (thesis.Format.markdown, thesis.Format.table, thesis.Format.html):
        assert "revenue.arr_usd" in thesis.render(result, layout)
    assert "revenue.arr_usd" in thesis.render(result, thesis.Format.json)


def test_a_category_enters_the_base_case_at_its_expected_score_as_evidence_does() -> None:
    card = thesis.load_scorecard("moat")
    mixed = compile_for(company(affordance={"high": 0.6, "medium": 0.4}), card)
    evaluation = mixed(mixed.base_case())
    assert evaluation.criteria["mad.affordance"][0] == pytest.approx(0.6 * 100 + 0.4 * 50)
    sure = compile_for(company(affordance="high"), card)
    assert sure(sure.base_case()).criteria["mad.affordance"][0] == pytest.approx(100)
    likely = compile_for(company(close_to_customer=0.6), card)
    assert likely(likely.base_case()).criteria["mad.close_to_customer"][0] == pytest.approx(60)


SHIPPED_CARDS = {"company": ["thesis", "moat", "revenue", "traction"], "market": ["bubble"]}


@pytest.mark.parametrize(("kind", "card_id"), [
    (kind, card_id) for kind, ids in SHIPPED_CARDS.items() for card_id in ids])
def test_pick_freeze_rows_score_as_the_stacked_matrix_does(kind: str, card_id: str) -> None:
    """`Compiled.pick_freeze` skips rules that do not read the swapped column: its outputs equal
    evaluating the stacked [B; A_B^1; ...; A_B^k] matrix, for every example and scorecard,
    through the shipped lenses too, and with every input given or none."""
    from tests.strategies import full_subject
    from thesis.engine.lens import apply
    from thesis.engine.sensitivity import pick_freeze
    from thesis.files.lenses import shipped_lenses
    from thesis.files.load import load_scorecard
    from thesis.subjects import KINDS

    card = load_scorecard(card_id)
    cards = [card, *(apply(card, lens) for lens in shipped_lenses(card_id))]
    model = KINDS[kind].model  # type: ignore[index]
    subjects = [thesis.load(p) for p in sorted((EXAMPLES / f"{kind}s").glob("*.yaml"))]
    subjects += [full_subject(model, name="every input", **(
        {"layer": "application"} if kind == "company" else {"as_of": "2025-01-01"}))]
    rng = np.random.default_rng(1)
    for subject in subjects:
        for scored in cards:
            compiled = compile_for(subject, scored)
            k = len(compiled.inputs)
            a, b = (compiled.draw(rng.random((64, k))) for _ in range(2))
            stacked = compiled.composite(pick_freeze(a, b)[64:])
            np.testing.assert_allclose(compiled.pick_freeze(a, b), stacked, rtol=0, atol=1e-12,
                                       err_msg=f"{subject.name}, {scored.id}")
