"""gunicorn, run in-process with the project's WSGI app (threads: uploads wait on I/O)."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _App(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from taskocr.server.wsgi import application

        return application


def run_gunicorn(host: str, port: int, *, workers: int = 2, threads: int = 4) -> int:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _App({
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 120,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "taskocr-web",
    }).run()
    return 0
