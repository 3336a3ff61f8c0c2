"""Fixtures of the SMS tests: a fake Twilio on a local port, and the settings that point at it."""

import pytest

from tests.messaging.sms import fake_twilio


@pytest.fixture
def twilio_server():
    """A running fake Twilio (see fake_twilio.py); its state records every request."""
    state = fake_twilio.FakeTwilio()
    server = fake_twilio.start(state)
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def twilio(settings, twilio_server):
    """The fake Twilio, with the settings choosing it as the SMS provider."""
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID = fake_twilio.ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = fake_twilio.AUTH_TOKEN
    settings.TWILIO_FROM = fake_twilio.FROM_NUMBER
    settings.TWILIO_API_BASE = twilio_server.base_url
    return twilio_server
