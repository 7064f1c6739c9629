"""Which input's uncertainty drives the output: Sobol indices and one-at-a-time swings.

`sobol_indices(func, inputs, n, seed, replicates)` works on any vectorised function from an
(N x k) array to (N,) values, so it is checked on analytic test functions with published
indices (Ishigami) as well as used on compiled scorecards.

Design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", Computer
Physics Communications 181): two independent N x k matrices A and B (the two halves of one
2k-dimensional scrambled Sobol design) and, for each input i, A with column i taken from B.
That is N (k + 2) evaluations. With the output centred first:

- first order  S_i  = mean(f(B) (f(A_B^i) - f(A))) / V        (Saltelli 2010, Table 2 (b))
- total        ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)       (Jansen 1999; Saltelli 2010 (f))

Intervals come from replicates (randomised quasi-Monte Carlo; see `thesis.engine.sampling`):
the design is R runs of N / R rows, each under its own independent scramble, so the R indices
computed from each run's rows alone are iid. The point estimate pools all N rows (the ratio of
the terms' means over all rows); the interval is that estimate +- t(R - 1) sd / sqrt(R), sd the
spread of the R run estimates (L'Ecuyer & Lemieux 2002; Owen, "Monte Carlo theory, methods and
examples", ch. 17). A row bootstrap would treat Sobol rows as iid and overstate the error 3-30x.
With fewer than two replicates (N under 2 `REPLICATE_ROWS`) there is no interval: NaN.

Memory is flat in N apart from the N (k + 2) outputs: `saltelli_outputs` makes, draws and
evaluates the design a block of rows at a time, and `indices_from_outputs` sums the estimators'
terms a block of rows at a time, each block within one replicate.

The tornado (`tornado`) moves one input at a time between two values, the others at their base
case; the caller chooses the values (`thesis.engine.analysis`: P10 and P90 of a number, no and
yes, a category's lowest- and highest-scoring choices).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

import numpy as np

from thesis.engine.sampling import REPLICATES, DesignStream, Method, SeedLike, replicate_bounds
from thesis.models.distributions import Array
from thesis.special import t_quantile

Model = Callable[[Array], Array]
Progress = Callable[[int, int], None]
"""Called after each block with (rows evaluated so far, rows in all)."""
EVALUATION_ROWS = 1 << 16
"""Rows of the pick-freeze design evaluated per block: N (k + 2) rows take
N (k + 2) / EVALUATION_ROWS model calls, each on a (EVALUATION_ROWS x k) matrix."""
SPARSE_ROWS = 4
"""How many times as many design rows a block holds when `mixed` scores the pick-freeze rows
without stacking them: that evaluation holds about a seventh of the stacked matrix's values
(benchmarks/results.md: 31 MB against 215 MB on the thesis card), and fewer, larger blocks cost
less Python per row (a casebook score at 4,096 samples: 46 ms -> 38 ms)."""
TERM_CELLS = 1 << 20
"""Largest terms x rows block of the estimators held at once (8 MB of float64)."""
CONFIDENCE = 0.95
"""The level of the indices' intervals by default."""


class Drawable(Protocol):
    """Anything that turns uniforms into values: a distribution's `ppf`, an `Input`'s `draw`."""

    def __call__(self, u: Array) -> Array: ...


@dataclass(frozen=True)
class SobolIndices:
    """First-order and total Sobol indices with Student-t intervals across replicates."""

    names: list[str]
    first: Array
    total: Array
    first_interval: Array
    """(k x 2): lower and upper bounds; NaN without intervals (`has_intervals`)."""
    total_interval: Array
    variance: float
    n: int
    evaluations: int
    replicates: int
    """Independently randomised runs of the design the intervals come from."""
    confidence: float
    """The level of the intervals, as computed."""
    seed: int | None

    @property
    def has_intervals(self) -> bool:
        """Whether there were the two or more replicates an interval needs."""
        return self.replicates >= 2

    def as_dict(self) -> dict[str, dict[str, float | list[float] | None]]:
        """Per input: S1, ST and their intervals (None without intervals)."""
        def interval(bounds: Array) -> list[float] | None:
            return [float(x) for x in bounds] if self.has_intervals else None

        return {name: {"S1": float(self.first[i]), "ST": float(self.total[i]),
                       "S1_interval": interval(self.first_interval[i]),
                       "ST_interval": interval(self.total_interval[i])}
                for i, name in enumerate(self.names)}


