"""Two subjects of one kind side by side: `compare_subjects(a, b)` says what separates them.

Two companies, two markets, or two versions of one company, read three ways; the gap is always
A's base-case score minus B's, as `thesis score` gives each:

- By factor: each factor's score for both, and each top-level factor's weighted part of the gap
  (share x score, as `thesis.compare` reads it). What the whole scorecard's gates add is a part
  of its own, so the parts sum to the gap.
- By changed input: every input the two give differently, and every context field that decides
  which factors apply (a company's layer, segment, stage), is a player in a game whose value is
  the base-case score of a hybrid subject: those players as A gives them, the rest as B does.
  Shapley values split the gap among them: they do not depend on any order, sum to the gap
  (efficiency) and give nothing to an input that never moves the score. Up to `EXACT_PLAYERS`
  players every one of the 2^k hybrids is scored; beyond, the shares are averaged over
  `PERMUTATIONS` random orders of the players (seeded; each order with its reverse, which
  cancels much of the noise), each share with its standard error. Each order's contributions
  add up to the gap, so the estimates still sum to it exactly.
- How sure: one joint Monte Carlo. Both subjects are drawn from one design of uniforms; an input
  both give alike (or neither gives, so both draw it from one prior) reads the same column for
  both (common random numbers), and inputs they give differently read columns of their own. Two
  versions of one company thus differ only where they differ, and P(A > B) is read from paired
  draws, with an interval across the design's independently scrambled replicates.

Hybrids are scored many at a time: those that share a structure (which factors apply, which
inputs a prior stands in for, which weights a category's rule holds) are rows of one input
matrix through one compiled scorecard; only a change of structure compiles anew.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import Field

from thesis.defaults import DEFAULT_SAMPLES, MAX_SAMPLES
from thesis.engine.compile import BLOCK_ROWS, Compiled, Unknowns, compile_scorecard
from thesis.engine.sampling import DesignStream
from thesis.engine.sensitivity import t_interval
from thesis.engine.space import Derived, Input, InputSpace
from thesis.errors import InputError, NothingToScoreError, UserError
from thesis.files.load import load_scorecard
from thesis.models.distributions import Array
from thesis.models.scorecard import FACTOR_PREFIX, Criterion, Gate, Scorecard
from thesis.result import (
    CompanyHeader,
    CoverageResult,
    MarketHeader,
    Provenance,
    Result,
    ResultModel,
)
from thesis.run import CONFIDENCE, compare, score
from thesis.subjects import Subject, SubjectName, compile_for, context, input_space, kind_of

EXACT_PLAYERS = 10
"""Up to this many changed inputs the gap is split exactly, over all 2^k hybrids (1,024 rows)."""
PERMUTATIONS = 256
"""Random orders of the players beyond `EXACT_PLAYERS` (half of them the others reversed)."""
TIE = 1e-9
"""Scores closer than this (on 0-100) are equal: the same inputs through the same rules."""


class Spread(ResultModel):
    """A quantity over the joint Monte Carlo sample: its mean and its P10, P50 and P90."""

    mean: float
    p10: float
    p50: float
    p90: float

    _shown = ("p10", "p50", "p90")


class Contender(ResultModel):
    """One side of the comparison, scored at its base case as `thesis score` scores it."""

    subject: Annotated[CompanyHeader | MarketHeader, Field(discriminator="kind")]
    file: str | None
    """The file's name (no folder, so the output is the same on every machine)."""
    score: float
    verdict: str
    coverage: CoverageResult

    _shown = ("subject", "score")


class FactorGap(ResultModel):
    """One factor, side by side: its score for each subject and the gap between them."""

    path: str
    title: str
    a: float | None
    b: float | None
    """None where the factor is not scored for that subject (it does not apply, or nothing of it
    is given)."""
    gap: float | None
    contribution: float | None
    """A top-level factor's part of the gap in the total score (its share x its score for A,
    minus the same for B); None for the factors inside it."""

    _shown = ("path", "gap")

    @property
    def depth(self) -> int:
        return self.path.count(".")


