"""Apply a lens to a loaded scorecard: a new card, checked as loading checks one.

Pure: nothing is read and nothing shared is changed (loaded cards are cached, so the shipped
card must stay as it was). Each change is made at the card its dotted path reaches, through
included cards; that card is validated again and checked against what the subject offers,
so a lens cannot produce a card that loading would refuse. Every card the lens changed gets
an id of its own (`thesis_casado`, `moat_casado`), so a result never passes a lensed card off
as the shipped one. Problems are (loc, message) pairs located in the lens file's terms.
"""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError

from thesis.engine.checks import problems_against
from thesis.errors import UserError
from thesis.models.lens import Addition, Change, Lens, View
from thesis.models.scorecard import Factor, Gate, Scorecard
from thesis.subjects import KINDS

Loc = tuple[Any, ...]
Edit = Callable[[Scorecard], Scorecard]


class LensError(UserError):
    """A lens that does not fit the card it is applied to; lists every problem found."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{_dotted(loc)}: {message}" for loc, message in problems))


APPLIED_KEPT = 64
"""Lensed cards remembered, by the identity of the card and the lens: a batch scores every
company through the same few loaded cards and shipped lenses."""
_applied: OrderedDict[tuple[int, int], tuple[Scorecard, Lens, Scorecard]] = OrderedDict()
_lock = threading.Lock()


def apply(card: Scorecard, lens: Lens) -> Scorecard:
    """The card as the lens reads it, validated; raises `LensError` if the lens does not fit.
    A lens that changes nothing in `card` gives a card that scores exactly as `card` does.
    Cards and lenses are not changed once loaded, so the result for the same two objects is
    computed once (the pair is kept with it, so their ids cannot be reused meanwhile)."""
    key = (id(card), id(lens))
    with _lock:
        if key in _applied:
            _applied.move_to_end(key)
            return _applied[key][2]
    lensed = _apply(card, lens)
    with _lock:
        _applied[key] = (card, lens, lensed)
        if len(_applied) > APPLIED_KEPT:
            _applied.popitem(last=False)
    return lensed


def _apply(card: Scorecard, lens: Lens) -> Scorecard:
    found = problems(card, lens)
    if found:
        raise LensError(found)
    out = card
    for path, edit in _edits(lens.scorecards[card.id], ("scorecards", card.id)):
        out = _at(out, path, edit)
    return _renamed(out, card, lens, top=True)


def problems(card: Scorecard, lens: Lens) -> list[tuple[Loc, str]]:
    """Every factor and criterion path the lens names that `card` does not have, with a "did
    you mean", and every change made twice or inside a factor the lens drops."""
    view = lens.scorecards.get(card.id)
    if view is None:
        return [(("scorecards",), f"the {lens.id!r} lens reads {', '.join(lens.scorecards)}, "
                                  f"not {card.id!r}")]
    at = ("scorecards", card.id)
    factors = dict(card.walk())
    out: list[tuple[Loc, str]] = []
    for i, change in enumerate(view.changes):
        loc = (*at, "changes", i)
        if change.factor is not None:
            out += _factor_problems(change.factor, factors, (*loc, "factor"), criteria=False)
        else:
            out += _criterion_problems(change.path, factors, (*loc, "criterion"))
    for i, addition in enumerate(view.add):
        out += _factor_problems(addition.to, factors, (*at, "add", i, "to"), criteria=True)
    for i, gate in enumerate(view.gates):
        if gate.on is not None:
            out += _factor_problems(gate.on, factors, (*at, "gates", i, "on"), criteria=False)
    return out + _conflicts(view, at)


def _factor_problems(path: str, factors: dict[str, Factor], loc: Loc,
                     criteria: bool) -> list[tuple[Loc, str]]:
    factor = factors.get(path)
    if factor is None:
        return [(loc, _unknown("factor", path, list(factors)))]
    if criteria and factor.included is not None:
        return [(loc, f"{path!r} includes the {factor.included.id!r} scorecard: name one of "
                      "its factors")]
    return []


