"""The code standards CI enforces: ruff on src, tests, benchmarks and the docs hooks; mypy --strict
on src and the docs hooks."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=False)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is a dev dependency")
def test_ruff_is_clean() -> None:
    result = run("ruff", "check", "src", "tests", "benchmarks", "docs/hooks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    pytest.importorskip("mypy")
    result = run(sys.executable, "-m", "mypy", "src", "docs/hooks")
    assert result.returncode == 0, result.stdout + result.stderr
