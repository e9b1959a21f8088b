"""Putting a scan's tasks on a job without losing what a person did.

A first scan just stores the tasks. A re-read (another engine, roster or date order) keeps
every task a person added, and every OCR task a person edited: such a task takes the new
reading only for the fields nobody touched, matched to it by where it sits on the photo.
Untouched OCR tasks are replaced. Misreadings the user taught are applied to assignees.
"""

from __future__ import annotations

from taskocr.model import Task

from ..models import ExtractedTask, Job
from . import people

# what a fresh reading may refresh on a task a person edited
READ_FIELDS = ("task_name", "description", "assignee", "due_date", "priority", "done")
BOX_FIELDS = ("bbox_x", "bbox_y", "bbox_width", "bbox_height")


def store_tasks(job: Job, tasks: list[Task]) -> None:
    """Replace the job's OCR tasks with a scan's ``tasks``; runs inside the caller's transaction."""
    learned = people.misreading_map(job.owner)
    fresh = [_row(job, t, learned) for t in tasks]
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


def _row(job: Job, t: Task, learned: dict[str, str]) -> ExtractedTask:
    """The library's task under the API's (seed-compatible) field names."""
    assignee = t.assignee
    if assignee and assignee.lower() in learned:
        assignee = learned[assignee.lower()]
    box = t.bbox.rounded() if t.bbox else None
    return ExtractedTask(
        job=job, task_name=t.title[:500], description=t.description or "", assignee=assignee,
        due_date=t.due, priority=t.priority.value, done=t.done, position_index=t.position,
        confidence_score=round(t.confidence, 4),
        bbox_x=int(box.x) if box else None, bbox_y=int(box.y) if box else None,
        bbox_width=int(box.width) if box else None, bbox_height=int(box.height) if box else None,
        source=ExtractedTask.Source.OCR,
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
