"""Distributions an input may take, so an analyst can say "between 60% and 75%".

Every numeric field of a company or market is a plain number or one of the distributions
below, chosen in YAML by its keys: `{low, high}` uniform, `{low, mode, high}` triangular,
`{mean, sd}` normal, `{p10, p90}` lognormal, `{alpha, beta}` beta (optionally scaled to
`[low, high]`). Each draws values from uniforms through its inverse CDF (`ppf`), so plain Monte
Carlo and scrambled Sobol points work alike, and each has a median, the base case.

Yes/no evidence is `true`, `false` or a probability; its base case is that probability, so the
base-case score of a linear rule equals its Monte Carlo mean. Categories may be uncertain too:
`{outcome: 0.6, seat: 0.4}`.

A field says what it accepts with `Annotated` metadata, an `InputKind` that both validates the
value and describes the input (so a scorecard can be checked against a model before any subject
is loaded), while the field keeps a real type:

    Rate = Annotated[Distribution, Domain(0.0, 1.0)]    # a number or a distribution in [0, 1]
    Pricing = Annotated[Categorical, Choices("seat", "usage", "outcome")]
    Evidence = Annotated[float, YesNo()]                  # true, false or a probability

A number's domain is attached when it is validated: normals are truncated to it, and the other
shapes must lie inside it. A shape that cannot, whatever its parameters (a lognormal, unbounded
above, for a fraction), is refused with the shapes that can.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from thesis.special import beta_quantile, ndtr, ndtri

Array = NDArray[np.float64]
Kind = Literal["number", "evidence", "category"]


Z90 = 1.2815515655446004  # standard normal quantile at 0.90: turns {p10, p90} into a sigma


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    _domain: tuple[float, float] = PrivateAttr(default=(-math.inf, math.inf))

    @property
    def domain(self) -> tuple[float, float]:
        return self._domain

    def within(self, low: float, high: float) -> _Shape:
        """A copy that knows the domain of the field it was given for."""
        copy = self.model_copy()
        copy._domain = (low, high)
        return copy

    def support(self) -> tuple[float, float]:
        """Smallest and largest value this distribution can draw (before truncation)."""
        raise NotImplementedError

    def ppf(self, u: Array) -> Array:
        """Inverse CDF: values for uniforms `u` in (0, 1)."""
        raise NotImplementedError

    def median(self) -> float:
        return float(self.ppf(np.array([0.5]))[0])


IN_UNIT = "in the unit of the field it is given for"


class Uniform(_Shape):
    """Every value between low and high equally likely: "somewhere from 60% to 75%"."""

    low: float = Field(description=f"the smallest value, {IN_UNIT}")
    high: float = Field(description=f"the largest value, {IN_UNIT}")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not exceed high ({self.high:g})")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def ppf(self, u: Array) -> Array:
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)


class Triangular(_Shape):
    """Between low and high, likeliest at mode: "60% to 75%, most likely 70%"."""

    low: float = Field(description=f"the smallest value, {IN_UNIT}")
    mode: float = Field(description=f"the likeliest value, {IN_UNIT}")
    high: float = Field(description=f"the largest value, {IN_UNIT}")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("needs low <= mode <= high")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def ppf(self, u: Array) -> Array:
        u = np.asarray(u, dtype=float)
        a, c, b = self.low, self.mode, self.high
        if b == a:
            return np.full_like(u, a)
        split = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < split, left, right)


class Normal(_Shape):
    """Normal, truncated to the field's domain (so a rate never leaves [0, 1])."""

    mean: float = Field(description=f"the central value, {IN_UNIT}")
    sd: float = Field(ge=0, description=f"the standard deviation, {IN_UNIT}; 0 for a known "
                      "value")

    def support(self) -> tuple[float, float]:
        return (self.mean, self.mean) if self.sd == 0 else (-math.inf, math.inf)

    def ppf(self, u: Array) -> Array:
        u = np.asarray(u, dtype=float)
        if self.sd == 0:
            return np.full_like(u, self.mean)
        low, high = self.domain
        a, b = ndtr((low - self.mean) / self.sd), ndtr((high - self.mean) / self.sd)
        x: Array = self.mean + self.sd * ndtri(a + u * (b - a))
        return np.clip(x, low, high)


