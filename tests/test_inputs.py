"""The input space: columns drawn from uniforms, derived columns, and how inputs are described."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import BaseModel

import thesis
from tests.strategies import full_subject
from thesis.engine.space import Input, catalogue, compact, space_of
from thesis.models.distributions import Evidence, InputKind, Rate, Uniform
from thesis.subjects import input_space


def test_evidence_is_a_bernoulli_draw_non_decreasing_in_u() -> None:
    inp = Input("x", "evidence", probability=0.3)
    u = np.linspace(0, 0.999, 1000)
    drawn = inp.draw(u)
    assert drawn.mean() == pytest.approx(0.3, abs=0.002)
    assert np.all(np.diff(drawn) >= 0)
    assert inp.base() == 0.3


def test_categories_are_drawn_with_their_probabilities() -> None:
    inp = Input("x", "category", choices=("a", "b", "c"), weights=(0.2, 0.0, 0.8))
    drawn = inp.draw(np.linspace(0, 0.999, 1000))
    assert set(np.unique(drawn)) == {0.0, 2.0}
    assert (drawn == 0).mean() == pytest.approx(0.2, abs=0.002)
    assert math.isnan(inp.base())  # EXPECTED: each rule scores it at its expected score
    assert inp.likeliest == 2
    assert inp.describe() == "a 20%, c 80%"
    assert inp.describe(0.0) == "a"


def test_numbers_are_described_by_p10_and_p90() -> None:
    inp = Input("x", "number", distribution=Uniform(low=0, high=2_000_000))
    assert inp.describe() == "200k..1.8M"
    assert not inp.is_certain


@pytest.mark.parametrize(("value", "text"), [(0.348, "0.348"), (12.5, "12.5"), (94_000, "94k"),
                                             (1.25e6, "1.25M"), (3.4e9, "3.4B"), (1.1e12, "1.1T")])
def test_compact_numbers(value: float, text: str) -> None:
    assert compact(value) == text


def test_derived_columns_compute_from_sampled_ones() -> None:
    company = thesis.Company.model_validate({"name": "D", "layer": "application", "market_pool": {
        "employees": 1000, "median_wage_usd": {"low": 10, "high": 30}, "automatable_share": 0.5}})
    space = input_space(company)
    assert "market_pool.labour_pool_usd" in space
    needed = [i.path for i in space.base_inputs(["market_pool.addressable_usd"])]
    assert needed == ["market_pool.employees", "market_pool.median_wage_usd",
                      "market_pool.automatable_share"]
    columns = {"market_pool.employees": np.array([1000.0]),
               "market_pool.median_wage_usd": np.array([20.0]),
               "market_pool.automatable_share": np.array([0.5])}
    assert space.column("market_pool.addressable_usd", columns)[0] == 10_000.0


def test_a_derived_input_needs_all_its_parts() -> None:
    company = thesis.Company.model_validate({"name": "D", "layer": "application",
                                             "market_pool": {"employees": 1000}})
    assert "market_pool.labour_pool_usd" not in input_space(company)


@pytest.mark.parametrize(("model", "required"), [
    (thesis.Company, {"name": "C", "layer": "application"}),
    (thesis.Market, {"name": "M", "as_of": "2025-10-01"}),
], ids=["company", "market"])
def test_a_subject_offers_exactly_the_inputs_its_type_catalogues(
        model: type[BaseModel], required: dict[str, str]) -> None:
    kinds = catalogue(model)
    space = space_of(full_subject(model, **required))
    assert set(space.inputs) == set(kinds)
    assert all(space.inputs[path].kind == kind.kind for path, kind in kinds.items())


class Toy(BaseModel):
    discount_rate: float = 0.1
    share: Rate | None = None
    known: Evidence | None = None


def test_only_fields_typed_as_inputs_become_inputs() -> None:
    assert catalogue(Toy) == {"share": InputKind("number", 0.0, 1.0),
                              "known": InputKind("evidence", 0.0, 1.0)}
    space = space_of(Toy(share=0.3, known=True))
    assert set(space.inputs) == {"share", "known"}
    assert space.inputs["known"].probability == 1.0
    assert "share" not in space_of(Toy(known=False)).inputs


def test_every_input_has_a_question_in_words() -> None:
    from thesis.subjects import KINDS

    for kind in KINDS.values():
        for path in kind.catalogue():
            question = kind.question(path)
            assert question and question != path, path
    assert KINDS["company"].question("no.such.field") == "no.such.field"
