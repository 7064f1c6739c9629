"""How sure is a score, and what does it hinge on: Monte Carlo over a compiled scorecard.

One Saltelli design (see `thesis.engine.sensitivity`) serves everything: its first N rows are the
Monte Carlo sample of the score (scrambled Sobol by default), and all N (k + 2) rows give the
Sobol indices that rank which inputs' uncertainty matters. The stage of the cycle is read from
the same first N rows, so stage and verdict probabilities always describe one sample. The
P10-P90 tornado is one more evaluation of 2k rows. Numbers only: the words are the report's.

The design is made, drawn and evaluated a block of rows at a time (`saltelli_outputs`), so
memory is flat in N apart from the N (k + 2) outputs, the N scores and the N stages; the results
do not depend on the block size. The engine prints nothing: `progress` hears about each block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thesis.defaults import DEFAULT_SAMPLES
from thesis.engine.compile import Compiled
from thesis.engine.sampling import DesignStream, Method, SeedLike
from thesis.engine.sensitivity import (
    EVALUATION_ROWS,
    Progress,
    SobolIndices,
    Swing,
    indices_from_outputs,
    quantiles,
    saltelli_outputs,
    tornado,
)
from thesis.models.distributions import Array
from thesis.models.scorecard import Scorecard

TORNADO_LOW, TORNADO_HIGH = 0.1, 0.9


@dataclass(frozen=True)
class Analysis:
    """The Monte Carlo sample of one scorecard over one subject's inputs, and its sensitivity."""

    requested: int
    method: Method
    scores: Array
    """The composite of each of the N samples."""
    stages: Array | None
    """The stage index of each of the same N samples; None if the scorecard has no stages."""
    base_score: float
    indices: SobolIndices
    tornado: list[Swing]
    """Every input from its P10 to its P90, the others at their base case; largest first."""
    evaluations: int = 0
    """Rows the scorecard was evaluated on: N (k + 2) for the design, 2k for the tornado and
    one for the base case."""

    @property
    def n(self) -> int:
        return len(self.scores)


def verdict_index(card: Scorecard, scores: Array) -> Array:
    """Index into `card.verdicts` (highest band first) for each score."""
    mins = np.array([v.min for v in card.verdicts])
    index: Array = np.sum(scores[:, np.newaxis] < mins[np.newaxis, :], axis=1)
    return index


def analyse(compiled: Compiled, *, samples: int = DEFAULT_SAMPLES, seed: SeedLike = 0,
            method: Method = "sobol", bootstrap: int = 100, progress: Progress | None = None,
            block_rows: int = EVALUATION_ROWS) -> Analysis:
    """The score's sample, its stages, Sobol indices and the tornado.

    The N (k + 2) rows of the design are evaluated about `block_rows` at a time (the results do
    not depend on it), and `progress(done, total)` is called after each block with the rows
    evaluated so far and N (k + 2); the bootstrap and the tornado follow the last block.
    """
    k = len(compiled.inputs)
    design = DesignStream(samples, 2 * k, seed, method)
    n = design.n
    stages = np.empty(n) if compiled.has_stages else None

    def sample(start: int, values: Array) -> Array:
        composite, stage = compiled.composite_and_stage(values)
        if stages is not None and stage is not None:
            stages[start : start + len(values)] = stage
        return composite

    outputs = saltelli_outputs(compiled.composite, compiled.draw, design, sample=sample,
                               block_rows=block_rows, progress=progress)
    names = compiled.names
    indices = indices_from_outputs(names, outputs, n, bootstrap=bootstrap, confidence=0.95,
                                   rng=design.rng, seed=seed if isinstance(seed, int) else None)
    scores = outputs[:n].copy()
    del outputs
    base = compiled.base_case()
    draws = [inp.draw for inp in compiled.inputs]
    swings = tornado(compiled.composite, base[0], quantiles(draws, TORNADO_LOW),
                     quantiles(draws, TORNADO_HIGH), names)
    return Analysis(requested=samples, method=method, scores=scores, stages=stages,
                    base_score=float(compiled.composite(base)[0]), indices=indices,
                    tornado=swings, evaluations=n * (k + 2) + 2 * k + 1)
