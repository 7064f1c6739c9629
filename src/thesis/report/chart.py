"""Charts to put on a slide or in a memo: how sure the score is, what it hinges on, and how the
cohorts hold up.

Each figure is drawn by one function onto a matplotlib `Axes`, so the single figures
(`figure_svg`, inlined in the HTML memo) and the combined chart of `thesis score --chart`
(`render_chart`) are the same drawing. matplotlib is imported only when a chart is asked for,
and its settings (fonts with a CJK fallback, SVG text kept as text, fixed SVG ids) live in an
`rc_context`, so a notebook's own settings are left as they were.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import textwrap
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

from thesis.engine.space import compact
from thesis.report.document import describe_value, fmt_score, sample_note
from thesis.result import Result, RetentionFit, TornadoBar, Uncertainty
from thesis.subjects import HORIZON, KINDS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Annotation, Text
    from matplotlib.transforms import Bbox
    from matplotlib.typing import RcKeyType

Which = Literal["distribution", "tornado", "cohorts"]

DPI = 200
"""PNG resolution: sharp when a slide is projected or printed."""
SINGLE_SIZE = (9.6, 5.4)
COMBINED_SIZE = (17.0, 6.2)
"""Inches, 16:9 for one figure; the combined chart puts two of them side by side."""
SHOWN_BARS = 8
LABEL_WIDTH = 46
LABEL_LINES = 2
"""A tornado bar's question is wrapped to this many characters a line, and cut after this
many lines: the question should fit beside its bar, not push the bars off the slide."""

TEXT_FAMILY = "DejaVu Sans"
"""Ships with matplotlib, so every machine draws Latin text alike."""
CJK_FAMILIES = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Source Han Sans",
                "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                "Droid Sans Fallback")
"""Fonts with Chinese, Japanese and Korean glyphs, the first installed one used for the glyphs
the text font lacks (a company named in Chinese, the sources' own words)."""

INK = "#263238"
SAMPLES = "#8da2b5"
MUTED = "#607d8b"
BAND_SHADES = ("#f3f5f7", "#dfe5ea")
"""Verdict bands alternate two neutral shades: whether high is good depends on the scorecard."""
LOW_END = "#c5532f"
HIGH_END = "#2f6fb0"
BASE_CASE = "#1a237e"
GAP_PT = 3.0
"""Space between a label and what it labels, or between two labels, in points."""


def figure_svg(result: Result, which: Which) -> str | None:
    """One figure as an `<svg>` element to inline in a page (no XML declaration), its text kept
    as text; None when there is nothing to draw (no Monte Carlo sample, or no cohorts)."""
    drawn = figure(result, which)
    if drawn is None:
        return None
    svg = _save(drawn, "svg").decode("utf-8")
    return _own_ids(svg[svg.index("<svg"):], which)


_ID_OR_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _own_ids(svg: str, prefix: str) -> str:
    """The figure's element ids, and every reference to them, prefixed: matplotlib names the
    groups of every figure alike (`figure_1`, `patch_1`), and ids must be unique in a page that
    inlines several figures."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    return _ID_OR_REFERENCE.sub(
        lambda m: f"{m[1]}{prefix}-{m[2]}" if m[2] in ids else m[0], svg)


def render_chart(result: Result, fmt: str = "png") -> bytes:
    """The score's distribution and its tornado side by side, as PNG or SVG bytes (what
    `thesis score --chart` writes)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"a chart is drawn as png or svg, not {fmt}")
    return _save(combined_figure(result), fmt)


def combined_figure(result: Result) -> Figure:
    """The distribution and the tornado (when an input moves the score) in one figure, laid
    out and ready to save."""
    u = _sampled(result)
    if u is None:
        raise ValueError("a chart needs a Monte Carlo run (samples > 0)")
    with _style():
        drawn = _figure(result, COMBINED_SIZE if u.tornado else SINGLE_SIZE, "combined")
        if not u.tornado:
            _draw_distribution(drawn.subplots(), result, u)
            return drawn
        left, right = drawn.subplots(1, 2, width_ratios=[1, 1.15])
        _draw_distribution(left, result, u)
        _draw_tornado(right, result, u)
    return drawn


