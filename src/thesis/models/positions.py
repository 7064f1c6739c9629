"""The sources' own positions, as data: would each author back or challenge a subject?

A position is one claim of one source (speaker, date, seed file, a short anchor to find it) with
two lists of conditions on the subject's inputs and on its scored result: when all of
`backs_when` hold, the author would back the subject on that point; when all of
`challenges_when` hold, they would challenge it; otherwise the claim does not speak to it. Each
position names what it is `about` (a factor path, or `score` for the whole verdict), so the
report can say whether our score agrees with the author or parts ways.

A condition tests one thing: an input (`at_least`, `at_most`, `in` for a category's choices), a
factor's score or the composite (`factor: score`), the verdict band (`verdict: [labels]`), a
market's stage (`stage: [ids]`), the subject's layer or segment; or it holds when `any` of its
conditions does. Disagreements name positions that contradict each other. Conditions are data,
never code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from thesis.models.base import UserModel

SEED_FILE = r"^\d{3}_[0-9a-f]{16}\.txt$"


class Condition(UserModel):
    """One test on the subject or its result; see the module for the kinds."""

    model_config = ConfigDict(populate_by_name=True)

    input: str | None = None
    factor: str | None = Field(default=None, description="a factor path, or 'score' for the "
                               "composite")
    verdict: list[str] | None = Field(default=None, description="holds in these verdict bands")
    stage: list[str] | None = Field(default=None, description="a market at these stages")
    layer: list[str] | None = None
    segment: list[str] | None = Field(default=None, description="'not stated' when none is")
    any: list[Condition] | None = Field(default=None, description="holds if any of these does")
    at_least: float | None = None
    at_most: float | None = None
    among: list[str] | None = Field(default=None, alias="in",
                                    description="for a category: holds for these choices")

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        subjects = [x for x in (self.input, self.factor, self.verdict, self.stage, self.layer,
                                self.segment, self.any) if x is not None]
        if len(subjects) != 1:
            raise ValueError("a condition tests exactly one of input, factor, verdict, stage, "
                             "layer, segment, any")
        tests = [x for x in (self.at_least, self.at_most, self.among) if x is not None]
        compared = self.input is not None or self.factor is not None
        if compared and len(tests) != 1:
            raise ValueError("an input or a factor needs exactly one of at_least, at_most, in")
        if not compared and tests:
            raise ValueError("verdict, stage, layer, segment and any take no at_least, "
                             "at_most or in")
        if self.factor is not None and self.among is not None:
            raise ValueError("a factor score is compared with at_least or at_most")
        return self


class Position(UserModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    speaker: str = Field(min_length=2, description="the person who said it (not a write-up's "
                         "narrator or an interviewer)")
    source: str = Field(pattern=SEED_FILE)
    date: str = Field(description="when the view was stated, as precisely as the seed allows")
    anchor: str = Field(min_length=1, description="a few words of the source, to find the passage")
    claim: str = Field(min_length=10, description="the claim, in one sentence of our own words")
    about: str = Field(description="the factor path this claim speaks to, or 'score'")
    backs_because: str = Field(default="", description="why the author would back, in a few "
                               "words (\"long-tail domain knowledge\")")
    challenges_because: str = Field(default="", description="why the author would challenge")
    backs_when: list[Condition] = Field(min_length=1)
    challenges_when: list[Condition] = Field(min_length=1)


class Disagreement(UserModel):
    """Positions that contradict each other: what they disagree about, and who is on each side."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    about: str = Field(min_length=3, description="what the sources disagree about, in a few words")
    sides: list[list[str]] = Field(min_length=2, description="each side's position ids")
    note: str = Field(default="", description="where the audit or the seeds set the sides out")

    @model_validator(mode="after")
    def _sides_apart(self) -> Disagreement:
        ids = [i for side in self.sides for i in side]
        if len(ids) != len(set(ids)) or any(not side for side in self.sides):
            raise ValueError("each side names positions, and no position is on two sides")
        return self


class Positions(UserModel):
    subject: Literal["company", "market"]
    scorecard: str = Field(description="the scorecard whose factor paths `about` refers to")
    higher_scores: Literal["back", "challenge"] = Field(default="back", description=(
        "whether our higher score of a factor backs the subject (a company's scorecards) or "
        "challenges it (the bubble scorecard: higher is bubblier); decides whether our score "
        "agrees with a position"))
    positions: list[Position] = Field(min_length=1)
    disagreements: list[Disagreement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_ids(self) -> Positions:
        ids = [p.id for p in self.positions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate position id: {', '.join(dupes)}")
        unknown = sorted({i for d in self.disagreements for side in d.sides for i in side}
                         - set(ids))
        if unknown:
            raise ValueError(f"disagreements name unknown positions: {', '.join(unknown)}")
        return self
