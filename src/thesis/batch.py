"""Score many subjects at once, on any `concurrent.futures.Executor`, reproducibly.

    from concurrent.futures import ProcessPoolExecutor
    from thesis.batch import score_many

    with ProcessPoolExecutor() as pool:
        scored = score_many(["a.yaml", "b.yaml", company], samples=4096, seed=7, executor=pool)
    [s.result.score for s in scored if s.result is not None]

The executor schedules; this module only submits one task a subject and reads the results back
in input order. A Dask cluster (`distributed.Client().get_executor()`) or any other
`Executor` works alike: tasks are module-level functions and picklable data. Each worker process
reads the shipped scorecards once (they are cached per process), so a pool pays that start-up
once per worker, not per subject.

Reproducible whatever runs it: each subject is scored with its own seed, derived from the batch
seed and the subject's name through `numpy.random.SeedSequence` (`seed_for`), so the same batch
seed gives the same results with or without an executor, on any number of workers, in any
order, and a subject keeps its seed when others join or leave the batch. `thesis score FILE
--seed S`, with S the seed a result reports, reproduces it alone.

One subject that cannot be scored (a file that does not load, a scorecard for the other kind)
does not stop the others: its `Scored` holds the located error lines instead of a result.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from thesis.defaults import DEFAULT_SAMPLES
from thesis.engine.compile import Unknowns
from thesis.engine.sampling import Method
from thesis.errors import InputError, PlausibilityWarning, Problem, UserError
from thesis.files.load import load, load_scorecard
from thesis.models.scorecard import Scorecard
from thesis.result import Result
from thesis.run import Progress, score
from thesis.subjects import Subject

T = TypeVar("T")
Item = Subject | str | Path
"""A subject to score: loaded, or the path of its YAML file (then loaded by the worker)."""


MALLOC_TRIM_THRESHOLD, MALLOC_MMAP_THRESHOLD = -1, -3
"""glibc's `mallopt` parameters (malloc.h)."""


def keep_freed_memory() -> None:
    """Have glibc keep the memory a score frees, for the next one to reuse.

    A score at 4,096 samples allocates and frees arrays of a few MB many times over. By default
    glibc maps each large one afresh and returns it when freed, so each use faults its pages in
    again: about 1,700 page faults and 4 ms of system time a subject, a tenth of its time
    (`benchmarks/batch.md`). With the thresholds raised, freed memory is reused, and a process
    holds no more than its working set (the peak resident size is unchanged). Processes forked
    afterwards (a batch's workers, the server's runs) inherit it. Does nothing where the C
    library is not glibc."""
    import ctypes

    try:
        os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError):
        return
    libc = ctypes.CDLL(None)
    libc.mallopt(MALLOC_TRIM_THRESHOLD, 256 << 20)
    libc.mallopt(MALLOC_MMAP_THRESHOLD, 32 << 20)  # glibc's largest on 64 bits


@dataclass(frozen=True)
class Scored(Generic[T]):
    """One subject of a batch: its result, or the lines saying why it has none."""

    source: str
    """Where the subject came from: its file as named, a pipeline's `file.csv:row`, or, for a
    subject built in Python, its name."""
    result: T | None
    seed: int | None = None
    """The seed it was scored with (`seed_for` the batch seed and its name)."""
    errors: tuple[str, ...] = ()
    """Why it was not scored, one located line each (`file:line:col: field: message`)."""
    warnings: tuple[Problem, ...] = ()
    """Numbers of its file outside their plausible range (also emitted as warnings)."""


@dataclass(frozen=True)
class _Options:
    scorecard: Scorecard | None
    samples: int
    seed: int
    method: Method
    unknowns: Unknowns
    brief: bool


def seed_for(seed: int, name: str) -> int:
    """The seed a subject named `name` is scored with in a batch seeded `seed`: the first word
    of `SeedSequence(seed, spawn_key=(a 64-bit hash of the name,))`, so subjects get independent
    streams and a name always gets the same one."""
    key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return int(np.random.SeedSequence(seed, spawn_key=(key,)).generate_state(1)[0])


