"""One report document, built once from a `Result`: every word a reader sees is written here.

The layouts (`text`, `markdown`, `html`) only lay a `Document` out, so a company and a market,
the terminal and a memo, all say the same thing in the same order: a summary and the subject's
own figures, the scorecard as rows, then sections of lines, the sources' positions, the notes
that cite where each rule comes from, and where the numbers came from.

Inputs reach a reader as the questions an analyst answers to give them (`Questions`), the dotted
path kept beside them in small print; sources as numbered notes (`Citations`) naming each seed
by its speaker and title with its original anchor, and the seeds' file names in the list under
the notes: Chinese and file names stay out of the body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from thesis.engine.space import compact
from thesis.models.scorecard import Categories, Curve, Rule
from thesis.report.citations import (
    SEED_FILE,
    SEED_NOTE,
    SEEDS,
    Citations,
    Note,
    english,
    seed_note,
)
from thesis.result import (
    CriterionResult,
    FactorResult,
    GateResult,
    Given,
    MarketHeader,
    PositionResult,
    Result,
    RetentionFit,
    RunUpResult,
    Uncertainty,
)
from thesis.subjects import KINDS, SubjectKind

SHOWN_DRIVERS = 6
SHOWN_DILIGENCE = 5
TOP_DRIVERS = 3
NAMED_SHARE = 0.005
"""An input that would settle less of the verdict's uncertainty than this (0% when rounded) is
not named as worth finding out."""
SUMMARY_FACTORS = 3
BUBBLE_DIRECTION = "higher scores are more bubble-like"

Chart = Literal["distribution", "tornado", "cohorts"]


@dataclass(frozen=True)
class Row:
    """One line of the scorecard: a factor, a criterion or a gate, at a nesting depth."""

    depth: int
    kind: Literal["factor", "criterion", "gate"]
    label: str
    given: str
    score: str
    share: str
    source: str
    note: str
    muted: bool = False
    """Nothing scored here (not given): shown dimmed."""
    notes: tuple[int, ...] = ()
    """The numbers of the notes that cite `source`."""
    path: str = ""
    """The input a criterion or gate reads (small print beside its question)."""


@dataclass(frozen=True)
class Line:
    """One line of a section: what it says, the input it is about, the notes it cites."""

    text: str
    path: str = ""
    notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    items: list[Line]
    key: str = ""
    """A stable name for the section (`diligence`, `revenue`, ...): an anchor in a memo."""
    chart: Chart | None = None
    """The figure that goes with it, where there is one to draw."""

    @property
    def lines(self) -> list[str]:
        """The lines as plain text, each input's path in brackets after its question."""
        return [f"{i.text} [{i.path}]" if i.path else i.text for i in self.items]


@dataclass(frozen=True)
class Stance:
    """One source's position on the subject, as a report row."""

    who: str
    when: str
    source: str
    claim: str
    anchor: str
    stance: str
    our_score: str
    about: str
    agreement: str
    notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Fact:
    """A labelled figure: one of the subject's own, or a line of the provenance."""

    label: str
    value: str
    path: str = ""


@dataclass(frozen=True)
class Summary:
    """What a partner reads first: the verdict, how sure, how much is answered, the strongest
    and weakest factors, and what to find out next."""

    score: str
    verdict: str
    meaning: str
    notes: tuple[int, ...]
    """The notes citing the verdict bands."""
    spread: str
    """`between 73 and 84 in 8 of 10 draws`; empty at the base case only."""
    coverage: str
    groups: str
    ranking: tuple[str, str]
    """What the highest and the lowest factor scores mean here: `Strongest`, `Weakest`."""
    strongest: list[str]
    weakest: list[str]
    """The lowest-scoring factors, lowest first (none counted among the strongest)."""
    questions: list[Line]
    """The three questions to answer next, or one line saying why there are none."""

    @property
    def points(self) -> list[str]:
        """The range, the coverage and what the groups say, as sentences."""
        return [x for x in (self.spread and f"The score falls {self.spread}.",
                            f"It {self.coverage}.", self.groups) if x]


@dataclass(frozen=True)
class Run:
    """What only the command that ran knows: the date of the run and the file as given."""

    date: str | None = None
    """UTC, `2026-01-31`."""
    input_file: str | None = None
    """As given on the command line, relative (never absolute)."""


@dataclass(frozen=True)
class Document:
    title: str
    subject: str
    headline: str
    """`Score 79.4 / 100 (answered 30 of 41 criteria, 81% of the weight)`, or for a market
    `Bubble score 27.5 / 100 (higher scores are more bubble-like; answered ...)`."""
    verdict: str
    meaning: str
    context: str
    """The line above the headline: the layer, or the as-of date."""
    lead: list[str]
    """Lines under the headline: what the groups say, the market, the range, the bands."""
    rows: list[Row]
    legend: list[str]
    sections: list[Section]
    stances: list[Stance] = field(default_factory=list)
    footer: str = ""
    summary: Summary | None = None
    facts: list[Fact] = field(default_factory=list)
    """The subject's own figures, as the analyst wrote them."""
    notes: list[Note] = field(default_factory=list)
    """Every source cited, numbered in order of first citation."""
    seeds: list[Fact] = field(default_factory=list)
    """The seed documents the notes cite, by file name, each described once (`SEEDS_NOTE`)."""
    provenance: list[Fact] = field(default_factory=list)


