"""Compile a scorecard and a subject's inputs into one pure function over all samples at once.

`compile_scorecard(card, space, context)` returns a `Compiled` evaluator: given an (N x k)
matrix, one row per sample and one column per input it uses, it returns the composite and every
factor and criterion score as (N,) arrays, in one vectorised pass (no Python loop per sample).
The point score is the same function at the base case, N = 1.

Sensitivity analysis needs only the composite, of millions of rows: `composite(x)` and
`composite_and_stage(x)` keep no criterion or gate arrays and work through the rows in blocks of
`BLOCK_ROWS`, so their working memory is flat in N; only the (N,) results grow.

Criteria and gates whose input the subject does not give are left out of their factor ("not
assessed"; a gate left out caps nothing, and the result lists it),
and factors with nothing assessed, or that do not apply to the subject, are left out of the
composite; the remaining weights are renormalised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from thesis.engine.space import Input, InputSpace
from thesis.engine.stages import compile_stages, stage_inputs
from thesis.errors import NothingToScoreError
from thesis.models.distributions import Array
from thesis.models.scorecard import (
    Categories,
    Combine,
    Criterion,
    Curve,
    EvidenceRule,
    Factor,
    Gate,
    Scorecard,
)

RuleFn = Callable[[Array], Array]
BLOCK_ROWS = 1 << 16
"""Rows evaluated at once by `Compiled.composite`: each intermediate (N,) array is 512 kB."""
Status = Literal["not_applicable", "nothing_given", "not_given"]
"""Why a factor or criterion is left out: it does not apply to this subject, no input of any of
its criteria is given, or (a criterion) its input is not given."""


@dataclass(frozen=True)
class Evaluation:
    """Scores for N samples: the composite, and each factor, criterion and gate by path."""

    composite: Array
    factors: dict[str, Array]
    criteria: dict[str, Array]
    gates: dict[str, Array]
    stage: Array | None = None
    """Index into the scorecard's stages, per sample; None if the scorecard has none."""


@dataclass(frozen=True)
class Coverage:
    """How much of a scorecard rests on given inputs, before any renormalisation: the criteria
    answered, and the share of the composite's weight they carry (each factor that applies at
    its weight, each criterion at its weight within its factor)."""

    given: int
    criteria: int
    weight: float


@dataclass(frozen=True)
class _Parts:
    """Where one evaluation collects the scores of its factors, criteria and gates by path;
    None where they are not wanted, so they are freed as soon as they are added up."""

    factors: dict[str, Array] | None
    criteria: dict[str, Array] | None
    gates: dict[str, Array] | None


@dataclass(frozen=True)
class _Criterion:
    path: str
    input: str
    weight: float
    rule: RuleFn


@dataclass(frozen=True)
class _Gate:
    path: str
    input: str
    cap: float
    passes: RuleFn


@dataclass
class _Factor:
    path: str
    weight: float
    combine: Combine = "mean"
    criteria: list[_Criterion] = field(default_factory=list)
    gates: list[_Gate] = field(default_factory=list)
    """Highest cap first. Each gate blends p * score + (1 - p) * min(score, cap); with 0/1
    outcomes the order is irrelevant, and with a pass probability p (the base case of yes/no
    evidence) this order makes the blend the exact expectation over the gates' joint outcomes:
    every value blended so far is at least min(score, the next, lower cap)."""
    card: _Card | None = None


@dataclass
class _Card:
    path: str
    factors: list[_Factor]


def rule_function(rule: Curve | Categories | EvidenceRule, choices: tuple[str, ...] = ()) -> RuleFn:
    """The vectorised function of one rule: values (N,) -> scores (N,) in [0, 100]."""
    if isinstance(rule, Curve):
        xs = np.array([x for x, _ in rule.points])
        ys = np.array([y for _, y in rule.points])
        if rule.scale == "log":
            log_xs = np.log10(xs)
            return lambda v: np.interp(np.log10(np.maximum(v, xs[0])), log_xs, ys)
        return lambda v: np.interp(v, xs, ys)
    if isinstance(rule, Categories):
        table = np.array([rule.scores[c] for c in choices])
        return lambda v: table[v.astype(np.intp)]
    yes, no = rule.yes, rule.no
    return lambda v: no + v * (yes - no)


def gate_function(gate: Gate) -> RuleFn:
    if gate.at_least is not None:
        at_least = gate.at_least
        return lambda v: (v >= at_least).astype(float)
    if gate.at_most is not None:
        at_most = gate.at_most
        return lambda v: (v <= at_most).astype(float)
    return lambda v: v


