"""The one exception hierarchy of `thesis` (light: no numpy, scipy or pydantic import).

::

    ThesisError                   anything this library raises on purpose
    └── UserError                 the user can fix it; the command line exits 2
        ├── InputError            problems located in files: every Problem at once
        ├── SubjectMismatchError  a scorecard for one kind of subject given another
        ├── NothingToScoreError   the subject gives none of the inputs a scorecard uses
        └── OutputError           an output path that cannot be written

Anything else escaping the library is a bug: the command line exits 1 and shows the traceback
only with THESIS_DEBUG=1. A number a file may hold but history makes hard to believe is not an
error but a `PlausibilityWarning` (an error only under `--strict`).
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


class UserError(ThesisError):
    """Something the user can fix: a file, a path, a choice of scorecard."""

    def lines(self) -> list[str]:
        """What to print, one problem per line."""
        return [f"error: {self}"]


class InputError(UserError):
    """A user file (company, market, scorecard, positions, prices) cannot be used; lists every
    problem found, each at its file, line and column."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("an InputError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: str | Path, message: str, *, line: int = 1, column: int = 1,
               field: str = "") -> InputError:
        return cls([Problem(str(file), line, column, field, message)])

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class SubjectMismatchError(UserError):
    """A scorecard for companies given a market, or the reverse."""


class NothingToScoreError(UserError):
    """The subject gives none of the inputs a scorecard uses."""


class OutputError(UserError):
    """An output path (a report, a chart, a schema) that cannot be written."""


class PlausibilityWarning(UserWarning):
    """A number its field allows but history makes hard to believe (`revenue.growth_yoy: 250`,
    most likely 250% meant as 2.5): loading goes on, the problem is on `.problem`, and the
    command line prints it as a `warning:` line, or fails with it under `--strict`."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))
