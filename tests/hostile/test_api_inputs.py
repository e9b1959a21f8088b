"""Hostile and broken uploads and requests against a running service. Every case ends in a
JSON 4xx with a code, or a job that completes (or fails cleanly); the server stays up and
nothing half-written is left behind (the ``intact`` fixture checks after each case).
docs/security.md lists the same cases and answers."""

from __future__ import annotations

import select
import socket
import uuid
from urllib.parse import urlsplit

import pytest
import requests

import samples

SSRF = {  # callback_url spellings that all reach this machine or a private network
    "loopback": "http://127.0.0.1:8000/hook",
    "localhost": "http://localhost/hook",
    "ipv6-loopback": "http://[::1]/hook",
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "private-10": "http://10.0.0.1/hook",
    "private-192": "https://192.168.1.1/hook",
    "private-172": "http://172.16.5.4/hook",
    "decimal": "http://2130706433/hook",
    "hex": "http://0x7f000001/hook",
    "octal": "http://0177.0.0.1/hook",
    "short": "http://127.1/hook",
    "mapped-ipv6": "http://[::ffff:127.0.0.1]/hook",
    "mapped-ipv6-hex": "http://[::ffff:7f00:1]/hook",
    "link-local-ipv6": "http://[fe80::1]/hook",
    "unique-local-ipv6": "http://[fd00::1]/hook",
    "multicast": "http://224.0.0.1/hook",
    "unspecified": "http://0.0.0.0/hook",
    "shared-cgnat": "http://100.64.0.1/hook",
    "reserved": "http://240.0.0.1/hook",
    "sub-localhost": "http://api.localhost/hook",
}

UPLOAD_ERRORS = {  # name: (bytes, filename, status, code)
    "zero-bytes": (b"", "list.jpg", 400, {"empty_file", "invalid"}),
    "text-as-jpg": (samples.TEXT, "list.jpg", 415, {"unsupported_format"}),
    "html-as-jpg": (samples.HTML, "list.jpg", 415, {"unsupported_format"}),
    "svg-as-jpg": (samples.SVG, "list.jpg", 415, {"unsupported_format"}),
    "zip-as-jpg": (samples.zip_file(), "list.jpg", 415, {"unsupported_format"}),
    "png-bomb": (samples.png_bomb(), "bomb.png", 413, {"image_too_large"}),
    "tiff-bomb": (samples.tiff_bomb(), "bomb.tif", 413, {"image_too_large"}),
    "gif-bomb": (samples.gif_bomb(), "bomb.gif", 413, {"image_too_large"}),
    "webp-bomb": (samples.webp_bomb(), "bomb.webp", 413, {"image_too_large"}),
    "encrypted-pdf": (samples.pdf_encrypted(), "list.pdf", 400, {"encrypted_pdf"}),
    "empty-pdf": (samples.pdf_no_pages(), "list.pdf", 400, {"empty_pdf", "corrupt_image"}),
    "heic-without-image": (samples.heic_without_image(), "list.heic", 415, {"unsupported_format", "corrupt_image"}),
    "over-the-limit": (b"\xff\xd8\xff" + b"\0" * (3 * 1024 * 1024 + 10), "big.jpg", 413, {"image_too_large"}),
}

SCANS = {  # name: (bytes, filename, final status)
    "pdf-as-jpg": (lambda: samples.pdf_pages(1), "list.jpg", "completed"),
    "pdf-500-pages": (lambda: samples.pdf_pages(500), "list.pdf", "completed"),
    "cmyk-jpeg": (samples.cmyk_jpeg, "list.jpg", "completed"),
    "png-16-bit": (samples.png16, "list.png", "completed"),
    "png-alpha": (samples.png_alpha, "list.png", "completed"),
    "png-palette": (samples.png_palette, "list.png", "completed"),
    "gif-animated": (samples.gif_animated, "list.gif", "completed"),
    "tiff-multi-page": (samples.tiff_pages, "list.tif", "completed"),
    "exif-bad-orientation": (samples.jpeg_bad_orientation, "list.jpg", "completed"),
    "truncated-jpeg": (samples.truncated_jpeg, "list.jpg", "failed"),
}

NAMES = {
    "dot-dot-slash": ("../../etc/passwd.jpg", "passwd.jpg"),
    "nul": ("list\x00.jpg", "list.jpg"),
    "thousand-chars": ("a" * 1000 + ".jpg", None),  # past the multipart part-header limit: refused
    "two-hundred-fifty-chars": ("b" * 250 + ".jpeg", ("b" * 250 + ".jpeg")[:255]),
    "emoji": ("📝 to-do ✅.jpg", "📝 to-do ✅.jpg"),
}


def _code(resp, status: int, codes) -> dict:
    assert resp.status_code == status, resp.text[:500]
    assert resp.headers["Content-Type"].startswith("application/json")
    err = resp.json()["error"]
    assert err["code"] in codes and err["message"]
    return err


