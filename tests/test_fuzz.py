"""Mangled input files never crash `thesis`: every outcome is a report (0) or located errors (2)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import EXAMPLES
from thesis.cli import app

JUNK = ["-1", "1e400", "-1e400", ".nan", ".inf", "[1, 2]", "{a: 1}", "{low: 2, high: 1}",
        "{mean: 0.5, sd: -1}", "{p10: 0, p90: 1}", "null", "''", "true", "yes", "&a x", "*a",
        "!!python/name:os.system", "[", "}", "2025-13-45", "0x1F", "{outcome: 2}",
        "[1.0, 1.2, 0.9]", "[]", "1000000000000000000000000", '"\\u0000"']
runner = CliRunner()
CASEBOOK = "\n".join(  # without its market link, which would not resolve from a temporary folder
    line for line in (EXAMPLES / "companies" / "casebook.yaml").read_text(encoding="utf-8")
    .splitlines() if not line.startswith("market:"))
MARKET = (EXAMPLES / "markets" / "ai-2025.yaml").read_text(encoding="utf-8")


def mangle(text: str, line: int, junk: str, how: int) -> str:
    lines = text.splitlines()
    i = line % len(lines)
    key, colon, _ = lines[i].partition(":")
    if how == 0 and colon:
        lines[i] = f"{key}: {junk}"  # a value replaced
    elif how == 1:
        del lines[i]  # a line lost
    else:
        lines.insert(i, lines[i])  # a line repeated
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(line=st.integers(0, 200), junk=st.sampled_from(JUNK), how=st.integers(0, 2),
       market=st.booleans())
def test_mangled_files_give_a_report_or_located_errors(tmp_path_factory, line, junk, how,
                                                       market) -> None:
    folder = Path(tmp_path_factory.mktemp("fuzz"))
    path = folder / "subject.yaml"
    path.write_text(mangle(MARKET if market else CASEBOOK, line, junk, how), encoding="utf-8")
    result = runner.invoke(app, ["bubble" if market else "score", str(path), "--samples", "64",
                                 "-f", "json"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    if result.exit_code == 2:
        assert all(line.startswith((str(path), "error:", str(folder)))
                   for line in result.stderr.splitlines()), result.stderr
