"""Uniform designs for Monte Carlo: scrambled Sobol points (thesis.engine.qmc) by default, plain
random on request.

Every input is drawn from a uniform through its inverse CDF (`Input.draw`), so one (N x k)
matrix of uniforms is all the engine needs. Seeds are `numpy.random.SeedSequence`-based, so a
seed gives identical output on any machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from thesis.engine.qmc import sobol_points
from thesis.models.distributions import Array

Method = Literal["sobol", "random"]
SeedLike = int | np.random.Generator | np.random.SeedSequence | None
EDGE = 1e-12
"""Uniforms are kept inside (EDGE, 1 - EDGE) so unbounded inverse CDFs stay finite."""


def generator(seed: SeedLike) -> np.random.Generator:
    """A numpy Generator from an int, a SeedSequence, a Generator (used as is) or None."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


@dataclass(frozen=True)
class Design:
    """N points in the k-dimensional unit cube, and how they were made."""

    points: Array
    method: Method
    requested: int

    @property
    def n(self) -> int:
        return int(self.points.shape[0])

    @property
    def note(self) -> str:
        """What a report should say about the sample count, e.g. rounding to a power of two."""
        if self.n == self.requested:
            return f"{self.n:,} {self.method} samples"
        return (f"{self.n:,} {self.method} samples ({self.requested:,} requested, rounded up to a "
                f"power of two as Sobol points need)")


def power_of_two(n: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(n, 1))))


def uniform_design(n: int, k: int, seed: SeedLike, method: Method = "sobol") -> Design:
    """N x k uniforms: scrambled Sobol (N rounded up to a power of two) or plain random."""
    if n < 1:
        raise ValueError("need at least one sample")
    rng = generator(seed)
    if k == 0:
        return Design(np.empty((n, 0)), method, n)
    if method == "random":
        points = rng.random((n, k))
    else:
        points = sobol_points(int(math.log2(power_of_two(n))), k, rng=rng)
    return Design(np.clip(points, EDGE, 1.0 - EDGE, out=points), method, n)
