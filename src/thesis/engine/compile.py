"""Compile a scorecard and a subject's inputs into one pure function over all samples at once.

`compile_scorecard(card, space, context)` returns a `Compiled` evaluator: given an (N x k)
matrix, one row per sample and one column per input it uses, it returns the composite and every
factor and criterion score as (N,) arrays, in one vectorised pass (no Python loop per sample).
The point score is the same function at the base case, N = 1.

Sensitivity analysis needs only the composite, of millions of rows: `composite(x)` and
`composite_and_stage(x)` keep no criterion or gate arrays and work through the rows in blocks of
`BLOCK_ROWS`, so their working memory is flat in N; only the (N,) results grow. The
pick-freeze rows of a Sobol design (A with one column from B, for each column) are scored by
`pick_freeze` without being built: a rule whose input does not read the swapped column scores
those rows as it scored A's, and every value computed from rules is computed only on the blocks
where one of its parts differs from A's (`_Swapped`).

An input the subject does not give is drawn from its criterion's (or gate's) prior, a column like
any other, so what is unknown widens the answer. Without a prior, or when the caller asks to
leave unknowns out (`kinds=None`), the criterion or gate is left out of its factor ("not
assessed"; a gate left out caps nothing), factors with nothing assessed, or that do not apply to
the subject, are left out of the composite, and the remaining weights are renormalised.

Gates apply after a factor's criteria are combined, and card gates after a card's factors are:
caps first, highest first, then floors, lowest first. With 0/1 outcomes the order of gates of
one kind is irrelevant, and with probabilities (the base case of yes/no evidence) this order
makes the blend the exact expectation over their joint outcomes. A floor is applied after the
caps, so a decisive condition that holds overrides a failed must-have.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from thesis.engine.space import Input, InputSpace, input_of, read_as
from thesis.engine.stages import compile_stages, stage_inputs
from thesis.errors import NothingToScoreError
from thesis.models.distributions import Array, InputKind
from thesis.models.scorecard import (
    FACTOR_PREFIX,
    Categories,
    Combine,
    Criterion,
    Curve,
    EvidenceRule,
    Factor,
    Gate,
    Prior,
    Scorecard,
)

RuleFn = Callable[[Array], Array]
Scorer = Callable[[str, RuleFn], "Values"]
"""Scores an input path's values with a rule: `rule(values of path)`, however the rows are
laid out."""
BLOCK_ROWS = 1 << 16
"""Rows evaluated at once by `Compiled.composite`: each intermediate (N,) array is 512 kB."""
Unknowns = Literal["prior", "leave_out"]
"""What an input the subject does not give does: drawn from its prior (the default), or left out
with the remaining weights renormalised (only when asked for: it reads thin evidence as sure)."""
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
    limit: float
    floor: bool
    """A floor (the score is at least `limit` while the test holds), else a cap (at most
    `limit` while it fails)."""
    holds: RuleFn

    @property
    def order(self) -> tuple[bool, float]:
        """Caps before floors; caps highest first, floors lowest first (see the module)."""
        return self.floor, self.limit if self.floor else -self.limit

    def apply(self, score: Values, holds: Values) -> Values:
        """Blend the score with its capped (floored) value by the test's probability: the
        expectation, as every value blended before is at least as far from the limit."""
        if self.floor:
            return holds * _MAXIMUM(score, self.limit) + (1.0 - holds) * score
        return holds * score + (1.0 - holds) * _MINIMUM(score, self.limit)


@dataclass
class _Factor:
    path: str
    weight: float
    combine: Combine = "mean"
    criteria: list[_Criterion] = field(default_factory=list)
    gates: list[_Gate] = field(default_factory=list)
    """In `_Gate.order`."""
    card: _Card | None = None


@dataclass
class _Card:
    path: str
    factors: list[_Factor]
    gates: list[_Gate] = field(default_factory=list)
    """In `_Gate.order`; an input `factors.<id>` reads the score of this card's factor."""