class Compiled:
    """A scorecard bound to one subject's inputs: a pure function of the input matrix."""

    def __init__(self, card: Scorecard, root: _Card, space: InputSpace, used: list[str],
                 not_assessed: dict[str, Status]) -> None:
        self.scorecard = card
        self.space = space
        self.inputs: list[Input] = space.base_inputs(used)
        self.not_assessed = not_assessed
        self._root = root
        self._column = {inp.path: j for j, inp in enumerate(self.inputs)}
        self._stages = compile_stages(card.stages, space) if card.stages else None

    def coverage(self) -> Coverage:
        """How much of the scorecard the subject answers (see `Coverage`)."""
        return _coverage(self.scorecard, self.space, self.not_assessed, "")

    @property
    def names(self) -> list[str]:
        return [inp.path for inp in self.inputs]

    def feeding(self) -> dict[str, tuple[Factor, Criterion | Gate]]:
        """For each sampled input, the first factor and criterion (or gate) it feeds."""
        out: dict[str, tuple[Factor, Criterion | Gate]] = {}
        for path, factor in self.scorecard.walk():
            if self.not_assessed.get(path) == "not_applicable":
                continue
            items: list[Criterion | Gate] = [*factor.criteria, *factor.gates]
            for item in items:
                if item.input in self.space:
                    for inp in self.space.base_inputs([item.input]):
                        out.setdefault(inp.path, (factor, item))
        return out

    def base_case(self) -> Array:
        """The (1 x k) row of base-case values."""
        return np.array([[inp.base() for inp in self.inputs]], dtype=float)

    def draw(self, uniforms: Array) -> Array:
        """Input values for an (N x k) matrix of uniforms, column by column."""
        return np.column_stack([inp.draw(uniforms[:, j]) for j, inp in enumerate(self.inputs)]
                               ) if self.inputs else np.empty((len(uniforms), 0))

    @property
    def has_stages(self) -> bool:
        return self._stages is not None

    def __call__(self, x: Array) -> Evaluation:
        """Every score of every row of `x`, at once: for a few rows (reports, tests)."""
        x = self._matrix(x)
        parts = _Parts({}, {}, {})
        composite, stage = self._evaluate(x, parts)
        assert parts.factors is not None and parts.criteria is not None
        assert parts.gates is not None
        return Evaluation(composite, parts.factors, parts.criteria, parts.gates, stage)

    def composite(self, x: Array) -> Array:
        """Only the composite score, the function sensitivity analysis looks at: no factor,
        criterion or gate array is kept, and the rows are evaluated `BLOCK_ROWS` at a time."""
        x = self._matrix(x)
        out = np.empty(len(x))
        for start in range(0, len(x), BLOCK_ROWS):
            rows = slice(start, start + BLOCK_ROWS)
            out[rows] = self._evaluate(x[rows], _Parts(None, None, None))[0]
        return out

    def composite_and_stage(self, x: Array) -> tuple[Array, Array | None]:
        """The composite and the stage index of each row of `x` (None if the scorecard has no
        stages), from the same evaluation, `BLOCK_ROWS` at a time; factor scores are kept only
        while a block's stages are placed."""
        x = self._matrix(x)
        if self._stages is None:
            return self.composite(x), None
        composite, stage = np.empty(len(x)), np.empty(len(x))
        for start in range(0, len(x), BLOCK_ROWS):
            rows = slice(start, start + BLOCK_ROWS)
            composite[rows], placed = self._evaluate(x[rows], _Parts({}, None, None))
            assert placed is not None
            stage[rows] = placed
        return composite, stage

    def _matrix(self, x: Array) -> Array:
        x = np.atleast_2d(np.asarray(x, dtype=float))
        if x.shape[1] != len(self.inputs):
            raise ValueError(f"expected {len(self.inputs)} input columns, got {x.shape[1]}")
        return x

    def _evaluate(self, x: Array, parts: _Parts) -> tuple[Array, Array | None]:
        """The composite of the rows of `x` and, if `parts` keeps factors and the scorecard has
        stages, their stage index; what `parts` asks for is collected on the way."""
        columns = {path: x[:, j] for path, j in self._column.items()}
        cache: dict[str, Array] = {}

        def value(path: str) -> Array:
            if path not in cache:
                cache[path] = self.space.column(path, columns)
            return cache[path]

        composite = self._card(self._root, value, parts, len(x))
        stage = None
        if self._stages is not None and parts.factors is not None:
            stage = self._stages(composite, parts.factors, value)
        return composite, stage

    def _card(self, card: _Card, value: Callable[[str], Array], out: _Parts, n: int) -> Array:
        total = np.zeros(n)
        weights = 0.0
        for factor in card.factors:
            if factor.card is not None:
                score = self._card(factor.card, value, out, n)
            else:
                score = _combine(factor, value, out)
                for gate in factor.gates:  # highest cap first: see `_Factor.gates`
                    passes = gate.passes(value(gate.input))
                    if out.gates is not None:
                        out.gates[gate.path] = passes
                    score = passes * score + (1.0 - passes) * np.minimum(score, gate.cap)
            if out.factors is not None:
                out.factors[factor.path] = score
            total += factor.weight * score
            weights += factor.weight
        total /= weights
        return total


