"""Reads of Bargaining for the Common Good: units and campaigns as the actor may see them (an
affiliate lead, their own affiliates'), the calendar of contract expirations, and the report of
demands won at the bargaining table next to those won in the legislature."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from powerbase.actions import queries as actions_queries
from powerbase.actions.models import Action, Attendance, Rsvp
from powerbase.bargaining.models import (
    BargainingSession,
    BargainingUnit,
    ContractCampaign,
    ContractDemand,
    Outcome,
    Partner,
    Target,
    TargetStance,
)
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.democracy import queries as democracy_queries
from powerbase.democracy.models import Decision
from powerbase.legislature import queries as legislature_queries
from powerbase.legislature.models import Demand, Official, Position

VIEW = "bargaining.view"
CALENDAR_YEARS = 3


def _require_view(actor: Actor) -> None:
    access.require(actor, VIEW)


# Units and campaigns ------------------------------------------------------------------------


def units(actor: Actor) -> QuerySet[BargainingUnit]:
    _require_view(actor)
    campaigns = Prefetch(
        "campaigns", queryset=access.scoped(actor, ContractCampaign.objects.order_by("-created_at"))
    )
    return access.scoped(
        actor, BargainingUnit.objects.select_related("affiliate")
    ).prefetch_related(campaigns)


def unit(actor: Actor, unit_id: int) -> BargainingUnit:
    return access.get(actor, units(actor), pk=unit_id)


def campaigns(actor: Actor) -> QuerySet[ContractCampaign]:
    _require_view(actor)
    return access.scoped(
        actor, ContractCampaign.objects.select_related("unit__affiliate", "authorised_by")
    )


def campaign(actor: Actor, campaign_id: int) -> ContractCampaign:
    return access.get(actor, campaigns(actor), pk=campaign_id)


def demands(actor: Actor, found: ContractCampaign) -> list[ContractDemand]:
    _require_view(actor)
    return list(
        access.scoped(actor, ContractDemand.objects.filter(campaign=found)).select_related(
            "platform_demand"
        )
    )


def demand(actor: Actor, demand_id: int) -> ContractDemand:
    _require_view(actor)
    return access.get(
        actor,
        access.scoped(actor, ContractDemand.objects.select_related("campaign__unit")),
        pk=demand_id,
    )


def sessions(actor: Actor, found: ContractCampaign) -> list[BargainingSession]:
    _require_view(actor)
    return list(access.scoped(actor, BargainingSession.objects.filter(campaign=found)))


def partners(actor: Actor, found: ContractCampaign) -> list[Partner]:
    _require_view(actor)
    return list(
        access.scoped(actor, Partner.objects.filter(campaign=found)).select_related("affiliate")
    )


@dataclass(frozen=True)
class PublicAction:
    """One of the campaign's actions with its turnout (as the actions app counts it)."""

    action: Action
    rsvped: int
    attended: int

    @property
    def met_goal(self) -> bool | None:
        goal = self.action.turnout_goal
        return None if not goal else self.attended >= goal


def public_actions(actor: Actor, found: ContractCampaign) -> list[PublicAction]:
    """The campaign's actions, soonest first, with RSVPs and turnout counted as the actions app
    counts them for this actor (a lead: those credited to their affiliates), in two queries."""
    linked = list(
        actions_queries.actions(actor)
        .filter(pk__in=found.actions.values("pk"))
        .order_by("starts_at")
    )
    ids = [action.pk for action in linked]
    rsvped = _count_by_action(access.scoped(actor, Rsvp.objects.filter(action__in=ids)))
    attended = _count_by_action(access.scoped(actor, Attendance.objects.filter(action__in=ids)))
    return [
        PublicAction(action, rsvped.get(action.pk, 0), attended.get(action.pk, 0))
        for action in linked
    ]


def _count_by_action(rows: QuerySet) -> dict[int, int]:
    counted = rows.order_by().values("action").annotate(n=Count("id"))
    return {row["action"]: row["n"] for row in counted}


@dataclass(frozen=True)
class TargetRow:
    """A target with where they stand now (the latest reading) and how they got there."""

    target: Target
    history: list[TargetStance]

    @property
    def latest(self) -> TargetStance | None:
        return self.history[0] if self.history else None


def targets(actor: Actor, found: ContractCampaign) -> list[TargetRow]:
    _require_view(actor)
    stances = Prefetch(
        "stances",
        queryset=access.scoped(actor, TargetStance.objects.order_by("-recorded_at", "-id")),
    )
    found_targets = access.scoped(actor, Target.objects.filter(campaign=found)).prefetch_related(
        stances
    )
    return [TargetRow(target, list(target.stances.all())) for target in found_targets]


