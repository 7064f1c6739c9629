"""MkDocs hook: the company and market field reference, written from the models at build time.

Every field of `thesis.models.company.Company` and `thesis.models.market.Market`, followed into
each block and list, with its dotted path, what it accepts (in the words `thesis init` writes
beside it: a number's range and believable range, yes/no, a category's choices; or text, a
date, a list) with its example value, its description, and the question an analyst answers to
give it (`SubjectKind.question`). No field is named here:
a field added to a model is in the next build, so the reference cannot drift from what `thesis`
reads. A field of a type this module has no words for fails the build rather than be skipped.
"""

from __future__ import annotations

import datetime
import inspect
import types
import typing
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from thesis.engine.space import catalogue, find_in_type, model_class
from thesis.models.base import example_of
from thesis.models.distributions import InputKind
from thesis.subjects import KINDS, SubjectKind
from thesis.template import accepts as accepts_in_words
from thesis.template import yaml_flow

INTRO = """\
Every field a {kind} file can hold, as `thesis` reads it. The path is the field's name
everywhere: in the YAML file (each dot is a level of indentation), in a scorecard's `input:`, in
a pipeline CSV's column header and in every report. Every field may be left out unless marked
required: an input left out is drawn from the scorecard's prior for it, and the report says so.

A number may be given as a distribution by its keys: `{{low, high}}` uniform, `{{low, mode,
high}}` triangular, `{{mean, sd}}` normal, `{{p10, p90}}` lognormal, `{{alpha, beta}}` beta (see
the [tutorial](../tutorial.md)). Yes/no evidence may be a probability, and a category
probabilities over its choices. A number outside its believable range is a warning (an error
under `--strict`), a number outside its range an error.

This page is written from the models each time the site is built; `thesis schema {kind}` gives
the same fields as a JSON Schema, for an editor to check a file as you type.
"""
NAMES: dict[Any, tuple[str, str]] = {
    str: ("Text.", "texts"),
    datetime.date: ("A date, YYYY-MM-DD.", "dates, YYYY-MM-DD"),
    int: ("A whole number.", "whole numbers"),
    float: ("A number.", "numbers"),
}
"""The words for a plain field's type, one and many."""


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add the generated pages reference/company.md and reference/market.md."""
    for kind in KINDS.values():
        files.append(File.generated(config, f"reference/{kind.name}.md", content=page(kind)))
    return files


def page(kind: SubjectKind) -> str:
    """The reference of one subject kind, in markdown: a table per block, then the inputs
    `thesis` computes from the file."""
    inputs = catalogue(kind.model)
    lines = [f"# {kind.name.capitalize()} fields", "", INTRO.format(kind=kind.name)]
    for path, model, description in blocks(kind.model, inputs):
        lines += section(kind, inputs, path, model, description)
    lines += computed(kind)
    return "\n".join(lines) + "\n"


def blocks(model: type[BaseModel], inputs: dict[str, InputKind], path: str = "",
           description: str = "") -> typing.Iterator[tuple[str, type[BaseModel], str]]:
    """Each block of fields, the file's top level first, then depth first: its path (`[]` for
    the items of a list), its model and the description of the field that holds it."""
    yield path, model, description
    for name, info in model.model_fields.items():
        inner = _block(f"{path}{name}", info, inputs)
        if inner is not None:
            child, listed = inner
            yield from blocks(child, inputs, f"{path}{name}{'[]' if listed else ''}.",
                              info.description or "")


def section(kind: SubjectKind, inputs: dict[str, InputKind], path: str,
            model: type[BaseModel], description: str) -> list[str]:
    """One block's heading, what it is about, and a row per field."""
    block = path.rstrip(".")
    title = f"`{block}`" if block else "The top level"
    anchor = anchor_of(block) if block else "top-level"
    about = [text for text in (description, inspect.cleandoc(model.__doc__ or "")) if text]
    lines = [f"## {title} {{#{anchor}}}", "", " ".join(_sentence(text) for text in about), "",
             "| field | accepts | what it means |", "|---|---|---|"]
    for name, info in model.model_fields.items():
        field = f"{path}{name}"
        meaning = info.description or ""
        if "[]" not in field:  # an item of a list has no question of its own
            question = kind.question(field)
            if question not in (meaning, field):
                meaning = f"{meaning}<br>*Asks:* {question}" if meaning else question
        required = " (required)" if info.is_required() else ""
        lines.append(f"| `{field}`{required} | {accepts(field, info, inputs)} | "
                     f"{_cell(meaning)} |")
    return [*lines, ""]


def computed(kind: SubjectKind) -> list[str]:
    """The inputs `thesis` derives from given ones or fits to the file's data: never written in
    a file, but read by scorecards and named in reports."""
    rows = [(d.path, f" {d.operator} ".join(f"`{need}`" for need in d.needs))
            for d in kind.derived]
    rows += [(path, "fitted to the data in the file ([the statistics](../methods.md))")
             for path in kind.fitted]
    lines = ["## Computed from the file {#computed}", "",
             "Not written in a file: `thesis` computes these inputs from the fields above, and "
             "scorecards and reports read them like any other.", "",
             "| input | computed as | what it answers |", "|---|---|---|"]
    lines += [f"| `{path}` | {how} | {_cell(kind.question(path))} |" for path, how in rows]
    return [*lines, ""]


def accepts(path: str, info: FieldInfo, inputs: dict[str, InputKind]) -> str:
    """What a field accepts, in the words `thesis init` writes beside it, and its example."""
    inner = _block(path, info, inputs)
    if inner is not None:
        what = "A list of blocks" if inner[1] else "A block"
        return f"{what}: [below](#{anchor_of(f'{path}[]' if inner[1] else path)})"
    kind = inputs.get(path)
    text = (accepts_in_words(kind) if kind is not None
            else _plain(path, _without_none(info.annotation)))
    example = example_of(info)
    return text if example is None else f"{text}<br>*Example:* `{yaml_flow(example)}`"


def anchor_of(block: str) -> str:
    """A block's anchor on its page: `revenue.gross_margin` -> `revenue-gross_margin`."""
    return block.replace("[]", "").replace(".", "-")


def _plain(path: str, annotation: Any) -> str:
    """A field that is not a scored input: a choice, text, a date, a count, a list of them."""
    if typing.get_origin(annotation) is typing.Literal:
        return f"One of {_choices(typing.get_args(annotation))}."
    listed = typing.get_origin(annotation) is list
    item = typing.get_args(annotation)[0] if listed else annotation
    if item not in NAMES:
        raise TypeError(f"docs/hooks/reference.py has no words for {path}'s type {annotation!r}")
    one, many = NAMES[item]
    return f"A list of {many}." if listed else one


def _block(path: str, info: FieldInfo,
           inputs: dict[str, InputKind]) -> tuple[type[BaseModel], bool] | None:
    """The model a field holds, and whether as the items of a list; None for a plain field or
    an input (whose distributions and categories are models too, so inputs are asked first)."""
    if path in inputs:
        return None
    nested = find_in_type(info.annotation, model_class)
    if nested is not None:
        return nested, False
    item = find_in_type(info.annotation, model_class, through_containers=True)
    return None if item is None else (item, True)


def _without_none(annotation: Any) -> Any:
    """`X | None` as `X`."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def _choices(choices: tuple[Any, ...]) -> str:
    return ", ".join(f"`{choice}`" for choice in choices)


def _sentence(text: str) -> str:
    """A description as a paragraph: capitalised, with a full stop."""
    text = " ".join(text.split())
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")
