"""The sources' own positions, as data: would each author back or challenge a subject?

A position is one claim of one source (speaker, date, seed file, a short anchor to find it) with
two lists of conditions on the subject's inputs and scored factors: when all of `backs_when`
hold, the author would back the subject on that point; when all of `challenges_when` hold, they
would challenge it; otherwise the claim does not speak to it. Each position names the factor it
is `about`, so the report can say whether our score agrees with the author or parts ways.

Conditions are data (an input or factor path, a comparison and a value), never code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from thesis.models.base import UserModel


class Condition(UserModel):
    """One test: an input or a factor score compared with a value, or the company's layer."""

    input: str | None = None
    factor: str | None = None
    layer: list[str] | None = None
    at_least: float | None = None
    at_most: float | None = None
    equals: str | None = Field(default=None, description="for a category: its likeliest choice")

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        subjects = [x for x in (self.input, self.factor, self.layer) if x is not None]
        if len(subjects) != 1:
            raise ValueError("a condition tests exactly one of input, factor, layer")
        tests = [x for x in (self.at_least, self.at_most, self.equals) if x is not None]
        if self.layer is None and len(tests) != 1:
            raise ValueError("a condition needs exactly one of at_least, at_most, equals")
        if self.factor is not None and self.equals is not None:
            raise ValueError("a factor score is compared with at_least or at_most")
        return self


class Position(UserModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    speaker: str = Field(min_length=2)
    source: str = Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")
    date: str
    anchor: str = Field(min_length=1, description="a few words of the source, to find the passage")
    claim: str = Field(min_length=10)
    about: str = Field(description="the factor path this claim speaks to")
    backs_when: list[Condition] = Field(min_length=1)
    challenges_when: list[Condition] = Field(min_length=1)


class Positions(UserModel):
    subject: Literal["company"]
    scorecard: str = Field(description="the scorecard whose factor paths `about` refers to")
    positions: list[Position] = Field(min_length=1)
