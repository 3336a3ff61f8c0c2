"""Write operations of the money app. Each checks access, runs in one transaction and is
audited.

Sections: settings and the good-standing rule; dues (schedules, invoices, payments, waivers);
income (gifts by hand, imported files, refunds, grants); budgets and expenses; capacity
(hours of staff, staff lent in kind, volunteers).
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from powerbase.actions.models import Campaign
from powerbase.coalition.models import Affiliate, AffiliateMembership
from powerbase.core import access, audit, jobs
from powerbase.core.access import Actor
from powerbase.core.exceptions import Conflict, InvalidInput
from powerbase.core.jobs import Progress
from powerbase.core.models import Job
from powerbase.democracy.models import Decision
from powerbase.imports.errors import InvalidValue
from powerbase.imports.matching import index_of_base, keys_for
from powerbase.imports.normalizing import normalize_email, normalize_phone
from powerbase.money.amounts import format_cents
from powerbase.money.entities import default_entity
from powerbase.money.income_files import IncomeRow, continue_series, read_income, series_period
from powerbase.money.models import (
    STORED_CLASSES,
    Budget,
    BudgetLine,
    CapacityEntry,
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
    StandingWaiver,
)
from powerbase.money.standing import dues_entity, settings_for
from powerbase.people.models import Person, Source
from powerbase.people.services import PersonDetails, create_person, create_source

MANAGE = "resources.manage"
# Dues are payable within this many days of the start of their period.
DAYS_TO_PAY = 30
MONTHS = {
    DuesSchedule.Period.MONTHLY: 1,
    DuesSchedule.Period.QUARTERLY: 3,
    DuesSchedule.Period.YEARLY: 12,
}


# Settings and entities ---------------------------------------------------------------------


def _books(actor: Actor, entity: Entity | None) -> Entity:
    """The entity a new line goes in: the one given (of the actor's organization) or the
    organization's default."""
    access.require_same_organization(actor, entity)
    return entity if entity is not None else default_entity(actor.organization)


def create_entity(*, actor: Actor, name: str, slug: str, kind: str) -> Entity:
    """Add a legal entity whose books are kept apart (a 501(c)(3), a 501(c)(4), a PAC)."""
    access.require(actor, MANAGE)
    name, slug = name.strip(), slug.strip().lower()
    if not name:
        raise InvalidInput("An entity needs its legal name.", field="name")
    if not slug or not slug.replace("-", "").isalnum():
        raise InvalidInput("A short name of letters, digits and dashes, e.g. 'pac'.", field="slug")
    if kind not in Entity.Kind.values:
        raise InvalidInput("Choose 501(c)(3), 501(c)(4), PAC or other.", field="kind")
    default_entity(actor.organization)  # the first entity stays the books' default
    if access.scoped(actor, Entity.objects.filter(slug=slug)).exists():
        raise InvalidInput(f"There is already an entity '{slug}'.", field="slug")
    with transaction.atomic():
        entity = Entity.objects.create(
            organization=actor.organization, name=name[:200], slug=slug[:40], kind=kind
        )
        audit.record(actor, "money.entity_created", entity, changes={"kind": kind})
    return entity


def rename_entity(*, actor: Actor, entity: Entity, name: str) -> Entity:
    """Give an entity its legal name (the default one is made as "<organization>")."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, entity)
    name = name.strip()
    if not name:
        raise InvalidInput("An entity needs its legal name.", field="name")
    with transaction.atomic():
        changes = audit.field_changes({"name": entity.name}, {"name": name[:200]})
        if changes:
            entity.name = name[:200]
            entity.save(update_fields=["name"])
            audit.record(actor, "money.entity_renamed", entity, changes=changes)
    return entity


def save_settings(
    *,
    actor: Actor,
    currency: str,
    max_days_in_arrears: int,
    small_donor_threshold_cents: int,
    dues_entity: Entity | None = None,
) -> MoneySettings:
    """Set the organization's currency, good-standing rule, small-donor threshold and the
    entity whose books keep affiliate dues (None: the default entity)."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, dues_entity)
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
        found, _ = access.scoped(actor, MoneySettings.objects.select_for_update()).get_or_create(
            organization=actor.organization
        )
        before = {
            "currency": found.currency,
            "max_days_in_arrears": found.max_days_in_arrears,
            "small_donor_threshold_cents": found.small_donor_threshold_cents,
            "dues_entity": found.dues_entity.slug if found.dues_entity else None,
        }
        found.dues_entity = dues_entity
        found.currency = currency
        found.max_days_in_arrears = max_days_in_arrears
        found.small_donor_threshold_cents = small_donor_threshold_cents
        found.save()
        after = {
            "currency": currency,
            "max_days_in_arrears": max_days_in_arrears,
            "small_donor_threshold_cents": small_donor_threshold_cents,
            "dues_entity": dues_entity.slug if dues_entity else None,
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
    entity: Entity | None = None,
) -> DuesSchedule:
    """Set what *affiliate* owes in dues each period from *starts_on*, in the books of
    *entity* (the dues entity unless another is given)."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, affiliate, entity)
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
            entity=entity if entity is not None else dues_entity(actor.organization),
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
            changes={
                "kind": kind,
                "period": period,
                "amount_cents": amount_cents,
                "tiers": tiers,
                "entity": schedule.entity.slug,
            },
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
        members = affiliate.memberships.filter(status=AffiliateMembership.Status.ACTIVE).count()
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
    currency = settings_for(actor.organization).currency
    issued = []
    with transaction.atomic():
        schedules = access.scoped(actor, DuesSchedule.objects.select_related("affiliate"))
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
    entity: Entity | None = None,
) -> Payment:
    """Record dues *affiliate* paid, into the books of *entity* (the dues entity unless
    another is given); it pays the oldest invoices of those books first."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, affiliate, entity)
    if amount_cents <= 0:
        raise InvalidInput("A payment needs an amount of more than zero.", field="amount")
    if method not in Payment.Method.values:
        raise InvalidInput(f"'{method}' is not a way of paying.", field="method")
    with transaction.atomic():
        payment = Payment.objects.create(
            organization=actor.organization,
            entity=entity if entity is not None else dues_entity(actor.organization),
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


# Member dues -------------------------------------------------------------------------------


def may_record_member_dues(actor: Actor) -> bool:
    """An affiliate lead records their own members' dues; the IPO's treasurers anyone's."""
    return actor.can(MANAGE) or (actor.is_affiliate_scoped and actor.can("people.edit"))


def record_member_dues(
    *,
    actor: Actor,
    person: Person,
    affiliate: Affiliate | None,
    status: str,
    method: str = "",
    amount_cents: int = 0,
    period: str = DuesSchedule.Period.MONTHLY,
    paid_through: date | None = None,
) -> MemberDues:
    """Set *person*'s dues to *affiliate* (None: to the IPO itself): status, method, amount.

    A lead records dues to their own affiliates only, for its members; dues to the IPO are
    the treasurers'. The audit log keeps that the dues changed, not their status: it is read
    by staff whom the affiliate's sharing terms may not allow to see it.
    """
    if not may_record_member_dues(actor):
        access.require(actor, MANAGE)
    access.require_same_organization(actor, person, affiliate)
    if actor.is_affiliate_scoped:
        access.require_affiliate(actor, affiliate, "Choose one of your affiliates.")
    if (
        affiliate is not None
        and not access.scoped(
            actor, AffiliateMembership.objects.filter(person=person, affiliate=affiliate)
        ).exists()
    ):
        raise InvalidInput(f"{person} is not a member of {affiliate}.", field="affiliate")
    if status not in MemberDues.Status.values:
        raise InvalidInput("Choose current, in arrears or not paying.", field="status")
    if method and method not in MemberDues.Method.values:
        raise InvalidInput("Choose card, bank transfer or payroll check-off.", field="method")
    if amount_cents < 0:
        raise InvalidInput("Dues cannot be negative.", field="amount")
    with transaction.atomic():
        dues, created = access.scoped(actor, MemberDues.objects.all()).update_or_create(
            organization=actor.organization,
            person=person,
            affiliate=affiliate,
            defaults={
                "status": status,
                "method": method,
                "amount_cents": amount_cents,
                "period": period,
                "paid_through": paid_through,
                "updated_at": timezone.now(),
            },
        )
        audit.record(
            actor,
            "money.member_dues_recorded" if created else "money.member_dues_changed",
            dues,
            changes={"dues": "changed"},
        )
    return dues


# Income ------------------------------------------------------------------------------------

STORED_CLASS_VALUES = {value for value, _label in STORED_CLASSES}


def record_income(
    *,
    actor: Actor,
    amount_cents: int,
    received_on: date,
    source_class: str,
    person: Person | None = None,
    payer_name: str = "",
    recurring: bool = False,
    grant: Grant | None = None,
    note: str = "",
    entity: Entity | None = None,
) -> IncomeLine:
    """Record money received, entered by hand: a gift, member dues, a grant payment, earned
    income. Gifts from individuals are told apart as small or large donors on reading."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, person, grant)
    if amount_cents <= 0:
        raise InvalidInput("Income needs an amount of more than zero.", field="amount")
    if source_class not in STORED_CLASS_VALUES:
        raise InvalidInput(f"'{source_class}' is not a source of income.", field="source_class")
    if grant is not None:
        source_class = grant.source_class
        if entity is not None and entity != grant.entity:
            raise InvalidInput(f"The grant is {grant.entity}'s income.", field="entity")
        entity = grant.entity
    with transaction.atomic():
        line = IncomeLine.objects.create(
            organization=actor.organization,
            entity=_books(actor, entity),
            amount_cents=amount_cents,
            received_on=received_on,
            source_class=source_class,
            person=person,
            payer_name=(payer_name or (str(person) if person else ""))[:200],
            recurring=recurring,
            grant=grant,
            note=note[:300],
        )
        audit.record(
            actor,
            "money.income_recorded",
            line,
            changes={"amount_cents": amount_cents, "source_class": source_class},
        )
    return line


def refund(*, actor: Actor, line: IncomeLine, refunded_on: date, amount_cents: int | None = None):
    """Record that the gift *line* was given back, in whole or (with *amount_cents*) in part."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, line)
    already = -sum(r.amount_cents for r in line.refunds.all())
    amount_cents = line.amount_cents - already if amount_cents is None else amount_cents
    if amount_cents <= 0 or amount_cents + already > line.amount_cents:
        raise InvalidInput(
            f"A refund of this gift must be between 0.01 and "
            f"{format_cents(line.amount_cents - already)}.",
            field="amount",
        )
    with transaction.atomic():
        given_back = IncomeLine.objects.create(
            organization=actor.organization,
            entity=line.entity,
            amount_cents=-amount_cents,
            received_on=refunded_on,
            source_class=line.source_class,
            channel=line.channel,
            person=line.person,
            payer_name=line.payer_name,
            refund_of=line,
        )
        audit.record(actor, "money.refunded", given_back, changes={"amount_cents": -amount_cents})
    return given_back


def create_grant(
    *,
    actor: Actor,
    funder: str,
    amount_cents: int,
    starts_on: date,
    ends_on: date,
    restricted_to: str = "",
    reports_due: list[date] | None = None,
    source_class: str = "foundations",
    entity: Entity | None = None,
) -> Grant:
    """Record a grant awarded: who gave it, for what program and period, when reports are due."""
    access.require(actor, MANAGE)
    funder = funder.strip()
    if not funder:
        raise InvalidInput("A grant needs the funder's name.", field="funder")
    if amount_cents <= 0:
        raise InvalidInput("A grant needs an amount of more than zero.", field="amount")
    if ends_on < starts_on:
        raise InvalidInput("The grant period cannot end before it starts.", field="ends_on")
    with transaction.atomic():
        grant = Grant.objects.create(
            organization=actor.organization,
            entity=_books(actor, entity),
            funder=funder[:200],
            amount_cents=amount_cents,
            source_class=source_class,
            restricted_to=restricted_to.strip()[:200],
            starts_on=starts_on,
            ends_on=ends_on,
            reports_due=sorted(d.isoformat() for d in reports_due or []),
        )
        audit.record(actor, "money.grant_created", grant, changes={"amount_cents": amount_cents})
    return grant


CHANNELS = {
    "actblue": IncomeLine.Channel.ACTBLUE,
    "actionnetwork": IncomeLine.Channel.ACTION_NETWORK,
    "everyaction": IncomeLine.Channel.EVERYACTION,
    "ledger": IncomeLine.Channel.LEDGER,
}


def import_income(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    source: str,
    entity: Entity | None = None,
    job: Job | None = None,
    progress: Progress | None = None,
) -> MoneyImport:
    """Bring in every row of an income file, or none: a bad cell refuses the whole file.

    Donors are matched to people by the rules of a list import (imports.matching): same email,
    or same phone and name. Rows whose vendor id is already stored are skipped, so importing
    the same export twice adds nothing. Refunds in the file become refund lines of their gift.
    Individual donors the base does not have yet are added as people, with the file as the
    source of their name, email and phone (`_add_new_donors`).
    """
    access.require(actor, MANAGE)
    entity = _books(actor, entity)
    everything = read_income(file_name, content, source)
    _refuse_repeated_ids(file_name, everything)
    rows = [r for r in everything if r.source_class != "expense"]
    spent = [r for r in everything if r.source_class == "expense"]
    channel = CHANNELS[source]
    with transaction.atomic():
        known = set(
            access.scoped(actor, IncomeLine.objects.all())
            .filter(
                channel=channel,
                external_id__in=[r.external_id for r in rows if r.external_id],
            )
            .values_list("external_id", flat=True)
        )
        known |= _keyed_before_lineitems(actor, rows)
        if source == "actionnetwork":
            rows = continue_series(rows, _series_started(actor, rows))
        new = [r for r in rows if not r.external_id or r.external_id not in known]
        late_refunds = [r for r in rows if r.external_id in known and r.refund_cents]
        if progress is not None:
            progress.update(0, total=len(everything), message="Matching donors to the base")
        people = _match(actor.organization.pk, new)
        batch = MoneyImport.objects.create(
            organization=actor.organization,
            source=source,
            file_name=file_name[:255],
            rows=len(rows),
            lines_already_there=len(rows) - len(new),
            people_matched=sum(1 for p in people if p is not None),
            job=job,
        )
        people, batch.people_created = _add_new_donors(actor, batch, new, people, progress)
        if progress is not None:
            progress.update(len(everything), message="Writing the lines")
        added = _write_lines(actor, batch, entity, channel, new, people)
        added += _write_late_refunds(actor, batch, channel, late_refunds)
        batch.lines_added = len(added)
        batch.net_cents = sum(line.amount_cents for line in added)
        expenses = _write_expenses(actor, batch, entity, spent)
        batch.rows = len(everything)
        batch.lines_already_there += len(spent) - len(expenses)
        batch.expenses_added = len(expenses)
        batch.expenses_cents = sum(e.amount_cents for e in expenses)
        batch.save()
        audit.record(
            actor,
            "money.imported",
            batch,
            changes={
                "rows": batch.rows,
                "lines_added": batch.lines_added,
                "net_cents": batch.net_cents,
            },
        )
    return batch


def _keyed_before_lineitems(actor: Actor, rows: list[IncomeRow]) -> set[str]:
    """The ids of ActBlue rows imported before the importer keyed on the Lineitem ID.

    Those lines were stored under the order number (the Receipt ID), which every recurrence of
    a recurring gift shares; the stored line with the row's order number, amount and date is
    the row itself, so it is already there.
    """
    orders = {r.order_number: r for r in rows if r.order_number}
    if not orders:
        return set()
    stored = set(
        access.scoped(actor, IncomeLine.objects.all())
        .filter(channel=IncomeLine.Channel.ACTBLUE, external_id__in=list(orders))
        .values_list("external_id", "amount_cents", "received_on")
    )
    return {
        r.external_id
        for r in rows
        if r.order_number and (r.order_number, r.amount_cents, r.received_on) in stored
    }


def _series_started(actor: Actor, rows: list[IncomeRow]) -> dict[tuple[str, int], tuple]:
    """Action Network recurring series an earlier import holds for this file's donors: each
    donor email and amount with its last gift's date and the series' period."""
    emails = {r.email.strip() for r in rows if r.email.strip()}
    if not emails:
        return {}
    lines = (
        access.scoped(actor, IncomeLine.objects.all())
        .filter(
            channel=IncomeLine.Channel.ACTION_NETWORK,
            recurring=True,
            payer_email__in=emails | {e.lower() for e in emails},
        )
        .order_by("received_on", "id")
        .values_list("payer_email", "amount_cents", "received_on", "note")
    )
    return {
        (email.lower(), amount): (received_on, series_period(note))
        for email, amount, received_on, note in lines
    }


def _add_new_donors(
    actor: Actor,
    batch: MoneyImport,
    rows: list[IncomeRow],
    people: list[int | None],
    progress: Progress | None = None,
) -> tuple[list[int | None], int]:
    """Add each individual donor the base does not have as a person, once however many of
    their gifts the file holds (the same email, or the same name and phone), with the file as
    the source of their facts. They gave through the IPO's own channel, so like a public
    sign-up they join as direct members. Rows without a name are left unlinked.

    Return the person of every row and how many people were added.
    """
    source = create_source(
        organization=actor.organization,
        kind=Source.Kind.IMPORT,
        label=f"{batch.get_source_display()} import: {batch.file_name}",
        user=actor.user,
    )
    found = list(people)
    added: dict[object, int] = {}
    for index, (row, person_id) in enumerate(zip(rows, people, strict=True)):
        if person_id is not None or row.source_class != "individual":
            continue
        if not (row.given_name or row.family_name):
            continue
        emails = _valid(normalize_email, row.email)
        phones = [p.e164 for p in _valid(normalize_phone, row.phone)]
        name = f"{row.given_name} {row.family_name}".strip().lower()
        donor = ("email", emails[0]) if emails else ("phone", phones[0], name) if phones else None
        if donor is not None and donor in added:
            found[index] = added[donor]
            continue
        try:
            person = create_person(
                actor=actor,
                details=PersonDetails(
                    given_name=row.given_name.strip()[:100],
                    family_name=row.family_name.strip()[:100],
                ),
                email=emails[0] if emails else "",
                phone=phones[0] if phones else "",
                source=source,
            )
        except (Conflict, InvalidInput):  # an email someone has after all; a blank name
            continue
        found[index] = person.pk
        if donor is not None:
            added[donor] = person.pk
        if progress is not None:
            progress.update(index + 1, message="Adding donors new to the base")
    return found, len(set(found) - set(people) - {None})


def start_import(
    *, actor: Actor, file_name: str, content: bytes, source: str, entity: Entity | None = None
) -> Job:
    """Queue a web upload's import as a background job (`import_job`); the file waits in
    DATA_DIR/uploads/money/<org>/ until the job has read it."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, entity)
    if source not in CHANNELS:
        raise InvalidInput(f"'{source}' is not a source of income files.", field="source")
    folder = Path(settings.DATA_DIR) / "uploads" / "money" / actor.organization.slug
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.csv"
    path.write_bytes(content)
    return jobs.start(
        kind="money.import",
        started_by=actor,
        organization=actor.organization,
        params={
            "path": str(path),
            "file_name": file_name[:255],
            "source": source,
            "entity": entity.pk if entity is not None else None,
        },
    )


def import_job(job: Job, progress: Progress) -> dict:
    """Job handler for "money.import": import the uploaded file once (a job run again after
    it finished returns what it did), then delete the upload."""
    organization = jobs.organization_of(job)
    started_by = job.started_by
    actor = (
        access.actor_for(started_by, organization.slug)
        if started_by is not None
        else access.system(organization)
    )
    done = access.scoped(actor, MoneyImport.objects.filter(job=job)).first()
    if done is not None:
        return import_summary(done)
    path = Path(job.params["path"])
    entity_id = job.params.get("entity")
    if not path.exists():
        raise InvalidInput(
            f"{job.params['file_name']} is no longer on the server (an upload not imported "
            "within a day is deleted); upload it again."
        )
    try:
        batch = import_income(
            actor=actor,
            file_name=job.params["file_name"],
            content=path.read_bytes(),
            source=job.params["source"],
            entity=access.get(actor, Entity, pk=entity_id) if entity_id else None,
            job=job,
            progress=progress,
        )
    finally:
        path.unlink(missing_ok=True)
    return import_summary(batch)


def import_summary(batch: MoneyImport) -> dict:
    """What an import did, as the job page lists it."""
    return {
        "File": batch.file_name,
        "Rows": batch.rows,
        "Lines added": batch.lines_added,
        "Already imported, skipped": batch.lines_already_there,
        "Donors matched to people": batch.people_matched,
        "Donors added to the base": batch.people_created,
        "Net amount added": format_cents(batch.net_cents),
    }


def _refuse_repeated_ids(file_name: str, rows: list[IncomeRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.external_id and row.external_id in seen:
            raise InvalidInput(
                f"Nothing was imported. {file_name}, row {row.row}: the id "
                f"'{row.external_id}' is already on row {seen[row.external_id]}."
            )
        seen.setdefault(row.external_id, row.row)


def _match(organization_id: int, rows: list[IncomeRow]) -> list[int | None]:
    """Return the person id each row's donor already is, by the list import's rules."""
    keys = [
        keys_for(
            given=row.given_name,
            family=row.family_name,
            birth_date=None,
            emails=_valid(normalize_email, row.email),
            phones=[p.e164 for p in _valid(normalize_phone, row.phone)],
        )
        for row in rows
    ]
    index = index_of_base(organization_id, keys)
    found = [index.find(k) for k in keys]
    return [who if isinstance(who, int) else None for who in found]


def _valid(normalize, value: str) -> list:
    """A donor's contact detail that does not parse is no key to match by, not a bad row."""
    if not value:
        return []
    try:
        return [normalize(value)]
    except InvalidValue:
        return []


def _write_lines(
    actor: Actor,
    batch: MoneyImport,
    entity: Entity,
    channel: str,
    rows: list[IncomeRow],
    people: list[int | None],
) -> list[IncomeLine]:
    common = {
        "organization": actor.organization,
        "entity": entity,
        "channel": channel,
        "money_import": batch,
    }
    gifts = IncomeLine.objects.bulk_create(
        [
            IncomeLine(
                **common,
                received_on=row.received_on,
                amount_cents=row.amount_cents,
                source_class=row.source_class,
                external_id=row.external_id[:100],
                person_id=person_id,
                payer_name=f"{row.given_name} {row.family_name}".strip()[:200],
                payer_email=row.email[:254],
                recurring=row.recurring,
                note=row.note[:300],
            )
            for row, person_id in zip(rows, people, strict=True)
        ]
    )
    refunds = IncomeLine.objects.bulk_create(
        [
            IncomeLine(
                **common,
                received_on=row.refunded_on or row.received_on,
                amount_cents=-row.refund_cents,
                source_class=row.source_class,
                external_id=f"refund:{row.refund_id}"[:100],
                person_id=gift.person_id,
                payer_name=gift.payer_name,
                payer_email=gift.payer_email,
                refund_of=gift,
            )
            for row, gift in zip(rows, gifts, strict=True)
            if row.refund_cents
        ]
    )
    return gifts + refunds


def _write_late_refunds(
    actor: Actor, batch: MoneyImport, channel: str, rows: list[IncomeRow]
) -> list[IncomeLine]:
    """Refund lines for gifts an earlier import brought in, when a later export shows the
    refund; each once."""
    if not rows:
        return []
    lines = access.scoped(actor, IncomeLine.objects.filter(channel=channel))
    ids = [r.external_id for r in rows] + [r.order_number for r in rows if r.order_number]
    by_id = {g.external_id: g for g in lines.filter(external_id__in=ids)}
    # An ActBlue gift imported before the Lineitem ID key is stored under its order number.
    gifts = {r.external_id: by_id.get(r.external_id) or by_id[r.order_number] for r in rows}
    stored = set(
        lines.filter(external_id__in=[f"refund:{r.refund_id}" for r in rows]).values_list(
            "external_id", flat=True
        )
    )
    return IncomeLine.objects.bulk_create(
        [
            IncomeLine(
                organization=actor.organization,
                entity=gifts[row.external_id].entity,
                channel=channel,
                money_import=batch,
                received_on=row.refunded_on or row.received_on,
                amount_cents=-row.refund_cents,
                source_class=row.source_class,
                external_id=f"refund:{row.refund_id}"[:100],
                person_id=gifts[row.external_id].person_id,
                payer_name=gifts[row.external_id].payer_name,
                payer_email=gifts[row.external_id].payer_email,
                refund_of=gifts[row.external_id],
            )
            for row in rows
            if f"refund:{row.refund_id}" not in stored
        ]
    )


def _write_expenses(
    actor: Actor, batch: MoneyImport, entity: Entity, rows: list[IncomeRow]
) -> list[Expense]:
    """Spending rows of a ledger file; a reference already stored is skipped."""
    if not rows:
        return []
    known = set(
        access.scoped(actor, Expense.objects.all())
        .filter(
            reference__in=[r.external_id for r in rows if r.external_id],
        )
        .values_list("reference", flat=True)
    )
    return Expense.objects.bulk_create(
        [
            Expense(
                organization=actor.organization,
                entity=entity,
                money_import=batch,
                spent_on=row.received_on,
                amount_cents=row.amount_cents,
                category=row.category[:100],
                account_code=row.account_code[:20],
                payee=row.family_name[:200],
                reference=row.external_id[:100],
                note=row.note[:300],
                budget=_budget_for(actor, entity, row),
            )
            for row in rows
            if not row.external_id or row.external_id not in known
        ]
    )


def _budget_for(actor: Actor, entity: Entity, row: IncomeRow) -> Budget | None:
    """The entity's budget of the row's year that plans its category, if one does."""
    return (
        access.scoped(actor, Budget.objects.filter(entity=entity))
        .filter(
            year=row.received_on.year,
            lines__category__iexact=row.category,
        )
        .order_by("campaign_id", "program", "id")
        .first()
    )


# Budgets and expenses ----------------------------------------------------------------------


def create_budget(
    *,
    actor: Actor,
    name: str,
    year: int,
    program: str = "",
    campaign: Campaign | None = None,
    entity: Entity | None = None,
) -> Budget:
    """Start a budget for *year*: the whole organization's, a program's or a campaign's."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, campaign)
    name = name.strip()
    if not name:
        raise InvalidInput("A budget needs a name, e.g. 'Operating'.", field="name")
    if access.scoped(actor, Budget.objects.filter(year=year, name=name)).exists():
        raise InvalidInput(f"There is already a budget '{name}' for {year}.", field="name")
    with transaction.atomic():
        budget = Budget.objects.create(
            organization=actor.organization,
            entity=_books(actor, entity),
            name=name[:200],
            year=year,
            program=program.strip()[:200],
            campaign=campaign,
        )
        audit.record(actor, "money.budget_created", budget, changes={"year": year})
    return budget


def set_budget_line(
    *, actor: Actor, budget: Budget, category: str, amount_cents: int, account_code: str = ""
) -> BudgetLine:
    """Plan *amount_cents* of spending in *category* (replacing the amount planned before)."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, budget)
    category = category.strip()
    if not category:
        raise InvalidInput("A budget line needs a category, e.g. 'Printing'.", field="category")
    if amount_cents < 0:
        raise InvalidInput("A budget line cannot plan less than nothing.", field="amount")
    with transaction.atomic():
        line, created = access.scoped(actor, BudgetLine.objects.all()).update_or_create(
            budget=budget,
            category=category[:100],
            defaults={
                "organization": actor.organization,
                "amount_cents": amount_cents,
                "account_code": account_code.strip()[:20],
            },
        )
        audit.record(
            actor,
            "money.budget_line_set",
            line,
            changes={"amount_cents": amount_cents, "created": created},
        )
    return line


def record_expense(
    *,
    actor: Actor,
    spent_on: date,
    amount_cents: int,
    category: str,
    payee: str = "",
    account_code: str = "",
    budget: Budget | None = None,
    decision: Decision | None = None,
    reference: str = "",
    note: str = "",
    entity: Entity | None = None,
) -> Expense:
    """Record money spent, charged to *budget* and authorised by *decision* when given."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, budget, decision)
    category, reference = category.strip(), reference.strip()
    if not category:
        raise InvalidInput("An expense needs a category, e.g. 'Printing'.", field="category")
    if amount_cents == 0:
        raise InvalidInput("An expense needs an amount.", field="amount")
    if reference and access.scoped(actor, Expense.objects.filter(reference=reference)).exists():
        raise InvalidInput(f"An expense with reference '{reference}' is already recorded.")
    if budget is not None:
        if entity is not None and entity != budget.entity:
            raise InvalidInput(
                f"The budget {budget} is {budget.entity}'s: an expense charged to it is too.",
                field="entity",
            )
        entity = budget.entity
    with transaction.atomic():
        expense = Expense.objects.create(
            organization=actor.organization,
            entity=_books(actor, entity),
            spent_on=spent_on,
            amount_cents=amount_cents,
            category=category[:100],
            payee=payee.strip()[:200],
            account_code=account_code.strip()[:20],
            budget=budget,
            decision=decision,
            reference=reference[:100],
            note=note[:300],
        )
        audit.record(
            actor,
            "money.expense_recorded",
            expense,
            changes={"amount_cents": amount_cents, "category": expense.category},
        )
    return expense


# Capacity ----------------------------------------------------------------------------------


def record_hours(
    *,
    actor: Actor,
    kind: str,
    month: date,
    hours: Decimal,
    campaign: Campaign | None = None,
    affiliate: Affiliate | None = None,
    rate_cents: int = 0,
    note: str = "",
) -> CapacityEntry:
    """Record hours worked in *month*: own staff, staff *affiliate* lent (valued at
    *rate_cents* an hour), or volunteers beyond those counted from attendance."""
    access.require(actor, MANAGE)
    access.require_same_organization(actor, campaign, affiliate)
    if kind not in CapacityEntry.Kind.values:
        raise InvalidInput(f"'{kind}' is not a kind of work.", field="kind")
    if hours <= 0:
        raise InvalidInput("Enter the hours worked, more than zero.", field="hours")
    if kind == CapacityEntry.Kind.IN_KIND and affiliate is None:
        raise InvalidInput(
            "Staff lent in kind: choose the affiliate that lent them.", field="affiliate"
        )
    if rate_cents < 0:
        raise InvalidInput("An hour cannot be worth less than nothing.", field="rate")
    with transaction.atomic():
        entry = CapacityEntry.objects.create(
            organization=actor.organization,
            kind=kind,
            month=month.replace(day=1),
            hours=hours,
            campaign=campaign,
            affiliate=affiliate if kind == CapacityEntry.Kind.IN_KIND else None,
            rate_cents=rate_cents if kind == CapacityEntry.Kind.IN_KIND else 0,
            note=note.strip()[:300],
        )
        audit.record(
            actor,
            "money.hours_recorded",
            entry,
            changes={"kind": kind, "hours": str(hours), "month": entry.month.isoformat()},
        )
    return entry