class InputGap(ResultModel):
    """One input the two subjects give differently, and how much of the gap it accounts for."""

    input: str
    question: str
    context: bool
    """A field that decides which factors apply (a company's layer), not a scored input."""
    a: str
    b: str
    """How each subject gives it, briefly (`8M..14M`, `yes`, `not given; prior p=0.50`)."""
    share: float
    """Its Shapley value: points of the gap (A minus B); positive where it favours A."""
    error: float | None
    """The share's standard error when estimated from random orders; None when exact."""

    _shown = ("input", "share")


class InputSplit(ResultModel):
    """The gap split among the inputs that changed (Shapley values over hybrid subjects)."""

    method: Literal["exact", "permutation"]
    hybrids: int
    """Distinct hybrid subjects scored."""
    permutations: int | None
    """Random orders of the players averaged over; None when exact."""
    seed: int | None
    inputs: list[InputGap]
    """Largest share (either way) first."""

    _shown = ("method", "inputs")


class JointGap(ResultModel):
    """The two scores over one joint Monte Carlo sample, and the gap between them."""

    samples: int
    requested_samples: int
    method: Literal["sobol"] = "sobol"
    seed: int
    replicates: int
    sampled_inputs: int
    """Columns of the joint design."""
    shared_inputs: int
    """Inputs both subjects read from one column (given alike, or drawn from one prior)."""
    probability_above: float
    """P(A > B): the share of paired samples in which A scores above B."""
    probability_interval: tuple[float, float] | None
    """Its interval at `confidence` across the replicates (None with fewer than two)."""
    confidence: float
    probability_tie: float
    """P(A = B)."""
    gap: Spread
    a: Spread
    b: Spread

    _shown = ("probability_above", "gap")


class Matchup(ResultModel):
    """Two subjects of one kind under one scorecard: what separates their scores, factor by
    factor and input by input, and how sure it is that the first scores above the second."""

    kind: SubjectName
    scorecard: str
    scorecard_title: str
    a: Contender
    b: Contender
    gap: float
    """A's base-case score minus B's."""
    factors: list[FactorGap]
    """Every factor scored for either subject, depth first."""
    card_gates: float
    """The part of the gap the whole scorecard's gates add after its factors are combined."""
    inputs: InputSplit
    joint: JointGap | None
    """None when compared at the base case only (samples = 0)."""
    provenance: Provenance

    _shown = ("a", "b", "gap")

    def _repr_markdown_(self) -> str:
        """A notebook shows the comparison as its markdown report."""
        from thesis.report import Format
        from thesis.report.comparison import render

        return render(self, Format.markdown)


def compare_subjects(a: Subject, b: Subject, scorecard: Scorecard | str | Path | None = None, *,
                     samples: int = DEFAULT_SAMPLES, seed: int = 0,
                     unknowns: Unknowns = "prior") -> Matchup:
    """Compare two companies, two markets, or two versions of one, under one scorecard (by
    default their kind's own): side by side factor by factor, the gap split by changed input,
    and unless `samples` is 0, P(A > B) from one joint Monte Carlo of `samples` paired draws."""
    kind = kind_of(a)
    if kind_of(b) is not kind:
        raise _mismatch(a, b)
    if not 0 <= samples <= MAX_SAMPLES:
        raise UserError(f"samples must be between 0 and {MAX_SAMPLES:,}, not {samples:,}")
    if seed < 0:
        raise UserError(f"the seed must be 0 or more, not {seed}")
    card = scorecard if isinstance(scorecard, Scorecard) else load_scorecard(
        scorecard or kind.default_scorecard)
    ra, rb = (score(s, card, samples=0, unknowns=unknowns, brief=True) for s in (a, b))
    factors = _factor_gaps(ra, rb)
    gap = ra.score - rb.score
    compiled = compile_for(a, card, unknowns), compile_for(b, card, unknowns)
    joint = None if samples == 0 else _joint(*compiled, samples, seed)
    return Matchup(
        kind=kind.name, scorecard=card.id, scorecard_title=card.title,
        a=_contender(a, ra), b=_contender(b, rb), gap=gap, factors=factors,
        card_gates=gap - sum(f.contribution or 0.0 for f in factors),
        inputs=_split(_Hybrids(card, a, b, unknowns), compiled, seed), joint=joint,
        provenance=ra.provenance.model_copy(update={
            "input_file": None, "samples": 0 if joint is None else joint.samples,
            "requested_samples": samples, "seed": seed, "method": "sobol"}))


