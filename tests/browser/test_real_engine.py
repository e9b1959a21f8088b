"""End to end with the real default engine (OCR_BACKEND=auto: PP-OCR on this machine): a
rendered handwritten list photographed into the app, read, corrected, re-read and exported,
with phone and desktop screenshots of the review page (the README's come from here)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from browser_support import Shooter, open_context
from served import Served
from support import render_list


@pytest.fixture(scope="module")
def real_app(tmp_path_factory):
    served = Served(tmp_path_factory.mktemp("real-home"), "auto")
    try:
        yield served
    finally:
        served.stop()


@pytest.mark.slow
def test_a_photo_read_by_the_default_engine_reviewed_and_exported(browser, real_app, tmp_path):
    base, link = real_app.field("taskocr is running at"), real_app.field("Sign in (the link works once):")
    photo = tmp_path / "todo.jpg"
    photo.write_bytes(render_list())
    ctx = open_context(browser, "desktop")
    page = ctx.new_page()
    page.goto(link)
    expect(page.get_by_test_id("username")).to_have_text("local")
    # a roster first: every upload is read against it ("(Ana)" in brackets names Ana only
    # when the roster knows her)
    page.get_by_role("link", name="People").click()
    for name in ("Hasan", "Ana", "Tom"):
        page.locator("#new-name").fill(name)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator(f'li.person input[value="{name}"]')).to_have_count(1)
    page.get_by_role("link", name="Capture").click()
    page.set_input_files("#file", str(photo))
    row = page.locator(".upload", has_text="todo.jpg")
    expect(row).to_have_attribute("data-state", "done", timeout=300_000)  # first use loads the model
    expect(row.locator(".state")).to_contain_text("(ppocr)")
    row.get_by_role("link", name="Review").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    approval = page.locator("li.task", has=page.locator('input[value="Get approval"]'))
    expect(approval.get_by_label("Assignee")).to_have_value("Hasan")
    expect(approval.locator("input[type=date]")).to_have_value("2025-12-17")
    venue = page.locator("li.task", has=page.locator('input[value="Book the venue"]'))
    expect(venue.get_by_label("Done")).to_be_checked()
    expect(venue.get_by_label("Assignee")).to_have_value("Ana")
    expect(venue.get_by_label("Priority")).to_have_value("high")
    tasks = page.locator("li.task")
    n = tasks.count()
    assert n == 4
    expect(page.locator("svg rect[data-task]")).to_have_count(n)  # every reading has its box

    # correct a title, then re-read with a roster: the correction stays
    approval.locator("input.title").fill("Get approval from finance")
    approval.locator("input.title").press("Tab")
    expect(approval.locator(".saved")).to_have_text("Saved")
    page.get_by_label("People (comma-separated; empty: your roster)").fill("Hasan, Ana, Tom")
    page.get_by_role("button", name="Re-read").click()
    expect(page.get_by_text(re.compile(r"Read by ppocr .*roster Hasan, Ana, Tom"))).to_be_visible(timeout=300_000)
    expect(page.locator('li.task input[value="Get approval from finance"]')).to_have_count(1)
    expect(page.locator("li.task")).to_have_count(n)
    invoices = page.locator("li.task", has=page.locator('input[value="Send invoices"]'))
    expect(invoices.get_by_label("Assignee")).to_have_value("Tom")
    Shooter("desktop")(page, "review-ppocr")

    with page.expect_download() as dl:
        page.locator(".exports").get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(dl.value.path(), encoding="utf-8").read())))
    assert len(rows) == n and rows[0]["task_name"] == "Get approval from finance"
    assert rows[0]["assignee"] == "Hasan" and rows[0]["due_date"] == "2025-12-17"

    phone = open_context(browser, "phone")
    phone.add_cookies(ctx.cookies())
    small = phone.new_page()
    small.goto(page.url)
    expect(small.locator("li.task")).to_have_count(n)
    Shooter("phone")(small, "review-ppocr")
    phone.close()
    ctx.close()
