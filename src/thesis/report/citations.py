"""Where each rule comes from, as a report's numbered notes: a seed by its speaker, title and
date with its original anchor (the seed's file named only in the list under the notes), a public
benchmark by its name, an assumption with its reason. Chinese stays in the notes: `english`
keeps the body of a report in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEED_FILE = re.compile(r"\b(\d{3})_[0-9a-f]{16}\.txt")
"""A seed document's file name, as sources cite it."""
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class Note:
    number: int
    text: str



class Citations:
    """The notes of one document: each distinct citation gets the next number."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def cite(self, source: str) -> tuple[int, ...]:
        """The number of the note that cites this source (`citation`); none for no source."""
        return self.note(citation(source))

    def note(self, text: str) -> tuple[int, ...]:
        """The number of a note with this text: the next one, or the one it already has."""
        if not text:
            return ()
        return (self.numbers.setdefault(text, len(self.numbers) + 1),)

    def notes(self) -> list[Note]:
        return [Note(n, text) for text, n in self.numbers.items()]


@dataclass(frozen=True)
class Seed:
    """Who speaks in a seed document and what it is (docs/sources.md): briefly for a note, in
    full for the list of documents under the notes."""

    file: str
    speaker: str
    title: str
    date: str
    about: str


SEEDS = {seed.file[:3]: seed for seed in (
    Seed("000_793eca45db821f36.txt", "Grady, Huang and Buhler (Sequoia)", "AI Ascent 2025",
         "May 2025", "Sequoia Capital's AI Ascent 2025 keynotes (Pat Grady, Sonya Huang, "
         "Konstantine Buhler), in a Chinese write-up of 13 May 2025"),
    Seed("001_9073ae9f410f6ac8.txt", "Buhler (Sequoia)",
         "\u201cThe $10 Trillion AI Revolution\u201d", "Aug 2025",
         "Konstantine Buhler's talk \u201cThe $10 Trillion AI Revolution\u201d (Sequoia), in "
         "Best Partners TV's Chinese summary of 30 Aug 2025 (the talk's date not given)"),
    Seed("002_e8b33134b6db8f3c.txt", "Casado (a16z)", "20VC interview", "Jul 2025",
         "Martin Casado of a16z interviewed on 20VC, in a Chinese translation edited by CSDN, "
         "Jul 2025"),
    Seed("003_82f95a529277e79a.txt", "Sequoia", "AI Ascent 2026", "Apr 2026",
         "Sequoia's AI Ascent 2026, a summary of 13 talks (\u201cThis is AGI\u201d), cut off in "
         "the Brockman dialogue, Apr 2026"),
    Seed("004_cd6a7d5e8935a604.txt", "Brilliant Phoenix speaker", "AI-bubble talk", "Nov 2025",
         "a Brilliant Phoenix fund talk (transcript, Chinese) of 5-6 Nov 2025 that retells "
         "Coatue's 2025 bubble scorecard; the readings and the verdict are the speaker's"),
)}
"""The seed documents, by the number their file names start with."""
SEEDS_NOTE = ("The seed documents, which the notes name by the number their file names start "
              "with (docs/sources.md):")
SEED_NOTE = re.compile(r"\(seed (\d{3})\)")
_QUOTED = re.compile(r'"([^"]+)"')
NOTE_REASON = 160
"""Characters of an assumption's reason a note keeps (the scorecard has it in full)."""


def seed_note(file: str, anchor: str, speaker: str = "", date: str = "") -> str:
    """One seed cited: who, in which document and when, the original anchor, and the seed's
    number (the list under the notes names its file) or, for a seed not listed, its file."""
    seed = SEEDS.get(file[:3])
    if seed is None or seed.file != file:
        who, title, when, which = speaker or file, "", date, file
    else:
        who, title, when, which = (speaker or seed.speaker, f", {seed.title}",
                                   date or seed.date, f"seed {file[:3]}")
    quote = f": \u201c{anchor}\u201d" if anchor else ""
    return f"{who}{title}{', ' if when else ''}{when}{quote} ({which})"


def citation(source: str) -> str:
    """A source as a short note: each seed it cites with its first anchor; a public benchmark
    by its name; an assumption with its reason."""
    text = " ".join(source.split())
    seeds = list(SEED_FILE.finditer(text))
    if not seeds:
        return _reference(text)
    parts: list[str] = []
    before = text[:seeds[0].start()].strip(" ,;:(")
    if before:
        parts.append(_reference(before))
    cited: set[str] = set()
    for i, found in enumerate(seeds):
        if found.group(0) in cited:
            continue
        cited.add(found.group(0))
        end = seeds[i + 1].start() if i + 1 < len(seeds) else len(text)
        anchor = _QUOTED.search(text, found.end(), end)
        parts.append(seed_note(found.group(0), anchor.group(1) if anchor else ""))
    return "; ".join(parts)


def _reference(text: str) -> str:
    """A public source by its name (the text before its first colon outside quotes and
    brackets); an assumption with the first clause of its reason."""
    depth, quoted, head = 0, False, text
    for i, char in enumerate(text):
        quoted ^= char == '"'
        depth += (char == "(") - (char == ")")
        if char == ":" and not quoted and depth == 0:
            head = text[:i]
            break
    if not head.lower().startswith("assumption") or head == text:
        return _clip(head)
    reason = re.split(r"; |\. ", text[len(head) + 1:].strip(), maxsplit=1)[0]
    return _clip(f"{head}: {reason}")


def _clip(text: str, limit: int = NOTE_REASON) -> str:
    text = text.strip().rstrip(".")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "\u2026"


def english(text: str) -> str:
    """Text for the body of a report, where a Chinese phrase belongs in a note: a bracketed or
    quoted phrase in Chinese left out, a leading Chinese term (`良性泡沫: ...`) dropped."""
    text = re.sub(r"\s*\([^()]*" + _CJK.pattern + r"[^()]*\)", "", text)
    text = re.sub(r'\s*"[^"]*' + _CJK.pattern + r'[^"]*"', "", text)
    return re.sub(r"^[^:]*" + _CJK.pattern + r"[^:]*:\s*", "", text)
