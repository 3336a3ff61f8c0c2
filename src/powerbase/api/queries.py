"""Reads of the API, always through `access` and the owning apps' queries."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from powerbase.actions import queries as actions_queries
from powerbase.actions.models import Action, Attendance, Rsvp
from powerbase.api.models import ApiKey, PersonIdentifier, WebhookDelivery, WebhookSubscription
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput, NotFound
from powerbase.people import queries as people_queries
from powerbase.people.models import (
    EmailAddress,
    Person,
    PersonTag,
    PhoneNumber,
    PostalAddress,
    SavedList,
    Tag,
)

MAX_PER_PAGE = 25  # Action Network's own limit; its clients ask for no more.

# OData, the little of it Action Network accepts: `modified_date gt '2026-01-01'`, joined by
# `and`; `email_address eq 'x@y.org'`.
_CONDITION = re.compile(r"^\s*(?P<field>[a-z_]+)\s+(?P<op>eq|gt|lt|ge|le)\s+'(?P<value>[^']*)'\s*$")
DATE_FIELDS = {"modified_date": "updated_at", "created_date": "created_at"}


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def bounds(self) -> tuple[int, int]:
        start = (self.page - 1) * self.per_page
        return start, start + self.per_page


def paging(params) -> Paging:
    """Read `page` and `per_page` (at most 25, as on Action Network)."""
    return Paging(
        page=_positive(params, "page", 1, 10**6),
        per_page=min(_positive(params, "per_page", MAX_PER_PAGE, 10**6), MAX_PER_PAGE),
    )


def _positive(params, name: str, default: int, most: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    if not str(raw).isdigit() or not 1 <= int(raw) <= most:
        raise InvalidInput(
            f"The parameter '{name}' must be a whole number from 1 to {most}; "
            f"got {str(raw)[:40]!r}."
        )
    return int(raw)


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: str


def parse_filter(text: str | None, fields: tuple[str, ...]) -> list[Condition]:
    """Read an OData `filter`, or refuse it saying what works."""
    found: list[Condition] = []
    for part in re.split(r"\s+and\s+", (text or "").strip()) if text else []:
        match = _CONDITION.match(part)
        if match is None:
            raise InvalidInput(
                f"The filter {part[:80]!r} is not understood: write "
                "\"modified_date gt '2026-01-01'\" (gt, lt, ge, le, eq), "
                "joined by 'and'."
            )
        condition = Condition(match["field"], match["op"], match["value"])
        if condition.field not in fields or (
            condition.field not in DATE_FIELDS and condition.op != "eq"
        ):
            raise InvalidInput(
                f"Filtering with {part[:80]!r} is not supported; filter on "
                f"{', '.join(fields)} (email_address with eq only)."
            )
        found.append(condition)
    return found


def date_filter(conditions: list[Condition], columns: dict[str, str] = DATE_FIELDS) -> Q:
    """Return the condition on *columns* (OData field -> model field) the dates ask for."""
    condition = Q()
    for wanted in conditions:
        if wanted.field in columns:
            condition &= _date_condition(columns[wanted.field], wanted.op, wanted.value)
    return condition


def _date_condition(column: str, op: str, value: str) -> Q:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{value[:40]!r} is not a date: write it as 2026-01-31 or 2026-01-31T12:00:00Z."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    if op == "eq" and len(value) == 10:  # a whole day
        start = timezone.make_aware(datetime.combine(date.fromisoformat(value), time.min))
        return Q(**{f"{column}__gte": start, f"{column}__lt": start + timedelta(days=1)})
    lookup = {"eq": "", "gt": "__gt", "lt": "__lt", "ge": "__gte", "le": "__lte"}[op]
    return Q(**{f"{column}{lookup}": moment})


def _with_source(relation: str, model) -> Prefetch:
    return Prefetch(relation, queryset=model.objects.select_related("source"))


def people(actor: Actor) -> QuerySet[Person]:
    """Return the people *actor* may see, with what a person document shows prefetched."""
    return people_queries.people(actor).prefetch_related(
        people_queries.memberships_prefetch(),
        _with_source("emails", EmailAddress),
        _with_source("phones", PhoneNumber),
        _with_source("addresses", PostalAddress),
        "custom_values__field",
        "external_identifiers",
    )


def people_matching(actor: Actor, filter_text: str | None) -> QuerySet[Person]:
    """Return the people an OData filter asks for, oldest first (stable pages)."""
    conditions = parse_filter(filter_text, (*DATE_FIELDS, "email_address"))
    found = people(actor).filter(date_filter(conditions)).order_by("id")
    for wanted in conditions:
        if wanted.field == "email_address":
            # Only through addresses the actor may see: a withheld one finds no one.
            owners = _visible_contacts(actor, EmailAddress, address=wanted.value.strip().lower())
            found = found.filter(pk__in=owners.values("person_id"))
    return found


def _visible_contacts(actor: Actor, model, **lookup) -> QuerySet:
    from powerbase.coalition.visibility import contact_facts_filter

    return access.scoped(actor, model.objects.filter(contact_facts_filter(actor), **lookup))


def person(actor: Actor, person_id: str) -> Person:
    """Return the person *person_id* names (powerbase's id or their Action Network id)."""
    return access.get(actor, people(actor), pk=person_pk(actor, person_id))


def person_pk(actor: Actor, person_id: str) -> int:
    if str(person_id).isdigit() and len(str(person_id)) < 19:
        return int(person_id)
    system, _, value = str(person_id).rpartition(":")
    known = access.scoped(
        actor, PersonIdentifier.objects.filter(system=system or "action_network", value=value)
    ).values_list("person_id", flat=True)
    if not known:
        raise NotFound("That person")
    return known[0]


def person_by_contact(actor: Actor, emails: list[str], phones: list[str]) -> Person | None:
    """Return the person the actor may see who has one of *emails* (first) or *phones*."""
    for model, lookup, values in ((EmailAddress, "address", emails), (PhoneNumber, "e164", phones)):
        for value in values:
            owners = _visible_contacts(actor, model, **{lookup: value})
            found = people(actor).filter(pk__in=owners.values("person_id")).order_by("id")
            if person := found.first():
                return person
    return None


def tags(actor: Actor) -> QuerySet[Tag]:
    return people_queries.tags(actor).order_by("id")


def tag(actor: Actor, tag_id: str) -> Tag:
    return access.get(actor, tags(actor), pk=_int_id(tag_id, "That tag"))


def taggings(actor: Actor, tag: Tag) -> QuerySet[PersonTag]:
    """Return the taggings of *tag* on people the actor may see."""
    visible = people_queries.people(actor).values("pk")
    return access.scoped(actor, PersonTag.objects.filter(tag=tag, person_id__in=visible)).order_by(
        "id"
    )


def person_taggings(actor: Actor, person: Person) -> QuerySet[PersonTag]:
    return access.scoped(actor, PersonTag.objects.filter(person=person)).order_by("id")


def tagging(actor: Actor, tag: Tag, tagging_id: str) -> PersonTag:
    return access.get(actor, taggings(actor, tag), pk=_int_id(tagging_id, "That tagging"))


def saved_lists(actor: Actor) -> QuerySet[SavedList]:
    return people_queries.saved_lists(actor).order_by("id")


def saved_list(actor: Actor, list_id: str) -> SavedList:
    return access.get(actor, saved_lists(actor), pk=_int_id(list_id, "That list"))


def list_items(actor: Actor, saved: SavedList) -> QuerySet[Person]:
    """Return the people a saved search finds today, for this actor."""
    filters = saved.filters or {}

    def number(key):
        value = str(filters.get(key) or "")
        return int(value) if value.isdigit() else None

    wanted = people_queries.PeopleFilter(
        query=str(filters.get("q") or ""),
        affiliate=number("affiliate"),
        tag=number("tag"),
        role=str(filters.get("role") or ""),
        status=str(filters.get("status") or ""),
    )
    return people_queries.search(actor, wanted).order_by("id")


def events(actor: Actor) -> QuerySet[Action]:
    return actions_queries.actions(actor).order_by("id")


def event(actor: Actor, event_id: str) -> Action:
    return access.get(actor, events(actor), pk=_int_id(event_id, "That event"))


def attendances(actor: Actor, event: Action) -> list[tuple[Rsvp | Attendance, bool]]:
    """Return the event's RSVPs (with whether they came) and check-ins without an RSVP."""
    access.require(actor, "actions.manage")
    came = dict(
        access.scoped(actor, Attendance.objects.filter(action=event)).values_list("person_id", "pk")
    )
    rsvps = list(access.scoped(actor, Rsvp.objects.filter(action=event)).order_by("id"))
    rsvp_people = {r.person_id for r in rsvps}
    walk_ins = list(
        access.scoped(actor, Attendance.objects.filter(action=event))
        .exclude(person_id__in=rsvp_people)
        .order_by("id")
    )
    return [(r, r.person_id in came) for r in rsvps] + [(a, True) for a in walk_ins]


def person_attendances(actor: Actor, person: Person) -> list[tuple[Rsvp | Attendance, bool]]:
    access.require(actor, "actions.manage")
    came = set(
        access.scoped(actor, Attendance.objects.filter(person=person)).values_list(
            "action_id", flat=True
        )
    )
    rsvps = list(access.scoped(actor, Rsvp.objects.filter(person=person)).order_by("id"))
    walk_ins = list(
        access.scoped(actor, Attendance.objects.filter(person=person))
        .exclude(action_id__in={r.action_id for r in rsvps})
        .order_by("id")
    )
    return [(r, r.action_id in came) for r in rsvps] + [(a, True) for a in walk_ins]


def _int_id(value: str, what: str) -> int:
    text = str(value)
    if text.startswith(("powerbase:", "action_network:")):
        text = text.split(":", 1)[1]
    if not text.isdigit() or len(text) > 18:
        raise NotFound(what)
    return int(text)


# Settings page ---------------------------------------------------------------------------


def keys(actor: Actor) -> QuerySet[ApiKey]:
    """Return the actor's own keys; an admin sees everyone's in the organization."""
    found = access.scoped(actor, ApiKey.objects.select_related("user"))
    return found if actor.can("members.manage") else found.filter(user=actor.user)


def key(actor: Actor, key_id: int) -> ApiKey:
    return access.get(actor, keys(actor), pk=key_id)


def subscriptions(actor: Actor) -> QuerySet[WebhookSubscription]:
    access.require(actor, "api.manage_webhooks")
    return access.scoped(actor, WebhookSubscription.objects.all())


def subscription(actor: Actor, subscription_id: int) -> WebhookSubscription:
    return access.get(actor, subscriptions(actor), pk=subscription_id)


def recent_deliveries(actor: Actor, limit: int = 30) -> list[WebhookDelivery]:
    access.require(actor, "api.manage_webhooks")
    return list(
        access.scoped(actor, WebhookDelivery.objects.select_related("subscription"))[:limit]
    )
