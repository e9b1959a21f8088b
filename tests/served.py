"""`taskocr serve` as a subprocess on its own TASKOCR_HOME, with its printed banner parsed:
used by the service tests and the browser tests (importable as ``served``)."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, home: Path, backend: str):
        self.port = free_port()
        self.env = {**os.environ, "TASKOCR_HOME": str(home), "OCR_BACKEND": backend,
                    "PYTHONPATH": str(ROOT / "src")}
        for var in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "TASKOCR_QUEUE",
                    "DJANGO_SETTINGS_MODULE", "TASKOCR_S3_BUCKET"):
            self.env.pop(var, None)  # the embedded defaults, whatever the test process set
        # the main `taskocr` command, which hands `serve` to the service's CLI
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "taskocr", "serve", "--port", str(self.port)], env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.banner = self._read_banner()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)

    def _read_banner(self, timeout: float = 120) -> str:
        out, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.proc.poll() is None, "".join(out)
                continue
            out.append(line)
            if line.startswith("Press Ctrl+C"):
                return "".join(out)
        raise AssertionError("no banner:\n" + "".join(out))

    def field(self, label: str) -> str:
        line = next(x for x in self.banner.splitlines() if label in x)
        return line.split(label, 1)[1].strip()

    def taskocr(self, *args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "taskocr", *args], env=self.env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise

    def output_after_banner(self) -> str:
        """What the command printed after its banner (read once it has exited)."""
        out = []
        while True:
            try:
                out.append(self.lines.get(timeout=2))
            except queue.Empty:
                return "".join(out)
