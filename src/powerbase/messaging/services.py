"""Every write of the messaging app: consent, affiliate terms, messages, delivery and replies.

Sending itself is a job (`messaging.sending`); these services decide and record.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from powerbase.actions.models import Action
from powerbase.coalition.models import Affiliate
from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.models import Job, Organization
from powerbase.messaging import audiences, merge, rsvp_mail, sending
from powerbase.messaging import unsubscribe as unsubscribe_links
from powerbase.messaging.models import (
    ActionMessaging,
    AffiliateTerms,
    Channel,
    Consent,
    InboundMessage,
    Message,
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
    actor: Actor,
    person: Person,
    channel: str,
    status: str,
    source: str,
    detail: str,
    at: datetime | None = None,
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
                "changed_at": at or timezone.now(),
            },
        )
        if not created:
            if consent.status == status:
                return consent
            consent.status, consent.source, consent.detail = status, source, detail[:200]
            consent.changed_at = at or timezone.now()
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


def set_messaging_settings(
    actor: Actor,
    *,
    per_day: int | None,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
) -> SendingLimit:
    """Set the organization's daily sending limit and quiet hours for texts; None for either
    means the install's setting."""
    access.require(actor, "messages.configure")
    if per_day is not None and per_day < 0:
        raise InvalidInput("The daily limit cannot be negative.", field="per_day")
    if (quiet_start is None) != (quiet_end is None):
        raise InvalidInput(
            "Give both times of the quiet hours (when they start and when they end), or "
            "neither to keep the install's.",
            field="quiet_end" if quiet_end is None else "quiet_start",
        )
    if quiet_start is not None and quiet_start == quiet_end:
        raise InvalidInput("The quiet hours must end at another time.", field="quiet_end")
    values = {"per_day": per_day, "quiet_start": quiet_start, "quiet_end": quiet_end}
    with transaction.atomic():
        own, _ = access.scoped(actor, SendingLimit.objects.all()).update_or_create(
            organization=actor.organization, defaults=values
        )
        audit.record(
            actor,
            "messaging.settings_changed",
            own,
            changes={name: None if v is None else str(v) for name, v in values.items()},
        )
    return own


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
# The person unsubscribed through the provider's own link, or marked the email as spam.
_OPTING_OUT = frozenset({"unsubscribed", "complained"})


