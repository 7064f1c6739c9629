"""Lenses: the shipped cards read through each source's eyes, as cited data.

The lens law (a lens that changes nothing scores as the card does; dropping a criterion is
leaving it out), the disagreements the sources have and the lenses must show on the shipped
examples, and bad lens files failing at their own line.
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import thesis
from tests.conftest import EXAMPLES, SCORECARDS
from thesis.engine.lens import LensError, apply
from thesis.engine.space import catalogue
from thesis.errors import InputError
from thesis.files.lenses import lenses_dir, load_lens, shipped_lenses
from thesis.files.load import load_scorecard
from thesis.models.company import Company
from thesis.models.lens import Change, Lens, View
from thesis.models.scorecard import Scorecard

SEED = "000_793eca45db821f36.txt"
COMPANIES = sorted((EXAMPLES / "companies").glob("*.yaml"))
MARKETS = sorted((EXAMPLES / "markets").glob("*.yaml"))
EXAMPLE = {p.stem: p for p in [*COMPANIES, *MARKETS]}
SEED_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


@functools.cache
def subject(path: Path) -> thesis.Company | thesis.Market:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return thesis.load(path)


def lensed(card: str, lens: str) -> Scorecard:
    return apply(thesis.load_scorecard(card), load_lens(lens))


def result(example: str, card: Scorecard | str) -> thesis.Result:
    return thesis.score(subject(EXAMPLE[example]), card, samples=0)


def factor(res: thesis.Result, path: str) -> float:
    found = {f.path: f for f in walk(res.factors)}[path]
    assert found.score is not None
    return found.score


def walk(factors):
    return [x for f in factors for x in (f, *walk(f.factors))]


def a_lens(card: str, **view) -> Lens:
    return Lens(id="test", title="a test lens", speaker="nobody", seeds=[SEED],
                scorecards={card: View(**view)})


# --- the shipped lenses ------------------------------------------------------------------------

def test_each_card_has_the_sources_lenses() -> None:
    assert {lens.id for lens in shipped_lenses("thesis")} == {"sequoia", "casado", "phoenix"}
    assert {lens.id for lens in shipped_lenses("bubble")} == {"casado", "coatue", "phoenix"}
    assert shipped_lenses("moat") == []


def test_every_change_cites_a_seed_the_lens_speaks_for_or_an_assumption() -> None:
    for path in sorted((SCORECARDS / "lenses").glob("*.yaml")):
        lens = load_lens(path)
        for view in lens.scorecards.values():
            sources = [c.source for c in view.changes] + [g.gate.source for g in view.gates]
            sources += [a.criterion.source for a in view.add]
            assert sources, f"{path.name} changes nothing"
            for source in sources:
                cited = set(SEED_FILE.findall(source))
                assert cited <= set(lens.seeds), (path.name, source)
                assert cited or source.startswith("assumption:"), (path.name, source)


def test_a_lensed_card_is_a_new_card_and_the_shipped_one_is_untouched() -> None:
    card = thesis.load_scorecard("thesis")
    before = [c.digest() for c in [card, *(f.included for _, f in card.walk() if f.included)]]
    out = lensed("thesis", "sequoia")
    ids = {path: f.included.id for path, f in out.walk() if f.included is not None}
    # only the cards the lens changed are renamed; the rest are the shipped cards
    assert out.id == "thesis_sequoia" and "Sequoia" in out.title
    assert ids == {"moat": "moat_sequoia", "revenue_quality": "revenue", "traction": "traction"}
    again = thesis.load_scorecard("thesis")
    assert [c.digest() for c in [again, *(f.included for _, f in again.walk() if f.included)]
            ] == before
    assert dict(out.walk())["moat.trust"].weight == 5
    assert dict(card.walk())["moat.trust"].weight == 3


def test_gates_land_where_the_lens_puts_them() -> None:
    casado = lensed("thesis", "casado")
    moat = dict(casado.walk())["moat"].included
    assert moat is not None and [g.id for g in moat.gates] == [
        "brand_leader_of_an_expanding_market"]
    assert [g.id for g in lensed("thesis", "sequoia").gates] == [
        "vibe_revenue_caps_the_thesis", "distrust_caps_the_thesis"]
    on_factor = apply(thesis.load_scorecard("thesis"), a_lens("thesis", gates=[{
        "on": "moat.trust", "gate": {"id": "g", "question": "trusted?", "input":
                                     "moat.customer_trust", "cap": 10,
                                     "source": "assumption: a test"}}]))
    assert [g.id for g in dict(on_factor.walk())["moat.trust"].gates] == ["g"]


def test_a_lens_reads_only_its_cards() -> None:
    with pytest.raises(LensError, match="reads thesis, bubble, not 'moat'"):
        apply(thesis.load_scorecard("moat"), load_lens("casado"))


def test_a_lensed_card_runs_the_monte_carlo() -> None:
    res = thesis.score(subject(COMPANIES[0]), lensed("thesis", "casado"), samples=256, seed=1)
    assert res.uncertainty is not None and res.scorecard == "thesis_casado"
    assert [c.id for c in res.provenance.scorecards] == [
        "thesis_casado", "moat_casado", "revenue_casado", "traction"]


# --- the lens law -----------------------------------------------------------------------------

def unchanged_changes(card: Scorecard) -> list[Change]:
    """A change for every factor and criterion that sets the weight it already has."""
    out = []
    for path, f in card.walk():
        out.append(Change(factor=path, weight=f.weight, source="assumption: as it is"))
        out += [Change(criterion=f"{path}.{c.id}", weight=c.weight, source="assumption: same")
                for c in f.criteria]
    return out


@given(st.sampled_from([*COMPANIES, *MARKETS]), st.data())
def test_a_lens_that_changes_nothing_scores_as_the_card(path: Path, data) -> None:
    card = thesis.load_scorecard("bubble" if path in MARKETS else "thesis")
    changes = data.draw(st.lists(st.sampled_from(unchanged_changes(card)), unique_by=lambda c:
                                 c.path, max_size=12))
    out = apply(card, a_lens(card.id, changes=changes))
    base, seen = thesis.score(subject(path), card, samples=0), thesis.score(
        subject(path), out, samples=0)
    assert seen.score == base.score and seen.verdict == base.verdict
    assert [f.score for f in walk(seen.factors)] == [f.score for f in walk(base.factors)]


def droppable(card: Scorecard) -> list[str]:
    """Criteria in factors that keep others, whose input nothing else in the card reads and
    the company file states directly (not derived, not fitted)."""
    reads: list[str] = [g.input for g in card.gates]
    for _, f in card.walk():
        reads += [c.input for c in f.criteria] + [g.input for g in f.gates]
        reads += [g.input for g in (f.included.gates if f.included else [])]
    fields = catalogue(Company)
    return [f"{path}.{c.id}" for path, f in card.walk() if len(f.criteria) > 1
            for c in f.criteria if reads.count(c.input) == 1 and c.input in fields]


def without(model, path: str):
    head, _, rest = path.partition(".")
    inner = None if not rest else without(getattr(model, head), rest)
    return model.model_copy(update={head: inner})


@given(st.sampled_from(COMPANIES), st.sampled_from(droppable(thesis.load_scorecard("thesis"))))
def test_dropping_a_criterion_is_leaving_it_out(path: Path, criterion: str) -> None:
    card = thesis.load_scorecard("thesis")
    [read] = [c.input for p, f in card.walk() for c in f.criteria if f"{p}.{c.id}" == criterion]
    dropped = apply(card, a_lens("thesis", changes=[
        Change(criterion=criterion, drop=True, source="assumption: a test")]))
    company = subject(path)
    lens_reads = thesis.score(company, dropped, samples=0, unknowns="leave_out")
    left_out = thesis.score(without(company, read), card, samples=0, unknowns="leave_out")
    assert lens_reads.score == pytest.approx(left_out.score, abs=1e-9)


@given(st.sampled_from(COMPANIES))
def test_dropping_a_factor_is_leaving_its_input_out(path: Path) -> None:
    card = thesis.load_scorecard("thesis")
    dropped = apply(card, a_lens("thesis", changes=[
        Change(factor="moat.distribution", drop=True, source="assumption: a test")]))
    assert "moat.distribution" not in dict(dropped.walk())
    company = subject(path)
    left_out = without(company, "moat.distribution")
    assert thesis.score(company, dropped, samples=0, unknowns="leave_out").score == (
        pytest.approx(thesis.score(left_out, card, samples=0, unknowns="leave_out").score,
                      abs=1e-9))


# --- the lenses disagree where the sources do (fidelity audit 3.6) ----------------------------

def test_what_the_moat_is_casado_reads_a_brand_leader_higher_sequoia_a_flywheel() -> None:
    # L2: Casado's moats (brand, marketplaces, own models) against Sequoia's (trust, a
    # flywheel that moves a metric, closeness to the customer)
    sequoia, casado = lensed("thesis", "sequoia"), lensed("thesis", "casado")
    chorus = {n: factor(result("chorus", c), "moat") for n, c in [("s", sequoia), ("c", casado)]}
    casebook = {n: factor(result("casebook", c), "moat") for n, c in [("s", sequoia),
                                                                        ("c", casado)]}
    assert chorus["c"] > chorus["s"]
    assert casebook["s"] > casebook["c"]
    assert result("chorus", casado).score > result("chorus", sequoia).score


def test_where_value_accrues_infrastructure_reads_higher_outside_sequoia() -> None:
    # L1: "價值在於應用層" (000) against "是 Infra 大于 software" (004) and Casado's "真实的权衡"
    scores = {n: result("tensorforge", lensed("thesis", n)) for n in ("sequoia", "casado",
                                                                      "phoenix")}
    assert scores["phoenix"].score > scores["sequoia"].score
    assert scores["casado"].score > scores["sequoia"].score
    assert (scores["casado"].verdict, scores["sequoia"].verdict) == ("strong conviction",
                                                                     "promising")


def test_vibe_revenue_sequoia_passes_where_casado_watches_fundamentals() -> None:
    base = result("glowup", "thesis")
    sequoia = result("glowup", lensed("thesis", "sequoia"))
    assert sequoia.score < base.score and sequoia.verdict == "pass"
    assert base.verdict == "weak"


def test_retail_leverage_coatue_reads_ai_2025_frothy_the_speaker_benign() -> None:
    # L5: Coatue "散户的杠杆才是现在最大的风险" against the speaker's "他们是燃料"
    coatue, phoenix = lensed("bubble", "coatue"), lensed("bubble", "phoenix")
    assert result("ai-2025", coatue).verdict == "frothy"
    assert result("ai-2025", phoenix).verdict == "benign bubble"
    assert result("ai-2025", "bubble").verdict == "benign bubble"
    # where the sources agree the lenses do: March 2000 is manic through every eye
    assert {result("dotcom-2000", lensed("bubble", n)).verdict
            for n in ("casado", "coatue", "phoenix")} == {"manic bubble"}


# --- bad lens files -----------------------------------------------------------------------------

LENS = """\
id: bad
title: a bad lens
speaker: nobody
seeds: [000_793eca45db821f36.txt]
scorecards:
  {card}:
{body}"""


def problems(write, body: str, card: str = "thesis") -> list[tuple[int, str, str]]:
    path = write(LENS.format(card=card, body=body), "lens.yaml")
    with pytest.raises(InputError) as caught:
        load_lens(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return [(p.line, p.field, p.message) for p in caught.value.problems]


CITE = "source: 'assumption: a test'"


def test_an_unknown_path_is_located_with_a_did_you_mean(write) -> None:
    found = problems(write, f"""\
    changes:
      - {{factor: moat.trsut, weight: 2, {CITE}}}
      - {{criterion: moat.trust.custmer_trust, weight: 2, {CITE}}}
      - {{criterion: moat.customer_trust, drop: true, {CITE}}}
    add:
      - to: moat
        criterion: {{id: x, question: why?, input: moat.customer_trust,
                     rule: {{kind: evidence}}, {CITE}}}
