"""The public API is small and pinned: `__all__` is what `thesis` exports, and every name
resolves (as httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import subprocess
import sys

import thesis


def test_all_is_pinned_and_every_name_resolves() -> None:
    assert thesis.__all__ == [
        "Company", "Format", "InputError", "Market", "PlausibilityWarning", "Problem", "Result",
        "Scorecard", "ThesisError", "UserError", "__version__", "compare", "json_schema", "load",
        "load_company", "load_market", "load_scorecard", "render", "score", "score_many",
        "validate", "warnings_of"]
    for name in thesis.__all__:
        assert getattr(thesis, name) is not None
    assert sorted(dir(thesis)) == sorted(thesis.__all__)


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    code = ("import sys, thesis.cli; heavy = {'numpy', 'scipy', 'pydantic'} & set(sys.modules); "
            "print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_version_is_the_installed_packages() -> None:
    from importlib.metadata import version

    assert thesis.__version__ == version("thesis")
