"""Getting jobs to a worker: publish after commit, and re-send what the broker lost.

Jobs are the source of truth, the broker is only a doorbell: if a publish fails (broker
down) or a message dies with its worker, the job row still says what is left to do, and
beat's ``requeue_lost_jobs`` rings again.
"""

from __future__ import annotations

import logging
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Job, JobStatus

log = logging.getLogger("taskocr.jobs")

RUN_SCAN = "taskocr.run_scan"
SEND_WEBHOOK = "taskocr.send_webhook"


def _app():
    from taskocr.server.celery_app import app

    return app


def publish(name: str, args: tuple, *, task_id: str | None = None, countdown: float | None = None) -> None:
    _app().send_task(
        name, args=args, task_id=task_id, countdown=countdown,
        queue=settings.TASKOCR["QUEUE"], retry=True,
        retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
    )


def enqueue_on_commit(job_id, task_id: str) -> None:
    """Send the job's message once its row is committed (a worker must find the row)."""
    transaction.on_commit(lambda: _send(job_id, task_id))


def _send(job_id, task_id: str) -> None:
    try:
        publish(RUN_SCAN, (str(job_id),), task_id=task_id)
    except Exception as exc:  # broker down: the upload still stands; beat re-queues it
        log.warning("could not queue job %s (%s); it stays pending for re-queue", job_id, exc)
        Job.objects.filter(pk=job_id, task_id=task_id).update(enqueued_at=None)


def new_task_id() -> str:
    return str(uuid.uuid4())


def queue_depth() -> int:
    """Messages waiting in the job queue (0 if the broker cannot tell)."""
    try:
        with _app().connection_for_write() as conn, conn.channel() as channel:
            return channel.queue_declare(queue=settings.TASKOCR["QUEUE"], passive=True).message_count
    except Exception:
        return 0


def check_broker() -> None:
    with _app().connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)


def _orphaned_on_this_host() -> list:
    """Jobs in processing whose worker process on this machine has died. Their message may
    be gone with it (the SQL broker does not redeliver), so waiting for the lease would
    only delay them; e.g. after `taskocr serve` was killed and started again."""
    from .runner import process_gone

    running = Job.objects.filter(status=JobStatus.PROCESSING, worker__startswith=f"{socket.gethostname()}:")
    return [job.pk for job in running.only("id", "worker") if process_gone(job.worker)]


def requeue_lost_jobs(now=None) -> list[str]:
    """Re-send jobs nobody is working on: pending ones never sent or sent long ago, and
    processing ones whose lease ran out (their worker died or hung past the time limit).
    Jobs that used up their attempts are failed instead, so a poison image cannot loop."""
    cfg = settings.TASKOCR
    now = now or timezone.now()
    lost = Q(enqueued_at__isnull=True)
    if queue_depth() == 0:
        # Nothing waits in the queue, so a job sent long ago and still pending lost its
        # message. While a backlog drains, old pending jobs are just waiting their turn.
        lost |= Q(enqueued_at__lt=now - timedelta(seconds=cfg["REQUEUE_AFTER"]))
    stale_pending = Q(status=JobStatus.PENDING) & lost
    stale_processing = Q(status=JobStatus.PROCESSING, lease_until__lt=now)
    # Only the embedded SQL broker loses a dead worker's message; Redis and RabbitMQ give it
    # back (reject_on_worker_lost), and a beat in another container cannot see worker pids.
    orphans = _orphaned_on_this_host() if settings.EMBEDDED_BROKER else []
    if orphans:
        stale_processing |= Q(pk__in=orphans)
    sent = []
    for job in Job.objects.filter(stale_pending | stale_processing).only("id", "status", "attempts")[:500]:
        if job.attempts >= cfg["MAX_ATTEMPTS"]:
            from .runner import fail_exhausted

            fail_exhausted(job.id)
            continue
        task_id = new_task_id()
        # Take the job back in the row first (conditional update), so two beats cannot both
        # re-send it and a hung worker that wakes up later finds its result is not wanted.
        moved = Job.objects.filter(pk=job.pk).filter(stale_pending | stale_processing).update(
            status=JobStatus.PENDING, task_id=task_id, enqueued_at=now, lease_until=None
        )
        if not moved:
            continue
        try:
            publish(RUN_SCAN, (str(job.id),), task_id=task_id)
            sent.append(str(job.id))
        except Exception as exc:
            log.warning("re-queue of job %s failed (%s); will try again", job.id, exc)
            Job.objects.filter(pk=job.pk, enqueued_at=now).update(enqueued_at=None)
            break  # the broker is down: the rest would fail too
    if sent:
        log.info("re-queued %d job(s)", len(sent))
    return sent
