"""The scorecard schema: rules as data, each with the source it comes from.

A scorecard has factors with weights; a factor has criteria (an input path, a rule, a weight,
a `source`) combined by a weighted mean, or by `combine: any` (the best of alternatives counts,
as in "a traditional moat or real technical differentiation") or `combine: all` (a weakest
link), and optional gates, or it includes a whole other scorecard (`scorecard: moat`), which
is how `thesis.yaml` composes moat, revenue quality and market pool into one thesis score.
Verdict bands map a 0-100 score to words.

Rule kinds are few and all vectorise:

- `curve`: piecewise-linear over a number, monotone in its declared `better` direction,
  optionally on a log10 axis (for sizes that span orders of magnitude);
- `categories`: a score per named choice;
- `evidence`: a score for yes and for no, linear in the probability in between;
- gates, on a factor or on the whole card: a must-have that caps the score while it fails
  (`cap`), or a decisive condition that lifts it to a floor while it holds (`floor`).

A criterion or gate whose input the subject does not give is drawn from its `prior`: what the
input is believed to be, with the source of that belief. An unknown thus widens the answer
instead of leaving the score. A scorecard may declare the `minimum_coverage` of its weight that
given inputs must carry for a verdict; below it the verdict is "insufficient evidence".

Every source is a seed file name, a named public benchmark, or `assumption: <why>`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from thesis.models.base import UserModel

Score = Annotated[float, Field(ge=0, le=100)]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Source = Annotated[str, Field(min_length=3, description=(
    "where this comes from: a seed file name, a named public benchmark, or 'assumption: why'"))]

SCORE = "score"
FACTOR_PREFIX = "factors."
"""A stage sign reads an input path, the composite (`score`) or a factor (`factors.<id>`)."""


class Sign(UserModel):
    """One sign of a stage: a bound on an input, on the composite score or on a factor."""

    of: str = Field(description="an input path, 'score', or 'factors.<factor id>'")
    at_least: float | None = None
    at_most: float | None = None
    model_config = ConfigDict(populate_by_name=True)

    among: list[str] | None = Field(default=None, alias="in",
                                    description="for a category: holds for these choices")

    @model_validator(mode="after")
    def _one_test(self) -> Sign:
        if (self.at_least is None and self.at_most is None) == (self.among is None):
            raise ValueError("a sign needs at_least and/or at_most, or in: [choices]")
        return self


class Stage(UserModel):
    """A stage of a cycle, reached when all its signs hold (the first stage has none)."""

    id: Identifier
    title: str = Field(min_length=1)
    meaning: str = ""
    when: list[Sign] = Field(default_factory=list)
    source: str = Field(min_length=3)


class Curve(UserModel):
    """Piecewise-linear score over a number; flat beyond the first and last points."""

    kind: Literal["curve"]
    points: list[tuple[float, Score]] = Field(min_length=2)
    better: Literal["higher", "lower"]
    scale: Literal["linear", "log"] = "linear"

    @model_validator(mode="after")
    def _monotone(self) -> Curve:
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError("points must have strictly increasing x")
        if self.scale == "log" and xs[0] <= 0:
            raise ValueError("a log-scale curve needs x > 0")
        rising = all(b >= a for a, b in itertools.pairwise(ys))
        falling = all(b <= a for a, b in itertools.pairwise(ys))
        if self.better == "higher" and not rising:
            raise ValueError("better: higher needs scores that never fall as x grows")
        if self.better == "lower" and not falling:
            raise ValueError("better: lower needs scores that never rise as x grows")
        return self


class Categories(UserModel):
    kind: Literal["categories"]
    scores: dict[str, Score] = Field(min_length=1)


class EvidenceRule(UserModel):
    kind: Literal["evidence"]
    yes: Score = 100.0
    no: Score = 0.0

    @property
    def better(self) -> Literal["higher", "lower"]:
        return "higher" if self.yes >= self.no else "lower"


Rule = Annotated[Curve | Categories | EvidenceRule, Field(discriminator="kind")]


class Prior(UserModel):
    """What an input is believed to be when the subject does not give it, written as the input
    itself would be (a probability, a range, probabilities over choices), and why."""

    value: bool | float | str | dict[str, float] = Field(description=(
        "as the input would be given: a probability for yes/no evidence, a number or a "
        "distribution ({low, high}, {p10, p90}, ...) for a number, choices with probabilities "
        "for a category"))
    source: Source


class Criterion(UserModel):
    id: Identifier
    question: str = Field(min_length=3, description="what this criterion asks, in plain words")
    input: str
    rule: Rule
    weight: float = Field(default=1.0, gt=0)
    source: Source
    prior: Prior | None = Field(default=None, description=(
        "what the input is believed to be when the subject does not give it; without a prior "
        "the criterion is left out (not assessed)"))


class Gate(UserModel):
    """A must-have or a decisive condition. A gate with a `cap` holds the score at or below it
    while its test fails; a gate with a `floor` lifts the score to at least it while its test
    holds. The test: at or above `at_least`, at or below `at_most` (a number), yes (evidence),
    or one of `in` (a category). On a whole card the input may be a factor, `factors.<id>`."""

    id: Identifier
    question: str = Field(min_length=3)
    input: str
    at_least: float | None = Field(default=None, description="for a number: holds at or above")
    at_most: float | None = Field(default=None, description="for a number: holds at or below")
    among: list[str] | None = Field(default=None, alias="in",
                                    description="for a category: holds for these choices")
    cap: Score | None = Field(default=None, description="the most the score can be while the "
                              "test fails")
    floor: Score | None = Field(default=None, description="the least the score can be while "
                                "the test holds")
    source: Source
    prior: Prior | None = None
    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _cap_or_floor(self) -> Gate:
        if (self.cap is None) == (self.floor is None):
            raise ValueError("a gate has either a cap (while it fails) or a floor (while it "
                             "holds)")
        if self.among is not None and (self.at_least is not None or self.at_most is not None):
            raise ValueError("a gate tests a category with in: [choices], a number with "
                             "at_least/at_most, not both")
        return self


Combine = Literal["mean", "any", "all"]


class Factor(UserModel):
    id: Identifier
    title: str = Field(min_length=1)
    weight: float = Field(gt=0)
    source: Source = Field(description="why this factor exists and why it has this weight")
    combine: Combine = Field(default="mean", description=(
        "how its criteria make its score: their weighted mean; any (the best one counts: "
        "alternatives, any of which is enough); all (the weakest one counts: each is needed). "
        "The factor's source says why"))
    applies_to: dict[str, list[str]] | None = Field(
        default=None, description="only for subjects whose fields match, e.g. {layer: [model]}")
    criteria: list[Criterion] = Field(default_factory=list)
    gates: list[Gate] = Field(default_factory=list)
    scorecard: str | None = Field(
        default=None, description="include a whole scorecard as this factor (a shipped name or a "
        "path relative to this file)")
    included: SkipJsonSchema[Scorecard | None] = Field(default=None, exclude=True, repr=False)
    """The included scorecard, resolved by loading (`model_copy`); never written in YAML."""

    @field_validator("included")
    @classmethod
    def _set_by_loading(cls, value: Scorecard | None) -> Scorecard | None:
        if value is not None:
            raise ValueError("is set by loading the scorecard named in `scorecard`")
        return value

    @model_validator(mode="after")
    def _one_body(self) -> Factor:
        if (self.scorecard is None) == (not self.criteria):
            raise ValueError("a factor has either criteria or a scorecard to include, not both")
        if self.scorecard is not None and self.gates:
            raise ValueError("gates belong to factors with criteria")
        if self.combine != "mean" and any(c.weight != 1.0 for c in self.criteria):
            raise ValueError(f"criteria of a factor combined by {self.combine!r} have no "
                             "weights: the best or the weakest counts whatever its weight")
        if self.combine != "mean" and self.scorecard is not None:
            raise ValueError("combine applies to criteria, not to an included scorecard")
        return self

    def applies(self, context: dict[str, str]) -> bool:
        return self.applies_to is None or all(
            context.get(key) in allowed for key, allowed in self.applies_to.items()
        )


class Verdict(UserModel):
    min: Score
    label: str = Field(min_length=1)
    meaning: str = ""


class MinimumCoverage(UserModel):
    """The least share of a card's weight that given inputs must carry for a verdict."""

    weight: float = Field(gt=0, le=1)
    source: Source


