"""The special functions `thesis.special` computes without scipy.special, against scipy's, and
the default path that no longer imports it; the tabulated beta quantile against scipy's exact
one, and its order."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special as reference

from tests.conftest import EXAMPLES
from thesis.special import TABLE_FROM, TABLE_TOLERANCE, beta_quantile, ndtr, ndtri, t_quantile

DESIGN = np.random.default_rng(11).random(8192)
EDGES = np.array([0.0, 1e-300, 1e-12, 1e-6, 0.5, 1 - 1e-12, 1.0, np.nan, -0.1, 1.1])


def test_the_normal_quantile_is_scipys_to_a_few_ulps() -> None:
    rng = np.random.default_rng(0)
    p = np.concatenate([rng.random(20_000), 10.0 ** -rng.uniform(0, 300, 2000),
                        1.0 - 10.0 ** -rng.uniform(0, 16, 2000), [0.075, 0.925, 0.5]])
    expected = reference.ndtri(p)
    np.testing.assert_allclose(ndtri(p), expected, rtol=4e-15, atol=0)


def test_the_normal_quantile_is_infinite_at_the_ends_and_nan_outside() -> None:
    edges = np.array([0.0, 1.0, -0.1, 1.1, np.nan])
    np.testing.assert_array_equal(ndtri(edges), reference.ndtri(edges))


def test_the_normal_cdf_is_scipys() -> None:
    for x in [*np.linspace(-40, 40, 801), -np.inf, np.inf]:
        assert ndtr(float(x)) == pytest.approx(float(reference.ndtr(x)), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("df", range(1, 70))
def test_the_t_quantile_is_scipys(df: int) -> None:
    for q in (0.025, 0.3, 0.51, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9995):
        assert t_quantile(df, q) == pytest.approx(float(reference.stdtrit(df, q)), rel=1e-12)


def test_the_t_quantile_refuses_what_it_does_not_cover() -> None:
    for df, q in ((0, 0.9), (3, 0.0), (3, 1.0)):
        with pytest.raises(ValueError):
            t_quantile(df, q)


@pytest.mark.parametrize("example", ["markets/ai-2025.yaml", "markets/dotcom-2000.yaml"])
def test_scoring_a_market_imports_no_scipy_special(example: str) -> None:
    """Only a cohort fit (log Gamma) or a beta input or prior (its quantile) still needs
    scipy.special, which a company with cohorts or unknowns has."""
    code = ("import sys, thesis; s = thesis.load(sys.argv[1]); thesis.score(s, samples=256); "
            "print('scipy.special' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / example)],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def close_to_scipy(alpha: float, beta: float, u: np.ndarray) -> None:
    ours, exact = beta_quantile(alpha, beta, u), reference.betaincinv(alpha, beta, u)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(exact))
    kept = ~np.isnan(exact)
    assert np.all(np.abs(ours[kept] - exact[kept]) <= TABLE_TOLERANCE * np.abs(exact[kept]))


@pytest.mark.parametrize(("alpha", "beta"), [
    (2.0, 5.0), (1.5, 4.0), (1.6, 9.0), (2.0, 3.0), (1.5, 8.0),  # the scorecards' priors
    (0.5, 0.5), (0.05, 0.05), (0.3, 4.0), (8.0, 1.1), (1.0, 1.0), (30.0, 70.0), (200.0, 300.0)])
def test_the_beta_quantile_is_scipys_to_its_tolerance(alpha: float, beta: float) -> None:
    close_to_scipy(alpha, beta, np.concatenate([DESIGN, EDGES]))
    short = EDGES[:TABLE_FROM - 1]  # too few for a table: scipy's own values
    np.testing.assert_array_equal(beta_quantile(alpha, beta, short),
                                  reference.betaincinv(alpha, beta, short))


@given(alpha=st.floats(0.05, 500.0), beta=st.floats(0.05, 500.0))
def test_the_beta_quantile_is_close_and_never_turns_back(alpha: float, beta: float) -> None:
    close_to_scipy(alpha, beta, DESIGN)
    grid = np.linspace(0.0, 1.0, 20_001)
    assert np.all(np.diff(beta_quantile(alpha, beta, grid)) >= 0.0)
