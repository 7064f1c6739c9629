"""Shared fixtures, and a deterministic hypothesis profile for CI (as numpy and scipy do)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=60)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCORECARDS = ROOT / "src" / "thesis" / "scorecards"


@pytest.fixture
def write(tmp_path: Path):
    """Write a text (or bytes) file under tmp_path and return its path."""

    def _write(text: str | bytes, name: str = "company.yaml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
