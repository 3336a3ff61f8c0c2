"""Undoing an import whose people the organization has worked with since (#12 problem 6)."""

import logging

from django.urls import reverse
from django.utils import timezone

from powerbase.actions.models import Action, Attendance, Rsvp
from powerbase.core.models import Job
from powerbase.democracy.models import Electorate, Eligibility, Vote
from powerbase.imports import services
from powerbase.imports.models import ImportBatch
from powerbase.people.models import EmailAddress, Person
from tests.conftest import act
from tests.imports.conftest import csv_bytes

CANARY = "Zebulonia"
ROSTER = [
    ["First Name", "Last Name", "Email"],
    [CANARY, "Voter", "voter@example.org"],
    [CANARY, "Marcher", "marcher@example.org"],
    [CANARY, "Recruiter", "recruiter@example.org"],
    ["Only", "Imported", "only@example.org"],
]


def imported(actor, organization) -> ImportBatch:
    from powerbase.core import jobs

    batch = services.upload(
        actor=actor, file_name="roster.csv", content=csv_bytes(ROSTER), affiliate=None
    )
    for job in (services.start_check(actor=actor, batch=batch, enqueue=False),):
        jobs.execute(job.pk)
    batch.refresh_from_db()
    job = services.start_commit(actor=actor, batch=batch, enqueue=False)
    jobs.execute(job.pk)
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED
    batch.refresh_from_db()
    return batch


def work_with_them(organization):
    """A ballot eligibility, an RSVP with its recruiter, and an attendance since the import."""
    voter, marcher, recruiter = (
        Person.objects.get(family_name=name) for name in ("Voter", "Marcher", "Recruiter")
    )
    org = {"organization": organization}
    members = Electorate.objects.create(**org, name="All", kind=Electorate.Kind.MEMBERS)
    vote = Vote.objects.create(**org, title="Name it", method="irv", electorate=members)
    Eligibility.objects.create(
        **org, vote=vote, person=voter, holder=voter, basis=Eligibility.Basis.MEMBER
    )
    action = Action.objects.create(**org, title="March", starts_at=timezone.now())
    Rsvp.objects.create(**org, action=action, person=marcher, recruited_by=recruiter)
    Attendance.objects.create(**org, action=action, person=marcher)


def test_undo_keeps_people_worked_with_since_says_why_and_logs_no_names(
    client, users_by_role, nutmeg, caplog
):
    data = users_by_role["data"]
    batch = imported(act(data, nutmeg), nutmeg)
    work_with_them(nutmeg)
    client.force_login(data)
    caplog.set_level(logging.DEBUG)
    response = client.post(
        reverse("imports:undo", kwargs={"org": nutmeg.slug, "batch_id": batch.pk}), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 people removed" in page and "3 people kept" in page
    assert "1 with ballot eligibilities" in page and "2 with RSVPs" in page
    assert "1 with attendance at actions" in page
    assert set(Person.objects.values_list("family_name", flat=True)) == {
        "Voter",
        "Marcher",
        "Recruiter",
    }
    # Kept whole: a voter on a roll can still be reached.
    assert EmailAddress.objects.filter(address="voter@example.org").exists()
    assert not EmailAddress.objects.filter(address="only@example.org").exists()
    assert Rsvp.objects.count() == 1 and Attendance.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert CANARY not in caplog.text


def test_undo_of_an_import_nobody_worked_with_removes_everyone(users_by_role, nutmeg):
    actor = act(users_by_role["data"], nutmeg)
    batch = imported(actor, nutmeg)
    result = services.undo(actor=actor, batch=batch)
    assert (result["people removed"], result["in_use"]) == (4, {})
    assert services.undo_summary(result).startswith("Import undone: 4 people removed")
    assert not Person.objects.exists()
