"""The API over real HTTP, against real web and worker processes on PostgreSQL and Redis."""

from __future__ import annotations

import csv
import io
import json
import uuid

from icalendar import Calendar

from stack import photo

STATUS_FIELDS = {
    "transaction_id", "status", "original_filename", "image_size", "created_at", "updated_at",
    "started_at", "completed_at", "processing_duration", "ocr_confidence", "error_message",
    "engine", "extracted_tasks",
}
TASK_FIELDS = {
    "id", "task_name", "description", "assignee", "due_date", "priority", "done", "position_index",
    "confidence_score", "bbox_x", "bbox_y", "bbox_width", "bbox_height", "created_at",
}


def _error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    assert set(err) == {"code", "message", "fields"}
    if code:
        assert err["code"] == code, err
    return err


def test_upload_poll_completed_in_the_seed_shape(stack):
    data = photo("seed-shape")
    resp = stack.upload(stack.alice, data, name="groceries.jpg")
    assert resp.status_code == 202, resp.text
    body = resp.json()
    assert set(body) == {"transaction_id", "status", "message", "status_url"}
    assert body["status"] == "pending"
    assert body["status_url"].endswith(f"/api/status/{body['transaction_id']}/")

    stack.wait_done(stack.alice, body["transaction_id"])
    status = stack.client(stack.alice).get(body["status_url"]).json()
    assert set(status) == STATUS_FIELDS
    assert status["status"] == "completed", status
    assert status["engine"] == "mock"
    assert status["original_filename"] == "groceries.jpg"
    assert status["image_size"] == len(data)
    assert status["processing_duration"] > 0 and 0 < status["ocr_confidence"] <= 1
    assert status["started_at"] <= status["completed_at"]
    tasks = status["extracted_tasks"]
    assert len(tasks) >= 3
    for t in tasks:
        assert set(t) == TASK_FIELDS
        assert t["task_name"]
        assert all(isinstance(t[k], int) for k in ("bbox_x", "bbox_y", "bbox_width", "bbox_height"))
    assert [t["position_index"] for t in tasks] == sorted(t["position_index"] for t in tasks)
    names = " ".join(t["task_name"].lower() for t in tasks)
    assert "approval" in names and "venue" in names
    venue = next(t for t in tasks if "venue" in t["task_name"].lower())
    assert venue["done"] is True


def test_same_image_and_idempotency_key_return_the_first_job(stack):
    data = photo("dedupe")
    first = stack.upload(stack.alice, data)
    again = stack.upload(stack.alice, data)
    assert first.status_code == 202 and again.status_code == 200
    assert again.json()["transaction_id"] == first.json()["transaction_id"]
    # another user uploading the same bytes gets a job of their own
    other = stack.upload(stack.bob, data)
    assert other.status_code == 202 and other.json()["transaction_id"] != first.json()["transaction_id"]

    key = str(uuid.uuid4())
    a = stack.upload(stack.alice, photo("idem-1"), idempotency_key=key)
    b = stack.upload(stack.alice, photo("idem-2"), idempotency_key=key)  # a client retrying
    assert a.status_code == 202 and b.status_code == 200
    assert a.json()["transaction_id"] == b.json()["transaction_id"]


def test_refused_uploads_have_json_errors(stack):
    no_token = stack.upload(None, photo("anon"))
    _error(no_token, 401)
    bad_token = stack.upload("0" * 40, photo("anon"))
    _error(bad_token, 401)
    not_image = stack.upload(stack.alice, b"hello, I am a text file", name="notes.txt")
    _error(not_image, 415, "unsupported_format")
    too_big = stack.upload(stack.alice, b"\xff\xd8\xff" + b"\0" * (3 * 1024 * 1024 + 10))
    _error(too_big, 413, "image_too_large")  # just over: caught after reading
    far_too_big = stack.upload(stack.alice, b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024))
    _error(far_too_big, 413, "image_too_large")  # refused from Content-Length alone
    missing = stack.client(stack.alice).post(stack.url + "/api/upload/", data={"engine": "mock"})
    err = _error(missing, 400, "invalid")
    assert "image" in err["fields"]
    unknown = stack.upload(stack.alice, photo("unknown-engine"), engine="nope")
    _error(unknown, 400, "unknown_engine")