def score_many(subjects: Iterable[Item], scorecard: Scorecard | str | Path | None = None, *,
               samples: int = DEFAULT_SAMPLES, seed: int = 0, method: Method = "sobol",
               unknowns: Unknowns = "prior", executor: Executor | None = None,
               progress: Progress | None = None, brief: bool = False
               ) -> list[Scored[Result]]:
    """Score every subject (or YAML path) as `thesis.score` would, each with its own seed
    (`seed_for`), on `executor` if given, else here one after another; results in input order.

    `scorecard` is read once, here, and sent to the workers; by default each subject gets its
    kind's own. `progress`, if given, is called with (subjects done, subjects in all). A path's
    implausible numbers are emitted as `thesis.PlausibilityWarning`s, as `thesis.load` does.
    `brief=True` scores each as `thesis.score(..., brief=True)`: what a ranking shows, only.
    """
    return score_each(subjects, _whole, scorecard, samples=samples, seed=seed, method=method,
                      unknowns=unknowns, executor=executor, progress=progress, brief=brief)


def score_each(subjects: Iterable[Item], keep: Callable[[Result], T],
               scorecard: Scorecard | str | Path | None = None, *,
               samples: int = DEFAULT_SAMPLES, seed: int = 0, method: Method = "sobol",
               unknowns: Unknowns = "prior", executor: Executor | None = None,
               progress: Progress | None = None, brief: bool = False) -> list[Scored[T]]:
    """`score_many`, keeping only `keep(result)` of each result, computed where it was scored:
    a large batch then sends back and holds what it needs, not every full report. `keep` must
    be picklable (a module-level function) to run on a process pool."""
    card = load_scorecard(scorecard) if isinstance(scorecard, str | Path) else scorecard
    options = _Options(card, samples, seed, method, unknowns, brief)
    task = functools.partial(_score_one, options=options, keep=keep)
    items = list(subjects)
    done: list[Scored[T]]
    if executor is None:
        done = []
        for item in items:
            done.append(task(item))
            if progress is not None:
                progress(len(done), len(items))
    else:
        futures = [executor.submit(task, item) for item in items]
        try:
            for count, future in enumerate(as_completed(futures), start=1):
                future.result()  # a bug in one task stops the batch now, not at the end
                if progress is not None:
                    progress(count, len(items))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        done = [future.result() for future in futures]
    for scored in done:
        for problem in scored.warnings:
            warnings.warn(PlausibilityWarning(problem), stacklevel=3)
    return done


def _whole(result: Result) -> Result:
    return result


def _score_one(item: Item, options: _Options, keep: Callable[[Result], T]) -> Scored[T]:
    """One subject, loaded if need be and scored with its own seed; user errors caught."""
    source = _source(item)
    try:
        subject, found = _loaded(item)
        seed = seed_for(options.seed, subject.name)
        result = score(subject, options.scorecard, samples=options.samples, seed=seed,
                       method=options.method, unknowns=options.unknowns, brief=options.brief)
    except InputError as exc:
        return Scored(source, None, errors=tuple(exc.lines()))
    except UserError as exc:
        return Scored(source, None, errors=(f"{source}: {exc}",))
    return Scored(source, keep(result), seed, warnings=found)


def _source(item: Item) -> str:
    if isinstance(item, str | Path):
        return str(item)
    return item.origin.path if item.origin is not None else item.name


_LOADING = threading.Lock()
"""Warning filters are process-wide: tasks that share a process (a thread pool, a Dask worker)
load one at a time, so each records its own file's warnings. Loading holds the GIL anyway."""


def _loaded(item: Item) -> tuple[Subject, tuple[Problem, ...]]:
    """The subject, and its file's plausibility warnings, sent back to be emitted by the caller
    (a worker process has no terminal to show them on)."""
    if not isinstance(item, str | Path):
        return item, ()
    with _LOADING, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlausibilityWarning)
        subject = load(item)
    for w in caught:
        if not isinstance(w.message, PlausibilityWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return subject, tuple(w.message.problem for w in caught
                          if isinstance(w.message, PlausibilityWarning))
