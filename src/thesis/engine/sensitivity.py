"""Which input's uncertainty drives the output: Sobol indices and one-at-a-time swings.

`sobol_indices(func, inputs, n, seed, bootstrap)` works on any vectorised function from an
(N x k) array to (N,) values, so it is checked on analytic test functions with published
indices (Ishigami) as well as used on compiled scorecards.

Design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", Computer
Physics Communications 181): two independent N x k matrices A and B (the two halves of one
2k-dimensional scrambled Sobol design) and, for each input i, A with column i taken from B.
That is N (k + 2) evaluations, made in one call. With the output centred first:

- first order  S_i  = mean(f(B) (f(A_B^i) - f(A))) / V        (Saltelli 2010, Table 2 (b))
- total        ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)       (Jansen 1999; Saltelli 2010 (f))

Confidence intervals come from bootstrapping the N rows. Resamples are counts matrices, so each
resample's estimators are matrix products, not a Python loop per resample; percentile intervals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from thesis.engine.sampling import EDGE, Method, SeedLike, generator, uniform_design
from thesis.models.distributions import Array

Model = Callable[[Array], Array]
BOOTSTRAP_CELLS = 4_000_000
"""Largest resamples x rows block held at once while bootstrapping (32 MB of float64)."""


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
    """The stacked evaluation matrix [A; B; A_B^1; ...; A_B^k], shape (N (k + 2), k)."""
    n, k = a.shape
    out = np.empty((n * (k + 2), k))
    out[:n] = a
    out[n : 2 * n] = b
    blocks = out[2 * n :].reshape(k, n, k)
    blocks[:] = a
    blocks[np.arange(k), :, np.arange(k)] = b.T
    return out


def sobol_indices(func: Model, inputs: Mapping[str, object], n: int = 4096, *,
                  seed: SeedLike = 0, bootstrap: int = 100, confidence: float = 0.95,
                  method: Method = "sobol") -> SobolIndices:
    """Sobol indices of `func` over independent `inputs` (name -> distribution or `Input`).

    `n` base rows (rounded up to a power of two for Sobol points) cost n (k + 2) evaluations.
    """
    names = list(inputs)
    k = len(names)
    draws = [_drawer(inputs[name]) for name in names]
    rng = generator(seed)
    u = uniform_design(n, 2 * k, rng, method).points
    rows = len(u)
    for j, draw in enumerate(draws * 2):
        u[:, j] = draw(u[:, j])
    stacked = pick_freeze(u[:, :k], u[:, k:])
    del u  # only the stacked matrix is needed while the model runs: keep peak memory low
    outputs = np.asarray(func(stacked), dtype=float)
    del stacked
    return indices_from_outputs(names, outputs, rows, bootstrap=bootstrap,
                                confidence=confidence, rng=rng,
                                seed=seed if isinstance(seed, int) else None)


def indices_from_outputs(names: list[str], outputs: Array, n: int, *, bootstrap: int,
                         confidence: float, rng: np.random.Generator,
                         seed: int | None = None) -> SobolIndices:
    """Estimators and bootstrap intervals from the outputs of a `pick_freeze` matrix."""
    k = len(names)
    y = outputs - outputs[: 2 * n].mean()
    fa, fb, fab = y[:n], y[n : 2 * n], y[2 * n :].reshape(k, n)
    difference = fab - fa  # (k, n)
    first_terms = fb * difference
    difference **= 2
    total_terms = 0.5 * difference
    square_terms = 0.5 * (fa**2 + fb**2)
    level_terms = 0.5 * (fa + fb)
    variance = float(square_terms.mean() - level_terms.mean() ** 2)
    first, total = _ratio(first_terms.mean(1), total_terms.mean(1), variance)
    first_ci = np.column_stack([first, first])
    total_ci = np.column_stack([total, total])
    if bootstrap > 0:
        stacked = np.vstack([first_terms, total_terms, square_terms, level_terms])  # (2k+2, n)
        means = _bootstrap_means(stacked, bootstrap, rng)  # (2k+2, R)
        boot_var = means[-2] - means[-1] ** 2
        boot_first, boot_total = _ratio(means[:k], means[k : 2 * k], boot_var)
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


def _bootstrap_means(terms: Array, resamples: int, rng: np.random.Generator) -> Array:
    """Means of each row of `terms` (m x n) over `resamples` bootstrap draws of the n columns.

    A resample is a vector of counts (how often each column was drawn), so the means of all
    resamples are one matrix product per block of resamples.
    """
    m, n = terms.shape
    out = np.empty((m, resamples))
    block = max(1, BOOTSTRAP_CELLS // n)
    for start in range(0, resamples, block):
        size = min(block, resamples - start)
        picks = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, np.newaxis]
        counts = np.bincount(picks.ravel(), minlength=size * n).reshape(size, n)
        out[:, start : start + size] = terms @ counts.T.astype(float) / n
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
