"""Draw a page of handwriting: paper (plain, lined, grid), words with per-word jitter on
wandering baselines, and pen strokes for what fonts lack (→, boxes, ticks, strike-throughs).

Works in page pixels; ``photo.py`` then puts the page on a desk in perspective. Everything
random comes from the ``rng`` passed in, so a page is a pure function of its inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

from .content import LineSpec, PageContent

INKS = {"blue": (28, 48, 140), "black": (30, 30, 36), "pencil": (95, 95, 100)}
PAPERS = {"white": (247, 247, 243), "cream": (246, 240, 224), "yellow": (250, 238, 168),
          "grey": (234, 232, 226)}


@lru_cache(maxsize=256)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@lru_cache(maxsize=64)
def _metric(path: str) -> tuple[float, float]:
    """(size-independent handwriting height, pen width), both per unit of font size.

    The height is the mean of x-height and cap height: all-caps fonts (Permanent Marker)
    have no real x-height, and cursive fonts have tiny ones under huge capitals.
    """
    f = _font(path, 100)
    xh = -f.getbbox("x", anchor="ls")[1]
    cap = -f.getbbox("H", anchor="ls")[1]
    mask = np.asarray(f.getmask("l"), dtype=np.uint8).reshape(f.getmask("l").size[::-1])
    rows = mask[mask.shape[0] // 3: 2 * mask.shape[0] // 3] > 127
    pen = float(rows.sum(axis=1).mean()) if rows.size else 8.0
    return (xh + cap) / 200.0, max(pen, 4.0) / 100.0


@dataclass
class DrawnLine:
    role: str
    text: str
    task: int | None
    box: tuple[float, float, float, float] | None  # x1, y1, x2, y2 in page pixels
    strike: bool


@dataclass
class PageStyle:
    paper: str
    ruling: str  # plain | lined | grid
    ink: str
    margin_line: bool


def choose_style(rng: np.random.Generator) -> PageStyle:
    ruling = str(rng.choice(["plain", "lined", "grid"], p=[0.35, 0.4, 0.25]))
    paper = str(rng.choice(list(PAPERS), p=[0.55, 0.2, 0.12, 0.13]))
    ink = str(rng.choice(list(INKS), p=[0.5, 0.42, 0.08]))
    return PageStyle(paper, ruling, ink, ruling == "lined" and bool(rng.random() < 0.5))


class _Pen:
    """Pen strokes with a slight hand tremor, drawn into the ink mask."""

    def __init__(self, ink: Image.Image, width: float, rng: np.random.Generator):
        self.draw = ImageDraw.Draw(ink)
        self.w = max(1.5, width)
        self.rng = rng

    def stroke(self, pts: list[tuple[float, float]], wobble: float = 0.25):
        dense: list[tuple[float, float]] = []
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            n = max(2, int(math.hypot(x1 - x0, y1 - y0) / (self.w * 2.5)))
            dense += [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(n)]
        dense.append(pts[-1])
        walk = np.cumsum(self.rng.normal(0, wobble * self.w * 0.3, (len(dense), 2)), axis=0)
        walk -= np.linspace(walk[0], walk[-1], len(dense))  # tremor, but the ends stay put
        dense = [(x + dx, y + dy) for (x, y), (dx, dy) in zip(dense, walk)]
        w = int(round(self.w * self.rng.uniform(0.85, 1.1)))
        self.draw.line(dense, fill=255, width=w, joint="curve")
        r = w / 2
        for x, y in (dense[0], dense[-1]):
            self.draw.ellipse((x - r, y - r, x + r, y + r), fill=255)

    def arrow(self, x: float, base: float, h: float, width: float):
        y = base - 0.45 * h + self.rng.normal(0, 0.05 * h)
        tip = (x + width, y + self.rng.normal(0, 0.06 * h))
        self.stroke([(x, y), tip])
        head = 0.45 * h
        for sgn in (-1, 1):
            ang = math.radians(150 * sgn + self.rng.normal(0, 6))
            self.stroke([tip, (tip[0] + head * math.cos(ang), tip[1] + head * math.sin(ang))])

    def box(self, x: float, base: float, side: float, ticked: bool):
        j = lambda: self.rng.normal(0, 0.05 * side)  # noqa: E731 - tiny corner jitter
        tl, tr = (x + j(), base - side + j()), (x + side + j(), base - side + j())
        br, bl = (x + side + j(), base + j()), (x + j(), base + j())
        if self.rng.random() < 0.5:
            self.stroke([tl, tr, br, bl, (tl[0], tl[1] + 0.04 * side)], wobble=0.15)
        else:  # four separate strokes that overshoot the corners, as quick boxes are drawn
            for a, b in ((tl, tr), (tr, br), (br, bl), (bl, tl)):
                ext = 0.08 * side
                dx, dy = b[0] - a[0], b[1] - a[1]
                n = math.hypot(dx, dy) or 1
                self.stroke([(a[0] - dx / n * ext, a[1] - dy / n * ext), (b[0] + dx / n * ext * 0.5, b[1] + dy / n * ext * 0.5)], 0.1)
        if ticked:
            if self.rng.random() < 0.25:  # a cross instead of a tick
                self.stroke([(x + 0.15 * side, base - 0.85 * side), (x + 0.85 * side, base - 0.15 * side)])
                self.stroke([(x + 0.85 * side, base - 0.85 * side), (x + 0.15 * side, base - 0.15 * side)])
            else:
                self.tick(x + 0.1 * side, base - 0.1 * side, side * 1.1)

    def tick(self, x: float, base: float, h: float):
        self.stroke([(x, base - 0.45 * h), (x + 0.3 * h, base), (x + 0.95 * h, base - 1.05 * h)], 0.2)


def _stroke_width(piece, h: float) -> float:
    return {"arrow": 1.9 * h, "box": 1.25 * h, "tick": 1.0 * h}.get(piece.kind, 0.0)


def _line_words(line: LineSpec):
    """(kind, text, glue, piece) per drawn unit; multi-word pieces become words."""
    for p in line.pieces:
        if p.kind != "text":
            yield p.kind, p.text, p.glue, p
            continue
        for k, word in enumerate(p.text.split()):
            yield "word", word, p.glue and k == 0, p


def draw_page(content: PageContent, font_path: str, size: tuple[int, int], rng: np.random.Generator,
              style: PageStyle | None = None) -> tuple[np.ndarray, list[DrawnLine], PageStyle]:
    """Return the page as an RGB uint8 array, each line's ink box, and the style used."""
    style = style or choose_style(rng)
    pw, ph = size
    unit, pen_unit = _metric(font_path)
    h = pw * rng.uniform(0.015, 0.026)  # handwriting height (mean of x-height and caps)
    left = pw * rng.uniform(0.07, 0.15)
    if style.margin_line:
        left = max(left, pw * 0.13)
    right_limit = pw * (1 - rng.uniform(0.04, 0.09))
    top = ph * rng.uniform(0.06, 0.14)

    # Shrink the hand until the longest line fits the width and all lines fit the height.
    def natural_width(line: LineSpec, hh: float) -> float:
        f = _font(font_path, max(6, int(hh / unit)))
        w = sum(f.getlength(t) if k == "word" else _stroke_width(p, hh) for k, t, _, p in _line_words(line))
        return w + f.getlength(" ") * 1.3 * len(list(_line_words(line))) + (3 * hh if line.indent else 0)

    pitch_f = rng.uniform(2.3, 3.1)
    for _ in range(20):
        widest = max(natural_width(ln, h) for ln in content.lines)
        gaps = 0.6 * sum(ln.gap for ln in content.lines)
        if widest <= right_limit - left and top + pitch_f * h * (len(content.lines) + 1.5 + gaps) <= ph * 0.96:
            break
        h *= 0.92
    size_px = max(6, int(h / unit))
    pitch = pitch_f * h

    paper = Image.new("RGB", (pw, ph), PAPERS[style.paper])
    pd = ImageDraw.Draw(paper)
    rule_w = max(1, int(round(pw / 1100)))
    rule_col = (150, 178, 215) if rng.random() < 0.7 else (175, 175, 180)
    rule0 = top + rng.uniform(0.03, 0.2) * h  # writers put the baseline just above a rule
    if style.ruling == "lined":
        y = rule0 - math.floor(rule0 / pitch) * pitch + pitch
        while y < ph * 0.97:
            pd.line([(0, y), (pw, y)], fill=rule_col, width=rule_w)
            y += pitch
    elif style.ruling == "grid":
        cell = pitch / (2 if rng.random() < 0.7 else 3)
        gx = rng.uniform(0, cell)
        while gx < pw:
            pd.line([(gx, 0), (gx, ph)], fill=rule_col, width=rule_w)
            gx += cell
        gy = rule0 - math.floor(rule0 / cell) * cell
        while gy < ph:
            pd.line([(0, gy), (pw, gy)], fill=rule_col, width=rule_w)
            gy += cell
    if style.margin_line:
        mx = left - rng.uniform(0.3, 0.8) * h
        pd.line([(mx, 0), (mx, ph)], fill=(225, 130, 140), width=rule_w + 1)

    ink = Image.new("L", (pw, ph), 0)
    pen = _Pen(ink, pen_unit * size_px * rng.uniform(0.9, 1.15), rng)
    drawn: list[DrawnLine] = []
    base = top
    title_x: dict[int, float] = {}
    slope0 = rng.normal(0, 0.008)
    prev_role = None
    for line in content.lines:
        if prev_role is not None:
            step = pitch
            if style.ruling == "plain":
                step *= 1 + rng.normal(0, 0.07)
            if prev_role == "heading" or (line.role == "task" and rng.random() < 0.08):
                step += pitch if style.ruling != "plain" and rng.random() < 0.5 else 0.35 * pitch
            elif line.gap:  # a new paragraph: a skipped rule, or a little air on plain paper
                step += pitch if style.ruling != "plain" and rng.random() < 0.4 else 0.5 * pitch
            base += step
        prev_role = line.role
        scale = rng.uniform(1.1, 1.35) if line.role == "heading" else 1.0
        if line.role == "continuation":
            x = title_x.get(line.task, left) + rng.uniform(0.2, 2.2) * h
        elif line.align == "right":  # a letter's date or signature, ending near the right edge
            x = max(left, right_limit - natural_width(line, h) - rng.uniform(0.0, 4.0) * h)
        elif line.indent:  # a paragraph's first line, a sub-point under a note
            x = left + rng.uniform(1.5, 3.0) * h
        else:
            x = left + rng.normal(0, 0.25 * h)
            if line.role == "heading" and rng.random() < 0.2:
                x = left + rng.uniform(0.1, 0.3) * (right_limit - left)
        slope = slope0 + rng.normal(0, 0.01)
        bend, period, phase = rng.uniform(0, 0.12) * h, rng.uniform(6, 14) * h, rng.uniform(0, 6.3)
        x0 = x

        def baseline(xx: float) -> float:
            return base + (xx - x0) * slope + bend * math.sin((xx - x0) / period * 6.283 + phase)

        box = [math.inf, math.inf, -math.inf, -math.inf]
        strike_from, strike_end = None, x
        space = _font(font_path, size_px).getlength(" ")
        first = True
        for kind, text, glue, piece in _line_words(line):
            if not first:
                gap = rng.uniform(1.0, 1.8) if kind in ("arrow", "tick") else rng.uniform(0.8, 1.5)
                x += space * (0.08 if glue else gap * scale)
            first = False
            if piece.role == "title" and strike_from is None:
                strike_from = x
                title_x.setdefault(line.task, x)
            if kind == "word":
                fsize = max(6, int(size_px * scale * (1 + rng.normal(0, 0.025))))
                wb, adv = _paste_word(ink, _font(font_path, fsize), text, x, baseline(x) + rng.normal(0, 0.05 * h),
                                      rng.normal(-math.degrees(slope), 1.0), rng.uniform(0.82, 1.0))
            else:
                adv = _stroke_width(piece, h)
                by = baseline(x)
                if kind == "arrow":
                    pen.arrow(x, by, h, adv * 0.85)
                elif kind == "box":
                    pen.box(x, by, adv * 0.8, piece.ticked)
                else:
                    pen.tick(x, by, adv * 0.9)
                wb = (x, by - 1.1 * h, x + adv, by + 0.1 * h)
            box = [min(box[0], wb[0]), min(box[1], wb[1]), max(box[2], wb[2]), max(box[3], wb[3])]
            if piece.role in ("title", "field", "desc"):
                strike_end = x + adv
            x += adv
        if line.role == "heading" and rng.random() < 0.3:
            uy = baseline(x0) + 0.35 * h
            pen.stroke([(x0 - 0.2 * h, uy), (x + 0.2 * h, baseline(x) + 0.35 * h)])
            box[3] = max(box[3], uy + pen.w)
        if line.strike:
            sx0 = strike_from if strike_from is not None else x0
            sx1 = strike_end + rng.uniform(0, 0.6) * h
            pen.stroke([(sx0 - 0.3 * h, baseline(sx0) - 0.45 * h + rng.normal(0, 0.08 * h)),
                        (sx1, baseline(sx1) - 0.5 * h + rng.normal(0, 0.08 * h))], 0.1)
        drawn.append(DrawnLine(line.role, line.text, line.task, tuple(box) if box[0] < math.inf else None, line.strike))

    return _compose(paper, ink, style, rng), drawn, style


