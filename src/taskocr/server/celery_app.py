"""The Celery application: configured from Django settings, one model per worker process."""

from __future__ import annotations

import logging
import os

from celery import Celery
from celery.signals import worker_process_init, worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskocr.server.settings")

from django.conf import settings  # noqa: E402

from . import broker  # noqa: E402

log = logging.getLogger("taskocr.worker")

if settings.EMBEDDED_BROKER:
    broker.install(settings.BROKER_POLL_INTERVAL)

app = Celery("taskocr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = {
    "requeue-lost-jobs": {
        "task": "taskocr.requeue_jobs",
        "schedule": settings.TASKOCR["REQUEUE_INTERVAL"],
    },
    "apply-retention": {"task": "taskocr.apply_retention", "schedule": 3600.0},
}
app.autodiscover_tasks(["taskocr.server.jobs"])


@worker_process_init.connect
def _load_model(**_kw):
    """Load the OCR model as the pool process starts, so no job pays for it."""
    from taskocr.server.jobs.services import workers

    workers.started()


@worker_process_shutdown.connect
def _forget(**_kw):
    from taskocr.server.jobs.services import workers

    workers.stopped()
