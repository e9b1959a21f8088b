"""Accepting an upload: check it, store the image, create the job, queue it on commit."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from taskocr.config import DateOrder
from taskocr.engines.registry import ENGINES
from taskocr.errors import ImageTooLarge, InputError

from ..models import Job
from . import messaging, people, storage

log = logging.getLogger("taskocr.jobs")


@dataclass(frozen=True)
class UploadOptions:
    engine: str = ""
    people: tuple[str, ...] = field(default_factory=tuple)
    date_order: str = ""
    callback_url: str = ""
    idempotency_key: str | None = None


def check_engine(name: str) -> str:
    name = (name or "").strip().lower()
    if name and name != "auto" and name not in ENGINES:
        raise InputError(
            f"unknown engine {name!r}; choose one of: auto, {', '.join(ENGINES)}", code="unknown_engine"
        )
    return "" if name == "auto" else name


def check_date_order(value: str) -> str:
    value = (value or "").strip().lower()
    if value and value not in {d.value for d in DateOrder}:
        raise InputError("date_order must be dmy or mdy", code="invalid_date_order")
    return value


def find_existing(owner, content_hash: str, idempotency_key: str | None) -> Job | None:
    if idempotency_key:
        job = Job.objects.filter(owner=owner, idempotency_key=idempotency_key).first()
        if job:
            return job
    return Job.objects.filter(owner=owner, content_hash=content_hash).first()


def submit_upload(owner, data: bytes, filename: str, opts: UploadOptions) -> tuple[Job, bool]:
    """Returns (job, created). The same image, or the same Idempotency-Key, from the same
    user returns the job made the first time instead of a second one."""
    limit = settings.CORE.limits.max_file_bytes
    if len(data) > limit:
        raise ImageTooLarge(f"the upload is {len(data)} bytes; the limit is {limit}")
    if not data:
        raise InputError("the uploaded file is empty", code="empty_file")
    ext, content_type = storage.sniff(data)
    digest = hashlib.sha256(data).hexdigest()
    existing = find_existing(owner, digest, opts.idempotency_key)
    if existing:
        return existing, False

    job = Job(
        owner=owner, original_filename=(filename or "")[:255], content_type=content_type,
        image_size=len(data), content_hash=digest, idempotency_key=opts.idempotency_key,
        engine_requested=check_engine(opts.engine),
        people=list(opts.people) or list(people.names_of(owner)),  # the roster unless named
        date_order=check_date_order(opts.date_order), callback_url=opts.callback_url,
        task_id=messaging.new_task_id(), enqueued_at=timezone.now(),
    )
    # The image is stored before the row exists: a committed job always has its image.
    job.image = storage.save(storage.image_name(owner.pk, job.pk, ext), data)
    try:
        with transaction.atomic():
            job.save(force_insert=True)
            messaging.enqueue_on_commit(job.pk, job.task_id)
    except IntegrityError:
        # a concurrent upload of the same image (or key) won the race: use its job
        storage.delete(job.image)
        existing = find_existing(owner, digest, opts.idempotency_key)
        if existing is None:
            raise
        return existing, False
    except Exception:
        storage.delete(job.image)  # no row will ever point at it
        raise
    return job, True
