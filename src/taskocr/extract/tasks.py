"""Recognised lines → tasks: the rows' roles (``roles``), then each task row's fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from statistics import median
from typing import Callable

from ..config import DateOrder
from ..model import BBox, Line, Priority, Task
from . import correct
from .dates import parse_due_date
from .fields import Marker, find_assignee, fold_confusables, parse_marker, parse_priority, strip_field_debris, tidy
from .layout import COLUMN_TOLERANCE, Row, group_blocks
from .names import is_first_name
from .page import PageKind, is_form, is_key, page_kind, says_what_to_do, strip_action_label
from .roles import (
    ASSIGNED, LEAD_NAME, Classified, Role, action_sections, board_kind, classify, explicit_task, field_only,
    marked_rows,
)


@dataclass(frozen=True)
class ExtractOptions:
    people: tuple[str, ...] = ()
    date_order: DateOrder = DateOrder.DMY
    ref_date: date = field(default_factory=date.today)
    correct_words: bool = True


@dataclass(frozen=True)
class Layout:
    """An engine's reading of a page, chosen between its two segmentations (``pick_layout``)."""

    tasks: tuple[Line, ...]  # the segmentation tasks are read from
    text: tuple[Line, ...]  # the page's lines as the scan returns them


def pick_layout(lines: list[Line], separated: tuple[Line, ...] = (), people: tuple[str, ...] = ()) -> Layout:
    """Which of an engine's two segmentations of a page to read (``model.PageText``).

    Tasks come from the widened reading's when it lays the page out as notes on a board,
    since unwidened the detector joins writing across notes that stand close; from the
    first reading's otherwise, its rows and letters hold together better (real dev pages:
    task F1 44.0 to 46.0 %, line CER 0.202 to 0.187 against the widened reading alone).
    The page's text is always the first reading's: its boxes read better, boards included
    (real dev pages: line CER 0.187 to 0.180)."""
    if not separated:
        return Layout(tuple(lines), tuple(lines))
    wide = [correct.choose_reading(ln, people) for ln in separated]
    if any(b.note for b in group_blocks(wide, field_only)):
        return Layout(tuple(separated), tuple(lines))
    restored = tuple(_restore_marks(list(lines), separated))
    return Layout(restored, restored)


def _is_mark(text: str) -> bool:
    """A checkbox or tick read on its own: a glyph or two that start a line as a marker."""
    text = text.strip()
    return 0 < len(text) <= 2 and parse_marker(fold_confusables(text) + " a").done is not None


def mark_drawn_boxes(lines: list[Line], drawn: Callable[[BBox], bool | None]) -> list[Line]:
    """A box drawn at a line's start that the recogniser did not read (``drawn`` looks at the
    page: None for no box, else whether it is ticked) goes in front of its text as "[ ]" or
    "[x]", as if it had been read, so the page reads as a checklist and a ticked item as done."""
    out = []
    for ln in lines:
        ticked = None if _box_read(ln) else drawn(ln.bbox)
        out.append(ln if ticked is None else _with_mark(ln, "[x]" if ticked else "[ ]"))
    return out


def _box_read(ln: Line) -> bool:
    """Whether the recogniser read a checkbox or a tick at the line's start."""
    return parse_marker(fold_confusables(ln.text)).done is not None


def _with_mark(ln: Line, mark: str) -> Line:
    """The line with a mark in front of its text and of each other reading of it."""
    return replace(ln, text=f"{mark} {ln.text}",
                   alternatives=tuple(replace(a, text=f"{mark} {a.text}") for a in ln.alternatives))


def _restore_marks(lines: list[Line], separated: tuple[Line, ...]) -> list[Line]:
    """The unwidened detector often boxes a small checkbox together with the words after it,
    and the recogniser then drops the box; the widened reading boxes it alone. Such a mark
    goes back in front of the line whose left end it lies in (real dev pages: 16 to 14 done
    errors; with `_tick_elsewhere` synthetic done 94.5 to 94.8 %)."""
    out = list(lines)
    for mark in separated:
        if not _is_mark(mark.text) or any(mark.bbox.iou(ln.bbox) > 0.3 for ln in out):
            continue
        box = mark.bbox
        for i, ln in enumerate(out):
            b = ln.bbox
            if b.x - 0.5 * box.width <= box.cx <= b.x + 0.25 * b.width and b.y <= box.cy <= b.y2:
                if not _box_read(ln):
                    out[i] = _with_mark(ln, mark.text)
                break
    return out


@dataclass(frozen=True)
class PageTasks:
    """A page's tasks and what the page was taken for: ``list``, ``board`` (notes on a board,
    each one task), ``notes`` (only rows marked as tasks), ``text`` (only explicit action
    items; a board of topics is one too), ``key`` (a bullet journal's key) or ``form`` (a
    filled-in form); the last two give no tasks."""

    page: str
    tasks: tuple[Task, ...]


