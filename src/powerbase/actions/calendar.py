"""The public calendar feed: an organization's public actions as iCalendar (RFC 5545).

People subscribe to it from their phone's calendar; each event links to the action's sign-up
page. Only actions marked public are in it, and nothing about who signed up.
"""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from powerbase.actions.models import Action
from powerbase.core.models import Organization

# Past actions stay in the feed a while so a subscriber's calendar keeps its history.
KEEP_PAST = timedelta(days=90)
DEFAULT_LENGTH = timedelta(hours=2)


def public_actions(organization: Organization):
    """Return the public actions worth listing: upcoming ones and those of the last 90 days."""
    return (
        Action.objects.filter(organization=organization)
        .public()
        .filter(starts_at__gte=timezone.now() - KEEP_PAST)
        .order_by("starts_at")
    )


def feed(organization: Organization, sign_up_url) -> bytes:
    """Return the iCalendar feed; *sign_up_url(action)* gives each event's absolute link."""
    calendar = Calendar()
    calendar.add("prodid", "-//powerbase//actions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{organization.name}: actions")
    calendar.add("x-published-ttl", "PT1H")
    for action in public_actions(organization):
        calendar.add_component(_event(organization, action, sign_up_url(action)))
    return calendar.to_ical()


def _event(organization: Organization, action: Action, url: str) -> Event:
    event = Event()
    event.add("uid", f"action-{action.pk}@{organization.slug}.powerbase")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", action.starts_at)
    event.add("dtend", action.ends_at or action.starts_at + DEFAULT_LENGTH)
    event.add("summary", action.title)
    event.add(
        "description",
        "\n\n".join(
            part
            for part in (action.description, f"{action.get_kind_display()}. RSVP: {url}")
            if part
        ),
    )
    if action.place or action.online_link:
        event.add("location", action.place or action.online_link)
    event.add("url", url)
    event.add("categories", [action.get_kind_display()])
    return event
