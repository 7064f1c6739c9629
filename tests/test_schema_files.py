"""The committed JSON schemas (used by editors via `# yaml-language-server: $schema=`) are fresh."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from thesis.cli import app


@pytest.mark.parametrize("kind", ["company", "market", "scorecard", "lens"])
def test_committed_schema_matches_the_models(kind: str) -> None:
    committed = json.loads((ROOT / "docs" / "schema" / f"{kind}.schema.json").read_text())
    generated = json.loads(CliRunner().invoke(app, ["schema", kind]).stdout)
    assert committed == generated, f"run: thesis schema {kind} -o docs/schema/{kind}.schema.json"
