"""Mutation check: plant one single-line bug at a time and see whether the test suite notices.

Each mutant replaces one exact piece of one source line (it must occur exactly once, so a
mutant that no longer matches the code fails loudly instead of passing as "killed"). For each,
the committed tree (`git archive HEAD`: commit first) is unpacked in a scratch folder, the bug
is planted there, and the suite runs with `CI=1` (`pytest -x`: the first failure kills; the
style checks of tests/test_code_quality.py are left out, as a mutant's style is not a bug).
A mutant survives when every test passes. The unmutated suite runs first: if it fails, no kill
means anything and the run stops.

The list holds the 23 mutants of the statistics audit (../shared/audits/
statistics-2026-11-23.md, section 6), re-expressed against today's code, and mutants of the
code written since.

    python tools/mutants.py               # all, two at a time
    python tools/mutants.py M7 M11 --jobs 1
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RETENTION = "src/thesis/engine/retention.py"


@dataclass(frozen=True)
class Mutant:
    id: str
    what: str
    file: str
    old: str
    new: str


MUTANTS = [
    Mutant("M1", "gate at_least: >= becomes >", "src/thesis/engine/compile.py",
           "(v >= at_least)", "(v > at_least)"),
    Mutant("M2", "gate cap dropped", "src/thesis/engine/compile.py",
           "(1.0 - passes) * np.minimum(score, gate.cap)", "(1.0 - passes) * score"),
    Mutant("M3", "S1 estimator uses f(A) instead of f(B)", "src/thesis/engine/sensitivity.py",
           "sums[:k, r] += difference @ fb", "sums[:k, r] += difference @ fa"),
    Mutant("M6", "normal: lower truncation replaced by clipping",
           "src/thesis/models/distributions.py",
           "a, b = ndtr((low - self.mean) / self.sd), ndtr((high - self.mean) / self.sd)\n"
           "        x: Array = self.mean",
           "a, b = 0.0, ndtr((high - self.mean) / self.sd)\n        x: Array = self.mean"),
    Mutant("M7", "seed ignored", "src/thesis/engine/sampling.py",
           "return np.random.default_rng(seed)", "return np.random.default_rng(0)"),
    Mutant("M8", "yes/no drawn with P(yes) = 1 - p", "src/thesis/engine/space.py",
           "(np.asarray(u) >= 1.0 - self.probability)", "(np.asarray(u) >= self.probability)"),
    Mutant("M9", "lognormal sigma divided by Z90, not 2 Z90", "src/thesis/models/distributions.py",
           "/ (2 * Z90)", "/ Z90"),
    Mutant("M10", "verdict band: < becomes <=", "src/thesis/engine/analysis.py",
           "scores[:, np.newaxis] < mins[np.newaxis, :]",
           "scores[:, np.newaxis] <= mins[np.newaxis, :]"),
    Mutant("M11", "tornado at P25/P75 instead of P10/P90", "src/thesis/engine/analysis.py",
           "TORNADO_LOW, TORNADO_HIGH = 0.1, 0.9", "TORNADO_LOW, TORNADO_HIGH = 0.25, 0.75"),
    Mutant("M12", "Sobol scramble matrix upper- instead of lower-triangular",
           "src/thesis/engine/qmc.py", "weights | (noise & (weights - np.uint64(1)))",
           "weights | (noise & ~(weights | (weights - np.uint64(1))))"),
    Mutant("M13", "triangular right branch uses (c - a)", "src/thesis/models/distributions.py",
           "(1.0 - u) * (b - a) * (b - c)", "(1.0 - u) * (b - a) * (c - a)"),
    Mutant("M14", "factor share not renormalised", "src/thesis/run.py",
           "assessed.get(f.id, 0.0) / total if total else 0.0", "assessed.get(f.id, 0.0)"),
    Mutant("M15", "criteria averaged without their weights", "src/thesis/engine/compile.py",
           "mean += crit.weight * s",
           "mean += s * sum(c.weight for c in factor.criteria) / len(factor.criteria)"),
    Mutant("M17", "flip measured against the modal verdict", "src/thesis/run.py",
           "flip_probability=1.0 - probabilities[base_verdict]",
           "flip_probability=1.0 - max(probabilities.values())"),
    Mutant("M18", "Sobol digital shift dropped", "src/thesis/engine/qmc.py",
           "shift = rng.integers(0, 1 << BITS, size=(d,), dtype=np.uint64)",
           "shift = np.zeros(d, dtype=np.uint64)"),
    Mutant("M19", "curve x may repeat", "src/thesis/models/scorecard.py",
           "if any(b <= a for a, b in itertools.pairwise(xs)):",
           "if any(b < a for a, b in itertools.pairwise(xs)):"),
    Mutant("M20", "better: lower never checked", "src/thesis/models/scorecard.py",
           'if self.better == "lower" and not falling:',
           'if self.better == "neither" and not falling:'),
    Mutant("M21", "Sobol-index intervals at 90% labelled 95%", "src/thesis/engine/sensitivity.py",
           "stdtrit(replicates - 1, (1 + confidence) / 2)",
           "stdtrit(replicates - 1, (1 + confidence - 0.05) / 2)"),
    Mutant("T1", "a confident yes/no gets no tornado bar", "src/thesis/engine/analysis.py",
           "if 0.0 < p < 1.0 else", "if 0.1 < p < 0.9 else"),
    Mutant("T2", "one scramble shared by every replicate", "src/thesis/engine/sampling.py",
           "for _ in range(self.replicates)] if sobol else []",
           "for _ in range(1)] * self.replicates if sobol else []"),
    Mutant("M4", "sBG likelihood censors survivors one period early", RETENTION,
           "censored[len(s) - 2] += cohort.size * s[-1]",
           "censored[max(len(s) - 3, 0)] += cohort.size * s[-1]"),
    Mutant("M5", "projected survival S(t) off by one period", RETENTION,
           "np.asarray(self.c), np.asarray(t, dtype=float)))",
           "np.asarray(self.c), np.asarray(t, dtype=float) + 1))"),
    Mutant("M16", "the fit's grid never moves off an edge", RETENTION,
           "if on_edge and climbing:", "if False:"),
    Mutant("M22", "cohort size ignored", RETENTION,
           "return float(NOMINAL_COHORT) if self.given_size is None else self.given_size",
           "return float(NOMINAL_COHORT)"),
    Mutant("M23", "retention interval at half the stated tail (60% labelled 80%)", RETENTION,
           "tail = (1.0 - level) / 2.0", "tail = 1.0 - level"),
    Mutant("R1", "BdW duration exponent ignored in survival", RETENTION,
           "np.asarray(t, dtype=float) ** c)", "np.asarray(t, dtype=float))"),
    Mutant("R2", "likelihood-ratio test backwards", RETENTION,
           "if p_value < level:", "if p_value >= level:"),
    Mutant("R3", "no minimum of observed months", "src/thesis/subjects.py",
           "if fit.periods_observed < MIN_OBSERVED_MONTHS:", "if fit.periods_observed < 1:"),
    Mutant("C1", "combine: any takes the weakest", "src/thesis/engine/compile.py",
           "best: Array = np.maximum.reduce(scores)", "best: Array = np.minimum.reduce(scores)"),
    Mutant("G1", "gates applied lowest cap first", "src/thesis/engine/compile.py",
           "key=lambda g: -g.cap)", "key=lambda g: g.cap)"),
]


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant | None
    killed: bool
    by: str
    seconds: float


def plant(root: Path, mutant: Mutant) -> None:
    path = root / mutant.file
    text = path.read_text(encoding="utf-8")
    found = text.count(mutant.old)
    if found != 1:
        raise SystemExit(f"{mutant.id}: {mutant.old!r} occurs {found} times in {mutant.file}; "
                         "update the mutant to today's code")
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")


def run(mutant: Mutant | None, timeout: float) -> Outcome:
    """The suite on HEAD with `mutant` planted (none: the baseline)."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as scratch:
        root = Path(scratch)
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
        if mutant is not None:
            plant(root, mutant)
        env = {**os.environ, "CI": "1", "PYTHONPATH": f"{root / 'src'}{os.pathsep}{root}",
               "PYTHONDONTWRITEBYTECODE": "1"}
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "tests",
                 "--ignore", "tests/test_code_quality.py"],  # style says nothing of behaviour
                cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return Outcome(mutant, True, "timeout", time.perf_counter() - start)
        failed = re.search(r"^(?:FAILED|ERROR) (\S+)", done.stdout, re.MULTILINE)
        return Outcome(mutant, done.returncode != 0, failed.group(1) if failed else "",
                       time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if not args.ids or m.id in args.ids]
    baseline = run(None, args.timeout)
    if baseline.killed:
        raise SystemExit(f"the unmutated suite fails ({baseline.by}): fix it first")
    with ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(lambda m: run(m, args.timeout), chosen))
    print("| id | mutant | result | killed by | s |\n|---|---|---|---|---|")
    for o in outcomes:
        assert o.mutant is not None
        print(f"| {o.mutant.id} | {o.mutant.what} | {'killed' if o.killed else '**survives**'} "
              f"| {o.by} | {o.seconds:.0f} |")
    killed = sum(o.killed for o in outcomes)
    print(f"\n{killed} of {len(outcomes)} mutants killed")


if __name__ == "__main__":
    main()
