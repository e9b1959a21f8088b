"""What a person does survives a re-read; corrections teach the roster; tasks across jobs.
In-process on PostgreSQL, with the mock engine (its fixed list: Hasan, Ana, Tom)."""

from __future__ import annotations

from datetime import date

import pytest

from stack import photo


@pytest.fixture
def published(django_db, monkeypatch):
    from taskocr.server.jobs.services import messaging

    sent: list = []
    monkeypatch.setattr(messaging, "publish", lambda name, args, **kw: sent.append((name, args, kw)))
    return sent


def _scanned(user, tag, **opts):
    from taskocr.server.jobs.services import runner
    from taskocr.server.jobs.services.intake import UploadOptions, submit_upload

    job, _ = submit_upload(user, photo(tag), "list.jpg", UploadOptions(**opts))
    assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.COMPLETED
    return job


def _reread(user, job, **kw):
    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import editing, runner

    editing.retry_job(user, job.pk, **kw)
    job = Job.objects.get(pk=job.pk)
    assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.COMPLETED
    return job


def _tasks(job):
    return list(job.tasks.order_by("position_index").values(
        "task_name", "assignee", "due_date", "priority", "done", "source", "edited_fields"))


def test_edits_and_additions_survive_a_reread_with_a_roster(user, published):
    from taskocr.server.jobs.services import editing

    job = _scanned(user, "reread")
    before = _tasks(job)
    first = job.tasks.order_by("position_index")[0]
    editing.update_task(user, first.pk, {"task_name": "Get the budget approved", "priority": "urgent"})
    editing.add_task(user, job.pk, {"task_name": "Water the plants"})
    job = _reread(user, job, people=["Tomas", "Ana", "Hasan"], engine="mock", date_order="mdy")
    assert job.people == ["Tomas", "Ana", "Hasan"] and job.date_order == "mdy"
    after = _tasks(job)
    assert len(after) == len(before) + 1
    assert after[0]["task_name"] == "Get the budget approved" and after[0]["priority"] == "urgent"
    assert after[0]["assignee"] == before[0]["assignee"] == "Hasan"  # untouched field: read again
    assert after[-1]["task_name"] == "Water the plants" and after[-1]["source"] == "manual"
    # the new roster reached the unedited tasks: "Tom" is now the roster's Tomas
    assert "Tomas" in [t["assignee"] for t in after] and "Tom" in [t["assignee"] for t in before]


def test_an_untouched_task_is_replaced_and_an_edited_assignee_kept(user, published):
    from taskocr.server.jobs.services import editing

    job = _scanned(user, "reread-2")
    tom = job.tasks.get(assignee="Tom")
    editing.update_task(user, tom.pk, {"assignee": "Tom Baker", "due_date": date(2026, 1, 2)})
    job = _reread(user, job)
    kept = job.tasks.get(pk=tom.pk)
    assert (kept.assignee, kept.due_date) == ("Tom Baker", date(2026, 1, 2))
    assert sorted(kept.edited_fields) == ["assignee", "due_date"]
    assert job.tasks.count() == len(_tasks(job)) == 4


def test_a_corrected_assignee_teaches_the_roster_for_later_scans(user, published):
    from taskocr.server.jobs.services import editing, people

    job = _scanned(user, "teach-1")
    tom = job.tasks.get(assignee="Tom")
    # a name no fuzzy match would reach from "Tom": only the taught misreading can
    editing.update_task(user, tom.pk, {"assignee": "Zoe"})
    assert people.misreading_map(user) == {"tom": "Zoe"}
    later = _scanned(user, "teach-2")
    assert later.people == ["Zoe"]  # the roster is used when the upload names nobody
    assert "Zoe" in list(later.tasks.values_list("assignee", flat=True))
    # a second correction of the same task teaches nothing more (it is the person's now)
    editing.update_task(user, tom.pk, {"assignee": "Ana"})
    assert people.misreading_map(user) == {"tom": "Zoe"}
    person = people.roster_of(user).get(name="Zoe")
    people.remove_misreading(user, person.pk, "TOM")
    assert people.misreading_map(user) == {}
    assert "Tom" in list(_scanned(user, "teach-3").tasks.values_list("assignee", flat=True))


def test_roster_names_are_cleaned_and_unique(user, django_db):
    from taskocr.errors import InputError
    from taskocr.server.jobs.services import people

    ana = people.add_person(user, "  Ana   Lima ", ["Ama", "ana lima", "Ama", ""])
    assert (ana.name, ana.misreadings) == ("Ana Lima", ["Ama"])
    with pytest.raises(InputError):
        people.add_person(user, "Ana Lima")
    with pytest.raises(InputError):
        people.add_person(user, "   ")


def test_tasks_across_jobs_filter_and_export(user, published):
    from taskocr.server.jobs.services import editing, exports

    a, b = _scanned(user, "across-1"), _scanned(user, "across-2")
    every = list(editing.tasks_of(user))
    assert len(every) == a.tasks.count() + b.tasks.count() == 8
    assert {t.assignee for t in editing.tasks_of(user, assignee="HASAN")} == {"Hasan"}
    assert all(not t.assignee for t in editing.tasks_of(user, assignee=""))
    assert len(list(editing.tasks_of(user, done=True))) == 2  # "[x] Book the venue" twice
    assert all(t.priority == "low" for t in editing.tasks_of(user, priority="low"))
    dated = list(editing.tasks_of(user, due_after=date(2025, 12, 17), due_before=date(2025, 12, 17)))
    assert len(dated) == 2 and all(t.due_date == date(2025, 12, 17) for t in dated)
    assert list(editing.tasks_of(user, job_id=a.pk)) == list(a.tasks.all())
    ics = exports.export_tasks(every, "ics", "Board", "board").content.decode()
    assert ics.count("BEGIN:VTODO") == 8
    md = exports.export_tasks(every, "md", "Board", "board").content.decode()
    assert md.count("\n- [") == 8


def test_moving_a_task_reorders_the_list(user, published):
    from taskocr.server.jobs.services import editing

    job = _scanned(user, "move")
    names = list(job.tasks.values_list("task_name", flat=True))
    second = job.tasks.get(position_index=1)
    editing.move_task(user, second.pk, -1)
    editing.move_task(user, second.pk, -1)  # at the top already: stays
    assert list(job.tasks.values_list("task_name", flat=True)) == [names[1], names[0], *names[2:]]
    editing.update_task(user, second.pk, {"board_x": 120.5, "board_y": 40})
    second.refresh_from_db()
    assert (second.board_x, second.board_y, second.edited_fields) == (120.5, 40, [])
