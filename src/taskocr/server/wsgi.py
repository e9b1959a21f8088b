import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskocr.server.settings")
application = get_wsgi_application()

from taskocr.server.jobs.api.uploads import chunked_bodies  # noqa: E402 (needs settings)

application = chunked_bodies(application)