def record_delivery_status(*, provider_id: str, status: str, error: str = "") -> int:
    """Record what the provider says became of the message it knows as *provider_id*:
    Twilio's and anymail's words (delivered, bounced, failed, opened, clicked; unsubscribed
    or complained withdraw that person's consent to the channel at once).

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
    if word in _OPTING_OUT:
        return _provider_unsubscribed(rows, now)
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


def _provider_unsubscribed(rows, now: datetime) -> int:
    """Withdraw the consent of whoever the provider says unsubscribed (or complained), at once,
    and mark what they were sent; returns how many recipient rows changed."""
    changed = 0
    for recipient in rows.select_related("message", "person", "organization"):
        with transaction.atomic():
            withdraw_consent(
                access.system(recipient.organization),
                person=recipient.person,
                channel=recipient.message.channel,
                source=Consent.Source.PROVIDER_REPORT,
            )
            changed += Recipient.objects.filter(
                pk=recipient.pk, unsubscribed_at__isnull=True
            ).update(unsubscribed_at=now)
    return changed


def record_inbound(
    organization: Organization,
    *,
    channel: str,
    from_address: str,
    text: str,
    provider_id: str,
    received_at: datetime | None = None,
) -> InboundMessage:
    """Keep a reply or text sent to the organization, tied to who sent it and what it answers.

    A text that is only a stop word ("STOP") withdraws that person's consent to texts at once.
    Safe to call twice with the same *provider_id*. *received_at* (default now) records a
    reply after the fact, as the demo's history does; it may not be in the future.
    """
    _require_channel(channel)
    _refuse_future(received_at, field="received_at")
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
            received_at=received_at or timezone.now(),
        )
        if last is not None:
            Recipient.objects.filter(pk=last.pk, replied_at__isnull=True).update(
                replied_at=inbound.received_at
            )
        audit.record(system, "message.received", inbound, changes={"channel": channel})
        if person is not None and is_stop(text):
            _set_consent(
                system,
                person,
                channel,
                Consent.Status.WITHDRAWN,
                Consent.Source.STOP_REPLY,
                "",
                at=received_at,
            )
            if last is not None:
                Recipient.objects.filter(pk=last.pk).update(unsubscribed_at=inbound.received_at)
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


# Messages -----------------------------------------------------------------------------------


def create_message(
    actor: Actor,
    *,
    channel: str,
    body: str,
    audience: str,
    audience_id: int,
    subject: str = "",
    action: Action | None = None,
) -> Message:
    """Write a message to an audience (a draft until it is sent or scheduled)."""
    access.require(actor, "messages.send")
    access.require_same_organization(actor, action)
    _require_channel(channel)
    if audience not in Message.Audience.values:
        raise InvalidInput(f"{audience!r} is not an audience.", field="audience")
    if channel == Channel.EMAIL and not subject.strip():
        raise InvalidInput("An email needs a subject.", field="subject")
    if not body.strip():
        raise InvalidInput("Write the message.", field="body")
    merge.check(subject, field="subject", has_action=action is not None)
    merge.check(body, has_action=action is not None)
    # The audience must be one the author may see: NotFound for another's list or affiliate.
    audiences.people_in(actor, audience, audience_id)
    with transaction.atomic():
        message = Message.objects.create(
            organization=actor.organization,
            channel=channel,
            subject=subject.strip(),
            body=body,
            audience=audience,
            audience_id=audience_id,
            action=action,
            created_by=actor.user,
        )
        audit.record(actor, "message.created", message, changes={"audience": audience})
    return message


def _require_unsent(message: Message) -> None:
    if message.status not in (Message.Status.DRAFT, Message.Status.SCHEDULED):
        raise Conflict(
            f"This message is already {message.get_status_display().lower()}; write a new one."
        )


def send_message(actor: Actor, *, message: Message) -> Job:
    """Start sending *message* now, as a job; refuse it past the organization's daily limit."""
    access.require(actor, "messages.send", message)
    access.require_same_organization(actor, message)
    _require_unsent(message)
    people = audiences.people_in(actor, message.audience, message.audience_id)
    reach = audiences.reachable(people, message.channel).count()
    if reach == 0:
        raise InvalidInput(
            f"Nobody in that audience agreed to {message.get_channel_display().lower()}s "
            "(or their affiliates' terms forbid them): nothing to send.",
            field="audience",
        )
    left = sending.remaining_today(actor.organization)
    if reach > left:
        raise InvalidInput(
            f"That is {reach} people, and the organization may send {left} more messages "
            f"today (its limit is {sending.daily_limit(actor.organization)} a day). "
            "Narrow the audience or send it tomorrow.",
            field="audience",
        )
    with transaction.atomic():
        job = jobs.start(
            kind="messaging.send",
            started_by=actor,
            organization=actor.organization,
            params={"message_id": message.pk},
        )
        message.status, message.job, message.send_at = Message.Status.SENDING, job, None
        message.save(update_fields=["status", "job", "send_at"])
        audit.record(actor, "message.send_started", message, changes={"reachable": reach})
    return job


def schedule_message(actor: Actor, *, message: Message, send_at: datetime) -> Message:
    """Send *message* at *send_at* (the worker's schedule starts it within minutes)."""
    access.require(actor, "messages.send", message)
    access.require_same_organization(actor, message)
    _require_unsent(message)
    if send_at <= timezone.now():
        raise InvalidInput("Choose a time in the future.", field="send_at")
    with transaction.atomic():
        message.status, message.send_at = Message.Status.SCHEDULED, send_at
        message.save(update_fields=["status", "send_at"])
        audit.record(actor, "message.scheduled", message, changes={"send_at": send_at})
    return message


