"""Fixtures for the service tests.

Two worlds, each on its own fresh PostgreSQL database:
- ``django_db``: Django set up inside the test process (services, exports, S3), with an
  in-memory broker so nothing it queues reaches a real worker;
- ``stack``: real web and worker processes on Redis, driven over HTTP.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("django")
pytest.importorskip("celery")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import create_database, drop_database, two_user_stack  # noqa: E402


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.server)


@pytest.fixture(scope="session")
def django_db(tmp_path_factory):
    """Django configured in this process against its own database, migrated. The
    environment is only borrowed for the set-up (Django reads it once), so tests of other
    directories in the same run see the environment they started with."""
    url = create_database()
    home = tmp_path_factory.mktemp("inproc-home")
    mp = pytest.MonkeyPatch()
    for key, value in {
        "DJANGO_SETTINGS_MODULE": "taskocr.server.settings",
        "DATABASE_URL": url,
        "TASKOCR_HOME": str(home),
        "CELERY_BROKER_URL": "memory://",
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "OCR_BACKEND": "mock",
        "TASKOCR_QUEUE": "taskocr-inproc",
    }.items():
        mp.setenv(key, value)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    mp.undo()

    from taskocr.config import Settings
    from taskocr.pipeline import Pipeline
    from taskocr.server.jobs.services import runner

    # a pipeline of our own: the process-wide one may have been built by another test dir
    mock = Pipeline(Settings(backend="mock", home=home))
    session_mp = pytest.MonkeyPatch()
    session_mp.setattr(runner, "pipeline", lambda: mock)
    yield url
    session_mp.undo()
    from django.db import connections

    connections.close_all()
    drop_database(url)


@pytest.fixture
def user(django_db):
    import uuid

    from taskocr.server.accounts.services import create_user

    return create_user(f"u-{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """web + worker + beat on PostgreSQL and Redis, with two users (alice, bob)."""
    # the webhook test's receiver listens on loopback, which webhooks refuse by default
    with two_user_stack(tmp_path_factory.mktemp("stack"), {"TASKOCR_WEBHOOK_ALLOW_PRIVATE": "1"}) as s:
        yield s
