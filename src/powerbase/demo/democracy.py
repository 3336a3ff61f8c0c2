"""The democracy demo: decisions taken together, counted by the engine anyone can audit.

A steering-committee election (5 seats by STV, 12 candidates), an endorsement weighted by
affiliate, a platform proposal decided at an assembly with quorum, and one vote left open to
try. Ballots are cast through the same services voters use.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core.access import Actor, actor_for
from powerbase.core.models import Organization, User
from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES
from powerbase.democracy import electorates
from powerbase.democracy import services as democracy
from powerbase.democracy.models import Delegate, Electorate
from powerbase.people import services as people
from powerbase.people.models import Source

# Democracy ----------------------------------------------------------------------------------
# A steering-committee election (5 seats by STV, 12 candidates), an endorsement weighted by
# affiliate, a platform proposal decided at an assembly with quorum, and one vote left open to
# try. It works on whoever is in the organization, adding fictional members if there are fewer
# than DEMO_MIN_MEMBERS, and casts ballots through the same services voters use.

DEMO_MIN_MEMBERS = 60
DEMO_MAX_BALLOTS = 150
PLATFORM_TEXT = (
    "1. Homes: rent stabilization statewide and a public option for social housing.\n"
    "2. Care: a living wage for home care workers, paid by the state that funds their care.\n"
    "3. Schools: fully funded public schools in every town, starting with the poorest.\n"
    "4. Transit: fare-free buses in every city by 2029."
)


def load_democracy_demo(organization: Organization) -> dict:
    """Run the demo's votes in *organization* (fictional, seeded, repeatable); once only."""
    from powerbase.democracy.models import Vote

    if Vote.objects.filter(
        organization=organization, title="Steering Committee election 2027"
    ).exists():
        return {"status": "already loaded"}
    with transaction.atomic():
        return _load_democracy_demo(organization)


def _load_democracy_demo(organization: Organization) -> dict:
    rng = random.Random(2027)
    actor = actor_for(User.objects.get(email="organizer@nutmeg.example"), organization.slug)
    affiliates = list(Affiliate.objects.filter(organization=organization, status="member"))
    _demo_members(actor, affiliates, rng)
    members = list(electorates.members_in_good_standing(organization).order_by("id"))
    delegates = _demo_delegates(actor, affiliates)
    everyone = democracy.create_electorate(
        actor=actor, name="All members in good standing", kind=Electorate.Kind.MEMBERS
    )
    return {
        "steering_committee": _demo_steering_election(actor, everyone, members, rng),
        "endorsement": _demo_endorsement(actor, rng),
        "platform": _demo_platform_assembly(actor, delegates, rng),
        "open_vote": _demo_open_vote(actor, everyone, rng),
    }


def _demo_members(actor: Actor, affiliates: list, rng) -> None:
    """Add fictional members until the organization has enough to vote meaningfully."""
    organization = actor.organization
    missing = DEMO_MIN_MEMBERS - electorates.members_in_good_standing(organization).count()
    if missing <= 0:
        return
    source = people.create_source(
        organization=organization, kind=Source.Kind.DEMO, label="Demo members (fictional)"
    )
    for n in range(missing):
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        handle = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
        # Every seventh joins the organization directly; the others through an affiliate.
        people.create_person(
            actor=actor,
            details=people.PersonDetails(given_name=given, family_name=family),
            email=f"{handle}{n}@example.org",
            affiliate=affiliates[n % len(affiliates)] if affiliates and n % 7 else None,
            source=source,
        )


def _demo_delegates(actor, affiliates: list) -> list:
    """Appoint two delegates and an alternate for each affiliate, from its members."""
    appointed = []
    for affiliate in affiliates:
        people = [
            m.person
            for m in AffiliateMembership.objects.filter(affiliate=affiliate, status="active")
            .select_related("person")
            .order_by("id")[:3]
        ]
        for order, person in enumerate(people[:2], start=1):
            appointed.append(
                democracy.appoint_delegate(
                    actor=actor, affiliate=affiliate, person=person, order=order
                )
            )
        if len(people) == 3:
            democracy.appoint_delegate(
                actor=actor, affiliate=affiliate, person=people[2], role=Delegate.Role.ALTERNATE
            )
    return appointed


def _demo_cast(actor, vote, choose, rng, turnout: float = 0.85) -> None:
    """Cast ballots with most of the roll, as voters would: at an assembly with the slips
    printed for those checked in, otherwise with each voter's own emailed link."""
    if vote.in_person:
        slips = democracy.issue_printed_codes(actor=actor, vote=vote)
        ballots = [(code, None) for code, _weight in slips.codes]
        rng.shuffle(ballots)
        voting = ballots[: _ballots_cast(len(ballots), turnout)]
    else:
        rights = list(vote.eligibilities.select_related("affiliate").order_by("id"))
        rng.shuffle(rights)
        # A link only for those who vote: minting one per right took an hour for a roll of
        # every member (45,000) on PostgreSQL, to cast 150 ballots.
        voting = [
            (democracy.mint_link(vote, right), right)
            for right in rights[: _ballots_cast(len(rights), turnout)]
        ]
    for code, right in voting:
        democracy.cast_ballot(code=code, marks=choose(right))


def _ballots_cast(roll: int, turnout: float) -> int:
    return max(1, min(DEMO_MAX_BALLOTS, round(roll * turnout)))


def _demo_decide(actor, vote) -> str:

    democracy.close_vote(actor=actor, vote=vote)
    democracy.count_vote(actor=actor, vote=vote)
    return democracy.publish_results(actor=actor, vote=vote).summary


