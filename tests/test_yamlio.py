"""Safe YAML loading: positions of every value, the defences against hostile files, and the
same documents and errors whether libyaml (in C) or ruamel's Python composer reads a file."""

from __future__ import annotations

import importlib.util
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import thesis.files.yaml as yaml_module
from tests.conftest import EXAMPLES, ROOT
from thesis.errors import InputError
from thesis.files.yaml import C_NESTING, MAX_BYTES, MAX_DEPTH, dotted, load, nesting_bound, parse

SCORECARDS = ROOT / "src" / "thesis" / "scorecards"
C_COMPOSER = importlib.util.find_spec("_ruamel_yaml") is not None


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


# --- ruamel's C composer (libyaml) and its Python one read every file alike ----------------

TRICKY = [
    "a: yes\nb: no\nc: on\nd: off\ne: True\nf: FALSE\n",
    "a: 0o17\nb: 0x1F\nc: 017\nd: 1e3\ne: 1.5e-3\nf: .inf\ng: -.Inf\nh: .NaN\ni: 1_000\nj: +5\n",
    "a: ~\nb: null\nc: Null\nd:\ne: ''\n", "a: 2025-01-01\nb: 2025-01-01T10:00:00Z\nc: 2025-01\n",
    "a: &x [1, 2]\nb: *x\n", "a: &x\n  b: *x\n", "a: *undefined\n", "a: 1\na: 2\n",
    "{a: 1, a: 2}\n",
    "a: [1, 2\nb: 3\n", "a: b: c\n", "a: 1\n  b: 2\n", "a: -\n", "a: @foo\n", "a: `x\n",
    "a: [1,,2]\n", "a:\n\t- 1\n", "a: 'unterminated\n", 'a: "esc \\x41 \\u00e9"\n',
    "a: !!python/object/apply:os.system [ls]\n", "a: !custom 3\n", "a: !!str 5\n",
    "a: !!binary aGk=\n", "base: &b {x: 1}\nother:\n  <<: *b\n", "? [1, 2]\n: x\n", "? a\n: b\n",
    "a: |\n  line1\n  line2\nb: >-\n  x\n\n  y\n", "--- \na: 1\n...\n", "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: yes\n", "%YAML 1.2\n---\na: yes\n", "a: 1\n\x85b: 2\n", "a: 1\u2028b: 2\n",
    "名字: 数据\n", "a: 12:30\n", "a: 0b101\n", "a: [b: c]\n", "- - - a\n", "a:\n- 1\n- 2\n",
    "1: one\ntrue: x\n", "a: 1\r\nb: 2\r\n", "a: 'it''s'\n", "a: \"multi\n  line\"\n",
    "a: " + "[" * 60 + "]" * 60 + "\n", "- " * 300 + "a\n",
]


def outcome(text: str) -> object:
    """What `parse` makes of the text: the document with its positions, or the error lines."""
    try:
        doc = parse(text.encode(), "f.yaml")
    except InputError as exc:
        return exc.lines()
    return repr(doc.data), sorted(doc.positions.items(), key=repr)


def in_python(text: str, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(yaml_module, "C_NESTING", -1)
        return outcome(text)


def corpus() -> list[str]:
    files = sorted([*EXAMPLES.glob("*/*.yaml"), *SCORECARDS.rglob("*.yaml")])
    return [path.read_text(encoding="utf-8") for path in files] + TRICKY


@pytest.mark.skipif(not C_COMPOSER, reason="ruamel.yaml.clib is not installed")
@pytest.mark.parametrize("text", corpus())
def test_the_c_composer_reads_every_file_as_the_python_one(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert outcome(text) == in_python(text, monkeypatch)


@pytest.mark.skipif(not C_COMPOSER, reason="ruamel.yaml.clib is not installed")
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=4), max_leaves=30),
    flow=st.sampled_from([None, True, False]))
def test_any_dumped_document_reads_alike_in_c_and_python(
        data: object, flow: bool | None, monkeypatch: pytest.MonkeyPatch) -> None:
    from ruamel.yaml import YAML

    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = flow
    buffer = io.StringIO()
    writer.dump({"root": data}, buffer)
    text = buffer.getvalue()
    assert outcome(text) == in_python(text, monkeypatch)


def test_nesting_the_bound_misses_never_reaches_c() -> None:
    assert nesting_bound("a: " + "[" * 5000 + "]" * 5000 + "\n") > C_NESTING
    assert nesting_bound("- " * 100_000 + "a\n") > C_NESTING
    assert nesting_bound("a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 500))) > C_NESTING
    assert "nesting deeper" in problem_of("- " * 100_000 + "a\n")
