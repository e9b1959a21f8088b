"""Generate the benchmark set: NNNN.jpg + NNNN.json per page and a manifest.json.

    python -m bench dataset --out bench/data/v1 --count 240 --seed 7
    python -m bench dataset --out bench/data/fresh --count 60 --seed 11 --split fresh

Reproducible: page ``i`` gets its own seed from (seed, i), so the same arguments give the
same bytes whatever the number of worker processes. Every fourth page is "heldout" (held-out
fonts and phrases). ``--split fresh`` makes every page fresh instead (fonts and phrases nobody
tuned on); without it the output is what it was before "fresh" existed, byte for byte. The
manifest holds no timestamps for the same reason.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

import numpy as np

from . import fonts
from .render import GENERATOR, Rendered, RenderSpec, render, render_small

__all__ = ["generate", "page_seed", "split_of", "render_one", "render_small", "load_truths"]


def page_seed(seed: int, index: int) -> int:
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


def split_of(index: int, only: str | None = None) -> str:
    """The split of page ``index``: ``only`` if given, else the dev/heldout mix."""
    if only:
        return only
    return "heldout" if index % 4 == 3 else "dev"


def splits_in(only: str | None) -> tuple[str, ...]:
    return (only,) if only else ("dev", "heldout")


def render_one(seed: int, index: int, font_dir: str | None = None, only: str | None = None) -> Rendered:
    spec = RenderSpec(split=split_of(index, only), font_dir=font_dir)
    return render(spec, page_seed(seed, index))


def _work(args) -> dict:
    seed, index, out, font_dir, only = args
    import cv2

    cv2.setNumThreads(1)  # the pool already uses every core
    r = render_one(seed, index, font_dir, only)
    name = f"{index + 1:04d}"
    truth = dict(r.truth, image=f"{name}.jpg")
    (Path(out) / f"{name}.jpg").write_bytes(r.jpeg)
    (Path(out) / f"{name}.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    return {
        "image": f"{name}.jpg", "truth": f"{name}.json", "seed": truth["seed"], "split": truth["split"],
        "font": truth["font"], "width": truth["photo"]["width"], "height": truth["photo"]["height"],
        "tasks": len(truth["tasks"]), "sha256": hashlib.sha256(r.jpeg).hexdigest(),
    }


def generate(out: Path, count: int, seed: int, workers: int | None = None,
             font_dir: Path | None = None, quiet: bool = False, only: str | None = None) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    splits = splits_in(only)
    used = [f for f in fonts.FONTS if f.split in splits]  # the manifest lists only these
    font_dir = fonts.install(font_dir, [f.name for f in used])
    workers = workers or min(2, os.cpu_count() or 1)
    jobs = [(seed, i, str(out), str(font_dir), only) for i in range(count)]
    t0 = time.perf_counter()
    if workers > 1:
        with mp.get_context("spawn").Pool(workers) as pool:
            entries = []
            for k, e in enumerate(pool.imap(_work, jobs, chunksize=1), 1):
                entries.append(e)
                if not quiet and k % 20 == 0:
                    print(f"  {k}/{count} pages, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    else:
        entries = [_work(j) for j in jobs]
    manifest = {
        "generator": GENERATOR, "seed": seed, "count": count,
        "fonts": {f.name: f.split for f in used},
        "splits": {s: sum(e["split"] == s for e in entries) for s in splits},
        "images": entries,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    if not quiet:
        dt = time.perf_counter() - t0
        print(f"{count} pages in {out} in {dt:.1f} s ({dt / max(count, 1):.2f} s/page, {workers} workers)",
              file=sys.stderr)
    return manifest


def load_truths(data_dir: Path, split: str | None = None, limit: int | None = None) -> list[dict]:
    """Truth dicts in manifest order, optionally one split and the first ``limit``."""
    manifest = json.loads((data_dir / "manifest.json").read_text())
    truths = []
    for e in manifest["images"]:
        if split and e["split"] != split:
            continue
        truths.append(json.loads((data_dir / e["truth"]).read_text()))
        if limit and len(truths) >= limit:
            break
    return truths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="taskocr bench dataset", description="Generate the benchmark set.")
    ap.add_argument("--out", type=Path, default=fonts.repo_root() / "bench" / "data" / "v1")
    ap.add_argument("--count", type=int, default=240)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=None, help="processes (default: 2 or the core count)")
    ap.add_argument("--fonts", type=Path, default=None, help="font folder (default bench/fonts)")
    ap.add_argument("--split", choices=["fresh"], default=None,
                    help="every page from this split (default: the dev/heldout mix, 1 in 4 heldout)")
    args = ap.parse_args(argv)
    generate(args.out, args.count, args.seed, args.workers, args.fonts, only=args.split)
    return 0


if __name__ == "__main__":
    sys.exit(main())
