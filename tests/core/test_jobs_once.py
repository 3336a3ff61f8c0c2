"""Several workers on one PostgreSQL run each job once, and a worker killed mid-job leaves
that job failed with a sentence, its work not half-applied.

Real `powerbase worker` processes (through a two-line wrapper that adds the counted job kind of
tests/core/counted_job.py) against the test database.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from powerbase.core import jobs
from powerbase.core.job_kinds import KINDS
from powerbase.core.models import Job
from tests.core.counted_job import HANDLER, KIND, RUNS_FILE
from tests.deploy.processes import ROOT, clean_env

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = f"""
from powerbase.core.job_kinds import KINDS
KINDS[{KIND!r}] = {HANDLER!r}
from powerbase.cli.main import app
app(["worker", "--quiet"])
"""


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has one writer and no SELECT ... FOR UPDATE SKIP LOCKED: several workers "
            "on several machines need PostgreSQL (run with DATABASE_URL=postgres://...)"
        )


@pytest.fixture
def start_worker(postgres_only, tmp_path, monkeypatch):
    """Start a `powerbase worker` on the test database; return its process. All are killed
    after the test."""
    monkeypatch.setitem(KINDS, KIND, HANDLER)
    db = connection.settings_dict
    env = clean_env(
        tmp_path / "var",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        SECRET_KEY="job-once-" + "x" * 50,
        **{RUNS_FILE: str(tmp_path / "runs.txt")},
    )
    monkeypatch.setenv(RUNS_FILE, str(tmp_path / "runs.txt"))
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        started.append(subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env))
        return started[-1]

    yield start
    for process in started:
        process.kill()
        process.wait()


def runs(tmp_path: Path) -> list[str]:
    path = tmp_path / "runs.txt"
    return path.read_text().splitlines() if path.exists() else []


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_two_workers_run_each_of_200_jobs_exactly_once(start_worker, tmp_path, owner, nutmeg):
    first, second = start_worker(), start_worker()
    started = [jobs.start(kind=KIND, started_by=owner, organization=nutmeg).pk for _ in range(200)]

    def all_done() -> bool:
        return Job.objects.filter(pk__in=started, status=Job.Status.SUCCEEDED).count() == 200

    wait_until(all_done, timeout=600, what="200 jobs to finish")
    ran = Counter(int(line.split()[1]) for line in runs(tmp_path) if line.startswith("ran "))
    assert ran == dict.fromkeys(started, 1)
    by_worker = Counter(line.split()[2] for line in runs(tmp_path) if line.startswith("ran "))
    assert set(by_worker) == {str(first.pid), str(second.pid)}  # both took a share
    tasks = DBTaskResult.objects.filter(task_path=jobs.run_job.module_path)
    assert tasks.count() == 200
    assert all(len(task.worker_ids) == 1 for task in tasks)
    for job in Job.objects.filter(pk__in=started):
        assert job.params["applied"] == ["first half", "second half"]


def test_a_worker_killed_mid_job_leaves_it_failed_and_not_half_applied(
    start_worker, tmp_path, owner, nutmeg
):
    workers = {process.pid: process for process in (start_worker(), start_worker())}
    slow = jobs.start(kind=KIND, started_by=owner, organization=nutmeg, params={"pause": 120})
    wait_until(lambda: f"inside {slow.pk}" in runs(tmp_path), timeout=120, what="the slow job")
    victim = int(Job.objects.get(pk=slow.pk).worker.rpartition(":")[2])
    os.kill(victim, signal.SIGKILL)
    workers[victim].wait()

    # The other worker sweeps before the next job it runs (and every five minutes).
    after = jobs.start(kind=KIND, started_by=owner, organization=nutmeg)
    wait_until(
        lambda: Job.objects.get(pk=after.pk).status == Job.Status.SUCCEEDED,
        timeout=120,
        what="the next job",
    )
    slow.refresh_from_db()
    assert slow.status == Job.Status.FAILED
    assert "worker running this job stopped before it finished" in slow.error
    assert "applied" not in slow.params  # the first half was rolled back with the worker
    assert [line for line in runs(tmp_path) if line.startswith(f"ran {slow.pk} ")] == [
        f"ran {slow.pk} {victim}"
    ]
