"""RSVP confirmations, sent at once, and reminders before the action, by email and text.

An RSVP made anywhere (the public page, staff, a bulk sign-up, the API) is audited as
"rsvp.created"; this module hears that entry and, once the RSVP is committed, queues a
confirmation to the person on each of the action's channels (`ActionMessaging.channels`:
email by default, text, or both) they agreed to, and a task sends it. Each action has one
confirmation message per channel, with a recipient row per person confirmed. A text due in
the person's quiet hours is held: the task runs again (a delayed task) when it may go.

Reminders go from the worker's schedule (`send_due`, every few minutes): for each action about
to start, one reminder message per offset and channel in its settings (a day and two hours by
default) to everyone who RSVP'd and agreed to that channel. A reply to a text reminder ("yes",
"can't make it") updates the RSVP (`sms.services`).
"""

from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
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
CONFIRMATION_TEXT = (
    "{{first_name}}, you're signed up for {{action}}: {{time}}, {{place}}. Details: {{link}}"
)
REMINDER_SUBJECT = "Reminder: {{action}}, {{time}}"
REMINDER_BODY = (
    "Hi {{first_name}},\n\nA reminder that {{action}} is coming up.\n\n"
    "When: {{time}}\nWhere: {{place}}\n\nDetails: {{link}}\n\nSee you there!\n"
)

REMINDER_TEXT = (
    "{{first_name}}, a reminder: {{action}} is {{time}} at {{place}}. Reply YES if you're "
    "coming, or NO if you can't make it."
)
TEMPLATES: dict[tuple[str, str], tuple[str, str]] = {
    (Message.Kind.RSVP_CONFIRMATION, Channel.EMAIL): (CONFIRMATION_SUBJECT, CONFIRMATION_BODY),
    (Message.Kind.RSVP_CONFIRMATION, Channel.SMS): ("", CONFIRMATION_TEXT),
    (Message.Kind.RSVP_REMINDER, Channel.EMAIL): (REMINDER_SUBJECT, REMINDER_BODY),
    (Message.Kind.RSVP_REMINDER, Channel.SMS): ("", REMINDER_TEXT),
}


def reminders_of(action: Action) -> tuple[bool, list[int]]:
    """Return whether *action* confirms RSVPs and the minutes before it reminders go."""
    settings = ActionMessaging.objects.filter(action=action).first()
    if settings is None:
        return True, list(DEFAULT_REMINDERS)
    return settings.confirm_rsvps, sorted(settings.reminder_minutes, reverse=True)


def channel_setting(action: Action) -> str:
    """Return how *action*'s confirmations and reminders go: "email" (the default), "sms" or
    "both"."""
    settings = ActionMessaging.objects.filter(action=action).first()
    return ActionMessaging.Channels.EMAIL if settings is None else settings.channels


def channels_of(action: Action) -> list[str]:
    """Return the channels *action*'s confirmations and reminders go by, email first."""
    setting = channel_setting(action)
    return [Channel.EMAIL, Channel.SMS] if setting == ActionMessaging.Channels.BOTH else [setting]


def on_audit_entry(entry: AuditEntry) -> None:
    """Confirm each new RSVP once it is committed (an RSVP rolled back is never confirmed)."""
    if entry.action != "rsvp.created" or entry.object_type != "actions.Rsvp":
        return
    rsvp_id = int(entry.object_id)
    transaction.on_commit(lambda: confirm(rsvp_id))


def confirm(rsvp_id: int) -> list[Recipient]:
    """Queue the confirmation of one RSVP on each of the action's channels the person agreed
    to, and have the worker send them; empty when there is none to send (no consent, no
    confirmations for the action, or it has already started)."""
    rsvp = Rsvp.objects.select_related("action__organization").filter(pk=rsvp_id).first()
    if rsvp is None or rsvp.action.has_started or not reminders_of(rsvp.action)[0]:
        return []
    queued = []
    for channel in channels_of(rsvp.action):
        pairs = audiences.addresses(Person.objects.filter(pk=rsvp.person_id), channel)
        if not pairs:
            continue
        message = _confirmation_message(rsvp.action, channel)
        recipient, _ = Recipient.objects.get_or_create(
            message=message,
            person_id=rsvp.person_id,
            defaults={"organization": message.organization, "address": pairs[0][1]},
        )
        queued.append(recipient)
        transaction.on_commit(partial(send_confirmations.enqueue, message.pk))
    return queued


def _confirmation_message(action: Action, channel: str) -> Message:
    """The action's one confirmation message on *channel*, made the first time it is needed."""
    kind = Message.Kind.RSVP_CONFIRMATION
    found = Message.objects.filter(kind=kind, action=action, channel=channel).first()
    if found is not None:
        return found
    subject, body = TEMPLATES[kind, channel]
    try:
        with transaction.atomic():
            message = Message.objects.create(
                organization=action.organization,
                kind=kind,
                channel=channel,
                subject=subject,
                body=body,
                audience=Message.Audience.ACTION_RSVPS,
                audience_id=action.pk,
                action=action,
                status=Message.Status.SENT,
                sent_at=timezone.now(),
            )
            audit.record(access.system(action.organization), "message.created", message)
    except IntegrityError:
        # Another RSVP made it at the same moment (one per action and channel).
        return Message.objects.get(kind=kind, action=action, channel=channel)
    return message


@task()
def send_confirmations(message_id: int) -> None:
    """Send the queued confirmations of one action on one channel (the worker runs it right
    after the RSVP). Texts due in someone's quiet hours stay queued, and the task runs again
    when the first of them may go."""
    message = Message.objects.select_related("action", "organization").get(pk=message_id)
    counts = sending.deliver(access.system(message.organization), message)
    if counts.get("held"):
        resume_at = datetime.fromisoformat(counts["resume_at"])
        send_confirmations.using(run_after=resume_at).enqueue(message.pk)


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
                for channel in channels_of(action):
                    message = _start_reminder(action, minutes, channel)
                    if message is not None:
                        started.append(message.pk)
    return started


def _start_reminder(action: Action, minutes: int, channel: str) -> Message | None:
    kind = Message.Kind.RSVP_REMINDER
    if Message.objects.filter(
        kind=kind, action=action, reminder_minutes=minutes, channel=channel
    ).exists():
        return None
    system = access.system(action.organization)
    subject, body = TEMPLATES[kind, channel]
    with transaction.atomic():
        message = Message.objects.create(
            organization=action.organization,
            kind=kind,
            channel=channel,
            subject=subject,
            body=body,
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
        audit.record(
            system,
            "message.created",
            message,
            changes={"reminder_minutes": minutes, "channel": channel},
        )
    return message
