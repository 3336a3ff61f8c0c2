"""Sending: queue a row per recipient, then send them in batches as a job with progress.

    queue(actor, message)              # one Recipient row per person we may write to
    send_job(job, progress)            # the "messaging.send" job: queue, then deliver
    deliver(actor, message)            # send what is queued (claims each row first)

Safe to run twice: queueing skips people already queued, and each row is claimed (queued ->
sent) before it goes, so a second worker or a repeated job never sends it again. Consent is
read again before each batch: someone who unsubscribes while a send runs gets nothing more.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models.constants import OnConflict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.exceptions import PowerbaseError
from powerbase.core.models import Job, Organization
from powerbase.messaging import audiences, unsubscribe
from powerbase.messaging.channels import OutgoingMessage, channel_for
from powerbase.messaging.merge import Merge, action_values
from powerbase.messaging.models import Channel, Consent, Message, Recipient, SendingLimit
from powerbase.messaging.sms import scheduling as sms_scheduling
from powerbase.messaging.sms.provider import SmsError
from powerbase.people.models import Person

logger = logging.getLogger(__name__)

BATCH = 200
# Rows per INSERT statement: 14 parameters each stays under every backend's limit.
ROWS_PER_INSERT = 1000


class DailyLimitReached(PowerbaseError):
    """The organization has sent all it may today."""

    def __init__(self, limit: int, left: int):
        super().__init__(
            f"The organization's limit of {limit} messages a day is reached; {left} stay "
            "queued. Send the message again tomorrow to deliver them, or ask an owner to "
            "raise the limit."
        )


def daily_limit(organization: Organization) -> int:
    own = SendingLimit.objects.filter(organization=organization).first()
    if own is None or own.per_day is None:
        return settings.MESSAGES_PER_DAY
    return own.per_day


def sent_today(organization: Organization) -> int:
    """Messages sent in the last 24 hours (the limit's window)."""
    since = timezone.now() - timedelta(days=1)
    return Recipient.objects.filter(organization=organization, sent_at__gte=since).count()


def remaining_today(organization: Organization) -> int:
    return max(0, daily_limit(organization) - sent_today(organization))


def queue(actor: Actor, message: Message) -> int:
    """Add a queued recipient for each person of the audience we may write to; return how many
    rows are new (bulk inserts: a hundred thousand take seconds)."""
    people = audiences.people_in(actor, message.audience, message.audience_id)
    pairs = audiences.addresses(people, message.channel)
    before = message.recipients.count()
    insert_queued(message, pairs)
    return message.recipients.count() - before


def insert_queued(message: Message, pairs: list[tuple[int, str]]) -> None:
    """Insert a queued Recipient per (person id, address), skipping people already queued.

    Straight through the driver, a thousand rows to a statement, with the model's own columns
    and defaults: at a hundred thousand rows, building and preparing model objects for
    `bulk_create` cost several times the inserts themselves, and one statement per row is a
    round trip each on PostgreSQL (bench/messages.py).
    """
    fields = [f for f in Recipient._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    constant = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.attname not in ("person_id", "address")
    }
    constant.update(
        organization_id=message.organization_id,
        message_id=message.pk,
        status=Recipient.Status.QUEUED,
    )
    template = [constant.get(name) for name in names]
    at_person, at_address = names.index("person_id"), names.index("address")
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(pairs), ROWS_PER_INSERT):
            chunk = pairs[start : start + ROWS_PER_INSERT]
            params: list = []
            for person_id, address in chunk:
                values = template.copy()
                values[at_person], values[at_address] = person_id, address
                params += values
            cursor.execute(_insert_sql(fields, len(chunk)), params)


def _insert_sql(fields: list, rows: int) -> str:
    quote = connection.ops.quote_name
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return "{insert} {table} ({columns}) VALUES {rows} {suffix}".format(
        insert=connection.ops.insert_statement(on_conflict=OnConflict.IGNORE),
        table=quote(Recipient._meta.db_table),
        columns=", ".join(quote(str(f.column)) for f in fields),
        rows=", ".join([one_row] * rows),
        suffix=connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None) or "",
    )


def send_job(job: Job, progress: jobs.Progress) -> dict:
    """Job "messaging.send": queue the message's recipients, then deliver to each."""
    message = Message.objects.select_related("action", "organization").get(
        pk=job.params["message_id"], organization=job.organization
    )
    actor = _actor_of(job)
    progress.update(0, message="Choosing recipients")
    queue(actor, message)
    try:
        counts = deliver(actor, message, progress)
    except DailyLimitReached:
        Message.objects.filter(pk=message.pk).update(status=Message.Status.SCHEDULED, send_at=None)
        raise
    if counts.get("held"):
        # Texts that reached someone's quiet hours wait: the worker's chore (schedule.py)
        # starts the message again when the first of them may go.
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SCHEDULED, send_at=datetime.fromisoformat(counts["resume_at"])
        )
        return counts
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, sent_at=timezone.now())
    return counts


def _actor_of(job: Job) -> Actor:
    """Who the send acts as: the user who started it, with the role they hold *now* (a role
    taken away stops a scheduled send), else the system."""
    who = jobs.actor_of(job)
    if isinstance(who, Actor):
        return who
    assert job.organization is not None
    actor = access.actor_for(who, job.organization.slug)
    access.require(actor, "messages.send")
    return actor


