"""What the templates need to show a task beyond its fields: doubt marks and note colours."""

from __future__ import annotations

from dataclasses import dataclass

LOW_CONFIDENCE = 0.8  # below this the OCR was unsure of the line: look here first


@dataclass
class Row:
    task: object
    low: bool  # the whole reading is doubtful
    unknown_assignee: bool  # a name that is not on the roster
    box: tuple[int, int, int, int] | None


def task_rows(tasks, roster: tuple[str, ...]) -> list[Row]:
    known = {n.lower() for n in roster}
    rows = []
    for t in tasks:
        box = None
        if None not in (t.bbox_x, t.bbox_y, t.bbox_width, t.bbox_height):
            box = (t.bbox_x, t.bbox_y, t.bbox_width, t.bbox_height)
        edited = set(t.edited_fields or [])
        rows.append(Row(
            task=t,
            low=t.source == "ocr" and t.confidence_score < LOW_CONFIDENCE and not edited,
            unknown_assignee=bool(known and t.assignee and t.assignee.lower() not in known
                                  and "assignee" not in edited),
            box=box,
        ))
    return rows


def board_places(tasks, columns: int = 4, width: int = 230, height: int = 190) -> list[tuple]:
    """Each task with where its note goes: its stored place, or the next free grid cell."""
    out, n = [], 0
    for t in tasks:
        if t.board_x is not None and t.board_y is not None:
            out.append((t, t.board_x, t.board_y))
        else:
            out.append((t, 16 + (n % columns) * width, 16 + (n // columns) * height))
            n += 1
    return out
