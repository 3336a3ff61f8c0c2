"""`powerbase results import` and `powerbase powermap`: the services from the shell."""

import csv

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.models import AuditEntry
from powerbase.electoral import services
from powerbase.electoral.models import ResultLine
from tests.electoral.test_results import RESULTS
from tests.power.conftest import linked_base, voter_file  # noqa: F401 - fixtures used below

runner = CliRunner()


def test_results_import_writes_the_file_and_prints_a_summary(tmp_path, senate_10):
    path = tmp_path / "results.csv"
    path.write_bytes(RESULTS)
    result = runner.invoke(app, ["results", "import", str(path), "--org", "nutmeg"])
    assert result.exit_code == 0, result.output
    assert "Rows" in result.output and "7" in result.output
    assert "Candidates added" in result.output
    assert ResultLine.objects.filter(race=senate_10).count() == 5
    entry = AuditEntry.objects.get(action="results.imported")
    assert entry.actor is None and entry.actor_label == "command line"
    again = runner.invoke(app, ["results", "import", str(path), "--org", "nutmeg"])
    assert again.exit_code == 0
    assert ResultLine.objects.count() == 7  # the same file twice changes nothing


def test_a_bad_row_names_file_row_and_column_and_writes_nothing(tmp_path, senate_10):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        RESULTS + b"Democratic primary 2024,State House District 94,Lee Amato,many,2\n"
    )
    result = runner.invoke(app, ["results", "import", str(path), "--org", "nutmeg"])
    assert result.exit_code == 1
    assert "bad.csv, row 9, column 'votes'" in result.output
    assert "Nothing was imported" in result.output
    assert not ResultLine.objects.exists()


def test_results_import_refuses_an_unknown_organization_or_election(tmp_path, nutmeg):
    path = tmp_path / "results.csv"
    path.write_bytes(RESULTS)
    unknown = runner.invoke(app, ["results", "import", str(path), "--org", "nowhere"])
    assert unknown.exit_code == 1 and "no organization" in unknown.output
    missing = runner.invoke(app, ["results", "import", str(path), "--org", "nutmeg"])
    assert missing.exit_code == 1
    assert "results.csv, row 2, column 'election'" in missing.output


def test_powermap_prints_the_district_table(nutmeg, linked_base):  # noqa: F811
    result = runner.invoke(
        app, ["powermap", "--org", "nutmeg", "--sort", "district"], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    assert "Power map: state house districts, DEM primary" in result.output
    firsts = [
        line.split("│")[1].strip() for line in result.output.splitlines() if line.count("│") > 2
    ]
    districts = [cell for cell in firsts if cell.isdigit()]
    assert districts == ["1", "2"], result.output
    assert "7 in the base, 6 matched to a voter" in result.output


def test_powermap_writes_every_district_as_csv(
    tmp_path,
    nutmeg,
    linked_base,  # noqa: F811
    organizer,  # noqa: F811
    manager,
):
    from powerbase.electoral.models import Election
    from powerbase.voterfile.models import District

    election = services.create_election(
        actor=manager, name="Primary 2024", kind="primary", date="2024-08-13"
    )
    race = services.create_race(
        actor=manager,
        election=election,
        office="House 1",
        party="DEM",
        district=District.objects.get(organization=nutmeg, kind="state_house", code="1"),
    )
    services.import_results(
        actor=manager,
        file_name="r.csv",
        content=(
            b"election,race,candidate,votes\nPrimary 2024,House 1,A,3\nPrimary 2024,House 1,B,2\n"
        ),
    )
    assert race.result_lines.count() == 2 and Election.objects.count() == 1
    out = tmp_path / "map.csv"
    result = runner.invoke(
        app, ["powermap", "--org", "nutmeg", "--party", "dem", "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = {row["district"]: row for row in csv.DictReader(out.open())}
    assert set(rows) == {"1", "2"}
    assert rows["1"]["members"] == "5" and rows["1"]["leaders"] == "1"
    assert (rows["1"]["last_margin"], rows["1"]["turnout_from"]) == ("1", "results")
    assert rows["2"]["members"] == "1" and rows["2"]["last_margin"] == ""


def test_powermap_explains_a_wrong_chamber_and_a_missing_voter_file(nutmeg):
    wrong = runner.invoke(app, ["powermap", "--org", "nutmeg", "--chamber", "ward_7"])
    assert wrong.exit_code == 1 and "not a chamber" in wrong.output
    empty = runner.invoke(app, ["powermap", "--org", "nutmeg"])
    assert empty.exit_code == 1 and "no voter file yet" in empty.output
