"""Fixtures for messaging: a rally, people who agreed to email, and the organizer who writes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from powerbase.actions import services as action_services
from powerbase.actions.models import Action
from powerbase.core import access
from powerbase.messaging import services
from powerbase.messaging.models import Channel, Consent
from tests.conftest import act, add_member


@pytest.fixture
def organizing(organizer, nutmeg):
    """The organizer, acting in Nutmeg."""
    return act(organizer, nutmeg)


@pytest.fixture
def rally(organizing) -> Action:
    """A public action a week away."""
    return action_services.create_action(
        actor=organizing,
        title="Rally at the Capitol",
        starts_at=timezone.now() + timedelta(days=7),
        place="Capitol steps",
        is_public=True,
    )


@pytest.fixture
def dana(nutmeg):
    """A direct member of the IPO who agreed to email and texts on the sign-up form."""
    person = add_member(
        nutmeg,
        None,
        "Dana",
        "Whitfield",
        email="dana@direct.example",
        phone="+12035550177",
        direct=True,
    )
    for channel in Channel.values:
        consent(person, channel)
    return person


def consent(person, channel: str = Channel.EMAIL, source: str = Consent.Source.FORM) -> Consent:
    """Record *person*'s consent as the command line would."""
    return services.grant_consent(
        access.command_line(person.organization), person=person, channel=channel, source=source
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Return a context manager whose block's commit hooks run at its end, as after a real
    commit (queued jobs, confirmations); a test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
