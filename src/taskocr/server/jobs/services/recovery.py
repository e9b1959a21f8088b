"""Beat's re-queue: find jobs nobody is working on any more and ring the doorbell again.

A message can be lost (broker down at upload, a worker killed with the embedded broker,
which does not redeliver); the job row still says what is left to do.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import Job, JobStatus
from . import liveness, messaging, transitions

log = logging.getLogger("taskocr.jobs")


def _orphaned_on_this_host() -> list:
    """Jobs in processing whose worker process on this machine has died. Their message may
    be gone with it (the SQL broker does not redeliver), so waiting for the lease would
    only delay them; e.g. after `taskocr serve` was killed and started again."""
    running = Job.objects.filter(status=JobStatus.PROCESSING, worker__startswith=liveness.this_host_prefix())
    return [job.pk for job in running.only("id", "worker") if liveness.process_gone(job.worker)]


def requeue_lost_jobs(now=None) -> list[str]:
    """Re-send jobs nobody is working on: pending ones never sent or sent long ago, and
    processing ones whose lease ran out (their worker died or hung past the time limit).
    Jobs that used up their attempts are failed instead, so a poison image cannot loop."""
    cfg = settings.TASKOCR
    now = now or timezone.now()
    lost = Q(enqueued_at__isnull=True)
    if messaging.queue_depth() == 0:
        # Nothing waits in the queue, so a job sent long ago and still pending lost its
        # message. While a backlog drains, old pending jobs are just waiting their turn.
        lost |= Q(enqueued_at__lt=now - timedelta(seconds=cfg["REQUEUE_AFTER"]))
    stale = (Q(status=JobStatus.PENDING) & lost) | Q(status=JobStatus.PROCESSING, lease_until__lt=now)
    # Only the embedded SQL broker loses a dead worker's message; Redis and RabbitMQ give it
    # back (reject_on_worker_lost), and a beat in another container cannot see worker pids.
    orphans = _orphaned_on_this_host() if settings.EMBEDDED_BROKER else []
    if orphans:
        stale |= Q(pk__in=orphans)
    sent = []
    for job in Job.objects.filter(stale).only("id", "status", "attempts")[:500]:
        if job.attempts >= cfg["MAX_ATTEMPTS"]:
            transitions.fail_exhausted(job.id)
            continue
        task_id = messaging.new_task_id()
        if not transitions.take_back(job.pk, stale, task_id, now):
            continue
        try:
            messaging.publish(messaging.RUN_SCAN, (str(job.id),), task_id=task_id)
            sent.append(str(job.id))
        except Exception as exc:
            log.warning("re-queue of job %s failed (%s); will try again", job.id, exc)
            Job.objects.filter(pk=job.pk, enqueued_at=now).update(enqueued_at=None)
            break  # the broker is down: the rest would fail too
    if sent:
        log.info("re-queued %d job(s)", len(sent))
    return sent
