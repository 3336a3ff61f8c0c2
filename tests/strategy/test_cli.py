"""`powerbase strategy import-decisions`: a body's past decisions from a CSV, a bad file
refused whole with its row and column."""

from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.democracy.models import Decision
from powerbase.strategy.models import Task

runner = CliRunner()


def invoke(sheet, table):
    return runner.invoke(
        app,
        ["strategy", "import-decisions", str(sheet), "--org", "nutmeg", "--body", str(table.pk)],
    )


def test_past_decisions_come_in_with_their_campaigns_and_tasks(table, campaign, admin, tmp_path):
    sheet = tmp_path / "decisions.csv"
    sheet.write_text(
        "Decided_On,Title,Starts_Campaign,Task,Owner,Due_On\n"
        "2026-01-08,Adopt the table's rules,,,,\n"
        "2026-02-05,Launch Homes for All,homes for all,Book the hall,ADMIN@nutmeg.example,"
        "2026-02-20\n"
    )
    result = invoke(sheet, table)
    assert result.exit_code == 0, result.output
    assert "Logged 2 decisions of Strategy table with 1 tasks." in result.output
    launch = Decision.objects.get(title="Launch Homes for All")
    assert launch.body == table and launch.commitments.get().campaign == campaign
    assert launch.tasks.get().owner == admin


def test_a_bad_row_stops_the_whole_file(table, campaign, tmp_path):
    sheet = tmp_path / "decisions.csv"
    sheet.write_text(
        "decided_on,title,task,owner,due_on\n"
        "2026-01-08,Adopt the table's rules,,,\n"
        "2026-02-05,Launch,Book the hall,nobody@example.org,2026-02-20\n"
    )
    result = invoke(sheet, table)
    assert result.exit_code == 1
    assert (
        "decisions.csv, row 3, column 'owner': 'nobody@example.org' is not the address of a "
        "user of this organization" in " ".join(result.output.split())
    )
    assert not Decision.objects.exists() and not Task.objects.exists()


def test_a_task_without_a_due_date_is_named_by_its_column(table, organizer, tmp_path):
    sheet = tmp_path / "decisions.csv"
    sheet.write_text(
        "decided_on,title,task,owner\n2026-02-05,Launch,Book the hall,organizer@nutmeg.example\n"
    )
    result = invoke(sheet, table)
    assert result.exit_code == 1
    assert "row 2, column 'due_on': give a due date for 'Book the hall'." in " ".join(
        result.output.split()
    )


def test_a_missing_column_is_named(table, tmp_path):
    sheet = tmp_path / "decisions.csv"
    sheet.write_text("date,title\n2026-01-08,Rules\n")
    result = invoke(sheet, table)
    assert result.exit_code == 1
    assert "has no column 'decided_on'" in " ".join(result.output.split())
