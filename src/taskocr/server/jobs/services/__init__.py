"""The jobs services layer: everything views and Celery tasks do goes through here."""
