"""The file `thesis init` writes: a company or a market to fill in, generated from the models.

Every field appears in model order with the question it answers (inputs), its meaning and unit
(its description), what it accepts (its input kind: the range of a number, the choices of a
category) and its example value, never the default. Only the required fields are answered: the
others are commented out, so a file filled in halfway never scores on invented examples. Nothing
here names a field, so a field added to a model appears in the template by itself. The file as
written validates and scores (as "insufficient evidence", until answers are given).
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from thesis import __version__
from thesis.engine.space import catalogue, compact, find_in_type, model_class
from thesis.models.base import example_of, is_advanced
from thesis.models.distributions import InputKind
from thesis.subjects import KINDS, SubjectKind, SubjectName

WIDTH = 100
INDENT = "  "
SCHEMA_FOLDER = ("docs", "schema")
"""Where the project publishes its schemas, and the shipped examples point
(`# yaml-language-server: $schema=../../docs/schema/company.schema.json`)."""

_INTRO = """\
Only the required fields are answered. Every other field is written commented out, with the
question it answers, its unit, what it accepts and an EXAMPLE value: to answer it, remove the
"# " before it (and before the name of its block, such as "# moat:") and write your figure.
A field left commented out is not scored as zero: it is drawn from the scorecard's prior for
it, which widens the score, the report marks it "not given", and with too little given the
verdict is "insufficient evidence". Give what you know; the report says what to find out next.

Any number may be a distribution in the same unit, when you know a range rather than a figure:
  {low: 0.3, high: 0.6}              uniform: anywhere between low and high
  {low: 0.6, mode: 0.7, high: 0.8}   triangular: likeliest at mode
  {mean: 1.15, sd: 0.05}             normal, truncated to the field's range
  {p10: 9.0e4, p90: 1.3e5}           lognormal: positive numbers unbounded above (money, counts)
  {alpha: 3, beta: 7}                beta, on [0, 1] (add low and high to move it)
A yes/no may be the probability that it is true (0.7); a category may be probabilities over its
choices ({high: 0.6, medium: 0.4})."""

FEW_KNOW = "Few investors know this one: leave it out unless you do."
_PLAIN = re.compile(r"[A-Za-z0-9][\w .,()/'+-]*")
_YAML_WORDS = {"true", "false", "null", "~"}
_BRACES = re.compile(r"\{[^{}]*\}")
_NBSP = "\N{NO-BREAK SPACE}"  # textwrap breaks lines at ASCII spaces only


def template(kind: SubjectName, schema: str | None = None) -> str:
    """The commented YAML file of a company or a market (`kind`) to fill in. `schema` is the
    path to its JSON Schema for editors, relative to the file; None writes `<kind>.schema.json`
    and says how to make it (see `schema_reference`)."""
    subject = KINDS[kind]
    lines = [f"# yaml-language-server: $schema={schema or f'{kind}.schema.json'}"]
    if schema is None:
        lines += _comments([f"(Editors check this file as you type once that schema is beside "
                            f"it: thesis schema {kind} -o {kind}.schema.json)"], "")
    lines.append(f"# A {kind} to score with `thesis score`, written by `thesis init` "
                 f"(thesis {__version__}).")
    lines += ["#" + (f" {line}" if line else "") for line in _INTRO.splitlines()]
    lines += _fields(subject, subject.model, "", catalogue(subject.model))
    return "\n".join(lines) + "\n"


def schema_reference(kind: SubjectName, target: Path) -> str | None:
    """The path from the folder of `target` (the file to write) to the schema the project
    publishes, `docs/schema/<kind>.schema.json` in that folder or one above it, where the
    shipped examples point; None outside such a project. Relative, so the file stays portable."""
    folder = target.resolve().parent
    for above in (folder, *folder.parents):
        schema = above.joinpath(*SCHEMA_FOLDER, f"{kind}.schema.json")
        if schema.is_file():
            return Path(os.path.relpath(schema, folder)).as_posix()
    return None


def _fields(subject: SubjectKind, model: type[BaseModel], prefix: str,
            inputs: dict[str, InputKind]) -> list[str]:
    """The lines of every field of `model`, nested blocks followed, at the depth of `prefix`."""
    pad = INDENT * prefix.count(".")
    lines: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        notes = [subject.question(path)] if path in inputs else []
        notes.append(_about(info))
        if path in inputs:
            notes.append(accepts(inputs[path]))
        if is_advanced(info):
            notes.append(FEW_KNOW)
        if lines or not prefix:  # a blank line between fields, none under a block's name
            lines.append("")
        lines += _comments(notes, pad)
        nested = find_in_type(info.annotation, model_class)
        if nested is not None and path not in inputs:
            header = f"{pad}{name}:"
            lines += [header if info.is_required() else _comment_out(header, pad),
                      *_fields(subject, nested, f"{path}.", inputs)]
        else:
            body = _value(name, info, pad)
            lines += body if info.is_required() else [_comment_out(line, pad) for line in body]
    return lines


def _value(name: str, info: FieldInfo, pad: str) -> list[str]:
    """`name: example`, or for a list of models (cohorts, closes) a block list whose first
    item explains each of its keys."""
    example = example_of(info)
    if example is None:
        raise ValueError(f"{name}: a field needs an example value to appear in a template")
    item = find_in_type(info.annotation, _listed_model)
    if item is None:
        return [f"{pad}{name}: {yaml_flow(example)}"]
    lines = [f"{pad}{name}:"]
    for index, entry in enumerate(example):
        for position, key in enumerate(k for k in item.model_fields if k in entry):
            if index == 0:
                at = pad + INDENT * (1 if position == 0 else 2)
                lines += _comments([_about(item.model_fields[key])], at)
            dash = "- " if position == 0 else INDENT
            lines.append(f"{pad}{INDENT}{dash}{key}: {yaml_flow(entry[key])}")
    return lines


def _listed_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a `list[Model]` annotation, else None."""
    if typing.get_origin(annotation) is not list:
        return None
    return model_class(typing.get_args(annotation)[0])


