"""The engine works in blocks: the same results whatever the block size, in flat memory."""

from __future__ import annotations

import tracemalloc
from functools import cache
from itertools import pairwise

import numpy as np
import pytest
from scipy import stats

from tests.conftest import EXAMPLES
from thesis.engine import compile as compile_module
from thesis.engine import sensitivity
from thesis.engine.analysis import Analysis, analyse, swing_values
from thesis.engine.compile import Compiled, compile_scorecard
from thesis.engine.sampling import DesignStream, Method, replicate_bounds, uniform_design
from thesis.engine.sensitivity import SPARSE_ROWS, indices_from_outputs, pick_freeze
from thesis.files.load import load_company, load_market, load_scorecard
from thesis.models.market import Prices
from thesis.subjects import context, input_space


@cache
def casebook() -> Compiled:
    """A company on the `thesis` scorecard: 33 inputs, no stages."""
    company = load_company(EXAMPLES / "companies" / "casebook.yaml")
    return compile_scorecard(load_scorecard("thesis"), input_space(company), context(company))


@cache
def dotcom() -> Compiled:
    """A market on the `bubble` scorecard, which places it at a stage of the cycle."""
    market = load_market(EXAMPLES / "markets" / "dotcom-2000.yaml")
    # an uncertain drawdown, so that the sample spans more than one stage of the cycle
    market = market.model_copy(update={"prices": Prices.model_validate(
        {"drawdown_from_peak": {"low": 0.0, "high": 0.6}})})
    return compile_scorecard(load_scorecard("bubble"), input_space(market), context(market))


def whole(stream: DesignStream) -> np.ndarray:
    return np.vstack([points for _, points in stream.blocks(stream.n)])


@pytest.mark.parametrize("method", ["sobol", "random"])
@pytest.mark.parametrize("block", [1, 7, 100, 1024, 5000])
def test_design_blocks_are_bit_identical_to_the_whole_design(method: Method, block: int) -> None:
    design = uniform_design(1000, 6, seed=11, method=method)
    stream = DesignStream(1000, 6, seed=11, method=method)
    starts, parts = zip(*stream.blocks(block), strict=True)
    assert list(starts) == list(range(0, design.n, block))
    assert np.array_equal(np.vstack(parts), design.points)
    assert stream.replicates == design.replicates == 8  # blocks straddle the replicates


def test_random_rows_come_in_order() -> None:
    stream = DesignStream(10, 2, seed=0, method="random")
    stream.rows(0, 4)
    with pytest.raises(ValueError, match="in order"):
        stream.rows(5, 8)
    sobol = DesignStream(10, 2, seed=0)
    assert np.array_equal(sobol.rows(8, 16), whole(DesignStream(10, 2, seed=0))[8:16])


def test_no_inputs_means_no_rounding() -> None:
    stream = DesignStream(10, 0, seed=0)
    assert stream.n == 10
    assert whole(stream).shape == (10, 0)


@pytest.mark.parametrize("compiled", [casebook, dotcom], ids=["casebook", "dotcom"])
@pytest.mark.parametrize("method", ["sobol", "random"])
def test_analyse_does_not_depend_on_the_block_size(compiled, method: Method) -> None:
    big = analyse(compiled(), samples=1000, seed=5, method=method)
    small = analyse(compiled(), samples=1000, seed=5, method=method, block_rows=97)
    assert np.array_equal(small.scores, big.scores)
    if big.stages is None:
        assert small.stages is None
    else:
        assert small.stages is not None
        assert np.array_equal(small.stages, big.stages)
    for field in ("first", "total", "first_interval", "total_interval"):
        np.testing.assert_allclose(getattr(small.indices, field), getattr(big.indices, field),
                                   rtol=0, atol=1e-12)
    assert small.tornado == big.tornado
    assert small.base_score == big.base_score
    inputs = compiled().inputs
    assert small.evaluations == big.evaluations == big.n * (len(inputs) + 2) + 1 + sum(
        len(swing_values(inp)[0]) for inp in inputs)


def test_scores_and_stages_describe_the_same_rows() -> None:
    compiled = dotcom()
    k = len(compiled.inputs)
    result = analyse(compiled, samples=512, seed=2, block_rows=300)
    values = compiled.draw(uniform_design(512, 2 * k, seed=2).points[:, :k])
    evaluation = compiled(values)
    assert np.array_equal(result.scores, evaluation.composite)
    assert evaluation.stage is not None and result.stages is not None
    assert np.array_equal(result.stages, evaluation.stage)
    assert len(np.unique(result.stages)) > 1  # the sample spans stages: the check has teeth


