"""The input space: every scoreable value of a subject (company or market) as a named column.

A subject model is walked once into `Input`s, one per uncertain number, yes/no evidence or
category, keyed by dotted path (`moat.data_flywheel.unique_dataset`). Each input turns uniforms
into values (`draw`), so the whole space is sampled as one (N x k) matrix. `Derived` inputs are
numpy functions of other columns (a labour pool is employees x median wage), so sensitivity is
always attributed to what the analyst actually entered.

`catalogue(model_class)` lists the paths a subject type offers, from the field types alone
(their `InputKind` metadata), so a scorecard can be checked against it before any company is
loaded; `space_of` walks the same fields, so a subject offers exactly what its type promises.
"""

from __future__ import annotations

import functools
import math
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

import numpy as np
from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from thesis.models.distributions import Array, Categorical, Distribution, InputKind, Kind, Point

T = TypeVar("T")
QUANTILE_EDGE = 1e-12
"""`Input.quantile` reads q within [QUANTILE_EDGE, 1 - QUANTILE_EDGE], where every quantile is
finite."""
LANDMARKS = (QUANTILE_EDGE, 0.1, 0.5, 0.9, 1 - QUANTILE_EDGE)
"""The quantiles read of every input: the ends (is it certain?), P10, median, P90."""
EXPECTED = math.nan
"""A category's base-case value: not one choice but all of them, each rule scoring it at its
expected score over the choices' probabilities, as yes/no evidence at probability p scores
p * yes + (1 - p) * no. One base-case rule for every discrete input: the expected score."""


@dataclass(frozen=True)
class Input:
    """One column of the input matrix."""

    path: str
    kind: Kind
    distribution: Distribution | None = None  # kind == "number"
    probability: float = 0.0  # kind == "evidence"
    choices: tuple[str, ...] = ()  # kind == "category"
    weights: tuple[float, ...] = ()  # kind == "category": probability of each choice
    note: str = ""  # how an estimated input was arrived at, shown beside it in reports

    def draw(self, u: Array) -> Array:
        """Values for uniforms `u`: inverse CDF, Bernoulli, or a category's index.

        Every kind is non-decreasing in `u`, so raising a uniform never worsens an input whose
        better direction is "higher": the monotonicity laws can be tested on uniforms alone.
        """
        if self.kind == "number":
            assert self.distribution is not None
            return self.distribution.ppf(u)
        if self.kind == "evidence":
            return (np.asarray(u) >= 1.0 - self.probability).astype(float)
        edges = np.cumsum(self.weights)[:-1]
        return np.searchsorted(edges, u, side="right").astype(float)

    def base(self) -> float:
        """The base case: a number's median; for yes/no evidence its probability, and for a
        category `EXPECTED`, so that both score at their expectation over their outcomes."""
        if self.kind == "number":
            return self.quantile(0.5)
        if self.kind == "evidence":
            return self.probability
        return EXPECTED

    @property
    def likeliest(self) -> int:
        """A category's likeliest choice, by index (the first of ties)."""
        return int(np.argmax(self.weights))

    @property
    def is_certain(self) -> bool:
        if self.kind == "number":
            return isinstance(self.distribution, Point) or self.quantile(0.0) == self.quantile(1.0)
        if self.kind == "evidence":
            return self.probability in (0.0, 1.0)
        return max(self.weights) == 1.0

    def quantile(self, q: float) -> float:
        q = min(max(q, QUANTILE_EDGE), 1 - QUANTILE_EDGE)
        known = self._landmarks.get(q)
        return float(self.draw(np.array([q]))[0]) if known is None else known

    @functools.cached_property
    def _landmarks(self) -> dict[float, float]:
        """The quantiles reports and the tornado read of every input (`LANDMARKS`), drawn at
        once: a draw costs about the same for one point as for five."""
        return dict(zip(LANDMARKS, map(float, self.draw(np.array(LANDMARKS))), strict=True))

    def describe(self, value: float | None = None) -> str:
        """How the analyst stated this input (P10..P90 of a range), or a value of it, briefly."""
        if self.kind == "category":
            if value is not None and not math.isnan(value):
                return self.choices[int(value)]
            likely = [f"{c} {w:.0%}" for c, w in zip(self.choices, self.weights, strict=True) if w]
            return likely[0].split()[0] if len(likely) == 1 else ", ".join(likely)
        if self.kind == "evidence":
            p = self.probability if value is None else value
            return {1.0: "yes", 0.0: "no"}.get(p, f"p={p:.2f}")
        if value is not None or self.is_certain:
            return compact(self.base() if value is None else value)
        return f"{compact(self.quantile(0.1))}..{compact(self.quantile(0.9))}"


def compact(value: float) -> str:
    """A number in a few characters: 0.35, 12.5, 94k, 1.2M, 3.4B, 1.1T (rounded to three
    significant figures first, so 999,999,999 reads 1B, not 1e+03M)."""
    value = float(f"{value:.3g}")
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


@dataclass(frozen=True)
class Derived:
    """A column computed from others; `compute` receives them in the order of `needs`."""

    path: str
    kind: Kind
    needs: tuple[str, ...]
    compute: Callable[..., Array]
    operator: str = "x"
    """How a report joins the needs when it shows what was given: `x` for a product, `/` for a
    ratio."""
    signs: tuple[int, ...] = ()
    """+1 where the column rises with a need, -1 where it falls (a ratio's denominator)."""


