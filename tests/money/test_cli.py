"""`powerbase money import`: a vendor export from the shell, and a bad file refused whole."""

from pathlib import Path

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.money.models import IncomeLine

runner = CliRunner()
DATA = Path(__file__).with_name("data")


def test_money_import_brings_in_an_actblue_export(nutmeg, maria):
    result = runner.invoke(
        app,
        ["money", "import", str(DATA / "actblue.csv"), "--org", "nutmeg", "--source", "actblue"],
    )
    assert result.exit_code == 0, result.output
    assert "Donors matched to people" in result.output
    assert "$535.00" in result.output
    assert IncomeLine.objects.count() == 5


def test_money_import_refuses_a_bad_row_by_row_and_column(nutmeg, tmp_path):
    bad = tmp_path / "ledger.csv"
    bad.write_text("date,amount,source_class,payer\n2026-01-05,100.00,grants,Elmwood Fund\n")
    result = runner.invoke(
        app, ["money", "import", str(bad), "--org", "nutmeg", "--source", "ledger"]
    )
    assert result.exit_code == 1
    assert "ledger.csv, row 2, column 'source_class': 'grants' is not a source" in result.output
    assert not IncomeLine.objects.exists()
