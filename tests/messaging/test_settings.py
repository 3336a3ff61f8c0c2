"""An organization's own messaging settings: its daily limit and its quiet hours for texts,
set by an owner or admin on the Messages settings page; empty, the install's stay."""

from datetime import time

import pytest
from django.urls import reverse

from powerbase.core.exceptions import PermissionDenied
from powerbase.messaging import sending, services
from powerbase.messaging.models import SendingLimit
from powerbase.messaging.sms.scheduling import quiet_hours_of
from tests.conftest import act


def settings_url(nutmeg) -> str:
    return reverse("messaging:settings", kwargs={"org": nutmeg.slug})


def test_without_own_settings_the_install_limit_and_quiet_hours_apply(nutmeg, settings):
    settings.MESSAGES_PER_DAY, settings.SMS_QUIET_HOURS = 500, "20:30-08:00"

    assert sending.daily_limit(nutmeg) == 500
    quiet = quiet_hours_of(nutmeg)
    assert (quiet.start, quiet.end) == (time(20, 30), time(8, 0))


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_an_owner_or_admin_sets_the_limit_and_quiet_hours_on_the_page(
    client, nutmeg, settings, who, request
):
    settings.MESSAGES_PER_DAY, settings.SMS_QUIET_HOURS = 500, "21:00-09:00"
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("messaging:messages", kwargs={"org": nutmeg.slug}))
    assert settings_url(nutmeg) in page.content.decode()

    answer = client.post(
        settings_url(nutmeg), {"per_day": "150", "quiet_start": "20:00", "quiet_end": "10:30"}
    )

    assert answer.status_code == 302
    assert sending.daily_limit(nutmeg) == 150
    quiet = quiet_hours_of(nutmeg)
    assert (quiet.start, quiet.end) == (time(20, 0), time(10, 30))
    assert client.get(settings_url(nutmeg)).content.decode().count('value="150"') == 1


def test_empty_fields_go_back_to_the_install_settings(client, owner, nutmeg, settings):
    settings.MESSAGES_PER_DAY = 500
    SendingLimit.objects.create(
        organization=nutmeg, per_day=3, quiet_start=time(18, 0), quiet_end=time(11, 0)
    )
    client.force_login(owner)

    client.post(settings_url(nutmeg), {"per_day": "", "quiet_start": "", "quiet_end": ""})

    assert sending.daily_limit(nutmeg) == 500
    assert quiet_hours_of(nutmeg).start == time(21, 0)


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"per_day": "", "quiet_start": "20:00", "quiet_end": ""}, "Give both times"),
        ({"per_day": "-5", "quiet_start": "", "quiet_end": ""}, "greater than or equal to 0"),
        ({"per_day": "", "quiet_start": "25:00", "quiet_end": "09:00"}, "Enter a valid time"),
        ({"per_day": "", "quiet_start": "09:00", "quiet_end": "09:00"}, "end at another time"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named_and_nothing_saved(
    client, owner, nutmeg, form, error
):
    client.force_login(owner)

    answer = client.post(settings_url(nutmeg), form)

    assert answer.status_code == 200
    assert error in answer.content.decode()
    assert not SendingLimit.objects.exists()


def test_an_organizer_may_not_change_the_settings(organizer, nutmeg):
    with pytest.raises(PermissionDenied):
        services.set_messaging_settings(act(organizer, nutmeg), per_day=10**6)
    assert not SendingLimit.objects.exists()
