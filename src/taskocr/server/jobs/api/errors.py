"""Every API error has one shape: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from taskocr.errors import ImageTooLarge, InputError, NoEngineAvailable, TaskOCRError, UnsupportedFormat

from ..services.editing import Conflict
from ..services.intake import TooManyQueued
from ..services.storage import StorageUnavailable


def body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _status_for(exc: TaskOCRError) -> int:
    if isinstance(exc, ImageTooLarge):
        return status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    if isinstance(exc, UnsupportedFormat):
        return status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    if isinstance(exc, InputError):
        return status.HTTP_400_BAD_REQUEST
    if isinstance(exc, TooManyQueued):
        return status.HTTP_429_TOO_MANY_REQUESTS
    if isinstance(exc, Conflict):
        return status.HTTP_409_CONFLICT
    if isinstance(exc, (NoEngineAvailable, StorageUnavailable)):
        return status.HTTP_503_SERVICE_UNAVAILABLE
    return status.HTTP_500_INTERNAL_SERVER_ERROR


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(x) for x in detail)
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, TaskOCRError):
        fields = {exc.field: [exc.message]} if getattr(exc, "field", None) else None
        headers = {"Retry-After": str(exc.retry_after)} if getattr(exc, "retry_after", None) else None
        return Response(body(exc.code, exc.message, fields), status=_status_for(exc), headers=headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "not found")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):  # too many fields, a field too big, a bad header
        return Response(body("bad_request", str(exc) or "the request was refused"), status=400)
    response = drf_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's 500 handler (JSON under /api/) takes it
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = body("invalid", "the request has invalid fields", fields)
    else:
        detail = getattr(exc, "detail", str(exc))
        code = getattr(exc, "default_code", "error")
        if isinstance(detail, exceptions.ErrorDetail):
            code = detail.code or code
        response.data = body(code, _flatten(detail))
    return response


def json_404(request, exception=None):
    return JsonResponse(body("not_found", "not found"), status=404)


def json_400(request, exception=None):
    return JsonResponse(body("bad_request", "the request was refused"), status=400)


def json_500(request):
    return JsonResponse(body("server_error", "internal server error"), status=500)
