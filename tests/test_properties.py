"""The laws every shipped scorecard obeys, over the whole input space.

Scores stay in [0, 100]; raising an input in its declared better direction never lowers the
score; a failing gate caps its factor; a point input scores as its degenerate distribution;
key order in YAML does not matter.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import thesis
from tests.strategies import directions, full_subject, uniforms
from thesis.files.load import shipped_dir
from thesis.models.company import Company
from thesis.subjects import compile_for

COMPANY_CARDS = [p.stem for p in sorted(shipped_dir().glob("*.yaml"))
                 if thesis.load_scorecard(p.stem).subject == "company"]
LAYERS = ["application", "model", "infrastructure", "hardware"]
CASES = [(card, layer) for card in COMPANY_CARDS for layer in LAYERS]


@functools.cache
def compiled_case(card_name: str, layer: str):
    card = thesis.load_scorecard(card_name)
    company = full_subject(Company, name="Full", layer=layer, segment="smb_saas",
                           moat={"data_flywheel": {"business_metric": "retention"}},
                           engagement={"cohorts": [{"start": "2025-01",
                                                    "active": [1.0, 0.6, 0.5, 0.45, 0.42]}]})
    return card, compile_for(company, card)


@functools.cache
def thesis_card() -> thesis.Scorecard:
    return thesis.load_scorecard("thesis")


@pytest.mark.parametrize(("card_name", "layer"), CASES)
@given(data=st.data())
def test_scores_stay_within_0_and_100(card_name: str, layer: str, data) -> None:
    _, compiled = compiled_case(card_name, layer)
    u = data.draw(uniforms(len(compiled.inputs)))
    result = compiled(compiled.draw(u))
    for values in [result.composite, *result.factors.values(), *result.criteria.values()]:
        assert np.all((values >= 0) & (values <= 100))


@pytest.mark.parametrize(("card_name", "layer"), CASES)
@given(data=st.data())
def test_improving_an_input_never_lowers_the_score(card_name: str, layer: str, data) -> None:
    card, compiled = compiled_case(card_name, layer)
    signs = directions(card, compiled)
    u = data.draw(uniforms(len(compiled.inputs)))
    column = data.draw(st.sampled_from(sorted(signs)))
    raised = u.copy()
    raised[:, column] = data.draw(st.floats(0.0, 1.0)) * (0.9995 - u[:, column]) + u[:, column]
    before = compiled.composite(compiled.draw(u))
    after = compiled.composite(compiled.draw(raised))
    assert np.all(signs[column] * (after - before) >= -1e-9)


@given(cap=st.floats(0, 100), own=st.booleans(), unique=st.floats(0, 1))
def test_a_failing_gate_caps_its_factor(cap: float, own: bool, unique: float) -> None:
    card = thesis.load_scorecard("moat")
    [factor] = [f for f in card.factors if f.gates]
    capped = factor.model_copy(update={"gates": [factor.gates[0].model_copy(update={"cap": cap})]})
    card = card.model_copy(update={"factors": [capped]})
    company = thesis.Company.model_validate({"name": "G", "layer": "application", "moat": {
        "data_flywheel": {"own_usage_data": own, "unique_dataset": unique}}})
    assert thesis.score(company, card).score <= cap + 1e-9


@given(value=st.floats(0, 1), employees=st.floats(1, 1e8))
def test_a_point_scores_as_its_degenerate_distribution(value: float, employees: float) -> None:
    def company(diffusion, staff):
        return thesis.Company.model_validate({
            "name": "P", "layer": "application", "moat": {"diffusion": diffusion},
            "market_pool": {"employees": staff, "median_wage_usd": 50_000}})

    card = thesis_card()
    point = thesis.score(company(value, employees), card)
    for diffusion, staff in [({"low": value, "high": value}, {"mean": employees, "sd": 0}),
                             ({"low": value, "mode": value, "high": value},
                              {"p10": employees, "p90": employees})]:
        assert thesis.score(company(diffusion, staff), card).score == pytest.approx(
            point.score, abs=1e-9)


@given(st.permutations(["name: K", "layer: application", "moat: {end_to_end_solution: 0.3}",
                        "workflow: {billable: true}", "market_pool: {employees: 1000}"]))
def test_key_order_does_not_matter(lines) -> None:
    from thesis.files.validate import validate
    from thesis.files.yaml import parse

    shuffled = validate(Company, parse("\n".join(lines).encode()))
    ordered = validate(Company, parse(
        b"name: K\nlayer: application\nmoat: {end_to_end_solution: 0.3}\n"
        b"workflow: {billable: true}\nmarket_pool: {employees: 1000}\n"))
    assert shuffled == ordered
    assert thesis.score(shuffled, thesis_card()) == thesis.score(ordered, thesis_card())
