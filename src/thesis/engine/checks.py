"""Check rule files against what a subject offers, before any subject is scored.

Every input path a scorecard, a stage sign or a position names must be one the subject kind
offers (`thesis.subjects`), of the kind its rule needs; a mistyped path gets one "did you mean".
Checks return `(loc, message)` pairs; the files layer turns them into located problems.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from thesis.engine.space import read_as
from thesis.models.distributions import InputKind, Kind
from thesis.models.positions import Condition, Positions
from thesis.models.scorecard import (
    FACTOR_PREFIX,
    SCORE,
    Categories,
    Gate,
    Prior,
    Scorecard,
    Stage,
)

Loc = tuple[Any, ...]


def problems_against(card: Scorecard, inputs: dict[str, InputKind]) -> list[tuple[Loc, str]]:
    """Check every input path and rule kind against what the subject offers: (loc, message)."""
    out: list[tuple[Loc, str]] = []
    want: dict[str, Kind] = {"curve": "number", "categories": "category", "evidence": "evidence"}
    for fi, factor in enumerate(card.factors):
        for ci, crit in enumerate(factor.criteria):
            loc = ("factors", fi, "criteria", ci)
            kind = inputs.get(crit.input)
            if kind is None:
                out.append(((*loc, "input"), unknown(crit.input, inputs)))
                continue
            if kind.kind != want[crit.rule.kind]:
                out.append(((*loc, "rule", "kind"),
                            f"{crit.input} is {_KIND_WORDS[kind.kind]}; a {crit.rule.kind} rule "
                            f"needs {_KIND_WORDS[want[crit.rule.kind]]}"))
            elif isinstance(crit.rule, Categories):
                missing = [c for c in kind.choices if c not in crit.rule.scores]
                extra = [c for c in crit.rule.scores if c not in kind.choices]
                if missing or extra:
                    out.append(((*loc, "rule", "scores"),
                                f"needs a score for each of {', '.join(kind.choices)}"))
            if crit.prior is not None and kind.kind == want[crit.rule.kind]:
                out.extend(_prior_problems(crit.prior, kind, loc))
        for gi, gate in enumerate(factor.gates):
            out.extend(_gate_problems(gate, inputs, ("factors", fi, "gates", gi)))
    factors = {f.id for f in card.factors}
    for gi, gate in enumerate(card.gates):
        where = ("gates", gi)
        if not gate.input.startswith(FACTOR_PREFIX):
            out.extend(_gate_problems(gate, inputs, where))
        elif gate.input.removeprefix(FACTOR_PREFIX) not in factors:
            out.append(((*where, "input"), f"no factor "
                        f"{gate.input.removeprefix(FACTOR_PREFIX)!r} in this scorecard"))
        elif (gate.at_least is None) == (gate.at_most is None) or gate.prior is not None:
            out.append((where, "a gate on a factor's score needs exactly one of at_least, "
                        "at_most, and no prior (the score is always known)"))
    out.extend(stage_problems(card.stages, inputs, factors))
    return out


def _gate_problems(gate: Gate, inputs: dict[str, InputKind], loc: Loc) -> list[tuple[Loc, str]]:
    kind = inputs.get(gate.input)
    if kind is None:
        return [((*loc, "input"), unknown(gate.input, inputs))]
    out: list[tuple[Loc, str]] = []
    thresholds = (gate.at_least is not None) + (gate.at_most is not None)
    if kind.kind == "number" and thresholds != 1:
        out.append((loc, "a gate on a number needs exactly one of at_least, at_most"))
    elif kind.kind == "category" and gate.among is None:
        out.append((loc, "a gate on a category needs in: [choices]"))
    elif kind.kind == "category" and set(gate.among or ()) - set(kind.choices):
        out.append(((*loc, "in"), f"choices are {', '.join(kind.choices)}"))
    elif kind.kind == "evidence" and (thresholds or gate.among is not None):
        out.append((loc, "a gate on yes/no evidence holds when it is yes: no at_least, "
                    "at_most or in"))
    if gate.prior is not None:
        out.extend(_prior_problems(gate.prior, kind, loc))
    return out


def _prior_problems(prior: Prior, kind: InputKind, loc: Loc) -> list[tuple[Loc, str]]:
    """A prior must read as its input would: a probability, a number in range, choices."""
    try:
        read_as(kind, prior.value)
    except ValidationError as exc:
        return [((*loc, "prior", "value"), f"as {_KIND_WORDS[kind.kind]}: "
                 f"{exc.errors()[0]['msg'].removeprefix('Value error, ')}")]
    return []


_KIND_WORDS = {"number": "a number", "evidence": "yes/no evidence", "category": "a category"}


def unknown(path: str, inputs: dict[str, InputKind]) -> str:
    close = difflib.get_close_matches(path, list(inputs), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown input {path!r}{hint}"


def stage_problems(stages: list[Stage], inputs: dict[str, InputKind],
                   factors: set[str]) -> list[tuple[Loc, str]]:
    """Check the stages against the subject's inputs and the card's factors: (loc, message)."""
    out: list[tuple[Loc, str]] = []
    if stages and stages[0].when:
        out.append((("stages", 0, "when"), "the first stage is the default: it takes no signs"))
    ids = [s.id for s in stages]
    for dupe in sorted({i for i in ids if ids.count(i) > 1}):
        out.append((("stages",), f"duplicate stage id {dupe}"))
    for si, stage in enumerate(stages):
        for wi, sign in enumerate(stage.when):
            loc = ("stages", si, "when", wi)
            if sign.of == SCORE or sign.of.startswith(FACTOR_PREFIX):
                factor = sign.of.removeprefix(FACTOR_PREFIX)
                if sign.of != SCORE and factor not in factors:
                    out.append(((*loc, "of"), f"no factor {factor!r} in this scorecard"))
                elif sign.among is not None:
                    out.append(((*loc, "in"), "a score takes at_least/at_most, not in"))
                continue
            kind = inputs.get(sign.of)
            if kind is None:
                out.append(((*loc, "of"), unknown(sign.of, inputs)))
            elif (kind.kind == "category") != (sign.among is not None):
                out.append((loc, "use in: [choices] for a category, at_least/at_most otherwise"))
            elif sign.among is not None and set(sign.among) - set(kind.choices):
                out.append(((*loc, "in"), f"choices are {', '.join(kind.choices)}"))
    return out


def position_problems(positions: Positions, inputs: dict[str, InputKind], card: Scorecard
                      ) -> list[tuple[Loc, str]]:
    """Check each position's factor, and every path, band and stage its conditions name, against
    the scorecard and the subject's inputs: (loc, message)."""
    factors = {path for path, _ in card.walk()} | {SCORE}
    out: list[tuple[Loc, str]] = []
    for i, position in enumerate(positions.positions):
        if position.about not in factors:
            out.append((("positions", i, "about"), _no_factor(position.about, factors, card)))
        for key in ("backs_when", "challenges_when"):
            for j, cond in enumerate(getattr(position, key)):
                out.extend(_condition_problems(cond, ("positions", i, key, j), inputs, card,
                                               factors))
    return out