def _post_raw(svc, token: str, head: bytes, body_parts) -> tuple[int, bytes, int]:
    """Send a hand-made request; returns (status, body, bytes of body sent before the
    server answered or stopped reading)."""
    u = urlsplit(svc.url)
    sent = 0
    with socket.create_connection((u.hostname, u.port), timeout=10) as sock:
        sock.sendall(head.replace(b"{TOKEN}", token.encode()))
        for part in body_parts:
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered before the body ended
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break  # it stopped reading
            sent += len(part)
        sock.settimeout(30)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and _complete(answer):
                    break
        except ConnectionResetError:
            pass
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1], sent


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


@pytest.mark.parametrize("name", sorted(UPLOAD_ERRORS))
def test_bad_upload_is_refused_before_storing(intact, name):
    data, filename, status, codes = UPLOAD_ERRORS[name]
    _code(intact.upload(intact.alice, data, name=filename), status, codes)


@pytest.mark.parametrize("name", sorted(SCANS))
def test_odd_but_real_image_gets_a_clean_job(intact, name):
    make, filename, final = SCANS[name]
    resp = intact.upload(intact.alice, make(), name=filename)
    assert resp.status_code == 202, resp.text
    job = intact.wait_done(intact.alice, resp.json()["transaction_id"], timeout=120)
    assert job["status"] == final, job
    if final == "failed":
        assert job["error_code"] == "corrupt_image" and job["attempts"] == 1


@pytest.mark.parametrize("name", sorted(SSRF))
def test_callback_url_to_this_machine_or_a_private_network_is_refused(intact, name):
    resp = intact.upload(intact.alice, samples.photo() + uuid.uuid4().bytes, callback_url=SSRF[name])
    err = _code(resp, 400, {"unsafe_callback_url", "invalid"})
    assert "callback_url" in err["fields"]


@pytest.mark.parametrize("name", sorted(NAMES))
def test_odd_filenames_are_kept_as_plain_names(intact, name):
    sent, kept = NAMES[name]
    resp = intact.upload(intact.alice, samples.photo() + uuid.uuid4().bytes, name=sent)
    if kept is None:
        _code(resp, 400, {"parse_error"})
        return
    assert resp.status_code == 202, resp.text
    job = intact.client(intact.alice).get(f"{intact.url}/api/jobs/{resp.json()['transaction_id']}/").json()
    assert job["original_filename"] == kept


def test_missing_image_field(intact):
    err = _code(intact.client(intact.alice).post(intact.url + "/api/upload/", data={"engine": "mock"}), 400, {"invalid"})
    assert "image" in err["fields"]


def test_misnamed_image_field(intact):
    resp = intact.client(intact.alice).post(
        intact.url + "/api/upload/", files={"photo": ("list.jpg", samples.photo(), "image/jpeg")})
    assert "image" in _code(resp, 400, {"invalid"})["fields"]


def test_malformed_multipart(intact):
    body = b"--XYZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff"
    head = (b"POST /api/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {TOKEN}\r\n"
            b"Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body))
    status, answer, _ = _post_raw(intact, intact.alice, head, [body])
    assert status == 400 and b'"code"' in answer


def test_multipart_without_boundary(intact):
    resp = intact.client(intact.alice).post(
        intact.url + "/api/upload/", data=b"image=abc", headers={"Content-Type": "multipart/form-data"})
    _code(resp, 400, {"parse_error", "invalid", "bad_request"})


def _chunked(data: bytes, size: int = 64 * 1024):
    for i in range(0, len(data), size):
        piece = data[i:i + size]
        yield b"%x\r\n" % len(piece) + piece + b"\r\n"
    yield b"0\r\n\r\n"


def _multipart(data: bytes, boundary: bytes = b"hostileboundary") -> tuple[bytes, bytes, bytes]:
    start = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"image\"; filename=\"list.jpg\"\r\n"
             b"Content-Type: image/jpeg\r\n\r\n")
    return start, data, b"\r\n--" + boundary + b"--\r\n"


CHUNKED_HEAD = (b"POST /api/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {TOKEN}\r\n"
                b"Content-Type: multipart/form-data; boundary=hostileboundary\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")


def test_chunked_upload_is_accepted(intact):
    start, data, end = _multipart(samples.photo() + uuid.uuid4().bytes)
    status, answer, _ = _post_raw(intact, intact.alice, CHUNKED_HEAD, _chunked(start + data + end))
    assert status == 202, answer


def test_endless_chunked_upload_is_cut_off_at_the_limit(intact):
    """No Content-Length to refuse it by: the server stops reading soon after the limit
    (3 MB here) instead of taking all 64 MB."""
    start, _, _ = _multipart(b"")

    def body():
        yield b"%x\r\n" % len(start) + start + b"\r\n"
        block = b"\xff\xd8\xff" + b"\0" * (256 * 1024 - 3)
        for _ in range(256):
            yield b"%x\r\n" % len(block) + block + b"\r\n"
        yield b"0\r\n\r\n"

    status, answer, sent = _post_raw(intact, intact.alice, CHUNKED_HEAD, body())
    assert status == 413 and b"image_too_large" in answer
    assert sent < 16 * 1024 * 1024


