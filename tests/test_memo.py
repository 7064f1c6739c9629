"""`thesis report`: the memo a partner reads, as one self-contained, well-formed HTML page (or
markdown) that opens with the verdict, cites every rule by a numbered note, asks questions rather
than naming dotted paths, prints in a few pages and reads on a phone."""

from __future__ import annotations

import collections
import html
import importlib.util
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

import thesis
import thesis.report_cli  # registers `thesis report`
from tests.conftest import EXAMPLES, ROOT
from thesis.cli import app
from thesis.report.document import Run, build, describe_given, describe_stated, english
from thesis.result import Given

CASEBOOK = EXAMPLES / "companies" / "casebook.yaml"
AI_2025 = EXAMPLES / "markets" / "ai-2025.yaml"
NEW_YEAR_2026 = "1767225600"  # SOURCE_DATE_EPOCH of 2026-01-01 00:00 UTC
SECTIONS = ("summary", "key-figures", "scorecard", "revenue", "diligence", "hinges",
            "counterfactuals", "regime", "positions", "lenses", "notes", "provenance")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
DOTTED = re.compile(r"\b[a-z][a-z_0-9]*(\.[a-z][a-z_0-9]*)+\b")
VOID = {"meta", "br", "img", "hr", "input", "link", "col", "wbr", "source", "area", "base"}


def report(*args: str, date: str | None = NEW_YEAR_2026):
    env = {"SOURCE_DATE_EPOCH": date} if date else {}
    return CliRunner().invoke(app, ["report", *args], env=env)


@pytest.fixture(scope="module")
def memo(tmp_path_factory: pytest.TempPathFactory) -> str:
    page = tmp_path_factory.mktemp("memo") / "casebook.html"
    result = report(str(CASEBOOK.relative_to(ROOT)), "--samples", "256", "-o", str(page))
    assert result.exit_code == 0, result.output
    return page.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the example paths are given relative, as a user types them


class Tree(HTMLParser):
    """Every element in order, checked to close in the order it opened; the text of each
    element with an id, and of the notes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.inside: list[tuple[str, int]] = []
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("href", "").startswith("#"):
            self.links.append(found["href"] or "")
        if tag in VOID:
            return
        self.open.append(tag)
        self.classes.append(found.get("class") or "")
        if found.get("id"):
            self.ids.append(found["id"] or "")
            self.inside.append((found["id"] or "", len(self.open)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID and not self.open:
            self.problems.append(f"<{tag}/> outside any element")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
            return
        while self.inside and self.inside[-1][1] == len(self.open):
            self.inside.pop()
        self.open.pop()
        self.classes.pop()

    def handle_data(self, data: str) -> None:
        if "path" in self.classes or "svg" in self.open:
            return  # the small print under a question, or a chart
        for key, _ in self.inside:
            self.text.setdefault(key, []).append(data)

    def words(self, key: str) -> str:
        """The element's text, a space between the texts of its parts."""
        return " ".join(" ".join(self.text.get(key, [])).split())


