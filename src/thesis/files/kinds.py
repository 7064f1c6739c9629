"""The one registry of the kinds of file `thesis` reads: how each is recognised, and its model.

A file says what it is by its tell-tale keys (a scorecard has `factors`, positions
`positions`, a lens `scorecards`, a market `as_of`, a company `layer`); `sniff` reads them, so
`thesis validate` and `thesis score` take any kind and a file of the wrong kind is named as such
rather than drowned in field errors.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel

FileKind = Literal["company", "market", "scorecard", "positions", "lens"]
KINDS: tuple[FileKind, ...] = ("company", "market", "scorecard", "positions", "lens")
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def sniff(data: Any) -> FileKind | None:
    """What a parsed file is, from its tell-tale keys; None when it does not say."""
    if not isinstance(data, dict):
        return None
    if "factors" in data:
        return "scorecard"
    if "positions" in data:
        return "positions"
    if "scorecards" in data:
        return "lens"
    if "as_of" in data and "layer" not in data:
        return "market"
    if "layer" in data and "as_of" not in data:
        return "company"
    return None


def model_of(kind: FileKind) -> type[BaseModel]:
    """The pydantic model a file of this kind validates against."""
    if kind == "company":
        from thesis.models.company import Company

        return Company
    if kind == "market":
        from thesis.models.market import Market

        return Market
    if kind == "scorecard":
        from thesis.models.scorecard import Scorecard

        return Scorecard
    if kind == "lens":
        from thesis.models.lens import Lens

        return Lens
    from thesis.models.positions import Positions

    return Positions


def json_schema(kind: FileKind) -> dict[str, Any]:
    """The JSON Schema of a kind of file, for editors that validate YAML as it is typed."""
    schema = model_of(kind).model_json_schema()
    schema["$schema"] = SCHEMA_DIALECT
    return schema


def json_schema_text(kind: FileKind) -> str:
    return json.dumps(json_schema(kind), indent=2) + "\n"
