"""The web app used as a person would, in chromium at a phone and a desktop size, against a
live `taskocr serve` reading with the mock engine (fixed tasks: Hasan, Ana, Tom)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from playwright.sync_api import expect

from browser_support import SIZES, Shooter, open_context, sign_in
from support import render_list

# every data-state an upload row passes through, in order (recorded by the page itself)
RECORD_STATES = """
new MutationObserver((records) => {
  for (const r of records) {
    const li = r.target;
    if (li.dataset && li.dataset.state) {
      const key = li.querySelector('.name').textContent.split(' ')[0];
      (window.__states[key] = window.__states[key] || []);
      const seen = window.__states[key];
      if (seen[seen.length - 1] !== li.dataset.state) seen.push(li.dataset.state);
    }
  }
}).observe(document.documentElement, {subtree: true, attributes: true, attributeFilter: ['data-state']});
"""
ORDER = ["upload", "queued", "reading", "done"]


def _base(app) -> str:
    return app.field("taskocr is running at")


def _photo(tmp_path, name: str, height: int):
    # a different page height makes a different file (uploads are de-duplicated per user)
    path = tmp_path / name
    path.write_bytes(render_list(size=(1600, height)))
    return path


# each test's photos are its own (a different page height): an upload of the same file
# again would return the earlier job, with whatever that test did to it
HEIGHTS = {"edit": 1100, "board": 1140, "jobs": 1180}


def _upload_and_review(page, base, tmp_path, size: str, test: str):
    """Capture two photos at once (plus two that are refused), watch them finish, open one."""
    page.goto(base + "capture/")
    page.evaluate("window.__states = {}")
    page.evaluate(RECORD_STATES)
    first = _photo(tmp_path, f"list-{test}.jpg", HEIGHTS[test])
    second = _photo(tmp_path, f"second-{test}.jpg", HEIGHTS[test] + 300)
    text = tmp_path / "notes.txt"
    text.write_text("not a photo")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"this is not image data at all")
    page.set_input_files("#file", [str(first), str(second), str(text), str(broken)])
    row = page.locator(".upload", has_text=first.name)
    expect(row).to_have_attribute("data-state", "done")
    expect(row.locator(".state")).to_have_text(re.compile(r"done: 4 tasks \(mock\)"))
    expect(page.locator(".upload", has_text=second.name)).to_have_attribute("data-state", "done")
    refused_text = page.locator(".upload", has_text="notes.txt")
    expect(refused_text.locator(".state")).to_have_text("refused: text/plain is not an image")
    refused_broken = page.locator(".upload", has_text="broken.jpg")
    expect(refused_broken.locator(".state")).to_contain_text("refused: the upload is not an image")
    states = page.evaluate("window.__states")[first.name]
    assert states[0] == "upload" and states[-1] == "done"
    assert [ORDER.index(s) for s in states] == sorted(ORDER.index(s) for s in states), states
    Shooter(size)(page, "capture")
    row.get_by_role("link", name="Review").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    expect(page.locator("li.task")).to_have_count(4)
    return page.url


def test_the_signin_link_lands_in_the_app_signed_in(browser, app):
    base, link = _base(app), app.field("Sign in (the link works once):")
    ctx = open_context(browser, "desktop")
    page = ctx.new_page()
    page.goto(link)
    assert page.url == base + "capture/"
    expect(page.get_by_text("Signed in as")).to_be_visible()
    expect(page.get_by_test_id("username")).to_have_text("local")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "signin/")
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    used = page.goto(link)
    assert used.status == 410
    expect(page.get_by_role("heading", name="This sign-in link cannot be used")).to_be_visible()
    page.goto(base + "board/")  # a page of the app without a session: the sign-in form
    assert page.url.startswith(base + "signin/")
    page.get_by_label("Username").fill("desktop")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    Shooter("desktop")(page, "signin")
    ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_capture_review_edit_and_reread_keeps_the_edit(browser, app, tmp_path, size):
    base = _base(app)
    ctx = open_context(browser, size)
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    sign_in(page, base, size)
    review_url = _upload_and_review(page, base, tmp_path, size, "edit")

    tasks = page.locator("li.task")
    boxes = page.locator("svg rect[data-task]")
    expect(boxes).to_have_count(4)
    first = tasks.nth(0)
    first_id = first.get_attribute("data-task")
    box = page.locator(f'svg rect[data-task="{first_id}"]')
    first.locator("input.title").focus()  # focusing a task lights its box
    expect(box).to_have_class(re.compile(r"\blit\b"))
    if size == "desktop":
        first.locator("input.title").blur()
        expect(box).not_to_have_class(re.compile(r"\blit\b"))
        box.hover()  # and the box lights its task
        expect(first).to_have_class(re.compile(r"\blit\b"))

    # edit: title, due date, priority on the first task; the assignee read as "Tom" -> Zoe
    first.locator("input.title").fill("Get the budget approved")
    first.locator("input.title").press("Tab")
    expect(first.locator(".saved")).to_have_text("Saved")
    first.locator("input[type=date]").fill("2026-12-24")
    first.locator("input[type=date]").press("Tab")
    first.get_by_label("Priority").select_option("urgent")
    tom = tasks.filter(has=page.locator('input[name=assignee][value="Tom"]'))
    tom.get_by_label("Assignee").fill("Zoe")
    tom.get_by_label("Assignee").press("Tab")
    expect(tom.locator(".saved")).to_have_text("Saved")
    tom_id = tom.get_attribute("data-task")
    # a task the OCR missed
    page.get_by_label("Title", exact=True).last.fill("Water the plants")
    page.get_by_role("button", name="Add task").click()
    expect(tasks).to_have_count(5)
    # reorder: the added task moves up one place
    page.locator("li.task").last.get_by_role("button", name="Move up").click()
    expect(page.locator("li.task").nth(3).locator("input.title")).to_have_value("Water the plants")

    page.reload()
    first = page.locator(f"#task-{first_id}")
    expect(first.locator("input.title")).to_have_value("Get the budget approved")
    expect(first.locator("input[type=date]")).to_have_value("2026-12-24")
    expect(first.get_by_label("Priority")).to_have_value("urgent")
    expect(page.locator(f"#task-{tom_id}").get_by_label("Assignee")).to_have_value("Zoe")
    expect(page.locator("li.task").nth(3).locator("input.title")).to_have_value("Water the plants")

    # delete the last OCR task, then re-read with another roster: edits and the addition stay
    last = page.locator("li.task", has=page.locator('input[value="Call the printer"]'))
    last.get_by_role("button", name="Delete").click()
    expect(page.locator("li.task")).to_have_count(4)
    page.get_by_label("Engine").select_option("mock")
    page.get_by_label("People (comma-separated; empty: your roster)").fill("Hasan, Ana")
    page.get_by_role("button", name="Re-read").click()
    expect(page.get_by_text(re.compile(r"Read by mock .*roster Hasan, Ana"))).to_be_visible()
    assert page.url == review_url
    first = page.locator(f"#task-{first_id}")
    expect(first.locator("input.title")).to_have_value("Get the budget approved")
    expect(first.get_by_label("Priority")).to_have_value("urgent")
    expect(first.get_by_label("Assignee")).to_have_value("Hasan")
    expect(page.locator(f"#task-{tom_id}").get_by_label("Assignee")).to_have_value("Zoe")
    titles = page.locator("li.task input.title")
    expect(titles).to_have_count(5)  # the deleted OCR task was read again
    expect(page.locator("li.task", has=page.locator('input[value="Water the plants"]'))).to_have_count(1)
    Shooter(size)(page, "review")

    # the correction taught the roster: Tom is remembered as a misreading of Zoe
    page.get_by_role("link", name="People").click()
    zoe = page.locator("li.person", has=page.locator('input[value="Zoe"]'))
    expect(zoe.locator(".chip")).to_contain_text("Tom")
    Shooter(size)(page, "people")
    if size == "desktop":
        zoe.get_by_role("button", name="Forget misreading Tom").click()
        expect(page.locator("li.person", has=page.locator('input[value="Zoe"]')).locator(".chip")).to_have_count(0)
        page.reload()
        expect(page.locator("li.person", has=page.locator('input[value="Zoe"]')).locator(".chip")).to_have_count(0)
    ctx.close()


def _note_place(note) -> tuple[float, float]:
    return tuple(float(v) for v in note.evaluate("n => [parseFloat(n.style.left), parseFloat(n.style.top)]"))


NOTE_COLOURS = {"urgent": "rgb(253, 212, 209)", "high": "rgb(255, 220, 184)",
                "medium": "rgb(207, 227, 255)", "low": "rgb(205, 238, 214)"}


@pytest.mark.parametrize("size", list(SIZES))
def test_board_notes_move_and_stay_and_tick_done(browser, app, tmp_path, size):
    base = _base(app)
    ctx = open_context(browser, size)
    page = ctx.new_page()
    sign_in(page, base, size)
    _upload_and_review(page, base, tmp_path, size, "board")

    page.goto(base + "board/")
    if size == "phone":  # a 390-px screen gets the list; the notes are one choice away
        expect(page.locator(".board-list")).to_be_visible()
        expect(page.locator("#board")).to_be_hidden()
        Shooter(size)(page, "board-list")
        page.goto(base + "board/?view=notes")
    notes = page.locator(".note")
    expect(notes.first).to_be_visible()
    for note in notes.all():
        prio = re.search(r"prio-(\w+)", note.get_attribute("class")).group(1)
        assert note.evaluate("n => getComputedStyle(n).backgroundColor") == NOTE_COLOURS[prio]

    note = notes.nth(1)
    task_id = note.get_attribute("data-task")
    x0, y0 = _note_place(note)
    head = note.locator("h3").bounding_box()
    with page.expect_response(lambda r: r.url.endswith(f"/api/tasks/{task_id}/") and r.request.method == "PATCH") as resp:
        page.mouse.move(head["x"] + 10, head["y"] + 5)
        page.mouse.down()
        page.mouse.move(head["x"] + 70, head["y"] + 125, steps=8)
        page.mouse.move(head["x"] + 130, head["y"] + 245, steps=8)
        page.mouse.up()
    assert resp.value.ok
    x1, y1 = _note_place(note)
    assert (round(x1 - x0), round(y1 - y0)) == (120, 240)
    # the keyboard moves a note too
    note.focus()
    with page.expect_response(lambda r: r.url.endswith(f"/api/tasks/{task_id}/") and r.request.method == "PATCH"):
        for _ in range(3):
            page.keyboard.press("ArrowLeft")
    page.reload()
    moved = page.locator(f"#note-{task_id}")
    assert _note_place(moved) == (x1 - 30, y1)

    # tick one done: it leaves the board (which shows open tasks)
    done_id = notes.first.get_attribute("data-task")
    with page.expect_response(lambda r: "/done/" in r.url):
        notes.first.get_by_label("Done").check()
    page.reload()
    expect(page.locator(f"#note-{done_id}")).to_have_count(0)
    # filter by assignee
    page.goto(base + "board/?assignee=Hasan&view=notes")
    expect(page.locator(".note").first).to_be_visible()
    for meta in page.locator(".note .meta").all():
        expect(meta).to_contain_text("Hasan")
    page.goto(base + "board/?due_after=2025-12-17&due_before=2025-12-17&view=notes")
    for meta in page.locator(".note .meta").all():
        expect(meta).to_contain_text("due Dec 17")
    page.goto(base + "board/")
    Shooter(size)(page, "board")
    ctx.close()


def _download(page, name: str) -> str:
    with page.expect_download() as dl:
        page.locator(".exports").get_by_role("link", name=name).click()
    return open(dl.value.path(), encoding="utf-8").read()


def test_exports_hold_every_task_in_each_format(browser, app, tmp_path):
    base = _base(app)
    ctx = open_context(browser, "desktop")
    page = ctx.new_page()
    sign_in(page, base, "desktop")
    page.goto(base + "jobs/")
    page.locator("a.title").first.click()
    titles = page.locator("li.task input.title")
    expect(titles.first).to_be_visible()
    wanted = [t.input_value() for t in titles.all()]
    n = len(wanted)
    assert n >= 4

    data = json.loads(_download(page, "JSON"))
    assert [t["task_name"] for t in data["tasks"]] == wanted
    rows = list(csv.DictReader(io.StringIO(_download(page, "CSV"))))
    assert [r["task_name"] for r in rows] == wanted
    md = _download(page, "Markdown")
    items = [line for line in md.splitlines() if re.match(r"- \[[ x]\] ", line)]
    assert len(items) == n and all(w in md for w in wanted)
    ics = _download(page, "iCalendar")
    assert ics.count("BEGIN:VTODO") == n and ics.startswith("BEGIN:VCALENDAR")
    assert all(f"SUMMARY:{w}" in ics.replace("\r\n ", "") for w in wanted)

    page.goto(base + "board/")  # the board exports what it shows
    notes = page.locator(".note")
    expect(notes.first).to_be_visible()
    shown = notes.count()
    assert _download(page, "iCalendar").count("BEGIN:VTODO") == shown
    assert len(list(csv.DictReader(io.StringIO(_download(page, "CSV"))))) == shown
    ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_jobs_list_filters_and_deletes(browser, app, tmp_path, size):
    base = _base(app)
    ctx = open_context(browser, size)
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    sign_in(page, base, size)
    _upload_and_review(page, base, tmp_path, size, "jobs")
    page.goto(base + "jobs/")
    jobs = page.locator("li.job")
    expect(jobs.first).to_be_visible()
    count = jobs.count()
    first = jobs.first
    expect(first).to_contain_text("completed")
    expect(first).to_contain_text("mock")
    expect(first).to_contain_text(re.compile(r"\d+ tasks?"))
    thumb = first.locator("img").element_handle()  # the thumbnail loads (lazily) and decodes
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb)
    assert thumb.evaluate("img => img.naturalWidth") == 240  # long side of a 1600-px-wide photo
    Shooter(size)(page, "jobs")
    page.get_by_label("Status").select_option("pending")
    expect(page.get_by_text("No jobs with this status yet.")).to_be_visible()
    assert "status=pending" in page.url
    page.get_by_label("Status").select_option("completed")
    expect(jobs).to_have_count(count)
    name = first.locator("a.title").inner_text()
    first.get_by_role("button", name=f"Delete {name}").click()
    expect(jobs).to_have_count(count - 1)
    page.reload()
    expect(page.locator("li.job")).to_have_count(count - 1)
    ctx.close()


DROP_AND_PASTE = """
async ([dropped, pasted]) => {
  const file = (f) => new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name, {type: 'image/jpeg'});
  const drop = new DataTransfer();
  dropped.forEach((f) => drop.items.add(file(f)));
  const zone = document.getElementById('dropzone');
  zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: drop, bubbles: true, cancelable: true}));
  const over = zone.classList.contains('over');
  zone.dispatchEvent(new DragEvent('drop', {dataTransfer: drop, bubbles: true, cancelable: true}));
  const clip = new DataTransfer();
  clip.items.add(file(pasted));
  document.dispatchEvent(new ClipboardEvent('paste', {clipboardData: clip, bubbles: true, cancelable: true}));
  return over;
}
"""


def test_several_images_dropped_and_pasted_are_all_read(browser, app, tmp_path):
    import base64

    base = _base(app)
    ctx = open_context(browser, "desktop")
    page = ctx.new_page()
    sign_in(page, base, "desktop")
    page.goto(base + "capture/")
    files = [{"name": f"drop-{i}.jpg", "data": base64.b64encode(render_list(size=(1500, 1000 + i))).decode()}
             for i in range(3)]
    highlighted = page.evaluate(DROP_AND_PASTE, [files[:2], files[2]])
    assert highlighted  # the drop zone shows it will take the files
    for f in files:
        row = page.locator(".upload", has_text=f["name"])
        expect(row).to_have_attribute("data-state", "done")
        expect(row.get_by_role("link", name="Review")).to_be_visible()
    # the review page zooms the photo (the phone's pinch-zoom is the browser's own)
    page.locator(".upload", has_text="drop-0.jpg").get_by_role("link", name="Review").click()
    figure = page.locator("#photo")
    width = figure.bounding_box()["width"]
    page.get_by_role("button", name="Zoom in").click()
    assert round(figure.bounding_box()["width"] / width, 2) == 1.5
    page.get_by_role("button", name="Fit").click()
    assert round(figure.bounding_box()["width"]) == round(width)
    ctx.close()
