"""MkDocs hook: a page per seed document, listing the positions the project reads in it.

The seeds themselves stay outside the repository; what each one is comes from the table in
docs/sources.md (file name, what it is, date of the views), and its positions from the data the
package ships (`thesis.files.load.shipped_positions`), so a position added or changed is on its
seed's page at the next build. A position citing a seed that docs/sources.md does not describe
fails the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from thesis.files.load import shipped_positions
from thesis.models.positions import Condition, Position, Positions

SEED_ROW = re.compile(r"^\| `(?P<file>\d{3}_[0-9a-f]{16}\.txt)` \| (?P<what>[^|]+) \| "
                      r"(?P<when>[^|]+) \|$", re.MULTILINE)
"""A row of the seed table in docs/sources.md: exactly three cells, the first a seed file."""


@dataclass(frozen=True)
class Seed:
    file: str
    what: str
    when: str

    @property
    def number(self) -> str:
        return self.file[:3]


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add the generated pages seeds/000.md, seeds/001.md, ...: one per seed described."""
    seeds = described(Path(config.docs_dir) / "sources.md")
    sets = [shipped_positions("company"), shipped_positions("market")]
    unknown = sorted({p.source for s in sets for p in s.positions} - set(seeds))
    if unknown:
        raise PluginError(f"docs/sources.md does not describe {', '.join(unknown)}, which "
                          "positions cite: add a row to its seed table")
    for seed in seeds.values():
        files.append(File.generated(config, f"seeds/{seed.number}.md", content=page(seed, sets)))
    return files


def described(sources: Path) -> dict[str, Seed]:
    """The seeds docs/sources.md describes, by file name, in its order."""
    rows = SEED_ROW.finditer(sources.read_text(encoding="utf-8"))
    return {m["file"]: Seed(m["file"], m["what"].strip(), m["when"].strip()) for m in rows}


def page(seed: Seed, sets: list[Positions]) -> str:
    """One seed's page: what it is, then its positions on each kind of subject, then the
    disagreements they take part in."""
    lines = [f"# Seed {seed.number}", "", f"**{seed.what}**", "",
             f"File `{seed.file}`; date of the views: {seed.when}. Who is speaking, and how to "
             "read a citation: [Sources](../sources.md).", ""]
    for positions in sets:
        own = [p for p in positions.positions if p.source == seed.file]
        if own:
            lines += subject_section(positions, own)
    disputes = disagreements(seed, sets)
    if disputes:
        lines += ["## Where it disagrees with another source", "", *disputes, ""]
    return "\n".join(lines) + "\n"


def subject_section(positions: Positions, own: list[Position]) -> list[str]:
    """The seed's positions on a company or on a market, each with when its author would back
    or challenge the subject."""
    lines = [f"## On a {positions.subject} ({len(own)})", "",
             f"Each position speaks to a factor of the `{positions.scorecard}` scorecard; every "
             f"report on a {positions.subject} says whether the author would back or challenge "
             "it, and whether our score agrees.", ""]
    for p in own:
        lines += [f"### `{p.id}` {{#{p.id}}}", "", f"**{p.speaker}**, {p.date}: {p.claim}", "",
                  f"> {p.anchor}", "",
                  f"- speaks to: {_factor(p.about)}",
                  f"- would back it{_because(p.backs_because)} when {_all(p.backs_when)}",
                  f"- would challenge it{_because(p.challenges_because)} when "
                  f"{_all(p.challenges_when)}", ""]
    return lines


def disagreements(seed: Seed, sets: list[Positions]) -> list[str]:
    """A line per disagreement one of the seed's positions is on a side of."""
    lines = []
    for positions in sets:
        sources = {p.id: p for p in positions.positions}
        for d in positions.disagreements:
            if any(sources[i].source == seed.file for side in d.sides for i in side):
                sides = " against ".join(
                    ", ".join(f"{sources[i].speaker} ({_link(sources[i], seed)})" for i in side)
                    for side in d.sides)
                lines.append(f"- {d.about} (`{d.id}`): {sides}")
    return lines


def condition(c: Condition) -> str:
    """One condition in words."""
    if c.any is not None:
        return "any of: " + "; ".join(condition(inner) for inner in c.any)
    named = {"the verdict": c.verdict, "the market's stage": c.stage, "the layer": c.layer,
             "the segment": c.segment}
    for what, among in named.items():
        if among is not None:
            return f"{what} is {_either(among)}"
    subject = (f"`{c.input}`" if c.input is not None else "the whole score" if c.factor == "score"
               else f"the score of `{c.factor}`")
    if c.at_least is not None:
        return f"{subject} is at least {c.at_least:g}"
    if c.at_most is not None:
        return f"{subject} is at most {c.at_most:g}"
    return f"{subject} is {_either(c.among or [])}"


def _all(conditions: list[Condition]) -> str:
    return " and ".join(condition(c) for c in conditions)


def _factor(about: str) -> str:
    return "the whole score" if about == "score" else f"the factor `{about}`"


def _because(reason: str) -> str:
    return f" ({reason})" if reason else ""


def _either(choices: list[str]) -> str:
    return " or ".join(f"`{choice}`" for choice in choices)


def _link(position: Position, seed: Seed) -> str:
    """A position's id, linked to its entry on its own seed's page."""
    page = "" if position.source == seed.file else f"{position.source[:3]}.md"
    return f"[{position.id}]({page}#{position.id})"
