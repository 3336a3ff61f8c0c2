"""Every write of the messaging app: consent, affiliate terms, messages, delivery and replies.

Sending itself is a job (`messaging.sending`); these services decide and record.
"""

from django.db import transaction
from django.utils import timezone

from powerbase.coalition.models import Affiliate
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import Organization
from powerbase.messaging.models import (
    AffiliateTerms,
    Channel,
    Consent,
    InboundMessage,
    Recipient,
    SendingLimit,
)
from powerbase.people.models import EmailAddress, Person, PhoneNumber

# Words a text reply may be, alone, to stop all texts (the carriers' and Twilio's list).
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit"})


def _require_channel(channel: str) -> None:
    if channel not in Channel.values:
        raise InvalidInput(
            f"{channel!r} is not a channel (expected one of {', '.join(Channel.values)}).",
            field="channel",
        )


def grant_consent(
    actor: Actor, *, person: Person, channel: str, source: str, detail: str = ""
) -> Consent:
    """Record that *person* agreed to hear from the organization on *channel*."""
    return _set_consent(actor, person, channel, Consent.Status.GRANTED, source, detail)


def withdraw_consent(actor: Actor, *, person: Person, channel: str, source: str) -> Consent:
    """Record that *person* no longer wants messages on *channel*; honoured from this moment
    (the send job checks consent again before each batch)."""
    return _set_consent(actor, person, channel, Consent.Status.WITHDRAWN, source, "")


def _set_consent(
    actor: Actor, person: Person, channel: str, status: str, source: str, detail: str
) -> Consent:
    access.require(actor, "people.edit", person)
    access.require_same_organization(actor, person)
    _require_channel(channel)
    if source not in Consent.Source.values:
        raise InvalidInput(f"{source!r} is not a source of consent.", field="source")
    with transaction.atomic():
        consent, created = Consent.objects.select_for_update().get_or_create(
            person=person,
            channel=channel,
            defaults={
                "organization": person.organization,
                "status": status,
                "source": source,
                "detail": detail[:200],
            },
        )
        if not created:
            if consent.status == status:
                return consent
            consent.status, consent.source, consent.detail = status, source, detail[:200]
            consent.changed_at = timezone.now()
            consent.save(update_fields=["status", "source", "detail", "changed_at"])
        audit.record(
            actor,
            f"consent.{status}",
            person,
            changes={"channel": channel, "source": source},
        )
    return consent


def set_affiliate_terms(
    actor: Actor, *, affiliate: Affiliate, may_email: bool, may_text: bool
) -> AffiliateTerms:
    """Record whether the IPO may email or text *affiliate*'s members at all."""
    access.require(actor, "affiliates.manage", affiliate)
    access.require_same_organization(actor, affiliate)
    with transaction.atomic():
        terms, _ = AffiliateTerms.objects.select_for_update().get_or_create(
            affiliate=affiliate, defaults={"organization": affiliate.organization}
        )
        before = {"may_email": terms.may_email, "may_text": terms.may_text}
        terms.may_email, terms.may_text = may_email, may_text
        terms.updated_at = timezone.now()
        terms.save()
        audit.record(
            actor,
            "messaging.terms_changed",
            affiliate,
            changes=audit.field_changes(before, {"may_email": may_email, "may_text": may_text}),
        )
    return terms


def set_sending_limit(actor: Actor, *, per_day: int) -> SendingLimit:
    """Set how many messages the organization may send in a day."""
    access.require(actor, "org.manage")
    if per_day < 0:
        raise InvalidInput("The daily limit cannot be negative.", field="per_day")
    with transaction.atomic():
        limit, _ = SendingLimit.objects.update_or_create(
            organization=actor.organization, defaults={"per_day": per_day}
        )
        audit.record(actor, "messaging.limit_changed", limit, changes={"per_day": per_day})
    return limit


# Delivery reports and replies: called by the providers' webhooks ---------------------------

