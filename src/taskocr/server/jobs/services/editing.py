"""What a person does to their jobs after upload: look, retry, correct, delete."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404

from taskocr.errors import TaskOCRError

from ..models import ExtractedTask, Job, JobStatus
from . import messaging, storage, transitions
from . import people as roster
from .intake import check_date_order, check_engine


class Conflict(TaskOCRError):
    code = "conflict"


def jobs_of(owner):
    return Job.objects.filter(owner=owner)


def job_of(owner, job_id) -> Job:
    """The owner's job; anyone else's id is indistinguishable from a missing one (404)."""
    job = Job.objects.filter(owner=owner, pk=job_id).prefetch_related("tasks").first()
    if job is None:
        raise Http404("no such job")
    return job


def task_of(owner, task_id) -> ExtractedTask:
    task = ExtractedTask.objects.filter(job__owner=owner, pk=task_id).select_related("job").first()
    if task is None:
        raise Http404("no such task")
    return task


def delete_job(owner, job_id) -> None:
    job = job_of(owner, job_id)
    name = job.image
    job.delete()
    transaction.on_commit(lambda: storage.delete(name))


def retry_job(
    owner, job_id, engine: str | None = None, people: list[str] | None = None,
    date_order: str | None = None,
) -> Job:
    """Read the photo again, optionally with another engine, roster (an empty list: the
    user's roster as it is now) or date order. Tasks a person added or edited are kept
    (see ``rereading``)."""
    job = job_of(owner, job_id)
    if job.status in (JobStatus.PENDING, JobStatus.PROCESSING):
        raise Conflict(f"the job is {job.status}; retry it once it has finished")
    task_id = messaging.new_task_id()
    changes = {} if engine is None else {"engine_requested": check_engine(engine)}
    if people is not None:
        changes["people"] = list(people) or list(roster.names_of(owner))
    if date_order is not None:
        changes["date_order"] = check_date_order(date_order)
    with transaction.atomic():
        if not transitions.restart(job.pk, task_id, **changes):
            raise Conflict("the job was retried already")
        messaging.enqueue_on_commit(job.pk, task_id)
    job.refresh_from_db()
    return job


EDITABLE = (
    "task_name", "description", "assignee", "due_date", "priority", "done", "position_index",
    "bbox_x", "bbox_y", "bbox_width", "bbox_height", "board_x", "board_y",
)
# where a note sits on the board, and its place in the list, are not corrections of a reading
NOT_EDITS = ("board_x", "board_y", "position_index")


def update_task(owner, task_id, changes: dict) -> ExtractedTask:
    """Apply a person's changes. A changed field is marked edited, so a re-read keeps it;
    an assignee changed from what the OCR read teaches the user's roster that misreading."""
    task = task_of(owner, task_id)
    edited = list(task.edited_fields)
    for key, value in changes.items():
        if key == "assignee":
            value = " ".join((value or "").split()) or None
        if key not in EDITABLE or getattr(task, key) == value:
            continue
        if key == "assignee" and task.source == ExtractedTask.Source.OCR and "assignee" not in edited:
            if task.assignee and value:
                roster.learn(owner, read=task.assignee, name=value)
        setattr(task, key, value)
        if key not in NOT_EDITS and key not in edited:
            edited.append(key)
    task.edited_fields = edited
    task.save()
    return task


def move_task(owner, task_id, delta: int) -> None:
    """Swap a task with its neighbour in the job's list (delta -1 up, +1 down)."""
    task = task_of(owner, task_id)
    with transaction.atomic():
        tasks = list(task.job.tasks.select_for_update().order_by("position_index", "id"))
        i = next(n for n, t in enumerate(tasks) if t.pk == task.pk)
        j = i + delta
        if 0 <= j < len(tasks):
            tasks[i], tasks[j] = tasks[j], tasks[i]
        for n, t in enumerate(tasks):
            if t.position_index != n:
                t.position_index = n
                t.save(update_fields=["position_index", "updated_at"])


def tasks_of(owner, *, done=None, assignee=None, due_before=None, due_after=None,
             priority=None, job_id=None):
    """Tasks across the owner's jobs, filtered; ``assignee=""`` means unassigned."""
    qs = ExtractedTask.objects.filter(job__owner=owner).select_related("job")
    if done is not None:
        qs = qs.filter(done=done)
    if assignee == "":
        qs = qs.filter(Q(assignee__isnull=True) | Q(assignee=""))
    elif assignee:
        qs = qs.filter(assignee__iexact=assignee)
    if due_before:
        qs = qs.filter(due_date__lte=due_before)
    if due_after:
        qs = qs.filter(due_date__gte=due_after)
    if priority:
        qs = qs.filter(priority=priority)
    if job_id:
        qs = qs.filter(job_id=job_id)
    return qs.order_by("-job__created_at", "position_index", "id")


def add_task(owner, job_id, values: dict) -> ExtractedTask:
    job = job_of(owner, job_id)
    values = {k: v for k, v in values.items() if k in EDITABLE}
    if "position_index" not in values:
        last = job.tasks.aggregate(m=Max("position_index"))["m"]
        values["position_index"] = 0 if last is None else last + 1
    values.setdefault("confidence_score", 1.0)  # a person wrote it
    return ExtractedTask.objects.create(job=job, source=ExtractedTask.Source.MANUAL, **values)


def delete_task(owner, task_id) -> None:
    task_of(owner, task_id).delete()
