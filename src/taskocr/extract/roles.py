"""Roles of a page's rows: which are headings, tasks, continuations of a task above them, or
running text, decided per block once the page is known to be a list, notes on a board or
text (``page``). Fields are read from the task rows afterwards (``tasks``)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import date
from statistics import median

from ..model import LineKind
from . import correct
from .dates import is_calendar_label, parse_due_date
from .fields import (
    Marker,
    fold_confusables,
    near_keyword,
    parse_assignee,
    parse_marker,
    parse_priority,
    ticked_box_guess,
)
from .layout import Block, Row, split_columns
from .page import TASK_VERBS, PageKind, first_word, is_action_item, page_kind, says_what_to_do


class Role(enum.Enum):
    HEADING = "heading"
    TASK = "task"
    CONTINUATION = "continuation"
    NOISE = "noise"
    TEXT = "text"  # running text on a page that is not a list


_HEADING_WORDS = (
    r"to\s?-?\s?dos?|tasks?|action\s+items?|actions|next\s+steps|agenda|notes|meeting(?:\s+notes)?"
    r"|groceries|grocery\s+list|shopping(?:\s+list)?|errands|chores|reminders?|checklist|backlog"
    r"|(?:this|next)\s+week|today|tomorrow|weekend|week\s*\d+|sprint\s*\d+|q[1-4]"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|home|work|personal|misc"
    # a month alone on its line heads a bullet journal's monthly log (real dev: per page 43.0 to 44.5 %)
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
)
_HEADING = re.compile(rf"^\W*(?:my\s+|the\s+)?(?:{_HEADING_WORDS})(?:\s+(?:list|items))?\W*$", re.I)
# a short line ending in one of these names a list: "Release checklist", "Team tasks", "Follow ups"
_HEADING_NOUN = re.compile(
    r"^\W*(?:[\w'’-]+\s+){0,2}(?:list|lists|tasks|todos?|items|checklist|notes|agenda|errands|chores"
    r"|housework|groceries|shopping|ups|reminders|goals|plans|priorities|backlog|actions)\W*$",
    re.I,
)


_VERB = rf"(?:{'|'.join(sorted(TASK_VERBS))})\b"
# "Tom to send the deck by Friday": a person, then what they are to do
ASSIGNED = re.compile(rf"^(?P<who>[A-Z][a-zà-ÿ'’-]+)\s+(?:to|will|should|must|needs?\s+to)\s+(?={_VERB})")
# meeting notes name who does an item first: "Ana: book the venue", "Liam - review budget",
# "Liam review the budget"
LEAD_NAME = re.compile(rf"^(?P<who>[A-Z][a-zà-ÿ'’-]+)(?:\s*:\s*|\s+[-–—]\s+|\s+(?={_VERB}))")


# how far (in line heights) a piece starting with a box or bullet stands from the one before
# it when it starts an item of its own (real dev pages: 0 and 0.3 alike, 0.6 lost one task)
MARK_GAP = 0.3


@dataclass(frozen=True)
class Classified:
    row: Row
    marker: Marker
    role: Role


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def marked_rows(rows: list[Row]) -> list[tuple[Row, Marker]]:
    marked = [(row, _tick_elsewhere(row, parse_marker(fold_confusables(row.text)))) for row in rows]
    if sum(m.done is False for _, m in marked) >= 2:  # a list of checkboxes
        marked = [(r, (ticked_box_guess(r.text) or m) if m.done is None else m) for r, m in marked]
    return marked


def _tick_elsewhere(row: Row, marker: Marker) -> Marker:
    """A tick or cross that only another reading of the row's first piece kept ("X Vim" read
    once as "Vim") marks the row done: recognisers drop a lone mark before a word more often
    than they invent one (real dev pages: 14 to 13 done errors, after `_restore_marks`)."""
    if marker.done is not None or not row.fragments:
        return marker
    first = min(row.fragments, key=lambda f: f.bbox.x)
    for alt in first.alternatives:
        if parse_marker(fold_confusables(alt.text)).done:
            return replace(marker, bulleted=True, done=True)
    return marker


def _names_someone(text: str, people: tuple[str, ...]) -> bool:
    who = ASSIGNED.match(text)
    return bool(who and correct.match_person(who.group("who"), people))


def explicit_task(marker: Marker, people: tuple[str, ...]) -> bool:
    """What makes a row a task among notes that are not a list: a checkbox, a label such as
    "TODO:" or "Action:", or someone known to do something ("Tom to send the deck")."""
    return is_action_item(marker) or _names_someone(marker.rest, people)


# meeting notes' section of things to do; a to-do heading is left out: it heads whole lists,
# and a "Done" section after it holds tasks too
ACTION_HEADING = re.compile(r"^\W*(?:action\s+(?:items?|points?)|actions|next\s+steps|follow[\s-]?ups?)\W*$", re.I)


def action_sections(classified: list[Classified]) -> list[bool | None] | None:
    """Per row: True in a section headed "Action items:" (or "Next steps", "Follow-ups"), up to
    the next heading; False before the first such heading (the notes the actions came from);
    None after it elsewhere. None for the page when the rows hold no such heading."""
    state: bool | None = False
    out: list[bool | None] = []
    found = False
    for c in classified:
        if ACTION_HEADING.match(c.marker.rest):
            state = found = True
            out.append(None)
            continue
        if c.role is Role.HEADING and found:
            state = None
        out.append(state)
    return out if found else None


def classify(rows: list[Row], kind: PageKind | None = None, note: bool = False,
             people: tuple[str, ...] = ()) -> list[Classified]:
    """Roles of one block's rows; ``kind`` is the whole page's (decided here when not given)."""
    marked = marked_rows(rows)
    if note:  # a note on a board is one item; a word or two alone on one line is a column's label
        (row, marker), = marked
        words = marker.rest.split()
        label = len(words) <= 2 and len({round(f.bbox.cy) for f in row.fragments}) == 1 and not marker.bulleted
        return [Classified(row, marker, Role.HEADING if label or _alnum(marker.rest) < 2 else Role.TASK)]
    if (kind or page_kind(marked)) is PageKind.TEXT:
        return [
            Classified(r, m, Role.TASK if explicit_task(m, people)
                        else Role.TEXT if _alnum(m.rest) >= 2 else Role.NOISE)
            for r, m in marked
        ]
    # columns are cut apart only once the page is known to be a list (cut rows would make
    # running text look like one: real dev, a notebook spread of notes then gave 12 tasks),
    # and each is read as a list of its own: its margin, its headings
    columns = split_columns(rows, field_only)
    return [c for column in columns for c in _list_roles(marked_rows(_split_at_marks(column)))]


# glyphs that start an item wherever they stand: a box, a tick, a round bullet (a dash or an
# arrow in the middle of a row joins a field or a remark to it: "Call Ana - urgent")
_ITEM_GLYPHS = "•●○◦▪■☐□▢⬜◻☑✓✔"


def _starts_item(text: str) -> bool:
    text = text.lstrip()
    if text[:1] in _ITEM_GLYPHS:
        return True
    return not text.startswith("(") and parse_marker(fold_confusables(text)).done is not None


def _split_at_marks(rows: list[Row]) -> list[Row]:
    """A checkbox or bullet in the middle of a row starts another item: two short items
    written side by side ("re-record voiceover  [ ] Sassy DC") are two tasks, not one."""
    out = []
    for row in rows:
        start = 0
        for k in range(1, len(row.fragments)):
            a, b = row.fragments[k - 1], row.fragments[k]
            if b.bbox.hgap(a.bbox) >= MARK_GAP * row.height and _starts_item(b.text):
                out.append(Row(row.fragments[start:k]))
                start = k
        out.append(Row(row.fragments[start:]) if start else row)
    return out


def _list_roles(marked: list[tuple[Row, Marker]]) -> list[Classified]:
    content = [(r, m) for r, m in marked if _alnum(m.rest) >= 2]
    bulleted_share = sum(m.bulleted for _, m in content) / len(content) if content else 0.0
    heights = sorted(r.height for r, _ in content) or [1.0]
    median_h = heights[len(heights) // 2]
    lefts = sorted(r.bbox.x for r, _ in content) or [0.0]
    margin = lefts[len(lefts) // 3]  # where most lines start; indented lines start further in
    # where the titles of bulleted lines start: a task whose bullet OCR lost starts there too
    starts = sorted(_text_start(r, m) for r, m in content if m.bulleted)
    text_margin = starts[len(starts) // 2] if len(starts) >= 2 else None
    # a list written in sentence case: its titles start with a capital, descriptions do not
    capitals = [m.rest[:1].isupper() for _, m in content if m.rest[:1].isalpha()]
    sentence_case = len(capitals) >= 3 and sum(capitals) >= 0.7 * len(capitals)
    apart = _first_stands_apart([r for r, _ in content], median_h)
    # items that open with a count ("2 eggs", "4 apples"): a first row that does too is one of them
    counted = sum(m.rest[:1].isdigit() for _, m in content) >= 0.6 * len(content)
    end = content[-1][0] if content else None
    out: list[Classified] = []
    last_task: Classified | None = None
    for row, marker in marked:
        text = marker.rest
        if _alnum(text) < 2:
            out.append(Classified(row, marker, Role.NOISE))
            continue
        role = Role.TASK
        first = not any(c.role is not Role.NOISE for c in out)
        if row.kind is LineKind.HEADING or (
            not marker.bulleted
            and _looks_like_heading(row, text, median_h, bulleted_share, first,
                                    first and apart and not (counted and text[:1].isdigit()), row is end)
        ):
            role = Role.HEADING
        elif not marker.bulleted and last_task is not None and not marker.done and not _has_fields(text):
            if (sentence_case and text[:1].islower()) or _is_continuation(
                row, text, last_task.row, median_h, margin, bulleted_share, text_margin
            ):
                role = Role.CONTINUATION
        c = Classified(row, marker, role)
        out.append(c)
        if role is Role.TASK:
            last_task = c
        elif role is Role.HEADING:
            last_task = None
    return out


def _first_stands_apart(rows: list[Row], median_h: float) -> bool:
    """Whether the top line is set off from the list below it: a wider gap under it than
    between the list's lines, or written well away from their left margin."""
    if len(rows) < 3:
        return False
    pitch = median(b.bbox.cy - a.bbox.cy for a, b in zip(rows[1:], rows[2:]))
    gap = rows[1].bbox.cy - rows[0].bbox.cy
    left = median(r.bbox.x for r in rows[1:])
    return gap >= 1.2 * pitch or abs(rows[0].bbox.x - left) >= 1.5 * median_h


