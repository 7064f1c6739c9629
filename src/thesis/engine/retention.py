"""Cohort retention: is this durable behaviour change, or people trying it out?

The shifted-beta-geometric (sBG) model of Fader & Hardie (2007, "How to project customer
retention", Journal of Interactive Marketing 21(1)): each customer churns each period with a
constant probability theta, and theta varies across customers as Beta(alpha, beta). Survival
S(t) = B(alpha, beta + t) / B(alpha, beta); the retention rate r(t) = S(t) / S(t-1) =
(beta + t - 1) / (alpha + beta + t - 1) rises with t as the flighty customers leave, so a cohort
either flattens onto a durable core or decays towards zero. Fitted by maximum likelihood to
observed survival curves; several cohorts of different lengths pool into one likelihood, each
contributing only the periods it was observed (its survivors right-censored).

Long-run retention (month 24) comes with an interval from the asymptotic normal distribution of
the maximum-likelihood estimate of (log alpha, log beta) (inverse observed information, by a
numerical Hessian), pushed through S(24) by simulation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from thesis.models.distributions import Array

NOMINAL_COHORT = 1000
"""Customers assumed in a cohort given as shares only: the size of Fader & Hardie's example."""
FLAT_RETENTION = 0.95
"""A period-on-period retention at or above this by the last observed period reads as a curve
that has flattened (assumption: under 5% of the remaining users lost per month)."""
DURABLE_CORE = 0.25
"""Projected month-24 survival at or above this reads as a durable core (assumption: a quarter
of a cohort still active after two years; below 10% reads as tourists)."""
TOURISTS = 0.10
MAX_ROUNDS = 60
"""Grid rounds at most: a best point on the edge moves the grid instead of zooming, so a curve
whose likelihood keeps rising (all churn at once, or none) stops here, at extreme values."""


@dataclass(frozen=True)
class Cohort:
    """Survival of one cohort: share still active at periods 0..T (starting at 1)."""

    survival: tuple[float, ...]
    size: float = NOMINAL_COHORT
    start: str = ""


def as_cohort(survival: Sequence[float], n0: float | None = None, start: str = "") -> Cohort:
    """Shares from a curve given as shares (1.0, 0.8, ...) or percentages (100, 80, ...)."""
    values = np.asarray(survival, dtype=float)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError("a survival curve needs at least periods 0 and 1")
    if values[0] <= 0:
        raise ValueError("a survival curve starts with the whole cohort")
    shares = values / values[0]
    if np.any(np.diff(shares) > 1e-12) or np.any(shares < 0):
        raise ValueError("a survival curve never rises and never goes below 0")
    return Cohort(tuple(float(x) for x in shares), float(n0 or NOMINAL_COHORT), start)


def _log_beta(a: Array | float, b: Array | float) -> Array:
    from scipy.special import betaln

    out: Array = betaln(a, b)
    return out


def log_likelihood(alpha: float | Array, beta: float | Array, cohorts: Sequence[Cohort]) -> Array:
    """sBG log-likelihood of the cohorts, vectorised over arrays of (alpha, beta)."""
    a = np.asarray(alpha, dtype=float)[..., np.newaxis]
    b = np.asarray(beta, dtype=float)[..., np.newaxis]
    total = np.zeros(np.broadcast(a, b).shape[:-1])
    for cohort in cohorts:
        s = np.asarray(cohort.survival)
        t = np.arange(1, len(s), dtype=float)
        churned = cohort.size * (s[:-1] - s[1:])
        log_p = _log_beta(a + 1, b + t - 1) - _log_beta(a, b)  # P(churn in period t)
        log_s = _log_beta(a, b + t[-1]) - _log_beta(a, b)  # still active after T
        total = total + (churned * log_p).sum(-1) + cohort.size * s[-1] * log_s[..., 0]
    return total


@dataclass(frozen=True)
class SBGFit:
    """A fitted sBG model: projections, retention rates, expected residual lifetime."""

    alpha: float
    beta: float
    log_likelihood: float
    covariance: Array = field(repr=False)
    """Asymptotic covariance of (log alpha, log beta)."""
    periods_observed: int

    def survival(self, t: float | Array) -> Array:
        """Share of a starting cohort still active after t periods."""
        t = np.asarray(t, dtype=float)
        log_s: Array = _log_beta(self.alpha, self.beta + t) - _log_beta(self.alpha, self.beta)
        return np.exp(log_s)

    def retention_rate(self, t: float | Array) -> Array:
        """Share of those active at t - 1 who are still active at t (t >= 1)."""
        t = np.asarray(t, dtype=float)
        return (self.beta + t - 1) / (self.alpha + self.beta + t - 1)

    def derl(self, discount: float, renewals: int = 1) -> float:
        """Discounted expected residual lifetime of a customer who has made `renewals`
        renewals (Fader & Hardie 2010, "Customer-base valuation in a contractual setting",
        Marketing Science 29(1), eq. 6), in periods, with per-period discount rate `discount`."""
        from scipy.special import hyp2f1

        a, b, n, d = self.alpha, self.beta, renewals, discount
        ratio = math.exp(math.lgamma(b + n) - math.lgamma(b + n - 1)
                         - math.lgamma(a + b + n) + math.lgamma(a + b + n - 1))
        return float(ratio * hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + d)))

    def survival_interval(self, t: float, level: float = 0.8, draws: int = 4000,
                          seed: int = 0) -> tuple[float, float]:
        """A central `level` interval of S(t) from the estimate's asymptotic distribution."""
        rng = np.random.default_rng(seed)
        centre = np.log([self.alpha, self.beta])
        logs = rng.multivariate_normal(centre, self.covariance, size=draws,
                                       check_valid="ignore")
        a, b = np.exp(logs[:, 0]), np.exp(logs[:, 1])
        s = np.exp(_log_beta(a, b + t) - _log_beta(a, b))
        tail = 50 * (1 - level)
        low, high = np.percentile(s, [tail, 100 - tail])
        return float(low), float(high)


