"""Consent is data per person and channel; replies and delivery reports update what was sent."""

import pytest

from powerbase.core import access
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import AuditEntry
from powerbase.messaging import services
from powerbase.messaging.models import Consent, InboundMessage, Message, Recipient


def test_consent_is_recorded_per_channel_with_its_source(dana):
    email = dana.consents.get(channel="email")
    assert (email.status, email.source) == ("granted", "form")
    assert dana.consents.count() == 2


def test_withdrawing_consent_keeps_the_source_and_is_audited(dana):
    services.withdraw_consent(
        access.command_line(dana.organization),
        person=dana,
        channel="email",
        source="unsubscribe_link",
    )
    email = dana.consents.get(channel="email")
    assert (email.status, email.source) == ("withdrawn", "unsubscribe_link")
    assert dana.consents.get(channel="sms").status == "granted"
    assert AuditEntry.objects.filter(action="consent.withdrawn", object_id=str(dana.pk)).exists()


def test_an_unknown_channel_is_refused_by_field(dana):
    with pytest.raises(InvalidInput) as refused:
        services.grant_consent(
            access.command_line(dana.organization), person=dana, channel="fax", source="form"
        )
    assert refused.value.field == "channel"


def test_a_viewer_cannot_record_consent(dana, viewer, nutmeg):
    from powerbase.core.exceptions import PermissionDenied
    from tests.conftest import act

    with pytest.raises(PermissionDenied):
        services.grant_consent(act(viewer, nutmeg), person=dana, channel="sms", source="staff")


def _sent_text(dana, provider_id="SM123") -> Recipient:
    message = Message.objects.create(
        organization=dana.organization,
        channel="sms",
        body="Rally Saturday!",
        audience="person",
        audience_id=dana.pk,
        status="sent",
    )
    from django.utils import timezone

    return Recipient.objects.create(
        organization=dana.organization,
        message=message,
        person=dana,
        address="+12035550177",
        status="sent",
        provider_id=provider_id,
        sent_at=timezone.now(),
    )


def test_a_stop_reply_withdraws_text_consent_at_once(dana):
    sent = _sent_text(dana)
    inbound = services.record_inbound(
        dana.organization,
        channel="sms",
        from_address="+12035550177",
        text=" Stop ",
        provider_id="SMin1",
    )
    assert inbound.person == dana and inbound.in_reply_to == sent
    consent = Consent.objects.get(person=dana, channel="sms")
    assert (consent.status, consent.source) == ("withdrawn", "stop_reply")
    sent.refresh_from_db()
    assert sent.replied_at and sent.unsubscribed_at


def test_an_ordinary_reply_is_kept_and_leaves_consent_alone(dana):
    _sent_text(dana)
    services.record_inbound(
        dana.organization,
        channel="sms",
        from_address="+12035550177",
        text="Stop by at 5?",
        provider_id="SMin2",
    )
    assert Consent.objects.get(person=dana, channel="sms").status == "granted"
    # The provider retries its callback: the reply is kept once.
    services.record_inbound(
        dana.organization,
        channel="sms",
        from_address="+12035550177",
        text="Stop by at 5?",
        provider_id="SMin2",
    )
    assert InboundMessage.objects.count() == 1


def test_delivery_reports_move_a_recipient_forward_only(dana):
    sent = _sent_text(dana)
    assert services.record_delivery_status(provider_id="SM123", status="delivered") == 1
    assert services.record_delivery_status(provider_id="SM123", status="sent") == 0
    sent.refresh_from_db()
    assert sent.status == "delivered" and sent.delivered_at
    assert services.record_delivery_status(provider_id="nobody", status="delivered") == 0


def test_a_bounce_keeps_the_providers_error(dana):
    sent = _sent_text(dana)
    services.record_delivery_status(provider_id="SM123", status="undelivered", error="30003")
    sent.refresh_from_db()
    assert (sent.status, sent.error) == ("bounced", "30003")
