"""An income file uploaded through the web whose worker was killed: after a day the file is
deleted and its import marked failed with the reason, by the worker's housekeeping and by
`powerbase uploads purge`; a younger upload, or one whose worker is alive, is left alone."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core import jobs
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Job
from powerbase.money import retention, services
from powerbase.money.models import IncomeLine

DATA = Path(__file__).with_name("data")
KILLED = "The worker running this job stopped before it finished (it was killed ...)"


@pytest.fixture
def upload(treasurer, data_dir, django_capture_on_commit_callbacks):
    """A web upload of the EveryAction export, its job waiting for a worker."""
    return services.start_import(
        actor=treasurer,
        file_name="everyaction.csv",
        content=(DATA / "everyaction.csv").read_bytes(),
        source="everyaction",
    )


def age(job: Job, days: float, **fields) -> Path:
    """Make *job* and its file *days* old; return the file."""
    path = Path(job.params["path"])
    then = time.time() - days * 86400
    os.utime(path, (then, then))
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days), **fields)
    return path


def test_an_upload_waiting_more_than_a_day_is_deleted_and_its_import_failed(upload):
    path = age(upload, 1.5)
    jobs.run_housekeeping()
    upload.refresh_from_db()
    assert not path.exists()
    assert upload.status == Job.Status.FAILED
    assert "the uploaded file was deleted after a day" in upload.error
    assert "upload the file again" in upload.error
    assert not IncomeLine.objects.exists()


def test_a_job_its_dead_worker_left_failed_gets_the_reason_and_loses_its_file(upload):
    path = age(upload, 2, status=Job.Status.FAILED, error=KILLED)
    counts = retention.purge()
    assert counts == {"money uploads": 1, "money imports marked failed": 1}
    upload.refresh_from_db()
    assert upload.error == retention.ABANDONED
    assert not path.exists()
    assert retention.purge() == {"money uploads": 0, "money imports marked failed": 0}


def test_a_young_upload_and_a_running_import_are_left_alone(upload, treasurer):
    path = Path(upload.params["path"])
    assert retention.purge() == {"money uploads": 0, "money imports marked failed": 0}
    age(upload, 3, status=Job.Status.RUNNING)
    retention.purge()
    upload.refresh_from_db()
    assert path.exists() and upload.status == Job.Status.RUNNING


def test_a_stray_file_no_import_names_goes_after_a_day(upload, data_dir):
    stray = retention.uploads_dir() / "nutmeg" / "left-behind.csv"
    stray.write_text("Contribution ID\n")
    then = time.time() - 2 * 86400
    os.utime(stray, (then, then))
    assert retention.purge()["money uploads"] == 1
    assert not stray.exists() and Path(upload.params["path"]).exists()


def test_starting_an_import_whose_file_was_deleted_says_so(upload):
    age(upload, 2)
    retention.purge()
    with pytest.raises(InvalidInput, match="everyaction.csv is no longer on the server"):
        services.import_job(upload, jobs.Progress(upload))


def test_the_purge_command_counts_money_uploads(upload):
    age(upload, 2)
    result = CliRunner().invoke(app, ["uploads", "purge"])
    assert result.exit_code == 0, result.output
    assert "money uploads: 1" in result.output
    assert "money imports marked failed: 1" in result.output
