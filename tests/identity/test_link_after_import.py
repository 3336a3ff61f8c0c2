"""After a list import, its people are linked to the voter file without a manual step."""

from django.urls import reverse

from powerbase.core import services as core_services
from powerbase.core.access import actor_for
from powerbase.core.models import AuditEntry, Job, Role
from powerbase.identity.models import VoterLink
from powerbase.identity.services import LINK_JOB
from powerbase.imports import services as import_services
from powerbase.people.models import Person
from tests.identity.conftest import run_job
from tests.imports.conftest import csv_bytes

ROSTER = [
    ["First Name", "Last Name", "Date of Birth", "Street", "City", "Zip"],
    # In the town's voter file as MARIA GONZALEZ, 12 ELM ST.
    ["Maria", "Gonzalez", "3/14/1984", "12 Elm Street", "New Haven", "06511"],
    # Not registered.
    ["Perpetua", "Vandersloot", "1/2/1991", "3 Quarry Lane", "Hamden", "06517"],
]


def import_roster(actor, organization, rows=ROSTER) -> None:
    batch = import_services.upload(
        actor=actor, file_name="roster.csv", content=csv_bytes(rows), affiliate=None
    )
    run_job(import_services.start_check(actor=actor, batch=batch, enqueue=False))
    batch.refresh_from_db()
    job = run_job(import_services.start_commit(actor=actor, batch=batch, enqueue=False))
    assert job.status == Job.Status.SUCCEEDED, job.error


def link_jobs(organization):
    return Job.objects.filter(organization=organization, kind=LINK_JOB)


def test_an_import_starts_linking_its_people_to_the_voter_file(town, data_director):
    import_roster(data_director, town)
    (job,) = link_jobs(town)
    assert job.status == Job.Status.QUEUED
    assert job.started_by == data_director.user
    assert run_job(job).status == Job.Status.SUCCEEDED
    maria = Person.objects.get(organization=town, family_name="Gonzalez")
    assert VoterLink.objects.get(person=maria).voter_id == "CT000001"
    assert not VoterLink.objects.filter(person__family_name="Vandersloot").exists()


def test_an_organization_that_turned_it_off_links_by_hand(town, data_director, users_by_role):
    owner = actor_for(users_by_role[Role.OWNER], town.slug)
    core_services.update_organization_settings(
        actor=owner, name=town.name, require_two_factor=False, link_after_import=False
    )
    import_roster(data_director, town)
    assert not link_jobs(town).exists()


def test_without_a_voter_file_an_import_starts_no_link_job(nutmeg, data_director):
    import_roster(data_director, nutmeg)
    assert not link_jobs(nutmeg).exists()


def test_a_link_job_already_waiting_takes_the_new_people_along(town, data_director):
    import_roster(data_director, town)
    # A second list while the first job still waits.
    import_roster(data_director, town, [ROSTER[0], ["Ivo", "Brank", "", "", "", "06511"]])
    assert link_jobs(town).count() == 1


def test_the_setting_is_on_for_a_new_organization_and_changing_it_is_audited(nutmeg, users_by_role):
    assert nutmeg.link_after_import
    owner = actor_for(users_by_role[Role.OWNER], nutmeg.slug)
    core_services.update_organization_settings(
        actor=owner, name=nutmeg.name, require_two_factor=False, link_after_import=False
    )
    nutmeg.refresh_from_db()
    assert not nutmeg.link_after_import
    entry = AuditEntry.objects.get(organization=nutmeg, action="organization.updated")
    assert entry.changes == {"link_after_import": [True, False]}


def test_the_settings_page_shows_the_setting_and_turns_it_off(client, users_by_role, nutmeg):
    client.force_login(users_by_role[Role.OWNER])
    url = reverse("core:settings", kwargs={"org": nutmeg.slug})
    assert b"link the new people to the voter file" in client.get(url).content
    client.post(url, {"name": nutmeg.name})  # the box left unticked
    nutmeg.refresh_from_db()
    assert not nutmeg.link_after_import


def test_linking_reads_the_voter_file_from_its_parquet_copy(
    town, data_director, settings, tmp_path
):
    """On an app machine without the DuckDB file, linking reads the published Parquet."""
    from powerbase.voterfile import services as voterfile_services
    from powerbase.voterfile import store
    from powerbase.voterfile.models import VoterFileVersion

    version = VoterFileVersion.objects.get(organization=town)
    voterfile_services.publish_version(actor=data_director, number=version.number, to=str(tmp_path))
    settings.VOTERFILE_PARQUET = str(tmp_path)
    store.remove(store.path_of(version))
    assert AuditEntry.objects.filter(action="voterfile.version_published").exists()

    import_roster(data_director, town)
    (job,) = link_jobs(town)
    assert run_job(job).status == Job.Status.SUCCEEDED, job.error
    maria = Person.objects.get(organization=town, family_name="Gonzalez")
    assert VoterLink.objects.get(person=maria).voter_id == "CT000001"