def _mismatch(a: Subject, b: Subject) -> UserError:
    def named(s: Subject) -> str:
        return s.name if s.origin is None else Path(s.origin.path).name

    message = (f"this is a {kind_of(b).name} and {named(a)} is a {kind_of(a).name}: compare two "
               "companies, two markets, or two versions of one")
    return UserError(message) if b.origin is None else InputError.single(b.origin.path, message)


def _contender(subject: Subject, result: Result) -> Contender:
    return Contender(subject=result.subject, score=result.score, verdict=result.verdict,
                     coverage=result.coverage,
                     file=None if subject.origin is None else Path(subject.origin.path).name)


def _factor_gaps(ra: Result, rb: Result) -> list[FactorGap]:
    comparison = compare(ra, rb).comparison
    assert comparison is not None
    parts = {d.id: d.contribution for d in comparison.factors}
    theirs = {f.path: f.score for f in rb.walk()}
    rows = []
    for f in ra.walk():
        other = theirs.get(f.path)
        if f.score is None and other is None:
            continue
        rows.append(FactorGap(
            path=f.path, title=f.title, a=f.score, b=other,
            gap=None if f.score is None or other is None else f.score - other,
            contribution=parts.get(f.path)))
    return rows


def _joint(ca: Compiled, cb: Compiled, samples: int, seed: int) -> JointGap:
    """Both subjects over one design: an input both draw alike reads one column for both."""
    own = {inp.path: j for j, inp in enumerate(ca.inputs)}
    columns: list[int] = []
    width = len(ca.inputs)
    for inp in cb.inputs:
        j = own.get(inp.path)
        if j is not None and ca.inputs[j] == inp:
            columns.append(j)
        else:
            columns.append(width)
            width += 1
    design = DesignStream(samples, width, seed)
    sa, sb = np.empty(design.n), np.empty(design.n)
    for start, u in design.blocks(BLOCK_ROWS):
        rows = slice(start, start + len(u))
        sa[rows] = ca.composite(ca.draw(u[:, : len(ca.inputs)]))
        sb[rows] = cb.composite(cb.draw(u[:, columns]))
    gap = sa - sb
    above = gap > TIE
    runs = np.array([[above[lo:hi].mean() for lo, hi in pairwise(design.bounds)]])
    probability = float(above.mean())
    low, high = t_interval(np.array([probability]), runs, CONFIDENCE)[0]
    return JointGap(
        samples=design.n, requested_samples=samples, seed=seed, replicates=design.replicates,
        sampled_inputs=width, shared_inputs=len(cb.inputs) - (width - len(ca.inputs)),
        probability_above=probability, confidence=CONFIDENCE,
        probability_interval=None if np.isnan(low) else (
            max(float(low), 0.0), min(float(high), 1.0)),
        probability_tie=float(np.mean(np.abs(gap) <= TIE)),
        gap=_spread(gap), a=_spread(sa), b=_spread(sb))


def _spread(values: Array) -> Spread:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return Spread(mean=float(values.mean()), p10=float(p10), p50=float(p50), p90=float(p90))


