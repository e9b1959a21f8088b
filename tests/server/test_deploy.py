"""The compose files parse and wire the services the way the docs say; Flower starts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest
import requests
import yaml

from stack import REDIS_URL, ROOT, free_port

COMPOSE = ROOT / "deploy" / "docker-compose.yml"
GPU = ROOT / "deploy" / "docker-compose.gpu.yml"


def test_compose_has_the_services_with_health_checks_and_volumes():
    spec = yaml.safe_load(COMPOSE.read_text())
    services = spec["services"]
    assert {"api", "worker", "beat", "flower", "postgres", "redis", "minio"} <= set(services)
    for name in ("api", "worker", "flower", "postgres", "redis", "minio"):
        assert "test" in services[name]["healthcheck"], name
    assert {"pgdata", "redisdata", "miniodata"} <= set(spec["volumes"])
    env = services["worker"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and env["CELERY_BROKER_URL"].startswith("redis://")
    assert env["TASKOCR_S3_BUCKET"] and env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="needs docker-compose to validate")
@pytest.mark.parametrize("files", [[COMPOSE], [COMPOSE, GPU]], ids=["cpu", "gpu-override"])
def test_compose_config_validates(files):
    files = [f for f in files if f.exists()]
    args = ["docker-compose"] + [x for f in files for x in ("-f", str(f))] + ["config"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    merged = yaml.safe_load(out.stdout)
    assert merged["services"]["worker"]["command"][:2] == ["taskocr", "worker"]


def test_flower_starts_against_redis(tmp_path):
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin", "TASKOCR_HOME": str(tmp_path), "CELERY_BROKER_URL": REDIS_URL,
        "PYTHONPATH": str(ROOT / "src"),
    }
    proc = subprocess.Popen([sys.executable, "-m", "taskocr.server.cli", "flower", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthcheck", timeout=2).text == "OK":
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            raise AssertionError("flower did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
