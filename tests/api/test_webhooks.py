"""Webhooks: signed deliveries to a local HTTP server, retried with back-off, visible with the
receiver's answers."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from powerbase.api import webhooks
from powerbase.api.models import WebhookDelivery
from powerbase.api.services import subscribe
from powerbase.core.access import actor_for
from powerbase.core.exceptions import PermissionDenied
from powerbase.people.services import PersonDetails, create_person


class Receiver:
    """An HTTP server on 127.0.0.1 that records what it is sent and answers `status`."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"thanks" if receiver.status == 200 else b"busy")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings):
    """A receiver on this machine, which only an operator's setting lets webhooks reach."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    found = Receiver()
    yield found
    found.server.shutdown()


def add_ana(user):
    return create_person(
        actor=actor_for(user, "nutmeg"),
        details=PersonDetails(given_name="Ana"),
        email="ana@example.org",
    )


def test_a_new_person_is_announced_signed_with_the_subscriptions_secret(
    receiver, admin, organizer, django_capture_on_commit_callbacks
):
    hook = subscribe(actor=actor_for(admin, "nutmeg"), url=receiver.url, events=["person.created"])
    with django_capture_on_commit_callbacks(execute=False):
        ana = add_ana(organizer)
    delivery = WebhookDelivery.objects.get()
    webhooks.attempt(delivery.pk)

    headers, body = receiver.received[0]
    expected = hmac.new(
        hook.secret.encode(), f"{headers['Powerbase-Timestamp']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["Powerbase-Signature"] == f"v1={expected}"
    sent = json.loads(body)
    assert sent["event"] == "person.created"
    assert sent["object"]["identifiers"] == [f"powerbase:{ana.pk}"]
    assert "ana@example.org" not in body.decode()  # links, never a person's details
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.response_status, delivery.response_body) == (200, "thanks")


def test_a_failed_delivery_is_retried_later_and_given_up_after_the_last_try(
    receiver, admin, organizer, django_capture_on_commit_callbacks
):
    subscribe(actor=actor_for(admin, "nutmeg"), url=receiver.url, events=["person.created"])
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=False):
        add_ana(organizer)
    delivery = WebhookDelivery.objects.get()
    first = webhooks.attempt(delivery.pk)
    assert first.status == WebhookDelivery.Status.RETRYING
    assert first.response_status == 503 and first.response_body == "busy"
    waits = [(first.next_attempt_at - first.last_attempt_at).total_seconds()]
    for _ in webhooks.BACKOFF:
        last = webhooks.attempt(delivery.pk)
        if last.next_attempt_at:
            waits.append((last.next_attempt_at - last.last_attempt_at).total_seconds())
    assert last.status == WebhookDelivery.Status.FAILED
    assert waits == sorted(waits) and waits[0] < waits[-1]  # it backs off
    assert last.attempts == len(webhooks.BACKOFF) + 1


def test_an_event_nobody_subscribed_to_is_not_sent(receiver, admin, organizer):
    subscribe(actor=actor_for(admin, "nutmeg"), url=receiver.url, events=["rsvp"])
    add_ana(organizer)
    assert not WebhookDelivery.objects.exists()


def test_deliveries_run_as_background_tasks(
    receiver, admin, organizer, run_jobs, django_capture_on_commit_callbacks
):
    subscribe(actor=actor_for(admin, "nutmeg"), url=receiver.url, events=["person.created"])
    with django_capture_on_commit_callbacks(execute=True):
        add_ana(organizer)
    run_jobs()
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED
    assert len(receiver.received) == 1


def test_only_admins_may_subscribe(organizer):
    with pytest.raises(PermissionDenied):
        subscribe(
            actor=actor_for(organizer, "nutmeg"),
            url="https://example.org/h",
            events=["person.created"],
        )


def test_the_settings_page_shows_deliveries_with_their_answers(
    client, receiver, admin, organizer, django_capture_on_commit_callbacks
):
    subscribe(actor=actor_for(admin, "nutmeg"), url=receiver.url, events=["person.created"])
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=False):
        add_ana(organizer)
    webhooks.attempt(WebhookDelivery.objects.get().pk)
    client.force_login(admin)
    page = client.get("/o/nutmeg/settings/api/").content.decode()
    assert receiver.url in page and "Failed, will retry" in page and "503" in page
