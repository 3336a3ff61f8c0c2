"""A list's consent-to-texts column becomes consent rows: source "import", the import's date."""

from powerbase.core import jobs
from powerbase.core.models import AuditEntry, Job
from powerbase.imports import services
from powerbase.messaging import audiences
from powerbase.messaging import services as messaging
from powerbase.messaging.models import Consent
from powerbase.people.models import Person
from tests.conftest import act, add_member
from tests.imports.conftest import csv_bytes

ROSTER = [
    ["First Name", "Last Name", "Email", "Mobile", "Text OK"],
    ["Rosa", "Textable", "rosa@example.org", "(203) 555-0101", "yes"],
    ["Ike", "Declined", "ike@example.org", "(203) 555-0102", "no"],
    ["Ada", "Blank", "ada@example.org", "(203) 555-0103", ""],
]


def commit(actor, rows):
    batch = services.upload(
        actor=actor, file_name="roster.csv", content=csv_bytes(rows), affiliate=None
    )
    jobs.execute(services.start_check(actor=actor, batch=batch, enqueue=False).pk)
    batch.refresh_from_db()
    job = services.start_commit(actor=actor, batch=batch, enqueue=False)
    jobs.execute(job.pk)
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED, Job.objects.get(pk=job.pk)
    batch.refresh_from_db()
    return batch


def test_the_text_ok_column_becomes_consent_dated_with_the_import(users_by_role, nutmeg):
    batch = commit(act(users_by_role["data"], nutmeg), ROSTER)
    rosa = Person.objects.get(family_name="Textable")
    consent = Consent.objects.get(person=rosa, channel="sms")
    assert (consent.status, consent.source) == ("granted", "import")
    assert consent.changed_at == batch.committed_at
    assert consent.detail == f"roster.csv (import #{batch.pk})"
    # "no" and an empty cell give nobody consent, and email is not implied.
    assert list(Consent.objects.values_list("person__family_name", "channel")) == [
        ("Textable", "sms")
    ]
    assert audiences.reachable(Person.objects.all(), "sms").get() == rosa
    entry = AuditEntry.objects.get(action="consent.bulk_granted")
    assert entry.changes["people"] == [rosa.pk] and entry.changes["source"] == "import"


def test_undoing_the_import_forgets_the_consent_it_gave_but_not_a_later_answer(
    users_by_role, nutmeg
):
    """Rosa and Omar were in the base before; the import matched them by email."""
    rosa = add_member(nutmeg, None, "Rosa", "Textable", email="rosa@example.org", direct=True)
    omar = add_member(nutmeg, None, "Omar", "Stopped", email="omar@example.org", direct=True)
    data = act(users_by_role["data"], nutmeg)
    rows = [*ROSTER, ["Omar", "Stopped", "omar@example.org", "(203) 555-0104", "yes"]]
    batch = commit(data, rows)
    assert Consent.objects.filter(person__in=[rosa, omar], status="granted").count() == 2
    # Omar texted STOP since: that answer is his, not the import's to undo.
    messaging.withdraw_consent(data, person=omar, channel="sms", source="stop_reply")

    services.undo(actor=data, batch=batch)
    assert Person.objects.filter(pk__in=[rosa.pk, omar.pk]).count() == 2
    assert not Consent.objects.filter(person=rosa).exists()
    assert Consent.objects.get(person=omar).status == "withdrawn"
    entry = AuditEntry.objects.get(action="consent.bulk_forgotten")
    assert entry.changes["people"] == [rosa.pk]


def test_an_email_ok_column_gives_email_consent_and_never_text(users_by_role, nutmeg):
    rows = [
        ["First Name", "Last Name", "Email", "Mobile", "Email OK", "Text OK"],
        ["Rosa", "Mailable", "rosa@example.org", "(203) 555-0111", "Y", "no"],
        ["Ike", "Quiet", "ike@example.org", "(203) 555-0112", "no", ""],
    ]
    batch = commit(act(users_by_role["data"], nutmeg), rows)
    rosa = Person.objects.get(family_name="Mailable")
    consent = Consent.objects.get(person=rosa)
    assert (consent.channel, consent.status, consent.source) == ("email", "granted", "import")
    assert consent.detail == f"roster.csv (import #{batch.pk})"
    assert Consent.objects.count() == 1
    assert audiences.reachable(Person.objects.all(), "email").get() == rosa
    assert not audiences.reachable(Person.objects.all(), "sms").exists()
