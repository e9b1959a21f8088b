"""What the ink on the page shows beside the text the engine read.

Recognisers read letters; the marks people add around them are often dropped: a line struck
through when it is done, a box drawn before an item and ticked or left empty. These checks
look at the flattened page itself, inside and around a line's box.
"""

from __future__ import annotations

import cv2
import numpy as np

from .model import BBox

# grey levels between paper and the darkest writing below which nothing counts as ink
MIN_INK_CONTRAST = 40.0


def _ink(gray: np.ndarray) -> np.ndarray | None:
    """Ink is what is at least half as dark as the darkest strokes, so pencil counts and the
    paper's rulings and grain (fainter than the writing) do not; None when nothing is written."""
    paper = float(np.percentile(gray, 90))
    darkest = float(np.percentile(gray, 2))
    if paper - darkest < MIN_INK_CONTRAST:
        return None
    return (gray < min(paper - MIN_INK_CONTRAST, (paper + darkest) / 2)).astype(np.uint8)


def _crop(page: np.ndarray, x1: float, y1: float, x2: float, y2: float) -> np.ndarray:
    h_img, w_img = page.shape[:2]
    x1, y1 = max(0, int(x1)), max(0, int(y1))
    x2, y2 = min(w_img, int(x2)), min(h_img, int(y2))
    if x2 <= x1 or y2 <= y1:
        return np.zeros((0, 0), np.uint8)
    return cv2.cvtColor(page[y1:y2, x1:x2], cv2.COLOR_RGB2GRAY)


def is_struck_through(page: np.ndarray, box: BBox, *, min_cover: float = 0.6) -> bool:
    """Whether a line of writing is crossed out: one long stroke runs through the middle of
    its letters. Letters, underlines and printed rulings do not: no letter stroke is several
    line-heights long, an underline sits below the middle band, and rulings are fainter than
    the writing (real dev pages: a pencil bullet journal's 4 done tasks found, none wrongly;
    synthetic done 93.7 to 95.0 %)."""
    gray = _crop(page, box.x, box.y, box.x2, box.y2)
    h, w = gray.shape
    if h < 8 or w < 3 * h:
        return False
    ink = _ink(gray)
    if ink is None:
        return False
    run = max(9, int(1.5 * h))
    strokes = cv2.morphologyEx(_thickened(ink), cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    band = strokes[int(0.3 * h): int(0.72 * h) + 1]
    cover = band.any(axis=0).mean()
    return bool(cover >= min_cover)


# a drawn box's side, in heights of the line it starts
BOX_SIDE = (0.45, 1.6)
# share of a box's width its level sides must span, and of its height its upright sides: a
# hand-drawn box is closed, an O or a D is not
LEVEL_COVER, UPRIGHT_COVER = 0.6, 0.75
# space between a box and its text, in heights of the line (real dev pages: 0.25 to 0.7)
MAX_GAP = 1.0
# ink inside a box (its middle, away from the sides) from which it is ticked or crossed, and
# beyond which it is no box drawn on paper but a dark patch (the edge of a sticky note)
TICKED_INK, FILLED_INK = 0.06, 0.5


def checkbox_before(page: np.ndarray, box: BBox) -> bool | None:
    """A box drawn at the start of a line of writing: None when there is none, False when it
    is empty, True when something is written in it (a tick, a cross, a fill).

    Recognisers drop a drawn box or read it as a letter, so a checklist came back as plain
    lines. A box stands level with the line, just left of its text or at its very start (the
    engine's box often takes it in), with clear paper on its left. A box drawn round, with
    corners a little rounded, counts as one; a letter does not."""
    h = box.height
    if h < 12 or box.width < 1.5 * h:
        return None  # too small to tell, or not a line written level
    x0, y0 = max(0.0, box.x - (MAX_GAP + BOX_SIDE[1]) * h), max(0.0, box.y - 0.5 * h)
    gray = _crop(page, x0, y0, box.x + 1.6 * h, box.y2 + 0.5 * h)
    dark = _ink(gray) if gray.size else None
    if dark is None:
        return None
    # strokes, not regions: dark, and darker than what is around them (a shadow or the table
    # beside the sheet is dark but even)
    block = max(15, int(h) | 1)
    ink = dark & cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)
    found = []
    for left, top, width, height in _boxes(ink, h):
        if not (box.x - MAX_GAP * h <= x0 + left + width and x0 + left <= box.x + 0.3 * h):
            continue  # not at the line's start
        if y0 + top < box.y - 0.35 * h or y0 + top + height > box.y2 + 0.35 * h:
            continue  # not level with the line: strokes of the lines above and below
        if not _clear(ink, left - 0.5 * width, left - 0.05 * width, top, top + height):
            continue  # part of a word: letters stand close on its left
        found.append((abs(y0 + top + height / 2 - box.cy), left, top, width, height))
    if not found:
        return None
    _, left, top, width, height = min(found)  # the box most level with the line
    inner = ink[top + int(0.25 * height): top + int(0.75 * height) + 1,
                left + int(0.25 * width): left + int(0.75 * width) + 1]
    if not inner.size or inner.mean() > FILLED_INK:
        return None
    return bool(inner.mean() >= TICKED_INK)


