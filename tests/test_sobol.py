"""Our Sobol points against scipy.stats.qmc.Sobol, the reference implementation, and the
replicated designs made of them."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import qmc

from thesis.engine.qmc import SobolSequence, sobol_points
from thesis.engine.sampling import (
    REPLICATE_ROWS,
    DesignStream,
    Method,
    replicate_count,
    uniform_design,
)


@pytest.mark.parametrize("d", [1, 2, 3, 10, 64, 250])
def test_unscrambled_points_equal_scipys_to_the_bit(d: int) -> None:
    assert np.array_equal(sobol_points(8, d), qmc.Sobol(d, scramble=False).random_base2(8))


def test_scrambled_points_keep_the_net_properties() -> None:
    points = sobol_points(10, 20, rng=np.random.default_rng(3))
    n = len(points)
    for j in range(20):  # every one-dimensional projection is perfectly stratified
        assert len(np.unique(np.floor(points[:, j] * n))) == n
    counts, _, _ = np.histogram2d(points[:, 0], points[:, 1], bins=32, range=[[0, 1], [0, 1]])
    assert counts.min() == counts.max() == 1  # the first two coordinates form a (0, 10, 2)-net


def test_scrambling_is_seeded_and_random() -> None:
    a = sobol_points(6, 4, rng=np.random.default_rng(1))
    b = sobol_points(6, 4, rng=np.random.default_rng(1))
    c = sobol_points(6, 4, rng=np.random.default_rng(2))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert qmc.discrepancy(a) < qmc.discrepancy(np.random.default_rng(1).random((64, 4)))


def test_designs_round_sobol_up_to_a_power_of_two() -> None:
    design = uniform_design(1000, 3, seed=0)
    assert design.n == 1024
    assert "1,000 requested, rounded up to a power of two" in design.note
    plain = uniform_design(1000, 3, seed=0, method="random")
    assert plain.n == 1000
    assert plain.note == "1,000 random samples"
    assert np.all((design.points > 0) & (design.points < 1))


@pytest.mark.parametrize("scrambled", [False, True])
@pytest.mark.parametrize("block", [1, 3, 64, 1000, 4096])
def test_rows_in_blocks_are_bit_identical_to_all_at_once(scrambled: bool, block: int) -> None:
    rng = np.random.default_rng(8) if scrambled else None
    everything = sobol_points(12, 9, rng=rng)
    sequence = SobolSequence.make(9, np.random.default_rng(8) if scrambled else None)
    parts = [sequence.rows(start, min(start + block, 4096)) for start in range(0, 4096, block)]
    assert np.array_equal(np.vstack(parts), everything)
    assert np.array_equal(sequence.rows(1000, 1001), everything[1000:1001])
    assert sequence.rows(5, 5).shape == (0, 9)


def test_rows_past_the_sequence_are_refused() -> None:
    with pytest.raises(ValueError, match="start <= stop"):
        SobolSequence.make(2).rows(4, 2)


def test_every_scrambled_point_is_uniform_across_seeds() -> None:
    # The digital shift makes each point of a scrambled sequence U(0, 1)^d over seeds; without
    # it the first point is 0 in every coordinate and the others keep their leading bits.
    seeds = 400
    points = np.array([sobol_points(3, 4, rng=np.random.default_rng(seed))[[0, 5]]
                       for seed in range(seeds)])  # (seeds, 2 points, 4 coordinates)
    assert np.all(points > 0)
    # a U(0, 1) mean has sd sqrt(1 / 12 / 400) = 0.014 and a variance estimate sd 0.0037:
    # bands of 4 sd
    np.testing.assert_allclose(points.mean(axis=0), 0.5, atol=4 * np.sqrt(1 / 12 / seeds))
    np.testing.assert_allclose(points.var(axis=0), 1 / 12, atol=0.015)


def test_replicates_are_independently_scrambled_nets() -> None:
    design = DesignStream(1000, 4, seed=3, replicates=8)
    assert (design.n, design.replicates) == (1024, 8)
    assert design.bounds.tolist() == list(range(0, 1025, 128))
    points = design.rows(0, design.n)
    runs = points.reshape(8, 128, 4)
    for run in runs:  # each run of 128 rows is stratified in every coordinate
        for j in range(4):
            assert len(np.unique(np.floor(run[:, j] * 128))) == 128
    assert len({tuple(run[0]) for run in runs}) == 8  # each its own scramble
    # a block that straddles runs equals the same rows of the whole design
    assert np.array_equal(DesignStream(1000, 4, seed=3, replicates=8).rows(100, 300),
                          points[100:300])


@pytest.mark.parametrize(("n", "asked", "method", "expected"), [
    (4096, 8, "sobol", 8), (4096, 12, "sobol", 8), (1024, 16, "sobol", 16), (256, 8, "sobol", 4),
    (127, 8, "sobol", 2), (64, 8, "sobol", 1), (1, 8, "sobol", 1), (200, 8, "random", 3),
    (4096, 12, "random", 12)])
def test_a_small_design_gets_fewer_replicates(n: int, asked: int, method: Method,
                                              expected: int) -> None:
    design = DesignStream(n, 2, seed=0, method=method, replicates=asked)
    assert design.replicates == replicate_count(design.n, asked, method) == expected
    rows = np.diff(design.bounds)
    assert rows.sum() == design.n and rows.max() - rows.min() <= 1
    if expected > 1:
        assert rows.min() >= REPLICATE_ROWS
    with pytest.raises(ValueError, match="at least one replicate"):
        DesignStream(n, 2, seed=0, method=method, replicates=0)
