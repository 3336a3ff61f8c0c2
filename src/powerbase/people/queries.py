"""Read queries for people, always through `access`."""

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from powerbase.coalition.models import AffiliateMembership
from powerbase.core import access
from powerbase.core.access import Actor, PersonVisibility
from powerbase.people.models import (
    CustomField,
    EmailAddress,
    Person,
    PersonChange,
    PersonTag,
    PhoneNumber,
    SavedList,
    Tag,
    prefix_condition,
)
from powerbase.people.names import name_key
from powerbase.people.services import reversed_digits

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class PeopleFilter:
    """What the people page was asked for; empty fields do not filter."""

    query: str = ""
    affiliate: int | None = None
    tag: int | None = None
    role: str = ""
    status: str = ""

    def as_params(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if value not in ("", None)}


def people(actor: Actor) -> QuerySet[Person]:
    """Return the people *actor* may see, not merged away."""
    access.require(actor, "people.view")
    return access.scoped(actor, Person.objects.active())


def search(actor: Actor, wanted: PeopleFilter) -> QuerySet[Person]:
    """Return the people matching *wanted*: name prefix, email, or the digits of a phone."""
    found = people(actor)
    query = wanted.query.strip()
    if query:
        # Ordering by an expression keeps PostgreSQL from walking the family-name index in
        # order and filtering a million rows to fill the first page; the search's own index
        # scans find the few thousand matches, which are then sorted (keys are lower-case
        # already, so the order is the same).
        found = found.filter(matching(actor, query)).order_by(
            Lower("family_key"), Lower("given_key"), "id")
    # Conditions on related rows are EXISTS tests, so a person matches once without DISTINCT.
    memberships = AffiliateMembership.objects.filter(person=OuterRef("pk"))
    if wanted.affiliate:
        memberships = memberships.filter(affiliate_id=wanted.affiliate)
    if wanted.role:
        memberships = memberships.filter(role=wanted.role)
    if wanted.affiliate or wanted.role:
        found = found.filter(Exists(memberships))
    if wanted.tag:
        found = found.filter(Exists(PersonTag.objects.filter(person=OuterRef("pk"),
                                                             tag_id=wanted.tag)))
    if wanted.status:
        found = found.filter(status=wanted.status)
    return found.prefetch_related(memberships_prefetch())


def matching(actor: Actor, query: str) -> Q:
    """Return the condition for a free-text search: email, phone digits, or a name prefix.

    Email and phone searches only find people whose contact details the actor may see.
    """
    if "@" in query:
        owners = EmailAddress.objects.filter(organization=actor.organization,
                                             address=query.lower()).values("person_id")
        return Q(pk__in=owners) & access.contact_visible_filter(actor)
    digits = "".join(_DIGITS.findall(query))
    if len(digits) >= 4 and len(digits) >= len(query.replace(" ", "")) - 3:
        suffix = reversed_digits(digits if not query.startswith("+") else query)
        owners = PhoneNumber.objects.filter(organization=actor.organization).filter(
            prefix_condition("digits_reversed", suffix)).values("person_id")
        return Q(pk__in=owners) & access.contact_visible_filter(actor)
    return name_condition(query)


def name_condition(query: str) -> Q:
    """Match a name typed as it comes: "mar", "gonz", "maria gon".

    Either the whole text begins the full name, or every word begins the given, family or
    full name. All conditions sit on the person's own row, so PostgreSQL answers with bitmap
    scans of the three name-key indexes instead of scanning the table.
    """
    whole = _any_name_starts_with(query)
    tokens = query.split()
    if len(tokens) < 2:
        return whole
    every_word = Q()
    for token in tokens[1:]:
        every_word &= _any_name_starts_with(token)
    # Both branches imply that the first word begins a name, so that test goes in front on
    # its own: SQLite's OR optimisation (and PostgreSQL's BitmapOr) can answer it from the
    # name-key indexes, leaving the rest to check on a few rows.
    return _any_name_starts_with(tokens[0]) & (whole | every_word)


def _any_name_starts_with(text: str) -> Q:
    key = name_key(text)
    if not key:
        return Q(pk__in=[])
    return (prefix_condition("given_key", key) | prefix_condition("family_key", key)
            | prefix_condition("full_key", key))


def memberships_prefetch() -> Prefetch:
    return Prefetch("affiliate_memberships",
                    queryset=AffiliateMembership.objects.select_related("affiliate"))


@dataclass(frozen=True)
class PersonPage:
    person: Person
    visibility: PersonVisibility
    timeline: list[PersonChange]


def person_page(actor: Actor, person_id: int) -> PersonPage:
    """Return a person with what the actor may see of them and their history."""
    person = access.get(
        actor,
        people(actor).prefetch_related(
            memberships_prefetch(), "emails", "phones", "addresses", "tags__tag",
            "custom_values__field"),
        pk=person_id)
    visibility = access.person_visibility(actor, person)
    timeline = list(person.changes.select_related("source", "source__user")[:100])
    if len(timeline) < 100 and not any(c.action == PersonChange.Action.CREATED
                                       for c in timeline):
        # Imports write no "created" line per person: the record's own source says it.
        timeline.append(PersonChange(person=person, source=person.source,
                                     action=PersonChange.Action.CREATED, field="person",
                                     recorded_at=person.created_at))
    return PersonPage(person=person, visibility=visibility, timeline=timeline)


def visible_notes(actor: Actor, person: Person, visibility: PersonVisibility):
    notes = person.notes.select_related("author")
    return notes if visibility.sensitive_notes else notes.filter(is_sensitive=False)


def tags(actor: Actor) -> QuerySet[Tag]:
    access.require(actor, "people.view")
    return access.scoped(actor, Tag.objects.all())


def saved_lists(actor: Actor) -> QuerySet[SavedList]:
    access.require(actor, "people.view")
    return access.scoped(actor, SavedList.objects.all())


def custom_fields(actor: Actor) -> QuerySet[CustomField]:
    access.require(actor, "people.view")
    return access.scoped(actor, CustomField.objects.all())
