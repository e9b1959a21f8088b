"""Images in S3 (django-storages + boto3) against moto's standalone S3 server on loopback."""

from __future__ import annotations

import pytest

from stack import free_port, photo

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

BUCKET = "taskocr-images"
CREDS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture
def s3(django_db, monkeypatch):
    from django.test import override_settings

    from taskocr.server.jobs.services import messaging

    monkeypatch.setattr(messaging, "publish", lambda *a, **kw: None)
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, **CREDS)
    client.create_bucket(Bucket=BUCKET)
    from botocore.config import Config

    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": endpoint, "access_key": "testing",
            "secret_key": "testing", "region_name": "us-east-1", "file_overwrite": False,
            "default_acl": None, "location": "uploads",
            "client_config": Config(connect_timeout=2, retries={"max_attempts": 2, "mode": "standard"}),
        },
    }
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield client, server
    server.stop()


def test_job_images_live_in_s3(s3, user):
    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import editing, maintenance, runner
    from taskocr.server.jobs.services.intake import UploadOptions, submit_upload

    client, _ = s3
    data = photo("s3")
    job, created = submit_upload(user, data, "s3.jpg", UploadOptions())
    key = f"uploads/{job.image}"
    assert created
    assert client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == data

    assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.COMPLETED  # read back from S3
    assert Job.objects.get(pk=job.pk).tasks.count() >= 3
    assert maintenance.health()[1]["checks"]["storage"] == {"ok": True}

    editing.delete_job(user, job.pk)
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix="uploads/").get("Contents", [])
    assert key not in [o["Key"] for o in listed]


def test_unreachable_s3_fails_health_and_retries_the_job(s3, user):
    from taskocr.server.jobs.services import maintenance, runner
    from taskocr.server.jobs.services.intake import UploadOptions, submit_upload

    _, server = s3
    job, _ = submit_upload(user, photo("s3-down"), "s3.jpg", UploadOptions())
    server.stop()
    healthy, report = maintenance.health()
    assert not healthy and report["checks"]["storage"]["ok"] is False
    res = runner.run_job(job.pk, job.task_id)
    assert res.outcome == runner.Outcome.RETRY  # storage outage is transient, not a failed job
    server.start()  # the fixture stops it again


def test_s3_is_chosen_by_environment(tmp_path):
    """TASKOCR_S3_BUCKET and the AWS_* variables alone switch the image store to S3."""
    import os
    import subprocess
    import sys

    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, **CREDS)
        client.create_bucket(Bucket="env-bucket")
        env = {
            **os.environ, "TASKOCR_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "taskocr.server.settings",
            "TASKOCR_S3_BUCKET": "env-bucket", "AWS_S3_ENDPOINT_URL": endpoint, "TASKOCR_S3_PREFIX": "media",
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_S3_REGION_NAME": "us-east-1",
        }
        code = (
            "import django; django.setup();"
            "from django.core.files.base import ContentFile;"
            "from django.core.files.storage import default_storage as s;"
            "print(s.save('images/1/probe.jpg', ContentFile(b'probe')))"
        )
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        name = out.stdout.strip()
        assert client.get_object(Bucket="env-bucket", Key=f"media/{name}")["Body"].read() == b"probe"
    finally:
        server.stop()
