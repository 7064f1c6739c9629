"""Which input's uncertainty drives the output: Sobol indices and one-at-a-time swings.

`sobol_indices(func, inputs, n, seed, bootstrap)` works on any vectorised function from an
(N x k) array to (N,) values, so it is checked on analytic test functions with published
indices (Ishigami) as well as used on compiled scorecards.

Design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", Computer
Physics Communications 181): two independent N x k matrices A and B (the two halves of one
2k-dimensional scrambled Sobol design) and, for each input i, A with column i taken from B.
That is N (k + 2) evaluations. With the output centred first:

- first order  S_i  = mean(f(B) (f(A_B^i) - f(A))) / V        (Saltelli 2010, Table 2 (b))
- total        ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)       (Jansen 1999; Saltelli 2010 (f))

Confidence intervals come from bootstrapping the N rows. Resamples are counts matrices, so each
resample's estimators are matrix products, not a Python loop per resample; percentile intervals.

Memory is flat in N apart from the N (k + 2) outputs: `saltelli_outputs` makes, draws and
evaluates the design a block of rows at a time, and `indices_from_outputs` computes the
estimators' terms for a block of rows at a time, both for the point estimates (sums) and for the
bootstrap (a block of resamples' counts times a block of rows' terms, accumulated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from thesis.engine.sampling import EDGE, DesignStream, Method, SeedLike
from thesis.models.distributions import Array

Model = Callable[[Array], Array]
Progress = Callable[[int, int], None]
"""Called after each block with (rows evaluated so far, rows in all)."""
EVALUATION_ROWS = 1 << 16
"""Rows of the pick-freeze design evaluated per block: N (k + 2) rows take
N (k + 2) / EVALUATION_ROWS model calls, each on a (EVALUATION_ROWS x k) matrix."""
TERM_CELLS = 1 << 20
"""Largest terms x rows block of the estimators held at once (8 MB of float64)."""
BOOTSTRAP_CELLS = 1 << 21
"""Bootstrap row indices drawn at once (16 MB of int64)."""
COUNT_BYTES = 1 << 25
BYTE_MAX = 255
"""Bootstrap counts, one byte each, held at once (32 MB): at N = 2^20, 32 resamples a pass."""


class Drawable(Protocol):
    """Anything that turns uniforms into values: a distribution's `ppf`, an `Input`'s `draw`."""

    def __call__(self, u: Array) -> Array: ...


@dataclass(frozen=True)
class SobolIndices:
    """First-order and total Sobol indices with bootstrap percentile intervals."""

    names: list[str]
    first: Array
    total: Array
    first_interval: Array
    """(k x 2): lower and upper bounds."""
    total_interval: Array
    variance: float
    n: int
    evaluations: int
    bootstrap: int
    confidence: float
    seed: int | None

    def as_dict(self) -> dict[str, dict[str, float | list[float]]]:
        return {name: {"S1": float(self.first[i]), "ST": float(self.total[i]),
                       "S1_interval": [float(x) for x in self.first_interval[i]],
                       "ST_interval": [float(x) for x in self.total_interval[i]]}
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
                     block_rows: int = EVALUATION_ROWS,
                     progress: Progress | None = None) -> Array:
    """The model's outputs over the whole pick-freeze matrix of `design`, laid out like
    `pick_freeze` ([A; B; A_B^1; ...; A_B^k], N (k + 2) values), evaluated block by block.

    `design` has 2k columns: A's uniforms, then B's. For each block of design rows, `draw` turns
    its uniforms into values, the block's pick-freeze matrix is built and evaluated, and its
    outputs are put in place; only the outputs grow with N. `sample(start, a)`, if given, is
    used instead of `model` for the rows of A (the Monte Carlo sample) from row `start` on, so a
    caller can record more about them (their stage) from the same evaluation.
    """
    k = design.k // 2
    n = design.n
    outputs = np.empty(n * (k + 2))
    mixed = outputs[2 * n :].reshape(k, n)
    for start, u in design.blocks(design_block(k, block_rows)):
        m = len(u)
        stop = start + m
        stacked = pick_freeze(draw(u[:, :k]), draw(u[:, k:]))
        del u
        a = stacked[:m]
        outputs[start:stop] = model(a) if sample is None else sample(start, a)
        rest = np.asarray(model(stacked[m:]), dtype=float)
        del stacked
        outputs[n + start : n + stop] = rest[:m]
        mixed[:, start:stop] = rest[m:].reshape(k, m)
        if progress is not None:
            progress(stop * (k + 2), n * (k + 2))
    return outputs


def sobol_indices(func: Model, inputs: Mapping[str, object], n: int = 4096, *,
                  seed: SeedLike = 0, bootstrap: int = 100, confidence: float = 0.95,
                  method: Method = "sobol", block_rows: int = EVALUATION_ROWS) -> SobolIndices:
    """Sobol indices of `func` over independent `inputs` (name -> distribution or `Input`).

    `n` base rows (rounded up to a power of two for Sobol points) cost n (k + 2) evaluations,
    made about `block_rows` at a time, so `func` must treat each row on its own (as a vectorised
    model does).
    """
    names = list(inputs)
    draws = [_drawer(inputs[name]) for name in names]

    def draw(u: Array) -> Array:
        values = np.empty_like(u)
        for j, d in enumerate(draws):
            values[:, j] = d(u[:, j])
        return values

    design = DesignStream(n, 2 * len(names), seed, method)
    outputs = saltelli_outputs(lambda x: np.asarray(func(x), dtype=float), draw, design,
                               block_rows=block_rows)
    return indices_from_outputs(names, outputs, design.n, bootstrap=bootstrap,
                                confidence=confidence, rng=design.rng,
                                seed=seed if isinstance(seed, int) else None)


class _Terms:
    """The estimators' terms, (2k + 2) per design row, computed a block of rows at a time from
    the centred outputs: k first-order terms f(B) (f(A_B^i) - f(A)), k total terms
    (f(A) - f(A_B^i))^2 / 2, and (f(A)^2 + f(B)^2) / 2 and (f(A) + f(B)) / 2 for the variance.
    The mean of each term over the N rows is what the estimators need."""

    def __init__(self, outputs: Array, n: int, k: int) -> None:
        self.n, self.k = n, k
        self.m = 2 * k + 2
        self._a, self._b = outputs[:n], outputs[n : 2 * n]
        self._mixed = outputs[2 * n :].reshape(k, n)
        self._mean = outputs[: 2 * n].mean()
        self.rows = max(1, TERM_CELLS // self.m)

    def blocks(self) -> Iterator[tuple[int, Array]]:
        """(start, terms) for consecutive blocks of rows; terms is (2k + 2) x rows."""
        k = self.k
        for start in range(0, self.n, self.rows):
            stop = min(start + self.rows, self.n)
            fa = self._a[start:stop] - self._mean
            fb = self._b[start:stop] - self._mean
            difference = self._mixed[:, start:stop] - self._mean
            difference -= fa
            terms = np.empty((self.m, stop - start))
            np.multiply(fb, difference, out=terms[:k])
            difference **= 2
            np.multiply(0.5, difference, out=terms[k : 2 * k])
            terms[2 * k] = 0.5 * (fa**2 + fb**2)
            terms[2 * k + 1] = 0.5 * (fa + fb)
            yield start, terms

    def means(self) -> Array:
        """Each term's mean over the N rows, (2k + 2,)."""
        sums = np.zeros(self.m)
        for _, terms in self.blocks():
            sums += terms.sum(axis=1)
        out: Array = sums / self.n
        return out


