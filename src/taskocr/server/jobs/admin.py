from django.contrib import admin

from .models import ExtractedTask, Job


class TaskInline(admin.TabularInline):
    model = ExtractedTask
    extra = 0
    fields = ("position_index", "task_name", "assignee", "due_date", "priority", "done", "confidence_score", "source")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "owner", "status", "engine", "original_filename", "attempts", "created_at")
    list_filter = ("status", "engine")
    search_fields = ("id", "original_filename", "owner__username")
    readonly_fields = (
        "id", "owner", "image", "content_hash", "content_type", "image_size", "task_id", "worker",
        "attempts", "enqueued_at", "lease_until", "started_at", "completed_at",
        "processing_duration", "result", "created_at", "updated_at",
    )
    inlines = [TaskInline]


@admin.register(ExtractedTask)
class ExtractedTaskAdmin(admin.ModelAdmin):
    list_display = ("task_name", "job", "assignee", "due_date", "priority", "done", "source")
    list_filter = ("priority", "done", "source")
    search_fields = ("task_name", "assignee")
