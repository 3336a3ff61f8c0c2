"""Who a message may reach: the audience it names, narrowed to those we may write to.

    people = audiences.people_in(actor, "saved_list", 7)       # the audience, as actor sees it
    pairs = audiences.addresses(actor, people, "email")         # [(person_id, address)]

A person is written to only when all of these hold:
- they agreed to that channel (`Consent`, granted), and are not "do not contact" or merged;
- every affiliate they are an active member of lets the IPO use that channel
  (`AffiliateTerms`), unless they are also a direct member of the IPO itself;
- they have an address for the channel (the primary one first).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from powerbase.actions.models import Action, Attendance, Rsvp
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput
from powerbase.field.models import Door, Universe
from powerbase.messaging.models import AffiliateTerms, Channel, Consent, Message
from powerbase.people import queries as people_queries
from powerbase.people.models import EmailAddress, Person, PhoneNumber, SavedList

Audience = Message.Audience


def people_in(actor: Actor, audience: str, audience_id: int) -> QuerySet[Person]:
    """Return the people of an audience that *actor* may see (NotFound for one out of reach)."""
    base = access.scoped(actor, Person.objects.unmerged())
    if audience == Audience.SAVED_LIST:
        saved = access.get(actor, SavedList, pk=audience_id)
        return people_queries.search(actor, people_queries.filter_of(saved)).order_by()
    if audience == Audience.UNIVERSE:
        universe = access.get(actor, Universe, pk=audience_id)
        return base.filter(pk__in=_universe_members(universe))
    if audience in (Audience.ACTION_RSVPS, Audience.ABSENT):
        action = access.get(actor, Action, pk=audience_id)
        rsvps = access.scoped(actor, Rsvp.objects.filter(action=action))
        if audience == Audience.ABSENT:
            came = Attendance.objects.filter(action=action, person=OuterRef("person"))
            rsvps = rsvps.exclude(Exists(came))
        return base.filter(pk__in=rsvps.values("person_id"))
    if audience == Audience.AFFILIATE:
        affiliate = access.get(actor, Affiliate, pk=audience_id)
        members = AffiliateMembership.objects.current().filter(affiliate=affiliate)
        return base.filter(pk__in=members.values("person_id"))
    if audience == Audience.PERSON:
        return base.filter(pk=audience_id)
    raise InvalidInput(f"{audience!r} is not an audience.", field="audience")


def _universe_members(universe: Universe) -> list[int]:
    """The members of the base among a universe's voters, as its turfs list them."""
    doors = Door.objects.filter(turf__universe=universe).values_list("voters", flat=True)
    return sorted(
        {voter["person_id"] for voters in doors for voter in voters or [] if voter.get("person_id")}
    )


def reachable(people: QuerySet[Person], channel: str) -> QuerySet[Person]:
    """Narrow *people* to those who consented to *channel* and whose affiliates allow it."""
    consented = Consent.objects.filter(
        person=OuterRef("pk"), channel=channel, status=Consent.Status.GRANTED
    )
    terms_field = "may_email" if channel == Channel.EMAIL else "may_text"
    allowing = AffiliateTerms.objects.filter(**{terms_field: True}).values("affiliate_id")
    forbidding = AffiliateMembership.objects.current().filter(person=OuterRef("pk"))
    forbidding = forbidding.exclude(affiliate_id__in=allowing)
    return (
        people.filter(Exists(consented))
        .exclude(status=Person.Status.DO_NOT_CONTACT)
        .filter(Q(is_direct_member=True) | ~Exists(forbidding))
    )


def addresses(people: QuerySet[Person], channel: str) -> list[tuple[int, str]]:
    """Return (person id, address) for each reachable person with an address, one each."""
    ids = reachable(people, channel).values("pk")
    order = ("person_id", "-is_primary", "id")
    values = (
        EmailAddress.objects.filter(person_id__in=ids)
        .order_by(*order)
        .values_list("person_id", "address")
        if channel == Channel.EMAIL
        else PhoneNumber.objects.filter(person_id__in=ids)
        .order_by(*order)
        .values_list("person_id", "e164")
    )
    chosen: dict[int, str] = {}
    for person_id, address in values.iterator(chunk_size=5000):
        chosen.setdefault(person_id, address)
    return list(chosen.items())
