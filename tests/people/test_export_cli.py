"""`powerbase export people`: the web's people export from the shell, as one user sees it."""

import csv

import openpyxl
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.models import AuditEntry, Role

runner = CliRunner()


def export(*args: str):
    return runner.invoke(app, ["export", "people", *args])


def test_a_data_directors_export_holds_what_they_may_see_and_not_a_withheld_email(
    nutmeg, users_by_role, maria, walter, tmp_path
):
    out = tmp_path / "people.csv"
    data = users_by_role[Role.DATA]
    result = export("--org", "nutmeg", "--as", data.email.upper(), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Wrote 2 people" in result.output
    rows = {row["family_name"]: row for row in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert rows["Okonkwo-Hill"]["emails"] == "walter@teachers.example"  # shared by his union
    assert rows["Gonzalez"]["emails"] == ""  # the tenant union withholds it
    text = out.read_text(encoding="utf-8-sig")
    assert "maria@tenants.example" not in text and "2035550123" not in text
    assert "hispanic_or_latino" not in text  # nor her demographics
    entry = AuditEntry.objects.get(action="people.exported")
    assert entry.actor == data and entry.changes["rows"] == 2


def test_xlsx_is_chosen_by_the_files_suffix_or_by_format(nutmeg, users_by_role, maria, tmp_path):
    data = users_by_role[Role.DATA].email
    for name, extra in (("people.xlsx", []), ("people.bin", ["--format", "xlsx"])):
        out = tmp_path / name
        result = export("--org", "nutmeg", "--as", data, "--out", str(out), *extra)
        assert result.exit_code == 0, result.output
        sheet = openpyxl.load_workbook(out.open("rb")).active
        assert sheet is not None
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert values[0][:4] == ["id", "given_name", "middle_name", "family_name"]
        assert values[1][3] == "Gonzalez" and len(values) == 2


def test_a_role_that_may_not_export_on_the_web_may_not_here(
    nutmeg, affiliate_lead, maria, walter, tmp_path
):
    out = tmp_path / "people.csv"
    result = export("--org", "nutmeg", "--as", affiliate_lead.email, "--out", str(out))
    assert result.exit_code == 1
    assert "does not allow this (people.export)" in result.output
    assert not out.exists() and not list(tmp_path.iterdir())
    assert AuditEntry.objects.filter(action="access.denied").exists()


def test_an_unknown_user_organization_or_membership_is_named(
    nutmeg, harbor, users_by_role, outsider, tmp_path
):
    out = str(tmp_path / "people.csv")
    data = users_by_role[Role.DATA].email
    cases = [
        (["--org", "nowhere", "--as", data], "no organization with the short name 'nowhere'"),
        (
            ["--org", "nutmeg", "--as", "nobody@x.example"],
            "no user with the email nobody@x.example",
        ),
        (["--org", "nutmeg", "--as", outsider.email], f"{outsider.email} has no role in nutmeg"),
    ]
    for args, message in cases:
        result = export(*args, "--out", out)
        assert result.exit_code == 1, args
        assert message in " ".join(result.output.split()), result.output
    missing = export("--org", "nutmeg", "--as", data, "--out", str(tmp_path / "no" / "p.csv"))
    assert missing.exit_code == 1 and "does not exist" in missing.output


def test_the_help_says_whose_view_the_file_holds():
    result = runner.invoke(app, ["export", "people", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--as" in text and "--out" in text and "as USER sees them" in text
