"""JSON: everything in the result, for notebooks and pipelines."""

from __future__ import annotations

from thesis.result import ScoreResult


def render(result: ScoreResult) -> str:
    return result.model_dump_json(indent=2) + "\n"
