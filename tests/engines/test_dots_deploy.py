"""The GPU override wires vLLM and the worker to each other consistently (no Docker engine here:
the files are read, and merged by docker-compose when it is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

yaml = pytest.importorskip("yaml")

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
GPU = DEPLOY / "docker-compose.gpu.yml"
BASE = DEPLOY / "docker-compose.yml"


def merged() -> dict:
    if shutil.which("docker-compose") and BASE.exists():
        out = subprocess.run(["docker-compose", "-f", str(BASE), "-f", str(GPU), "config"],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return yaml.safe_load(out.stdout)
    # without docker-compose: read the override alone, with each ${VAR:-default} at its default
    text = re.sub(r"\$\{\w+(?::?-([^}]*))?\}", lambda m: m.group(1) or "", GPU.read_text())
    return yaml.safe_load(text)


def _target(mount: str) -> str:
    """The container path of a short-syntax volume; the source may hold ${VAR:-default}."""
    parts = mount.rsplit(":", 2)
    return parts[-2] if parts[-1] in ("ro", "rw") else parts[-1]


def flag(command: list[str], name: str) -> str:
    for i, arg in enumerate(command):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name:
            return command[i + 1]
    raise AssertionError(f"{name} not in {command}")


def test_vllm_serves_the_mounted_weights_under_the_name_the_worker_asks_for():
    spec = merged()
    vllm, worker = spec["services"]["vllm"], spec["services"]["worker"]
    cmd = [str(c) for c in vllm["command"]]
    assert vllm["image"].startswith("vllm/vllm-openai:")
    assert "--trust-remote-code" in cmd
    mounts = [str(v) if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in vllm["volumes"]]
    assert cmd[0] in {_target(m) for m in mounts}, (mounts, cmd[0])
    assert "." not in Path(cmd[0]).name  # the model's code is imported under the folder's name

    env = worker["environment"]
    assert env["OCR_BACKEND"] == "dots"
    assert env["DOTS_OCR_MODEL"] == flag(cmd, "--served-model-name")
    url = urlparse(env["DOTS_OCR_URL"])
    assert url.hostname == "vllm" and str(url.port) == flag(cmd, "--port") and url.path == "/v1"


def test_vllm_reserves_a_gpu_and_is_health_checked():
    vllm = merged()["services"]["vllm"]
    (device,) = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert "/v1/models" in " ".join(vllm["healthcheck"]["test"])


def test_worker_waits_for_vllm():
    worker = merged()["services"]["worker"]
    assert worker["depends_on"]["vllm"]["condition"] == "service_healthy"


def test_max_model_len_fits_the_largest_image_and_answer():
    """vLLM must accept max pixels' worth of image tokens (one per 28x28 patch) plus the answer."""
    from taskocr.config import DotsSettings
    from taskocr.engines.dots_layout import IMAGE_FACTOR, MAX_PIXELS

    cmd = [str(c) for c in yaml.safe_load(GPU.read_text())["services"]["vllm"]["command"]]
    default = int(flag(cmd, "--max-model-len").split(":-")[-1].rstrip("}"))
    image_tokens = MAX_PIXELS // (IMAGE_FACTOR * IMAGE_FACTOR)
    assert default >= image_tokens + DotsSettings().max_tokens + 1024  # + prompt and template
