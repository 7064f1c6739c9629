"""One report document, built once from a `Result`: every word a reader sees is written here.

The layouts (`text`, `markdown`, `html`) only lay a `Document` out, so a company and a market,
the terminal and a memo, all say the same thing in the same order: a headline, the scorecard as
rows, then sections of lines, the sources' positions, and where the numbers came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from thesis.engine.space import compact
from thesis.models.scorecard import Categories, Curve, Rule
from thesis.result import (
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

SHOWN_DRIVERS = 6
TOP_DRIVERS = 3
BUBBLE_DIRECTION = "higher scores are more bubble-like"
_SEED = re.compile(r"\b(\d{3})_[0-9a-f]{16}\.txt")


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


@dataclass(frozen=True)
class Section:
    heading: str
    lines: list[str]


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


def build(result: Result) -> Document:
    """The report of one result, in words."""
    subject = result.subject
    is_market = isinstance(subject, MarketHeader)
    context = (f"as of {subject.as_of}" if isinstance(subject, MarketHeader)
               else subject.layer)
    c = result.coverage
    answered = f"answered {c.given} of {c.criteria} criteria, {c.weight:.0%} of the weight"
    if c.minimum is not None and c.weight < c.minimum:
        answered += f"; a verdict needs {c.minimum:.0%}"
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
    return Document(
        title=f"{subject.name}: {result.scorecard_title}", subject=subject.name,
        headline=headline, verdict=result.verdict, meaning=result.verdict_meaning,
        context=context, lead=lead, rows=rows(result), legend=legend,
        sections=sections(result), stances=[_stance(p) for p in spoken(result)],
        footer=footer(result))


def sections(result: Result) -> list[Section]:
    """The report after the scorecard, empty sections left out."""
    out: list[Section] = []
    if result.stage is not None:
        stage = result.stage
        odds = ", ".join(f"{title.lower()} {p:.0%}" for title, p in stage.probabilities.items()
                         if p > 0)
        out.append(Section("Stage of the cycle", [
            stage_line(result), f"{stage.title}: {stage.meaning}",
            *([f"over the inputs' uncertainty: {odds}"] if odds else []),
            f"source: {' '.join(stage.source.split())}"]))
    if result.run_up is not None:
        out.append(Section("Run-up check (beside the factors, not in the score)",
                           run_up_lines(result.run_up)))
    if result.retention is not None:
        out.append(Section("Cohort retention (sBG: Fader & Hardie 2007; BdW: Fader et al. 2018)",
                           retention_lines(result.retention)))
    out += uncertainty_sections(result)
    out.append(counterfactual_section(result))
    if result.comparison is not None:
        other = result.comparison
        when = f" (as of {other.as_of})" if other.as_of else ""
        lines = [f"{other.subject}{when}: {fmt_score(other.score)}, {other.verdict}; "
                 f"difference {result.score - other.score:+.1f}, by factor (share x score, "
                 "largest first):"]
        lines += [f"{d.title}: {fmt_score(d.score)} vs {fmt_score(d.other)} -> "
                  f"{d.contribution:+.1f}" for d in other.factors]
        out.append(Section(f"Compared with {other.subject}", lines))
    if result.lenses:
        out.append(Section("Through each source's eyes (the same inputs, the scorecard as each "
                           "source would weigh it: docs/lenses.md)", lens_lines(result)))
    if result.disagreements:
        out.append(Section(f"Where the sources disagree about this "
                           f"{'market' if isinstance(result.subject, MarketHeader) else 'company'}",
                           disagreement_lines(result)))
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
            [f"{g.input}: {describe_given(g.model_copy(update={'prior': None}))} "
             f"({short_source(g.prior or '')})" for g in priors]))
    if result.not_scored:
        out.append(Section("Given, not scored (no rule of this scorecard reads them)",
                           [", ".join(result.not_scored)]))
    if result.retention is not None and result.retention.not_assessed:
        missing.append(f"Month-6 cohort retention: {result.retention.not_assessed}")
    if missing:
        out.append(Section("Not assessed", missing))
    return out


_COMBINED = {"any": "the best of its criteria counts (any one is enough)",
             "all": "its weakest criterion counts (each is needed)"}
_STATUS = {"not_applicable": "does not apply to this subject",
           "nothing_given": "no input given for any of its criteria",
           "not_given": "not given"}


def rows(result: Result) -> list[Row]:
    """The factor tree as rows; factors that do not apply are left out (the legend names them)."""
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
                           f.source, note, muted=f.score is None))
            walk(f.factors, depth + 1)
            for c in f.criteria:
                out.append(Row(depth + 1, "criterion", c.question,
                               describe_given(given.get(c.input), given, result.retention),
                               fmt_score(c.score), "", c.source,
                               _STATUS[c.status] if c.status == "not_given" else describe_rule(
                                   c.rule), muted=c.score is None))
            out.extend(gate_row(g, depth + 1, "factor", given, result.retention)
                       for g in f.gates)

    walk(result.factors, 0)
    out.extend(gate_row(g, 0, "score", given, result.retention) for g in result.gates)
    return out


def gate_row(g: GateResult, depth: int, what: str, given: dict[str, Given],
             retention: RetentionFit | None) -> Row:
    """A gate as a row: its test's state at the base case and what it does to `what`."""
    state = ("-" if g.holds is None else "holds" if g.holds == 1 else
             "does not hold" if g.holds == 0 else f"holds p={g.holds:.2f}")
    note = gate_effect(g, what)
    if g.status == "not_given":
        note = f"not given, so not checked: it {note}"
    return Row(depth, "gate", g.question, describe_given(given.get(g.input), given, retention),
               state, "", g.source, note, muted=g.holds is None)