def test_progress_hears_about_every_block() -> None:
    calls: list[tuple[int, int]] = []
    width = len(casebook().inputs) + 2  # rows of the pick-freeze matrix per design row
    # the pick-freeze rows are scored without being stacked, SPARSE_ROWS times as many a block
    result = analyse(casebook(), samples=256, seed=0, block_rows=width * 50 // SPARSE_ROWS,
                     progress=lambda done, total: calls.append((done, total)))
    total = result.n * width
    assert [done for done, _ in calls] == [width * d for d in (48, 96, 144, 192, 240, 256)]
    assert {t for _, t in calls} == {total}


def test_composite_alone_equals_the_full_evaluation(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = dotcom()
    k = len(compiled.inputs)
    x = compiled.draw(np.random.default_rng(0).random((1000, k)))
    full = compiled(x)
    monkeypatch.setattr(compile_module, "BLOCK_ROWS", 64)
    assert np.array_equal(compiled.composite(x), full.composite)
    composite, stage = compiled.composite_and_stage(x)
    assert np.array_equal(composite, full.composite)
    assert stage is not None and full.stage is not None
    assert np.array_equal(stage, full.stage)
    assert casebook().composite_and_stage(casebook().base_case())[1] is None


def whole_matrix_indices(outputs: np.ndarray, n: int, k: int,
                         replicates: int) -> tuple[np.ndarray, ...]:
    """The estimators computed with every term matrix at once: pooled over all rows, and each
    replicate's alone for the 95% t-interval (t(R - 1) = stats.t.ppf(0.975, R - 1))."""
    y = outputs - outputs[: 2 * n].mean()
    fa, fb, fab = y[:n], y[n : 2 * n], y[2 * n :].reshape(k, n)
    first_terms = fb * (fab - fa)
    total_terms = 0.5 * (fab - fa) ** 2
    square, level = 0.5 * (fa**2 + fb**2), 0.5 * (fa + fb)

    def indices(rows: slice) -> tuple[np.ndarray, np.ndarray]:
        variance = square[rows].mean() - level[rows].mean() ** 2
        return (first_terms[:, rows].mean(1) / variance, total_terms[:, rows].mean(1) / variance)

    first, total = indices(slice(None))
    bounds = replicate_bounds(n, replicates)
    runs = [indices(slice(lo, hi)) for lo, hi in pairwise(bounds.tolist())]
    t = stats.t.ppf(0.975, replicates - 1) / np.sqrt(replicates)
    half_first = t * np.std([r[0] for r in runs], axis=0, ddof=1)
    half_total = t * np.std([r[1] for r in runs], axis=0, ddof=1)
    return (first, total, np.column_stack([first - half_first, first + half_first]),
            np.column_stack([total - half_total, total + half_total]))


@pytest.mark.parametrize(("n", "replicates"), [(3, 2), (250, 3), (4097, 8)])
def test_streamed_indices_equal_the_whole_matrix_ones(n: int, replicates: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    k = 4
    rng = np.random.default_rng(n)
    x = rng.random((n, k))
    outputs = np.sin(pick_freeze(x, rng.random((n, k))) @ np.array([3.0, 1.0, 0.5, 0.1]))
    expected = whole_matrix_indices(outputs, n, k, replicates)
    monkeypatch.setattr(sensitivity, "TERM_CELLS", 10 * (2 * k + 2))  # blocks of 10 rows
    got = indices_from_outputs(list("abcd"), outputs, n, replicates=replicates,
                               confidence=0.95)
    for ours, theirs in zip((got.first, got.total, got.first_interval, got.total_interval),
                            expected, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


def test_memory_does_not_grow_with_the_design() -> None:
    compiled = casebook()
    k = len(compiled.inputs)
    n = 1 << 15
    analyse(compiled, samples=64, seed=0)  # caches (direction numbers) first
    tracemalloc.start()
    try:
        result: Analysis = analyse(compiled, samples=n, seed=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.n == n
    outputs = 8 * n * (k + 2)  # the one array that grows with N, with the scores and stages
    # the whole pick-freeze matrix alone would be 8 N (k + 2) k bytes, 300 MB here
    assert peak < 2 * outputs + 48 * 2**20
