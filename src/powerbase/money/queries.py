"""Read queries of the money app, always through `access` for what a person asks to see.

not_in_good_standing(org)        affiliate id -> reason, for democracy's electorates (no actor:
                                 the voting rule applies to everyone alike)
dues_overview(actor)             every affiliate's dues position, for the dues page
affiliate_dues(actor, id)        one affiliate's schedules, invoices, payments and waivers
income_by_class(actor, year)     the year's income per source class, individual gifts split
                                 into small and large donors by the organization's threshold
income_lines(actor)              income lines, newest first
budget_vs_actual(actor, budget)  per category: planned, spent, variance
bookkeeper_rows(actor, year)     every line of money in and out of a year, with account codes
member_dues_of(actor, person)    a person's own dues the sharing terms let the actor see
"""

from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from powerbase.actions.models import Campaign
from powerbase.coalition.models import Affiliate
from powerbase.core import access
from powerbase.core.access import Actor
from powerbase.core.exceptions import InvalidInput
from powerbase.democracy.models import Decision
from powerbase.money import entities as entity_books
from powerbase.money.entities import Books
from powerbase.money.models import (
    INCOME_ACCOUNTS,
    Budget,
    DuesSchedule,
    Entity,
    Expense,
    Grant,
    IncomeLine,
    Invoice,
    MemberDues,
    MoneyImport,
    MoneySettings,
    Payment,
    SourceClass,
    StandingWaiver,
)
from powerbase.money.standing import (
    Standing,
    dues_entity,
    not_in_good_standing,
    settings_for,
    standings,
)

__all__ = ["dues_entity", "not_in_good_standing", "settings_for", "standings"]

VIEW = "resources.view"


def settings(actor: Actor) -> MoneySettings:
    access.require(actor, VIEW)
    return settings_for(actor.organization)


def entities(actor: Actor) -> QuerySet[Entity]:
    """The organization's legal entities, the default (first) one first."""
    access.require(actor, VIEW)
    entity_books.default_entity(actor.organization)
    return access.scoped(actor, Entity.objects.order_by("id"))


def entity_by_slug(actor: Actor, slug: str) -> Entity:
    """The entity with the short name *slug* (`--entity c4`), or an error naming them all."""
    known = list(entities(actor))
    for entity in known:
        if entity.slug == slug.strip().lower():
            return entity
    names = ", ".join(f"'{e.slug}' ({e})" for e in known)
    raise InvalidInput(f"There is no entity '{slug}'. The entities are: {names}.")


def books(actor: Actor, asked: str | None) -> Books:
    """Which entity's books a page shows: `?entity=` names one, "all" combines them, and
    nothing means the default entity: no page mixes entities unless asked."""
    access.require(actor, VIEW)
    return entity_books.books(actor.organization, asked)


def affiliates(actor: Actor) -> QuerySet[Affiliate]:
    access.require(actor, VIEW)
    return access.scoped(actor, Affiliate.objects.all())


def dues_books(actor: Actor, asked: str | None) -> Books:
    """Which entity's dues a dues page shows: `?entity=` names one, "all" combines them, and
    nothing means the dues entity, whose books decide good standing."""
    access.require(actor, VIEW)
    if asked:
        return entity_books.books(actor.organization, asked)
    found = entity_books.books(actor.organization, None)
    return Books(entity=dues_entity(actor.organization), choices=found.choices)


def dues_overview(actor: Actor, books: Books | None = None) -> list[Standing]:
    """Return each affiliate's dues position today in *books* (the dues entity's), those
    with schedules or invoices first."""
    access.require(actor, VIEW)
    visible = set(affiliates(actor).values_list("id", flat=True))
    found = standings(actor.organization, books=books)
    return sorted(
        (s for s in found.values() if s.affiliate_id in visible),
        key=lambda s: (s.invoiced_cents == 0, s.affiliate_name),
    )


@dataclass(frozen=True)
class AffiliateDues:
    affiliate: Affiliate
    standing: Standing
    schedules: list[DuesSchedule]
    invoices: list[Invoice]
    payments: list[Payment]
    waivers: list[StandingWaiver]


