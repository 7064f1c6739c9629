"""The static types of the models, pinned in tests/typing and checked with mypy --strict.

Only the pins are judged here (imports are followed silently); test_code_quality checks src.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_model_fields_have_their_declared_types() -> None:
    pytest.importorskip("mypy")
    # MYPYPATH: read thesis from src, as the installed package has no py.typed marker.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "--strict",
         "--follow-imports=silent", "tests/typing"],
        cwd=ROOT, env={**os.environ, "MYPYPATH": str(ROOT / "src")},
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
