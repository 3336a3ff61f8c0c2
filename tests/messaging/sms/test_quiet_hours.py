"""Quiet hours by the recipient's time zone, from their state and, in split states, ZIP."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from powerbase.messaging.sms.quiet_hours import QuietHours, next_allowed, zone_for

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("state", "zip_code", "zone"),
    [
        ("CT", "06511", "America/New_York"),
        ("ca", "94110", "America/Los_Angeles"),
        ("AZ", "85004", "America/Phoenix"),
        ("FL", "33101", "America/New_York"),  # Miami
        ("FL", "32501", "America/Chicago"),  # Pensacola, in the Panhandle
        ("TN", "37203", "America/Chicago"),  # Nashville
        ("TN", "37902", "America/New_York"),  # Knoxville
        ("TX", "79901", "America/Denver"),  # El Paso
        ("IN", "46402", "America/Chicago"),  # Gary
        ("ID", "83814", "America/Los_Angeles"),  # Coeur d'Alene
        ("HI", "96813", "Pacific/Honolulu"),
        ("PR", "00901", "America/Puerto_Rico"),
    ],
)
def test_the_zone_comes_from_the_state_and_in_split_states_the_zip(state, zip_code, zone):
    assert zone_for(state, zip_code, fallback=NEW_YORK) == ZoneInfo(zone)


def test_a_split_states_zip_prefix_does_not_move_an_address_in_another_state():
    assert zone_for("GA", "32501", fallback=NEW_YORK) == ZoneInfo("America/New_York")


def test_an_address_without_a_known_state_gets_the_fallback_zone():
    denver = ZoneInfo("America/Denver")
    assert zone_for("", "", fallback=denver) == denver
    assert zone_for("ZZ", "12345", fallback=denver) == denver


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_in_the_afternoon_a_text_may_go_now():
    now = utc(2026, 12, 7, 19, 0)  # 14:00 in New York

    assert next_allowed(now, NEW_YORK) == now


def test_at_ten_at_night_a_text_waits_until_nine_next_morning():
    now = utc(2026, 12, 8, 3, 0)  # 22:00 on the 7th in New York

    allowed = next_allowed(now, NEW_YORK)

    assert allowed == datetime(2026, 12, 8, 9, 0, tzinfo=NEW_YORK)


def test_early_in_the_morning_a_text_waits_until_nine_the_same_day():
    now = utc(2026, 12, 7, 11, 30)  # 06:30 in New York

    assert next_allowed(now, NEW_YORK) == datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK)


def test_the_same_moment_is_quiet_in_california_and_not_in_new_york():
    now = utc(2026, 12, 7, 15, 0)  # 10:00 in New York, 07:00 in Los Angeles
    los_angeles = ZoneInfo("America/Los_Angeles")

    assert next_allowed(now, NEW_YORK) == now
    assert next_allowed(now, los_angeles) == datetime(2026, 12, 7, 9, 0, tzinfo=los_angeles)


def test_nine_oclock_exactly_is_allowed_and_nine_at_night_is_not():
    assert next_allowed(datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK), NEW_YORK).hour == 9
    evening = next_allowed(datetime(2026, 12, 7, 21, 0, tzinfo=NEW_YORK), NEW_YORK)
    assert evening == datetime(2026, 12, 8, 9, 0, tzinfo=NEW_YORK)


def test_an_organizations_own_quiet_hours_are_used():
    stricter = QuietHours(start=time(20, 0), end=time(10, 0))
    now = datetime(2026, 12, 7, 20, 30, tzinfo=NEW_YORK)

    assert next_allowed(now, NEW_YORK, stricter) == datetime(2026, 12, 8, 10, 0, tzinfo=NEW_YORK)


def test_quiet_hours_that_do_not_cross_midnight_work_too():
    lunch = QuietHours(start=time(12, 0), end=time(13, 0))
    now = datetime(2026, 12, 7, 12, 15, tzinfo=NEW_YORK)

    assert next_allowed(now, NEW_YORK, lunch) == datetime(2026, 12, 7, 13, 0, tzinfo=NEW_YORK)


def test_the_morning_after_a_clock_change_is_still_nine_local():
    now = utc(2026, 11, 1, 4, 30)  # 00:30 EDT on the night clocks go back

    assert next_allowed(now, NEW_YORK) == datetime(2026, 11, 1, 9, 0, tzinfo=NEW_YORK)
    assert next_allowed(now, NEW_YORK).utcoffset().total_seconds() == -5 * 3600


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_allowed(datetime(2026, 12, 7, 12, 0), NEW_YORK)