def affiliate_dues(actor: Actor, affiliate_id: int, books: Books | None = None) -> AffiliateDues:
    """One affiliate's schedules, invoices and payments in *books* (the dues entity's), with
    its standing counted over them."""
    access.require(actor, VIEW)
    affiliate = access.get(actor, Affiliate, pk=affiliate_id)
    books = books or dues_books(actor, None)
    mine = {"affiliate": affiliate}
    return AffiliateDues(
        affiliate=affiliate,
        standing=standings(actor.organization, books=books)[affiliate.pk],
        schedules=list(access.scoped(actor, books.of(DuesSchedule.objects.filter(**mine)))),
        invoices=list(
            access.scoped(actor, Invoice.objects.filter(books.q("schedule__"), **mine)).order_by(
                "-due_on"
            )
        ),
        payments=list(access.scoped(actor, books.of(Payment.objects.filter(**mine)))),
        waivers=list(
            access.scoped(
                actor, StandingWaiver.objects.filter(affiliate=affiliate).select_related("decision")
            )
        ),
    )


def income_lines(actor: Actor) -> QuerySet[IncomeLine]:
    access.require(actor, VIEW)
    return access.scoped(actor, IncomeLine.objects.select_related("grant"))


def grants(actor: Actor) -> QuerySet[Grant]:
    access.require(actor, VIEW)
    return access.scoped(actor, Grant.objects.all())


def imports(actor: Actor) -> QuerySet[MoneyImport]:
    access.require(actor, VIEW)
    return access.scoped(actor, MoneyImport.objects.all())


def income_by_class(actor: Actor, year: int, books: Books) -> dict[str, int]:
    """Return source class -> net cents received in *year* (refunds taken off).

    A donor is a small donor when their gifts in the year, less refunds, stay under the
    organization's threshold. Donors are told apart by their person in the base, else by the
    email, else the name the vendor gave.
    """
    access.require(actor, VIEW)
    threshold = settings_for(actor.organization).small_donor_threshold_cents
    totals = {c.value: 0 for c in SourceClass}
    lines = books.of(income_lines(actor).filter(received_on__year=year))
    for source_class, cents in (
        lines.exclude(source_class="individual")
        .values_list("source_class")
        .annotate(total=Sum("amount_cents"))
    ):
        totals[source_class] += cents or 0
    donors: dict[object, int] = {}
    for person_id, email, name, cents in lines.filter(source_class="individual").values_list(
        "person_id", "payer_email", "payer_name", "amount_cents"
    ):
        donor = person_id or email.lower() or name.lower()
        donors[donor] = donors.get(donor, 0) + cents
    for total in donors.values():
        large = total >= threshold
        totals[SourceClass.LARGE_DONORS if large else SourceClass.SMALL_DONORS] += total
    totals[SourceClass.AFFILIATE_DUES] += (
        books.of(access.scoped(actor, Payment.objects.filter(received_on__year=year))).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )
    return totals


@dataclass(frozen=True)
class IncomeRowTotal:
    source_class: str
    label: str
    cents: int
    share: float  # a percentage for display only; the amounts stay in cents
    from_the_base: bool


# The base: the members, the affiliates and the small donors (the IPO article's test).
FROM_THE_BASE = frozenset(
    {SourceClass.MEMBER_DUES, SourceClass.AFFILIATE_DUES, SourceClass.SMALL_DONORS}
)


def income_table(actor: Actor, year: int, books: Books) -> list[IncomeRowTotal]:
    """Return the year's income per source class with its share of the total."""
    totals = income_by_class(actor, year, books)
    whole = sum(totals.values())
    return [
        IncomeRowTotal(
            source_class=c.value,
            label=c.label,
            cents=totals[c.value],
            share=round(100 * totals[c.value] / whole, 1) if whole else 0.0,
            from_the_base=c in FROM_THE_BASE,
        )
        for c in SourceClass
    ]


def budgets(actor: Actor) -> QuerySet[Budget]:
    access.require(actor, VIEW)
    return access.scoped(actor, Budget.objects.select_related("campaign"))


def budget(actor: Actor, budget_id: int) -> Budget:
    access.require(actor, VIEW)
    return access.get(actor, Budget.objects.select_related("campaign", "entity"), pk=budget_id)


def expenses(actor: Actor) -> QuerySet[Expense]:
    access.require(actor, VIEW)
    return access.scoped(actor, Expense.objects.select_related("budget", "decision"))


DECISIONS_SHOWN = 15


def decisions_matching(actor: Actor, query: str) -> list[Decision]:
    """The decision picker's answers: decisions whose title has every word typed, newest
    first (the most recent when nothing is typed)."""
    access.require(actor, VIEW)
    found = access.scoped(actor, Decision.objects.select_related("assembly"))
    for word in query.split()[:8]:
        found = found.filter(title__icontains=word)
    return list(found.order_by("-decided_on", "-id")[:DECISIONS_SHOWN])


