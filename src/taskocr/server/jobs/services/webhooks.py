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

import certifi
import urllib3
from django.conf import settings
from django.db.models import F
from django.dispatch import receiver

from ..models import Job
from ..wire import StatusSerializer
from . import callback_urls, messaging
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
        status = _post(callback_urls.target(job.callback_url), body, headers)
        ok, reason = 200 <= status < 300, f"HTTP {status}"
    except callback_urls.UnsafeCallback as exc:  # e.g. the name now resolves to 10.x: never retried
        Job.objects.filter(pk=job.pk).update(webhook_status="refused")
        log.warning("webhook for job %s refused: %s", job.pk, exc.message)
        return None
    except (OSError, UnicodeError, urllib3.exceptions.HTTPError) as exc:
        ok, reason = False, str(exc)
    Job.objects.filter(pk=job.pk).update(webhook_status="delivered" if ok else "retrying")
    if not ok:
        log.warning("webhook for job %s failed: %s", job.pk, reason)
    return ok


def _post(t: callback_urls.Target, body: bytes, headers: dict) -> int:
    """POST to the address that was checked (not to a fresh lookup of the name), naming
    the host in the Host header and, for https, in SNI and the certificate check.
    Redirects are not followed: a 3xx is a failed delivery."""
    timeout = urllib3.Timeout(total=settings.TASKOCR["WEBHOOK_TIMEOUT"])
    if t.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            t.address, t.port, timeout=timeout, retries=False, cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(), server_hostname=t.host, assert_hostname=t.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(t.address, t.port, timeout=timeout, retries=False)
    host = t.host if ":" not in t.host else f"[{t.host}]"
    default_port = 443 if t.scheme == "https" else 80
    headers = {**headers, "Host": host if t.port == default_port else f"{host}:{t.port}"}
    with pool:
        resp = pool.urlopen("POST", t.path, body=body, headers=headers, redirect=False,
                            preload_content=True, assert_same_host=False)
    return resp.status


def give_up(job_id) -> None:
    Job.objects.filter(pk=job_id).update(webhook_status="failed")
