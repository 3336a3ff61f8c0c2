"""Contract campaigns: an affiliate lead runs only their own units, stances keep their
history, a contract settles only once every demand has its outcome, and the calendar and the
demands-won report read them back."""

import datetime

import pytest

from powerbase.bargaining import queries, services
from powerbase.bargaining.models import ContractCampaign, Outcome, TargetStance
from powerbase.core import access
from powerbase.core.exceptions import Conflict, InvalidInput, NotFound
from powerbase.core.models import AuditEntry
from powerbase.legislature import services as legislature
from tests.bargaining.conftest import TODAY


def test_a_lead_sees_and_runs_only_their_own_affiliates_units(lead, schools, housing, tenant_union):
    assert list(queries.units(lead)) == [housing]
    with pytest.raises(NotFound):
        queries.unit(lead, schools.pk)
    campaign = services.start_campaign(actor=lead, unit=housing, name="Repairs Now")
    assert queries.campaign(lead, campaign.pk) == campaign
    with pytest.raises(InvalidInput, match="own affiliates"):
        services.start_campaign(actor=lead, unit=schools, name="Not ours")
    with pytest.raises(InvalidInput, match="your own affiliates"):
        services.create_unit(
            actor=lead,
            affiliate=schools.affiliate,
            employer="Somewhere",
            unit_size=10,
            contract_expires_on=TODAY,
        )


def test_the_same_unit_twice_is_refused_by_name(staff, schools, teachers_union):
    with pytest.raises(Conflict, match="already has a unit"):
        services.create_unit(
            actor=staff,
            affiliate=teachers_union,
            employer="New Haven Public Schools",
            name="Teachers and paraprofessionals",
            unit_size=10,
            contract_expires_on=TODAY,
        )


def test_bargaining_cannot_start_after_the_contract_expires(staff, schools):
    with pytest.raises(InvalidInput, match="after the contract expires"):
        services.update_unit(
            actor=staff,
            unit=schools,
            employer=schools.employer,
            unit_size=schools.unit_size,
            contract_expires_on=datetime.date(2027, 6, 30),
            bargaining_starts_on=datetime.date(2027, 7, 1),
        )


def test_a_target_keeps_every_stance_and_the_latest_counts(staff, fight):
    board_chair = services.add_target(
        actor=staff, campaign=fight, kind="employer", name="Carla Ruiz", role="Board chair"
    )
    services.record_stance(
        actor=staff, target=board_chair, stance="no", as_of=datetime.date(2027, 1, 10)
    )
    services.record_stance(
        actor=staff, target=board_chair, stance="lean_yes", source="met after the rally"
    )
    [row] = queries.targets(staff, fight)
    assert row.latest.stance == "lean_yes"
    assert [reading.stance for reading in row.history] == ["lean_yes", "no"]
    assert TargetStance.objects.count() == 2


def test_an_official_target_is_named_from_the_legislature(staff, fight):
    mayor = legislature.create_official(actor=staff, name="Justin Elm", office="Mayor")
    target = services.add_target(actor=staff, campaign=fight, kind="official", official=mayor)
    assert (target.name, target.role) == ("Justin Elm", "Mayor")
    with pytest.raises(InvalidInput, match="Choose the official"):
        services.add_target(actor=staff, campaign=fight, kind="official", name="Someone")


def test_only_a_community_demand_stands_for_a_platform_demand(staff, fight):
    version = legislature.create_platform(actor=staff, title="People's Platform")
    plank = legislature.add_plank(actor=staff, version=version, title="Fund our schools")
    counselors = legislature.add_demand(actor=staff, plank=plank, title="Counselors for all")
    with pytest.raises(InvalidInput, match="Only a community demand"):
        services.add_demand(
            actor=staff, campaign=fight, source="union", title="Raises", platform_demand=counselors
        )
    demand = services.add_demand(
        actor=staff,
        campaign=fight,
        source="community",
        title="Nurses",
        platform_demand=counselors,
    )
    assert demand.platform_demand == counselors


def test_a_partner_is_another_affiliate(staff, fight, teachers_union, tenant_union):
    with pytest.raises(InvalidInput, match="bargains this contract"):
        services.add_partner(
            actor=staff, campaign=fight, affiliate=teachers_union, commitment="Everything"
        )
    partner = services.add_partner(
        actor=staff, campaign=fight, affiliate=tenant_union, commitment="Forty at the rally"
    )
    assert queries.partners(staff, fight) == [partner]
    with pytest.raises(Conflict, match="already a partner"):
        services.add_partner(
            actor=staff, campaign=fight, affiliate=tenant_union, commitment="Again"
        )


