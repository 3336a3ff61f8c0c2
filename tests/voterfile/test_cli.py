"""`powerbase voterfile`: layouts, import with a progress bar, versions and changes."""

import pytest
from django.core.management import call_command
from typer.testing import CliRunner

from powerbase.cli import jobwatch
from powerbase.cli import voterfile as voterfile_cli
from powerbase.cli.main import app
from powerbase.voterfile.models import District, VoterFileVersion

from .conftest import FIXTURES, NC_FILES, NC_NEXT_FILES

# Jobs are queued when the transaction commits: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_in_process(monkeypatch):
    """Run queued jobs in this process (the test database is not visible to a subprocess)."""

    def run(job_id: int) -> bool:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        return jobwatch.watch(job_id, console=voterfile_cli.console, interval=0)

    monkeypatch.setattr(voterfile_cli, "run_worker_and_watch", run)


def invoke(*args: str):
    return CliRunner().invoke(app, ["voterfile", *args], env={"COLUMNS": "200"})


def import_nc(*names: str):
    return invoke(
        "import", *[str(FIXTURES / name) for name in names], "--org", "nutmeg", "--layout", "nc"
    )


def test_layouts_lists_every_shipped_layout_with_its_source():
    result = invoke("layouts")
    assert result.exit_code == 0
    for name in ("nc", "ct", "oh", "fl", "generic"):
        assert f" {name} " in result.output
    assert "https://www.ncsbe.gov/results-data/voter-registration-data" in result.output


def test_import_runs_the_job_and_reports_the_version_now_in_use(nutmeg, worker_in_process):
    result = import_nc(*NC_FILES)
    assert result.exit_code == 0, result.output
    assert "Version 1 is now in use: 10 registrations (8 active), 19 votes" in result.output
    assert "2 malformed rows were left out" in result.output
    assert (
        "ncvoter_Statewide.txt, line 9: the row has too few columns (expected 67)." in result.output
    )
    assert VoterFileVersion.objects.get(organization=nutmeg).number == 1


def test_import_with_no_wait_leaves_the_job_to_a_running_worker(nutmeg):
    result = invoke(
        "import", str(FIXTURES / NC_FILES[0]), "--org", "nutmeg", "--layout", "nc", "--no-wait"
    )
    assert result.exit_code == 0
    assert "powerbase jobs watch" in result.output
    assert not VoterFileVersion.objects.exists()


def test_import_into_an_unknown_organization_fails_with_a_sentence(nutmeg):
    result = invoke("import", str(FIXTURES / NC_FILES[0]), "--org", "atlantis", "--layout", "nc")
    assert result.exit_code == 1
    assert "There is no organization with the short name 'atlantis'." in result.output


def test_import_of_another_states_file_fails_naming_the_file(nutmeg):
    result = invoke(
        "import", str(FIXTURES / "oh/FRANKLIN.txt"), "--org", "nutmeg", "--layout", "nc"
    )
    assert result.exit_code == 1
    assert "FRANKLIN.txt does not look like a file of the North Carolina" in result.output


def test_import_with_a_mapping_for_the_generic_layout(nutmeg, worker_in_process):
    result = invoke(
        "import",
        str(FIXTURES / "generic/county_export.csv"),
        "--org",
        "nutmeg",
        "--layout",
        "generic",
        "--map",
        "state_house=Rep Dist",
    )
    assert result.exit_code == 0, result.output
    assert "1 rows without a voter id." in result.output
    assert set(District.objects.filter(kind="state_house").values_list("code", flat=True)) == {
        "9",
        "10",
        "11",
    }


def test_versions_and_changes_show_what_each_import_changed(nutmeg, worker_in_process):
    import_nc(*NC_FILES)
    import_nc(*NC_NEXT_FILES)
    versions = invoke("versions", "--org", "nutmeg")
    assert versions.exit_code == 0
    assert "2 (in use)" in versions.output
    changes = invoke("changes", "--org", "nutmeg", "--limit", "10")
    assert changes.exit_code == 0
    assert "New registrations: 1" in changes.output
    assert "Removals: 2" in changes.output
    assert "Anna Kowalczyk" in changes.output
    assert "UNA" in changes.output and "DEM" in changes.output
    first = invoke("changes", "--org", "nutmeg", "--version", "1")
    assert "Version 1 is the first" in first.output


def test_versions_of_an_organization_without_a_voter_file_says_how_to_import_one(nutmeg):
    result = invoke("versions", "--org", "nutmeg")
    assert result.exit_code == 0
    assert "has no voter file yet" in result.output


def test_an_import_that_fails_a_gate_is_held_and_says_how_to_use_it_anyway(
    nutmeg, worker_in_process, strict_gates
):
    # The fixture's registration file has 1 malformed row of 11: below the 95% a real file
    # must reach.
    result = import_nc(*NC_FILES)
    assert result.exit_code == 1
    assert "Version 1 was held, not put in use" in result.output
    assert "10 of 11 registration rows (90.9%) were well formed" in result.output
    assert "powerbase voterfile use 1 --org nutmeg --accept-large-change" in result.output
    assert VoterFileVersion.objects.filter(organization=nutmeg).current() is None
    used = invoke("use", "1", "--org", "nutmeg", "--accept-large-change")
    assert used.exit_code == 0, used.output
    assert VoterFileVersion.objects.filter(organization=nutmeg).current().number == 1
