"""The JSON shapes the service sends out, in API answers and in webhook bodies alike.
The status payload is the seed's, field for field."""

from __future__ import annotations

from rest_framework import serializers

from .models import ExtractedTask, Job


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtractedTask
        fields = (
            "id", "task_name", "description", "assignee", "due_date", "priority", "done",
            "position_index", "confidence_score", "bbox_x", "bbox_y", "bbox_width",
            "bbox_height", "created_at",
        )
        read_only_fields = ("id", "confidence_score", "created_at")


class StatusSerializer(serializers.ModelSerializer):
    transaction_id = serializers.UUIDField(source="id", read_only=True)
    extracted_tasks = TaskSerializer(source="tasks", many=True, read_only=True)

    class Meta:
        model = Job
        fields = (
            "transaction_id", "status", "original_filename", "image_size", "created_at",
            "updated_at", "started_at", "completed_at", "processing_duration", "ocr_confidence",
            "error_message", "engine", "extracted_tasks",
        )
