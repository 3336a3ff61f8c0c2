"""The money demo: a year of fictional dues, donations, grants, spending and hours that makes
the self-funding dashboard tell a story.

Nutmeg starts the year leaning on one foundation grant; month by month small donors and dues
grow until the base pays for most of the work. One affiliate stops paying its dues in the
summer and is not in good standing by autumn, so its delegates and bloc weight do not vote.
Two legal entities keep their books apart: Nutmeg's 501(c)(4) (the default: dues, donations,
the operating budget) and its education fund, a 501(c)(3) with a foundation grant of its own,
the Democracy School's fees and a small budget. Every name, amount and funder is made up.
Seeded, repeatable, loaded once.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from powerbase.actions.models import Campaign
from powerbase.coalition.models import Affiliate
from powerbase.coalition.services import update_affiliate
from powerbase.core import access
from powerbase.core.models import Organization
from powerbase.money import services
from powerbase.money.entities import default_entity
from powerbase.money.models import Budget, DuesSchedule

SEED = 1914
DONOR_GIVEN = ["Ada", "Bram", "Cleo", "Dev", "Esme", "Fitz", "Gia", "Hollis", "Ines", "Jules"]
DONOR_FAMILY = ["Arbuckle", "Brightwater", "Calloway", "Dunmore", "Everly", "Fairbanks"]
LARGE_DONORS = [("Octavia Pemberton-Hale", 250000), ("Rutherford Quill", 100000)]
FOUNDATION = "Elmwood Community Fund (fictional)"
EDUCATION_FUNDER = "Harbor Light Foundation (fictional)"
BUDGET_LINES = [
    ("Staff", "6100", 21000000),
    ("Printing", "6300", 1800000),
    ("Events and food", "6400", 900000),
    ("Software and data", "6500", 600000),
]


def load_money_demo(organization: Organization, today: date | None = None) -> dict:
    """Load the year of money and hours, January to *today*'s month, into *organization*, once."""
    if Budget.objects.filter(organization=organization, name="Operating").exists():
        return {"status": "already loaded"}
    actor = access.system(organization)
    today = today or timezone.localdate()
    start = date(today.year, 1, 1)
    rng = random.Random(SEED)
    with transaction.atomic():
        _rename_default_entity(actor)
        behind = _dues(actor, start, today)
        _income(actor, start, today, rng)
        _budget(actor, start, today, rng)
        _education_fund(actor, start, today, rng)
        _hours(actor, start, today, rng)
    return {"affiliate behind on dues": behind}


def _rename_default_entity(actor) -> None:
    """The books' default entity is the IPO's 501(c)(4); name it as one."""
    services.rename_entity(
        actor=actor,
        entity=default_entity(actor.organization),
        name=f"{actor.organization.name} Action (fictional 501(c)(4))",
    )


def _education_fund(actor, start: date, today: date, rng: random.Random) -> None:
    """The 501(c)(3): a foundation grant paid in two installments, the Democracy School's fees,
    and a budget for trainings that the grant pays for."""
    fund = services.create_entity(
        actor=actor,
        name=f"{actor.organization.name} Education Fund (fictional)",
        slug="c3",
        kind="501c3",
    )
    grant = services.create_grant(
        actor=actor, funder=EDUCATION_FUNDER, amount_cents=4000000, starts_on=start,
        ends_on=date(start.year, 12, 31), restricted_to="Leadership trainings",
        reports_due=[date(start.year, 12, 15)], entity=fund,
    )  # fmt: skip
    for installment in (1, 7):
        if installment <= today.month:
            services.record_income(
                actor=actor, amount_cents=2000000, received_on=date(start.year, installment, 8),
                source_class="foundations", grant=grant,
            )  # fmt: skip
    budget = services.create_budget(
        actor=actor, name="Leadership trainings", year=start.year, entity=fund
    )
    services.set_budget_line(
        actor=actor, budget=budget, category="Trainers", account_code="6200", amount_cents=3000000
    )
    for month in _months(start, today):
        services.record_income(
            actor=actor, amount_cents=rng.choice([30000, 45000, 60000]),
            received_on=month + timedelta(days=14), source_class="earned_income",
            payer_name="Democracy School fees", entity=fund,
        )  # fmt: skip
        services.record_expense(
            actor=actor, spent_on=month + timedelta(days=22), budget=budget,
            amount_cents=int(3000000 / 12 * rng.uniform(0.7, 1.1)), category="Trainers",
            account_code="6200", payee="Fictional Training Collective",
        )  # fmt: skip


def _months(start: date, today: date) -> list[date]:
    return [date(start.year, m, 1) for m in range(1, today.month + 1)]