def build(result: Result, run: Run | None = None) -> Document:
    """The report of one result, in words. `run` adds what only the command knows (the date,
    the file as given) to the provenance."""
    subject = result.subject
    is_market = isinstance(subject, MarketHeader)
    context = (f"as of {subject.as_of}" if isinstance(subject, MarketHeader)
               else subject.layer)
    answered = coverage_line(result)
    headline = (f"Bubble score {fmt_score(result.score)} / 100 ({BUBBLE_DIRECTION}; {answered})"
                if is_market else f"Score {fmt_score(result.score)} / 100 ({answered})")
    lead = [line for line in (groups_line(result), regime_line(result),
                              "" if result.uncertainty is None
                              else headline_range(result.uncertainty)) if line]
    lead.append(f"Verdict bands: {' '.join(result.verdict_source.split())}")
    legend = ["share: the factor's weight in its group after renormalisation"]
    skipped = [f.title for f in result.walk() if f.status == "not_applicable"]
    if skipped:
        legend.append("not applicable here: " + "; ".join(skipped))
    citations = Citations()  # numbered in the order a reader meets them
    questions = Questions.of(result)
    summary = summarise(result, citations, questions)
    table = rows(result, citations)
    later = sections(result, citations, questions)
    stances = [_stance(p, citations) for p in spoken(result)]
    notes = citations.notes()
    return Document(
        title=f"{subject.name}: {result.scorecard_title}", subject=subject.name,
        headline=headline, verdict=result.verdict, meaning=result.verdict_meaning,
        context=context, lead=lead, rows=table, legend=legend, sections=later, stances=stances,
        footer=footer(result), summary=summary, facts=facts(result), notes=notes,
        seeds=seeds_cited(notes), provenance=provenance(result, run or Run()))


class Questions:
    """Input paths as the questions an analyst answers to give them: the field's own question,
    else the first criterion or gate that reads the input, else the field's description."""

    def __init__(self, kind: SubjectKind, read: Mapping[str, str]) -> None:
        self.kind = kind
        self.read = read

    @classmethod
    def of(cls, result: Result) -> Questions:
        read: dict[str, str] = {}
        items: list[CriterionResult | GateResult] = []
        for f in result.walk():
            items += [*f.criteria, *f.gates]
        for item in [*items, *result.gates]:
            read.setdefault(item.input, item.question)
        return cls(KINDS[result.subject.kind], read)

    def __call__(self, path: str, fallback: str = "") -> str:
        """The question for `path`; `fallback` where no criterion reads it directly (a part of
        a derived input)."""
        own = self.kind.question(path)
        if own.endswith("?"):
            return own
        asked = self.read.get(path) or fallback or own
        asked = sentence(asked)
        return asked if asked.endswith(("?", ".", ")")) else f"{asked}."


def seeds_cited(notes: list[Note]) -> list[Fact]:
    """The seed documents the notes cite, each by its file name and described once."""
    numbers = sorted({m.group(1) for n in notes for m in SEED_NOTE.finditer(n.text)})
    return [Fact(SEEDS[number].file, SEEDS[number].about) for number in numbers]


def sentence(text: str) -> str:
    """The text with a capital first letter."""
    return text[:1].upper() + text[1:]


def coverage_line(result: Result) -> str:
    c = result.coverage
    answered = f"answered {c.given} of {c.criteria} criteria, {c.weight:.0%} of the weight"
    if c.minimum is not None and c.weight < c.minimum:
        answered += f"; a verdict needs {c.minimum:.0%}"
    return answered


def summarise(result: Result, citations: Citations, questions: Questions) -> Summary:
    """The memo's opening block."""
    u = result.uncertainty
    spread = ""
    if u is not None:
        d = u.distribution
        spread = (f"between {d.p10:.0f} and {d.p90:.0f} in 8 of 10 draws (P10-P90 of "
                  f"{u.samples:,} samples); the verdict holds in {1 - d.flip_probability:.0%}")
    leaves = sorted((f for f in result.walk()  # the factors the subject's own figures score
                     if not f.factors and f.score is not None and f.given > 0),
                    key=lambda f: (-(f.score or 0.0), -f.share))
    ranked = [f"{f.title} ({fmt_score(f.score)})" for f in leaves]
    ranking = (("Most bubble-like", "Least bubble-like")
               if isinstance(result.subject, MarketHeader) else ("Strongest", "Weakest"))
    verdict = result.verdict if result.leaning is None else (
        f"{result.verdict} (leaning {result.leaning})")
    return Summary(
        score=f"{fmt_score(result.score)} / 100", verdict=verdict,
        meaning=sentence(english(result.verdict_meaning)).rstrip(".") + ".",
        notes=citations.cite(result.verdict_source),
        spread=spread, coverage=coverage_line(result), groups=groups_line(result),
        ranking=ranking, strongest=ranked[:SUMMARY_FACTORS],
        weakest=ranked[SUMMARY_FACTORS:][::-1][:SUMMARY_FACTORS],
        questions=next_questions(result, questions))