def test_gif_and_bmp_are_read_and_icons_refused_like_the_command_line(stack):
    from PIL import Image

    page = Image.open(io.BytesIO(photo("formats"))).reduce(2)  # a BMP stays under the test upload limit
    for fmt in ("GIF", "BMP"):
        buf = io.BytesIO()
        page.save(buf, format=fmt)
        resp = stack.upload(stack.alice, buf.getvalue(), name=f"list.{fmt.lower()}")
        assert resp.status_code == 202, resp.text
        job = stack.wait_done(stack.alice, resp.json()["transaction_id"])
        assert job["status"] == "completed", job
    buf = io.BytesIO()
    page.save(buf, format="ICO")
    err = _error(stack.upload(stack.alice, buf.getvalue(), name="list.ico"), 415, "unsupported_format")
    assert "GIF, BMP" in err["message"]


def test_corrupt_image_fails_the_job_without_retry(stack):
    garbage = stack.upload(stack.alice, b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 50)
    assert garbage.status_code == 400  # no readable header: refused before it is stored
    assert garbage.json()["error"]["code"] in {"corrupt_image", "unsupported_format"}
    whole = photo("truncated")
    resp = stack.upload(stack.alice, whole[: len(whole) // 3])  # the header is fine, the data stops
    assert resp.status_code == 202
    job = stack.wait_done(stack.alice, resp.json()["transaction_id"])
    assert job["status"] == "failed"
    assert job["error_message"] and job["error_code"] in {"corrupt_image", "unsupported_format", "invalid_input"}
    assert job["attempts"] == 1


def test_another_users_ids_are_404(stack):
    resp = stack.upload(stack.alice, photo("private"))
    job_id = resp.json()["transaction_id"]
    job = stack.wait_done(stack.alice, job_id)
    task_id = job["extracted_tasks"][0]["id"]
    bob = stack.client(stack.bob)
    for method, path in [
        ("get", f"/api/status/{job_id}/"), ("get", f"/api/jobs/{job_id}/"),
        ("get", f"/api/jobs/{job_id}/image/"), ("get", f"/api/jobs/{job_id}/export/?format=csv"),
        ("post", f"/api/jobs/{job_id}/retry/"), ("post", f"/api/jobs/{job_id}/tasks/"),
        ("delete", f"/api/jobs/{job_id}/"), ("patch", f"/api/tasks/{task_id}/"),
        ("delete", f"/api/tasks/{task_id}/"),
    ]:
        kw = {"json": {"task_name": "x"}} if method in ("post", "patch") else {}
        _error(getattr(bob, method)(stack.url + path, **kw), 404, "not_found")
    assert job_id not in json.dumps(bob.get(stack.url + "/api/jobs/").json())
    # and nothing of alice's changed
    after = stack.client(stack.alice).get(f"{stack.url}/api/jobs/{job_id}/").json()
    assert after["extracted_tasks"] == job["extracted_tasks"]
    _error(bob.get(f"{stack.url}/api/status/{uuid.uuid4()}/"), 404)


def test_jobs_list_filters_and_paginates(stack):
    alice = stack.client(stack.alice)
    ids = [stack.upload(stack.alice, photo(f"list-{i}")).json()["transaction_id"] for i in range(3)]
    for i in ids:
        stack.wait_done(stack.alice, i)
    page = alice.get(stack.url + "/api/jobs/?status=completed").json()
    assert {"count", "next", "previous", "results"} <= set(page)
    listed = {j["transaction_id"] for j in page["results"]}
    assert set(ids) <= listed and all(j["status"] == "completed" for j in page["results"])
    pending = alice.get(stack.url + "/api/jobs/?status=pending").json()["results"]
    assert all(j["status"] == "pending" for j in pending) and not set(ids) & {j["transaction_id"] for j in pending}
    assert "extracted_tasks" not in page["results"][0] and page["results"][0]["task_count"] >= 3
    assert page["results"][0]["page_kind"] == "list"
    assert alice.get(stack.url + f"/api/jobs/{ids[0]}/").json()["page_kind"] == "list"


def test_edit_add_delete_tasks_then_export(stack):
    alice = stack.client(stack.alice)
    job_id = stack.upload(stack.alice, photo("edit")).json()["transaction_id"]
    job = stack.wait_done(stack.alice, job_id)
    first = job["extracted_tasks"][0]

    change = {"task_name": "Get sign-off", "done": True, "due_date": "2030-01-31", "priority": "urgent"}
    patched = alice.patch(f"{stack.url}/api/tasks/{first['id']}/", json=change)
    assert patched.status_code == 200, patched.text
    assert patched.json()["task_name"] == "Get sign-off" and patched.json()["done"] is True
    _error(alice.patch(f"{stack.url}/api/tasks/{first['id']}/", json={"priority": "someday"}), 400, "invalid")

    new = {"task_name": "Water the plants", "assignee": "Ana"}
    added = alice.post(f"{stack.url}/api/jobs/{job_id}/tasks/", json=new)
    assert added.status_code == 201, added.text
    assert added.json()["position_index"] == max(t["position_index"] for t in job["extracted_tasks"]) + 1
    _error(alice.post(f"{stack.url}/api/jobs/{job_id}/tasks/", json={"assignee": "Ana"}), 400, "invalid")

    last = job["extracted_tasks"][-1]
    assert alice.delete(f"{stack.url}/api/tasks/{last['id']}/").status_code == 204
    names = [t["task_name"] for t in alice.get(f"{stack.url}/api/jobs/{job_id}/").json()["extracted_tasks"]]
    assert "Get sign-off" in names and "Water the plants" in names and last["task_name"] not in names
    count = len(names)

    exp = lambda fmt: alice.get(f"{stack.url}/api/jobs/{job_id}/export/?format={fmt}")  # noqa: E731
    js = exp("json")
    assert js.status_code == 200 and len(js.json()["tasks"]) == count
    rows = list(csv.DictReader(io.StringIO(exp("csv").text)))
    assert len(rows) == count and rows[0]["task_name"] == "Get sign-off" and rows[0]["due_date"] == "2030-01-31"
    md = exp("md").text
    assert "- [x] Get sign-off" in md and "Water the plants (@Ana)" in md
    ics = exp("ics")
    assert ics.headers["Content-Type"].startswith("text/calendar")
    todos = Calendar.from_ical(ics.content).walk("VTODO")
    assert len(todos) == count
    signoff = next(t for t in todos if str(t["SUMMARY"]) == "Get sign-off")
    assert signoff.decoded("DUE").isoformat() == "2030-01-31"
    assert int(signoff["PRIORITY"]) == 1 and str(signoff["STATUS"]) == "COMPLETED"
    _error(exp("pdf"), 400, "invalid_format")


def test_image_download_retry_and_delete(stack):
    alice = stack.client(stack.alice)
    data = photo("retry")
    job_id = stack.upload(stack.alice, data, name="board.jpg").json()["transaction_id"]
    stack.wait_done(stack.alice, job_id)
    img = alice.get(f"{stack.url}/api/jobs/{job_id}/image/")
    assert img.status_code == 200 and img.content == data and img.headers["Content-Type"] == "image/jpeg"

    manual = alice.post(f"{stack.url}/api/jobs/{job_id}/tasks/", json={"task_name": "Kept by hand"}).json()
    before = alice.get(f"{stack.url}/api/jobs/{job_id}/").json()
    retried = alice.post(f"{stack.url}/api/jobs/{job_id}/retry/", json={"engine": "slowmock"})
    assert retried.status_code == 202, retried.text
    assert retried.json()["status"] == "pending"
    _error(alice.post(f"{stack.url}/api/jobs/{job_id}/retry/"), 409, "conflict")  # still running
    after = stack.wait_done(stack.alice, job_id)
    assert after["status"] == "completed" and after["engine"] == "slowmock"
    assert len(after["extracted_tasks"]) == len(before["extracted_tasks"])  # replaced, not added
    assert after["extracted_tasks"][-1]["id"] == manual["id"]  # a person's task survives a re-run

    assert alice.delete(f"{stack.url}/api/jobs/{job_id}/").status_code == 204
    _error(alice.get(f"{stack.url}/api/jobs/{job_id}/"), 404)
    _error(alice.get(f"{stack.url}/api/jobs/{job_id}/image/"), 404)


def test_health_schema_and_docs(stack):
    import requests

    health = requests.get(stack.url + "/api/health/")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "ok"
    assert all(body["checks"][k]["ok"] for k in ("database", "storage", "broker"))
    assert body["checks"]["engines"]["default"] == "mock"
    assert any(w["engine"] == "mock" for w in body["checks"]["engines"]["workers"])
    text = health.text.lower()
    assert "postgres" not in text and "redis" not in text and "secret" not in text

    schema = requests.get(stack.url + "/api/schema/?format=json", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    paths = json.loads(schema.text)["paths"]
    assert "/api/upload/" in paths and "/api/status/{transaction_id}/" in paths
    docs = requests.get(stack.url + "/api/docs/")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    asset = next(part.split('"')[0] for part in docs.text.split('src="')[1:] if "swagger-ui" in part)
    assert requests.get(stack.url + asset).status_code == 200  # bundled, not from a CDN
