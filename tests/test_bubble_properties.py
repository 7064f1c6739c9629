"""The laws of the bubble scorecard over the whole market input space (hypothesis).

Scores stay in [0, 100]; moving an input in its declared direction never moves the bubble score
the other way, and never moves the market back along the cycle; a stage index is always a stage.
"""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import MARKET_SPANS, directions, full_subject, uniforms
from thesis.engine.compile import Compiled, compile_scorecard
from thesis.files.load import load_scorecard
from thesis.models.market import Market
from thesis.models.scorecard import Scorecard
from thesis.subjects import input_space


@functools.cache
def compiled_market() -> tuple[Scorecard, Compiled]:
    card = load_scorecard("bubble")
    market = full_subject(Market, name="Full", as_of="2025-01-01", **MARKET_SPANS)
    return card, compile_scorecard(card, input_space(market))  # type: ignore[arg-type]


def score_directions(card: Scorecard, compiled: Compiled) -> dict[int, int]:
    """The declared directions, with the denominator of a ratio pointing the other way."""
    out = directions(card, compiled)
    for derived in compiled.space.derived.values():
        for need, sign in zip(derived.needs, derived.signs, strict=True):
            if need in compiled.names and compiled.names.index(need) in out:
                out[compiled.names.index(need)] *= sign
    return out


def stage_directions(card: Scorecard, compiled: Compiled) -> dict[int, int]:
    """+1 per input a stage sign bounds from below, -1 from above."""
    out: dict[int, int] = {}
    for stage in card.stages:
        for sign in stage.when:
            if sign.of in compiled.names and sign.among is None:
                out[compiled.names.index(sign.of)] = 1 if sign.at_most is None else -1
    return out


@given(data=st.data())
def test_bubble_scores_stay_within_0_and_100(data) -> None:
    card, compiled = compiled_market()
    result = compiled(compiled.draw(data.draw(uniforms(len(compiled.inputs)))))
    for values in [result.composite, *result.factors.values(), *result.criteria.values()]:
        assert np.all((values >= 0) & (values <= 100))
    assert result.stage is not None
    assert np.all((result.stage >= 0) & (result.stage < len(card.stages)))


@given(data=st.data())
def test_moving_an_input_in_its_direction_never_moves_the_score_back(data) -> None:
    card, compiled = compiled_market()
    signs = score_directions(card, compiled)
    u = data.draw(uniforms(len(compiled.inputs)))
    column = data.draw(st.sampled_from(sorted(signs)))
    raised = u.copy()
    raised[:, column] = data.draw(st.floats(0.0, 1.0)) * (0.9995 - u[:, column]) + u[:, column]
    before = compiled(compiled.draw(u))
    after = compiled(compiled.draw(raised))
    assert np.all(signs[column] * (after.composite - before.composite) >= -1e-9)
    for path, values in after.factors.items():
        assert np.all(signs[column] * (values - before.factors[path]) >= -1e-9)


@given(data=st.data())
def test_moving_an_input_towards_a_bubble_never_moves_the_stage_back(data) -> None:
    card, compiled = compiled_market()
    signs = score_directions(card, compiled) | stage_directions(card, compiled)
    u = data.draw(uniforms(len(compiled.inputs)))
    column = data.draw(st.sampled_from(sorted(signs)))
    step = data.draw(st.floats(0.0, 1.0))
    target = 0.9995 if signs[column] > 0 else 0.0005
    moved = u.copy()
    moved[:, column] = u[:, column] + step * (target - u[:, column])
    before, after = compiled(compiled.draw(u)).stage, compiled(compiled.draw(moved)).stage
    assert before is not None and after is not None
    assert np.all(after >= before)
