"""A new version goes into use only when it passes the sanity gates; any version can be put
back in use, from the command line or the versions page, and the switch is audited."""

import shutil

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core import access
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import AuditEntry, Job, Role
from powerbase.voterfile import queries, services
from powerbase.voterfile.models import District, VoterFileVersion

from .conftest import run_job
from .ncfiles import history_row, voter, write_ncvhis, write_ncvoter


@pytest.fixture
def files(tmp_path):
    """Write an NC-shaped registration file of voters *numbers* (and their history)."""

    def write(name, numbers, history=True, **values):
        folder = tmp_path / name
        paths = [write_ncvoter(folder / "ncvoter92.txt", [voter(n, **values) for n in numbers])]
        if history:
            paths.append(
                write_ncvhis(
                    folder / "ncvhis92.txt",
                    [history_row(n, "11/08/2022", "GENERAL") for n in numbers if n % 2],
                )
            )
        return paths

    return write


@pytest.fixture
def run_import(django_capture_on_commit_callbacks, nutmeg, strict_gates):
    def run(paths, layout="nc", **options):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.start_import(
                actor=access.command_line(nutmeg), paths=paths, layout=layout, **options
            )
        job = run_job(job)
        assert job.status == Job.Status.SUCCEEDED, job.error
        return VoterFileVersion.objects.get(job=job)

    return run


def in_use(organization):
    return VoterFileVersion.objects.filter(organization=organization).current()


def failed(version):
    return [gate["name"] for gate in version.gates if not gate["passed"]]


def test_a_clean_file_passes_every_gate_and_goes_into_use(run_import, files, nutmeg):
    version = run_import(files("v1", range(1, 101)))
    assert version.status == "ready" and failed(version) == []
    assert in_use(nutmeg) == version


def test_a_wrong_headerless_layout_is_held_and_the_version_in_use_stays(
    run_import, files, nutmeg, tmp_path
):
    first = run_import(files("v1", range(1, 101)))
    renamed = tmp_path / "wrong" / "LEO_20240109.txt"
    renamed.parent.mkdir()
    shutil.copy(files("v2", range(1, 101), history=False)[0], renamed)
    held = run_import([renamed], layout="fl")
    assert held.status == "held"
    assert "well_formed" in failed(held)
    assert in_use(nutmeg) == first
    assert not District.objects.filter(version=held).exists()
    assert AuditEntry.objects.filter(action="voterfile.version_held").count() == 1


def test_a_wrong_headerless_layout_as_the_first_import_leaves_no_version_in_use(
    run_import, files, nutmeg, tmp_path
):
    renamed = tmp_path / "VOTELCT2.TXT"
    shutil.copy(files("v1", range(1, 101), history=False)[0], renamed)
    held = run_import([renamed], layout="ct")
    assert held.status == "held"
    assert in_use(nutmeg) is None


def test_a_download_cut_off_mid_row_is_held(run_import, files, nutmeg):
    path = files("v1", range(1, 101), history=False)[0]
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])  # stops in the middle of a row
    held = run_import([path])
    assert held.status == "held"
    assert "complete" in failed(held)
    assert "ncvoter92.txt stops in the middle of a row" in " ".join(
        gate["sentence"] for gate in held.gates
    )
    assert in_use(nutmeg) is None


def test_a_cut_off_download_after_a_full_one_fails_the_removals_gate_too(run_import, files, nutmeg):
    first = run_import(files("v1", range(1, 101)))
    path = files("v2", range(1, 101), history=False)[0]
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    held = run_import([path])
    assert set(failed(held)) == {"complete", "removals"}
    assert in_use(nutmeg) == first


def test_a_header_only_file_is_held_with_no_voters(run_import, files, nutmeg):
    held = run_import(files("v1", [], history=False))
    assert held.status == "held"
    assert held.voter_count == 0
    assert "hold no rows" in held.gates[0]["sentence"]
    assert in_use(nutmeg) is None
    with pytest.raises(InvalidInput, match="holds no voters"):
        services.use_version(
            actor=access.command_line(nutmeg), number=held.number, accept_large_change=True
        )


def test_more_removals_than_allowed_are_held_unless_the_importer_accepts(run_import, files, nutmeg):
    run_import(files("v1", range(1, 101)))
    held = run_import(files("v2", range(1, 86)))  # 15 of 100 voters gone
    assert failed(held) == ["removals"]
    removals = held.gates[-1]
    assert (removals["value"], removals["limit"]) == (0.15, 0.10)
    assert "15 of the 100 registered voters" in removals["sentence"]
    accepted = run_import(files("v3", range(1, 86)), accept_large_change=True)
    assert accepted.status == "ready"
    assert in_use(nutmeg) == accepted


