"""The one exception hierarchy of `thesis`.

::

    ThesisError                 anything this library raises on purpose
    └── InputError              the user's file is wrong; carries every Problem at once

Anything else escaping the library is a bug. The CLI turns an `InputError` into one line per
problem on stderr and exit code 2, and any other exception into exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we know."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ThesisError(Exception):
    """Base class of the errors `thesis` raises on purpose."""


class InputError(ThesisError):
    """A user file (company, market or scorecard) cannot be used; lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("an InputError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: str | Path, message: str, *, line: int = 1, column: int = 1,
               field: str = "") -> InputError:
        return cls([Problem(str(file), line, column, field, message)])
