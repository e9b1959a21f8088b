"""Thin Celery tasks: each takes an id and hands it to the services layer."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .services import maintenance, messaging, recovery, runner, webhooks

_LIMIT = settings.TASKOCR["JOB_TIME_LIMIT"]


@shared_task(
    bind=True, name=messaging.RUN_SCAN, acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=_LIMIT, time_limit=_LIMIT + 30, max_retries=None,
)
def run_scan(self, job_id: str):
    try:
        result = runner.run_job(job_id, self.request.id)
    except runner.DatabaseGone as exc:
        raise self.retry(countdown=runner.backoff(self.request.retries + 1), exc=exc)
    if result.outcome == runner.Outcome.RETRY:
        # the services layer caps attempts; the row stays the source of truth
        raise self.retry(countdown=result.delay)
    return result.outcome.value


@shared_task(bind=True, name=messaging.SEND_WEBHOOK, acks_late=True, max_retries=None)
def send_webhook(self, job_id: str):
    ok = webhooks.deliver(job_id)
    if ok is False:
        if self.request.retries + 1 >= settings.TASKOCR["WEBHOOK_ATTEMPTS"]:
            webhooks.give_up(job_id)
            return "failed"
        raise self.retry(countdown=runner.backoff(self.request.retries + 1))
    return "delivered" if ok else "skipped"


@shared_task(name="taskocr.requeue_jobs")
def requeue_jobs():
    return len(recovery.requeue_lost_jobs())


@shared_task(name="taskocr.apply_retention")
def apply_retention():
    return maintenance.apply_retention()
