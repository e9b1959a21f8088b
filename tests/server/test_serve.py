"""`taskocr serve` end to end: a subprocess on a fresh TASKOCR_HOME, driven like a person
would — the printed URL, token and sign-in link, and curl uploading a rendered photo."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import requests

from served import Served
from stack import photo

TASK_FIELDS = {
    "task_name", "description", "assignee", "due_date", "priority", "done", "position_index",
    "confidence_score", "bbox_x", "bbox_y", "bbox_width", "bbox_height", "created_at",
}



def _curl_upload(url: str, token: str | None, path: Path) -> tuple[int, dict]:
    cmd = ["curl", "-s", "-w", "\n%{http_code}", "-F", f"image=@{path}", url + "api/upload/"]
    if token:
        cmd[1:1] = ["-H", f"Authorization: Token {token}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    body, code = out.rsplit("\n", 1)
    return int(code), json.loads(body)


def _wait_completed(url: str, token: str, job_id: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = requests.get(f"{url}api/status/{job_id}/", headers={"Authorization": f"Token {token}"}).json()
        if body["status"] in ("completed", "failed"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"job still {body['status']}")


def _serve_and_scan(tmp_path: Path, backend: str, timeout: float) -> tuple[Served, dict]:
    served = Served(tmp_path / "home", backend)
    try:
        url = served.field("taskocr is running at")
        assert url == f"http://127.0.0.1:{served.port}/"
        token = served.field("API token:")
        assert served.taskocr("token") == token  # `taskocr token` prints the same local token

        image = tmp_path / "list.jpg"
        image.write_bytes(photo())
        code, body = _curl_upload(url, None, image)
        assert code == 401 and body["error"]["code"] == "not_authenticated"
        code, body = _curl_upload(url, token, image)
        assert code == 202, body
        return served, _wait_completed(url, token, body["transaction_id"], timeout)
    except BaseException:
        served.stop()
        raise


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_serve_end_to_end_with_the_mock_engine(tmp_path):
    served, job = _serve_and_scan(tmp_path, "mock", timeout=60)
    try:
        assert job["status"] == "completed" and job["engine"] == "mock"
        assert len(job["extracted_tasks"]) >= 3
        assert all(TASK_FIELDS <= set(t) for t in job["extracted_tasks"])
        home = tmp_path / "home"
        assert (home / "taskocr.sqlite3").exists() and (home / "broker.sqlite3").exists()
        assert list((home / "media" / "images").rglob("*.jpg"))  # the image on local disk

        url, token = served.field("taskocr is running at"), served.field("API token:")
        # the one-time sign-in link logs a browser in and lands in the web app
        link = served.field("Sign in (the link works once):")
        browser = requests.Session()
        landed = browser.get(link)
        assert landed.status_code == 200 and landed.url == url + "capture/"
        assert "Signed in as" in landed.text
        assert browser.get(url + "api/jobs/").json()["count"] == 1  # session auth
        assert requests.Session().get(link).status_code == 410  # used up
        admin = browser.get(url + "admin/jobs/job/")  # the local user may use the admin
        assert admin.status_code == 200 and job["transaction_id"] in admin.text

        with sqlite3.connect(home / "taskocr.sqlite3") as db:  # readers beside the writer
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with sqlite3.connect(home / "broker.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

        # a user made by `taskocr createuser` gets a working token of their own
        other = served.taskocr("createuser", "dana", "--token")
        assert other != token and len(other) == 40
        mine = requests.get(url + "api/jobs/", headers={"Authorization": f"Token {other}"}).json()
        assert mine["count"] == 0
    finally:
        assert served.stop(signal.SIGINT) == 0  # Ctrl+C
    assert "taskocr: stopped." in served.output_after_banner()
    # a quiet start: no missing static folder, no advice against running as root (a JSON-only worker)
    web_log, worker_log = ((tmp_path / "home" / "logs" / f"{n}.log").read_text() for n in ("web", "worker"))
    assert "No directory at" not in web_log and "superuser privileges" not in worker_log
    assert "worker ready" in worker_log  # the log is the worker's own
    # stopped means stopped: nothing is left listening on the port
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{served.port}/api/health/", timeout=2)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_serve_end_to_end_with_ppocr_reading_a_rendered_photo(tmp_path):
    pytest.importorskip("faster_paddle")
    served, job = _serve_and_scan(tmp_path, "ppocr", timeout=180)
    try:
        assert job["status"] == "completed", job["error_message"]
        assert job["engine"] == "ppocr"
        tasks = job["extracted_tasks"]
        assert len(tasks) >= 3
        for t in tasks:
            assert TASK_FIELDS <= set(t)
            assert t["task_name"] and 0 < t["confidence_score"] <= 1
            assert t["bbox_width"] > 0 and t["bbox_height"] > 0
        text = " ".join(t["task_name"].lower() for t in tasks)
        assert "venue" in text and "printer" in text
        venue = next(t for t in tasks if "venue" in t["task_name"].lower())
        assert venue["done"] is True
        assert any(t["assignee"] for t in tasks) and any(t["due_date"] for t in tasks)
    finally:
        assert served.stop() == 0
