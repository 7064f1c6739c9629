"""The documentation site builds with --strict (no broken link, anchor or page), and says what
the package does: a field reference naming every input a scorecard can read, a page per seed
with its positions, and a tutorial whose files score as its text says."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import thesis
from tests.conftest import ROOT
from thesis.files.load import shipped_positions
from thesis.subjects import KINDS, SubjectKind


def build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site)],
        cwd=config.parent, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    built = build(ROOT / "mkdocs.yml", out)
    assert built.returncode == 0, built.stderr
    return out


def words_of(markup: str) -> str:
    """Built HTML as its words, without tags, entities or runs of whitespace: inline tags
    (code, emphasis, links) join their words as written, block tags part them."""
    inline = re.sub(r"</?(code|em|strong|a)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def rows_of(page: Path) -> dict[str, str]:
    """A reference page's table rows as words, by the field or input path they start with."""
    rows = [words_of(row) for row in
            re.findall(r"<tr>(.*?)</tr>", page.read_text(encoding="utf-8"), flags=re.DOTALL)]
    return {row.split()[0]: row for row in rows if row}


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.DOTALL)


def test_the_tutorial_goes_from_init_to_the_memo(site: Path) -> None:
    page = (site / "tutorial" / "index.html").read_text(encoding="utf-8")
    for command in ("thesis init company.yaml", "thesis score company.yaml",
                    "thesis compare company.yaml company-v2.yaml",
                    "thesis report company-v2.yaml -o memo.html"):
        assert command in page


@pytest.mark.parametrize("subject", KINDS.values(), ids=list(KINDS))
def test_the_field_reference_explains_every_input(site: Path, subject: SubjectKind) -> None:
    rows = rows_of(site / "reference" / subject.name / "index.html")
    inputs = subject.catalogue()
    assert len(inputs) > 20
    for path, kind in inputs.items():
        row = rows[path]
        question = " ".join(subject.question(path).split()).replace("`", "").replace("*", "")
        assert question in row, path
        if kind.kind == "category":
            assert all(choice in row for choice in kind.choices), path
        if kind.plausible is not None:
            assert "believable" in row, path


def test_the_field_reference_describes_plain_fields_and_lists(site: Path) -> None:
    rows = rows_of(site / "reference" / "company" / "index.html")
    assert rows["layer"].startswith("layer (required) One of application, model, "
                                    "infrastructure, hardware.")
    assert rows["vertical"].startswith("vertical Text.")
    assert "A list of numbers." in rows["engagement.cohorts[].active"]
    assert "A list of blocks" in rows["engagement.cohorts"]


def test_a_page_per_seed_lists_its_positions(site: Path) -> None:
    positions = [p for kind in ("company", "market") for p in shipped_positions(kind).positions]
    seeds = {p.source[:3] for p in positions}
    assert seeds == {"000", "001", "002", "003", "004"}
    home = (site / "index.html").read_text(encoding="utf-8")
    for seed in seeds:
        assert f'href="seeds/{seed}/"' in home, seed  # in the navigation
    for p in positions:
        page = (site / "seeds" / p.source[:3] / "index.html").read_text(encoding="utf-8")
        assert f'id="{p.id}"' in page, p.id
        assert html.escape(p.claim, quote=False) in page, p.id


def test_a_position_citing_an_undescribed_seed_fails_the_build(tmp_path: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.copytree(ROOT / "docs", tmp_path / "docs",
                    ignore=shutil.ignore_patterns("__pycache__"))
    sources = tmp_path / "docs" / "sources.md"
    text = sources.read_text(encoding="utf-8")
    row = re.compile(r"^\| `004_cd6a7d5e8935a604\.txt` \| [^|]+ \| [^|]+ \|\n", re.MULTILINE)
    assert row.search(text)
    sources.write_text(row.sub("", text), encoding="utf-8")
    built = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode != 0
    assert "does not describe 004_cd6a7d5e8935a604.txt" in built.stderr


def test_the_tutorial_files_score_as_its_text_says(tmp_path: Path) -> None:
    first, added = yaml_blocks((ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8"))
    before, after = tmp_path / "company.yaml", tmp_path / "company-v2.yaml"
    before.write_text(first, encoding="utf-8")
    after.write_text(first + added, encoding="utf-8")
    thin = thesis.score(thesis.load_company(before), samples=0)
    fuller = thesis.score(thesis.load_company(after), samples=0)
    assert thin.verdict == "insufficient evidence"
    assert fuller.verdict != "insufficient evidence"
