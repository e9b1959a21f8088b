"""The API the web app stands on, over real HTTP against real web and worker processes:
tasks across jobs with filters and board places, the per-user roster, and re-reads that
keep a person's edits and take engine, people and date_order."""

from __future__ import annotations

from stack import photo


def _scanned(stack, token, tag, **fields) -> dict:
    resp = stack.upload(token, photo(tag), **fields)
    assert resp.status_code in (200, 202), resp.text
    job = stack.wait_done(token, resp.json()["transaction_id"])
    assert job["status"] == "completed", job
    return job


def test_tasks_across_jobs_filter_and_keep_board_places(stack):
    alice = stack.client(stack.alice)
    a = _scanned(stack, stack.alice, "tasks-a")
    _scanned(stack, stack.alice, "tasks-b")
    url = f"{stack.url}/api/tasks/"
    every = alice.get(url, params={"job": a["transaction_id"]}).json()
    assert every["count"] == len(a["extracted_tasks"]) and every["count"] >= 4
    one = every["results"][0]
    assert one["job"] == a["transaction_id"] and one["board_x"] is None and one["source"] == "ocr"

    hasan = alice.get(url, params={"assignee": "hasan"}).json()["results"]
    assert hasan and {t["assignee"] for t in hasan} == {"Hasan"}
    assert all(t["done"] for t in alice.get(url, params={"done": "true"}).json()["results"])
    assert all(not t["assignee"] for t in alice.get(url, params={"assignee": "none"}).json()["results"])
    due = alice.get(url, params={"due_after": "2025-12-17", "due_before": "2025-12-17"}).json()["results"]
    assert due and {t["due_date"] for t in due} == {"2025-12-17"}
    assert {t["priority"] for t in alice.get(url, params={"priority": "low"}).json()["results"]} == {"low"}
    bad = alice.get(url, params={"due_before": "someday", "priority": "meh"})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"due_before", "priority"}

    moved = alice.patch(f"{url}{one['id']}/", json={"board_x": 310.5, "board_y": 42})
    assert moved.status_code == 200 and (moved.json()["board_x"], moved.json()["board_y"]) == (310.5, 42)
    assert moved.json()["edited_fields"] == []  # a place on the board is not a correction
    assert alice.get(f"{url}{one['id']}/").json()["board_x"] == 310.5
    assert alice.patch(f"{url}{one['id']}/", json={"board_x": -5}).status_code == 400
    # nobody else sees or moves them
    bob = stack.client(stack.bob)
    assert bob.get(url, params={"job": a["transaction_id"]}).json()["count"] == 0
    assert bob.patch(f"{url}{one['id']}/", json={"board_x": 1}).status_code == 404

    ics = alice.get(f"{url}export/", params={"format": "ics", "assignee": "Hasan"})
    assert ics.status_code == 200 and ics.content.count(b"BEGIN:VTODO") == len(hasan)


def test_people_are_per_user_and_used_on_uploads(stack):
    url = f"{stack.url}/api/people/"
    alice, bob = stack.client(stack.alice), stack.client(stack.bob)
    made = alice.post(url, json={"name": "Hasan Kaya", "misreadings": ["Hasn K"]})
    assert made.status_code == 201, made.text
    assert alice.post(url, json={"name": "Hasan Kaya"}).json()["error"]["code"] == "duplicate_name"
    assert alice.post(url, json={"name": "  "}).status_code == 400
    assert [p["name"] for p in alice.get(url).json()] == ["Hasan Kaya"]
    assert bob.get(url).json() == []
    pid = made.json()["id"]
    assert bob.delete(f"{url}{pid}/").status_code == 404
    job = _scanned(stack, stack.alice, "people-roster")
    assert job["people"] == ["Hasan Kaya"]  # the roster, as the upload named nobody
    named = _scanned(stack, stack.alice, "people-named", people="Ana, Tom")
    assert named["people"] == ["Ana", "Tom"]
    patched = alice.patch(f"{url}{pid}/", json={"misreadings": []})
    assert patched.json()["misreadings"] == []
    assert alice.delete(f"{url}{pid}/").status_code == 204 and alice.get(url).json() == []


def test_retry_keeps_edits_and_takes_engine_people_and_date_order(stack):
    alice = stack.client(stack.alice)
    job = _scanned(stack, stack.alice, "retry-keeps")
    jid = job["transaction_id"]
    first, tom = job["extracted_tasks"][0], next(t for t in job["extracted_tasks"] if t["assignee"] == "Tom")
    assert alice.patch(f"{stack.url}/api/tasks/{first['id']}/", json={"task_name": "Budget sign-off"}).ok
    taught = alice.patch(f"{stack.url}/api/tasks/{tom['id']}/", json={"assignee": "Zoe"}).json()
    assert taught["edited_fields"] == ["assignee"]
    added = alice.post(f"{stack.url}/api/jobs/{jid}/tasks/", json={"task_name": "Water the plants"})
    assert added.status_code == 201

    bad = alice.post(f"{stack.url}/api/jobs/{jid}/retry/", json={"date_order": "ymd"})
    assert bad.status_code == 400 and "date_order" in bad.json()["error"]["fields"]
    again = alice.post(f"{stack.url}/api/jobs/{jid}/retry/",
                       json={"engine": "mock", "people": ["Hasan", "Ana"], "date_order": "mdy"})
    assert again.status_code == 202, again.text
    assert again.json()["people"] == ["Hasan", "Ana"]
    done = stack.wait_done(stack.alice, jid)
    tasks = {t["id"]: t for t in done["extracted_tasks"]}
    assert tasks[first["id"]]["task_name"] == "Budget sign-off"
    assert tasks[tom["id"]]["assignee"] == "Zoe"
    assert any(t["task_name"] == "Water the plants" for t in tasks.values())
    assert len(tasks) == len(job["extracted_tasks"]) + 1
    # the correction taught alice's roster; bob's stays empty
    roster = alice.get(f"{stack.url}/api/people/").json()
    assert {p["name"]: p["misreadings"] for p in roster}["Zoe"] == ["Tom"]
    assert stack.client(stack.bob).get(f"{stack.url}/api/people/").json() == []
    # a comma-separated string works too; an empty list means "my roster as it is now"
    assert alice.post(f"{stack.url}/api/jobs/{jid}/retry/", json={"people": ""}).json()["people"] == ["Zoe"]
    for person in roster:  # leave alice's roster empty for the other tests of this stack
        assert alice.delete(f"{stack.url}/api/people/{person['id']}/").status_code == 204
