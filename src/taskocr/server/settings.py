"""Django settings, chosen by environment variables.

With nothing set this is the embedded mode: SQLite, images on local disk and a Celery
broker in a SQLite file, all under ``TASKOCR_HOME``. ``DATABASE_URL``, ``CELERY_BROKER_URL``
and ``TASKOCR_S3_BUCKET`` switch each part to a server without any code change.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from taskocr.config import Settings as CoreSettings

env = os.environ.get


def _bool(name: str, default: str = "0") -> bool:
    return env(name, default).strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [x.strip() for x in env(name, default).split(",") if x.strip()]


CORE = CoreSettings.from_env()
HOME = CORE.home.expanduser()
HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """An explicit key wins; otherwise one generated once and kept in TASKOCR_HOME, so
    sessions and sign-in links survive restarts of the embedded server."""
    if env("TASKOCR_SECRET_KEY"):
        return env("TASKOCR_SECRET_KEY")
    path = HOME / "secret_key"
    if not path.exists():
        # write aside, then link into place: concurrent first starts agree on one key
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _bool("TASKOCR_DEBUG")
ALLOWED_HOSTS = _list("TASKOCR_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _list("TASKOCR_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taskocr.server.accounts",
    "taskocr.server.jobs",
    "taskocr.server.ui",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "taskocr.server.urls"
WSGI_APPLICATION = "taskocr.server.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{HOME / 'taskocr.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web threads and the worker write to one file: WAL lets readers run beside the writer,
    # IMMEDIATE takes the write lock up front (no deadlocked read->write upgrades), and the
    # timeout makes a writer wait for the lock instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- storage --------------------------------------------------------------------------
MEDIA_ROOT = str(HOME / "media")
STATIC_URL = "/static/"
STATIC_ROOT = env("TASKOCR_STATIC_ROOT") or str(HOME / "static")
# Serve static files straight from the installed apps, so the embedded server needs no
# collectstatic step; containers still run collectstatic at build time.
WHITENOISE_USE_FINDERS = True
try:  # whitenoise warns at every start while STATIC_ROOT does not exist
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
except OSError:
    pass  # a read-only location chosen on purpose: collectstatic fills it elsewhere

S3_BUCKET = env("TASKOCR_S3_BUCKET") or env("AWS_STORAGE_BUCKET_NAME")
if S3_BUCKET:
    from botocore.config import Config as BotoConfig

    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env("AWS_S3_REGION_NAME") or env("AWS_DEFAULT_REGION") or None,
        "access_key": env("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
        "location": env("TASKOCR_S3_PREFIX", ""),
        "file_overwrite": False,
        "default_acl": None,  # images are private; the API streams them to their owner
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
        # an unreachable S3 should fail a health check or a job attempt in seconds, not minutes
        "client_config": BotoConfig(
            connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
        ),
    }
    DEFAULT_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads are read whole (hash, type check); bigger ones spool to disk, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "taskocr.server.jobs.api.uploads.LimitedUploadHandler",  # refuses past the limit as it streams
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- auth, API ------------------------------------------------------------------------
LOGIN_URL = "/signin/"
LOGIN_REDIRECT_URL = "/"  # the web app
LOGOUT_REDIRECT_URL = "/signin/"
LOCAL_USERNAME = env("TASKOCR_LOCAL_USER", "local")
SIGNIN_LINK_TTL_S = int(env("TASKOCR_SIGNIN_LINK_TTL", "3600"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "taskocr.server.accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "taskocr.server.jobs.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # `?format=csv` is the export's own parameter, not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # per user (per address when signed out); 429 with Retry-After past the rate
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("TASKOCR_API_RATE", "1200/min"),
        "anon": env("TASKOCR_ANON_RATE", "120/min"),
        "uploads": env("TASKOCR_UPLOAD_RATE", "120/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "taskocr API",
    "DESCRIPTION": "Photos of handwritten to-do lists in, structured tasks out.",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",  # bundled assets: the docs page works offline
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Throttle counters must be shared by every web process (and machine) to mean anything:
# Redis when TASKOCR_CACHE_URL names it, otherwise files under TASKOCR_HOME (one machine).
CACHE_URL = env("TASKOCR_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL.startswith(("redis://", "rediss://"))
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(HOME / "cache")}
}

from .security_settings import *  # noqa: E402,F401,F403

# --- jobs -----------------------------------------------------------------------------
TASKOCR = {
    "QUEUE": env("TASKOCR_QUEUE", "taskocr"),
    "JOB_TIME_LIMIT": int(env("TASKOCR_JOB_TIME_LIMIT", "300")),  # seconds per attempt
    "MAX_ATTEMPTS": int(env("TASKOCR_MAX_ATTEMPTS", "5")),
    "RETRY_BACKOFF": float(env("TASKOCR_RETRY_BACKOFF", "5")),  # first retry delay, doubles
    "RETRY_BACKOFF_MAX": float(env("TASKOCR_RETRY_BACKOFF_MAX", "300")),
    "REQUEUE_AFTER": int(env("TASKOCR_REQUEUE_AFTER", "120")),  # pending this long -> resend
    "REQUEUE_INTERVAL": float(env("TASKOCR_REQUEUE_INTERVAL", "30")),
    "RETENTION_DAYS": float(env("TASKOCR_RETENTION_DAYS", "0")),  # 0 keeps jobs forever
    "WEBHOOK_SECRET": env("TASKOCR_WEBHOOK_SECRET") or None,  # None: the owner's API token
    "WEBHOOK_ATTEMPTS": int(env("TASKOCR_WEBHOOK_ATTEMPTS", "5")),
    "WEBHOOK_TIMEOUT": float(env("TASKOCR_WEBHOOK_TIMEOUT", "10")),
    # webhooks to loopback/private/link-local addresses are refused unless this is set
    "WEBHOOK_ALLOW_PRIVATE": _bool("TASKOCR_WEBHOOK_ALLOW_PRIVATE"),
    "MAX_QUEUED_PER_USER": int(env("TASKOCR_MAX_QUEUED_PER_USER", "500")),  # 0: no limit
}

# --- Celery (read by celery_app with the CELERY_ namespace) ---------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or f"sqla+sqlite:///{HOME / 'broker.sqlite3'}"
EMBEDDED_BROKER = CELERY_BROKER_URL.startswith("sqla+")
# Results are not used (the job row is the result); the embedded default only keeps
# Celery's own bookkeeping out of the broker file.
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or (
    f"db+sqlite:///{HOME / 'results.sqlite3'}" if EMBEDDED_BROKER else None
)
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if not EMBEDDED_BROKER:
    # acks_late: a message stays with the broker until the job ends; it must not be
    # handed to a second worker while the first is still inside its time limit.
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = max(
        3600, 4 * TASKOCR["JOB_TIME_LIMIT"]
    )
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = float(env("TASKOCR_BROKER_TIMEOUT", "3"))
# Publishing happens inside an upload request: fail fast and let beat re-queue later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TASK_DEFAULT_QUEUE = TASKOCR["QUEUE"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True  # the job row is the result; keeps the backend idle
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: never hoard messages another worker could run
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 180  # model loading happens in worker_process_init
CELERY_WORKER_SEND_TASK_EVENTS = not EMBEDDED_BROKER  # for Flower; the SQL broker has no fanout
CELERY_TASK_SEND_SENT_EVENT = not EMBEDDED_BROKER
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env("TASKOCR_BEAT_SCHEDULE") or str(HOME / "celerybeat-schedule")
BROKER_POLL_INTERVAL = float(env("TASKOCR_BROKER_POLL", "0.2"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("TASKOCR_LOG_LEVEL", "WARNING")},
    "loggers": {
        "taskocr": {"level": env("TASKOCR_LOG_LEVEL", "INFO"), "propagate": True},
    },
}

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
