"""The sources' positions: data checked like scorecards, stances that follow the inputs."""

from __future__ import annotations

import pytest

import thesis
from tests.conftest import EXAMPLES
from thesis.errors import InputError
from thesis.files.load import load_positions


def result_for(name: str) -> thesis.Result:
    return thesis.score(thesis.load_company(EXAMPLES / "companies" / f"{name}.yaml"))


def stances(result: thesis.Result) -> dict[str, str]:
    return {p.id: p.stance for p in result.positions}


def test_every_shipped_position_cites_a_seed_and_a_factor() -> None:
    positions = load_positions()
    assert len(positions.positions) >= 10
    speakers = {p.speaker.split(" (")[0] for p in positions.positions}
    assert {"Pat Grady", "Martin Casado", "Konstantine Buhler"} <= speakers
    sources = {p.source[:3] for p in positions.positions}
    assert sources == {"000", "001", "002", "003", "004"}


def test_a_thin_wrapper_is_challenged_and_our_score_agrees() -> None:
    result = result_for("promptly")
    found = stances(result)
    assert found["grady_flywheel_metric"] == "challenges"
    assert found["casado_crud"] == "challenges"
    assert found["casado_subsidised_categories"] == "challenges"
    assert all(p.agrees for p in result.positions if p.stance != "silent")


def test_stances_follow_the_inputs() -> None:
    chorus = stances(result_for("chorus"))
    assert chorus["casado_brand_leader"] == "backs"
    assert chorus["phoenix_distribution"] == "backs"
    assert chorus["grady_end_to_end"] == "silent"  # a model company: the app-layer claim is mute
    infra = stances(result_for("tensorforge"))
    assert infra["casado_infrastructure_tradeoffs"] == "backs"


def test_casados_either_or_is_scored_as_he_reads_it() -> None:
    # long-tail domain understanding is one of Casado's moats, and one is enough: our factor
    # takes the best of its criteria, so it no longer parts ways with the author who backs it
    [crud] = [p for p in result_for("casebook").positions if p.id == "casado_crud"]
    assert crud.stance == "backs"
    assert crud.our_score == 80.0  # moat.long_tail_domain_understanding: 0.8
    assert crud.agrees is True


def test_positions_only_for_the_scorecard_they_speak_to() -> None:
    company = thesis.load_company(EXAMPLES / "companies" / "casebook.yaml")
    assert thesis.score(company, "moat").positions == []


def test_bad_positions_files_are_located(write) -> None:
    path = write("""\
subject: company
scorecard: thesis
positions:
  - id: p
    speaker: Someone
    source: 000_793eca45db821f36.txt
    date: 2025-05
    anchor: x
    claim: A claim long enough to read.
    about: moat.nothing
    backs_when:
      - {input: moat.end_to_end_solutoin, at_least: 0.5}
    challenges_when:
      - {input: moat.end_to_end_solution}
""", "positions.yaml")
    with pytest.raises(InputError) as info:
        load_positions(path)
    text = [str(p).replace(str(path), "F") for p in info.value.problems]
    assert text == ["F:14:9: positions[0].challenges_when[0]: a condition needs exactly one of "
                    "at_least, at_most, equals"]
    path.write_text(path.read_text().replace("{input: moat.end_to_end_solution}",
                                             "{input: moat.end_to_end_solution, at_most: 0.4}"))
    with pytest.raises(InputError) as info:
        load_positions(path)
    assert [str(p).replace(str(path), "F") for p in info.value.problems] == [
        "F:10:5: positions[0].about: no factor 'moat.nothing' in 'thesis'",
        "F:12:10: positions[0].backs_when[0].input: unknown input 'moat.end_to_end_solutoin'; "
        "did you mean 'moat.end_to_end_solution'?",
    ]


def test_vibe_revenue_positions_follow_the_cohorts() -> None:
    vibe = stances(result_for("glowup"))
    real = stances(result_for("ledgerline"))
    assert vibe["grady_vibe_revenue"] == "challenges"
    assert vibe["casado_growth_or_curiosity"] == "challenges"
    assert real["grady_vibe_revenue"] == "backs"
    assert real["grady_margin_path"] == "backs"
