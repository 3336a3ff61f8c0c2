"""Background jobs: queued on commit, run by the worker, progress and errors for people."""

from datetime import timedelta

from django.urls import reverse

from powerbase.core import jobs
from powerbase.core.models import Job


def test_a_job_waits_until_its_transaction_commits_then_the_worker_runs_it(
    owner, nutmeg, django_capture_on_commit_callbacks, run_jobs
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = jobs.start(
            kind="core.selftest", started_by=owner, organization=nutmeg, params={"steps": 4}
        )
        assert Job.objects.get(pk=job.pk).task_result_id == ""
    assert len(callbacks) == 1
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total) == (4, 4)
    assert job.result == {"counted": 4}
    assert job.started_at and job.finished_at


def test_a_failed_job_keeps_a_sentence_for_the_person_who_started_it(
    client, owner, nutmeg, django_capture_on_commit_callbacks, run_jobs
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(
            kind="core.selftest",
            started_by=owner,
            organization=nutmeg,
            params={"steps": 5, "fail_at": 3},
        )
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "The self-test was asked to fail at step 3."
    assert job.done == 2
    client.force_login(owner)
    page = client.get(reverse("core:job", kwargs={"org": nutmeg.slug, "job_id": job.pk}))
    assert b"This job failed." in page.content
    assert b"asked to fail at step 3" in page.content


def test_an_unexpected_crash_is_reported_without_a_traceback(
    owner, nutmeg, monkeypatch, django_capture_on_commit_callbacks, run_jobs
):
    def explode(job, progress):
        raise KeyError("missing column")

    monkeypatch.setattr(jobs, "_handler", lambda kind: explode)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Unexpected error: KeyError")
    assert "Traceback" not in job.error


def test_a_job_delivered_twice_runs_once(
    owner, nutmeg, django_capture_on_commit_callbacks, run_jobs
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg)
    run_jobs()
    finished_at = Job.objects.get(pk=job.pk).finished_at
    jobs.run_job.call(job.pk)
    assert Job.objects.get(pk=job.pk).finished_at == finished_at


def test_the_progress_fragment_polls_while_running_and_stops_when_done(client, owner, nutmeg):
    job = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, done=30, total=120, message="Reading rows"
    )
    client.force_login(owner)
    url = reverse("core:job", kwargs={"org": nutmeg.slug, "job_id": job.pk})
    running = client.get(url, headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in running.content
    assert b'value="30"' in running.content and b'max="120"' in running.content
    assert b"Reading rows" in running.content
    assert b"<html" not in running.content  # a fragment, not the whole page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, done=120)
    finished = client.get(url, headers={"HX-Request": "true"})
    assert b"hx-trigger" not in finished.content
    assert b"Finished" in finished.content


def test_progress_writes_are_throttled_but_a_message_always_lands(owner, nutmeg):
    job = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg)
    progress = jobs.Progress(job, min_interval=3600)
    progress.update(1, total=10, force=True)
    progress.update(2)
    assert Job.objects.get(pk=job.pk).done == 1
    progress.update(3, message="Matching")
    stored = Job.objects.get(pk=job.pk)
    assert (stored.done, stored.message) == (3, "Matching")


def test_housekeeping_is_scheduled_once_an_hour_ahead(db):
    from django_tasks_db.models import DBTaskResult

    jobs.schedule_housekeeping()
    jobs.schedule_housekeeping()  # a second worker starting does not double the schedule
    [waiting] = DBTaskResult.objects.filter(task_path=jobs.housekeeping.module_path)
    assert waiting.run_after - waiting.enqueued_at >= jobs.HOUSEKEEPING_EVERY - timedelta(seconds=5)
