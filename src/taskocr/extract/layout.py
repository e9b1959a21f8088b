"""Fragments → visual lines in reading order.

Detectors often split one handwritten line into several boxes ("Get approval" and
"→ Hasan 17/12/2025"), and uneven baselines make the pieces sit at slightly different
heights. Fragments are joined into a row when they overlap vertically enough; rows are
read top to bottom, fragments left to right.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from ..model import BBox, Line, LineKind


@dataclass(frozen=True)
class Row:
    fragments: tuple[Line, ...]

    @property
    def text(self) -> str:
        return " ".join(f.text for f in self.fragments).strip()

    @property
    def bbox(self) -> BBox:
        return BBox.union(f.bbox for f in self.fragments)

    @property
    def confidence(self) -> float:
        # weighted by text length: a long, sure fragment outweighs a stray low-confidence mark
        total = sum(max(1, len(f.text)) for f in self.fragments)
        return sum(f.confidence * max(1, len(f.text)) for f in self.fragments) / total

    @property
    def kind(self) -> LineKind:
        kinds = {f.kind for f in self.fragments}
        return LineKind.HEADING if kinds == {LineKind.HEADING} else (
            LineKind.LIST_ITEM if LineKind.LIST_ITEM in kinds else LineKind.TEXT
        )

    @property
    def height(self) -> float:
        return median(f.bbox.height for f in self.fragments)

    def as_line(self) -> Line:
        return Line(self.text, self.confidence, self.bbox, self.kind)


def group_rows(lines: list[Line], *, min_overlap: float = 0.45) -> list[Row]:
    """Join fragments that share a visual line; return rows top to bottom."""
    frags = sorted((ln for ln in lines if ln.text.strip()), key=lambda ln: (ln.bbox.cy, ln.bbox.x))
    rows: list[list[Line]] = []
    for frag in frags:
        best, best_score = None, 0.0
        for row in rows[-4:]:  # only recent rows can share a line with this fragment
            band = BBox.union(f.bbox for f in row)
            if any(_overlaps_horizontally(frag.bbox, f.bbox) for f in row):
                continue  # stacked, not side by side: two lines
            ov = _row_overlap(frag.bbox, band, row)
            if ov > best_score:
                best, best_score = row, ov
        if best is not None and best_score >= min_overlap:
            best.append(frag)
        else:
            rows.append([frag])
    out = [Row(tuple(sorted(r, key=lambda f: f.bbox.x))) for r in rows]
    return sorted(out, key=lambda r: r.bbox.cy)


def _overlaps_horizontally(a: BBox, b: BBox) -> bool:
    inter = min(a.x2, b.x2) - max(a.x, b.x)
    return inter > 0.3 * min(a.width, b.width)


def _row_overlap(box: BBox, band: BBox, row: list[Line]) -> float:
    # compare with the nearest fragment too: a slanted line drifts, its far end does not matter
    nearest = min(row, key=lambda f: min(abs(f.bbox.x - box.x2), abs(box.x - f.bbox.x2)))
    return max(box.vertical_overlap(nearest.bbox), 0.8 * box.vertical_overlap(band))
