"""A scan job (one uploaded image) and the tasks read from it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from taskocr.extract.page import WHY_NO_TASKS


class JobStatus(models.TextChoices):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class Priority(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class Job(models.Model):
    # The id doubles as the seed API's transaction_id.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING, db_index=True)

    # the upload
    image = models.CharField(max_length=500, help_text="storage name of the original image")
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    image_size = models.PositiveBigIntegerField(default=0)
    content_hash = models.CharField(max_length=64)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)

    # what the caller asked for
    engine_requested = models.CharField(max_length=32, blank=True)
    people = models.JSONField(default=list, blank=True)
    date_order = models.CharField(max_length=3, blank=True)
    callback_url = models.URLField(max_length=1000, blank=True)

    # the outcome
    engine = models.CharField(max_length=32, blank=True)
    ocr_confidence = models.FloatField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True, help_text="lines, timings and engines tried")

    # delivery bookkeeping: which message owns the job now, and until when
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=255, blank=True, help_text="host:pid of the process running it")
    attempts = models.PositiveIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    webhook_status = models.CharField(max_length=16, blank=True)
    webhook_attempts = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    processing_duration = models.FloatField(null=True, blank=True, help_text="seconds")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # one job per image per user; a second upload finds the first
            models.UniqueConstraint(fields=["owner", "content_hash"], name="job_owner_hash_uniq"),
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="job_owner_idem_uniq",
            ),
        ]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="job_status_enq_idx")]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"

    @property
    def page_kind(self) -> str | None:
        """What the photo was read as (list, board, notes, text, key, form); None until it is read."""
        return (self.result or {}).get("page_kind")

    @property
    def why_no_tasks(self) -> str:
        """Why a photo of its kind may give no task (running text, notes, a key, a form; '' for others)."""
        return WHY_NO_TASKS.get(self.page_kind or "", "")


class ExtractedTask(models.Model):
    class Source(models.TextChoices):
        OCR = "ocr"
        MANUAL = "manual"  # added by a person; a re-run of the OCR keeps it

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="tasks")
    task_name = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    assignee = models.CharField(max_length=200, null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    done = models.BooleanField(default=False)
    position_index = models.IntegerField(default=0)
    confidence_score = models.FloatField(default=0.0)
    bbox_x = models.IntegerField(null=True, blank=True)
    bbox_y = models.IntegerField(null=True, blank=True)
    bbox_width = models.IntegerField(null=True, blank=True)
    bbox_height = models.IntegerField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.OCR)
    # fields a person changed; a re-read keeps them and refreshes only the rest
    edited_fields = models.JSONField(default=list, blank=True)
    # where the note sits on the board (CSS pixels from the top left); null: laid out
    board_x = models.FloatField(null=True, blank=True)
    board_y = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position_index", "id"]

    def __str__(self) -> str:
        return self.task_name


class Person(models.Model):
    """One name of a user's roster, and the misreadings the OCR makes of it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    misreadings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="person_owner_name_uniq")]

    def __str__(self) -> str:
        return self.name


class WorkerInfo(models.Model):
    """What each worker process loaded at start. The health endpoint reports these instead
    of probing engines in the web process (some availability checks import torch)."""

    name = models.CharField(max_length=255, unique=True)
    backend = models.CharField(max_length=32)
    engine = models.CharField(max_length=32, blank=True, help_text="preloaded engine; blank if none")
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
