"""Cohort retention: is this durable behaviour change, or people trying it out?

The shifted-beta-geometric (sBG) model of Fader & Hardie (2007, "How to project customer
retention", Journal of Interactive Marketing 21(1)): each customer churns each period with a
constant probability theta, and theta varies across customers as Beta(alpha, beta). Survival
S(t) = B(alpha, beta + t) / B(alpha, beta); the retention rate r(t) = S(t) / S(t-1) =
(beta + t - 1) / (alpha + beta + t - 1) rises with t as the flighty customers leave, so a cohort
either flattens onto a durable core or decays towards zero.

The beta-discrete-Weibull (BdW) model of Fader, Hardie, Liu, Davin & Steenburgh (2018, "'How to
project customer retention' revisited: the role of duration dependence", Journal of Interactive
Marketing 43) lets each customer's churn change with tenure: S(t) = B(alpha, beta + t^c) /
B(alpha, beta), with c > 1 for churn that grows with tenure and c < 1 for churn that fades; the
sBG is its c = 1 case, so a likelihood-ratio test says whether the data need it (`select_model`).

Both are fitted by maximum likelihood to observed survival curves; several cohorts of different
lengths pool into one likelihood, each contributing only the periods it was observed (its
survivors right-censored). The maximum is searched in log-parameters inside a box, by grids whose
window follows the best point, then polished by Newton steps until the gradient vanishes; every
fit says whether it converged, and whether its maximum lies on the box (a degenerate curve),
in which case it carries no interval.

Long-run retention comes with an interval from the asymptotic normal distribution of the
maximum-likelihood estimate of the log-parameters (inverse observed information), pushed through
S(t) by simulation.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from thesis.models.distributions import Array

Mask = NDArray[np.bool_]

NOMINAL_COHORT = 1000
"""Customers assumed in a cohort given as shares only: the size of Fader & Hardie's example.
The estimates do not depend on it, but their uncertainty does (intervals narrow as 1/sqrt(n)),
so a fit says when it rests on this assumption."""
FLAT_RETENTION = 0.95
"""A period-on-period retention at or above this by the last observed period reads as a curve
that has flattened (assumption: under 5% of the remaining users lost per month)."""
DURABLE_CORE = 0.25
"""Projected month-24 survival at or above this reads as a durable core (assumption: a quarter
of a cohort still active after two years; below 10% reads as tourists)."""
TOURISTS = 0.10
SELECTION_LEVEL = 0.05
"""The likelihood-ratio test's level: the BdW model replaces the sBG only below this p-value."""

Model = Literal["sBG", "BdW"]
LOWER: dict[Model, Array] = {"sBG": np.array([-12.0, -12.0]),
                             "BdW": np.array([-12.0, -12.0, -4.0])}
"""The search box in (log alpha, log beta[, log c]): wide enough for any curve a cohort can
show (alpha and beta from 6e-6 to 1.2e6, c from 0.018 to 55), narrow enough that the likelihood
keeps all its digits. A maximum on its edge is a degenerate curve, reported as such."""
UPPER: dict[Model, Array] = {"sBG": np.array([14.0, 14.0]), "BdW": np.array([14.0, 14.0, 4.0])}
GRID_POINTS = {2: 33, 3: 13}
"""Coarse grid points per axis, by number of parameters: one vectorised call per grid."""
REFINE_POINTS = {2: 17, 3: 9}
"""Points per axis of the finer grids (each zooms 4 or 2 times)."""
STARTS = 3
"""Newton starts from this many of the coarse grid's best local maxima."""
FINEST = 0.1
"""The grids stop once their spacing is below this (in log-parameters); Newton steps finish."""
MAX_ROUNDS = 60
"""Grid rounds at most (a best point on the window's edge moves the window)."""
MAX_NEWTON = 100
GRADIENT_TOLERANCE = 1e-8
"""Stationarity: every free component of the log-likelihood's gradient (in log-parameters) below
this times the number of customers, far above its rounding noise (~1e-12 per customer)."""
STEP = 1e-3
"""Finite-difference step in log-parameters (fourth-order stencils: error ~ STEP^4)."""
ACTIVE = 0.01
"""A parameter this close to the box (in log-parameters), its gradient pointing outwards, is
put on the box for the next Newton step."""


@dataclass(frozen=True)
class Cohort:
    """Survival of one cohort: share still active at periods 0..T (starting at 1), and its size
    in customers if known (`given_size`); without one it counts as NOMINAL_COHORT customers."""

    survival: tuple[float, ...]
    given_size: float | None = None
    start: str = ""

    @property
    def size(self) -> float:
        """Customers who started: the given size, or the assumed NOMINAL_COHORT."""
        return float(NOMINAL_COHORT) if self.given_size is None else self.given_size

    @property
    def size_given(self) -> bool:
        return self.given_size is not None


