"""Does the retention fit reach the maximum? Random curves of each model, against scipy.optimize.

    python benchmarks/retention_fit.py [--curves 500] [--seed 0]

For the sBG and the BdW model, draws `--curves` broad curves and a fifth as many short ones from
the model itself:

- broad: alpha and beta log-uniform in [0.05, 50] (BdW: c log-uniform in [0.5, 2]),
  T = 3..24 periods, n0 log-uniform in [50, 1e6]; half the expected curve, half a multinomial
  draw of n0 customers;
- short, SaaS-like: alpha in [0.3, 3], beta in [2, 30], T = 3..6, n0 log-uniform in [200, 1e5];
  half the expected curve as an analyst types it (percentages to 0.1), half a multinomial draw.

Each curve is fitted by `thesis.engine.retention` and by the test suite's scipy reference
(L-BFGS-B from several starts in the same box, then Nelder-Mead). A fit matches when its
log-likelihood is at least the reference's minus 1e-6 * max(1, |log L|). Prints the match
fraction, how many fits were on the box or flagged, the median and worst fit times of ours, how
often one plain scipy L-BFGS-B run from (0, 0[, 0]) matches too and its times, the import time
of scipy.optimize, and the model selection on Fader & Hardie's two curves.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_retention import (  # noqa: E402  (the reference lives with the tests)
    HIGH_END,
    HIGH_END_HOLDOUT,
    REGULAR,
    REGULAR_HOLDOUT,
    draw_curve,
    scipy_maximum,
)

from thesis.engine.retention import (  # noqa: E402
    Cohort,
    Model,
    SurvivalFit,
    as_cohort,
    fit_bdw,
    fit_sbg,
    select_model,
)

FITS = {"sBG": fit_sbg, "BdW": fit_bdw}


def log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def random_cases(rng: np.random.Generator, model: Model, n: int,
                 short: bool) -> list[tuple[Cohort, list[float]]]:
    """(cohort, generating log-parameters) for n random curves of one model."""
    cases = []
    for i in range(n):
        if short:
            alpha, beta = rng.uniform(0.3, 3), rng.uniform(2, 30)
            periods, n0 = int(rng.integers(3, 7)), log_uniform(rng, 200, 1e5)
        else:
            alpha, beta = log_uniform(rng, 0.05, 50), log_uniform(rng, 0.05, 50)
            periods, n0 = int(rng.integers(3, 25)), log_uniform(rng, 50, 1e6)
        truth = [float(np.log(alpha)), float(np.log(beta))]
        if model == "BdW":
            truth.append(float(rng.uniform(np.log(0.5), np.log(2))))
        curve = draw_curve(truth, periods, n0, rng if i % 2 else None)
        if short and i % 2 == 0:
            curve = np.round(100 * curve, 1)
        cases.append((as_cohort(curve, round(n0)), truth))
    return cases


def timed(action: Callable[[], SurvivalFit]) -> tuple[float, SurvivalFit]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def one_scipy_fit(cohort: Cohort, model: Model) -> tuple[float, float]:
    """(seconds, maximum found) of one plain L-BFGS-B run on the same likelihood from (0, 0[, 0]),
    the alternative to ours."""
    from scipy.optimize import minimize

    from thesis.engine.retention import LOWER, UPPER, log_likelihood

    def negative(x: np.ndarray) -> float:
        c = np.exp(x[2]) if model == "BdW" else None
        return -float(log_likelihood(np.exp(x[0]), np.exp(x[1]), [cohort], c))

    start = time.perf_counter()
    found = minimize(negative, np.zeros(len(LOWER[model])), method="L-BFGS-B",
                     bounds=list(zip(LOWER[model], UPPER[model], strict=True)))
    return time.perf_counter() - start, -float(found.fun)


def check(model: Model, cases: list[tuple[Cohort, list[float]]], label: str) -> list[str]:
    ours, theirs, misses, boundary, flagged, plain = [], [], [], 0, 0, 0
    for cohort, truth in cases:
        seconds, fit = timed(lambda cohort=cohort: FITS[model](cohort))
        ours.append(seconds)
        seconds, one = one_scipy_fit(cohort, model)
        theirs.append(seconds)
        best = scipy_maximum([cohort], model, [truth, list(fit.parameters)], others=5)
        tolerance = 1e-6 * max(1.0, abs(best))
        plain += one >= best - tolerance
        if fit.log_likelihood < best - tolerance:
            misses.append(f"  miss: {truth} n0={cohort.size:g} T={len(cohort.survival) - 1}: "
                          f"ours {fit.log_likelihood:.9g} vs {best:.9g} ({fit.note})")
        boundary += fit.boundary
        if not fit.converged:
            flagged += 1
            misses.append(f"  not converged: {truth} n0={cohort.size:g} "
                          f"T={len(cohort.survival) - 1}: {fit.note}")
    n = len(cases)
    matched = n - sum(m.startswith("  miss") for m in misses)
    return [f"| {model} | {label} | {matched}/{n} | {boundary} | {flagged} | "
            f"{1e3 * statistics.median(ours):.0f} | {1e3 * max(ours):.0f} | {plain}/{n} | "
            f"{1e3 * statistics.median(theirs):.0f} | {1e3 * max(theirs):.0f} |", *misses]


def import_seconds() -> float:
    """Cumulative import time of scipy.optimize after numpy and scipy.special (median of 5)."""
    times = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c",
                              "import numpy, scipy.special; import scipy.optimize"],
                             capture_output=True, text=True, check=True).stderr
        line = next(x for x in out.splitlines() if x.rstrip().endswith("| scipy.optimize"))
        times.append(int(line.split("|")[1]) / 1e6)
    return statistics.median(times)


def selection_rows() -> list[str]:
    rows = ["| segment | sBG MAE | BdW MAE | chosen | reason |", "|---|---|---|---|---|"]
    for name, curve, holdout in (("regular", REGULAR, REGULAR_HOLDOUT),
                                 ("high end", HIGH_END, HIGH_END_HOLDOUT)):
        chosen = select_model(curve)
        errors = [np.mean(np.abs(100 * f.survival(np.arange(8, 13)) - holdout))
                  for f in (chosen.sbg, chosen.bdw)]
        rows.append(f"| {name} | {errors[0]:.2f} | {errors[1]:.2f} | {chosen.chosen.model} | "
                    f"{chosen.reason} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--curves", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    lines = ["| model | set | ours match | on the box | not converged | ours median ms | "
             "ours worst ms | one L-BFGS-B matches | its median ms | its worst ms |",
             "|---" * 10 + "|"]
    for model in ("sBG", "BdW"):
        for label, short in (("broad", False), ("short SaaS", True)):
            n = args.curves if not short else max(args.curves // 5, 1)
            rows = check(model, random_cases(rng, model, n, short), label)
            print(*rows, sep="\n", file=sys.stderr, flush=True)
            lines += rows
    print("\n".join(lines))
    print(f"\nscipy.optimize import after numpy + scipy.special: {import_seconds():.2f} s")
    print("\n" + "\n".join(selection_rows()))


if __name__ == "__main__":
    main()
