"""The demo loader: fictional organizations, a login for every role, and rosters imported
through the real pipeline — loaded as a job, and safe to run again."""

import pytest
from django.db.models import Count
from django.urls import reverse

from powerbase.coalition.models import Affiliate
from powerbase.core import jobs
from powerbase.core.models import Job, Membership, Organization, Role
from powerbase.demo.load import DEMO_LOGINS, DEMO_PASSWORD, demo_exists
from powerbase.imports.models import ImportBatch
from powerbase.people.models import Person


@pytest.fixture(autouse=True)
def small_demo(monkeypatch):
    monkeypatch.setenv("POWERBASE_DEMO_SCALE", "0.01")


def load() -> Job:
    job = jobs.start(kind="demo.load", started_by=None, organization=None, enqueue=False)
    jobs.execute(job.pk)
    job.refresh_from_db()
    return job


def test_the_demo_loads_organizations_roles_rosters_and_working_logins(client, db, demo_loaded):
    job = demo_loaded
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert demo_exists()
    local = Organization.objects.get(slug="elm-city")
    assert local.parent.slug == "nutmeg" and local.level == "local" and local.is_demo
    nutmeg = Organization.objects.get(slug="nutmeg")
    roles = set(Membership.objects.filter(organization=nutmeg).values_list("role", flat=True))
    assert roles == set(Role.values)

    assert Affiliate.objects.filter(organization=nutmeg).count() == 40
    batches = ImportBatch.objects.filter(organization=nutmeg)
    assert batches.filter(status=ImportBatch.Status.COMMITTED).count() == 41
    rows = sum(batch.total_rows for batch in batches)
    people = Person.objects.filter(organization=nutmeg, source__kind="import")
    assert people.count() < rows  # some people are on several lists and were matched
    on_two_lists = people.annotate(lists=Count("affiliate_memberships")).filter(lists__gte=2)
    assert on_two_lists.exists()

    for login in DEMO_LOGINS:
        response = client.post(
            reverse("core:login"), {"username": login.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, login.email
        page = client.get(reverse("power:dashboard", kwargs={"org": login.organization}))
        assert b"every person, group, phone number and email here is invented" in page.content
        client.logout()


def test_loading_the_demo_twice_changes_nothing(db, demo_loaded):
    people = Person.objects.count()
    load()
    assert Person.objects.count() == people
    assert Organization.objects.count() == 2


def test_demo_logins_use_the_reserved_example_domain():
    assert all(login.email.endswith(".example") for login in DEMO_LOGINS)


def test_the_demo_has_a_voter_file_with_the_states_districts_and_the_base_in_it(db, demo_loaded):
    from powerbase.demo.rosters import build_residents
    from powerbase.voterfile.models import District, VoterFileVersion

    assert demo_loaded.status == Job.Status.SUCCEEDED
    nutmeg = Organization.objects.get(slug="nutmeg")
    version = VoterFileVersion.objects.filter(organization=nutmeg).current()
    assert version.voter_count >= 151 * 20 and version.vote_count > version.voter_count
    assert version.malformed_count == 0
    kinds = District.objects.filter(organization=nutmeg, version=version)
    assert kinds.filter(kind="state_house").count() == 151
    assert kinds.filter(kind="state_senate").count() == 36
    assert kinds.filter(kind="congressional").count() == 5
    # Most of the base is registered, under the names the rosters were written from.
    from powerbase.voterfile import store

    with store.reading(version) as con:  # the process's own connection, as pages read it
        registered = {
            (first, last)
            for first, last in con.execute("SELECT first_name, last_name FROM voters").fetchall()
        }
    residents = build_residents(scale=0.01 * 1.25)
    found = sum(
        (person.given.upper(), person.family.upper()) in registered
        or (person.given, person.family) in registered
        for person in residents
    )
    assert found > 0.7 * len(residents)
    load()
    assert VoterFileVersion.objects.filter(organization=nutmeg).count() == 1
