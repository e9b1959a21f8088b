"""Thin API views: parse, call a service, serialize."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from taskocr.errors import ImageTooLarge

from ..models import JobStatus
from ..services import editing, exports, maintenance
from ..services import people as roster
from ..services.intake import UploadOptions, submit_upload
from . import uploads
from .serializers import (
    JobListSerializer, JobSerializer, PersonSerializer, RetrySerializer, StatusSerializer,
    TaskDetailSerializer, TaskFilterSerializer, TaskSerializer, TaskWriteSerializer,
    UploadResponseSerializer, UploadSerializer,
)


def task_filters(params) -> dict:
    """Query parameters of the task list (and the board) as ``editing.tasks_of`` keywords."""
    form = TaskFilterSerializer(data=params)
    form.is_valid(raise_exception=True)
    f = dict(form.validated_data)
    if "job" in f:
        f["job_id"] = f.pop("job")
    if f.get("assignee", "").lower() == "none":
        f["assignee"] = ""
    return f


MAX_PEOPLE, MAX_NAME = 200, 100


def _people(request) -> tuple[str, ...]:
    names = []
    for value in request.data.getlist("people") if hasattr(request.data, "getlist") else []:
        names.extend(p.strip() for p in value.split(",") if p.strip())
    if len(names) > MAX_PEOPLE or any(len(n) > MAX_NAME for n in names):
        raise ValidationError({"people": [f"at most {MAX_PEOPLE} names of at most {MAX_NAME} characters"]})
    return tuple(names)


def _refuse_oversized(request) -> None:
    """Answer 413 from the headers, before the body is read and spooled to disk (a chunked
    body has no length to go by: the upload handler counts it as it streams)."""
    if request.META.get(uploads.CHUNKED):
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if length > uploads.max_body():
        limit = settings.CORE.limits.max_file_bytes
        raise ImageTooLarge(f"the upload is {length} bytes; the limit is {limit}")


class UploadView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [UserRateThrottle, AnonRateThrottle, ScopedRateThrottle]
    throttle_scope = "uploads"

    @extend_schema(
        request=UploadSerializer,
        responses={202: UploadResponseSerializer, 200: UploadResponseSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        description="Queue an image for scanning. The same image (or Idempotency-Key) again "
        "returns the first job with 200.",
    )
    def post(self, request):
        _refuse_oversized(request)
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["image"]
        opts = UploadOptions(
            engine=form.validated_data.get("engine", ""),
            people=_people(request),
            date_order=form.validated_data.get("date_order", ""),
            callback_url=form.validated_data.get("callback_url", ""),
            idempotency_key=(request.headers.get("Idempotency-Key") or "").strip()[:255] or None,
        )
        job, created = submit_upload(request.user, upload.read(), upload.name, opts)
        url = request.build_absolute_uri(f"/api/status/{job.pk}/")
        message = "Image queued for processing" if created else "This image was uploaded before; returning that job"
        return Response(
            {"transaction_id": str(job.pk), "status": job.status, "message": message, "status_url": url},
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )


class StatusView(APIView):
    @extend_schema(responses=StatusSerializer)
    def get(self, request, transaction_id):
        return Response(StatusSerializer(editing.job_of(request.user, transaction_id)).data)


class JobListView(generics.ListAPIView):
    serializer_class = JobListSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=JobStatus.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = editing.jobs_of(self.request.user).prefetch_related("tasks")
        wanted = self.request.query_params.get("status")
        return qs.filter(status=wanted) if wanted else qs


class JobDetailView(APIView):
    @extend_schema(responses=JobSerializer)
    def get(self, request, job_id):
        return Response(JobSerializer(editing.job_of(request.user, job_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, job_id):
        editing.delete_job(request.user, job_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class JobRetryView(APIView):
    @extend_schema(request=RetrySerializer, responses={202: JobSerializer})
    def post(self, request, job_id):
        form = RetrySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        job = editing.retry_job(
            request.user, job_id, data.get("engine"), people=data.get("people"),
            date_order=data.get("date_order"),
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class JobTasksView(APIView):
    @extend_schema(request=TaskWriteSerializer, responses={201: TaskSerializer})
    def post(self, request, job_id):
        form = TaskWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        if not form.validated_data.get("task_name"):
            raise ValidationError({"task_name": ["This field is required."]})
        task = editing.add_task(request.user, job_id, form.validated_data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDetailView(APIView):
    @extend_schema(responses=TaskDetailSerializer)
    def get(self, request, task_id):
        return Response(TaskDetailSerializer(editing.task_of(request.user, task_id)).data)

    @extend_schema(request=TaskWriteSerializer, responses=TaskDetailSerializer)
    def patch(self, request, task_id):
        form = TaskWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        task = editing.update_task(request.user, task_id, form.validated_data)
        return Response(TaskDetailSerializer(task).data)

    @extend_schema(responses={204: None})
    def delete(self, request, task_id):
        editing.delete_task(request.user, task_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskListView(generics.ListAPIView):
    """Tasks across all of the user's jobs: the board's data and integrations' feed."""

    serializer_class = TaskDetailSerializer

    @extend_schema(parameters=[TaskFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return editing.tasks_of(self.request.user, **task_filters(self.request.query_params))


class TaskExportView(APIView):
    @extend_schema(
        parameters=[TaskFilterSerializer, OpenApiParameter("format", str, enum=["json", "csv", "md", "ics"])],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        tasks = list(editing.tasks_of(request.user, **task_filters(request.query_params)))
        out = exports.export_tasks(tasks, request.query_params.get("format", "json"), "Board", "board")
        return _attachment(out)


class PeopleView(generics.ListAPIView):
    serializer_class = PersonSerializer
    pagination_class = None  # a roster is short; the app needs all of it at once

    def get_queryset(self):
        return roster.roster_of(self.request.user)

    @extend_schema(request=PersonSerializer, responses={201: PersonSerializer})
    def post(self, request):
        form = PersonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        person = roster.add_person(request.user, form.validated_data["name"], form.validated_data.get("misreadings", ()))
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetailView(APIView):
    @extend_schema(responses=PersonSerializer)
    def get(self, request, person_id):
        return Response(PersonSerializer(roster.person_of(request.user, person_id)).data)

    @extend_schema(request=PersonSerializer, responses=PersonSerializer)
    def patch(self, request, person_id):
        form = PersonSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        person = roster.update_person(
            request.user, person_id, name=form.validated_data.get("name"),
            misreadings=form.validated_data.get("misreadings"),
        )
        return Response(PersonSerializer(person).data)

    @extend_schema(responses={204: None})
    def delete(self, request, person_id):
        roster.delete_person(request.user, person_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _attachment(out) -> HttpResponse:
    resp = HttpResponse(out.content, content_type=out.content_type)
    resp["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    return resp


class JobImageView(APIView):
    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY})
    def get(self, request, job_id):
        job = editing.job_of(request.user, job_id)
        from ..services import storage

        return FileResponse(
            storage.open_stream(job.image), content_type=job.content_type or "application/octet-stream",
            filename=job.original_filename or None,
        )


class JobExportView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["json", "csv", "md", "ics"])],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    def get(self, request, job_id):
        job = editing.job_of(request.user, job_id)
        return _attachment(exports.export(job, request.query_params.get("format", "json")))


class HealthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []  # load balancers poll it

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT})
    def get(self, request):
        healthy, report = maintenance.health()
        return Response(report, status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE)