DIGESTS_KEPT = 256
_DIGESTS: dict[int, tuple[Scorecard, str]] = {}


class Scorecard(UserModel):
    id: Identifier
    title: str = Field(min_length=1)
    subject: Literal["company", "market"]
    description: str = ""
    factors: list[Factor] = Field(min_length=1)
    gates: list[Gate] = Field(default_factory=list, description=(
        "gates on the whole card's score, applied after the factors are combined; their input "
        "may be a factor's score, factors.<id>"))
    minimum_coverage: MinimumCoverage | None = Field(default=None, description=(
        "below this share of the weight resting on given inputs, the verdict is 'insufficient "
        "evidence' (with the score's leaning in words)"))
    verdicts: list[Verdict] = Field(min_length=1)
    verdict_source: Source
    stages: list[Stage] = Field(
        default_factory=list, description="stages of a cycle and the signs that place a "
        "subject at each (see thesis.engine.stages); shown beside the verdict")

    @model_validator(mode="after")
    def _consistent(self) -> Scorecard:
        _unique([f.id for f in self.factors], "factor id")
        _unique([g.id for g in self.gates], "gate id")
        for factor in self.factors:
            _unique([c.id for c in factor.criteria] + [g.id for g in factor.gates],
                    f"criterion id in {factor.id}")
        mins = [v.min for v in self.verdicts]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("verdicts must be listed from the highest min to the lowest")
        if mins[-1] != 0:
            raise ValueError("the last verdict must start at min: 0 so every score has words")
        return self

    def verdict(self, score: float) -> Verdict:
        if score != score:  # NaN: no band holds it, and no input should produce it
            raise ValueError("a score that is not a number has no verdict")
        return next(v for v in self.verdicts if score >= v.min)

    def digest(self) -> str:
        """SHA-256 of the rules' content (included scorecards apart, which have their own):
        the same rules give the same digest whatever the file's layout or comments. Kept for
        the last `DIGESTS_KEPT` scorecards: a model is frozen, and an edited copy is another
        object."""
        kept = _DIGESTS.get(id(self))
        if kept is not None and kept[0] is self:
            return kept[1]
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True,
                               ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        _DIGESTS[id(self)] = (self, digest)  # the card is held, so its id is not reused
        while len(_DIGESTS) > DIGESTS_KEPT:
            _DIGESTS.pop(next(iter(_DIGESTS)))
        return digest

    def walk(self, prefix: str = "") -> Iterator[tuple[str, Factor]]:
        """Every factor, included scorecards expanded, with its dotted path."""
        for factor in self.factors:
            path = f"{prefix}{factor.id}"
            yield path, factor
            if factor.included is not None:
                yield from factor.included.walk(f"{path}.")


def _unique(ids: list[str], what: str) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate {what}: {', '.join(dupes)}")
