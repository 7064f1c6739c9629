"""Distributions against scipy.stats's independent implementations, and their validation."""

from __future__ import annotations

from typing import Annotated

import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict, ValidationError
from scipy import stats

from thesis.models.distributions import (
    Beta,
    Categorical,
    Choices,
    Distribution,
    Domain,
    Evidence,
    LogNormal,
    Normal,
    Point,
    Rate,
    Triangular,
    Uniform,
)

U = np.linspace(0.001, 0.999, 101)


class Holder(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rate: Rate | None = None
    anything: Annotated[Distribution, Domain()] | None = None
    evidence: Evidence | None = None
    pricing: Annotated[Categorical, Choices("seat", "usage", "outcome")] | None = None
    beta: Rate | None = None  # a field named like a shape keeps its name in error paths


@pytest.mark.parametrize(
    ("dist", "reference"),
    [
        (Uniform(low=2, high=5), stats.uniform(2, 3)),
        (Triangular(low=1, mode=2, high=6), stats.triang(c=0.2, loc=1, scale=5)),
        (Normal(mean=3, sd=2), stats.norm(3, 2)),
        (LogNormal(p10=10, p90=40),
         stats.lognorm(s=np.log(4) / (2 * 1.2815515655446004), scale=20)),
        (Beta(alpha=2, beta=5), stats.beta(2, 5)),
        (Beta(alpha=2, beta=5, low=10, high=20), stats.beta(2, 5, loc=10, scale=10)),
    ],
)
def test_inverse_cdf_matches_scipy(dist, reference) -> None:
    np.testing.assert_allclose(dist.ppf(U), reference.ppf(U), rtol=1e-9, atol=1e-12)
    assert dist.median() == pytest.approx(reference.median())


def test_lognormal_hits_its_stated_percentiles() -> None:
    d = LogNormal(p10=2e6, p90=8e6)
    assert d.ppf(np.array([0.1, 0.9])) == pytest.approx([2e6, 8e6])


def test_normal_is_truncated_to_the_field_domain() -> None:
    rate = Holder(rate={"mean": 0.9, "sd": 0.2}).rate
    reference = stats.truncnorm((0 - 0.9) / 0.2, (1 - 0.9) / 0.2, loc=0.9, scale=0.2)
    np.testing.assert_allclose(rate.ppf(U), reference.ppf(U), rtol=1e-7)
    assert rate.ppf(U).max() <= 1.0


def test_points_are_degenerate_distributions() -> None:
    held = Holder(rate=0.4).rate
    assert isinstance(held, Point)
    assert held.value == 0.4
    assert held.domain == (0.0, 1.0)
    assert np.all(held.ppf(U) == 0.4)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"rate": 1.2}, "must lie in [0, 1]"),
        ({"rate": {"low": 0.5, "high": 1.5}}, "must lie in [0, 1]"),
        ({"rate": {"low": 0.5}}, "expected a number or a distribution"),
        ({"rate": "high"}, "expected a number or a distribution"),
        ({"rate": True}, "expected a number or a distribution"),
        ({"anything": {"low": 3, "high": 1}}, "low (3) must not exceed high (1)"),
        ({"anything": {"low": 1, "mode": 5, "high": 3}}, "needs low <= mode <= high"),
        ({"anything": {"mean": 1, "sd": -1}}, "greater than or equal to 0"),
        ({"anything": {"p10": 5, "p90": 1}}, "needs p10 <= p90"),
        ({"anything": {"p10": 0, "p90": 1}}, "greater than 0"),
        ({"anything": {"mean": float("nan"), "sd": 1}}, "finite number"),
        ({"evidence": 1.5}, "probability in [0, 1]"),
        ({"evidence": "maybe"}, "probability in [0, 1]"),
        ({"pricing": "seats"}, "unknown choice 'seats'"),
        ({"pricing": {"seat": 0.5, "outcome": 0.4}}, "sum to 0.9"),
    ],
)
def test_invalid_values_are_refused(value, message) -> None:
    with pytest.raises(ValidationError) as info:
        Holder(**value)
    assert message in str(info.value)


def test_evidence_and_categories() -> None:
    held = Holder(evidence=True, pricing={"outcome": 0.7, "seat": 0.3})
    assert held.evidence == 1.0
    assert held.pricing.base_case == "outcome"
    assert held.pricing.choices == ("seat", "usage", "outcome")
