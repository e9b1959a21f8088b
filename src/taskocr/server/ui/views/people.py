"""The roster: names assignees are matched against, and the misreadings learned for each."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from taskocr.errors import InputError

from ...jobs.services import people as roster
from ..forms import PersonForm


def _page(request, form=None, error=None, status=200):
    return render(request, "ui/people.html", {
        "people": roster.roster_of(request.user), "form": form or PersonForm(), "error": error,
    }, status=status)


@login_required
def people(request):
    if request.method != "POST":
        return _page(request)
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        roster.add_person(request.user, form.cleaned_data["name"], form.misreading_list())
    except InputError as exc:
        return _page(request, form, error=exc.message, status=400)
    return redirect("people")


@login_required
@require_POST
def edit(request, person_id):
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _page(request, error="A name is needed.", status=400)
    try:
        roster.update_person(request.user, person_id, name=form.cleaned_data["name"],
                             misreadings=form.misreading_list())
    except InputError as exc:
        return _page(request, error=exc.message, status=400)
    return redirect("people")


@login_required
@require_POST
def delete(request, person_id):
    roster.delete_person(request.user, person_id)
    return HttpResponse("") if request.htmx else redirect("people")


@login_required
@require_POST
def forget(request, person_id):
    person = roster.remove_misreading(request.user, person_id, request.POST.get("misreading", ""))
    if request.htmx:
        return render(request, "ui/_person.html", {"person": person})
    return redirect("people")
