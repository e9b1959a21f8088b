"""Pages that are not to-do lists: running prose, a dated letter, lecture notes.

Their truth is ``is_list: false`` and no tasks, except an explicit action item a notes page
may carry ("TODO: Email the tutor"), which is then its only task. Paragraphs are wrapped to
a line length chosen per page; the renderer then sizes the hand so the longest line fills
the page width, which leaves the ragged right edge of real handwriting.
"""

from __future__ import annotations

import textwrap
from datetime import date

import numpy as np

from . import vocab
from .vocab_pages import ACTION_PREFIXES
from .content import MONTH_ABBR, MONTH_FULL, WEEKDAY_FULL, LineSpec, PageContent, Piece, ref_and_order

KINDS = ("prose", "letter", "notes")


def _text(role: str, text: str, **kw) -> LineSpec:
    return LineSpec(role, [Piece("text", text, role="desc" if role != "heading" else "heading")], **kw)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date_line(rng, d: date, order: str) -> str:
    style = int(rng.integers(5))
    if style == 0:
        return f"{d.day} {MONTH_FULL[d.month - 1]} {d.year}"
    if style == 1:
        return f"{MONTH_FULL[d.month - 1]} {_ordinal(d.day)}, {d.year}"
    if style == 2:
        return f"{WEEKDAY_FULL[d.weekday()]} {_ordinal(d.day)} {MONTH_ABBR[d.month - 1]}"
    a, b = (d.day, d.month) if order == "dmy" else (d.month, d.day)
    return f"{a}/{b}/{d.year % 100:02d}" if style == 3 else f"{a}.{b}.{d.year}"


def _paragraphs(rng, split: str, n: int) -> list[list[str]]:
    pool = vocab.sentences_for(split)
    picks = [pool[int(i)] for i in rng.choice(len(pool), size=min(len(pool), n * 4), replace=False)]
    out, k = [], 0
    for _ in range(n):
        m = int(rng.integers(2, 5))
        out.append(picks[k: k + m])
        k += m
    return [p for p in out if p]


def _wrapped(rng, paragraphs: list[list[str]], width: int, indent_first: bool) -> list[LineSpec]:
    lines: list[LineSpec] = []
    for pi, sentences in enumerate(paragraphs):
        for li, row in enumerate(textwrap.wrap(" ".join(sentences), width=width)):
            lines.append(_text("prose", row, indent=indent_first and li == 0, gap=pi > 0 and li == 0))
    return lines


def _prose(rng, split: str, ref: date, order: str) -> list[LineSpec]:
    lines = [_text("date", _date_line(rng, ref, order))] if rng.random() < 0.4 else []
    body = _wrapped(rng, _paragraphs(rng, split, int(rng.integers(1, 3))), int(rng.integers(34, 58)),
                    bool(rng.random() < 0.4))
    if lines and body:
        body[0].gap = True
    return lines + body


def _letter(rng, split: str, ref: date, order: str, team: tuple[str, ...]) -> list[LineSpec]:
    greetings, closings = vocab.letter_phrases_for(split)
    to, sender = (str(n) for n in rng.choice(team, size=2, replace=False))
    right = bool(rng.random() < 0.5)
    lines = [_text("date", _date_line(rng, ref, order), align="right" if right else "left")]
    lines.append(_text("greeting", greetings[int(rng.integers(len(greetings)))].format(name=to), gap=True))
    lines += _wrapped(rng, _paragraphs(rng, split, int(rng.integers(1, 3))), int(rng.integers(34, 58)),
                      bool(rng.random() < 0.5))
    sign_right = bool(rng.random() < 0.4)
    lines.append(_text("closing", closings[int(rng.integers(len(closings)))], gap=True,
                       align="right" if sign_right else "left"))
    lines.append(_text("signature", sender, align="right" if sign_right else "left"))
    return lines


def _notes(rng, split: str, ref: date, order: str, tasks: list[dict]) -> list[LineSpec]:
    topics = vocab.topics_for(split)
    heading, points, subs = topics[int(rng.integers(len(topics)))]
    lines = [_text("heading", heading)]
    if rng.random() < 0.4:
        lines.insert(0, _text("date", _date_line(rng, ref, order), align="right"))
    bullet = str(rng.choice(["", "-", "•", "*"], p=[0.4, 0.3, 0.2, 0.1]))
    sub_bullet = str(rng.choice(["", "-", "–"], p=[0.5, 0.3, 0.2]))
    sub_pool = [str(s) for s in rng.permutation(subs)]
    for point in rng.choice(points, size=int(rng.integers(2, min(4, len(points)) + 1)), replace=False):
        lines.append(_text("point", f"{bullet} {point}".strip()))
        for _ in range(int(rng.integers(0, 3))):
            if sub_pool:
                lines.append(_text("subpoint", f"{sub_bullet} {sub_pool.pop()}".strip(), indent=True))
    if rng.random() < 0.35:  # an explicit action item: the page's only task
        titles = vocab.titles_for(split)
        title = titles[int(rng.integers(len(titles)))]
        prefix = ACTION_PREFIXES[int(rng.integers(len(ACTION_PREFIXES)))]
        lines.append(LineSpec("task", [Piece("text", prefix, role="marker"), Piece("text", title, role="title")],
                              task=0, gap=True))
        tasks.append({"task_name": title, "description": "", "assignee": None, "due_date": None,
                      "priority": "medium", "done": False, "forms": {"marker": prefix}})
    return lines


def make_other_page(rng: np.random.Generator, kind: str, split: str = "dev",
                    team: tuple[str, ...] | None = None) -> PageContent:
    """A page of ``kind`` (prose | letter | notes); ``people`` is the team, as on list pages."""
    if kind not in KINDS:
        raise ValueError(f"unknown page kind {kind!r}; expected one of {KINDS}")
    ref, order = ref_and_order(rng)
    team = tuple(team or vocab.names_for(split))
    tasks: list[dict] = []
    if kind == "prose":
        lines = _prose(rng, split, ref, order)
    elif kind == "letter":
        lines = _letter(rng, split, ref, order, team)
    else:
        lines = _notes(rng, split, ref, order, tasks)
    return PageContent(ref, order, list(team), lines, tasks, marker="", kind=kind)
