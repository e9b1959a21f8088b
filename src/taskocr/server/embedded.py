"""`taskocr serve`: the whole service on one machine, with nothing but Python.

The parent prepares TASKOCR_HOME (database, broker tables, local user), then runs two
children — the web server and a worker with beat inside — and stops both when it is
stopped or when either dies. Children get SIGTERM if the parent vanishes (Linux).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import taskocr

STARTUP_TIMEOUT_S = 90
STOP_TIMEOUT_S = 30


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent():
    """preexec_fn: ask Linux to SIGTERM this child when the `serve` process goes away."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _prepare() -> tuple[str, str]:
    """Migrate, create the broker's tables once (two processes creating them at the same
    moment can collide), and return the local user's token and a fresh sign-in secret."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskocr.server.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from .accounts.services import issue_signin_link, local_user, token_for
    from .celery_app import app

    call_command("migrate", interactive=False, verbosity=0)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_declare(queue=settings.TASKOCR["QUEUE"])
    user = local_user()
    return token_for(user), issue_signin_link(user)


def _child_env(host: str) -> dict:
    from django.conf import settings

    env = dict(os.environ)
    env["TASKOCR_HOME"] = str(settings.HOME)
    env["DJANGO_SETTINGS_MODULE"] = "taskocr.server.settings"
    src = str(Path(taskocr.__file__).resolve().parents[1])  # works without an install too
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    if host not in ("127.0.0.1", "localhost", "::1") and "TASKOCR_ALLOWED_HOSTS" not in env:
        env["TASKOCR_ALLOWED_HOSTS"] = "*"  # binding beyond loopback was asked for explicitly
    return env


def _spawn(args: list[str], env: dict, log: Path | None) -> subprocess.Popen:
    out = open(log, "ab") if log else None
    return subprocess.Popen(
        [sys.executable, "-m", "taskocr.server.cli", *args], env=env, stdout=out, stderr=out,
        stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def _wait_ready(url: str, children: list[subprocess.Popen]) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if any(c.poll() is not None for c in children):
            return False
        try:
            with urllib.request.urlopen(url + "api/health/", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except Exception:
            pass
        time.sleep(0.3)
    return False


def _stop(children: list[subprocess.Popen]) -> None:
    for c in children:
        if c.poll() is None:
            c.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for c in children:
        try:
            c.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            c.kill()
            c.wait()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def serve(a) -> int:
    host, port = a.host, a.port
    if not _port_free(host, port):
        print(f"taskocr: cannot listen on {host}:{port} (in use?); try --port", file=sys.stderr)
        return 1
    token, secret = _prepare()
    from django.conf import settings

    home = settings.HOME
    logs = home / "logs"
    logs.mkdir(exist_ok=True)
    env = _child_env(host)
    web_log = None if a.verbose else logs / "web.log"
    worker_log = None if a.verbose else logs / "worker.log"
    children = [
        _spawn(["web", "--host", host, "--port", str(port), "--no-migrate",
                "--workers", str(a.web_workers)], env, web_log),
        _spawn(["worker", "--beat", "--concurrency", str(a.workers),
                "--loglevel", "INFO" if a.verbose else "WARNING", "--hostname", f"embedded-{os.getpid()}@%h"],
               env, worker_log),
    ]

    stopping = False

    def _on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"
    if not _wait_ready(base, children):
        _stop(children)
        print("taskocr: the service did not start.", file=sys.stderr)
        for name, log in (("web", web_log), ("worker", worker_log)):
            if log:
                print(f"--- {name} log ({log}) ---\n{_tail(log)}", file=sys.stderr)
        return 1

    print(
        f"taskocr is running at {base}\n"
        f"  Sign in (the link works once): {base}auth/link/{secret}/\n"
        f"  API token: {token}\n"
        f"  API docs:  {base}api/docs/\n"
        f"  Try: curl -H \"Authorization: Token {token}\" -F image=@photo.jpg {base}api/upload/\n"
        f"  Data: {home}" + ("" if a.verbose else f"   Logs: {logs}") + "\n"
        "Press Ctrl+C to stop.",
        flush=True,
    )
    code = 0
    while not stopping:
        dead = [c for c in children if c.poll() is not None]
        if dead:
            print(f"taskocr: a service process exited (code {dead[0].returncode}); stopping.", file=sys.stderr)
            code = 1
            break
        time.sleep(0.5)
    if stopping:
        print("taskocr: stopping…", flush=True)
    _stop(children)
    if stopping:
        print("taskocr: stopped.", flush=True)
    return code
