"""The inside/outside calendar as iCalendar (RFC 5545), for organizers' own calendars.

Unlike the actions app's public feed, this one is for staff (it lists hearings and whip-count
floor votes) and is downloaded from a signed-in page.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from powerbase.core.models import Organization
from powerbase.legislature.queries import CalendarEntry

DEFAULT_LENGTH = timedelta(hours=1)


def feed(organization: Organization, entries: list[CalendarEntry], site: str) -> bytes:
    """Return *entries* as an iCalendar file; *site* is the absolute root URL for links."""
    calendar = Calendar()
    calendar.add("prodid", "-//powerbase//legislature//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{organization.name}: inside and outside")
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{organization.slug}.powerbase")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", entry.starts_at)
        event.add("dtend", entry.starts_at + DEFAULT_LENGTH)
        side = "Inside (legislature)" if entry.side == "inside" else "Outside (action)"
        event.add("summary", f"{entry.title}")
        event.add(
            "description", " · ".join(part for part in (side, entry.kind, entry.campaign) if part)
        )
        event.add("categories", [side, entry.kind])
        if entry.place:
            event.add("location", entry.place)
        if entry.url_name and entry.url_id:
            key = "action_id" if entry.url_name == "actions:action" else "bill_id"
            path = reverse(entry.url_name, kwargs={"org": organization.slug, key: entry.url_id})
            event.add("url", site.rstrip("/") + path)
        calendar.add_component(event)
    return calendar.to_ical()
