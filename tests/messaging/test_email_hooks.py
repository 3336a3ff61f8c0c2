"""Mailgun's tracking webhooks, through django-anymail, update what became of each email.

The payloads are Mailgun's documented webhook examples (the "event-data" of its Events API
with a "signature" block: HMAC-SHA256 of timestamp + token keyed by the webhook signing key),
with the message id changed to the one our email was sent with.
"""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from config.settings import mailer_for
from powerbase.core import jobs as jobs_module
from powerbase.messaging import queries, services
from powerbase.messaging.models import Consent, Message, Recipient

SIGNING_KEY = "test-only-mailgun-webhook-signing-key"  # config/settings_test.py
MESSAGE_ID = "20130503182626.18666.16540@sandbox.mailgun.example"


def mailgun_event(event: str, *, key: str = SIGNING_KEY, **extra) -> dict:
    """A webhook body as Mailgun documents it, signed with *key*."""
    timestamp, token = str(int(time.time())), "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature.hexdigest()},
        "event-data": {
            "event": event,
            "timestamp": 1521472262.908181,
            "id": "CPgfbmQMTCKtHW6uIWtuVe",
            "log-level": "info",
            "recipient": "dana@direct.example",
            "recipient-domain": "direct.example",
            "tags": [],
            "user-variables": {},
            "envelope": {
                "transport": "smtp",
                "sender": "bob@sandbox.mailgun.example",
                "targets": "dana@direct.example",
            },
            "message": {
                "headers": {
                    "to": "Dana <dana@direct.example>",
                    "message-id": MESSAGE_ID,
                    "from": "Bob <bob@sandbox.mailgun.example>",
                    "subject": "Rally Saturday",
                },
                "attachments": [],
                "size": 111,
            },
            **extra,
        },
    }


def post(client, body: dict):
    return client.post(
        reverse("messaging:mailgun_tracking"), json.dumps(body), content_type="application/json"
    )


def accepted(client, body: dict) -> bool:
    return post(client, body).status_code == 200


@pytest.fixture
def sent(dana) -> Recipient:
    """An email sent to Dana, as the send job records it with Mailgun's message id."""
    message = Message.objects.create(
        organization=dana.organization,
        channel="email",
        subject="Rally Saturday",
        body="Come!",
        audience="person",
        audience_id=dana.pk,
        status="sent",
    )
    return Recipient.objects.create(
        organization=dana.organization,
        message=message,
        person=dana,
        address="dana@direct.example",
        status="sent",
        provider_id=f"<{MESSAGE_ID}>",
        sent_at=timezone.now(),
    )


def test_delivered_opened_and_clicked_update_the_counts(client, sent):
    delivery_status = {
        "tls": True,
        "mx-host": "smtp-in.direct.example",
        "attempt-no": 1,
        "description": "",
        "code": 250,
        "message": "OK",
    }
    assert accepted(client, mailgun_event("delivered", **{"delivery-status": delivery_status}))
    assert accepted(client, mailgun_event("opened", ip="50.56.129.169"))
    assert accepted(client, mailgun_event("clicked", url="https://powerbase.example/x"))
    counts = queries.counts(sent.message)
    assert (counts.delivered, counts.opened, counts.clicked) == (1, 1, 1)
    # Mailgun retries: the same report twice changes nothing more.
    assert accepted(client, mailgun_event("opened"))
    assert queries.counts(sent.message).opened == 1


def test_a_permanent_failure_is_a_bounce_with_mailguns_reason(client, sent):
    body = mailgun_event(
        "failed",
        severity="permanent",
        reason="bounce",
        **{
            "delivery-status": {
                "attempt-no": 1,
                "code": 550,
                "message": "5.1.1 The email account that you tried to reach does not exist.",
                "description": "",
            }
        },
    )
    assert accepted(client, body)
    sent.refresh_from_db()
    assert sent.status == "bounced"
    assert "does not exist" in sent.error
    assert queries.counts(sent.message).bounced == 1


