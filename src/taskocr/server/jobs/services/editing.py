"""What a person does to their jobs after upload: look, retry, correct, delete."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.http import Http404

from taskocr.errors import TaskOCRError

from ..models import ExtractedTask, Job, JobStatus
from . import messaging, storage, transitions
from .intake import check_engine


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


def retry_job(owner, job_id, engine: str | None = None) -> Job:
    """Run the OCR again (optionally with another engine). The new tasks replace the old
    OCR tasks when it finishes; tasks a person added are kept."""
    job = job_of(owner, job_id)
    if job.status in (JobStatus.PENDING, JobStatus.PROCESSING):
        raise Conflict(f"the job is {job.status}; retry it once it has finished")
    task_id = messaging.new_task_id()
    changes = {} if engine is None else {"engine_requested": check_engine(engine)}
    with transaction.atomic():
        if not transitions.restart(job.pk, task_id, **changes):
            raise Conflict("the job was retried already")
        messaging.enqueue_on_commit(job.pk, task_id)
    job.refresh_from_db()
    return job


EDITABLE = (
    "task_name", "description", "assignee", "due_date", "priority", "done", "position_index",
    "bbox_x", "bbox_y", "bbox_width", "bbox_height",
)


def update_task(owner, task_id, changes: dict) -> ExtractedTask:
    task = task_of(owner, task_id)
    for key, value in changes.items():
        if key in EDITABLE:
            setattr(task, key, value)
    task.save()
    return task


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
