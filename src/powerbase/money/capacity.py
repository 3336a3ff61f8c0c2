"""The self-funding dashboard's figures: income from the base against foundations and large
donors month by month, staff lent in kind by each affiliate, and hours of work per campaign.

Hours at actions come from attendance: each person checked in counts the action's length
(ends_at - starts_at, or `DEFAULT_ACTION_HOURS` when it has no end). Canvass shifts come from
the knocks (`field.Attempt`): a canvasser's knocks on one day are one shift, however many turfs,
lasting from the first knock to the last (at least `MIN_SHIFT_HOURS`); a shift on a day with a
canvass action where people were checked in is already counted by that attendance and is not
added again. Staff, in-kind and other volunteer hours are entered by hand per month
(`CapacityEntry`).

Hours are not money, but a campaign whose budgets are all in one entity's books is tied to that
entity, and its hours are shown with that entity's books only (`campaign_entities`): a page of
one entity's books leaves out the hours of campaigns tied to another. Hours of campaigns tied to
no entity (no budget, or budgets in several) show with every entity's books.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from powerbase.actions.models import Action, Attendance
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.field.models import Attempt
from powerbase.money.entities import Books
from powerbase.money.models import Budget, CapacityEntry, IncomeLine, Payment, SourceClass
from powerbase.money.standing import settings_for

VIEW = "resources.view"
DEFAULT_ACTION_HOURS = Decimal(2)
MIN_SHIFT_HOURS = Decimal(1)
NO_CAMPAIGN = "No campaign"
# The IPO article's question: funded by its own base, or by foundations and large donors?
BASE = (SourceClass.MEMBER_DUES, SourceClass.AFFILIATE_DUES, SourceClass.SMALL_DONORS)
OUTSIDE = (SourceClass.FOUNDATIONS, SourceClass.LARGE_DONORS)


def classified_income(actor: Actor, year: int, books: Books) -> list[tuple[date, str, int]]:
    """Return (day, source class, cents) for every line of income in *year*, individual gifts
    split into small and large donors by each donor's total in the year."""
    access.require(actor, VIEW)
    threshold = settings_for(actor.organization).small_donor_threshold_cents
    lines = books.of(
        access.scoped(actor, IncomeLine.objects.filter(received_on__year=year))
    ).values_list(
        "received_on", "source_class", "person_id", "payer_email", "payer_name", "amount_cents"
    )
    donor_totals: dict[object, int] = defaultdict(int)
    found = []
    for day, source_class, person_id, email, name, cents in lines:
        donor = person_id or email.lower() or name.lower()
        if source_class == "individual":
            donor_totals[donor] += cents
        found.append((day, source_class, donor, cents))
    classified = []
    for day, source_class, donor, cents in found:
        if source_class == "individual":
            large = donor_totals[donor] >= threshold
            source_class = SourceClass.LARGE_DONORS if large else SourceClass.SMALL_DONORS
        classified.append((day, str(source_class), cents))
    payments = books.of(access.scoped(actor, Payment.objects.filter(received_on__year=year)))
    for day, cents in payments.values_list("received_on", "amount_cents"):
        classified.append((day, str(SourceClass.AFFILIATE_DUES), cents))
    return classified


@dataclass(frozen=True)
class MonthOfIncome:
    month: date
    base_cents: int
    outside_cents: int
    other_cents: int

    @property
    def base_share(self) -> float | None:
        """The base's share of the month's income in %, for display (None: no income)."""
        whole = self.base_cents + self.outside_cents + self.other_cents
        return round(100 * self.base_cents / whole, 1) if whole else None


def self_funding(actor: Actor, year: int, books: Books) -> list[MonthOfIncome]:
    """Return each month of *year*: income from the base, from foundations and large donors,
    and the rest (unions' political funds, earned income)."""
    by_month: dict[int, dict[str, int]] = {m: defaultdict(int) for m in range(1, 13)}
    for day, source_class, cents in classified_income(actor, year, books):
        group = (
            "base" if source_class in BASE else "outside" if source_class in OUTSIDE else "other"
        )
        by_month[day.month][group] += cents
    return [
        MonthOfIncome(date(year, m, 1), g["base"], g["outside"], g["other"])
        for m, g in by_month.items()
    ]


@dataclass(frozen=True)
class InKind:
    affiliate: str
    hours: Decimal
    value_cents: int


def campaign_entities(actor: Actor) -> dict[str, int]:
    """Return campaign name -> the entity it is tied to: the one entity all its budgets are in.
    A campaign with no budget, or budgets in several entities, is tied to none."""
    found: dict[str, set[int]] = defaultdict(set)
    budgets = access.scoped(actor, Budget.objects.filter(campaign__isnull=False))
    for name, entity_id in budgets.values_list("campaign__name", "entity_id"):
        found[name].add(entity_id)
    return {name: ids.pop() for name, ids in found.items() if len(ids) == 1}


def _elsewhere(actor: Actor, books: Books | None) -> set[str]:
    """The campaigns tied to an entity other than *books*' (none when all are combined)."""
    if books is None or books.entity is None:
        return set()
    mine = books.entity.pk
    return {name for name, entity_id in campaign_entities(actor).items() if entity_id != mine}


