"""Webhook targets in-process: every spelling of a private address, names that resolve to
one (or rebind to one after the upload), and the per-user limits. Name resolution is
replaced by a table here (no lookups leave the machine); addresses that are refused are
never connected to."""

from __future__ import annotations

import pytest

from stack import photo

PUBLIC = "93.184.215.14"


@pytest.fixture
def dns(django_db, monkeypatch):
    from taskocr.server.jobs.services import callback_urls

    table: dict[str, list[str]] = {}

    def resolve(host, port):
        import ipaddress

        if host not in table:
            raise OSError(f"{host}: name not known")
        return [ipaddress.ip_address(a) for a in table[host]]

    monkeypatch.setattr(callback_urls, "_resolve", resolve)
    return table


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://0177.0.0.01/", "http://127.1/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a00:1]/", "http://[2002:7f00:1::]/",
    "http://[64:ff9b::a9fe:a9fe]/", "http://169.254.169.254/", "http://[fe80::1%25eth0]/", "http://[ff02::1]/",
    "http://0/", "http://localhost./", "http://LOCALHOST/", "ftp://example.org/", "http://user:pw@example.org/",
])
def test_refused_at_upload(dns, url):
    from taskocr.server.jobs.services.callback_urls import UnsafeCallback, check

    with pytest.raises(UnsafeCallback):
        check(url)


def test_names_are_checked_by_what_they_resolve_to(dns):
    from taskocr.server.jobs.services.callback_urls import UnsafeCallback, check, target

    dns["hooks.example.org"] = [PUBLIC]
    dns["inside.example.org"] = [PUBLIC, "10.1.2.3"]  # one private address is enough
    assert check("https://hooks.example.org/x?y=1") == "https://hooks.example.org/x?y=1"
    assert check("https://not-yet.example.org/x")  # unresolvable now: decided before sending
    with pytest.raises(UnsafeCallback):
        check("https://inside.example.org/")
    t = target("https://hooks.example.org:8443/x?y=1")
    assert (t.address, t.host, t.port, t.path) == (PUBLIC, "hooks.example.org", 8443, "/x?y=1")


def test_a_name_that_rebinds_after_upload_is_refused_at_send_time(dns, user, monkeypatch):
    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import messaging, webhooks
    from taskocr.server.jobs.services.intake import UploadOptions, submit_upload

    monkeypatch.setattr(messaging, "publish", lambda *a, **kw: None)
    posts = []
    monkeypatch.setattr(webhooks, "_post", lambda *a: posts.append(a) or 200)
    dns["rebind.example.org"] = [PUBLIC]
    job, _ = submit_upload(user, photo("rebind"), "l.jpg", UploadOptions(callback_url="http://rebind.example.org/h"))
    dns["rebind.example.org"] = ["127.0.0.1"]
    assert webhooks.deliver(job.pk) is None  # refused, and not worth retrying
    assert posts == [] and Job.objects.get(pk=job.pk).webhook_status == "refused"
    dns["rebind.example.org"] = [PUBLIC]
    assert webhooks.deliver(job.pk) is True
    assert posts[0][0].address == PUBLIC  # the connection goes to the address that was checked


def test_allow_private_lets_an_operator_use_internal_hooks(dns, monkeypatch):
    from django.conf import settings

    from taskocr.server.jobs.services.callback_urls import check, target

    monkeypatch.setitem(settings.TASKOCR, "WEBHOOK_ALLOW_PRIVATE", True)
    assert check("http://10.0.0.7/hook") and target("http://127.0.0.1:9000/h").address == "127.0.0.1"


def _api(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient(SERVER_NAME="127.0.0.1")  # one of the default ALLOWED_HOSTS
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _upload(client, tag):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/api/upload/", {"image": SimpleUploadedFile("l.jpg", photo(tag), "image/jpeg")}, format="multipart")


def test_uploads_past_the_rate_get_429_with_retry_after(user, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    from taskocr.server.jobs.services import messaging

    monkeypatch.setattr(messaging, "publish", lambda *a, **kw: None)
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "uploads": "3/min"})
    cache.clear()
    client = _api(user)
    codes = [_upload(client, f"rate-{i}").status_code for i in range(3)]
    refused = _upload(client, "rate-4")
    assert codes == [202, 202, 202] and refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled" and 0 < int(refused["Retry-After"]) <= 60


def test_a_user_with_too_many_queued_jobs_gets_429(user, monkeypatch):
    from django.conf import settings
    from django.core.files.storage import default_storage

    from taskocr.server.jobs.models import Job
    from taskocr.server.jobs.services import messaging

    monkeypatch.setattr(messaging, "publish", lambda *a, **kw: None)
    monkeypatch.setitem(settings.TASKOCR, "MAX_QUEUED_PER_USER", 2)
    client = _api(user)
    assert [_upload(client, f"queued-{i}").status_code for i in range(2)] == [202, 202]
    refused = _upload(client, "queued-3")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_queued_jobs"
    assert int(refused["Retry-After"]) > 0
    assert Job.objects.filter(owner=user).count() == 2
    assert len(default_storage.listdir(f"images/{user.pk}")[1]) == 2  # the refused image was never stored