def _criterion_problems(path: str, factors: dict[str, Factor], loc: Loc
                        ) -> list[tuple[Loc, str]]:
    owner, _, criterion = path.rpartition(".")
    if not owner:
        return [(loc, f"{path!r}: write a factor path, a dot and a criterion id")]
    found = _factor_problems(owner, factors, loc, criteria=True)
    ids = [c.id for c in factors[owner].criteria] if not found else []
    if not found and criterion not in ids:
        found.append((loc, _unknown("criterion", criterion, ids, f" in {owner!r}")))
    return found


def _conflicts(view: View, at: Loc) -> list[tuple[Loc, str]]:
    """A path changed twice, or anything named in a factor the lens drops: the order of the
    file would decide between them, so neither is allowed."""
    dropped = [c.path for c in view.changes if c.factor is not None and c.drop]
    out: list[tuple[Loc, str]] = []
    changed: set[str] = set()
    for i, change in enumerate(view.changes):
        if change.path in changed:
            out.append(((*at, "changes", i), f"{change.path!r} is changed twice"))
        changed.add(change.path)
    # a change to a dropped factor itself is a change made twice, caught above
    named = [((*at, "changes", i), c.path, False) for i, c in enumerate(view.changes)]
    named += [((*at, "add", i), a.to, True) for i, a in enumerate(view.add)]
    named += [((*at, "gates", i), g.on, True) for i, g in enumerate(view.gates)
              if g.on is not None]
    for loc, path, itself in named:
        inside = next((d for d in dropped if path.startswith(f"{d}.")
                       or (itself and path == d)), None)
        if inside is not None:
            out.append((loc, f"{path!r} is in {inside!r}, which this lens drops"))
    return out


def _unknown(what: str, name: str, choices: list[str], where: str = "") -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"no {what} {name!r}{where}{hint}"


def _edits(view: View, at: Loc) -> Iterator[tuple[list[str], Edit]]:
    """(the path of the card to edit, the edit) for each change, addition and gate in turn."""
    for i, change in enumerate(view.changes):
        yield _change(change, (*at, "changes", i))
    for i, addition in enumerate(view.add):
        yield _addition(addition, (*at, "add", i))
    for i, lens_gate in enumerate(view.gates):
        parts = [] if lens_gate.on is None else lens_gate.on.split(".")
        yield parts[:-1], _gate(parts[-1] if parts else None, lens_gate.gate,
                                (*at, "gates", i, "gate"))


def _change(change: Change, loc: Loc) -> tuple[list[str], Edit]:
    if change.factor is not None:
        *level, leaf = change.factor.split(".")
        if change.drop:
            return level, lambda card: _rebuilt(
                card, [f for f in card.factors if f.id != leaf], card.gates, loc)
        return level, lambda card: _on_factor(
            card, leaf, lambda f: (f.model_copy(update={"weight": change.weight}), None), loc)
    *level, leaf, criterion = change.path.split(".")

    def edit(factor: Factor) -> tuple[Factor, None]:
        kept = [c if c.id != criterion else c.model_copy(update={"weight": change.weight})
                for c in factor.criteria if not (change.drop and c.id == criterion)]
        if not kept:
            raise LensError([(loc, f"this drops the last criterion of {leaf!r}: drop the "
                                   "factor instead")])
        return factor.model_copy(update={"criteria": kept}), None

    return level, lambda card: _on_factor(card, leaf, edit, loc)


def _addition(addition: Addition, loc: Loc) -> tuple[list[str], Edit]:
    *level, leaf = addition.to.split(".")

    def edit(factor: Factor) -> tuple[Factor, Loc]:
        criteria = [*factor.criteria, addition.criterion]
        return factor.model_copy(update={"criteria": criteria}), ("criteria", len(criteria) - 1)

    return level, lambda card: _on_factor(card, leaf, edit, (*loc, "criterion"))


