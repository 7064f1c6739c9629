"""What scoring produces, for companies and markets alike: one typed, JSON-ready `Result`.

Numbers, statuses and the sources' own words only: every sentence a reader sees is written by
`thesis.report` from these fields, so the JSON, the terminal, markdown and HTML say the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from thesis.models.scorecard import Rule

if TYPE_CHECKING:  # pandas is optional, and has no types of its own (pandas-stubs has them)
    from pandas import DataFrame  # type: ignore[import-untyped, unused-ignore]

FRAME_COLUMNS = ("factor", "criterion", "item", "input", "given", "score", "weight", "share",
                 "status", "source")
"""`Result.to_frame`'s columns; `item` is the factor's title or the criterion's question."""


class ResultModel(BaseModel):
    """A part of a result: frozen, and shown briefly when printed."""

    model_config = ConfigDict(frozen=True)

    _shown: ClassVar[tuple[str, ...]] = ()
    """The fields that identify the part: all its repr shows, so a result prints briefly."""

    def __repr_args__(self) -> Iterator[tuple[str, Any]]:
        for name in self._shown:
            yield name, getattr(self, name)


class Given(ResultModel):
    """What the analyst gave for one input (or what was fitted from their data), as numbers."""

    input: str
    kind: Literal["number", "evidence", "category", "derived"]
    base: float | None = None
    """The base case: a distribution's median, evidence's probability; None for a category."""
    p10: float | None = None
    p90: float | None = None
    """A number's 10th and 90th percentiles (equal to `base` when it is known exactly)."""
    probabilities: dict[str, float] = {}
    """A category's probability of each choice."""
    parts: list[str] = []
    """A derived input's parts, joined by `operator` (`x` or `/`)."""
    operator: str = ""
    fitted: bool = False
    """Estimated from the subject's data (the cohorts' sBG fit), not stated."""
    prior: str | None = None
    """Not given: drawn from the scorecard's prior for it, whose source this is."""
    stated: dict[str, float] = {}
    """A number's distribution as written, by its keys (`{low: 0.3, high: 0.6}`,
    `{p10: 9e4, p90: 1.3e5}`); empty for a plain number and for anything but a number."""

    _shown = ("input", "base")


class CriterionResult(ResultModel):
    """One criterion: what it asks, the input it reads, its rule and its score."""

    id: str
    question: str
    input: str
    status: Literal["scored", "prior", "not_given"]
    """Scored from a given input, from the prior standing in for it, or left out (not given,
    and no prior)."""
    score: float | None
    """At the base case; None when left out."""
    weight: float
    rule: Annotated[Rule, Field(description="the rule as written in the scorecard")]
    source: str

    _shown = ("id", "score")


class GateResult(ResultModel):
    """A must-have that caps its factor (or card) while its test fails, or a decisive condition
    that lifts it to a floor while its test holds."""

    id: str
    question: str
    input: str
    status: Literal["scored", "prior", "not_given"]
    holds: float | None
    """Probability the test holds at the base case (1 or 0 for certain inputs)."""
    cap: float | None = None
    floor: float | None = None
    source: str

    _shown = ("id", "holds")


class FactorResult(ResultModel):
    """One factor: its score, its share of the composite, and what it is made of."""

    id: str
    path: str
    title: str
    weight: float
    share: float
    """This factor's share of its scorecard's score after renormalisation (0 if not scored)."""
    status: Literal["scored", "not_applicable", "nothing_given"]
    score: float | None
    source: str
    combine: Literal["mean", "any", "all"] = "mean"
    """How its criteria make its score: weighted mean, the best (any) or the weakest (all)."""
    verdict: str | None = None
    """The included scorecard's verdict, for a factor that is a whole scorecard ("insufficient
    evidence" below its minimum coverage)."""
    criteria: list[CriterionResult] = []
    gates: list[GateResult] = []
    """The factor's gates; for an included scorecard, that card's own gates."""
    factors: list[FactorResult] = []
    given: int = 0
    """How many of the criteria below (in factors that apply) had an input."""
    criteria_count: int = 0
    """How many criteria there are below, in factors that apply."""

    _shown = ("path", "score")

    def criterion(self, id_: str) -> CriterionResult:
        """The criterion with this id."""
        return next(c for c in self.criteria if c.id == id_)


