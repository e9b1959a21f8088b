"""`taskocr serve|web|worker|beat|flower|createuser|token`: the service's commands.

The main `taskocr` CLI hands these subcommands to ``main(argv)``; ``python -m
taskocr.server.cli …`` does the same.
"""

from __future__ import annotations

import argparse
import os
import sys

SETTINGS = "taskocr.server.settings"
CELERY_APP = "taskocr.server.celery_app"


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _migrate(verbose: bool = False) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def _celery(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from celery.bin.celery import celery

    try:
        celery.main(args=["-A", CELERY_APP, *args], prog_name="taskocr", standalone_mode=False)
    except SystemExit as exc:  # click exits with the command's code
        return int(exc.code or 0)
    return 0


def cmd_web(a) -> int:
    _django()
    if not a.no_migrate:
        _migrate()
    from .web import run_gunicorn

    return run_gunicorn(a.host, a.port, workers=a.workers, threads=a.threads)


def cmd_worker(a) -> int:
    import warnings

    from celery.exceptions import SecurityWarning
    from django.conf import settings

    # Celery advises against root because of pickle; the workers accept JSON only (Celery
    # still refuses to start as root if pickle is ever enabled), and containers run as root.
    warnings.filterwarnings("ignore", category=SecurityWarning)

    args = ["worker", f"--loglevel={a.loglevel}", f"--concurrency={a.concurrency}",
            f"--queues={settings.TASKOCR['QUEUE']}", "--without-mingle", "--without-gossip"]
    if a.hostname:
        args.append(f"--hostname={a.hostname}")
    if a.beat:
        args += ["--beat", f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}"]
    return _celery(args)


def cmd_beat(a) -> int:
    from django.conf import settings

    return _celery(["beat", f"--loglevel={a.loglevel}", f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}"])


def cmd_flower(a) -> int:
    return _celery(["flower", f"--port={a.port}", f"--address={a.host}"])


def cmd_createuser(a) -> int:
    _django()
    _migrate_if_embedded()
    from .accounts.services import UserExists, create_user, token_for

    password = None
    if a.password:
        password = os.environ.get("TASKOCR_PASSWORD") or _ask_password()
        if not password:
            print("taskocr: no password given", file=sys.stderr)
            return 2
    try:
        user = create_user(a.name, staff=a.staff, password=password)
    except UserExists as exc:
        print(f"taskocr: {exc}", file=sys.stderr)
        return 1
    if a.token:
        print(token_for(user))
    else:
        print(f"created user {user.username}\nAPI token: {token_for(user)}")
    return 0


def _ask_password() -> str | None:
    import getpass

    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        print("taskocr: the passwords differ", file=sys.stderr)
        return None
    return first


def cmd_token(a) -> int:
    _django()
    _migrate_if_embedded()
    from .accounts.services import local_user, token_for

    print(token_for(local_user()))
    return 0


def _migrate_if_embedded() -> None:
    """A fresh TASKOCR_HOME has no tables yet; a shared database is migrated by `web`."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        _migrate()


def cmd_serve(a) -> int:
    from .embedded import serve

    return serve(a)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="taskocr", description="taskocr service commands")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run everything on this machine: web, worker and beat")
    s.add_argument("--port", type=int, default=int(os.environ.get("TASKOCR_PORT", "8000")))
    s.add_argument("--host", default=os.environ.get("TASKOCR_BIND", "127.0.0.1"),
                   help="address to bind (default 127.0.0.1: this machine only)")
    s.add_argument("--workers", type=int, default=int(os.environ.get("TASKOCR_WORKER_CONCURRENCY", "1")),
                   help="OCR processes (each loads its own model)")
    s.add_argument("--web-workers", type=int, default=int(os.environ.get("TASKOCR_WEB_WORKERS", "2")))
    s.add_argument("-v", "--verbose", action="store_true", help="show the worker's and web server's logs")
    s.set_defaults(func=cmd_serve)

    w = sub.add_parser("web", help="the API server (gunicorn)")
    w.add_argument("--port", type=int, default=int(os.environ.get("TASKOCR_PORT", "8000")))
    w.add_argument("--host", default=os.environ.get("TASKOCR_BIND", "127.0.0.1"))
    w.add_argument("--workers", type=int, default=int(os.environ.get("TASKOCR_WEB_WORKERS", "2")))
    w.add_argument("--threads", type=int, default=int(os.environ.get("TASKOCR_WEB_THREADS", "4")))
    w.add_argument("--no-migrate", action="store_true", help="do not apply migrations at start")
    w.set_defaults(func=cmd_web)

    k = sub.add_parser("worker", help="an OCR worker (Celery)")
    k.add_argument("--concurrency", type=int, default=int(os.environ.get("TASKOCR_WORKER_CONCURRENCY", "1")))
    k.add_argument("--loglevel", default=os.environ.get("TASKOCR_WORKER_LOGLEVEL", "INFO"))
    k.add_argument("--hostname", default=None, help="Celery node name (default: celery@host)")
    k.add_argument("--beat", action="store_true", help="also run the beat scheduler in this process")
    k.set_defaults(func=cmd_worker)

    b = sub.add_parser("beat", help="the scheduler: re-queues lost jobs, applies retention")
    b.add_argument("--loglevel", default="INFO")
    b.set_defaults(func=cmd_beat)

    f = sub.add_parser("flower", help="Celery's monitoring UI")
    f.add_argument("--port", type=int, default=5555)
    f.add_argument("--host", default="127.0.0.1")
    f.set_defaults(func=cmd_flower)

    c = sub.add_parser("createuser", help="create an API user")
    c.add_argument("name")
    c.add_argument("--token", action="store_true", help="print only the new user's API token")
    c.add_argument("--staff", action="store_true", help="may use the admin")
    c.add_argument("--password", action="store_true",
                   help="set a password for the web app's sign-in (asked, or TASKOCR_PASSWORD)")
    c.set_defaults(func=cmd_createuser)

    t = sub.add_parser("token", help="print the local user's API token")
    t.set_defaults(func=cmd_token)
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