# What providers call a status, in our words. Unknown statuses are kept as they are not.
_STATUS_WORDS = {
    "queued": None,
    "accepted": None,
    "sending": None,
    "sent": Recipient.Status.SENT,
    "delivered": Recipient.Status.DELIVERED,
    "undelivered": Recipient.Status.BOUNCED,
    "bounced": Recipient.Status.BOUNCED,
    "failed": Recipient.Status.FAILED,
    "rejected": Recipient.Status.FAILED,
}
_ENGAGEMENT = {"opened": "opened_at", "clicked": "clicked_at"}


def record_delivery_status(*, provider_id: str, status: str, error: str = "") -> int:
    """Record what the provider says became of the message it knows as *provider_id*.

    Returns how many recipient rows changed (0 for an id we never sent, or a status that says
    nothing new). Safe to call twice: providers retry their callbacks.
    """
    if not provider_id:
        return 0
    word = status.strip().lower()
    now = timezone.now()
    rows = Recipient.objects.filter(provider_id=provider_id)
    if word in _ENGAGEMENT:
        column = _ENGAGEMENT[word]
        return rows.filter(**{f"{column}__isnull": True}).update(**{column: now})
    new = _STATUS_WORDS.get(word)
    if new is None:
        return 0
    changes: dict = {"status": new, "error": error[:300]}
    if new == Recipient.Status.DELIVERED:
        changes["delivered_at"] = now
        # A late "sent" never undoes "delivered".
    elif new == Recipient.Status.SENT:
        rows = rows.exclude(status=Recipient.Status.DELIVERED)
    return rows.exclude(status=new).update(**changes)


def record_inbound(
    organization: Organization, *, channel: str, from_address: str, text: str, provider_id: str
) -> InboundMessage:
    """Keep a reply or text sent to the organization, tied to who sent it and what it answers.

    A text that is only a stop word ("STOP") withdraws that person's consent to texts at once.
    Safe to call twice with the same *provider_id*.
    """
    _require_channel(channel)
    if provider_id:
        existing = InboundMessage.objects.filter(
            organization=organization, provider_id=provider_id
        ).first()
        if existing is not None:
            return existing
    person = _owner_of(organization, channel, from_address)
    last = (
        Recipient.objects.filter(
            organization=organization, address=from_address, message__channel=channel
        )
        .exclude(sent_at__isnull=True)
        .order_by("-sent_at")
        .first()
    )
    system = access.system(organization)
    with transaction.atomic():
        inbound = InboundMessage.objects.create(
            organization=organization,
            channel=channel,
            from_address=from_address,
            text=text,
            provider_id=provider_id,
            person=person,
            in_reply_to=last,
        )
        if last is not None:
            Recipient.objects.filter(pk=last.pk, replied_at__isnull=True).update(
                replied_at=inbound.received_at
            )
        audit.record(system, "message.received", inbound, changes={"channel": channel})
        if person is not None and is_stop(text):
            withdraw_consent(system, person=person, channel=channel, source="stop_reply")
            Recipient.objects.filter(pk=getattr(last, "pk", None)).update(
                unsubscribed_at=inbound.received_at
            )
    return inbound


def is_stop(text: str) -> bool:
    """True when a reply is only a stop word, as carriers read it ("Stop", " STOP ")."""
    return text.strip().strip(".!").lower() in STOP_WORDS


def _owner_of(organization: Organization, channel: str, address: str) -> Person | None:
    """Return the person whose email or phone *address* is (the oldest record, if shared)."""
    facts = (
        EmailAddress.objects.filter(organization=organization, address=address.strip().lower())
        if channel == Channel.EMAIL
        else PhoneNumber.objects.filter(organization=organization, e164=address.strip())
    )
    person_id = facts.order_by("person_id").values_list("person_id", flat=True).first()
    return Person.objects.filter(pk=person_id).first() if person_id else None
