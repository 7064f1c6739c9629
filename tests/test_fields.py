"""Every field says what it means and its unit, every input the question that fills it, and a
value a field cannot hold is refused with what to write instead."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import thesis
from thesis.engine.space import catalogue, find_in_type, model_class
from thesis.errors import InputError
from thesis.files.validate import validate
from thesis.files.yaml import parse
from thesis.models.base import QUESTION, example_of
from thesis.models.company import Company
from thesis.models.distributions import (
    Beta,
    Categorical,
    LogNormal,
    Normal,
    Point,
    Triangular,
    Uniform,
)
from thesis.models.market import Market
from thesis.subjects import COMPANY, MARKET, SubjectKind

SHAPES = (Point, Uniform, Triangular, Normal, LogNormal, Beta, Categorical)
KINDS = {"company": COMPANY, "market": MARKET}
REQUIRED: dict[str, dict[str, Any]] = {"company": {"name": "Acme", "layer": "application"},
                                       "market": {"name": "AI", "as_of": "2025-10-31"}}
UNIT_WORDS = ("fraction", "dollar", "US$", "%", "percent")


def fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    """Every field of a model at every level, nested blocks and list items followed."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path, info
        nested = find_in_type(info.annotation, model_class, through_containers=True)
        if nested is not None and nested not in SHAPES:
            yield from fields(nested, f"{path}.")


