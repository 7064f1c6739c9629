"""A lens: the shipped scorecards read through one source's eyes, as data.

The sources disagree (what a moat is, where value accrues, whether retail leverage is a risk);
one scorecard can take only one side of each disagreement. A lens takes another side without
copying a card: for each card it reads (`thesis`, `bubble`) it lists changes to that card's
factors and criteria, reached by dotted paths through included cards (`moat.data_flywheel`,
`moat.traditional_moats.category_leader`): a new weight or a drop, criteria it adds, and gates
of its own. Every change cites its source, as every rule of a card does, so a lens is as
auditable as the card it bends. A lens that changes nothing scores as the card does.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from thesis.models.base import UserModel
from thesis.models.scorecard import Criterion, Gate, Identifier, Source

SeedFile = Annotated[str, Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")]


class Change(UserModel):
    """A new weight for a factor or a criterion, or its drop, and why."""

    factor: str | None = Field(default=None, description="a dotted factor path: moat.trust")
    criterion: str | None = Field(default=None, description=(
        "a factor path and a criterion id: moat.traditional_moats.category_leader"))
    weight: float | None = Field(default=None, gt=0)
    drop: bool = False
    source: Source

    @model_validator(mode="after")
    def _one_change(self) -> Change:
        if (self.factor is None) == (self.criterion is None):
            raise ValueError("a change names exactly one of factor, criterion")
        if (self.weight is not None) == self.drop:
            raise ValueError("a change sets a weight or drops (drop: true): one of them")
        return self

    @property
    def path(self) -> str:
        return self.factor if self.factor is not None else str(self.criterion)


class Addition(UserModel):
    """A criterion the source asks about that the card does not, added to a factor."""

    to: str = Field(description="the dotted path of a factor with criteria")
    criterion: Criterion


class LensGate(UserModel):
    """A gate of the source's own: on a factor with criteria, on an included card as a whole
    (`on` its factor), or on the card the lens reads (no `on`)."""

    on: str | None = Field(default=None, description="a dotted factor path; none: the card")
    gate: Gate


class View(UserModel):
    """What a lens changes in one card."""

    changes: list[Change] = Field(default_factory=list)
    add: list[Addition] = Field(default_factory=list)
    gates: list[LensGate] = Field(default_factory=list)


class Lens(UserModel):
    id: Identifier
    title: str = Field(min_length=1, description="whose eyes, in a few words")
    speaker: str = Field(min_length=1)
    seeds: list[SeedFile] = Field(min_length=1, description="the seed files it speaks for")
    description: str = ""
    scorecards: dict[Identifier, View] = Field(min_length=1, description=(
        "the cards it reads, by id (thesis, bubble), and what it changes in each"))
