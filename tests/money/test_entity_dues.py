"""Dues, good standing and hours split by entity: dues belong to an entity (the dues entity
unless another is chosen), good standing is counted over the dues entity's books alone, and
hours of a campaign tied to one entity by its budgets show with that entity's books only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from powerbase.actions import services as actions
from powerbase.money import capacity, queries, services
from powerbase.money.entities import default_entity
from powerbase.money.models import DuesSchedule, Entity
from tests.money.conftest import JAN_1

JUNE = datetime.date(2026, 6, 1)  # 121 days past the first invoice's due date
AUGUST = datetime.date(2026, 8, 1)


@pytest.fixture
def fund(treasurer) -> Entity:
    """The education fund, a second entity beside the default (c4) one."""
    default_entity(treasurer.organization)
    return services.create_entity(
        actor=treasurer, name="Nutmeg Education Fund", slug="c3", kind=Entity.Kind.C3
    )


def owing(treasurer, affiliate, **kwargs):
    """A $300 quarterly schedule from 1 January, its first quarter invoiced (due 31 Jan)."""
    schedule = services.create_schedule(
        actor=treasurer,
        affiliate=affiliate,
        kind=DuesSchedule.Kind.FLAT,
        period=DuesSchedule.Period.QUARTERLY,
        amount_cents=30000,
        starts_on=JAN_1,
        **kwargs,
    )
    services.issue_invoices(actor=treasurer, through=JAN_1)
    return schedule


def test_dues_are_kept_in_the_dues_entity_and_only_its_payments_count(
    treasurer, tenant_union, fund
):
    schedule = owing(treasurer, tenant_union)
    assert schedule.entity == default_entity(treasurer.organization)
    services.record_payment(
        actor=treasurer, affiliate=tenant_union, amount_cents=30000, received_on=JUNE, entity=fund
    )
    lapsed = queries.not_in_good_standing(treasurer.organization, on=JUNE)
    assert list(lapsed) == [tenant_union.pk]  # paid into the education fund: not dues
    services.record_payment(
        actor=treasurer, affiliate=tenant_union, amount_cents=30000, received_on=JUNE
    )
    assert queries.not_in_good_standing(treasurer.organization, on=JUNE) == {}


def test_the_settings_choose_the_dues_entity(treasurer, tenant_union, fund):
    services.save_settings(
        actor=treasurer,
        currency="USD",
        max_days_in_arrears=90,
        small_donor_threshold_cents=20000,
        dues_entity=fund,
    )
    assert owing(treasurer, tenant_union).entity == fund
    payment = services.record_payment(
        actor=treasurer, affiliate=tenant_union, amount_cents=30000, received_on=JUNE
    )
    assert payment.entity == fund
    assert queries.not_in_good_standing(treasurer.organization, on=JUNE) == {}


def test_a_schedule_in_another_entity_does_not_decide_good_standing(treasurer, tenant_union, fund):
    owing(treasurer, tenant_union, entity=fund)
    assert queries.not_in_good_standing(treasurer.organization, on=AUGUST) == {}
    in_fund = queries.dues_books(treasurer, "c3")
    assert queries.dues_overview(treasurer, in_fund)[0].invoiced_cents == 30000
    assert queries.dues_overview(treasurer)[0].invoiced_cents == 0


def test_the_dues_page_shows_one_entitys_dues_and_says_where_standing_is_counted(
    client, admin, nutmeg, treasurer, tenant_union, fund
):
    owing(treasurer, tenant_union, entity=fund)
    client.force_login(admin)
    url = reverse("money:overview", kwargs={"org": nutmeg.slug})
    dues_books = client.get(url).content.decode()
    assert "Showing the books of <strong>Nutmeg" in dues_books
    assert "$300.00" not in dues_books and "Good standing</span>" in dues_books
    in_fund = client.get(url, {"entity": "c3"}).content.decode()
    assert "$300.00" in in_fund
    assert "Good standing is counted over the dues kept in the books of" in in_fund
    assert "Not in good standing" not in in_fund and "Good standing</span>" not in in_fund
    page = reverse("money:affiliate", kwargs={"org": nutmeg.slug, "affiliate_id": tenant_union.pk})
    assert "$300.00" in client.get(page, {"entity": "c3"}).content.decode()


def test_hours_of_a_campaign_tied_to_an_entity_show_with_its_books_only(treasurer, fund):
    schools = actions.create_campaign(actor=treasurer, name="Civics in Schools")
    homes = actions.create_campaign(actor=treasurer, name="Homes for All")
    services.create_budget(actor=treasurer, name="Civics", year=2026, campaign=schools, entity=fund)
    april = datetime.date(2026, 4, 1)
    for campaign in (schools, homes):
        services.record_hours(
            actor=treasurer, kind="staff", month=april, hours=Decimal(10), campaign=campaign
        )
    c4 = queries.books(treasurer, None)
    assert [r.campaign for r in capacity.hours_by_campaign(treasurer, 2026, c4)] == [
        "Homes for All"
    ]
    c3 = queries.books(treasurer, "c3")
    assert [r.campaign for r in capacity.hours_by_campaign(treasurer, 2026, c3)] == [
        "Civics in Schools",
        "Homes for All",
    ]
    combined = queries.books(treasurer, "all")
    assert len(capacity.hours_by_campaign(treasurer, 2026, combined)) == 2
