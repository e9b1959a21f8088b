"""Talking to the broker: publish after commit, and ask it how much is waiting.

Jobs are the source of truth, the broker is only a doorbell: if a publish fails (broker
down) the job row still says what is left to do, and ``recovery`` rings again.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.db import transaction

from ..models import Job

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
