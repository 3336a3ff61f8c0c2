"""Writing a message to an audience and sending it: consent, terms, limits, counts, audit."""

import pytest
from django.core import mail

from powerbase.actions import services as action_services
from powerbase.core import jobs as jobs_module
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import AuditEntry, Job
from powerbase.messaging import queries, sending, services
from powerbase.messaging.models import Message, Recipient, SendingLimit
from powerbase.people.models import SavedList
from tests.conftest import add_member
from tests.messaging.conftest import consent


@pytest.fixture
def everyone(nutmeg, organizer):
    """A saved list of the whole base (an empty search)."""
    return SavedList.objects.create(organization=nutmeg, name="Everyone", filters={})


def write(actor, audience, audience_id, **fields) -> Message:
    return services.create_message(
        actor,
        channel=fields.pop("channel", "email"),
        subject=fields.pop("subject", "Rally Saturday, {{first_name}}"),
        body=fields.pop("body", "Hi {{first_name}}, come to {{action}} at {{place}}: {{link}}"),
        audience=audience,
        audience_id=audience_id,
        **fields,
    )


def send(actor, message, run_jobs) -> Job:
    job = services.send_message(actor, message=message)
    jobs_module.run_job.enqueue(job.pk)  # what the commit of the request would do
    run_jobs()
    job.refresh_from_db()
    return job


def test_a_message_reaches_only_people_who_agreed_to_email(
    organizing, rally, dana, nutmeg, everyone, run_jobs
):
    add_member(nutmeg, None, "Omar", "Silent", email="omar@direct.example", direct=True)
    message = write(organizing, "saved_list", everyone.pk, action=rally)
    job = send(organizing, message, run_jobs)
    assert job.status == "succeeded", job.error
    assert [m.to for m in mail.outbox] == [["dana@direct.example"]]
    sent = mail.outbox[0]
    assert sent.subject == "Rally Saturday, Dana"
    assert "Hi Dana, come to Rally at the Capitol at Capitol steps: http" in sent.body
    recipient = Recipient.objects.get(message=message)
    assert (recipient.status, recipient.address) == ("sent", "dana@direct.example")
    assert recipient.provider_id == sent.extra_headers["Message-ID"]
    message.refresh_from_db()
    assert message.status == "sent"
    assert queries.counts(message).sent == 1


def test_every_email_carries_a_one_step_unsubscribe_link_and_headers(
    organizing, dana, everyone, run_jobs
):
    send(
        organizing, write(organizing, "saved_list", everyone.pk, body="Hi {{first_name}}"), run_jobs
    )
    sent = mail.outbox[0]
    link = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in sent.body and "/unsubscribe/" in link
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nobody_consented_means_nothing_is_sent(organizing, nutmeg, everyone):
    add_member(nutmeg, None, "Omar", "Silent", email="omar@direct.example", direct=True)
    message = write(organizing, "saved_list", everyone.pk, body="Hello")
    with pytest.raises(InvalidInput, match="Nobody in that audience agreed"):
        services.send_message(organizing, message=message)
    assert not mail.outbox and not Recipient.objects.exists()


def test_an_affiliate_whose_terms_forbid_email_keeps_its_members_out(
    organizing, owner, nutmeg, tenant_union, dana, everyone, run_jobs
):
    from tests.conftest import act

    ana = add_member(nutmeg, tenant_union, "Ana", "Reyes", email="ana@tenants.example")
    consent(ana)
    send(organizing, write(organizing, "saved_list", everyone.pk, body="Hi"), run_jobs)
    assert sorted(m.to[0] for m in mail.outbox) == ["dana@direct.example"]

    services.set_affiliate_terms(
        act(owner, nutmeg), affiliate=tenant_union, may_email=True, may_text=False
    )
    send(organizing, write(organizing, "saved_list", everyone.pk, body="Hi again"), run_jobs)
    assert sorted(m.to[0] for m in mail.outbox[1:]) == [
        "ana@tenants.example",
        "dana@direct.example",
    ]


def test_someone_who_unsubscribes_after_being_queued_gets_nothing(organizing, dana, everyone):
    message = write(organizing, "saved_list", everyone.pk, body="Hi")
    assert sending.queue(organizing, message) == 1
    services.withdraw_consent(organizing, person=dana, channel="email", source="staff")
    sending.deliver(organizing, message)
    assert not mail.outbox
    assert Recipient.objects.get(message=message).status == "failed"


def test_a_send_past_the_daily_limit_is_refused_before_it_starts(
    organizing, nutmeg, dana, everyone
):
    consent(add_member(nutmeg, None, "Lee", "Park", email="lee@direct.example", direct=True))
    SendingLimit.objects.create(organization=nutmeg, per_day=1)
    message = write(organizing, "saved_list", everyone.pk, body="Hi")
    with pytest.raises(InvalidInput, match="may send 1 more messages today"):
        services.send_message(organizing, message=message)
    assert not Job.objects.filter(kind="messaging.send").exists()


def test_a_misspelled_merge_field_is_refused_when_written(organizing, everyone):
    with pytest.raises(InvalidInput, match=r"\{\{frist_name\}\} is not a merge field"):
        write(organizing, "saved_list", everyone.pk, body="Hi {{frist_name}}")
    with pytest.raises(InvalidInput, match="needs an action"):
        write(organizing, "saved_list", everyone.pk, body="See you at {{place}}")


def test_a_test_send_goes_to_the_author_filled_in_for_a_real_recipient(
    organizing, organizer, dana, everyone
):
    message = write(organizing, "saved_list", everyone.pk, body="Hi {{first_name}}")
    services.send_test(organizing, message=message)
    assert [m.to for m in mail.outbox] == [[organizer.email]]
    assert mail.outbox[0].subject.startswith("[Test] ") and "Hi Dana" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="message.test_sent").exists()


def test_everything_sent_is_audited_with_who_sent_it_to_whom(
    organizing, organizer, dana, everyone, run_jobs
):
    message = write(organizing, "saved_list", everyone.pk, body="Hi")
    send(organizing, message, run_jobs)
    entry = AuditEntry.objects.get(action="message.sent", object_id=str(message.pk))
    assert entry.actor == organizer
    assert entry.changes["people"] == [dana.pk]


def test_the_absent_audience_is_those_who_rsvpd_and_did_not_come(
    organizing, rally, dana, nutmeg, run_jobs, committed
):
    lee = add_member(nutmeg, None, "Lee", "Park", email="lee@direct.example", direct=True)
    consent(lee)
    with committed():
        for person in (dana, lee):
            action_services.record_rsvp(actor=organizing, action=rally, person=person)
    action_services.check_in(actor=organizing, action=rally, person=lee)
    run_jobs()  # the RSVP confirmations
    mail.outbox.clear()
    message = write(organizing, "absent", rally.pk, body="We missed you, {{first_name}}")
    send(organizing, message, run_jobs)
    assert [m.to for m in mail.outbox] == [["dana@direct.example"]]


def test_a_viewer_cannot_write_messages(viewer, nutmeg, everyone):
    from powerbase.core.exceptions import PermissionDenied
    from tests.conftest import act

    with pytest.raises(PermissionDenied):
        write(act(viewer, nutmeg), "saved_list", everyone.pk, body="Hi")