class CoverageResult(ResultModel):
    """How much of the scorecard the subject answers, before any renormalisation."""

    given: int
    """Criteria whose input is given (in factors that apply)."""
    criteria: int
    weight: float
    """The share of the composite's weight that rests on given inputs."""
    minimum: float | None = None
    """The share the scorecard needs for a verdict; None if it sets none."""
    minimum_source: str | None = None

    _shown = ("given", "criteria", "weight")


class ScoreDistribution(ResultModel):
    """The score over the Monte Carlo sample. P10 is the 10th percentile: 10% score lower."""

    mean: float
    sd: float
    p10: float
    p50: float
    p90: float
    verdict_probabilities: dict[str, float]
    flip_probability: float
    """Probability that the verdict differs from the base-case verdict."""
    histogram: list[int]
    """Sample counts in 50 equal bins over 0-100 (0-2, 2-4, ..., 98-100)."""

    _shown = ("p10", "p50", "p90")


class Driver(ResultModel):
    """One input's share of the score's variance: Sobol indices with their intervals."""

    input: str
    question: str
    """The question of the first criterion the input feeds."""
    first_order: float
    total: float
    first_order_interval: tuple[float, float] | None
    total_interval: tuple[float, float] | None
    """None where the sample was too small to split into two replicates (under 128)."""

    _shown = ("input", "total")


class Diligence(ResultModel):
    """One input, given or not, and how much of the verdict's uncertainty learning it would
    settle: the first-order Sobol index of the verdict band (see `thesis.engine.sensitivity`)."""

    input: str
    question: str
    given: bool
    """False when the input was not given and its prior stands in for it."""
    settles: float
    settles_interval: tuple[float, float] | None

    _shown = ("input", "settles")


class TornadoBar(ResultModel):
    """The score with one input at each end of its swing, the others at their base case: a
    number at its P10 and P90, a yes/no input at no (0) and yes (1), a category at its lowest-
    and highest-scoring possible choice (`low` and `high` are then choice indices)."""

    input: str
    low: float
    high: float
    score_at_low: float
    score_at_high: float

    _shown = ("input", "score_at_low", "score_at_high")


class Uncertainty(ResultModel):
    """How sure the score is and what it hinges on, with the seed and sample count."""

    samples: int
    requested_samples: int
    method: Literal["sobol", "random"]
    seed: int | None
    evaluations: int
    replicates: int
    """Independently scrambled runs of the sample; the drivers' intervals are Student-t
    intervals across them (none under two)."""
    confidence: float
    """The level of the drivers' intervals."""
    base_score: float
    base_verdict: str
    distribution: ScoreDistribution
    drivers: list[Driver]
    """Every sampled input, largest total index first."""
    tornado: list[TornadoBar]
    """Every input whose swing moves the score, largest first."""
    driver_share: float
    """A driver must explain at least this share of the variance to be named."""
    diligence: list[Diligence] = []
    """Every sampled input, the one whose learning would settle the verdict most first."""

    _shown = ("samples", "seed", "distribution")


class Counterfactual(ResultModel):
    """The smallest change of one input, all else at its base case, that moves the verdict."""

    input: str
    factor: str
    now: float | None = Field(description="the base case; none for a category (all its choices)")
    value: float
    """The input's value (a probability for evidence, a choice's index for a category)."""
    score: float
    verdict: str
    direction: Literal["up", "down"]

    _shown = ("input", "value", "verdict")


