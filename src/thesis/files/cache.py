"""Results kept as JSON under the SHA-256 of everything they depend on: parsed YAML (the
shipped rule files, read on every run) and cohort fits (`thesis.subjects`).

ruamel's pure-Python composer takes about 0.1 s per shipped scorecard, and a company's score
reads five of them and the positions. The same bytes parsed by the same parser always give the
same `Document`, so the SHA-256 of the bytes and of the parser's own source names the entry: an
edited file (or parser) has a new name, and a stale entry is never read. The entry holds the
plain data and every value's position, so errors stay located. JSON, never pickle; an entry
that fails to read is computed again, and a cache that cannot be written is simply not used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from thesis.files import yaml
from thesis.files.yaml import Document, load, parse


@functools.cache
def _parser() -> bytes:
    return Path(yaml.__file__).read_bytes()


def cache_dir() -> Path:
    """`$THESIS_CACHE_DIR`, else `$XDG_CACHE_HOME/thesis`, else `~/.cache/thesis`."""
    if "THESIS_CACHE_DIR" in os.environ:
        return Path(os.environ["THESIS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "thesis"


def recall(key: bytes) -> Any:
    """What `keep` stored under `key`, or None (never stored, or unreadable)."""
    try:
        return json.loads(_entry(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def keep(key: bytes, value: Any) -> None:
    """Store `value` under `key` if it comes back from JSON equal (not a NaN, say), atomically;
    a cache that cannot be written is not used."""
    text = json.dumps(value, ensure_ascii=False)
    if json.loads(text) != value:
        return
    entry = _entry(key)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=entry.parent,
                                         delete=False, suffix=".tmp") as out:
            out.write(text)
        Path(out.name).replace(entry)
    except OSError:
        pass


def _entry(key: bytes) -> Path:
    return cache_dir() / f"{hashlib.sha256(key).hexdigest()}.json"


def load_cached(path: Path) -> Document:
    """The file's document, from the cache when its bytes were parsed before."""
    try:
        raw = path.read_bytes()
    except OSError:
        return load(path)  # the located error
    stored = recall(_parser() + raw)
    try:
        return Document(str(path), stored["data"],
                        {tuple(loc): (line, column) for loc, line, column in stored["at"]})
    except (KeyError, TypeError, ValueError):
        pass
    doc = parse(raw, str(path))
    keep(_parser() + raw, {"data": doc.data,
                           "at": [[list(loc), line, column]
                                  for loc, (line, column) in doc.positions.items()]})
    return doc
