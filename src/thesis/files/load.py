"""Load every kind of file `thesis` reads, every problem located at its file, line and column.

Links between files are resolved here, once, at load: a company's `market:` file is loaded (and
its problems located in it), a market's price CSV is read and its run-up checked, a scorecard's
included scorecards are loaded into one tree. The models come back with their `origin`, so
nothing later goes back to the disk, and `thesis validate` follows every link `thesis score`
does. A subject that loads may still hold numbers hard to believe: each is emitted as a
`PlausibilityWarning` (`thesis.files.plausibility`), once, by the public function that loaded it.
"""

from __future__ import annotations

import functools
import warnings
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from thesis.engine.checks import position_problems, problems_against
from thesis.engine.runup import run_up
from thesis.errors import InputError, PlausibilityWarning, Problem
from thesis.files.cache import load_cached
from thesis.files.kinds import FileKind, sniff
from thesis.files.plausibility import warnings_of
from thesis.files.prices import closes_of
from thesis.files.validate import validate
from thesis.files.yaml import Document
from thesis.files.yaml import load as load_yaml
from thesis.models.base import Origin, UserModel
from thesis.models.company import Company
from thesis.models.market import Market
from thesis.models.positions import Positions
from thesis.models.scorecard import Scorecard
from thesis.subjects import KINDS, Subject, SubjectName, undefined_ratios

M = TypeVar("M", bound=BaseModel)
U = TypeVar("U", bound=UserModel)
T = TypeVar("T", Company, Market)


def shipped_dir() -> Path:
    """The scorecards and positions shipped inside the package (wheel and editable alike)."""
    return Path(str(resources.files("thesis") / "scorecards"))


def shipped(name: str) -> Path:
    return shipped_dir() / f"{name}.yaml"


def _validated(model: type[M], doc: Document, kind: FileKind) -> M:
    """Validate, but first say so plainly when the file is another kind of file altogether."""
    found = sniff(doc.data)
    if found is not None and found != kind:
        raise InputError([doc.problem((), f"this is a {found} file, not a {kind} file")])
    return validate(model, doc)


def _subject(model: type[T], doc: Document, kind: FileKind) -> T:
    """A validated subject, then what its fields cannot check one by one (a ratio of zeros)."""
    subject = _validated(model, doc, kind)
    undefined = undefined_ratios(subject)
    if undefined:
        raise InputError([doc.problem(path.split("."), why) for path, why in undefined])
    return subject


def _with_origin(model: U, path: str | Path, doc: Document, **links: Any) -> U:
    model._origin = Origin(str(path), doc, {k: v for k, v in links.items() if v is not None})
    return model


def _warned(subject: T) -> T:
    """Emit the subject's plausibility warnings (and its linked files') at the line of code
    that called the public loader, so a notebook shows them where the file was loaded."""
    for problem in warnings_of(subject):
        warnings.warn(PlausibilityWarning(problem), stacklevel=3)
    return subject


def load(path: str | Path) -> Subject:
    """A company or a market, whichever the file is (a file that does not say is a company);
    warns as `load_company` or `load_market` does."""
    doc = load_yaml(path)
    if sniff(doc.data) == "market":
        return _warned(_market(path, doc))
    return _warned(_company(path, doc))


def load_company(path: str | Path) -> Company:
    """A validated `Company`, its market file (if named) loaded too; raises `InputError`
    listing every problem.

    Each number outside its field's plausible range, in the company file or its market file,
    is emitted as a `thesis.PlausibilityWarning` (a `UserWarning`) located at its line;
    `thesis.warnings_of(company)` lists them again as `Problem`s, and
    `warnings.simplefilter("error", thesis.PlausibilityWarning)` makes them raise.
    """
    return _warned(_company(path, load_yaml(path)))


def load_market(path: str | Path) -> Market:
    """A validated `Market`, its price closes read and checked; raises `InputError` listing
    every problem. Warns of implausible numbers as `load_company` does."""
    return _warned(_market(path, load_yaml(path)))


def _company(path: str | Path, doc: Document) -> Company:
    company = _subject(Company, doc, "company")
    market = None
    if company.market is not None:
        linked = Path(path).parent / company.market
        if not linked.is_file():
            raise InputError([doc.problem(("market",), f"no market file {company.market!r}")])
        market = _market(linked, load_yaml(linked))
    return _with_origin(company, path, doc, market=market)


