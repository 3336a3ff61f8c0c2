"""`powerbase school nominate`: a cohort's nominations from a CSV, and a bad file refused whole."""

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.school.models import Participant

runner = CliRunner()


def test_nominations_come_in_from_a_csv(cohort, maria, walter, tmp_path):
    sheet = tmp_path / "spring.csv"
    sheet.write_text(
        f"Person_ID,Affiliate\n{maria.pk},Quinnipiac Tenants Union\n"
        f"{walter.pk},educators local 12\n"
    )
    result = runner.invoke(
        app, ["school", "nominate", str(sheet), "--org", "nutmeg", "--cohort", str(cohort.pk)]
    )
    assert result.exit_code == 0, result.output
    assert "Nominated 2 to Democracy School: Spring, Hartford." in result.output
    assert {p.nominating_affiliate.name for p in Participant.objects.all()} == {
        "Quinnipiac Tenants Union",
        "Educators Local 12",
    }


def test_a_bad_row_stops_the_whole_file(cohort, maria, walter, tmp_path):
    sheet = tmp_path / "spring.csv"
    sheet.write_text(
        f"person_id,affiliate\n{maria.pk},Quinnipiac Tenants Union\n"
        f"{walter.pk},Quinnipiac Tenants Union\n"
    )
    result = runner.invoke(
        app, ["school", "nominate", str(sheet), "--org", "nutmeg", "--cohort", str(cohort.pk)]
    )
    assert result.exit_code == 1
    assert "spring.csv, row 3, column 'person_id': Walter Okonkwo-Hill is not a current member" in (
        " ".join(result.output.split())
    )
    assert not Participant.objects.exists()


def test_a_missing_column_is_named(cohort, tmp_path):
    sheet = tmp_path / "spring.csv"
    sheet.write_text("name,affiliate\nMaría,Quinnipiac Tenants Union\n")
    result = runner.invoke(
        app, ["school", "nominate", str(sheet), "--org", "nutmeg", "--cohort", str(cohort.pk)]
    )
    assert result.exit_code == 1
    assert "has no column 'person_id'" in result.output