def _paste_word(ink: Image.Image, font, text: str, x: float, base: float, angle: float, strength: float):
    """Render one word rotated about its baseline origin and max-blend it into ``ink``."""
    l, t, r, b = font.getbbox(text, anchor="ls")
    pad = int(font.size * 0.4) + 2
    w, hgt = r - l + 2 * pad, b - t + 2 * pad
    ox, oy = pad - l, pad - t  # the baseline origin inside the word image
    img = Image.new("L", (w, hgt), 0)
    ImageDraw.Draw(img).text((ox, oy), text, font=font, fill=int(255 * strength), anchor="ls")
    img = img.rotate(angle, resample=Image.BICUBIC, center=(ox, oy))
    px, py = int(round(x - ox)), int(round(base - oy))
    region = (px, py, px + w, py + hgt)
    ink.paste(ImageChops.lighter(ink.crop(region), img), region)
    bb = img.getbbox() or (0, 0, 0, 0)
    return (px + bb[0], py + bb[1], px + bb[2], py + bb[3]), font.getlength(text)


def _compose(paper: Image.Image, ink: Image.Image, style: PageStyle, rng) -> np.ndarray:
    ph, pw = paper.height, paper.width
    # Paper is never flat: a faint low-frequency mottling.
    mott = cv2.resize(rng.normal(1.0, 0.006, (max(2, ph // 160), max(2, pw // 160))).astype(np.float32),
                      (pw, ph), interpolation=cv2.INTER_CUBIC)
    page = np.asarray(paper, dtype=np.float32) * mott[..., None]
    a = np.asarray(ink, dtype=np.float32) * (rng.uniform(0.86, 0.97) / 255.0)
    if style.ink == "pencil":  # graphite: grainy and lighter
        grain = rng.uniform(0.45, 1.0, (ph // 2 + 1, pw // 2 + 1)).astype(np.float32)
        a *= cv2.resize(grain, (pw, ph), interpolation=cv2.INTER_NEAREST) * 0.85
    col = np.array(INKS[style.ink], dtype=np.float32) + rng.normal(0, 6, 3).astype(np.float32)
    page = page * (1 - a[..., None]) + col * a[..., None]
    return np.clip(page, 0, 255).astype(np.uint8)
