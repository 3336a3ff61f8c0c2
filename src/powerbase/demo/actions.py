"""The actions demo: a campaign of five fictional actions run as structure tests.

Commitments by affiliates and leaders, and attendance that shows some affiliates growing
and some falling short, on whatever affiliates and people the demo organization has.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from powerbase.actions import ladder, services
from powerbase.actions.models import (
    Action,
    Attendance,
    Campaign,
    Commitment,
    CommitmentChange,
    Rsvp,
)
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access
from powerbase.core.models import Organization, User
from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES
from powerbase.people.models import Person, Source

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
    # The campaign, its actions and the one-on-ones go through the services an organizer and a
    # leader use; the turnout history below is written in bulk, dated in the past.
    acting = access.actor_for(User.objects.get(email="organizer@nutmeg.example"), organization.slug)
    organizer = acting.user
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
        crews[affiliate.pk] = _demo_crew(organization, affiliate, rng, taken)
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
                action,
                affiliate,
                crews[affiliate.pk],
                step,
                TRAJECTORIES[index % len(TRAJECTORIES)],
                organizer,
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
        _demo_commit(upcoming, affiliate, None, 12 + rng.randrange(12), organizer)
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


def _demo_crew(organization: Organization, affiliate: Affiliate, rng, taken: set[int]) -> list:
    """Return up to 60 active members of *affiliate* not in another crew, adding fictional ones
    if it has fewer; the first two are made leaders."""
    wanted = 60
    memberships = list(
        AffiliateMembership.objects.current()
        .filter(affiliate=affiliate)
        .exclude(person_id__in=taken)
        .select_related("person")
        .order_by("id")[:wanted]
    )
    if len(memberships) < wanted:
        source = Source.objects.create(
            organization=organization,
            kind=Source.Kind.DEMO,
            label=f"Demo members of {affiliate.name}",
            affiliate=affiliate,
        )
        new = []
        for _ in range(wanted - len(memberships)):
            person = Person(
                organization=organization,
                source=source,
                given_name=rng.choice(GIVEN_NAMES),
                family_name=rng.choice(FAMILY_NAMES),
            )
            person.refresh_keys()
            new.append(person)
        Person.objects.bulk_create(new)
        memberships += AffiliateMembership.objects.bulk_create(
            [
                AffiliateMembership(
                    organization=organization, person=person, affiliate=affiliate, source=source
                )
                for person in new
            ]
        )
    leaders = [m.pk for m in memberships[:2]]
    AffiliateMembership.objects.filter(pk__in=leaders).update(role=AffiliateMembership.Role.LEADER)
    return [m.person for m in memberships]


def _demo_turnout(
    action, affiliate, crew: list, step: int, trajectory: list[float], organizer, rng
) -> None:
    """Commit the affiliate and its two leaders, then RSVP and check in along *trajectory*."""
    committed = min(len(crew) - 2, 20 + 4 * step)
    came = min(len(crew), round(committed * trajectory[step]))
    leaders = crew[:2]
    _demo_commit(action, affiliate, None, committed, organizer)
    for leader in leaders:
        _demo_commit(action, affiliate, leader, LEADER_COMMITMENT, organizer)
    attendees = rng.sample(crew, came)
    rsvps = rng.sample(crew, min(len(crew), round(committed * 1.1)))
    # Each leader brings people along the affiliate's trajectory, so the ladder's leaders
    # deliver (or fall short) as their affiliates do on the campaign page.
    brought = round(LEADER_COMMITMENT * trajectory[step])
    recruits = [person for person in attendees if person not in leaders][: 2 * brought]
    recruiter = {person.pk: leaders[n % 2] for n, person in enumerate(recruits)}
    Rsvp.objects.bulk_create(
        [
            Rsvp(
                organization=action.organization,
                action=action,
                person=person,
                credited_affiliate=affiliate,
                recruited_by=recruiter.get(person.pk),
                created_at=action.starts_at - timedelta(days=rng.randrange(2, 14)),
            )
            for person in rsvps
        ]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                organization=action.organization,
                action=action,
                person=person,
                credited_affiliate=affiliate,
                recruited_by=recruiter.get(person.pk),
                checked_in_by=organizer,
                checked_in_at=action.starts_at,
            )
            for person in attendees
        ]
    )


def _demo_commit(action, affiliate, leader, number: int, organizer) -> None:
    first = max(1, number - 5)
    commitment = Commitment.objects.create(
        organization=action.organization,
        action=action,
        affiliate=affiliate,
        leader=leader,
        number=number,
        updated_by=organizer,
        updated_at=action.starts_at - timedelta(days=3),
    )
    # Each commitment was raised once on the way, so the history has something to show.
    CommitmentChange.objects.bulk_create(
        [
            CommitmentChange(
                organization=action.organization,
                commitment=commitment,
                number_before=None,
                number_after=first,
                changed_by=organizer,
                changed_at=action.starts_at - timedelta(days=10),
            ),
            CommitmentChange(
                organization=action.organization,
                commitment=commitment,
                number_before=first,
                number_after=number,
                changed_by=organizer,
                changed_at=action.starts_at - timedelta(days=3),
            ),
        ]
    )