def in_kind_by_affiliate(actor: Actor, year: int, books: Books | None = None) -> list[InKind]:
    """Return the staff hours each affiliate lent in *year* and what they were worth, leaving
    out hours for campaigns tied to an entity other than *books*'."""
    access.require(actor, VIEW)
    entries = access.scoped(
        actor,
        CapacityEntry.objects.filter(kind=CapacityEntry.Kind.IN_KIND, month__year=year),
    ).select_related("affiliate", "campaign")
    elsewhere = _elsewhere(actor, books)
    hours: dict[str, Decimal] = defaultdict(Decimal)
    value: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.campaign is not None and entry.campaign.name in elsewhere:
            continue
        name = entry.affiliate.name if entry.affiliate else "No affiliate"
        hours[name] += entry.hours
        value[name] += int(entry.hours * entry.rate_cents)
    return [InKind(name, hours[name], value[name]) for name in sorted(hours)]


@dataclass(frozen=True)
class CampaignHours:
    campaign: str
    staff: Decimal
    in_kind: Decimal
    volunteer: Decimal

    @property
    def total(self) -> Decimal:
        return self.staff + self.in_kind + self.volunteer


def hours_by_campaign(actor: Actor, year: int, books: Books | None = None) -> list[CampaignHours]:
    """Return own staff, in-kind and volunteer hours per campaign in *year*, leaving out the
    campaigns tied to an entity other than *books*' (all campaigns: no books, or combined)."""
    access.require(actor, VIEW)
    elsewhere = _elsewhere(actor, books)
    kinds: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    entries = access.scoped(actor, CapacityEntry.objects.filter(month__year=year))
    for kind, campaign, hours in (
        entries.values_list("kind", "campaign__name").annotate(total=Sum("hours")).order_by()
    ):
        kinds[campaign or NO_CAMPAIGN][kind] += hours or Decimal(0)
    attended = access.scoped(
        actor, Attendance.objects.filter(action__starts_at__year=year)
    ).values_list("action__campaign__name", "action__starts_at", "action__ends_at")
    for campaign, starts, ends in attended:
        length = DEFAULT_ACTION_HOURS
        if ends is not None and ends > starts:
            length = Decimal((ends - starts).total_seconds()) / 3600
        kinds[campaign or NO_CAMPAIGN][CapacityEntry.Kind.VOLUNTEER] += length
    for campaign, hours in canvass_shift_hours(actor, year):
        kinds[campaign or NO_CAMPAIGN][CapacityEntry.Kind.VOLUNTEER] += hours
    return sorted(
        (
            CampaignHours(
                name,
                round(k[CapacityEntry.Kind.STAFF], 1),
                round(k[CapacityEntry.Kind.IN_KIND], 1),
                round(k[CapacityEntry.Kind.VOLUNTEER], 1),
            )
            for name, k in kinds.items()
            if name not in elsewhere
        ),
        key=lambda row: (row.campaign == NO_CAMPAIGN, row.campaign),
    )


def canvass_shift_hours(actor: Actor, year: int) -> list[tuple[str | None, Decimal]]:
    """Return (campaign name or None, hours) for each canvass shift of *year* that attendance
    does not already count.

    A shift is one canvasser's knocks on one day (an account, else a canvass link, else the
    name they gave), across turfs: from the first knock to the last, at least
    `MIN_SHIFT_HOURS`. Its campaign is that of the day's canvass action, if there is one. On a
    day whose canvass action has check-ins the attendance counts the canvassers' hours, so its
    shifts are left out (no hour counted twice).
    """
    access.require(actor, VIEW)
    knocks = access.scoped(actor, Attempt.objects.filter(recorded_at__year=year)).values_list(
        "canvasser_id", "link_id", "canvasser_label", "recorded_at"
    )
    shifts: dict[tuple[date, object], list] = {}
    for user_id, link_id, label, at in knocks:
        who = ("user", user_id) if user_id else ("link", link_id) if link_id else ("name", label)
        day = timezone.localtime(at).date()
        first_last = shifts.setdefault((day, who), [at, at])
        first_last[0], first_last[1] = min(first_last[0], at), max(first_last[1], at)
    if not shifts:
        return []
    canvass_days: dict[date, str | None] = {}
    attended_days: set[date] = set()
    actions = access.scoped(
        actor,
        Action.objects.filter(kind=Action.Kind.CANVASS, starts_at__year=year),
    ).values_list("starts_at", "campaign__name", "pk")
    checked_in = set(
        access.scoped(
            actor, Attendance.objects.filter(action__kind=Action.Kind.CANVASS)
        ).values_list("action_id", flat=True)
    )
    for starts, campaign, action_id in actions:
        day = timezone.localtime(starts).date()
        canvass_days.setdefault(day, campaign)
        if action_id in checked_in:
            attended_days.add(day)
    found = []
    for (day, _who), (first, last) in sorted(shifts.items(), key=lambda item: item[0][0]):
        if day in attended_days:
            continue
        length = Decimal((last - first).total_seconds()) / 3600
        found.append((canvass_days.get(day), max(length, MIN_SHIFT_HOURS)))
    return found
