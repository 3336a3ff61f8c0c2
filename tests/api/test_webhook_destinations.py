"""Webhook URLs may not point inside the server's own network (loopback, private, metadata)."""

from http.server import BaseHTTPRequestHandler

import pytest
from django.urls import reverse

from powerbase.api import webhooks
from powerbase.api.models import WebhookDelivery, WebhookSubscription
from powerbase.api.services import subscribe
from powerbase.core.access import actor_for
from powerbase.core.exceptions import InvalidInput
from tests.api.test_webhooks import Receiver, add_ana


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.10/hook",
        "https://172.16.4.4/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://[::1]/hook",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_a_url_inside_the_servers_network_is_refused_naming_the_address(admin, url):
    with pytest.raises(InvalidInput) as refused:
        subscribe(actor=actor_for(admin, "nutmeg"), url=url, events=["person.created"])

    assert refused.value.field == "url"
    assert "webhooks go only to public addresses" in refused.value.message
    assert not WebhookSubscription.objects.exists()


def test_a_host_that_cannot_be_found_is_refused(admin):
    with pytest.raises(InvalidInput, match="could not be found"):
        subscribe(
            actor=actor_for(admin, "nutmeg"),
            url="https://hooks.no-such-host.invalid/h",
            events=["rsvp"],
        )


def test_a_public_address_is_accepted(admin):
    hook = subscribe(
        actor=actor_for(admin, "nutmeg"), url="https://93.184.215.14/hook", events=["rsvp"]
    )

    assert hook.url == "https://93.184.215.14/hook"


def test_the_settings_page_shows_why_a_url_was_refused(client, admin):
    client.force_login(admin)

    response = client.post(
        reverse("api:webhook_create", kwargs={"org": "nutmeg"}),
        {"url": "http://169.254.169.254/latest/meta-data/", "events": ["rsvp"]},
        follow=True,
    )

    assert "169.254.169.254, a loopback, private, link-local or metadata address" in (
        response.content.decode()
    )
    assert not WebhookSubscription.objects.exists()


def test_an_operator_may_allow_an_internal_receiver(settings, admin):
    settings.WEBHOOKS_ALLOW_PRIVATE = True

    hook = subscribe(actor=actor_for(admin, "nutmeg"), url="http://10.0.0.5/h", events=["rsvp"])

    assert hook.pk is not None


def test_a_delivery_is_not_sent_once_its_host_points_inside(
    settings, admin, organizer, django_capture_on_commit_callbacks
):
    receiver = Receiver()
    try:
        settings.WEBHOOKS_ALLOW_PRIVATE = True
        subscribe(actor=actor_for(admin, "nutmeg"), url=receiver.url, events=["person.created"])
        settings.WEBHOOKS_ALLOW_PRIVATE = False  # as if the name now led to 127.0.0.1
        with django_capture_on_commit_callbacks(execute=False):
            add_ana(organizer)

        delivery = webhooks.attempt(WebhookDelivery.objects.get().pk)
    finally:
        receiver.server.shutdown()

    assert receiver.received == []
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert "Not sent" in delivery.response_body and "127.0.0.1" in delivery.response_body


class Redirector(Receiver):
    """A receiver that answers every delivery with a redirect to *target*."""

    def __init__(self, target: str):
        super().__init__()
        redirector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                redirector.received.append((dict(self.headers), b""))
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server.RequestHandlerClass = Handler


def test_a_receiver_that_redirects_is_not_followed(
    settings, admin, organizer, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    inside = Receiver()
    redirecting = Redirector(inside.url)
    try:
        subscribe(actor=actor_for(admin, "nutmeg"), url=redirecting.url, events=["person.created"])
        with django_capture_on_commit_callbacks(execute=False):
            add_ana(organizer)
        delivery = webhooks.attempt(WebhookDelivery.objects.get().pk)
    finally:
        inside.server.shutdown()
        redirecting.server.shutdown()

    assert len(redirecting.received) == 1 and inside.received == []
    assert delivery.response_status == 302
