"""Beat's housekeeping: the retention period and the health report."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from taskocr.engines.registry import ENGINES

from ..models import Job
from . import messaging, storage

log = logging.getLogger("taskocr.jobs")


def apply_retention(now=None) -> int:
    """Delete jobs (and their images) older than TASKOCR_RETENTION_DAYS; 0 keeps all."""
    days = settings.TASKOCR["RETENTION_DAYS"]
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    removed = 0
    for job in Job.objects.filter(created_at__lt=cutoff).only("id", "image")[:1000]:
        storage.delete(job.image)  # image first: a crash leaves a row, never an orphan file
        job.delete()
        removed += 1
    if removed:
        log.info("retention: removed %d job(s) older than %s days", removed, days)
    return removed


def _probe(fn) -> dict:
    try:
        fn()
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}  # no messages: they may hold URLs


def health() -> tuple[bool, dict]:
    """(healthy, report). Healthy means uploads are accepted: database and storage work.
    A broker outage only delays jobs (beat re-queues them), so it degrades, not fails."""

    def db():
        with connection.cursor() as cur:
            cur.execute("SELECT 1")

    checks = {"database": _probe(db), "storage": _probe(storage.check), "broker": _probe(messaging.check_broker)}
    checks["engines"] = engine_report()
    healthy = checks["database"]["ok"] and checks["storage"]["ok"]
    status = "ok" if healthy and checks["broker"]["ok"] else ("degraded" if healthy else "down")
    return healthy, {"status": status, "checks": checks}


def engine_report() -> dict:
    """The configured chain and what each running worker preloaded (engines are not probed
    here: some availability checks import torch, too heavy for a web process)."""
    from .workers import report

    return {"default": settings.CORE.backend, "known": list(ENGINES), "workers": report()}
