"""The board: open tasks from every job as sticky notes (or a list on small screens)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ...jobs.services import editing
from ...jobs.services import people as roster
from ..forms import BoardFilterForm
from ..presenting import board_places


@login_required
def board(request):
    form = BoardFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {"done": False}
    tasks = list(editing.tasks_of(request.user, **filters))
    # the export takes the board's own filters (as the API's query parameters)
    query = {k: ("none" if k == "assignee" and v == "" else v) for k, v in filters.items()}
    assignees = sorted(
        {t.assignee for t in editing.tasks_of(request.user, done=False) if t.assignee}
        | set(roster.names_of(request.user)), key=str.lower,
    )
    return render(request, "ui/board.html", {
        "form": form, "notes": board_places(tasks), "tasks": tasks, "assignees": assignees,
        "export_query": urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in query.items()}),
        "view": form.cleaned_data.get("view", "") if form.is_valid() else "",
    })


@login_required
@require_POST
def tick(request, task_id):
    """Done or not done again (the board's checkbox); answers with the note's new state."""
    done = request.POST.get("done") == "on"
    task = editing.update_task(request.user, task_id, {"done": done})
    return render(request, "ui/_tick.html", {"task": task})
