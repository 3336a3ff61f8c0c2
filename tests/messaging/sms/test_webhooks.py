"""Twilio's signed webhooks: delivery reports, and replies that stop texts or answer an RSVP."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from powerbase.actions.models import Rsvp
from powerbase.core.models import AuditEntry
from powerbase.messaging.models import Channel, Consent, InboundMessage, Message, Recipient
from powerbase.messaging.sms.provider import sms_provider
from powerbase.messaging.sms.signatures import compute_signature
from tests.conftest import add_member
from tests.messaging.conftest import consent
from tests.messaging.sms import fake_twilio

DANA = "+12035550177"


def twilio_posts(client, url_name: str, params: dict, *, token=fake_twilio.AUTH_TOKEN, **kwargs):
    """POST *params* to one of our webhooks as Twilio does, signed with *token*."""
    path = reverse(f"sms:{url_name}", kwargs=kwargs)
    signature = compute_signature(f"http://testserver{path}", params, token)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def text_about(action, person, number: str) -> Recipient:
    """Send *person* a text about *action* through the provider, as the send job records it."""
    message = Message.objects.create(
        organization=action.organization,
        channel=Channel.SMS,
        body="Rally at the Capitol next week. Can you make it? Reply YES or NO.",
        audience=Message.Audience.ACTION_RSVPS,
        audience_id=action.pk,
        action=action,
        status=Message.Status.SENT,
    )
    provider_id = sms_provider().send(to=number, body=message.body, status_callback=None)
    return Recipient.objects.create(
        organization=action.organization,
        message=message,
        person=person,
        address=number,
        status=Recipient.Status.SENT,
        provider_id=provider_id,
        sent_at=timezone.now(),
    )


def reply(client, organization, number: str, body: str, sid: str = ""):
    params = {
        "MessageSid": sid or f"SM{abs(hash((number, body))):032d}"[:34],
        "AccountSid": fake_twilio.ACCOUNT_SID,
        "From": number,
        "To": fake_twilio.FROM_NUMBER,
        "Body": body,
        "NumSegments": "1",
    }
    return twilio_posts(client, "inbound", params, org_slug=organization.slug)


def test_a_delivery_report_marks_the_text_delivered(client, twilio, rally, dana):
    sent = text_about(rally, dana, DANA)

    response = twilio_posts(
        client,
        "status",
        {"MessageSid": sent.provider_id, "MessageStatus": "delivered", "To": DANA},
    )

    assert response.status_code == 204
    sent.refresh_from_db()
    assert sent.status == Recipient.Status.DELIVERED and sent.delivered_at is not None


def test_an_undelivered_report_keeps_twilios_error_code(client, twilio, rally, dana):
    sent = text_about(rally, dana, DANA)

    twilio_posts(
        client,
        "status",
        {"MessageSid": sent.provider_id, "MessageStatus": "undelivered", "ErrorCode": "30006"},
    )

    sent.refresh_from_db()
    assert sent.status == Recipient.Status.BOUNCED
    assert "30006" in sent.error


def test_an_unsigned_or_wrongly_signed_request_is_refused_and_changes_nothing(
    client, twilio, rally, dana, nutmeg
):
    sent = text_about(rally, dana, DANA)
    params = {"MessageSid": sent.provider_id, "MessageStatus": "delivered"}

    unsigned = client.post(reverse("sms:status"), params)
    forged = twilio_posts(client, "status", params, token="not-our-token")
    path = reverse("sms:inbound", kwargs={"org_slug": nutmeg.slug})
    unsigned_stop = client.post(path, {"From": DANA, "Body": "STOP", "MessageSid": "SMx"})

    assert (unsigned.status_code, forged.status_code, unsigned_stop.status_code) == (403,) * 3
    sent.refresh_from_db()
    assert sent.status == Recipient.Status.SENT
    assert not InboundMessage.objects.exists()
    assert Consent.objects.get(person=dana, channel=Channel.SMS).status == Consent.Status.GRANTED


def test_a_reply_is_kept_as_the_answer_to_the_last_text(client, twilio, rally, dana, nutmeg):
    sent = text_about(rally, dana, DANA)

    response = reply(client, nutmeg, DANA, "What time should I get there?")

    assert response.status_code == 200 and b"<Response>" in response.content
    inbound = InboundMessage.objects.get()
    assert (inbound.person, inbound.in_reply_to) == (dana, sent)


def test_stop_withdraws_text_consent_at_once_and_is_audited(client, twilio, rally, dana, nutmeg):
    text_about(rally, dana, DANA)

    reply(client, nutmeg, DANA, "Stop texting me")

    withdrawn = Consent.objects.get(person=dana, channel=Channel.SMS)
    assert withdrawn.status == Consent.Status.WITHDRAWN
    assert withdrawn.source == Consent.Source.STOP_REPLY
    assert Consent.objects.get(person=dana, channel=Channel.EMAIL).status == "granted"
    assert AuditEntry.objects.filter(action="consent.withdrawn", object_id=str(dana.pk)).exists()


def test_stop_from_a_shared_phone_stops_texts_to_everyone_with_that_number(
    client, twilio, rally, dana, nutmeg
):
    partner = add_member(nutmeg, None, "Sam", "Whitfield", phone=DANA, direct=True)
    consent(partner, Channel.SMS)
    text_about(rally, dana, DANA)

    reply(client, nutmeg, DANA, "STOP")

    assert set(
        Consent.objects.filter(channel=Channel.SMS, status="withdrawn").values_list(
            "person", flat=True
        )
    ) == {dana.pk, partner.pk}


def test_yes_to_a_text_about_an_action_records_the_rsvp(client, twilio, rally, dana, nutmeg):
    text_about(rally, dana, DANA)

    reply(client, nutmeg, DANA, "Sí, ahí estaré")

    rsvp = Rsvp.objects.get(action=rally, person=dana)
    assert rsvp.channel == Rsvp.Channel.TEXT


def test_cant_make_it_takes_the_rsvp_back(client, twilio, rally, dana, nutmeg):
    text_about(rally, dana, DANA)
    reply(client, nutmeg, DANA, "yes")

    reply(client, nutmeg, DANA, "Sorry, can't make it")

    assert not Rsvp.objects.filter(action=rally, person=dana).exists()
    assert AuditEntry.objects.filter(action="rsvp.cancelled").count() == 1


def test_a_reply_twilio_delivers_twice_counts_once(client, twilio, rally, dana, nutmeg):
    text_about(rally, dana, DANA)
    reply(client, nutmeg, DANA, "yes", sid="SM" + "1" * 32)
    reply(client, nutmeg, DANA, "no", sid="SM" + "2" * 32)

    reply(client, nutmeg, DANA, "yes", sid="SM" + "1" * 32)  # Twilio retries the first

    assert InboundMessage.objects.count() == 2
    assert not Rsvp.objects.filter(action=rally, person=dana).exists()


def test_help_is_kept_and_changes_no_consent(client, twilio, rally, dana, nutmeg):
    text_about(rally, dana, DANA)
    reply(client, nutmeg, DANA, "STOP")

    reply(client, nutmeg, DANA, "HELP")

    assert InboundMessage.objects.filter(text="HELP").exists()
    assert Consent.objects.get(person=dana, channel=Channel.SMS).status == "withdrawn"


@pytest.mark.parametrize("body", ["START", "unstop", "Start!"])
def test_start_after_stop_gives_texts_back_and_is_audited(
    client, twilio, rally, dana, nutmeg, body
):
    text_about(rally, dana, DANA)
    reply(client, nutmeg, DANA, "STOP")

    assert reply(client, nutmeg, DANA, body).status_code == 200

    consent = Consent.objects.get(person=dana, channel=Channel.SMS)
    assert (consent.status, consent.get_source_display()) == ("granted", "START reply")
    assert AuditEntry.objects.filter(action="consent.granted", object_id=str(dana.pk)).exists()


def test_start_signs_up_nobody_who_never_agreed_to_texts(client, twilio, rally, nutmeg):
    stranger = add_member(nutmeg, None, "Lee", "Park", phone="+12035550166", direct=True)

    reply(client, nutmeg, "+12035550166", "START")

    assert not Consent.objects.filter(person=stranger).exists()
    assert InboundMessage.objects.filter(text="START").exists()


def test_yes_to_a_text_about_a_past_action_changes_no_rsvp(client, twilio, rally, dana, nutmeg):
    text_about(rally, dana, DANA)
    type(rally).objects.filter(pk=rally.pk).update(starts_at=timezone.now() - timedelta(days=1))

    reply(client, nutmeg, DANA, "yes")

    assert not Rsvp.objects.filter(action=rally, person=dana).exists()
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize("body", ["yes", "no"])
def test_an_answer_from_an_unknown_number_is_kept_and_changes_nothing(client, twilio, nutmeg, body):
    response = reply(client, nutmeg, "+12035550999", body)

    assert response.status_code == 200
    assert InboundMessage.objects.get().person is None
    assert not Rsvp.objects.exists()


def test_a_signed_reply_to_an_organization_that_does_not_exist_is_not_found(client, twilio, db):
    params = {"MessageSid": "SMx", "From": DANA, "Body": "yes"}

    response = twilio_posts(client, "inbound", params, org_slug="nowhere")

    assert response.status_code == 404
