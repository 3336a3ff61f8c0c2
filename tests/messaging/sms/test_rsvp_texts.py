"""RSVP confirmations and reminders by text, through (a local fake of) Twilio: the action's
channel setting, consent per channel, quiet hours, and replies that answer the reminder."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from powerbase.actions import services as action_services
from powerbase.actions.models import Action, Rsvp
from powerbase.core import access
from powerbase.messaging import rsvp_mail, schedule, services
from powerbase.messaging.models import Channel, Consent, Message, Recipient
from tests.messaging.sms.test_webhooks import DANA, reply

NEW_HAVEN = ZoneInfo("America/New_York")  # Nutmeg is in Connecticut; Dana has no address


@pytest.fixture
def daytime(settings):
    """Quiet hours that start in two hours' time, wherever the clock stands as the test runs."""
    now = timezone.now().astimezone(NEW_HAVEN)
    start, end = now + timedelta(hours=2), now + timedelta(hours=3)
    settings.SMS_QUIET_HOURS = f"{start:%H:%M}-{end:%H:%M}"


@pytest.fixture
def night(settings):
    """Quiet hours from an hour ago until an hour from now (to the minute), in New Haven."""
    now = timezone.now().astimezone(NEW_HAVEN)
    ends = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
    settings.SMS_QUIET_HOURS = f"{now - timedelta(hours=1):%H:%M}-{ends:%H:%M}"
    return datetime.combine(ends.date(), ends.time(), tzinfo=NEW_HAVEN)


def later(settings) -> None:
    """Move the quiet hours out of the way: the night has passed."""
    now = timezone.now().astimezone(NEW_HAVEN)
    settings.SMS_QUIET_HOURS = f"{now + timedelta(hours=5):%H:%M}-{now + timedelta(hours=6):%H:%M}"


def by(organizing, rally, channels: str) -> None:
    services.set_reminders(
        organizing,
        action=rally,
        confirm_rsvps=True,
        reminder_minutes=[1440, 120],
        channels=channels,
    )


def test_a_confirmation_goes_by_text_when_the_action_says_so(
    twilio, daytime, organizing, rally, dana, committed, run_jobs, mailoutbox
):
    by(organizing, rally, "sms")
    with committed():
        action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    run_jobs()
    [text] = twilio.sent_to(DANA)
    assert text.startswith("Dana, you're signed up for Rally at the Capitol: ")
    assert "Capitol steps" in text and text.endswith("Reply STOP to stop texts.")
    assert mailoutbox == []
    confirmation = Message.objects.get(kind="rsvp_confirmation", channel="sms")
    assert confirmation.recipients.get().status == "sent"


def test_both_channels_confirm_on_each_the_person_agreed_to(
    twilio, daytime, organizing, rally, dana, committed, run_jobs, mailoutbox
):
    by(organizing, rally, "both")
    with committed():
        action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    run_jobs()
    assert len(twilio.sent_to(DANA)) == 1
    assert [m.to for m in mailoutbox] == [["dana@direct.example"]]


def test_no_text_without_text_consent_even_when_the_action_texts(
    twilio, daytime, organizing, rally, dana, committed, run_jobs, mailoutbox
):
    services.withdraw_consent(
        access.system(dana.organization), person=dana, channel="sms", source="stop_reply"
    )
    by(organizing, rally, "both")
    with committed():
        action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    run_jobs()
    assert twilio.requests == []
    assert len(mailoutbox) == 1  # email consent still stands
    assert not Recipient.objects.filter(message__channel="sms").exists()


def test_a_confirmation_text_due_in_quiet_hours_is_held_then_sent_when_allowed(
    twilio, night, settings, organizing, rally, dana, committed, run_jobs
):
    by(organizing, rally, "sms")
    with committed():
        action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    run_jobs()
    assert twilio.requests == []
    assert Recipient.objects.get(message__kind="rsvp_confirmation").status == "queued"
    [waiting] = DBTaskResult.objects.filter(status="READY", task_path__endswith="confirmations")
    assert waiting.run_after == night  # a delayed task, for when the quiet hours end

    # The night passes: the delayed task comes due and the text goes.
    later(settings)
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    run_jobs()
    assert len(twilio.sent_to(DANA)) == 1
    assert Recipient.objects.get(message__kind="rsvp_confirmation").status == "sent"