def gate_effect(g: GateResult, what: str) -> str:
    if g.floor is not None:
        return f"lifts the {what} to at least {g.floor:.0f} while it holds"
    return f"caps the {what} at {g.cap or 0:.0f} while it fails"


def describe_given(g: Given | None, given: dict[str, Given] | None = None,
                   retention: RetentionFit | None = None) -> str:
    """How the analyst stated an input, briefly: `0.3..0.6`, `yes`, `p=0.70`, `borrowed`."""
    if g is None:
        return "-"
    if g.prior is not None:
        return f"not given; prior {describe_given(g.model_copy(update={'prior': None}))}"
    if g.kind == "derived":
        parts = given or {}
        return f" {g.operator} ".join(describe_given(parts.get(p)) for p in g.parts)
    if g.kind == "category":
        likely = {c: w for c, w in g.probabilities.items() if w}
        return (next(iter(likely)) if len(likely) == 1
                else ", ".join(f"{c} {w:.0%}" for c, w in likely.items()))
    if g.kind == "evidence":
        return describe_value(g, g.base)
    text = (compact(g.base or 0.0) if g.p10 == g.p90
            else f"{compact(g.p10 or 0.0)}..{compact(g.p90 or 0.0)}")
    if g.fitted and retention is not None:
        text += f"; {retention_text(retention)}"
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
    seeds = sorted(set(_SEED.findall(source)))
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


def run_up_lines(run: RunUpResult) -> list[str]:
    net = ("" if run.net is None or run.market is None
           else f", market {run.market:+.0%}, net of market {run.net:+.0%}")
    crash = ("below the smallest run-up tabulated" if run.crash_probability is None
             else f"{run.crash_probability:.0%}")
    side = "above" if run.exceeds_threshold else "below"
    lines = [f"{run.start} to {run.end}: raw {run.raw:+.0%}{net}; {side} the 100% run-up "
             f"line; crash probability after such a net run-up: {crash}"]
    if run.interpolated:
        lines.append(f"no close on {run.start}: interpolated log-linearly between the closes "
                     "around it")
    return [*lines, f"source: {run.source}"]


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