def as_cohort(survival: Sequence[float] | Array, n0: float | None = None,
              start: str = "") -> Cohort:
    """Shares from a curve given as shares (1.0, 0.8, ...) or percentages (100, 80, ...)."""
    values = np.asarray(survival, dtype=float)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError("a survival curve needs at least periods 0 and 1")
    if not np.all(np.isfinite(values)) or values[0] <= 0:
        raise ValueError("a survival curve starts with the whole cohort")
    shares = values / values[0]
    if np.any(np.diff(shares) > 1e-12) or np.any(shares < 0):
        raise ValueError("a survival curve never rises and never goes below 0")
    if n0 is not None and not n0 > 0:
        raise ValueError(f"a cohort has a positive size, not {n0}")
    return Cohort(tuple(float(x) for x in np.minimum.accumulate(shares)),
                  None if n0 is None else float(n0), start)


def _as_cohorts(survival: Sequence[float] | Sequence[Cohort] | Array | Cohort,
                n0: float | None) -> tuple[Cohort, ...]:
    """One curve (list, tuple or array), one Cohort, or a list of Cohorts to pool."""
    if isinstance(survival, Cohort):
        return (survival,)
    items = list(survival)
    if not items:
        raise ValueError("no cohorts to fit")
    if all(isinstance(c, Cohort) for c in items):
        if n0 is not None:
            raise ValueError("pooled cohorts carry their own sizes: give no n0")
        return tuple(c for c in items if isinstance(c, Cohort))
    if any(isinstance(c, Cohort) for c in items):
        raise ValueError("give either one survival curve or a list of cohorts")
    return (as_cohort(np.asarray(items, dtype=float), n0),)


@dataclass(frozen=True)
class _Counts:
    """The pooled data: customers lost in each period 1..T, and those still active when their
    cohort's observation ended after period t (right-censored)."""

    churned: Array
    censored: Array

    @property
    def customers(self) -> float:
        return float(self.churned.sum() + self.censored.sum())

    @property
    def periods(self) -> int:
        return len(self.churned)


def _counts(cohorts: Sequence[Cohort]) -> _Counts:
    if not cohorts:
        raise ValueError("no cohorts to fit")
    periods = max(len(c.survival) - 1 for c in cohorts)
    churned, censored = np.zeros(periods), np.zeros(periods)
    for cohort in cohorts:
        s = np.asarray(cohort.survival)
        churned[:len(s) - 1] += cohort.size * (s[:-1] - s[1:])
        censored[len(s) - 2] += cohort.size * s[-1]
    return _Counts(churned, censored)


def _lgamma_ratio(y: Array, a: Array) -> Array:
    """log Gamma(y + a) - log Gamma(y) for y, a > 0, to a few ulps of a * log(y) however large
    y is: Stirling's series in differences for y >= 20 (a plain difference of log Gamma, as in
    betaln, loses every digit at y ~ 1e12), the plain difference below."""
    from scipy.special import gammaln

    y, a = np.broadcast_arrays(np.asarray(y, dtype=float), np.asarray(a, dtype=float))
    out = np.empty(y.shape)
    large = y >= 20.0
    yl, al = y[large], a[large]
    out[large] = ((yl - 0.5) * np.log1p(al / yl) + al * np.log(yl + al) - al
                  + _stirling_rest(yl + al) - _stirling_rest(yl))
    small = ~large
    out[small] = gammaln(y[small] + a[small]) - gammaln(y[small])
    return out


def _stirling_rest(z: Array) -> Array:
    """log Gamma(z) less (z - 1/2) log z - z + log(2 pi) / 2, for z >= 20 (to ~1e-17)."""
    inverse = 1.0 / z
    w = inverse * inverse
    out: Array = inverse * (1 / 12 - w * (1 / 360 - w * (1 / 1260 - w * (1 / 1680 - w / 1188))))
    return out


def _log_beta_ratio(alpha: Array, beta: Array, x: Array) -> Array:
    """log B(alpha, beta + x) - log B(alpha, beta) <= 0, as the difference of two log Gamma
    ratios over the smaller of x and alpha, so its rounding is ~ min(x, alpha) * log(beta)
    however large either is."""
    alpha, beta, x = np.broadcast_arrays(alpha, beta, x)
    out = np.empty(alpha.shape)
    over_x = x <= alpha
    a, b, t = alpha[over_x], beta[over_x], x[over_x]
    out[over_x] = _lgamma_ratio(b, t) - _lgamma_ratio(a + b, t)
    over_alpha = ~over_x
    a, b, t = alpha[over_alpha], beta[over_alpha], x[over_alpha]
    out[over_alpha] = _lgamma_ratio(b, a) - _lgamma_ratio(b + t, a)
    return np.minimum(out, 0.0)


def _log_survival(alpha: Array, beta: Array, c: Array, t: Array) -> Array:
    """log S(t) = log B(alpha, beta + t^c) - log B(alpha, beta), for real t >= 0."""
    return _log_beta_ratio(alpha, beta, np.asarray(t, dtype=float) ** c)


