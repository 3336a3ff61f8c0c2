"""Sending a text through Twilio's REST API (a local fake of it), the file and the console."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from powerbase.messaging.sms.provider import (
    ConsoleProvider,
    FileProvider,
    SmsError,
    TwilioProvider,
    sms_provider,
)
from tests.messaging.sms import fake_twilio

MARIA = "+12035550147"


def test_a_text_goes_to_twilio_as_its_documented_form_post(twilio):
    sid = sms_provider().send(
        to=MARIA, body="Rally Saturday 10am. Can you make it?", status_callback="https://x/s"
    )

    assert sid.startswith("SM") and len(sid) == 34
    request = twilio.requests[0]
    assert request.path == f"/2010-04-01/Accounts/{fake_twilio.ACCOUNT_SID}/Messages.json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form == {
        "To": MARIA,
        "From": fake_twilio.FROM_NUMBER,
        "Body": "Rally Saturday 10am. Can you make it?",
        "StatusCallback": "https://x/s",
    }


def test_a_text_without_a_status_callback_sends_no_callback_field(twilio):
    sms_provider().send(to=MARIA, body="Hello", status_callback=None)

    assert "StatusCallback" not in twilio.requests[0].form


def test_a_bad_number_is_refused_with_twilios_code_and_message(twilio):
    with pytest.raises(SmsError) as refused:
        sms_provider().send(to="555-0147", body="Hello", status_callback=None)

    assert refused.value.code == 21211
    assert refused.value.status == 400
    assert not refused.value.retryable
    assert "21211" in refused.value.message
    assert "'To' number 555-0147 is not a valid phone number" in refused.value.message
    assert len(twilio.requests) == 1  # a 4xx is not retried


def test_wrong_credentials_are_refused_and_not_retried(twilio, settings):
    settings.TWILIO_AUTH_TOKEN = "not-the-token"

    with pytest.raises(SmsError) as refused:
        sms_provider().send(to=MARIA, body="Hello", status_callback=None)

    assert refused.value.code == 20003
    assert len(twilio.requests) == 1


def quick_twilio(server, attempts=3) -> TwilioProvider:
    return TwilioProvider(
        account_sid=fake_twilio.ACCOUNT_SID,
        auth_token=fake_twilio.AUTH_TOKEN,
        from_number=fake_twilio.FROM_NUMBER,
        api_base=server.base_url,
        attempts=attempts,
        backoff=0,
    )


def test_a_server_error_is_retried_and_the_text_sent_once(twilio_server):
    twilio_server.fail_next(status=503, times=2)

    sid = quick_twilio(twilio_server).send(to=MARIA, body="Hello", status_callback=None)

    assert sid.startswith("SM")
    assert len(twilio_server.requests) == 3
    assert twilio_server.sent_to(MARIA) == ["Hello"]


def test_server_errors_on_every_attempt_raise_a_retryable_error(twilio_server):
    twilio_server.fail_next(status=500, times=5)

    with pytest.raises(SmsError) as failed:
        quick_twilio(twilio_server, attempts=2).send(to=MARIA, body="Hi", status_callback=None)

    assert failed.value.retryable and failed.value.status == 500
    assert len(twilio_server.requests) == 2


def test_a_twilio_that_does_not_answer_in_time_is_tried_again(twilio_server):
    twilio_server.delays = [1.0]  # the first request times out; the second is answered
    provider = quick_twilio(twilio_server)
    provider.timeout = 0.3

    sid = provider.send(to=MARIA, body="Hello", status_callback=None)

    assert sid.startswith("SM")
    assert len(twilio_server.requests) == 2


def test_an_unreachable_twilio_is_retried_then_named_in_the_error(twilio_server):
    provider = quick_twilio(twilio_server, attempts=2)
    provider.url = "http://127.0.0.1:9/2010-04-01/Accounts/AC/Messages.json"  # discard port

    with pytest.raises(SmsError) as failed:
        provider.send(to=MARIA, body="Hi", status_callback=None)

    assert failed.value.retryable and failed.value.status is None
    assert "could not be reached" in failed.value.message


def test_the_file_provider_writes_one_json_line_per_text(tmp_path, settings):
    settings.SMS_PROVIDER, settings.SMS_FILE_PATH = "file", tmp_path / "sms.jsonl"

    provider = sms_provider()
    provider.send(to=MARIA, body="One", status_callback=None)
    provider.send(to=MARIA, body="Two", status_callback=None)

    assert isinstance(provider, FileProvider)
    lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert [(line["to"], line["body"]) for line in lines] == [(MARIA, "One"), (MARIA, "Two")]


def test_the_console_provider_prints_and_says_it_did_not_send(settings, capsys):
    settings.SMS_PROVIDER = "console"

    provider = sms_provider()
    provider.send(to=MARIA, body="Rally at noon", status_callback=None)

    assert isinstance(provider, ConsoleProvider)
    printed = capsys.readouterr().out
    assert "not sent" in printed and "Rally at noon" in printed


def test_twilio_without_credentials_is_a_configuration_error_naming_them(settings):
    settings.SMS_PROVIDER, settings.TWILIO_ACCOUNT_SID = "twilio", ""

    with pytest.raises(ImproperlyConfigured, match="TWILIO_ACCOUNT_SID"):
        sms_provider()


def test_an_unknown_provider_is_a_configuration_error(settings):
    settings.SMS_PROVIDER = "carrier-pigeon"

    with pytest.raises(ImproperlyConfigured, match="console, file or twilio"):
        sms_provider()
