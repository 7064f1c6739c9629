"""Wall time and peak memory of `thesis batch` on a folder of company files and a pipeline CSV.

    python benchmarks/batch.py                          # 1,000 companies, default samples
    python benchmarks/batch.py --samples 4096 256       # each sample count in turn
    python benchmarks/batch.py --count 10000 --samples 256 --jobs 2
    python benchmarks/batch.py --own-cohorts --no-csv   # no two companies share a cohort fit

Writes, in a temporary folder, `--count` company files made from the shipped examples with
varied values (every yes/no input redrawn, every number scaled by 0.7-1.3 within its domain,
one name each) plus one file that does not validate, and the same companies as one pipeline
CSV in the compact syntax (without cohorts, which a cell cannot hold). The companies with cohorts
share the examples' curves, so a process fits six curves in all, unless `--own-cohorts` gives
each its own. Then runs `python -m thesis batch` on each, with each `--samples` and `--jobs`
asked for, as a subprocess with an empty cache: wall time, CPU time and the peak resident set
size of the largest process (the parent or one worker, from `os.wait4`). Also times one
subject's parts in this process (loading, scoring at the first sample count and at 0) to show
what dominates. Prints a markdown report and writes it to benchmarks/batch.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from thesis.models.distributions import InputKind

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "companies"
MARKETS = ROOT / "examples" / "markets"
BROKEN = "name: Broken\nlayer: application\nmoat:\n  customer_trust: 1.5\n"


def vary(data: dict[str, Any], rng: random.Random, prefix: str = "") -> dict[str, Any]:
    """A copy of a company's data with every yes/no input redrawn and every number scaled."""
    from thesis.files.pipeline import columns

    kinds = columns()
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        kind = kinds.get(path)
        if kind is not None and kind.kind == "evidence":
            value = round(rng.uniform(0.0, 1.0), 2)
        elif kind is not None and kind.kind == "number":
            factor = rng.uniform(0.7, 1.3)
            value = ({k: v if k in ("alpha", "beta") else scaled(v, factor, kind)
                      for k, v in value.items()}
                     if isinstance(value, dict) else scaled(value, factor, kind))
        elif isinstance(value, dict) and kind is None:
            value = vary(value, rng, f"{path}.")
        out[key] = value
    return out


def scaled(x: float, factor: float, kind: InputKind) -> float:
    """x times factor, kept in the field's domain, to 4 significant figures."""
    return float(f"{min(max(x * factor, kind.low), kind.high):.4g}")


def companies(count: int, seed: int = 0, cohorts: bool = False) -> list[dict[str, Any]]:
    """`count` valid companies varied from the shipped examples (a variation that does not
    validate keeps the example's values); with `cohorts`, each company's cohort curves are
    its own too (each month's share raised to a power in 0.8-1.25), so no two share a fit."""
    from pydantic import ValidationError

    from thesis.files.yaml import load
    from thesis.models.company import Company

    templates = [load(p).data for p in sorted(EXAMPLES.glob("*.yaml"))]
    for data in templates:
        if "market" in data:
            data["market"] = str((EXAMPLES / data["market"]).resolve())
    rng = random.Random(seed)
    out = []
    for i in range(count):
        template = templates[i % len(templates)]
        data = vary(template, rng)
        if cohorts and "engagement" in data and data["engagement"].get("cohorts"):
            power = rng.uniform(0.8, 1.25)
            data["engagement"] = {**data["engagement"], "cohorts": [
                {**c, "active": [round(a**power, 4) for a in c["active"]]}
                for c in data["engagement"]["cohorts"]]}
        try:
            Company.model_validate(data)
        except ValidationError:
            data = dict(template)
        data["name"] = f"{template['name']} #{i:05d}"
        out.append(data)
    return out


