"""A service of its own for the hostile inputs (web + worker on PostgreSQL and Redis, the
default limits and webhook rules), and the checks every case ends with."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("django")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "server"))

from stack import two_user_stack  # noqa: E402


@pytest.fixture(scope="session")
def svc(tmp_path_factory):
    # many cases from one user: the rate limit has its own test
    rates = {"TASKOCR_UPLOAD_RATE": "100000/min", "TASKOCR_API_RATE": "100000/min"}
    with two_user_stack(tmp_path_factory.mktemp("hostile"), rates) as s:
        yield s


def stored_images(s) -> set[str]:
    root = Path(s.env["TASKOCR_HOME"]) / "media"
    return {p.relative_to(root).as_posix() for p in (root / "images").rglob("*") if p.is_file()} if root.exists() else set()


def job_images(s) -> list[str]:
    import psycopg

    with psycopg.connect(s.db_url) as conn:
        return [row[0] for row in conn.execute("SELECT image FROM jobs_job")]


@pytest.fixture
def intact(svc):
    """After the case: the server answers, and every stored image has its job row and every
    row its image (nothing half-written)."""
    yield svc
    import requests

    assert requests.get(svc.url + "/api/health/", timeout=10).status_code == 200, svc.log("web")
    rows = job_images(svc)
    assert len(rows) == len(set(rows))
    assert stored_images(svc) == set(rows)
