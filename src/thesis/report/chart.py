"""A picture of how sure the score is: its distribution over the verdict bands, and the tornado.

Drawn with matplotlib (imported only when a chart is asked for) to a PNG or SVG file.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from thesis.report.document import describe_value
from thesis.result import Result, Uncertainty

if TYPE_CHECKING:
    from matplotlib.axes import Axes

BAND_SHADES = ["#eceff1", "#cfd8dc"]
"""Verdict bands alternate two neutral shades: whether high is good depends on the scorecard."""
SHOWN_BARS = 8


def render_chart(result: Result, fmt: str = "png") -> bytes:
    """The chart as PNG or SVG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    u = result.uncertainty
    if u is None:
        raise ValueError("a chart needs a Monte Carlo run (samples > 0)")
    figure = Figure(figsize=(12, 4.8), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=[1, 1.25])
    _distribution(left, result, u, list(result.verdict_floors.values()))
    _tornado(right, result, u)
    figure.suptitle(f"{result.subject.name}: {result.scorecard_title} - {result.score:.1f}, "
                    f"{result.verdict}"
                    f" ({u.samples:,} samples, seed {u.seed})", fontsize=11)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=110)
    return buffer.getvalue()


def _distribution(ax: Axes, result: Result, u: Uncertainty,
                  verdict_mins: list[float]) -> None:
    tops = [100.0, *verdict_mins[:-1]]
    labels = list(u.distribution.verdict_probabilities)
    for i, (low, high) in enumerate(zip(verdict_mins, tops, strict=True)):
        share = u.distribution.verdict_probabilities[labels[i]]
        ax.axvspan(low, high, color=BAND_SHADES[i % 2], lw=0)
        ax.text((low + high) / 2, 1.0, f"{labels[i]}\n{share:.0%}", ha="center", va="top",
                fontsize=7, transform=ax.get_xaxis_transform())
    width = 100 / len(u.distribution.histogram)
    edges = [i * width for i in range(len(u.distribution.histogram))]
    ax.bar(edges, u.distribution.histogram, width=width, align="edge", color="#37474f")
    d = u.distribution
    for value, style, name in [(d.p10, ":", "P10"), (d.p50, "--", "P50"), (d.p90, ":", "P90")]:
        ax.axvline(value, color="black", ls=style, lw=1, label=f"{name} {value:.1f}")
    ax.axvline(result.score, color="#1565c0", lw=1.5, label=f"base case {result.score:.1f}")
    ax.legend(loc="center left", fontsize=7, frameon=False)
    ax.set_xlim(0, 100)
    ax.set_ylim(0, max(d.histogram) * 1.25)
    ax.set_xlabel("score")
    ax.set_ylabel("samples")
    ax.set_title("How sure is the score", fontsize=10)


def _tornado(ax: Axes, result: Result, u: Uncertainty) -> None:
    bars = u.tornado[:SHOWN_BARS][::-1]
    for y, bar in enumerate(bars):
        low, high = sorted((bar.score_at_low, bar.score_at_high))
        ax.barh(y, high - low, left=low, color="#1565c0" if bar.score_at_high >= bar.score_at_low
                else "#c62828", height=0.6)
        given = result.given(bar.input)
        ax.text(high, y, f"  {describe_value(given, bar.low)} -> {describe_value(given, bar.high)}",
                va="center", fontsize=7)
    ax.set_yticks(range(len(bars)), [bar.input for bar in bars], fontsize=7)
    ax.axvline(u.base_score, color="black", lw=1)
    ax.use_sticky_edges = False
    ax.margins(x=0.3)
    ax.set_xlabel("score with one input at each end (P10 -> P90, no -> yes, worst -> best "
                  "choice; others at base case);\nblue: the score rises, red: it falls")
    ax.set_title("What the score hinges on", fontsize=10)