def decision(actor: Actor, decision_id: int) -> Decision:
    """A decision of the actor's organization (the waiver and expense forms' choice)."""
    access.require(actor, VIEW)
    return access.get(actor, Decision, pk=decision_id)


@dataclass(frozen=True)
class Variance:
    category: str
    account_code: str
    budgeted_cents: int
    actual_cents: int

    @property
    def variance_cents(self) -> int:
        """What is left to spend (negative: overspent)."""
        return self.budgeted_cents - self.actual_cents


def budget_vs_actual(actor: Actor, found: Budget) -> list[Variance]:
    """Return each category the budget plans or was charged, planned against spent."""
    access.require(actor, VIEW)
    spent = dict(
        expenses(actor)
        .filter(budget=found)
        .values_list("category")
        .annotate(total=Sum("amount_cents"))
    )
    rows = [
        Variance(line.category, line.account_code, line.amount_cents, spent.pop(line.category, 0))
        for line in found.lines.all()
    ]
    rows += [Variance(category, "", 0, cents) for category, cents in sorted(spent.items())]
    return rows


BOOKKEEPER_COLUMNS = ("date", "account_code", "kind", "description", "amount", "reference")


def bookkeeper_rows(actor: Actor, year: int, books: Books) -> list[tuple[str, ...]]:
    """Return the year's money in (positive) and out (negative) as rows for the bookkeeper's
    CSV: date, account code, kind, description, amount (e.g. -125.00), reference."""
    access.require(actor, VIEW)
    rows: list[tuple] = []
    for line in books.of(income_lines(actor).filter(received_on__year=year)):
        rows.append(
            (
                line.received_on,
                INCOME_ACCOUNTS[line.source_class],
                "refund" if line.amount_cents < 0 else "income",
                f"{line.get_source_class_display()}: {line.payer_name}".strip(": "),
                line.amount_cents,
                line.external_id,
            )
        )
    for payment in books.of(
        access.scoped(
            actor, Payment.objects.filter(received_on__year=year).select_related("affiliate")
        )
    ):
        rows.append(
            (
                payment.received_on,
                INCOME_ACCOUNTS["affiliate_dues"],
                "income",
                f"Affiliate dues: {payment.affiliate}",
                payment.amount_cents,
                payment.reference,
            )
        )
    for expense in books.of(expenses(actor).filter(spent_on__year=year)):
        rows.append(
            (
                expense.spent_on,
                expense.account_code,
                "expense",
                f"{expense.category}: {expense.payee}".strip(": "),
                -expense.amount_cents,
                expense.reference,
            )
        )
    rows.sort(key=lambda row: (row[0], row[1], row[5]))
    return [
        (day.isoformat(), code, kind, text, _plain_amount(cents), ref)
        for day, code, kind, text, cents, ref in rows
    ]


def _plain_amount(cents: int) -> str:
    """An amount as a bookkeeping system reads it: -1234.50, no symbol or grouping."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def campaigns(actor: Actor) -> QuerySet[Campaign]:
    """The campaigns a budget may be for."""
    access.require(actor, VIEW)
    return access.scoped(actor, Campaign.objects.all())


def member_dues_of(actor: Actor, person) -> list[MemberDues]:
    """Return *person*'s dues that *actor* may see: the person must be in reach
    (`people.view`), and each row follows its affiliate's sharing terms like a contact fact
    it provided (`coalition.visibility`); dues to the IPO follow the IPO's own facts' rule."""
    access.require(actor, "people.view")
    if not (actor.can(VIEW) or actor.is_affiliate_scoped):
        return []  # member leaders see people, not their money
    seen = access.person_visibility(actor, person)
    rows = access.scoped(
        actor, MemberDues.objects.filter(person_id=person.pk).select_related("affiliate")
    )
    return [row for row in rows if seen.shows_provided_by(row.affiliate_id)]


def member_dues_affiliates(actor: Actor, person) -> list[Affiliate]:
    """The affiliates *actor* may record *person*'s dues to: a lead's own of the person's."""
    memberships = person.affiliate_memberships.all()
    return [
        m.affiliate
        for m in memberships
        if not actor.is_affiliate_scoped or m.affiliate_id in actor.affiliate_ids
    ]


def affiliate_of(actor: Actor, affiliate_id: int | None) -> Affiliate | None:
    """The affiliate a form chose, in the actor's reach; None stays None (the IPO itself)."""
    if affiliate_id is None:
        return None
    return access.get(actor, Affiliate, pk=affiliate_id)
