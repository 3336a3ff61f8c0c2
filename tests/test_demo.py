"""The demo loader: fictional organizations and a login for every role, loaded as a job."""

from django.urls import reverse

from powerbase.core import jobs
from powerbase.core.models import Job, Membership, Organization, Role
from powerbase.demo.load import DEMO_LOGINS, DEMO_PASSWORD


def load(django_capture_on_commit_callbacks, run_jobs) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(kind="demo.load", started_by=None, organization=None)
    run_jobs()
    job.refresh_from_db()
    return job


def test_the_demo_has_a_state_and_a_local_organization_and_every_role(
        db, django_capture_on_commit_callbacks, run_jobs):
    job = load(django_capture_on_commit_callbacks, run_jobs)
    assert job.status == Job.Status.SUCCEEDED, job.error
    local = Organization.objects.get(slug="elm-city")
    assert local.parent.slug == "nutmeg" and local.level == "local"
    roles = set(Membership.objects.filter(organization__slug="nutmeg")
                .values_list("role", flat=True))
    assert roles == set(Role.values)


def test_every_printed_demo_login_signs_in(client, db, django_capture_on_commit_callbacks,
                                           run_jobs):
    load(django_capture_on_commit_callbacks, run_jobs)
    for login in DEMO_LOGINS:
        response = client.post(reverse("core:login"), {"username": login.email,
                                                       "password": DEMO_PASSWORD})
        assert response.status_code == 302, login.email
        client.logout()


def test_loading_the_demo_twice_changes_nothing(db, django_capture_on_commit_callbacks,
                                                run_jobs):
    load(django_capture_on_commit_callbacks, run_jobs)
    second = load(django_capture_on_commit_callbacks, run_jobs)
    assert second.result == {"status": "already loaded"}
    assert Organization.objects.count() == 2


def test_demo_emails_use_the_reserved_example_domain():
    assert all(login.email.endswith(".example") for login in DEMO_LOGINS)
