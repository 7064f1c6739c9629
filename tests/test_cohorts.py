"""Cohorts as a company gives them: short histories, degenerate curves and unknown sizes are
said, and reach the score only as far as they can be trusted."""

from __future__ import annotations

import pytest

import thesis
from thesis.models.company import RETENTION_6
from thesis.subjects import MIN_OBSERVED_MONTHS, input_space


def company(*cohorts: dict) -> thesis.Company:
    return thesis.Company.model_validate({
        "name": "C", "layer": "application", "segment": "smb_saas",
        "engagement": {"dau_mau": 0.3, "cohorts": [{"start": "2025-01", **c} for c in cohorts]}})


def markdown(result: thesis.Result) -> str:
    return thesis.render(result, thesis.Format.markdown)


def test_too_few_observed_months_leave_month_6_unscored_with_the_reason() -> None:
    short = company({"active": [1.0, 0.8, 0.7][:MIN_OBSERVED_MONTHS]})
    result = thesis.score(short, "revenue", samples=0)
    assert result.retention is not None
    assert result.retention.not_assessed.startswith("only 2 observed month(s)")
    assert RETENTION_6 not in input_space(short).inputs
    # the fit is not scored: the segment's prior stands in for month-6 retention
    assert result.factor("retention_smb_saas").criteria[0].status == "prior"
    text = markdown(result)
    assert "month-6 survival not scored: only 2 observed month(s)" in text
    assert "Month-6 cohort retention: only 2 observed month(s)" in text


def test_a_short_history_is_scored_and_says_it_is_extrapolated() -> None:
    result = thesis.score(company({"active": [1.0, 0.8, 0.72, 0.68, 0.66]}), "revenue",
                          samples=0)
    assert result.retention is not None and result.retention.extrapolated
    assert not result.retention.not_assessed
    assert "extrapolated from 4 observed months" in markdown(result)
    assert "cohort size not given: 1,000 customers assumed" in markdown(result)


def test_a_cohort_that_vanished_reads_retention_near_zero_not_a_durable_core() -> None:
    # the audit's case: 235 customers, one left after month 1, none after
    gone = company({"active": [1.0, 1 / 235, 0, 0, 0, 0, 0], "size": 235})
    fitted = input_space(gone).inputs[RETENTION_6]
    assert fitted.base() == pytest.approx(0.0, abs=1e-3)
    result = thesis.score(gone, "revenue", samples=0)
    assert result.retention is not None
    assert result.retention.kind == "tourists"
    assert result.retention.degenerate
    assert result.retention.survival_24_interval is None
    assert result.retention.log_likelihood <= 0


def test_a_given_size_reaches_the_interval() -> None:
    curve = [1.0, 0.8, 0.7, 0.65, 0.62, 0.6, 0.59, 0.585]
    small = thesis.score(company({"active": curve, "size": 100}), "revenue", samples=0)
    large = thesis.score(company({"active": curve, "size": 100_000}), "revenue", samples=0)
    assert small.retention is not None and large.retention is not None
    assert small.retention.assumed_size is None
    (a, b), (c, d) = small.retention.survival_24_interval, large.retention.survival_24_interval
    assert (d - c) < (b - a) / 10  # 1,000 times the customers: ~sqrt(1000) = 32x narrower
    assert "customers assumed" not in markdown(small)


def test_the_report_names_the_model_the_cohorts_support() -> None:
    result = thesis.score(thesis.load_company("examples/companies/casebook.yaml"), "revenue",
                          samples=0)
    assert result.retention is not None
    assert result.retention.model_choice.startswith(result.retention.model)
    assert f"model: {result.retention.model_choice}" in markdown(result)