def _demo_steering_election(actor, everyone, members: list, rng) -> str:
    body = democracy.create_body(
        actor=actor,
        name="Steering Committee",
        description="Governs between assemblies (fictional).",
    )
    seats = [
        democracy.add_seat(actor=actor, body=body, title=f"At-large seat {n}") for n in range(1, 6)
    ]
    vote = democracy.create_vote(
        actor=actor,
        title="Steering Committee election 2027",
        method="stv",
        seats=5,
        electorate=everyone,
        question="Elect five members to the Steering Committee.",
        options={"tiebreak": "random:2027"},
    )
    names: dict = {}
    for person in rng.sample(members, len(members)):
        names.setdefault(person.display_name, person)  # twelve different names on the ballot
        if len(names) == 12:
            break
    for name, person in names.items():
        democracy.add_candidate(actor=actor, vote=vote, name=name, person=person)
    vote = democracy.open_vote(actor=actor, vote=vote)
    slates = [list(names)[:6], list(names)[6:]]

    def choose(_right):
        slate = rng.choice(slates) if rng.random() < 0.7 else list(names)
        ranking = rng.sample(slate, rng.randint(2, len(slate)))
        return [[name] for name in ranking]

    _demo_cast(actor, vote, choose, rng)
    summary = _demo_decide(actor, vote)
    vote.refresh_from_db()
    for seat, winner in zip(seats, vote.result.winners, strict=True):
        democracy.set_seat_holder(actor=actor, seat=seat, holder=names[winner])
    return summary


def _demo_endorsement(actor, rng) -> str:
    blocs = democracy.create_electorate(
        actor=actor, name="Affiliates weighted by membership", kind=Electorate.Kind.AFFILIATE_BLOCS
    )
    democracy.weights_from_membership(actor=actor, electorate=blocs)
    endorsement = democracy.create_endorsement_vote(
        actor=actor,
        endorsee="Jordan Reyes-Whitfield (fictional)",
        office="State Senate, District 10",
        electorate=blocs,
        required="60%",
        share_of="electorate",
    )
    vote = democracy.open_vote(actor=actor, vote=endorsement.vote)
    # The student affiliate's delegates vote no; the other blocs carry it past 60%.
    _demo_cast(
        actor,
        vote,
        lambda right: [["no" if right.affiliate.kind == "student" else "yes"]],
        rng,
        turnout=1.0,
    )
    return _demo_decide(actor, vote)


def _demo_platform_assembly(actor, delegates: list, rng) -> str:
    delegate_electorate = democracy.create_electorate(
        actor=actor, name="Delegates of member affiliates", kind=Electorate.Kind.DELEGATES
    )
    assembly = democracy.create_assembly(
        actor=actor,
        title="Spring Delegates Assembly 2027 (fictional)",
        starts_at=timezone.now() - timedelta(days=2),
        location="Union Hall, Hartford",
        electorate=delegate_electorate,
        quorum=democracy.QuorumRule(percent=Decimal(50), min_affiliates=3),
    )
    proposal = democracy.create_proposal(
        actor=actor, title="2027 People's Platform", text=PLATFORM_TEXT, assembly=assembly
    )
    democracy.add_agenda_item(actor=actor, assembly=assembly, title="Roll call and quorum")
    democracy.add_agenda_item(
        actor=actor, assembly=assembly, title="Adopt the 2027 platform", proposal=proposal
    )
    democracy.move_proposal(actor=actor, proposal=proposal, status="deliberation")
    democracy.add_comment(
        actor=actor,
        proposal=proposal,
        body="Our members ride the bus to work: fare-free transit belongs here.",
    )
    amendment = democracy.move_amendment(
        actor=actor,
        proposal=proposal,
        summary="Add a right to organize",
        text=PLATFORM_TEXT + "\n5. Work: the right to organize a union without retaliation.",
    )
    democracy.decide_amendment(actor=actor, amendment=amendment, accept=True)
    democracy.set_assembly_status(actor=actor, assembly=assembly, status="in_session")
    for delegate in delegates[: max(1, len(delegates) - 2)]:
        democracy.check_in(actor=actor, assembly=assembly, person=delegate.person)
    vote = democracy.put_to_vote(
        actor=actor, proposal=proposal, electorate=delegate_electorate, required="two-thirds"
    )
    vote = democracy.open_vote(actor=actor, vote=vote)
    _demo_cast(
        actor, vote, lambda _slip: [["no" if rng.random() < 0.2 else "yes"]], rng, turnout=0.9
    )
    summary = _demo_decide(actor, vote)
    democracy.save_minutes(
        actor=actor,
        assembly=assembly,
        minutes=(
            "Called to order with quorum. The platform was debated and amended to add the right "
            f"to organize, then put to a vote. {summary}"
        ),
    )
    democracy.set_assembly_status(actor=actor, assembly=assembly, status="adjourned")
    return summary


def _demo_open_vote(actor, everyone, rng) -> str:
    """Leave a remote vote open, so the demo shows turnout and can email voting links."""
    vote = democracy.create_vote(
        actor=actor,
        title="Name the fall campaign",
        method="irv",
        electorate=everyone,
        question="Rank the names you like.",
    )
    for name in ["Homes Before Profits", "Care Can't Wait", "Our Towns, Our Say"]:
        democracy.add_candidate(actor=actor, vote=vote, name=name)
    vote = democracy.open_vote(actor=actor, vote=vote)
    _demo_cast(
        actor,
        vote,
        lambda _right: [
            [name]
            for name in rng.sample(
                ["Homes Before Profits", "Care Can't Wait", "Our Towns, Our Say"], 2
            )
        ],
        rng,
        turnout=0.3,
    )
    return "open"