def next_questions(result: Result, questions: Questions) -> list[Line]:
    """The three questions to answer next: those whose answers would settle the verdict most,
    or where the verdict holds in every sample, those the score's spread hinges on most."""
    u = result.uncertainty
    if u is None or any(d.settles >= NAMED_SHARE for d in u.diligence):
        return diligence_lines(result, questions, TOP_DRIVERS, brief=True)
    hinges = [d for d in u.drivers if d.total >= u.driver_share][:TOP_DRIVERS]
    return [Line(f"{questions(d.input, d.question)} ({d.total:.0%} of the score's variance)",
                 d.input) for d in hinges] or diligence_lines(result, questions, TOP_DRIVERS,
                                                            brief=True)


KEY_FIGURES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "company": (
        ("revenue.arr_usd", "ARR", "usd"),
        ("revenue.growth_yoy", "Growth a year", "percent"),
        ("revenue.net_revenue_retention", "Net revenue retention", "percent"),
        ("revenue.gross_revenue_retention", "Gross revenue retention", "percent"),
        ("revenue.gross_margin.now", "Gross margin today", "percent"),
        ("revenue.gross_margin.in_24_months", "Gross margin in 24 months", "percent"),
        ("revenue.pilot_share", "Revenue in paid pilots", "percent"),
        ("revenue.top_customer_share", "Largest customer", "percent"),
        ("revenue.pricing_model", "Priced by", "plain"),
        ("engagement.dau_mau", "DAU/MAU", "percent"),
        ("engagement.retention_month_6", "Cohort retention", "percent"),
        ("market_pool.labour_pool_usd", "Labour pool", "usd"),
    ),
    "market": (
        ("theme.kind", "Theme", "plain"),
        ("penetration.adoption_speed_vs_prior", "Adoption vs earlier shifts", "times"),
        ("revenue.annual_revenue_usd", "Leaders' revenue", "usd"),
        ("revenue.growth_yoy", "Revenue growth a year", "percent"),
        ("revenue.commitments_usd", "Commitments", "usd"),
        ("leverage.capex_to_gdp", "Capex / GDP", "percent"),
        ("leverage.ocf_to_capex", "Operating cash flow / capex", "times"),
        ("valuation.leaders_forward_pe", "Leaders' forward P/E", "plain"),
        ("valuation.normal_pe", "Normal forward P/E", "plain"),
        ("valuation.cape", "CAPE", "plain"),
        ("speculation.top10_market_cap_to_gdp", "Top ten market value / GDP", "percent"),
        ("speculation.speculators", "Who speculates", "plain"),
        ("leverage.retail_margin_debt_to_gdp", "Retail margin debt / GDP", "percent"),
    ),
}
"""The figures a memo's key-figures box shows, by subject kind: path, label and unit."""
UNITS: dict[str, Callable[[float], str]] = {
    "usd": lambda x: f"US${compact(x)}",
    "percent": lambda x: f"{100 * x:.3g}%",
    "times": lambda x: f"{compact(x)}x",
    "plain": compact,
}


def facts(result: Result) -> list[Fact]:
    """The subject's own figures, as given (the scorecard's priors left out)."""
    subject = result.subject
    if isinstance(subject, MarketHeader):
        out = [Fact("As of", subject.as_of)]
    else:
        out = [Fact(label, value.replace("_", " ").replace("saas", "SaaS")) for label, value in (
            ("Stage", subject.stage), ("Vertical", subject.vertical),
            ("Segment", subject.segment), ("Layer", subject.layer)) if value]
    given = {g.input: g for g in result.inputs}
    for path, label, unit in KEY_FIGURES[subject.kind]:
        g = given.get(path)
        if g is None or g.prior is not None:
            continue
        value = (retention_summary(result.retention) if g.fitted and result.retention
                 else describe_given(g, given, unit=UNITS[unit]))
        out.append(Fact(label, value.replace("_", " ") if g.kind == "category" else value, path))
    return out


def provenance(result: Result, run: Run) -> list[Fact]:
    """Where the numbers came from: enough to reproduce them."""
    p = result.provenance
    out = [Fact("Date", run.date)] if run.date else []
    out.append(Fact("thesis", p.thesis_version))
    source = run.input_file or p.input_file
    if source:
        out.append(Fact("Input file", source))
    out.append(Fact("Scorecards", ", ".join(f"{c.id} sha256 {c.sha256[:12]}"
                                             for c in p.scorecards)))
    run_text = ("base case only (no Monte Carlo)" if p.samples == 0
                else f"{p.samples:,} {p.method} samples")
    out += [Fact("Samples", run_text), Fact("Seed", "-" if p.seed is None else str(p.seed))]
    return out


