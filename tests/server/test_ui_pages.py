"""The web app's pages in-process: sign-in needed, CSRF on every form, user text escaped,
doubtful readings marked. (The browser tests drive the same pages in chromium.)"""

from __future__ import annotations

import re

import pytest

from stack import photo


@pytest.fixture
def published(django_db, monkeypatch):
    from taskocr.server.jobs.services import messaging

    monkeypatch.setattr(messaging, "publish", lambda *a, **kw: None)


@pytest.fixture
def browser(user):
    from django.test import Client

    c = Client(enforce_csrf_checks=True, SERVER_NAME="localhost")
    c.force_login(user)
    return c


def _job(user):
    from taskocr.server.jobs.services import runner
    from taskocr.server.jobs.services.intake import UploadOptions, submit_upload

    job, _ = submit_upload(user, photo(f"ui-{user.pk}"), "list.jpg", UploadOptions())
    assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.COMPLETED
    return job


def _token(resp) -> str:
    """The token the page hands its scripts and htmx (body data-csrf)."""
    return re.search(r'data-csrf="([^"]+)"', resp.content.decode()).group(1)


def test_pages_need_a_sign_in(django_db):
    from django.test import Client

    anon = Client(SERVER_NAME="localhost")
    for path in ("/capture/", "/jobs/", "/board/", "/people/"):
        resp = anon.get(path)
        assert resp.status_code == 302 and resp["Location"].startswith(f"/signin/?next={path}")
    assert anon.get("/").status_code == 302 and anon.get("/")["Location"] == "/signin/"
    assert anon.get("/signin/").status_code == 200


def test_every_form_needs_the_csrf_token(user, browser, published):
    job = _job(user)
    task = job.tasks.first()
    posts = [
        (f"/tasks/{task.pk}/edit/", {"task_name": "x"}), (f"/tasks/{task.pk}/delete/", {}),
        (f"/tasks/{task.pk}/move/", {"direction": "up"}), (f"/tasks/{task.pk}/done/", {"done": "on"}),
        (f"/jobs/{job.pk}/tasks/add/", {"task_name": "x"}), (f"/jobs/{job.pk}/reread/", {}),
        (f"/jobs/{job.pk}/delete/", {}), ("/people/", {"name": "Ana"}), ("/signout/", {}),
    ]
    for path, data in posts:
        assert browser.post(path, data).status_code == 403, path
    task.refresh_from_db()
    assert task.task_name != "x" and not task.done
    # with the token the page carries, the same edit goes through
    page = browser.get(f"/jobs/{job.pk}/")
    token = _token(page)
    assert f'"X-CSRFToken": "{token}"' in page.content.decode()
    resp = browser.post(f"/tasks/{task.pk}/edit/", {"task_name": "Renamed"}, HTTP_X_CSRFTOKEN=token)
    assert resp.status_code == 200 and b"Saved" in resp.content
    task.refresh_from_db()
    assert task.task_name == "Renamed" and task.edited_fields == ["task_name"]


def test_user_text_is_escaped_everywhere(user, browser, published):
    from taskocr.server.jobs.services import editing, people

    job = _job(user)
    evil = '<script>alert("x")</script>'
    task = job.tasks.first()
    editing.update_task(user, task.pk, {"task_name": evil, "description": evil, "assignee": evil})
    people.add_person(user, "Mal" + evil, [evil])  # (the assignee edit added one already)
    for path in (f"/jobs/{job.pk}/", "/board/", "/people/", "/board/?view=list"):
        html = browser.get(path).content.decode()
        assert evil not in html, path
        assert "&lt;script&gt;" in html, path


def test_doubtful_readings_are_marked_until_a_person_edits_them(user, browser, published):
    from taskocr.server.jobs.services import editing, people

    job = _job(user)
    people.add_person(user, "Hasan")
    shaky = job.tasks.get(task_name__startswith="Book the venue")
    type(shaky).objects.filter(pk=shaky.pk).update(confidence_score=0.41)
    html = browser.get(f"/jobs/{job.pk}/").content.decode()
    assert 'class="task low"' in html.replace(" is-done", "") and "check · 0.41" in html
    strangers = [t.assignee for t in job.tasks.all() if t.assignee and t.assignee != "Hasan"]
    assert strangers and html.count("not on your roster") == len(strangers)  # Hasan is on it
    assert html.count('class="box low"') == 1
    editing.update_task(user, shaky.pk, {"task_name": "Book the venue for May"})
    html = browser.get(f"/jobs/{job.pk}/").content.decode()
    assert "check · 0.41" not in html and 'class="box low"' not in html