class LogNormal(_Shape):
    """Lognormal given by its 10th and 90th percentiles, the way analysts state ranges."""

    p10: float = Field(gt=0, description="the 10th percentile: a value the number falls below "
                      f"only one time in ten; above 0, {IN_UNIT}")
    p90: float = Field(gt=0, description="the 90th percentile: a value the number exceeds only "
                      f"one time in ten; above 0, {IN_UNIT}")

    @field_validator("p10", "p90", mode="before")
    @classmethod
    def _positive(cls, value: Any) -> Any:
        """Say what to write instead when the range reaches 0 or below (a growth rate, a
        margin): a lognormal describes positive quantities only."""
        if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
            raise ValueError("must be greater than 0: a lognormal {p10, p90} describes a "
                             "positive quantity; for one that may be 0 or less, write "
                             "{low, high}, {low, mode, high} or {mean, sd}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> LogNormal:
        if self.p10 > self.p90:
            raise ValueError("needs p10 <= p90")
        return self

    def support(self) -> tuple[float, float]:
        return (self.p10, self.p10) if self.p10 == self.p90 else (0.0, math.inf)

    def ppf(self, u: Array) -> Array:
        u = np.asarray(u, dtype=float)
        mu = 0.5 * (math.log(self.p10) + math.log(self.p90))
        sigma = (math.log(self.p90) - math.log(self.p10)) / (2 * Z90)
        if sigma == 0:
            return np.full_like(u, self.p10)
        low, high = self.domain
        a = ndtr((math.log(low) - mu) / sigma) if low > 0 else 0.0
        b = ndtr((math.log(high) - mu) / sigma) if math.isfinite(high) else 1.0
        x: Array = np.exp(mu + sigma * ndtri(a + u * (b - a)))
        return np.clip(x, low, high)


class Beta(_Shape):
    """Beta(alpha, beta) on [low, high] (default [0, 1]): a natural prior for a rate."""

    alpha: float = Field(gt=0, description="the first shape parameter, above 0: with beta, "
                         "the mean is alpha / (alpha + beta) of the way from low to high")
    beta: float = Field(gt=0, description="the second shape parameter, above 0; alpha + beta "
                        "says how sure (the larger, the narrower)")
    low: float = Field(default=0.0, description=f"the smallest value, {IN_UNIT} (default 0)")
    high: float = Field(default=1.0, description=f"the largest value, {IN_UNIT} (default 1)")

    @model_validator(mode="after")
    def _ordered(self) -> Beta:
        if self.low >= self.high:
            raise ValueError("needs low < high")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def ppf(self, u: Array) -> Array:
        x = beta_quantile(self.alpha, self.beta, np.asarray(u, dtype=float))
        return self.low + (self.high - self.low) * x


class Point(_Shape):
    """A known number: the degenerate distribution every plain number becomes."""

    value: float = Field(description=f"the number, {IN_UNIT}")

    def support(self) -> tuple[float, float]:
        return self.value, self.value

    def ppf(self, u: Array) -> Array:
        return np.full(np.shape(u), self.value, dtype=float)


Distribution = Point | Uniform | Triangular | Normal | LogNormal | Beta

_SHAPES: dict[frozenset[str], str] = {
    frozenset({"low", "high"}): "uniform",
    frozenset({"low", "mode", "high"}): "triangular",
    frozenset({"mean", "sd"}): "normal",
    frozenset({"p10", "p90"}): "lognormal",
    frozenset({"alpha", "beta"}): "beta",
    frozenset({"alpha", "beta", "low", "high"}): "beta",
}
SHAPE_HELP = (
    "expected a number or a distribution: {low, high} | {low, mode, high} | {mean, sd} "
    "| {p10, p90} | {alpha, beta}"
)


def _tag(value: Any) -> str | None:
    """The `_Number` member for a value, chosen by its keys (or its type)."""
    if isinstance(value, BaseModel):
        name = "point_model" if isinstance(value, Point) else type(value).__name__.lower()
        return f"~{name}"
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return "~point"
    if isinstance(value, Mapping):
        shape = _SHAPES.get(frozenset(value))
        return None if shape is None else f"~{shape}"
    return None


# Tags start with "~", which no field name can: error paths drop them (thesis.files.validate)
# without ever dropping a field that happens to share a shape's name (`beta`).
_Number = Annotated[
    Union[  # noqa: UP007 - tagged members need the Union spelling
        Annotated[float, Tag("~point")],
        Annotated[Point, Tag("~point_model")],
        Annotated[Uniform, Tag("~uniform")],
        Annotated[Triangular, Tag("~triangular")],
        Annotated[Normal, Tag("~normal")],
        Annotated[LogNormal, Tag("~lognormal")],
        Annotated[Beta, Tag("~beta")],
    ],
    Discriminator(_tag, custom_error_type="distribution", custom_error_message=SHAPE_HELP),
]
SHAPE_TAGS = frozenset({"~point", "~point_model", "~uniform", "~triangular", "~normal",
                        "~lognormal", "~beta"})
"""The union tags of a number, as they appear in pydantic's error locations."""


class Categorical(BaseModel):
    """A category, or probabilities over categories: `{outcome: 0.6, seat: 0.4}`."""

    model_config = ConfigDict(frozen=True)
    probabilities: dict[str, float] = Field(
        description="each choice given, with its probability (fractions summing to 1)")
    choices: tuple[str, ...] = Field(description="every choice the field offers, in its order")

    @property
    def base_case(self) -> str:
        return max(self.probabilities, key=lambda k: self.probabilities[k])


@dataclass(frozen=True)
class InputKind:
    """What a scoreable input field accepts: `Annotated` metadata that validates the field and
    describes it, so scorecards can be checked against a model from its types alone.

    Build it with `Domain`, `YesNo` or `Choices`; `InputKind("number", 0.0, 1.0)` is the same.
    """

    kind: Kind
    low: float = -math.inf
    high: float = math.inf
    choices: tuple[str, ...] = ()
    plausible: tuple[float, float] | None = None
    """For a number: the range history makes believable, inside the hard [low, high]. A value
    outside it is allowed but warned about (an error under `--strict`)."""

    def __post_init__(self) -> None:
        """A plausible range outside the hard one is a slip in a model: fail on import."""
        if self.plausible is not None and not (
                self.low <= self.plausible[0] <= self.plausible[1] <= self.high):
            raise ValueError(f"plausible range {self.plausible} must be ordered and lie in "
                             f"[{self.low:g}, {self.high:g}]")

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        if self.kind == "number":
            return core_schema.no_info_after_validator_function(
                self._number, handler.generate_schema(_Number))
        check = self._evidence if self.kind == "evidence" else self._category
        return core_schema.no_info_plain_validator_function(check)

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        if self.kind == "number":
            return handler(schema)
        if self.kind == "evidence":
            return {"anyOf": [{"type": "boolean"},
                              {"type": "number", "minimum": 0, "maximum": 1}]}
        return {"anyOf": [{"enum": list(self.choices)},
                          {"type": "object", "propertyNames": {"enum": list(self.choices)},
                           "additionalProperties": {"type": "number", "minimum": 0,
                                                    "maximum": 1}}]}

    def _as_share(self, lo: float, hi: float, what: str = "a share") -> str:
        """A hint when the value reads as a percentage where a share is expected (35 for 0.35):
        it is over five times the domain's top and fits once divided by 100 (a share's domain
        ends at 1 or a few)."""
        if 5 * self.high < hi <= 100 * self.high and self.low <= lo / 100 and self.high <= 5:
            return f"; did you mean {_span(lo / 100, hi / 100)} ({what}, not a percentage)?"
        return ""

    def bounds(self) -> str:
        """The hard range in words: `in [0, 1]`, `at least -1`, `at most 5` or `any number`."""
        if math.isfinite(self.low) and math.isfinite(self.high):
            return f"in [{self.low:g}, {self.high:g}]"
        if math.isfinite(self.low):
            return f"at least {self.low:g}"
        return f"at most {self.high:g}" if math.isfinite(self.high) else "any number"

    def _must(self) -> str:
        """`must lie in [0, 1]`, `must be at least 0`: the start of an out-of-range message."""
        finite = math.isfinite(self.low) and math.isfinite(self.high)
        return f"must {'lie' if finite else 'be'} {self.bounds()}"

    def _shapes_that_fit(self) -> str:
        """The shapes that can describe a number of this field, for a message naming one that
        cannot: all but the lognormal (a beta scaled unless the field is a fraction)."""
        beta = "{alpha, beta}" if (self.low, self.high) == (0.0, 1.0) else (
            "{alpha, beta, low, high}")
        return (f"write {{low, high}}, {{low, mode, high}}, {{mean, sd}} (truncated to the "
                f"range) or {beta}")

    def _misfit(self, dist: Distribution) -> str | None:
        """Why this shape cannot describe this field whatever its parameters, and what to write
        instead; None when it can (its parameters are checked next)."""
        bounds = self.bounds()
        what = "a fraction" if (self.low, self.high) == (0.0, 1.0) else "a number"
        what += f" {bounds}" if bounds.startswith("in ") else f" of {bounds}"
        if isinstance(dist, LogNormal) and dist.p10 < dist.p90:
            if math.isfinite(self.high):
                return (f"a lognormal {{p10, p90}} is unbounded above, so it cannot describe "
                        f"{what}; {self._shapes_that_fit()}")
            if self.low > 0:
                return (f"a lognormal {{p10, p90}} reaches down to 0, so it cannot describe "
                        f"{what}; {self._shapes_that_fit()}")
        if (isinstance(dist, Beta) and not {"low", "high"} & dist.model_fields_set
                and not self.low <= 0.0 < 1.0 <= self.high):
            return (f"a beta {{alpha, beta}} lies in [0, 1] unless given its own low and high; "
                    f"this field is {bounds}: write {{alpha, beta, low, high}} with low and high "
                    "inside it")
        return None

    def implausible(self, value: Distribution, about: str | None = None) -> str | None:
        """Why a valid `value` is hard to believe, or None when what it states stays in the
        plausible range. A point states itself, a bounded distribution its support, a normal or
        lognormal (unbounded) its P10..P90, to 3 significant figures as reports show it.
        `about`, what the field measures, helps the reader see the slip."""
        if self.plausible is None:
            return None
        low, high = self.plausible
        lo, hi = value.support()
        bounded = math.isfinite(lo) and math.isfinite(hi)
        if not bounded:
            lo, hi = (float(f"{x:.3g}") for x in value.ppf(np.array([0.1, 0.9])))
        if low <= lo and hi <= high:
            return None
        stated = f"{lo:g} is far outside" if lo == hi else (
            f"its {'range' if bounded else 'P10..P90'} {lo:g}..{hi:g} leaves")
        note = f" ({about})" if about else ""
        hint = "" if self.high == 100 else _as_fraction(lo, hi, low, high)  # 100: a percentage
        return f"{stated} the plausible range {low:g}..{high:g}{note}{hint}"

    def _number(self, value: Any) -> Distribution:
        """A plain number as a point; the distribution inside the domain, knowing it."""
        dist: Distribution = Point(value=value) if isinstance(value, int | float) else value
        misfit = self._misfit(dist)
        if misfit is not None:
            raise ValueError(misfit)
        lo, hi = dist.support()
        if isinstance(dist, Normal) and dist.sd > 0:
            if not self.low <= dist.mean <= self.high:
                raise ValueError(f"the mean of {{mean, sd}} {self._must()} (the normal is "
                                 f"truncated to that range){self._as_share(dist.mean, dist.mean)}")
            lo = hi = dist.mean
        if lo < self.low or hi > self.high:
            raise ValueError(f"{self._must()}{self._as_share(lo, hi)}")
        return dist.within(self.low, self.high)  # type: ignore[return-value]

    def _evidence(self, value: Any) -> float:
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, int | float) and 0 <= value <= 1:
            return float(value)
        if isinstance(value, Mapping):
            raise ValueError("yes/no evidence takes one probability, not a distribution: write "
                             "true, false or a probability in [0, 1] (an uncertain probability "
                             "counts as its mean)")
        hint = self._as_share(value, value, "a probability") if isinstance(
            value, int | float) else ""
        raise ValueError(f"expected true, false or a probability in [0, 1]{hint}")

    def _category(self, value: Any) -> Categorical:
        choices = self.choices
        probs = {value: 1.0} if isinstance(value, str) else value
        if not isinstance(probs, Mapping) or not probs:
            raise ValueError(f"expected one of {', '.join(choices)} or {{choice: probability}}")
        unknown = [k for k in probs if k not in choices]
        if unknown:
            raise ValueError(f"unknown choice {unknown[0]!r}; expected one of {', '.join(choices)}")
        if any(not isinstance(p, int | float) or isinstance(p, bool) or not 0 <= p <= 1
               for p in probs.values()):
            raise ValueError("probabilities must be numbers in [0, 1]")
        if not math.isclose(sum(probs.values()), 1.0, abs_tol=1e-6):
            raise ValueError(f"probabilities sum to {sum(probs.values()):g}, not 1")
        return Categorical(probabilities={k: float(v) for k, v in probs.items()}, choices=choices)