class StageResult(ResultModel):
    """Where the subject stands on the scorecard's cycle (seed 004's bubble sequence)."""

    id: str
    title: str
    meaning: str
    source: str
    index: int
    stages: list[str]
    """Every stage's title, in cycle order, so a report can draw the whole climb."""
    probabilities: dict[str, float] = {}
    """Share of the Monte Carlo samples at each stage (empty at the base case only)."""

    _shown = ("id",)


class RunUpResult(ResultModel):
    """Greenwood, Shleifer and You (2019): the two-year price run-up, raw and net of market."""

    start: str
    end: str
    raw: float
    market: float | None
    net: float | None
    exceeds_threshold: bool
    crash_probability: float | None
    """After a net run-up of this size; None below the smallest run-up tabulated."""
    interpolated: bool
    """No close on the start date: interpolated log-linearly between its neighbours."""
    source: str

    _shown = ("raw", "net")


class FactorDelta(ResultModel):
    id: str
    title: str
    score: float | None
    other: float | None
    contribution: float
    """This factor's part of the difference between the two composites (share x score)."""

    _shown = ("id", "contribution")


class Comparison(ResultModel):
    """Factor by factor, what separates this subject's score from another's."""

    subject: str
    as_of: str | None
    score: float
    verdict: str
    factors: list[FactorDelta]

    _shown = ("subject", "score")


class MarketRegime(ResultModel):
    """The market a company sells into, as the bubble scorecard reads it (seed 004)."""

    market: str
    file: str
    """As the company file names it."""
    as_of: str
    score: float
    verdict: str
    stage: str | None

    _shown = ("market", "verdict")


class ObservedCohort(ResultModel):
    """One cohort as the company gave it: the share of its starting customers still active,
    month by month from month 0."""

    start: str
    size: int | None = None
    """Customers who started; None when not given."""
    active: list[float]
    """Shares of the cohort still active, 1.0 at month 0 (percentages given are divided by
    100)."""

    _shown = ("start",)


class RetentionFit(ResultModel):
    """The company's cohorts, pooled and fitted with the sBG model (Fader & Hardie 2007) or, if
    a likelihood-ratio test finds that churn changes with tenure, with the beta-discrete-Weibull
    (Fader, Hardie, Liu, Davin & Steenburgh 2018), of which the sBG is the case c = 1."""

    cohorts: int
    model: Literal["sBG", "BdW"]
    model_choice: str
    """Which model the cohorts support, and the test that says so."""
    lr_statistic: float
    """2 (log L of the BdW - log L of the sBG): chi-square with 1 degree of freedom if c = 1."""
    lr_p_value: float
    alpha: float
    beta: float
    c: float
    """The duration exponent: 1 for the sBG."""
    log_likelihood: float
    converged: bool
    degenerate: bool
    """The likelihood's maximum is at a limit (everyone gone at once, or no one): see `note`."""
    note: str = ""
    """What limits the fit: a degenerate curve, no convergence, or assumed cohort sizes."""
    assumed_size: int | None = None
    """Customers assumed in each cohort given without a size; None when every size is given."""
    observed: list[ObservedCohort] = []
    """The cohorts the fit was made from, as given."""
    survival: list[float]
    """Projected share of a starting cohort still active, months 0 to 24."""
    retention_rate: list[float]
    """Projected month-on-month retention, months 1 to 24."""
    survival_24: float
    survival_24_interval: tuple[float, float] | None
    """80% interval of month-24 survival from the estimate's sampling uncertainty; None when
    the fit supports none (a degenerate curve, or no convergence)."""
    kind: Literal["durable core", "decaying", "tourists"]
    last_month: int
    """The longest cohort's last observed month."""
    last_share: float
    """Its share still active then."""
    last_retention: float
    """Fitted month-on-month retention at that month."""
    extrapolated: bool
    """Month-6 survival, the scored figure, lies beyond the observed months."""
    not_assessed: str = ""
    """Why month-6 survival is left out of the score (too few observed months, no convergence);
    empty when it is scored."""

    _shown = ("model", "kind", "survival_24")


