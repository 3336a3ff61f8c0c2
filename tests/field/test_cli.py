"""`powerbase field`: list universes, cut turf, write walk and phone lists."""

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.core.models import AuditEntry


def invoke(*args: str):
    return CliRunner().invoke(app, ["field", *args], env={"COLUMNS": "200"})


def test_universes_are_listed_and_cut(district_10):
    listed = invoke("universes", "--org", "nutmeg")
    assert listed.exit_code == 0 and "HD 10 doors" in listed.output
    cut = invoke("cut", str(district_10.pk), "--org", "nutmeg", "--doors", "10")
    assert cut.exit_code == 0, cut.output
    assert district_10.turfs.count() > 1 and "turfs" in cut.output


def test_walk_and_phone_lists_are_written_and_audited(turfs, tmp_path):
    pdf, phones = tmp_path / "walk.pdf", tmp_path / "phones.csv"
    assert (
        invoke("walk-list", str(turfs[0].pk), "--org", "nutmeg", "--out", str(pdf)).exit_code == 0
    )
    assert (
        invoke("phone-list", str(turfs[0].pk), "--org", "nutmeg", "--out", str(phones)).exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF") and phones.read_text().startswith("turf,")
    assert (
        AuditEntry.objects.filter(actor_label="command line", action__endswith="_exported").count()
        == 2
    )


def test_a_turf_of_another_organization_is_not_found(turfs, harbor, tmp_path):
    result = invoke(
        "walk-list", str(turfs[0].pk), "--org", harbor.slug, "--out", str(tmp_path / "x.pdf")
    )
    assert result.exit_code == 1 and "was not found" in result.output