def _looks_like_heading(
    row: Row, text: str, median_h: float, bulleted_share: float, first: bool, apart: bool = False,
    last: bool = False,
) -> bool:
    words = text.split()
    opener = first_word(text)
    if _HEADING.match(text) or is_calendar_label(text):
        return True
    if first and _HEADING_NOUN.match(text) and opener not in TASK_VERBS:
        return True
    if text.rstrip().endswith(":") and len(words) <= 6:
        return True
    if apart and len(words) <= 3 and opener not in TASK_VERBS and not _has_fields(text):
        # A short line on top, set off from the list and not starting with a verb, names
        # the list whatever its words are ("Odds and ends"), bulleted list or not.
        return True
    if len(words) <= 4 and bulleted_share >= 0.5:
        # In a bulleted list, a short unbulleted line on top, written larger or in capitals,
        # is the list's title.
        # (written larger: a title heads what follows it, so not on the last line)
        if first or (row.height > 1.3 * median_h and not last) or (text.isupper() and len(text) > 2):
            return True
    return False


def _text_start(row: Row, marker: Marker) -> float:
    """Where a bulleted row's title begins, estimated from the share of characters the
    marker took (handwriting has no fixed pitch, but one line's letters are alike)."""
    text = row.text
    consumed = max(0, len(text) - len(marker.rest))
    return row.bbox.x + row.bbox.width * consumed / max(1, len(text))