def _log_terms(x: Array, periods: int) -> tuple[Array, Array]:
    """(log S(t), log P(T = t)) for t = 1..periods, vectorised over log-parameter rows x.

    sBG: log S(t) = sum_{j<=t} -log1p(alpha / (beta + j - 1)) and log P(T = t) = log S(t-1) -
    log1p((beta + t - 1) / alpha), since P(T = t | T > t-1) = alpha / (alpha + beta + t - 1):
    every term exact in floating point for any alpha and beta. BdW: the log retention rate
    log r(t) = log S(t) - log S(t-1) = log B(alpha, beta + x' + d) - log B(alpha, beta + x'),
    with x' = (t-1)^c and d = t^c - (t-1)^c (`_log_beta_ratio`), then log P(T = t) =
    log S(t-1) + log(1 - r(t)).
    Every term is <= 0 by construction, so the log-likelihood can never be positive.
    """
    alpha, beta = np.exp(x[..., 0:1]), np.exp(x[..., 1:2])
    j = np.arange(periods, dtype=float)  # t - 1
    if x.shape[-1] == 2:
        log_s = np.cumsum(-np.log1p(alpha / (beta + j)), axis=-1)
        log_hazard = -np.log1p((beta + j) / alpha)
    else:
        c = np.exp(x[..., 2:3])
        before = j**c
        # t^c - (t-1)^c without cancellation when c is small
        step = np.where(j == 0, 1.0, before * np.expm1(c * np.log1p(1.0 / np.maximum(j, 1.0))))
        log_rate = _log_beta_ratio(alpha, beta + before, step)
        log_s = np.cumsum(log_rate, axis=-1)
        with np.errstate(divide="ignore"):
            log_hazard = np.log(-np.expm1(log_rate))
    previous = np.concatenate([np.zeros_like(log_s[..., :1]), log_s[..., :-1]], axis=-1)
    return log_s, previous + log_hazard


def _objective(counts: _Counts) -> Callable[[Array], Array]:
    """The log-likelihood of the pooled counts as a function of log-parameter rows (..., k)."""

    def f(x: Array) -> Array:
        log_s, log_p = _log_terms(np.asarray(x, dtype=float), counts.periods)
        lost = counts.churned * np.where(counts.churned > 0, log_p, 0.0)
        kept = counts.censored * np.where(counts.censored > 0, log_s, 0.0)
        out: Array = lost.sum(-1) + kept.sum(-1)
        return out

    return f


def log_likelihood(alpha: float | Array, beta: float | Array, cohorts: Sequence[Cohort],
                   c: float | Array | None = None) -> Array:
    """Log-likelihood of the cohorts, vectorised over arrays of parameters: sBG, or BdW when
    a duration exponent `c` is given."""
    parts = [np.log(alpha), np.log(beta)] + ([] if c is None else [np.log(c)])
    x = np.stack(np.broadcast_arrays(*parts), axis=-1)
    return _objective(_counts(cohorts))(x)


@dataclass(frozen=True)
class SurvivalFit:
    """A fitted sBG or BdW model: projections, retention rates, and how far to trust them."""

    model: Model
    alpha: float
    beta: float
    c: float
    """The duration exponent: 1 for the sBG; above 1, each customer's churn grows with tenure."""
    log_likelihood: float
    covariance: Array | None = field(repr=False, compare=False)
    """Asymptotic covariance of (log alpha, log beta[, log c]), the inverse of the observed
    information; None when the maximum is on the search box, the likelihood is flat along a
    ridge, or the fit did not converge, as no interval can be read from it then."""
    periods_observed: int
    converged: bool
    """At a maximum: the gradient ~0 in the parameters not held by the box, and no direction in
    which the likelihood still rises (not a saddle)."""
    boundary: bool
    """The maximum lies on the search box: a degenerate curve (see `note`)."""
    note: str
    """Why the fit is on the boundary, flat, or did not converge; empty for a regular fit, the
    only kind with a covariance."""
    sizes_given: bool
    """Every cohort came with its size; otherwise NOMINAL_COHORT customers were assumed."""

    @property
    def parameters(self) -> Array:
        """The estimate in log-parameters, the coordinates of `covariance`."""
        values = [self.alpha, self.beta] + ([self.c] if self.model == "BdW" else [])
        return np.log(values)

    def survival(self, t: float | Array) -> Array:
        """Share of a starting cohort still active after t periods."""
        return np.exp(_log_survival(np.asarray(self.alpha), np.asarray(self.beta),
                                    np.asarray(self.c), np.asarray(t, dtype=float)))

    def retention_rate(self, t: float | Array) -> Array:
        """Share of those active at t - 1 who are still active at t (t >= 1)."""
        t = np.asarray(t, dtype=float)
        a, b, c = (np.asarray(v) for v in (self.alpha, self.beta, self.c))
        return np.exp(_log_survival(a, b, c, t) - _log_survival(a, b, c, t - 1))

    def derl(self, discount: float, renewals: int = 1) -> float:
        """Discounted expected residual lifetime of a customer who has made `renewals`
        renewals (Fader & Hardie 2010, "Customer-base valuation in a contractual setting",
        Marketing Science 29(1), eq. 6), in periods, with per-period discount rate `discount`.
        A closed form of the sBG only."""
        if self.model != "sBG":
            raise ValueError("DERL has a closed form for the sBG model only")
        from scipy.special import hyp2f1

        a, b, n, d = self.alpha, self.beta, renewals, discount
        ratio = math.exp(math.lgamma(b + n) - math.lgamma(b + n - 1)
                         - math.lgamma(a + b + n) + math.lgamma(a + b + n - 1))
        return float(ratio * hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + d)))

    def survival_interval(self, t: float, level: float = 0.8, draws: int = 4000,
                          seed: int = 0) -> tuple[float, float] | None:
        """The central `level` interval of S(t) (probability (1 - level) / 2 in each tail)
        under the estimate's asymptotic normal distribution, by `draws` simulated estimates;
        None when the fit gives no valid covariance (boundary or not converged)."""
        if not 0.0 < level < 1.0:
            raise ValueError(f"an interval's level lies in (0, 1), not {level}")
        if self.covariance is None:
            return None
        rng = np.random.default_rng(seed)
        logs = rng.multivariate_normal(self.parameters, self.covariance, size=draws,
                                       method="cholesky")
        c = np.exp(logs[:, 2]) if self.model == "BdW" else np.ones(draws)
        s = np.exp(_log_survival(np.exp(logs[:, 0]), np.exp(logs[:, 1]), c,
                                 np.asarray(float(t))))
        tail = (1.0 - level) / 2.0
        low, high = np.quantile(s, [tail, 1.0 - tail])
        return float(low), float(high)


