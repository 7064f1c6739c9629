"""The charts as a reader gets them: text that is text, labels that never collide, the same file
for the same seed, and Chinese names drawn as Chinese."""

from __future__ import annotations

import io
import itertools
import re
import warnings
from functools import cache
from typing import Any

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform
from PIL import Image

import thesis
from tests.conftest import EXAMPLES
from thesis.report.chart import (
    DPI,
    combined_figure,
    figure,
    figure_svg,
    font_families,
    render_chart,
)
from thesis.result import Result
from thesis.subjects import KINDS

SUBJECTS = sorted(path.relative_to(EXAMPLES).with_suffix("").as_posix()
                  for path in EXAMPLES.glob("*/*.yaml"))
FIGURES = ("distribution", "tornado", "cohorts")
CJK_NAME = "深度求索 (杭州)"


@cache
def scored(subject: str, samples: int = 512, seed: int = 0) -> Result:
    return thesis.score(thesis.load(EXAMPLES / f"{subject}.yaml"), samples=samples, seed=seed)


def drawn_texts(drawn: Figure) -> list[Text]:
    """Every piece of text the figure draws: visible, not empty, and for a tick label only
    where its tick lies inside the axis' view."""
    drawn.draw_without_rendering()
    ticks: set[int] = set()
    shown: list[Text] = []
    for ax in drawn.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks.update({id(tick.label1), id(tick.label2)})
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    shown += [tick.label1, tick.label2]
    shown += [t for t in drawn.findobj(Text) if id(t) not in ticks]
    return [t for t in dict.fromkeys(shown) if t.get_visible() and t.get_text().strip()]


def assert_readable(drawn: Figure) -> None:
    renderer = drawn.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = drawn_texts(drawn)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    page = drawn.bbox
    for text, box in boxes:
        assert page.x0 <= box.x0 and box.x1 <= page.x1, f"{text!r} leaves the figure sideways"
        assert page.y0 <= box.y0 and box.y1 <= page.y1, f"{text!r} leaves the figure"
    for (one, a), (other, b) in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"{one!r} overlaps {other!r}"


@pytest.mark.parametrize("subject", SUBJECTS)
def test_no_label_collides_or_leaves_the_figure(subject: str) -> None:
    result = scored(subject)
    for which in FIGURES:
        drawn = figure(result, which)
        if drawn is not None:
            assert_readable(drawn)
    assert_readable(combined_figure(result))


def test_the_collision_check_catches_an_overlap() -> None:
    drawn = figure(scored("companies/casebook"), "distribution")
    assert drawn is not None
    drawn.draw_without_rendering()
    label = drawn.axes[0].texts[0].get_window_extent(drawn.canvas.get_renderer())  # type: ignore[attr-defined]
    drawn.text(label.x0, label.y0, "on top of a band label", transform=IdentityTransform(),
               in_layout=False)
    with pytest.raises(AssertionError, match="overlaps"):
        assert_readable(drawn)


def test_distribution_shows_probability_zoomed_to_the_samples() -> None:
    result = scored("companies/casebook")
    drawn = figure(result, "distribution")
    assert drawn is not None
    ax = drawn.axes[0]
    assert "probability" in ax.get_ylabel()
    low, high = ax.get_xlim()
    assert (low, high) != (0, 100) and high - low <= 40
    d = result.uncertainty.distribution  # type: ignore[union-attr]
    assert low <= d.p10 and d.p90 <= high
    heights = [bar.get_height() for bar in ax.patches if bar.get_width() == 2.0]
    assert sum(heights) == pytest.approx(1.0)
    labels = [t.get_text() for t in drawn_texts(drawn)]
    bands = [label.split(":")[0] for label in labels if label.split(":")[0]
             in result.verdict_floors]
    assert bands == ["strong conviction", "promising"]  # each band in view, labelled once
    for name, value in [("P10", d.p10), ("P50", d.p50), ("P90", d.p90)]:
        assert f"{name} {value:.1f}" in labels


def test_tornado_asks_the_question_and_labels_both_ends() -> None:
    result = scored("companies/casebook")
    drawn = figure(result, "tornado")
    assert drawn is not None
    ax = drawn.axes[0]
    bars = result.uncertainty.tornado[:8][::-1]  # type: ignore[union-attr]
    questions = [t.get_text() for t in ax.get_yticklabels()]
    for bar, label in zip(bars, questions, strict=True):
        asked = KINDS["company"].question(bar.input)
        assert label.replace("\n", " ").rstrip(" …") in asked
        assert bar.input not in label
    ends = [t.get_text() for t in ax.texts]
    assert len(ends) == 2 * len(bars)
    assert {"no", "yes"} <= set(ends)
    assert "+150%" in ends  # revenue growth at its P10, in its unit
    legend = ax.get_legend()
    assert legend is not None
    assert not legend.get_window_extent().overlaps(ax.bbox)  # outside the bars


