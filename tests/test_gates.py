"""Gates: several on one factor combine whatever their order, and a gate without its input is
listed, not silently passed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import thesis
from tests.cards import criterion, gate, one_factor
from thesis.subjects import compile_for

EVIDENCE = ["customer_trust", "category_leader", "two_sided_marketplace", "close_to_customer"]


def gated_card(caps: list[float]) -> thesis.Scorecard:
    return one_factor([criterion("c", f"moat.{EVIDENCE[0]}")],
                      gates=[gate(f"g{i}", f"moat.{EVIDENCE[i + 1]}", cap, f"Gate {i}?")
                             for i, cap in enumerate(caps)],
                      verdicts=[(50, "good"), (0, "bad")])


def company(trust: float, passes: list[float]) -> thesis.Company:
    moat = {EVIDENCE[0]: trust, **{EVIDENCE[i + 1]: p for i, p in enumerate(passes)}}
    return thesis.Company.model_validate({"name": "G", "layer": "application", "moat": moat})


def expected_over_outcomes(score: float, caps: list[float], passes: list[float]) -> float:
    """The factor's expectation over the gates' joint pass/fail outcomes, by enumeration."""
    total = 0.0
    for outcome in itertools.product([True, False], repeat=len(caps)):
        weight = np.prod([p if ok else 1 - p for p, ok in zip(passes, outcome, strict=True)])
        capped = min([score, *(c for c, ok in zip(caps, outcome, strict=True) if not ok)])
        total += weight * capped
    return float(total)


@given(caps=st.lists(st.integers(0, 100), min_size=2, max_size=3),
       passes=st.lists(st.floats(0, 1), min_size=3, max_size=3),
       trust=st.floats(0, 1))
def test_uncertain_gates_give_the_expectation_over_their_joint_outcomes_in_any_order(
        caps, passes, trust) -> None:
    passes = passes[: len(caps)]
    expected = expected_over_outcomes(100 * trust, [float(c) for c in caps], passes)
    for order in itertools.permutations(range(len(caps))):
        card = gated_card([caps[i] for i in order])
        subject = company(trust, [passes[i] for i in order])
        compiled = compile_for(subject, card)
        score = float(compiled.composite(compiled.base_case())[0])
        assert score == pytest.approx(expected, abs=1e-9)


def test_the_audits_two_gate_case_is_forty_in_both_orders() -> None:
    for caps in ([10, 40], [40, 10]):
        result = thesis.score(company(1.0, [0.5, 0.5]), gated_card(caps), samples=0)
        assert result.score == pytest.approx(40.0)


def test_a_gate_without_its_input_is_listed_not_passed() -> None:
    subject = thesis.Company.model_validate({"name": "G", "layer": "application",
                                             "moat": {EVIDENCE[0]: True}})
    result = thesis.score(subject, gated_card([20]), samples=0)
    assert result.score == 100.0  # nothing caps it: the gate is not checked
    assert result.not_assessed() == {"f.g0": "not_given"}
    text = thesis.render(result, thesis.Format.markdown)
    assert "must-have: Gate 0? (not given, so it caps nothing)" in text