def figure(result: Result, which: Which) -> Figure | None:
    """One figure, laid out and ready to save; None when there is nothing to draw."""
    u = _sampled(result)
    with _style():
        if which == "cohorts":
            if result.retention is None:
                return None
            drawn = _figure(result, SINGLE_SIZE, which)
            _draw_cohorts(drawn.subplots(), result.retention)
            return drawn
        if u is None or (which == "tornado" and not u.tornado):
            return None
        drawn = _figure(result, SINGLE_SIZE, which)
        draw = _draw_distribution if which == "distribution" else _draw_tornado
        draw(drawn.subplots(), result, u)
        return drawn


def _sampled(result: Result) -> Uncertainty | None:
    """The Monte Carlo run to draw, if there is one."""
    u = result.uncertainty
    return u if u is not None and u.samples > 0 and sum(u.distribution.histogram) > 0 else None


@functools.cache
def font_families() -> tuple[str, ...]:
    """The text font, then the first CJK font installed (if any) for the glyphs it lacks."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return (TEXT_FAMILY, *[name for name in CJK_FAMILIES if name in installed][:1])


@contextlib.contextmanager
def _style() -> Iterator[None]:
    """The charts' settings, for drawing and saving only. Each text names `font_families`
    itself (so a figure draws alike wherever it is saved), then the generic sans-serif, which an
    SVG passes on to a browser that has neither. Without a CJK font a missing glyph is drawn as
    a box; its warning is not for an investor's terminal."""
    import matplotlib

    settings: dict[RcKeyType, Any] = {
        "font.family": [*font_families(), "sans-serif"], "font.sans-serif": [TEXT_FAMILY],
        "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
        "axes.titlelocation": "left", "axes.labelcolor": INK, "axes.edgecolor": MUTED,
        "axes.spines.top": False, "axes.spines.right": False, "xtick.color": MUTED,
        "ytick.color": MUTED, "xtick.labelcolor": INK, "ytick.labelcolor": INK,
        "text.color": INK, "legend.frameon": False, "svg.fonttype": "none",
    }
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from")
        yield


def _figure(result: Result, size: tuple[float, float], label: str) -> Figure:
    """An empty figure titled with the subject, its score and verdict, and captioned with the
    sample, seed and version that produced it. Its label names its SVG ids apart from another
    figure's, for pages that inline several."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    drawn = Figure(figsize=size, layout="constrained")
    drawn.set_label(label)
    FigureCanvasAgg(drawn)
    title = drawn.suptitle(f"{result.subject.name}: {result.scorecard_title} "
                           f"{fmt_score(result.score)} / 100, {result.verdict}",
                           x=0.01, ha="left", fontsize=13)
    _wrap_within(title, drawn.bbox.width * 0.98, _renderer(drawn))
    u = result.uncertainty
    sample = "base case only" if u is None else f"{sample_note(u)}, seed {u.seed}"
    drawn.supxlabel(f"{sample}; thesis {result.provenance.thesis_version}", x=0.99, ha="right",
                    fontsize=8, color=MUTED)
    return drawn


def _wrap_within(text: Text, width: float, renderer: RendererAgg) -> None:
    """Wrap a text onto more lines until it is no wider than `width` pixels."""
    words = text.get_text()
    columns = len(words)
    while text.get_window_extent(renderer).width > width and columns > 20:
        columns = int(columns * 0.9)
        text.set_text(textwrap.fill(words, columns))


def _save(drawn: Figure, fmt: str) -> bytes:
    """The figure's bytes: PNG at `DPI`, or SVG without a date, so a seed gives the same file."""
    import matplotlib

    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with _style(), matplotlib.rc_context({"svg.hashsalt": f"thesis {drawn.get_label()}"}):
        drawn.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def _draw_distribution(ax: Axes, result: Result, u: Uncertainty) -> None:
    """The score's histogram as probabilities, zoomed to where the samples fall, over the
    verdict bands (each with the chance the score lands in it) and the P10, P50, P90 and base
    case marked."""
    from matplotlib.ticker import MaxNLocator

    d = u.distribution
    total = sum(d.histogram)
    width = 100 / len(d.histogram)
    low, high = _window(d.histogram, [d.p10, d.p90, result.score], result.verdict_floors)
    bands: list[Annotation] = []
    tops = [100.0, *result.verdict_floors.values()]
    for i, (band, floor) in enumerate(result.verdict_floors.items()):
        start, end = max(floor, low), min(tops[i], high)
        if start >= end:
            continue
        ax.axvspan(start, end, color=BAND_SHADES[i % 2], lw=0, zorder=0)
        share = d.verdict_probabilities.get(band, 0.0)
        bands.append(ax.annotate(f"{band}: {share:.0%}", ((start + end) / 2, 1.0),
                                 xycoords=ax.get_xaxis_transform(), xytext=(0, GAP_PT),
                                 textcoords="offset points", ha="center", va="bottom",
                                 fontsize=9, color=INK))
    probabilities = [count / total for count in d.histogram]
    ax.bar([i * width for i in range(len(probabilities))], probabilities, width=width,
           align="edge", color=SAMPLES, edgecolor="white", lw=0.5, zorder=2)
    peak = max(probabilities)
    markers: list[Annotation] = []
    for value, name, color, style in [(d.p10, "P10", INK, ":"), (d.p50, "P50", INK, "--"),
                                      (d.p90, "P90", INK, ":"),
                                      (result.score, "base case", BASE_CASE, "-")]:
        ax.plot([value, value], [0, peak * 1.04], color=color, ls=style, lw=1.4, zorder=3)
        markers.append(ax.annotate(f"{name} {fmt_score(value)}", (value, peak * 1.04),
                                   xytext=(0, GAP_PT), textcoords="offset points",
                                   ha="center", va="bottom", fontsize=9, color=color))
    ax.set_xlim(low, high)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10], integer=True))
    ax.set_ylim(0, peak * 1.3)
    _percent_axis(ax)
    ax.set_ylabel(f"probability (per {width:g}-point bin)")
    ax.set_xlabel("bubble score" if result.subject.kind == "market" else "score")
    renderer = _laid_out(ax)
    _separate(bands, renderer, ax.bbox)
    _separate(markers, renderer, ax.bbox)
    _headroom(ax, markers, renderer)
    _title_above(ax, "How sure is the score: the chance of each verdict", bands, renderer)


