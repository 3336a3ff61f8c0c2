"""`powerbase bargaining import-units`: units from a CSV, and a bad file refused whole with its
row and column."""

import datetime

from typer.testing import CliRunner

from powerbase.bargaining.models import BargainingUnit
from powerbase.cli.main import app

runner = CliRunner()


def run(path):
    result = runner.invoke(app, ["bargaining", "import-units", str(path), "--org", "nutmeg"])
    return result, " ".join(result.output.split())


def test_units_come_in_from_a_csv(teachers_union, tenant_union, tmp_path):
    sheet = tmp_path / "units.csv"
    sheet.write_text(
        "Affiliate,Employer,Unit,Unit Size,Contract Expires,Bargaining Starts\n"
        'Educators Local 12,New Haven Public Schools,Teachers,"1,800",2027-06-30,02/01/2027\n'
        "quinnipiac tenants union,Elm City Housing Authority,,140,31-Mar-2028,\n"
    )
    result, output = run(sheet)
    assert result.exit_code == 0, result.output
    assert "Added 2 bargaining units (1940 workers)." in output
    schools = BargainingUnit.objects.get(employer="New Haven Public Schools")
    assert schools.affiliate == teachers_union
    assert (schools.unit_size, schools.bargaining_starts_on) == (1800, datetime.date(2027, 2, 1))
    housing = BargainingUnit.objects.get(employer="Elm City Housing Authority")
    assert housing.contract_expires_on == datetime.date(2028, 3, 31)


def test_a_bad_row_stops_the_whole_file(teachers_union, tmp_path):
    sheet = tmp_path / "units.csv"
    sheet.write_text(
        "affiliate,employer,unit_size,contract_expires\n"
        "Educators Local 12,New Haven Public Schools,1800,2027-06-30\n"
        "Educators Local 12,Hamden Public Schools,320,next June\n"
    )
    result, output = run(sheet)
    assert result.exit_code == 1
    assert "units.csv, row 3, column 'contract_expires': 'next June' is not a date" in output
    assert not BargainingUnit.objects.exists()


def test_an_unknown_affiliate_and_a_repeated_unit_are_named(teachers_union, tmp_path):
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(
        "affiliate,employer,unit_size,contract_expires\nNurses United,Yale,900,2027-06-30\n"
    )
    assert "unknown.csv, row 2, column 'affiliate': 'Nurses United'" in run(unknown)[1]
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "affiliate,employer,unit_size,contract_expires\n"
        "Educators Local 12,Hamden Public Schools,320,2027-06-30\n"
        "Educators Local 12,Hamden Public Schools,320,2027-06-30\n"
    )
    result, output = run(twice)
    assert "twice.csv, row 3, column 'employer': Educators Local 12 already has a unit" in output
    assert not BargainingUnit.objects.exists()


def test_a_missing_column_is_named(nutmeg, tmp_path):
    sheet = tmp_path / "units.csv"
    sheet.write_text("affiliate,employer\nEducators Local 12,Yale\n")
    result, output = run(sheet)
    assert result.exit_code == 1
    assert "has no column 'unit_size', 'contract_expires'" in output