def compact(value: Any) -> str:
    """A YAML value as a pipeline cell (the syntax of thesis.files.pipeline)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if set(value) in ({"low", "high"}, {"low", "mode", "high"}):
            return "..".join(str(value[k]) for k in ("low", "mode", "high") if k in value)
        return ";".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def cells(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    from thesis.files.pipeline import columns

    out: dict[str, str] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if path in columns():
            out[path] = compact(value)
        elif isinstance(value, dict):
            out.update(cells(value, f"{path}."))
    return out


def write_inputs(folder: Path, count: int, cohorts: bool = False) -> tuple[Path, Path]:
    """The folder of company files (one broken) and the pipeline CSV, written under `folder`."""
    import csv

    from thesis.files.pipeline import columns

    files = folder / "companies"
    files.mkdir()
    made = companies(count, cohorts=cohorts)
    for i, data in enumerate(made):
        # JSON is YAML: no YAML writer needed
        (files / f"company-{i:05d}.yaml").write_text(json.dumps(data), encoding="utf-8")
    (files / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    rows = [cells(data) for data in made]
    header = [c for c in columns() if any(c in row for row in rows)]
    pipeline = folder / "pipeline.csv"
    with pipeline.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return files, pipeline


def run_batch(target: Path, jobs: int, samples: int, out: Path) -> dict[str, float]:
    """`thesis batch` in a subprocess: wall and CPU seconds, peak RSS (MB) of its largest
    process, and how many rows it ranked."""
    command = [sys.executable, "-m", "thesis", "batch", str(target), "--jobs", str(jobs),
               "--samples", str(samples), "-f", "csv", "-o", str(out)]
    cache = tempfile.mkdtemp()  # cold: no fit or parsed scorecard from an earlier run
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "THESIS_CACHE_DIR": cache})
    assert proc.stderr is not None
    errors = proc.stderr.read()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    shutil.rmtree(cache, ignore_errors=True)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2):
        raise RuntimeError(f"{' '.join(command)} exited {code}: {errors}")
    scale = 2**20 if sys.platform == "darwin" else 2**10  # ru_maxrss: bytes on macOS, else kB
    ranked = len(out.read_text(encoding="utf-8").splitlines()) - 1  # one line a row
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / scale, "ranked": ranked, "load": os.getloadavg()[0],
            "failed": sum(not line.startswith("warning:") for line in errors.splitlines())}


def parts(samples: int) -> list[str]:
    """One subject's costs in this process, median over the shipped examples (warm caches)."""
    import thesis

    paths = sorted(EXAMPLES.glob("*.yaml"))
    thesis.score(thesis.load(paths[0]), samples=samples)  # the one-off start-up
    load, scored, base = [], [], []
    for path in paths:
        start = time.perf_counter()
        subject = thesis.load(path)
        load.append(time.perf_counter() - start)
        start = time.perf_counter()
        thesis.score(subject, samples=samples)
        scored.append(time.perf_counter() - start)
        start = time.perf_counter()
        thesis.score(subject, samples=0)
        base.append(time.perf_counter() - start)
    return ["| part | median s |", "|---|---:|",
            f"| load a company file | {statistics.median(load):.3f} |",
            f"| `thesis.score` at {samples:,} samples | {statistics.median(scored):.3f} |",
            f"| `thesis.score` at 0 samples (base case, lenses, positions) "
            f"| {statistics.median(base):.3f} |"]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--samples", type=int, nargs="+", default=[4096])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-csv", action="store_true", help="time the folder only")
    parser.add_argument("--own-cohorts", action="store_true",
                        help="give every company cohort curves of its own (a fit each)")
    args = parser.parse_args(argv)
    lines = [f"# `thesis batch`\n\n{platform.platform()}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores, load average before {os.getloadavg()[0]:.1f} (the "
             "machine is shared: 'load after' is the 1-minute load average as each run ended, "
             "ours included). Command: "
             f"`{' '.join(['python benchmarks/batch.py', *argv])}`.\n",
             f"{args.count:,} companies varied from the shipped examples, seed 0"
             + (", each with cohort curves of its own (one fit each)" if args.own_cohorts else
                ", those with cohorts sharing the examples' six curves (six fits in all)")
             + ". Folder: one file each plus one broken file. Pipeline: the same companies as "
             "one CSV, without cohorts. Each run starts with an empty cache (`THESIS_CACHE_DIR`)."
             " Peak RSS: the largest process.\n",
             "| input | samples | jobs | ranked | failed | wall s | per subject ms | CPU s "
             "| peak RSS MB | load after |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        files, pipeline = write_inputs(Path(tmp), args.count, args.own_cohorts)
        targets = [("folder", files)] + ([] if args.no_csv else [("pipeline CSV", pipeline)])
        for samples in args.samples:
            for (label, target), jobs in itertools.product(targets, args.jobs):
                r = run_batch(target, jobs, samples, Path(tmp) / "ranked.csv")
                row = (f"| {label} | {samples:,} | {jobs} | {int(r['ranked']):,} "
                       f"| {int(r['failed'])} | {r['wall']:.1f} "
                       f"| {1000 * r['wall'] / args.count:.0f} | {r['cpu']:.1f} "
                       f"| {r['peak_mb']:.0f} | {r['load']:.1f} |")
                lines.append(row)
                print(row, flush=True)
    lines += ["", "One subject's parts, in one process after the start-up:", "",
              *parts(args.samples[0])]
    print("\n".join(lines[-6:]))
    (ROOT / "benchmarks" / "batch.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
