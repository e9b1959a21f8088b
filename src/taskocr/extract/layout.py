"""Fragments → visual lines in reading order.

Detectors often split one handwritten line into several boxes ("Get approval" and
"→ Hasan 17/12/2025"), and uneven baselines make the pieces sit at slightly different
heights. Fragments are joined into a row when they overlap vertically enough; rows are
read top to bottom, fragments left to right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median
from typing import Callable

from ..model import BBox, Line, LineKind
from .asides import calendar_digits, join_amounts


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


# a row's pieces further apart than this many line heights are two things written side by
# side (two pages of a spread, a note beside a list), unless the far piece is only a field
# (real dev pages: task F1 38.9 % joined at any gap, 40.4 % at 2 heights, 39.9 % at 5)
ROW_GAP = 2.0


def group_rows(lines: list[Line], *, min_overlap: float = 0.45,
               is_field: Callable[[str], bool] | None = None) -> list[Row]:
    """Join fragments that share a visual line; return rows top to bottom. With ``is_field``,
    a fragment far from the row's pieces joins only when one side is a field alone."""
    frags = sorted((ln for ln in lines if ln.text.strip()), key=lambda ln: (ln.bbox.cy, ln.bbox.x))
    rows: list[list[Line]] = []
    for frag in frags:
        best, best_score = None, 0.0
        for row in rows[-4:]:  # only recent rows can share a line with this fragment
            band = BBox.union(f.bbox for f in row)
            if any(frag.bbox.horizontal_overlap(f.bbox) > 0.3 for f in row):
                continue  # stacked, not side by side: two lines
            if is_field is not None and _far_apart(frag, row, is_field):
                continue
            ov = _row_overlap(frag.bbox, band, row)
            if ov > best_score:
                best, best_score = row, ov
        if best is not None and best_score >= min_overlap:
            best.append(frag)
        else:
            rows.append([frag])
    out = [Row(tuple(sorted(r, key=lambda f: f.bbox.x))) for r in rows]
    return sorted(out, key=lambda r: r.bbox.cy)


def _far_apart(frag: Line, row: list[Line], is_field: Callable[[str], bool]) -> bool:
    gap, nearest = min(((frag.bbox.hgap(f.bbox), f) for f in row), key=lambda pair: pair[0])
    h = max(frag.bbox.height, nearest.bbox.height)
    return gap > ROW_GAP * h and not is_field(frag.text) and not is_field(nearest.text)


def _row_overlap(box: BBox, band: BBox, row: list[Line]) -> float:
    # compare with the nearest fragment too: a slanted line drifts, its far end does not matter
    nearest = min(row, key=lambda f: min(abs(f.bbox.x - box.x2), abs(box.x - f.bbox.x2)))
    return max(box.vertical_overlap(nearest.bbox), 0.8 * box.vertical_overlap(band))


# --- columns set close together ----------------------------------------------------------------

# A row's later piece starts a column when, on at least COLUMN_ROWS rows near it (within
# COLUMN_REACH rows), a piece starts level with it (within COLUMN_TOLERANCE line heights);
# a piece counts as later after a gap of COLUMN_GAP line heights. Real dev pages: a notebook
# of three columns a word apart gave "create photoshop layer comps finish Style guide" (task
# F1 52.9 to 56.2 % pooled on 43 pages; on the 66 of the grown set 49.9 to 54.1 %, and with a
# tolerance of 0.4 / 1.0 line heights 53.7 / 54.4 %: the middle is kept).
COLUMN_ROWS = 3
COLUMN_REACH = 4
COLUMN_TOLERANCE = 0.6
COLUMN_GAP = 0.5


