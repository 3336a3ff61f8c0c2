"""Texts sent by the send job through (a local fake of) Twilio: STOP is honoured for every
later message, and a text that would arrive at night waits for the morning."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from powerbase.core import jobs as jobs_module
from powerbase.messaging import schedule, services
from powerbase.messaging.models import Channel, Consent, Message, Recipient
from powerbase.people.models import SavedList
from tests.conftest import add_member
from tests.messaging.conftest import consent
from tests.messaging.sms.test_webhooks import DANA, reply

NEW_HAVEN = ZoneInfo("America/New_York")  # Nutmeg is in Connecticut; Dana has no address


@pytest.fixture
def everyone(nutmeg):
    return SavedList.objects.create(organization=nutmeg, name="Everyone", filters={})


@pytest.fixture
def daytime(settings):
    """Quiet hours that start in two hours' time, wherever the clock stands as the test runs."""
    now = timezone.now().astimezone(NEW_HAVEN)
    start, end = now + timedelta(hours=2), now + timedelta(hours=3)
    settings.SMS_QUIET_HOURS = f"{start:%H:%M}-{end:%H:%M}"


def text_everyone(organizing, everyone, run_jobs, rally, body="Can you make {{action}}?"):
    message = services.create_message(
        organizing,
        channel=Channel.SMS,
        body=body,
        audience=Message.Audience.SAVED_LIST,
        audience_id=everyone.pk,
        action=rally,
    )
    job = services.send_message(organizing, message=message)
    jobs_module.run_job.enqueue(job.pk)  # what the commit of the request would do
    run_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    message.refresh_from_db()
    return message


def test_after_stop_nothing_more_is_sent_to_that_number(
    client, twilio, daytime, organizing, rally, dana, nutmeg, everyone, run_jobs
):
    omar = add_member(nutmeg, None, "Omar", "Reyes", phone="+12035550188", direct=True)
    consent(omar, Channel.SMS)
    text_everyone(organizing, everyone, run_jobs, rally)
    assert len(twilio.sent_to(DANA)) == 1
    assert twilio.sent_to(DANA)[0].endswith("Reply STOP to stop texts.")

    assert reply(client, nutmeg, DANA, "STOP").status_code == 200
    text_everyone(organizing, everyone, run_jobs, rally, body="Reminder: {{action}} is soon")

    assert len(twilio.sent_to(DANA)) == 1  # nothing more reached Twilio for her number
    assert len(twilio.sent_to("+12035550188")) == 2  # the send itself went on
    assert all(r.form["To"] != DANA for r in twilio.requests[2:])


def test_each_text_asks_twilio_to_report_delivery_to_our_status_hook(
    twilio, daytime, organizing, rally, dana, everyone, run_jobs, settings
):
    text_everyone(organizing, everyone, run_jobs, rally)

    assert (
        twilio.requests[0].form["StatusCallback"] == f"{settings.SITE_URL}/hooks/sms/twilio/status"
    )


def test_a_text_due_in_quiet_hours_waits_until_they_end_then_goes(
    twilio,
    settings,
    organizing,
    rally,
    dana,
    everyone,
    run_jobs,
    django_capture_on_commit_callbacks,
):
    now = timezone.now().astimezone(NEW_HAVEN)
    ends = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
    settings.SMS_QUIET_HOURS = f"{now - timedelta(hours=1):%H:%M}-{ends:%H:%M}"

    message = text_everyone(organizing, everyone, run_jobs, rally)

    assert twilio.requests == []
    assert message.status == Message.Status.SCHEDULED
    assert message.send_at == datetime.combine(ends.date(), ends.time(), tzinfo=NEW_HAVEN)
    assert Recipient.objects.get(message=message).status == Recipient.Status.QUEUED

    # The hour passes: the worker's chore starts the message again, and the text goes.
    settings.SMS_QUIET_HOURS = f"{now + timedelta(hours=5):%H:%M}-{now + timedelta(hours=6):%H:%M}"
    Message.objects.filter(pk=message.pk).update(send_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        schedule.send_scheduled()
    run_jobs()

    assert len(twilio.sent_to(DANA)) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_a_number_twilio_says_is_unsubscribed_loses_text_consent_and_is_not_tried_again(
    twilio, daytime, organizing, rally, dana, nutmeg, everyone, run_jobs
):
    omar = add_member(nutmeg, None, "Omar", "Reyes", phone="+12035550188", direct=True)
    consent(omar, Channel.SMS)
    twilio.blocked.add(DANA)  # she sent STOP to the carrier; we never saw the reply

    first = text_everyone(organizing, everyone, run_jobs, rally)

    refused = Recipient.objects.get(message=first, person=dana)
    assert refused.status == Recipient.Status.FAILED
    assert "21610" in refused.error
    stopped = Consent.objects.get(person=dana, channel=Channel.SMS)
    assert (stopped.status, stopped.get_source_display()) == ("withdrawn", "Carrier STOP")
    assert Consent.objects.get(person=dana, channel=Channel.EMAIL).status == "granted"
    tries = len(twilio.requests)

    text_everyone(organizing, everyone, run_jobs, rally, body="Reminder: {{action}} is soon")

    assert all(r.form["To"] != DANA for r in twilio.requests[tries:])
    assert len(twilio.sent_to("+12035550188")) == 2
