"""Faults beyond the ones in tests/server/test_reliability.py: the database restarting under a
running job, the broker restarting with jobs queued, the image store refusing writes, a dots
server that hangs, and a worker killed while it sends a webhook."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest

from stack import REDIS_URL, Stack, create_database, drop_database, drop_queue, photo


def _stack(tmp: Path, env: dict) -> Stack:
    return Stack(tmp, env)


def _db(url: str, sql: str, *args):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchall()


def _wait(cond, timeout: float, what: str, log=lambda: ""):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"{what}\n{log()}"
        time.sleep(0.2)


def test_worker_recovers_when_postgres_restarts_under_a_running_job(tmp_path, private_postgres):
    s = _stack(tmp_path, {"DATABASE_URL": private_postgres.url, "CELERY_BROKER_URL": REDIS_URL,
                          "TASKOCR_TEST_SLOW_S": "4"})
    try:
        s.start_web()
        s.start_worker()
        token = s.cli("createuser", "pat", "--token")
        first = s.upload(token, photo("pg-restart"), engine="slowmock").json()["transaction_id"]
        _wait(lambda: list(s.state.glob("slow-started-*")), 30, "the job never started", lambda: s.log("worker"))
        private_postgres.restart()  # every connection of web and worker is cut mid-job
        job = s.wait_done(token, first, timeout=90)
        assert job["status"] == "completed" and len(job["extracted_tasks"]) >= 3, job
        # the same worker process goes on with new work, no restart needed
        second = s.upload(token, photo("pg-after")).json()["transaction_id"]
        assert s.wait_done(token, second, timeout=60)["status"] == "completed"
        assert s.procs["worker"].poll() is None
        rows = _db(private_postgres.url, "SELECT count(*) FROM jobs_extractedtask WHERE job_id = %s", first)
        assert rows[0][0] == len(job["extracted_tasks"])  # the re-run did not double its tasks
    finally:
        s.stop()
        drop_queue(s.env["TASKOCR_QUEUE"])


def test_jobs_queued_when_redis_restarts_are_not_lost(tmp_path, private_redis):
    db = create_database()
    s = _stack(tmp_path, {"DATABASE_URL": db, "CELERY_BROKER_URL": private_redis.url})
    try:
        s.start_web()
        token = s.cli("createuser", "rae", "--token")
        ids = [s.upload(token, photo(f"redis-{i}")).json()["transaction_id"] for i in range(5)]
        import redis

        assert redis.Redis.from_url(private_redis.url).llen(s.env["TASKOCR_QUEUE"]) == 5  # waiting in Redis
        private_redis.kill()  # no persistence: the queued messages are gone with it
        private_redis.start()
        s.start_worker()  # with beat, which re-sends what the broker lost
        done = [s.wait_done(token, i, timeout=90) for i in ids]
        assert [d["status"] for d in done] == ["completed"] * 5
        counts = _db(db, "SELECT count(*) FROM jobs_extractedtask GROUP BY job_id")
        assert len(counts) == 5 and len({c[0] for c in counts}) == 1  # each ran once: same list, same count
    finally:
        s.stop()
        drop_database(db)


def test_storage_refusing_writes_at_upload_is_a_503_and_leaves_no_row(tmp_path):
    db = create_database()
    s = _stack(tmp_path, {"DATABASE_URL": db, "CELERY_BROKER_URL": REDIS_URL})
    try:
        s.start_web()
        token = s.cli("createuser", "sam", "--token")
        images = Path(s.env["TASKOCR_HOME"]) / "media" / "images"
        images.parent.mkdir(parents=True, exist_ok=True)
        images.write_text("a file where the image folder should be: every write under it fails")
        resp = s.upload(token, photo("no-disk"))
        assert resp.status_code == 503, resp.text
        assert resp.json()["error"]["code"] == "storage_unavailable"
        assert _db(db, "SELECT count(*) FROM jobs_job")[0][0] == 0
        images.unlink()  # the disk is back: the same upload goes through
        assert s.upload(token, photo("no-disk")).status_code == 202
        assert _db(db, "SELECT count(*) FROM jobs_job")[0][0] == 1
    finally:
        s.stop()
        drop_database(db)
        drop_queue(s.env["TASKOCR_QUEUE"])


def test_a_hanging_dots_server_times_out_and_the_next_engine_reads(tmp_path):
    from dots_standin import Reply, StandIn

    db = create_database()
    with StandIn() as dots:
        dots.queue(Reply(text="[]", delay_s=60))  # accepts the request, then says nothing
        s = _stack(tmp_path, {"DATABASE_URL": db, "CELERY_BROKER_URL": REDIS_URL, "OCR_BACKEND": "dots,mock",
                              "DOTS_OCR_URL": dots.url, "DOTS_OCR_TIMEOUT": "3"})
        try:
            s.start_web()
            s.start_worker()
            token = s.cli("createuser", "dot", "--token")
            t0 = time.monotonic()
            job = s.wait_done(token, s.upload(token, photo("hang")).json()["transaction_id"], timeout=60)
            assert time.monotonic() - t0 < 45  # the timeout, not the 60 s hang
            assert job["status"] == "completed" and job["engine"] == "mock", job
            result = _db(db, "SELECT result FROM jobs_job WHERE id = %s", job["transaction_id"])[0][0]
            tried = {e["engine"]: e for e in result["engines_tried"]}
            assert tried["dots"]["status"] == "failed" and "3s" in tried["dots"]["reason"], tried
            assert len(dots.seen) == 1  # it was really asked
        finally:
            s.stop()
            drop_database(db)
            drop_queue(s.env["TASKOCR_QUEUE"])


class _SlowHook(BaseHTTPRequestHandler):
    """Takes the first delivery and never answers it; answers 200 to the ones after."""

    bodies: list = []
    first = threading.Event()
    release = threading.Event()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).bodies.append(body)
        if len(type(self).bodies) == 1:
            type(self).first.set()
            type(self).release.wait(60)
            return
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_worker_killed_while_sending_its_webhook_still_delivers_it(tmp_path):
    db = create_database()
    hook = ThreadingHTTPServer(("127.0.0.1", 0), _SlowHook)
    hook.daemon_threads = True
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    s = _stack(tmp_path, {"DATABASE_URL": db, "CELERY_BROKER_URL": REDIS_URL, "TASKOCR_WEBHOOK_ALLOW_PRIVATE": "1",
                          "TASKOCR_WEBHOOK_TIMEOUT": "60"})
    try:
        s.start_web()
        s.start_worker()
        token = s.cli("createuser", "wes", "--token")
        url = f"http://127.0.0.1:{hook.server_address[1]}/hook"
        job_id = s.upload(token, photo("hook-kill"), callback_url=url).json()["transaction_id"]
        assert _SlowHook.first.wait(60), s.log("worker")
        for pid in s.pool_pids():  # the process sending it dies (as under the OOM killer)
            os.kill(pid, signal.SIGKILL)
        client = s.client(token)
        _wait(lambda: client.get(f"{s.url}/api/jobs/{job_id}/").json()["webhook_status"] == "delivered",
              90, "the webhook was lost", lambda: s.log("worker"))
        assert len(_SlowHook.bodies) >= 2
        assert {json.loads(b)["job"]["transaction_id"] for b in _SlowHook.bodies} == {job_id}
    finally:
        _SlowHook.release.set()
        hook.shutdown()
        s.stop()
        drop_database(db)
        drop_queue(s.env["TASKOCR_QUEUE"])
