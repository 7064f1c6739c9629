"""Speed and memory of `thesis`, measured in one run on one machine.

    pip install -e ".[dev,bench]" && python benchmarks/run.py

1. Sobol indices of the Ishigami function: ours (thesis.engine.sensitivity) against SALib's
   (SALib.sample.sobol + SALib.analyze.sobol, first and total order only), at N = 2^14 and
   2^16 base samples. Both make N (k + 2) model evaluations from the same kind of design
   (scrambled Sobol, Saltelli 2010 scheme), so the comparison is at equal evaluations. Ours
   without intervals (one scramble) and with them (8 independently scrambled replicates, a
   t-interval across them); SALib with 1 and 100 bootstrap resamples. Best of three wall times;
   peak traced memory.
2. The compiled evaluator's throughput on the shipped scorecards (samples per second, one core).
3. `fit_sbg` on a 12-period cohort curve.
4. The command line's wall time (median of seven runs, process start included): `thesis score`
   on an example, `--version` and `validate`, in-process and answered by a warm resident
   server, beside the interpreter's and the libraries' own start-up.

Writes a table to stdout and to benchmarks/results.md.
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CASEBOOK = ROOT / "examples" / "companies" / "casebook.yaml"
ISHIGAMI_S1 = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_ST = np.array([0.5576, 0.4424, 0.2437])


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def measure(action: Callable[[], Any], repeats: int = 3) -> tuple[float, float, Any]:
    """(best wall seconds, peak traced MB, last result)."""
    best = float("inf")
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, result


def ours(n: int, resamples: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Without intervals (resamples 0: one scramble) or with them (the default replicates)."""
    from thesis.engine.sensitivity import REPLICATES, sobol_indices
    from thesis.models.distributions import Uniform

    box = {f"x{i}": Uniform(low=-np.pi, high=np.pi) for i in (1, 2, 3)}
    r = sobol_indices(ishigami, box, n=n, seed=1, replicates=REPLICATES if resamples else 1)
    half = lambda ci: (ci[:, 1] - ci[:, 0]) / 2  # noqa: E731 - a local one-liner
    return r.first, r.total, half(r.first_interval), half(r.total_interval)


