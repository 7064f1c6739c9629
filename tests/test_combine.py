"""How a factor's criteria make its score: weighted mean, the best (`any`) or the weakest
(`all`), with the laws each must obey."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import thesis
from tests.cards import criterion, one_factor
from thesis.errors import InputError
from thesis.models.scorecard import Scorecard
from thesis.run import ranked
from thesis.subjects import compile_for

INPUTS = ["customer_trust", "category_leader", "two_sided_marketplace", "close_to_customer"]


def card(combine: str, count: int, weight: float = 1) -> Scorecard:
    return one_factor([criterion(f"c{i}", f"moat.{INPUTS[i]}", "{kind: evidence, yes: 90, no: 10}",
                                 weight) for i in range(count)], combine=combine)


def score(combine: str, probabilities: list[float]) -> float:
    company = thesis.Company.model_validate({"name": "C", "layer": "application", "moat": dict(
        zip(INPUTS, probabilities, strict=False))})
    compiled = compile_for(company, card(combine, len(probabilities)))
    return float(compiled.composite(compiled.base_case())[0])


probabilities = st.lists(st.floats(0, 1), min_size=2, max_size=4)


@given(probabilities)
def test_any_is_the_best_part_all_the_weakest_and_the_mean_between(ps) -> None:
    parts = [10 + 80 * p for p in ps]
    best, mean, weakest = score("any", ps), score("mean", ps), score("all", ps)
    assert best == pytest.approx(max(parts))
    assert weakest == pytest.approx(min(parts))
    assert weakest - 1e-9 <= mean <= best + 1e-9
    assert weakest >= 0 and best <= 100


@given(probabilities, st.integers(0, 3), st.floats(0, 1))
def test_raising_one_part_never_lowers_any_combination(ps, which, more) -> None:
    which %= len(ps)
    raised = list(ps)
    raised[which] = ps[which] + (1 - ps[which]) * more
    for combine in ("mean", "any", "all"):
        assert score(combine, raised) >= score(combine, ps) - 1e-9


def test_a_brand_leader_alone_has_a_strong_traditional_moat() -> None:
    # Casado (seed 002): a traditional moat OR real technical differentiation
    leader = thesis.Company.model_validate({"name": "B", "layer": "application", "moat": {
        "category_leader": True, "two_sided_marketplace": False,
        "own_models_where_frontier_is_weak": False}})
    result = thesis.score(leader, "moat", samples=0)
    assert result.factor("traditional_moats").score == 100.0
    assert result.factor("traditional_moats").combine == "any"
    assert "the best of its criteria counts" in thesis.render(result, thesis.Format.markdown)


def test_alternatives_carry_no_weights() -> None:
    with pytest.raises(InputError, match="have no weights"):
        card("any", 2, weight=2)


def test_shares_equal_to_rounding_rank_in_the_scorecards_order() -> None:
    """Two inputs that move the score alike can get estimates that differ in the last bits:
    drivers and diligence keep such ties in the inputs' order, not the noise's."""
    shares = {"first": 0.13, "second": 0.13 + 1e-15, "third": 0.2, "fourth": 0.13 - 1e-14}
    assert ranked(list(shares), shares.__getitem__) == ["third", "first", "second", "fourth"]
    assert ranked(["b", "a"], {"a": 0.5, "b": 0.5 + 1e-9}.__getitem__) == ["b", "a"]
