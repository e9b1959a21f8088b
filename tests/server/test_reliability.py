"""Nothing lost, nothing doubled: killed workers, flaky engines, a broker outage, webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from stack import Stack, create_database, drop_database, free_port, photo, redis_server_available


def _sql(stack, query: str, *args):
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as conn:
        cur = conn.execute(query, args)
        return cur.fetchall() if cur.description else None


def _task_rows(stack, job_id: str) -> int:
    return _sql(stack, "SELECT count(*) FROM jobs_extractedtask WHERE job_id = %s", job_id)[0][0]


def test_job_redelivered_after_its_worker_dies_is_not_doubled(stack):
    for f in stack.state.glob("slow-started-*"):
        f.unlink()
    job_id = stack.upload(stack.alice, photo("killed"), engine="slowmock").json()["transaction_id"]
    deadline = time.monotonic() + 30
    while not list(stack.state.glob("slow-started-*")):
        assert time.monotonic() < deadline, stack.log("worker")
        time.sleep(0.1)
    marker = next(stack.state.glob("slow-started-*"))
    victim = int(marker.read_text())
    assert victim in stack.pool_pids()
    marker.unlink()
    os.kill(victim, signal.SIGKILL)  # the pool process dies mid-scan (OOM, segfault…)

    job = stack.wait_done(stack.alice, job_id, timeout=60)
    assert job["status"] == "completed", job
    assert job["attempts"] == 2  # the same message came back (acks_late + reject_on_worker_lost)
    assert list(stack.state.glob("slow-started-*")), "the second run did not happen in a new process"
    reference = stack.wait_done(stack.alice, stack.upload(stack.alice, photo("killed-ref")).json()["transaction_id"])
    assert len(job["extracted_tasks"]) == len(reference["extracted_tasks"]) == _task_rows(stack, job_id)
    stack.wait_worker()  # the replacement pool process is up before the next test


def test_embedded_job_survives_the_whole_worker_being_killed(tmp_path):
    """SQLite + SQL broker: the message dies with the worker; after a restart, beat finds the
    job's process gone and re-queues it at once, not after the lease (minutes)."""
    s = Stack(tmp_path, {})
    for var in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        s.env.pop(var, None)
    s.env["TASKOCR_TEST_SLOW_S"] = "2"
    try:
        s.start_web()
        s.start_worker()
        token = s.cli("createuser", "frank", "--token")
        job_id = s.upload(token, photo("embedded-kill"), engine="slowmock").json()["transaction_id"]
        deadline = time.monotonic() + 30
        while not list(s.state.glob("slow-started-*")):
            assert time.monotonic() < deadline, s.log("worker")
            time.sleep(0.1)
        for f in s.state.glob("slow-started-*"):
            f.unlink()
        os.killpg(s.procs.pop("worker").pid, signal.SIGKILL)  # power cut: no warm shutdown
        assert s.client(token).get(f"{s.url}/api/jobs/{job_id}/").json()["status"] == "processing"

        t0 = time.monotonic()
        s.start_worker()
        job = s.wait_done(token, job_id, timeout=40)
        assert job["status"] == "completed" and job["attempts"] == 2
        assert time.monotonic() - t0 < 40  # the lease alone would have taken 6 minutes
        assert len(job["extracted_tasks"]) >= 3
    finally:
        s.stop()


def test_transient_engine_failures_are_retried_then_succeed(stack):
    (stack.state / "flaky-calls").unlink(missing_ok=True)
    job_id = stack.upload(stack.alice, photo("flaky"), engine="flaky").json()["transaction_id"]
    job = stack.wait_done(stack.alice, job_id, timeout=60)
    assert job["status"] == "completed", job
    assert job["attempts"] == 3 and int((stack.state / "flaky-calls").read_text()) == 3
    assert job["error_message"] == "" and len(job["extracted_tasks"]) >= 3