SBGFit = SurvivalFit
"""The name callers import for the default (sBG) fit."""


def fit_sbg(survival: Sequence[float] | Sequence[Cohort] | Array | Cohort,
            n0: float | None = None) -> SurvivalFit:
    """Fit the sBG model by maximum likelihood.

    `survival` is one curve (shares or percentages, periods 0..T; a list, tuple or numpy
    array), one `Cohort`, or a list of `Cohort`s to pool. A curve given without `n0` is taken as
    a cohort of NOMINAL_COHORT customers, as in Fader & Hardie's worked example; the estimates do
    not depend on it, only their uncertainty does.
    """
    return _fit(*_data(survival, n0), "sBG")


def fit_bdw(survival: Sequence[float] | Sequence[Cohort] | Array | Cohort,
            n0: float | None = None) -> SurvivalFit:
    """Fit the beta-discrete-Weibull model by maximum likelihood (arguments as `fit_sbg`).

    The search also starts from the sBG fit at c = 1, so its log-likelihood is never below the
    sBG's: the models are nested, as the likelihood-ratio test needs."""
    counts, given = _data(survival, n0)
    return _fit(counts, given, "BdW", seed=_fit(counts, given, "sBG"))


def _data(survival: Sequence[float] | Sequence[Cohort] | Array | Cohort,
          n0: float | None) -> tuple[_Counts, bool]:
    """The pooled counts, and whether every cohort's size was given."""
    cohorts = _as_cohorts(survival, n0)
    return _counts(cohorts), all(c.size_given for c in cohorts)


def _fit(counts: _Counts, sizes_given: bool, model: Model,
         seed: SurvivalFit | None = None) -> SurvivalFit:
    f = _objective(counts)
    lower, upper = LOWER[model], UPPER[model]
    periods = counts.periods
    if periods == 1:  # the likelihood depends on alpha / (alpha + beta) only
        x = _constant_churn(counts, model)
        return _result(model, x, float(f(x)), None, periods, True, True,
                       _degenerate(counts) or "one observed period cannot separate churn from "
                       "its spread: projected as constant churn", sizes_given)
    starts = _grid(f, lower, upper)
    if seed is not None:
        starts.append(np.append(seed.parameters, 0.0))
    x, value, steps = max((_newton(f, s, lower, upper, counts.customers) for s in starts),
                          key=lambda found: found[1])
    at, gradient, hessian = _derivatives(f, x)
    value = float(at)
    tolerance = _tolerance(counts.customers)
    inside = np.all((x > lower) & (x < upper))
    if inside and not (np.abs(gradient).max() <= tolerance and np.all(
            np.linalg.eigvalsh(-hessian) > _flatness(value, counts.customers))):
        # flat or saddle-shaped, or stuck on a flat ridge short of the box: follow the flattest
        # direction to the box (a ridge rising to infinity, e.g. constant churn) if it loses
        # nothing
        end, end_value, _ = _ridge_end(f, x, hessian, lower, upper, counts.customers)
        if end_value >= value - 1e-9 * (abs(value) + 1.0):
            x = end
            at, gradient, hessian = _derivatives(f, x)
            value = float(at)
    return _verdict(model, counts, sizes_given, x, value, gradient, hessian, steps)