def _percent_axis(ax: Axes) -> None:
    """The y-axis in percent, at round steps (2%, 5%, 10%), never rounded to a wrong label."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda share, _: f"{share * 100:g}%"))


def _percents(*shares: float) -> list[str]:
    """Shares as percentages, with as many decimals (up to two) as it takes for a share under
    10% to keep a digit and for neighbours to read apart."""
    for digits in (0, 1, 2):
        texts = [f"{share:.{digits}%}" for share in shares]
        small = digits == 0 and any(abs(share) < 0.095 for share in shares)
        if not small and len(set(texts)) == len(set(shares)):
            break
    return texts


MARGIN = 3.0
SNAP = 5.0
MIN_WINDOW = 20.0
"""Score points: the least margin around the samples, how near a band's edge must be to be
shown whole, and the narrowest range drawn (a near-certain score is not magnified)."""


def _window(histogram: list[int], marks: list[float],
            floors: dict[str, float]) -> tuple[float, float]:
    """The score range to show: where samples fall and the marks are, with a margin, widened
    to a band's edge when one is near, and never narrower than `MIN_WINDOW`."""
    width = 100 / len(histogram)
    filled = [i for i, count in enumerate(histogram) if count]
    low = min(filled[0] * width, *marks)
    high = max((filled[-1] + 1) * width, *marks)
    margin = max(MARGIN, (high - low) * 0.15)
    low, high = low - margin, high + margin
    for edge in floors.values():
        if low - SNAP <= edge < low:
            low = edge
        if high < edge <= high + SNAP:
            high = edge
    if high - low < MIN_WINDOW:
        middle = (low + high) / 2
        low, high = middle - MIN_WINDOW / 2, middle + MIN_WINDOW / 2
    shift = max(0.0, -low) - max(0.0, high - 100.0)
    return max(0.0, low + shift), min(100.0, high + shift)