@pytest.mark.parametrize("model", [Company, Market, *SHAPES], ids=lambda m: m.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    found = list(fields(model))
    assert found
    missing = [path for path, info in found if not (info.description or "").strip()]
    assert missing == []


@pytest.mark.parametrize("model", [Company, Market], ids=lambda m: m.__name__)
def test_every_value_field_has_an_example_that_is_not_its_default(
        model: type[BaseModel]) -> None:
    for path, info in fields(model):
        if find_in_type(info.annotation, model_class) is not None and path not in catalogue(
                model):
            continue  # a block: its fields have the examples
        assert info.examples, path
        assert example_of(info) != info.default, path


@pytest.mark.parametrize("name", ["company", "market"])
def test_every_input_asks_its_question_and_the_subject_kind_reads_it(name: str) -> None:
    kind: SubjectKind = KINDS[name]
    inputs = catalogue(kind.model)
    assert len(inputs) > 20
    for path, info in fields(kind.model):
        if path not in inputs:
            continue
        assert isinstance(info.json_schema_extra, dict), path
        question = info.json_schema_extra[QUESTION]
        assert isinstance(question, str)
        assert question.endswith("?") and question[0].isupper(), path
        assert len(question) < 90, path
        assert not any(word in question for word in UNIT_WORDS), (path, question)
        assert kind.question(path) == question != info.description


@pytest.mark.parametrize("name", ["company", "market"])
def test_derived_and_fitted_inputs_have_questions_too(name: str) -> None:
    kind = KINDS[name]
    for path in kind.catalogue():
        assert kind.question(path).endswith("?"), path


def test_the_question_is_what_reports_show_for_an_input() -> None:
    assert COMPANY.question("moat.data_flywheel.unique_dataset") == (
        "Does it build a dataset nobody else can get?")
    assert COMPANY.question("revenue.growth_yoy") == "How fast did ARR grow over the last year?"
    assert MARKET.question("revenue.growth_yoy") == "How fast does that revenue grow?"


def schema_nodes(node: Any, defs: dict[str, Any], path: str = "",
                 seen: frozenset[str] = frozenset()) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of a JSON Schema with its dotted path, through $ref and anyOf."""
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.split("/")[-1]
        if name not in seen:
            yield from schema_nodes(defs[name], defs, path, seen | {name})
    for key in ("anyOf", "oneOf"):
        for member in node.get(key, []):
            yield from schema_nodes(member, defs, path, seen)
    if "items" in node:
        yield from schema_nodes(node["items"], defs, path, seen)
    for name, child in node.get("properties", {}).items():
        yield f"{path}{name}", child
        yield from schema_nodes(child, defs, f"{path}{name}.", seen)


@pytest.mark.parametrize("name", ["company", "market"])
def test_the_json_schema_shows_descriptions_questions_and_examples(name: str) -> None:
    schema = thesis.json_schema(name)
    nodes = dict(schema_nodes(schema, schema["$defs"]))
    assert {path for path, node in nodes.items() if "description" not in node} == set()
    for path in catalogue(KINDS[name].model):
        assert nodes[path]["question"] == KINDS[name].question(path)
        assert nodes[path]["examples"], path
    shapes = {shape.__name__ for shape in SHAPES} & set(schema["$defs"])
    assert shapes == {"Point", "Uniform", "Triangular", "Normal", "LogNormal", "Beta"}
    for shape in shapes:
        for key, node in schema["$defs"][shape]["properties"].items():
            assert "in the unit of the field" in node["description"] or shape == "Beta", key


def problems(name: str, data: dict[str, Any]) -> list[str]:
    """The located problems `thesis validate` would print for a subject written as `data`."""
    model = Company if name == "company" else Market
    doc = parse(json.dumps({**REQUIRED[name], **data}, indent=1).encode(), "t.yaml")
    with pytest.raises(InputError) as info:
        validate(model, doc)
    return [f"{p.field}: {p.message}" for p in info.value.problems]


FRACTION_FITS = "write {low, high}, {low, mode, high}, {mean, sd} (truncated to the range) or "


@pytest.mark.parametrize(("name", "data", "message"), [
    ("company", {"moat": {"diffusion": {"p10": 0.2, "p90": 0.5}}},
     "moat.diffusion: a lognormal {p10, p90} is unbounded above, so it cannot describe a "
     f"fraction in [0, 1]; {FRACTION_FITS}{{alpha, beta}}"),
    ("market", {"leverage": {"capex_debt_share": {"p10": 0.2, "p90": 0.5}}},
     "leverage.capex_debt_share: a lognormal {p10, p90} is unbounded above, so it cannot "
     f"describe a fraction in [0, 1]; {FRACTION_FITS}{{alpha, beta}}"),
    ("company", {"revenue": {"net_revenue_retention": {"p10": 0.9, "p90": 1.3}}},
     "revenue.net_revenue_retention: a lognormal {p10, p90} is unbounded above, so it cannot "
     f"describe a number in [0, 5]; {FRACTION_FITS}{{alpha, beta, low, high}}"),
    ("company", {"revenue": {"gross_margin": {"now": {"p10": 0.4, "p90": 0.6}}}},
     "revenue.gross_margin.now: a lognormal {p10, p90} is unbounded above, so it cannot "
     f"describe a number in [-1, 1]; {FRACTION_FITS}{{alpha, beta, low, high}}"),
    ("company", {"moat": {"category_generation": {"p10": 1.5, "p90": 3}}},
     "moat.category_generation: a lognormal {p10, p90} reaches down to 0, so it cannot "
     f"describe a number of at least 1; {FRACTION_FITS}{{alpha, beta, low, high}}"),
    ("company", {"moat": {"category_generation": {"alpha": 2, "beta": 3}}},
     "moat.category_generation: a beta {alpha, beta} lies in [0, 1] unless given its own low "
     "and high; this field is at least 1: write {alpha, beta, low, high} with low and high "
     "inside it"),
    ("company", {"revenue": {"growth_yoy": {"p10": -0.2, "p90": 0.5}}},
     "revenue.growth_yoy.p10: must be greater than 0: a lognormal {p10, p90} describes a "
     "positive quantity; for one that may be 0 or less, write {low, high}, {low, mode, high} "
     "or {mean, sd}"),
    ("company", {"engagement": {"dau_mau": {"mean": 35, "sd": 5}}},
     "engagement.dau_mau: the mean of {mean, sd} must lie in [0, 1] (the normal is truncated "
     "to that range); did you mean 0.35 (a share, not a percentage)?"),
    ("company", {"market_pool": {"employees": -5}}, "market_pool.employees: must be at least 0"),
    ("company", {"moat": {"data_flywheel": {"unique_dataset": {"low": 0.5, "high": 0.8}}}},
     "moat.data_flywheel.unique_dataset: yes/no evidence takes one probability, not a "
     "distribution: write true, false or a probability in [0, 1] (an uncertain probability "
     "counts as its mean)"),
    ("market", {"speculation": {"smart_money_selling": 70}},
     "speculation.smart_money_selling: expected true, false or a probability in [0, 1]; did "
     "you mean 0.7 (a probability, not a percentage)?"),
])
def test_a_shape_the_field_cannot_hold_says_what_to_write(name: str, data: dict[str, Any],
                                                          message: str) -> None:
    assert problems(name, data) == [message]


def test_a_lognormal_stays_welcome_where_it_fits() -> None:
    doc = parse(b"name: A\nlayer: model\nrevenue:\n  arr_usd: {p10: 1.0e6, p90: 3.0e6}\n"
                b"  growth_yoy: {p10: 0.5, p90: 2}\n", "t.yaml")
    company = validate(Company, doc)
    assert isinstance(company.revenue.growth_yoy, LogNormal)


def nested(path: str, value: Any) -> dict[str, Any]:
    out: Any = value
    for part in reversed(path.split(".")):
        out = {part: out}
    return dict(out)


ATTEMPTS = [-1.0e3, 1.0e3, {"low": -1.0e3, "high": 1.0e3}, {"low": 0.5, "mode": 2, "high": 3},
            {"mean": 1.0e3, "sd": 1}, {"p10": 0.5, "p90": 2}, {"p10": 0, "p90": 2},
            {"alpha": 2, "beta": 2}, {"alpha": 2, "beta": 2, "low": -5, "high": 5}]


@pytest.mark.parametrize("name", ["company", "market"])
def test_every_number_a_field_refuses_is_refused_with_its_range_or_what_fits(name: str) -> None:
    refused = 0
    for path, kind in catalogue(KINDS[name].model).items():
        if kind.kind != "number":
            continue
        for attempt in ATTEMPTS:
            model = Company if name == "company" else Market
            try:
                model.model_validate({**REQUIRED[name], **nested(path, attempt)})
            except ValueError:
                refused += 1
                [message] = problems(name, nested(path, attempt))
                ranged = re.search(r"must (lie in \[.*\]|be at least -?\d)", message)
                assert ranged or "write {" in message, (path, attempt, message)
                assert kind.bounds() in message or "greater than 0" in message, message
    assert refused > 20


def test_bounds_in_words() -> None:
    kinds = catalogue(Company)
    assert kinds["moat.diffusion"].bounds() == "in [0, 1]"
    assert kinds["revenue.growth_yoy"].bounds() == "at least -1"
    assert math.isinf(kinds["revenue.growth_yoy"].high)