def test_big_content_length_is_refused_from_the_header(intact):
    head = (b"POST /api/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {TOKEN}\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 60000000\r\nConnection: close\r\n\r\n")
    status, answer, sent = _post_raw(intact, intact.alice, head, [b"--x\r\n" + b"\0" * 65536] * 4)
    assert status == 413 and b"image_too_large" in answer


@pytest.mark.parametrize("path", ["/api/status/not-a-uuid/", "/api/jobs/123/", "/api/jobs/%00/", "/api/tasks/abc/"])
def test_invalid_ids_are_json_404(intact, path):
    _code(intact.client(intact.alice).get(intact.url + path), 404, {"not_found"})


@pytest.fixture(scope="module")
def alices_job(svc):
    resp = svc.upload(svc.alice, samples.photo() + b"alice")
    job = svc.wait_done(svc.alice, resp.json()["transaction_id"])
    return job["transaction_id"], job["extracted_tasks"][0]["id"]


@pytest.fixture(scope="module")
def alices_person(svc):
    resp = svc.client(svc.alice).post(f"{svc.url}/api/people/", json={"name": "Hasan Okafor"})
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


ROUTES = [
    ("get", "/api/status/{job}/"), ("get", "/api/tasks/{task}/"), ("get", "/api/people/{person}/"),
    ("patch", "/api/people/{person}/"), ("delete", "/api/people/{person}/"), ("get", "/api/jobs/{job}/"), ("post", "/api/jobs/{job}/retry/"),
    ("post", "/api/jobs/{job}/tasks/"), ("get", "/api/jobs/{job}/image/"), ("get", "/api/jobs/{job}/export/?format=csv"),
    ("patch", "/api/tasks/{task}/"), ("delete", "/api/tasks/{task}/"), ("delete", "/api/jobs/{job}/"),
]


@pytest.mark.parametrize("method,path", ROUTES)
def test_another_users_ids_are_404_on_every_route(intact, alices_job, alices_person, method, path):
    job, task = alices_job
    url = intact.url + path.format(job=job, task=task, person=alices_person)
    resp = getattr(intact.client(intact.bob), method)(url, json={"task_name": "mine now"})
    _code(resp, 404, {"not_found"})
    assert intact.client(intact.alice).get(f"{intact.url}/api/jobs/{job}/").status_code == 200


def test_another_users_job_filters_to_nothing_in_lists(intact, alices_job):
    job, task = alices_job
    bob = intact.client(intact.bob)
    listed = bob.get(f"{intact.url}/api/tasks/?job={job}")
    assert listed.status_code == 200 and task not in [t["id"] for t in listed.json()["results"]]
    assert job not in bob.get(f"{intact.url}/api/jobs/").text
    exported = bob.get(f"{intact.url}/api/tasks/export/?job={job}&format=json")
    assert exported.status_code == 200 and exported.json()["tasks"] == []


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_in_task_text_is_escaped_in_every_export(intact, alices_job):
    job, task = alices_job
    alice = intact.client(intact.alice)
    assert alice.patch(f"{intact.url}/api/tasks/{task}/", json={"task_name": SCRIPT, "description": "=cmd|' /C calc'!A0"}).ok
    md = alice.get(f"{intact.url}/api/jobs/{job}/export/?format=md").text
    assert "<script>" not in md and "&lt;script&gt;" in md
    csv = alice.get(f"{intact.url}/api/jobs/{job}/export/?format=csv").text
    assert "'=cmd" in csv  # a spreadsheet shows it as text, never runs it
    exported = alice.get(f"{intact.url}/api/jobs/{job}/export/?format=json")
    assert exported.headers["Content-Type"].startswith("application/json") and exported.json()["tasks"]
    ics = alice.get(f"{intact.url}/api/jobs/{job}/export/?format=ics").text
    assert "SUMMARY:<script>alert(\"x\")</script>" in ics.replace("\r\n ", "")  # text in a calendar, not markup
    assert "nosniff" in exported.headers.get("X-Content-Type-Options", "")


@pytest.mark.parametrize("value", ["'; DROP TABLE jobs_job; --", "1 OR 1=1", "\" OR \"\"=\"", "Robert'); DELETE FROM auth_user;--"])
def test_sql_looking_values_are_stored_as_text(intact, alices_job, value):
    job, task = alices_job
    alice = intact.client(intact.alice)
    resp = alice.patch(f"{intact.url}/api/tasks/{task}/", json={"task_name": value, "assignee": value})
    assert resp.status_code == 200 and resp.json()["task_name"] == value
    assert alice.get(f"{intact.url}/api/jobs/{job}/").json()["transaction_id"] == job


@pytest.mark.parametrize("field", ["task_name", "description", "assignee"])
def test_100_kb_values_are_refused(intact, alices_job, field):
    _, task = alices_job
    resp = intact.client(intact.alice).patch(f"{intact.url}/api/tasks/{task}/", json={field: "x" * 100_000})
    assert field in _code(resp, 400, {"invalid"})["fields"]


def test_thousands_of_people_names_are_refused(intact):
    resp = intact.upload(intact.alice, samples.photo() + b"people", people=",".join(f"n{i}" for i in range(5000)))
    _code(resp, 400, {"invalid"})
