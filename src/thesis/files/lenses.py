"""Load lens files: the shipped ones (`scorecards/lenses/*.yaml`) or your own.

A lens is checked as it loads against every card it reads: each path it names must be in
that card's tree (a "did you mean" otherwise), and applying it must give a card that loading
would accept, so a bad lens fails at its own line before any subject is scored.
"""

from __future__ import annotations

import functools
from pathlib import Path

from thesis.engine.lens import LensError, apply, problems
from thesis.errors import InputError, Problem
from thesis.files.load import load_scorecard, rule_document, shipped_dir
from thesis.files.validate import validate
from thesis.models.base import Origin
from thesis.models.lens import Lens
from thesis.models.scorecard import Scorecard


def lenses_dir() -> Path:
    return shipped_dir() / "lenses"


def load_lens(path_or_name: str | Path, cards: dict[str, Scorecard] | None = None) -> Lens:
    """A validated lens, from a path or a shipped name (`sequoia`, `casado`, `phoenix`, ...);
    raises `InputError` listing every problem at its line.

    Each card the lens reads is the shipped card of that id, or the one given in `cards`
    (a card of your own, by id), and the lens is applied to it once to check it fits.
    """
    path = _lens_path(path_or_name)
    doc = rule_document(path)
    lens = validate(Lens, doc)
    found: list[Problem] = []
    for card_id in lens.scorecards:
        card = (cards or {}).get(card_id) or _shipped_card(card_id)
        if card is None:
            found.append(doc.problem(("scorecards", card_id),
                                     f"no shipped scorecard {card_id!r}; pass your own in "
                                     f"`cards` (shipped: {', '.join(_shipped_ids())})"))
            continue
        located = problems(card, lens)
        if not located:
            try:
                apply(card, lens)
            except LensError as exc:
                located = exc.problems
        found += [doc.problem(loc, message) for loc, message in located]
    if found:
        raise InputError(found)
    lens._origin = Origin(str(path), doc)
    return lens


def shipped_lenses(scorecard_id: str) -> list[Lens]:
    """The shipped lenses that read the card `scorecard_id` (by lens id)."""
    return [lens for lens in _shipped() if scorecard_id in lens.scorecards]


@functools.cache
def _shipped() -> tuple[Lens, ...]:
    """Loaded once a process: the shipped lenses and cards are immutable data."""
    return tuple(load_lens(p) for p in sorted(lenses_dir().glob("*.yaml")))


def _lens_path(ref: str | Path) -> Path:
    candidate = Path(ref)
    if candidate.suffix in {".yaml", ".yml"}:
        return candidate
    shipped = lenses_dir() / f"{ref}.yaml"
    if not shipped.is_file():
        names = ", ".join(sorted(p.stem for p in lenses_dir().glob("*.yaml")))
        raise InputError.single(str(ref), f"no shipped lens {str(ref)!r} (shipped: {names})")
    return shipped


def _shipped_ids() -> list[str]:
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


def _shipped_card(card_id: str) -> Scorecard | None:
    return load_scorecard(card_id) if card_id in _shipped_ids() else None
