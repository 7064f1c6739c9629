"""Do the Sobol-index intervals mean what they say? Coverage of analytic values over many seeds.

    python benchmarks/coverage.py [--seeds 400]

For each test function and N, every seed gives one estimate and one 95% interval per index;
the table shows how often the intervals cover the analytic value (it should be near 95%), and
their mean width over 2 x 1.96 x the estimates' sd across seeds (near 1 for an interval as wide
as the error it describes; a t-interval on R - 1 degrees of freedom is wider by t / 1.96 x c4,
about 1.16 for R = 8).

- before: the old intervals, a percentile bootstrap of the N rows (100 resamples) on one
  scrambled Sobol design, reimplemented here; it treats the rows as iid.
- after: the engine's intervals, a Student-t interval across R independently scrambled runs
  of N / R rows (randomised QMC, L'Ecuyer & Lemieux 2002; `thesis.engine.sensitivity`).

Functions: Ishigami (a = 7, b = 0.1; S1 = [0.3139, 0.4424, 0], ST = [0.5576, 0.4424, 0.2437])
and y = x . [1, -2, 3, 0.5] with U(0, 1), U(0, 2), N(0, 0.5), U(-3, 3), where S = ST =
[0.0189, 0.3019, 0.5094, 0.1698].
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from thesis.engine.sampling import REPLICATES, DesignStream
from thesis.engine.sensitivity import saltelli_outputs, sobol_indices
from thesis.models.distributions import Distribution, Normal, Uniform

Model = Callable[[np.ndarray], np.ndarray]
RESAMPLES = 100
"""Bootstrap resamples of the old intervals (the old default)."""
LEVEL = 0.95


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


WEIGHTS = np.array([1.0, -2.0, 3.0, 0.5])
LINEAR_SHARES = WEIGHTS**2 * np.array([1 / 12, 4 / 12, 0.25, 3.0])
LINEAR_SHARES /= LINEAR_SHARES.sum()


@dataclass(frozen=True)
class Case:
    name: str
    model: Model
    inputs: Mapping[str, Distribution]
    first: np.ndarray
    total: np.ndarray


CASES = [
    Case("Ishigami", ishigami, {f"x{i}": Uniform(low=-np.pi, high=np.pi) for i in (1, 2, 3)},
         np.array([0.3139, 0.4424, 0.0]), np.array([0.5576, 0.4424, 0.2437])),
    Case("linear", lambda x: x @ WEIGHTS,
         {"a": Uniform(low=0, high=1), "b": Uniform(low=0, high=2), "c": Normal(mean=0, sd=0.5),
          "d": Uniform(low=-3, high=3)}, LINEAR_SHARES, LINEAR_SHARES),
]


def bootstrap(case: Case, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The old method: (estimates, lower, upper), each S1 then ST, from one scrambled design
    and a percentile bootstrap of its rows."""
    names = list(case.inputs)
    k = len(names)
    draws = [case.inputs[name].ppf for name in names]
    design = DesignStream(n, 2 * k, seed, replicates=1)
    rng = np.random.default_rng([seed, 1])

    def draw(u: np.ndarray) -> np.ndarray:
        return np.column_stack([d(u[:, j]) for j, d in enumerate(draws)])

    y = saltelli_outputs(case.model, draw, design)
    y = y - y[: 2 * n].mean()
    fa, fb, fab = y[:n], y[n : 2 * n], y[2 * n :].reshape(k, n)
    terms = np.vstack([fb * (fab - fa), 0.5 * (fab - fa) ** 2, 0.5 * (fa**2 + fb**2),
                       0.5 * (fa + fb)])  # (2k + 2) x N

    def estimate(means: np.ndarray) -> np.ndarray:
        variance = means[-2] - means[-1] ** 2
        return np.concatenate([means[:k] / variance, means[k : 2 * k] / variance])

    picks = rng.integers(0, n, size=(RESAMPLES, n)) + (np.arange(RESAMPLES) * n)[:, np.newaxis]
    counts = np.bincount(picks.ravel(), minlength=RESAMPLES * n).reshape(RESAMPLES, n)
    resampled = estimate((terms @ counts.T) / n)  # 2k x RESAMPLES
    tail = 50 * (1 - LEVEL)
    lower, upper = np.percentile(resampled, [tail, 100 - tail], axis=1)
    return estimate(terms.mean(axis=1)), lower, upper


def replicates(case: Case, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The engine's method: (estimates, lower, upper), each S1 then ST."""
    r = sobol_indices(case.model, case.inputs, n, seed=seed, confidence=LEVEL)
    return (np.concatenate([r.first, r.total]),
            np.concatenate([r.first_interval[:, 0], r.total_interval[:, 0]]),
            np.concatenate([r.first_interval[:, 1], r.total_interval[:, 1]]))


def measure(method: Callable[[Case, int, int], tuple[np.ndarray, np.ndarray, np.ndarray]],
            case: Case, n: int, seeds: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(coverage, width over 2 x 1.96 x the estimates' sd across seeds) per index, seconds."""
    start = time.perf_counter()
    runs = [method(case, n, seed) for seed in range(seeds)]
    seconds = time.perf_counter() - start
    estimates, lower, upper = (np.array(part) for part in zip(*runs, strict=True))
    truth = np.concatenate([case.first, case.total])
    coverage = np.mean((lower <= truth) & (truth <= upper), axis=0)
    width = np.mean(upper - lower, axis=0) / (2 * 1.96 * estimates.std(axis=0, ddof=1))
    return coverage, width, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=400)
    seeds = parser.parse_args().seeds
    print(f"{seeds} seeds; {LEVEL:.0%} intervals; after: {REPLICATES} replicates\n")
    print("| function | N | index | coverage before | coverage after | width/sd before "
          "| width/sd after |")
    print("|---|---|---|---|---|---|---|")
    for case in CASES:
        labels = [f"S1 {name}" for name in case.inputs] + [f"ST {name}" for name in case.inputs]
        for n in (2**10, 2**12):
            before, wide_before, _ = measure(bootstrap, case, n, seeds)
            after, wide_after, _ = measure(replicates, case, n, seeds)
            for j, label in enumerate(labels):
                print(f"| {case.name} | 2^{n.bit_length() - 1} | {label} | {before[j]:.1%} | "
                      f"{after[j]:.1%} | {wide_before[j]:.2f} | {wide_after[j]:.2f} |")
            print(f"| {case.name} | 2^{n.bit_length() - 1} | **all** | "
                  f"{before.min():.1%}-{before.max():.1%} | {after.min():.1%}-{after.max():.1%} "
                  f"| {wide_before.min():.2f}-{wide_before.max():.2f} "
                  f"| {wide_after.min():.2f}-{wide_after.max():.2f} |", flush=True)


if __name__ == "__main__":
    main()
