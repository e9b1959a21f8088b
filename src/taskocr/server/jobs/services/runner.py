"""Running one job: claim it, scan the stored image, save the result in one transaction.

Every step is safe to repeat. The claim is a conditional UPDATE, so of two messages for one
job only one runs it; the save replaces the job's OCR tasks wholesale and only if this run
still owns the job, so a redelivered or duplicated message never doubles its tasks.
"""

from __future__ import annotations

import enum
import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from taskocr.config import DateOrder, Settings
from taskocr.errors import InputError, TaskOCRError
from taskocr.model import ScanResult
from taskocr.pipeline import ScanOptions, get_pipeline

from ..models import Job, JobStatus
from . import rereading, storage

log = logging.getLogger("taskocr.jobs")
LEASE_GRACE_S = 60  # beyond the hard time limit, so a live run is never taken over


class Outcome(str, enum.Enum):
    COMPLETED = "completed"
    FAILED = "failed"
    RETRY = "retry"  # transient failure: the task should retry after ``delay``
    SKIPPED = "skipped"  # done already, or another message owns the job


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome
    delay: float = 0.0
    message: str = ""


def pipeline():
    return get_pipeline(Settings.from_env())


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


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_gone(name: str) -> bool:
    """True if ``name`` (host:pid) is a process of this host that no longer exists."""
    host, _, pid = name.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process: only its lease can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def backoff(attempt: int) -> float:
    cfg = settings.TASKOCR
    return min(cfg["RETRY_BACKOFF"] * 2 ** max(0, attempt - 1), cfg["RETRY_BACKOFF_MAX"])


def run_job(job_id, task_id: str) -> RunResult:
    job = claim(job_id, task_id)
    if job is None:
        return RunResult(Outcome.SKIPPED)
    t0 = time.perf_counter()
    try:
        data = storage.load(job.image)
    except Exception as exc:  # storage unreachable (S3 down): worth another try
        return _retry_or_fail(job, task_id, "storage_unavailable", f"could not read the image: {exc}")
    try:
        result = pipeline().scan(data, _options(job))
    except InputError as exc:
        return _fail(job.pk, task_id, exc.code, exc.message)
    except TaskOCRError as exc:
        if exc.transient:
            return _retry_or_fail(job, task_id, exc.code, exc.message)
        return _fail(job.pk, task_id, exc.code, exc.message)
    except SoftTimeLimitExceeded as exc:
        return _retry_or_fail(job, task_id, "timeout", f"the scan ran past the time limit ({exc})")
    except Exception as exc:  # a bug in the pipeline: say so now rather than after every retry
        log.exception("job %s: the scan crashed", job.pk)
        return _fail(job.pk, task_id, "internal_error", f"the scan crashed: {type(exc).__name__}: {exc}")
    return _save(job.pk, task_id, result, time.perf_counter() - t0)


def _options(job: Job) -> ScanOptions:
    return ScanOptions(
        engine=job.engine_requested or None,
        people=tuple(job.people) if job.people else None,
        date_order=DateOrder(job.date_order) if job.date_order else None,
    )


def _owned(job_id, task_id: str):
    return Job.objects.select_for_update().filter(pk=job_id, task_id=task_id, status=JobStatus.PROCESSING)


def _save(job_id, task_id: str, result: ScanResult, seconds: float) -> RunResult:
    with transaction.atomic():
        job = _owned(job_id, task_id).first()
        if job is None:  # the lease ran out and another run took the job over
            return RunResult(Outcome.SKIPPED)
        rereading.store_tasks(job, [t.to_dict() for t in result.tasks])
        now = timezone.now()
        data = result.to_dict()
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.COMPLETED, engine=result.engine, ocr_confidence=result.confidence,
            result={k: data[k] for k in ("engines_tried", "image", "lines", "timings_ms")},
            error_code="", error_message="", completed_at=now, updated_at=now,
            processing_duration=round(seconds, 3), lease_until=None,
        )
        _after_finish(job)
    return RunResult(Outcome.COMPLETED)


def _retry_or_fail(job: Job, task_id: str, code: str, message: str) -> RunResult:
    if job.attempts >= settings.TASKOCR["MAX_ATTEMPTS"]:
        return _fail(job.pk, task_id, code, f"gave up after {job.attempts} attempts: {message}")
    delay = backoff(job.attempts)
    now = timezone.now()
    # Back to pending, marked as sent for the retry's moment, so beat leaves it alone.
    Job.objects.filter(pk=job.pk, task_id=task_id).update(
        status=JobStatus.PENDING, error_code=code, error_message=f"retrying: {message}",
        enqueued_at=now + timedelta(seconds=delay), lease_until=None, updated_at=now,
    )
    log.warning("job %s: transient failure (%s), retry in %.0fs", job.pk, message, delay)
    return RunResult(Outcome.RETRY, delay=delay, message=message)


def _fail(job_id, task_id: str | None, code: str, message: str) -> RunResult:
    with transaction.atomic():
        rows = Job.objects.select_for_update().filter(pk=job_id)
        if task_id is not None:
            rows = rows.filter(task_id=task_id)
        job = rows.first()
        if job is None:
            return RunResult(Outcome.SKIPPED)
        now = timezone.now()
        duration = (now - job.started_at).total_seconds() if job.started_at else None
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error_code=code, error_message=message[:4000],
            completed_at=now, updated_at=now, lease_until=None, processing_duration=duration,
        )
        _after_finish(job)
    log.warning("job %s failed: %s", job_id, message)
    return RunResult(Outcome.FAILED, message=message)


def fail_exhausted(job_id) -> None:
    """Beat found a job that keeps getting lost (its worker dies on it): stop trying."""
    _fail(job_id, None, "attempts_exhausted", "the job was interrupted too many times")


def _after_finish(job: Job) -> None:
    if job.callback_url:
        from .webhooks import schedule

        schedule(job.pk)
