"""The API's request and answer shapes; the job and task shapes it shares with webhooks
live in ``jobs.wire``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Person, Priority
from ..wire import StatusSerializer, TaskSerializer  # noqa: F401 (the views name them from here)


class TaskDetailSerializer(TaskSerializer):
    """A task outside the seed's status payload: with its job, board place and edit marks."""

    job = serializers.UUIDField(source="job_id", read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = TaskSerializer.Meta.fields + ("job", "board_x", "board_y", "source", "edited_fields")
        read_only_fields = TaskSerializer.Meta.read_only_fields + ("source", "edited_fields")


class TaskFilterSerializer(serializers.Serializer):
    done = serializers.BooleanField(required=False, allow_null=True, default=None)
    assignee = serializers.CharField(required=False, allow_blank=True, help_text="'' or 'none': unassigned")
    due_before = serializers.DateField(required=False, help_text="due on or before")
    due_after = serializers.DateField(required=False, help_text="due on or after")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    job = serializers.UUIDField(required=False)


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class NamesField(serializers.Field):
    """Names as a JSON list or one comma-separated string."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.split(",")
        if not isinstance(data, list) or not all(isinstance(x, str) for x in data):
            raise serializers.ValidationError("a list of names or a comma-separated string")
        return [" ".join(x.split()) for x in data if x.strip()]

    def to_representation(self, value):
        return value


class PersonSerializer(serializers.ModelSerializer):
    misreadings = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    class Meta:
        model = Person
        fields = ("id", "name", "misreadings", "created_at")
        read_only_fields = ("id", "created_at")


class TaskWriteSerializer(serializers.Serializer):
    """PATCH and manual add: every field optional on PATCH; task_name needed on add."""

    task_name = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    assignee = serializers.CharField(max_length=200, required=False, allow_null=True, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    done = serializers.BooleanField(required=False)
    position_index = serializers.IntegerField(required=False, min_value=0)
    bbox_x = serializers.IntegerField(required=False, allow_null=True)
    bbox_y = serializers.IntegerField(required=False, allow_null=True)
    bbox_width = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    bbox_height = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    board_x = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=100000)
    board_y = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=100000)


class JobSerializer(StatusSerializer):
    """The jobs API: the status shape plus what the job was asked for and its bookkeeping."""

    error_code = serializers.CharField(read_only=True)
    task_count = serializers.SerializerMethodField()
    page_kind = serializers.CharField(
        read_only=True, allow_null=True,
        help_text="what the photo was read as: list, board, notes (only marked rows are tasks), text (only "
                  "explicit action items), key (a bullet journal's key) or form (a filled-in form), the last "
                  "two giving no tasks; null until it is read")

    class Meta(StatusSerializer.Meta):
        fields = StatusSerializer.Meta.fields + (
            "error_code", "engine_requested", "people", "attempts", "webhook_status", "task_count", "page_kind",
        )

    def get_task_count(self, job) -> int:
        return len(job.tasks.all())


class JobListSerializer(JobSerializer):
    class Meta(JobSerializer.Meta):
        fields = tuple(f for f in JobSerializer.Meta.fields if f != "extracted_tasks")


class UploadSerializer(serializers.Serializer):
    image = serializers.FileField()
    engine = serializers.CharField(required=False, allow_blank=True, max_length=32)
    people = serializers.CharField(
        required=False, allow_blank=True, help_text="names for assignee matching, comma-separated"
    )
    date_order = serializers.ChoiceField(choices=["dmy", "mdy"], required=False)
    callback_url = serializers.URLField(required=False, allow_blank=True, max_length=1000)

    def validate_callback_url(self, value):
        if value and not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("must be an http(s) URL")
        return value


class UploadResponseSerializer(serializers.Serializer):
    transaction_id = serializers.UUIDField()
    status = serializers.CharField()
    message = serializers.CharField()
    status_url = serializers.CharField()


class RetrySerializer(serializers.Serializer):
    engine = serializers.CharField(required=False, allow_blank=True, max_length=32)
    people = NamesField(required=False, help_text="the roster for this reading; empty: the user's roster")
    date_order = serializers.ChoiceField(choices=["dmy", "mdy"], required=False)
