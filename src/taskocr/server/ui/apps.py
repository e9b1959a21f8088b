from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "taskocr.server.ui"
    label = "ui"
    verbose_name = "Web app"
