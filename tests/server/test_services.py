"""The services layer in-process, on PostgreSQL: claims, idempotent results, re-queue rules,
retention, exports, sign-in links and webhook signatures."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

import taskocr
from stack import photo


@pytest.fixture
def published(django_db, monkeypatch):
    """Capture what would go to the broker instead of sending it."""
    from taskocr.server.jobs.services import messaging

    sent: list = []
    monkeypatch.setattr(messaging, "publish", lambda name, args, **kw: sent.append((name, args, kw)))
    return sent


def _upload(user, tag, **opts):
    from taskocr.server.jobs.services.intake import UploadOptions, submit_upload

    return submit_upload(user, photo(tag), "list.jpg", UploadOptions(**opts))


def test_upload_stores_image_then_queues_on_commit(user, published):
    from taskocr.server.jobs.services import storage

    job, created = _upload(user, "intake")
    assert created and job.status == "pending" and job.enqueued_at is not None
    assert storage.load(job.image) == photo("intake")
    assert published == [("taskocr.run_scan", (str(job.pk),), {"task_id": job.task_id})]
    again, created = _upload(user, "intake")
    assert not created and again.pk == job.pk and len(published) == 1


def test_scan_options_come_from_the_upload(user, published):
    from taskocr.config import DateOrder
    from taskocr.server.jobs.services import runner

    job, _ = _upload(user, "options", engine="tesseract", people=("Zoe", "Ana"), date_order="mdy")
    opts = runner._options(job)
    assert (opts.engine, opts.people, opts.date_order) == ("tesseract", ("Zoe", "Ana"), DateOrder.MDY)
    plain, _ = _upload(user, "options-default")
    assert runner._options(plain).engine is None and runner._options(plain).people is None


def test_an_upload_whose_row_fails_leaves_no_image(user, monkeypatch):
    from django.core.files.storage import default_storage

    from taskocr.server.jobs.models import Job

    def boom(self, *a, **kw):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Job, "save", boom)
    def images():
        folder = f"images/{user.pk}"
        return set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()

    before = images()
    with pytest.raises(RuntimeError):
        _upload(user, "orphan")
    assert images() == before


def test_failed_publish_leaves_job_pending_and_unsent(user, monkeypatch):
    from taskocr.server.jobs.services import messaging

    def down(*a, **kw):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(messaging, "publish", down)
    job, _ = _upload(user, "no-broker")
    job.refresh_from_db()
    assert job.status == "pending" and job.enqueued_at is None


def test_running_a_job_twice_replaces_its_ocr_tasks(user, published):
    from taskocr.server.jobs.models import ExtractedTask, Job
    from taskocr.server.jobs.services import editing, runner

    job, _ = _upload(user, "twice")
    assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.COMPLETED
    first = list(ExtractedTask.objects.filter(job=job).values_list("task_name", flat=True))
    assert len(first) >= 3
    row = ExtractedTask.objects.filter(job=job, task_name="Get approval").get()  # the API's names
    assert (row.assignee, row.due_date.isoformat(), row.bbox_width > 0) == ("Hasan", "2025-12-17", True)
    stored = Job.objects.get(pk=job.pk).result  # says what produced it
    assert (stored["model"], stored["model_version"]) == ("fixed-list", taskocr.__version__)
    assert stored["extractor_version"].startswith(taskocr.__version__ + "+")
    assert stored["page_kind"] == "list"
    editing.add_task(user, job.pk, {"task_name": "by hand"})
    # the same message delivered again after completion is a no-op
    assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.SKIPPED
    # a real re-run (retry) replaces the OCR tasks and keeps the manual one, last
    Job.objects.filter(pk=job.pk).update(status="pending")
    assert runner.run_job(job.pk, "second-message").outcome == runner.Outcome.COMPLETED
    names = list(ExtractedTask.objects.filter(job=job).values_list("task_name", flat=True))
    assert names == first + ["by hand"]
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_claim_belongs_to_one_message(user, published):
    from django.utils import timezone

    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import runner, transitions

    job, _ = _upload(user, "claim")
    assert transitions.claim(job.pk, "A") is not None
    assert transitions.claim(job.pk, "B") is None  # a duplicate message while A runs
    assert transitions.claim(job.pk, "A") is not None  # A redelivered after its worker died
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert transitions.claim(job.pk, "B") is not None  # A's lease ran out: B takes over
    # A wakes up and tries to save: its result is discarded, B's stands
    from taskocr.pipeline import ScanOptions

    result = runner.pipeline().scan(photo("claim"), ScanOptions(engine="mock"))
    assert transitions.complete(job.pk, "A", result, 1.0) is False
    assert transitions.complete(job.pk, "B", result, 1.0) is True


def test_transient_failures_back_off_then_give_up(user, published, monkeypatch):
    from django.conf import settings

    from taskocr.errors import EngineError
    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import runner

    class Down:
        def scan(self, data, options):
            raise EngineError("dots", "connection refused", transient=True)

    monkeypatch.setattr(runner, "pipeline", lambda: Down())
    job, _ = _upload(user, "backoff")
    delays = []
    for _ in range(settings.TASKOCR["MAX_ATTEMPTS"]):
        res = runner.run_job(job.pk, job.task_id)
        delays.append(res.delay)
    assert res.outcome == runner.Outcome.FAILED
    assert delays[:-1] == sorted(delays[:-1]) and delays[0] < delays[-2]  # growing backoff
    job = Job.objects.get(pk=job.pk)
    assert job.status == "failed" and "gave up after" in job.error_message


def test_a_crashing_pipeline_fails_the_job_at_once(user, published, monkeypatch):
    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import runner

    class Buggy:
        def scan(self, data, options):
            raise KeyError("bbox")

    monkeypatch.setattr(runner, "pipeline", lambda: Buggy())
    job, _ = _upload(user, "crash")
    assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.FAILED
    job = Job.objects.get(pk=job.pk)
    assert job.status == "failed" and job.error_code == "internal_error" and "KeyError" in job.error_message


def test_requeue_rules(user, published, monkeypatch):
    from django.utils import timezone

    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import messaging, recovery

    monkeypatch.setattr(messaging, "queue_depth", lambda: 0)
    now = timezone.now()
    never_sent, _ = _upload(user, "rq-never")
    old, _ = _upload(user, "rq-old")
    fresh, _ = _upload(user, "rq-fresh")
    stale, _ = _upload(user, "rq-stale")
    poison, _ = _upload(user, "rq-poison")
    Job.objects.filter(pk=never_sent.pk).update(enqueued_at=None)
    Job.objects.filter(pk=old.pk).update(enqueued_at=now - timedelta(hours=1))
    Job.objects.filter(pk=stale.pk).update(status="processing", lease_until=now - timedelta(seconds=5), attempts=1)
    Job.objects.filter(pk=poison.pk).update(status="processing", lease_until=now - timedelta(seconds=5), attempts=99)
    published.clear()

    mine = {str(j.pk) for j in (never_sent, old, fresh, stale, poison)}
    sent = set(recovery.requeue_lost_jobs()) & mine  # other tests' leftovers share the database
    assert sent == {str(never_sent.pk), str(old.pk), str(stale.pk)}
    assert {args[0] for _, args, _ in published} & mine == sent
    assert Job.objects.get(pk=stale.pk).status == "pending"
    assert Job.objects.get(pk=poison.pk).status == "failed"
    # while a backlog drains, old pending jobs are waiting their turn, not lost
    monkeypatch.setattr(messaging, "queue_depth", lambda: 7)
    Job.objects.filter(pk=old.pk).update(enqueued_at=now - timedelta(hours=1))
    assert str(old.pk) not in recovery.requeue_lost_jobs()


def test_embedded_jobs_of_a_dead_worker_process_are_requeued_at_once(user, published, monkeypatch):
    import subprocess
    import sys

    from django.conf import settings

    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import liveness, messaging, recovery, transitions

    monkeypatch.setattr(settings, "EMBEDDED_BROKER", True)
    monkeypatch.setattr(messaging, "queue_depth", lambda: 0)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_name = f"{liveness.process_name().rsplit(':', 1)[0]}:{int(dead.stdout)}"
    orphan, _ = _upload(user, "orphan-dead")
    alive, _ = _upload(user, "orphan-alive")
    for job, name in ((orphan, dead_name), (alive, liveness.process_name())):
        assert transitions.claim(job.pk, f"t-{job.pk}") is not None  # processing, lease still valid
        Job.objects.filter(pk=job.pk).update(worker=name)
    sent = set(recovery.requeue_lost_jobs())
    assert str(orphan.pk) in sent and str(alive.pk) not in sent
    assert Job.objects.get(pk=orphan.pk).status == "pending"
    monkeypatch.setattr(settings, "EMBEDDED_BROKER", False)  # brokers that redeliver: lease only
    assert transitions.claim(orphan.pk, "again") is not None
    Job.objects.filter(pk=orphan.pk).update(worker=dead_name)
    assert str(orphan.pk) not in recovery.requeue_lost_jobs()


def test_retention_removes_old_jobs_and_images(user, published, monkeypatch):
    from django.conf import settings
    from django.utils import timezone

    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import maintenance, storage

    monkeypatch.setitem(settings.TASKOCR, "RETENTION_DAYS", 30)
    old, _ = _upload(user, "ret-old")
    new, _ = _upload(user, "ret-new")
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert maintenance.apply_retention() >= 1
    assert not Job.objects.filter(pk=old.pk).exists() and Job.objects.filter(pk=new.pk).exists()
    with pytest.raises(FileNotFoundError):
        storage.load(old.image)


def test_ics_and_markdown_exports(user, published):
    from datetime import date

    from icalendar import Calendar

    from taskocr.server.jobs.services import editing, exports

    job, _ = _upload(user, "export")
    rent = {"task_name": "Pay rent [urgent]", "due_date": date(2031, 2, 1), "priority": "urgent"}
    editing.add_task(user, job.pk, rent)
    editing.add_task(user, job.pk, {"task_name": "Old thing", "done": True, "priority": "low"})
    cal = Calendar.from_ical(exports.export(job, "ics").content)
    todos = {str(t["SUMMARY"]): t for t in cal.walk("VTODO")}
    assert todos["Pay rent [urgent]"].decoded("DUE") == date(2031, 2, 1)
    assert int(todos["Pay rent [urgent]"]["PRIORITY"]) == 1 and str(todos["Old thing"]["STATUS"]) == "COMPLETED"
    assert int(todos["Old thing"]["PRIORITY"]) == 9 and "DUE" not in todos["Old thing"]
    md = exports.export(job, "md").content.decode()
    assert "- [ ] Pay rent \\[urgent\\] (due 2031-02-01, priority urgent)" in md
    assert "- [x] Old thing (priority low)" in md


def test_signin_link_works_once_and_expires(django_db):
    from taskocr.server.accounts import services

    local = services.local_user()
    assert local.is_staff and local == services.local_user()
    raw = services.issue_signin_link(local)
    assert services.redeem_signin_link(raw) == local
    assert services.redeem_signin_link(raw) is None
    expired = services.issue_signin_link(local, ttl_s=-1)
    assert services.redeem_signin_link(expired) is None
    assert services.redeem_signin_link("made-up") is None


def test_webhook_signature_roundtrip():
    from taskocr.server.jobs.services.webhooks import sign, verify

    sig = sign("s3cret", "1700000000", b'{"a":1}')
    assert verify("s3cret", "1700000000", b'{"a":1}', sig)
    assert not verify("s3cret", "1700000001", b'{"a":1}', sig)
    assert not verify("other", "1700000000", b'{"a":1}', sig)


@pytest.mark.parametrize(
    "head,ext",
    [(b"\xff\xd8\xff\xe0", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"RIFF\0\0\0\0WEBPVP8 ", "webp"),
     (b"\0\0\0\x18ftypheic", "heic"), (b"II*\0", "tiff"), (b"%PDF-1.7", "pdf")],
)
def test_sniff_accepts_image_types(head, ext):
    from taskocr.server.jobs.services.storage import sniff

    assert sniff(head + b"\0" * 32)[0] == ext


def test_sniff_refuses_other_files():
    from taskocr.errors import UnsupportedFormat
    from taskocr.server.jobs.services.storage import sniff

    with pytest.raises(UnsupportedFormat):
        sniff(b"#!/bin/sh\necho hi\n")


def test_unknown_engine_is_an_input_error(django_db):
    from taskocr.errors import InputError
    from taskocr.server.jobs.services.intake import check_engine

    assert check_engine("AUTO") == "" and check_engine("mock") == "mock"
    with pytest.raises(InputError):
        check_engine(f"x{uuid.uuid4().hex[:4]}")


def test_a_finished_job_announces_itself_and_webhooks_listen(user, published, monkeypatch):
    from django.conf import settings

    from taskocr.server.jobs.services import messaging, runner
    from taskocr.server.jobs.services.events import job_finished

    heard = []

    def listener(sender, job_id, status, **kw):
        heard.append((str(job_id), status))

    monkeypatch.setitem(settings.TASKOCR, "WEBHOOK_ALLOW_PRIVATE", True)  # nothing is sent: publish is captured
    job_finished.connect(listener)
    try:
        hooked, _ = _upload(user, "hooked", callback_url="http://127.0.0.1:9/hook")
        quiet, _ = _upload(user, "quiet")
        published.clear()
        for job in (hooked, quiet):
            assert runner.run_job(job.pk, job.task_id).outcome == runner.Outcome.COMPLETED
    finally:
        job_finished.disconnect(listener)
    assert heard == [(str(hooked.pk), "completed"), (str(quiet.pk), "completed")]
    # the webhooks module subscribed at start-up: only the job with a callback gets one
    assert published == [(messaging.SEND_WEBHOOK, (str(hooked.pk),), {})]
