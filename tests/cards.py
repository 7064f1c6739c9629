"""Scorecards written inline for tests: one company factor `f`, with the criteria, gates,
combination and verdict bands a test needs, validated as a scorecard file is."""

from __future__ import annotations

from collections.abc import Sequence

from thesis.files.validate import validate
from thesis.files.yaml import parse
from thesis.models.scorecard import Scorecard

SOURCE = 'source: "assumption: test"'


def criterion(id_: str, input_: str, rule: str = "{kind: evidence}", weight: float = 1) -> str:
    return (f"{{id: {id_}, question: Criterion {id_}?, input: {input_}, weight: {weight}, "
            f"rule: {rule}, {SOURCE}}}")


def gate(id_: str, input_: str, cap: float, question: str = "") -> str:
    return (f"{{id: {id_}, question: {question or f'Gate {id_}?'}, input: {input_}, "
            f"cap: {cap}, {SOURCE}}}")


def one_factor(criteria: Sequence[str], *, gates: Sequence[str] = (), combine: str = "mean",
               verdicts: Sequence[tuple[float, str]] = ((0, "any"),)) -> Scorecard:
    """A scorecard `one` with a single factor `f` made of these criteria and gates."""
    items = "".join(f"\n      - {c}" for c in criteria)
    gated = "".join(f"\n      - {g}" for g in gates)
    bands = "".join(f"\n  - {{min: {low}, label: {label}}}" for low, label in verdicts)
    text = f"""\
id: one
title: One factor
subject: company
factors:
  - id: f
    title: F
    weight: 1
    combine: {combine}
    {SOURCE}
    criteria:{items}
    gates:{gated or " []"}
verdicts:{bands}
verdict_source: "assumption: test"
"""
    return validate(Scorecard, parse(text.encode(), "card.yaml"))
