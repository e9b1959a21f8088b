"""Every change of a job's status, each a conditional UPDATE so that repeating it is safe.

pending → processing (``claim``) → completed (``complete``) or failed (``fail``), or back
to pending (``retry_later``, ``take_back``, ``restart``). A run may only finish a job it
still owns (same task id, still processing): a redelivered or duplicated message, or a
hung worker that wakes after its lease ran out, finds its result is not wanted.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from taskocr.model import ScanResult

from ..models import Job, JobStatus
from . import events, rereading
from .liveness import process_name

LEASE_GRACE_S = 60  # beyond the hard time limit, so a live run is never taken over


def claim(job_id, task_id: str) -> Job | None:
    """Take the job for this message. Pending jobs go to anyone; a processing job only to
    the same message redelivered (its worker died) or once its lease has run out."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.TASKOCR["JOB_TIME_LIMIT"] + LEASE_GRACE_S)
    taken = (
        Job.objects.filter(pk=job_id)
        .filter(
            Q(status=JobStatus.PENDING)
            | Q(status=JobStatus.PROCESSING, task_id=task_id)
            | Q(status=JobStatus.PROCESSING, lease_until__lt=now)
        )
        .update(
            status=JobStatus.PROCESSING, task_id=task_id, started_at=now, lease_until=lease,
            attempts=F("attempts") + 1, updated_at=now, worker=process_name(),
        )
    )
    return Job.objects.filter(pk=job_id).first() if taken else None


def _owned(job_id, task_id: str):
    return Job.objects.select_for_update().filter(pk=job_id, task_id=task_id, status=JobStatus.PROCESSING)


def complete(job_id, task_id: str, result: ScanResult, seconds: float) -> bool:
    """Store the scan's tasks and mark the job completed, if this run still owns it. The
    job's untouched OCR tasks are replaced; what a person added or edited stays (see
    ``rereading``)."""
    with transaction.atomic():
        job = _owned(job_id, task_id).first()
        if job is None:  # the lease ran out and another run took the job over
            return False
        rereading.store_tasks(job, list(result.tasks))
        now = timezone.now()
        data = result.to_dict()
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.COMPLETED, engine=result.engine, ocr_confidence=result.confidence,
            # with what produced it (the engine's model and version, the extractor's) and what the
            # page was read as
            result={k: data[k] for k in ("engines_tried", "image", "lines", "timings_ms", "model",
                                         "model_version", "extractor_version", "page_kind")},
            error_code="", error_message="", completed_at=now, updated_at=now,
            processing_duration=round(seconds, 3), lease_until=None,
        )
        events.announce_finished(job.pk, JobStatus.COMPLETED)
    return True


def retry_later(job_id, task_id: str, code: str, message: str, delay: float) -> None:
    """Back to pending after a transient failure, marked as sent for the retry's moment
    so that beat's re-queue leaves it alone until then."""
    now = timezone.now()
    Job.objects.filter(pk=job_id, task_id=task_id).update(
        status=JobStatus.PENDING, error_code=code, error_message=f"retrying: {message}",
        enqueued_at=now + timedelta(seconds=delay), lease_until=None, updated_at=now,
    )


def fail(job_id, task_id: str | None, code: str, message: str) -> bool:
    """Mark the job failed; with a task id, only if that run still owns it."""
    with transaction.atomic():
        rows = Job.objects.select_for_update().filter(pk=job_id)
        if task_id is not None:
            rows = rows.filter(task_id=task_id)
        job = rows.first()
        if job is None:
            return False
        now = timezone.now()
        duration = (now - job.started_at).total_seconds() if job.started_at else None
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error_code=code, error_message=message[:4000],
            completed_at=now, updated_at=now, lease_until=None, processing_duration=duration,
        )
        events.announce_finished(job_id, JobStatus.FAILED)
    return True


def fail_exhausted(job_id) -> bool:
    """A job that keeps getting lost (its worker dies on it): stop trying."""
    return fail(job_id, None, "attempts_exhausted", "the job was interrupted too many times")


def take_back(job_id, still_lost: Q, task_id: str, now) -> bool:
    """Re-queue: make the job pending under a new message, if it still matches
    ``still_lost`` (so two beats cannot both re-send it)."""
    return bool(
        Job.objects.filter(pk=job_id).filter(still_lost).update(
            status=JobStatus.PENDING, task_id=task_id, enqueued_at=now, lease_until=None
        )
    )


def restart(job_id, task_id: str, **changes) -> bool:
    """A person asked for a finished job to run again: pending, with a fresh count."""
    fields = dict(
        status=JobStatus.PENDING, task_id=task_id, enqueued_at=timezone.now(), attempts=0,
        error_code="", error_message="", started_at=None, completed_at=None,
        processing_duration=None, webhook_status="", webhook_attempts=0,
    )
    fields.update(changes)
    return bool(
        Job.objects.filter(pk=job_id, status__in=[JobStatus.COMPLETED, JobStatus.FAILED]).update(**fields)
    )