@dataclass
class InputSpace:
    """The inputs a subject offers, and the derived ones computed from them."""

    inputs: dict[str, Input] = field(default_factory=dict)
    derived: dict[str, Derived] = field(default_factory=dict)

    def __contains__(self, path: str) -> bool:
        return path in self.inputs or (
            path in self.derived and all(n in self for n in self.derived[path].needs)
        )

    def base_inputs(self, paths: list[str]) -> list[Input]:
        """The sampled inputs that `paths` depend on, each once, in first-use order."""
        seen: dict[str, Input] = {}

        def visit(path: str) -> None:
            if path in self.inputs:
                seen.setdefault(path, self.inputs[path])
            else:
                for need in self.derived[path].needs:
                    visit(need)

        for path in paths:
            visit(path)
        return list(seen.values())

    def column(self, path: str, columns: dict[str, Array]) -> Array:
        """The values of `path` given the sampled base `columns` (computing derived ones); a
        base input that is not sampled is at its base case in every row."""
        if path in columns:
            return columns[path]
        if path in self.inputs:
            rows = len(next(iter(columns.values()))) if columns else 1
            return np.full(rows, self.inputs[path].base())
        d = self.derived[path]
        return d.compute(*(self.column(n, columns) for n in d.needs))


def space_of(subject: BaseModel, derived: list[Derived] | None = None) -> InputSpace:
    """Walk a validated subject model into its input space: one input per field `catalogue`
    finds that the subject gives, read as the field's declared kind."""
    space = InputSpace()
    for path, kind in _catalogue(type(subject), ""):
        value = _value_at(subject, path)
        if value is not None:
            space.inputs[path] = input_of(path, kind, value)
    for d in derived or []:
        space.derived[d.path] = d
    return space


def catalogue(model: type[BaseModel], prefix: str = "") -> dict[str, InputKind]:
    """Every input path a subject type can offer, with its kind, read from the field types
    (a fresh dict: the walk itself is done once per type)."""
    return dict(_catalogue(model, prefix))


@functools.cache
def _catalogue(model: type[BaseModel], prefix: str) -> tuple[tuple[str, InputKind], ...]:
    return tuple(_inputs(model, prefix))


def _inputs(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, InputKind]]:
    """The one walk over a model's fields: each input field's path and kind, nested models
    followed (through `X | None`, not into lists)."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        kind = next((m for m in info.metadata if isinstance(m, InputKind)), None)
        kind = kind or find_in_type(info.annotation, _input_kind)
        if kind is not None:
            yield path, kind
            continue
        nested = find_in_type(info.annotation, model_class)
        if nested is not None:
            yield from _inputs(nested, f"{path}.")


def field_at(model: type[BaseModel], path: str) -> FieldInfo | None:
    """The field a dotted path names in a subject type (through nested models), or None."""
    info: FieldInfo | None = None
    for name in path.split("."):
        if model is None or name not in model.model_fields:
            return None
        info = model.model_fields[name]
        model = find_in_type(info.annotation, model_class)  # type: ignore[assignment]
    return info


def _value_at(subject: BaseModel, path: str) -> Any:
    """The value at a dotted path, or None where it or a model on the way is not given."""
    value: Any = subject
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


@functools.cache
def _reader(kind: InputKind) -> TypeAdapter[Any]:
    return TypeAdapter(Annotated[Any, kind])


def read_as(kind: InputKind, value: Any) -> Any:
    """A raw value (a scorecard's prior) validated as a field of this kind would be; raises
    pydantic's `ValidationError`."""
    return _reader(kind).validate_python(value)


def input_of(path: str, kind: InputKind, value: Any) -> Input:
    """The column for a field's validated value, as its declared kind."""
    if kind.kind == "number" and isinstance(value, Distribution):
        return Input(path, "number", distribution=value)
    if kind.kind == "evidence" and isinstance(value, float):
        return Input(path, "evidence", probability=value)
    if kind.kind == "category" and isinstance(value, Categorical):
        return Input(path, "category", choices=value.choices,
                     weights=tuple(value.probabilities.get(c, 0.0) for c in value.choices))
    raise TypeError(f"{path}: a {kind.kind} input holds {type(value).__name__}")


def find_in_type(annotation: Any, pick: Callable[[Any], T | None], *,
                 through_containers: bool = False) -> T | None:
    """The first part of a type annotation that `pick` accepts, looking through `Annotated`
    metadata and union members (and, if asked, container items such as `list[X]`)."""
    found = pick(annotation)
    if found is not None:
        return found
    is_union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    if hasattr(annotation, "__metadata__") or is_union or through_containers:
        for arg in typing.get_args(annotation):
            found = find_in_type(arg, pick, through_containers=through_containers)
            if found is not None:
                return found
    return None


def model_class(candidate: Any) -> type[BaseModel] | None:
    return candidate if isinstance(candidate, type) and issubclass(candidate, BaseModel) else None


def _input_kind(candidate: Any) -> InputKind | None:
    return candidate if isinstance(candidate, InputKind) else None
