"""Browser tests: real Chromium (Debian's) driven by Playwright against a live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    """Skip browser tests where Debian's Chromium is missing, unless CI requires them."""
    if CHROMIUM.exists():
        return
    if os.environ.get("POWERBASE_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"{CHROMIUM} is missing: apt-get install chromium")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: `apt-get install chromium` to run "
                                   "the browser tests (never let Playwright download one)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-results/screenshots/ as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def phone(page):
    """The page at the size of a small phone (375 x 740)."""
    page.set_viewport_size({"width": 375, "height": 740})
    return page
