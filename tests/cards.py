"""Scorecards written inline for tests: one company factor `f`, with the criteria, gates,
combination and verdict bands a test needs, validated as a scorecard file is."""

from __future__ import annotations

from collections.abc import Sequence

from thesis.files.validate import validate
from thesis.files.yaml import parse
from thesis.models.scorecard import Scorecard

SOURCE = 'source: "assumption: test"'


def prior(value: object) -> str:
    return f", prior: {{value: {value}, {SOURCE}}}"


def criterion(id_: str, input_: str, rule: str = "{kind: evidence}", weight: float = 1,
              prior_value: object = None) -> str:
    believed = "" if prior_value is None else prior(prior_value)
    return (f"{{id: {id_}, question: Criterion {id_}?, input: {input_}, weight: {weight}, "
            f"rule: {rule}, {SOURCE}{believed}}}")


def gate(id_: str, input_: str, cap: float | None = None, question: str = "", *,
         floor: float | None = None, test: str = "", prior_value: object = None) -> str:
    """A gate with a cap (or a floor), its test (`at_least: 0.5`, `in: [a]`) if any."""
    limit = f"cap: {cap}" if floor is None else f"floor: {floor}"
    believed = "" if prior_value is None else prior(prior_value)
    return (f"{{id: {id_}, question: {question or f'Gate {id_}?'}, input: {input_}, "
            f"{limit}, {test + ', ' if test else ''}{SOURCE}{believed}}}")


def one_factor(criteria: Sequence[str], *, gates: Sequence[str] = (), combine: str = "mean",
               verdicts: Sequence[tuple[float, str]] = ((0, "any"),),
               card_gates: Sequence[str] = (), minimum: float | None = None,
               second: Sequence[str] = ()) -> Scorecard:
    """A scorecard `one` with a factor `f` made of these criteria and gates, and if asked a
    second factor `g` of equal weight, gates on the whole card and a minimum coverage."""
    items = "".join(f"\n      - {c}" for c in criteria)
    gated = "".join(f"\n      - {g}" for g in gates)
    others = "".join(f"\n      - {c}" for c in second)
    bands = "".join(f"\n  - {{min: {low}, label: {label}}}" for low, label in verdicts)
    factor_g = f"""\
  - id: g
    title: G
    weight: 1
    {SOURCE}
    criteria:{others}
""" if second else ""
    whole = "".join(f"\n  - {g}" for g in card_gates)
    needs = "" if minimum is None else f"minimum_coverage: {{weight: {minimum}, {SOURCE}}}\n"
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
{factor_g}gates:{whole or " []"}
{needs}verdicts:{bands}
verdict_source: "assumption: test"
"""
    return validate(Scorecard, parse(text.encode(), "card.yaml"))
