"""What to diligence next: the share of the verdict's uncertainty that learning one input would
settle (the first-order Sobol index of the verdict band, pooled over bands with Gini impurity),
checked against analytic values."""

from __future__ import annotations

import numpy as np
import pytest

from thesis.engine.sampling import DesignStream
from thesis.engine.sensitivity import saltelli_outputs, settling


def settled(func, k: int, n: int = 1 << 14, seed: int = 3):
    design = DesignStream(n, 2 * k, seed)
    outputs = saltelli_outputs(func, lambda u: u, design)
    return settling([f"x{i}" for i in range(k)], outputs, design.n,
                    replicates=design.replicates)


def test_two_inputs_that_decide_a_verdict_together_each_settle_a_third() -> None:
    # 1[X1 + X2 > 1], X uniform: P(yes | X1 = x) = x, so knowing X1 removes sum_c Var(P(c|X1))
    # = 2 Var(X1) = 1/6 of the impurity 1 - (1/4 + 1/4) = 1/2: a third.
    result = settled(lambda x: (x[:, 0] + x[:, 1] > 1).astype(float), 2)
    assert result.impurity == pytest.approx(0.5, abs=1e-3)
    assert result.share == pytest.approx([1 / 3, 1 / 3], abs=0.01)
    for low, high in result.interval:
        assert low < 1 / 3 < high


def test_an_input_that_alone_decides_settles_everything_and_others_nothing() -> None:
    result = settled(lambda x: np.digitize(x[:, 0], [0.3, 0.6]).astype(float)
                     + 0 * x[:, 1] + 0 * x[:, 2], 3)
    assert result.impurity == pytest.approx(1 - (0.09 + 0.09 + 0.16), abs=1e-3)
    assert result.share == pytest.approx([1, 0, 0], abs=0.01)


def test_a_certain_verdict_has_nothing_to_settle() -> None:
    result = settled(lambda x: np.zeros(len(x)), 2, n=256)
    assert result.impurity == 0
    assert list(result.share) == [0, 0]


def test_three_bands_of_a_sum_match_the_enumerated_reference() -> None:
    # bands of X1 + X2 at 0.5 and 1.5; the reference by quadrature over X1 on a fine grid
    def band(s):
        return np.digitize(s, [0.5, 1.5]).astype(float)

    grid = (np.arange(4000) + 0.5) / 4000
    x1, x2 = np.meshgrid(grid, grid, indexing="ij")
    bands = band(x1 + x2)
    p = np.array([(bands == c).mean() for c in range(3)])
    conditional = np.stack([(bands == c).mean(axis=1) for c in range(3)])
    reference = conditional.var(axis=1).sum() / (1 - (p ** 2).sum())
    result = settled(lambda x: band(x[:, 0] + x[:, 1]), 2)
    assert result.share == pytest.approx([reference, reference], abs=0.01)
