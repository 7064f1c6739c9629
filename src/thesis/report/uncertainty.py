"""The sensitivity part of a report - how sure the score is, what it hinges on, what would
move the verdict - as (heading, lines) sections every format lays out."""

from __future__ import annotations

from thesis.report import fmt_score
from thesis.result import ScorecardResult, Uncertainty

SHOWN_DRIVERS = 6


def headline_range(u: Uncertainty) -> str:
    """One line under the score: its P10-P90 range and how often the verdict holds."""
    d = u.distribution
    return (f"P10-P90 {fmt_score(d.p10)}-{fmt_score(d.p90)}; the verdict holds in "
            f"{1 - d.flip_probability:.0%} of {u.samples:,} samples (seed {u.seed})")


def uncertainty_sections(u: Uncertainty | None) -> list[tuple[str, list[str]]]:
    """How sure the score is, what to find out next, and what the score hinges on."""
    if u is None:
        return [("How sure", ["base case only (--samples 0): no Monte Carlo was run"])]
    d = u.distribution
    likely = ", ".join(f"{label} {p:.0%}" for label, p in d.verdict_probabilities.items()
                       if p >= 0.005)
    sure = [
        f"score P10 {fmt_score(d.p10)}, P50 {fmt_score(d.p50)}, P90 {fmt_score(d.p90)} "
        f"(mean {fmt_score(d.mean)}, sd {d.sd:.1f}); P10 is the 10th percentile: 10% of "
        "samples score lower",
        f"verdict: {likely}; chance it differs from the base case ({u.base_verdict}): "
        f"{d.flip_probability:.0%}",
        f"{u.sample_note}, seed {u.seed}; Sobol indices from {u.evaluations:,} evaluations, "
        f"95% intervals from {u.bootstrap} bootstrap resamples",
    ]
    swings = {bar.input: bar for bar in u.tornado}
    hinges = []
    for driver in u.drivers[:SHOWN_DRIVERS]:
        if driver.total <= 0:
            continue
        lo, hi = driver.total_interval
        line = (f"{driver.input}: total index {driver.total:.2f} [{lo:.2f}, {hi:.2f}], first "
                f"order {driver.first_order:.2f}")
        bar = swings.get(driver.input)
        if bar is not None:
            line += (f"; P10 -> P90 ({bar.low} -> {bar.high}) moves the score "
                     f"{fmt_score(bar.score_at_low)} -> {fmt_score(bar.score_at_high)}")
        hinges.append(line)
    out = [(f"How sure is the score ({u.samples:,} samples, seed {u.seed})", sure),
           ("What to diligence next", u.diligence)]
    if hinges:
        out.append(("What the score hinges on (Sobol indices; one-at-a-time P10 -> P90 swing)",
                    hinges))
    return out


def counterfactual_section(result: ScorecardResult) -> tuple[str, list[str]]:
    """The nearest single-input changes that move the verdict, nearest band first."""
    if not result.counterfactuals:
        return ("What would move the verdict",
                ["no single input, moved alone across its domain, changes the verdict"])
    return ("What would move the verdict (one input at a time, the rest at base case)",
            [f"{c.factor}: if {c.input} were {c.value} (now {c.now}), the verdict becomes "
             f"{c.verdict} ({fmt_score(c.score)})" for c in result.counterfactuals])
