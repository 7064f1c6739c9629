"""Sobol indices against published analytic values, their replicate intervals, and the tornado."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from scipy import stats

import thesis
from tests.conftest import EXAMPLES
from thesis.engine import sensitivity
from thesis.engine.analysis import analyse, swing_values
from thesis.engine.compile import Compiled, compile_scorecard
from thesis.engine.sampling import uniform_design
from thesis.engine.sensitivity import indices_from_outputs, pick_freeze, sobol_indices, tornado
from thesis.engine.space import Input
from thesis.files.load import load_market, load_scorecard
from thesis.models.distributions import Normal, Uniform
from thesis.models.market import Prices
from thesis.subjects import context, input_space

# Ishigami & Homma (1990) with a = 7, b = 0.1 on [-pi, pi]^3; the indices are analytic, e.g.
# Saltelli et al. (2008), "Global Sensitivity Analysis: The Primer", section 4.
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


PI_BOX = {f"x{i}": Uniform(low=-np.pi, high=np.pi) for i in (1, 2, 3)}


def test_ishigami_indices_match_the_analytic_values() -> None:
    result = sobol_indices(ishigami, PI_BOX, n=2**14, seed=1)
    np.testing.assert_allclose(result.first, ISHIGAMI_S1, atol=0.01)
    np.testing.assert_allclose(result.total, ISHIGAMI_ST, atol=0.01)
    assert result.evaluations == 2**14 * 5
    assert (result.replicates, result.confidence, result.seed) == (8, 0.95, 1)
    for est, ci in [(result.first, result.first_interval), (result.total, result.total_interval)]:
        assert np.all((ci[:, 0] <= est) & (est <= ci[:, 1]))


def test_plain_monte_carlo_converges_too() -> None:
    result = sobol_indices(ishigami, PI_BOX, n=2**15, seed=5, method="random")
    np.testing.assert_allclose(result.total, ISHIGAMI_ST, atol=0.03)


def test_weighted_sum_of_independent_inputs() -> None:
    weights = np.array([1.0, -2.0, 3.0, 0.5])
    inputs = {"a": Uniform(low=0, high=1), "b": Uniform(low=0, high=2),
              "c": Normal(mean=0, sd=0.5), "d": Uniform(low=-3, high=3)}
    variances = np.array([1 / 12, 4 / 12, 0.25, 36 / 12])
    expected = weights**2 * variances / np.sum(weights**2 * variances)
    result = sobol_indices(lambda x: x @ weights, inputs, n=2**12, seed=0)
    np.testing.assert_allclose(result.first, expected, atol=0.01)
    np.testing.assert_allclose(result.total, expected, atol=0.01)


def test_bernoulli_evidence_and_interactions() -> None:
    # y = e u, e ~ Bernoulli(0.5) (a yes/no input), u ~ U(0, 1). Analytically:
    # V = E[e] E[u^2] - (E[e] E[u])^2 = 5/48; S_e = Var(e) E[u]^2 / V = 0.6;
    # S_u = E[e]^2 Var(u) / V = 0.2; ST_e = 1 - S_u = 0.8; ST_u = 1 - S_e = 0.4.
    inputs = {"e": Input("e", "evidence", probability=0.5), "u": Uniform(low=0, high=1)}
    result = sobol_indices(lambda x: x[:, 0] * x[:, 1], inputs, n=2**14, seed=2)
    assert result.variance == pytest.approx(5 / 48, rel=0.02)
    np.testing.assert_allclose(result.first, [0.6, 0.2], atol=0.02)
    np.testing.assert_allclose(result.total, [0.8, 0.4], atol=0.02)


def test_a_constant_output_attributes_nothing() -> None:
    result = sobol_indices(lambda x: np.full(len(x), 3.0), PI_BOX, n=256, seed=0)
    assert np.all(result.first == 0)
    assert np.all(result.total == 0)
    assert np.all(result.first_interval == 0) and np.all(result.total_interval == 0)


def test_fixed_seed_identical_output() -> None:
    a = sobol_indices(ishigami, PI_BOX, n=256, seed=9)
    b = sobol_indices(ishigami, PI_BOX, n=256, seed=9)
    assert a.as_dict() == b.as_dict()


@pytest.mark.parametrize("method", ["sobol", "random"])
def test_different_seeds_give_different_designs_and_estimates(method: str) -> None:
    one = uniform_design(256, 3, seed=1, method=method)  # type: ignore[arg-type]
    two = uniform_design(256, 3, seed=2, method=method)  # type: ignore[arg-type]
    assert not np.any(one.points == two.points)
    a = sobol_indices(ishigami, PI_BOX, n=256, seed=1, method=method)  # type: ignore[arg-type]
    b = sobol_indices(ishigami, PI_BOX, n=256, seed=2, method=method)  # type: ignore[arg-type]
    assert not np.any(a.first == b.first)
    assert not np.any(a.total == b.total)
    assert not np.any(a.first_interval == b.first_interval)


@pytest.mark.parametrize("method", ["sobol", "random"])
def test_blocks_of_rows_change_nothing(method: str) -> None:
    # blocks of 51 design rows straddle the replicates' boundaries (every 128 or 125 rows)
    whole = sobol_indices(ishigami, PI_BOX, n=1000, seed=4, method=method)  # type: ignore[arg-type]
    blocks = sobol_indices(ishigami, PI_BOX, n=1000, seed=4, method=method,  # type: ignore[arg-type]
                           block_rows=51 * 5)
    assert whole.replicates == 8
    for field in ("first", "total", "first_interval", "total_interval"):
        np.testing.assert_allclose(getattr(blocks, field), getattr(whole, field), rtol=0,
                                   atol=1e-12)


def test_too_few_samples_for_two_replicates_have_no_intervals() -> None:
    small = sobol_indices(ishigami, PI_BOX, n=100, seed=0)  # 128 rows: 2 replicates of 64
    assert small.replicates == 2 and small.has_intervals
    tiny = sobol_indices(ishigami, PI_BOX, n=64, seed=0)
    assert tiny.replicates == 1 and not tiny.has_intervals
    assert np.all(np.isnan(tiny.first_interval)) and np.all(np.isnan(tiny.total_interval))
    assert np.all(np.isfinite(tiny.first))
    assert tiny.as_dict()["x1"]["S1_interval"] is None
    assert sobol_indices(ishigami, PI_BOX, n=200, seed=0, method="random").replicates == 3
    with pytest.raises(ValueError, match="between 0 and 1"):
        sobol_indices(ishigami, PI_BOX, n=256, seed=0, confidence=95)


def _indices(outputs: np.ndarray, n: int, k: int, rows: slice) -> np.ndarray:
    """S1 then ST from the given design rows alone, every term at once, centred like the
    engine on the mean of all of f(A) and f(B)."""
    y = outputs - outputs[: 2 * n].mean()
    fa, fb, fab = y[:n][rows], y[n : 2 * n][rows], y[2 * n :].reshape(k, n)[:, rows]
    variance = np.mean(0.5 * (fa**2 + fb**2)) - np.mean(0.5 * (fa + fb)) ** 2
    return np.concatenate([np.mean(fb * (fab - fa), axis=1),
                           np.mean(0.5 * (fab - fa) ** 2, axis=1)]) / variance


@pytest.mark.parametrize(("n", "replicates", "confidence"),
                         [(400, 4, 0.95), (400, 3, 0.95), (512, 8, 0.8)])
def test_intervals_are_t_intervals_across_replicates(n: int, replicates: int, confidence: float,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    k = 3
    rng = np.random.default_rng(n + replicates)
    x = pick_freeze(rng.random((n, k)), rng.random((n, k)))
    outputs = 100 + np.sin(x @ np.array([3.0, 1.0, 0.5])) + x[:, 0] * x[:, 2]
    monkeypatch.setattr(sensitivity, "TERM_CELLS", 7 * (2 * k + 2))  # blocks of 7 rows
    got = indices_from_outputs(list("abc"), outputs, n, replicates=replicates,
                               confidence=confidence)
    pooled = _indices(outputs, n, k, slice(None))
    bounds = [r * n // replicates for r in range(replicates + 1)]  # 133 or 134 rows for 3
    runs = np.array([_indices(outputs, n, k, slice(lo, hi))
                     for lo, hi in pairwise(bounds)])
    half = (stats.t.ppf((1 + confidence) / 2, replicates - 1) * runs.std(axis=0, ddof=1)
            / np.sqrt(replicates))
    np.testing.assert_allclose(np.concatenate([got.first, got.total]), pooled, atol=1e-12)
    lower = np.concatenate([got.first_interval[:, 0], got.total_interval[:, 0]])
    upper = np.concatenate([got.first_interval[:, 1], got.total_interval[:, 1]])
    np.testing.assert_allclose(lower, pooled - half, atol=1e-12)
    np.testing.assert_allclose(upper, pooled + half, atol=1e-12)
    assert (got.replicates, got.confidence) == (replicates, confidence)


def test_the_95_percent_intervals_cover_the_analytic_values() -> None:
    """Coverage of the Ishigami indices by the 95% intervals over 1,000 seeds at N = 2^10.

    At a true 95%, the coverage of one index over 1,000 seeds has sd 0.7 points: the brief's
    band, 88-99% for each index, is 10 sd below and 5.8 above, so only a wrong interval fails.
    The mean over the six indices separates 95% from 90% (an interval labelled 95% but made at
    90%): it lies within 93-97.5% at a true 95% (sd at most 0.7 points, the indices being
    correlated; benchmarks/coverage.py measures 93.5-97.8% per index), and near 90% at 90%.
    The width check is the same test from the other side: a t-interval's half-width over the
    estimator's sd across seeds is t(7) c4(8) = 2.28 in theory (2.0-2.3 per index measured),
    1.83 at 90%, and 6-12 for the old row bootstrap.
    """
    seeds = 1000
    truth = np.concatenate([ISHIGAMI_S1, ISHIGAMI_ST])
    estimate, lower, upper = (np.empty((seeds, 6)) for _ in range(3))
    for seed in range(seeds):
        r = sobol_indices(ishigami, PI_BOX, n=2**10, seed=seed)
        estimate[seed] = np.concatenate([r.first, r.total])
        lower[seed] = np.concatenate([r.first_interval[:, 0], r.total_interval[:, 0]])
        upper[seed] = np.concatenate([r.first_interval[:, 1], r.total_interval[:, 1]])
    coverage = np.mean((lower <= truth) & (truth <= upper), axis=0)
    assert np.all((coverage >= 0.88) & (coverage <= 0.99)), coverage
    assert 0.93 <= coverage.mean() <= 0.975, coverage
    ratio = np.mean((upper - lower) / 2, axis=0) / estimate.std(axis=0, ddof=1)
    assert 1.95 <= ratio.mean() <= 2.6, ratio


def test_pick_freeze_layout() -> None:
    a = np.zeros((2, 3))
    b = np.ones((2, 3))
    stacked = pick_freeze(a, b)
    assert stacked.shape == (10, 3)
    np.testing.assert_array_equal(stacked[4:6], [[1, 0, 0], [1, 0, 0]])
    np.testing.assert_array_equal(stacked[8:10], [[0, 0, 1], [0, 0, 1]])


def test_tornado_ranks_swings() -> None:
    bars = tornado(lambda x: x @ np.array([1.0, -5.0]), np.array([0.5, 0.5]),
                   [np.array([0.0, 1.0]), np.array([0.0, 1.0])], ["small", "big"])
    assert [b.name for b in bars] == ["big", "small"]
    assert bars[0].at_low == pytest.approx(0.5)
    assert bars[0].at_high == pytest.approx(-4.5)
    assert bars[0].swing == pytest.approx(5.0)


def test_a_category_swings_from_its_worst_to_its_best_possible_choice() -> None:
    # choice scores 50, 100, 0, 70 in listing order; choice 3 is impossible
    scores = np.array([50.0, 100.0, 0.0, 70.0])
    size = Input("size", "category", choices=("s", "m", "l", "xl"), weights=(0.2, 0.5, 0.3, 0.0))
    values, ranked = swing_values(size)
    np.testing.assert_array_equal(values, [0, 1, 2])
    assert ranked
    [bar] = tornado(lambda x: scores[x[:, 0].astype(int)], np.array([size.base()]), [values],
                    ["size"], [ranked])
    assert (bar.low_value, bar.high_value, bar.at_low, bar.at_high) == (2, 1, 0, 100)


def test_swing_values_by_kind() -> None:
    def values(inp: Input) -> list[float]:
        return swing_values(inp)[0].tolist()

    for p in (0.05, 0.5, 0.9, 0.95):  # no -> yes for any uncertain evidence, however likely
        assert values(Input("e", "evidence", probability=p)) == [0.0, 1.0]
    assert values(Input("e", "evidence", probability=1.0)) == [1.0]
    assert values(Input("e", "evidence", probability=0.0)) == [0.0]
    spread = Input("x", "number", distribution=Uniform(low=0, high=10))
    assert values(spread) == pytest.approx([1.0, 9.0])  # P10 and P90, not P25 and P75
    assert values(Input("c", "category", choices=("a", "b"), weights=(0.0, 1.0))) == [1.0]


def company(**moat: Any) -> Compiled:
    subject = thesis.Company.model_validate({"name": "U", "layer": "application", "moat": moat})
    return compile_scorecard(load_scorecard("moat"), input_space(subject), context(subject))


def test_the_tornado_of_a_scorecard() -> None:
    compiled = company(diffusion={"low": 0.1, "high": 0.9}, speaks_industry_language=0.95,
                       end_to_end_solution=1.0,
                       affordance={"low": 0.05, "medium": 0.9, "high": 0.05})
    result = analyse(compiled, samples=256, seed=0)
    bars = {bar.name: bar for bar in result.tornado}
    base = compiled.base_case()[0]
    column = {name: j for j, name in enumerate(compiled.names)}

    def score(name: str, value: float) -> float:
        row = base.copy()
        row[column[name]] = value
        return float(compiled.composite(row[np.newaxis])[0])

    # a number from its P10 to its P90: 0.18 and 0.82 of U(0.1, 0.9) (P25 would be 0.3)
    diffusion = bars["moat.diffusion"]
    assert diffusion.low_value == pytest.approx(0.18)
    assert diffusion.high_value == pytest.approx(0.82)
    assert diffusion.at_low == score("moat.diffusion", 0.18)
    assert diffusion.at_high == score("moat.diffusion", 0.82)
    # evidence at p = 0.95 has equal P10 and P90 but swings from no to yes; certain evidence
    # does not swing
    language = bars["moat.speaks_industry_language"]
    assert (language.low_value, language.high_value) == (0.0, 1.0)
    assert language.at_low == score("moat.speaks_industry_language", 0)
    assert language.at_high == score("moat.speaks_industry_language", 1)
    assert language.swing > 0
    assert bars["moat.end_to_end_solution"].swing == 0
    # a category whose P10 and P90 are both "medium" swings from "low" to "high"
    affordance = bars["moat.affordance"]
    assert (affordance.low_value, affordance.high_value) == (0.0, 2.0)
    assert affordance.at_high - affordance.at_low == pytest.approx(
        score("moat.affordance", 2) - score("moat.affordance", 0)) != 0
    assert [bar.swing for bar in result.tornado] == sorted(
        (bar.swing for bar in result.tornado), reverse=True)
    k = len(compiled.inputs)
    assert result.evaluations == result.n * (k + 2) + 1 + 2 + 2 + 1 + 3


@cache
def dotcom() -> Compiled:
    market = load_market(EXAMPLES / "markets" / "dotcom-2000.yaml")
    # an uncertain drawdown, so that the sample spans more than one stage of the cycle
    market = market.model_copy(update={"prices": Prices.model_validate(
        {"drawdown_from_peak": {"low": 0.0, "high": 0.6}})})
    return compile_scorecard(load_scorecard("bubble"), input_space(market), context(market))


SEEDS: list[Callable[[], Any]] = [lambda: 2, lambda: np.random.SeedSequence(2),
                                  lambda: np.random.default_rng(2)]


@pytest.mark.parametrize("make_seed", SEEDS, ids=["int", "SeedSequence", "Generator"])
def test_stages_and_verdicts_come_from_one_sample_whatever_the_seed(
        make_seed: Callable[[], Any]) -> None:
    compiled = dotcom()
    k = len(compiled.inputs)
    result = analyse(compiled, samples=512, seed=make_seed(), block_rows=300)
    values = compiled.draw(uniform_design(512, 2 * k, seed=make_seed()).points[:, :k])
    evaluation = compiled(values)
    assert np.array_equal(result.scores, evaluation.composite)
    assert evaluation.stage is not None and result.stages is not None
    assert np.array_equal(result.stages, evaluation.stage)
    assert len(np.unique(result.stages)) > 1  # the sample spans stages: the check has teeth
    # an int, its SeedSequence and a Generator made from it are one seed: one sample
    reference = analyse(compiled, samples=512, seed=2)
    assert np.array_equal(result.scores, reference.scores)
    np.testing.assert_array_equal(result.indices.total_interval,
                                  reference.indices.total_interval)
    assert result.indices.seed == (2 if isinstance(make_seed(), int) else None)
    assert result.indices.confidence == 0.95


def test_different_seeds_give_different_samples_and_indices() -> None:
    a = analyse(dotcom(), samples=512, seed=1)
    b = analyse(dotcom(), samples=512, seed=2)
    assert not np.array_equal(a.scores, b.scores)
    uncertain = a.indices.total > 0
    assert uncertain.sum() > 3
    assert np.all(a.indices.total[uncertain] != b.indices.total[uncertain])