def rule_function(rule: Curve | Categories | EvidenceRule, choices: tuple[str, ...] = (),
                  weights: tuple[float, ...] = ()) -> RuleFn:
    """The vectorised function of one rule: values (N,) -> scores (N,) in [0, 100]. A
    category's values are choice indices, or `EXPECTED` (NaN): the expected score over
    `weights`, the choices' probabilities."""
    if isinstance(rule, Curve):
        xs = np.array([x for x, _ in rule.points])
        ys = np.array([y for _, y in rule.points])
        if rule.scale == "log":
            log_xs = np.log10(xs)
            return lambda v: np.interp(np.log10(np.maximum(v, xs[0])), log_xs, ys)
        return lambda v: np.interp(v, xs, ys)
    if isinstance(rule, Categories):
        return _table([rule.scores[c] for c in choices], weights)
    yes, no = rule.yes, rule.no
    return lambda v: no + v * (yes - no)


def _table(values: list[float], weights: tuple[float, ...]) -> RuleFn:
    """Look a category's value up by choice index; `EXPECTED` (NaN) gives the expectation."""
    table = np.array(values, dtype=float)
    expected = float(np.dot(table, weights)) if weights else np.nan

    def look_up(v: Array) -> Array:
        if not np.isnan(v).any():
            return table[v.astype(np.intp)]
        return np.where(np.isnan(v), expected, table[np.nan_to_num(v).astype(np.intp)])

    return look_up


def gate_function(gate: Gate, choices: tuple[str, ...] = (),
                  weights: tuple[float, ...] = ()) -> RuleFn:
    """The probability that a gate's test holds, per sample: 0 or 1 for a number or a sampled
    choice, the probability itself for yes/no evidence and for a category's `EXPECTED`."""
    if gate.among is not None:
        return _table([float(c in gate.among) for c in choices], weights)
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
                 not_assessed: dict[str, Status], priors: dict[str, Prior]) -> None:
        self.scorecard = card
        self.space = space
        """The subject's inputs and, for those it does not give, the priors drawn instead."""
        self.inputs: list[Input] = space.base_inputs(used)
        self.not_assessed = not_assessed
        self.priors = priors
        """The prior each input the subject does not give is drawn from, by input path."""
        self._root = root
        self._column = {inp.path: j for j, inp in enumerate(self.inputs)}
        self._stages = compile_stages(card.stages, space) if card.stages else None

    def given(self, path: str) -> bool:
        """Whether the subject gives this input: neither it nor (if derived) any part of it is
        a prior standing in for what is not given."""
        return path in self.space and not any(
            inp.path in self.priors for inp in self.space.base_inputs([path]))

    def coverage(self, prefix: str = "") -> Coverage:
        """How much of the scorecard, or of the included one at `prefix` (`moat.`), the
        subject answers with given inputs (see `Coverage`); priors do not count."""
        card = self.scorecard
        for part in prefix.split(".")[:-1]:
            included = next(f.included for f in card.factors if f.id == part)
            assert included is not None
            card = included
        return _coverage(card, self.given, self.not_assessed, prefix)

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
            if factor.included is not None:
                items += factor.included.gates
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

    def reader(self, x: Array, beside: Mapping[str, Array] | None = None
               ) -> Callable[[str], Array]:
        """The values of any input path in the space for the rows of `x`, derived ones
        computed once; an input the scorecard does not sample is at its base case in every row,
        unless `beside` holds its values for these rows (what the sources' stances read beyond
        the score, drawn beside the design)."""
        columns = {path: x[:, j] for path, j in self._column.items()} | dict(beside or {})
        cache: dict[str, Array] = {}

        def value(path: str) -> Array:  # not recursive: a self-referencing closure is a cycle,
            if path not in cache:       # which would keep every block's arrays until a GC
                cache[path] = self.space.column(path, columns)
            return cache[path]

        return value

    def pick_freeze(self, a: Array, b: Array) -> Array:
        """The composites of B and of each A_B^i (A with column i taken from B), laid out
        [B; A_B^1; ...; A_B^k] as `sensitivity.pick_freeze` stacks them (below A), equal to
        evaluating that matrix, but without building it. Each value of the evaluation is held
        as `_Swapped`: its rows for B, for A, and for the A_B^i that differ from A's. A rule is
        evaluated on A, on B, and on the A_B^i of the columns its input reads; a factor, a gate
        or the composite only on the blocks that differ in one of its parts. One input feeds a
        few criteria, so each A_B^i is computed along its path alone."""
        a, b = self._matrix(a), self._matrix(b)
        k = a.shape[1]
        read_a, read_b = self.reader(a), self.reader(b)
        columns_a = {path: a[:, j] for path, j in self._column.items()}

        def score(path: str, rule: RuleFn) -> Values:
            differ = {self._column[inp.path]: rule(self.space.column(
                path, columns_a | {inp.path: b[:, self._column[inp.path]]}))
                for inp in self.space.base_inputs([path])}
            return _Swapped(rule(read_b(path)), rule(read_a(path)), differ)

        composite = self._card(self._root, score, _Parts(None, None, None))
        assert isinstance(composite, _Swapped)
        return composite.stacked(k)

    def _evaluate(self, x: Array, parts: _Parts) -> tuple[Array, Array | None]:
        """The composite of the rows of `x` and, if `parts` keeps factors and the scorecard has
        stages, their stage index; what `parts` asks for is collected on the way."""
        value = self.reader(x)
        composite = _array(self._card(self._root, lambda path, rule: rule(value(path)), parts))
        stage = None
        if self._stages is not None and parts.factors is not None:
            stage = self._stages(composite, parts.factors, value)
        return composite, stage

    def _card(self, card: _Card, score: Scorer, out: _Parts) -> Values:
        scores: dict[str, Values] = {}
        for factor in card.factors:
            if factor.card is not None:
                factor_score = self._card(factor.card, score, out)
            else:
                factor_score = _gated(_combine(factor, score, out), factor.gates, score, out)
            if out.factors is not None:
                out.factors[factor.path] = _array(factor_score)
            scores[FACTOR_PREFIX + factor.path.rpartition(".")[2]] = factor_score
        total = _mean([f.weight for f in card.factors], list(scores.values()))
        if not card.gates:
            return total

        def score_or_factor(path: str, rule: RuleFn) -> Values:
            return _apply(rule, scores[path]) if path in scores else score(path, rule)

        return _gated(total, card.gates, score_or_factor, out)