def fit_sbg(survival: Sequence[float] | Sequence[Cohort], n0: float | None = None) -> SBGFit:
    """Fit the sBG model by maximum likelihood.

    `survival` is one curve (shares or percentages, periods 0..T) or a list of `Cohort`s to
    pool. A curve given without `n0` is taken as a cohort of 1,000 customers, as in Fader &
    Hardie's worked example; the estimates do not depend on it, only their uncertainty does.
    """
    cohorts = ([c for c in survival if isinstance(c, Cohort)]
               if survival and isinstance(survival[0], Cohort)
               else [as_cohort(survival, n0)])  # type: ignore[arg-type]
    if not cohorts:
        raise ValueError("no cohorts to fit")

    def negative(x: Array) -> float:
        return -float(log_likelihood(math.exp(x[0]), math.exp(x[1]), cohorts))

    x = _maximise(cohorts)
    return SBGFit(alpha=math.exp(x[0]), beta=math.exp(x[1]), log_likelihood=-negative(x),
                  covariance=_inverse_hessian(negative, x),
                  periods_observed=max(len(c.survival) - 1 for c in cohorts))


def _maximise(cohorts: Sequence[Cohort]) -> Array:
    """The maximum of the log-likelihood over (log alpha, log beta), by coarse-to-fine grids.

    Each round evaluates a 41 x 41 grid in one vectorised call and zooms onto its best point;
    the sBG likelihood is smooth and single-peaked in practice, and Fader & Hardie's estimates
    are reproduced to the printed digits (tests). This keeps scipy.optimize, and its import
    time, out of the command line.
    """
    centre, half = np.array([0.0, 1.0]), np.array([8.0, 10.0])
    steps = np.linspace(-1.0, 1.0, 41)
    for _ in range(MAX_ROUNDS):
        if half.max() <= 1e-7:
            break
        la = centre[0] + half[0] * steps
        lb = centre[1] + half[1] * steps
        values = log_likelihood(np.exp(la)[:, np.newaxis], np.exp(lb)[np.newaxis, :], cohorts)
        i, j = np.unravel_index(np.nanargmax(values), values.shape)
        on_edge = i in (0, len(steps) - 1) or j in (0, len(steps) - 1)
        centre = np.array([la[i], lb[j]])
        if not on_edge or half.max() < 8.0:
            half = half / 10.0
    return centre


def _inverse_hessian(f: Callable[[Array], float], x: Array, step: float = 1e-4) -> Array:
    """Inverse of a central-difference Hessian of f at x (the observed information's inverse)."""
    h = np.zeros((2, 2))
    e = np.eye(2) * step
    for i in range(2):
        for j in range(2):
            h[i, j] = (f(x + e[i] + e[j]) - f(x + e[i] - e[j])
                       - f(x - e[i] + e[j]) + f(x - e[i] - e[j])) / (4 * step**2)
    try:
        return np.asarray(np.linalg.inv(h))
    except np.linalg.LinAlgError:
        return np.diag([1.0, 1.0])


Kind = Literal["durable core", "decaying", "tourists"]


@dataclass(frozen=True)
class Reading:
    """What a fitted curve says: does it flatten onto a durable core, or decay towards zero?"""

    kind: Kind
    survival_24: float
    interval_24: tuple[float, float]
    """80% interval of month-24 survival from the estimate's sampling uncertainty."""
    last_retention: float
    """Fitted month-on-month retention at the last observed month."""


def read(fit: SBGFit) -> Reading:
    """Flat (retention at least FLAT_RETENTION by the last observed month, and a quarter left
    at month 24), tourists (under a tenth left at month 24), or still decaying."""
    last = float(fit.retention_rate(max(fit.periods_observed, 1)))
    s24 = float(fit.survival(24))
    kind: Kind = ("durable core" if s24 >= DURABLE_CORE and last >= FLAT_RETENTION
                  else "tourists" if s24 < TOURISTS else "decaying")
    return Reading(kind, s24, fit.survival_interval(24), last)
