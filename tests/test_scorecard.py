"""The scorecard schema: rules are checked data, located errors, round trips, cited sources."""

from __future__ import annotations

import json

import pytest

import thesis
from thesis.errors import InputError
from thesis.files.load import dump_scorecard, shipped_dir

CARD = """\
id: tiny
title: Tiny
subject: company
factors:
  - id: moat
    title: Moat
    weight: 1
    source: "assumption: test"
    criteria:
      - id: e2e
        question: End to end?
        input: moat.end_to_end_solution
        rule: {kind: evidence}
        source: "000_793eca45db821f36.txt"
verdicts:
  - {min: 50, label: good}
  - {min: 0, label: bad}
verdict_source: "assumption: test"
"""


def card_problems(write, text: str) -> list[str]:
    path = write(text, "card.yaml")
    with pytest.raises(InputError) as info:
        thesis.load_scorecard(path)
    return [str(p).replace(str(path), "F") for p in info.value.problems]


def test_a_minimal_scorecard_loads(write) -> None:
    card = thesis.load_scorecard(write(CARD, "card.yaml"))
    assert card.verdict(70).label == "good"
    assert card.verdict(0).label == "bad"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("input: moat.end_to_end_solution", "input: moat.end_to_end_solutoin",
         "F:12:9: factors[0].criteria[0].input: unknown input 'moat.end_to_end_solutoin'; "
         "did you mean 'moat.end_to_end_solution'?"),
        ("rule: {kind: evidence}", "rule: {kind: curve, better: higher, points: [[0, 0], [1, 1]]}",
         "F:13:16: factors[0].criteria[0].rule.kind: moat.end_to_end_solution is yes/no evidence; "
         "a curve rule needs a number"),
        ("rule: {kind: evidence}", "rule: {kind: magic}",
         "F:13:9: factors[0].criteria[0].rule: input tag 'magic' found using 'kind' does not "
         "match any of the expected tags: 'curve', 'categories', 'evidence'"),
        ("  - {min: 0, label: bad}", "  - {min: 10, label: bad}",
         "F:1:1: the last verdict must start at min: 0 so every score has words"),
        ('        source: "000_793eca45db821f36.txt"\n', "",
         "F:10:9: factors[0].criteria[0].source: required field is missing"),
        ("    weight: 1\n", "    weight: -1\n",
         "F:7:5: factors[0].weight: input should be greater than 0"),
    ],
)
def test_scorecard_errors_are_located(write, old: str, new: str, expected: str) -> None:
    assert old in CARD
    assert card_problems(write, CARD.replace(old, new)) == [expected]


@pytest.mark.parametrize(
    ("points", "better", "message"),
    [
        ("[[0, 0], [1, 50], [0.5, 100]]", "higher", "strictly increasing x"),
        ("[[0, 0], [1, 50], [1, 100]]", "higher", "strictly increasing x"),  # a jump at x = 1
        ("[[0, 0], [1, 50], [2, 40]]", "higher", "never fall"),
        ("[[0, 100], [1, 50], [2, 60]]", "lower", "never rise"),
        ("[[0, 0], [1, 150]]", "higher", "less than or equal to 100"),
    ],
)
def test_curves_must_be_monotone_in_their_better_direction(write, points, better, message) -> None:
    text = CARD.replace("input: moat.end_to_end_solution", "input: moat.diffusion").replace(
        "rule: {kind: evidence}", f"rule: {{kind: curve, better: {better}, points: {points}}}")
    found = card_problems(write, text)
    assert len(found) == 1
    assert message in found[0]


def test_categories_must_score_every_choice(write) -> None:
    text = CARD.replace("input: moat.end_to_end_solution", "input: moat.affordance").replace(
        "rule: {kind: evidence}", "rule: {kind: categories, scores: {low: 0, high: 100}}")
    assert card_problems(write, text) == [
        "F:13:34: factors[0].criteria[0].rule.scores: needs a score for each of low, medium, high"]


def test_includes_are_resolved_and_cycles_refused(write, tmp_path) -> None:
    inner = write(CARD, "inner.yaml")
    outer = CARD.replace("id: tiny", "id: outer").replace(
        """    criteria:
      - id: e2e
        question: End to end?
        input: moat.end_to_end_solution
        rule: {kind: evidence}
        source: "000_793eca45db821f36.txt"
""", f"    scorecard: {inner.name}\n")
    card = thesis.load_scorecard(write(outer, "outer.yaml"))
    assert card.factors[0].included is not None
    assert card.factors[0].included.id == "tiny"
    selfish = outer.replace(f"scorecard: {inner.name}", "scorecard: selfish.yaml")
    found = card_problems(write, selfish.replace("card.yaml", "selfish.yaml"))
    assert found  # written as card.yaml, it includes a file that does not exist
    path = write(selfish, "selfish.yaml")
    with pytest.raises(InputError, match="includes itself"):
        thesis.load_scorecard(path)


SHIPPED = sorted(p.stem for p in shipped_dir().glob("*.yaml"))


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scorecards_load_round_trip_and_cite(name: str, write) -> None:
    card = thesis.load_scorecard(name)
    dumped = dump_scorecard(card)
    # JSON is YAML 1.2: dump, write, load again, and nothing changes
    again = thesis.load_scorecard(write(json.dumps(dumped), f"{name}.yaml"))
    assert again == card
    assert dump_scorecard(again) == dumped
    for _, factor in card.walk():
        assert factor.source.strip()
        for crit in factor.criteria:
            assert crit.source.strip()
            assert _cites(crit.source), crit.source
        for gate in factor.gates:
            assert _cites(gate.source), gate.source


def _cites(source: str) -> bool:
    return (".txt" in source or "assumption" in source.lower()
            or any(c.isupper() for c in source.split(":", 1)[0]))


def test_key_order_does_not_matter(write) -> None:
    reordered = "verdict_source: \"assumption: test\"\n" + CARD.replace(
        'verdict_source: "assumption: test"\n', "")
    assert thesis.load_scorecard(write(reordered, "r.yaml")) == thesis.load_scorecard(
        write(CARD, "card.yaml"))
