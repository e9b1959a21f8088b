"""Putting a scan's tasks on a job without losing what a person did.

A first scan just stores the tasks. A re-read (another engine, roster or date order) keeps
every task a person added, and every OCR task a person edited: such a task takes the new
reading only for the fields nobody touched, matched to it by where it sits on the photo.
Untouched OCR tasks are replaced. Misreadings the user taught are applied to assignees.
"""

from __future__ import annotations

from ..models import ExtractedTask, Job
from . import people

# what a fresh reading may refresh on a task a person edited
READ_FIELDS = ("task_name", "description", "assignee", "due_date", "priority", "done")
BOX_FIELDS = ("bbox_x", "bbox_y", "bbox_width", "bbox_height")


def store_tasks(job: Job, task_dicts: list[dict]) -> None:
    """Replace the job's OCR tasks with ``task_dicts`` (``Task.to_dict()`` shapes); runs
    inside the caller's transaction."""
    learned = people.misreading_map(job.owner)
    fresh = [_row(job, d, i, learned) for i, d in enumerate(task_dicts)]
    existing = list(job.tasks.all())
    edited = [t for t in existing if t.source == ExtractedTask.Source.OCR and t.edited_fields]
    manual = [t for t in existing if t.source == ExtractedTask.Source.MANUAL]
    job.tasks.filter(source=ExtractedTask.Source.OCR, edited_fields=[]).delete()

    ordered: list[ExtractedTask] = []
    unmatched = list(edited)
    for row in fresh:
        match = _best_match(row, unmatched)
        if match is None:
            ordered.append(row)
            continue
        unmatched.remove(match)
        for f in READ_FIELDS:
            if f not in match.edited_fields:
                setattr(match, f, getattr(row, f))
        if not any(f in match.edited_fields for f in BOX_FIELDS):
            for f in BOX_FIELDS:
                setattr(match, f, getattr(row, f))
        match.confidence_score = row.confidence_score
        ordered.append(match)
    ordered += unmatched + manual  # edits the new reading did not find, then additions

    for i, task in enumerate(ordered):
        task.position_index = i
    for t in ordered:
        if t.pk is not None:
            t.save()
    ExtractedTask.objects.bulk_create([t for t in ordered if t.pk is None])


def _row(job: Job, d: dict, index: int, learned: dict[str, str]) -> ExtractedTask:
    assignee = d["assignee"]
    if assignee and assignee.lower() in learned:
        assignee = learned[assignee.lower()]
    return ExtractedTask(
        job=job, task_name=d["task_name"][:500], description=d["description"] or "",
        assignee=assignee, due_date=d["due_date"], priority=d["priority"], done=d["done"],
        position_index=d.get("position_index", index), confidence_score=d["confidence_score"],
        bbox_x=d["bbox_x"], bbox_y=d["bbox_y"], bbox_width=d["bbox_width"],
        bbox_height=d["bbox_height"], source=ExtractedTask.Source.OCR,
    )


def _box(t: ExtractedTask):
    if None in (t.bbox_x, t.bbox_y, t.bbox_width, t.bbox_height):
        return None
    return (t.bbox_x, t.bbox_y, t.bbox_x + t.bbox_width, t.bbox_y + t.bbox_height)


def _overlap(a, b) -> float:
    """Share of the shorter box's height the two boxes have in common, if they also meet
    horizontally: two readings of one handwritten line overlap almost fully."""
    if a is None or b is None or min(a[2], b[2]) <= max(a[0], b[0]):
        return 0.0
    common = min(a[3], b[3]) - max(a[1], b[1])
    shorter = min(a[3] - a[1], b[3] - b[1])
    return max(0.0, common) / shorter if shorter > 0 else 0.0


def _best_match(row: ExtractedTask, candidates: list[ExtractedTask]) -> ExtractedTask | None:
    box = _box(row)
    scored = [(_overlap(box, _box(c)), c) for c in candidates]
    scored = [(s, c) for s, c in scored if s >= 0.5]
    return max(scored, key=lambda sc: sc[0])[1] if scored else None