def indices_from_outputs(names: list[str], outputs: Array, n: int, *, bootstrap: int,
                         confidence: float, rng: np.random.Generator,
                         seed: int | None = None) -> SobolIndices:
    """Estimators and bootstrap intervals from the outputs of a `pick_freeze` matrix."""
    k = len(names)
    terms = _Terms(outputs, n, k)
    means = terms.means()
    variance = float(means[-2] - means[-1] ** 2)
    first, total = _ratio(means[:k], means[k : 2 * k], variance)
    first_ci = np.column_stack([first, first])
    total_ci = np.column_stack([total, total])
    if bootstrap > 0:
        boot = _bootstrap_means(terms, bootstrap, rng)  # (2k+2, R)
        boot_var = boot[-2] - boot[-1] ** 2
        boot_first, boot_total = _ratio(boot[:k], boot[k : 2 * k], boot_var)
        tail = 50 * (1 - confidence)
        first_ci = np.percentile(boot_first, [tail, 100 - tail], axis=1).T
        total_ci = np.percentile(boot_total, [tail, 100 - tail], axis=1).T
    return SobolIndices(names, first, total, first_ci, total_ci, variance, n,
                        n * (k + 2), bootstrap, confidence, seed)


def _ratio(first: Array, total: Array, variance: Array | float) -> tuple[Array, Array]:
    """Divide by the variance; a constant output has no variance to attribute: all zeros."""
    v = np.asarray(variance, dtype=float)
    safe = np.where(v > 0, v, 1.0)
    return np.where(v > 0, first / safe, 0.0), np.where(v > 0, total / safe, 0.0)


