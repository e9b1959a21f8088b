"""Worker process start-up: preload the model, and say so where the health check looks."""

from __future__ import annotations

import logging

from django.db import close_old_connections
from django.utils import timezone

from taskocr.config import Settings
from taskocr.pipeline import get_pipeline

from ..models import WorkerInfo
from .liveness import process_gone, process_name, this_host_prefix

log = logging.getLogger("taskocr.worker")


def started() -> None:
    settings = Settings.from_env()
    engine, error = "", ""
    try:
        engine = get_pipeline(settings).preload() or ""
        log.info("worker ready, engine preloaded: %s", engine or "none available")
    except Exception as exc:  # a missing model must not stop the worker; jobs report why
        error = f"{type(exc).__name__}: {exc}"
        log.exception("could not preload the OCR engine")
    try:
        close_old_connections()  # the forked child must not reuse the parent's connection
        _forget_dead_neighbours()
        WorkerInfo.objects.update_or_create(
            name=process_name(),
            defaults={"backend": settings.backend, "engine": engine, "error": error[:2000],
                      "started_at": timezone.now()},
        )
    except Exception:
        log.warning("could not record this worker for the health check", exc_info=True)


def _forget_dead_neighbours() -> None:
    """Drop records of processes on this host that are gone (killed without a goodbye)."""
    for w in WorkerInfo.objects.filter(name__startswith=this_host_prefix()):
        if process_gone(w.name):
            w.delete()


def stopped() -> None:
    try:
        WorkerInfo.objects.filter(name=process_name()).delete()
    except Exception:
        pass


def report(limit: int = 20) -> list[dict]:
    return [
        {"name": w.name, "backend": w.backend, "engine": w.engine or None,
         "error": w.error or None, "started_at": w.started_at.isoformat()}
        for w in WorkerInfo.objects.order_by("-started_at")[:limit]
    ]