def parsed(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    return tree


def test_the_memo_is_one_well_formed_self_contained_page(memo: str) -> None:
    tree = parsed(memo)
    assert tree.problems == [] and tree.open == []
    assert memo.startswith("<!doctype html>")
    assert "<meta name='viewport' content='width=device-width, initial-scale=1'>" in memo
    assert "<script" not in memo and "<link" not in memo
    assert not re.search(r"""(src|href)=['"](https?:)?//""", memo)  # no external request
    assert "@page" in memo and "@media print" in memo  # its print rules are inline


def test_the_memo_has_every_section_in_order(memo: str) -> None:
    ids = parsed(memo).ids
    assert [i for i in ids if i in SECTIONS] == list(SECTIONS)


def test_the_summary_opens_with_the_verdict_range_coverage_factors_and_questions(memo: str
                                                                               ) -> None:
    summary = parsed(memo).words("summary")
    result = thesis.score(thesis.load(CASEBOOK), samples=256)
    d = result.uncertainty.distribution
    assert summary.startswith(f"Summary {result.verdict} 1 score")
    assert f"between {d.p10:.0f} and {d.p90:.0f} in 8 of 10 draws" in summary
    c = result.coverage
    assert f"answered {c.given} of {c.criteria} criteria, {c.weight:.0%} of the weight" in summary
    assert "Strongest Durable demand" in summary and "Weakest Distribution (40.0)" in summary
    questions = summary.split("What to find out next", 1)[1]
    assert questions.count("?") >= 3 and not DOTTED.search(questions)


def test_key_figures_are_the_subjects_own(memo: str) -> None:
    figures = parsed(memo).words("key-figures")
    for label in ("Stage series A", "Vertical legal", "Segment enterprise SaaS",
                  "Layer application", "Gross margin today 48%", "Revenue in paid pilots 15%"):
        assert label in figures
    assert "ARR" in figures and "Net revenue retention" in figures


def test_the_diligence_list_asks_questions_with_the_path_in_small_print(memo: str) -> None:
    section = re.search(r"<section id='diligence'>.*?</section>", memo, re.DOTALL)
    assert section is not None
    items = re.findall(r"<li>(.*?)</li>", html.unescape(section.group()))
    assert len(items) >= 3
    for item in items:
        question, _, small = item.partition("<span class='path'>")
        assert "?" in question and not DOTTED.search(question)
        assert DOTTED.fullmatch(small.removesuffix("</span>"))
    assert not DOTTED.search(parsed(memo).words("hinges"))
    assert not DOTTED.search(parsed(memo).words("counterfactuals"))


def test_every_citation_is_a_numbered_note_that_resolves(memo: str) -> None:
    tree = parsed(memo)
    notes = sorted(int(i.removeprefix("note-")) for i in tree.ids if i.startswith("note-"))
    cited = {int(link.removeprefix("#note-")) for link in tree.links if "note-" in link}
    assert notes == list(range(1, len(notes) + 1)) and len(notes) > 30
    assert cited == set(notes)  # every note is cited, every citation has its note
    cells = re.findall(r"<td class='refs'>(.*?)</td>", memo)
    assert cells and all(re.fullmatch(r"\d*(,\d+)*", re.sub(r"<[^>]+>", "", c)) for c in cells)


def test_chinese_stays_in_the_notes_and_the_seed_files_are_named_there(memo: str) -> None:
    body = re.sub(r"<section id='notes'>.*?</section>", "", memo, flags=re.DOTALL)
    body = re.sub(r"<svg.*?</svg>", "", body, flags=re.DOTALL)
    assert not CJK.search(body)
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", body)
    notes = parsed(memo).words("notes")
    assert "Grady, Huang and Buhler (Sequoia), AI Ascent 2025, May 2025" in notes
    assert "004_cd6a7d5e8935a604.txt" in notes and CJK.search(notes)


def test_the_provenance_says_date_version_file_scorecards_samples_and_seed(memo: str) -> None:
    footer = parsed(memo).words("provenance")
    digest = thesis.score(thesis.load(CASEBOOK), samples=0).provenance.scorecards[0].sha256
    for part in ("Date 2026-01-01", f"thesis {thesis.__version__}",
                 "Input file examples/companies/casebook.yaml", f"thesis sha256 {digest[:12]}",
                 "Samples 256 sobol samples", "Seed 0"):
        assert part in footer


def test_the_memo_is_the_same_for_the_same_seed_and_names_no_absolute_path(tmp_path: Path
                                                                         ) -> None:
    pages = []
    for name in ("a.html", "b.html"):
        assert report(str(CASEBOOK), "-n", "256", "--seed", "3", "-o",
                      str(tmp_path / name)).exit_code == 0
        pages.append((tmp_path / name).read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    assert str(ROOT) not in pages[0] and str(tmp_path) not in pages[0]
    assert "Input file examples/companies/casebook.yaml" in parsed(pages[0]).words("provenance")
    assert report(str(CASEBOOK), "-n", "256", "--seed", "4").stdout != pages[0]


def test_a_market_memo_has_its_stage_and_run_up_and_no_cohorts(tmp_path: Path) -> None:
    page = tmp_path / "ai.html"
    assert report(str(AI_2025), "-n", "256", "-o", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    tree = parsed(text)
    assert tree.problems == []
    assert {"summary", "key-figures", "scorecard", "stage", "run-up", "diligence", "positions",
            "lenses", "notes", "provenance"} <= set(tree.ids)
    assert "revenue" not in tree.ids
    assert tree.words("summary").startswith("Summary benign bubble")
    assert "Most bubble-like" in tree.words("summary")
    assert "Leaders' forward P/E 28" in tree.words("key-figures")
    body = re.sub(r"<section id='notes'>.*?</section>", "", text, flags=re.DOTALL)
    assert not CJK.search(re.sub(r"<svg.*?</svg>", "", body, flags=re.DOTALL))


def test_the_output_is_written_whole_and_its_extension_picks_the_layout(tmp_path: Path) -> None:
    result = report(str(CASEBOOK), "-n", "0", "-o", str(tmp_path / "memo.md"))
    assert result.exit_code == 0 and result.stdout == ""
    assert [p.name for p in tmp_path.iterdir()] == ["memo.md"]  # no temporary file left
    text = (tmp_path / "memo.md").read_text(encoding="utf-8")
    assert text.startswith("# Casebook (hypothetical): Investment thesis\n")
    for heading in ("## Summary", "## Key figures", "## Scorecard", "## Notes", "## Provenance",
                    "## Revenue: cohort retention"):
        assert heading in text
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    noted = {int(n) for n in re.findall(r"^- \[(\d+)\] ", text, re.MULTILINE)}
    assert cited == noted and noted == set(range(1, len(noted) + 1))
    assert report(str(CASEBOOK), "-n", "0", "-f", "markdown").stdout.startswith("# Casebook")
    assert report(str(CASEBOOK), "-n", "0").stdout.startswith("<!doctype html>")


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "{tmp}/missing/memo.html"], "error: --output {tmp}/missing/memo.html: no such folder"),
    (["-o", "{tmp}"], "is a folder; name a file"),
    (["-o", "{tmp}/memo.pdf"], "a memo is written as .html or .md, not .pdf"),
    (["-o", "{tmp}/memo.html", "-f", "markdown"], "holds html, not markdown"),
])
def test_a_bad_output_path_exits_2_before_any_work(tmp_path: Path, args: list[str],
                                                   message: str) -> None:
    result = report(str(CASEBOOK), *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2
    assert message.replace("{tmp}", str(tmp_path)) in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_bad_source_date_epoch_is_a_located_error(tmp_path: Path) -> None:
    result = report(str(CASEBOOK), "-n", "0", "-o", str(tmp_path / "m.html"), date="soon")
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_input_file_exits_2(tmp_path: Path) -> None:
    result = report(str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 2 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("written", "words"), [
    ({"low": 0.3, "high": 0.6}, "0.3-0.6 (uniform)"),
    ({"value": 0.35}, "0.35"),
    ({"p10": 9e4, "p90": 1.3e5}, "P10 90k, P90 130k"),
    ({"mean": 1.18, "sd": 0.06}, "1.18 \u00b1 0.06 (normal)"),
    ({"low": 8e6, "mode": 12e6, "high": 14e6}, "8M-14M, most likely 12M (triangular)"),
    ({"alpha": 2, "beta": 5}, "beta(2, 5)"),
    ({"alpha": 2, "beta": 5, "low": 10, "high": 20}, "beta(2, 5) on 10-20"),
])
def test_the_given_column_reads_as_the_analyst_wrote_it(written: dict[str, float],
                                                        words: str) -> None:
    assert describe_stated(written) == words


def test_the_given_column_uses_what_the_result_carries() -> None:
    assert describe_given(Given(input="x", kind="evidence", base=0.7)) == "p=0.70"
    assert describe_given(Given(input="x", kind="number", base=0.35, p10=0.35,
                                p90=0.35)) == "0.35"
    assert describe_given(Given(input="x", kind="number", base=1e5, p10=9e4,
                                p90=1.3e5)) == "P10 90k, P90 130k"
    uniform = Given(input="x", kind="number", base=0.45, p10=0.33, p90=0.57,
                     stated={"low": 0.3, "high": 0.6})
    assert describe_given(uniform) == "0.3-0.6 (uniform)"
    assert describe_given(Given(input="x", kind="category",
                                probabilities={"seat": 0.4, "usage": 0.6})) == "seat 40%, usage 60%"


def test_a_chinese_phrase_leaves_the_body_for_the_notes() -> None:
    assert english("Brilliant Phoenix fund speaker (talk \u667a\u53d8\u65f6\u4ee3 II)") == (
        "Brilliant Phoenix fund speaker")
    assert english("\u826f\u6027\u6ce1\u6cab: a bubble funded from earnings") == (
        "a bubble funded from earnings")
    assert english('trust above all ("\u4fe1\u4efb")') == "trust above all"


def test_score_html_is_the_same_memo_without_the_run_date() -> None:
    result = thesis.score(thesis.load(CASEBOOK), samples=0)
    page = thesis.render(result, thesis.Format.html)
    assert "id='summary'" in page and "Date" not in parsed(page).words("provenance")
    assert build(result, Run(date="2026-01-01")).provenance[0].value == "2026-01-01"


def check_memo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_memo", ROOT / "tools" / "check_memo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None
                    and shutil.which("google-chrome") is None, reason="no Chromium on PATH")
