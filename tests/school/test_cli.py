"""`powerbase school nominate|sessions|skills`: a cohort's nominations, sessions and skill
assessments from a CSV each, and a bad file refused whole with its row and column."""

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from powerbase.cli.main import app
from powerbase.school.models import Participant, Session, SkillAssessment

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


def run(command: str, sheet, cohort):
    return runner.invoke(
        app, ["school", command, str(sheet), "--org", "nutmeg", "--cohort", str(cohort.pk)]
    )


def test_sessions_are_scheduled_from_a_csv(cohort, program, tmp_path):
    sheet = tmp_path / "calendar.csv"
    sheet.write_text(
        "Starts_At,ends_at,Module,title\n"
        "2027-03-04 18:30,2027-03-04 20:30,1,\n"
        "2027-03-11 18:30,,one-on-ones,Practice night\n"
    )
    result = run("sessions", sheet, cohort)
    assert result.exit_code == 0, result.output
    assert "Scheduled 2 sessions of Democracy School: Spring, Hartford." in result.output
    first, second = Session.objects.filter(cohort=cohort).order_by("action__starts_at")
    assert timezone.localtime(first.action.starts_at).strftime("%Y-%m-%d %H:%M") == (
        "2027-03-04 18:30"
    )
    assert first.action.title == "Democracy School: Power and self-interest"
    assert (second.module.title, second.action.title) == ("One-on-ones", "Practice night")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "2027-03-04 18:30,,1\n2027-03-11,,1\n",
            "calendar.csv, row 3, column 'starts_at': '2027-03-11' is not a date and time",
        ),
        (
            "2027-03-04 18:30,2027-03-04 17:00,1\n",
            "calendar.csv, row 2, column 'ends_at': '2027-03-04 17:00' is not after the start",
        ),
        (
            "2027-03-04 18:30,,7\n",
            "calendar.csv, row 2, column 'module': '7' is not a module number or title of "
            "Democracy School",
        ),
    ],
)
def test_a_bad_session_row_stops_the_whole_file(cohort, program, tmp_path, rows, expected):
    sheet = tmp_path / "calendar.csv"
    sheet.write_text("starts_at,ends_at,module\n" + rows)
    result = run("sessions", sheet, cohort)
    assert result.exit_code == 1
    assert expected in " ".join(result.output.split())
    assert not Session.objects.exists()


def test_skills_are_assessed_from_a_csv(cohort, maria_in, walter_in, tmp_path):
    sheet = tmp_path / "skills.csv"
    sheet.write_text(
        "person_id,skill,level,note,assessed_on\n"
        f"{maria_in.person_id},Public speaking,confident,Told her story at the rally,\n"
        f"#{walter_in.person_id},power_mapping,2,,2026-01-15\n"
    )
    result = run("skills", sheet, cohort)
    assert result.exit_code == 0, result.output
    assert "Recorded 2 skill assessments in Democracy School: Spring, Hartford." in result.output
    maria, walter = (
        SkillAssessment.objects.get(participant=maria_in),
        SkillAssessment.objects.get(participant=walter_in),
    )
    assert (maria.skill, maria.level, maria.note) == (
        "public_speaking",
        3,
        "Told her story at the rally",
    )
    assert maria.assessed_on == timezone.localdate()
    assert (walter.skill, walter.level, str(walter.assessed_on)) == (
        "power_mapping",
        2,
        "2026-01-15",
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("{walter},public speaking,3", "column 'person_id': #{walter} is not a participant of"),
        ("{maria},juggling,3", "column 'skill': 'juggling' is not one of: public_speaking"),
        ("{maria},public speaking,5", "column 'level': '5' is not one of: 1 (Beginning)"),
        ("{maria},public speaking,3,,2099-01-01", "column 'assessed_on': 2099-01-01 is in the"),
    ],
)
def test_a_bad_skill_row_stops_the_whole_file(cohort, maria_in, walter, tmp_path, row, expected):
    sheet = tmp_path / "skills.csv"
    good = f"{maria_in.person_id},one-on-ones,2"
    sheet.write_text(
        "person_id,skill,level,note,assessed_on\n"
        + good
        + "\n"
        + row.format(maria=maria_in.person_id, walter=walter.pk)
        + "\n"
    )
    result = run("skills", sheet, cohort)
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "skills.csv, row 3, " + expected.format(walter=walter.pk) in message
    assert not SkillAssessment.objects.exists()


def test_the_help_names_the_columns():
    for command, column in (("sessions", "starts_at"), ("skills", "person_id")):
        result = runner.invoke(app, ["school", command, "--help"])
        assert result.exit_code == 0
        assert column in result.output
