"""The sBG model against Fader & Hardie's worked example, and cohorts as a company gives them."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import thesis
from tests.conftest import EXAMPLES
from thesis.cli import app
from thesis.engine.retention import Cohort, as_cohort, fit_sbg, log_likelihood, read
from thesis.report.document import rows

# Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1):
# survival (% of the 1,000 customers who started in year 0) for years 0-7, the fitted
# parameters, and the observed holdout years 8-12.
REGULAR = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]
HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1]
REGULAR_HOLDOUT = [22.3, 20.7, 19.4, 18.3, 17.3]
HIGH_END_HOLDOUT = [46.8, 44.5, 42.7, 40.9, 39.4]


@pytest.mark.parametrize(("curve", "alpha", "beta"),
                         [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)])
def test_the_papers_parameters_are_reproduced(curve, alpha, beta) -> None:
    fit = fit_sbg(curve)
    assert fit.alpha == pytest.approx(alpha, abs=0.005)
    assert fit.beta == pytest.approx(beta, abs=0.005)


@pytest.mark.parametrize(("curve", "holdout", "tolerance"),
                         [(REGULAR, REGULAR_HOLDOUT, 0.5), (HIGH_END, HIGH_END_HOLDOUT, 2.0)])
def test_projections_track_the_papers_holdout(curve, holdout, tolerance) -> None:
    # the paper's own sBG projections run slightly under the high-end holdout, as ours do
    projected = 100 * fit_sbg(curve).survival(np.arange(8, 13))
    np.testing.assert_allclose(projected, holdout, atol=tolerance)


def test_shares_and_percentages_fit_alike() -> None:
    shares = fit_sbg([x / 100 for x in REGULAR])
    percentages = fit_sbg(REGULAR)
    assert shares.alpha == pytest.approx(percentages.alpha, rel=1e-6)


def test_the_maximum_is_a_maximum() -> None:
    fit = fit_sbg(REGULAR)
    cohort = [as_cohort(REGULAR)]
    best = float(log_likelihood(fit.alpha, fit.beta, cohort))
    assert best == pytest.approx(fit.log_likelihood)
    for da, db in [(0.02, 0), (-0.02, 0), (0, 0.05), (0, -0.05)]:
        assert float(log_likelihood(fit.alpha + da, fit.beta + db, cohort)) < best


def test_retention_rates_rise_and_survival_is_their_product() -> None:
    fit = fit_sbg(HIGH_END)
    rates = fit.retention_rate(np.arange(1, 13))
    assert np.all(np.diff(rates) > 0)
    np.testing.assert_allclose(np.cumprod(rates), fit.survival(np.arange(1, 13)), rtol=1e-10)


def test_derl_equals_its_defining_sum() -> None:
    # DERL(d | n-1 renewals) = sum_{t>=n} S(t)/S(n-1) / (1+d)^(t-n)  (Fader & Hardie 2010)
    fit = fit_sbg(REGULAR)
    for renewals in (1, 3):
        t = np.arange(renewals, 4000)
        direct = np.sum(fit.survival(t) / fit.survival(renewals - 1) / 1.1 ** (t - renewals))
        assert fit.derl(0.1, renewals) == pytest.approx(direct, rel=1e-9)


def test_pooled_cohorts_of_different_lengths() -> None:
    # a long cohort and a short one drawn from the same curve estimate the same curve
    long = as_cohort(REGULAR)
    short = as_cohort(REGULAR[:4])
    both = fit_sbg([long, short])
    alone = fit_sbg([long])
    assert both.alpha == pytest.approx(alone.alpha, rel=0.1)
    assert both.beta == pytest.approx(alone.beta, rel=0.1)
    # more customers, narrower interval
    wide = alone.survival_interval(24)
    narrow = fit_sbg([Cohort(long.survival, size=10_000)]).survival_interval(24)
    assert narrow[1] - narrow[0] < wide[1] - wide[0]


def test_readings() -> None:
    flat = read(fit_sbg([1.0, 0.82, 0.74, 0.71, 0.70, 0.69, 0.685, 0.68]))
    assert flat.kind == "durable core"
    tourists = read(fit_sbg([1.0, 0.4, 0.2, 0.12, 0.08, 0.06, 0.045]))
    assert tourists.kind == "tourists"
    assert tourists.survival_24 < 0.10 <= 0.25 <= flat.survival_24


@pytest.mark.parametrize("curve", [[1.0], [1.0, 1.2], [1.0, 0.5, 0.6], [0, 0.5]])
def test_bad_curves_are_refused(curve) -> None:
    with pytest.raises(ValueError):
        as_cohort(curve)


runner = CliRunner()


@pytest.mark.parametrize(
    ("active", "message"),
    [
        ("[1.0, 0.8, 0.85]", "rises from 0.8 to 0.85 at month 2: a survival curve never rises"),
        ("[1.0, 1.4, 0.9]", "1.4 at month 1 is above 1: give shares in [0, 1] or percentages"),
        ("[0.9, 0.8]", "starts with the whole cohort: 1, not 0.9"),
        ("[]", "needs at least months 0 and 1"),
        ("[100, 120, 80]", "rises from 100 to 120 at month 1"),
        ("[1.0, -0.2]", "shares lie in [0, 1], percentages in [0, 100]"),
    ],
)
def test_bad_cohorts_in_a_company_file_are_located(tmp_path, active: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nlayer: application\nengagement:\n  cohorts:\n"
                   f"    - start: 2025-01\n      active: {active}\n")
    result = runner.invoke(app, ["score", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:6:7: engagement.cohorts[0].active: ")
    assert message in result.stderr


def score_of(name: str) -> thesis.Result:
    return thesis.score(thesis.load_company(EXAMPLES / "companies" / f"{name}.yaml"), samples=512)


def test_the_contrasting_examples_get_opposite_verdicts_for_visible_reasons() -> None:
    vibe, real = score_of("glowup"), score_of("ledgerline")
    [vibe_revenue] = [f for f in vibe.factors if f.id == "revenue_quality"]
    [real_revenue] = [f for f in real.factors if f.id == "revenue_quality"]
    assert vibe_revenue.verdict == "vibe revenue"
    assert real_revenue.verdict == "real revenue"
    assert vibe.retention is not None and vibe.retention.kind == "tourists"
    assert real.retention is not None and real.retention.kind == "durable core"
    # the reading is in the evidence a reader sees beside the retention criterion
    [retention] = [f for f in real_revenue.factors if f.score is not None and
                   f.id.startswith("retention_")]
    given = real.given(retention.criteria[0].input)
    assert given is not None and given.fitted
    [row] = [r for r in rows(real) if r.label == retention.criteria[0].question]
    assert "durable core" in row.given  # the reading beside the criterion it feeds
    assert len(real.retention.survival) == 25


def test_the_cli_shows_the_cohort_reading() -> None:
    result = runner.invoke(app, ["score", str(EXAMPLES / "companies" / "ledgerline.yaml"),
                                 "--samples", "256"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0
    assert "cohorts flatten at ~78% by month 12" in result.stdout
    assert "real revenue" in result.stdout