def test_a_contract_settles_once_every_demand_has_its_outcome(staff, fight):
    by_title = {demand.title: demand for demand in queries.demands(staff, fight)}
    caps, counselors = by_title["Class size caps"], by_title["A counselor in every school"]
    services.record_outcome(actor=staff, demand=caps, outcome=Outcome.WON, note="26 a class")
    with pytest.raises(InvalidInput, match="A counselor in every school is still open"):
        services.settle(actor=staff, campaign=fight)
    services.record_outcome(actor=staff, demand=counselors, outcome=Outcome.PARTLY)
    settled = services.settle(actor=staff, campaign=fight, settled_on=datetime.date(2027, 8, 1))
    assert settled.status == ContractCampaign.Status.SETTLED
    assert settled.settled_on == datetime.date(2027, 8, 1)
    with pytest.raises(Conflict, match="already settled"):
        services.settle(actor=staff, campaign=fight)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"contract_demand.outcome", "contract_campaign.settled"} <= actions


def test_reopening_a_demand_clears_its_date(staff, fight):
    caps, _ = queries.demands(staff, fight)
    services.record_outcome(actor=staff, demand=caps, outcome=Outcome.WON)
    assert caps.outcome_on is not None
    services.record_outcome(actor=staff, demand=caps, outcome=Outcome.OPEN)
    assert (caps.outcome, caps.outcome_on) == (Outcome.OPEN, None)


def test_the_calendar_groups_three_years_of_expiries_by_quarter_and_month(
    staff, schools, housing, tenant_union
):
    for expires in (datetime.date(2026, 11, 30), datetime.date(2030, 1, 15)):
        services.create_unit(
            actor=staff,
            affiliate=tenant_union,
            employer=f"Outside the window {expires}",
            unit_size=5,
            contract_expires_on=expires,
        )
    quarters = queries.calendar(staff, today=TODAY)
    assert [q.label for q in quarters] == ["2027 Q2", "2028 Q1"]
    assert [m.label for m in quarters[0].months] == ["June 2027"]
    assert quarters[0].months[0].units == [schools]
    assert quarters[1].workers == 140


def test_a_lead_s_calendar_holds_their_own_units(lead, schools, housing):
    quarters = queries.calendar(lead, today=TODAY)
    assert [unit for q in quarters for m in q.months for unit in m.units] == [housing]


def test_wins_at_the_table_sit_beside_wins_in_the_legislature(staff, fight):
    version = legislature.create_platform(actor=staff, title="People's Platform")
    plank = legislature.add_plank(actor=staff, version=version, title="Fund our schools")
    counselors = legislature.add_demand(actor=staff, plank=plank, title="Counselors for all")
    transit = legislature.add_demand(actor=staff, plank=plank, title="Free buses")
    signed = legislature.create_bill(
        actor=staff,
        jurisdiction="Connecticut",
        session="2027",
        identifier="HB 5001",
        title="Counselors",
        status="Signed by the Governor",
        position="support",
    )
    halfway = legislature.create_bill(
        actor=staff,
        jurisdiction="Connecticut",
        session="2027",
        identifier="SB 2",
        title="Buses",
        status="Passed House",
        position="support",
    )
    legislature.link_bill(actor=staff, demand=counselors, bill=signed)
    legislature.link_bill(actor=staff, demand=transit, bill=halfway)
    won = services.add_demand(
        actor=staff,
        campaign=fight,
        source="community",
        title="Counselors in every school",
        platform_demand=counselors,
    )
    services.record_outcome(actor=staff, demand=won, outcome=Outcome.WON)
    report = queries.wins(staff)
    assert report.at_the_table == [won]
    assert [(win.demand, win.bills) for win in report.in_the_legislature] == [
        (counselors, [signed])
    ]
    assert report.platform_demands_won_both_ways == {counselors.pk}


def test_a_lead_s_report_holds_their_own_wins_and_no_legislature(lead, staff, fight, housing):
    caps, _ = queries.demands(staff, fight)
    services.record_outcome(actor=staff, demand=caps, outcome=Outcome.WON)
    report = queries.wins(lead)
    assert report.at_the_table == []
    assert not report.shows_legislature


def test_a_viewer_reads_but_cannot_run_a_campaign(viewer, nutmeg, fight):
    reader = access.actor_for(viewer, nutmeg.slug)
    assert queries.campaign(reader, fight.pk) == fight
    with pytest.raises(access.PermissionDenied):
        services.start_campaign(actor=reader, unit=fight.unit, name="Nope")