def send_test(actor: Actor, *, message: Message, to: str = "") -> sending.TestSend:
    """Send *message* once to the author (their sign-in email, or *to* for a text), filled in
    for the first real person of its audience."""
    access.require(actor, "messages.send", message)
    access.require_same_organization(actor, message)
    if message.channel == Channel.EMAIL:
        to = actor.user.email if actor.user is not None else to
    if not to.strip():
        raise InvalidInput("Give the number to send the test text to.", field="to")
    people = audiences.people_in(actor, message.audience, message.audience_id)
    first = audiences.reachable(people, message.channel).order_by("pk").first()
    return sending.send_test(actor, message, to.strip(), first)


def unsubscribe(token: str) -> Recipient | None:
    """Withdraw the consent of whoever the unsubscribe link *token* was made for, at once.

    Returns the recipient row, or None for a link that was not made here.
    """
    recipient_id = unsubscribe_links.recipient_id_of(token)
    if recipient_id is None:
        return None
    recipient = (
        Recipient.objects.select_related("message", "person", "organization")
        .filter(pk=recipient_id)
        .first()
    )
    if recipient is None:
        return None
    with transaction.atomic():
        withdraw_consent(
            access.system(recipient.organization),
            person=recipient.person,
            channel=recipient.message.channel,
            source=Consent.Source.UNSUBSCRIBE_LINK,
        )
        Recipient.objects.filter(pk=recipient.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
    return recipient


def set_reminders(
    actor: Actor,
    *,
    action: Action,
    confirm_rsvps: bool,
    reminder_minutes: list[int],
    channels: str = ActionMessaging.Channels.EMAIL,
) -> ActionMessaging:
    """Set whether *action* confirms RSVPs, when its reminders go (minutes before it), and by
    which channels: "email", "sms" or "both" (each person only on those they agreed to)."""
    access.require(actor, "actions.manage", action)
    access.require_same_organization(actor, action)
    if channels not in ActionMessaging.Channels.values:
        raise InvalidInput(
            f"{channels!r} is not a way to send them (expected email, sms or both).",
            field="channels",
        )
    bad = [m for m in reminder_minutes if not 0 < m <= rsvp_mail.LONGEST_REMINDER]
    if bad:
        raise InvalidInput(
            f"A reminder goes between a minute and a week before the action; {bad[0]} minutes "
            "is not.",
            field="reminder_minutes",
        )
    with transaction.atomic():
        settings, _ = access.scoped(actor, ActionMessaging.objects.all()).update_or_create(
            action=action,
            defaults={
                "organization": action.organization,
                "confirm_rsvps": confirm_rsvps,
                "reminder_minutes": sorted(set(reminder_minutes), reverse=True),
                "channels": channels,
            },
        )
        audit.record(
            actor,
            "action.reminders_set",
            action,
            changes={
                "confirm_rsvps": confirm_rsvps,
                "reminder_minutes": reminder_minutes,
                "channels": channels,
            },
        )
    return settings


# After the fact: history recorded in bulk (the demo's, an import of another tool's) ---------

BULK_LIMIT = 10_000


def _refuse_future(at: datetime | None, *, field: str = "at") -> None:
    if at is not None and at > timezone.now():
        raise InvalidInput(
            f"{timezone.localtime(at):%b %-d, %Y at %-I:%M %p} is in the future: "
            "only what already happened is recorded after the fact.",
            field=field,
        )


def _require_own_people(actor: Actor, people: list[Person]) -> None:
    if len(people) > BULK_LIMIT:
        raise InvalidInput(f"That is {len(people)} people; record at most {BULK_LIMIT} at a time.")
    foreign = [p for p in people if p.organization_id != actor.organization.pk]
    if foreign:
        raise InvalidInput(
            f"{len(foreign)} of these people are not in {actor.organization} "
            f"(the first is person {foreign[0].pk}).",
            field="people",
        )
    ids = {person.pk for person in people}
    if access.scoped(actor, Person.objects.filter(pk__in=ids)).count() != len(ids):
        raise InvalidInput(
            "Some of these people are outside the affiliates you lead.", field="people"
        )


def record_consents_in_bulk(
    actor: Actor,
    *,
    people: list[Person],
    channel: str,
    source: str,
    at: datetime,
    status: str = Consent.Status.GRANTED,
    detail: str = "",
) -> int:
    """Record, after the fact, that *people* gave (or withdrew) consent on *channel* at *at*.

    For an import's consent columns, or the demo's history. Checked as `grant_consent` checks
    one (`people.edit`, the organization's own people, a known channel and source), and *at*
    may not be in the future. A person whose consent changed after *at* keeps that later
    answer. One audit entry records the batch. Returns how many people's consent changed.
    """
    access.require(actor, "people.edit")
    _require_channel(channel)
    if source not in Consent.Source.values:
        raise InvalidInput(f"{source!r} is not a source of consent.", field="source")
    if status not in Consent.Status.values:
        raise InvalidInput(f"{status!r} is not a consent status.", field="status")
    _refuse_future(at)
    _require_own_people(actor, people)
    ids = sorted({person.pk for person in people})
    current = access.scoped(actor, Consent.objects.all()).filter(person_id__in=ids, channel=channel)
    kept = {
        person_id
        for person_id, old_status, changed_at in current.values_list(
            "person_id", "status", "changed_at"
        )
        if changed_at > at or old_status == status
    }
    rows = [
        Consent(
            organization=actor.organization,
            person_id=person_id,
            channel=channel,
            status=status,
            source=source,
            detail=detail[:200],
            changed_at=at,
        )
        for person_id in ids
        if person_id not in kept
    ]
    with transaction.atomic():
        Consent.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["person", "channel"],
            update_fields=["status", "source", "detail", "changed_at"],
        )
        audit.record(
            actor,
            f"consent.bulk_{status}",
            changes={
                "channel": channel,
                "source": source,
                "detail": detail[:200],
                "at": at.isoformat(),
                "people": [row.person_id for row in rows],
            },
        )
    return len(rows)