def _split(game: _Hybrids, compiled: tuple[Compiled, Compiled], seed: int) -> InputSplit:
    """The Shapley values of the players, exactly or from random orders, named and described."""
    k = len(game.players)
    if k <= EXACT_PLAYERS:
        shares, errors, hybrids = _exact(game, k)
        method: Literal["exact", "permutation"] = "exact"
    else:
        shares, errors, hybrids = _sampled(game, k, seed)
        method = "permutation"
    kind = kind_of(game.subjects[0])
    inputs = [InputGap(input=p, question=kind.question(p), context=i >= len(game.changed),
                       a=game.stated(0, p, compiled[0]), b=game.stated(1, p, compiled[1]),
                       share=float(shares[i]), error=None if errors is None else float(errors[i]))
              for i, p in enumerate(game.players)]
    inputs.sort(key=lambda g: (-abs(g.share), g.input))
    return InputSplit(method=method, hybrids=hybrids, inputs=inputs,
                      permutations=None if method == "exact" else PERMUTATIONS,
                      seed=None if method == "exact" else seed)


def _exact(game: _Hybrids, k: int) -> tuple[Array, None, int]:
    """Shapley values over every coalition: phi_i = sum over S without i of
    |S|! (k - |S| - 1)! / k! (v(S + i) - v(S)), v scored for all 2^k hybrids in one batch."""
    if k == 0:
        return np.empty(0), None, 0
    coalitions = np.arange(1 << k)
    masks = ((coalitions[:, None] >> np.arange(k)) & 1).astype(bool)
    values = game.scores(masks)
    sizes = masks.sum(axis=1)
    weight = np.array([1.0 / (k * math.comb(k - 1, s)) for s in range(k)])
    shares = np.empty(k)
    for i in range(k):
        without = coalitions[~masks[:, i]]
        shares[i] = np.sum(weight[sizes[without]] * (values[without | (1 << i)] - values[without]))
    return shares, None, len(coalitions)


def _sampled(game: _Hybrids, k: int, seed: int) -> tuple[Array, Array, int]:
    """Shapley values as the mean of each player's marginal contribution over random orders
    (Castro, Gomez & Tejada 2009), each order paired with its reverse; the standard error is
    read from the pairs, which are independent."""
    half = PERMUTATIONS // 2
    orders = np.random.default_rng(seed).permuted(np.tile(np.arange(k), (half, 1)), axis=1)
    orders = np.vstack([orders, orders[:, ::-1]])
    rank = np.argsort(orders, axis=1)
    masks = (rank[:, None, :] < np.arange(k + 1)[None, :, None]).reshape(-1, k)
    first, which = _distinct(masks)
    values = game.scores(masks[first])[which].reshape(len(orders), k + 1)
    gains = (np.take_along_axis(values, rank + 1, axis=1)
             - np.take_along_axis(values, rank, axis=1))
    pairs = (gains[:half] + gains[half:]) / 2
    return gains.mean(axis=0), pairs.std(axis=0, ddof=1) / math.sqrt(half), len(first)


@dataclass(frozen=True)
class _Layout:
    """The hybrids that share one context: which players change their structure, and the
    values each player takes from A and from B (a prior where one gives nothing)."""

    context: dict[str, str]
    structural: tuple[int, ...]
    """Input players whose source changes the compiled scorecard, not just a row's value."""
    options: dict[int, tuple[Input | None, Input | None]]
    """Each other input player's column as A gives it and as B does."""

    def compiled_with(self, i: int) -> Input:
        """The column a non-structural player is compiled with: an uncertain category's own
        (its rule's expectation holds its weights), else either."""
        first, second = self.options[i]
        if second is not None and (first is None or not second.is_certain):
            return second
        assert first is not None
        return first


