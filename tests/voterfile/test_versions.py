"""Each import is a new version; the switch is atomic; what changed is counted."""

import pytest

from powerbase.core import access
from powerbase.core.exceptions import Conflict
from powerbase.core.jobs import Progress
from powerbase.core.models import AuditEntry, Job
from powerbase.voterfile import build, queries, services, store
from powerbase.voterfile.models import District, VoterFileVersion

from .conftest import FIXTURES, NC_FILES, NC_NEXT_FILES


def current(organization):
    return VoterFileVersion.objects.filter(organization=organization).current()


def test_the_first_import_becomes_version_one_with_its_districts(import_voter_file, nutmeg):
    job = import_voter_file(*NC_FILES)
    assert job.status == Job.Status.SUCCEEDED, job.error
    version = current(nutmeg)
    assert version.number == 1
    assert (version.voter_count, version.active_voter_count) == (10, 8)
    assert version.malformed_count == 2
    house = District.objects.get(organization=nutmeg, kind="state_house", code="34")
    assert (house.voter_count, house.version) == (3, version)
    assert job.result["Version"] == 1


def test_a_second_import_counts_new_registrations_removals_moves_and_party_changes(
    import_voter_file, nutmeg
):
    import_voter_file(*NC_FILES)
    import_voter_file(*NC_NEXT_FILES)
    changes = current(nutmeg).changes
    assert {kind: changes[kind]["count"] for kind in changes} == {
        "new": 1,
        "removed": 2,
        "moved": 1,
        "party": 1,
    }
    assert changes["new"]["samples"][0]["name"] == "TEMI FOLAYAN"
    assert changes["moved"]["samples"][0] == {
        "voter_id": "BN100002",
        "name": "PETER HALVORSEN",
        "old": "88 FAYETTEVILLE ST APT 4 RALEIGH 27601",
        "new": "9 HILLSBOROUGH ST RALEIGH 27603",
    }
    assert changes["party"]["samples"][0]["old"] == "UNA"
    assert changes["party"]["samples"][0]["new"] == "DEM"


def test_an_import_that_fails_while_building_leaves_the_previous_version_in_use(
    import_voter_file, nutmeg, monkeypatch, data_dir
):
    import_voter_file(*NC_FILES)
    districts_before = list(District.objects.values_list("pk", "voter_count", "version_id"))

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build._Builder, "_count_districts", broken)
    job = import_voter_file(*NC_NEXT_FILES)
    assert job.status == Job.Status.FAILED
    assert "disk full" in job.error
    assert current(nutmeg).number == 1
    assert list(District.objects.values_list("pk", "voter_count", "version_id")) == districts_before
    assert not store.building_path(nutmeg, job.pk).exists()


def test_an_import_that_fails_during_the_switch_leaves_the_previous_version_in_use(
    import_voter_file, nutmeg, monkeypatch
):
    import_voter_file(*NC_FILES)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "refresh_districts", broken)
    job = import_voter_file(*NC_NEXT_FILES)
    assert job.status == Job.Status.FAILED
    assert list(VoterFileVersion.objects.values_list("number", flat=True)) == [1]
    assert not store.finished_path(nutmeg, job.pk).exists()
    assert AuditEntry.objects.filter(action="voterfile.version_created").count() == 1


def test_a_killed_import_leaves_its_half_written_file_unread_and_a_rerun_succeeds(
    import_voter_file, nutmeg, django_capture_on_commit_callbacks
):
    import_voter_file(*NC_FILES)
    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_import(
            actor=access.command_line(nutmeg),
            paths=[FIXTURES / name for name in NC_NEXT_FILES],
            layout="nc",
        )
    # The worker died while writing: a partial file is left where the import was building.
    store.building_path(nutmeg, job.pk).write_bytes(b"half a database")
    assert current(nutmeg).number == 1
    summary = services.run_import(job, Progress(job))
    assert summary["Version"] == 2
    assert current(nutmeg).voter_count == 10


def test_running_the_same_import_job_twice_makes_one_version(import_voter_file, nutmeg):
    job = import_voter_file(*NC_FILES)
    again = services.run_import(job, Progress(job))
    assert again["Version"] == 1
    assert VoterFileVersion.objects.count() == 1


def test_a_second_import_is_refused_while_one_is_waiting(
    nutmeg, django_capture_on_commit_callbacks
):
    paths = [FIXTURES / name for name in NC_FILES]
    with django_capture_on_commit_callbacks(execute=False):
        services.start_import(actor=access.command_line(nutmeg), paths=paths, layout="nc")
    with pytest.raises(Conflict, match="already waiting"):
        services.start_import(actor=access.command_line(nutmeg), paths=paths, layout="nc")


def test_districts_keep_their_rows_across_versions(import_voter_file, nutmeg):
    import_voter_file(*NC_FILES)
    precinct = District.objects.get(organization=nutmeg, kind="precinct", code="92/01-07")
    import_voter_file(*NC_NEXT_FILES)
    precinct.refresh_from_db()
    assert precinct.version == current(nutmeg)
    assert precinct.voter_count == 2  # Adaeze, and Peter who moved in


def test_a_district_with_no_registered_voter_left_drops_out_of_the_version(
    import_voter_file, nutmeg
):
    import_voter_file(*NC_FILES)
    import_voter_file(*NC_NEXT_FILES)
    # Ward 1 of Wake lost Peter (moved to ward 2) and Lucia (removed).
    ward = District.objects.get(organization=nutmeg, kind="ward", code="92/W1")
    assert ward.version.number == 1
    assert not District.objects.filter(version=current(nutmeg), code="92/W1").exists()


def test_making_a_version_current_is_audited(import_voter_file, nutmeg):
    import_voter_file(*NC_FILES)
    entry = AuditEntry.objects.get(action="voterfile.version_created")
    assert entry.organization == nutmeg
    assert entry.actor_label == "command line"
    assert entry.changes["voters"] == [None, 10]


def test_another_organizations_versions_are_separate(import_voter_file, nutmeg, harbor, data_dir):
    import_voter_file(*NC_FILES)
    assert current(harbor) is None
    assert (data_dir / "voterfile" / "nutmeg").is_dir()
    assert not (data_dir / "voterfile" / "harbor").exists()


def test_importing_registrations_alone_keeps_the_vote_history_in_use(
    import_voter_file, nutmeg, data_director
):
    import_voter_file(*NC_FILES)
    import_voter_file(*NC_NEXT_FILES)
    version = current(nutmeg)
    assert version.vote_count == 19
    assert "vote history of the previous version was carried over" in version.notes[0]
    assert queries.voter_turnout(data_director, ["BN100001"])["BN100001"]["primaries"] == 4
