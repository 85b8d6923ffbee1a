"""Drive Debian's chromium through Playwright against pytest-django's live server.

The Playwright wheel ships its own driver; no browser is downloaded. Without chromium
the browser tests skip locally and fail under CI=true.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.catalogue import compile_catalogues
from tests.conftest import IN_CI

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def chromium_path() -> str | None:
    """Find Debian's chromium (or the one named by CHROMIUM)."""
    configured = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if Path(configured).exists():
        return configured
    return shutil.which("chromium")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        _unavailable("chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    compile_catalogues()
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # fixtures are still synchronous, so tell Django they are safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()