def test_a_temporary_failure_changes_nothing(client, sent):
    assert accepted(client, mailgun_event("failed", severity="temporary", reason="generic"))
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_unsubscribed_at_mailgun_withdraws_email_consent_at_once(client, sent, dana):
    assert accepted(client, mailgun_event("unsubscribed"))
    consent = Consent.objects.get(person=dana, channel="email")
    assert (consent.status, consent.source) == ("withdrawn", "provider_report")
    assert Consent.objects.get(person=dana, channel="sms").status == "granted"
    assert queries.counts(sent.message).unsubscribed == 1


def test_a_complaint_withdraws_email_consent_too(client, sent, dana):
    assert accepted(client, mailgun_event("complained"))
    assert Consent.objects.get(person=dana, channel="email").status == "withdrawn"


def test_a_report_signed_with_another_key_is_refused_and_changes_nothing(client, sent, dana):
    response = post(client, mailgun_event("unsubscribed", key="not-the-signing-key"))
    assert response.status_code == 400
    assert Consent.objects.get(person=dana, channel="email").status == "granted"
    sent.refresh_from_db()
    assert sent.unsubscribed_at is None


def test_without_a_signing_key_the_webhook_is_not_there(client, sent, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    assert post(client, mailgun_event("delivered")).status_code == 404


def test_a_webhook_secret_adds_basic_auth(client, sent):
    with override_settings(
        ANYMAIL={"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": "mailgun:s3cret"}
    ):
        assert post(client, mailgun_event("delivered")).status_code == 400
        response = client.post(
            reverse("messaging:mailgun_tracking"),
            json.dumps(mailgun_event("delivered")),
            content_type="application/json",
            HTTP_AUTHORIZATION="Basic bWFpbGd1bjpzM2NyZXQ=",  # mailgun:s3cret
        )
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == "delivered"


class FakeMailgun(BaseHTTPRequestHandler):
    """Mailgun's send API as its documentation answers: 200 with the message's id."""

    sent: list[dict] = []

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        FakeMailgun.sent.append({"path": self.path, **{k: v[0] for k, v in form.items()}})
        body = json.dumps({"id": f"<{MESSAGE_ID}>", "message": "Queued. Thank you."}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def mailgun_api(settings):
    """EMAIL_URL=mailgun://... pointed at a local server speaking Mailgun's send API."""
    server = HTTPServer(("127.0.0.1", 0), FakeMailgun)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api = f"http://127.0.0.1:{server.server_port}/v3/"
    settings.MAILERS = {
        "default": mailer_for(f"mailgun://key-test@mg.nutmeg.example?api_url={api}")
    }
    FakeMailgun.sent = []
    yield FakeMailgun.sent
    server.shutdown()
    server.server_close()


def test_an_email_sent_through_mailguns_api_is_counted_by_its_webhooks(
    client, mailgun_api, organizing, dana, run_jobs
):
    message = services.create_message(
        organizing,
        channel="email",
        subject="Rally Saturday",
        body="Hi {{first_name}}",
        audience="person",
        audience_id=dana.pk,
    )
    job = services.send_message(organizing, message=message)
    jobs_module.run_job.enqueue(job.pk)
    run_jobs()
    [sent] = mailgun_api
    assert sent["path"] == "/v3/mg.nutmeg.example/messages"
    assert sent["to"] == "dana@direct.example" and sent["text"].startswith("Hi Dana")
    recipient = message.recipients.get()
    assert recipient.provider_id == f"<{MESSAGE_ID}>"

    assert accepted(client, mailgun_event("delivered"))
    assert accepted(client, mailgun_event("opened"))
    counts = queries.counts(message)
    assert (counts.sent, counts.delivered, counts.opened) == (1, 1, 1)


def test_email_url_names_mailgun_and_its_eu_region():
    options = mailer_for("mailgun://key-abc@mg.example.org?region=eu")["OPTIONS"]
    assert options == {
        "api_key": "key-abc",
        "sender_domain": "mg.example.org",
        "api_url": "https://api.eu.mailgun.net/v3/",
    }
    assert mailer_for("mailgun://k@mg.example.org")["OPTIONS"]["api_url"] == (
        "https://api.mailgun.net/v3/"
    )
