"""Read queries of the democracy app, always through `access` (except the voters' public
pages, which are reached by a voting code or a published vote's unguessable id)."""

import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput, NotFound
from powerbase.democracy import ballot_sets, codes, electorates
from powerbase.democracy.models import (
    Assembly,
    AssemblyAttendance,
    CastBallot,
    Decision,
    Delegate,
    Electorate,
    Eligibility,
    GoverningBody,
    Proposal,
    Seat,
    Vote,
)
from powerbase.people import queries as people_queries
from powerbase.people.models import Person
from powerbase.people.queries import name_condition
from powerbase.people.timeline import Event, at_day

VIEW = "democracy.view"
MANAGE = "democracy.manage"


def votes(actor: Actor) -> QuerySet[Vote]:
    """Return the votes *actor* may see (an affiliate lead: those their affiliate is in)."""
    access.require(actor, VIEW)
    return access.scoped(actor, Vote.objects.select_related("electorate"))


def vote(actor: Actor, vote_id: int) -> Vote:
    return access.get(actor, votes(actor).select_related("assembly", "proposal"), pk=vote_id)


@dataclass(frozen=True)
class Turnout:
    voted: int
    eligible: int

    @property
    def percent(self) -> int:
        return round(100 * self.voted / self.eligible) if self.eligible else 0


def turnout(actor: Actor, found: Vote) -> Turnout:
    """Return how many of the roll *actor* may see have voted (an affiliate lead: their own)."""
    rights = access.scoped(actor, Eligibility.objects.filter(vote=found))
    # A right has at most one participation: only an affiliate lead's scope (joins through
    # memberships) can repeat a row, so only there is DISTINCT (a sort of the roll) needed.
    distinct = actor.is_affiliate_scoped
    counts = rights.aggregate(
        eligible=Count("id", distinct=distinct), voted=Count("participation", distinct=distinct)
    )
    return Turnout(voted=counts["voted"], eligible=counts["eligible"])


def roll(actor: Actor, found: Vote, search: str = "") -> QuerySet[Eligibility]:
    """Return the voter roll of *found*: who may vote, through whom, and whether they have."""
    access.require(actor, MANAGE)
    rights = (
        access.scoped(actor, Eligibility.objects.filter(vote=found))
        .select_related("person", "holder", "affiliate", "participation")
        .order_by("person__family_key", "person__given_key", "affiliate__name", "id")
    )
    if search.strip():
        ids = (
            Person.objects.filter(organization=actor.organization)
            .filter(name_condition(search))
            .values("id")
        )
        rights = rights.filter(
            Q(person_id__in=ids)
            | Q(holder_id__in=ids)
            | Q(affiliate__name__istartswith=search.strip())
        )
    return rights


def eligibility(actor: Actor, found: Vote, eligibility_id: int) -> Eligibility:
    return access.get(actor, Eligibility.objects.filter(vote=found), pk=eligibility_id)


def electorate_list(actor: Actor) -> QuerySet[Electorate]:
    access.require(actor, VIEW)
    return access.scoped(
        actor, Electorate.objects.select_related("governing_body").prefetch_related("affiliates")
    )


def electorate(actor: Actor, electorate_id: int) -> Electorate:
    return access.get(actor, electorate_list(actor), pk=electorate_id)


def electorate_today(found: Electorate) -> tuple[int, str, list[electorates.Suspension]]:
    """Return how many rights the rule gives today, or 0 and why it cannot be worked out, and
    the affiliates whose rights are suspended for their dues."""
    try:
        size, suspended = electorates.size_and_suspensions(found)
    except InvalidInput as error:
        return 0, error.message, []
    return size, "", suspended


def bodies(actor: Actor) -> QuerySet[GoverningBody]:
    access.require(actor, VIEW)
    seats = Seat.objects.select_related("holder", "affiliate")
    return access.scoped(
        actor, GoverningBody.objects.prefetch_related(Prefetch("seats", queryset=seats))
    )


def body(actor: Actor, body_id: int) -> GoverningBody:
    return access.get(actor, bodies(actor), pk=body_id)


def seat(actor: Actor, seat_id: int) -> Seat:
    access.require(actor, VIEW)
    return access.get(actor, Seat.objects.select_related("body", "holder"), pk=seat_id)


def delegates(actor: Actor) -> QuerySet[Delegate]:
    access.require(actor, VIEW)
    return access.scoped(actor, Delegate.objects.select_related("affiliate", "person"))


def assemblies(actor: Actor) -> QuerySet[Assembly]:
    access.require(actor, VIEW)
    return access.scoped(actor, Assembly.objects.select_related("electorate"))


def assembly(actor: Actor, assembly_id: int) -> Assembly:
    return access.get(actor, assemblies(actor), pk=assembly_id)


@dataclass(frozen=True)
class Attendee:
    person: Person
    role: str
    guest: bool


def attendance(found: Assembly) -> list[Attendee]:
    """Return who has checked in at *found*, each with their affiliate and seat or role."""
    roster = electorates.assembly_roster(found)
    names = _affiliate_names(found)
    return [
        Attendee(a.person, _role_words(roster, names, a), a.guest)
        for a in found.attendances.select_related("person")
    ]


def attendee_line(found: Assembly, attendance: AssemblyAttendance) -> str:
    """Return e.g. 'Ana Reyes (Tenant Union, delegate)'."""
    words = _role_words(electorates.assembly_roster(found), _affiliate_names(found), attendance)
    return f"{attendance.person} ({words})"


def _affiliate_names(found: Assembly) -> dict[int, str]:
    return dict(Affiliate.objects.filter(organization=found.organization).values_list("id", "name"))


