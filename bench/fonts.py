"""Handwriting fonts for the benchmark, fetched from the npm registry's @fontsource packages.

Fonts are never committed: ``python -m bench fonts`` packs each pinned package with
``npm pack`` into a temporary folder and keeps only its Latin 400-weight WOFF (Pillow's
FreeType reads WOFF directly, so no conversion is needed) plus the OFL licence. A
``fonts.lock.json`` beside the files records what was installed, so a second run that finds
everything in place returns at once without touching the network.

The fonts are split in three: "dev" fonts may be looked at while tuning the extractor; the
"heldout" fonts measure how well that tuning generalises. Held-out errors were looked at while
tuning too, so "fresh" fonts (opt-in, ``dataset --split fresh``) were added as the clean
measure; fresh results were then used to choose changes, so that split is spent as well.
"unseen" fonts (``dataset --split unseen``) replace it: score them for totals only, at the
end of a piece of work, and never look at their individual errors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

FONTSOURCE_VERSION = "5.3.0"


@dataclass(frozen=True)
class FontSpec:
    name: str  # the @fontsource package id, also the file stem and the id in truth JSON
    split: str  # "dev" | "heldout" | "fresh" | "unseen"
    version: str = FONTSOURCE_VERSION

    @property
    def package(self) -> str:
        return f"@fontsource/{self.name}@{self.version}"

    @property
    def filename(self) -> str:
        return f"{self.name}.woff"


_DEV = (
    "caveat", "indie-flower", "patrick-hand", "kalam", "shadows-into-light", "homemade-apple",
    "reenie-beanie", "gochi-hand", "architects-daughter", "just-another-hand",
    "covered-by-your-grace", "handlee", "schoolbell", "coming-soon", "gloria-hallelujah",
    "permanent-marker", "rock-salt",
)
# A spread of difficulty, not just the hardest: two connected/cursive hands, a narrow tall
# one, a light scrawl and a neat print hand.
_HELDOUT = (
    "nothing-you-could-do", "zeyada", "sue-ellen-francisco", "the-girl-next-door", "short-stack",
)

# Never tuned on. Again a spread: a connected cursive, a light thin scrawl, a neat print hand,
# a slanted loopy hand, a bold marker-like print and a narrow Korean pen font's Latin.
_FRESH = (
    "cedarville-cursive", "over-the-rainbow", "annie-use-your-telescope", "loved-by-the-king",
    "walter-turncoat", "nanum-pen-script",
)

# Never used by any earlier split. A marker-pen print hand, a light fast cursive scrawl, a
# thin slanted hand, a bubbly print hand, a Korean pen font's rounded Latin and a neat
# everyday hand.
_UNSEEN = (
    "sedgwick-ave", "dawning-of-a-new-day", "waiting-for-the-sunrise", "swanky-and-moo-moo",
    "gaegu", "mynerve",
)

FONTS: tuple[FontSpec, ...] = (
    tuple(FontSpec(n, "dev") for n in _DEV)
    + tuple(FontSpec(n, "heldout") for n in _HELDOUT)
    + tuple(FontSpec(n, "fresh") for n in _FRESH)
    + tuple(FontSpec(n, "unseen") for n in _UNSEEN)
)
BY_NAME = {f.name: f for f in FONTS}
LOCK_NAME = "fonts.lock.json"


def repo_root() -> Path:
    """The checkout the benchmark lives in (this file is bench/fonts.py)."""
    return Path(__file__).resolve().parents[1]


def default_font_dir() -> Path:
    env = os.environ.get("TASKOCR_BENCH_FONTS")
    return Path(env) if env else repo_root() / "bench" / "fonts"


def fonts_for(split: str | None) -> tuple[FontSpec, ...]:
    return tuple(f for f in FONTS if split in (None, f.split))


def _read_lock(font_dir: Path) -> dict[str, str]:
    try:
        return json.loads((font_dir / LOCK_NAME).read_text())
    except (OSError, ValueError):
        return {}


def missing(font_dir: Path | None = None, names: list[str] | None = None) -> list[FontSpec]:
    font_dir = font_dir or default_font_dir()
    lock = _read_lock(font_dir)
    specs = [BY_NAME[n] for n in names] if names else list(FONTS)
    return [
        f for f in specs
        if lock.get(f.name) != f.package or not (font_dir / f.filename).is_file()
    ]


def install(font_dir: Path | None = None, names: list[str] | None = None, npm: str = "npm") -> Path:
    """Make sure the pinned fonts are in ``font_dir``; only missing ones are fetched."""
    font_dir = font_dir or default_font_dir()
    todo = missing(font_dir, names)
    if not todo:
        return font_dir
    if shutil.which(npm) is None:
        raise RuntimeError(f"{npm!r} not found: install Node.js/npm to fetch the benchmark fonts")
    font_dir.mkdir(parents=True, exist_ok=True)
    (font_dir / "licenses").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="taskocr-fonts-") as tmp:
        # One npm call for all packages: npm's start-up dominates a per-package loop.
        proc = subprocess.run(
            [npm, "pack", "--json", "--pack-destination", tmp, *[f.package for f in todo]],
            capture_output=True, text=True, cwd=tmp,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"npm pack failed: {proc.stderr.strip()[-2000:]}")
        packed = {entry["name"].split("/")[-1]: entry["filename"] for entry in json.loads(proc.stdout)}
        lock = _read_lock(font_dir)
        for f in todo:
            tgz = Path(tmp) / packed[f.name].replace("@", "").replace("/", "-")
            with tarfile.open(tgz) as tar:
                woff = tar.extractfile(f"package/files/{f.name}-latin-400-normal.woff")
                lic = tar.extractfile("package/LICENSE")
                (font_dir / f.filename).write_bytes(woff.read())
                if lic is not None:
                    (font_dir / "licenses" / f"{f.name}.txt").write_bytes(lic.read())
            lock[f.name] = f.package
        (font_dir / LOCK_NAME).write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return font_dir


def font_path(name: str, font_dir: Path | None = None) -> Path:
    path = (font_dir or default_font_dir()) / BY_NAME[name].filename
    if not path.is_file():
        raise FileNotFoundError(f"font {name} is not installed; run: python -m bench fonts")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="taskocr bench fonts", description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=None, help="where to put the fonts (default bench/fonts)")
    ap.add_argument("--list", action="store_true", help="list the fonts and their split, then exit")
    ap.add_argument("names", nargs="*", help="only these fonts (default: all)")
    args = ap.parse_args(argv)
    if args.list:
        for f in FONTS:
            print(f"{f.name:24} {f.split:8} {f.package}")
        return 0
    unknown = [n for n in args.names if n not in BY_NAME]
    if unknown:
        ap.error(f"unknown font(s): {', '.join(unknown)}")
    font_dir = args.dir or default_font_dir()
    todo = missing(font_dir, args.names or None)
    install(font_dir, args.names or None)
    print(f"{len(args.names or FONTS)} fonts in {font_dir} ({len(todo)} fetched)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
