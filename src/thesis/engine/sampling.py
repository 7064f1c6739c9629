"""Uniform designs for Monte Carlo: scrambled Sobol points (thesis.engine.qmc) by default, plain
random on request.

Every input is drawn from a uniform through its inverse CDF (`Input.draw`), so one (N x k)
matrix of uniforms is all the engine needs. Seeds are `numpy.random.SeedSequence`-based, so a
seed gives identical output on any machine.

A `DesignStream` gives that matrix block by block, in flat memory however large N is: Sobol
rows are computed for any range of rows from one scramble drawn up front, random rows are drawn
in order from the generator. Either way the blocks put together are bit-identical to the whole
matrix made at once (`uniform_design`), so results do not depend on the block size.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from thesis.engine.qmc import SobolSequence
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


def _note(n: int, requested: int, method: Method) -> str:
    if n == requested:
        return f"{n:,} {method} samples"
    return (f"{n:,} {method} samples ({requested:,} requested, rounded up to a power of two as "
            f"Sobol points need)")


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
        return _note(self.n, self.requested, self.method)


def power_of_two(n: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(n, 1))))


class DesignStream:
    """The N x k uniforms of a design, made block by block: scrambled Sobol (N rounded up to a
    power of two) or plain random.

    Making the stream draws the Sobol scramble from the generator; random rows are drawn from it
    as they are asked for, so they must be asked for in order, and whatever else uses the same
    generator afterwards (a bootstrap) must wait until the last block is drawn.
    """

    def __init__(self, n: int, k: int, seed: SeedLike, method: Method = "sobol") -> None:
        if n < 1:
            raise ValueError("need at least one sample")
        self.requested = n
        self.k = k
        self.method: Method = method
        self._rng = generator(seed)
        self._sobol: SobolSequence | None = None
        self._next = 0
        if k > 0 and method == "sobol":
            n = power_of_two(n)
            self._sobol = SobolSequence.make(k, self._rng)
        self.n = n

    @property
    def note(self) -> str:
        """What a report should say about the sample count, e.g. rounding to a power of two."""
        return _note(self.n, self.requested, self.method)

    @property
    def rng(self) -> np.random.Generator:
        """The generator the design draws from: after the last block, what draws from it next
        continues the same stream as after `uniform_design`."""
        return self._rng

    def rows(self, start: int, stop: int) -> Array:
        """Rows start..stop-1 of the design; random rows only in order, each once."""
        if not 0 <= start <= stop <= self.n:
            raise ValueError(f"rows {start}..{stop} are outside the design's {self.n}")
        if self.k == 0:
            points = np.empty((stop - start, 0))
        elif self._sobol is not None:
            points = self._sobol.rows(start, stop)
        else:
            if start != self._next:
                raise ValueError(f"random rows are drawn in order: next is {self._next}, "
                                 f"not {start}")
            points = self._rng.random((stop - start, self.k))
        self._next = stop
        return np.clip(points, EDGE, 1.0 - EDGE, out=points)

    def blocks(self, rows: int) -> Iterator[tuple[int, Array]]:
        """(start, points) of consecutive blocks of at most `rows` rows, covering all N."""
        if rows < 1:
            raise ValueError("a block needs at least one row")
        for start in range(0, self.n, rows):
            yield start, self.rows(start, min(start + rows, self.n))


def uniform_design(n: int, k: int, seed: SeedLike, method: Method = "sobol") -> Design:
    """N x k uniforms at once: scrambled Sobol (N rounded up to a power of two) or plain random."""
    stream = DesignStream(n, k, seed, method)
    return Design(stream.rows(0, stream.n), method, n)
