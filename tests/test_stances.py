"""The sources' stances: read at the base case and over the Monte Carlo samples, for companies
and markets; disagreements that split on a subject; `thesis positions` lists them with their
citations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import thesis
import thesis.run
from tests.conftest import EXAMPLES
from tests.test_cli import run
from thesis.files.validate import validate
from thesis.files.yaml import parse
from thesis.models.positions import Positions

TWO_SIDES = """\
subject: company
scorecard: thesis
positions:
  - id: trusting
    speaker: Speaker A
    source: 000_793eca45db821f36.txt
    date: 2025-05
    anchor: "信任勝過產品"
    claim: Trust is what wins customers at this stage.
    about: moat.trust
    backs_because: customers trust it
    challenges_because: customers do not trust it
    backs_when: [{input: moat.customer_trust, at_least: 0.5}]
    challenges_when: [{input: moat.customer_trust, at_most: 0.49}]
  - id: doubting
    speaker: Speaker B
    source: 002_e8b33134b6db8f3c.txt
    date: 2025-07
    anchor: "零和思维"
    claim: Worrying about a moat is the zero-sum sin; growth is what counts.
    about: score
    backs_because: the market grows
    challenges_because: it leans on its moat
    backs_when: [{any: [{input: moat.customer_trust, at_most: 0.49}, {verdict: [weak]}]}]
    challenges_when: [{input: moat.customer_trust, at_least: 0.5}]
disagreements:
  - id: trust_or_growth
    about: whether trust is a moat
    sides: [[trusting], [doubting]]
"""


def company(**moat: object) -> thesis.Company:
    return thesis.Company.model_validate({"name": "S", "layer": "application", "moat": moat})


@pytest.fixture
def two_sides(monkeypatch: pytest.MonkeyPatch) -> None:
    positions = validate(Positions, parse(TWO_SIDES.encode(), "p.yaml"))
    monkeypatch.setattr(thesis.run, "shipped_positions", lambda kind="company": positions)


@pytest.mark.usefixtures("two_sides")
def test_a_stance_comes_with_how_often_it_holds_over_the_samples() -> None:
    result = thesis.score(company(customer_trust=0.7), samples=4096, seed=0, method="random")
    trusting = next(p for p in result.positions if p.id == "trusting")
    assert trusting.stance == "backs"  # p = 0.7 is "more likely yes" at the base case
    assert trusting.backs_probability == pytest.approx(0.7, abs=0.03)
    assert trusting.challenges_probability == pytest.approx(0.3, abs=0.03)
    assert trusting.because == "customers trust it"
    base_only = thesis.score(company(customer_trust=0.7), samples=0)
    assert base_only.positions[0].backs_probability is None


@pytest.mark.usefixtures("two_sides")
def test_a_disagreement_is_reported_where_its_sides_split() -> None:
    result = thesis.score(company(customer_trust=1.0), samples=0)
    [split] = result.disagreements
    assert (split.backing, split.challenging) == (["trusting"], ["doubting"])
    text = thesis.render(result, thesis.Format.markdown)
    assert "Where the sources disagree about this company" in text
    assert ("whether trust is a moat: Speaker A (customers trust it) back it; Speaker B (it "
            "leans on its moat) challenge it") in text
    assert "would back it (customers trust it); our customer trust scores it 100.0: agrees" in text


@pytest.mark.usefixtures("two_sides")
def test_an_any_condition_holds_when_one_of_its_parts_does() -> None:
    result = thesis.score(company(customer_trust=0.0), samples=0)
    doubting = next(p for p in result.positions if p.id == "doubting")
    assert doubting.stance == "backs"
    assert result.disagreements[0].backing == ["doubting"]


def test_market_positions_read_the_bubble_verdict() -> None:
    ai = thesis.score(thesis.load_market(EXAMPLES / "markets" / "ai-2025.yaml"), samples=256)
    benign = next(p for p in ai.positions if p.id == "phoenix_benign_at_this_moment")
    assert benign.stance == "backs" and benign.agrees is True  # a low bubble score backs it
    assert benign.backs_probability == pytest.approx(
        ai.uncertainty.distribution.verdict_probabilities["benign bubble"]  # type: ignore[union-attr]
    )
    dotcom = thesis.score(thesis.load_market(EXAMPLES / "markets" / "dotcom-2000.yaml"),
                          samples=0)
    assert next(p for p in dotcom.positions if p.id == benign.id).stance == "challenges"


def test_positions_are_listed_with_their_citations() -> None:
    out = run("positions", "--source", "004", "--format", "json")
    assert out.exit_code == 0
    sets = json.loads(out.stdout)
    assert {s["subject"] for s in sets} == {"company", "market"}
    assert all(p["source"].startswith("004_") for s in sets for p in s["positions"])
    markdown = run("positions", "--subject", "market", "--format", "markdown").stdout
    assert markdown.startswith("## Positions on a market")
    assert "004_cd6a7d5e8935a604.txt" in markdown
    for args in (["--subject", "fund"], ["--source", "009"], ["--format", "html"]):
        bad = run("positions", *args)
        assert bad.exit_code == 2 and bad.stderr.count("\n") == 1


def test_a_stance_on_an_input_only_the_sources_read_is_as_unsure_as_the_input(
        tmp_path: Path) -> None:
    """`workflow.human_review` feeds no criterion, only Casado's position (backs at 0.6 and up,
    challenges at 0.2 and down). Given as a probability of 0.7, it is drawn beside the design:
    the position backs in ~70% of the rows, not in all of them, and the score is unchanged."""
    import numpy as np
    from scipy import stats

    from thesis.engine.sampling import row_uniforms

    text = (EXAMPLES / "companies" / "casebook.yaml").read_text(encoding="utf-8")
    path = tmp_path / "casebook.yaml"
    path.write_text(text.replace("\nworkflow:\n", "\nworkflow:\n  human_review: 0.7\n", 1)
                    .replace("../markets/", f"{EXAMPLES / 'markets'}/"), encoding="utf-8")
    plain = thesis.score(thesis.load(EXAMPLES / "companies" / "casebook.yaml"), samples=4096)
    scored = thesis.score(thesis.load(path), samples=4096)
    [operator] = [p for p in scored.positions if p.id == "casado_human_operator"]
    assert operator.stance == "backs"
    assert operator.backs_probability == pytest.approx(0.7, abs=0.03)
    assert operator.challenges_probability == pytest.approx(0.3, abs=0.03)
    assert scored.score == plain.score and scored.uncertainty == plain.uncertainty
    rows = np.arange(50_000)
    u = row_uniforms(7, "workflow.human_review", rows)
    assert np.array_equal(u, np.concatenate([row_uniforms(7, "workflow.human_review", r)
                                             for r in np.array_split(rows, 7)]))
    assert stats.kstest(u, "uniform").pvalue > 0.01
    assert not np.array_equal(u, row_uniforms(7, "workflow.human_reviews", rows))
