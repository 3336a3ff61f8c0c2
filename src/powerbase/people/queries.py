"""Read queries for people, always through `access`."""

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from powerbase.coalition.models import AffiliateMembership
from powerbase.coalition.visibility import PersonVisibility, contact_facts_filter
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.models import Role
from powerbase.people.models import (
    CustomField,
    EmailAddress,
    Note,
    Person,
    PersonTag,
    PhoneNumber,
    PostalAddress,
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
    """Return the people *actor* may see, not merged away.

    A member leader sees only the people they work with (`access.leaders_people`).
    """
    access.require(actor, "people.view")
    found = access.scoped(actor, Person.objects.unmerged())
    if actor.role == Role.LEADER:
        found = found.filter(access.leaders_people(actor))
    return found


def findable_people(actor: Actor) -> QuerySet[Person]:
    """Return the people *actor* may find by name to check in at the door or meet one-on-one.

    A leader at the door must find whoever walks in, so this is the base as far as tenancy and
    affiliates allow; these searches show names and at most a few rows, never contact details.
    """
    return access.scoped(actor, Person.objects.unmerged())


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
            Lower("family_key"), Lower("given_key"), "id"
        )
    # Conditions on related rows are EXISTS tests, so a person matches once without DISTINCT.
    memberships = AffiliateMembership.objects.filter(person=OuterRef("pk"))
    if wanted.affiliate:
        memberships = memberships.filter(affiliate_id=wanted.affiliate)
    if wanted.role:
        memberships = memberships.filter(role=wanted.role)
    if wanted.affiliate or wanted.role:
        found = found.filter(Exists(memberships))
    if wanted.tag:
        found = found.filter(
            Exists(PersonTag.objects.filter(person=OuterRef("pk"), tag_id=wanted.tag))
        )
    if wanted.status:
        found = found.filter(status=wanted.status)
    return found.prefetch_related(memberships_prefetch(), shown_memberships_prefetch(actor))


def matching(actor: Actor, query: str) -> Q:
    """Return the condition for a free-text search: email, phone digits, or a name prefix.

    Email and phone searches only go through facts the actor may see, so searching for a
    withheld address does not reveal whose it is.
    """
    if "@" in query:
        emails = EmailAddress.objects.filter(organization=actor.organization, address=query.lower())
        return Q(pk__in=emails.filter(contact_facts_filter(actor)).values("person_id"))
    digits = "".join(_DIGITS.findall(query))
    if len(digits) >= 4 and len(digits) >= len(query.replace(" ", "")) - 3:
        suffix = reversed_digits(digits if not query.startswith("+") else query)
        owners = PhoneNumber.objects.filter(organization=actor.organization).filter(
            prefix_condition("digits_reversed", suffix)
        )
        return Q(pk__in=owners.filter(contact_facts_filter(actor)).values("person_id"))
    return name_condition(query)


PICK_RESULTS = 15
_PERSON_NUMBER = re.compile(r"#\s*(\d{1,12})")


def is_searchable(query: str) -> bool:
    """Two letters of a name, '#' and a person's number, four phone digits, or an email."""
    query = query.strip()
    if _PERSON_NUMBER.fullmatch(query) or "@" in query:
        return True
    digits = len(_DIGITS.findall(query))
    letters = len(name_key(query).replace(" ", "")) - digits
    return digits >= 4 or (letters >= 2 and not digits)


def to_choose_from(
    actor: Actor, found: QuerySet[Person], query: str, limit: int = PICK_RESULTS
) -> list[Person]:
    """Return the first *limit* of *found* that *query* names, labelled to be told apart.

    For the person pickers and the RSVP search: "#1234" picks one person by number; anything
    else is the people page's search (a name's start, an email, a phone's last digits).
    *found* is the set the caller may choose from (its leaders, its base), already scoped.
    """
    from powerbase.people.labels import labelled  # labels read through this module

    query = query.strip()
    if not is_searchable(query):
        return []
    number = _PERSON_NUMBER.fullmatch(query)
    condition = Q(pk=int(number.group(1))) if number else matching(actor, query)
    return labelled(
        actor, found.filter(condition).order_by("family_key", "given_key", "id")[:limit]
    )


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
    return (
        prefix_condition("given_key", key)
        | prefix_condition("family_key", key)
        | prefix_condition("full_key", key)
    )


def shown_memberships_prefetch(actor: Actor) -> Prefetch:
    """Prefetch, as `shown_memberships`, the memberships a list may name for *actor*.

    An affiliate lead sees only their own affiliates' memberships of a shared member: the
    membership of another (a worker center, say) can itself be what that affiliate withholds.
    """
    return Prefetch(
        "affiliate_memberships",
        to_attr="shown_memberships",
        queryset=access.scoped(actor, AffiliateMembership.objects.all()).select_related(
            "affiliate"
        ),
    )


def memberships_prefetch() -> Prefetch:
    return Prefetch(
        "affiliate_memberships", queryset=AffiliateMembership.objects.select_related("affiliate")
    )


@dataclass(frozen=True)
class PersonPage:
    """A person as one actor may see them: every list already passed through the one rule."""

    person: Person
    visibility: PersonVisibility
    emails: list[EmailAddress]
    phones: list[PhoneNumber]
    addresses: list[PostalAddress]
    withheld_contact: int
    memberships: list


def person_page(actor: Actor, person_id: int) -> PersonPage:
    """Return a person with what the actor may see of them (their story: `people.timeline`)."""
    person = access.get(
        actor,
        people(actor).prefetch_related(
            memberships_prefetch(),
            _with_source("emails", EmailAddress),
            _with_source("phones", PhoneNumber),
            _with_source("addresses", PostalAddress),
            "tags__tag",
            "custom_values__field",
        ),
        pk=person_id,
    )
    seen = access.person_visibility(actor, person)
    contact = {
        kind: [f for f in getattr(person, kind).all() if seen.shows_contact(f)]
        for kind in ("emails", "phones", "addresses")
    }
    every = sum(len(getattr(person, kind).all()) for kind in contact)
    return PersonPage(
        person=person,
        visibility=seen,
        **contact,
        withheld_contact=every - sum(len(facts) for facts in contact.values()),
        memberships=[m for m in person.affiliate_memberships.all() if seen.shows_membership(m)],
    )


def _with_source(relation: str, model) -> Prefetch:
    return Prefetch(relation, queryset=model.objects.select_related("source"))


def visible_notes(actor: Actor, person: Person, visibility: PersonVisibility) -> list[Note]:
    """Return the notes on *person* the one rule lets *actor* read."""
    notes = person.notes.select_related("author", "source")
    return [note for note in notes if visibility.shows_note(note)]


def tags(actor: Actor) -> QuerySet[Tag]:
    access.require(actor, "people.view")
    return access.scoped(actor, Tag.objects.all())


def filter_of(saved: SavedList) -> PeopleFilter:
    """Return the search a saved list stands for (its people-page parameters, as saved)."""

    def number(key: str) -> int | None:
        value = str(saved.filters.get(key, "")).strip()
        return int(value) if value.isdigit() else None

    return PeopleFilter(
        query=str(saved.filters.get("q", "")),
        affiliate=number("affiliate"),
        tag=number("tag"),
        role=str(saved.filters.get("role", "")),
        status=str(saved.filters.get("status", "")),
    )


def saved_lists(actor: Actor) -> QuerySet[SavedList]:
    access.require(actor, "people.view")
    return access.scoped(actor, SavedList.objects.all())


def custom_fields(actor: Actor) -> QuerySet[CustomField]:
    access.require(actor, "people.view")
    return access.scoped(actor, CustomField.objects.all())
