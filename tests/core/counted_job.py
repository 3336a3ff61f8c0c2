"""A job kind for tests/core/test_jobs_once.py: each run is written down, and its work is two
writes in one transaction, with a pause between them to be killed in."""

import os
import time

from django.db import transaction

from powerbase.core.models import Job

KIND = "tests.counted"
HANDLER = ("tests.core.counted_job:counted", "Count the runs of a job (tests)")
RUNS_FILE = "COUNTED_JOB_RUNS"  # the environment variable naming the file runs go to


def note(line: str) -> None:
    with open(os.environ[RUNS_FILE], "a") as runs:  # one short append: whole lines, any process
        runs.write(line + "\n")


def counted(job: Job, progress) -> dict:
    note(f"ran {job.pk} {os.getpid()}")
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(params={**job.params, "applied": ["first half"]})
        if pause := job.params.get("pause"):
            note(f"inside {job.pk}")
            time.sleep(pause)
        Job.objects.filter(pk=job.pk).update(
            params={**job.params, "applied": ["first half", "second half"]}
        )
    return {"pid": os.getpid()}
