"""Load companies, markets and scorecards from YAML files, every problem located in its file."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from thesis.engine.checks import problems_against
from thesis.errors import InputError, Problem
from thesis.files.validate import validate
from thesis.files.yaml import Document
from thesis.files.yaml import load as load_yaml
from thesis.models.company import Company
from thesis.models.market import Market
from thesis.models.scorecard import Scorecard
from thesis.subjects import KINDS

M = TypeVar("M", bound=BaseModel)

DEFAULT_SCORECARD = "thesis"


FileKind = Literal["company", "market", "scorecard", "positions"]
_USE = {"company": "thesis score", "market": "thesis bubble", "scorecard": "--scorecard",
        "positions": "thesis validate"}


def file_kind(data: Any) -> FileKind | None:
    """What a parsed file is, from its tell-tale keys; None when it does not say."""
    if not isinstance(data, dict):
        return None
    if "factors" in data:
        return "scorecard"
    if "positions" in data:
        return "positions"
    if "as_of" in data and "layer" not in data:
        return "market"
    if "layer" in data and "as_of" not in data:
        return "company"
    return None


def _validated(model: type[M], doc: Document, kind: FileKind) -> M:
    """Validate, but first say so plainly when the file is another kind of file altogether."""
    found = file_kind(doc.data)
    if found is not None and found != kind:
        raise InputError([doc.problem((), f"this is a {found} file, not a {kind} file "
                                          f"(a {found} file goes to {_USE[found]})")])
    return validate(model, doc)


def load_company(path: str | Path) -> Company:
    """A validated `Company` from a YAML file; raises `InputError` listing every problem."""
    return _validated(Company, load_yaml(path), "company")


def load_market(path: str | Path) -> Market:
    """A validated `Market` from a YAML file; raises `InputError` listing every problem.

    A price CSV named in the file is resolved against the file's folder, so the market can be
    scored from anywhere.
    """
    market = _validated(Market, load_yaml(path), "market")
    csv = market.prices.csv
    if csv is None:
        return market
    resolved = str((Path(path).parent / csv).resolve())
    return market.model_copy(update={"prices": market.prices.model_copy(update={"csv": resolved})})


def load_scorecard(path_or_name: str | Path = DEFAULT_SCORECARD) -> Scorecard:
    """A validated scorecard, from a path or a shipped name (`moat`, `thesis`, ...).

    Included scorecards are loaded too, and every input path is checked against what the
    subject offers, so a typo in a rule file is caught before any company is scored.
    """
    return _load_scorecard(_scorecard_path(path_or_name, Path.cwd()), ())


def shipped_dir() -> Path:
    """Where the shipped scorecards are: inside the package."""
    return Path(__file__).parents[1] / "scorecards"


def shipped(name: str) -> Path:
    return shipped_dir() / f"{name}.yaml"


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


def _load_scorecard_file(path: Path, chain: tuple[Path, ...]) -> Scorecard:
    doc = load_yaml(path)
    card = validate(Scorecard, doc)
    found: list[Problem] = [doc.problem(loc, msg)
                            for loc, msg in problems_against(card, KINDS[card.subject].catalogue())]
    for index, factor in enumerate(card.factors):
        if factor.scorecard is None:
            continue
        loc = ("factors", index, "scorecard")
        target = _scorecard_path(factor.scorecard, path.parent).resolve()
        if target in chain or target == path.resolve():
            found.append(doc.problem(loc, f"{factor.scorecard!r} includes itself"))
            continue
        if not target.is_file():
            found.append(doc.problem(loc, f"no scorecard {factor.scorecard!r} ({target})"))
            continue
        included = _load_scorecard(target, (*chain, path.resolve()))
        if included.subject != card.subject:
            found.append(doc.problem(loc, f"{factor.scorecard!r} scores a {included.subject}, "
                                          f"this scorecard a {card.subject}"))
        factor._included = included
    if found:
        raise InputError(found)
    return card


def dump_scorecard(card: Scorecard) -> dict[str, Any]:
    """Plain data that `load_scorecard` reads back into an equal scorecard."""
    return card.model_dump(mode="json", exclude_defaults=True)