def target(actor: Actor, target_id: int) -> Target:
    _require_view(actor)
    return access.get(
        actor, access.scoped(actor, Target.objects.select_related("campaign__unit")), pk=target_id
    )


# Choices for the forms: what the actor may pick from -------------------------------------------


def affiliates(actor: Actor) -> QuerySet[Affiliate]:
    """Affiliates the actor may add units for (a lead: their own)."""
    return access.scoped(actor, Affiliate.objects.order_by("name"))


def platform_demands(actor: Actor) -> QuerySet[Demand]:
    """The platform's demands, for a role that reads the legislature pages (none otherwise)."""
    if not actor.can("legislature.view"):
        return access.scoped(actor, Demand.objects.none())
    return legislature_queries.demands(actor)


def officials(actor: Actor) -> QuerySet[Official]:
    if not actor.can("legislature.view"):
        return access.scoped(actor, Official.objects.none())
    return legislature_queries.officials(actor)


def linkable_actions(actor: Actor) -> QuerySet[Action]:
    return actions_queries.actions(actor).order_by("-starts_at")


def decisions(actor: Actor) -> QuerySet[Decision]:
    """Decisions a campaign may rest on, for a role that reads democracy."""
    if not actor.can("democracy.view"):
        return access.scoped(actor, Decision.objects.none())
    return democracy_queries.decisions(actor)


# The calendar of expirations ------------------------------------------------------------------


@dataclass
class Month:
    label: str
    units: list[BargainingUnit]

    @property
    def workers(self) -> int:
        return sum(u.unit_size for u in self.units)


@dataclass
class Quarter:
    label: str
    months: list[Month]

    @property
    def workers(self) -> int:
        return sum(m.workers for m in self.months)


def calendar(actor: Actor, today: date | None = None) -> list[Quarter]:
    """Contracts expiring from this month through the next three years, by quarter and month
    (only the months with an expiry), so the strategy table can line up the fights."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    end = start.replace(year=start.year + CALENDAR_YEARS)
    expiring = units(actor).filter(contract_expires_on__gte=start, contract_expires_on__lt=end)
    by_month: dict[tuple[int, int], list[BargainingUnit]] = defaultdict(list)
    for found in expiring.order_by("contract_expires_on", "employer"):
        by_month[(found.contract_expires_on.year, found.contract_expires_on.month)].append(found)
    quarters: dict[tuple[int, int], Quarter] = {}
    for (year, month), rows in sorted(by_month.items()):
        key = (year, (month - 1) // 3 + 1)
        quarter = quarters.setdefault(key, Quarter(f"{year} Q{key[1]}", []))
        quarter.months.append(Month(date(year, month, 1).strftime("%B %Y"), rows))
    return list(quarters.values())


# Demands won ----------------------------------------------------------------------------------

# The legislature keeps a bill's status as the words of its latest step ("Passed", "Signed by
# the Governor", "Public Act 27-14"); a platform demand is won there when a bill we support that
# carries it has reached law. "Passed House" is one chamber, not a win.
ENACTED = re.compile(
    r"^\s*(signed|enacted|became law|chaptered|public act|passed\s*$|passed both)", re.IGNORECASE
)


@dataclass(frozen=True)
class LegislativeWin:
    demand: Demand
    bills: list


@dataclass
class WinsReport:
    at_the_table: list[ContractDemand]
    in_the_legislature: list[LegislativeWin]
    shows_legislature: bool

    @property
    def platform_demands_won_both_ways(self) -> set[int]:
        table = {d.platform_demand_id for d in self.at_the_table if d.platform_demand_id}
        return table & {win.demand.pk for win in self.in_the_legislature}


def wins(actor: Actor) -> WinsReport:
    """Demands won (or partly won) at the bargaining table, and platform demands won in the
    legislature, for the report that puts them side by side."""
    _require_view(actor)
    at_the_table = list(
        access.scoped(
            actor, ContractDemand.objects.filter(outcome__in=[Outcome.WON, Outcome.PARTLY])
        )
        .select_related("campaign__unit__affiliate", "platform_demand")
        .order_by("-outcome_on", "campaign__name", "id")
    )
    shows = actor.can("legislature.view")
    return WinsReport(at_the_table, legislative_wins(actor) if shows else [], shows)


def legislative_wins(actor: Actor) -> list[LegislativeWin]:
    supported = legislature_queries.bills(actor).filter(position=Position.SUPPORT)
    found = legislature_queries.demands(actor).prefetch_related(
        Prefetch("bills", queryset=supported, to_attr="supported_bills")
    )
    result = []
    for platform_demand in found:
        enacted = [b for b in platform_demand.supported_bills if ENACTED.match(b.status)]
        if enacted:
            result.append(LegislativeWin(platform_demand, enacted))
    return result
