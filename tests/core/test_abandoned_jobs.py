"""A job whose worker died (killed mid-run or after its work committed) does not stay "Running":
the next worker marks it failed with a sentence saying what happened."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from powerbase.core import jobs
from powerbase.core.models import Job

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = """
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
django.setup()
from powerbase.core import jobs
jobs.execute(int(sys.argv[1]))
"""


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_worker_killed_mid_run_leaves_a_job_the_next_worker_marks_failed(owner, nutmeg):
    job = jobs.start(
        kind="core.selftest",
        started_by=owner,
        organization=nutmeg,
        params={"steps": 200, "pause": 0.2},
        enqueue=False,
    )
    env = {**os.environ, "DATABASE_URL": database_url()}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(job.pk)], env=env)
    try:
        wait_until(lambda: Job.objects.get(pk=job.pk).done >= 1)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING  # what happened before

    assert jobs.fail_abandoned() == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "worker running this job stopped" in job.error
    assert job.finished_at is not None


def test_a_live_worker_on_this_machine_keeps_its_job(owner, nutmeg):
    job = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg, enqueue=False)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, worker=jobs.this_worker(), heartbeat_at=timezone.now()
    )
    assert jobs.fail_abandoned() == []
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_a_job_silent_too_long_on_another_machine_is_marked_failed(owner, nutmeg, settings):
    job = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg, enqueue=False)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        worker="other-host:4242",
        heartbeat_at=timezone.now() - settings.JOB_STALE_AFTER - timedelta(seconds=1),
    )
    assert jobs.fail_abandoned() == [job.pk]


def test_the_next_job_run_sweeps_abandoned_ones_first(owner, nutmeg):
    dead = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg, enqueue=False)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Job.objects.filter(pk=dead.pk).update(
        status=Job.Status.RUNNING,
        worker=f"{jobs.this_worker().split(':')[0]}:{gone}",
        heartbeat_at=timezone.now(),
    )
    fresh = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg, enqueue=False)
    jobs.execute(fresh.pk)
    assert Job.objects.get(pk=dead.pk).status == Job.Status.FAILED
    assert Job.objects.get(pk=fresh.pk).status == Job.Status.SUCCEEDED