def split_columns(rows: list[Row], is_field: Callable[[str], bool] = lambda text: False) -> list[list[Row]]:
    """Rows of a list written in columns too close for a gutter, column by column: where
    pieces of several rows start level with each other, the rows are cut there. A field
    written apart (a date, a name after an arrow) stays with its row."""
    if len(rows) < COLUMN_ROWS:
        return [rows]
    h = median(r.height for r in rows)
    later = [(i, k, r.fragments[k].bbox.x) for i, r in enumerate(rows) for k in range(1, len(r.fragments))
             if r.fragments[k].bbox.hgap(r.fragments[k - 1].bbox) >= COLUMN_GAP * h
             and not is_field(r.fragments[k].text)]
    starts = later + [(i, 0, r.fragments[0].bbox.x) for i, r in enumerate(rows)]
    cuts: dict[int, set[int]] = {}
    edges = []  # (x, first row, last row) of a column's left edge, once per row cut there
    for i, k, x in later:
        level = [(j, kk) for j, kk, xx in starts if abs(j - i) <= COLUMN_REACH and abs(xx - x) <= COLUMN_TOLERANCE * h]
        if len({j for j, _ in level}) >= COLUMN_ROWS and sum(kk > 0 for _, kk in level) >= 2:
            cuts.setdefault(i, set()).add(k)
            edges.append((x, min(j for j, _ in level), max(j for j, _ in level)))
    if not cuts:
        return [rows]
    tolerance = COLUMN_TOLERANCE * h

    def column(i: int, x: float) -> int:
        """How many column edges stand left of a piece starting at ``x`` on row ``i``; the
        edges found on the rows of one column lie within the tolerance of each other."""
        lefts = sorted(ex for ex, lo, hi in edges if lo <= i <= hi and x >= ex - tolerance)
        return sum(b - a > tolerance for a, b in zip([-math.inf, *lefts], lefts))

    columns: dict[int, list[Row]] = {}
    for i, r in enumerate(rows):
        bounds = [0, *sorted(cuts.get(i, ())), len(r.fragments)]
        for a, b in zip(bounds, bounds[1:]):
            columns.setdefault(column(i, r.fragments[a].bbox.x), []).append(Row(r.fragments[a:b]))
    return [columns[c] for c in sorted(columns)]


# --- blocks: columns of a page, and notes stuck side by side -------------------------------------


@dataclass(frozen=True)
class Block:
    """Rows written together: the whole list on an ordinary page, one column of a page
    written in columns, one sticky note on a board."""

    rows: tuple[Row, ...]
    note: bool = False  # a note on a board: all its rows make one item

    @property
    def bbox(self) -> BBox:
        return BBox.union(r.bbox for r in self.rows)


NOTE_ROWS = 6  # the most rows a sticky note holds
DOMINANT_SHARE = 0.5  # of a board's letters, what one block that is not a note may hold


def _letters(block: Block) -> int:
    return sum(ch.isalnum() for r in block.rows for ch in r.text)


def group_blocks(lines: list[Line], is_field: Callable[[str], bool] = lambda text: False) -> list[Block]:
    """Rows per block, blocks in reading order (columns left to right, each top to bottom).

    Fragments close together (side by side on a row, or stacked line under line) form a
    block. A page whose blocks do not stand side by side is one block: its rows are joined
    across any gap, so a date written far right stays with its line. Blocks side by side
    are columns, and many small ones are notes on a board."""
    frags = [ln for ln in lines if ln.text.strip()]
    grid = calendar_digits(frags)
    frags = join_amounts([f for f in frags if id(f) not in grid])
    parts = [part for col in _split_at_gutters(frags) for part in _clusters(col)]
    blocks = [Block(tuple(group_rows(p))) for p in parts]
    tall = [b for b in blocks if len(b.rows) >= 2]
    if len(blocks) < 2 or not any(_side_by_side(a, b) for a in tall for b in blocks if a is not b):
        return [Block(tuple(group_rows(frags, is_field=is_field)))] if frags else []
    blocks = _merge_field_columns(blocks, is_field)
    if len(blocks) < 2:
        return blocks
    page_width = BBox.union(b.bbox for b in blocks).width
    # a note is a few short lines (marker on a sticky note: often one word to a line); a line
    # of prose or of a page in a two-page spread is wider
    small = [len(b.rows) <= NOTE_ROWS and b.bbox.width <= 0.3 * page_width for b in blocks]
    if len(blocks) >= 4 and sum(small) >= 0.75 * len(blocks):  # a board: its small blocks are notes
        # unless one block holds half the page's writing: that is a page written as a list or
        # as text, with labels around it (a planner's month names, a spread's calendar), and
        # it is laid out as a page, each side of a gutter on its own (real dev pages: a Spanish
        # planner and a weekly spread gave no task as boards of topics; task F1 50.5 to 52.2 %
        # pooled; a planner's two pages then read as one, each row of the right page indented
        # under the left one's: 57.2 to 57.4 % on the 57 pages of the grown set)
        largest = max((_letters(b) for b, is_small in zip(blocks, small) if not is_small), default=0)
        if largest >= DOMINANT_SHARE * sum(_letters(b) for b in blocks):
            pages = _split_at_gutters(frags)
            return _reading_order([Block(tuple(group_rows(page, is_field=is_field))) for page in pages])
        blocks = [Block(b.rows, note=is_small) for b, is_small in zip(blocks, small)]
        blocks = [part for b in blocks for part in _labels_apart(b)]
    return _reading_order(blocks)


LABEL_GAP = 0.6  # line heights between two labels; words of one label stand closer


