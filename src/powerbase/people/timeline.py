"""A person's story: everything the organization did with them, newest first, in one list.

Each app knows its own facts about a person and exposes one small reader,

    events_for_person(actor, person, seen, *, kinds, limit) -> list[Event]

which returns at most *limit* events of each of *kinds* it holds, newest first, read through
`access.scoped` (tenancy, roles and affiliate sovereignty) and the person's visibility rule
*seen* (`access.person_visibility`). This module asks each of them in turn (`SOURCES`), so
the person page never reaches into another app's tables and an app that adds a kind of
event adds it in its own `queries.py`.

The apps are named by dotted path, not imported: they build on people, not the other way.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.module_loading import import_string

from powerbase.coalition.visibility import PersonVisibility
from powerbase.core.access import Actor
from powerbase.people.models import PersonChange

# Every kind of event, in the order the filter offers them, with the label a reader sees.
KINDS: dict[str, str] = {
    "membership": "Memberships and roles",
    "rsvp": "RSVPs",
    "attendance": "Check-ins",
    "commitment": "Commitments",
    "one_on_one": "One-on-ones",
    "ladder": "Ladder",
    "canvass": "Canvass",
    "assembly": "Assemblies",
    "candidacy": "Candidacy",
    "school": "Democracy School",
    "message": "Messages",
    "records": "Imports, merges and changes",
}

# Who tells which part of the story; each is `events_for_person` in the app's queries.py.
SOURCES = (
    "powerbase.people.timeline.events_for_person",
    "powerbase.actions.queries.events_for_person",
    "powerbase.field.queries.events_for_person",
    "powerbase.democracy.queries.events_for_person",
    "powerbase.electoral.queries.events_for_person",
    "powerbase.identity.queries.events_for_person",
    "powerbase.messaging.queries.events_for_person",
    "powerbase.school.queries.events_for_person",
)

# Events shown at first, and the most one page asks for ("show more" doubles it).
FIRST_PAGE = 25
MOST = 400


@dataclass(frozen=True)
class Event:
    """One dated line of a person's story: what happened and, if it helps, more detail."""

    at: datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Story:
    """The newest events of a person's story, of one kind or all, and whether more exist."""

    events: list[Event]
    kind: str
    limit: int
    has_more: bool
    kinds: dict[str, str] = field(default_factory=lambda: KINDS)

    @property
    def more_limit(self) -> int:
        return min(self.limit * 2, MOST)


def at_day(day: date) -> datetime:
    """Return the start of *day* in the current time zone, for facts dated by day only."""
    return timezone.make_aware(datetime.combine(day, time.min))


def story(
    actor: Actor, person, seen: PersonVisibility, *, kind: str = "", limit: int = FIRST_PAGE
) -> Story:
    """Return the newest *limit* events of *person*'s story that *actor* may see.

    *kind* narrows it to one of `KINDS` (anything else: every kind). Each source returns at
    most limit + 1 events per kind, so the page costs a fixed number of queries however long
    the person's history is.
    """
    kind = kind if kind in KINDS else ""
    limit = max(1, min(limit, MOST))
    kinds = frozenset({kind}) if kind else frozenset(KINDS)
    events: list[Event] = []
    for path in SOURCES:
        events += import_string(path)(actor, person, seen, kinds=kinds, limit=limit + 1)
    events.sort(key=lambda event: event.at, reverse=True)
    return Story(events=events[:limit], kind=kind, limit=limit, has_more=len(events) > limit)


def events_for_person(
    actor: Actor, person, seen: PersonVisibility, *, kinds: frozenset[str], limit: int
) -> list[Event]:
    """Return the people app's own part: memberships and the record's history lines."""
    events: list[Event] = []
    if "membership" in kinds:
        events += _membership_events(person, seen)[:limit]
    if "records" in kinds:
        events += _history_events(person, seen, limit)
    return events


def _membership_events(person, seen: PersonVisibility) -> list[Event]:
    """Memberships the rule shows (a lead sees only their own affiliates'), with their roles."""
    events = []
    for membership in person.affiliate_memberships.all():
        if not seen.shows_membership(membership):
            continue
        status = (
            "" if membership.status == "active" else f" ({membership.get_status_display().lower()})"
        )
        events.append(
            Event(
                at=at_day(membership.since) if membership.since else membership.recorded_at,
                kind="membership",
                title=f"Member of {membership.affiliate.name}: {membership.get_role_display()}"
                f"{status}",
            )
        )
    if person.is_direct_member:
        events.append(
            Event(
                at=person.created_at,
                kind="membership",
                title=f"Direct member of {seen.actor.organization}",
            )
        )
    return sorted(events, key=lambda event: event.at, reverse=True)


def _history_events(person, seen: PersonVisibility, limit: int) -> list[Event]:
    """The record's history lines (imports, edits, merges), each value as the rule allows."""
    changes = list(person.changes.select_related("source", "source__user")[:limit])
    if len(changes) < limit and not any(c.action == PersonChange.Action.CREATED for c in changes):
        # Imports write no "created" line per person: the record's own source says it.
        changes.append(
            PersonChange(
                person=person,
                source=person.source,
                action=PersonChange.Action.CREATED,
                field="person",
                recorded_at=person.created_at,
            )
        )
    return [
        Event(
            at=change.recorded_at,
            kind="records",
            title=_change_title(change, seen),
            detail=_source_label(change.source, seen),
        )
        for change in changes
        if seen.shows_change(change)
    ]


def _change_title(change, seen: PersonVisibility) -> str:
    said = f"{change.get_action_display()} {change.field}"
    if not seen.shows_change_value(change):
        return f"{said} (not shared with you)"
    if change.action == "changed":
        return f"{said}: {_value(change.old_value)} → {_value(change.new_value)}"
    if change.new_value:
        return f"{said}: {_value(change.new_value)}"
    return said


def _value(value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _source_label(source, seen: PersonVisibility) -> str:
    if source is None:
        return ""
    return f"from {source}" if seen.shows_source(source) else "from another affiliate's records"
