"""Uploaded lists leave the server once they are no longer needed: a refused file at once, an
imported one when its import commits, an abandoned one after the retention period."""

import os
import time
from datetime import timedelta

from django.utils import timezone
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core import jobs
from powerbase.core.models import Job
from powerbase.imports import retention, services
from powerbase.imports.models import ImportBatch
from tests.conftest import act
from tests.imports.conftest import csv_bytes

ROWS = [["First Name", "Last Name", "Email"], ["Ana", "Quiñones", "ana.q@example.org"]]


def upload(actor, organization, rows=ROWS) -> ImportBatch:
    return services.upload(
        actor=actor, file_name="roster.csv", content=csv_bytes(rows), affiliate=None
    )


def stored(batch: ImportBatch) -> list[str]:
    """The files kept for *batch*: the upload and the saved check."""
    path = retention.imports_dir() / batch.stored_name
    return [p.name for p in (path, path.with_name(path.name + ".plan")) if p.exists()]


def run(job: Job) -> Job:
    jobs.execute(job.pk)
    job.refresh_from_db()
    return job


def test_a_file_the_check_refuses_is_deleted_at_once(users_by_role, nutmeg):
    actor = act(users_by_role["data"], nutmeg)
    batch = upload(actor, nutmeg, [["First Name", "Last Name"], ["Ana", "x" * 40_000]])
    assert stored(batch)
    job = run(services.start_check(actor=actor, batch=batch, enqueue=False))
    assert job.status == Job.Status.FAILED
    assert stored(batch) == []


def test_an_imported_file_and_its_saved_check_are_deleted_when_it_commits(users_by_role, nutmeg):
    actor = act(users_by_role["data"], nutmeg)
    batch = upload(actor, nutmeg)
    run(services.start_check(actor=actor, batch=batch, enqueue=False))
    assert len(stored(batch)) == 2
    batch.refresh_from_db()
    assert (
        run(services.start_commit(actor=actor, batch=batch, enqueue=False)).status
        == Job.Status.SUCCEEDED
    )
    assert stored(batch) == []


def test_the_purge_deletes_lists_left_unimported_past_the_retention_period(
    users_by_role, nutmeg, settings
):
    actor = act(users_by_role["data"], nutmeg)
    fresh, old = upload(actor, nutmeg), upload(actor, nutmeg)
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - settings.UPLOAD_RETENTION - timedelta(minutes=1)
    )
    counts = retention.purge()
    assert counts["abandoned imports"] == 1
    assert stored(old) == [] and stored(fresh)
    old.refresh_from_db()
    job = run(services.start_check(actor=actor, batch=old, enqueue=False))
    assert "no longer on the server; upload it again" in job.error


def test_the_purge_deletes_stray_files_an_hour_old_and_spares_newer_ones(nutmeg):
    folder = retention.imports_dir() / nutmeg.slug
    folder.mkdir(parents=True, exist_ok=True)
    stray, young = folder / "left-by-a-crash.csv", folder / "being-uploaded.csv"
    stray.write_text("First Name\nAna\n")
    young.write_text("First Name\nAna\n")
    hours_ago = time.time() - 2 * retention.ORPHAN_GRACE_SECONDS
    os.utime(stray, (hours_ago, hours_ago))
    assert retention.purge()["stray files"] == 1
    assert not stray.exists() and young.exists()


def test_the_worker_purges_as_part_of_its_housekeeping(users_by_role, nutmeg):
    actor = act(users_by_role["data"], nutmeg)
    batch = upload(actor, nutmeg)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.UNDONE)
    jobs.run_housekeeping()
    assert stored(batch) == []


def test_uploads_purge_command_says_what_it_deleted(users_by_role, nutmeg):
    actor = act(users_by_role["data"], nutmeg)
    batch = upload(actor, nutmeg)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTED)
    result = CliRunner().invoke(app, ["uploads", "purge"])
    assert result.exit_code == 0, result.output
    assert "finished imports: 1 deleted" in result.output
