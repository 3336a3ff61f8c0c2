"""Rename democracy's Attendance and Candidate so they no longer share a name with
actions.Attendance and electoral.Candidate. RenameModel keeps every row (it renames the table)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("democracy", "0002_in_person_codes_and_guests"),
    ]

    operations = [
        migrations.RenameModel(old_name="Attendance", new_name="AssemblyAttendance"),
        migrations.RenameModel(old_name="Candidate", new_name="BallotCandidate"),
    ]
