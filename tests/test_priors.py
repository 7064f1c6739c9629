"""An unknown is uncertain, not absent: a missing input is drawn from its criterion's prior, enters
the base case at the prior's expectation, is marked as a prior, counts nothing towards coverage;
below a scorecard's minimum coverage the verdict is "insufficient evidence"."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import thesis
from tests.cards import criterion, gate, one_factor
from thesis.errors import InputError
from thesis.files.load import load_scorecard
from thesis.files.validate import validate
from thesis.files.yaml import parse
from thesis.models.scorecard import Scorecard
from thesis.subjects import compile_for

TRUST, LEADER = "moat.customer_trust", "moat.category_leader"
DIFFUSION = "moat.diffusion"
CURVE = "{kind: curve, better: higher, points: [[0, 0], [1, 100]]}"


def company(**moat: object) -> thesis.Company:
    return thesis.Company.model_validate({"name": "P", "layer": "application", "moat": moat})


def card(prior_leader: object = 0.3, **kwargs: object) -> Scorecard:
    return one_factor([criterion("trust", TRUST),
                       criterion("leader", LEADER, prior_value=prior_leader)],
                      verdicts=[(60, "good"), (0, "poor")], **kwargs)  # type: ignore[arg-type]


def test_a_missing_input_enters_the_base_case_at_its_prior_and_is_marked() -> None:
    result = thesis.score(company(customer_trust=1.0), card(0.3), samples=0)
    assert result.score == pytest.approx((100 + 30) / 2)
    leader = result.factor("f").criterion("leader")
    assert leader.status == "prior" and leader.score == pytest.approx(30)
    given_leader = result.given(LEADER)
    assert given_leader is not None and given_leader.prior == "assumption: test"
    assert result.not_assessed() == {}
    assert (result.coverage.given, result.coverage.criteria) == (1, 2)
    assert result.coverage.weight == pytest.approx(0.5)
    text = thesis.render(result, thesis.Format.table)
    assert "not given; prior p=0.30" in text
    assert "Not given: drawn from the scorecard's priors (1 inputs" in text


def test_leaving_unknowns_out_is_the_old_renormalised_reading_and_only_on_request() -> None:
    result = thesis.score(company(customer_trust=1.0), card(0.3), samples=0,
                          unknowns="leave_out")
    assert result.score == pytest.approx(100)
    assert result.not_assessed() == {"f.leader": "not_given"}


def test_a_prior_is_sampled_so_an_unknown_widens_the_answer() -> None:
    known = thesis.score(company(customer_trust=1.0, category_leader=0.3), card(0.3),
                         samples=512, seed=1)
    unknown = thesis.score(company(customer_trust=1.0), card(0.3), samples=512, seed=1)
    assert unknown.score == pytest.approx(known.score)
    assert unknown.uncertainty is not None and known.uncertainty is not None
    assert unknown.uncertainty.distribution.sd == pytest.approx(
        known.uncertainty.distribution.sd)  # the same Bernoulli(0.3) column, drawn alike
    assert {d.input: d.given for d in unknown.uncertainty.diligence}[LEADER] is False
    assert {d.input: d.given for d in known.uncertainty.diligence}[LEADER] is True
    assert unknown.uncertainty.distribution.sd > 0


@given(value=st.floats(0, 1), trust=st.floats(0, 1))
def test_a_prior_equal_to_a_given_point_gives_that_points_score(value: float,
                                                                trust: float) -> None:
    rules = [criterion("trust", TRUST), criterion("spread", DIFFUSION, CURVE, 2,
                                                  prior_value=value)]
    numbers = one_factor(rules)
    from_prior = thesis.score(company(customer_trust=trust), numbers, samples=0)
    from_point = thesis.score(company(customer_trust=trust, diffusion=value), numbers,
                              samples=0)
    assert from_prior.score == pytest.approx(from_point.score, abs=1e-9)
    evidence = card(value)
    assert thesis.score(company(customer_trust=trust), evidence, samples=0).score == (
        pytest.approx(thesis.score(company(customer_trust=trust, category_leader=value),
                                   evidence, samples=0).score, abs=1e-9))


def test_a_number_prior_enters_at_its_median_like_a_given_range() -> None:
    prior = "{low: 0.2, high: 0.6}"
    numbers = one_factor([criterion("spread", DIFFUSION, CURVE, prior_value=prior)])
    result = thesis.score(company(), numbers, samples=0)
    assert result.score == pytest.approx(40)
    spread = result.given(DIFFUSION)
    assert spread is not None and (spread.p10, spread.p90) == pytest.approx((0.24, 0.56))


def test_below_the_minimum_coverage_the_verdict_is_insufficient_evidence_with_its_leaning() -> None:
    thin = thesis.score(company(customer_trust=1.0), card(0.3, minimum=0.6), samples=0)
    assert thin.verdict == "insufficient evidence"
    assert thin.leaning == "good"  # 65, in the good band, on what is known and assumed
    assert "50% of the scorecard's weight" in thin.verdict_meaning
    text = thesis.render(thin, thesis.Format.markdown)
    assert "a verdict needs 60%" in text and "insufficient evidence" in text
    enough = thesis.score(company(customer_trust=1.0, category_leader=0.3),
                          card(0.3, minimum=0.6), samples=0)
    assert (enough.verdict, enough.leaning) == ("good", None)


def test_an_included_scorecard_below_its_minimum_reads_insufficient_too(tmp_path) -> None:
    inner = card(0.3, minimum=0.6).model_dump(mode="json", by_alias=True, exclude_none=True)
    (tmp_path / "inner.yaml").write_text(json.dumps(inner))
    (tmp_path / "outer.yaml").write_text(json.dumps({
        "id": "outer", "title": "Outer", "subject": "company",
        "factors": [{"id": "inner", "title": "Inner", "weight": 1, "scorecard": "inner.yaml",
                     "source": "assumption: test"}],
        "verdicts": [{"min": 0, "label": "any"}], "verdict_source": "assumption: test"}))
    outer = load_scorecard(tmp_path / "outer.yaml")
    result = thesis.score(company(customer_trust=1.0), outer, samples=0)
    assert result.factor("inner").verdict == "insufficient evidence"
    assert result.verdict == "any"  # the outer card sets no minimum
    known = thesis.score(company(customer_trust=1.0, category_leader=1.0), outer, samples=0)
    assert known.factor("inner").verdict == "good"


def test_a_gate_prior_stands_in_for_its_missing_input() -> None:
    gated = one_factor([criterion("trust", TRUST)],
                       gates=[gate("g", LEADER, 20, prior_value=0.25)])
    result = thesis.score(company(customer_trust=1.0), gated, samples=0)
    assert result.score == pytest.approx(0.25 * 100 + 0.75 * 20)
    assert result.factor("f").gates[0].status == "prior"


def _card_text(prior: str) -> bytes:
    return f"""\