def _bootstrap_means(terms: _Terms, resamples: int, rng: np.random.Generator) -> Array:
    """Means of each term over `resamples` bootstrap draws of the N rows, (2k + 2) x resamples.

    A resample is a vector of counts (how often each row was drawn), so the means of a block of
    resamples are matrix products, accumulated over blocks of rows: each pass over the terms
    serves as many resamples as `COUNT_BYTES` of one-byte counts hold.
    """
    n = terms.n
    out = np.zeros((terms.m, resamples))
    per_pass = max(1, COUNT_BYTES // n)
    for start in range(0, resamples, per_pass):
        counts = _counts(rng, min(per_pass, resamples - start), n)
        sums = out[:, start : start + len(counts)]
        for row, block in terms.blocks():
            sums += block @ counts[:, row : row + block.shape[1]].T.astype(np.float64)
    out /= n
    return out


def _counts(rng: np.random.Generator, resamples: int, n: int) -> Array:
    """How often each of n rows is drawn in each of `resamples` resamples, (resamples x n).

    Drawn `BOOTSTRAP_CELLS` indices at a time, in the order one (resamples x n) draw makes them.
    A count fits a byte unless a row is drawn over 255 times in one resample, which needs N > 255
    and odds far below 1e-300; should it happen, the counts are widened, not wrapped.
    """
    out: Array = np.empty((resamples, n), dtype=np.uint8)
    step = max(1, BOOTSTRAP_CELLS // n)
    for start in range(0, resamples, step):
        size = min(step, resamples - start)
        picks = rng.integers(0, n, size=(size, n))
        picks += (np.arange(size) * n)[:, np.newaxis]
        counts = np.bincount(picks.ravel(), minlength=size * n).reshape(size, n)
        del picks
        if out.dtype == np.uint8 and counts.max() > BYTE_MAX:
            out = out.astype(np.int64)
        out[start : start + size] = counts
    return out


@dataclass(frozen=True)
class Swing:
    """One input moved from its P10 to its P90, the others at their base case."""

    name: str
    low_value: float
    high_value: float
    at_low: float
    at_high: float

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


def tornado(func: Model, base: Array, low: Array, high: Array, names: list[str]) -> list[Swing]:
    """One-at-a-time swings, ranked largest first, from a single evaluation of 2k rows."""
    k = len(names)
    rows = np.repeat(np.atleast_2d(base), 2 * k, axis=0)
    rows[2 * np.arange(k), np.arange(k)] = low
    rows[2 * np.arange(k) + 1, np.arange(k)] = high
    out = np.asarray(func(rows), dtype=float)
    swings = [Swing(names[j], float(low[j]), float(high[j]), float(out[2 * j]),
                    float(out[2 * j + 1])) for j in range(k)]
    return sorted(swings, key=lambda s: s.swing, reverse=True)


def quantiles(draws: list[Drawable], q: float) -> Array:
    """Each input's q-quantile, through its inverse CDF."""
    u = np.array([min(max(q, EDGE), 1 - EDGE)])
    return np.array([float(draw(u)[0]) for draw in draws])
