"""The strategy-table demo: a year of a fictional strategy table's decisions.

Nutmeg's strategy table has a seat for each of six member affiliates (terms running this year
and next) and has met monthly for a year. Its decision log starts with its own rules, makes
housing the lead fight, sends the platform to the assembly, backs the demo's endorsement,
launches the demo's campaign (`demo.actions.DEMO_CAMPAIGN`) and funds it with a campaign
budget, each decision with tasks for the demo's users: some done, some overdue, some to come.
Loaded after the campaign, the platform, the endorsement and the money; seeded, once, through
services.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from powerbase.actions.models import Campaign
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.models import Organization, User
from powerbase.demo.actions import DEMO_CAMPAIGN
from powerbase.democracy import services as democracy
from powerbase.democracy.models import Endorsement, GoverningBody
from powerbase.legislature.models import PlatformVersion
from powerbase.money import services as money
from powerbase.strategy import services
from powerbase.strategy.models import Commitment, Task
from powerbase.strategy.services import CommitmentSpec, TaskSpec

TABLE = "Strategy Table"
SEATED_AFFILIATES = 6
CAMPAIGN_BUDGET = [("Organizers", "6100", 9_600_000), ("Printing and transport", "6300", 1_400_000)]


@dataclass(frozen=True)
class DemoTask:
    title: str
    owner: str  # a demo login's address
    due_in_days: int  # from the decision's date
    done: bool = False


@dataclass
class DemoDecision:
    days_ago: int
    title: str
    text: str
    commits: list[str] = field(default_factory=list)  # "campaign_started", "budget_line", ...
    tasks: list[DemoTask] = field(default_factory=list)


def _decisions(campaign_started: int) -> list[DemoDecision]:
    """The log, oldest first; *campaign_started* is how many days ago the campaign began."""
    rosa, marcus, abel = (
        "organizer@nutmeg.example",
        "leader@nutmeg.example",
        "admin@nutmeg.example",
    )
    return [
        DemoDecision(
            360,
            "Adopt the strategy table's rules",
            "The table meets on the first Thursday of each month; a decision needs a majority "
            "of seats present and no seated affiliate opposed (fictional).",
            tasks=[DemoTask("Publish the rules to every affiliate", abel, 14, done=True)],
        ),
        DemoDecision(
            300,
            "Make housing the year's lead fight",
            "Housing costs came first in every affiliate's listening sessions; the table makes "
            "it the lead fight of the year.",
            tasks=[DemoTask("Write up the listening sessions", rosa, 21, done=True)],
        ),
        DemoDecision(
            240,
            "Send the People's Platform 2027 to the assembly",
            "The table recommends the platform to the members' assembly as drafted.",
            commits=["platform_version"],
        ),
        DemoDecision(
            150,
            "Back the endorsement in the state senate race",
            "The table supports the endorsement the members voted for and commits door "
            "knocking in the district.",
            commits=["endorsement"],
            tasks=[DemoTask("Recruit canvass captains in the district", marcus, 30, done=True)],
        ),
        DemoDecision(
            campaign_started + 14,
            "Launch the Freeze the Rent campaign",
            "The table launches a statewide rent-freeze campaign with escalating actions, led "
            "by the tenant unions (fictional).",
            commits=["campaign_started"],
            tasks=[
                DemoTask("Draft the campaign plan", rosa, 10, done=True),
                DemoTask("Line up speakers for the kickoff", marcus, 12, done=True),
            ],
        ),
        DemoDecision(
            campaign_started + 7,
            "Fund the Freeze the Rent campaign",
            "Two organizers and printing for the campaign's first year, from the campaign budget.",
            commits=["budget_line"],
            tasks=[DemoTask("Post the two organizer jobs", abel, 14, done=True)],
        ),
        DemoDecision(
            21,
            "Escalate to a march on the Capitol",
            "Turnout has grown at each action; the table calls a march on the Capitol.",
            tasks=[
                DemoTask("Book buses from every affiliate", rosa, 10),  # overdue
                DemoTask("Ask each affiliate for turnout commitments", marcus, 14),  # overdue
                DemoTask("Brief the press on the march", abel, 35),
            ],
        ),
    ]


def load_strategy_demo(organization: Organization, today: date | None = None) -> dict:
    """Load the strategy table and its year of decisions into *organization*, once."""
    if GoverningBody.objects.filter(organization=organization, name=TABLE).exists():
        return {"status": "already loaded"}
    actor = access.system(organization)
    today = today or timezone.localdate()
    campaign = Campaign.objects.filter(organization=organization, name=DEMO_CAMPAIGN).first()
    with transaction.atomic():
        table = democracy.create_body(
            actor=actor,
            name=TABLE,
            kind=GoverningBody.Kind.STRATEGY_TABLE,
            description="Where the affiliates line up the year's fights (fictional).",
        )
        _seats(actor, table, today)
        _meetings(actor, table, today)
        targets = _targets(actor, organization, campaign, today)
        started = (today - campaign.starts_on).days if campaign and campaign.starts_on else 77
        for entry in _decisions(started):
            _decide(actor, table, entry, targets, today)
    tasks = Task.objects.filter(decision__body=table)
    return {
        "decisions": table.decisions.count(),
        "tasks": tasks.count(),
        "overdue": tasks.filter(done_at__isnull=True, due_on__lt=today).count(),
    }


def _seats(actor: Actor, table: GoverningBody, today: date) -> None:
    affiliates = Affiliate.objects.filter(
        organization=actor.organization, status=Affiliate.Status.MEMBER
    ).order_by("name")[:SEATED_AFFILIATES]
    for affiliate in affiliates:
        first = (
            AffiliateMembership.objects.filter(affiliate=affiliate)
            .select_related("person")
            .order_by("id")
            .first()
        )
        seat = democracy.add_seat(
            actor=actor,
            body=table,
            title=f"{affiliate.name} seat",
            holder=first.person if first else None,
            affiliate=affiliate,
        )
        services.set_seat_term(
            actor=actor,
            seat=seat,
            starts_on=date(today.year, 1, 1),
            ends_on=date(today.year + 1, 12, 31),
        )


def _meetings(actor: Actor, table: GoverningBody, today: date) -> None:
    """Twelve monthly meetings, the last to come, minutes for those held."""
    for months_ago in range(11, -2, -1):
        day = today - timedelta(days=30 * months_ago)
        meeting = services.schedule_meeting(
            actor=actor,
            body=table,
            title=f"Strategy Table, {day:%B %Y}",
            starts_at=timezone.make_aware(datetime.combine(day, time(18, 30))),
            location="Union hall, 77 Main St (fictional)",
        )
        if months_ago > 0:
            democracy.save_minutes(
                actor=actor,
                assembly=meeting,
                minutes="Present: the seated affiliates' delegates. Reports from each "
                "affiliate; decisions as logged (fictional).",
            )


def _targets(actor: Actor, organization: Organization, campaign, today: date) -> dict:
    """What the decisions commit, by commitment kind: the demo's own campaign, platform and
    endorsement, and a campaign budget made here."""
    targets: dict = {
        "platform_version": PlatformVersion.objects.filter(organization=organization)
        .order_by("id")
        .first(),
        "endorsement": Endorsement.objects.filter(organization=organization).order_by("id").first(),
        "campaign_started": campaign,
    }
    if campaign is not None:
        budget = money.create_budget(
            actor=actor, name="Freeze the Rent campaign", year=today.year, campaign=campaign
        )
        lines = [
            money.set_budget_line(
                actor=actor, budget=budget, category=category, account_code=code, amount_cents=cents
            )
            for category, code, cents in CAMPAIGN_BUDGET
        ]
        targets["budget_line"] = lines[0]
    return targets


def _decide(
    actor: Actor, table: GoverningBody, entry: DemoDecision, targets: dict, today: date
) -> None:
    decided_on = today - timedelta(days=entry.days_ago)
    owners = {user.email: user for user in User.objects.filter(email__endswith="nutmeg.example")}
    tasks = [
        TaskSpec(
            title=task.title,
            owner=owners.get(task.owner),
            due_on=decided_on + timedelta(days=task.due_in_days),
        )
        for task in entry.tasks
        if task.owner in owners
    ]
    meeting = table.meetings.filter(starts_at__date__lte=decided_on).order_by("-starts_at").first()
    decision = services.record_decision(
        actor=actor,
        body=table,
        title=entry.title,
        text=entry.text,
        decided_on=decided_on,
        meeting=meeting,
        commitments=[
            CommitmentSpec(kind=Commitment.Kind(kind), target=targets[kind])
            for kind in entry.commits
            if targets.get(kind) is not None
        ],
        tasks=tasks,
    )
    done = {task.title for task in entry.tasks if task.done}
    for task in decision.tasks.filter(title__in=done, owner__isnull=False):
        # Marked done by its owner, as they would from their home page.
        assert task.owner is not None  # the filter above
        owner = access.actor_for(task.owner, actor.organization.slug)
        services.complete_task(actor=owner, task=task)
