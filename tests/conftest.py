from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from stations.hours import SHANGHAI


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def shanghai(*args: int) -> dt.datetime:
    """An aware datetime on the Shanghai wall clock."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def putuo(db):
    from stations.models import District

    return District.objects.get(code="310107")


# ----------------------------------------------------------------------------- browser
# Real-browser tests drive Debian's chromium through Playwright (which cannot download its
# own browsers here). Screenshots go to test-artifacts/ (git-ignored, kept by CI logs).

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("WAYSTATION_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("chromium is not installed (make browser installs it)")
        pytest.skip("chromium is not installed (make browser installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django refuses ORM calls from a thread
    # with a running loop unless told this is deliberate (the tests are synchronous).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    """A phone-sized page (360×740) that fails the test on any console error."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.console_errors = errors
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
