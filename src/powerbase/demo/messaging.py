"""Demo messages: consent, affiliates' messaging terms, and a couple of fictional sent messages.

The history goes through messaging's after-the-fact bulk services (`record_consents_in_bulk`,
`record_sent_in_bulk`, `record_inbound` with the moment it came), dated in the past, as the
actions demo records turnout: the demo sends nothing (its email goes to the console, and the
messages page says so). New messages written in the demo go through the real send job to
that console.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from powerbase.actions.models import Action, Attendance, Rsvp
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.models import Organization, User
from powerbase.messaging import audiences, services
from powerbase.messaging.models import Consent, Message, Recipient
from powerbase.people.models import EmailAddress, Person

THANKS_SUBJECT = "Thank you for coming, {{first_name}} (fictional)"
# People per bulk call: well under SQLite's limit of parameters in one statement.
BATCH = 5000
REPLIES = ("YES, I'll be there", "Can I bring my neighbour?", "can't make it this time", "STOP")


def load_messaging_demo(organization: Organization) -> dict:
    """Give the base consent, the sharing affiliates' terms, and two sent messages. Safe to
    run twice."""
    if Message.objects.filter(organization=organization, subject=THANKS_SUBJECT).exists():
        return {"status": "already loaded"}
    with transaction.atomic():
        return _load(organization)


def _load(organization: Organization) -> dict:
    rng = random.Random(13)
    system = access.system(organization)
    for affiliate in Affiliate.objects.filter(organization=organization, share_contact=True):
        services.set_affiliate_terms(system, affiliate=affiliate, may_email=True, may_text=True)
    consented = _consent(system, rng)
    organizer = User.objects.filter(email="organizer@nutmeg.example").first()
    writer = access.actor_for(organizer, organization.slug) if organizer is not None else system
    held = (
        Action.objects.filter(organization=organization, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    thanks = texts = 0
    if held is not None:
        thanks = _thanks(writer, held, consented, rng)
        texts = _reminder_texts(writer, held, consented, rng)
    return {"consents": len(consented), "thanked": thanks, "texted": texts}


def _consent(system: access.Actor, rng: random.Random) -> set[int]:
    """Consent to email (and, for half, texts) for four in five people with an email, given
    two months ago with the roster's import."""
    people = sorted(
        set(
            EmailAddress.objects.filter(organization=system.organization).values_list(
                "person_id", flat=True
            )
        )
    )
    chosen = [pk for pk in people if rng.random() < 0.8]
    when = timezone.now() - timedelta(days=60)
    for start in range(0, len(chosen), BATCH):
        batch = list(Person.objects.filter(pk__in=chosen[start : start + BATCH]))
        for channel, who in (("email", batch), ("sms", [p for p in batch if p.pk % 2])):
            services.record_consents_in_bulk(
                system,
                people=who,
                channel=channel,
                source=Consent.Source.IMPORT,
                detail="Demo roster (fictional)",
                at=when,
            )
    return set(chosen)


def _thanks(writer: access.Actor, action: Action, consented: set[int], rng) -> int:
    """A thank-you email to those who came, sent the day after, with what became of each."""
    came = list(
        Attendance.objects.filter(action=action, person_id__in=consented).values_list(
            "person_id", flat=True
        )[:400]
    )
    sent_at = action.starts_at + timedelta(days=1)
    deliveries = []
    for person in _reachable(writer, action, came, "email"):
        fate = rng.random()
        deliveries.append(
            services.PastDelivery(
                person=person,
                status=Recipient.Status.BOUNCED if fate < 0.03 else Recipient.Status.DELIVERED,
                opened_at=sent_at + timedelta(hours=3) if fate > 0.45 else None,
                clicked_at=sent_at + timedelta(hours=4) if fate > 0.85 else None,
                unsubscribed_at=sent_at + timedelta(hours=5) if 0.03 <= fate < 0.05 else None,
            )
        )
    if not deliveries:
        return 0
    services.record_sent_in_bulk(
        writer,
        channel="email",
        subject=THANKS_SUBJECT,
        body="Hi {{first_name}},\n\nThank you for standing with us at {{action}}. The vote is "
        "next week: we will tell you how to be there.\n\n(This is fictional demo mail.)",
        audience=Message.Audience.ACTION_RSVPS,
        audience_id=action.pk,
        action=action,
        sent_at=sent_at,
        deliveries=deliveries,
    )
    return len(deliveries)


def _reminder_texts(writer: access.Actor, action: Action, consented: set[int], rng) -> int:
    """A text reminder the day before, and some replies to it, twenty minutes later."""
    said_yes = list(
        Rsvp.objects.filter(action=action, person_id__in=consented).values_list(
            "person_id", flat=True
        )[:150]
    )
    sent_at = action.starts_at - timedelta(days=1)
    texted = [p for p in _reachable(writer, action, said_yes, "sms") if p.pk % 2]
    if not texted:
        return 0
    message = services.record_sent_in_bulk(
        writer,
        channel="sms",
        body="{{first_name}}, see you tomorrow at {{action}}, {{place}}. Reply YES to confirm. "
        "(fictional)",
        audience=Message.Audience.ACTION_RSVPS,
        audience_id=action.pk,
        action=action,
        sent_at=sent_at,
        deliveries=[services.PastDelivery(person=person) for person in texted],
    )
    replied = sent_at + timedelta(minutes=20)
    for recipient in message.recipients.order_by("id")[:40]:
        if rng.random() < 0.5:
            services.record_inbound(
                writer.organization,
                channel="sms",
                from_address=recipient.address,
                text=rng.choice(REPLIES),
                provider_id=f"SMreply{recipient.pk:08d}",
                received_at=replied,
            )
    return len(texted)


def _reachable(writer: access.Actor, action: Action, person_ids: list[int], channel: str):
    """The people of *person_ids* among the action's RSVPs who may get *channel*, by id."""
    people = audiences.people_in(writer, Message.Audience.ACTION_RSVPS, action.pk)
    return list(
        audiences.reachable(people.filter(pk__in=person_ids), channel)
        .filter(**{"emails__isnull" if channel == "email" else "phones__isnull": False})
        .distinct()
        .order_by("pk")
    )
