"""Faults with real processes and real services, all on this machine: private PostgreSQL and
Redis servers on free ports (restarting them disturbs nobody else), the service's own web and
worker processes, and local HTTP servers standing in for a hanging dots server and a webhook
receiver. Every wait is bounded."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytest.importorskip("django")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "server"))
sys.path.insert(0, str(HERE.parent / "engines"))

from stack import free_port  # noqa: E402

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def _as_postgres(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], capture_output=True, text=True,
                          timeout=120, check=check)


class PrivatePostgres:
    """A throw-away cluster of the machine's PostgreSQL on a free port (trust auth)."""

    def __init__(self):
        self.bin = PG_BIN[-1]
        # not under pytest's private temporary folder: the server runs as the postgres user
        self.root = Path(tempfile.mkdtemp(prefix="taskocr-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "pgdata"
        self.port = free_port()
        self.data.mkdir()
        shutil.chown(self.data, "postgres", "postgres")
        _as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self.log = self.root / "pg.log"
        self.log.touch()
        shutil.chown(self.log, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                     "-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1", *args)

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")  # ends every session at once, as a crash or failover would

    def stop(self) -> None:
        _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgres():
    if not PG_BIN or not shutil.which("runuser"):
        pytest.skip("needs the PostgreSQL server binaries and runuser")
    pg = PrivatePostgres()
    pg.start()
    try:
        yield pg
    finally:
        pg.stop()


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis did not start"
                time.sleep(0.1)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.skip("needs the redis-server binary")
    r = PrivateRedis()
    r.start()
    try:
        yield r
    finally:
        r.kill()