def _boxes(ink: np.ndarray, h: float):
    """Boxes drawn in a crop of ink (left, top, width, height), about as tall as a line h:
    two thin level strokes one above the other, joined at both ends by upright strokes and
    met at the corners, with no level stroke between them (an E, a B, "EM" read together)."""
    thick = _thickened(ink)
    run = max(4, int(0.3 * h))
    level = cv2.morphologyEx(thick, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    upright = cv2.morphologyEx(thick, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, run)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(level)
    w_crop = ink.shape[1]
    strokes = [tuple(int(v) for v in stats[i][:4]) for i in range(1, n)
               if stats[i][2] <= BOX_SIDE[1] * h and stats[i][3] <= 0.25 * h
               and 0 < stats[i][0] and stats[i][0] + stats[i][2] < w_crop]  # a ruling runs out of the crop
    # the paper's pieces: inside a box they stay inside it, between letters they run out
    _, paper, paper_stats, _ = cv2.connectedComponentsWithStats(1 - thick, connectivity=4)
    for tx, ty, tw, th in strokes:
        for bx, by, bw, bh in strokes:
            side = by - ty
            left, right = min(tx, bx), max(tx + tw, bx + bw)
            width = right - left
            if not (BOX_SIDE[0] * h <= side <= BOX_SIDE[1] * h and BOX_SIDE[0] * h <= width
                    and 0.6 <= side / width <= 1.6):
                continue
            if min(tw, bw) < LEVEL_COVER * width or max(th, bh) > 0.2 * side + 2:
                continue  # not one above the other, or as thick as a printed letter's bars
            # a tick running out past a corner lengthens one side: try the sides' inner ends too
            lefts, rights = {left, max(tx, bx)}, {right - 1, min(tx + tw, bx + bw) - 1}
            if not (any(_upright_at(upright, x, ty, by, width) for x in lefts)
                    and any(_upright_at(upright, x, ty, by, width) for x in rights)):
                continue
            if not _corners(ink, left, ty, width, by + bh - ty):
                continue  # strokes that do not meet: an open O, letters side by side
            if any(ty + 0.2 * side < y < by - 0.2 * side and min(x + w, right) - max(x, left) >= 0.4 * width
                   for x, y, w, _ in strokes):
                continue  # a bar across the middle: a letter
            if not _closed(paper, paper_stats, left, ty, width, by + bh - ty):
                continue  # letters side by side, open between them
            yield left, ty, width, by + bh - ty


def _thickened(ink: np.ndarray) -> np.ndarray:
    """A thin pen's line drawn a little aslant is a staircase of runs one pixel apart: thickened
    by a pixel each way it holds together as one stroke."""
    return cv2.dilate(ink, np.ones((3, 3), np.uint8))


def _closed(paper: np.ndarray, stats: np.ndarray, left: int, top: int, width: int, height: int) -> bool:
    """Whether the paper inside a box is shut in by it: every piece of it met in the box's
    middle lies within the box (a tick or a cross cuts it into a few pieces, all inside)."""
    inner = paper[top + int(0.2 * height): top + int(0.8 * height) + 1, left + int(0.2 * width): left + int(0.8 * width) + 1]
    slack = max(2, int(0.1 * width))
    for label in np.unique(inner):
        if label == 0:
            continue  # ink
        x, y, w, h = stats[label][:4]
        if x < left - slack or y < top - slack or x + w > left + width + slack or y + h > top + height + slack:
            return False
    return True


def _corners(ink: np.ndarray, left: int, top: int, width: int, height: int) -> bool:
    """Whether ink reaches all four corners of a box (within a fifth of its side)."""
    rx, ry = max(2, int(0.2 * width)), max(2, int(0.2 * height))
    right, bottom = left + width, top + height
    return all(ink[max(0, y1):y2, max(0, x1):x2].any() for x1, x2, y1, y2 in (
        (left, left + rx, top, top + ry), (right - rx, right, top, top + ry),
        (left, left + rx, bottom - ry, bottom), (right - rx, right, bottom - ry, bottom)))


def _clear(ink: np.ndarray, x1: float, x2: float, top: int, bottom: int) -> bool:
    """Whether some column between x1 and x2 holds no ink across the middle of top..bottom."""
    lo, hi = max(0, int(x1)), min(ink.shape[1], int(x2) + 1)
    if hi <= lo:
        return x1 < 0  # the crop's edge: nothing written there that we can see
    pad = (bottom - top) // 5
    band = ink[top + pad: bottom - pad + 1, lo:hi]
    return bool(band.size == 0 or (~band.any(axis=0)).any())


def _upright_at(upright: np.ndarray, x: int, top: int, bottom: int, width: int) -> bool:
    """Whether an upright stroke near column x covers most of the height from top to bottom."""
    reach = max(2, int(0.15 * width))
    band = upright[top: bottom + 1, max(0, x - reach): x + reach + 1]
    return band.size > 0 and band.any(axis=1).mean() >= UPRIGHT_COVER