def _gated(score: Values, gates: list[_Gate], scorer: Scorer, out: _Parts) -> Values:
    """The score after its gates, in `_Gate.order`."""
    for gate in gates:
        holds = scorer(gate.input, gate.holds)
        if out.gates is not None:
            out.gates[gate.path] = _array(holds)
        score = gate.apply(score, holds)
    return score


def _combine(factor: _Factor, scorer: Scorer, out: _Parts) -> Values:
    """The factor's criteria made one score: weighted mean, best (`any`) or weakest (`all`)."""
    scores = []
    for crit in factor.criteria:
        s = scorer(crit.input, crit.rule)
        if out.criteria is not None:
            out.criteria[crit.path] = _array(s)
        scores.append(s)
    if factor.combine == "any":
        return functools.reduce(_MAXIMUM, scores)
    if factor.combine == "all":
        return functools.reduce(_MINIMUM, scores)
    return _mean([c.weight for c in factor.criteria], scores)


def _mean(weights: list[float], values: list[Values]) -> Values:
    """The weighted mean. Over pick-freeze rows, each block where some values differ from A's
    is A's weighted sum plus those values' changes: the work of the blocks each value changes,
    not of every block any value changes for every value."""
    total = sum(weights)
    swapped = [v for v in values if isinstance(v, _Swapped)]
    if not swapped:
        return functools.reduce(operator.add, [w * v for w, v in zip(weights, values,
                                                                      strict=True)]) / total

    def part(pick: Callable[[_Swapped], Array]) -> Array:
        out: Array = functools.reduce(operator.add, [
            w * (pick(v) if isinstance(v, _Swapped) else v)
            for w, v in zip(weights, values, strict=True)])
        return out

    b, a = part(lambda v: v.b), part(lambda v: v.a)
    differ: dict[int, Array] = {}
    for w, v in zip(weights, values, strict=True):
        if isinstance(v, _Swapped):
            for i, block in v.differ.items():
                change = w * (block - v.a)
                differ[i] = differ[i] + change if i in differ else a + change
    return _Swapped(b / total, a / total, {i: differ[i] / total for i in sorted(differ)})


