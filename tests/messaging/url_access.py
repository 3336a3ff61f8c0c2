"""The messaging objects the permission test's URLs point at: a draft to María, and the
unsubscribe link of a message she was sent."""

from datetime import timedelta

from django.utils import timezone

from powerbase.actions.models import Action
from powerbase.messaging import unsubscribe
from powerbase.messaging.models import Message, Recipient


def world(*, nutmeg, maria, **_) -> dict:
    draft = Message.objects.create(
        organization=nutmeg,
        subject="Rally Saturday",
        body="Hi {{first_name}}",
        audience=Message.Audience.PERSON,
        audience_id=maria.pk,
    )
    sent = Message.objects.create(
        organization=nutmeg,
        subject="Thanks for coming",
        body="Thank you",
        audience=Message.Audience.PERSON,
        audience_id=maria.pk,
        status=Message.Status.SENT,
    )
    recipient = Recipient.objects.create(
        organization=nutmeg,
        message=sent,
        person=maria,
        address="maria@tenants.example",
        status=Recipient.Status.SENT,
    )
    rally = Action.objects.create(
        organization=nutmeg, title="Rent strike rally", starts_at=timezone.now() + timedelta(days=3)
    )
    return {
        "message_id": draft.pk,
        "token": unsubscribe.token_for(recipient.pk),
        "action_id": rally.pk,
    }
