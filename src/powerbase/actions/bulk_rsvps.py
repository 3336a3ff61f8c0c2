"""Who a bulk RSVP would sign up: from a saved list, an affiliate's members, or a paste.

Reading only: the plan is shown as a preview, and `services.record_rsvps_in_bulk` writes it
once the organizer confirms. A paste with any line that names nobody (or several people) is
refused whole, each such line reported by its number, so nothing is signed up by half.
"""

import re
from dataclasses import dataclass, field

from django import forms as django_forms
from django.db.models import Exists, OuterRef

from powerbase.actions.forms import e164
from powerbase.actions.models import Action, Rsvp
from powerbase.actions.services import BULK_RSVP_LIMIT
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.coalition.visibility import contact_facts_filter
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput
from powerbase.people import queries as people_queries
from powerbase.people.models import EmailAddress, Person, PhoneNumber, SavedList

PREVIEW_SHOWN = 50
# "#1234", or a bare number too short to be a phone number, is a person's number.
_PERSON_NUMBER = re.compile(r"#?\s*(\d{1,6})|#\s*(\d{1,12})")


@dataclass
class Plan:
    """The people a bulk RSVP would sign up, and the pasted lines that name nobody."""

    how: str
    people: list[Person] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    already: int = 0
    affiliate: Affiliate | None = None

    @property
    def new(self) -> int:
        return len(self.people) - self.already

    @property
    def shown(self) -> list[Person]:
        return self.people[:PREVIEW_SHOWN]

    @property
    def not_shown(self) -> int:
        return max(0, len(self.people) - PREVIEW_SHOWN)


def from_saved_list(actor: Actor, action: Action, list_id: int) -> Plan:
    """Return everyone the saved list *list_id* finds today (its filters, run again)."""
    saved = access.get(actor, people_queries.saved_lists(actor), pk=list_id)
    found = people_queries.search(actor, people_queries.filter_of(saved))
    return _plan(actor, action, f"saved list “{saved.name}”", _capped(found))


def from_affiliate(actor: Actor, action: Action, affiliate_id: int) -> Plan:
    """Return the current members of an affiliate the actor may see, credited to it."""
    affiliate = access.get(actor, Affiliate.objects.all(), pk=affiliate_id)
    members = AffiliateMembership.objects.current().filter(
        person=OuterRef("pk"), affiliate=affiliate
    )
    found = (
        people_queries.people(actor)
        .filter(Exists(members))
        .order_by("family_key", "given_key", "id")
    )
    plan = _plan(actor, action, f"members of {affiliate.name}", _capped(found))
    plan.affiliate = affiliate
    return plan


def from_paste(actor: Actor, action: Action, text: str) -> Plan:
    """Return the people a pasted list names, one per line: an email, a phone or a #number.

    Every line that names nobody the actor may see, or names several people, is a problem
    reported by its line number; blank lines are skipped; a person named twice counts once.
    """
    lines = [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip().strip(",;")
    ]
    if not lines:
        raise InvalidInput(
            "Paste at least one email address, phone number or #number, one per line."
        )
    wanted, problems = _parse(lines)
    visible = people_queries.people(actor)
    numbers = [value for _, value in wanted.values() if isinstance(value, int)]
    by_id = {p.pk: p for p in visible.filter(pk__in=numbers)}
    owners = _owners(actor, visible, wanted)
    chosen: dict[int, Person] = {}
    for number, (kind, value) in wanted.items():
        line = dict(lines)[number]
        if isinstance(value, int):  # a #number
            person = by_id.get(value)
            if person is None:
                problems.append(
                    f"Line {number}: there is nobody with the number #{value} that you can see."
                )
                continue
            chosen.setdefault(person.pk, person)
            continue
        matches = owners.get((kind, value), {})
        if not matches:
            problems.append(
                f"Line {number}: “{line}” matches nobody you can see. Check it, "
                "or use the person's #number."
            )
        elif len(matches) > 1:
            ids = ", ".join(f"#{pk}" for pk in sorted(matches))
            problems.append(
                f"Line {number}: “{line}” belongs to {len(matches)} people "
                f"({ids}); use the #number of the one you mean."
            )
        else:
            person = next(iter(matches.values()))
            chosen.setdefault(person.pk, person)
    problems.sort(key=lambda problem: int(problem.split(":")[0].removeprefix("Line ")))
    plan = _plan(actor, action, f"pasted list of {len(lines)} lines", list(chosen.values()))
    plan.problems = problems
    return plan


def _parse(lines: list[tuple[int, str]]) -> tuple[dict[int, tuple[str, int | str]], list[str]]:
    """Return {line number: (kind, value)} for lines that read as a contact or a number: a
    #number is ("id", int), an email or a phone ("email" or "phone", str)."""
    wanted: dict[int, tuple[str, int | str]] = {}
    problems: list[str] = []
    for number, line in lines:
        text = line.strip(" ,;\t")
        person_number = _PERSON_NUMBER.fullmatch(text)
        if person_number:
            wanted[number] = ("id", int(person_number.group(1) or person_number.group(2)))
        elif "@" in text:
            wanted[number] = ("email", text.lower())
        else:
            try:
                wanted[number] = ("phone", e164(text))
            except django_forms.ValidationError:
                problems.append(
                    f"Line {number}: “{line}” is not an email address, a phone number or a #number."
                )
    return wanted, problems


def _owners(actor: Actor, visible, wanted) -> dict[tuple[str, str], dict[int, Person]]:
    """Return who holds each pasted email and phone, through facts the actor may see."""
    emails = [value for kind, value in wanted.values() if kind == "email"]
    phones = [value for kind, value in wanted.values() if kind == "phone"]
    owners: dict[tuple[str, str], dict[int, Person]] = {}
    facts = []
    if emails:
        facts += [
            ("email", fact.address, fact.person)
            for fact in access.scoped(
                actor, EmailAddress.objects.filter(address__in=emails, person__in=visible)
            )
            .filter(contact_facts_filter(actor))
            .select_related("person")
        ]
    if phones:
        facts += [
            ("phone", fact.e164, fact.person)
            for fact in access.scoped(
                actor, PhoneNumber.objects.filter(e164__in=phones, person__in=visible)
            )
            .filter(contact_facts_filter(actor))
            .select_related("person")
        ]
    for kind, value, person in facts:
        owners.setdefault((kind, value), {})[person.pk] = person
    return owners


def _capped(found) -> list[Person]:
    """Return *found* as a list, refusing (before loading anyone) more than a bulk RSVP takes."""
    count = found.count()
    if count > BULK_RSVP_LIMIT:
        raise InvalidInput(
            f"That is {count} people; sign up at most {BULK_RSVP_LIMIT} at a "
            "time (narrow the list first)."
        )
    return list(found)


def _plan(actor: Actor, action: Action, how: str, people: list[Person]) -> Plan:
    already = access.scoped(
        actor, Rsvp.objects.filter(action=action, person_id__in=[person.pk for person in people])
    ).count()
    return Plan(how=how, people=people, already=already)


def saved_list_choices(actor: Actor) -> list[SavedList]:
    return list(people_queries.saved_lists(actor)) if not actor.is_affiliate_scoped else []