def deliver(actor: Actor, message: Message, progress: jobs.Progress | None = None) -> dict:
    """Send every queued recipient of *message*; return the counts of this run."""
    total = message.recipients.count()
    done = total - message.recipients.filter(status=Recipient.Status.QUEUED).count()
    if progress:
        progress.update(done, total=total, message="Sending")
    merge = Merge(shared=action_values(message.action))
    channel = channel_for(message.channel)
    limit = daily_limit(message.organization)
    sent = failed = 0
    held: dict[int, datetime] = {}  # recipient -> when its text may go (quiet hours)
    after = 0  # rows held back stay queued: walk past them by id
    while True:
        batch = list(
            message.recipients.filter(status=Recipient.Status.QUEUED, pk__gt=after)
            .select_related("person")
            .order_by("id")[:BATCH]
        )
        if not batch:
            break
        allowed = limit - sent_today(message.organization)
        if allowed <= 0:
            left = message.recipients.filter(status=Recipient.Status.QUEUED).count()
            raise DailyLimitReached(limit, left)
        batch = batch[:allowed]
        after = batch[-1].pk
        still = _still_reachable(batch, message.channel)
        waits = _quiet_hours(message, [r.person_id for r in batch if r.person_id in still])
        delivered = []
        for recipient in batch:
            if recipient.person_id not in still:
                failed += _refuse(
                    recipient,
                    "No consent (or the affiliate's terms forbid it) when it was time to send.",
                )
                continue
            if recipient.person_id in waits:
                held[recipient.pk] = waits[recipient.person_id]
                continue
            if _send_one(channel, message, merge, recipient):
                sent += 1
                delivered.append(recipient.person_id)
            else:
                failed += 1
        if delivered:
            audit.record(
                actor,
                "message.sent",
                message,
                organization=message.organization,
                changes={"channel": message.channel, "people": delivered},
            )
        done += len(batch)
        if progress:
            progress.update(done)
    if held:
        return {
            "sent": sent,
            "failed": failed,
            "held": len(held),
            "resume_at": min(held.values()).isoformat(),
        }
    return {"sent": sent, "failed": failed}


def _quiet_hours(message: Message, person_ids: list[int]) -> dict[int, datetime]:
    """For a text, the people for whom it is night now, and when it may reach each of them."""
    if message.channel != Channel.SMS:
        return {}
    return sms_scheduling.holds(person_ids, message.organization, timezone.now())


def _still_reachable(batch: list[Recipient], channel: str) -> set[int]:
    people = Person.objects.filter(pk__in=[recipient.person_id for recipient in batch])
    return set(audiences.reachable(people, channel).values_list("pk", flat=True))


def _refuse(recipient: Recipient, why: str) -> int:
    return Recipient.objects.filter(pk=recipient.pk, status=Recipient.Status.QUEUED).update(
        status=Recipient.Status.FAILED, error=why
    )


def _send_one(channel, message: Message, merge: Merge, recipient: Recipient) -> bool:
    """Claim *recipient*, send, and record the provider's id; False if it failed or was taken."""
    claimed = Recipient.objects.filter(pk=recipient.pk, status=Recipient.Status.QUEUED).update(
        status=Recipient.Status.SENT, sent_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        provider_id = channel.send(render(message, merge, recipient))
    except Exception as error:  # noqa: BLE001 - one bad address must not stop the send
        logger.warning("Sending recipient %s failed: %s", recipient.pk, error.__class__.__name__)
        Recipient.objects.filter(pk=recipient.pk).update(
            status=Recipient.Status.FAILED,
            sent_at=None,
            error=f"{error.__class__.__name__}: {str(error)[:200]}",
        )
        if isinstance(error, SmsError) and error.unsubscribed:
            _carrier_stopped(message, recipient)
        return False
    Recipient.objects.filter(pk=recipient.pk).update(provider_id=provider_id[:200])
    return True


def _carrier_stopped(message: Message, recipient: Recipient) -> None:
    """The carrier says the number sent STOP (the reply may never have reached us): stop
    texting the person, as a STOP reply would, so later sends do not even try."""
    # services imports this module; the consent rule lives there.
    from powerbase.messaging import services

    services.withdraw_consent(
        access.system(message.organization),
        person=recipient.person,
        channel=Channel.SMS,
        source=Consent.Source.CARRIER_STOP,
    )


def render(message: Message, merge: Merge, recipient: Recipient) -> OutgoingMessage:
    """Fill the message for one recipient, with the unsubscribe link or the STOP line."""
    body = merge.fill(message.body, recipient.person)
    if message.channel == Channel.SMS:
        return OutgoingMessage(
            to=recipient.address,
            body=f"{body}\nReply STOP to stop texts.",
            status_callback=_status_callback(),
        )
    return OutgoingMessage(
        to=recipient.address,
        subject=merge.fill(message.subject, recipient.person),
        body=f"{body}\n\n--\nTo stop these emails in one step: "
        f"{unsubscribe.link_for(recipient.pk)}\n",
        headers=unsubscribe.headers_for(recipient.pk),
    )


def _status_callback() -> str:
    """The SMS provider's delivery-report address, when the SMS layer is installed."""
    try:
        return settings.SITE_URL + reverse("sms:status")
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class TestSend:
    to: str
    subject: str
    body: str


def send_test(actor: Actor, message: Message, to: str, person: Person | None) -> TestSend:
    """Send *message* once to *to*, filled in as for *person* (a real recipient, if any)."""
    merge = Merge(shared=action_values(message.action))
    stand_in = person or Person(given_name=actor.user.name if actor.user else "friend")
    body = merge.fill(message.body, stand_in)
    subject = f"[Test] {merge.fill(message.subject, stand_in)}"
    outgoing = OutgoingMessage(to=to, subject=subject, body=body)
    with transaction.atomic():
        audit.record(actor, "message.test_sent", message, changes={"to": to})
    channel_for(message.channel).send(outgoing)
    return TestSend(to=to, subject=subject, body=body)
