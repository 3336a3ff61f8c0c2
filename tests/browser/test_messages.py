"""Mail that really leaves powerbase: a real SMTP server (aiosmtpd) started in the test receives
the RSVP confirmation of someone who signs up on the public page, and a message an organizer
writes, previews and sends with a progress bar. Its unsubscribe link works in one step."""

import socket
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import expect

from powerbase.actions import services as action_services
from powerbase.core.models import Role
from powerbase.messaging.models import Consent
from tests.browser.test_shell import sign_in
from tests.conftest import act, add_member, make_user

pytestmark = pytest.mark.browser


class Inbox:
    """An aiosmtpd handler that keeps every message it is handed."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def wait_for(self, count: int = 1, seconds: float = 20):
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(self.received) >= count, f"{len(self.received)} messages arrived"
        return self.received


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings, live_server):
    """A real SMTP server on this machine, and powerbase sending to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.SITE_URL = live_server.url
    yield inbox
    controller.stop()


@pytest.fixture
def march(transactional_db, nutmeg):
    organizer = make_user(nutmeg, Role.ORGANIZER, email="rosa@nutmeg.example")
    return action_services.create_action(
        actor=act(organizer, nutmeg),
        title="March for bus service",
        is_public=True,
        starts_at=timezone.now() + timedelta(days=3),
        place="Green Street terminal",
    )


def test_an_rsvp_on_the_public_page_gets_its_confirmation_by_smtp(
    page, live_server, march, smtp, worker, screenshot
):
    page.goto(f"{live_server.url}/act/nutmeg/{march.pk}/")
    page.get_by_label("First name").fill("Dolores")
    page.get_by_label("Last name").fill("Huerta-Vale")
    page.locator("#id_email").fill("dolores@example.org")
    page.get_by_label("Email me a confirmation").check()
    page.get_by_role("button", name="RSVP").click()
    expect(page.get_by_role("heading", name="You're signed up")).to_be_visible()

    [mail] = smtp.wait_for(1)
    assert mail["To"] == "dolores@example.org"
    assert mail["Subject"] == "You're signed up: March for bus service"
    body = mail.get_content()
    assert "Hi Dolores" in body and "Where: Green Street terminal" in body
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith(live_server.url) and link in body

    page.goto(link)
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    screenshot("messages-unsubscribed")
    consent = Consent.objects.get(person__family_name="Huerta-Vale", channel="email")
    assert (consent.status, consent.source) == ("withdrawn", "unsubscribe_link")


def test_an_organizer_writes_previews_and_sends_a_message_with_a_progress_bar(
    page, live_server, march, nutmeg, smtp, worker, screenshot
):
    from powerbase.core import access
    from powerbase.messaging import services

    for given, family in (("Imani", "Coleman"), ("Kwame", "Mensah")):
        person = add_member(
            nutmeg, None, given, family, email=f"{given.lower()}@direct.example", direct=True
        )
        services.grant_consent(
            access.command_line(nutmeg), person=person, channel="email", source="import"
        )
        action_services.record_rsvp(actor=access.command_line(nutmeg), action=march, person=person)
    smtp.wait_for(2)  # their RSVP confirmations
    sign_in(page, live_server, "rosa@nutmeg.example")
    page.get_by_role("link", name="Messages").first.click()
    expect(page.get_by_test_id("email-backend")).to_contain_text("SMTP")
    page.get_by_role("link", name="Write a message").click()
    page.get_by_label("To").select_option(label="March for bus service")
    page.get_by_label("About the action").select_option(label="March for bus service")
    page.get_by_label("Subject").fill("Bring a friend, {{first_name}}")
    page.get_by_label("Body").fill("See you at {{place}} on {{time}}.")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_test_id("preview").first).to_contain_text("Bring a friend, Imani")
    page.get_by_role("button", name="Send now to 2 people").click()
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_text("2 of 2 (100%)")).to_be_visible(timeout=20000)
    expect(page.get_by_text("Finished")).to_be_visible()
    screenshot("messages-sent")
    mails = smtp.wait_for(4)[2:]
    assert sorted(m["To"] for m in mails) == ["imani@direct.example", "kwame@direct.example"]
    assert all("See you at Green Street terminal" in m.get_content() for m in mails)