def uncertainty_sections(result: Result) -> list[Section]:
    """How sure the score is, what to find out next, and what the score hinges on."""
    u = result.uncertainty
    if u is None:
        return [Section("How sure", ["base case only (--samples 0): no Monte Carlo was run"])]
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
        line = (f"{driver.input}: total index {driver.total:.2f}{interval}, first order "
                f"{driver.first_order:.2f}")
        bar = swings.get(driver.input)
        if bar is not None:
            g = given.get(driver.input)
            line += (f"; {describe_value(g, bar.low)} -> {describe_value(g, bar.high)} moves the "
                     f"score {fmt_score(bar.score_at_low)} -> {fmt_score(bar.score_at_high)}")
        hinges.append(line)
    out = [Section(f"How sure is the score ({u.samples:,} samples, seed {u.seed})", sure),
           Section("What to diligence next", diligence(result))]
    if hinges:
        out.append(Section("What the score hinges on (Sobol indices; one input at a time from "
                           "P10 to P90, no to yes, or worst to best choice)", hinges))
    return out


def diligence(result: Result) -> list[str]:
    """What to find out next: the inputs, given or not, whose learning would settle the verdict
    most (the verdict band's first-order Sobol index), in words."""
    u = result.uncertainty
    if u is None:
        return []
    if u.distribution.flip_probability <= 0 and u.distribution.sd <= 0:
        return ["nothing: every input is known, so the score is certain"]
    named = [d for d in u.diligence if d.settles > 0][:TOP_DRIVERS]
    if not named:
        return ["nothing: the verdict holds in every sample"]
    given = {g.input: g for g in result.inputs}
    out = []
    if named[0].settles < u.driver_share:
        out.append(f"no single input settles {u.driver_share:.0%} of the verdict's uncertainty: "
                   "it rests on many unknowns at once. Find out first:")
    for d in named:
        interval = "" if d.settles_interval is None else (
            " [{:.0%}, {:.0%}]".format(*d.settles_interval))
        state = ("not given: prior" if not d.given else
                 f"given as {describe_given(given.get(d.input), given, result.retention)}")
        out.append(f"{d.input} ({state}): learning it would settle {d.settles:.0%}{interval} "
                   f"of the verdict's uncertainty; {d.question}")
    return out


def counterfactual_section(result: Result) -> Section:
    """The nearest single-input changes that move the verdict, nearest band first."""
    if not result.counterfactuals:
        return Section("What would move the verdict",
                       ["no single input, moved alone across its domain, changes the verdict"])
    given = {g.input: g for g in result.inputs}
    return Section(
        "What would move the verdict (one input at a time, the rest at base case)",
        [f"{c.factor}: if {c.input} were {describe_value(given.get(c.input), c.value)} (now "
         f"{describe_value(given.get(c.input), c.now)}), the verdict becomes {c.verdict} "
         f"({fmt_score(c.score)})" for c in result.counterfactuals])


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
        return "; ".join(f"{by_id[i].speaker}" + (f" ({by_id[i].because})" if by_id[i].because
                                                   else "") for i in ids)

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


def _stance(p: PositionResult) -> Stance:
    return Stance(who=p.speaker, when=p.date, source=p.source, claim=p.claim, anchor=p.anchor,
                  stance=stance_odds(p), our_score=fmt_score(p.our_score), about=p.about,
                  agreement=agreement(p))


def footer(result: Result) -> str:
    """Where the numbers came from: enough to reproduce them."""
    p = result.provenance
    cards = ", ".join(f"{c.id} {c.sha256[:12]}" for c in p.scorecards)
    run = ("base case only" if p.samples == 0
           else f"{p.samples:,} {p.method} samples, seed {p.seed}")
    source = f"{p.input_file}; " if p.input_file else ""
    return f"thesis {p.thesis_version}; {source}scorecards {cards}; {run}"