def test_reminders_go_once_per_offset_and_channel(
    twilio, daytime, organizing, rally, dana, committed, run_jobs, mailoutbox
):
    by(organizing, rally, "both")
    action_services.record_rsvp(actor=organizing, action=rally, person=dana)  # not committed
    Action.objects.filter(pk=rally.pk).update(starts_at=timezone.now() + timedelta(minutes=110))
    with committed():
        started = rsvp_mail.send_due_reminders()
    assert len(started) == 2
    assert rsvp_mail.send_due_reminders() == []
    reminders = Message.objects.filter(kind="rsvp_reminder").order_by("channel")
    assert [(m.channel, m.reminder_minutes) for m in reminders] == [
        ("email", 120),
        ("sms", 120),
    ]
    run_jobs()
    [text] = twilio.sent_to(DANA)
    assert text.startswith("Dana, a reminder: Rally at the Capitol is ")
    assert "Reply YES if you're coming, or NO if you can't make it." in text
    assert len(mailoutbox) == 1


def test_replies_to_the_text_reminder_update_the_rsvp(
    client, twilio, daytime, organizing, rally, dana, nutmeg, committed, run_jobs
):
    by(organizing, rally, "sms")
    action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    Action.objects.filter(pk=rally.pk).update(starts_at=timezone.now() + timedelta(minutes=110))
    with committed():
        rsvp_mail.send_due_reminders()
    run_jobs()
    assert len(twilio.sent_to(DANA)) == 1

    assert reply(client, nutmeg, DANA, "can't make it").status_code == 200
    assert not Rsvp.objects.filter(action=rally, person=dana).exists()
    assert reply(client, nutmeg, DANA, "yes").status_code == 200
    assert Rsvp.objects.get(action=rally, person=dana).channel == Rsvp.Channel.TEXT


def test_a_reminder_text_held_for_quiet_hours_is_sent_later_as_the_system(
    twilio, night, settings, organizing, rally, dana, committed, run_jobs
):
    by(organizing, rally, "sms")
    action_services.record_rsvp(actor=organizing, action=rally, person=dana)
    Action.objects.filter(pk=rally.pk).update(starts_at=timezone.now() + timedelta(minutes=110))
    with committed():
        rsvp_mail.send_due_reminders()
    run_jobs()
    reminder = Message.objects.get(kind="rsvp_reminder")
    assert twilio.requests == []
    assert (reminder.status, reminder.send_at) == (Message.Status.SCHEDULED, night)

    later(settings)
    Message.objects.filter(pk=reminder.pk).update(send_at=timezone.now())
    with committed():
        assert schedule.send_scheduled() == [reminder.pk]
    run_jobs()
    assert len(twilio.sent_to(DANA)) == 1
    reminder.refresh_from_db()
    assert reminder.status == Message.Status.SENT


def test_an_unknown_channel_setting_is_refused(organizing, rally):
    with pytest.raises(Exception, match="not a way to send them"):
        by(organizing, rally, "pigeon")


def test_the_action_page_form_chooses_the_channels(client, organizer, rally):
    client.force_login(organizer)
    url = reverse("messaging:action_mail", kwargs={"org": "nutmeg", "action_id": rally.pk})
    page = client.get(url).content.decode()
    assert "Email and text" in page
    response = client.post(
        url, {"confirm_rsvps": "on", "reminder_hours": "24, 2", "channels": "both"}
    )
    assert response.status_code == 302
    assert rsvp_mail.channels_of(rally) == [Channel.EMAIL, Channel.SMS]
    assert Consent.objects.count() == 0  # the setting gives nobody consent
