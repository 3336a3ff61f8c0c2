"""Write operations of the money app. Each checks access, runs in one transaction and is
audited.

Sections: settings and the good-standing rule; dues (schedules, invoices, payments, waivers).
"""

from datetime import date, timedelta

from django.db import transaction

from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput
from powerbase.democracy.models import Decision
from powerbase.money.amounts import format_cents
from powerbase.money.models import DuesSchedule, Invoice, MoneySettings, Payment, StandingWaiver

MANAGE = "resources.manage"
# Dues are payable within this many days of the start of their period.
DAYS_TO_PAY = 30
MONTHS = {
    DuesSchedule.Period.MONTHLY: 1,
    DuesSchedule.Period.QUARTERLY: 3,
    DuesSchedule.Period.YEARLY: 12,
}


# Settings ----------------------------------------------------------------------------------


def save_settings(
    *,
    actor: Actor,
    currency: str,
    max_days_in_arrears: int,
    small_donor_threshold_cents: int,
) -> MoneySettings:
    """Set the organization's currency, good-standing rule and small-donor threshold."""
    access.require(actor, MANAGE)
    currency = currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput(
            f"'{currency}' is not a currency code; use three letters, e.g. USD.", field="currency"
        )
    if small_donor_threshold_cents <= 0:
        raise InvalidInput(
            "The small-donor threshold must be more than zero.",
            field="small_donor_threshold_cents",
        )
    with transaction.atomic():
        found, _ = MoneySettings.objects.select_for_update().get_or_create(
            organization=actor.organization
        )
        before = {
            "currency": found.currency,
            "max_days_in_arrears": found.max_days_in_arrears,
            "small_donor_threshold_cents": found.small_donor_threshold_cents,
        }
        found.currency = currency
        found.max_days_in_arrears = max_days_in_arrears
        found.small_donor_threshold_cents = small_donor_threshold_cents
        found.save()
        after = {
            "currency": currency,
            "max_days_in_arrears": max_days_in_arrears,
            "small_donor_threshold_cents": small_donor_threshold_cents,
        }
        audit.record(
            actor,
            "money.settings_changed",
            found,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
    return found


# Dues --------------------------------------------------------------------------------------


def create_schedule(
    *,
    actor: Actor,
    affiliate: Affiliate,
    kind: str,
    period: str,
    starts_on: date,
    amount_cents: int = 0,
    tiers: list[list[int]] | None = None,
    ends_on: date | None = None,
) -> DuesSchedule:
    """Set what *affiliate* owes in dues each period from *starts_on*."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, affiliate)
    if kind not in DuesSchedule.Kind.values:
        raise InvalidInput(f"'{kind}' is not a kind of dues schedule.", field="kind")
    if period not in DuesSchedule.Period.values:
        raise InvalidInput(f"'{period}' is not a dues period.", field="period")
    tiers = _checked_tiers(tiers or []) if kind == DuesSchedule.Kind.SLIDING else []
    if kind != DuesSchedule.Kind.SLIDING and amount_cents <= 0:
        raise InvalidInput("Dues need an amount of more than zero.", field="amount")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput("The schedule cannot end before it starts.", field="ends_on")
    with transaction.atomic():
        schedule = DuesSchedule.objects.create(
            organization=actor.organization,
            affiliate=affiliate,
            kind=kind,
            period=period,
            amount_cents=amount_cents if kind != DuesSchedule.Kind.SLIDING else 0,
            tiers=tiers,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit.record(
            actor,
            "money.schedule_created",
            schedule,
            changes={"kind": kind, "period": period, "amount_cents": amount_cents, "tiers": tiers},
        )
    return schedule


def _checked_tiers(tiers: list[list[int]]) -> list[list[int]]:
    if not tiers:
        raise InvalidInput(
            "A sliding schedule needs at least one tier, e.g. '0: 50.00' (from 0 members).",
            field="tiers",
        )
    sizes = [size for size, _ in tiers]
    if sizes != sorted(set(sizes)) or sizes[0] != 0:
        raise InvalidInput(
            "Sliding tiers start at size 0 and go up, each size once.", field="tiers"
        )
    if any(cents <= 0 for _, cents in tiers):
        raise InvalidInput("Each tier needs an amount of more than zero.", field="tiers")
    return [[int(size), int(cents)] for size, cents in tiers]


def add_months(day: date, months: int) -> date:
    """Return *day* moved by *months* calendar months, kept within the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def periods(schedule: DuesSchedule, through: date) -> list[tuple[date, date]]:
    """Return (start, end) of each period of *schedule* that starts on or before *through*."""
    found = []
    step = MONTHS[DuesSchedule.Period(schedule.period)]
    index = 0
    while True:
        start = add_months(schedule.starts_on, step * index)
        if start > through or (schedule.ends_on and start > schedule.ends_on):
            return found
        found.append(
            (start, add_months(schedule.starts_on, step * (index + 1)) - timedelta(days=1))
        )
        index += 1


def amount_due(schedule: DuesSchedule, currency: str = "USD") -> tuple[int, str]:
    """Return the cents one period of *schedule* costs today, and how that was reached."""
    affiliate = schedule.affiliate
    if schedule.kind == DuesSchedule.Kind.FLAT:
        return schedule.amount_cents, "flat amount"
    if schedule.kind == DuesSchedule.Kind.PER_MEMBER:
        members = AffiliateMembership.objects.filter(
            affiliate=affiliate, status=AffiliateMembership.Status.ACTIVE
        ).count()
        rate = format_cents(schedule.amount_cents, currency)
        return members * schedule.amount_cents, f"{members} active members at {rate}"
    if affiliate.claimed_size is None:
        raise InvalidInput(
            f"{affiliate} has a sliding dues schedule but no claimed size; set its claimed "
            "size on the affiliate's page first."
        )
    size, cents = next((s, c) for s, c in reversed(schedule.tiers) if affiliate.claimed_size >= s)
    return cents, f"claimed size {affiliate.claimed_size} (tier from {size})"


def issue_invoices(*, actor: Actor, through: date) -> list[Invoice]:
    """Issue every invoice the schedules owe for periods starting on or before *through*.

    Safe to run again: a period already invoiced is skipped. Nothing is issued when one
    schedule cannot be priced (the error names it)."""
    access.require(actor, MANAGE)
    currency = (
        MoneySettings.objects.filter(organization=actor.organization)
        .values_list("currency", flat=True)
        .first()
        or "USD"
    )
    issued = []
    with transaction.atomic():
        schedules = DuesSchedule.objects.filter(organization=actor.organization).select_related(
            "affiliate"
        )
        for schedule in schedules.select_for_update(of=("self",)):
            done = set(schedule.invoices.values_list("period_start", flat=True))
            for start, end in periods(schedule, through):
                if start in done:
                    continue
                cents, basis = amount_due(schedule, currency)
                invoice = Invoice.objects.create(
                    organization=actor.organization,
                    affiliate=schedule.affiliate,
                    schedule=schedule,
                    period_start=start,
                    period_end=end,
                    due_on=start + timedelta(days=DAYS_TO_PAY),
                    amount_cents=cents,
                    basis=basis[:200],
                )
                audit.record(
                    actor, "money.invoice_issued", invoice, changes={"amount_cents": cents}
                )
                issued.append(invoice)
    return issued


def record_payment(
    *,
    actor: Actor,
    affiliate: Affiliate,
    amount_cents: int,
    received_on: date,
    method: str = Payment.Method.CHECK,
    reference: str = "",
) -> Payment:
    """Record dues *affiliate* paid; it pays the oldest invoices first."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, affiliate)
    if amount_cents <= 0:
        raise InvalidInput("A payment needs an amount of more than zero.", field="amount")
    if method not in Payment.Method.values:
        raise InvalidInput(f"'{method}' is not a way of paying.", field="method")
    with transaction.atomic():
        payment = Payment.objects.create(
            organization=actor.organization,
            affiliate=affiliate,
            amount_cents=amount_cents,
            received_on=received_on,
            method=method,
            reference=reference.strip()[:100],
        )
        audit.record(
            actor,
            "money.payment_recorded",
            payment,
            changes={"amount_cents": amount_cents, "received_on": received_on.isoformat()},
        )
    return payment


def record_waiver(
    *,
    actor: Actor,
    affiliate: Affiliate,
    reason: str,
    decided_by: str,
    starts_on: date,
    ends_on: date | None = None,
    decision: Decision | None = None,
) -> StandingWaiver:
    """Record that a body let *affiliate* keep its votes although its dues are in arrears."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, affiliate, decision)
    reason, decided_by = reason.strip(), decided_by.strip()
    if not reason:
        raise InvalidInput("Say why the rule is waived.", field="reason")
    if not decided_by:
        raise InvalidInput(
            "Say who decided the waiver, e.g. 'Steering committee, 3 March 2026'.",
            field="decided_by",
        )
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput("The waiver cannot end before it starts.", field="ends_on")
    with transaction.atomic():
        waiver = StandingWaiver.objects.create(
            organization=actor.organization,
            affiliate=affiliate,
            reason=reason,
            decided_by=decided_by[:200],
            decision=decision,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit.record(
            actor,
            "money.waiver_recorded",
            waiver,
            changes={"reason": reason, "decided_by": decided_by},
        )
    return waiver
