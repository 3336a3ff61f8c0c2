"""A text waits for the end of quiet hours where its recipient lives (their address's zone)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from powerbase.messaging.sms.scheduling import held_until, quiet_hours_of, zone_of
from powerbase.people.models import PostalAddress, Source

# 23:30 in New York on 7 December is 20:30 in Los Angeles.
LATE_EVENING_EAST = datetime(2026, 12, 8, 4, 30, tzinfo=UTC)


def lives_at(person, state: str, zip_code: str, *, primary: bool = True) -> None:
    PostalAddress.objects.create(
        organization=person.organization,
        person=person,
        source=Source.objects.filter(organization=person.organization).first(),
        original=f"1 Main St, {state} {zip_code}",
        state=state,
        zip_code=zip_code,
        is_normalized=True,
        is_primary=primary,
    )


def test_a_text_to_new_haven_at_half_past_eleven_waits_until_nine(dana):
    lives_at(dana, "CT", "06511")

    assert held_until(dana, LATE_EVENING_EAST) == datetime(
        2026, 12, 8, 9, 0, tzinfo=ZoneInfo("America/New_York")
    )


def test_the_same_moment_is_fine_for_someone_in_los_angeles(dana):
    lives_at(dana, "CA", "90012")

    assert held_until(dana, LATE_EVENING_EAST) is None


def test_the_primary_address_decides(dana):
    lives_at(dana, "CT", "06511", primary=False)
    lives_at(dana, "CA", "90012", primary=True)

    assert zone_of(dana) == ZoneInfo("America/Los_Angeles")


def test_someone_without_an_address_gets_the_organizations_home_state_zone(dana):
    assert dana.organization.state == "CT"
    assert zone_of(dana) == ZoneInfo("America/New_York")


def test_the_install_sets_the_quiet_hours(settings, dana, nutmeg):
    settings.SMS_QUIET_HOURS = "20:00-10:00"
    lives_at(dana, "CA", "90012")

    assert held_until(dana, LATE_EVENING_EAST) == datetime(
        2026, 12, 8, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles")
    )


def test_quiet_hours_that_are_not_two_times_are_a_configuration_error(settings, nutmeg):
    settings.SMS_QUIET_HOURS = "late"

    with pytest.raises(ImproperlyConfigured, match="SMS_QUIET_HOURS='late'"):
        quiet_hours_of(nutmeg)
