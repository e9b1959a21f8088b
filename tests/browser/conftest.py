"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against
a live `taskocr serve` subprocess on its own TASKOCR_HOME. Screenshots of every page land in
tests/browser/artifacts/ (kept out of git)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("django")

from served import Served  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PASSWORD = "correct horse battery"


def chromium_path() -> str:
    path = os.environ.get("TASKOCR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("the browser tests need Debian's chromium (apt-get install chromium); "
                    "scripts/setup.sh --test installs it")
    return path


# module, not session: sync Playwright keeps an event loop running in this thread while it is
# open, and Django refuses database work from such a thread in the tests that run after these
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # a shared 2-core machine: patience, not a speed test

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """`taskocr serve` with the mock engine (the assertions are about the app, not OCR),
    plus a user with a password per screen size ('phone', 'desktop'), so that what one
    size's tests teach the roster does not change what the other's read."""
    served = Served(tmp_path_factory.mktemp("app-home"), "mock")
    try:
        served.env["TASKOCR_PASSWORD"] = PASSWORD
        for size in SIZES:
            served.taskocr("createuser", size, "--password")
        yield served
    finally:
        served.stop()


class Shooter:
    def __init__(self, size: str):
        self.size = size
        ARTIFACTS.mkdir(exist_ok=True)

    def __call__(self, page, name: str) -> Path:
        path = ARTIFACTS / f"{name}-{self.size}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def open_context(browser, size: str):
    ctx = browser.new_context(viewport=SIZES[size], accept_downloads=True,
                              is_mobile=size == "phone", has_touch=size == "phone")
    ctx.set_default_timeout(60_000)
    return ctx


def sign_in(page, base: str, user: str, password: str = PASSWORD) -> None:
    page.goto(base + "signin/")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "capture/")
