"""Load the fictional demo organizations. Runs as a job (`demo.load`) so its progress shows.

Everything here is invented: the organizations, the affiliates, the people and their emails
(all under the reserved `.example` domain). Nothing refers to a real person.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from powerbase.actions import ladder
from powerbase.actions.models import (
    Action,
    Attendance,
    Campaign,
    Commitment,
    CommitmentChange,
    OneOnOne,
    Rsvp,
)
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.coalition.services import create_affiliate, grant_affiliate
from powerbase.core import services
from powerbase.core.jobs import Progress
from powerbase.core.models import Job, Organization, Role, User
from powerbase.demo.rosters import FAMILY_NAMES, GIVEN_NAMES
from powerbase.people.models import Person, Source

DEMO_PASSWORD = "organize-the-base"  # noqa: S105 - printed for the demo on purpose
STATE_SLUG = "nutmeg"
LOCAL_SLUG = "elm-city"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    organization: str
    role: str


DEMO_LOGINS = [
    DemoLogin("owner@nutmeg.example", "Odessa Owens", STATE_SLUG, Role.OWNER),
    DemoLogin("admin@nutmeg.example", "Abel Adeyemi", STATE_SLUG, Role.ADMIN),
    DemoLogin("organizer@nutmeg.example", "Rosa Quintero-Vale", STATE_SLUG, Role.ORGANIZER),
    DemoLogin("data@nutmeg.example", "Dmitri Castellanos", STATE_SLUG, Role.DATA),
    DemoLogin("lead@nutmeg.example", "Lena Okafor", STATE_SLUG, Role.AFFILIATE_LEAD),
    DemoLogin("leader@nutmeg.example", "Marcus Bellweather", STATE_SLUG, Role.LEADER),
    DemoLogin("viewer@nutmeg.example", "Vera Lindqvist", STATE_SLUG, Role.VIEWER),
    DemoLogin("owner@elmcity.example", "Tomasz Achebe", LOCAL_SLUG, Role.OWNER),
    # The statewide organizer also organizes the local chapter: the switcher has two entries.
    DemoLogin("organizer@nutmeg.example", "Rosa Quintero-Vale", LOCAL_SLUG, Role.ADMIN),
]

STATE_AFFILIATES = [
    ("Nutmeg Educators Association Local 12 (fictional)", Affiliate.Kind.LABOR_UNION),
    ("Quinnipiac Tenants Union (fictional)", Affiliate.Kind.TENANT_UNION),
    ("Greater Hartford Interfaith Table (fictional)", Affiliate.Kind.FAITH),
    ("Home Care Workers United 1199-Z (fictional)", Affiliate.Kind.LABOR_UNION),
    ("Naugatuck Valley Worker Center (fictional)", Affiliate.Kind.WORKER_CENTER),
    ("Students for Nutmeg Futures (fictional)", Affiliate.Kind.STUDENT),
]
LOCAL_AFFILIATES = [
    ("Elm City Bus Riders Union (fictional)", Affiliate.Kind.COMMUNITY),
    ("Fair Haven Tenants Council (fictional)", Affiliate.Kind.TENANT_UNION),
]


def demo_exists() -> bool:
    return Organization.objects.filter(slug=STATE_SLUG).exists()


def load_demo(job: Job, progress: Progress) -> dict:
    """Create the demo organizations, affiliates and users, all in one transaction."""
    if demo_exists():
        return {"status": "already loaded"}
    steps = 3
    with transaction.atomic():
        progress.update(0, total=steps, message="Creating the organizations")
        state = services.create_organization(
            name="Nutmeg For All", slug=STATE_SLUG, level=Organization.Level.STATE, state="CT")
        local = services.create_organization(
            name="Elm City For All", slug=LOCAL_SLUG, level=Organization.Level.LOCAL,
            state="CT", parent=state)
        organizations = {STATE_SLUG: state, LOCAL_SLUG: local}
        progress.update(1, message="Creating affiliates")
        affiliates = [create_affiliate(actor=None, organization=state, name=name, kind=kind)
                      for name, kind in STATE_AFFILIATES]
        for name, kind in LOCAL_AFFILIATES:
            create_affiliate(actor=None, organization=local, name=name, kind=kind)
        progress.update(2, message="Creating demo users")
        for login in DEMO_LOGINS:
            user = User.objects.filter(email=login.email).first() or services.create_user(
                email=login.email, name=login.name, password=DEMO_PASSWORD)
            membership = services.grant_role(organization=organizations[login.organization],
                                             user=user, role=login.role)
            if login.role == Role.AFFILIATE_LEAD:
                # The demo lead speaks for the tenant union only.
                grant_affiliate(membership=membership, affiliate=affiliates[1])
        progress.update(3, message="Done")
    load_actions_demo(state)
    return {"organizations": 2, "affiliates": len(STATE_AFFILIATES) + len(LOCAL_AFFILIATES),
            "users": len({login.email for login in DEMO_LOGINS})}


# Step 4: a campaign of five actions as structure tests ---------------------------------------

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
    organizer = User.objects.filter(email="organizer@nutmeg.example").first()
    campaign = Campaign.objects.create(
        organization=organization, name=DEMO_CAMPAIGN, created_by=organizer,
        goal="Pass a one-year rent freeze for every tenant in the state (fictional).",
        demands="A one-year rent freeze\nA public registry of landlords\nRight to counsel in "
                "eviction court",
        targets="Speaker of the House (fictional)\nHousing Committee chairs (fictional)",
        starts_on=timezone.localdate() - timedelta(weeks=11))
    affiliates = list(Affiliate.objects.filter(organization=organization)
                      .order_by("id")[:DEMO_AFFILIATES_IN_CAMPAIGN])
    crews = {affiliate.pk: _demo_crew(organization, affiliate, rng) for affiliate in affiliates}
    now = timezone.now()
    for step, (title, kind, days_ago) in enumerate(DEMO_ACTIONS):
        action = Action.objects.create(
            organization=organization, campaign=campaign, title=f"{title} (fictional)",
            kind=kind, starts_at=(now - timedelta(days=days_ago)).replace(
                hour=17, minute=30, second=0, microsecond=0),
            place="State Capitol, Hartford (fictional)", district="State House 1 (fictional)",
            target="Speaker of the House (fictional)", is_structure_test=True,
            turnout_goal=60 + 30 * step, created_by=organizer)
        for index, affiliate in enumerate(affiliates):
            _demo_turnout(action, affiliate, crews[affiliate.pk], step,
                          TRAJECTORIES[index % len(TRAJECTORIES)], organizer, rng)
    upcoming = Action.objects.create(
        organization=organization, campaign=None, title="Town hall on bus service (fictional)",
        kind=Action.Kind.ASSEMBLY, is_public=True, is_structure_test=True, turnout_goal=150,
        starts_at=(now + timedelta(days=9)).replace(hour=18, minute=0, second=0,
                                                     microsecond=0),
        place="Fair Haven Library community room (fictional)", created_by=organizer,
        description="Tell the transit board what the bus cuts mean for you. Childcare and "
                    "Spanish interpretation provided.")
    for affiliate in affiliates[:4]:
        _demo_commit(upcoming, affiliate, None, 12 + rng.randrange(12), organizer)
    leader_user = User.objects.filter(email="leader@nutmeg.example").first()
    met = [crew[0] for crew in crews.values() if crew][:3]
    for days_ago, person in zip((12, 6, 2), met, strict=False):
        OneOnOne.objects.create(
            organization=organization, person=person, held_by=leader_user,
            held_on=timezone.localdate() - timedelta(days=days_ago),
            self_interest="Rent went up twice this year; worried about the kids' school.",
            commitment="Bring two neighbours to the next action",
            follow_up_on=timezone.localdate() - timedelta(days=days_ago - 3))
    moved = ladder.recompute(organization=organization)
    return {"campaign": campaign.pk, "affiliates": len(affiliates), "ladder_moves": moved}


def _demo_crew(organization: Organization, affiliate: Affiliate, rng) -> list:
    """Return up to 60 active members of *affiliate*, adding fictional ones if it has fewer;
    the first two are made leaders."""
    wanted = 60
    memberships = list(AffiliateMembership.objects.current().filter(affiliate=affiliate)
                       .select_related("person").order_by("id")[:wanted])
    if len(memberships) < wanted:
        source = Source.objects.create(organization=organization, kind=Source.Kind.DEMO,
                                       label=f"Demo members of {affiliate.name}",
                                       affiliate=affiliate)
        new = []
        for _ in range(wanted - len(memberships)):
            person = Person(organization=organization, source=source,
                            given_name=rng.choice(GIVEN_NAMES),
                            family_name=rng.choice(FAMILY_NAMES))
            person.refresh_keys()
            new.append(person)
        Person.objects.bulk_create(new)
        memberships += AffiliateMembership.objects.bulk_create([
            AffiliateMembership(organization=organization, person=person, affiliate=affiliate,
                                source=source) for person in new])
    leaders = [m.pk for m in memberships[:2]]
    AffiliateMembership.objects.filter(pk__in=leaders).update(
        role=AffiliateMembership.Role.LEADER)
    return [m.person for m in memberships]


def _demo_turnout(action, affiliate, crew: list, step: int, trajectory: list[float], organizer,
                  rng) -> None:
    """Commit the affiliate and its two leaders, then RSVP and check in along *trajectory*."""
    committed = min(len(crew) - 2, 20 + 4 * step)
    came = min(len(crew), round(committed * trajectory[step]))
    leaders = crew[:2]
    _demo_commit(action, affiliate, None, committed, organizer)
    for leader in leaders:
        _demo_commit(action, affiliate, leader, 5, organizer)
    attendees = rng.sample(crew, came)
    rsvps = rng.sample(crew, min(len(crew), round(committed * 1.1)))
    recruiter = {person.pk: leaders[n % 2] for n, person in enumerate(attendees[:8])
                 if person not in leaders}
    Rsvp.objects.bulk_create([
        Rsvp(organization=action.organization, action=action, person=person,
             credited_affiliate=affiliate, recruited_by=recruiter.get(person.pk),
             created_at=action.starts_at - timedelta(days=rng.randrange(2, 14)))
        for person in rsvps])
    Attendance.objects.bulk_create([
        Attendance(organization=action.organization, action=action, person=person,
                   credited_affiliate=affiliate, recruited_by=recruiter.get(person.pk),
                   checked_in_by=organizer, checked_in_at=action.starts_at)
        for person in attendees])


def _demo_commit(action, affiliate, leader, number: int, organizer) -> None:
    first = max(1, number - 5)
    commitment = Commitment.objects.create(
        organization=action.organization, action=action, affiliate=affiliate, leader=leader,
        number=number, updated_by=organizer, updated_at=action.starts_at - timedelta(days=3))
    # Each commitment was raised once on the way, so the history has something to show.
    CommitmentChange.objects.bulk_create([
        CommitmentChange(organization=action.organization, commitment=commitment,
                         number_before=None, number_after=first, changed_by=organizer,
                         changed_at=action.starts_at - timedelta(days=10)),
        CommitmentChange(organization=action.organization, commitment=commitment,
                         number_before=first, number_after=number, changed_by=organizer,
                         changed_at=action.starts_at - timedelta(days=3))])