def sections(result: Result, citations: Citations, questions: Questions) -> list[Section]:
    """The report after the scorecard, empty sections left out."""
    out: list[Section] = []
    if result.stage is not None:
        stage = result.stage
        odds = ", ".join(f"{title.lower()} {p:.0%}" for title, p in stage.probabilities.items()
                         if p > 0)
        out.append(Section("Stage of the cycle", [
            Line(stage_line(result)),
            Line(f"{stage.title}: {english(stage.meaning)}"),
            *([Line(f"over the inputs' uncertainty: {odds}")] if odds else []),
            Line(f"source: {short_source(stage.source)}", notes=citations.cite(stage.source))],
            key="stage"))
    if result.run_up is not None:
        out.append(Section("Run-up check (beside the factors, not in the score)",
                           run_up_lines(result.run_up), key="run-up"))
    if not isinstance(result.subject, MarketHeader):  # a market has no cohorts
        out.append(revenue_section(result.retention))
    out += uncertainty_sections(result, questions)
    out.append(counterfactual_section(result, questions))
    regime = regime_line(result)
    if regime:
        out.append(Section("The market it raises money in", [Line(regime)], key="regime"))
    if result.comparison is not None:
        other = result.comparison
        when = f" (as of {other.as_of})" if other.as_of else ""
        lines = [f"{other.subject}{when}: {fmt_score(other.score)}, {other.verdict}; "
                 f"difference {result.score - other.score:+.1f}, by factor (share x score, "
                 "largest first):"]
        lines += [f"{d.title}: {fmt_score(d.score)} vs {fmt_score(d.other)} -> "
                  f"{d.contribution:+.1f}" for d in other.factors]
        out.append(Section(f"Compared with {other.subject}", [Line(x) for x in lines],
                           key="comparison"))
    if result.disagreements:
        out.append(Section(f"Where the sources disagree about this "
                           f"{'market' if isinstance(result.subject, MarketHeader) else 'company'}",
                           [Line(x) for x in disagreement_lines(result)], key="disagreements"))
    if result.lenses:
        out.append(Section("Through each source's eyes (the same inputs, the scorecard as each "
                           "source would weigh it: docs/lenses.md)",
                           [Line(x) for x in lens_lines(result)], key="lenses"))
    out += _unknowns(result, citations, questions)
    return out


def revenue_section(fit: RetentionFit | None) -> Section:
    """A company's cohorts: how they retain and the model that says so (drawn as a chart)."""
    if fit is None:
        return Section("Revenue: cohort retention", [Line(
            "no cohorts given: month-6 retention is scored from the scorecard's prior, if at "
            "all")], key="revenue")
    return Section("Revenue: cohort retention (sBG: Fader & Hardie 2007; BdW: Fader et al. "
                   "2018)", [Line(x) for x in retention_lines(fit)], key="revenue",
                   chart="cohorts")


POSITIONS = "What the sources would say"
"""The heading of the sources' positions on the subject."""
AFTER_POSITIONS = frozenset({"disagreements", "lenses", "priors", "not-scored", "not-assessed"})
"""The sections a memo shows after the sources' positions."""


def around_positions(sections: list[Section]) -> tuple[list[Section], list[Section]]:
    """The sections before the sources' positions and those after them."""
    at = next((i for i, s in enumerate(sections) if s.key in AFTER_POSITIONS), len(sections))
    return sections[:at], sections[at:]


def _unknowns(result: Result, citations: Citations, questions: Questions) -> list[Section]:
    """What the score rests on without the subject saying: priors, figures no rule reads, and
    what could not be assessed."""
    out: list[Section] = []
    missing = [f"{f.title}: {_STATUS[f.status]}" for f in result.walk()
               if f.status == "nothing_given"]
    missing += [f"{f.title}: {g.question} (not given and no prior: not checked)"
                for f in result.walk() for g in f.gates if g.status == "not_given"]
    missing += [f"{g.question} (not given and no prior: not checked)"
                for g in result.gates if g.status == "not_given"]
    priors = [g for g in result.inputs if g.prior is not None]
    if priors:
        out.append(Section(
            f"Not given: drawn from the scorecard's priors ({len(priors)} inputs; learning them "
            "narrows the answer)",
            [Line(f"{questions(g.input)} Prior: "
                  f"{describe_given(g.model_copy(update={'prior': None}))}", g.input,
                  citations.cite(g.prior or "")) for g in priors], key="priors"))
    if result.not_scored:
        out.append(Section("Given, not scored (no rule of this scorecard reads them)",
                           [Line(questions(path), path) for path in result.not_scored],
                           key="not-scored"))
    if result.retention is not None and result.retention.not_assessed:
        missing.append(f"Month-6 cohort retention: {result.retention.not_assessed}")
    if missing:
        out.append(Section("Not assessed", [Line(x) for x in missing], key="not-assessed"))
    return out


_COMBINED = {"any": "the best of its criteria counts (any one is enough)",
             "all": "its weakest criterion counts (each is needed)"}
_STATUS = {"not_applicable": "does not apply to this subject",
           "nothing_given": "no input given for any of its criteria",
           "not_given": "not given"}


