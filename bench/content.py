"""What a page says, and the ground truth that follows from it.

Everything here is chosen by the generator and the truth is derived from those choices
(the title it picked, the person it assigned, the date it meant), never by parsing the text
back. The conventions the extractor must follow are the ones documented in bench/README.md:
``task_name`` is the title as written minus marker/checkbox/field tokens; a weekday means the
first such day strictly after ``ref_date``; a date without a year the next occurrence on or
after it (absolute dates are always 0..200 days after ``ref_date``, so that is the date meant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from . import vocab

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_FULL = tuple(m.capitalize() for m in vocab.MONTHS)
WEEKDAY_FULL = tuple(w.capitalize() for w in vocab.WEEKDAYS)

# Marker styles, one per page (people are consistent within a list). "box" and "[ ]" carry
# the done state in the box; the others show it with a tick or by striking the line through.
MARKERS = {"-": 20, "—": 5, "–": 5, "•": 12, "*": 6, "·": 4, "1.": 10, "1)": 6, "a)": 4,
           "[ ]": 8, "box": 12, "none": 5}
ASSIGNEE_FORMS = {"arrow": 16, "->": 14, "=>": 6, "paren": 16, "bracket": 8, "at": 16,
                  "assigned": 8, "owner": 8}
DUE_FORMS = {"num": 16, "iso": 7, "mon_d": 9, "d_mon": 9, "dot": 5, "weekday": 12, "by_weekday": 10,
             "today": 5, "tomorrow": 9, "next_week": 6, "due_dm": 12}
PRIORITY_FORMS = {
    "urgent": {"!!!": 5, "urgent": 3, "URGENT": 2, "asap": 2, "ASAP": 2, "critical": 1, "p1": 2, "P1": 1},
    "high": {"!!": 4, "!": 3, "high": 2, "important": 2, "p2": 2, "P2": 1},
    "medium": {"p3": 1},
    "low": {"low": 3, "minor": 2, "whenever": 2, "someday": 2, "p4": 2},
}
PRIORITY_LEVELS = {"urgent": 3, "high": 4, "medium": 1, "low": 3}


@dataclass
class Piece:
    """One unit drawn left to right: words (split again by the renderer) or a pen stroke."""

    kind: str  # "text" | "arrow" | "box" | "tick"
    text: str  # what the truth line shows for it
    glue: bool = False  # no space before it ("Call the bank!!")
    ticked: bool = False  # for boxes
    role: str = "title"  # marker | check | title | field | desc | heading — for strike extents


@dataclass
class LineSpec:
    role: str  # heading | task | continuation; on other pages prose | date | greeting | closing |
    # signature | point | subpoint
    pieces: list[Piece]
    indent: bool = False
    strike: bool = False
    task: int | None = None
    gap: bool = False  # a blank-ish space above (a new paragraph)
    align: str = "left"  # "right": written towards the right edge (a letter's date, signature)

    @property
    def text(self) -> str:
        out = ""
        for p in self.pieces:
            out += p.text if (p.glue or not out) else " " + p.text
        return out


@dataclass
class PageContent:
    ref_date: date
    date_order: str
    people: list[str]  # the roster handed to the extractor: the whole team, never the truth
    lines: list[LineSpec]
    tasks: list[dict]
    case: str = "sentence"
    marker: str = "-"
    meta: dict = field(default_factory=dict)
    kind: str = "list"  # list | prose | letter | notes

    @property
    def is_list(self) -> bool:
        return self.kind == "list"


def _pick(rng: np.random.Generator, weights: dict):
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _chance(rng, p: float) -> bool:
    return bool(rng.random() < p)


def _case(text: str, style: str) -> str:
    if style == "lower":
        return text.lower()
    if style == "upper":
        return text.upper()
    return text


def _marker_text(style: str, i: int) -> str:
    if style == "1.":
        return f"{i + 1}."
    if style == "1)":
        return f"{i + 1})"
    if style == "a)":
        return f"{'abcdefghij'[i]})"
    return style


def _due(rng, ref: date, order: str) -> tuple[str, date, str]:
    """(text, date meant, form) for one due date."""
    form = _pick(rng, DUE_FORMS)
    if form == "dot" and order == "mdy":
        form = "num"  # 17.12. is a day-first habit
    d = ref + timedelta(days=int(rng.integers(0, 201)))
    pad = _chance(rng, 0.4)
    dd, mm = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    prefix = _pick(rng, {"": 6, "by ": 2, "due ": 2, "due: ": 1, "Due ": 1})
    if form == "num":
        sep = "." if order == "dmy" and _chance(rng, 0.2) else "/"
        a, b = (dd, mm) if order == "dmy" else (mm, dd)
        text = f"{a}{sep}{b}{sep}{d.year}"
    elif form == "iso":
        text = d.isoformat()
    elif form == "mon_d":
        month = MONTH_FULL[d.month - 1] if _chance(rng, 0.2) else MONTH_ABBR[d.month - 1]
        text = f"{month} {d.day}"
    elif form == "d_mon":
        month = MONTH_FULL[d.month - 1] if _chance(rng, 0.2) else MONTH_ABBR[d.month - 1]
        text = f"{d.day} {month}"
    elif form == "dot":
        text = f"{dd}.{mm}."
    elif form == "due_dm":
        prefix = "due " if _chance(rng, 0.7) else "Due "
        text = f"{d.day}/{d.month}" if order == "dmy" else f"{d.month}/{d.day}"
    elif form in ("weekday", "by_weekday"):
        wd = int(rng.integers(0, 7))
        ahead = (wd - ref.weekday()) % 7 or 7  # strictly after ref
        d = ref + timedelta(days=ahead)
        name = WEEKDAY_FULL[wd]
        if form == "weekday" and _chance(rng, 0.15):
            name = name[:3]
        text = ("by " if form == "by_weekday" else "") + (name.lower() if _chance(rng, 0.2) else name)
        prefix = ""
    else:
        days, word = {"today": (0, "today"), "tomorrow": (1, "tomorrow"),
                      "next_week": (7, "next week")}[form]
        d = ref + timedelta(days=days)
        prefix = "by " if form != "next_week" and _chance(rng, 0.15) else ""
        text = word.capitalize() if not prefix and _chance(rng, 0.15) else word
    return prefix + text, d, form


def _assignee(rng, name: str) -> tuple[list[Piece], str]:
    form = _pick(rng, ASSIGNEE_FORMS)
    if form == "arrow":  # the → glyph is not in the fonts: it is drawn as a stroke
        return [Piece("arrow", "→", role="field"), Piece("text", name, role="field")], form
    text = {
        "->": f"-> {name}", "=>": f"=> {name}", "paren": f"({name})", "bracket": f"[{name}]",
        "at": "@" + (name.lower() if _chance(rng, 0.7) else name),
        "assigned": ("Assigned to: " if _chance(rng, 0.3) else "assigned to: ") + name,
        "owner": ("Owner: " if _chance(rng, 0.3) else "owner: ") + name,
    }[form]
    return [Piece("text", text, role="field")], form


def ref_and_order(rng: np.random.Generator) -> tuple[date, str]:
    ref = date(2024, 1, 1) + timedelta(days=int(rng.integers(0, 3 * 365)))
    return ref, "mdy" if _chance(rng, 0.15) else "dmy"


def make_page(rng: np.random.Generator, split: str = "dev", team: tuple[str, ...] | None = None) -> PageContent:
    """A to-do list. ``team`` is the data set's roster (default: the split's whole name pool);
    the page's assignees are 1-4 of its members and ``people`` is the whole team."""
    ref, order = ref_and_order(rng)
    case = _pick(rng, {"sentence": 70, "lower": 25, "upper": 5})
    marker = _pick(rng, MARKERS)
    n_tasks = int(rng.integers(3, 10))
    titles = vocab.titles_for(split)
    descs = vocab.descriptions_for(split)
    team = tuple(team or vocab.names_for(split))
    names = [str(n) for n in rng.permutation(team)]
    cast = names[: int(rng.integers(1, 5))]

    lines: list[LineSpec] = []
    if _chance(rng, 0.65):
        headings = vocab.headings_for(split)
        heading = headings[int(rng.integers(len(headings)))]
        heading = heading.upper() if _chance(rng, 0.15) else heading
        lines.append(LineSpec("heading", [Piece("text", heading, role="heading")]))

    tasks = []
    for i, ti in enumerate(rng.choice(len(titles), size=n_tasks, replace=False)):
        title = _case(titles[int(ti)], case)
        done = _chance(rng, 0.25)
        forms: dict[str, str] = {"marker": marker}
        pieces: list[Piece] = []
        if marker in ("[ ]", "box"):
            if marker == "[ ]":
                pieces.append(Piece("text", "[x]" if done else "[ ]", role="check"))
            else:
                pieces.append(Piece("box", "☑" if done else "☐", ticked=done, role="check"))
            forms["done"] = ("[x]" if marker == "[ ]" else "box") if done else ""
        elif marker != "none":
            pieces.append(Piece("text", _marker_text(marker, i), role="marker"))
        tick_front = strike = False
        if done and marker not in ("[ ]", "box"):
            style = _pick(rng, {"strike": 5, "tick_end": 3, "tick_front": 2})
            forms["done"] = style
            strike, tick_front = style == "strike", style == "tick_front"
        if tick_front:
            pieces.insert(0, Piece("tick", "✓", role="check"))

        fields: list[list[Piece]] = []
        assignee = due = None
        if _chance(rng, 0.5):
            assignee = cast[int(rng.integers(len(cast)))]
            ap, forms["assignee"] = _assignee(rng, assignee)
            fields.append(ap)
        if _chance(rng, 0.5):
            text, due, forms["due"] = _due(rng, ref, order)
            fields.append([Piece("text", text, role="field")])
        fields = [fields[j] for j in rng.permutation(len(fields))]
        priority = "medium"
        title_pieces = [Piece("text", title, role="title")]
        if _chance(rng, 0.35):
            priority = _pick(rng, PRIORITY_LEVELS)
            ptext = _pick(rng, PRIORITY_FORMS[priority])
            forms["priority"] = ptext
            if ptext.upper() in ("URGENT", "ASAP", "!!!") and _chance(rng, 0.2):
                title_pieces.insert(0, Piece("text", ptext + (":" if ptext.isalpha() else ""), role="field"))
            else:
                glue = ptext.startswith("!") and _chance(rng, 0.5)
                fields.append([Piece("text", ptext, glue=glue, role="field")])
        pieces += title_pieces + [p for f in fields for p in f]
        if done and forms.get("done") == "tick_end":
            pieces.append(Piece("tick", "✔" if _chance(rng, 0.3) else "✓", role="check"))
        lines.append(LineSpec("task", pieces, strike=strike, task=i))

        description = ""
        if _chance(rng, 0.12) and descs:
            description = _case(descs[int(rng.integers(len(descs)))], "lower" if case == "lower" else "sentence")
            lines.append(LineSpec("continuation", [Piece("text", description, role="desc")],
                                  indent=True, strike=strike, task=i))
        tasks.append({
            "task_name": title,
            "description": description,
            "assignee": assignee,
            "due_date": due.isoformat() if due else None,
            "priority": priority,
            "done": done,
            "forms": forms,
        })

    return PageContent(ref, order, list(team), lines, tasks, case=case, marker=marker)
