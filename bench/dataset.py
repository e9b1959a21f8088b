"""Generate the benchmark set: NNNN.jpg + NNNN.json per page and a manifest.json.

    python -m bench dataset --out bench/data/v2 --count 240 --seed 7
    python -m bench dataset --out bench/data/unseen --count 60 --seed 23 --split unseen

Reproducible: page ``i`` gets its own seed from (seed, i), so the same arguments give the
same bytes whatever the number of worker processes. Every fourth page is "heldout" (held-out
fonts and phrases). ``--split unseen`` makes every page unseen instead (fonts and phrases no
other split uses; score it for totals only). About one page in four is not a list (prose, a
letter or notes), except on the spent "fresh" split, which stays lists only. Every page of a
set gets the same roster: a team of 20-50 names drawn once from the seed. The manifest
holds no timestamps so that the same arguments give the same bytes.
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

from . import fonts, vocab
from .negatives import KINDS
from .render import GENERATOR, Rendered, RenderSpec, render, render_small

__all__ = ["generate", "page_seed", "split_of", "page_kind", "make_team", "render_one", "render_small",
           "load_truths"]
NOT_LIST_SHARE = 0.25
TEAM_SIZE = (20, 50)


def page_seed(seed: int, index: int) -> int:
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


def split_of(index: int, only: str | None = None) -> str:
    """The split of page ``index``: ``only`` if given, else the dev/heldout mix."""
    if only:
        return only
    return "heldout" if index % 4 == 3 else "dev"


def splits_in(only: str | None) -> tuple[str, ...]:
    return (only,) if only else ("dev", "heldout")


def page_kind(seed: int, index: int, only: str | None = None) -> str:
    """"list" for about three pages in four, else prose, a letter or notes."""
    if only == "fresh":
        return "list"
    rng = np.random.default_rng([seed, index, 1])
    return "list" if rng.random() >= NOT_LIST_SHARE else KINDS[int(rng.integers(len(KINDS)))]


def make_team(seed: int, only: str | None = None) -> tuple[str, ...]:
    """The set's roster: 20-50 names (at most the whole pool) drawn from the seed alone."""
    pool = vocab.names_for(only or "dev")
    rng = np.random.default_rng([seed, 2])
    lo, hi = min(TEAM_SIZE[0], len(pool)), min(TEAM_SIZE[1], len(pool))
    size = int(rng.integers(lo, hi + 1))
    return tuple(str(n) for n in rng.choice(pool, size=size, replace=False))


def render_one(seed: int, index: int, font_dir: str | None = None, only: str | None = None,
               team: tuple[str, ...] | None = None) -> Rendered:
    spec = RenderSpec(split=split_of(index, only), font_dir=font_dir, kind=page_kind(seed, index, only),
                      team=team or make_team(seed, only))
    return render(spec, page_seed(seed, index))


def _work(args) -> dict:
    seed, index, out, font_dir, only, team = args
    import cv2

    cv2.setNumThreads(1)  # the pool already uses every core
    r = render_one(seed, index, font_dir, only, team)
    name = f"{index + 1:04d}"
    truth = dict(r.truth, image=f"{name}.jpg")
    (Path(out) / f"{name}.jpg").write_bytes(r.jpeg)
    (Path(out) / f"{name}.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    return {
        "image": f"{name}.jpg", "truth": f"{name}.json", "seed": truth["seed"], "split": truth["split"],
        "font": truth["font"], "kind": truth["kind"], "is_list": truth["is_list"], "width": truth["photo"]["width"], "height": truth["photo"]["height"],
        "tasks": len(truth["tasks"]), "sha256": hashlib.sha256(r.jpeg).hexdigest(),
    }


def generate(out: Path, count: int, seed: int, workers: int | None = None,
             font_dir: Path | None = None, quiet: bool = False, only: str | None = None) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    splits = splits_in(only)
    used = [f for f in fonts.FONTS if f.split in splits]  # the manifest lists only these
    font_dir = fonts.install(font_dir, [f.name for f in used])
    workers = workers or min(2, os.cpu_count() or 1)
    team = make_team(seed, only)
    jobs = [(seed, i, str(out), str(font_dir), only, team) for i in range(count)]
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
        "kinds": {k: sum(e["kind"] == k for e in entries) for k in ("list", *KINDS)},
        "team": list(team),
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
    ap.add_argument("--out", type=Path, default=fonts.repo_root() / "bench" / "data" / "v2")
    ap.add_argument("--count", type=int, default=240)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=None, help="processes (default: 2 or the core count)")
    ap.add_argument("--fonts", type=Path, default=None, help="font folder (default bench/fonts)")
    ap.add_argument("--split", choices=["unseen", "fresh"], default=None,
                    help="every page from this split (default: the dev/heldout mix, 1 in 4 heldout); "
                         "unseen is scored for totals only, fresh is spent")
    args = ap.parse_args(argv)
    generate(args.out, args.count, args.seed, args.workers, args.fonts, only=args.split)
    return 0


if __name__ == "__main__":
    sys.exit(main())