def _drawer(spec: object) -> Drawable:
    draw = getattr(spec, "draw", None) or getattr(spec, "ppf", None)
    if draw is None:
        raise TypeError(f"{spec!r} has neither draw() nor ppf()")
    return draw  # type: ignore[no-any-return]


def pick_freeze(a: Array, b: Array) -> Array:
    """The stacked evaluation matrix [A; B; A_B^1; ...; A_B^k], shape (N (k + 2), k).

    Column-major, so each input's column is contiguous: a vectorised model reads its inputs a
    column at a time, about twice as fast as from strided columns.
    """
    n, k = a.shape
    columns = np.empty((k, k + 2, n))  # [input j, block, row]: the transpose, in row-major
    columns[:, 0] = a.T
    columns[:, 1] = b.T
    columns[:, 2:] = a.T[:, np.newaxis, :]
    columns[np.arange(k), 2 + np.arange(k)] = b.T
    return columns.reshape(k, n * (k + 2)).T


def design_block(k: int, rows: int = EVALUATION_ROWS) -> int:
    """Design rows per block, so that a block's pick-freeze matrix has about `rows` rows."""
    return max(1, rows // (k + 2))


def saltelli_outputs(model: Model, draw: Callable[[Array], Array], design: DesignStream, *,
                     sample: Callable[[int, Array], Array] | None = None,
                     mixed: Callable[[Array, Array], Array] | None = None,
                     block_rows: int = EVALUATION_ROWS,
                     progress: Progress | None = None) -> Array:
    """The model's outputs over the whole pick-freeze matrix of `design`, laid out like
    `pick_freeze` ([A; B; A_B^1; ...; A_B^k], N (k + 2) values), evaluated block by block.

    `design` has 2k columns: A's uniforms, then B's. For each block of design rows, `draw` turns
    its uniforms into values, the block's pick-freeze matrix is built and evaluated, and its
    outputs are put in place; only the outputs grow with N. `sample(start, a)`, if given, is
    used instead of `model` for the rows of A (the Monte Carlo sample) from row `start` on, so a
    caller can record more about them (their stage) from the same evaluation. `mixed(a, b)`,
    if given, returns the outputs of [B; A_B^1; ...; A_B^k] for a block's A and B values without
    the stacked matrix being built (`Compiled.pick_freeze`); it must equal `model` on them.
    """
    k = design.k // 2
    n = design.n
    outputs = np.empty(n * (k + 2))
    swapped = outputs[2 * n :].reshape(k, n)
    per_block = design_block(k, block_rows) * (SPARSE_ROWS if mixed is not None else 1)
    for start, u in design.blocks(per_block):
        m = len(u)
        stop = start + m
        a, b = draw(u[:, :k]), draw(u[:, k:])
        del u
        if mixed is None:
            stacked = pick_freeze(a, b)
            a = stacked[:m]
            rest = np.asarray(model(stacked[m:]), dtype=float)
            del stacked
        else:
            rest = np.asarray(mixed(a, b), dtype=float)
        outputs[start:stop] = model(a) if sample is None else sample(start, a)
        outputs[n + start : n + stop] = rest[:m]
        swapped[:, start:stop] = rest[m:].reshape(k, m)
        if progress is not None:
            progress(stop * (k + 2), n * (k + 2))
    return outputs


def sobol_indices(func: Model, inputs: Mapping[str, object], n: int = 4096, *,
                  seed: SeedLike = 0, replicates: int = REPLICATES,
                  confidence: float = CONFIDENCE, method: Method = "sobol",
                  block_rows: int = EVALUATION_ROWS) -> SobolIndices:
    """Sobol indices of `func` over independent `inputs` (name -> distribution or `Input`).

    `n` base rows (rounded up to a power of two for Sobol points) cost n (k + 2) evaluations,
    made about `block_rows` at a time, so `func` must treat each row on its own (as a vectorised
    model does). The rows come in `replicates` independently randomised runs (fewer when n is
    small) that give the `confidence` intervals.
    """
    names = list(inputs)
    draws = [_drawer(inputs[name]) for name in names]

    def draw(u: Array) -> Array:
        values = np.empty_like(u)
        for j, d in enumerate(draws):
            values[:, j] = d(u[:, j])
        return values

    design = DesignStream(n, 2 * len(names), seed, method, replicates)
    outputs = saltelli_outputs(lambda x: np.asarray(func(x), dtype=float), draw, design,
                               block_rows=block_rows)
    return indices_from_outputs(names, outputs, design.n, replicates=design.replicates,
                                confidence=confidence,
                                seed=seed if isinstance(seed, int) else None)


def _term_sums(outputs: Array, n: int, k: int, bounds: np.ndarray) -> Array:
    """Each replicate's sums of the estimators' terms, (2k + 2) x replicates.

    The terms, per design row, from the outputs centred on their overall mean: k first-order
    terms f(B) (f(A_B^i) - f(A)), k total terms (f(A) - f(A_B^i))^2 / 2, and (f(A)^2 + f(B)^2)
    / 2 and (f(A) + f(B)) / 2 for the variance. One centring for all replicates, so that the
    pooled means are exactly the replicates' average (centring guards precision; the variance
    does not depend on it). They are made `TERM_CELLS` at a time, each block within one
    replicate's rows.
    """
    m = 2 * k + 2
    a, b = outputs[:n], outputs[n : 2 * n]
    mixed = outputs[2 * n :].reshape(k, n)
    mean = outputs[: 2 * n].mean()
    step = max(1, TERM_CELLS // m)
    sums = np.zeros((m, len(bounds) - 1))
    for r, (low, high) in enumerate(pairwise(bounds.tolist())):
        for start in range(low, high, step):
            stop = min(start + step, high)
            fa = a[start:stop] - mean
            fb = b[start:stop] - mean
            difference = mixed[:, start:stop] - mean
            difference -= fa
            sums[:k, r] += difference @ fb
            difference **= 2
            sums[k : 2 * k, r] += 0.5 * difference.sum(axis=1)
            sums[2 * k, r] += 0.5 * (fa @ fa + fb @ fb)
            sums[2 * k + 1, r] += 0.5 * (fa.sum() + fb.sum())
    return sums


def indices_from_outputs(names: list[str], outputs: Array, n: int, *, replicates: int,
                         confidence: float = CONFIDENCE,
                         seed: int | None = None) -> SobolIndices:
    """Estimators and their intervals from the outputs of a `pick_freeze` matrix whose N rows
    are `replicates` consecutive, independently randomised runs (`replicate_bounds`).

    The estimate pools all N rows; the interval is estimate +- t sd / sqrt(R), t the
    (1 + confidence) / 2 quantile of Student's t on R - 1 degrees of freedom and sd that of
    the R estimates each run's rows give alone; NaN with fewer than two replicates.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"an interval's confidence is between 0 and 1, not {confidence}")
    k = len(names)
    bounds = replicate_bounds(n, replicates)
    sums = _term_sums(outputs, n, k, bounds)
    means = sums.sum(axis=1) / n
    variance = float(means[-2] - means[-1] ** 2)
    first, total = _ratio(means[:k], means[k : 2 * k], variance)
    each = sums / np.diff(bounds)  # each replicate's term means
    run_first, run_total = _ratio(each[:k], each[k : 2 * k], each[-2] - each[-1] ** 2)
    return SobolIndices(names, first, total, t_interval(first, run_first, confidence),
                        t_interval(total, run_total, confidence), variance, n, n * (k + 2),
                        replicates, confidence, seed)


def t_interval(estimate: Array, runs: Array, confidence: float) -> Array:
    """(k x 2) bounds: estimate +- t sd / sqrt(R) from the (k x R) replicates' estimates, t the
    (1 + confidence) / 2 quantile of Student's t on R - 1 degrees of freedom; NaN for R < 2."""
    replicates = runs.shape[1]
    if replicates < 2:
        return np.full((len(estimate), 2), np.nan)
    scale = t_quantile(replicates - 1, (1 + confidence) / 2) / math.sqrt(replicates)
    half = scale * runs.std(axis=1, ddof=1)
    return np.column_stack([estimate - half, estimate + half])


@dataclass(frozen=True)
class Settling:
    """How much of the uncertainty of a class output (the verdict) learning each input alone
    would settle, with Student-t intervals across replicates (NaN with fewer than two)."""

    names: list[str]
    share: Array
    interval: Array
    """(k x 2) bounds."""
    impurity: float
    """1 - sum of the squared class probabilities: 0 when one class is certain."""


def settling(names: list[str], classes: Array, n: int, *, replicates: int,
             confidence: float = CONFIDENCE) -> Settling:
    """The share of a class output's uncertainty that knowing input i would remove, from the
    classes of a `pick_freeze` matrix's outputs ([A; B; A_B^1; ...]).

    With Gini impurity as the measure of uncertainty, knowing X_i removes on average
    sum_c Var(P(c | X_i)) of the impurity 1 - sum_c p_c^2 = sum_c Var(1_c). Each Var(P(c | X_i))
    is the first-order variance of the indicator 1_c, so the share is the variance-weighted mean
    of the indicators' first-order Sobol indices, estimated as `indices_from_outputs` does
    (Saltelli 2010 (b)) and pooled over the classes. It is the first-order index of the class
    itself: 1 if the input alone decides it, 0 if it never changes it.
    """
    k = len(names)
    bounds = replicate_bounds(n, replicates)
    rows = np.diff(bounds)
    first, run_first = np.zeros(k), np.zeros((k, replicates))
    variance, run_variance = 0.0, np.zeros(replicates)
    for c in np.unique(classes[: 2 * n]):
        sums = _term_sums((classes == c).astype(float), n, k, bounds)
        first += sums[:k].sum(axis=1) / n
        run_first += sums[:k] / rows
        variance += float(sums[2 * k].sum() / n - (sums[2 * k + 1].sum() / n) ** 2)
        run_variance += sums[2 * k] / rows - (sums[2 * k + 1] / rows) ** 2
    share = _ratio(first, first, variance)[0]
    runs = _ratio(run_first, run_first, run_variance)[0]
    return Settling(names, share, t_interval(share, runs, confidence), variance)


def _ratio(first: Array, total: Array, variance: Array | float) -> tuple[Array, Array]:
    """Divide by the variance; a constant output has no variance to attribute: all zeros."""
    v = np.asarray(variance, dtype=float)
    safe = np.where(v > 0, v, 1.0)
    return np.where(v > 0, first / safe, 0.0), np.where(v > 0, total / safe, 0.0)


@dataclass(frozen=True)
class Swing:
    """One input moved between two values, the others at their base case: a number from its
    P10 to its P90, evidence from no (0) to yes (1), a category (values are choice indices)
    from its lowest- to its highest-scoring choice."""

    name: str
    low_value: float
    high_value: float
    at_low: float
    at_high: float

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


def tornado(func: Model, base: Array, values: Sequence[Array], names: list[str],
            ranked: Sequence[bool] | None = None) -> list[Swing]:
    """One-at-a-time swings, ranked largest first, from a single evaluation.

    Input j takes each of `values[j]` in turn, the others at `base`. Its swing runs from the
    first of its values to the last or, where `ranked[j]`, from the value that scores lowest to
    the one that scores highest (the first of tied values). One value means no swing.
    """
    if not names:
        return []
    counts = [len(v) for v in values]
    starts = np.cumsum([0, *counts])
    rows = np.repeat(np.atleast_2d(base), starts[-1], axis=0)
    rows[np.arange(starts[-1]), np.repeat(np.arange(len(names)), counts)] = np.concatenate(values)
    out = np.asarray(func(rows), dtype=float)
    swings = []
    for j, name in enumerate(names):
        at = out[starts[j] : starts[j + 1]]
        low, high = ((int(np.argmin(at)), int(np.argmax(at))) if ranked is not None and ranked[j]
                     else (0, len(at) - 1))
        swings.append(Swing(name, float(values[j][low]), float(values[j][high]), float(at[low]),
                            float(at[high])))
    return sorted(swings, key=lambda s: s.swing, reverse=True)
