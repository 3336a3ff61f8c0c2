"""Webhooks: tell an organization's subscribed URLs about changes, signed and retried.

Every audited write passes `on_audit_entry` (core.audit.listen), so a person created on a
page, at the door, by an import of one row or through a key is announced alike. A delivery
carries what changed and links to it, never the person's details: the receiver fetches those
with its own key, through the same access and visibility rules as everyone else.

Signing: `Powerbase-Timestamp` (Unix seconds) and `Powerbase-Signature: v1=<hex>`, the
HMAC-SHA256 of "<timestamp>.<body>" with the subscription's secret. A receiver recomputes it
and refuses a timestamp older than a few minutes (replays).
"""

import functools
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from powerbase.api.destinations import refuse_private_destination
from powerbase.api.models import WebhookDelivery, WebhookSubscription
from powerbase.core.exceptions import InvalidInput
from powerbase.core.models import AuditEntry

logger = logging.getLogger(__name__)

# Audit actions -> the webhook event they announce. Messaging adds its unsubscribe actions here.
EVENT_OF_AUDIT_ACTION: dict[str, str] = {
    "person.created": "person.created",
    "person.updated": "person.updated",
    "email.created": "person.updated",
    "phone.created": "person.updated",
    "address.created": "person.updated",
    "tag.added": "person.updated",
    "tag.removed": "person.updated",
    "custom_value.updated": "person.updated",
    "identifier.added": "person.updated",
    "rsvp.created": "rsvp",
    "attendance.recorded": "attendance",
    "consent.withdrawn": "unsubscribe",
    "person.unsubscribed": "unsubscribe",
}
EVENTS = ("person.created", "person.updated", "rsvp", "attendance", "unsubscribe")
# Seconds to wait after each failed attempt; after the last, the delivery is given up.
BACKOFF = (30, 120, 600, 3600, 6 * 3600)
TIMEOUT_SECONDS = 10


def on_audit_entry(entry: AuditEntry) -> None:
    """Queue a delivery of *entry*'s event to each subscription that wants it."""
    event = EVENT_OF_AUDIT_ACTION.get(entry.action)
    if event is None or entry.organization_id is None:
        return
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(
            organization_id=entry.organization_id, is_active=True
        )
        if event in s.events
    ]
    for subscription in subscriptions:
        delivery = WebhookDelivery.objects.create(
            organization_id=entry.organization_id,
            subscription=subscription,
            event=event,
            payload=payload_for(entry, event),
        )
        transaction.on_commit(functools.partial(deliver.enqueue, delivery.pk))


def payload_for(entry: AuditEntry, event: str) -> dict:
    """Return what a delivery says: the event, when, and what it concerns (no personal data)."""
    identifier = f"powerbase:{entry.object_id}"
    links = {}
    if entry.object_type == "people.Person":
        links["osdi:person"] = {"href": f"/api/v2/people/{entry.object_id}"}
    elif entry.object_type == "actions.Rsvp":
        identifier = f"powerbase:rsvp-{entry.object_id}"
    elif entry.object_type == "actions.Attendance":
        identifier = f"powerbase:attendance-{entry.object_id}"
    return {
        "event": event,
        "id": f"powerbase:{entry.pk}",
        "occurred_at": entry.created_at.isoformat(),
        "object": {"type": entry.object_type, "identifiers": [identifier]},
        "_links": links,
    }


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return (
        "v1="
        + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    )


@task()
def deliver(delivery_id: int) -> None:
    """Send one delivery; on failure, queue the next attempt after its back-off.

    Safe to run twice: a delivery already delivered or given up is left alone.
    """
    attempt(delivery_id)


def attempt(delivery_id: int) -> WebhookDelivery | None:
    """Try *delivery_id* once now and record the answer. Return the delivery."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (
            WebhookDelivery.Status.DELIVERED,
            WebhookDelivery.Status.FAILED,
        ):
            return delivery
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.save(update_fields=["attempts", "last_attempt_at"])
    status, answer = _post(delivery)
    delivery.response_status, delivery.response_body = status, answer[:500]
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.DELIVERED, None
    elif delivery.attempts > len(BACKOFF):
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    else:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = timezone.now() + timedelta(
            seconds=BACKOFF[delivery.attempts - 1]
        )
    delivery.save(update_fields=["status", "next_attempt_at", "response_status", "response_body"])
    if delivery.status == WebhookDelivery.Status.RETRYING:
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A receiver's redirect is its answer, not an address to follow: following it could lead
    a delivery to an address the subscription check refused."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    try:  # checked again: the host may have been pointed elsewhere since it was saved
        refuse_private_destination(delivery.subscription.url)
    except InvalidInput as refused:
        return None, f"Not sent: {refused.message}"
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    timestamp = int(time.time())
    # Subscriptions hold only http(s) URLs (services.subscribe refuses others).
    request = urllib.request.Request(  # noqa: S310
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "powerbase-webhooks/1",
            "Powerbase-Event": delivery.event,
            "Powerbase-Delivery": str(delivery.pk),
            "Powerbase-Timestamp": str(timestamp),
            "Powerbase-Signature": signature(delivery.subscription.secret, timestamp, body),
        },
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(500).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(500).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        return None, f"Could not connect: {getattr(error, 'reason', error)}"
