"""The self-funding dashboard: the base's share month by month, staff lent in kind by
affiliate, and hours per campaign counted from attendance and entered by hand."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from powerbase.actions import charts as action_charts
from powerbase.actions import services as actions
from powerbase.core.exceptions import InvalidInput
from powerbase.field.models import Attempt, Door, Turf, Universe
from powerbase.money import capacity, services
from tests.money.conftest import default_books


def test_the_base_share_of_each_month(treasurer, tenant_union):
    march = datetime.date(2026, 3, 10)
    services.record_payment(
        actor=treasurer, affiliate=tenant_union, amount_cents=30000, received_on=march
    )
    services.record_income(
        actor=treasurer, amount_cents=10000, received_on=march, source_class="individual",
        payer_name="Ana Small",
    )  # fmt: skip
    services.record_income(
        actor=treasurer, amount_cents=60000, received_on=march, source_class="foundations"
    )
    months = {
        m.month.month: m for m in capacity.self_funding(treasurer, 2026, default_books(treasurer))
    }
    assert (months[3].base_cents, months[3].outside_cents) == (40000, 60000)
    assert months[3].base_share == 40.0
    assert months[4].base_share is None


def test_hours_per_campaign_count_attendance_and_hand_entries(
    treasurer, nutmeg, maria, tenant_union
):
    campaign = actions.create_campaign(actor=treasurer, name="Homes for All")
    starts = timezone.make_aware(datetime.datetime(2026, 4, 18, 10, 0))
    rally = actions.create_action(
        actor=treasurer, title="Rent rally", starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3), campaign=campaign,
    )  # fmt: skip
    actions.check_in(actor=treasurer, action=rally, person=maria)
    april = datetime.date(2026, 4, 1)
    services.record_hours(
        actor=treasurer, kind="staff", month=april, hours=Decimal(120), campaign=campaign
    )
    services.record_hours(
        actor=treasurer, kind="in_kind", month=april, hours=Decimal(40), campaign=campaign,
        affiliate=tenant_union, rate_cents=3500,
    )  # fmt: skip
    (row,) = capacity.hours_by_campaign(treasurer, 2026)
    assert (row.campaign, row.staff, row.in_kind, row.volunteer) == (
        "Homes for All", Decimal(120), Decimal(40), Decimal(3),
    )  # fmt: skip
    (lent,) = capacity.in_kind_by_affiliate(treasurer, 2026)
    assert (lent.affiliate, lent.value_cents) == ("Quinnipiac Tenants Union", 140000)


def test_staff_lent_in_kind_names_the_affiliate(treasurer):
    with pytest.raises(InvalidInput, match="choose the affiliate"):
        services.record_hours(
            actor=treasurer, kind="in_kind", month=datetime.date(2026, 4, 1), hours=Decimal(8)
        )


def test_the_dashboard_draws_its_charts_with_tables_beside(client, admin, treasurer):
    services.record_income(
        actor=treasurer, amount_cents=125000, received_on=datetime.date(2026, 2, 2),
        source_class="member_dues",
    )  # fmt: skip
    client.force_login(admin)
    page = client.get("/o/nutmeg/resources/?year=2026").content.decode()
    assert "<svg" in page
    assert "Income by month: the base against the rest" in page
    assert "$1,250.00" in page and "100.0%" in page


def test_the_dashboard_draws_a_chart_once_and_again_for_new_figures(
    client, admin, treasurer, monkeypatch
):
    drawn = []
    render = action_charts.render
    monkeypatch.setattr(action_charts, "render", lambda chart: drawn.append(chart) or render(chart))
    income = {"actor": treasurer, "received_on": datetime.date(2026, 2, 2)}
    services.record_income(**income, amount_cents=125000, source_class="member_dues")
    client.force_login(admin)

    def charts_shown() -> list[str]:
        page = client.get("/o/nutmeg/resources/?year=2026").content.decode()
        return re.findall(r"<svg.*?</svg>", page, flags=re.S)

    first = charts_shown()
    assert len(first) == 1 and charts_shown() == first and len(drawn) == 1  # kept
    services.record_income(**income, amount_cents=90000, source_class="foundations")
    after = charts_shown()
    assert len(drawn) == 2 and after != first  # new figures: drawn again at once


def knock(turf, at, *, user=None, link_label: str = "") -> Attempt:
    door = turf.doors.first()
    return Attempt.objects.create(
        organization=turf.organization, turf=turf, door=door, result="talked",
        canvasser=user, canvasser_label=link_label, recorded_at=at,
    )  # fmt: skip


def a_turf(organization, number: int) -> Turf:
    universe, _ = Universe.objects.get_or_create(organization=organization, name="Fair Haven")
    turf = Turf.objects.create(
        organization=organization, universe=universe, number=number, name=f"Turf {number}"
    )
    Door.objects.create(organization=organization, turf=turf, position=1, address="12 ELM ST")
    return turf


def test_canvass_shifts_count_as_volunteer_hours_once(treasurer, nutmeg, maria, organizer):
    campaign = actions.create_campaign(actor=treasurer, name="Homes for All")

    def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(2026, 4, day, hour, minute))

    for day in (18, 25):
        actions.create_action(
            actor=treasurer, title=f"Door knock {day}", kind="canvass", starts_at=at(day, 10),
            ends_at=at(day, 13), campaign=campaign,
        )  # fmt: skip
    first, second = a_turf(nutmeg, 1), a_turf(nutmeg, 2)
    # 18 April: the organizer walks two turfs (one shift, 10:00 to 12:30), a volunteer on a
    # link knocks once (the shortest shift, an hour). Nobody was checked in.
    knock(first, at(18, 10), user=organizer)
    knock(first, at(18, 11, 30), user=organizer)
    knock(second, at(18, 12, 30), user=organizer)
    knock(second, at(18, 11), link_label="Jo (Elm St)")
    # 25 April: María is checked in at the canvass (3 hours); the knocks that day are the
    # same work and are not counted again.
    actions.check_in(
        actor=treasurer, action=campaign.actions.get(title="Door knock 25"), person=maria
    )
    knock(first, at(25, 10), user=organizer)
    knock(first, at(25, 12), user=organizer)
    # 2 May: knocks with no canvass action that day count, under no campaign.
    knock(first, timezone.make_aware(datetime.datetime(2026, 5, 2, 15)), user=organizer)
    rows = {row.campaign: row.volunteer for row in capacity.hours_by_campaign(treasurer, 2026)}
    assert rows == {"Homes for All": Decimal("6.5"), capacity.NO_CAMPAIGN: Decimal(1)}