def test_cohorts_draw_the_fitted_projection() -> None:
    result = scored("companies/glowup")
    fit = result.retention
    drawn = figure(result, "cohorts")
    assert drawn is not None and fit is not None
    lines = {line.get_label(): line for line in drawn.axes[0].get_lines()}
    observed = lines[f"{fit.model} model fitted to the 3 cohorts"]
    projected = lines["its projection"]
    assert list(observed.get_ydata()) == fit.survival[:fit.last_month + 1]
    assert list(projected.get_ydata()) == fit.survival[fit.last_month:]
    assert list(projected.get_xdata())[-1] == 24
    assert "tourists" in drawn.axes[0].get_title(loc="left")
    labels = [t.get_text() for t in drawn_texts(drawn)]
    assert f"month 6: {fit.survival[6]:.1%} (scored)" in labels


def test_nothing_to_draw_is_none() -> None:
    base_only = scored("companies/casebook", samples=0)
    assert figure_svg(base_only, "distribution") is None
    assert figure_svg(base_only, "tornado") is None
    assert figure_svg(scored("markets/ai-2025"), "cohorts") is None
    assert figure_svg(scored("companies/tensorforge"), "cohorts") is None  # no cohorts given
    with pytest.raises(ValueError, match="Monte Carlo"):
        render_chart(base_only, "png")


@pytest.mark.parametrize("which", FIGURES)
def test_svg_is_an_inline_element_with_selectable_text(which: str) -> None:
    svg = figure_svg(scored("companies/glowup"), which)  # type: ignore[arg-type]
    assert svg is not None
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<text" in svg
    assert re.search(r"<text[^>]*>[^<]*GlowUp \(hypothetical\)", svg)
    assert "thesis 0" in svg or "thesis " in svg


def test_same_seed_same_bytes() -> None:
    def drawn(seed: int) -> str | None:
        company = thesis.load(EXAMPLES / "companies/casebook.yaml")
        return figure_svg(thesis.score(company, samples=256, seed=seed), "distribution")

    first = drawn(3)
    assert first is not None and drawn(3) == first
    assert drawn(4) != first


def test_png_is_drawn_at_slide_resolution() -> None:
    png = render_chart(scored("companies/casebook", 256), "png")
    image = Image.open(io.BytesIO(png))
    assert DPI >= 200
    assert min(image.info["dpi"]) >= 199.9
    assert image.width >= 3000


def test_the_users_matplotlib_settings_are_left_alone() -> None:
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    figure_svg(scored("companies/casebook", 256), "tornado")
    render_chart(scored("companies/casebook", 256), "png")
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend


def cjk(result: Result) -> Result:
    return result.model_copy(update={"subject": result.subject.model_copy(
        update={"name": CJK_NAME})})


def quietly_drawn(draw: Any) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught]


def test_a_chinese_name_is_text_and_draws_without_warnings(monkeypatch: Any) -> None:
    result = cjk(scored("companies/casebook", 256))
    svg = figure_svg(result, "distribution")
    assert svg is not None and CJK_NAME in svg
    assert quietly_drawn(lambda: render_chart(result, "png")) == []
    # as on a machine without a CJK font: boxes, but no warning on the terminal
    monkeypatch.setattr("thesis.report.chart.font_families", lambda: ("DejaVu Sans",))
    assert quietly_drawn(lambda: render_chart(result, "png")) == []


def test_a_chinese_name_is_drawn_in_a_cjk_font_when_one_is_installed(monkeypatch: Any) -> None:
    families = font_families()
    if len(families) < 2:
        pytest.skip("no CJK font installed (e.g. apt-get install fonts-noto-cjk)")
    cjk_font = FT2Font(findfont(FontProperties(family=families[1]), fallback_to_default=False))
    assert {ord(c) for c in CJK_NAME if ord(c) > 0x2E80} <= set(cjk_font.get_charmap())
    result = cjk(scored("companies/casebook", 256))

    def title_png() -> tuple[list[str], bytes]:
        drawn = figure(result, "distribution")
        assert drawn is not None
        title = next(t for t in drawn.findobj(Text) if CJK_NAME in t.get_text())
        png = io.BytesIO()
        drawn.savefig(png, format="png", dpi=60)
        return title.get_fontfamily(), png.getvalue()

    fonts, with_cjk = title_png()
    assert families[1] in fonts
    svg = figure_svg(result, "distribution")
    assert svg is not None and f"'{families[1]}'" in svg
    monkeypatch.setattr("thesis.report.chart.font_families", lambda: ("DejaVu Sans",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert title_png()[1] != with_cjk  # the glyphs, not boxes
