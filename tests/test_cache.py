"""The cache: the shipped rule files' same bytes come back as the same document, with every
position; an edited file, a broken entry or an unwritable cache is parsed again. A cohort fit
comes back equal, to the bit, and other cohorts are fitted anew."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import thesis.files.cache as cache
import thesis.subjects as subjects
from thesis.engine.retention import as_cohort
from thesis.files.load import shipped
from thesis.files.yaml import load

CARD = "id: x\nlist: [1, 2.5, true, null, 'text']\nnested: {a: {b: 名字}}\n"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THESIS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_cached_document_equals_the_parsed_one_positions_included(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "card.yaml"
    path.write_text(CARD, encoding="utf-8")
    first = cache.load_cached(path)
    assert first == load(path)

    def no_parsing(*_: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(cache, "parse", no_parsing)
    again = cache.load_cached(path)
    assert again == first and again.position(("nested", "a", "b")) == (3, 14)


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_text(CARD, encoding="utf-8")
    cache.load_cached(path)
    path.write_text(CARD.replace("id: x", "id: y"), encoding="utf-8")
    assert cache.load_cached(path).data["id"] == "y"


def test_a_broken_entry_or_an_unwritable_cache_falls_back_to_parsing(
        tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "card.yaml"
    path.write_text(CARD, encoding="utf-8")
    cache.load_cached(path)
    [entry] = private_cache.glob("*.json")
    entry.write_text("{not json")
    assert cache.load_cached(path) == load(path)
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    monkeypatch.setenv("THESIS_CACHE_DIR", str(blocked / "cache"))
    assert cache.load_cached(path) == load(path)


def test_data_that_does_not_come_back_equal_is_never_cached(tmp_path: Path,
                                                            private_cache: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text("x: .nan\n", encoding="utf-8")  # NaN is never equal to itself
    assert cache.load_cached(path).data["x"] != cache.load_cached(path).data["x"]
    assert not list(private_cache.glob("*.json"))


def test_the_shipped_rule_files_load_through_the_cache(private_cache: Path) -> None:
    from thesis.files.lenses import lenses_dir
    from thesis.files.load import rule_document

    for path in (shipped("moat"), lenses_dir() / "casado.yaml"):
        assert rule_document(path) == load(path)
    assert len(list(private_cache.glob("*.json"))) == 2


def test_a_cohort_fit_comes_back_from_the_cache_to_the_bit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    cohorts = (as_cohort([1.0, 0.8, 0.7, 0.66, 0.64], 120, "2025-01"),
               as_cohort([1.0, 0.85, 0.74], None, "2025-04"))
    fitted = subjects._selection(cohorts)

    def no_fitting(*_: object) -> None:
        raise AssertionError("fitted again")

    monkeypatch.setattr(subjects, "select_model", no_fitting)
    cached = subjects._selection(cohorts)
    assert cached == fitted and (cached.chosen is cached.sbg) == (fitted.chosen is fitted.sbg)
    for ours, theirs in ((cached.sbg, fitted.sbg), (cached.bdw, fitted.bdw)):
        assert (ours.covariance is None) == (theirs.covariance is None)
        if ours.covariance is not None:
            assert np.array_equal(ours.covariance, theirs.covariance)
    with pytest.raises(AssertionError, match="fitted again"):
        subjects._selection((cohorts[0],))