def test_permanent_engine_failure_fails_once_with_a_message(stack):
    (stack.state / "broken-calls").unlink(missing_ok=True)
    job_id = stack.upload(stack.alice, photo("broken"), engine="broken").json()["transaction_id"]
    job = stack.wait_done(stack.alice, job_id)
    assert job["status"] == "failed"
    assert "model file is corrupt" in job["error_message"]
    time.sleep(2.5)  # longer than a retry backoff and a beat round: still no second try
    assert int((stack.state / "broken-calls").read_text()) == 1
    assert stack.client(stack.alice).get(f"{stack.url}/api/jobs/{job_id}/").json()["attempts"] == 1


def test_job_stuck_in_processing_is_requeued_and_replaces_its_tasks(stack):
    job_id = stack.upload(stack.alice, photo("stuck")).json()["transaction_id"]
    done = stack.wait_done(stack.alice, job_id)
    rows = _task_rows(stack, job_id)
    assert rows == len(done["extracted_tasks"]) >= 3
    # as if a worker took it and vanished (machine lost): its lease ran out long ago
    _sql(stack, "UPDATE jobs_job SET status='processing', task_id='lost-worker', "
                "lease_until=now() - interval '1 minute' WHERE id=%s", job_id)
    job = stack.wait_done(stack.alice, job_id, timeout=30, states=("completed",))
    assert job["attempts"] == 2
    assert _task_rows(stack, job_id) == rows  # replaced in one transaction, not appended
    assert {t["id"] for t in job["extracted_tasks"]}.isdisjoint({t["id"] for t in done["extracted_tasks"]})


class _Hook(BaseHTTPRequestHandler):
    received: list = []
    fail_first = 1

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        ok = len(type(self).received) > type(self).fail_first
        self.send_response(200 if ok else 500)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_is_signed_and_retried(stack):
    _Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        job_id = stack.upload(stack.alice, photo("hook"), callback_url=url).json()["transaction_id"]
        deadline = time.monotonic() + 30
        while len(_Hook.received) < 2:
            assert time.monotonic() < deadline, stack.log("worker")
            time.sleep(0.1)
    finally:
        server.shutdown()
    for headers, body in _Hook.received:
        mac = hmac.new(stack.alice.encode(), headers["X-TaskOCR-Timestamp"].encode() + b"." + body, hashlib.sha256)
        assert headers["X-TaskOCR-Signature"] == "sha256=" + mac.hexdigest()
    payload = json.loads(_Hook.received[-1][1])
    assert payload["event"] == "job.completed"
    assert payload["job"]["transaction_id"] == job_id and len(payload["job"]["extracted_tasks"]) >= 3
    deadline = time.monotonic() + 10
    while stack.client(stack.alice).get(f"{stack.url}/api/jobs/{job_id}/").json()["webhook_status"] != "delivered":
        assert time.monotonic() < deadline
        time.sleep(0.1)


@pytest.mark.skipif(not redis_server_available(), reason="needs the redis-server binary")
def test_upload_while_the_broker_is_down_completes_once_it_is_back(tmp_path):
    port = free_port()
    redis_cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    redis = subprocess.Popen(redis_cmd, stdout=subprocess.DEVNULL)
    db = create_database()
    s = Stack(tmp_path, {"DATABASE_URL": db, "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0"})
    try:
        s.start_web()
        s.start_worker(beat=False)
        s._run("beat", "beat", "--loglevel", "INFO")  # `taskocr beat` on its own, as in compose
        token = s.cli("createuser", "carol", "--token")
        redis.terminate()
        redis.wait()

        t0 = time.monotonic()
        resp = s.upload(token, photo("broker-down"))
        assert resp.status_code == 202, resp.text  # accepted, image and row safe
        assert time.monotonic() - t0 < 15
        job_id = resp.json()["transaction_id"]
        with psycopg.connect(db) as conn:
            enq = conn.execute("SELECT status, enqueued_at FROM jobs_job WHERE id=%s", (job_id,)).fetchone()
        assert enq == ("pending", None)  # marked as never sent, for beat to pick up

        redis = subprocess.Popen(redis_cmd, stdout=subprocess.DEVNULL)
        job = s.wait_done(token, job_id, timeout=90)
        assert job["status"] == "completed" and len(job["extracted_tasks"]) >= 3
    finally:
        s.stop()
        redis.terminate()
        redis.wait()
        drop_database(db)
