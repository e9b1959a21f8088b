"""Production settings: the scale-out configuration behind TLS passes Django's deployment
checks; the embedded mode's relaxations are the ones the docs name; every response carries
the security headers."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose_env() -> dict[str, str]:
    """The API's environment in deploy/docker-compose.yml, with each ${VAR:-default} at its default."""
    spec = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    env = spec["x-taskocr"]["environment"]
    fill = lambda v: re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", str(v))  # noqa: E731
    return {k: fill(v) for k, v in env.items()}


def _check_deploy(tmp_path, extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TASKOCR_", "DATABASE_URL", "CELERY_"))}
    env.update(_compose_env())
    env.update({
        "DJANGO_SETTINGS_MODULE": "taskocr.server.settings", "TASKOCR_HOME": str(tmp_path),
        "TASKOCR_SECRET_KEY": secrets.token_urlsafe(50), "PYTHONPATH": str(ROOT / "src"), **extra,
    })
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_scale_out_behind_tls_passes_the_deployment_checks(tmp_path):
    out = _check_deploy(tmp_path, {"TASKOCR_HTTPS": "1"})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_plain_http_relaxes_exactly_the_tls_settings(tmp_path):
    out = _check_deploy(tmp_path, {"TASKOCR_HTTPS": "0"})
    assert out.returncode != 0
    found = set(re.findall(r"security\.W\d+", out.stdout + out.stderr))
    # HSTS, the HTTPS redirect, secure session and CSRF cookies: nothing else
    assert found == {"security.W004", "security.W008", "security.W012", "security.W016"}


def test_every_response_carries_the_security_headers(stack):
    pages = {
        "/api/health/": 200, "/api/jobs/": 401, "/api/docs/": 200, "/api/docs/?script": 200,
        "/api/no-such-route/": 404, "/admin/login/": 200,
    }
    for path, code in pages.items():
        resp = requests.get(stack.url + path, timeout=10)
        assert resp.status_code == code, path
        csp = resp.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp, path
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", path
        assert resp.headers.get("X-Frame-Options") == "DENY", path
        assert resp.headers.get("Referrer-Policy") == "same-origin", path
    docs = requests.get(stack.url + "/api/docs/", timeout=10).text
    assert "<script>" not in docs  # the docs page loads its set-up script from a URL (script-src 'self')
