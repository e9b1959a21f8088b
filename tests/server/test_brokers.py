"""The same code on RabbitMQ: only CELERY_BROKER_URL changes."""

from __future__ import annotations

import os
import socket

import pytest

from stack import Stack, create_database, drop_database, photo

AMQP_URL = os.environ.get("TASKOCR_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//")


def _listening(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _listening("127.0.0.1", 5672), reason="no RabbitMQ on 127.0.0.1:5672")
def test_jobs_run_over_rabbitmq(tmp_path):
    db = create_database()
    s = Stack(tmp_path, {"DATABASE_URL": db, "CELERY_BROKER_URL": AMQP_URL})
    try:
        s.start_web()
        s.start_worker()
        token = s.cli("createuser", "erin", "--token")
        jobs = [s.upload(token, photo(f"amqp-{i}")).json()["transaction_id"] for i in range(3)]
        for job_id in jobs:
            job = s.wait_done(token, job_id)
            assert job["status"] == "completed" and len(job["extracted_tasks"]) >= 3
        health = s.client(None).get(s.url + "/api/health/").json()
        assert health["checks"]["broker"]["ok"] is True
    finally:
        s.stop()
        drop_database(db)
        from kombu import Connection

        with Connection(AMQP_URL) as conn:  # leave the shared broker as found
            conn.default_channel.queue_delete(s.env["TASKOCR_QUEUE"])
