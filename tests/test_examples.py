"""The shipped examples load, score, and rank the way the sources' archetypes should."""

from __future__ import annotations

import pytest

import thesis
from tests.conftest import EXAMPLES

COMPANIES = sorted((EXAMPLES / "companies").glob("*.yaml"))


@pytest.mark.parametrize("path", COMPANIES, ids=lambda p: p.stem)
def test_every_example_scores_and_says_what_it_illustrates(path) -> None:
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("Illustrates" in line for line in header), "each example says what it shows"
    result = thesis.score(thesis.load_company(path))
    assert 0 <= result.score <= 100


def score_of(name: str, card: str = "thesis") -> thesis.Result:
    return thesis.score(thesis.load_company(EXAMPLES / "companies" / f"{name}.yaml"), card)


def test_archetypes_rank_as_the_sources_argue() -> None:
    wrapper = score_of("promptly", "moat")
    vertical = score_of("casebook", "moat")
    leader = score_of("chorus", "moat")
    infra = score_of("tensorforge", "moat")
    assert wrapper.verdict == "no moat"
    assert vertical.verdict == "durable moat"
    assert leader.verdict == "durable moat"
    assert wrapper.score < infra.score < vertical.score
    assert infra.factor("application_strategies").status == "not_applicable"
    assert vertical.factor("technical_tradeoffs").status == "not_applicable"