def rows(result: Result, citations: Citations | None = None) -> list[Row]:
    """The factor tree as rows; factors that do not apply are left out (the legend names them).
    `citations` numbers the notes of their sources (a fresh set when not given)."""
    cite = (citations or Citations()).cite
    given = {g.input: g for g in result.inputs}
    out: list[Row] = []

    def walk(factors: list[FactorResult], depth: int) -> None:
        for f in factors:
            if f.status == "not_applicable":
                continue
            note = _STATUS[f.status] if f.status != "scored" else (f.verdict or "")
            note = "; ".join(part for part in (note, _COMBINED.get(f.combine, "")) if part)
            if f.factors and f.given < f.criteria_count:
                note += f"; {f.given} of {f.criteria_count} criteria given"
            out.append(Row(depth, "factor", f.title, "", fmt_score(f.score), f"{f.share:.0%}",
                           f.source, note, muted=f.score is None, notes=cite(f.source)))
            walk(f.factors, depth + 1)
            for c in f.criteria:
                out.append(Row(depth + 1, "criterion", c.question,
                               describe_given(given.get(c.input), given, result.retention),
                               fmt_score(c.score), "", c.source,
                               _STATUS[c.status] if c.status == "not_given" else describe_rule(
                                   c.rule), muted=c.score is None, notes=cite(c.source),
                               path=c.input))
            out.extend(gate_row(g, depth + 1, "factor", given, result.retention, cite)
                       for g in f.gates)

    walk(result.factors, 0)
    out.extend(gate_row(g, 0, "score", given, result.retention, cite) for g in result.gates)
    return out


def gate_row(g: GateResult, depth: int, what: str, given: dict[str, Given],
             retention: RetentionFit | None, cite: Callable[[str], tuple[int, ...]]) -> Row:
    """A gate as a row: its test's state at the base case and what it does to `what`."""
    state = ("-" if g.holds is None else "holds" if g.holds == 1 else
             "does not hold" if g.holds == 0 else f"holds p={g.holds:.2f}")
    note = gate_effect(g, what)
    if g.status == "not_given":
        note = f"not given, so not checked: it {note}"
    return Row(depth, "gate", g.question, describe_given(given.get(g.input), given, retention),
               state, "", g.source, note, muted=g.holds is None, notes=cite(g.source),
               path=g.input)


def gate_effect(g: GateResult, what: str) -> str:
    if g.floor is not None:
        return f"lifts the {what} to at least {g.floor:.0f} while it holds"
    return f"caps the {what} at {g.cap or 0:.0f} while it fails"


def describe_stated(written: Mapping[str, float], unit: Callable[[float], str] = compact) -> str:
    """A distribution in the words of its keys: `{low: 0.3, high: 0.6}` -> `0.3-0.6 (uniform)`,
    `{p10: 9e4, p90: 1.3e5}` -> `P10 90k, P90 130k`, `{mean: 1.18, sd: 0.06}` -> `1.18 ± 0.06
    (normal)`."""
    keys = set(written)
    if keys == {"value"}:
        return unit(written["value"])
    if keys == {"p10", "p90"}:
        return f"P10 {unit(written['p10'])}, P90 {unit(written['p90'])}"
    if keys == {"mean", "sd"}:
        return f"{unit(written['mean'])} \u00b1 {unit(written['sd'])} (normal)"
    if keys == {"low", "mode", "high"}:
        return (f"{unit(written['low'])}-{unit(written['high'])}, most likely "
                f"{unit(written['mode'])} (triangular)")
    if keys == {"low", "high"}:
        return f"{unit(written['low'])}-{unit(written['high'])} (uniform)"
    if {"alpha", "beta"} <= keys:
        span = (f" on {unit(written['low'])}-{unit(written['high'])}"
                if {"low", "high"} <= keys else "")
        return f"beta({written['alpha']:g}, {written['beta']:g}){span}"
    return ", ".join(f"{k} {unit(v)}" for k, v in written.items())


def describe_given(g: Given | None, given: dict[str, Given] | None = None,
                   retention: RetentionFit | None = None,
                   unit: Callable[[float], str] = compact) -> str:
    """How the analyst stated an input: `0.3-0.6 (uniform)`, `P10 90k, P90 130k`, `yes`,
    `p=0.70`, `borrowed`, or a fitted figure with its reading."""
    if g is None:
        return "-"
    if g.prior is not None:
        return f"not given; prior {describe_given(g.model_copy(update={'prior': None}))}"
    if g.kind == "derived":
        parts = given or {}  # each part in its own unit, not the product's
        return f" {g.operator} ".join(describe_given(parts.get(p)) for p in g.parts)
    if g.kind == "category":
        likely = {c: w for c, w in g.probabilities.items() if w}
        return (next(iter(likely)) if len(likely) == 1
                else ", ".join(f"{c} {w:.0%}" for c, w in likely.items()))
    if g.kind == "evidence":
        return describe_value(g, g.base)
    written = g.stated
    if written and not g.fitted:
        return describe_stated(written, unit)
    text = (unit(g.base or 0.0) if g.p10 == g.p90
            else f"P10 {unit(g.p10 or 0.0)}, P90 {unit(g.p90 or 0.0)}")
    if g.fitted and retention is not None:
        text += f"; {retention_summary(retention)}"
    return text