""")
    assert found == [
        (8, "scorecards.thesis.changes[0].factor",
         "no factor 'moat.trsut'; did you mean 'moat.trust'?"),
        (9, "scorecards.thesis.changes[1].criterion",
         "no criterion 'custmer_trust' in 'moat.trust'; did you mean 'customer_trust'?"),
        (10, "scorecards.thesis.changes[2].criterion",
         "'moat' includes the 'moat' scorecard: name one of its factors"),
        (12, "scorecards.thesis.add[0].to",
         "'moat' includes the 'moat' scorecard: name one of its factors"),
    ]


def test_what_applying_refuses_is_located_in_the_lens(write) -> None:
    # an added criterion reading an input no company offers: located inside the criterion
    [(line, where, message)] = problems(write, f"""\
    add:
      - to: moat.trust
        criterion:
          id: x
          question: why?
          input: moat.custome_trust
          rule: {{kind: evidence}}
          {CITE}
""")
    assert (line, where) == (12, "scorecards.thesis.add[0].criterion.input")
    assert "did you mean 'moat.customer_trust'?" in message
    # a weight on one alternative of a factor where the best counts: at the change
    [(line, where, message)] = problems(write, f"""\
    changes:
      - {{criterion: moat.traditional_moats.category_leader, weight: 3, {CITE}}}
