"""Fragments written apart from the rows they belong to, or belonging to none.

Before fragments are grouped into rows: a column of amounts beside a shopping list's items
joins them, and a small calendar's day numbers are set aside so they glue onto no item.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import BBox, Line

_DAY_NUMBER = re.compile(r"\d{1,2}")
CALENDAR_DAYS = 6


def calendar_digits(frags: list[Line]) -> set[int]:
    """Day numbers of a small calendar drawn on the page (a planner's month grid): one or two
    digits each, level with two others and above or below another, six or more. They belong to
    no row; beside a list they were glued onto its items ("Practice Keynote for AIGA Camp 3 4 7").
    Real dev pages: a weekly spread 2 tasks more; no other page moved."""
    days = [f for f in frags if _DAY_NUMBER.fullmatch(f.text.strip())]
    if len(days) < CALENDAR_DAYS:
        return set()
    grid = {id(f) for f in days
            if sum(f is not g and f.bbox.vertical_overlap(g.bbox) >= 0.5 for g in days) >= 2
            and any(f is not g and f.bbox.horizontal_overlap(g.bbox) > 0.3 for g in days)}
    return grid if len(grid) >= CALENDAR_DAYS else set()


# an amount written beside a shopping-list item: "3", "1L", "500 g", "x2"
_AMOUNT = re.compile(r"[x×]?\d{1,5}(?:[.,]\d+)?\s?(?:x|pcs?|kg|g|l|ml|lbs?|oz)?", re.I)
AMOUNT_ROWS = 3


def join_amounts(frags: list[Line]) -> list[Line]:
    """A column of amounts written well right of a list's items joins each amount to its item.

    Only a column of at least AMOUNT_ROWS amounts, each the last thing on its row with an item
    in words level with it, on a page made mostly of such pairs: a calendar's day numbers
    also sit level with words, but between other cells (real dev pages: a grocery list's
    amounts, 1 of 10 items right before, 9 after; a hand-drawn calendar unchanged)."""
    def level(a: Line, b: Line) -> bool:
        return a is not b and a.bbox.vertical_overlap(b.bbox) >= 0.4

    pairs: dict[int, Line] = {}  # amount's index -> its item
    for i, f in enumerate(frags):
        if not _AMOUNT.fullmatch(f.text.strip()):
            continue
        row = [g for g in frags if level(f, g)]
        if any(g.bbox.x > f.bbox.x for g in row):
            continue
        left = [g for g in row if g.bbox.x2 <= f.bbox.x + 0.1 * f.bbox.width and any(c.isalpha() for c in g.text)]
        if left:
            pairs[i] = max(left, key=lambda g: g.bbox.x2)
    column = {i for i in pairs
              if sum(frags[i].bbox.horizontal_overlap(frags[j].bbox) > 0.3 for j in pairs) >= AMOUNT_ROWS}
    if not column or 2 * len(column) < 0.5 * len(frags):
        return frags
    joined: dict[int, list[Line]] = {}  # item -> its amounts (one, unless the item stands tall)
    for i in sorted(column, key=lambda i: frags[i].bbox.y):
        joined.setdefault(id(pairs[i]), []).append(frags[i])
    out = []
    for i, f in enumerate(frags):
        if i in column:
            continue
        for amount in joined.get(id(f), ()):
            f = replace(f, text=f"{f.text} {amount.text}", bbox=BBox.union([f.bbox, amount.bbox]),
                        alternatives=tuple(replace(a, text=f"{a.text} {amount.text}") for a in f.alternatives),
                        words=f.words + amount.words)
        out.append(f)
    return out
