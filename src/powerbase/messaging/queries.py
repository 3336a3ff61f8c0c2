"""Reads of the messaging app: messages, their counts and previews, a person's messages."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.messaging import audiences, sending
from powerbase.messaging.merge import Merge, action_values
from powerbase.messaging.models import (
    AffiliateTerms,
    Consent,
    InboundMessage,
    Message,
    Recipient,
    SendingLimit,
)
from powerbase.people.timeline import Event

VIEW = "messages.view"
PREVIEW_PEOPLE = 3


def messages(actor: Actor) -> QuerySet[Message]:
    access.require(actor, VIEW)
    return access.scoped(actor, Message.objects.all()).select_related("action", "created_by")


def message(actor: Actor, message_id: int) -> Message:
    access.require(actor, VIEW)
    return access.get(actor, Message.objects.select_related("action", "job"), pk=message_id)


@dataclass(frozen=True)
class Counts:
    """What became of one message's recipients (opened/clicked where the channel reports it)."""

    queued: int = 0
    sent: int = 0
    delivered: int = 0
    bounced: int = 0
    failed: int = 0
    opened: int = 0
    clicked: int = 0
    replied: int = 0
    unsubscribed: int = 0

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.delivered + self.bounced + self.failed


_S = Recipient.Status


def counts(message: Message) -> Counts:
    """Count *message*'s recipients by what became of them, in one query."""
    found = message.recipients.aggregate(
        queued=Count("pk", filter=Q(status=_S.QUEUED)),
        sent=Count("pk", filter=Q(status__in=[_S.SENT, _S.DELIVERED, _S.BOUNCED])),
        delivered=Count("pk", filter=Q(status=_S.DELIVERED)),
        bounced=Count("pk", filter=Q(status=_S.BOUNCED)),
        failed=Count("pk", filter=Q(status=_S.FAILED)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
        replied=Count("pk", filter=Q(replied_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    # "sent" counts everything that left, including what was later delivered or bounced.
    return Counts(**found)


@dataclass(frozen=True)
class Preview:
    name: str
    subject: str
    body: str


def preview(actor: Actor, message: Message, limit: int = PREVIEW_PEOPLE) -> list[Preview]:
    """Render *message* for the first few real people it would reach (names only: no address
    is shown, so the preview reveals nothing the visibility rule withholds)."""
    people = audiences.people_in(actor, message.audience, message.audience_id)
    merge = Merge(shared=action_values(message.action))
    return [
        Preview(
            name=str(person),
            subject=merge.fill(message.subject, person),
            body=merge.fill(message.body, person),
        )
        for person in audiences.reachable(people, message.channel).order_by("pk")[:limit]
    ]


def reach(actor: Actor, message: Message) -> tuple[int, int]:
    """Return (people in the audience, people of them we may write to on its channel)."""
    people = audiences.people_in(actor, message.audience, message.audience_id)
    return people.count(), audiences.reachable(people, message.channel).count()


def recipients(actor: Actor, message: Message, limit: int = 100) -> list[Recipient]:
    """The first recipients of *message*, with who they are (no addresses on the page)."""
    return list(
        access.scoped(actor, message.recipients.all())
        .select_related("person")
        .order_by("id")[:limit]
    )


def limits(actor: Actor) -> tuple[int, int]:
    """Return (the organization's daily limit, messages sent in the last 24 hours)."""
    return sending.daily_limit(actor.organization), sending.sent_today(actor.organization)


def own_settings(actor: Actor) -> dict:
    """The organization's own limit and quiet hours, as the settings form takes them (None:
    the install's)."""
    access.require(actor, "messages.configure")
    own = SendingLimit.objects.filter(organization=actor.organization).first()
    return {
        "per_day": own.per_day if own else None,
        "quiet_start": own.quiet_start if own else None,
        "quiet_end": own.quiet_end if own else None,
    }


def affiliate_terms(actor: Actor) -> list:
    """The affiliates, each with its messaging terms (None: none set, so no messages)."""
    from powerbase.coalition.models import Affiliate

    affiliates = list(access.scoped(actor, Affiliate.objects.all()).order_by("name"))
    terms = {t.affiliate_id: t for t in AffiliateTerms.objects.filter(affiliate__in=affiliates)}
    return [(affiliate, terms.get(affiliate.pk)) for affiliate in affiliates]


def consents(actor: Actor, person) -> list[Consent]:
    """A person's consent, per channel, for their page."""
    if not actor.can(VIEW):
        return []
    return list(access.scoped(actor, Consent.objects.filter(person=person)).order_by("channel"))


# A person's story ----------------------------------------------------------------------------


def events_for_person(actor: Actor, person, seen, *, kinds: frozenset[str], limit: int) -> list:
    """Return what *person* was sent and what they answered, for `people.timeline`.

    Message subjects and their replies are the organization's own correspondence: shown to
    roles that read messages (affiliate leads are not among them, so no affiliate sees what
    the IPO wrote to its members). Addresses are never shown, so no contact fact leaks.
    """
    if "message" not in kinds or not actor.can(VIEW):
        return []
    received = (
        access.scoped(actor, Recipient.objects.filter(person=person))
        .select_related("message__action__organization", "person")
        .order_by("-queued_at", "-id")[:limit]
    )
    replies = access.scoped(actor, InboundMessage.objects.filter(person=person)).order_by(
        "-received_at", "-id"
    )[:limit]
    events = [_sent_event(actor, recipient) for recipient in received]
    events += [
        Event(
            at=reply.received_at,
            kind="message",
            title=f"Replied by {reply.get_channel_display().lower()}",
            detail=reply.text[:200],
        )
        for reply in replies
    ]
    consents_changed = access.scoped(actor, Consent.objects.filter(person=person))
    events += [
        Event(
            at=consent.changed_at,
            kind="message",
            title=f"{consent.get_channel_display()} consent {consent.get_status_display().lower()}",
            detail=f"from {consent.get_source_display().lower()}",
        )
        for consent in consents_changed
    ]
    return events


def _sent_event(actor: Actor, recipient: Recipient) -> Event:
    message = recipient.message
    # As the person read it: their own name and the action filled in.
    what = Merge(shared=action_values(message.action)).fill(
        message.subject or message.body[:60], recipient.person
    )
    status = recipient.get_status_display().lower()
    extra = [
        word
        for word, when in (
            ("opened", recipient.opened_at),
            ("clicked", recipient.clicked_at),
            ("replied", recipient.replied_at),
            ("unsubscribed", recipient.unsubscribed_at),
        )
        if when
    ]
    return Event(
        at=recipient.sent_at or recipient.queued_at,
        kind="message",
        title=f"{message.get_kind_display()} by {message.get_channel_display().lower()}: {what}",
        detail=", ".join([status, *extra]),
        url=reverse(
            "messaging:message",
            kwargs={"org": actor.organization.slug, "message_id": message.pk},
        ),
    )
