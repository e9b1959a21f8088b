"""Real service processes for the integration tests: web (gunicorn) and a Celery worker
(with beat) as subprocesses, on PostgreSQL and Redis, reached over HTTP."""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests
from PIL import Image, ImageDraw

from support import render_list

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PG_ADMIN_URL = os.environ.get("TASKOCR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TASKOCR_TEST_REDIS", "redis://127.0.0.1:6379/11")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database() -> str:
    import psycopg

    name = f"taskocr_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_queue(name: str) -> None:
    """Leave the shared Redis as found: remove a run's queue and its bindings."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in list(client.scan_iter(match=f"*{name}*")):
        client.delete(key)


def photo(tag: str | None = None) -> bytes:
    """The rendered test list, made unique by a tag so per-user dedupe does not merge jobs."""
    data = render_list()
    if tag is None:
        return data
    img = Image.open(io.BytesIO(data))
    draw = ImageDraw.Draw(img)
    rnd = random.Random(tag)
    for _ in range(6):  # a few specks where no text is
        x, y = rnd.randrange(1300, 1580), rnd.randrange(950, 1080)
        draw.rectangle((x, y, x + 3, y + 3), fill=(120, 120, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


class Stack:
    """web + worker(+beat) processes sharing one environment."""

    def __init__(self, tmp: Path, env: dict[str, str]):
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state = tmp / "state"
        self.env = {
            **os.environ,
            "TASKOCR_HOME": str(tmp / "home"),
            "TASKOCR_TEST_STATE": str(self.state),
            "TASKOCR_QUEUE": f"taskocr-test-{uuid.uuid4().hex[:8]}",
            "OCR_BACKEND": "mock",
            "TASKOCR_REQUEUE_INTERVAL": "1",
            "TASKOCR_REQUEUE_AFTER": "3",
            "TASKOCR_RETRY_BACKOFF": "0.5",
            "TASKOCR_MAX_FILE_MB": "3",
            "TASKOCR_LOG_LEVEL": "INFO",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(HERE), str(ROOT / "tests")]),
            **env,
        }
        self.procs: dict[str, subprocess.Popen] = {}

    def _run(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "stack_main.py"), *args], env=self.env,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, str(HERE / "stack_main.py"), *args], env=self.env,
            capture_output=True, text=True, timeout=120,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    def start_web(self) -> None:
        self._run("web", "web", "--port", str(self.port), "--workers", "1", "--threads", "8")
        self.wait_http()

    def start_worker(self, beat: bool = True) -> None:
        args = ["worker", "--concurrency", "1", "--loglevel", "INFO", "--hostname", f"w{uuid.uuid4().hex[:6]}@%h"]
        self._run("worker", *args, *(["--beat"] if beat else []))
        self.wait_worker()

    def wait_http(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive("web")
            try:
                if requests.get(self.url + "/api/health/", timeout=2).status_code in (200, 503):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("web did not start:\n" + self.log("web"))

    def wait_worker(self, timeout: float = 60) -> None:
        """Ready once the pool process has preloaded and recorded itself for the health check."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive("worker")
            try:
                workers = requests.get(self.url + "/api/health/", timeout=2).json()["checks"]["engines"]["workers"]
                if any(w["name"].endswith(f":{p}") for w in workers for p in self.pool_pids()):
                    return
            except (requests.RequestException, KeyError, ValueError):
                pass
            time.sleep(0.2)
        raise RuntimeError("worker did not start:\n" + self.log("worker"))

    def pool_pids(self) -> list[int]:
        main = self.procs["worker"].pid
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(main)], capture_output=True, text=True)
        return [int(x) for x in out.stdout.split()]

    def _check_alive(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log(name)}")

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-6000:] if path.exists() else ""

    def stop(self, name: str | None = None) -> None:
        for key in [name] if name else list(self.procs):
            proc = self.procs.pop(key, None)
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()

    # --- client helpers ------------------------------------------------------------------
    def client(self, token: str | None) -> requests.Session:
        s = requests.Session()
        if token:
            s.headers["Authorization"] = f"Token {token}"
        return s

    def upload(self, token: str, data: bytes, name: str = "list.jpg", **fields) -> requests.Response:
        headers = {}
        if "idempotency_key" in fields:
            headers["Idempotency-Key"] = fields.pop("idempotency_key")
        return self.client(token).post(
            self.url + "/api/upload/", files={"image": (name, data, "image/jpeg")}, data=fields,
            headers=headers, timeout=30,
        )

    def wait_done(self, token: str, job_id: str, timeout: float = 60, states=("completed", "failed")) -> dict:
        deadline = time.monotonic() + timeout
        body = {}
        while time.monotonic() < deadline:
            body = self.client(token).get(f"{self.url}/api/jobs/{job_id}/", timeout=10).json()
            if body.get("status") in states:
                return body
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} still {body.get('status')}:\n{self.log('worker')}")


@contextmanager
def two_user_stack(tmp: Path, env: dict[str, str]):
    """web + worker + beat on a fresh PostgreSQL database and Redis, with users alice and bob."""
    url = create_database()
    s = Stack(tmp, {"DATABASE_URL": url, "CELERY_BROKER_URL": REDIS_URL, **env})
    s.db_url = url
    try:
        s.start_web()
        s.start_worker()
        s.alice = s.cli("createuser", "alice", "--token")
        s.bob = s.cli("createuser", "bob", "--token")
        yield s
    finally:
        s.stop()
        drop_database(url)
        drop_queue(s.env["TASKOCR_QUEUE"])


def redis_server_available() -> bool:
    return shutil.which("redis-server") is not None
