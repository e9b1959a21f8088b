"""Helpers of the browser tests (tests/browser): sizes, the chromium to drive, sign-in and
screenshots. Importable as ``browser_support``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "browser" / "artifacts"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PASSWORD = "correct horse battery"


def chromium_path() -> str:
    path = os.environ.get("TASKOCR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("the browser tests need Debian's chromium (apt-get install chromium); "
                    "scripts/setup.sh --test installs it")
    return path


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