class _Swapped(NDArrayOperatorsMixin):
    """A value over the pick-freeze rows [B; A_B^1; ...; A_B^k], held sparsely: its rows for B,
    for A, and for the blocks A_B^i where it differs from A's (`differ`, by column i). Numpy's
    elementwise functions and operators apply part by part, a block that differs in any
    operand being computed and every other block left as A's."""

    def __init__(self, b: Array, a: Array, differ: dict[int, Array]) -> None:
        self.b, self.a, self.differ = b, a, differ

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: object,
                        **kwargs: object) -> _Swapped:
        kwargs.pop("out", None)  # in place (`x += y`) is computed anew, as `x = x + y`
        if method != "__call__" or kwargs:
            return NotImplemented  # type: ignore[no-any-return]

        def part(pick: Callable[[_Swapped], Array]) -> Array:
            out: Array = ufunc(*(pick(x) if isinstance(x, _Swapped) else x for x in inputs))
            return out

        blocks = set().union(*(x.differ for x in inputs if isinstance(x, _Swapped)))
        return _Swapped(part(lambda x: x.b), part(lambda x: x.a),
                        {i: part(lambda x, i=i: x.differ.get(i, x.a))  # type: ignore[misc]
                         for i in sorted(blocks)})

    def map(self, rule: RuleFn) -> _Swapped:
        return _Swapped(rule(self.b), rule(self.a), {i: rule(v) for i, v in self.differ.items()})

    def stacked(self, k: int) -> Array:
        """The (k + 1) N values in `sensitivity.pick_freeze`'s layout below A."""
        out = np.empty((k + 1, len(self.a)))
        out[0] = self.b
        out[1:] = self.a
        for i, values in self.differ.items():
            out[1 + i] = values
        return out.reshape(-1)


Values = Array | _Swapped
"""A value of an evaluation: one array of rows, or the pick-freeze rows held sparsely."""
_MAXIMUM: Callable[[Values, Values | float], Values] = np.maximum  # type: ignore[assignment]
_MINIMUM: Callable[[Values, Values | float], Values] = np.minimum  # type: ignore[assignment]


def _apply(rule: RuleFn, values: Values) -> Values:
    return values.map(rule) if isinstance(values, _Swapped) else rule(values)


def _array(values: Values) -> Array:
    """Parts are kept (`_Parts`) only in a plain evaluation, never over pick-freeze rows."""
    assert not isinstance(values, _Swapped)
    return values


def _coverage(card: Scorecard, is_given: Callable[[str], bool],
              not_assessed: dict[str, Status], prefix: str) -> Coverage:
    applying = [f for f in card.factors if not_assessed.get(f"{prefix}{f.id}") != "not_applicable"]
    total = sum(f.weight for f in applying)
    given, criteria, weight = 0, 0, 0.0
    for factor in applying:
        if factor.included is not None:
            inner = _coverage(factor.included, is_given, not_assessed, f"{prefix}{factor.id}.")
        else:
            answered = [c for c in factor.criteria if is_given(c.input)]
            inner = Coverage(len(answered), len(factor.criteria),
                             sum(c.weight for c in answered)
                             / sum(c.weight for c in factor.criteria))
        given, criteria = given + inner.given, criteria + inner.criteria
        weight += factor.weight / total * inner.weight
    return Coverage(given, criteria, weight)


def compile_scorecard(card: Scorecard, space: InputSpace,
                      context: dict[str, str] | None = None,
                      kinds: Mapping[str, InputKind] | None = None) -> Compiled:
    """Bind `card` to the inputs in `space`; `context` decides which factors apply. `kinds`
    (the subject kind's catalogue) lets a missing input be drawn from its prior, read as that
    input's kind; without it, a missing input is left out."""
    binding = _Binding(InputSpace(dict(space.inputs), dict(space.derived)), context or {},
                       kinds)
    root = binding.card(card, "")
    if root is None:
        raise NothingToScoreError(f"none of the inputs scorecard {card.id!r} uses are given")
    binding.used.extend(stage_inputs(card.stages, binding.space))
    return Compiled(card, root, binding.space, binding.used, binding.not_assessed,
                    binding.priors)