class PositionResult(ResultModel):
    """What one source's author would say of this subject, and whether our score agrees."""

    id: str
    speaker: str
    source: str
    date: str
    anchor: str
    claim: str
    about: str
    stance: Literal["backs", "challenges", "silent"]
    """At the base case."""
    because: str = ""
    """Why the author takes that stance, in a few words."""
    our_score: float | None
    """Our score of the factor the claim is about (or of the whole subject)."""
    about_title: str = ""
    weakest: list[str] = []
    """The lowest-scoring criteria of that factor, worded, where they score under 50."""
    agrees: bool | None
    """None when the claim does not speak to this subject."""
    backs_probability: float | None = None
    challenges_probability: float | None = None
    """Share of the Monte Carlo samples in which the author would back (challenge) it; None
    at the base case only."""

    _shown = ("id", "stance")


class DisagreementResult(ResultModel):
    """Sources that contradict each other on this subject: who backs and who challenges it."""

    id: str
    about: str
    backing: list[str]
    challenging: list[str]
    """Position ids, on each side of the disagreement, that take that stance here."""
    note: str = ""

    _shown = ("id", "backing", "challenging")


class LensResult(ResultModel):
    """The same subject through one source's eyes: the scorecard as that source would weigh it
    (`thesis.engine.lens`), its score, verdict, and what moves it from ours."""

    id: str
    title: str
    speaker: str
    scorecard: str
    """The lensed card's id (`thesis_casado`)."""
    score: float
    verdict: str
    verdict_probability: float | None
    """Share of the Monte Carlo samples in the lens's own base-case verdict; None at the base
    case only."""
    factors: list[FactorDelta]
    """Factor by factor, the lens's part of its score minus ours (share x score), largest
    first."""

    _shown = ("id", "score", "verdict")


class CompanyHeader(ResultModel):
    """The company, as its file describes it."""

    kind: Literal["company"] = "company"
    name: str
    layer: str
    segment: str | None = None
    vertical: str | None = None
    stage: str | None = None

    _shown = ("name",)


class MarketHeader(ResultModel):
    """The market, as its file describes it."""

    kind: Literal["market"] = "market"
    name: str
    as_of: str
    description: str | None = None

    _shown = ("name", "as_of")


class ScorecardDigest(ResultModel):
    id: str
    sha256: str


class Provenance(ResultModel):
    """What produced this result: enough to reproduce it on any machine."""

    thesis_version: str
    input_file: str | None
    """The subject's file name (no folder, so the output is the same on every machine)."""
    scorecards: list[ScorecardDigest]
    """The scorecard and those it includes, each with the SHA-256 of its rules."""
    samples: int
    requested_samples: int
    seed: int | None
    method: Literal["sobol", "random"]

    _shown = ("thesis_version", "seed", "samples")