def extract_tasks(
    lines: list[Line],
    options: ExtractOptions | None = None,
    struck: Callable[[BBox], bool] | None = None,
) -> list[Task]:
    """``struck`` tells whether the writing inside a box is crossed out (done), when the
    caller has the pixels to look at."""
    return list(read_page(lines, options, struck).tasks)


def read_page(
    lines: list[Line],
    options: ExtractOptions | None = None,
    struck: Callable[[BBox], bool] | None = None,
) -> PageTasks:
    """``extract_tasks``, and what kind of page the tasks were read as."""
    opts = options or ExtractOptions()
    if opts.correct_words:
        lines = [correct.choose_reading(ln, opts.people) for ln in lines]
    blocks = group_blocks(lines, field_only)
    notes = [b for b in blocks if b.note]
    kind = board_kind(notes) if notes else page_kind(marked_rows([r for b in blocks for r in b.rows]))
    classified = [
        c for b in blocks
        for c in classify([Row(tuple(f for r in b.rows for f in r.fragments))] if b.note else list(b.rows),
                          kind, b.note and kind is not PageKind.TEXT, opts.people)
    ]
    columns = _board_columns(classified) if notes and kind is not PageKind.TEXT else {}
    sections = None if notes else action_sections(classified)
    made: list[tuple[Task, Marker]] = []
    for i, c in enumerate(classified):
        row_kind = kind
        if sections is not None:  # meeting notes: their action items are the tasks
            c, row_kind = _in_sections(c, sections[i], kind, opts.people)
        if c.role is Role.TASK:
            task = _parse_task(c, opts, len(made), struck, columns.get(i), row_kind)
            if task is not None:
                made.append((task, c.marker))
        elif c.role is Role.CONTINUATION and made:
            prev, marker = made[-1]
            desc = tidy(f"{prev.description} {c.marker.rest}")
            made[-1] = (replace(prev, description=desc, bbox=BBox.union([prev.bbox, c.row.bbox])), marker)
    page = "board" if notes and kind is not PageKind.TEXT else kind.value
    titles = [t.title for t, _ in made]
    if kind is not PageKind.TEXT and is_key(titles):
        return PageTasks(PageKind.KEY.value, ())
    if kind is not PageKind.TEXT and not notes and is_form(titles):
        return PageTasks(PageKind.FORM.value, ())
    if kind is not PageKind.TEXT and not notes:
        kept = _without_stray_words(made)
        if len(kept) < len(made):
            return PageTasks(page, tuple(replace(t, position=i) for i, (t, _) in enumerate(kept)))
    return PageTasks(page, tuple(t for t, _ in made))


def _in_sections(c: Classified, inside: bool | None, kind: PageKind,
                 people: tuple[str, ...]) -> tuple[Classified, PageKind]:
    """On a page with a section of action items, the rows in it are tasks as a list's are, and
    the notes above it (attendees, what was discussed) only when they are explicit action
    items; what follows another heading further down is read as before."""
    if inside and c.role in (Role.TASK, Role.TEXT):
        return replace(c, role=Role.TASK), PageKind.LIST
    if inside is False and c.role is Role.TASK and kind is not PageKind.TEXT and not explicit_task(c.marker, people):
        return replace(c, role=Role.TEXT), kind
    return c, kind


def _without_stray_words(made: list[tuple[Task, Marker]]) -> list[tuple[Task, Marker]]:
    """A single word that starts level with at most one other task on a list page, with no
    marker, date or person, is a label (a box of a diagram on a whiteboard, a name written
    aside), not an item: a list's items start at its margins, level within the tolerance a
    column's edge is found by. Real dev pages: such words were 10 spurious tasks and 1 true
    one (at 0.4 / 0.6 / 1.0 line heights 55.8 / 55.4 / 55.2 %; slanted lists drift)."""
    if len(made) < 3:
        return made
    h = median(t.bbox.height for t, _ in made)
    xs = [t.bbox.x for t, _ in made]

    def stray(task: Task, marker: Marker) -> bool:
        if len(task.title.split()) > 1 or marker.bulleted or marker.done is not None or task.due or task.assignee:
            return False
        return sum(abs(x - task.bbox.x) <= COLUMN_TOLERANCE * h for x in xs) - 1 <= 1

    return [(t, m) for t, m in made if not stray(t, m)]


_A_WORD = re.compile(r"[^\W\d_]{3,}")

# a day plan's rows start with a time: "10.00 - Meditation", "9:30 standup", "2pm: gym"
_LEAD_TIME = re.compile(
    r"^((?:[01]?\d|2[0-3])(?:[.:][0-5]\d(?:\s?[ap]\.?m\.?)?|\s?[ap]\.?m\.?))\s*(?:[-–—:]\s*|\s+)(?=[^\W\d])", re.I
)


