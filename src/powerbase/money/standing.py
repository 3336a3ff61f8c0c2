"""Good standing: whether an affiliate's dues are paid up closely enough for it to vote.

Dues are kept in one entity's books (`dues_entity`: the money settings say which, else the
default entity), and good standing is counted over those books alone: the invoices of
schedules in that entity and the payments into it. Payments pay an affiliate's oldest invoices
first. The affiliate is in arrears from the due
date of the oldest invoice not fully paid; it is not in good standing when that is more than
the organization's `max_days_in_arrears` ago, unless a waiver covers the day. Affiliates with
no invoices are in good standing. Democracy asks `not_in_good_standing` when it turns an
electorate into voting rights (democracy/electorates.py), and nowhere else.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum
from django.utils import timezone

from powerbase.coalition.models import Affiliate
from powerbase.core.models import Organization
from powerbase.money.amounts import format_cents
from powerbase.money.entities import Books, default_entity
from powerbase.money.models import Entity, Invoice, MoneySettings, Payment, StandingWaiver


@dataclass(frozen=True)
class Standing:
    """An affiliate's dues position on one day, and what it means for its votes."""

    affiliate_id: int
    affiliate_name: str
    invoiced_cents: int
    paid_cents: int
    oldest_unpaid_due: date | None
    days_in_arrears: int
    max_days: int
    waiver: StandingWaiver | None
    currency: str = "USD"

    @property
    def balance_cents(self) -> int:
        """What the affiliate owes (negative: paid ahead)."""
        return self.invoiced_cents - self.paid_cents

    @property
    def past_the_rule(self) -> bool:
        return self.days_in_arrears > self.max_days

    @property
    def in_good_standing(self) -> bool:
        return not self.past_the_rule or self.waiver is not None

    @property
    def reason(self) -> str:
        """Return why the affiliate is or is not in good standing, in a sentence."""
        if not self.past_the_rule:
            return (
                "Dues paid up."
                if self.days_in_arrears == 0
                else (
                    f"{self.days_in_arrears} days in arrears, within the {self.max_days} allowed."
                )
            )
        arrears = (
            f"{self.days_in_arrears} days in arrears "
            f"({format_cents(self.balance_cents, self.currency)} "
            f"owed, unpaid since {self.oldest_unpaid_due:%-d %b %Y}); the rule allows "
            f"{self.max_days}"
        )
        if self.waiver is not None:
            return f"Waived by {self.waiver.decided_by}: {self.waiver.reason} ({arrears})."
        return f"Not in good standing: {arrears}."


def settings_for(organization: Organization) -> MoneySettings:
    """Return the organization's money settings, the defaults until someone changes them."""
    found = MoneySettings.objects.filter(organization=organization).first()
    return found or MoneySettings(organization=organization)


def dues_entity(organization: Organization) -> Entity:
    """The entity whose books keep affiliate dues: the settings' choice, else the default."""
    chosen = settings_for(organization).dues_entity
    return chosen if chosen is not None else default_entity(organization)


def standings(
    organization: Organization, on: date | None = None, books: Books | None = None
) -> dict[int, Standing]:
    """Return affiliate id -> Standing on day *on* (today) for every affiliate of the org,
    counted over the dues entity's books unless other *books* are asked for (a page showing
    another entity's dues, or all combined); good standing itself is always the dues books'."""
    on = on or timezone.localdate()
    rules = settings_for(organization)
    if books is None:
        books = Books(entity=dues_entity(organization), choices=())
    paid = dict(
        Payment.objects.filter(books.q(), organization=organization, received_on__lte=on)
        .values_list("affiliate_id")
        .annotate(total=Sum("amount_cents"))
    )
    invoices: dict[int, list[tuple[date, int]]] = {}
    for affiliate_id, due_on, cents in (
        Invoice.objects.filter(
            books.q("schedule__"), organization=organization, period_start__lte=on
        )
        .order_by("due_on", "id")
        .values_list("affiliate_id", "due_on", "amount_cents")
    ):
        invoices.setdefault(affiliate_id, []).append((due_on, cents))
    waivers = _waivers(organization, on)
    found = {}
    for affiliate in Affiliate.objects.filter(organization=organization):
        owed = invoices.get(affiliate.pk, [])
        oldest = _oldest_unpaid(owed, paid.get(affiliate.pk) or 0)
        days = max((on - oldest).days, 0) if oldest else 0
        found[affiliate.pk] = Standing(
            affiliate_id=affiliate.pk,
            affiliate_name=affiliate.name,
            invoiced_cents=sum(cents for _, cents in owed),
            paid_cents=paid.get(affiliate.pk) or 0,
            oldest_unpaid_due=oldest,
            days_in_arrears=days,
            max_days=rules.max_days_in_arrears,
            waiver=waivers.get(affiliate.pk),
            currency=rules.currency,
        )
    return found


def _oldest_unpaid(invoices: list[tuple[date, int]], paid_cents: int) -> date | None:
    """Return the due date of the first invoice the payments do not cover, oldest first."""
    covered = paid_cents
    for due_on, cents in invoices:
        if covered < cents:
            return due_on
        covered -= cents
    return None


def _waivers(organization: Organization, on: date) -> dict[int, StandingWaiver]:
    current = StandingWaiver.objects.filter(organization=organization, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    found: dict[int, StandingWaiver] = {}
    for waiver in current.order_by("-starts_on", "-id"):
        found.setdefault(waiver.affiliate_id, waiver)
    return found


def not_in_good_standing(organization: Organization, on: date | None = None) -> dict[int, str]:
    """Return affiliate id -> the reason, for each affiliate that loses its votes today."""
    return {
        affiliate_id: standing.reason
        for affiliate_id, standing in standings(organization, on).items()
        if not standing.in_good_standing
    }