def _dues(actor, start: date, today: date) -> str:
    """A schedule per member affiliate; all pay on time but one, which stops in June."""
    affiliates = list(
        Affiliate.objects.filter(organization=actor.organization, status=Affiliate.Status.MEMBER)
    )
    for affiliate in affiliates:
        if affiliate.claimed_size is None:
            affiliate = update_affiliate(
                actor=actor, affiliate=affiliate, changes={"claimed_size": 150}
            )
        services.create_schedule(
            actor=actor,
            affiliate=affiliate,
            kind=DuesSchedule.Kind.SLIDING,
            period=DuesSchedule.Period.QUARTERLY,
            tiers=[[0, 30000], [200, 60000], [1000, 150000]],
            starts_on=start,
        )
    invoices = services.issue_invoices(actor=actor, through=today)
    behind = affiliates[-1] if len(affiliates) > 1 else None
    for invoice in invoices:
        late = behind is not None and invoice.affiliate_id == behind.pk
        if late and invoice.period_start.month > 3:
            continue  # stopped paying after the first quarter
        paid_on = min(invoice.due_on - timedelta(days=10), today)
        services.record_payment(
            actor=actor,
            affiliate=invoice.affiliate,
            amount_cents=invoice.amount_cents,
            received_on=paid_on,
            reference=f"chk {1000 + invoice.pk}",
        )
    return behind.name if behind else ""


def _income(actor, start: date, today: date, rng: random.Random) -> None:
    grant = services.create_grant(
        actor=actor,
        funder=FOUNDATION,
        amount_cents=9000000,
        starts_on=start,
        ends_on=date(start.year, 12, 31),
        restricted_to="Civic engagement",
        reports_due=[date(start.year, 6, 30), date(start.year, 12, 31)],
    )
    for number, month in enumerate(_months(start, today)):
        day = month + timedelta(days=4)
        if number in (0, 1, 2, 6):  # the grant front-loaded in four installments
            services.record_income(
                actor=actor, amount_cents=2250000, received_on=day, source_class="foundations",
                grant=grant,
            )  # fmt: skip
        # Small donors: more of them every month as the base grows.
        for _ in range(12 + 6 * number):
            services.record_income(
                actor=actor,
                amount_cents=rng.choice([500, 1000, 1500, 2500, 5000]),
                received_on=day + timedelta(days=rng.randrange(20)),
                source_class="individual",
                payer_name=f"{rng.choice(DONOR_GIVEN)} {rng.choice(DONOR_FAMILY)}",
                recurring=rng.random() < 0.4,
            )
        services.record_income(
            actor=actor, amount_cents=180000 + 25000 * number, received_on=day,
            source_class="member_dues", payer_name="Direct members (card and check-off)",
        )  # fmt: skip
        if number % 3 == 1:
            services.record_income(
                actor=actor, amount_cents=250000, received_on=day, source_class="union_funds",
                payer_name="Educators Local 12 political fund",
            )  # fmt: skip
    for month_index, (name, cents) in zip((1, 4), LARGE_DONORS, strict=True):
        if month_index < today.month:
            services.record_income(
                actor=actor, amount_cents=cents, received_on=date(start.year, month_index + 1, 12),
                source_class="individual", payer_name=name,
            )  # fmt: skip


def _budget(actor, start: date, today: date, rng: random.Random) -> None:
    budget = services.create_budget(actor=actor, name="Operating", year=start.year)
    for category, code, cents in BUDGET_LINES:
        services.set_budget_line(
            actor=actor, budget=budget, category=category, account_code=code, amount_cents=cents
        )
    for month in _months(start, today):
        for category, code, cents in BUDGET_LINES:
            spent = int(cents / 12 * rng.uniform(0.8, 1.25))
            services.record_expense(
                actor=actor, spent_on=month + timedelta(days=20), amount_cents=spent,
                category=category, account_code=code, budget=budget,
                payee="Payroll" if category == "Staff" else "Fictional Vendor Co.",
            )  # fmt: skip


def _hours(actor, start: date, today: date, rng: random.Random) -> None:
    campaign = Campaign.objects.filter(organization=actor.organization).order_by("id").first()
    lenders = list(
        Affiliate.objects.filter(
            organization=actor.organization, status=Affiliate.Status.MEMBER
        ).order_by("name")[:2]
    )
    for number, month in enumerate(_months(start, today)):
        services.record_hours(
            actor=actor, kind="staff", month=month, hours=Decimal(320), campaign=campaign
        )
        for lender in lenders:
            services.record_hours(
                actor=actor, kind="in_kind", month=month,
                hours=Decimal(40 + 10 * number + rng.randrange(20)), campaign=campaign,
                affiliate=lender, rate_cents=3800,
            )  # fmt: skip
        services.record_hours(
            actor=actor, kind="volunteer", month=month,
            hours=Decimal(60 + 25 * number), campaign=campaign,
            note="Phone bank and data entry",
        )  # fmt: skip