@dataclass
class _Binding:
    """One scorecard being bound to one subject: the inputs used so far, what is left out, and
    the priors standing in for inputs not given (added to `space` as they are needed)."""

    space: InputSpace
    context: dict[str, str]
    kinds: Mapping[str, InputKind] | None
    used: list[str] = field(default_factory=list)
    not_assessed: dict[str, Status] = field(default_factory=dict)
    priors: dict[str, Prior] = field(default_factory=dict)

    def card(self, card: Scorecard, prefix: str) -> _Card | None:
        factors: list[_Factor] = []
        for factor in card.factors:
            path = f"{prefix}{factor.id}"
            if not factor.applies(self.context):
                self.not_assessed[path] = "not_applicable"
                continue
            node = _Factor(path, factor.weight, factor.combine)
            if factor.included is not None:
                node.card = self.card(factor.included, f"{path}.")
            else:
                node.criteria = [self.criterion(c, path) for c in factor.criteria
                                 if self.available(c.input, c.prior, f"{path}.{c.id}")]
                node.gates = self.gates(factor.gates, path)
            if node.card is None and not node.criteria:
                self.not_assessed.setdefault(path, "nothing_given")
                continue
            factors.append(node)
        if not factors:
            return None
        scored = {FACTOR_PREFIX + f.path.rpartition(".")[2] for f in factors}
        gates = [g for g in card.gates if g.input in scored or not g.input.startswith(
            FACTOR_PREFIX)]
        self.not_assessed.update({f"{prefix}{g.id}": "not_given" for g in card.gates
                                  if g not in gates})
        return _Card(prefix.rstrip("."), factors, self.gates(gates, prefix.rstrip("."),
                                                             factor_inputs=scored))

    def gates(self, gates: list[Gate], owner: str,
              factor_inputs: Collection[str] = ()) -> list[_Gate]:
        """The gates whose input is a factor score of the card or available, in order."""
        out = []
        for g in gates:
            path = f"{owner}.{g.id}" if owner else g.id
            if g.input in factor_inputs:
                out.append(_Gate(path, g.input, *_limit(g), gate_function(g)))
            elif self.available(g.input, g.prior, path):
                inp = self.space.inputs.get(g.input)
                choices, weights = (inp.choices, inp.weights) if inp else ((), ())
                self.used.append(g.input)
                out.append(_Gate(path, g.input, *_limit(g), gate_function(g, choices, weights)))
        return sorted(out, key=lambda g: g.order)

    def available(self, input_path: str, prior: Prior | None, item: str) -> bool:
        """Whether the input is given or can be drawn from `prior`; if neither, the item is
        recorded as not assessed."""
        if input_path in self.space:
            return True
        kind = None if self.kinds is None or prior is None else self.kinds.get(input_path)
        if kind is None or prior is None:
            self.not_assessed[item] = "not_given"
            return False
        self.space.inputs[input_path] = prior_input(input_path, kind, prior)
        self.priors[input_path] = prior
        return True

    def criterion(self, crit: Criterion, factor: str) -> _Criterion:
        self.used.append(crit.input)
        inp = self.space.inputs.get(crit.input)
        choices, weights = (inp.choices, inp.weights) if inp is not None else ((), ())
        return _Criterion(f"{factor}.{crit.id}", crit.input, crit.weight,
                          rule_function(crit.rule, choices, weights))


def _limit(gate: Gate) -> tuple[float, bool]:
    return (gate.floor, True) if gate.floor is not None else (gate.cap or 0.0, False)


def prior_input(path: str, kind: InputKind, prior: Prior) -> Input:
    """The column a prior stands in with: its value read as the input's own kind would be."""
    return input_of(path, kind, read_as(kind, prior.value))