def _verdict(model: Model, counts: _Counts, sizes_given: bool, x: Array, value: float,
             gradient: Array, hessian: Array, steps: int) -> SurvivalFit:
    """The fit at x, checked: a maximum (gradient ~0 off the box, no rising direction), on the
    box or not, and a covariance only where the Hessian is negative-definite beyond its noise."""
    lower, upper = LOWER[model], UPPER[model]
    at_lower, at_upper = x <= lower, x >= upper
    free = ~(at_lower | at_upper)
    outwards = (at_lower & (gradient < 0)) | (at_upper & (gradient > 0))
    largest = float(np.abs(gradient[~outwards]).max(initial=0.0))
    # stationary: a small gradient, or (for few customers, where a finite-difference gradient
    # is mostly rounding) nothing left that a step inside the box could gain beyond it
    stationary = largest <= _tolerance(counts.customers) or _nothing_to_gain(
        gradient, hessian, ~outwards, at_lower, at_upper, value, counts.customers)
    curvature = np.linalg.eigvalsh(-hessian[np.ix_(free, free)])
    flatness = _flatness(value, counts.customers)
    saddle = bool(np.any(curvature < -flatness))
    definite = bool(np.all(curvature > flatness))
    boundary = not free.all()
    converged = stationary and not saddle
    if not stationary:
        note = f"did not converge: gradient {largest:.2g} after {steps} Newton steps"
    elif saddle:
        note = ("did not converge: a saddle point, not a maximum (the Hessian has a positive "
                "eigenvalue): no interval")
    elif boundary:
        note = _degenerate(counts) or _edge_note(x, lower, upper)
    elif not definite:
        note = ("the likelihood is flat along a ridge at its maximum: the data cannot pin down "
                "every parameter, so no interval")
    else:
        note = ""
    covariance = (np.asarray(np.linalg.inv(-hessian), dtype=np.float64)
                  if converged and definite and not boundary else None)
    return _result(model, x, value, covariance, counts.periods, converged, boundary, note,
                   sizes_given)


def _ridge_end(f: Callable[[Array], Array], x: Array, hessian: Array, lower: Array,
               upper: Array, customers: float) -> tuple[Array, float, int]:
    """The better end of the flattest direction at x: followed to the box, the parameter that
    meets the box held there and the others fitted again."""
    direction = np.linalg.eigh(-hessian)[1][:, 0]
    ends = []
    for way in (direction, -direction):
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.where(way > 0, (upper - x) / way,
                            np.where(way < 0, (lower - x) / way, np.inf))
        hit = int(np.argmin(room))
        ends.append(_newton(f, np.clip(x + room[hit] * way, lower, upper), lower, upper,
                            customers, fixed=np.arange(len(x)) == hit))
    return max(ends, key=lambda end: end[1])


def _result(model: Model, x: Array, value: float, covariance: Array | None, periods: int,
            converged: bool, boundary: bool, note: str, sizes_given: bool) -> SurvivalFit:
    return SurvivalFit(model=model, alpha=math.exp(x[0]), beta=math.exp(x[1]),
                       c=math.exp(x[2]) if model == "BdW" else 1.0, log_likelihood=value,
                       covariance=covariance, periods_observed=periods, converged=converged,
                       boundary=boundary, note=note, sizes_given=sizes_given)


def _rounding(value: float) -> float:
    """The rounding of a log-likelihood near `value`: gains below this are not resolved."""
    return 1e-12 * (abs(value) + 1.0)


def _nothing_to_gain(gradient: Array, hessian: Array, moving: np.ndarray, at_lower: np.ndarray,
                     at_upper: np.ndarray, value: float, customers: float) -> bool:
    """No step of the `moving` parameters inside the box gains more than the rounding of f,
    by the quadratic model, one eigen-direction of the Hessian at a time: a direction whose way
    up leaves the box through a parameter on it gains nothing; a clearly curved one gains
    slope^2 / curvature / 2 (its part of half the squared Newton decrement, Boyd & Vandenberghe
    2004, 9.5.1); a flat one (a ridge) gains without bound if its slope is real."""
    curvature, vectors = np.linalg.eigh(-hessian[np.ix_(moving, moving)])
    slopes = vectors.T @ gradient[moving]
    flatness = _flatness(value, customers)
    gain = 0.0
    for slope, bend, direction in zip(slopes, curvature, vectors.T, strict=True):
        up = np.zeros_like(gradient)
        up[moving] = np.sign(slope) * direction
        if np.any((at_upper & (up > 1e-6)) | (at_lower & (up < -1e-6))):
            continue
        if bend <= flatness:
            if abs(slope) > _tolerance(customers):
                return False
            continue
        gain += slope**2 / bend / 2.0
    return gain <= _rounding(value)


def _tolerance(customers: float) -> float:
    return GRADIENT_TOLERANCE * (customers + 1.0)


def _flatness(value: float, customers: float) -> float:
    """A curvature (in log-parameters) below this is lost in the finite-difference Hessian's
    rounding and truncation: the likelihood is flat that way."""
    return 1e-8 * (abs(value) + customers + 1.0)


def _degenerate(counts: _Counts) -> str:
    """The data's own reason for a maximum on the box, if it has one."""
    if counts.churned.sum() == 0:
        months = f"{counts.periods} observed month" + ("s" if counts.periods > 1 else "")
        return f"no customer lost in {months}: retention ~100%"
    if counts.censored.sum() == 0:
        gone = int(np.flatnonzero(counts.churned)[-1]) + 1
        return f"all customers gone by month {gone}: retention ~0"
    return ""