def _draw_tornado(ax: Axes, result: Result, u: Uncertainty) -> None:
    """One bar per input, largest swing at the top, labelled with the question it answers:
    the score with the input at its low end and at its high end, the others at the base
    case, each end labelled with the input's value there."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    bars = u.tornado[:SHOWN_BARS][::-1]
    ends: list[Text] = []
    for y, bar in enumerate(bars):
        for score, color in [(bar.score_at_low, LOW_END), (bar.score_at_high, HIGH_END)]:
            ax.barh(y, score - u.base_score, left=u.base_score, color=color, height=0.62)
        (left, left_value), (right, right_value) = sorted(
            [(bar.score_at_low, bar.low), (bar.score_at_high, bar.high)])
        for score, value, side in [(left, left_value, "right"), (right, right_value, "left")]:
            offset = -GAP_PT if side == "right" else GAP_PT
            ends.append(ax.annotate(_value_text(result, bar, value), (score, y),
                                    xytext=(offset, 0), textcoords="offset points", ha=side,
                                    va="center", fontsize=9))
    ax.set_yticks(range(len(bars)), [_question(result, bar.input) for bar in bars],
                  fontsize=9)
    ax.tick_params(axis="y", length=0)
    ax.axvline(u.base_score, color=BASE_CASE, lw=1.2)
    ax.set_ylim(-0.6, len(bars) - 0.4)
    ax.set_xlabel("score with this one input at each end, every other at its base case")
    handles = [Patch(color=LOW_END, label="input at its low end: P10, no, worst choice"),
               Patch(color=HIGH_END, label="at its high end: P90, yes, best choice"),
               Line2D([], [], color=BASE_CASE, label=f"base case {fmt_score(u.base_score)}")]
    legend = _legend_above(ax, handles)
    renderer = _laid_out(ax)
    _fit_labels(ax, ends, renderer)
    _title_above(ax, "What the score hinges on", [legend], renderer)


def _question(result: Result, path: str) -> str:
    """The question an input answers, wrapped to sit beside its bar."""
    question = KINDS[result.subject.kind].question(path)
    lines = textwrap.wrap(question, LABEL_WIDTH)
    if len(lines) > LABEL_LINES:
        lines = [*lines[:LABEL_LINES - 1], textwrap.shorten(
            " ".join(lines[LABEL_LINES - 1:]), LABEL_WIDTH, placeholder=" …")]
    return "\n".join(lines)


def _value_text(result: Result, bar: TornadoBar, value: float) -> str:
    """An input's value at one end of its swing, in its unit: US$ for money, a percentage for
    a share or a growth rate, yes or no, or the choice's name."""
    given = result.given(bar.input)
    if given is None or given.kind != "number":
        return describe_value(given, value).replace("_", " ")
    return _unit(result, bar.input)(value)


def _unit(result: Result, path: str) -> Callable[[float], str]:
    """How to write a number of this input, by the models' unit convention: money in US
    dollars (`_usd`), shares and rates as fractions of 1, growth as a fraction a year."""
    domain = KINDS[result.subject.kind].catalogue().get(path)
    if path.endswith("_usd"):
        return lambda value: f"US${compact(value)}"
    if domain is not None and domain.low >= -1.0 and domain.high <= 1.0:
        return lambda value: f"{compact(value * 100)}%"
    if domain is not None and domain.low == -1.0:
        return lambda value: f"{'+' if value >= 0 else ''}{compact(value * 100)}%"
    return compact


def _fit_labels(ax: Axes, labels: list[Text], renderer: RendererAgg) -> None:
    """Widen the x-range until every label at a bar's end lies inside the axes."""
    for _ in range(4):
        low, high = ax.get_xlim()
        span = ax.bbox.width
        over_left = max([0.0, *(ax.bbox.x0 - t.get_window_extent(renderer).x0 for t in labels)])
        over_right = max([0.0, *(t.get_window_extent(renderer).x1 - ax.bbox.x1 for t in labels)])
        if over_left <= 0 and over_right <= 0:
            return
        per_pixel = (high - low) / span
        ax.set_xlim(low - over_left * per_pixel * 1.15, high + over_right * per_pixel * 1.15)
        renderer = _laid_out(ax)


