"""Numbers a field allows but history makes hard to believe, each located in its file.

A field's `Domain(..., plausible=(low, high))` is the range history makes believable. A value
outside it is valid (a market may run hotter than any before it) but is more often a slip: 250
meaning 250% where the field wants 2.5. So it is a warning, not an error, found once a subject
has validated: `thesis` prints it on stderr (an error under `--strict`), and the loaders of the
Python API emit it as a `PlausibilityWarning` (`thesis.files.load`).
"""

from __future__ import annotations

from pydantic import BaseModel

from thesis.engine.space import catalogue, space_of
from thesis.errors import Problem
from thesis.files.validate import model_at
from thesis.files.yaml import Document
from thesis.models.base import UserModel


def implausible(subject: BaseModel, doc: Document) -> list[Problem]:
    """Every number of `subject` outside its field's plausible range, located in `doc` and
    explained by the field's description."""
    model = type(subject)
    kinds = catalogue(model)
    found: list[Problem] = []
    for path, column in space_of(subject).inputs.items():
        if column.distribution is None:
            continue
        loc = tuple(path.split("."))
        owner = model_at(model, loc[:-1])
        about = owner.model_fields[loc[-1]].description if owner is not None else None
        message = kinds[path].implausible(column.distribution, about)
        if message is not None:
            found.append(doc.problem(loc, message))
    return sorted(found, key=lambda p: (p.line, p.column))


def warnings_of(subject: UserModel) -> list[Problem]:
    """The plausibility warnings of a loaded subject, then those of the subjects its links
    loaded (a company's market file, located in it). A model built in Python has no file to
    locate them in, so it has none."""
    origin = subject.origin
    if origin is None or origin.document is None:
        return []
    found = implausible(subject, origin.document)
    for linked in origin.links.values():
        if isinstance(linked, UserModel):
            found += warnings_of(linked)
    return found