class _Hybrids:
    """Subjects made of A's values for some players and B's for the rest, scored at their base
    case many at a time: the value function of the gap's Shapley split.

    A player's source changes a hybrid's structure, not just its values, where it is a context
    field, where one subject gives it and no prior stands in for it the same way (it is read
    through a derived input, or some rule reading it has no prior), or where it is a category
    both give uncertainly with different weights. Hybrids are grouped by context and by the
    sources of their structural players; each group is one compiled scorecard and one matrix.
    """

    def __init__(self, card: Scorecard, a: Subject, b: Subject, unknowns: Unknowns) -> None:
        self.card = card
        self.subjects = a, b
        self.kinds = kind_of(a).catalogue() if unknowns == "prior" else None
        self.spaces = input_space(a), input_space(b)
        self.contexts = context(a), context(b)
        self.derived = self.spaces[0].derived
        self.items = _items(card)
        read = {p for path in self.items.values() if not path.startswith(FACTOR_PREFIX)
                for p in _needs(path, self.derived)}
        self.through_derived = {p for path in self.items.values() if path in self.derived
                                for p in _needs(path, self.derived)}
        sa, sb = (s.inputs for s in self.spaces)
        changed = sorted(p for p in read & (sa.keys() | sb.keys()) if sa.get(p) != sb.get(p))
        keys = sorted(k for k in self.contexts[0].keys() | self.contexts[1].keys()
                      if self.contexts[0].get(k) != self.contexts[1].get(k))
        self.players = [*changed, *keys]
        self.changed = changed
        self.fixed = {p: inp for p, inp in {**sb, **sa}.items() if p not in changed}
        self._layouts: dict[tuple[bool, ...], _Layout] = {}
        self._compiled: dict[tuple[tuple[bool, ...], tuple[bool, ...]], Compiled] = {}

    def stated(self, side: int, path: str, compiled: Compiled) -> str:
        """How one subject gives a player, briefly."""
        if path in self.contexts[side]:
            return self.contexts[side][path]
        inp = self.spaces[side].inputs.get(path)
        if inp is not None:
            return inp.describe()
        if path in compiled.priors:
            return f"not given; prior {compiled.space.inputs[path].describe()}"
        return "not given"

    def scores(self, masks: np.ndarray) -> Array:
        """The base-case score of each hybrid: a row of `masks` is True where a player is A's."""
        out = np.empty(len(masks))
        keys = masks[:, len(self.changed):]
        for pattern, rows in _groups(keys):
            layout = self._layout(pattern)
            for shape, within in _groups(masks[rows][:, list(layout.structural)]):
                chosen = rows[within]
                compiled = self._compile(pattern, shape, layout)
                out[chosen] = compiled.composite(self._matrix(layout, compiled, masks[chosen]))
        return out

    def _layout(self, pattern: tuple[bool, ...]) -> _Layout:
        if pattern in self._layouts:
            return self._layouts[pattern]
        keys = self.players[len(self.changed):]
        ctx = {**self.contexts[1], **{k: self.contexts[0][k] for k, of_a in zip(
            keys, pattern, strict=True) if of_a}}
        sa, sb = (s.inputs for s in self.spaces)
        lacking = [i for i, p in enumerate(self.changed) if (p in sa) != (p in sb)]
        structural, priors = self._priors(ctx, lacking)
        options: dict[int, tuple[Input | None, Input | None]] = {}
        for i, p in enumerate(self.changed):
            pair = sa.get(p) or priors.get(p), sb.get(p) or priors.get(p)
            if i in structural or _both_uncertain(*pair):
                structural.add(i)
            else:
                options[i] = pair
        self._layouts[pattern] = _Layout(ctx, tuple(sorted(structural)), options)
        return self._layouts[pattern]

    def _priors(self, ctx: dict[str, str], lacking: list[int]) -> tuple[set[int], dict[str, Input]]:
        """Of the players one subject lacks, those whose absence changes the structure in this
        context, and for the others the prior that stands in for them (as compiling would)."""
        if not lacking:
            return set(), {}
        if self.kinds is None:
            return set(lacking), {}
        absent = {self.changed[i] for i in lacking}
        space = InputSpace({p: inp for p, inp in {**self.fixed, **self.spaces[0].inputs}.items()
                            if p not in absent}, dict(self.derived))
        try:
            bare = compile_scorecard(self.card, space, ctx, self.kinds)
        except NothingToScoreError:
            return set(lacking), {}
        dropped = {p for item, status in bare.not_assessed.items()
                   if status == "not_given" and item in self.items
                   for p in _needs(self.items[item], self.derived)}
        structural = {i for i in lacking
                      if self.changed[i] in dropped | self.through_derived}
        return structural, {p: bare.space.inputs[p] for p in absent if p in bare.priors}

    def _compile(self, pattern: tuple[bool, ...], shape: tuple[bool, ...],
                 layout: _Layout) -> Compiled:
        key = pattern, shape
        if key not in self._compiled:
            inputs = dict(self.fixed)
            inputs.update({self.changed[i]: layout.compiled_with(i) for i in layout.options})
            for i, of_a in zip(layout.structural, shape, strict=True):
                chosen = self.spaces[0 if of_a else 1].inputs.get(self.changed[i])
                if chosen is not None:
                    inputs[self.changed[i]] = chosen
            try:
                self._compiled[key] = compile_scorecard(
                    self.card, InputSpace(inputs, dict(self.derived)), layout.context,
                    self.kinds)
            except NothingToScoreError:
                raise UserError(
                    "the gap cannot be split by input: a mix of the two subjects' inputs leaves "
                    "nothing to score (give the inputs both use, or score unknowns from priors)"
                ) from None
        return self._compiled[key]

    def _matrix(self, layout: _Layout, compiled: Compiled, masks: np.ndarray) -> Array:
        """The base-case row of each hybrid: each player's value from its source."""
        player = {self.changed[i]: i for i in layout.options}
        columns = []
        for inp in compiled.inputs:
            i = player.get(inp.path)
            if i is None:
                columns.append(np.full(len(masks), inp.base()))
                continue
            first, second = (_base(option, inp) for option in layout.options[i])
            columns.append(np.where(masks[:, i], first, second))
        return np.column_stack(columns) if columns else np.empty((len(masks), 0))


