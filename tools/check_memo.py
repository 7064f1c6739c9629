"""Look at the memos as a reader would: render the shipped examples' memos (a company and a
market), take screenshots with headless Chromium at a desktop and a phone width, and print them
to PDF on A4 and on Letter.

    python tools/check_memo.py OUT_FOLDER [--samples 4096] [--chromium PATH]

Writes OUT_FOLDER/<example>.html, <example>-desktop.png (1280 px wide), <example>-phone.png
(390 px wide), <example>-A4.pdf and <example>-Letter.pdf, and prints each memo's size, its page
counts and whether the phone page scrolls sideways. Exits 1 when a memo prints on more than
MAX_PAGES pages or scrolls sideways at 390 px; 2 when no Chromium is found (install it with
`apt-get install -y chromium`).

Headless Chromium will not make a window narrower than 500 px, so the phone width is an iframe
390 px wide: the memo lays out at 390 CSS pixels (its media queries included) and a script in
the host page reads the memo's scroll width back through --dump-dom.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("examples/companies/casebook.yaml", "examples/markets/ai-2025.yaml")
DESKTOP, PHONE = 1280, 390
PAPERS = ("A4", "Letter")
MAX_PAGES = 4
TALLEST = 16_000
"""Screenshots stop at this height (px): Chromium cannot grab an arbitrarily tall window."""
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--mute-audio", "--allow-file-access-from-files")
TIMEOUT = 180
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def find_chromium(given: str | None = None) -> str | None:
    """The Chromium to use: the one given, else the first of the usual names on PATH."""
    if given:
        return shutil.which(given) or (given if Path(given).is_file() else None)
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def chromium(binary: str, *args: str) -> str:
    """Run headless Chromium; its stdout (the DOM, for --dump-dom)."""
    done = subprocess.run([binary, *FLAGS, *args], capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium {' '.join(args)} failed ({done.returncode}): "
                           f"{done.stderr.strip()[-500:]}")
    return done.stdout


def render_memo(example: str, samples: int, out: Path) -> Path:
    """The memo of a shipped example, written as `thesis report` writes it (dated 1 Jan 2026,
    so the files compare across runs)."""
    import thesis
    from thesis.report.document import Run
    from thesis.report.html import render

    result = thesis.score(thesis.load(ROOT / example), samples=samples, seed=0)
    page = out / f"{Path(example).stem}.html"
    page.write_text(render(result, Run(date="2026-01-01", input_file=example)),
                    encoding="utf-8")
    return page


def page_count(binary: str, page: Path, paper: str, pdf: Path) -> int:
    """Pages of the memo printed to PDF on this paper (A4 or Letter)."""
    with tempfile.TemporaryDirectory() as scratch:
        sized = Path(scratch) / page.name
        sized.write_text(page.read_text(encoding="utf-8").replace(
            "</style>", f"@page {{ size: {paper}; }}</style>", 1), encoding="utf-8")
        chromium(binary, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", sized.as_uri())
    return len(_PAGE.findall(pdf.read_bytes()))


@dataclass(frozen=True)
class Layout:
    """How the memo lays out at one width."""

    scroll_width: int
    client_width: int
    height: int

    @property
    def scrolls_sideways(self) -> bool:
        return self.scroll_width > self.client_width


def layout_at(binary: str, page: Path, width: int) -> Layout:
    """The memo laid out in a frame `width` CSS pixels wide: its scroll width and height."""
    host = page.with_name(f".{page.stem}-{width}.html")
    host.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><style>body{margin:0}"
        f"iframe{{border:0;display:block;width:{width}px;height:900px}}</style></head><body>"
        f"<iframe id='memo' srcdoc=\"{html.escape(page.read_text(encoding='utf-8'))}\"></iframe>"
        "<script>addEventListener('load', () => { const d = document.getElementById('memo')"
        ".contentDocument.documentElement; document.body.dataset.probe = JSON.stringify("
        "[d.scrollWidth, d.clientWidth, d.scrollHeight]); });</script></body></html>",
        encoding="utf-8")
    try:
        dom = chromium(binary, "--window-size=1280,900", "--virtual-time-budget=5000",
                       "--dump-dom", host.as_uri())
    finally:
        host.unlink()
    found = re.search(r'data-probe="([^"]+)"', dom)
    if found is None:
        raise RuntimeError(f"{page.name}: the layout probe did not report at {width} px")
    scroll_width, client_width, height = json.loads(html.unescape(found.group(1)))
    return Layout(scroll_width, client_width, height)


def screenshot(binary: str, page: Path, width: int, height: int, png: Path) -> None:
    """The whole memo (up to `TALLEST` px) as a reader sees it at this width; the phone width
    through a frame, cropped to it."""
    height = min(height, TALLEST)
    if width >= 500:
        chromium(binary, f"--window-size={width},{height}", f"--screenshot={png}",
                 page.as_uri())
        return
    host = page.with_name(f".{page.stem}-shot.html")
    host.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><style>body{margin:0}iframe{border:0;"
        f"display:block;width:{width}px;height:{height}px}}</style></head><body><iframe "
        f"srcdoc=\"{html.escape(page.read_text(encoding='utf-8'))}\"></iframe></body></html>",
        encoding="utf-8")
    try:
        chromium(binary, f"--window-size=500,{height}", f"--screenshot={png}", host.as_uri())
    finally:
        host.unlink()
    from PIL import Image  # matplotlib's dependency, so always there

    with Image.open(png) as shot:
        shot.crop((0, 0, width, height)).save(png)


def check(binary: str, out: Path, samples: int) -> list[str]:
    """Render, look at and print every example's memo; the problems found."""
    problems = []
    for example in EXAMPLES:
        page = render_memo(example, samples, out)
        stem = page.stem
        pages = {paper: page_count(binary, page, paper, out / f"{stem}-{paper}.pdf")
                 for paper in PAPERS}
        desktop, phone = layout_at(binary, page, DESKTOP), layout_at(binary, page, PHONE)
        screenshot(binary, page, DESKTOP, desktop.height, out / f"{stem}-desktop.png")
        screenshot(binary, page, PHONE, phone.height, out / f"{stem}-phone.png")
        print(f"{example}: {page.stat().st_size / 1024:.0f} KB; "
              + ", ".join(f"{paper} {n} pages" for paper, n in pages.items())
              + f"; desktop {desktop.scroll_width}x{desktop.height} px, phone "
              f"{phone.scroll_width} px wide in {phone.client_width} ({phone.height} px tall)")
        problems += [f"{example}: {n} pages on {paper}, more than {MAX_PAGES}"
                     for paper, n in pages.items() if n > MAX_PAGES]
        if phone.scrolls_sideways:
            problems.append(f"{example}: at {PHONE} px the page scrolls sideways "
                            f"({phone.scroll_width} px wide)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the memos, screenshots and PDFs")
    parser.add_argument("--samples", type=int, default=4096, help="Monte Carlo samples")
    parser.add_argument("--chromium", help="the Chromium binary (default: found on PATH)")
    args = parser.parse_args()
    binary = find_chromium(args.chromium)
    if binary is None:
        print("no Chromium found: apt-get install -y chromium (or pass --chromium)",
              file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    problems = check(binary, args.out.resolve(), args.samples)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
