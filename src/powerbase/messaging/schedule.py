"""The worker's messaging chore: start scheduled messages and reminders that are due.

Listed in `core.jobs.HOUSEKEEPING`, so every worker runs it every few minutes; safe to run
any time and twice (a message leaves "scheduled" as its job starts; reminders are unique).
"""

import logging

from django.db import transaction
from django.utils import timezone

from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.models import User
from powerbase.messaging import rsvp_mail
from powerbase.messaging.models import Message

logger = logging.getLogger(__name__)


def send_due() -> None:
    send_scheduled()
    rsvp_mail.send_due_reminders()


def send_scheduled() -> list[int]:
    """Start the send job of every scheduled message whose time has come; return their ids.

    The job acts as the message's author, with the role they hold when it runs (an RSVP
    reminder held for quiet hours, as powerbase itself).
    """
    started = []
    due = Message.objects.filter(status=Message.Status.SCHEDULED, send_at__lte=timezone.now())
    for message in due.select_related("organization", "created_by"):
        with transaction.atomic():
            claimed = Message.objects.filter(pk=message.pk, status=Message.Status.SCHEDULED).update(
                status=Message.Status.SENDING
            )
            if not claimed:
                continue
            sender = _sender_of(message)
            if sender is None:
                Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED)
                logger.warning("Scheduled message %s has no author left; not sent.", message.pk)
                continue
            job = jobs.start(
                kind="messaging.send",
                started_by=sender,
                organization=message.organization,
                params={"message_id": message.pk},
            )
            Message.objects.filter(pk=message.pk).update(job=job)
            audit.record(
                sender,
                "message.send_started",
                message,
                organization=message.organization,
                changes={"scheduled": True},
            )
        started.append(message.pk)
    return started


def _sender_of(message: Message) -> User | Actor | None:
    """Who a scheduled send acts as: its author; powerbase itself for an RSVP reminder (one
    held for quiet hours comes back here); None for an author whose account is gone."""
    if message.kind in (Message.Kind.RSVP_REMINDER, Message.Kind.RSVP_CONFIRMATION):
        return access.system(message.organization)
    return message.created_by
