"""thesis: turn an investment thesis into a transparent, reproducible, uncertainty-aware score.

    import thesis
    company = thesis.load_company("examples/companies/casebook.yaml")
    result = thesis.score(company)
    result.score, result.verdict

    market = thesis.load_market("examples/markets/ai-2025.yaml")
    thesis.score_market(market).verdict          # "benign bubble" (seed 004, Oct 2025)
"""

from thesis.bubble import score_market
from thesis.company import Company
from thesis.errors import InputError, Problem, ThesisError
from thesis.load import load_company, load_market, load_scorecard
from thesis.market import Market
from thesis.result import BubbleResult, ScoreResult
from thesis.scorecard import Scorecard
from thesis.scoring import score

__version__ = "0.1.0"

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
