"""The demo's first load, followed from a log or a pipe, shows its progress in plain lines."""

import io

import pytest
from rich.console import Console

from powerbase.cli import jobwatch
from powerbase.core.models import Job


@pytest.fixture
def demo_job(db):
    return Job.objects.create(kind="demo.load", status=Job.Status.RUNNING, total=4)


def advance_on_each_poll(monkeypatch, job: Job, steps: list[dict]) -> None:
    """Let the job move one step each time the watcher waits, as a worker would."""
    remaining = list(steps)

    def sleep(seconds: float) -> None:
        Job.objects.filter(pk=job.pk).update(**remaining.pop(0))

    monkeypatch.setattr(jobwatch.time, "sleep", sleep)


def test_progress_is_printed_as_plain_lines_when_not_on_a_terminal(monkeypatch, demo_job):
    advance_on_each_poll(
        monkeypatch,
        demo_job,
        [
            {"done": 1, "message": "Creating organizations and users"},
            {"done": 1, "message": "Creating organizations and users"},  # no change: no line
            {"done": 3, "message": "Importing rosters"},
            {"done": 4, "status": Job.Status.SUCCEEDED, "message": "Done"},
        ],
    )
    log = io.StringIO()

    assert jobwatch.watch(demo_job.pk, console=Console(file=log), interval=0)

    assert log.getvalue().splitlines() == [
        "Load the demo organizations (0%)",
        "Load the demo organizations: Creating organizations and users (25%)",
        "Load the demo organizations: Importing rosters (75%)",
        "Load the demo organizations: Done (100%)",
    ]
    assert "\r" not in log.getvalue() and "\x1b" not in log.getvalue()


def test_a_failed_load_says_why_in_the_plain_log(monkeypatch, demo_job):
    advance_on_each_poll(
        monkeypatch, demo_job, [{"status": Job.Status.FAILED, "error": "The disk is full."}]
    )
    log = io.StringIO()

    assert not jobwatch.watch(demo_job.pk, console=Console(file=log), interval=0)

    assert log.getvalue().splitlines()[-1] == "Failed: The disk is full."


def test_a_terminal_still_gets_the_progress_bar(monkeypatch, demo_job):
    advance_on_each_poll(monkeypatch, demo_job, [{"done": 4, "status": Job.Status.SUCCEEDED}])
    screen = io.StringIO()

    assert jobwatch.watch(
        demo_job.pk, console=Console(file=screen, force_terminal=True, width=100), interval=0
    )

    assert "━" in screen.getvalue() and "4/4" in screen.getvalue()
