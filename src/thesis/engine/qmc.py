"""Scrambled Sobol points without importing `scipy.stats`.

`scipy.stats.qmc.Sobol` is the reference, but importing `scipy.stats` costs about half a second,
which alone would break the one-second budget of `thesis score`. This module builds the same
sequence from the same data: the Joe & Kuo (2008) direction numbers (search criterion D(6)) that
scipy ships in `scipy/stats/_sobol_direction_numbers.npz`, read with numpy without importing
the package. Points come in Gray-code order like scipy's, so the unscrambled points are equal
to scipy's to the bit (tested). Scrambling is a linear matrix scramble plus a digital shift
(Matousek 1998; Owen 2003), the scheme scipy uses too, drawn from our own seeded generator.

References: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
projections", SIAM J. Sci. Comput. 30 (2008); P. Bratley and B. L. Fox, "Algorithm 659",
ACM TOMS 14 (1988).
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from thesis.models.distributions import Array

BITS = 30
MAX_DIMENSION = 21201


@functools.cache
def _joe_kuo() -> tuple[np.ndarray, np.ndarray]:
    """(poly, vinit) for all 21201 dimensions, from the file scipy ships."""
    spec = importlib.util.find_spec("scipy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scipy is required for the Sobol direction numbers")
    path = Path(next(iter(spec.submodule_search_locations))) / "stats" / (
        "_sobol_direction_numbers.npz")
    with np.load(path) as data:
        return data["poly"], data["vinit"]


@functools.cache
def direction_numbers(d: int) -> np.ndarray:
    """(d x BITS) direction numbers as integers scaled to BITS bits (Bratley & Fox 1988)."""
    if not 1 <= d <= MAX_DIMENSION:
        raise ValueError(f"Sobol points need 1 to {MAX_DIMENSION} dimensions, not {d}")
    poly, vinit = _joe_kuo()
    m = np.zeros((d, BITS), dtype=np.uint64)
    m[0, :] = 1
    for j in range(1, d):
        p = int(poly[j])
        degree = p.bit_length() - 1
        m[j, :degree] = vinit[j, :degree]
        for i in range(degree, BITS):
            value = int(m[j, i - degree])
            for k in range(degree):
                if (p >> (degree - 1 - k)) & 1:
                    value ^= int(m[j, i - k - 1]) << (k + 1)
            m[j, i] = value
    return m << np.arange(BITS - 1, -1, -1, dtype=np.uint64)


def _scramble(v: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Linear matrix scramble of each dimension's direction numbers, and a digital shift.

    Each dimension's direction numbers, read as bit vectors (most significant bit first), are
    multiplied over GF(2) by a random lower-triangular matrix with a unit diagonal: column q of
    the matrix is bit q plus random less significant bits, and the product is the XOR of the
    columns of the bits set. The shift, a uniform random BITS-bit integer XORed into every
    point, makes each point uniform on [0, 1) (without it the first point is 0).
    """
    d = v.shape[0]
    weights = np.uint64(1) << np.arange(BITS - 1, -1, -1, dtype=np.uint64)  # bit q, q = 0 the MSB
    noise = rng.integers(0, 1 << BITS, size=(d, BITS), dtype=np.uint64)
    columns = weights | (noise & (weights - np.uint64(1)))  # (d x BITS): the matrices' columns
    bits = (v & weights[:, np.newaxis, np.newaxis]) != 0  # (BITS x d x BITS): bit q of each
    v_scrambled = np.bitwise_xor.reduce(
        np.where(bits, columns.T[:, :, np.newaxis], np.uint64(0)), axis=0)
    shift = rng.integers(0, 1 << BITS, size=(d,), dtype=np.uint64)
    return v_scrambled, shift


@dataclass(frozen=True)
class SobolSequence:
    """One Sobol sequence in d dimensions, scrambled or not: any rows of it, on demand.

    The scramble is drawn once, when the sequence is made; `rows(start, stop)` then gives points
    start..stop-1 of the sequence, bit-identical to the same rows of all points made at once,
    so a design of any size is generated block by block in flat memory.
    """

    directions: np.ndarray
    """(d x BITS) direction numbers, scrambled if the sequence is."""
    shift: np.ndarray
    """(d,) digital shift; zeros if unscrambled."""

    @classmethod
    def make(cls, d: int, rng: np.random.Generator | None = None) -> SobolSequence:
        """The sequence in d dimensions; scrambled (drawing from `rng`) if a generator is given."""
        v = direction_numbers(d)
        shift = np.zeros(d, dtype=np.uint64)
        if rng is not None:
            v, shift = _scramble(v, rng)
        return cls(v, shift)

    @property
    def d(self) -> int:
        return int(self.directions.shape[0])

    def rows(self, start: int, stop: int) -> Array:
        """Points start, ..., stop - 1 (Gray-code order), as an ((stop - start) x d) array.

        Point i is the shift XOR the direction numbers of the bits set in gray(i) = i ^ (i >> 1).
        Consecutive Gray codes differ in one bit, the lowest set bit of i, so after the first
        point of the block each point is the previous one XOR one column of direction numbers:
        one cumulative XOR over the block, exact in integers.
        """
        if not 0 <= start <= stop <= 1 << BITS:
            raise ValueError(f"Sobol rows need 0 <= start <= stop <= 2**{BITS}")
        quasi = np.empty((stop - start, self.d), dtype=np.uint64)
        if stop > start:
            first = self.shift.copy()
            gray = start ^ (start >> 1)
            for b in range(gray.bit_length()):
                if (gray >> b) & 1:
                    first ^= self.directions[:, b]
            quasi[0] = first
            index = np.arange(start + 1, stop, dtype=np.int64)
            lowest = np.log2((index & -index).astype(np.float64)).astype(np.intp)  # exact
            quasi[1:] = self.directions.T[lowest]
            np.bitwise_xor.accumulate(quasi, axis=0, out=quasi)
        points = quasi.astype(np.float64)
        points *= 2.0**-BITS
        return points


def sobol_points(m: int, d: int, *, rng: np.random.Generator | None = None) -> Array:
    """The first 2**m Sobol points in d dimensions; scrambled when a generator is given."""
    if not 0 <= m <= BITS:
        raise ValueError(f"2**m points need 0 <= m <= {BITS}")
    return SobolSequence.make(d, rng).rows(0, 1 << m)
