"""RSVP confirmations, sent at once, and reminders before the action, by email.

An RSVP made anywhere (the public page, staff, a bulk sign-up, the API) is audited as
"rsvp.created"; this module hears that entry and, once the RSVP is committed, queues a
confirmation to the person if they agreed to email, and a task sends it. Each action has one
confirmation message, with a recipient row per person confirmed.

Reminders go from the worker's schedule (`send_due`, every few minutes): for each action about
to start, one reminder message per offset in its settings (`ActionMessaging`, a day and two
hours by default) to everyone who RSVP'd and agreed to email.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone

from powerbase.actions.models import Action, Rsvp
from powerbase.core import access, audit, jobs
from powerbase.core.models import AuditEntry
from powerbase.messaging import audiences, sending
from powerbase.messaging.models import ActionMessaging, Channel, Message, Recipient
from powerbase.people.models import Person

DEFAULT_REMINDERS = (1440, 120)
# Reminders are offered up to a week ahead, so the schedule looks no further than this.
LONGEST_REMINDER = 7 * 24 * 60

CONFIRMATION_SUBJECT = "You're signed up: {{action}}"
CONFIRMATION_BODY = (
    "Hi {{first_name}},\n\nThank you for signing up for {{action}}.\n\n"
    "When: {{time}}\nWhere: {{place}}\n\nThe details, and a link to bring a friend: {{link}}\n"
)
REMINDER_SUBJECT = "Reminder: {{action}}, {{time}}"
REMINDER_BODY = (
    "Hi {{first_name}},\n\nA reminder that {{action}} is coming up.\n\n"
    "When: {{time}}\nWhere: {{place}}\n\nDetails: {{link}}\n\nSee you there!\n"
)


def reminders_of(action: Action) -> tuple[bool, list[int]]:
    """Return whether *action* confirms RSVPs and the minutes before it reminders go."""
    settings = ActionMessaging.objects.filter(action=action).first()
    if settings is None:
        return True, list(DEFAULT_REMINDERS)
    return settings.confirm_rsvps, sorted(settings.reminder_minutes, reverse=True)


def on_audit_entry(entry: AuditEntry) -> None:
    """Confirm each new RSVP once it is committed (an RSVP rolled back is never confirmed)."""
    if entry.action != "rsvp.created" or entry.object_type != "actions.Rsvp":
        return
    rsvp_id = int(entry.object_id)
    transaction.on_commit(lambda: confirm(rsvp_id))


def confirm(rsvp_id: int) -> Recipient | None:
    """Queue the confirmation of one RSVP and have the worker send it; None when the person
    did not agree to email, the action has no confirmations, or it has already started."""
    rsvp = Rsvp.objects.select_related("action__organization").filter(pk=rsvp_id).first()
    if rsvp is None or rsvp.action.has_started or not reminders_of(rsvp.action)[0]:
        return None
    pairs = audiences.addresses(Person.objects.filter(pk=rsvp.person_id), Channel.EMAIL)
    if not pairs:
        return None
    message = _confirmation_message(rsvp.action)
    recipient, _ = Recipient.objects.get_or_create(
        message=message,
        person_id=rsvp.person_id,
        defaults={"organization": message.organization, "address": pairs[0][1]},
    )
    transaction.on_commit(lambda: send_confirmations.enqueue(message.pk))
    return recipient


def _confirmation_message(action: Action) -> Message:
    found = Message.objects.filter(kind=Message.Kind.RSVP_CONFIRMATION, action=action).first()
    if found is not None:
        return found
    with transaction.atomic():
        message = Message.objects.create(
            organization=action.organization,
            kind=Message.Kind.RSVP_CONFIRMATION,
            channel=Channel.EMAIL,
            subject=CONFIRMATION_SUBJECT,
            body=CONFIRMATION_BODY,
            audience=Message.Audience.ACTION_RSVPS,
            audience_id=action.pk,
            action=action,
            status=Message.Status.SENT,
            sent_at=timezone.now(),
        )
        audit.record(access.system(action.organization), "message.created", message)
    return message


@task()
def send_confirmations(message_id: int) -> None:
    """Send the queued confirmations of one action (the worker runs it right after the RSVP)."""
    message = Message.objects.select_related("action", "organization").get(pk=message_id)
    sending.deliver(access.system(message.organization), message)


def send_due_reminders() -> list[int]:
    """Start the reminders now due, across organizations; return the new messages' ids.

    A reminder goes when its moment has come and less than half its lead time has passed
    since (someone who RSVPs an hour before gets the two-hour reminder, not the day-before
    one); each (action, offset) is sent once, guarded by a unique constraint.
    """
    now = timezone.now()
    soon = Action.objects.filter(
        starts_at__gt=now, starts_at__lte=now + timedelta(minutes=LONGEST_REMINDER)
    ).filter(Exists(Rsvp.objects.filter(action=OuterRef("pk"))))
    started = []
    for action in soon.select_related("organization"):
        for minutes in reminders_of(action)[1]:
            due = action.starts_at - timedelta(minutes=minutes)
            if due <= now < due + timedelta(minutes=minutes / 2):
                message = _start_reminder(action, minutes)
                if message is not None:
                    started.append(message.pk)
    return started


def _start_reminder(action: Action, minutes: int) -> Message | None:
    if Message.objects.filter(
        kind=Message.Kind.RSVP_REMINDER, action=action, reminder_minutes=minutes
    ).exists():
        return None
    system = access.system(action.organization)
    with transaction.atomic():
        message = Message.objects.create(
            organization=action.organization,
            kind=Message.Kind.RSVP_REMINDER,
            channel=Channel.EMAIL,
            subject=REMINDER_SUBJECT,
            body=REMINDER_BODY,
            audience=Message.Audience.ACTION_RSVPS,
            audience_id=action.pk,
            action=action,
            reminder_minutes=minutes,
            status=Message.Status.SENDING,
        )
        message.job = jobs.start(
            kind="messaging.send",
            started_by=system,
            organization=action.organization,
            params={"message_id": message.pk},
        )
        message.save(update_fields=["job"])
        audit.record(system, "message.created", message, changes={"reminder_minutes": minutes})
    return message
