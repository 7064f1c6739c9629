"""Validate a YAML document against a pydantic model, reporting every problem at its line.

This is the one place pydantic's error `loc` becomes a field path and a `file:line:column`.
"""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from thesis.engine.space import find_in_type, model_class
from thesis.errors import InputError, Problem
from thesis.files.yaml import Document
from thesis.models.distributions import SHAPE_TAGS

M = TypeVar("M", bound=BaseModel)

_NOISE_PREFIXES = ("function-", "constrained-", "tagged-union", "union[")
# Names pydantic puts in `loc` for the member of a union a value was tried against. A number's
# shapes are tagged "~uniform", "~beta", ..., which no field name can be; the rest are pydantic's
# names for plain union members and the scorecard's rule kinds.
_UNION_MEMBERS = SHAPE_TAGS | {"bool", "float", "int", "str", "list", "dict", "curve",
                               "categories", "evidence"}


def validate(model: type[M], doc: Document, context: dict[str, Any] | None = None) -> M:
    """`model` from `doc`, or `InputError` listing every problem with its position."""
    if not isinstance(doc.data, dict):
        raise InputError([doc.problem((), f"expected a mapping of fields, got "
                                           f"{_kind(doc.data)}")])
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        raise InputError(problems(model, doc, exc)) from None


def problems(model: type[BaseModel], doc: Document, exc: ValidationError) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    for error in exc.errors(include_url=False):
        loc = _clean(error["loc"])
        message = _message(model, loc, error)
        if (loc, message) not in seen:
            seen.add((loc, message))
            out.append(doc.problem(loc, message))
    return sorted(out, key=lambda p: (p.line, p.column))


def _clean(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's names for union members and validators; keep the user's field path."""
    return tuple(
        part for part in loc
        if isinstance(part, int)
        or not (part.startswith(_NOISE_PREFIXES) or part in _UNION_MEMBERS or "[" in part)
    )


def _message(model: type[BaseModel], loc: tuple[str | int, ...], error: Any) -> str:
    kind, msg = error["type"], str(error["msg"])
    if kind == "extra_forbidden":
        return _unknown_field(model, loc)
    if kind == "missing":
        return "required field is missing"
    if kind == "distribution" and isinstance(error.get("input"), dict):
        keys = ", ".join(sorted(map(str, error["input"])))
        return f"{msg} (got {{{keys}}})"
    if msg.startswith("Value error, "):
        msg = msg.removeprefix("Value error, ")
    if kind in {"float_type", "float_parsing", "int_type", "string_type", "bool_type",
                "dict_type", "list_type", "model_type", "literal_error"}:
        msg = f"{msg} (got {_kind(error.get('input'))})"
    return msg[0].lower() + msg[1:] if msg else kind


def _unknown_field(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    name = str(loc[-1])
    fields = _fields_at(model, loc[:-1])
    close = difflib.get_close_matches(name, fields, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown field {name!r}{hint}"


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the model found by following `loc` from `model`."""
    found = model_at(model, loc)
    return list(found.model_fields) if found is not None else []


def model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model found by following `loc` from `model` (through `X | None` and lists), or None
    where `loc` leaves the models."""
    current: Any = model
    for part in loc:
        found = find_in_type(current, model_class, through_containers=True)
        if found is None:
            return None
        if isinstance(part, int):
            continue
        info = found.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
    return find_in_type(current, model_class, through_containers=True)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
