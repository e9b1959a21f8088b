"""A job's tasks as JSON, CSV, Markdown or iCalendar (one VTODO per task)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone as dt_tz

from icalendar import Calendar, Todo

from taskocr.errors import InputError

from ..models import ExtractedTask, Job

FIELDS = (
    "task_name", "description", "assignee", "due_date", "priority", "done", "position_index",
    "confidence_score", "bbox_x", "bbox_y", "bbox_width", "bbox_height",
)
# RFC 5545 PRIORITY: 1 is highest, 9 lowest, 0 undefined
ICS_PRIORITY = {"urgent": 1, "high": 3, "medium": 5, "low": 9}


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def task_dict(t: ExtractedTask) -> dict:
    d = {f: getattr(t, f) for f in FIELDS}
    d["id"] = t.pk
    d["due_date"] = t.due_date.isoformat() if t.due_date else None
    return d


def export(job: Job, fmt: str) -> Export:
    head = {"transaction_id": str(job.pk), "engine": job.engine}
    title = job.original_filename or str(job.pk)
    return export_tasks(list(job.tasks.all()), fmt, title, f"tasks-{str(job.pk)[:8]}", head)


def export_tasks(tasks: list[ExtractedTask], fmt: str, title: str, stem: str, head: dict | None = None) -> Export:
    """Any list of tasks (one job's, or the board's across jobs) in one of the formats."""
    fmt = (fmt or "json").lower()
    if fmt == "json":
        body = json.dumps({**(head or {}), "tasks": [task_dict(t) for t in tasks]}, indent=2)
        return Export(body.encode(), "application/json", f"{stem}.json")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=("id",) + FIELDS)
        writer.writeheader()
        for t in tasks:
            writer.writerow({k: _csv_safe(v) for k, v in task_dict(t).items()})
        return Export(buf.getvalue().encode(), "text/csv; charset=utf-8", f"{stem}.csv")
    if fmt == "md":
        return Export(_markdown(title, tasks).encode(), "text/markdown; charset=utf-8", f"{stem}.md")
    if fmt == "ics":
        return Export(_ics(tasks), "text/calendar; charset=utf-8", f"{stem}.ics")
    raise InputError("format must be one of json, csv, md, ics", code="invalid_format")


def _markdown(title: str, tasks: list[ExtractedTask]) -> str:
    lines = [f"# Tasks from {_md_escape(title)}", ""]
    for t in tasks:
        extras = []
        if t.assignee:
            extras.append(f"@{_md_escape(t.assignee)}")
        if t.due_date:
            extras.append(f"due {t.due_date.isoformat()}")
        if t.priority != "medium":
            extras.append(f"priority {t.priority}")
        suffix = f" ({', '.join(extras)})" if extras else ""
        lines.append(f"- [{'x' if t.done else ' '}] {_md_escape(t.task_name)}{suffix}")
        if t.description:
            lines.extend(f"  {_md_escape(row)}" for row in t.description.splitlines())
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    """Markdown viewers render inline HTML: a task reading <script> must stay text."""
    text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _csv_safe(value):
    """Spreadsheets run a cell that starts with = + @ as a formula; a quote keeps it text."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _ics(tasks: list[ExtractedTask]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//taskocr//taskocr//EN")
    cal.add("version", "2.0")
    stamp = datetime.now(dt_tz.utc)
    for t in tasks:
        todo = Todo()
        todo.add("uid", f"{t.job_id}-{t.pk}@taskocr")
        todo.add("dtstamp", stamp)
        todo.add("summary", t.task_name)
        if t.description:
            todo.add("description", t.description)
        if t.due_date:
            todo.add("due", t.due_date)  # a DATE value: due that day, no time
        todo.add("priority", ICS_PRIORITY.get(t.priority, 0))
        todo.add("status", "COMPLETED" if t.done else "NEEDS-ACTION")
        if t.assignee:
            todo.add("x-taskocr-assignee", t.assignee)
        cal.add_component(todo)
    return cal.to_ical()
