"""`powerbase votes import` and `powerbase officials list` from the shell."""

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core import access
from powerbase.legislature import services
from powerbase.legislature.models import RollCall
from tests.legislature.conftest import FIXTURES

runner = CliRunner()


def test_votes_import_reads_json_and_csv_and_explains_a_missing_bill(nutmeg):
    assert (
        runner.invoke(app, ["officials", "import", str(FIXTURES), "--org", "nutmeg"]).exit_code == 0
    )
    refused = runner.invoke(
        app, ["votes", "import", str(FIXTURES / "vote-events.json"), "--org", "nutmeg"]
    )
    assert refused.exit_code == 1 and "add the bill first" in refused.output
    for identifier in ("SB 10", "HB 5001"):
        services.create_bill(
            actor=access.command_line(nutmeg),
            jurisdiction="Connecticut",
            session="2027",
            identifier=identifier,
            title="Fictional",
        )
    for name in ("vote-events.json", "votes.csv"):
        result = runner.invoke(app, ["votes", "import", str(FIXTURES / name), "--org", "nutmeg"])
        assert result.exit_code == 0, result.output
    assert RollCall.objects.count() == 3
    listing = runner.invoke(app, ["officials", "list", "--org", "nutmeg", "--chamber", "upper"])
    assert "Imani Osei" in listing.output and "Rosa Alvarez-Finch" not in listing.output


def test_an_unknown_organization_is_named(db):
    result = runner.invoke(app, ["officials", "import", str(FIXTURES), "--org", "nowhere"])
    assert result.exit_code == 1 and "nowhere" in result.output