def _combine(factor: _Factor, value: Callable[[str], Array], out: _Parts) -> Array:
    """The factor's criteria made one score: weighted mean, best (`any`) or weakest (`all`)."""
    scores = []
    for crit in factor.criteria:
        s = crit.rule(value(crit.input))
        if out.criteria is not None:
            out.criteria[crit.path] = s
        scores.append(s)
    if factor.combine == "any":
        best: Array = np.maximum.reduce(scores)
        return best
    if factor.combine == "all":
        weakest: Array = np.minimum.reduce(scores)
        return weakest
    mean = np.zeros_like(scores[0])
    for crit, s in zip(factor.criteria, scores, strict=True):
        mean += crit.weight * s
    mean /= sum(c.weight for c in factor.criteria)
    return mean


def _coverage(card: Scorecard, space: InputSpace, not_assessed: dict[str, Status],
              prefix: str) -> Coverage:
    applying = [f for f in card.factors if not_assessed.get(f"{prefix}{f.id}") != "not_applicable"]
    total = sum(f.weight for f in applying)
    given, criteria, weight = 0, 0, 0.0
    for factor in applying:
        if factor.included is not None:
            inner = _coverage(factor.included, space, not_assessed, f"{prefix}{factor.id}.")
        else:
            answered = [c for c in factor.criteria if c.input in space]
            inner = Coverage(len(answered), len(factor.criteria),
                             sum(c.weight for c in answered)
                             / sum(c.weight for c in factor.criteria))
        given, criteria = given + inner.given, criteria + inner.criteria
        weight += factor.weight / total * inner.weight
    return Coverage(given, criteria, weight)


def compile_scorecard(card: Scorecard, space: InputSpace,
                      context: dict[str, str] | None = None) -> Compiled:
    """Bind `card` to the inputs in `space`; `context` decides which factors apply."""
    used: list[str] = []
    not_assessed: dict[str, Status] = {}
    root = _compile_card(card, space, context or {}, "", used, not_assessed)
    if root is None:
        raise NothingToScoreError(f"none of the inputs scorecard {card.id!r} uses are given")
    used.extend(stage_inputs(card.stages, space))
    return Compiled(card, root, space, used, not_assessed)


def _compile_card(card: Scorecard, space: InputSpace, context: dict[str, str], prefix: str,
                  used: list[str], not_assessed: dict[str, Status]) -> _Card | None:
    factors: list[_Factor] = []
    for factor in card.factors:
        path = f"{prefix}{factor.id}"
        if not factor.applies(context):
            not_assessed[path] = "not_applicable"
            continue
        node = _Factor(path, factor.weight, factor.combine)
        if factor.included is not None:
            node.card = _compile_card(factor.included, space, context, f"{path}.", used,
                                      not_assessed)
        else:
            node.criteria = [_compile_criterion(c, path, space, used)
                             for c in factor.criteria if _given(c.input, space, path, c.id,
                                                                not_assessed)]
            node.gates = sorted((_Gate(f"{path}.{g.id}", g.input, g.cap or 0.0, gate_function(g))
                                 for g in factor.gates
                                 if _given(g.input, space, path, g.id, not_assessed)),
                                key=lambda g: -g.cap)
            used.extend(g.input for g in node.gates)
        if node.card is None and not node.criteria:
            not_assessed.setdefault(path, "nothing_given")
            continue
        factors.append(node)
    return _Card(prefix.rstrip("."), factors) if factors else None


def _given(input_path: str, space: InputSpace, factor: str, item: str,
           not_assessed: dict[str, Status]) -> bool:
    if input_path in space:
        return True
    not_assessed[f"{factor}.{item}"] = "not_given"
    return False


def _compile_criterion(crit: Criterion, factor: str, space: InputSpace,
                       used: list[str]) -> _Criterion:
    used.append(crit.input)
    choices = space.inputs[crit.input].choices if crit.input in space.inputs else ()
    return _Criterion(f"{factor}.{crit.id}", crit.input, crit.weight,
                      rule_function(crit.rule, choices))