""")
    assert (line, where) == (8, "scorecards.thesis.changes[0]")
    assert "combined by 'any' have no weights" in message
    # dropping a factor a card gate reads
    [(line, where, message)] = problems(write, f"""\
    changes:
      - {{factor: leverage, drop: true, {CITE}}}
""", card="bubble")
    assert (line, where) == (8, "scorecards.bubble.changes[0]")
    assert "no factor 'leverage'" in message
    [(_, _, message)] = problems(write, f"""\
    changes:
      - {{criterion: moat.trust.customer_trust, drop: true, {CITE}}}
""")
    assert message == "this drops the last criterion of 'trust': drop the factor instead"


def test_conflicting_changes_are_refused(write) -> None:
    found = problems(write, f"""\
    changes:
      - {{factor: moat.trust, drop: true, {CITE}}}
      - {{factor: moat.trust, weight: 2, {CITE}}}
      - {{criterion: moat.trust.customer_trust, weight: 2, {CITE}}}
""")
    assert [(line, message) for line, _, message in found] == [
        (9, "'moat.trust' is changed twice"),
        (10, "'moat.trust.customer_trust' is in 'moat.trust', which this lens drops")]


def test_a_lens_file_is_checked_as_any_file(write) -> None:
    found = problems(write, f"""\
    changes:
      - {{factor: moat.trust, weight: 0, {CITE}}}
      - {{factor: moat.mad, weight: 2, drop: true, {CITE}}}