def describe_value(g: Given | None, value: float | None) -> str:
    """One value of an input: a number, yes/no/p=, or a choice (by its index); a category's
    None is its base case, its choices at their probabilities."""
    if value is None and g is not None and g.kind == "category" and g.probabilities:
        likely = [(c, p) for c, p in g.probabilities.items() if p]
        return likely[0][0] if len(likely) == 1 else ", ".join(f"{c} {p:.0%}" for c, p in likely)
    if value is None:
        return "-"
    if g is not None and g.kind == "evidence":
        return {1.0: "yes", 0.0: "no"}.get(value, f"p={value:.2f}")
    if g is not None and g.kind == "category":
        return list(g.probabilities)[int(value)] if int(value) < len(g.probabilities) else (
            f"choice {int(value)}")
    return compact(value)


def describe_rule(rule: Rule) -> str:
    """A rule in a few words, e.g. `higher is better: 0.8 -> 20, 1 -> 60, 1.2 -> 100`."""
    if isinstance(rule, Curve):
        steps = ", ".join(f"{x:.4g} -> {y:.0f}" for x, y in rule.points)
        axis = " (log scale)" if rule.scale == "log" else ""
        return f"{rule.better} is better{axis}: {steps}"
    if isinstance(rule, Categories):
        return ", ".join(f"{k} {v:.0f}" for k, v in rule.scores.items())
    return f"yes {rule.yes:.0f}, no {rule.no:.0f}"


def retention_text(fit: RetentionFit) -> str:
    """The cohorts in words: flattening onto a durable core, decaying, or tourists."""
    where = f"{fit.last_share:.0%} by month {fit.last_month}"
    interval = fit.survival_24_interval
    spread = "" if interval is None else f" ({interval[0]:.0%}-{interval[1]:.0%})"
    projected = f"month 24 projected {fit.survival_24:.0%}{spread}"
    rate = f"month-on-month retention {fit.last_retention:.1%}"
    if fit.kind == "durable core":
        return f"cohorts flatten at ~{where} ({rate}): durable core; {projected}"
    if fit.kind == "tourists":
        return f"cohorts decay towards zero ({where}, {rate}): tourists; {projected}"
    return f"cohorts still decaying ({where}, {rate}); {projected}"


def retention_summary(fit: RetentionFit) -> str:
    """The cohorts in a few words, for a key figure: `68% by month 7, durable core`."""
    return f"{fit.last_share:.0%} by month {fit.last_month}, {fit.kind}"


def retention_lines(fit: RetentionFit) -> list[str]:
    """The retention section: the reading, the model the cohorts support, what limits it."""
    lines = [retention_text(fit), f"model: {fit.model_choice}"]
    if fit.note:
        lines.append(fit.note)
    if fit.not_assessed:
        lines.append(f"month-6 survival not scored: {fit.not_assessed}")
    elif fit.extrapolated:
        lines.append(f"month-6 survival, the scored figure, is extrapolated from "
                     f"{fit.last_month} observed months")
    return lines


def fmt_score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def short_source(source: str) -> str:
    """`000_793eca45db821f36.txt: "..."` -> `seed 000`; `assumption: ...` -> `assumption`."""
    seeds = sorted(set(SEED_FILE.findall(source)))
    if seeds:
        return ("seed " if len(seeds) == 1 else "seeds ") + ", ".join(seeds)
    head = source.strip().split(":", 1)[0]
    return head if len(head) <= 24 else head[:23] + "…"


def groups_line(result: Result) -> str:
    """The verdicts of the included scorecards in one line, e.g. `Moat: durable moat`."""
    return " | ".join(f"{f.title}: {f.verdict}" for f in result.factors if f.verdict)


def regime_line(result: Result) -> str:
    """The market regime beside a company's score, or "" when its file names no market."""
    m = result.market_regime
    if m is None:
        return ""
    stage = f", stage: {m.stage}" if m.stage else ""
    return (f"Market: {m.market} (as of {m.as_of}): {m.verdict}, bubble score "
            f"{fmt_score(m.score)} / 100{stage}")


def stage_line(result: Result) -> str:
    """The whole cycle with the subject's stage in brackets."""
    if result.stage is None:
        return ""
    return " > ".join(f"[{t.upper()}]" if i == result.stage.index else t.lower()
                      for i, t in enumerate(result.stage.stages))


def run_up_lines(run: RunUpResult) -> list[Line]:
    net = ("" if run.net is None or run.market is None
           else f", market {run.market:+.0%}, net of market {run.net:+.0%}")
    crash = ("below the smallest run-up tabulated" if run.crash_probability is None
             else f"{run.crash_probability:.0%}")
    side = "above" if run.exceeds_threshold else "below"
    lines = [Line(f"{run.start} to {run.end}: raw {run.raw:+.0%}{net}; {side} the 100% run-up "
                  f"line; crash probability after such a net run-up: {crash}")]
    if run.interpolated:
        lines.append(Line(f"no close on {run.start}: interpolated log-linearly between the "
                          "closes around it"))
    return [*lines, Line(f"source: {run.source}")]