def _constant_churn(counts: _Counts, model: Model) -> Array:
    """The constant-churn end of the ridge alpha / (alpha + beta) = observed churn: the
    simplest curve one period supports (the largest alpha + beta in the box)."""
    churn = counts.churned[0] / counts.customers
    lower, upper = LOWER[model], UPPER[model]
    with np.errstate(divide="ignore"):
        logs = np.log([churn, 1.0 - churn])
    x = np.clip(upper[0] + logs - logs.max(), lower[:2], upper[:2])
    return np.append(x, 0.0) if model == "BdW" else x


def _edge_note(x: Array, lower: Array, upper: Array) -> str:
    """The maximum on the search box, in words."""
    low, high = x <= lower, x >= upper
    if high[0] or high[1]:
        return ("churn looks constant over the observed months (alpha + beta at the edge of "
                "the search box): projected as constant churn, with no durable core")
    if low[0] and low[1]:
        return ("those left after the first losses look permanent (alpha and beta at the lower "
                "edge of the search box): retention ~100% thereafter")
    if low[0]:
        return "almost no churn (alpha at the lower edge of the search box)"
    if low[1]:
        return "nearly everyone churns at once (beta at the lower edge of the search box)"
    return (f"churn changes with tenure beyond the search box (c = {math.exp(x[2]):.3g}): "
            "the data cannot pin down how fast")


def _grid(f: Callable[[Array], Array], lower: Array, upper: Array) -> list[Array]:
    """Starting points for Newton: the best local maxima of a coarse grid over the box, each
    refined by finer grids (`_refine`). A narrow, bent ridge (a large cohort) can put the coarse
    grid's best node in the wrong basin; one of its next-best local maxima lies in the right
    one."""
    k = len(lower)
    axes = [np.linspace(lower[i], upper[i], GRID_POINTS[k]) for i in range(k)]
    values = f(np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1))
    padded = np.pad(values, 1, constant_values=-np.inf)
    peak = np.ones(values.shape, dtype=bool)
    for shift in itertools.product((0, 1, 2), repeat=k):
        if shift != (1,) * k:
            peak &= values >= padded[tuple(slice(d, d + n) for d, n in zip(shift, values.shape,
                                                                           strict=True))]
    nodes = np.argwhere(peak)
    best = nodes[np.argsort(-values[peak], kind="stable")[:STARTS]]
    spacing = (upper - lower) / (GRID_POINTS[k] - 1)
    return [_refine(f, np.array([axes[i][n[i]] for i in range(k)]), 2 * spacing, lower, upper)
            for n in best]


def _refine(f: Callable[[Array], Array], centre: Array, half: Array, lower: Array,
            upper: Array) -> Array:
    """The best point of finer and finer grids around `centre`.

    Each round evaluates a full grid in one vectorised call. A best point on the window's edge
    (other than the box's) moves the window there, at every level, doubling its width while it
    keeps moving; otherwise the window zooms to two grid spacings around it. The grids only have
    to reach the maximum's basin: Newton steps finish."""
    k = len(lower)
    points = REFINE_POINTS[k]
    best, best_value = centre, -np.inf
    for _ in range(MAX_ROUNDS):
        lo, hi = np.maximum(centre - half, lower), np.minimum(centre + half, upper)
        axes = [np.linspace(lo[i], hi[i], points) for i in range(k)]
        values = f(np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1))
        index = np.unravel_index(np.nanargmax(values), values.shape)
        centre = np.array([axes[i][index[i]] for i in range(k)])
        # a window moves only while that pays: on a plateau it zooms instead
        climbing = not values[index] <= best_value + 1e-12 * (abs(best_value) + 1.0)
        if values[index] > best_value:
            best, best_value = centre, float(values[index])
        on_edge = any((index[i] == 0 and lo[i] > lower[i])
                      or (index[i] == points - 1 and hi[i] < upper[i]) for i in range(k))
        spacing = (hi - lo) / (points - 1)
        if on_edge and climbing:
            half = np.minimum(2 * half, (upper - lower) / 2)
        elif spacing.max() < FINEST:
            break
        else:
            half = 2 * spacing
    return best