def accepts(kind: InputKind) -> str:
    """What an input accepts, in words: a number's range, a category's choices."""
    if kind.kind == "evidence":
        return "True, false, or the probability that it is true, from 0 to 1."
    if kind.kind == "category":
        first, second = kind.choices[:2]
        return (f"One of {', '.join(kind.choices)}; or probabilities over them: "
                f"{{{first}: 0.6, {second}: 0.4}}.")
    bounds = kind.bounds()
    text = "Any number" if bounds == "any number" else (
        f"A number {bounds}" if bounds.startswith("in ") else f"A number, {bounds}")
    if kind.plausible is not None:
        low, high = kind.plausible
        text += f", believable up to {compact(high)}" if low == kind.low else (
            f", believable from {compact(low)} to {compact(high)}")
    return f"{text}; or a distribution in the same unit."


def _comments(notes: list[str], pad: str) -> list[str]:
    """Notes as comment lines at `pad`, wrapped to the width, never inside a `{...}` example."""
    width = WIDTH - len(pad) - 2
    lines: list[str] = []
    for note in notes:
        kept = _BRACES.sub(lambda found: found[0].replace(" ", _NBSP), note)
        lines += [f"{pad}# {line.replace(_NBSP, ' ')}"
                  for line in textwrap.wrap(kept, width, break_long_words=False,
                                            break_on_hyphens=False)]
    return lines


def _comment_out(line: str, pad: str) -> str:
    """A line of a field not answered yet, commented out at its own indentation (a note within
    it is already a comment)."""
    if line.lstrip().startswith("#"):
        return line
    return f"{pad}# {line.removeprefix(pad)}"


def _about(info: FieldInfo) -> str:
    """A field's description as a sentence (capitalised, with a full stop), and whether the
    file must give it."""
    text = (info.description or "").strip()
    if text:
        text = text[0].upper() + text[1:] + ("" if text.endswith((".", "?")) else ".")
    return f"{text} Required." if info.is_required() else text


def yaml_flow(value: Any) -> str:
    """An example value as YAML flow text: `{low: 0.3, high: 0.6}`, `[1.0, 0.8]`, `1.2e7`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {yaml_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_flow(item) for item in value) + "]"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not _numeric(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _number(value: float) -> str:
    """`0.55`, `240.0`, and large numbers as `1.2e7` (YAML 1.2 reads both as floats)."""
    if abs(value) < 1e4:
        return repr(value)
    mantissa, exponent = f"{value:e}".split("e")
    mantissa = mantissa.rstrip("0")
    return f"{mantissa}0e{int(exponent)}" if mantissa.endswith(".") else (
        f"{mantissa}e{int(exponent)}")


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


FIELD_LINE = re.compile(r"^(\s*)# ( *(?:- )?([a-z_0-9]+):(?: |$).*)$")
"""A commented-out field of the template (`  # arr_usd: 1.2e7`, `#   - start: 2025-01`)."""


def answered(text: str, kind: SubjectName) -> str:
    """The template with every example given, as an investor who knows every answer would
    leave it: all but the few fields that link to other files or have a default. (The tests
    and the warm-up of `thesis.server` score it.)"""
    model = KINDS[kind].model
    skipped = {path.rsplit(".", 1)[-1] for path, info in all_fields(model, catalogue(model))
               if is_advanced(info)}
    lines: list[str] = []
    for line in text.splitlines():
        found = FIELD_LINE.match(line)
        lines.append(f"{found[1]}{found[2]}" if found and found[3] not in skipped else line)
    return "\n".join(lines) + "\n"


def all_fields(model: type[BaseModel], inputs: dict[str, Any],
               prefix: str = "") -> list[tuple[str, FieldInfo]]:
    """Every field that holds a value (not a block of fields), by path, in model order."""
    out: list[tuple[str, FieldInfo]] = []
    for name, info in model.model_fields.items():
        nested = find_in_type(info.annotation, model_class)
        path = f"{prefix}{name}"
        if nested is not None and path not in inputs:
            out += all_fields(nested, inputs, f"{path}.")
        else:
            out.append((path, info))
    return out
