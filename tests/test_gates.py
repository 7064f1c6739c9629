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
    assert "Gate 0? (not given and no prior: not checked)" in text


def mixed_card(limits: list[tuple[str, float]]) -> thesis.Scorecard:
    """A factor `f` read from trust, with a cap or a floor per (kind, limit), each on its own
    yes/no input."""
    gates = [gate(f"g{i}", f"moat.{EVIDENCE[i + 1]}", None if kind == "floor" else limit,
                  floor=limit if kind == "floor" else None)
             for i, (kind, limit) in enumerate(limits)]
    return one_factor([criterion("c", f"moat.{EVIDENCE[0]}")], gates=gates)


def base_score(subject: thesis.Company, card: thesis.Scorecard) -> float:
    compiled = compile_for(subject, card)
    return float(compiled.composite(compiled.base_case())[0])


LIMITS = st.lists(st.tuples(st.sampled_from(["cap", "floor"]), st.integers(0, 100)),
                  min_size=1, max_size=3)


@given(limits=LIMITS, outcomes=st.lists(st.booleans(), min_size=3, max_size=3),
       trust=st.floats(0, 1))
def test_caps_never_raise_floors_never_lower_and_order_does_not_matter(
        limits, outcomes, trust) -> None:
    outcomes = outcomes[: len(limits)]
    scores = set()
    for order in itertools.permutations(range(len(limits))):
        card = mixed_card([limits[i] for i in order])
        scores.add(round(base_score(company(trust, [float(outcomes[i]) for i in order]), card),
                   9))
    assert len(scores) == 1
    score = scores.pop()
    caps = [c for (kind, c), ok in zip(limits, outcomes, strict=True) if kind == "cap" and not ok]
    floors = [f for (kind, f), ok in zip(limits, outcomes, strict=True) if kind == "floor" and ok]
    expected = max([min([100 * trust, *caps]), *floors])  # a decisive condition overrides
    assert score == pytest.approx(expected, abs=1e-9)
    if not floors:
        assert score <= 100 * trust + 1e-9
    if not caps:
        assert score >= 100 * trust - 1e-9


@given(floors=st.lists(st.integers(0, 100), min_size=2, max_size=3),
       holds=st.lists(st.floats(0, 1), min_size=3, max_size=3), trust=st.floats(0, 1))
def test_uncertain_floors_give_the_expectation_over_their_joint_outcomes(floors, holds,
                                                                        trust) -> None:
    holds = holds[: len(floors)]
    expected = 0.0
    for outcome in itertools.product([True, False], repeat=len(floors)):
        weight = np.prod([p if ok else 1 - p for p, ok in zip(holds, outcome, strict=True)])
        expected += weight * max([100 * trust, *(f for f, ok in zip(floors, outcome,
                                                                     strict=True) if ok)])
    card = mixed_card([("floor", f) for f in floors])
    assert base_score(company(trust, holds), card) == pytest.approx(expected, abs=1e-9)


@given(trust=st.floats(0, 1), leader=st.floats(0, 1), other=st.floats(0, 1))
def test_a_card_gate_on_a_factor_caps_the_whole_score_while_that_factor_is_low(
        trust, leader, other) -> None:
    card = one_factor([criterion("c", f"moat.{EVIDENCE[0]}")],
                      second=[criterion("d", f"moat.{EVIDENCE[1]}")],
                      card_gates=[gate("weak_f", "factors.f", 30, test="at_least: 50")])
    subject = thesis.Company.model_validate({"name": "G", "layer": "application", "moat": {
        EVIDENCE[0]: trust, EVIDENCE[1]: leader, EVIDENCE[2]: other}})
    result = thesis.score(subject, card, samples=0)
    mean = 50 * trust + 50 * leader
    assert result.score == pytest.approx(mean if 100 * trust >= 50 else min(mean, 30))
    assert result.gates[0].holds == float(100 * trust >= 50)
    raised = subject.model_copy(update={"moat": subject.moat.model_copy(
        update={EVIDENCE[0]: min(1.0, trust + 0.3)})})
    assert thesis.score(raised, card, samples=0).score >= result.score - 1e-9  # monotone


def test_a_gate_on_a_category_holds_with_the_probability_of_its_choices() -> None:
    card = one_factor([criterion("c", f"moat.{EVIDENCE[0]}")],
                      gates=[gate("owned", "moat.distribution", floor=80,
                                  test="in: [owned]")])
    subject = thesis.Company.model_validate({"name": "G", "layer": "application", "moat": {
        EVIDENCE[0]: 0.5, "distribution": {"owned": 0.25, "none": 0.75}}})
    result = thesis.score(subject, card, samples=0)
    assert result.factor("f").gates[0].holds == pytest.approx(0.25)
    assert result.score == pytest.approx(0.25 * 80 + 0.75 * 50)
    text = thesis.render(result, thesis.Format.markdown)
    assert "lifts the factor to at least 80 while it holds" in text


@pytest.mark.parametrize(("gate_text", "message"), [
    (gate("x", "moat.distribution", 10), "a gate on a category needs in: [choices]"),
    (gate("x", "moat.diffusion", 10), "a gate on a number needs exactly one of"),
    (gate("x", "moat.distribution", 10, test="in: [rented]"), "choices are none, borrowed"),
    (gate("x", "moat.customer_trust", 10, test="at_least: 0.5"), "holds when it is yes")])
def test_a_gate_that_cannot_test_its_input_is_a_located_error(tmp_path, gate_text,
                                                              message) -> None:
    card = one_factor([criterion("c", f"moat.{EVIDENCE[0]}")], gates=[gate_text])
    path = tmp_path / "card.yaml"
    path.write_text(card.model_dump_json(by_alias=True, exclude_none=True))
    with pytest.raises(thesis.InputError, match=message.replace("[", r"\[")):
        thesis.load_scorecard(path)