def _condition_problems(cond: Condition, loc: Loc, inputs: dict[str, InputKind],
                        card: Scorecard, factors: set[str]) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    if cond.any is not None:
        for k, sub in enumerate(cond.any):
            out.extend(_condition_problems(sub, (*loc, "any", k), inputs, card, factors))
    if cond.input is not None:
        kind = inputs.get(cond.input)
        if kind is None:
            out.append(((*loc, "input"), unknown(cond.input, inputs)))
        elif (kind.kind == "category") != (cond.among is not None):
            out.append((loc, "use in: [choices] for a category, at_least/at_most otherwise"))
        elif cond.among is not None and set(cond.among) - set(kind.choices):
            out.append(((*loc, "in"), f"choices are {', '.join(kind.choices)}"))
    if cond.factor is not None and cond.factor not in factors:
        out.append(((*loc, "factor"), _no_factor(cond.factor, factors, card)))
    labels = [v.label for v in card.verdicts]
    if cond.verdict is not None and set(cond.verdict) - set(labels):
        out.append(((*loc, "verdict"), f"{card.id!r} has the verdicts {', '.join(labels)}"))
    stages = [s.id for s in card.stages]
    if cond.stage is not None and set(cond.stage) - set(stages):
        out.append(((*loc, "stage"), f"{card.id!r} has the stages {', '.join(stages) or 'none'}"))
    return out


def _no_factor(path: str, factors: set[str], card: Scorecard) -> str:
    close = difflib.get_close_matches(path, sorted(factors), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"no factor {path!r} in {card.id!r}{hint}"