def _role_words(roster: dict, names: dict[int, str], attendance: AssemblyAttendance) -> str:
    line = roster.get(attendance.person_id)
    if attendance.guest or line is None:
        return "guest: no vote, not counted for quorum"
    return line.describe(names)


def find_attendee(actor: Actor, found: Assembly, text: str) -> Person:
    """Return the person *text* names, looking first among *found*'s roster (its delegates,
    members or seat holders, alternates and proxy holders), then in the whole base.

    A name that fits several people on the roster lists them with affiliate and role.
    """
    text = text.strip()
    if text.lstrip("#").isdigit():
        return find_person(actor, text)
    roster = electorates.assembly_roster(found)
    on_roster = people_queries.people(actor).filter(pk__in=list(roster))
    matches = list(on_roster.filter(people_queries.matching(actor, text)).distinct()[:6])
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = _affiliate_names(found)
        listed = "; ".join(
            f"{p.display_name} ({roster[p.pk].describe(names)}, #{p.pk})" for p in matches[:5]
        )
        raise InvalidInput(
            f"Several people on the roster match '{text}': {listed}. Type more "
            "of the name, or the number after #."
        )
    return find_person(actor, text)


def proposals(actor: Actor) -> QuerySet[Proposal]:
    access.require(actor, VIEW)
    return access.scoped(actor, Proposal.objects.select_related("assembly"))


def proposal(actor: Actor, proposal_id: int) -> Proposal:
    return access.get(actor, proposals(actor), pk=proposal_id)


def decisions(actor: Actor) -> QuerySet[Decision]:
    access.require(actor, VIEW)
    return access.scoped(actor, Decision.objects.select_related("vote", "assembly"))


def find_person(actor: Actor, text: str) -> Person:
    """Return the one person *text* names: '#12', a number, or the start of a name.

    Raise InvalidInput listing a few matches when the name fits several people.
    """
    found = people_queries.people(actor)
    text = text.strip()
    if text.lstrip("#").isdigit():
        person = found.filter(pk=int(text.lstrip("#"))).first()
        if person is None:
            raise InvalidInput(f"There is nobody with the number {text} that you can see.")
        return person
    matches = list(found.filter(people_queries.matching(actor, text)).distinct()[:6])
    if not matches:
        raise InvalidInput(f"Nobody's name starts with '{text}'. Check the spelling.")
    if len(matches) > 1:
        listed = ", ".join(f"{p.display_name} (#{p.pk})" for p in matches[:5])
        raise InvalidInput(
            f"Several people match '{text}': {listed}. Type more of the name, or "
            "the number after # to choose one."
        )
    return matches[0]


# The voters' public pages ------------------------------------------------------------------


def published_vote(public_id: str) -> Vote:
    """Return the vote whose results are published under *public_id*, or raise NotFound."""
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise NotFound("Those results") from None
    found = (
        Vote.objects.select_related("organization", "result")
        .filter(public_id=key, status=Vote.Status.PUBLISHED)
        .first()
    )
    if found is None:
        raise NotFound("Those results")
    return found


def ballot_with_receipt(found: Vote, receipt: str) -> CastBallot | None:
    """Return the published ballot carrying *receipt*, if any."""
    return CastBallot.objects.filter(vote=found, receipt=codes.normalize(receipt)).first()


def results_context(found: Vote) -> dict:
    """Return what a results page shows of a counted vote."""
    result = found.result
    record = result.record
    details = record.get("details", {})
    context = {
        "result": result,
        "record": record,
        "table": ballot_sets.round_table(record),
        "details": details,
        "is_question": found.is_question,
        "passes": [ballot_sets.round_table(p) for p in record.get("passes", [])],
        "tiebreaks": ballot_sets.tiebreak_sentences(record),
        "tiebreak_rule": "ballot order"
        if ballot_sets.options(found)["tiebreak"] == ballot_sets.OPTION_DEFAULTS["tiebreak"]
        else "a seeded draw",
    }
    if "pairwise" in details:
        ranking = details["ranking"]
        context["pairwise_rows"] = [
            (
                row,
                [
                    (column, "—" if row == column else details["pairwise"][row][column])
                    for column in ranking
                ],
            )
            for row in ranking
        ]
    return context


# The person's story ------------------------------------------------------------------------


def events_for_person(
    actor: Actor, person: Person, seen, *, kinds: frozenset[str], limit: int
) -> list[Event]:
    """Return the assemblies *person* attended and the affiliates that appointed them delegate.

    Read through `access.scoped`: assemblies have no affiliate path, so an affiliate lead sees
    no attendance there, and only their own affiliate's appointments.
    """
    if "assembly" not in kinds or not actor.can("democracy.view"):
        return []
    attended = (
        access.scoped(actor, AssemblyAttendance.objects.filter(person=person))
        .select_related("assembly")
        .order_by("-checked_in_at", "-id")[:limit]
    )
    events = [
        Event(
            at=attendance.checked_in_at,
            kind="assembly",
            title=f"Attended the assembly {attendance.assembly.title}"
            f"{' as a guest' if attendance.guest else ''}",
            url=reverse(
                "democracy:assembly",
                kwargs={"org": actor.organization.slug, "assembly_id": attendance.assembly_id},
            ),
        )
        for attendance in attended
    ]
    appointed = (
        access.scoped(actor, Delegate.objects.filter(person=person))
        .select_related("affiliate")
        .order_by("-appointed_on", "-id")[:limit]
    )
    events += [
        Event(
            at=at_day(delegate.appointed_on),
            kind="assembly",
            title=f"Appointed {delegate.get_role_display().lower()} for {delegate.affiliate.name}",
        )
        for delegate in appointed
    ]
    return events
