"""Sobol indices against published analytic values, and the tornado."""

from __future__ import annotations

import numpy as np
import pytest

from thesis.engine.sensitivity import pick_freeze, sobol_indices, tornado
from thesis.engine.space import Input
from thesis.models.distributions import Normal, Uniform

# Ishigami & Homma (1990) with a = 7, b = 0.1 on [-pi, pi]^3; the indices are analytic, e.g.
# Saltelli et al. (2008), "Global Sensitivity Analysis: The Primer", section 4.
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


PI_BOX = {f"x{i}": Uniform(low=-np.pi, high=np.pi) for i in (1, 2, 3)}


def test_ishigami_indices_match_the_analytic_values() -> None:
    result = sobol_indices(ishigami, PI_BOX, n=2**14, seed=1, bootstrap=200)
    np.testing.assert_allclose(result.first, ISHIGAMI_S1, atol=0.01)
    np.testing.assert_allclose(result.total, ISHIGAMI_ST, atol=0.01)
    assert result.evaluations == 2**14 * 5
    # the analytic values lie inside (or within a hair of) the 95% bootstrap intervals
    for est, ci, truth in [(result.first, result.first_interval, ISHIGAMI_S1),
                           (result.total, result.total_interval, ISHIGAMI_ST)]:
        assert np.all(ci[:, 0] <= est + 1e-12)
        assert np.all(est <= ci[:, 1] + 1e-12)
        assert np.all((ci[:, 0] - 0.005 <= truth) & (np.array(truth) <= ci[:, 1] + 0.005))


def test_plain_monte_carlo_converges_too() -> None:
    result = sobol_indices(ishigami, PI_BOX, n=2**15, seed=5, bootstrap=0, method="random")
    np.testing.assert_allclose(result.total, ISHIGAMI_ST, atol=0.03)


def test_weighted_sum_of_independent_inputs() -> None:
    weights = np.array([1.0, -2.0, 3.0, 0.5])
    inputs = {"a": Uniform(low=0, high=1), "b": Uniform(low=0, high=2),
              "c": Normal(mean=0, sd=0.5), "d": Uniform(low=-3, high=3)}
    variances = np.array([1 / 12, 4 / 12, 0.25, 36 / 12])
    expected = weights**2 * variances / np.sum(weights**2 * variances)
    result = sobol_indices(lambda x: x @ weights, inputs, n=2**12, seed=0, bootstrap=50)
    np.testing.assert_allclose(result.first, expected, atol=0.01)
    np.testing.assert_allclose(result.total, expected, atol=0.01)


def test_bernoulli_evidence_and_interactions() -> None:
    # y = e u, e ~ Bernoulli(0.5) (a yes/no input), u ~ U(0, 1). Analytically:
    # V = E[e] E[u^2] - (E[e] E[u])^2 = 5/48; S_e = Var(e) E[u]^2 / V = 0.6;
    # S_u = E[e]^2 Var(u) / V = 0.2; ST_e = 1 - S_u = 0.8; ST_u = 1 - S_e = 0.4.
    inputs = {"e": Input("e", "evidence", probability=0.5), "u": Uniform(low=0, high=1)}
    result = sobol_indices(lambda x: x[:, 0] * x[:, 1], inputs, n=2**14, seed=2, bootstrap=0)
    assert result.variance == pytest.approx(5 / 48, rel=0.02)
    np.testing.assert_allclose(result.first, [0.6, 0.2], atol=0.02)
    np.testing.assert_allclose(result.total, [0.8, 0.4], atol=0.02)


def test_a_constant_output_attributes_nothing() -> None:
    result = sobol_indices(lambda x: np.full(len(x), 3.0), PI_BOX, n=64, seed=0, bootstrap=10)
    assert np.all(result.first == 0)
    assert np.all(result.total == 0)


def test_fixed_seed_identical_output() -> None:
    a = sobol_indices(ishigami, PI_BOX, n=256, seed=9, bootstrap=20)
    b = sobol_indices(ishigami, PI_BOX, n=256, seed=9, bootstrap=20)
    assert a.as_dict() == b.as_dict()


def test_blocks_of_rows_change_nothing() -> None:
    whole = sobol_indices(ishigami, PI_BOX, n=1000, seed=4, bootstrap=30)
    blocks = sobol_indices(ishigami, PI_BOX, n=1000, seed=4, bootstrap=30, block_rows=51)
    for field in ("first", "total", "first_interval", "total_interval"):
        np.testing.assert_allclose(getattr(blocks, field), getattr(whole, field), rtol=0,
                                   atol=1e-12)


def test_pick_freeze_layout() -> None:
    a = np.zeros((2, 3))
    b = np.ones((2, 3))
    stacked = pick_freeze(a, b)
    assert stacked.shape == (10, 3)
    np.testing.assert_array_equal(stacked[4:6], [[1, 0, 0], [1, 0, 0]])
    np.testing.assert_array_equal(stacked[8:10], [[0, 0, 1], [0, 0, 1]])


def test_tornado_ranks_swings() -> None:
    bars = tornado(lambda x: x @ np.array([1.0, -5.0]), np.array([0.5, 0.5]),
                   np.array([0.0, 0.0]), np.array([1.0, 1.0]), ["small", "big"])
    assert [b.name for b in bars] == ["big", "small"]
    assert bars[0].at_low == pytest.approx(0.5)
    assert bars[0].at_high == pytest.approx(-4.5)
    assert bars[0].swing == pytest.approx(5.0)
