"""Telling a caller's URL that its job finished: HMAC-signed POSTs, retried with backoff.

The signature is ``X-TaskOCR-Signature: sha256=<hex>``, the HMAC-SHA256 of
``"<X-TaskOCR-Timestamp>.<raw body>"`` keyed with TASKOCR_WEBHOOK_SECRET, or with the job
owner's API token when no secret is set (each user can check their own deliveries).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid

import requests
from django.conf import settings
from django.db.models import F
from django.dispatch import receiver

from ..models import Job
from ..wire import StatusSerializer
from . import messaging
from .events import job_finished

log = logging.getLogger("taskocr.webhooks")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def secret_for(job: Job) -> str:
    if settings.TASKOCR["WEBHOOK_SECRET"]:
        return settings.TASKOCR["WEBHOOK_SECRET"]
    from taskocr.server.accounts.services import token_for

    return token_for(job.owner)


@receiver(job_finished, dispatch_uid="taskocr.webhooks")
def on_job_finished(sender, job_id, **_kw) -> None:
    """A job completed or failed (and that is committed): queue its callback, if it has one."""
    if Job.objects.filter(pk=job_id).exclude(callback_url="").exists():
        _publish(job_id)


def _publish(job_id) -> None:
    try:
        messaging.publish(messaging.SEND_WEBHOOK, (str(job_id),))
    except Exception as exc:
        log.warning("could not queue the webhook for job %s: %s", job_id, exc)


def payload(job: Job) -> dict:
    return {"event": f"job.{job.status}", "job": StatusSerializer(job).data}


def deliver(job_id) -> bool | None:
    """One delivery attempt. True: delivered; False: failed, worth retrying; None: nothing
    to send (job gone or no callback)."""
    job = Job.objects.filter(pk=job_id).select_related("owner").prefetch_related("tasks").first()
    if job is None or not job.callback_url:
        return None
    body = json.dumps(payload(job), default=str).encode()
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "taskocr-webhook/1",
        "X-TaskOCR-Event": f"job.{job.status}",
        "X-TaskOCR-Delivery": str(uuid.uuid4()),
        "X-TaskOCR-Timestamp": ts,
        "X-TaskOCR-Signature": sign(secret_for(job), ts, body),
    }
    Job.objects.filter(pk=job.pk).update(webhook_attempts=F("webhook_attempts") + 1)
    try:
        resp = requests.post(
            job.callback_url, data=body, headers=headers,
            timeout=settings.TASKOCR["WEBHOOK_TIMEOUT"], allow_redirects=False,
        )
        ok = 200 <= resp.status_code < 300
        reason = f"HTTP {resp.status_code}"
    except requests.RequestException as exc:
        ok, reason = False, str(exc)
    Job.objects.filter(pk=job.pk).update(webhook_status="delivered" if ok else "retrying")
    if not ok:
        log.warning("webhook for job %s failed: %s", job.pk, reason)
    return ok


def give_up(job_id) -> None:
    Job.objects.filter(pk=job_id).update(webhook_status="failed")