def forget_consents_from(actor: Actor, *, source: str, detail: str, keep: set[int]) -> int:
    """Remove the consent rows one bulk write gave (its *source* and *detail*, e.g. an import
    being undone), except those of the people in *keep*; consent changed since (a STOP, a
    form) is another answer and stays. One audit entry; returns how many were removed."""
    access.require(actor, "people.edit")
    if not detail.strip():
        raise InvalidInput("Name the write whose consent to forget.", field="detail")
    rows = access.scoped(actor, Consent.objects.all()).filter(
        source=source, detail=detail[:200], status=Consent.Status.GRANTED
    )
    rows = rows.exclude(person_id__in=keep)
    people = sorted(set(rows.values_list("person_id", flat=True)))
    if not people:
        return 0
    with transaction.atomic():
        removed = rows.delete()[0]
        audit.record(
            actor,
            "consent.bulk_forgotten",
            changes={"source": source, "detail": detail[:200], "people": people},
        )
    return removed


@dataclass(frozen=True)
class PastDelivery:
    """What became of one message to one person, recorded after the fact."""

    person: Person
    status: str = Recipient.Status.DELIVERED
    opened_at: datetime | None = None
    clicked_at: datetime | None = None
    unsubscribed_at: datetime | None = None


def record_sent_in_bulk(
    actor: Actor,
    *,
    channel: str,
    body: str,
    audience: str,
    audience_id: int,
    sent_at: datetime,
    deliveries: list[PastDelivery],
    subject: str = "",
    action: Action | None = None,
) -> Message:
    """Record, after the fact, a message sent at *sent_at* and what became of each copy.

    For the demo's history or another tool's sent mail: nothing is sent. Checked as writing
    and sending one are (`messages.send`, the channel, subject, body and merge fields, an
    audience the actor may see, each person in it and reachable on the channel: consent,
    affiliates' terms, an address, which is the one the send job would use), and no moment
    may be in the future or before *sent_at*. Unsubscribes withdraw that person's consent as
    of that moment. One audit entry records the batch, naming the people.
    """
    access.require(actor, "messages.send")
    access.require_same_organization(actor, action)
    _require_channel(channel)
    if channel == Channel.EMAIL and not subject.strip():
        raise InvalidInput("An email needs a subject.", field="subject")
    if not body.strip():
        raise InvalidInput("Write the message.", field="body")
    merge.check(subject, field="subject", has_action=action is not None)
    merge.check(body, has_action=action is not None)
    _refuse_future(sent_at, field="sent_at")
    _check_deliveries(deliveries, sent_at)
    people = [delivery.person for delivery in deliveries]
    _require_own_people(actor, people)
    audience_people = audiences.people_in(actor, audience, audience_id)
    chosen = audience_people.filter(pk__in=[person.pk for person in people])
    address_of = dict(audiences.addresses(chosen, channel))
    missing = [person for person in people if person.pk not in address_of]
    if missing:
        raise InvalidInput(
            f"{missing[0]} (person {missing[0].pk}) is not in that audience or may not get "
            f"{Channel(channel).label.lower()}s (consent, affiliates' terms or an address); "
            f"{len(missing)} such people in all.",
            field="deliveries",
        )
    with transaction.atomic():
        message = Message.objects.create(
            organization=actor.organization,
            channel=channel,
            subject=subject.strip(),
            body=body,
            audience=audience,
            audience_id=audience_id,
            action=action,
            status=Message.Status.SENT,
            created_by=actor.user,
            created_at=sent_at,
            sent_at=sent_at,
        )
        Recipient.objects.bulk_create(
            [_past_recipient(message, delivery, address_of, sent_at) for delivery in deliveries],
            batch_size=2000,
        )
        audit.record(
            actor,
            "message.recorded",
            message,
            changes={
                "channel": channel,
                "sent_at": sent_at.isoformat(),
                "people": [person.pk for person in people],
            },
        )
        _withdraw_unsubscribed(actor, deliveries, channel)
    return message