def _market(path: str | Path, doc: Document) -> Market:
    market = _subject(Market, doc, "market")
    closes = closes_of(market, doc, Path(path).parent)
    if closes is not None:
        try:
            run_up(closes, market.as_of)
        except ValueError as exc:
            raise InputError([doc.problem(("prices",), str(exc))]) from None
    return _with_origin(market, path, doc, closes=closes)


def load_scorecard(path_or_name: str | Path = "thesis") -> Scorecard:
    """A validated scorecard, from a path or a shipped name (`moat`, `thesis`, ...).

    Included scorecards are loaded too, and every input path is checked against what the
    subject offers, so a typo in a rule file is caught before any subject is scored.
    """
    return _load_scorecard(_scorecard_path(path_or_name, Path.cwd()), ())


def _scorecard_path(ref: str | Path, base: Path) -> Path:
    candidate = Path(ref)
    if candidate.suffix in {".yaml", ".yml"}:
        return candidate if candidate.is_absolute() else base / candidate
    return shipped(str(ref))


def _load_scorecard(path: Path, chain: tuple[Path, ...]) -> Scorecard:
    try:
        stat = path.stat()
    except OSError:
        return _load_scorecard_file(path, chain)
    return _cached_scorecard(path.resolve(), chain, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _cached_scorecard(path: Path, chain: tuple[Path, ...], mtime_ns: int,
                      size: int) -> Scorecard:
    """Scorecards are immutable data: a file unchanged since it was last read is not re-read
    (the shipped ones are read several times in one run: includes, positions)."""
    return _load_scorecard_file(path, chain)


def rule_document(path: str | Path) -> Document:
    """A rule file's document: a shipped one from the parse cache (`thesis.files.cache`)."""
    target = Path(path)
    if target.resolve().is_relative_to(shipped_dir().resolve()):
        return load_cached(target)
    return load_yaml(target)


def _load_scorecard_file(path: Path, chain: tuple[Path, ...]) -> Scorecard:
    doc = rule_document(path)
    card = _validated(Scorecard, doc, "scorecard")
    found: list[Problem] = [doc.problem(loc, msg) for loc, msg in
                            problems_against(card, KINDS[card.subject].catalogue())]
    factors = list(card.factors)
    for index, factor in enumerate(card.factors):
        if factor.scorecard is None:
            continue
        loc = ("factors", index, "scorecard")
        target = _scorecard_path(factor.scorecard, path.parent).resolve()
        if target in chain or target == path.resolve():
            found.append(doc.problem(loc, f"{factor.scorecard!r} includes itself"))
            continue
        if not target.is_file():
            found.append(doc.problem(loc, f"no scorecard {factor.scorecard!r}"))
            continue
        included = _load_scorecard(target, (*chain, path.resolve()))
        if included.subject != card.subject:
            found.append(doc.problem(loc, f"{factor.scorecard!r} scores a {included.subject}, "
                                          f"this scorecard a {card.subject}"))
        factors[index] = factor.model_copy(update={"included": included})
    if found:
        raise InputError(found)
    return card.model_copy(update={"factors": factors})


def dump_scorecard(card: Scorecard) -> dict[str, Any]:
    """Plain data that `load_scorecard` reads back into an equal scorecard."""
    return card.model_dump(mode="json", exclude_defaults=True)


def load_positions(path: str | Path) -> Positions:
    """A positions file (the shipped ones, or your own); every path, band and stage checked."""
    doc = rule_document(path)
    positions = _validated(Positions, doc, "positions")
    card = load_scorecard(positions.scorecard)
    found = position_problems(positions, KINDS[positions.subject].catalogue(), card)
    if found:
        raise InputError([doc.problem(loc, msg) for loc, msg in found])
    return positions


@functools.cache
def shipped_positions(subject: SubjectName = "company") -> Positions:
    """The sources' shipped positions on companies or on markets."""
    return load_positions(shipped_dir() / "positions" / f"{subject}.yaml")


def check(path: str | Path) -> FileKind:
    """Load a file of any kind, following its links, and say what it is; raises `InputError`
    listing every problem (what `thesis validate` runs), and warns of a subject's implausible
    numbers as `load_company` does."""
    doc = load_yaml(path)
    kind = sniff(doc.data) or "company"
    if kind == "scorecard":
        load_scorecard(Path(path))
    elif kind == "positions":
        load_positions(path)
    elif kind == "lens":
        from thesis.files.lenses import load_lens  # it loads scorecards through this module

        load_lens(Path(path))
    elif kind == "market":
        _warned(_market(path, doc))
    else:
        _warned(_company(path, doc))
    return kind

