"""thesis: turn an investment thesis into a transparent, reproducible, uncertainty-aware score.

    import thesis
    company = thesis.load_company("examples/companies/casebook.yaml")
    result = thesis.score(company, samples=20_000, seed=7)
    result.score, result.verdict, result.uncertainty.diligence

    market = thesis.load_market("examples/markets/ai-2025.yaml")
    thesis.score_market(market).verdict          # "benign bubble" (seed 004, Oct 2025)

The public names are imported on first use (PEP 562), so `import thesis` stays cheap and a
command pays only for the models it needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from thesis.bubble import score_market
    from thesis.errors import InputError, Problem, ThesisError
    from thesis.files.load import load_company, load_market, load_scorecard
    from thesis.models.company import Company
    from thesis.models.market import Market
    from thesis.models.scorecard import Scorecard
    from thesis.result import BubbleResult, ScoreResult
    from thesis.run import score

__version__ = "0.1.0"

_HOMES = {
    "BubbleResult": "thesis.result",
    "Company": "thesis.models.company",
    "InputError": "thesis.errors",
    "Market": "thesis.models.market",
    "Problem": "thesis.errors",
    "ScoreResult": "thesis.result",
    "Scorecard": "thesis.models.scorecard",
    "ThesisError": "thesis.errors",
    "load_company": "thesis.files.load",
    "load_market": "thesis.files.load",
    "load_scorecard": "thesis.files.load",
    "score": "thesis.run",
    "score_market": "thesis.bubble",
}

__all__ = [
    "BubbleResult",
    "Company",
    "InputError",
    "Market",
    "Problem",
    "ScoreResult",
    "Scorecard",
    "ThesisError",
    "__version__",
    "load_company",
    "load_market",
    "load_scorecard",
    "score",
    "score_market",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'thesis' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
