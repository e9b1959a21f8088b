"""Running one job: claim it, scan the stored image, record how it ended.

Every step is safe to repeat (see ``transitions``): of two messages for one job only one
runs it, and a redelivered or duplicated message never doubles its tasks.
"""

from __future__ import annotations

import enum
import logging
import time
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

from taskocr.config import DateOrder, Settings
from taskocr.errors import InputError, TaskOCRError
from taskocr.pipeline import ScanOptions, get_pipeline

from ..models import Job
from . import storage, transitions

log = logging.getLogger("taskocr.jobs")


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


def backoff(attempt: int) -> float:
    cfg = settings.TASKOCR
    return min(cfg["RETRY_BACKOFF"] * 2 ** max(0, attempt - 1), cfg["RETRY_BACKOFF_MAX"])


class DatabaseGone(Exception):
    """The database connection broke under a job (a restart, a failover): run it again once
    the database is back; the claim lets the same message take its job back."""


def run_job(job_id, task_id: str) -> RunResult:
    try:
        return _run(job_id, task_id)
    except (OperationalError, InterfaceError) as exc:
        connections.close_all()  # broken connections: the next try opens new ones
        raise DatabaseGone(str(exc)) from exc


def _run(job_id, task_id: str) -> RunResult:
    job = transitions.claim(job_id, task_id)
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
    if not transitions.complete(job.pk, task_id, result, time.perf_counter() - t0):
        return RunResult(Outcome.SKIPPED)
    return RunResult(Outcome.COMPLETED)


def _options(job: Job) -> ScanOptions:
    return ScanOptions(
        engine=job.engine_requested or None,
        people=tuple(job.people) if job.people else None,
        date_order=DateOrder(job.date_order) if job.date_order else None,
    )


def _retry_or_fail(job: Job, task_id: str, code: str, message: str) -> RunResult:
    if job.attempts >= settings.TASKOCR["MAX_ATTEMPTS"]:
        return _fail(job.pk, task_id, code, f"gave up after {job.attempts} attempts: {message}")
    delay = backoff(job.attempts)
    transitions.retry_later(job.pk, task_id, code, message, delay)
    log.warning("job %s: transient failure (%s), retry in %.0fs", job.pk, message, delay)
    return RunResult(Outcome.RETRY, delay=delay, message=message)


def _fail(job_id, task_id: str, code: str, message: str) -> RunResult:
    if not transitions.fail(job_id, task_id, code, message):
        return RunResult(Outcome.SKIPPED)
    log.warning("job %s failed: %s", job_id, message)
    return RunResult(Outcome.FAILED, message=message)
