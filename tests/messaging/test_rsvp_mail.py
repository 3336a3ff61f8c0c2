"""RSVP confirmations at once, reminders before the action, scheduled sends, and the person
page's record of what was sent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from powerbase.actions import services as action_services
from powerbase.actions.models import Action
from powerbase.core.exceptions import InvalidInput
from powerbase.messaging import rsvp_mail, schedule, services
from powerbase.messaging.models import Consent, Message, Recipient
from powerbase.people import queries as people_queries
from powerbase.people import timeline
from tests.conftest import act

FORM = {
    "given_name": "Dolores",
    "family_name": "Huerta-Vale",
    "email": "dolores@example.org",
    "phone": "+12035550199",
    "website": "",
    "by": "",
}


def sign_up_page(action) -> str:
    return reverse(
        "actions:sign_up", kwargs={"org_slug": action.organization.slug, "action_id": action.pk}
    )


def test_the_public_form_with_the_email_box_ticked_sends_a_confirmation_at_once(
    client, rally, committed, run_jobs
):
    with committed():
        client.post(sign_up_page(rally), {**FORM, "email_ok": "on"})
    run_jobs()
    [sent] = mail.outbox
    assert sent.to == ["dolores@example.org"]
    assert sent.subject == "You're signed up: Rally at the Capitol"
    assert "Hi Dolores" in sent.body and "Where: Capitol steps" in sent.body
    assert "/unsubscribe/" in sent.body
    consent = Consent.objects.get(person__family_name="Huerta-Vale", channel="email")
    assert (consent.status, consent.source) == ("granted", "form")
    assert not Consent.objects.filter(channel="sms").exists()


def test_without_the_box_ticked_no_confirmation_is_sent(client, rally, committed, run_jobs):
    with committed():
        client.post(sign_up_page(rally), FORM)
    run_jobs()
    assert not mail.outbox
    assert not Recipient.objects.exists()


def test_the_form_cannot_subscribe_someone_elses_record_to_texts(
    client, rally, dana, committed, run_jobs
):
    """Dana withdrew texts; a stranger typing her email and a new phone does not undo it."""
    services.withdraw_consent(
        act_cli(dana), person=dana, channel="sms", source=Consent.Source.STOP_REPLY
    )
    with committed():
        client.post(
            sign_up_page(rally),
            {
                **FORM,
                "given_name": "Dana",
                "family_name": "Whitfield",
                "email": "dana@direct.example",
                "phone": "+12035550100",
                "texts_ok": "on",
            },
        )
    assert Consent.objects.get(person=dana, channel="sms").status == "withdrawn"


def act_cli(person):
    from powerbase.core import access

    return access.command_line(person.organization)


def test_a_staff_rsvp_of_someone_who_agreed_is_confirmed_once(
    organizing, rally, dana, committed, run_jobs
):
    with committed():
        action_services.record_rsvp(actor=organizing, action=rally, person=dana)
        action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    run_jobs()
    assert [m.to for m in mail.outbox] == [["dana@direct.example"]]
    confirmation = Message.objects.get(kind="rsvp_confirmation", action=rally)
    assert confirmation.recipients.get().status == "sent"


def test_an_action_can_turn_confirmations_off(organizing, rally, dana, committed, run_jobs):
    services.set_reminders(organizing, action=rally, confirm_rsvps=False, reminder_minutes=[60])
    with committed():
        action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    run_jobs()
    assert not mail.outbox


def test_reminders_go_at_their_time_once_and_skip_ones_long_past(
    organizing, rally, dana, run_jobs, committed
):
    # Not committed, so no confirmation: this test is about the reminders.
    action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    Action.objects.filter(pk=rally.pk).update(starts_at=timezone.now() + timedelta(minutes=110))
    with committed():
        started = rsvp_mail.send_due_reminders()
    reminder = Message.objects.get(kind="rsvp_reminder", action=rally)
    # The two-hour reminder is due; the day-before one is 22 hours late and skipped.
    assert started == [reminder.pk] and reminder.reminder_minutes == 120
    assert rsvp_mail.send_due_reminders() == []
    run_jobs()
    assert [m.to for m in mail.outbox] == [["dana@direct.example"]]
    assert mail.outbox[0].subject.startswith("Reminder: Rally at the Capitol, ")


def test_reminder_offsets_out_of_range_are_refused(organizing, rally):
    with pytest.raises(InvalidInput, match="between a minute and a week"):
        services.set_reminders(
            organizing, action=rally, confirm_rsvps=True, reminder_minutes=[60 * 24 * 30]
        )


def test_a_scheduled_message_starts_when_its_time_comes(organizing, organizer, dana, nutmeg):
    message = services.create_message(
        organizing,
        channel="email",
        subject="Hi",
        body="Hi {{first_name}}",
        audience="person",
        audience_id=dana.pk,
    )
    services.schedule_message(
        organizing, message=message, send_at=timezone.now() + timedelta(hours=1)
    )
    assert schedule.send_scheduled() == []
    Message.objects.filter(pk=message.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    assert schedule.send_scheduled() == [message.pk]
    message.refresh_from_db()
    assert message.status == "sending" and message.job.started_by == organizer
    assert schedule.send_scheduled() == []


def test_the_unsubscribe_link_withdraws_consent_in_one_step(client, organizing, dana, run_jobs):
    from powerbase.messaging import sending

    message = services.create_message(
        organizing, channel="email", subject="Hi", body="Hi", audience="person", audience_id=dana.pk
    )
    sending.queue(organizing, message)
    sending.deliver(organizing, message)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    response = client.get(link.removeprefix("http://localhost:8000"))
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    consent = Consent.objects.get(person=dana, channel="email")
    assert (consent.status, consent.source) == ("withdrawn", "unsubscribe_link")
    assert Recipient.objects.get(message=message).unsubscribed_at is not None
    # Texts are another channel: still allowed.
    assert Consent.objects.get(person=dana, channel="sms").status == "granted"


def test_a_tampered_unsubscribe_link_changes_nothing(client, dana):
    response = client.get(reverse("messaging:unsubscribe", kwargs={"token": "1:forged"}))
    assert response.status_code == 404
    assert Consent.objects.get(person=dana, channel="email").status == "granted"


def _story(actor, person):
    page = people_queries.person_page(actor, person.pk)
    return timeline.story(actor, page.person, page.visibility, kind="message")


def test_the_person_page_shows_what_they_were_sent_and_how_they_answered(
    organizing, rally, dana, committed, run_jobs
):
    with committed():
        action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    run_jobs()
    services.record_inbound(
        dana.organization,
        channel="email",
        from_address="dana@direct.example",
        text="Can I bring my kids?",
        provider_id="in-1",
    )
    titles = [(event.title, event.detail) for event in _story(organizing, dana).events]
    assert ("Replied by email", "Can I bring my kids?") in titles
    assert (
        "RSVP confirmation by email: You're signed up: Rally at the Capitol",
        "sent, replied",
    ) in titles
    assert all("dana@direct.example" not in title + detail for title, detail in titles)


def test_an_affiliate_lead_does_not_see_what_the_ipo_sent_their_member(
    organizing, affiliate_lead, nutmeg, maria, rally, committed, run_jobs
):
    from tests.messaging.conftest import consent

    consent(maria)
    services.set_affiliate_terms(
        act_cli(maria),
        affiliate=maria.affiliate_memberships.get().affiliate,
        may_email=True,
        may_text=False,
    )
    with committed():
        action_services.record_rsvp(actor=organizing, action=rally, person=maria)
    run_jobs()
    assert [m.to for m in mail.outbox] == [["maria@tenants.example"]]
    assert _story(organizing, maria).events
    assert _story(act(affiliate_lead, nutmeg), maria).events == []


def test_an_organizer_sets_an_actions_reminders_in_hours(client, organizer, rally):
    client.force_login(organizer)
    url = reverse("messaging:action_mail", kwargs={"org": "nutmeg", "action_id": rally.pk})
    assert b"24, 2" in client.get(url).content  # the defaults, in hours
    response = client.post(url, {"reminder_hours": "48, 1.5", "channels": "email"})
    assert response.status_code == 302
    assert rsvp_mail.reminders_of(rally) == (False, [2880, 90])
    refused = client.post(
        url, {"confirm_rsvps": "on", "reminder_hours": "soon", "channels": "email"}
    )
    assert "&#x27;soon&#x27; is not a number of hours" in refused.content.decode()


def test_an_admin_lets_the_ipo_email_an_affiliates_members(client, admin, tenant_union):
    client.force_login(admin)
    url = reverse("messaging:terms_save", kwargs={"org": "nutmeg", "affiliate_id": tenant_union.pk})
    client.post(url, {"may_email": "on"})
    terms = tenant_union.messaging_terms
    assert (terms.may_email, terms.may_text) == (True, False)
    page = client.get(reverse("messaging:terms", kwargs={"org": "nutmeg"}))
    assert tenant_union.name.encode() in page.content
