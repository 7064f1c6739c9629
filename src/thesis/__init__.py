"""thesis: turn an investment thesis into a transparent, reproducible, uncertainty-aware score.

    import thesis
    company = thesis.load_company("examples/companies/casebook.yaml")
    result = thesis.score(company)
    result.score, result.verdict
"""

from thesis.company import Company
from thesis.errors import InputError, Problem, ThesisError
from thesis.load import load_company, load_scorecard
from thesis.result import ScoreResult
from thesis.scorecard import Scorecard
from thesis.scoring import score

__version__ = "0.1.0"

__all__ = [
    "Company",
    "InputError",
    "Problem",
    "ScoreResult",
    "Scorecard",
    "ThesisError",
    "__version__",
    "load_company",
    "load_scorecard",
    "score",
]
