"""Capture, the jobs list, and the job's photo as the browser shows it."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taskocr.imaging import load_image

from ...jobs.models import JobStatus
from ...jobs.services import editing, storage
from ...jobs.services import people as roster
from ..forms import JobFilterForm

# what every browser draws itself; anything else (HEIC, TIFF, PDF) is converted to JPEG
BROWSER_IMAGES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


def home(request):
    return redirect("capture" if request.user.is_authenticated else "signin")


@login_required
def capture(request):
    return render(request, "ui/capture.html", {
        "max_bytes": settings.CORE.limits.max_file_bytes,
        "roster": roster.names_of(request.user),
        "recent": editing.jobs_of(request.user).prefetch_related("tasks")[:5],
    })


@login_required
def job_list(request):
    form = JobFilterForm(request.GET or None)
    jobs = editing.jobs_of(request.user).prefetch_related("tasks")
    if form.is_valid() and form.cleaned_data["status"]:
        jobs = jobs.filter(status=form.cleaned_data["status"])
    jobs = list(jobs[:200])
    running = any(j.status in (JobStatus.PENDING, JobStatus.PROCESSING) for j in jobs)
    return render(request, "ui/jobs.html", {"form": form, "jobs": jobs, "running": running})


@login_required
@require_POST
def delete(request, job_id):
    editing.delete_job(request.user, job_id)
    if request.htmx:
        return HttpResponse("")  # the row goes away
    return redirect("jobs")


def _jpeg(data: bytes, long_side: int) -> bytes:
    from PIL import Image

    loaded = load_image(data, settings.CORE.limits, work_long_side=long_side)
    img = Image.fromarray(loaded.rgb)
    img.thumbnail((long_side, long_side))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=82)
    return buf.getvalue()


@login_required
def thumbnail(request, job_id):
    job = editing.job_of(request.user, job_id)
    resp = HttpResponse(_jpeg(storage.load(job.image), 240), content_type="image/jpeg")
    resp["Cache-Control"] = "private, max-age=86400"  # a job's image never changes
    return resp


@login_required
def photo(request, job_id):
    """The upright photo the boxes are drawn over, in a format the browser can show."""
    job = editing.job_of(request.user, job_id)
    if job.content_type in BROWSER_IMAGES:
        resp = FileResponse(storage.open_stream(job.image), content_type=job.content_type)
    else:
        resp = HttpResponse(_jpeg(storage.load(job.image), 3000), content_type="image/jpeg")
    resp["Cache-Control"] = "private, max-age=86400"
    return resp
