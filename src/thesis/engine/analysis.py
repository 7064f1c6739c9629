"""How sure is a score, and what does it hinge on: Monte Carlo over a compiled scorecard.

One Saltelli design (see `thesis.engine.sensitivity`) serves everything: its first N rows are the
Monte Carlo sample of the score (scrambled Sobol by default, in independently scrambled
replicates that give the indices' intervals), and all N (k + 2) rows give the Sobol indices that
rank which inputs' uncertainty matters to the score, and the share of the verdict's uncertainty
that learning each input would settle (what to diligence next). The stage of the cycle is read
from the same first N rows, so stage and verdict probabilities always describe one sample,
whatever the seed's type.

The tornado is one more evaluation: each input alone swings between two values, the others at
their base case. A number runs from its P10 to its P90. A yes/no input runs from no to yes
whenever it is uncertain (0 < p < 1): its P10 and P90 are equal when p >= 0.9 or p <= 0.1, which
would hide a confident but decisive piece of evidence. A category runs from its lowest- to its
highest-scoring possible choice, whatever their listing order. Numbers only: the words are the
report's.

The design is made, drawn and evaluated a block of rows at a time (`saltelli_outputs`), so
memory is flat in N apart from the N (k + 2) outputs, the N scores and the N stages; the results
do not depend on the block size. The engine prints nothing: `progress` hears about each block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from thesis.defaults import DEFAULT_SAMPLES
from thesis.engine.compile import Compiled, Evaluation
from thesis.engine.sampling import REPLICATES, DesignStream, Method, SeedLike
from thesis.engine.sensitivity import (
    CONFIDENCE,
    EVALUATION_ROWS,
    Progress,
    Settling,
    SobolIndices,
    Swing,
    indices_from_outputs,
    saltelli_outputs,
    settling,
    tornado,
)
from thesis.engine.space import Input
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
    """Every input's one-at-a-time swing (`swing_values`), the others at their base case;
    largest first."""
    settling: Settling
    """How much of the verdict's uncertainty learning each input would settle."""
    evaluations: int = 0
    """Rows the scorecard was evaluated on: N (k + 2) for the design, and the base case and the
    tornado's rows (`swing_values`: two per number or uncertain yes/no, one per possible
    choice of a category)."""

    @property
    def n(self) -> int:
        return len(self.scores)


def verdict_index(card: Scorecard, scores: Array) -> Array:
    """Index into `card.verdicts` (highest band first) for each score: the number of bands
    whose min the score is below."""
    ascending = np.array(sorted(v.min for v in card.verdicts))
    index: Array = (len(ascending) - np.searchsorted(ascending, scores, side="right")).astype(
        np.intp)
    return index


def swing_values(inp: Input) -> tuple[Array, bool]:
    """The values an input's tornado bar swings between, and whether its ends are the lowest-
    and highest-scoring of them (a category's possible choices) rather than the first and last
    (a number's P10 and P90; no and yes; the one value of certain evidence)."""
    if inp.kind == "evidence":
        p = inp.probability
        return (np.array([0.0, 1.0]) if 0.0 < p < 1.0 else np.array([p])), False
    if inp.kind == "category":
        return np.flatnonzero(np.asarray(inp.weights) > 0).astype(float), True
    return np.array([inp.quantile(TORNADO_LOW), inp.quantile(TORNADO_HIGH)]), False


Observer = Callable[[Array, Evaluation], None]
"""Hears each block of the Monte Carlo sample: its input values and their full evaluation."""


def analyse(compiled: Compiled, *, samples: int = DEFAULT_SAMPLES, seed: SeedLike = 0,
            method: Method = "sobol", replicates: int = REPLICATES,
            confidence: float = CONFIDENCE, progress: Progress | None = None,
            block_rows: int = EVALUATION_ROWS, observe: Observer | None = None) -> Analysis:
    """The score's sample, its stages, Sobol indices with `confidence` intervals across
    `replicates` independently scrambled runs (fewer for few samples), and the tornado.

    The N (k + 2) rows of the design are evaluated about `block_rows` at a time (the results do
    not depend on it), and `progress(done, total)` is called after each block with the rows
    evaluated so far and N (k + 2); the intervals and the tornado follow the last block.
    `observe`, if given, hears every block of the N sample rows with its full evaluation (every
    factor's score), for what is read per sample beyond the score (the sources' stances).
    """
    k = len(compiled.inputs)
    design = DesignStream(samples, 2 * k, seed, method, replicates)
    n = design.n
    stages = np.empty(n) if compiled.has_stages else None

    def sample(start: int, values: Array) -> Array:
        if observe is None:
            composite, stage = compiled.composite_and_stage(values)
        else:
            evaluation = compiled(values)
            observe(values, evaluation)
            composite, stage = evaluation.composite, evaluation.stage
        if stages is not None and stage is not None:
            stages[start : start + len(values)] = stage
        return composite

    outputs = saltelli_outputs(compiled.composite, compiled.draw, design, sample=sample,
                               mixed=compiled.pick_freeze, block_rows=block_rows,
                               progress=progress)
    names = compiled.names
    indices = indices_from_outputs(names, outputs, n, replicates=design.replicates,
                                   confidence=confidence,
                                   seed=seed if isinstance(seed, int) else None)
    verdicts = settling(names, verdict_index(compiled.scorecard, outputs), n,
                        replicates=design.replicates, confidence=confidence)
    scores = outputs[:n].copy()
    del outputs
    base = compiled.base_case()
    values, ranked = zip(*map(swing_values, compiled.inputs), strict=True) if k else ((), ())
    swings = tornado(compiled.composite, base[0], values, names, ranked)
    return Analysis(requested=samples, method=method, scores=scores, stages=stages,
                    base_score=float(compiled.composite(base)[0]), indices=indices,
                    tornado=swings, settling=verdicts,
                    evaluations=n * (k + 2) + 1 + sum(len(v) for v in values))
