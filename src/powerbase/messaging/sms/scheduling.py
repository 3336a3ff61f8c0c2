"""When a text to a person may go: their time zone from their address, and quiet hours.

The send job asks `held_until(person, now)` for each text: None means send now, a time means
keep the text queued until then (see `quiet_hours` for the zone table and the rule).
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from powerbase.core.models import Organization
from powerbase.messaging.sms.quiet_hours import QuietHours, next_allowed, zone_for
from powerbase.people.models import Person, PostalAddress


def quiet_hours_of(organization: Organization) -> QuietHours:
    """Return the hours *organization* sends no texts in (SMS_QUIET_HOURS, "21:00-09:00")."""
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


def zone_of(person: Person) -> ZoneInfo:
    """Return *person*'s time zone from their primary (else first) address with a state."""
    address = (
        PostalAddress.objects.filter(person=person)
        .exclude(state="")
        .order_by("-is_primary", "id")
        .values("state", "zip_code")
        .first()
    )
    fallback = organization_zone(person.organization)
    if address is None:
        return fallback
    return zone_for(address["state"], address["zip_code"], fallback=fallback)


def held_until(person: Person, now: datetime) -> datetime | None:
    """Return when a text to *person* may go if not at *now* (quiet hours there), else None."""
    allowed = next_allowed(now, zone_of(person), quiet_hours_of(person.organization))
    return allowed if allowed > now else None
