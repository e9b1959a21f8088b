"""HTTPS, cookies and response headers, read with the rest of the settings.

The embedded server speaks plain HTTP on 127.0.0.1, so secure-only cookies and HSTS would
lock its users out; behind TLS (``TASKOCR_HTTPS=1``, as the scale-out deployment should
run) they are all on, and ``manage.py check --deploy`` has nothing to say.
"""

from __future__ import annotations

import os

from csp.constants import NONE, SELF


def _bool(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


HTTPS = _bool("TASKOCR_HTTPS")

# "HTTP_X_FORWARDED_PROTO=https": trust this header from the TLS proxy in front (only set it
# when that proxy always overwrites the header, or clients could claim https themselves).
_proxy_header = os.environ.get("TASKOCR_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO=https" if HTTPS else "")
if _proxy_header:
    _name, _, _value = _proxy_header.partition("=")
    SECURE_PROXY_SSL_HEADER = (_name.strip(), _value.strip() or "https")

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and _bool("TASKOCR_SSL_REDIRECT", "1")
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]  # container health checks call plain HTTP inside
SECURE_HSTS_SECONDS = int(os.environ.get("TASKOCR_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("TASKOCR_HSTS_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = _bool("TASKOCR_HSTS_PRELOAD", "1")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts only from this server (no inline script); inline styles are allowed because htmx
# and the API docs set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
