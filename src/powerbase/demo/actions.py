"""The actions demo: a campaign of five fictional actions run as structure tests.

Commitments by affiliates and leaders, and attendance that shows some affiliates growing
and some falling short, on whatever affiliates and people the demo organization has.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from powerbase.actions import ladder, services
from powerbase.actions.models import Action, Campaign
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.models import Organization, User
from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES
from powerbase.people import services as people
from powerbase.people.models import Source

# A campaign of five actions as structure tests ----------------------------------------------

DEMO_CAMPAIGN = "Freeze the Rent (fictional)"
DEMO_ACTIONS = [
    # (title, kind, days ago)
    ("Kickoff assembly at the Hall of Records", "assembly", 70),
    ("Canvass the Hill neighborhood", "canvass", 56),
    ("Packed hearing on the rent-freeze bill", "hearing", 42),
    ("March on the Capitol", "march", 28),
    ("Accountability session with the Speaker", "accountability", 14),
]
# How each affiliate's turnout moves across the five actions, as a share of its commitment:
# some grow into the campaign, some fall short, one holds steady.
TRAJECTORIES = [
    [0.6, 0.8, 1.0, 1.2, 1.4],
    [1.0, 0.9, 0.7, 0.6, 0.5],
    [0.8, 1.0, 1.1, 1.3, 1.5],
    [0.9, 0.7, 0.6, 0.5, 0.4],
    [1.0, 1.0, 1.0, 1.1, 1.0],
    [0.5, 0.7, 0.9, 1.0, 1.2],
]
DEMO_AFFILIATES_IN_CAMPAIGN = 8
LEADER_COMMITMENT = 5  # each affiliate's two leaders commit to bring this many each


def load_actions_demo(organization: Organization) -> dict:
    """Add a campaign of five held structure tests and one upcoming public action.

    Works on whatever affiliates and people the demo organization has (the rosters grow it to
    tens of thousands through imports): it takes up to eight affiliates, their members as
    attendees and two of each as leaders, and adds fictional members only where an affiliate
    has too few. Safe to run twice.
    """
    if Campaign.objects.filter(organization=organization, name=DEMO_CAMPAIGN).exists():
        return {"status": "already loaded"}
    with transaction.atomic():
        return _load_actions_demo(organization)


def _load_actions_demo(organization: Organization) -> dict:
    rng = random.Random(4)
    # Everything goes through the services an organizer and a leader use; the turnout
    # history through their variants for what is recorded after the fact, dated in the past.
    acting = access.actor_for(User.objects.get(email="organizer@nutmeg.example"), organization.slug)
    campaign = services.create_campaign(
        actor=acting,
        name=DEMO_CAMPAIGN,
        goal="Pass a one-year rent freeze for every tenant in the state (fictional).",
        demands="A one-year rent freeze\nA public registry of landlords\nRight to counsel in "
        "eviction court",
        targets="Speaker of the House (fictional)\nHousing Committee chairs (fictional)",
        starts_on=timezone.localdate() - timedelta(weeks=11),
    )
    affiliates = list(
        Affiliate.objects.filter(organization=organization).order_by("id")[
            :DEMO_AFFILIATES_IN_CAMPAIGN
        ]
    )
    crews: dict[int, list] = {}
    taken: set[int] = set()  # someone on two rosters comes with one affiliate, not both
    for affiliate in affiliates:
        crews[affiliate.pk] = _demo_crew(acting, affiliate, rng, taken)
        taken |= {person.pk for person in crews[affiliate.pk]}
    now = timezone.now()
    for step, (title, kind, days_ago) in enumerate(DEMO_ACTIONS):
        action = services.create_action(
            actor=acting,
            campaign=campaign,
            title=f"{title} (fictional)",
            kind=kind,
            starts_at=(now - timedelta(days=days_ago)).replace(
                hour=17, minute=30, second=0, microsecond=0
            ),
            place="State Capitol, Hartford (fictional)",
            district="State House 1 (fictional)",
            target="Speaker of the House (fictional)",
            is_structure_test=True,
            turnout_goal=60 + 30 * step,
        )
        for index, affiliate in enumerate(affiliates):
            _demo_turnout(
                acting,
                action,
                affiliate,
                crews[affiliate.pk],
                step,
                TRAJECTORIES[index % len(TRAJECTORIES)],
                rng,
            )
    upcoming = services.create_action(
        actor=acting,
        campaign=None,
        title="Town hall on bus service (fictional)",
        kind=Action.Kind.ASSEMBLY,
        is_public=True,
        is_structure_test=True,
        turnout_goal=150,
        starts_at=(now + timedelta(days=9)).replace(hour=18, minute=0, second=0, microsecond=0),
        place="Fair Haven Library community room (fictional)",
        description="Tell the transit board what the bus cuts mean for you. Childcare and "
        "Spanish interpretation provided.",
    )
    for affiliate in affiliates[:4]:
        number = 12 + rng.randrange(12)
        # Raised once on the way, so the history has something to show.
        for step_number in (max(1, number - 5), number):
            services.set_commitment(
                actor=acting, action=upcoming, affiliate=affiliate, number=step_number
            )
    leader = access.actor_for(User.objects.get(email="leader@nutmeg.example"), organization.slug)
    met = [crew[0] for crew in crews.values() if crew][:3]
    for days_ago, person in zip((12, 6, 2), met, strict=False):
        services.log_one_on_one(
            actor=leader,
            person=person,
            held_on=timezone.localdate() - timedelta(days=days_ago),
            self_interest="Rent went up twice this year; worried about the kids' school.",
            commitment="Bring two neighbours to the next action",
            follow_up_on=timezone.localdate() - timedelta(days=days_ago - 3),
        )
    moved = ladder.recompute(organization=organization)
    return {"campaign": campaign.pk, "affiliates": len(affiliates), "ladder_moves": moved}


def _demo_crew(acting: Actor, affiliate: Affiliate, rng, taken: set[int]) -> list:
    """Return up to 60 active members of *affiliate* not in another crew, adding fictional ones
    if it has fewer; the first two are made leaders."""
    wanted = 60

    def members() -> list[AffiliateMembership]:
        return list(
            AffiliateMembership.objects.current()
            .filter(affiliate=affiliate)
            .exclude(person_id__in=taken)
            .select_related("person", "affiliate")
            .order_by("id")[:wanted]
        )

    memberships = members()
    if len(memberships) < wanted:
        source = people.create_source(
            organization=affiliate.organization,
            kind=Source.Kind.DEMO,
            label=f"Demo members of {affiliate.name}",
            affiliate=affiliate,
        )
        people.create_people_in_bulk(
            actor=acting,
            people=[
                people.PersonDetails(
                    given_name=rng.choice(GIVEN_NAMES), family_name=rng.choice(FAMILY_NAMES)
                )
                for _ in range(wanted - len(memberships))
            ],
            affiliate=affiliate,
            source=source,
        )
        memberships = members()
    for membership in memberships[:2]:
        people.set_affiliate_role(
            actor=acting, membership=membership, role=AffiliateMembership.Role.LEADER
        )
    return [m.person for m in memberships]


def _demo_turnout(
    acting: Actor, action, affiliate, crew: list, step: int, trajectory: list[float], rng
) -> None:
    """Commit the affiliate and its two leaders, then RSVP and check in along *trajectory*."""
    committed = min(len(crew) - 2, 20 + 4 * step)
    came = min(len(crew), round(committed * trajectory[step]))
    leaders = crew[:2]
    _demo_commit(acting, action, committed, affiliate=affiliate)
    for leader in leaders:
        _demo_commit(acting, action, LEADER_COMMITMENT, leader=leader)
    attendees = rng.sample(crew, came)
    rsvps = rng.sample(crew, min(len(crew), round(committed * 1.1)))
    # Each leader brings people along the affiliate's trajectory, so the ladder's leaders
    # deliver (or fall short) as their affiliates do on the campaign page.
    brought = round(LEADER_COMMITMENT * trajectory[step])
    recruits = [person for person in attendees if person not in leaders][: 2 * brought]
    recruiter = {person.pk: leaders[n % 2] for n, person in enumerate(recruits)}
    how = f"demo turnout of {affiliate.name}"
    services.record_rsvps_in_bulk(
        actor=acting,
        action=action,
        people=rsvps,
        how=how,
        affiliate=affiliate,
        recruited_by=recruiter,
        at=action.starts_at - timedelta(days=rng.randrange(2, 14)),
    )
    services.record_attendances_in_bulk(
        actor=acting,
        action=action,
        people=attendees,
        how=how,
        affiliate=affiliate,
        recruited_by=recruiter,
        at=action.starts_at,
        move_ladder=False,  # once, when the whole campaign is in
    )


def _demo_commit(acting: Actor, action, number: int, **by) -> None:
    """Commit *by* an affiliate or a leader, raised once on the way to *number*."""
    services.record_commitment_history(
        actor=acting,
        action=action,
        numbers=[
            (max(1, number - 5), action.starts_at - timedelta(days=10)),
            (number, action.starts_at - timedelta(days=3)),
        ],
        **by,
    )
