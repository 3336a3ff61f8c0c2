"""How a person is told apart from others of the same name, wherever someone chooses them.

Seven "Aaliyah Abdi" in one base are seven people: a list, a search result or a picker shows
each with what distinguishes them, as far as the viewer may see it:

    people = labelled(actor, people)       # each person gets .label, in a fixed 3 queries
    {% include "core/_person_label.html" with label=person.label %}

- the id (#1234): always; it is what an organizer types to be sure;
- nothing else of someone the viewer may find but not open (a member leader at the door finds
  the whole base, but sees the record only of the people they work with);
- the affiliates, as the visibility rule names them (a lead sees only their own);
- the age: the person page shows the birth date to whoever may see the person, so does this;
- the city and the last four digits of a phone: contact facts, shown only when the viewer
  may see that address or that phone (`coalition.visibility`, fact by fact).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from powerbase.coalition.models import AffiliateMembership
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.models import Role
from powerbase.people.models import Person, PhoneNumber, PostalAddress


@dataclass(frozen=True)
class PersonLabel:
    """A person's name and the details that tell them apart, already filtered for a viewer."""

    person_id: int
    name: str
    affiliates: tuple[str, ...] = ()
    city: str = ""
    age: int | None = None
    phone_last4: str = ""

    @property
    def details(self) -> list[str]:
        """Return the details in reading order: id, affiliates, city, age, phone."""
        return [f"#{self.person_id}", *self.affiliates, *self.personal_details[1:]]

    @property
    def personal_details(self) -> list[str]:
        """Return the details but the affiliates (for a list that shows them in a column)."""
        parts = [f"#{self.person_id}"]
        if self.city:
            parts.append(self.city)
        if self.age is not None:
            parts.append(f"age {self.age}")
        if self.phone_last4:
            parts.append(f"phone …{self.phone_last4}")
        return parts

    @property
    def text(self) -> str:
        """Return the label as one line, for a button's accessible name or a message."""
        return f"{self.name} ({', '.join(self.details)})"

    def __str__(self) -> str:
        return self.text


def labelled[P: Person](actor: Actor, people) -> list[P]:
    """Return *people* as a list, each with `.label` set for *actor*.

    Three queries whatever the number of people (memberships, phones, addresses), each with
    the source the visibility rule needs, and one more for a member leader.
    """
    people = list(people)
    if not people:
        return people
    prefetch_related_objects(
        people,
        Prefetch(
            "affiliate_memberships",
            queryset=AffiliateMembership.objects.select_related("affiliate"),
        ),
        Prefetch("phones", queryset=PhoneNumber.objects.select_related("source")),
        Prefetch("addresses", queryset=PostalAddress.objects.select_related("source")),
    )
    today = timezone.localdate()
    openable = _openable(actor, [person.pk for person in people])
    for person in people:
        person.label = (
            label_of(actor, person, today=today)
            if person.pk in openable
            else PersonLabel(person_id=person.pk, name=person.display_name)
        )
    return people


def _openable(actor: Actor, person_ids: list[int]) -> set[int]:
    """Return those of *person_ids* whose record *actor* may open (`people.queries.people`).

    Only a member leader's reach is narrower than what the searches find, so only theirs
    costs a query.
    """
    if not actor.can("people.view"):
        return set()
    if actor.role != Role.LEADER:
        return set(person_ids)
    from powerbase.people import queries  # queries' search labels its results too

    return set(queries.people(actor).filter(pk__in=person_ids).values_list("pk", flat=True))


def label_of(actor: Actor, person: Person, *, today: date | None = None) -> PersonLabel:
    """Return *person*'s label for *actor* (memberships, phones and addresses prefetched)."""
    seen = access.person_visibility(actor, person)
    memberships = [m for m in person.affiliate_memberships.all() if seen.shows_membership(m)]
    affiliates = tuple(_membership_words(m) for m in memberships)
    if not affiliates and person.is_direct_member:
        affiliates = ("direct member",)
    phone = next((p for p in person.phones.all() if seen.shows_contact(p)), None)
    city = next((a.city for a in person.addresses.all() if a.city and seen.shows_contact(a)), "")
    return PersonLabel(
        person_id=person.pk,
        name=person.display_name,
        affiliates=affiliates,
        city=city,
        age=_age(person.birth_date, today or timezone.localdate()),
        phone_last4=phone.e164[-4:] if phone else "",
    )


def _membership_words(membership: AffiliateMembership) -> str:
    if membership.role == AffiliateMembership.Role.MEMBER:
        return membership.affiliate.name
    return f"{membership.affiliate.name} ({membership.get_role_display().lower()})"


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