def _gate(factor_id: str | None, gate: Gate, loc: Loc) -> Edit:
    """A gate on the card itself (no factor), on an included card as a whole (its including
    factor), or on a factor with criteria."""

    def edit(card: Scorecard) -> Scorecard:
        owner = next((f for f in card.factors if f.id == factor_id), None)
        if owner is None:
            return _rebuilt(card, card.factors, [*card.gates, gate], loc,
                            ("gates", len(card.gates)))
        if owner.included is not None:
            return _at(card, [owner.id], _gate(None, gate, loc))
        return _on_factor(card, owner.id, lambda f: (
            f.model_copy(update={"gates": [*f.gates, gate]}), ("gates", len(f.gates))), loc)

    return edit


def _on_factor(card: Scorecard, factor_id: str,
               edit: Callable[[Factor], tuple[Factor, Loc | None]], loc: Loc) -> Scorecard:
    """`card` with one factor edited; `edit` also says where a new item is, within it."""
    factors, new_at = list(card.factors), None
    for index, factor in enumerate(card.factors):
        if factor.id == factor_id:
            factors[index], inner = edit(factor)
            new_at = None if inner is None else ("factors", index, *inner)
    return _rebuilt(card, factors, card.gates, loc, new_at)


def _at(card: Scorecard, path: list[str], edit: Edit) -> Scorecard:
    """`card` with the card at `path` (a chain of including factors) edited."""
    if not path:
        return edit(card)
    factors = [f.model_copy(update={"included": _at(f.included, path[1:], edit)})
               if f.id == path[0] and f.included is not None else f for f in card.factors]
    return card.model_copy(update={"factors": factors})


def _rebuilt(card: Scorecard, factors: list[Factor], gates: list[Gate], loc: Loc,
             new_at: Loc | None = None) -> Scorecard:
    """One card level with new factors and gates, validated as loading validates it; the
    included cards it holds are carried over. A problem inside the new item (at `new_at` in
    the card) is located inside it in the lens, any other at the lens entry `loc`."""
    data = card.model_dump(by_alias=True) | {
        "factors": [f.model_dump(by_alias=True) for f in factors],
        "gates": [g.model_dump(by_alias=True) for g in gates]}
    try:
        fresh = Scorecard.model_validate(data)
    except ValidationError as exc:
        raise LensError([_placed(tuple(e["loc"]), e["msg"], card, loc, new_at)
                         for e in exc.errors(include_url=False)]) from None
    found = problems_against(fresh, KINDS[fresh.subject].catalogue())
    if found:
        raise LensError([_placed(at, message, card, loc, new_at) for at, message in found])
    included = {f.id: f.included for f in factors}
    return fresh.model_copy(update={"factors": [
        f.model_copy(update={"included": included[f.id]}) for f in fresh.factors]})


def _placed(at: Loc, message: str, card: Scorecard, loc: Loc, new_at: Loc | None
            ) -> tuple[Loc, str]:
    message = message.removeprefix("Value error, ")
    if new_at is not None and at[:len(new_at)] == new_at:
        return (*loc, *at[len(new_at):]), message
    return loc, f"the changed {card.id!r} card, at {_dotted(at) or 'the top'}: {message}"


def _renamed(new: Scorecard, old: Scorecard, lens: Lens, top: bool) -> Scorecard:
    """Each card the lens changed, and the card it reads, named as the lens's own."""
    before = {f.id: f.included for f in old.factors}
    factors = [f.model_copy(update={"included": _renamed(f.included, before[f.id] or f.included,
                                                         lens, top=False)})
               if f.included is not None else f for f in new.factors]
    update: dict[str, Any] = {"factors": factors}
    if top or new.digest() != old.digest():
        update |= {"id": f"{new.id}_{lens.id}",
                   "title": f"{new.title}, as {lens.speaker} would read it"}
    return new.model_copy(update=update)



def _dotted(loc: Loc) -> str:
    return ".".join(map(str, loc))
