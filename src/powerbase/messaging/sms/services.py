"""What a text sent to the organization changes: consent, and RSVPs to the action it answers.

Twilio's inbound webhook (`webhooks.inbound`) calls `receive`; the message is kept by
`messaging.services.record_inbound` first, then its meaning (`replies.interpret`) acts:

- stop: every person of the organization with that number stops getting texts, at once (the
  send job reads consent again before each batch), so a shared phone is silenced for all;
- yes / no: the sender's RSVP to the action of the last text sent to that number is recorded
  or taken back, while the action is still ahead;
- start (START, UNSTOP, ...): every person of the organization with that number whose texts
  were stopped gets them again (consent source "START reply"), as Twilio itself lifts its
  block on the number; someone who never agreed to texts is not signed up by it;
- help and anything else: kept, for a person to read on the person's page. Twilio answers
  STOP, START and HELP itself with the account's opt-out messages.

Everything is done as `access.system(organization)`: the sender is not a user.
"""

from django.db import transaction
from django.utils import timezone

from powerbase.actions import services as actions
from powerbase.actions.models import Rsvp
from powerbase.core import access
from powerbase.core.models import Organization
from powerbase.messaging import services as messaging
from powerbase.messaging.models import Channel, Consent, InboundMessage
from powerbase.messaging.sms.replies import Meaning, interpret
from powerbase.people.models import Person


def receive(
    organization: Organization, *, from_number: str, text: str, provider_id: str
) -> InboundMessage:
    """Keep a text sent to *organization* and act on what it means. Safe to call twice."""
    seen = (
        bool(provider_id)
        and InboundMessage.objects.filter(
            organization=organization, provider_id=provider_id
        ).exists()
    )
    inbound = messaging.record_inbound(
        organization,
        channel=Channel.SMS,
        from_address=from_number,
        text=text,
        provider_id=provider_id,
    )
    if seen:
        return inbound
    meaning = interpret(text).meaning
    system = access.system(organization)
    with transaction.atomic():
        if meaning == Meaning.STOP:
            for person in _people_with_number(organization, from_number):
                messaging.withdraw_consent(
                    system, person=person, channel=Channel.SMS, source=Consent.Source.STOP_REPLY
                )
        elif meaning == Meaning.START:
            _restart_texts(system, organization, from_number)
        elif meaning in (Meaning.YES, Meaning.NO):
            _answer_rsvp(system, inbound, coming=meaning == Meaning.YES)
    return inbound


def _people_with_number(organization: Organization, number: str):
    return Person.objects.filter(organization=organization, phones__e164=number.strip()).distinct()


def _restart_texts(actor: access.Actor, organization: Organization, number: str) -> None:
    """Give texts back to the people of *number* who had them and stopped them."""
    stopped = _people_with_number(organization, number).filter(
        consents__channel=Channel.SMS, consents__status=Consent.Status.WITHDRAWN
    )
    for person in stopped:
        messaging.grant_consent(
            actor, person=person, channel=Channel.SMS, source=Consent.Source.START_REPLY
        )


def _answer_rsvp(actor: access.Actor, inbound: InboundMessage, *, coming: bool) -> None:
    """Record the sender's yes or no for the action the text they answer was about."""
    asked = inbound.in_reply_to
    action = asked.message.action if asked is not None else None
    if action is None or inbound.person is None or action.starts_at < timezone.now():
        return
    if coming:
        actions.record_rsvp(
            actor=actor, action=action, person=inbound.person, channel=Rsvp.Channel.TEXT
        )
    else:
        actions.cancel_rsvp(actor=actor, action=action, person=inbound.person)
