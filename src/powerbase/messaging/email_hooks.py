"""Email providers' tracking webhooks, through django-anymail: what became of each email.

One provider is wired: **Mailgun**. Point its webhooks (delivered, permanent and temporary
failure, opened, clicked, unsubscribed, complained) at

    https://<your host>/hooks/email/mailgun/tracking/

Anymail's own view receives them and verifies Mailgun's HMAC signature with
`MAILGUN_WEBHOOK_SIGNING_KEY` (and HTTP basic auth with `ANYMAIL_WEBHOOK_SECRET`, when set);
a request it cannot verify gets 400 and changes nothing. Without a signing key the address
answers 404: an unsigned webhook is never trusted. Each verified event comes to `on_tracking`
as anymail's `tracking` signal, which hands it to `services.record_delivery_status` by the
message id the provider gave the email when it was sent.
"""

from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType, tracking
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from powerbase.core.decorators import public_view

# Anymail's event types, in the words record_delivery_status takes. Others (queued, sent,
# deferred: a temporary failure Mailgun retries) change nothing.
STATUS_OF_EVENT = {
    EventType.DELIVERED: "delivered",
    EventType.BOUNCED: "bounced",
    EventType.REJECTED: "rejected",
    EventType.FAILED: "failed",
    EventType.OPENED: "opened",
    EventType.CLICKED: "clicked",
    EventType.UNSUBSCRIBED: "unsubscribed",
    EventType.COMPLAINED: "complained",
}

_mailgun_view = MailgunTrackingWebhookView.as_view()


@public_view
@csrf_exempt
def mailgun_tracking(request: HttpRequest) -> HttpResponse:
    """Mailgun's tracking webhook; anymail verifies the signature and sends the signal."""
    if not settings.ANYMAIL.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise Http404("Mailgun's webhooks are not set up on this install.")
    return _mailgun_view(request)


def on_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    """Record what the provider says became of an email we sent."""
    # services imports what imports this module's app; the rule lives there.
    from powerbase.messaging import services

    status = STATUS_OF_EVENT.get(event.event_type)
    if status is None or not event.message_id:
        return
    services.record_delivery_status(
        provider_id=event.message_id,
        status=status,
        error=str(event.description or event.mta_response or event.reject_reason or ""),
    )


def connect() -> None:
    tracking.connect(on_tracking, dispatch_uid="powerbase.messaging.email_hooks")
