"""Messaging's after-the-fact bulk services: consent and sent messages recorded as history,
checked as the single writes are, refused in the future, audited once per batch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from powerbase.actions.models import Rsvp
from powerbase.core import access
from powerbase.core.exceptions import InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.messaging import queries, services
from powerbase.messaging.models import Consent, InboundMessage, Recipient
from tests.conftest import act, add_member


@pytest.fixture
def members(nutmeg):
    return [
        add_member(
            nutmeg,
            None,
            f"Member{n}",
            "Fictional",
            email=f"m{n}@direct.example",
            phone=f"+1203555{n:04d}",
            direct=True,
        )
        for n in range(4)
    ]


def test_consents_in_bulk_are_dated_then_and_audited_once(nutmeg, members):
    when = timezone.now() - timedelta(days=30)
    changed = services.record_consents_in_bulk(
        access.system(nutmeg), people=members, channel="sms", source="import", at=when
    )
    assert changed == 4
    rows = Consent.objects.filter(channel="sms")
    assert {(c.status, c.source, c.changed_at) for c in rows} == {("granted", "import", when)}
    [entry] = AuditEntry.objects.filter(action="consent.bulk_granted")
    assert sorted(entry.changes["people"]) == sorted(p.pk for p in members)
    assert entry.actor_label == "system"


def test_a_later_answer_is_not_overwritten_by_older_history(nutmeg, members):
    services.withdraw_consent(
        access.system(nutmeg), person=members[0], channel="sms", source="stop_reply"
    )
    changed = services.record_consents_in_bulk(
        access.system(nutmeg),
        people=members,
        channel="sms",
        source="import",
        at=timezone.now() - timedelta(days=1),
    )
    assert changed == 3
    assert Consent.objects.get(person=members[0], channel="sms").status == "withdrawn"


def test_bulk_consent_refuses_the_future_other_organizations_and_viewers(
    nutmeg, harbor, members, viewer
):
    system = access.system(nutmeg)
    with pytest.raises(InvalidInput) as refused:
        services.record_consents_in_bulk(
            system,
            people=members,
            channel="sms",
            source="import",
            at=timezone.now() + timedelta(days=1),
        )
    assert refused.value.field == "at" and "future" in str(refused.value)
    stranger = add_member(harbor, None, "Other", "Org", email="o@harbor.example", direct=True)
    with pytest.raises(InvalidInput, match="not in Nutmeg"):
        services.record_consents_in_bulk(
            system, people=[stranger], channel="sms", source="import", at=timezone.now()
        )
    with pytest.raises(InvalidInput) as refused:
        services.record_consents_in_bulk(
            system, people=members, channel="sms", source="rumour", at=timezone.now()
        )
    assert refused.value.field == "source"
    with pytest.raises(PermissionDenied):
        services.record_consents_in_bulk(
            act(viewer, nutmeg), people=members, channel="sms", source="import", at=timezone.now()
        )
    assert not Consent.objects.exists()


@pytest.fixture
def held(nutmeg, members, rally):
    """The rally, held yesterday, with the members' RSVPs and their email consent."""
    rally.starts_at = timezone.now() - timedelta(days=1)
    rally.save()
    for person in members:
        Rsvp.objects.create(organization=nutmeg, action=rally, person=person)
    services.record_consents_in_bulk(
        access.system(nutmeg),
        people=members,
        channel="email",
        source="import",
        at=timezone.now() - timedelta(days=9),
    )
    return rally


def _record(actor, action, deliveries, sent_at=None, **kwargs):
    return services.record_sent_in_bulk(
        actor,
        channel="email",
        subject="Thanks, {{first_name}}",
        body="Thank you for coming to {{action}}.",
        audience="action_rsvps",
        audience_id=action.pk,
        action=action,
        sent_at=sent_at or timezone.now() - timedelta(hours=20),
        deliveries=deliveries,
        **kwargs,
    )


