"""Demo messages: consent, affiliates' messaging terms, and a couple of fictional sent messages.

The history is written in bulk and dated in the past, as the actions demo writes turnout: the
demo sends nothing (its email goes to the console, and the messages page says so). New
messages written in the demo go through the real send job to that console.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from powerbase.actions.models import Action, Attendance, Rsvp
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.models import Organization, User
from powerbase.messaging import services
from powerbase.messaging.models import Consent, InboundMessage, Message, Recipient
from powerbase.people.models import EmailAddress, PhoneNumber

THANKS_SUBJECT = "Thank you for coming, {{first_name}} (fictional)"
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
    consented = _consent(organization, rng)
    organizer = User.objects.filter(email="organizer@nutmeg.example").first()
    held = (
        Action.objects.filter(organization=organization, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    thanks = texts = 0
    if held is not None:
        thanks = _thanks(organization, held, organizer, consented, rng)
        texts = _reminder_texts(organization, held, organizer, consented, rng)
    return {"consents": len(consented), "thanked": thanks, "texted": texts}


def _consent(organization: Organization, rng: random.Random) -> set[int]:
    """Consent to email (and, for half, texts) for four in five people with an email."""
    people = sorted(
        set(
            EmailAddress.objects.filter(organization=organization).values_list(
                "person_id", flat=True
            )
        )
    )
    chosen = [pk for pk in people if rng.random() < 0.8]
    when = timezone.now() - timedelta(days=60)
    rows = [
        Consent(
            organization=organization,
            person_id=pk,
            channel=channel,
            status=Consent.Status.GRANTED,
            source=Consent.Source.IMPORT,
            detail="Demo roster (fictional)",
            changed_at=when,
        )
        for pk in chosen
        for channel in (("email", "sms") if pk % 2 else ("email",))
    ]
    Consent.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return set(chosen)


def _thanks(organization, action: Action, organizer, consented: set[int], rng) -> int:
    """A thank-you email to those who came, sent the day after, with what became of each."""
    came = list(
        Attendance.objects.filter(action=action, person_id__in=consented).values_list(
            "person_id", flat=True
        )[:400]
    )
    sent_at = action.starts_at + timedelta(days=1)
    message = Message.objects.create(
        organization=organization,
        channel="email",
        subject=THANKS_SUBJECT,
        body="Hi {{first_name}},\n\nThank you for standing with us at {{action}}. The vote is "
        "next week: we will tell you how to be there.\n\n(This is fictional demo mail.)",
        audience=Message.Audience.ACTION_RSVPS,
        audience_id=action.pk,
        action=action,
        status=Message.Status.SENT,
        created_by=organizer,
        created_at=sent_at - timedelta(hours=2),
        sent_at=sent_at,
    )
    addresses = _addresses(EmailAddress, "address", came)
    rows = []
    for person_id in came:
        if person_id not in addresses:
            continue
        fate = rng.random()
        rows.append(
            Recipient(
                organization=organization,
                message=message,
                person_id=person_id,
                address=addresses[person_id],
                status=Recipient.Status.BOUNCED if fate < 0.03 else Recipient.Status.DELIVERED,
                provider_id=f"<demo-{message.pk}-{person_id}@powerbase.invalid>",
                queued_at=sent_at,
                sent_at=sent_at,
                delivered_at=sent_at if fate >= 0.03 else None,
                opened_at=sent_at + timedelta(hours=3) if fate > 0.45 else None,
                clicked_at=sent_at + timedelta(hours=4) if fate > 0.85 else None,
                unsubscribed_at=sent_at + timedelta(hours=5) if 0.03 <= fate < 0.05 else None,
            )
        )
    Recipient.objects.bulk_create(rows, batch_size=2000)
    unsubscribed = [r.person_id for r in rows if r.unsubscribed_at]
    Consent.objects.filter(person_id__in=unsubscribed, channel="email").update(
        status=Consent.Status.WITHDRAWN,
        source=Consent.Source.UNSUBSCRIBE_LINK,
        changed_at=sent_at + timedelta(hours=5),
    )
    return len(rows)


def _reminder_texts(organization, action: Action, organizer, consented: set[int], rng) -> int:
    """A text reminder the day before, and some replies to it."""
    said_yes = list(
        Rsvp.objects.filter(action=action, person_id__in=consented).values_list(
            "person_id", flat=True
        )[:150]
    )
    sent_at = action.starts_at - timedelta(days=1)
    message = Message.objects.create(
        organization=organization,
        channel="sms",
        body="{{first_name}}, see you tomorrow at {{action}}, {{place}}. Reply YES to confirm. "
        "(fictional)",
        audience=Message.Audience.ACTION_RSVPS,
        audience_id=action.pk,
        action=action,
        status=Message.Status.SENT,
        created_by=organizer,
        created_at=sent_at - timedelta(hours=1),
        sent_at=sent_at,
    )
    phones = _addresses(PhoneNumber, "e164", said_yes)
    rows = [
        Recipient(
            organization=organization,
            message=message,
            person_id=person_id,
            address=phones[person_id],
            status=Recipient.Status.DELIVERED,
            provider_id=f"SMdemo{message.pk:04d}{person_id:08d}",
            queued_at=sent_at,
            sent_at=sent_at,
            delivered_at=sent_at,
        )
        for person_id in said_yes
        if person_id in phones and person_id % 2
    ]
    Recipient.objects.bulk_create(rows, batch_size=2000)
    for recipient in Recipient.objects.filter(message=message).order_by("id")[:40]:
        if rng.random() < 0.5:
            services.record_inbound(
                organization,
                channel="sms",
                from_address=recipient.address,
                text=rng.choice(REPLIES),
                provider_id=f"SMreply{recipient.pk:08d}",
            )
    # Replies came twenty minutes after the reminder, not when the demo was loaded.
    replied = sent_at + timedelta(minutes=20)
    InboundMessage.objects.filter(in_reply_to__message=message).update(received_at=replied)
    message.recipients.filter(replied_at__isnull=False).update(replied_at=replied)
    return len(rows)


def _addresses(model, column: str, person_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    rows = model.objects.filter(person_id__in=person_ids).order_by("person_id", "-is_primary", "id")
    for person_id, address in rows.values_list("person_id", column):
        found.setdefault(person_id, address)
    return found