""")
    assert [(line, where) for line, where, _ in found] == [
        (8, "scorecards.thesis.changes[0].weight"), (9, "scorecards.thesis.changes[1]")]
    [(line, where, message)] = problems(write, "    changes: []\n", card="thesiss")
    assert (line, where) == (6, "scorecards.thesiss")
    assert message.startswith("no shipped scorecard 'thesiss'")
    with pytest.raises(InputError, match="no shipped lens 'sequia'"):
        load_lens("sequia")


def test_a_lens_is_found_by_name_or_path() -> None:
    path = SCORECARDS / "lenses" / "casado.yaml"
    assert load_lens("casado") == load_lens(path)
    assert load_lens(path).origin is not None


def test_every_report_shows_the_lenses_side_by_side() -> None:
    result = thesis.score(thesis.load(EXAMPLES / "companies" / "tensorforge.yaml"), samples=256)
    assert {lens.id for lens in result.lenses} == {"casado", "phoenix", "sequoia"}
    for lens in result.lenses:
        assert lens.verdict_probability is not None and 0 < lens.verdict_probability <= 1
        alone = thesis.score(thesis.load(EXAMPLES / "companies" / "tensorforge.yaml"),
                             apply(thesis.load_scorecard("thesis"), load_lens(lens.id)),
                             samples=0)
        assert lens.score == pytest.approx(alone.score) and lens.verdict == alone.verdict
    text = thesis.render(result, thesis.Format.markdown)
    assert "Through each source's eyes" in text and "against ours, most from" in text
    market = thesis.score(thesis.load(EXAMPLES / "markets" / "ai-2025.yaml"), samples=0)
    coatue = next(lens for lens in market.lenses if lens.id == "coatue")
    assert coatue.verdict != market.verdict  # L5: retail leverage, Coatue's risk vs fuel


def test_validate_knows_a_lens_file() -> None:
    from tests.test_cli import run

    out = run("validate", str(lenses_dir() / "casado.yaml"))
    assert out.exit_code == 0 and "ok (lens)" in out.stdout


def test_a_lens_is_applied_once_per_card_and_lens() -> None:
    card, lens = load_scorecard("thesis"), shipped_lenses("thesis")[0]
    assert apply(card, lens) is apply(card, lens)
    copy = card.model_copy()
    assert apply(copy, lens) is not apply(card, lens)
    assert apply(copy, lens).digest() == apply(card, lens).digest()