def test_a_past_message_is_recorded_with_each_fate_and_the_unsubscribes(organizing, held, members):
    sent_at = timezone.now() - timedelta(hours=20)
    later = sent_at + timedelta(hours=2)
    message = _record(
        organizing,
        held,
        [
            services.PastDelivery(person=members[0], opened_at=later, clicked_at=later),
            services.PastDelivery(person=members[1], status="bounced"),
            services.PastDelivery(person=members[2], unsubscribed_at=later),
        ],
        sent_at=sent_at,
    )
    counts = queries.counts(message)
    assert (counts.sent, counts.delivered, counts.bounced) == (3, 2, 1)
    assert (counts.opened, counts.clicked, counts.unsubscribed) == (1, 1, 1)
    assert message.recipients.get(person=members[0]).address == "m0@direct.example"
    withdrawn = Consent.objects.get(person=members[2], channel="email")
    assert (withdrawn.status, withdrawn.source, withdrawn.changed_at) == (
        "withdrawn",
        "unsubscribe_link",
        later,
    )
    [entry] = AuditEntry.objects.filter(action="message.recorded")
    assert entry.changes["people"] == [members[0].pk, members[1].pk, members[2].pk]
    assert entry.actor == organizing.user


def test_a_past_message_to_someone_without_consent_is_refused(organizing, held, members):
    services.withdraw_consent(
        access.system(held.organization), person=members[3], channel="email", source="staff"
    )
    with pytest.raises(InvalidInput, match="Member3 Fictional") as refused:
        _record(organizing, held, [services.PastDelivery(person=members[3])])
    assert refused.value.field == "deliveries"
    assert not Recipient.objects.exists()


def test_a_past_message_refuses_the_future_and_moments_before_it_was_sent(
    organizing, held, members
):
    with pytest.raises(InvalidInput) as refused:
        _record(
            organizing,
            held,
            [services.PastDelivery(person=members[0])],
            sent_at=timezone.now() + timedelta(hours=1),
        )
    assert refused.value.field == "sent_at"
    sent_at = timezone.now() - timedelta(hours=5)
    with pytest.raises(InvalidInput, match="Delivery 1: opened before") as refused:
        _record(
            organizing,
            held,
            [services.PastDelivery(person=members[0], opened_at=sent_at - timedelta(hours=1))],
            sent_at=sent_at,
        )
    with pytest.raises(InvalidInput, match="unknown merge field|first_nme|not a merge"):
        services.record_sent_in_bulk(
            organizing,
            channel="email",
            subject="Hi {{first_nme}}",
            body="x",
            audience="action_rsvps",
            audience_id=held.pk,
            action=held,
            sent_at=sent_at,
            deliveries=[services.PastDelivery(person=members[0])],
        )
    assert not Recipient.objects.exists()


def test_a_viewer_cannot_record_sent_messages(nutmeg, viewer, held, members):
    with pytest.raises(PermissionDenied):
        _record(act(viewer, nutmeg), held, [services.PastDelivery(person=members[0])])


def test_a_reply_recorded_after_the_fact_keeps_its_moment(organizing, held, members):
    services.record_consents_in_bulk(
        access.system(held.organization),
        people=members,
        channel="sms",
        source="import",
        at=timezone.now() - timedelta(days=9),
    )
    sent_at = timezone.now() - timedelta(hours=30)
    message = services.record_sent_in_bulk(
        organizing,
        channel="sms",
        body="See you at {{action}}",
        audience="action_rsvps",
        audience_id=held.pk,
        action=held,
        sent_at=sent_at,
        deliveries=[services.PastDelivery(person=members[1])],
    )
    replied = sent_at + timedelta(minutes=20)
    services.record_inbound(
        held.organization,
        channel="sms",
        from_address="+12035550001",
        text="STOP",
        provider_id="SMpast",
        received_at=replied,
    )
    inbound = InboundMessage.objects.get()
    assert inbound.received_at == replied and inbound.in_reply_to.message == message
    stopped = Consent.objects.get(person=members[1], channel="sms")
    assert (stopped.status, stopped.changed_at) == ("withdrawn", replied)
    with pytest.raises(InvalidInput):
        services.record_inbound(
            held.organization,
            channel="sms",
            from_address="+12035550001",
            text="hi",
            provider_id="SMfuture",
            received_at=timezone.now() + timedelta(days=1),
        )
