"""Accepting an upload: check it, store the image, create the job, queue it on commit."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from taskocr.config import DateOrder
from taskocr.engines.registry import ENGINES
from taskocr import imaging
from taskocr.errors import ImageTooLarge, InputError, TaskOCRError

from ..models import Job, JobStatus
from . import callback_urls, messaging, people, storage

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


class TooManyQueued(TaskOCRError):
    """The user already has the maximum of jobs waiting or running (answered with 429)."""

    code = "too_many_queued_jobs"
    retry_after = 30


def clean_filename(name: str) -> str:
    """The last path part, without control characters, at most 255 characters: a name is
    only shown back to its owner, never used as a path."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return name.strip()[:255]


def check_queue_room(owner) -> None:
    limit = settings.TASKOCR["MAX_QUEUED_PER_USER"]
    if limit and Job.objects.filter(owner=owner, status__in=[JobStatus.PENDING, JobStatus.PROCESSING]).count() >= limit:
        raise TooManyQueued(f"you have {limit} jobs waiting or running; upload more once some have finished")


def submit_upload(owner, data: bytes, filename: str, opts: UploadOptions) -> tuple[Job, bool]:
    """Returns (job, created). The same image, or the same Idempotency-Key, from the same
    user returns the job made the first time instead of a second one. Everything that can
    be refused is refused before the image is stored."""
    limits = settings.CORE.limits
    if len(data) > limits.max_file_bytes:
        raise ImageTooLarge(f"the upload is {len(data)} bytes; the limit is {limits.max_file_bytes}")
    if not data:
        raise InputError("the uploaded file is empty", code="empty_file")
    ext, content_type = storage.sniff(data)
    callback_url = callback_urls.check(opts.callback_url) if opts.callback_url else ""
    engine, date_order = check_engine(opts.engine), check_date_order(opts.date_order)
    imaging.probe(data, limits)  # the header's size: a pixel bomb never reaches storage
    digest = hashlib.sha256(data).hexdigest()
    existing = find_existing(owner, digest, opts.idempotency_key)
    if existing:
        return existing, False
    check_queue_room(owner)

    job = Job(
        owner=owner, original_filename=clean_filename(filename), content_type=content_type,
        image_size=len(data), content_hash=digest, idempotency_key=opts.idempotency_key,
        engine_requested=engine,
        people=list(opts.people) or list(people.names_of(owner)),  # the roster unless named
        date_order=date_order, callback_url=callback_url,
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
