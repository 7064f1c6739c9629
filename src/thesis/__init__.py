"""thesis: turn an investment thesis into a transparent, reproducible, uncertainty-aware score.

    import thesis
    company = thesis.load("examples/companies/casebook.yaml")     # or a market file
    result = thesis.score(company, samples=20_000, seed=7)
    result.score, result.verdict, result.uncertainty.distribution.p10
    print(thesis.render(result, thesis.Format.markdown))

The public names are imported on first use (PEP 562), so `import thesis` stays cheap and a
command pays only for what it needs.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (thesis.launch)
if TYPE_CHECKING:
    from typing import Any

    from thesis.batch import score_many
    from thesis.errors import InputError, PlausibilityWarning, Problem, ThesisError, UserError
    from thesis.files.kinds import json_schema
    from thesis.files.load import check as validate
    from thesis.files.load import load, load_company, load_market, load_scorecard
    from thesis.files.plausibility import warnings_of
    from thesis.models.company import Company
    from thesis.models.market import Market
    from thesis.models.scorecard import Scorecard
    from thesis.report import Format, render
    from thesis.result import Result
    from thesis.run import compare, score

__version__ = "0.1.0"
"""The one place the version is written (pyproject.toml reads it here): no package metadata
lookup at start-up."""

_HOMES = {
    "Company": ("thesis.models.company", "Company"),
    "Format": ("thesis.report", "Format"),
    "InputError": ("thesis.errors", "InputError"),
    "Market": ("thesis.models.market", "Market"),
    "PlausibilityWarning": ("thesis.errors", "PlausibilityWarning"),
    "Problem": ("thesis.errors", "Problem"),
    "Result": ("thesis.result", "Result"),
    "Scorecard": ("thesis.models.scorecard", "Scorecard"),
    "ThesisError": ("thesis.errors", "ThesisError"),
    "UserError": ("thesis.errors", "UserError"),
    "compare": ("thesis.run", "compare"),
    "json_schema": ("thesis.files.kinds", "json_schema"),
    "load": ("thesis.files.load", "load"),
    "load_company": ("thesis.files.load", "load_company"),
    "load_market": ("thesis.files.load", "load_market"),
    "load_scorecard": ("thesis.files.load", "load_scorecard"),
    "render": ("thesis.report", "render"),
    "score": ("thesis.run", "score"),
    "score_many": ("thesis.batch", "score_many"),
    "validate": ("thesis.files.load", "check"),
    "warnings_of": ("thesis.files.plausibility", "warnings_of"),
}

__all__ = [
    "Company",
    "Format",
    "InputError",
    "Market",
    "PlausibilityWarning",
    "Problem",
    "Result",
    "Scorecard",
    "ThesisError",
    "UserError",
    "__version__",
    "compare",
    "json_schema",
    "load",
    "load_company",
    "load_market",
    "load_scorecard",
    "render",
    "score",
    "score_many",
    "validate",
    "warnings_of",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'thesis' has no attribute {name!r}")
    value = getattr(importlib.import_module(home[0]), home[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
