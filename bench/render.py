"""One synthetic photo of a handwritten page (a to-do list, or prose, a letter or notes),
with its ground truth.

``render(spec, seed)`` is a pure function: the same spec and seed give the same JPEG bytes
and the same truth. Separate random streams drive the content, the look of the page, the
photograph and the sampling of size/font, so forcing a size or a font (tests, the README
example) leaves what the page says unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

import cv2
import numpy as np

from . import fonts
from .content import PageContent, make_page
from .negatives import make_other_page
from .page import draw_page
from .photo import encode_jpeg, photograph

# 2: pages that are not lists, and the roster is the data set's team (1: the page's names
# plus a few decoys). Sets made by generator 1 still score: a page without is_list is a list.
GENERATOR = "taskocr-bench/2"
# Upright photo sizes (landscape form) and how often each appears: mostly 12 MP phone shots.
PHOTO_SIZES = {(4032, 3024): 50, (3264, 2448): 15, (2000, 1500): 20, (1600, 1200): 15}
# Page height / width: A4, US letter, a notebook, a tall notepad, a landscape index card.
PAGE_ASPECTS = {1.414: 40, 1.294: 22, 1.35: 20, 1.6: 10, 0.62: 8}


@dataclass(frozen=True)
class RenderSpec:
    split: str = "dev"  # which fonts and phrases to draw from: "dev" | "heldout" | "fresh" | "unseen"
    kind: str = "list"  # "list", or a page that is not one: "prose" | "letter" | "notes"
    team: tuple[str, ...] | None = None  # the roster; None = the split's whole name pool
    font: str | None = None  # a font name from fonts.FONTS; None = chosen by the seed
    size: tuple[int, int] | None = None  # upright (width, height); None = phone-like mix
    orientation: int | None = None  # EXIF orientation to store; None = chosen by the seed
    font_dir: str | None = None


@dataclass(frozen=True)
class Rendered:
    jpeg: bytes
    truth: dict
    content: PageContent


def _weighted(rng, table: dict):
    keys = list(table)
    p = np.array(list(table.values()), float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def render(spec: RenderSpec, seed: int) -> Rendered:
    ss = np.random.SeedSequence(seed)
    r_content, r_page, r_photo, r_meta = (np.random.default_rng(s) for s in ss.spawn(4))

    font_names = [f.name for f in fonts.fonts_for(spec.split)]
    font = spec.font or font_names[int(r_meta.integers(len(font_names)))]
    if spec.size:
        w, h = spec.size
    else:
        w, h = _weighted(r_meta, PHOTO_SIZES)
        if r_meta.random() < 0.65:  # phones are mostly held upright
            w, h = h, w
    orientation = spec.orientation
    if orientation is None:  # portrait shots often keep sensor-landscape pixels plus a tag
        orientation = 6 if h > w and r_meta.random() < 0.2 else 1
    minute = int(r_meta.integers(7 * 60, 21 * 60))

    if spec.kind == "list":
        content = make_page(r_content, spec.split, spec.team)
    else:
        content = make_other_page(r_content, spec.kind, spec.split, spec.team)
    aspect = _weighted(r_page, PAGE_ASPECTS)
    pw = int(0.8 * min(w, h / aspect))
    page_rgb, drawn, style = draw_page(
        content, str(fonts.font_path(font, Path(spec.font_dir) if spec.font_dir else None)),
        (pw, int(pw * aspect)), r_page,
    )
    photo, shot = photograph(page_rgb, (w, h), r_photo)
    taken = datetime.combine(content.ref_date, time(minute // 60, minute % 60))
    jpeg = encode_jpeg(photo, shot.jpeg_quality, taken, orientation)

    def to_photo(box):
        if box is None:
            return None
        x1, y1, x2, y2 = box
        pts = np.float32([[x1, y1], [x2, y1], [x2, y2], [x1, y2]]).reshape(-1, 1, 2)
        q = cv2.perspectiveTransform(pts, shot.homography).reshape(-1, 2)
        lo, hi = q.min(0), q.max(0)
        return [round(float(lo[0])), round(float(lo[1])), round(float(hi[0] - lo[0])), round(float(hi[1] - lo[1]))]

    truth = {
        "generator": GENERATOR,
        "image": None,  # filled in by whoever names the file
        "seed": int(seed),
        "font": font,
        "split": spec.split,
        "kind": content.kind,
        "is_list": content.is_list,
        "ref_date": content.ref_date.isoformat(),
        "date_order": content.date_order,
        "people": list(content.people),
        "lines": [
            {"text": d.text, "role": d.role, "task": d.task, "strike": d.strike, "bbox": to_photo(d.box)}
            for d in drawn
        ],
        "tasks": content.tasks,
        "photo": {
            "width": w, "height": h, "exif_orientation": orientation,
            "captured_at": taken.isoformat(), "desk": shot.desk, "paper": style.paper,
            "ruling": style.ruling, "ink": style.ink, "jpeg_quality": shot.jpeg_quality,
            "blur_sigma": round(shot.blur_sigma, 3), "noise_sigma": round(shot.noise_sigma, 3),
            "page_quad": [[round(float(x)), round(float(y))] for x, y in shot.quad],
        },
    }
    return Rendered(jpeg, truth, content)


def render_small(seed: int, split: str = "dev", font: str | None = None,
                 size: tuple[int, int] = (640, 480), kind: str = "list",
                 team: tuple[str, ...] | None = None) -> Rendered:
    """A quick, small page for tests (about 0.1 s)."""
    return render(RenderSpec(split=split, font=font, size=size, orientation=1, kind=kind, team=team), seed)
