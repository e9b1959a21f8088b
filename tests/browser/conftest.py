"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against
a live `taskocr serve` subprocess on its own TASKOCR_HOME. Screenshots of every page land in
tests/browser/artifacts/ (kept out of git)."""

from __future__ import annotations

import pytest

pytest.importorskip("django")

from browser_support import PASSWORD, SIZES, chromium_path  # noqa: E402
from served import Served  # noqa: E402


# Per module, not per session: while Playwright's sync API is alive an asyncio loop counts
# as running in this thread, and Django refuses ORM calls from in-process tests after it.
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
