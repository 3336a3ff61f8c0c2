"""A list's consent-to-texts column becomes consent rows: source "import", the import's date."""

from powerbase.core import jobs
from powerbase.core.models import AuditEntry, Job
from powerbase.imports import services
from powerbase.messaging import audiences
from powerbase.messaging.models import Consent
from powerbase.people.models import Person
from tests.conftest import act
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
