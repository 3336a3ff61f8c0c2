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
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found: `apt-get install chromium` to run "
        "the browser tests (never let Playwright download one)"
    )
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


@pytest.fixture
def worker(transactional_db):
    """Run queued jobs in a background thread while the test drives the browser, as
    `powerbase worker` does beside the web server."""
    import threading

    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    stop = threading.Event()

    def loop():
        # The worker class itself, not the command: the command installs signal handlers,
        # which only the main thread may do.
        try:
            while not stop.is_set():
                Worker(
                    queue_names=["default"],
                    interval=0,
                    batch=True,
                    backend_name="default",
                    startup_delay=False,
                    max_tasks=None,
                    worker_id="browser-tests",
                    excluded_queue_names=[],
                ).run()
                stop.wait(0.3)
        finally:
            connections.close_all()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=10)