# a board's column that holds finished work: its notes are done
_DONE_COLUMN = re.compile(r"^\W*(?:done|finished|completed?|closed|shipped|erledigt)\W*$", re.I)


def _board_columns(classified: list[Classified]) -> dict[int, str]:
    """The label of the column each note on a board stands in (kanban: "To Do", "Doing",
    "Done"): the label above the note that shares most of its width with it."""
    labels = [c for c in classified if c.role is Role.HEADING]
    out = {}
    for i, c in enumerate(classified):
        if c.role is not Role.TASK:
            continue
        box = c.row.bbox
        above = [lab for lab in labels
                 if lab.row.bbox.y2 <= box.y + 0.5 * lab.row.bbox.height and box.hgap(lab.row.bbox) < 0]
        if above:
            out[i] = min(above, key=lambda lab: box.hgap(lab.row.bbox)).marker.rest
    return out


# Below this recogniser confidence a row with nothing else marking it as a task (no bullet or
# checkbox, no "TODO:", no date, no person) is more often a drawing, a doodle or writing read
# as garbage than a task (real dev pages: task F1 46.0 to 48.1 %, 0.75 / 0.85 / 0.9 gave
# 47.5 / 48.9 / 46.4 %; synthetic unchanged at 96.8 %). Its text stays in the scan's lines.
UNSURE_ROW = 0.80
# ... unless this many of its words are dictionary words: that is writing read unsure, not a
# doodle (real dev pages: 3 right tasks more, 1 spurious; 2 or 3 words gave more spurious)
SURE_WORDS = 4


def _reads_as_words(title: str) -> bool:
    known = correct.lexicon()
    return sum(w.lower() in known for w in _A_WORD.findall(title)) >= SURE_WORDS


def _a_name_last(text: str, name: str) -> bool:
    """Without a roster, a bracket, a dash or an arrow before a word in lower case assigns the
    row when what it holds ends the row and is a first name: "Tidy the room -> viktor",
    "Call the school — Felix", "(Tom)"; not "-> see ticket", "Nice (France)", "- Deli"."""
    return text.rstrip(" .)]").lower().endswith(name.lower()) and is_first_name(name.split()[0])


# a name first (roles.LEAD_NAME) assigns only a roster name written nearly as it is
# ("Plan - trip" is no Alan)
LEAD_NAME_CUTOFF = 90.0


def _parse_task(c: Classified, opts: ExtractOptions, index: int, struck, column: str | None = None,
                kind: PageKind = PageKind.LIST) -> Task | None:
    text = strip_action_label(c.marker.rest)
    labelled = text != c.marker.rest
    at = _LEAD_TIME.match(text)
    if at:  # the time is when, not what: it goes to the description
        text = text[at.end():]
    who, cutoff = ASSIGNED.match(text), correct.PERSON_CUTOFF
    if not who:
        who, cutoff = LEAD_NAME.match(text), LEAD_NAME_CUTOFF
    if who and correct.match_person(who.group("who"), opts.people, cutoff=cutoff):  # "Remember to …" names nobody
        text = f"{text[who.end():]} → {who.group('who')}"  # the same as an arrow at the end
    due, text = parse_due_date(text, opts.ref_date, opts.date_order)
    priority, text = parse_priority(text)
    found = find_assignee(text)
    assignee = found.name
    if assignee:
        known = correct.match_person(assignee, opts.people) if opts.people else None
        if known or not found.weak or (not opts.people and _a_name_last(text, assignee)):
            assignee, text = known or assignee, found.rest
        else:  # a bracket or dash that holds no one we know is part of the title
            assignee = None
    if opts.people and not assignee:
        assignee, text = correct.find_person(text, opts.people)
    if due is None:  # a misread date word may only now stand at the end of the line
        due, text = parse_due_date(text, opts.ref_date, opts.date_order)
    text = strip_field_debris(text)
    title = tidy(text)
    # a task says what to do in a word at least: a date or a number alone heads a page, and
    # a row of figures, a formula or a pair of letters is not a task (real dev pages: 3 false
    # tasks fewer, "9~10vs", "1021 fw", "8+p→n++}o~10-28"; none found lost)
    if not _A_WORD.search(title):
        return None
    # what marks a row as a task beside a bullet; on a page of notes a bullet marks a point
    said = c.marker.done is not None or labelled or due or assignee
    if c.row.confidence < UNSURE_ROW and not (said or c.marker.bulleted or _reads_as_words(title)):
        return None
    if kind is PageKind.NOTES and not (said or says_what_to_do(title)):
        return None
    return Task(
        title=title,
        assignee=assignee,
        due=due,
        priority=priority or Priority.MEDIUM,
        description=at.group(1) if at else "",
        done=bool(c.marker.done or (struck and struck(c.row.bbox)) or (column and _DONE_COLUMN.match(column))),
        position=index,
        confidence=c.row.confidence,
        bbox=c.row.bbox,
    )
