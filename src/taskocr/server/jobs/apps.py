from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "taskocr.server.jobs"
    label = "jobs"
    verbose_name = "Scan jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .services import webhooks  # noqa: F401 (subscribes to job_finished)