def test_a_photo_read_as_running_text_says_why_it_has_no_tasks(user, browser, published):
    from taskocr.server.jobs.models import Job

    job = _job(user)
    html = browser.get(f"/jobs/{job.pk}/").content.decode()
    assert "running text" not in html and 'id="no-tasks"' not in html
    job.tasks.all().delete()
    Job.objects.filter(pk=job.pk).update(result={**Job.objects.get(pk=job.pk).result, "page_kind": "text"})
    html = browser.get(f"/jobs/{job.pk}/").content.decode()
    assert 'id="no-tasks"' in html and "It reads as running text" in html


def test_refused_input_gets_a_message_not_a_crash(user, browser, published):
    job = _job(user)
    token = _token(browser.get("/people/"))
    resp = browser.post(f"/jobs/{job.pk}/reread/", {"engine": "nope"}, HTTP_X_CSRFTOKEN=token)
    assert resp.status_code == 400 and b"Select a valid choice" in resp.content
    resp = browser.post("/people/", {"name": " "}, HTTP_X_CSRFTOKEN=token)
    assert resp.status_code == 400
    task = job.tasks.first()
    resp = browser.post(f"/tasks/{task.pk}/edit/", {"task_name": "  "}, HTTP_X_CSRFTOKEN=token)
    assert b"A task needs a title." in resp.content
    resp = browser.post(f"/tasks/{task.pk}/edit/", {"due_date": "31/02/2026"}, HTTP_X_CSRFTOKEN=token)
    assert b"Enter a valid date." in resp.content
    resp = browser.post(f"/jobs/{job.pk}/reread/", {"engine": "mock"}, HTTP_X_CSRFTOKEN=token)
    assert resp.status_code == 302
    again = browser.post(f"/jobs/{job.pk}/reread/", {"engine": "mock"}, HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 409 and b"retry it once it has finished" in again.content


def test_the_jobs_list_follows_running_jobs_until_they_finish(user, browser, published):
    from taskocr.server.jobs.services import runner
    from taskocr.server.jobs.services.intake import UploadOptions, submit_upload

    job, _ = submit_upload(user, photo(f"ui-running-{user.pk}"), "later.jpg", UploadOptions())
    html = browser.get("/jobs/").content.decode()
    assert "later.jpg" in html and 'hx-trigger="every 2s"' in html and "pending" in html
    assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.COMPLETED
    html = browser.get("/jobs/").content.decode()
    assert 'hx-trigger="every 2s"' not in html and "completed" in html and "4 tasks" in html


def test_photos_the_browser_cannot_show_are_converted(user, browser, published):
    import io

    from PIL import Image

    from support import render_list
    from taskocr.server.jobs.services.intake import UploadOptions, submit_upload

    tiff = render_list(size=(1200, 900), fmt="TIFF")
    job, _ = submit_upload(user, tiff, "scan.tiff", UploadOptions())
    shown = browser.get(f"/jobs/{job.pk}/photo/")
    assert shown["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(shown.content)).size == (1200, 900)
    thumb = browser.get(f"/jobs/{job.pk}/thumb/")
    assert thumb["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.content)).size == (240, 180)
    jpeg, _ = submit_upload(user, render_list(size=(1200, 901)), "list.jpg", UploadOptions())
    original = browser.get(f"/jobs/{jpeg.pk}/photo/")  # a JPEG goes out as it came in
    assert original["Content-Type"] == "image/jpeg"
    assert b"".join(original.streaming_content) == render_list(size=(1200, 901))
    from django.test import Client

    from taskocr.server.accounts.services import create_user

    stranger = Client(SERVER_NAME="localhost")
    stranger.force_login(create_user(f"s-{user.pk}"))
    for path in (f"/jobs/{job.pk}/photo/", f"/jobs/{job.pk}/thumb/", f"/jobs/{job.pk}/"):
        assert stranger.get(path).status_code == 404, path  # another user's job is not there