def sample_note(u: Uncertainty) -> str:
    """The sample count, and why it differs from the one asked for."""
    if u.samples == u.requested_samples:
        return f"{u.samples:,} {u.method} samples"
    return (f"{u.samples:,} {u.method} samples ({u.requested_samples:,} requested, rounded up "
            "to a power of two as Sobol points need)")


def headline_range(u: Uncertainty) -> str:
    """One line under the score: its P10-P90 range and how often the verdict holds."""
    d = u.distribution
    return (f"P10-P90 {fmt_score(d.p10)}-{fmt_score(d.p90)}; the verdict holds in "
            f"{1 - d.flip_probability:.0%} of {u.samples:,} samples (seed {u.seed})")


def uncertainty_sections(result: Result, questions: Questions) -> list[Section]:
    """How sure the score is, what to find out next, and what the score hinges on."""
    u = result.uncertainty
    if u is None:
        return [Section("How sure", [Line("base case only (--samples 0): no Monte Carlo was "
                                          "run")], key="how-sure")]
    given = {g.input: g for g in result.inputs}
    d = u.distribution
    likely = ", ".join(f"{label} {p:.0%}" for label, p in d.verdict_probabilities.items()
                       if p >= 0.005)
    sure = [
        f"score P10 {fmt_score(d.p10)}, P50 {fmt_score(d.p50)}, P90 {fmt_score(d.p90)} "
        f"(mean {fmt_score(d.mean)}, sd {d.sd:.1f}); P10 is the 10th percentile: 10% of "
        "samples score lower",
        f"verdict: {likely}; chance it differs from the base case ({u.base_verdict}): "
        f"{d.flip_probability:.0%}",
        f"{sample_note(u)}, seed {u.seed}; Sobol indices from {u.evaluations:,} evaluations, "
        + (f"{u.confidence:.0%} intervals across {u.replicates} independently scrambled "
           "replicates" if u.replicates >= 2 else "no intervals (too few samples for two "
           "replicates)"),
    ]
    swings = {bar.input: bar for bar in u.tornado}
    hinges = []
    for driver in u.drivers[:SHOWN_DRIVERS]:
        if driver.total <= 0:
            continue
        interval = "" if driver.total_interval is None else (
            " [{:.2f}, {:.2f}]".format(*driver.total_interval))
        line = questions(driver.input, driver.question)
        bar = swings.get(driver.input)
        if bar is not None:
            g = given.get(driver.input)
            line += (f" From {describe_value(g, bar.low)} to {describe_value(g, bar.high)} "
                     f"moves the score {fmt_score(bar.score_at_low)} -> "
                     f"{fmt_score(bar.score_at_high)};")
        line += f" total index {driver.total:.2f}{interval}, first order {driver.first_order:.2f}"
        hinges.append(Line(line, driver.input))
    out = [Section(f"How sure is the score ({u.samples:,} samples, seed {u.seed})",
                   [Line(x) for x in sure], key="how-sure", chart="distribution"),
           Section("What to diligence next", diligence_lines(result, questions),
                   key="diligence")]
    if hinges:
        out.append(Section("What the score hinges on (Sobol indices; one input at a time from "
                           "P10 to P90, no to yes, or worst to best choice)", hinges,
                           key="hinges", chart="tornado"))
    return out


def diligence(result: Result) -> list[str]:
    """What to find out next, as plain lines (each input's path in brackets after its
    question)."""
    return Section("", diligence_lines(result, Questions.of(result))).lines


def diligence_lines(result: Result, questions: Questions, shown: int = SHOWN_DILIGENCE,
                    brief: bool = False) -> list[Line]:
    """What to find out next, as questions: the inputs, given or not, whose learning would
    settle the verdict most (the verdict band's first-order Sobol index); `brief`, each
    question with only the share it would settle."""
    u = result.uncertainty
    if u is None:
        return []
    if u.distribution.flip_probability <= 0 and u.distribution.sd <= 0:
        return [Line("nothing: every input is known, so the score is certain")]
    named = [d for d in u.diligence if d.settles >= NAMED_SHARE][:shown]
    if not named:
        return [Line("nothing: the verdict holds in every sample, so no single answer would "
                     "settle it")]
    given = {g.input: g for g in result.inputs}
    out = []
    if named[0].settles < u.driver_share and not brief:
        out.append(Line(f"no single input settles {u.driver_share:.0%} of the verdict's "
                        "uncertainty: it rests on many unknowns at once. Find out first:"))
    for d in named:
        asked = questions(d.input, d.question)
        if brief:
            out.append(Line(f"{asked} ({d.settles:.0%} of the verdict's uncertainty)", d.input))
            continue
        interval = "" if d.settles_interval is None else (
            " [{:.0%}, {:.0%}]".format(*d.settles_interval))
        state = ("not given (the scorecard's prior stands in)" if not d.given else
                 f"given as {describe_given(given.get(d.input), given, result.retention)}")
        out.append(Line(f"{asked} Now {state}; the answer would settle {d.settles:.0%}"
                        f"{interval} of the verdict's uncertainty.", d.input))
    return out