def test_removals_within_the_limit_pass(run_import, files, nutmeg):
    run_import(files("v1", range(1, 101)))
    version = run_import(files("v2", range(1, 95)))  # 6 of 100 gone
    assert in_use(nutmeg) == version


def test_going_back_to_an_earlier_version_moves_districts_and_turnout_with_it(
    run_import, files, nutmeg, users_by_role
):
    from powerbase.core.access import actor_for

    data_director = actor_for(users_by_role[Role.DATA], nutmeg.slug)
    first = run_import(files("v1", range(1, 101)))
    second = run_import(files("v2", range(1, 101), nc_house_abbrv="35"))
    assert District.objects.get(kind="state_house", code="35").version == second
    assert queries.voter_turnout(data_director, ["BN000002"]) != {}

    services.use_version(actor=data_director, number=1)

    assert in_use(nutmeg) == first
    second.refresh_from_db()
    assert second.status == "set_aside"
    assert District.objects.get(kind="state_house", code="34").version == first
    assert [d.code for d in queries.districts(data_director, kind="state_house")] == ["34"]
    entry = AuditEntry.objects.get(action="voterfile.version_used")
    assert entry.changes["version_in_use"] == [2, 1]
    assert entry.actor == users_by_role[Role.DATA]
    # And forward again.
    services.use_version(actor=data_director, number=2)
    assert in_use(nutmeg) == second


def test_a_held_version_is_used_only_when_its_numbers_are_accepted(run_import, files, nutmeg):
    run_import(files("v1", range(1, 101)))
    held = run_import(files("v2", range(1, 71)))
    with pytest.raises(InvalidInput, match="Version 2 was held: 30 of the 100"):
        services.use_version(actor=access.command_line(nutmeg), number=2)
    services.use_version(actor=access.command_line(nutmeg), number=2, accept_large_change=True)
    assert in_use(nutmeg) == held
    assert AuditEntry.objects.get(action="voterfile.version_used").changes[
        "accepted_failed_gates"
    ] == ["removals"]


def test_the_use_command_switches_versions_and_names_failures(run_import, files, nutmeg):
    run_import(files("v1", range(1, 101)))
    run_import(files("v2", range(1, 101)))
    runner = CliRunner()
    result = runner.invoke(app, ["voterfile", "use", "1", "--org", "nutmeg"])
    assert result.exit_code == 0, result.output
    assert "Version 1 is now in use" in result.output
    assert in_use(nutmeg).number == 1
    again = runner.invoke(app, ["voterfile", "use", "1", "--org", "nutmeg"])
    assert again.exit_code == 1
    assert "Version 1 is already in use." in again.output
    missing = runner.invoke(app, ["voterfile", "use", "9", "--org", "nutmeg"])
    assert missing.exit_code == 1
    versions = runner.invoke(
        app, ["voterfile", "versions", "--org", "nutmeg"], env={"COLUMNS": "200"}
    )
    assert "1 (in use)" in versions.output and "2 (set aside" in versions.output


def test_the_version_page_confirms_with_the_numbers_before_using_a_held_version(
    run_import, files, nutmeg, client, users_by_role
):
    run_import(files("v1", range(1, 101)))
    run_import(files("v2", range(1, 71)))
    client.force_login(users_by_role[Role.DATA])
    overview = client.get(reverse("voterfile:overview", kwargs={"org": "nutmeg"}))
    assert "Version 2 was held, not put in use" in overview.content.decode()
    version_page = client.get(
        reverse("voterfile:version", kwargs={"org": "nutmeg", "number": 2})
    ).content.decode()
    assert "Held: this version failed a check below" in version_page
    assert "<strong>Failed</strong>: 30 of the 100 registered voters" in version_page
    use_url = reverse("voterfile:use", kwargs={"org": "nutmeg", "number": 2})
    confirm = client.get(use_url).content.decode()
    assert "30 of the 100 registered voters" in confirm
    assert "Use version 2 anyway" in confirm
    refused = client.post(use_url, follow=True)  # without the confirmation's field
    assert "To use it anyway" in refused.content.decode()
    assert in_use(nutmeg).number == 1
    client.post(use_url, {"accept": "yes"})
    assert in_use(nutmeg).number == 2
