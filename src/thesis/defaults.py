"""Constants the command line needs before any heavy import (numpy, scipy, pydantic)."""

from __future__ import annotations

DEFAULT_SAMPLES = 4096
"""Monte Carlo samples when none are asked for: 2^12 scrambled Sobol points."""
MAX_SAMPLES = 1 << 22
"""The most samples one run takes (4,194,304): beyond this the run takes minutes on a laptop
and the Sobol-index intervals are already far narrower than any input's stated range."""