def _base(option: Input | None, compiled_as: Input) -> float:
    """A player's base-case value in a column compiled as `compiled_as`: a category compiled
    with other weights is certain (else it would be structural), so it is its choice's index."""
    if option is None:
        return compiled_as.base()
    if option.kind == "category" and option != compiled_as:
        return float(option.likeliest)
    return option.base()


def _both_uncertain(first: Input | None, second: Input | None) -> bool:
    """Two different uncertain categories: one compiled rule cannot hold both expectations."""
    return (first is not None and second is not None and first.kind == "category"
            and first != second and not first.is_certain and not second.is_certain)


def _groups(bits: np.ndarray) -> list[tuple[tuple[bool, ...], np.ndarray]]:
    """The distinct rows of a boolean matrix, each with the indices of the rows equal to it."""
    first, which = _distinct(bits)
    return [(tuple(bool(x) for x in bits[row]), np.flatnonzero(which == g))
            for g, row in enumerate(first)]


def _distinct(bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The index of the first of each distinct row of a boolean matrix, and which distinct row
    each row is; rows are packed into bytes first, as sorting them whole is slow."""
    if bits.shape[1] == 0:
        return np.zeros(min(len(bits), 1), dtype=np.intp), np.zeros(len(bits), dtype=np.intp)
    packed = np.ascontiguousarray(np.packbits(bits, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).reshape(-1)
    _, first, which = np.unique(keys, return_index=True, return_inverse=True)
    return first, which.reshape(-1)


def _items(card: Scorecard) -> dict[str, str]:
    """Each criterion's and gate's path, as compiling names it, and the input it reads."""
    out = {g.id: g.input for g in card.gates}
    for path, factor in card.walk():
        items: list[Criterion | Gate] = [*factor.criteria, *factor.gates]
        items += factor.included.gates if factor.included else []
        out.update({f"{path}.{item.id}": item.input for item in items})
    return out


def _needs(path: str, derived: dict[str, Derived]) -> set[str]:
    """The inputs a path is computed from: itself, or a derived input's parts, recursively."""
    if path not in derived:
        return {path}
    return {p for need in derived[path].needs for p in _needs(need, derived)}