@functools.cache
def _stencil(k: int) -> Array:
    """Offsets of the fourth-order central differences: 0, +-h e_i, +-2h e_i, h (+-e_i +-e_j)."""
    unit = np.eye(k) * STEP
    pairs = [si * unit[i] + sj * unit[j] for i, j in zip(*np.triu_indices(k, 1), strict=True)
             for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
    return np.vstack([np.zeros((1, k)), *(m * unit for m in (1, -1, 2, -2)), *pairs])


def _derivatives(f: Callable[[Array], Array], x: Array) -> tuple[Array, Array, Array]:
    """Value (...), gradient (..., k) and Hessian (..., k, k) of f at points x (..., k) by
    fourth-order central differences, in one vectorised call (error ~ STEP^4 from truncation,
    ~1e-13 |f| / STEP from rounding)."""
    k = x.shape[-1]
    values = f(x[..., np.newaxis, :] + _stencil(k))
    f0 = values[..., 0]
    plus, minus, plus2, minus2 = (values[..., 1 + m * k:1 + (m + 1) * k] for m in range(4))
    gradient = (8 * (plus - minus) - (plus2 - minus2)) / (12 * STEP)
    hessian = np.zeros((*x.shape, k))
    diagonal, (i, j) = np.arange(k), np.triu_indices(k, 1)
    hessian[..., diagonal, diagonal] = ((16 * (plus + minus) - (plus2 + minus2)
                                         - 30 * f0[..., np.newaxis]) / (12 * STEP**2))
    cross = values[..., 1 + 4 * k:]
    mixed = (cross[..., 0::4] - cross[..., 1::4] - cross[..., 2::4] + cross[..., 3::4])
    hessian[..., i, j] = hessian[..., j, i] = mixed / (4 * STEP**2)
    return f0, gradient, hessian


def _newton(f: Callable[[Array], Array], x: Array, lower: Array, upper: Array,
            customers: float, fixed: Mask | None = None) -> tuple[Array, float, int]:
    """Projected Newton ascent in the box: (maximum, its value, steps taken).

    Parameters within ACTIVE of the box whose gradient points outwards go onto the box and stay
    there (Bertsekas' active set, so a bound is reached rather than approached forever); the
    others take a Newton step in the directions the Hessian's rounding cannot blur, its
    eigenvalues made negative (so the step always climbs), capped at 2 in log-parameters and
    halved until it pays. The flat directions, and always the least curved one, are probed out
    to the box instead (from the Newton point), so a ridge that keeps rising (constant churn) is
    followed to its end; when the ridge bends away from a straight probe, each probe point is
    then pulled back onto it by a Newton step of its own. The best candidate is taken if it
    gains more than the rounding of f. `fixed` parameters do not move."""
    x = np.clip(x, lower, upper)
    tolerance = _tolerance(customers)
    reach = 1e-4 * 2.0 ** np.arange(19)
    value = float(f(x))
    for step in range(MAX_NEWTON):
        at, gradient, hessian = _derivatives(f, x)
        value = float(at)
        near_lower, near_upper = x - lower <= ACTIVE, upper - x <= ACTIVE
        active = (near_lower & (gradient < 0)) | (near_upper & (gradient > 0))
        base = np.where(active, np.where(near_lower, lower, upper), x)
        if fixed is not None:
            active |= fixed
        free = ~active
        # the quadratic model's gradient in the free parameters once the active ones are moved
        g = gradient[free] + hessian[np.ix_(free, active)] @ (base - x)[active]
        flatness = _flatness(value, customers)
        newton = np.zeros_like(x)
        trials, probes, certified = [base[np.newaxis]], [], True
        if free.any():
            curvature, vectors = np.linalg.eigh(-hessian[np.ix_(free, free)])
            # directions curved less than the Hessian's rounding are probed, not stepped along
            flat = np.abs(curvature) <= flatness
            certified = bool(np.abs(g).max() <= tolerance and np.all(curvature > flatness))
            if np.abs(g).max() > tolerance and not flat.all():
                sure = vectors[:, ~flat]
                newton[free] = sure @ ((sure.T @ g) / np.abs(curvature[~flat]))
                newton *= min(1.0, 2.0 / max(np.abs(newton).max(), 1e-300))
                trials.append(base + 0.5 ** np.arange(40)[:, np.newaxis] * newton)
            flat[0] = True
            for direction in vectors[:, flat].T:  # from the Newton point: both moves at once
                probe = np.zeros_like(x)
                probe[free] = direction
                probes.append(base + newton
                              + np.concatenate([reach, -reach])[:, np.newaxis] * probe)
        candidates = np.clip(np.vstack(trials + probes), lower, upper)
        values = f(candidates)
        noise = _rounding(value)
        pick = int(np.nanargmax(values))
        if not values[pick] - value > noise and probes and not certified:
            candidates = _onto_ridge(f, candidates[-len(probes) * len(probes[0]):], free,
                                     flatness, lower, upper)
            values = f(candidates)
            pick = int(np.nanargmax(values))
        if not values[pick] - value > noise:
            # a full Newton step whose predicted gain is within sight of the rounding of f is
            # taken unless it visibly loses: the gradient, not f, tells the last digits
            stride = np.clip(base + newton, lower, upper)
            if not (newton.any() and g @ newton[free] < 1e3 * noise
                    and float(f(stride)) >= value - noise):
                return x, value, step
            candidates, values, pick = stride[np.newaxis], f(stride[np.newaxis]), 0
        x, value = candidates[pick], float(values[pick])
    return x, value, MAX_NEWTON


def _onto_ridge(f: Callable[[Array], Array], points: Array, free: Mask, flatness: float,
                lower: Array, upper: Array) -> Array:
    """Each point moved by a Newton step of its own in its clearly curved free directions."""
    _, gradient, hessian = _derivatives(f, points)
    curvature, vectors = np.linalg.eigh(-hessian[:, free][:, :, free])
    along = np.einsum("mij,mi->mj", vectors, gradient[:, free])
    steps = np.where(curvature > flatness, along / np.where(curvature > flatness, curvature, 1.0),
                     0.0)
    move = np.einsum("mij,mj->mi", vectors, steps)
    move *= np.minimum(1.0, 2.0 / np.maximum(np.abs(move).max(axis=1, keepdims=True), 1e-300))
    moved = points.copy()
    moved[:, free] += move
    return np.clip(moved, lower, upper)


Kind = Literal["durable core", "decaying", "tourists"]


@dataclass(frozen=True)
class Reading:
    """What a fitted curve says: does it flatten onto a durable core, or decay towards zero?"""

    kind: Kind
    survival_24: float
    interval_24: tuple[float, float] | None
    """80% interval of month-24 survival from the estimate's sampling uncertainty; None when
    the fit supports none (a degenerate curve, or no convergence: see `note`)."""
    last_retention: float
    """Fitted month-on-month retention at the last observed month."""
    note: str = ""
    """What limits the reading: a degenerate curve, no convergence, or assumed cohort sizes."""


def read(fit: SurvivalFit) -> Reading:
    """Flat (retention at least FLAT_RETENTION by the last observed month, and a quarter left
    at month 24), tourists (under a tenth left at month 24), or still decaying. One observed
    period shows decay and nothing about the long run, so it reads as decaying."""
    last = float(fit.retention_rate(max(fit.periods_observed, 1)))
    s24 = float(fit.survival(24))
    kind: Kind = ("decaying" if fit.periods_observed < 2
                  else "durable core" if s24 >= DURABLE_CORE and last >= FLAT_RETENTION
                  else "tourists" if s24 < TOURISTS else "decaying")
    sizes = ("" if fit.sizes_given else
             f"cohort size not given: {NOMINAL_COHORT:,} customers assumed, so the interval "
             "is indicative")
    note = "; ".join(part for part in (fit.note, sizes) if part)
    return Reading(kind, s24, fit.survival_interval(24), last, note)


@dataclass(frozen=True)
class Selection:
    """sBG or BdW for these cohorts, by a likelihood-ratio test of c = 1."""

    sbg: SurvivalFit
    bdw: SurvivalFit
    chosen: SurvivalFit
    statistic: float
    """2 (log L_BdW - log L_sBG), chi-square with 1 degree of freedom if c = 1."""
    p_value: float
    reason: str


def selection_to_plain(selection: Selection) -> dict[str, Any]:
    """The selection as JSON-ready data (`selection_from_plain` reads it back equal)."""
    def plain(fit: SurvivalFit) -> dict[str, Any]:
        out = {f.name: getattr(fit, f.name) for f in fields(fit)}
        out["covariance"] = None if fit.covariance is None else fit.covariance.tolist()
        return out

    return {"sbg": plain(selection.sbg), "bdw": plain(selection.bdw),
            "chosen": "sbg" if selection.chosen is selection.sbg else "bdw",
            "statistic": selection.statistic, "p_value": selection.p_value,
            "reason": selection.reason}


def selection_from_plain(data: dict[str, Any]) -> Selection:
    def fit(values: dict[str, Any]) -> SurvivalFit:
        covariance = values["covariance"]
        return SurvivalFit(**{**values, "covariance": None if covariance is None
                              else np.array(covariance, dtype=float)})

    sbg, bdw = fit(data["sbg"]), fit(data["bdw"])
    return Selection(sbg, bdw, sbg if data["chosen"] == "sbg" else bdw, data["statistic"],
                     data["p_value"], data["reason"])


def select_model(survival: Sequence[float] | Sequence[Cohort] | Array | Cohort,
                 n0: float | None = None, level: float = SELECTION_LEVEL) -> Selection:
    """Fit both models and keep the BdW only if the likelihood-ratio test rejects c = 1 at
    `level` (the statistic grows with the cohort sizes, so assumed sizes make it indicative)."""
    counts, given = _data(survival, n0)
    sbg = _fit(counts, given, "sBG")
    bdw = _fit(counts, given, "BdW", seed=sbg)
    statistic = max(0.0, 2.0 * (bdw.log_likelihood - sbg.log_likelihood))
    p_value = math.erfc(math.sqrt(statistic / 2.0))  # chi-square(1) survival function
    test = f"LR {statistic:.1f}, p = {p_value:.2g}"
    if not bdw.converged:
        return Selection(sbg, bdw, sbg, statistic, p_value,
                         f"sBG: the BdW fit did not converge ({bdw.note})")
    if p_value < level:
        trend = "rises" if bdw.c > 1 else "falls"
        return Selection(sbg, bdw, bdw, statistic, p_value,
                         f"BdW: each customer's churn {trend} with tenure (c = {bdw.c:.2f}), "
                         f"which the sBG cannot fit ({test})")
    return Selection(sbg, bdw, sbg, statistic, p_value,
                     f"sBG: no evidence that churn changes with tenure (BdW c = {bdw.c:.2f}; "
                     f"{test})")
