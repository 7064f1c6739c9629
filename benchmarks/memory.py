"""Peak memory and wall time of `analyse` on the casebook, as the sample count grows.

    python benchmarks/memory.py                      # 4,096 / 100,000 / 1,000,000 samples
    python benchmarks/memory.py 4096 20000           # other sample counts

Each count runs in a fresh subprocess that loads examples/companies/casebook.yaml, compiles the
`thesis` scorecard and runs `thesis.engine.analysis.analyse` once (scrambled Sobol, seed 0,
the default replicates). The parent reads the child's peak resident set size from `os.wait4`,
so the figure is the whole process: interpreter, imports, the loaded company and the analysis. A
first row with 0 samples stops before `analyse`: the floor every run pays. Prints a markdown
table; the library is used directly, not the command line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASEBOOK = ROOT / "examples" / "companies" / "casebook.yaml"
SAMPLES = (4_096, 100_000, 1_000_000)


def child(samples: int) -> None:
    """Load, compile and analyse once; print the design size and the seconds `analyse` took."""
    from thesis.engine.analysis import analyse
    from thesis.engine.compile import compile_scorecard
    from thesis.files.load import load_company, load_scorecard
    from thesis.subjects import context, input_space

    company = load_company(CASEBOOK)
    compiled = compile_scorecard(load_scorecard("thesis"), input_space(company), context(company))
    n, seconds = 0, 0.0
    if samples > 0:
        start = time.perf_counter()
        result = analyse(compiled, samples=samples, seed=0, method="sobol")
        seconds = time.perf_counter() - start
        n = result.n
    print(json.dumps({"n": n, "k": len(compiled.inputs), "seconds": seconds}))


def measure(samples: int) -> dict[str, float]:
    """Run `child(samples)` in a subprocess; its output and its peak RSS in MB."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(samples)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{samples:,} samples: the child exited with {proc.returncode}")
    result: dict[str, float] = json.loads(out)
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS
    scale = 2**20 if sys.platform == "darwin" else 2**10
    result["peak_mb"] = usage.ru_maxrss / scale
    return result


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        child(int(argv[1]))
        return
    counts = [int(a.replace(",", "").replace("_", "")) for a in argv] or list(SAMPLES)
    rows = ["| samples | N | k | analyse (s) | peak RSS (MB) |", "|---:|---:|---:|---:|---:|"]
    print("\n".join(rows), flush=True)
    for samples in [0, *counts]:
        r = measure(samples)
        row = (f"| {samples:,} | {int(r['n']):,} | {int(r['k'])} | {r['seconds']:.2f} "
               f"| {r['peak_mb']:.0f} |")
        rows.append(row)
        print(row, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
