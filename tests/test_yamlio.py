"""Safe YAML loading: positions of every value, and the defences against hostile files."""

from __future__ import annotations

import pytest

from thesis.errors import InputError
from thesis.files.yaml import MAX_BYTES, MAX_DEPTH, dotted, load, parse


def problem_of(raw: bytes | str) -> str:
    with pytest.raises(InputError) as info:
        parse(raw.encode() if isinstance(raw, str) else raw, "f.yaml")
    assert len(info.value.problems) == 1
    return str(info.value.problems[0])


def test_values_and_positions() -> None:
    doc = parse(b"name: A\nmoat:\n  end_to_end_solution: yes\n  diffusion: {low: 0.1, high: 0.2}\n"
                b"list: [1, 2.5, null, true, 0x1F, 1_000, .inf]\n", "f.yaml")
    assert doc.data["moat"]["end_to_end_solution"] == "yes"  # YAML 1.2: 'yes' is text
    assert doc.data["list"][:6] == [1, 2.5, None, True, 31, 1000]
    assert doc.data["list"][6] == float("inf")
    assert doc.position(("moat", "diffusion")) == (4, 3)
    assert doc.position(("moat", "diffusion", "high")) == (4, 25)
    assert doc.position(("list", 1)) == (5, 11)
    assert doc.position(("moat", "nothing", "deeper")) == (2, 1)  # nearest located ancestor


def test_timestamps_stay_text() -> None:
    assert parse(b"start: 2025-01-15\n").data == {"start": "2025-01-15"}


def test_dotted_paths() -> None:
    assert dotted(("engagement", "cohorts", 0, "active")) == "engagement.cohorts[0].active"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "f.yaml:1:1: file is empty"),
        ("# only a comment\n\n", "file is empty"),
        ("a: [1, 2\nb: 3\n", "f.yaml:2:2: invalid YAML: expected ',' or ']'"),
        ("a: b: c\n", "f.yaml:1:5: invalid YAML"),
        ("a: 1\na: 2\n", "f.yaml:2:1: a: duplicate key 'a'"),
        ("a: !!python/object/apply:os.system [ls]\n", "f.yaml:1:4: a: tag"),
        ("a: !custom 3\n", "is not allowed"),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys"),
        ("? [1, 2]\n: x\n", "keys must be plain names"),
    ],
)
def test_malformed_and_hostile_text(raw: str, expected: str) -> None:
    assert expected in problem_of(raw)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    assert "alias expansion" in problem_of("\n".join(lines) + "\n")


def test_deep_nesting_is_refused() -> None:
    assert f"nesting deeper than {MAX_DEPTH}" in problem_of("a: " + "[" * 200 + "]" * 200 + "\n")
    assert "nesting deeper" in problem_of("a: " + "[" * 5000 + "]" * 5000 + "\n")


def test_huge_binary_and_non_utf8_files() -> None:
    assert "limit" in problem_of(b"a: 1\n" + b"#" * MAX_BYTES)
    assert "binary file" in problem_of(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "f.yaml:2:1: not UTF-8" in problem_of(b"a: 1\nb: \xff\xfe\n")


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="is a directory"):
        load(tmp_path)


def test_bom_is_accepted() -> None:
    assert parse("\ufeffname: A\n".encode()).data == {"name": "A"}
