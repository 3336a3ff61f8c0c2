"""The bargaining demo: seven fictional units whose contracts expire over the next three years,
and one contract campaign bargained for the common good.

The teachers' union (Nutmeg Educators Association Local 12) is at the table with the school
district: three bargaining sessions (two held), two union demands and three community demands
the coalition added (two carry platform demands to the table), three partners with their
commitments, a rally at the Board of Education as a structure test, and two targets (the
superintendent, a legislator) whose stances moved. One community demand is already won in a
tentative agreement. The tenant union the demo's affiliate lead leads bargains with its landlord
too, so the lead has a unit of their own. Every name is made up. Repeatable, loaded once,
written through services.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from powerbase.actions import services as actions_services
from powerbase.bargaining import services
from powerbase.bargaining.models import BargainingUnit, ContractCampaign, Outcome
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.models import Organization
from powerbase.democracy.models import Decision
from powerbase.legislature.models import Demand, Official

# (affiliate, employer, unit, workers, months until the contract expires)
UNITS = [
    (
        "Nutmeg Educators Association Local 12",
        "New Haven Public Schools (fictional)",
        "Teachers and paraprofessionals",
        1800,
        7,
    ),
    (
        "Home Care Workers United 1199-Z",
        "State home care program (fictional)",
        "Home care aides",
        3800,
        3,
    ),
    ("Quinnipiac Tenants Union", "Crown Street Properties LLC (fictional)", "Tenants", 420, 10),
    ("Riverside Nurses Alliance", "Riverside General Hospital (fictional)", "Nurses", 1100, 13),
    ("Transit Operators Local 1777", "Capitol Region Transit (fictional)", "Operators", 900, 19),
    (
        "School Support Staff Local 4400",
        "Hartford Public Schools (fictional)",
        "Custodians and food service",
        700,
        26,
    ),
    ("Public Library Workers Union", "Elm City Public Library (fictional)", "Librarians", 140, 33),
]
CAMPAIGN = "Schools Our Students Deserve (fictional)"
UNION_DEMANDS = ["Class sizes capped at 24", "A 5% raise each year for paraprofessionals"]
# (community demand, the platform demand it carries to the table, or None)
COMMUNITY_DEMANDS = [
    ("A full-time nurse and counselor in every school", None),
    (
        "The district backs $300 million more for schools at the Capitol",
        "$300 million more for public schools in the 2027 budget",
    ),
    ("Surplus school land for social homes, not luxury condos", "Build 10,000 social homes"),
]
# (days from today, what happened or is planned)
SESSIONS = [
    (-40, "Opening session: both sides present their proposals"),
    (-12, "Community demands presented, parents in the room"),
    (9, "Class size and staffing"),
]
PARTNERS = [
    ("Quinnipiac Tenants Union", "Sixty members at the Board of Education rally"),
    ("Greater Hartford Interfaith Table", "Clergy at every bargaining session"),
    ("Home Care Workers United 1199-Z", "A phone bank to parents the week before the vote"),
]


def load_bargaining_demo(organization: Organization, today: date | None = None) -> dict:
    """Load the units and the teachers' contract campaign into *organization*, once."""
    if BargainingUnit.objects.filter(organization=organization).exists():
        return {"status": "already loaded"}
    actor = access.system(organization)
    today = today or timezone.localdate()
    affiliates = {a.name: a for a in Affiliate.objects.filter(organization=organization)}
    with transaction.atomic():
        units = [
            services.create_unit(
                actor=actor,
                affiliate=affiliates[name],
                employer=employer,
                name=unit_name,
                unit_size=workers,
                contract_expires_on=_months_after(today, months),
                bargaining_starts_on=_months_after(today, months - 4),
            )
            for name, employer, unit_name, workers, months in UNITS
            if name in affiliates
        ]
        campaign = _campaign(actor, units[0], affiliates, today) if units else None
    return {"units": len(units), "campaign": campaign.name if campaign else None}


def _campaign(actor, unit: BargainingUnit, affiliates: dict, today: date) -> ContractCampaign:
    organization = actor.organization
    decision = (
        Decision.objects.filter(organization=organization, outcome=Decision.Outcome.ADOPTED)
        .order_by("-decided_on")
        .first()
    )
    campaign = services.start_campaign(
        actor=actor, unit=unit, name=CAMPAIGN, authorised_by=decision
    )
    services.set_status(actor=actor, campaign=campaign, status=ContractCampaign.Status.BARGAINING)
    for days, note in SESSIONS:
        services.add_session(
            actor=actor,
            campaign=campaign,
            meets_on=today + timedelta(days=days),
            place="Board of Education, 54 Meadow St (fictional)",
            note=note,
        )
    for title in UNION_DEMANDS:
        services.add_demand(actor=actor, campaign=campaign, source="union", title=title)
    community = []
    for title, platform_title in COMMUNITY_DEMANDS:
        platform_demand = (
            Demand.objects.filter(organization=organization, title=platform_title).first()
            if platform_title
            else None
        )
        community.append(
            services.add_demand(
                actor=actor,
                campaign=campaign,
                source="community",
                title=title,
                platform_demand=platform_demand,
            )
        )
    services.record_outcome(
        actor=actor,
        demand=community[0],
        outcome=Outcome.WON,
        on=today - timedelta(days=5),
        note="Tentative agreement: 40 nurses and counselors hired by September",
    )
    for name, commitment in PARTNERS:
        if name in affiliates and affiliates[name] != unit.affiliate:
            services.add_partner(
                actor=actor, campaign=campaign, affiliate=affiliates[name], commitment=commitment
            )
    rally = actions_services.create_action(
        actor=actor,
        title="Rally at the Board of Education (fictional)",
        starts_at=timezone.make_aware(datetime.combine(today + timedelta(weeks=3), time(17, 30))),
        place="Board of Education, 54 Meadow St (fictional)",
        turnout_goal=400,
        is_structure_test=True,
    )
    services.link_action(actor=actor, campaign=campaign, action=rally)
    _targets(actor, campaign, today)
    return campaign


def _targets(actor, campaign: ContractCampaign, today: date) -> None:
    superintendent = services.add_target(
        actor=actor,
        campaign=campaign,
        kind="employer",
        name="Dr. Marguerite Osei (fictional)",
        role="Superintendent",
    )
    readings = [("no", 60, "Opening session"), ("undecided", 20, "After the parents' forum")]
    for stance, days_ago, source in readings:
        services.record_stance(
            actor=actor,
            target=superintendent,
            stance=stance,
            as_of=today - timedelta(days=days_ago),
            source=source,
        )
    official = Official.objects.filter(organization=actor.organization).order_by("name").first()
    if official is not None:
        target = services.add_target(
            actor=actor, campaign=campaign, kind="official", official=official
        )
        services.record_stance(
            actor=actor, target=target, stance="lean_yes", source="Lobby visit with parents"
        )


def _months_after(day: date, months: int) -> date:
    """The last day of the month *months* after *day*'s (contracts end at a month's end)."""
    year, month = divmod(day.month - 1 + months + 1, 12)
    return date(day.year + year, month + 1, 1) - timedelta(days=1)
