"""Errors that leak nothing: a 500 page with a reference and no data, and a server log that
never carries a person's name, email or note, whatever fails (a view, a job, an import).

A canary person is planted, every error path is made to fail with an exception whose message
quotes them (as Django's ProtectedError and IntegrityError quote rows), and the text the
configured log handler writes is searched for the canary.
"""

import io
import logging

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from powerbase.core import jobs
from powerbase.core.models import Job
from powerbase.imports import pipeline
from powerbase.imports import services as imports
from powerbase.people import queries as people_queries
from powerbase.people import services as people
from powerbase.people.models import Person
from tests.conftest import act, add_member
from tests.imports.conftest import csv_bytes

GIVEN, FAMILY, EMAIL = "Zyxwanda", "Canaryperson", "zyxwanda.canary@example.org"
NOTE = "Canary note: undocumented, court date in March"
TRACES = (GIVEN, FAMILY, EMAIL, "court date")


@pytest.fixture
def canary(nutmeg, owner, tenant_union) -> Person:
    person = add_member(nutmeg, tenant_union, GIVEN, FAMILY, email=EMAIL)
    people.add_note(actor=act(owner, nutmeg), person=person, body=NOTE, is_sensitive=True)
    return person


@pytest.fixture
def server_log():
    """Capture what the configured console handler writes (its formatter and filters)."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    captured = io.StringIO()
    previous = handler.setStream(captured)
    yield captured
    handler.setStream(previous)


def assert_no_trace(text: str) -> None:
    for trace in TRACES:
        assert trace not in text, f"{trace!r} reached the log:\n{text}"


def test_a_crashing_view_shows_a_reference_and_logs_it_without_the_person(
    client, owner, nutmeg, canary, monkeypatch, server_log
):
    def crash(actor, person_id):
        person = Person.objects.get(pk=person_id)
        raise ProtectedError(f"Cannot show {person} <{EMAIL}>: {NOTE}", {person})

    monkeypatch.setattr(people_queries, "person_page", crash)
    client.force_login(owner)
    client.raise_request_exception = False
    response = client.get(
        reverse("people:person", kwargs={"org": nutmeg.slug, "person_id": canary.pk})
    )
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    page = response.content.decode()
    assert request_id in page and "Error reference" in page
    assert_no_trace(page)
    log = server_log.getvalue()
    assert f"[{request_id}]" in log and "Internal Server Error" in log
    assert "ProtectedError: [message withheld" in log
    assert ", in crash" in log  # the frames stay, for the operator
    assert_no_trace(log)


def test_a_crashing_job_logs_its_traceback_without_the_person(
    owner, nutmeg, canary, monkeypatch, server_log
):
    def crash(job, progress):
        raise KeyError(f"{GIVEN} {FAMILY} <{EMAIL}>")

    monkeypatch.setattr(jobs, "_handler", lambda kind: crash)
    job = jobs.start(kind="core.selftest", started_by=owner, organization=nutmeg, enqueue=False)
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert f"job {job.pk}" in job.error  # the starter is told where the details are
    log = server_log.getvalue()
    assert f"Job {job.pk} (core.selftest) failed" in log and "Traceback" in log
    assert_no_trace(log)


def test_a_failing_import_logs_nothing_of_the_list(
    users_by_role, nutmeg, canary, monkeypatch, server_log
):
    actor = act(users_by_role["data"], nutmeg)
    rows = [
        ["First Name", "Last Name", "Email"],
        [GIVEN, FAMILY, EMAIL],
        ["Ana", "Quiñones", "ana.q@example.org"],
    ]
    batch = imports.upload(
        actor=actor, file_name="roster.csv", content=csv_bytes(rows), affiliate=None
    )
    jobs.execute(imports.start_check(actor=actor, batch=batch, enqueue=False).pk)
    batch.refresh_from_db()

    def crash(planned, *args, **kwargs):
        raise ValueError(f"could not tag {[p.fields for p in planned]}")

    monkeypatch.setattr(pipeline, "_write_tags", crash)
    job = imports.start_commit(actor=actor, batch=batch, enqueue=False)
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    log = server_log.getvalue()
    assert "ValueError: [message withheld" in log
    assert_no_trace(log)


def test_django_sends_no_error_email_with_request_data_and_local_variables():
    from django.utils.log import AdminEmailHandler

    for name in ("django", "django.request", "django.security", ""):
        logger = logging.getLogger(name)
        while logger is not None:
            assert not any(isinstance(h, AdminEmailHandler) for h in logger.handlers), name
            logger = logger.parent if logger.propagate else None
