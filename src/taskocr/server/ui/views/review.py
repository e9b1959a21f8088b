"""The review page: the photo with its task boxes, every field editable in place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taskocr.errors import TaskOCRError

from ...jobs.models import JobStatus
from ...jobs.services import editing
from ...jobs.services import people as roster
from ..forms import RereadForm, TaskForm
from ..presenting import task_rows

RUNNING = (JobStatus.PENDING, JobStatus.PROCESSING)


def _context(request, job, **extra) -> dict:
    names = roster.names_of(request.user)
    image = (job.result or {}).get("image") or {}
    return {
        "job": job, "rows": task_rows(job.tasks.all(), names), "roster": names,
        "running": job.status in RUNNING, "width": image.get("width"), "height": image.get("height"),
        "reread": RereadForm(initial={
            "engine": job.engine_requested or "auto", "people": ", ".join(job.people or []),
            "date_order": job.date_order or "dmy",
        }),
        **extra,
    }


@login_required
def review(request, job_id):
    job = editing.job_of(request.user, job_id)
    return render(request, "ui/review.html", _context(request, job))


@login_required
def state(request, job_id):
    """Polled while a job is read: the status line, and a full reload once it is done."""
    job = editing.job_of(request.user, job_id)
    if job.status not in RUNNING:
        resp = HttpResponse("")
        resp["HX-Refresh"] = "true"
        return resp
    return render(request, "ui/_job_state.html", {"job": job, "running": True})


@login_required
@require_POST
def reread(request, job_id):
    form = RereadForm(request.POST)
    job = editing.job_of(request.user, job_id)
    if not form.is_valid():
        return render(request, "ui/review.html", _context(request, job, reread=form), status=400)
    try:
        editing.retry_job(
            request.user, job_id, form.cleaned_data["engine"] or "auto", people=form.names(),
            date_order=form.cleaned_data["date_order"] or None,
        )
    except TaskOCRError as exc:
        return render(request, "ui/review.html", _context(request, job, error=exc.message), status=409)
    return redirect("review", job_id=job_id)


def _row(request, task, **extra):
    names = roster.names_of(request.user)
    return render(request, "ui/_task_row.html", {"row": task_rows([task], names)[0], "roster": names, **extra})


@login_required
@require_POST
def edit_task(request, task_id):
    form = TaskForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return render(request, "ui/_saved.html", {"error": errors})
    task = editing.update_task(request.user, task_id, form.changes())
    return render(request, "ui/_saved.html", {"task": task})


@login_required
@require_POST
def add_task(request, job_id):
    form = TaskForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["task_name"]:
        return HttpResponse('<p class="error" role="alert">A new task needs a title.</p>', status=422)
    task = editing.add_task(request.user, job_id, form.changes())
    return _row(request, task, added=True)


@login_required
@require_POST
def delete_task(request, task_id):
    editing.delete_task(request.user, task_id)
    return HttpResponse("")


@login_required
@require_POST
def move_task(request, task_id):
    delta = -1 if request.POST.get("direction") == "up" else 1
    editing.move_task(request.user, task_id, delta)
    job = editing.task_of(request.user, task_id).job
    names = roster.names_of(request.user)
    return render(request, "ui/_task_list.html", {"job": job, "rows": task_rows(job.tasks.all(), names), "roster": names})