def test_the_casebook_memo_prints_on_four_pages_and_fits_a_phone(tmp_path: Path) -> None:
    tool = check_memo()
    binary = tool.find_chromium()
    page = tool.render_memo("examples/companies/casebook.yaml", 256, tmp_path)
    for paper in tool.PAPERS:
        assert tool.page_count(binary, page, paper, tmp_path / f"{paper}.pdf") <= tool.MAX_PAGES
    phone = tool.layout_at(binary, page, tool.PHONE)
    assert phone.client_width == tool.PHONE and not phone.scrolls_sideways


def test_strict_refuses_an_implausible_figure_before_writing(tmp_path: Path, write) -> None:
    company = write("name: C\nlayer: application\nrevenue:\n  growth_yoy: 250\n")
    page = tmp_path / "memo.html"
    strict = report(str(company), "-n", "0", "--strict", "-o", str(page))
    assert strict.exit_code == 2 and "revenue.growth_yoy: 250" in strict.stderr
    assert not page.exists()
    lenient = report(str(company), "-n", "0", "-o", str(page))
    assert lenient.exit_code == 0 and lenient.stderr.startswith("warning: ")
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_every_id_in_the_memo_is_unique_and_every_reference_resolves() -> None:
    """Three inlined charts: each figure's ids are its own, so no clip path or marker of one
    chart is drawn with another's."""
    page = thesis.render(thesis.score(thesis.load(CASEBOOK), samples=256), thesis.Format.html)
    ids = re.findall(r"""\bid=["']([^"']+)["']""", page)
    assert ids and [i for i, n in collections.Counter(ids).items() if n > 1] == []
    references = set(re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", page))
    assert {a or b for a, b in references} <= set(ids)


def test_a_hostile_name_is_shown_as_written_in_every_layout(tmp_path: Path) -> None:
    """Text from a subject file is never markup: not in the HTML memo, and not in markdown,
    which viewers may render as HTML."""
    from thesis.batch import Scored
    from thesis.report.batch import BatchFormat, summarise
    from thesis.report.batch import render as render_batch

    hostile = "<img src=x onerror=alert(1)> | Co"
    path = tmp_path / "h.yaml"
    path.write_text(f"name: '{hostile}'\nlayer: application\nvertical: '<b>law</b>'\n",
                    encoding="utf-8")
    result = thesis.score(thesis.load(path), samples=64)
    for text in (thesis.render(result, thesis.Format.html),
                 thesis.render(result, thesis.Format.markdown),
                 render_batch([Scored(str(path), summarise(result))], BatchFormat.markdown)):
        assert "<img" not in text and "<b>law" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
