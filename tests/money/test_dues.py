"""Affiliate dues: schedules price each period, invoices are issued once, payments pay the
oldest invoices first, and the good-standing rule (with its waivers) follows the arrears."""

import datetime

import pytest

from powerbase.core.exceptions import InvalidInput, PermissionDenied
from powerbase.core.models import AuditEntry
from powerbase.money import queries, services
from powerbase.money.models import DuesSchedule, Invoice
from tests.conftest import act, add_member
from tests.money.conftest import JAN_1


def quarterly_flat(actor, affiliate, dollars=300):
    return services.create_schedule(
        actor=actor,
        affiliate=affiliate,
        kind=DuesSchedule.Kind.FLAT,
        period=DuesSchedule.Period.QUARTERLY,
        amount_cents=dollars * 100,
        starts_on=JAN_1,
    )


def test_a_quarterly_schedule_invoices_each_quarter_once(treasurer, tenant_union):
    quarterly_flat(treasurer, tenant_union)
    first = services.issue_invoices(actor=treasurer, through=datetime.date(2026, 7, 1))
    again = services.issue_invoices(actor=treasurer, through=datetime.date(2026, 7, 1))
    assert [(i.period_start, i.period_end, i.due_on) for i in first] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), datetime.date(2026, 1, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), datetime.date(2026, 5, 1)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), datetime.date(2026, 7, 31)),
    ]
    assert again == []
    assert Invoice.objects.count() == 3


def test_per_member_dues_count_the_affiliates_active_members(treasurer, nutmeg, tenant_union):
    for given in ["Ana", "Bo", "Cyrus"]:
        add_member(nutmeg, tenant_union, given, "Tenant")
    services.create_schedule(
        actor=treasurer,
        affiliate=tenant_union,
        kind=DuesSchedule.Kind.PER_MEMBER,
        period=DuesSchedule.Period.MONTHLY,
        amount_cents=250,
        starts_on=JAN_1,
    )
    (invoice,) = services.issue_invoices(actor=treasurer, through=JAN_1)
    assert invoice.amount_cents == 750
    assert invoice.basis == "3 active members at $2.50"


def test_sliding_dues_follow_the_claimed_size(treasurer, teachers_union):
    teachers_union.claimed_size = 450
    teachers_union.save()
    services.create_schedule(
        actor=treasurer,
        affiliate=teachers_union,
        kind=DuesSchedule.Kind.SLIDING,
        period=DuesSchedule.Period.YEARLY,
        tiers=[[0, 10000], [100, 50000], [500, 120000]],
        starts_on=JAN_1,
    )
    (invoice,) = services.issue_invoices(actor=treasurer, through=datetime.date(2026, 12, 31))
    assert invoice.amount_cents == 50000
    assert invoice.period_end == datetime.date(2026, 12, 31)


def test_sliding_dues_without_a_claimed_size_issue_nothing_and_say_why(treasurer, teachers_union):
    quarterly_flat(treasurer, teachers_union)
    services.create_schedule(
        actor=treasurer,
        affiliate=teachers_union,
        kind=DuesSchedule.Kind.SLIDING,
        period=DuesSchedule.Period.YEARLY,
        tiers=[[0, 10000]],
        starts_on=JAN_1,
    )
    with pytest.raises(InvalidInput, match="Educators Local 12 .* no claimed size"):
        services.issue_invoices(actor=treasurer, through=JAN_1)
    assert Invoice.objects.count() == 0


def test_payments_pay_the_oldest_invoice_first_and_set_the_arrears(treasurer, tenant_union):
    quarterly_flat(treasurer, tenant_union)
    services.issue_invoices(actor=treasurer, through=datetime.date(2026, 7, 1))
    services.record_payment(
        actor=treasurer,
        affiliate=tenant_union,
        amount_cents=45000,
        received_on=datetime.date(2026, 2, 1),
    )
    standing = queries.standings(tenant_union.organization, on=datetime.date(2026, 8, 1))[
        tenant_union.pk
    ]
    assert standing.balance_cents == 90000 - 45000
    # The first quarter is paid; half of the second is not, and it was due on 1 May.
    assert standing.oldest_unpaid_due == datetime.date(2026, 5, 1)
    assert standing.days_in_arrears == 92
    assert not standing.in_good_standing
    assert "92 days in arrears ($450.00 owed, unpaid since 1 May 2026)" in standing.reason


def test_the_rule_is_the_organizations_own(treasurer, tenant_union):
    quarterly_flat(treasurer, tenant_union)
    services.issue_invoices(actor=treasurer, through=JAN_1)
    day = datetime.date(2026, 4, 1)  # 60 days past the 31 January due date
    assert queries.not_in_good_standing(tenant_union.organization, on=day) == {}
    services.save_settings(
        actor=treasurer, currency="usd", max_days_in_arrears=30, small_donor_threshold_cents=20000
    )
    lapsed = queries.not_in_good_standing(tenant_union.organization, on=day)
    assert list(lapsed) == [tenant_union.pk]
    assert "60 days in arrears" in lapsed[tenant_union.pk]


def test_a_recorded_waiver_keeps_the_votes_and_says_who_decided(treasurer, tenant_union):
    quarterly_flat(treasurer, tenant_union)
    services.issue_invoices(actor=treasurer, through=JAN_1)
    services.record_waiver(
        actor=treasurer,
        affiliate=tenant_union,
        reason="Rent strike fund drained the treasury.",
        decided_by="Steering committee, 2 June 2026",
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    organization = tenant_union.organization
    during = queries.standings(organization, on=datetime.date(2026, 7, 1))[tenant_union.pk]
    assert during.in_good_standing
    assert during.reason.startswith("Waived by Steering committee, 2 June 2026")
    assert list(queries.not_in_good_standing(organization, on=datetime.date(2026, 10, 1))) == [
        tenant_union.pk
    ]


def test_every_dues_write_is_audited(treasurer, tenant_union):
    quarterly_flat(treasurer, tenant_union)
    services.issue_invoices(actor=treasurer, through=JAN_1)
    services.record_payment(
        actor=treasurer, affiliate=tenant_union, amount_cents=100, received_on=JAN_1
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "money.schedule_created",
        "money.invoice_issued",
        "money.payment_recorded",
    } <= actions


def test_an_organizer_reads_the_dues_but_cannot_record_a_payment(organizer, nutmeg, tenant_union):
    actor = act(organizer, nutmeg)
    assert [s.affiliate_name for s in queries.dues_overview(actor)] == [
        "Educators Local 12",
        "Quinnipiac Tenants Union",
    ]
    with pytest.raises(PermissionDenied):
        services.record_payment(
            actor=actor, affiliate=tenant_union, amount_cents=100, received_on=JAN_1
        )


def test_another_organizations_affiliate_is_refused(treasurer, harbor):
    from powerbase.coalition.services import create_affiliate
    from powerbase.core import access

    elsewhere = create_affiliate(actor=access.command_line(harbor), name="Harbor Nurses")
    with pytest.raises(Exception, match="not found"):
        quarterly_flat(treasurer, elsewhere)