def _labels_apart(block: Block) -> list[Block]:
    """A board's column labels written across its top ("To do   Doing   Done") are read as one
    wide row: words far apart, a word or two each. Each is a label of its own, a note of one
    word, as a label on a column of its own would be (real dev pages: a kanban board's four
    labels had made one spurious task)."""
    if block.note or len(block.rows) != 1:
        return [block]
    (row,) = block.rows
    frags = row.fragments
    apart = all(b.bbox.hgap(a.bbox) >= LABEL_GAP * row.height for a, b in zip(frags, frags[1:]))
    if len(frags) < 3 or not apart or any(len(f.text.split()) > 2 for f in frags):
        return [block]
    return [Block((Row((f,)),), note=True) for f in frags]


def _split_at_gutters(frags: list[Line], depth: int = 2) -> list[list[Line]]:
    """Columns written close together: split where a vertical strip runs free of writing
    down the page while plenty is written on both sides of it."""
    if depth == 0 or len(frags) < 8:
        return [frags]
    left, right = min(f.bbox.x for f in frags), max(f.bbox.x2 for f in frags)
    height = median(f.bbox.height for f in frags)
    bins = 200
    step = (right - left) / bins or 1.0
    cover = [0] * bins
    for f in frags:
        for i in range(int((f.bbox.x - left) / step), min(bins, int((f.bbox.x2 - left) / step) + 1)):
            cover[i] += 1
    best = None  # (width, start, end) of the widest free strip in the middle of the page
    start = None
    for i in range(int(0.2 * bins), int(0.8 * bins) + 1):
        free = i < int(0.8 * bins) and cover[i] <= 0.03 * len(frags)
        if free and start is None:
            start = i
        elif not free and start is not None:
            if best is None or i - start > best[0]:
                best = (i - start, start, i)
            start = None
    if best is None or best[0] * step < 0.8 * height:
        return [frags]
    cut = left + (best[1] + best[2]) / 2 * step
    lhs = [f for f in frags if f.bbox.cx < cut]
    rhs = [f for f in frags if f.bbox.cx >= cut]
    if min(len(lhs), len(rhs)) < 0.2 * len(frags):
        return [frags]
    return _split_at_gutters(lhs, depth - 1) + _split_at_gutters(rhs, depth - 1)


def _linked(a: BBox, b: BBox) -> bool:
    h = min(a.height, b.height)
    hgap = a.hgap(b)
    vgap = max(a.y, b.y) - min(a.y2, b.y2)
    if a.vertical_overlap(b) >= 0.45 and hgap <= 1.5 * h:
        return True  # neighbours on one row
    return hgap < 0 and vgap <= 0.6 * h  # one line under the other


def _clusters(frags: list[Line]) -> list[list[Line]]:
    parent = list(range(len(frags)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(frags):
        for j in range(i + 1, len(frags)):
            if _linked(a.bbox, frags[j].bbox):
                parent[root(i)] = root(j)
    groups: dict[int, list[Line]] = {}
    for i, f in enumerate(frags):
        groups.setdefault(root(i), []).append(f)
    return list(groups.values())


def _side_by_side(a: Block, b: Block) -> bool:
    ba, bb = a.bbox, b.bbox
    apart = ba.x2 <= bb.x or bb.x2 <= ba.x
    return apart and ba.vertical_overlap(bb) >= 0.5


def _merge_field_columns(blocks: list[Block], is_field: Callable[[str], bool]) -> list[Block]:
    """A column of fields (dates, names, priorities) whose rows each sit level with a row of
    the block to its left is that block's far end, not a column of its own."""
    out = list(blocks)
    changed = True
    while changed:
        changed = False
        for a in out:
            for b in out:
                if a is b or b.bbox.x < a.bbox.x2 - 1e-6 or not _side_by_side(a, b):
                    continue
                level = sum(any(r.bbox.vertical_overlap(s.bbox) >= 0.5 for s in a.rows) for r in b.rows)
                fields = sum(is_field(r.text) for r in b.rows)
                if level >= 0.8 * len(b.rows) and fields >= 0.6 * len(b.rows):
                    frags = [f for blk in (a, b) for r in blk.rows for f in r.fragments]
                    out = [x for x in out if x is not a and x is not b] + [Block(tuple(group_rows(frags)))]
                    changed = True
                    break
            if changed:
                break
    return out


def _reading_order(blocks: list[Block]) -> list[Block]:
    """Columns (blocks whose horizontal extents overlap) left to right, top to bottom in each."""
    columns: list[list[Block]] = []
    for b in sorted(blocks, key=lambda b: b.bbox.x):
        for col in columns:
            span = BBox.union(x.bbox for x in col)
            if span.horizontal_overlap(b.bbox) > 0.3:
                col.append(b)
                break
        else:
            columns.append([b])
    return [b for col in columns for b in sorted(col, key=lambda b: b.bbox.y)]