def _as_fraction(lo: float, hi: float, low: float, high: float) -> str:
    """A hint when an implausible value reads as a percentage (250 for 2.5): the field holds
    fractions (plausible up to 10 at most, +1,000%; not dollars or wages), all of the value
    lies outside the plausible [low, high] (a range half inside is wide, not a slip), beyond 1
    either way (within that it is a fraction already), and a hundredth of it inside."""
    outside = hi < low or lo > high
    if (high <= 10 and outside and min(abs(lo), abs(hi)) > 1
            and low <= lo / 100 and hi / 100 <= high):
        return f"; did you mean {_span(lo / 100, hi / 100)}?"
    return ""


def _span(lo: float, hi: float) -> str:
    """`0.35`, or `0.9 to 1.1` for a range: how a hint spells the value it suggests."""
    return f"{lo:g}" if lo == hi else f"{lo:g} to {hi:g}"


def Domain(low: float = -math.inf, high: float = math.inf, *,  # noqa: N802 - metadata
           plausible: tuple[float, float] | None = None) -> InputKind:
    """A number, plain or any distribution, lying in [low, high], believable in `plausible`:
    `Annotated[Distribution, Domain(0.0, plausible=(0.0, 3.0))]`."""
    return InputKind("number", low, high, plausible=plausible)


def YesNo() -> InputKind:  # noqa: N802 - metadata
    """Yes/no evidence, `true`, `false` or a probability: `Annotated[float, YesNo()]`."""
    return InputKind("evidence", 0.0, 1.0)


def Choices(*choices: str) -> InputKind:  # noqa: N802 - metadata
    """One of `choices`, or probabilities over them: `Annotated[Categorical, Choices(...)]`."""
    return InputKind("category", choices=choices)


Rate = Annotated[Distribution, Domain(0.0, 1.0)]
Positive = Annotated[Distribution, Domain(0.0)]
Evidence = Annotated[float, YesNo()]
"""Yes/no evidence: `true`, `false`, or the probability that it is true."""
