"""What every model a user writes shares: strict, frozen, finite, and where it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from pydantic.fields import FieldInfo

if TYPE_CHECKING:
    from thesis.files.yaml import Document

QUESTION = "question"
"""The JSON Schema extra holding an input's question (`thesis.subjects.SubjectKind.question`)."""
ADVANCED = "advanced"
"""The JSON Schema extra marking a field few investors know: `thesis init` comments it out."""


@dataclass(frozen=True)
class Origin:
    """Where a subject was read from, and the files its links named, resolved when it was
    loaded (`thesis.files.load`), so scoring never goes back to the disk."""

    path: str
    """The file as the user named it (errors use it; reports show only its name)."""
    document: Document | None = field(default=None, compare=False, repr=False)
    """The parsed YAML with the line and column of every value, to locate later problems."""
    links: dict[str, Any] = field(default_factory=dict, compare=False)
    """What the file's links resolved to: a company's `market` (a loaded Market), a market's
    price closes (`closes`: a tuple of PricePoint)."""


class UserModel(BaseModel):
    """What a user writes in YAML: unknown keys are errors, values never change once read,
    and NaN or infinity is never a number anyone meant."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin | None:
        """Set by loading a file; None for a model built in Python."""
        return self._origin


def asked(question: str, description: str, example: Any, *, advanced: bool = False) -> Any:
    """An input a scorecard reads, optional like every input: its meaning and unit
    (`description`), the question an investor answers to fill it (reports, charts and
    `thesis init` show it) and an example answer (editors offer it; `thesis init` writes it).
    `advanced` marks one few investors know, which templates leave commented out."""
    extra: dict[str, Any] = {QUESTION: question}
    if advanced:
        extra[ADVANCED] = True
    return Field(default=None, description=description, examples=[example],
                 json_schema_extra=extra)


def example_of(info: FieldInfo) -> Any:
    """A field's example value, or None when it has none (a nested block)."""
    return info.examples[0] if info.examples else None


def is_advanced(info: FieldInfo) -> bool:
    """Whether few investors know this field (see `asked`)."""
    extra = info.json_schema_extra
    return isinstance(extra, dict) and extra.get(ADVANCED) is True