id: bad
title: Bad prior
subject: company
factors:
  - id: f
    title: F
    weight: 1
    source: "assumption: test"
    criteria:
      - id: c
        question: Is it?
        input: {DIFFUSION}
        rule: {CURVE}
        source: "assumption: test"
        prior: {{value: {prior}, source: "assumption: test"}}
verdicts: [{{min: 0, label: any}}]
verdict_source: "assumption: test"
""".encode()


@pytest.mark.parametrize(("prior", "message"), [
    ("1.5", "must lie in [0, 1]"), ("{low: 0.1}", "expected a number or a distribution")])
def test_a_prior_that_does_not_read_as_its_input_is_a_located_error(tmp_path, prior: str,
                                                                       message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(_card_text(prior))
    validate(Scorecard, parse(path.read_bytes(), str(path)))  # the schema alone accepts it
    with pytest.raises(InputError) as caught:
        load_scorecard(path)
    line = str(caught.value)
    assert "bad.yaml:15:" in line and "prior.value" in line and message in line


def test_compiling_with_priors_adds_them_as_columns_and_leaves_the_subject_alone() -> None:
    subject = company(customer_trust=1.0)
    compiled = compile_for(subject, card(0.3))
    assert compiled.names == [TRUST, LEADER] and set(compiled.priors) == {LEADER}
    assert not compiled.given(LEADER) and compiled.given(TRUST)
    assert compile_for(subject, card(0.3), "leave_out").names == [TRUST]


def test_a_one_line_file_reads_insufficient_evidence_and_says_what_to_find_out(tmp_path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("name: One\nlayer: application\nworkflow: {repeatable: true}\n")
    one = thesis.load_company(path)
    result = thesis.score(one, samples=1024, seed=0)
    assert result.verdict == "insufficient evidence" and result.leaning is not None
    assert result.coverage.weight < 0.1
    assert result.uncertainty is not None and result.uncertainty.distribution.sd > 0
    top = result.uncertainty.diligence[:3]
    assert all(not d.given and d.settles > 0 for d in top)
    text = thesis.render(result, thesis.Format.markdown)
    assert "What to diligence next" in text and top[0].input in text
    old = thesis.score(one, samples=0, unknowns="leave_out")  # only when asked for
    assert old.score == 100 and old.verdict == "insufficient evidence"