def board_kind(notes: list[Block]) -> PageKind:
    """Notes on a board hold tasks when they say what to do: a storyboard, a form or a
    mind map holds topics. Notes with a to-do verb (first, or in German and Dutch last: "Oma
    anrufen") tell the two apart."""
    texts = [parse_marker(fold_confusables(" ".join(r.text for r in n.rows))).rest for n in notes]
    verbs = sum(says_what_to_do(t) or _misread_verb(first_word(t)) for t in texts)
    return PageKind.LIST if verbs >= 0.25 * len(texts) else PageKind.TEXT


def _misread_verb(word: str) -> bool:
    """A to-do verb with one letter misread ("Vacoum", "Sweap"): marker on a sticky note is
    read no better than pen on paper, and one note more or less decides a board."""
    return len(word) >= 5 and near_keyword(word, TASK_VERBS, lambda k: 1 if len(k) >= 5 else 0) is not None


def field_only(text: str) -> bool:
    """A short run of text that is a date, a priority or a person and little else."""
    return len(text.split()) <= 4 and _has_fields(text)


def _has_fields(text: str) -> bool:
    """A due date, a priority or an assignee marks a task: descriptions carry none."""
    if parse_due_date(text, date(2000, 1, 1))[0] is not None:
        return True
    return parse_priority(text)[0] is not None or parse_assignee(text)[0] is not None


def _is_continuation(
    row: Row, text: str, task_row: Row, median_h: float, margin: float, bulleted_share: float,
    text_margin: float | None = None,
) -> bool:
    """An unbulleted line under a task that starts further in than the list's lines do.

    Small bullets are often lost by OCR, so the list's left margin (where most lines start)
    is the reference as well as the task line above; when the bulleted lines show where
    titles begin, a line starting clearly left of that is a task whose bullet was lost.
    (Requiring more indentation than that cost more continuations than it saved tasks.)"""
    if text_margin is not None and row.bbox.x - text_margin < -0.3 * median_h:
        return False
    indent = min(row.bbox.x - task_row.bbox.x, row.bbox.x - margin)
    if bulleted_share >= 0.5:
        return indent > 0.9 * median_h or (text[:1].islower() and indent > 0.3 * median_h)
    return indent > 0.6 * median_h
