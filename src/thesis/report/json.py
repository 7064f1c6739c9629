"""JSON: every number of the result, for notebooks and pipelines (`Result.model_validate_json`
reads it back)."""

from __future__ import annotations

from thesis.result import Result


def render(result: Result) -> str:
    return result.model_dump_json(indent=2) + "\n"