def counterfactual_section(result: Result, questions: Questions) -> Section:
    """The nearest single-input changes that move the verdict, nearest band first."""
    if not result.counterfactuals:
        return Section("What would move the verdict", [Line(
            "no single input, moved alone across its domain, changes the verdict")],
            key="counterfactuals")
    given = {g.input: g for g in result.inputs}
    return Section(
        "What would move the verdict (one input at a time, the rest at base case)",
        [Line(f"{questions(c.input)} At {describe_value(given.get(c.input), c.value)} (now "
              f"{describe_value(given.get(c.input), c.now)}) the verdict becomes {c.verdict} "
              f"({fmt_score(c.score)}); factor: {c.factor}", c.input)
         for c in result.counterfactuals],
        key="counterfactuals")


def spoken(result: Result) -> list[PositionResult]:
    """The positions that speak to this subject, challenges first."""
    return sorted((p for p in result.positions if p.stance != "silent"),
                  key=lambda p: (p.stance != "challenges", p.speaker))


def agreement(position: PositionResult) -> str:
    """In words a reader takes in at once: "would back it (long-tail domain knowledge); our
    traditional moats score it 36 (two sided marketplace 0, category leader 0): parts ways"."""
    p = position
    verb = {"backs": "would back it", "challenges": "would challenge it"}.get(p.stance, "")
    reason = f" ({p.because})" if p.because else ""
    if p.our_score is None:
        return f"{verb}{reason}; not scored by us"
    weak = f" ({', '.join(p.weakest)})" if p.weakest and p.agrees is False else ""
    verdict = "agrees" if p.agrees else "parts ways"
    ours = ("our score is" if p.about == "score"
            else f"our {p.about_title.lower()} scores it")
    return f"{verb}{reason}; {ours} {fmt_score(p.our_score)}{weak}: {verdict}"


def stance_odds(p: PositionResult) -> str:
    """The stance, and how often it holds over the samples: `backs (87% of samples)`."""
    share = {"backs": p.backs_probability, "challenges": p.challenges_probability}.get(p.stance)
    return p.stance if share is None else f"{p.stance} ({share:.0%} of samples)"


def disagreement_lines(result: Result) -> list[str]:
    """Where sources that contradict each other split on this subject, one line each."""
    by_id = {p.id: p for p in result.positions}

    def side(ids: list[str]) -> str:
        return "; ".join(english(by_id[i].speaker) + (f" ({by_id[i].because})"
                                                      if by_id[i].because else "") for i in ids)

    return [f"{d.about}: {side(d.backing)} back it; {side(d.challenging)} challenge it"
            for d in result.disagreements]


SHOWN_LENS_FACTORS = 3


def lens_lines(result: Result) -> list[str]:
    """One line per lens: its score and verdict, how often that verdict holds, and the factors
    that move it most from our reading."""
    out = []
    for lens in result.lenses:
        odds = ("" if lens.verdict_probability is None
                else f" ({lens.verdict_probability:.0%} of samples)")
        moved = [f"{d.title} {d.contribution:+.1f}" for d in lens.factors[:SHOWN_LENS_FACTORS]
                 if abs(d.contribution) >= 0.05]
        gated = lens.score - result.score - sum(d.contribution for d in lens.factors)
        if abs(gated) >= 0.05:  # what the factors' mean does not explain: the card's gates
            moved.append(f"the card's gates {gated:+.1f}")
        why = f", most from: {'; '.join(moved)}" if moved else ""
        out.append(f"{lens.title}: {fmt_score(lens.score)}, {lens.verdict}{odds}; "
                   f"{lens.score - result.score:+.1f} against ours{why}")
    return out


def _stance(p: PositionResult, citations: Citations) -> Stance:
    found = SEED_FILE.search(p.source)
    note = (seed_note(found.group(0), p.anchor, p.speaker, p.date)
            if found else f"{p.speaker}, {p.date}: {p.source}")
    return Stance(who=english(p.speaker), when=p.date.split(" (")[0], source=p.source,
                  claim=p.claim,
                  anchor=p.anchor, stance=stance_odds(p), our_score=fmt_score(p.our_score),
                  about=p.about, agreement=agreement(p), notes=citations.note(note))


def footer(result: Result) -> str:
    """Where the numbers came from: enough to reproduce them."""
    p = result.provenance
    cards = ", ".join(f"{c.id} {c.sha256[:12]}" for c in p.scorecards)
    run = ("base case only" if p.samples == 0
           else f"{p.samples:,} {p.method} samples, seed {p.seed}")
    source = f"{p.input_file}; " if p.input_file else ""
    return f"thesis {p.thesis_version}; {source}scorecards {cards}; {run}"