def salib(n: int, resamples: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = sample.sample(problem, n, calc_second_order=False, seed=1)
    with warnings.catch_warnings():  # SALib cannot skip its bootstrap; one resample warns
        warnings.simplefilter("ignore", RuntimeWarning)
        r = analyze.analyze(problem, ishigami(x), calc_second_order=False,
                            num_resamples=max(resamples, 1), conf_level=0.95, seed=1)
    return r["S1"], r["ST"], r["S1_conf"], r["ST_conf"]


def sobol_rows() -> list[list[str]]:
    rows = []
    for exponent in (14, 16):
        n = 2**exponent
        runs = {}
        for resamples in (0, 100):
            runs[resamples] = (measure(functools.partial(ours, n, resamples)),
                               measure(functools.partial(salib, n, resamples)))
        (_, _, mine), (_, _, theirs) = runs[100]
        agree = all(np.all(np.abs(mine[i] - theirs[i]) <= mine[i + 2] + theirs[i + 2])
                    for i in (0, 1))
        for resamples, ((t_ours, m_ours, r_ours), (t_sa, m_sa, r_sa)) in runs.items():
            rows.append([f"2^{exponent}", str(resamples), f"{t_ours * 1e3:.1f}",
                         f"{t_sa * 1e3:.1f}", f"{t_sa / t_ours:.1f}x", f"{m_ours:.1f}",
                         f"{m_sa:.1f}", " ".join(f"{v:.3f}" for v in r_ours[1]),
                         " ".join(f"{v:.3f}" for v in r_sa[1]), "yes" if agree else "NO"])
    return rows


def evaluator_rows(n: int = 1_000_000, design: int = 1 << 14) -> list[list[str]]:
    """Samples per second of the compiled evaluator on random rows, and on the pick-freeze rows
    of a Sobol design: the stacked matrix evaluated whole, against `Compiled.pick_freeze`."""
    import thesis
    from thesis.run import compile_for

    company = thesis.load_company(CASEBOOK)
    rows = []
    for name in ("moat", "thesis"):
        compiled = compile_for(company, thesis.load_scorecard(name))
        k = len(compiled.inputs)
        rng = np.random.default_rng(0)
        x = compiled.draw(rng.random((n, k)))
        seconds, peak, _ = measure(functools.partial(compiled.composite, x))
        rows.append([name, str(k), f"{n:,} random rows", f"{seconds * 1e3:.0f}",
                     f"{n / seconds / 1e6:.2f}", f"{peak:.0f}"])
        del x
        a, b = (compiled.draw(rng.random((design, k))) for _ in range(2))
        mixed = design * (k + 1)
        stacked = functools.partial(_stacked_outputs, compiled, a, b)
        for how, action in (("stacked matrix", stacked),
                            ("pick_freeze", functools.partial(compiled.pick_freeze, a, b))):
            seconds, peak, _ = measure(action)
            rows.append([name, str(k), f"{mixed:,} pick-freeze rows, {how}",
                         f"{seconds * 1e3:.0f}", f"{mixed / seconds / 1e6:.2f}", f"{peak:.0f}"])
    return rows


def _stacked_outputs(compiled: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The pick-freeze rows' outputs the way they were computed before `Compiled.pick_freeze`:
    the stacked matrix built and evaluated whole."""
    from thesis.engine.sensitivity import pick_freeze

    return np.asarray(compiled.composite(pick_freeze(a, b)[len(a):]))


def fit_seconds() -> float:
    from thesis.engine.retention import fit_sbg

    curve = [1.0, 0.82, 0.74, 0.71, 0.70, 0.69, 0.685, 0.68, 0.676, 0.672, 0.67, 0.668, 0.666]
    fit_sbg(curve)
    return min(timeit.repeat(functools.partial(fit_sbg, curve), number=20, repeat=3)) / 20


def wall(command: list[str], runs: int = 5, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def launch(args: list[str]) -> list[str]:
    """`thesis ARGS` as the installed executable runs it."""
    return [sys.executable, "-c", "from thesis.launch import main; main()", *args]


@contextlib.contextmanager
def served() -> Iterator[dict[str, str]]:
    """The environment of a caller with a warm server running, in a private folder of its own."""
    from thesis import server

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "THESIS_SERVER_DIR": folder, "THESIS_SERVER": "on"}
        os.environ.update(env)
        try:
            if server.start() is None:
                raise RuntimeError("the server did not start")
            wall(launch(["score", str(CASEBOOK)]), 3, env)  # its first runs
            yield env
        finally:
            server.stop()
            del os.environ["THESIS_SERVER_DIR"], os.environ["THESIS_SERVER"]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main() -> None:
    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    out = [f"# Benchmarks\n\n{platform.platform()}, Python {platform.python_version()}, "
           f"numpy {np.__version__}, {os.cpu_count()} cores, OMP_NUM_THREADS={threads}. "
           "Command: `python benchmarks/run.py`.\n"]
    from importlib.metadata import version

    out.append(f"## Sobol indices of Ishigami: thesis vs SALib {version('SALib')}\n\n"
               "Equal model evaluations, N (k + 2) = 5 N. Times: best of 3, ms. Memory: peak "
               "traced MB. Rows '0': no intervals (ours: one scramble; SALib always bootstraps, "
               "so 1 resample). Rows '100': ours with 8 replicates and a t-interval, SALib "
               "with 100 bootstrap resamples. 'agree': every index within the two methods' 95% "
               "half-widths combined."
               f" Analytic ST: {' '.join(f'{v:.4f}' for v in ISHIGAMI_ST)}.\n")
    out.append(table(["N", "resamples", "thesis ms", "SALib ms", "speed-up", "thesis MB",
                      "SALib MB", "thesis ST", "SALib ST", "agree"], sobol_rows()))
    out.append("\n\n## Compiled evaluator, one core\n")
    out.append(table(["scorecard", "inputs", "samples", "ms", "M samples/s", "peak MB"],
                     evaluator_rows()))
    out.append("\n\n## Cohort retention\n")
    out.append(table(["what", "ms"], [[
        "fit_sbg on a 12-period survival curve (best of 3 x 20)", f"{fit_seconds() * 1e3:.1f}"]]))
    examples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*/*.yaml"))
    commands = [
        ("thesis score examples/companies/casebook.yaml (4,096 Sobol samples, indices, "
         "report)", ["score", str(CASEBOOK)]),
        ("the same with --samples 0 (base case)", ["score", str(CASEBOOK), "--samples", "0"]),
        ("thesis --version", ["--version"]),
        (f"thesis validate, all {len(examples)} examples", ["validate", *examples]),
    ]
    floors = [
        ("python -c 'import numpy, pydantic, typer' (the libraries' floor)",
         ["-c", "import numpy, pydantic, typer"]),
        ("python -c 'pass' (interpreter start)", ["-c", "pass"]),
    ]
    off = {**os.environ, "THESIS_SERVER": "off"}
    out.append("\n\n## Command line (median of 7 runs, process start included)\n\n"
               "Through the `thesis` executable's entry point (`thesis.launch`): in-process "
               "(THESIS_SERVER=off), and answered by a warm resident server (`thesis server "
               "start`; see `thesis.server`).\n")
    with served() as env:
        rows = [[what, f"{wall(launch(args), 7, off):.3f}", f"{wall(launch(args), 7, env):.3f}"]
                for what, args in commands]
    rows += [[what, f"{wall([sys.executable, *args], 7, off):.3f}", ""] for what, args in floors]
    out.append(table(["what", "in-process s", "served s"], rows))
    text = "\n".join(out) + "\n"
    print(text)
    (ROOT / "benchmarks" / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
