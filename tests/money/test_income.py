"""Income by hand, refunds and grants, and the income page's figures by source."""

import datetime

import pytest

from powerbase.core.exceptions import InvalidInput
from powerbase.money import queries, services
from tests.money.conftest import default_books

MAY = datetime.date(2026, 5, 4)


def test_a_partial_refund_is_taken_off_and_no_more_than_the_gift(treasurer, maria):
    gift = services.record_income(
        actor=treasurer,
        amount_cents=10000,
        received_on=MAY,
        source_class="individual",
        person=maria,
    )
    services.refund(actor=treasurer, line=gift, refunded_on=MAY, amount_cents=4000)
    with pytest.raises(InvalidInput, match="between 0.01 and \\$60.00"):
        services.refund(actor=treasurer, line=gift, refunded_on=MAY, amount_cents=6001)
    assert (
        queries.income_by_class(treasurer, 2026, default_books(treasurer))["small_donors"] == 6000
    )


def test_a_grant_payment_counts_as_the_grants_funder(treasurer):
    grant = services.create_grant(
        actor=treasurer,
        funder="Elmwood Community Fund",
        amount_cents=2400000,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        restricted_to="Democracy School",
        reports_due=[datetime.date(2026, 12, 31), datetime.date(2026, 6, 30)],
    )
    assert grant.reports_due == ["2026-06-30", "2026-12-31"]
    services.record_income(
        actor=treasurer, amount_cents=1200000, received_on=MAY, source_class="individual",
        grant=grant,
    )  # fmt: skip
    assert (
        queries.income_by_class(treasurer, 2026, default_books(treasurer))["foundations"] == 1200000
    )


def test_the_income_page_shows_each_source_and_its_share(client, admin, treasurer):
    services.record_income(
        actor=treasurer, amount_cents=30000, received_on=MAY, source_class="member_dues"
    )
    services.record_income(
        actor=treasurer, amount_cents=10000, received_on=MAY, source_class="earned_income"
    )
    client.force_login(admin)
    page = client.get("/o/nutmeg/income/?year=2026").content.decode()
    assert "Income 2026" in page
    assert "$300.00" in page and "75.0%" in page
    assert "$100.00" in page and "25.0%" in page


def test_a_grant_form_with_a_bad_report_date_says_which(client, admin):
    client.force_login(admin)
    response = client.post(
        "/o/nutmeg/income/grants/",
        {
            "funder": "Elmwood Community Fund",
            "amount": "1000.00",
            "source_class": "foundations",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "reports_due": "2026-06-30, June 30",
        },
        follow=True,
    )
    assert "Reports due: &#x27;June&#x27; is not a date" in response.content.decode()
