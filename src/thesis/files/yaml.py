"""Safe YAML loading that remembers where every value came from.

We compose the YAML node graph with ruamel.yaml (YAML 1.2, so `yes` stays a string) and build
plain Python values ourselves. That gives us, in one walk: the line and column of every value
(so a validation error can point at `file:line:col`), and the defences against hostile files:
a size cap, UTF-8 only, no binary, standard tags only (no `!!python/...`), no duplicate keys,
a depth cap and a cap on the values an alias may expand into ("billion laughs").

ruamel composes with libyaml in C (ruamel.yaml.clib) about four times faster than in Python,
and gives the same nodes and positions; but it recurses in C, where nesting deep enough to
exhaust a thread's stack crashes the process instead of raising RecursionError, and it reads a
`%YAML 1.1` directive and the Unicode line breaks NEL, LS and PS differently. So a file goes to C
only when a cheap bound on its nesting (`nesting_bound`) is small and it has none of those, and
a file C refuses is read again in Python, whose error messages are the more telling. The two
give the same documents and the same errors (`tests/test_yamlio.py`).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thesis.errors import InputError, Problem

MAX_BYTES = 2_000_000
MAX_DEPTH = 48
MAX_VALUES = 200_000
C_NESTING = 400
"""The largest `nesting_bound` composed in C: about 120 KB of C stack, where a thread has 256 KB
or more (512 KB on macOS, 8 MB on Linux)."""
_READ_DIFFERENTLY = re.compile("^%|[\x85\u2028\u2029]", re.MULTILINE)

Loc = tuple[str | int, ...]

_STANDARD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_STANDARD}{t}" for t in ("str", "int", "float", "bool", "null")}
_TIMESTAMP = f"{_STANDARD}timestamp"
_MAP, _SEQ = f"{_STANDARD}map", f"{_STANDARD}seq"


@dataclass
class Document:
    """Plain data from one YAML file, with the position of every value in it."""

    file: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Iterable[str | int]) -> tuple[int, int]:
        """Line and column (1-based) of `loc`, or of its nearest located ancestor."""
        path = tuple(loc)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        path = tuple(loc)
        line, column = self.position(path)
        return Problem(self.file, line, column, dotted(path), message)


def dotted(loc: Iterable[str | int]) -> str:
    """`('engagement', 'cohorts', 0, 'active')` -> `engagement.cohorts[0].active`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load(path: str | Path) -> Document:
    """Read and parse a YAML file; every problem raises `InputError` located in that file."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError.single(name, "file not found") from None
    except IsADirectoryError:
        raise InputError.single(name, "is a directory, expected a YAML file") from None
    except OSError as exc:
        raise InputError.single(name, f"cannot read file: {exc.strerror}") from None
    return parse(raw, name)


def parse(raw: bytes, name: str = "<string>") -> Document:
    """Parse YAML bytes (see `load`)."""
    if len(raw) > MAX_BYTES:
        raise InputError.single(name, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")
    if b"\x00" in raw:
        raise InputError.single(name, "binary file (contains NUL bytes), expected YAML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(name, "not UTF-8 text", line=line) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise InputError.single(name, "file is empty")
    root = _compose(text, name)
    builder = _Builder(name)
    data = builder.build(root, (), 0)
    return Document(name, data, builder.positions)


def nesting_bound(text: str) -> int:
    """At least the depth of the deepest node: a node nests deeper only by a flow collection
    (`[`, `{`), a block sequence entry or an explicit key (`- `, `? `, with the mapping such an
    entry may hold) or more indentation."""
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    indicators = sum(text.count(f"{mark}{after}") for mark in "-?" for after in " \n")
    return indent + 2 * indicators + text.count("[") + text.count("{") + 1


def _compose(text: str, name: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if nesting_bound(text) <= C_NESTING and not _READ_DIFFERENTLY.search(text):
        with contextlib.suppress(YAMLError):
            return YAML(typ="safe", pure=False).compose(io.StringIO(text))
    try:
        return YAML(typ="safe", pure=True).compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        raise InputError.single(name, f"invalid YAML: {what}", line=line, column=column) from None
    except YAMLError as exc:
        raise InputError.single(name, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError.single(name, f"nesting deeper than {MAX_DEPTH} levels") from None


class _Builder:
    """Turns composed nodes into plain values, recording positions and enforcing the caps."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.values = 0

    def fail(self, node: Any, message: str, loc: Loc) -> InputError:
        mark = node.start_mark
        return InputError(
            [Problem(self.name, mark.line + 1, mark.column + 1, dotted(loc), message)]
        )

    def build(self, node: Any, loc: Loc, depth: int) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.fail(node, f"more than {MAX_VALUES:,} values (alias expansion?)", loc)
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels", loc)
        self.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        tag = str(node.tag)
        if tag == _MAP:
            return self._mapping(node, loc, depth)
        if tag == _SEQ:
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        if tag == _TIMESTAMP:
            return str(node.value)
        if tag in _SCALAR_TAGS:
            return _scalar(tag.removeprefix(_STANDARD), str(node.value))
        raise self.fail(node, f"tag {tag!r} is not allowed; only plain YAML data is", loc)

    def _mapping(self, node: Any, loc: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if str(key_node.tag) == f"{_STANDARD}merge":
                raise self.fail(key_node, "merge keys (<<) are not supported", loc)
            key = self.build(key_node, loc, depth + 1)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise self.fail(key_node, "keys must be plain names", loc)
            key = str(key)
            if key in out:
                raise self.fail(key_node, f"duplicate key {key!r}", (*loc, key))
            self.positions[(*loc, key)] = (key_node.start_mark.line + 1,
                                           key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*loc, key), depth + 1)
        return out


def _scalar(kind: str, text: str) -> Any:
    """A YAML 1.2 core-schema scalar, as the resolver tagged it."""
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    plain = text.replace("_", "")
    if kind == "int":
        lowered = plain.lower()
        if lowered.lstrip("+-").startswith(("0x", "0o", "0b")):
            return int(lowered, 0)
        return int(plain)
    if kind == "float":
        lowered = plain.lower()
        if lowered in {".nan"}:
            return float("nan")
        if lowered.lstrip("+-") == ".inf":
            return float("-inf") if lowered.startswith("-") else float("inf")
        return float(plain)
    return text
