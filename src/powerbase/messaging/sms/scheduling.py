"""When a text to a person may go: their time zone from their address, and quiet hours.

The send job asks `held_until(person, now)` for each text: None means send now, a time means
keep the text queued until then (see `quiet_hours` for the zone table and the rule).
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from powerbase.core.models import Organization
from powerbase.messaging.models import SendingLimit
from powerbase.messaging.sms.quiet_hours import QuietHours, next_allowed, zone_for
from powerbase.people.models import Person, PostalAddress


def quiet_hours_of(organization: Organization) -> QuietHours:
    """Return the hours *organization* sends no texts in: its own (Messages -> Settings), else
    the install's (SMS_QUIET_HOURS, "21:00-09:00")."""
    own = SendingLimit.objects.filter(organization=organization).first()
    if own is not None and own.quiet_start is not None and own.quiet_end is not None:
        return QuietHours(start=own.quiet_start, end=own.quiet_end)
    start, _, end = settings.SMS_QUIET_HOURS.partition("-")
    try:
        return QuietHours(
            start=time.fromisoformat(start.strip()), end=time.fromisoformat(end.strip())
        )
    except ValueError:
        raise ImproperlyConfigured(
            f"SMS_QUIET_HOURS={settings.SMS_QUIET_HOURS!r} is not two times (expected e.g. "
            "21:00-09:00)."
        ) from None


def organization_zone(organization: Organization) -> ZoneInfo:
    """The zone of the organization's home state, else the install's (settings.TIME_ZONE)."""
    return zone_for(organization.state or "", fallback=ZoneInfo(settings.TIME_ZONE))


def zones_of(person_ids: list[int], organization: Organization) -> dict[int, ZoneInfo]:
    """Return each person's zone from their primary (else first) address with a state; one
    query for the lot. People with no such address get the organization's zone."""
    fallback = organization_zone(organization)
    zones = dict.fromkeys(person_ids, fallback)
    seen: set[int] = set()
    addresses = (
        PostalAddress.objects.filter(person_id__in=person_ids)
        .exclude(state="")
        .order_by("person_id", "-is_primary", "id")
        .values_list("person_id", "state", "zip_code")
    )
    for person_id, state, zip_code in addresses:
        if person_id not in seen:
            seen.add(person_id)
            zones[person_id] = zone_for(state, zip_code, fallback=fallback)
    return zones


def zone_of(person: Person) -> ZoneInfo:
    """Return *person*'s time zone (see `zones_of`)."""
    return zones_of([person.pk], person.organization)[person.pk]


def holds(person_ids: list[int], organization: Organization, now: datetime) -> dict[int, datetime]:
    """Return, for each of *person_ids* inside quiet hours at *now*, when a text may reach them.

    People missing from the answer may be texted now.
    """
    quiet = quiet_hours_of(organization)
    held = {}
    for person_id, zone in zones_of(person_ids, organization).items():
        allowed = next_allowed(now, zone, quiet)
        if allowed > now:
            held[person_id] = allowed
    return held


def held_until(person: Person, now: datetime) -> datetime | None:
    """Return when a text to *person* may go if not at *now* (quiet hours there), else None."""
    return holds([person.pk], person.organization, now).get(person.pk)