class Result(ResultModel):
    """A scorecard's reading of one subject: the base-case score and verdict, every factor
    explained, and how sure the score is under the subject's own uncertainty."""

    subject: Annotated[CompanyHeader | MarketHeader, Field(discriminator="kind")]
    scorecard: str
    scorecard_title: str
    score: float
    """At the base case: numbers at their medians; yes/no evidence and categories at their
    expected score; inputs not given at their priors."""
    verdict: str
    """The score's band, or "insufficient evidence" when too little of the scorecard's weight
    rests on given inputs (`coverage.minimum`)."""
    leaning: str | None = None
    """With insufficient evidence, the band the score falls in."""
    verdict_meaning: str
    verdict_source: str
    verdict_floors: dict[str, float]
    """Each verdict band's lowest score, highest band first."""
    factors: list[FactorResult]
    gates: list[GateResult] = []
    """Gates on the whole scorecard, applied after its factors are combined."""
    coverage: CoverageResult
    inputs: list[Given]
    """Every input the scorecard reads, as given."""
    not_scored: list[str] = []
    """Inputs the subject gives that none of this scorecard's rules read: set aside, visibly."""
    uncertainty: Uncertainty | None = None
    """None when scored at the base case only (samples = 0)."""
    counterfactuals: list[Counterfactual] = []
    """The nearest single-input changes that move the verdict."""
    stage: StageResult | None = None
    run_up: RunUpResult | None = None
    comparison: Comparison | None = None
    market_regime: MarketRegime | None = None
    retention: RetentionFit | None = None
    positions: list[PositionResult] = []
    """What the source documents' authors would say of this subject."""
    disagreements: list[DisagreementResult] = []
    """Where positions that contradict each other split on this subject."""
    lenses: list[LensResult] = []
    """The same subject through each source's eyes (the shipped lenses of this scorecard)."""
    provenance: Provenance

    _shown = ("subject", "scorecard", "score", "verdict")

    def factor(self, path: str) -> FactorResult:
        """The factor at a dotted path, e.g. `moat.data_flywheel`."""
        for f in self.walk():
            if f.path == path:
                return f
        raise KeyError(path)

    def given(self, input_path: str) -> Given | None:
        """What was given for an input, or None if it was not."""
        return next((g for g in self.inputs if g.input == input_path), None)

    def walk(self) -> list[FactorResult]:
        """Every factor, depth first."""
        out: list[FactorResult] = []

        def visit(factors: list[FactorResult]) -> None:
            for f in factors:
                out.append(f)
                visit(f.factors)

        visit(self.factors)
        return out

    def not_assessed(self) -> dict[str, str]:
        """Every factor, criterion and gate left out of the score, with its status (an input
        drawn from its prior is in the score)."""
        out: dict[str, str] = {}
        for f in self.walk():
            if f.status != "scored":
                out[f.path] = f.status
            items: list[CriterionResult | GateResult] = [*f.criteria, *f.gates]
            out.update({f"{f.path}.{c.id}": c.status for c in items
                        if c.status == "not_given"})
        out.update({g.id: g.status for g in self.gates if g.status == "not_given"})
        return out

    def to_markdown(self) -> str:
        """The markdown report, as `thesis.render(result, Format.markdown)` writes it."""
        from thesis.report import Format, render

        return render(self, Format.markdown)

    def to_html(self) -> str:
        """The HTML page, as `thesis.render(result, Format.html)` writes it."""
        from thesis.report import Format, render

        return render(self, Format.html)

    def to_frame(self) -> DataFrame:
        """The scorecard as a pandas DataFrame (`FRAME_COLUMNS`): a row for each factor, then
        one for each of its criteria, in the report's order. `criterion` is empty on a factor's
        row, `share` (of its group) on a criterion's; `given` is worded as in the report.
        Needs pandas: `pip install "thesis[pandas]"`."""
        try:
            import pandas
        except ModuleNotFoundError as exc:
            raise ImportError('Result.to_frame needs pandas: pip install "thesis[pandas]"'
                              ) from exc
        from thesis.report.document import describe_given

        given = {g.input: g for g in self.inputs}
        rows: list[tuple[object, ...]] = []
        for f in self.walk():
            rows.append((f.path, "", f.title, "", "", f.score, f.weight, f.share, f.status,
                         f.source))
            rows += [(f.path, c.id, c.question, c.input,
                      describe_given(given.get(c.input), given, self.retention), c.score,
                      c.weight, None, c.status, c.source) for c in f.criteria]
        return pandas.DataFrame(rows, columns=list(FRAME_COLUMNS))

    def _repr_markdown_(self) -> str:
        """A notebook shows the result as the markdown report, not as a wall of fields."""
        return self.to_markdown()

    def _repr_html_(self) -> str:
        """A notebook shows the result as the HTML report: the page's body, without the page's
        styles, so that the notebook's own apply and the rest of the notebook is untouched."""
        page = self.to_html()
        return page[page.index("<body>") + len("<body>"):page.rindex("</body>")].strip()