def _check_deliveries(deliveries: list[PastDelivery], sent_at: datetime) -> None:
    if not deliveries:
        raise InvalidInput("Name at least one person it was sent to.", field="deliveries")
    seen: set[int] = set()
    for n, delivery in enumerate(deliveries, start=1):
        if delivery.status not in Recipient.Status.values or delivery.status == "queued":
            raise InvalidInput(
                f"Delivery {n}: {delivery.status!r} is not what became of a sent message.",
                field="status",
            )
        if delivery.person.pk in seen:
            raise InvalidInput(f"Delivery {n}: {delivery.person} is named twice.", field="person")
        seen.add(delivery.person.pk)
        for name in ("opened_at", "clicked_at", "unsubscribed_at"):
            moment = getattr(delivery, name)
            _refuse_future(moment, field=name)
            if moment is not None and moment < sent_at:
                raise InvalidInput(
                    f"Delivery {n}: {name.removesuffix('_at')} before the message was sent.",
                    field=name,
                )


def _past_recipient(
    message: Message, delivery: PastDelivery, address_of: dict[int, str], sent_at: datetime
) -> Recipient:
    reached = delivery.status == Recipient.Status.DELIVERED
    return Recipient(
        organization=message.organization,
        message=message,
        person=delivery.person,
        address=address_of[delivery.person.pk],
        status=delivery.status,
        provider_id=f"history-{message.pk}-{delivery.person.pk}",
        queued_at=sent_at,
        sent_at=sent_at,
        delivered_at=sent_at if reached else None,
        opened_at=delivery.opened_at,
        clicked_at=delivery.clicked_at,
        unsubscribed_at=delivery.unsubscribed_at,
    )


def _withdraw_unsubscribed(actor: Actor, deliveries: list[PastDelivery], channel: str) -> None:
    by_moment: dict[datetime, list[Person]] = {}
    for delivery in deliveries:
        if delivery.unsubscribed_at is not None:
            by_moment.setdefault(delivery.unsubscribed_at, []).append(delivery.person)
    for moment, people in sorted(by_moment.items()):
        record_consents_in_bulk(
            actor,
            people=people,
            channel=channel,
            source=Consent.Source.UNSUBSCRIBE_LINK,
            status=Consent.Status.WITHDRAWN,
            at=moment,
        )
