"""Every quoted anchor in a shipped rule can be found in the seed it cites.

Needs the source documents beside the repository (../shared/seeds); skips cleanly without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT
from thesis.files.yaml import load

SEEDS = ROOT.parent / "shared" / "seeds"
SEED = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt")
QUOTED = re.compile(r"[\"“]([^\"”]{2,80})[\"”]")

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not here")


def sources(value: object) -> Iterator[str]:
    """Every `source` and `anchor` text in a parsed YAML file."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("source", "anchor", "verdict_source") and isinstance(item, str):
                yield item if key != "anchor" else f"{value.get('source', '')} \"{item}\""
            else:
                yield from sources(item)
    elif isinstance(value, list):
        for item in value:
            yield from sources(item)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


FILES = sorted((ROOT / "src" / "thesis" / "scorecards").rglob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_quoted_anchors_are_in_the_cited_seed(path) -> None:
    missing = []
    for text in sources(load(path).data):
        cited = set(SEED.findall(text))
        if not cited:
            continue
        seed_texts = [squeeze((SEEDS / name).read_text(encoding="utf-8")) for name in cited]
        for anchor in QUOTED.findall(text):
            parts = [p for p in re.split(r"\.\.\.|…", anchor) if p.strip()]  # elided quotes
            if not all(any(squeeze(p) in seed for seed in seed_texts) for p in parts):
                missing.append(f"{sorted(cited)}: {anchor!r}")
    assert not missing, "\n".join(missing)