def _draw_cohorts(ax: Axes, fit: RetentionFit) -> None:
    """The share of a starting cohort still active, month by month: each cohort as given, and
    the fitted model's projection to month 24, with month 6 (the scored month) and month 24
    marked."""
    months = list(range(len(fit.survival)))
    horizon = months[-1]
    seen = fit.last_month
    ax.axvspan(0, seen, color=BAND_SHADES[0], lw=0, zorder=0)
    cohorts = f"{fit.cohorts} cohort{'s' if fit.cohorts > 1 else ''}"
    ax.plot(months[:seen + 1], fit.survival[:seen + 1], color=INK, lw=2.2,
            label=f"{fit.model} model fitted to the {cohorts}")
    ax.plot(months[seen:], fit.survival[seen:], color=INK, lw=2.2, ls="--",
            label="its projection")
    for i, cohort in enumerate(fit.observed):
        ax.plot(range(len(cohort.active)), cohort.active, "o-", color=HIGH_END, lw=1, ms=4,
                alpha=0.8, zorder=3, label="_" if i else "each cohort as given")
    marks: list[Annotation] = [ax.annotate(
        f"observed to month {seen}", (seen / 2, 1.0), xycoords=ax.get_xaxis_transform(),
        xytext=(0, -GAP_PT), textcoords="offset points", ha="center", va="top", fontsize=9,
        color=MUTED)]
    for month, side in [(HORIZON, "left"), (horizon, "right")]:
        share = fit.survival[month]
        ax.plot([month], [share], "o", color=BASE_CASE, ms=6, zorder=4)
        text = f"month {month}: {_percents(share)[0]}"
        if month == HORIZON:
            text += " (not scored)" if fit.not_assessed else " (scored)"
        elif fit.survival_24_interval is not None:
            low, high = fit.survival_24_interval
            ax.plot([month, month], [low, high], color=BASE_CASE, lw=1.4)
            text += " (80% interval {}-{})".format(*_percents(low, high))
        # above the curve and away from where it came from: a falling curve leaves it clear
        away = 3 * GAP_PT if side == "left" else -3 * GAP_PT
        marks.append(ax.annotate(text, (month, share), xytext=(away, 4 * GAP_PT),
                                 textcoords="offset points", ha=side, va="bottom",
                                 fontsize=9, color=BASE_CASE))
    ax.set_xlim(0, horizon + 0.5)
    ax.set_ylim(0, 1.05)
    _percent_axis(ax)
    ax.set_xlabel("months since the cohort started")
    ax.set_ylabel("share of a starting cohort still active")
    legend = _legend_above(ax, ax.get_legend_handles_labels()[0])
    renderer = _laid_out(ax)
    _separate(marks, renderer, ax.bbox)
    _title_above(ax, f"Do customers stay? Cohorts read as {fit.kind}", [legend], renderer)


def _legend_above(ax: Axes, handles: list[Any]) -> Legend:
    """A legend in two columns just above the axes, clear of what they show; the title goes
    above it (`_title_above`), so the layout need not make room for it sideways."""
    legend = ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2,
                       fontsize=9, borderaxespad=0.2, handlelength=1.4, columnspacing=1.5)
    legend.set_in_layout(False)
    return legend


def _laid_out(ax: Axes) -> RendererAgg:
    """Run the figure's layout, so that text extents are where they will be drawn."""
    drawn = ax.get_figure(root=True)
    assert drawn is not None
    drawn.draw_without_rendering()
    return _renderer(drawn)


def _renderer(drawn: Figure) -> RendererAgg:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = drawn.canvas
    assert isinstance(canvas, FigureCanvasAgg)  # `_figure` gives every figure one
    renderer: RendererAgg = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def _separate(labels: list[Annotation], renderer: RendererAgg, inside: Bbox) -> None:
    """Move each label sideways into `inside`, then away from its anchor a row at a time
    until it overlaps no label placed before it."""
    placed: list[Bbox] = []
    to_points = 72 / renderer.dpi
    for label in labels:
        box = label.get_window_extent(renderer)
        sideways = max(0.0, inside.x0 - box.x0) + min(0.0, inside.x1 - box.x1)
        x, y = label.xyann
        away = 1.0 if label.get_verticalalignment() == "bottom" else -1.0
        step = (box.height * to_points + GAP_PT) * away
        label.xyann = (x + sideways * to_points, y)
        while any(label.get_window_extent(renderer).overlaps(other) for other in placed):
            y += step
            label.xyann = (x + sideways * to_points, y)
        placed.append(label.get_window_extent(renderer).padded(GAP_PT / to_points / 2))


def _headroom(ax: Axes, labels: list[Annotation], renderer: RendererAgg) -> None:
    """Raise the y-range so the labels above the bars stay inside the axes: the labels' anchor
    (one height for all) is moved down to where their tallest stack fits under the top."""
    anchor = labels[0].xy[1]
    anchor_y = ax.transData.transform((0.0, anchor))[1]
    above = max(label.get_window_extent(renderer).y1 for label in labels) - anchor_y
    room = ax.bbox.height - above - GAP_PT * renderer.dpi / 72
    ax.set_ylim(0, anchor * ax.bbox.height / max(room, ax.bbox.height / 4))
    _laid_out(ax)


def _title_above(ax: Axes, title: str, below: list[Any], renderer: RendererAgg) -> None:
    """The axes' title, clear of the labels and legend drawn above the axes."""
    tops = [artist.get_window_extent(renderer).y1 for artist in below]
    pad = max([0.0, *(top - ax.bbox.y1 for top in tops)]) * 72 / renderer.dpi
    ax.set_title(title, pad=pad + 2 * GAP_PT)
