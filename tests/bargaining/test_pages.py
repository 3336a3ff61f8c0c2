"""The bargaining pages: a demand marked won from the campaign page, a settle refused with the
open demand named, a lead kept to their own affiliates' campaigns, the calendar and the report."""

import datetime

import pytest
from django.urls import reverse

from powerbase.bargaining import queries, services
from powerbase.bargaining.models import ContractDemand, Outcome


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def url(name: str, **kwargs) -> str:
    return reverse(f"bargaining:{name}", kwargs={"org": "nutmeg", **kwargs})


def test_the_navigation_leads_to_bargaining(signed_in, viewer):
    page = signed_in(viewer).get(url("calendar"))
    assert f'href="{url("overview")}"' in page.text


def test_an_organizer_marks_a_demand_won_from_the_campaign_page(signed_in, organizer, fight):
    client = signed_in(organizer)
    page = client.get(url("campaign", campaign_id=fight.pk))
    assert "Class size caps" in page.text and "Record the outcome" in page.text
    caps = ContractDemand.objects.get(title="Class size caps")
    response = client.post(
        url("demand_outcome", demand_id=caps.pk),
        {"outcome": "won", "on": "2027-08-01", "note": "26 students a class"},
        follow=True,
    )
    assert "“Class size caps”: won." in response.text
    caps.refresh_from_db()
    assert (caps.outcome, caps.outcome_on) == (Outcome.WON, datetime.date(2027, 8, 1))
    report = client.get(url("wins"))
    assert "Class size caps" in report.text and "26 students a class" in report.text


def test_settling_with_a_demand_open_names_it(signed_in, organizer, fight):
    client = signed_in(organizer)
    response = client.post(url("settle", campaign_id=fight.pk), {}, follow=True)
    assert "Class size caps" in response.text and "still open" in response.text
    fight.refresh_from_db()
    assert fight.settled_on is None


def test_a_viewer_reads_the_campaign_without_its_forms(signed_in, viewer, fight):
    page = signed_in(viewer).get(url("campaign", campaign_id=fight.pk))
    assert page.status_code == 200
    assert "Class size caps" in page.text
    assert "Record the outcome" not in page.text and "Add a demand" not in page.text


def test_a_lead_gets_no_other_affiliate_s_campaign(signed_in, affiliate_lead, fight, housing):
    client = signed_in(affiliate_lead)
    assert client.get(url("campaign", campaign_id=fight.pk)).status_code == 404
    assert client.post(url("demand_new", campaign_id=fight.pk), {}).status_code == 404
    overview = client.get(url("overview"))
    assert "Elm City Housing Authority" in overview.text
    assert "New Haven Public Schools" not in overview.text


def test_a_lead_starts_a_campaign_for_their_own_unit(signed_in, affiliate_lead, housing, lead):
    client = signed_in(affiliate_lead)
    response = client.post(
        url("campaign_new", unit_id=housing.pk), {"name": "Repairs Now"}, follow=True
    )
    assert "Started the campaign Repairs Now." in response.text
    [campaign] = queries.campaigns(lead)
    assert campaign.unit == housing


def test_a_unit_is_added_and_its_expiry_shows_on_the_calendar(signed_in, organizer, teachers_union):
    client = signed_in(organizer)
    expires = datetime.date.today() + datetime.timedelta(days=400)
    response = client.post(
        url("unit_new"),
        {
            "affiliate": teachers_union.pk,
            "employer": "Hamden Public Schools",
            "unit_size": "320",
            "contract_expires_on": expires.isoformat(),
        },
        follow=True,
    )
    assert "Added the unit Hamden Public Schools." in response.text
    calendar = client.get(url("calendar"))
    assert expires.strftime("%B %Y") in calendar.text
    assert "Hamden Public Schools" in calendar.text and "320 workers" in calendar.text


def test_a_bad_unit_form_names_the_field(signed_in, organizer, teachers_union):
    client = signed_in(organizer)
    response = client.post(
        url("unit_new"),
        {
            "affiliate": teachers_union.pk,
            "employer": "Hamden Public Schools",
            "unit_size": "320",
            "contract_expires_on": "2027-06-30",
            "bargaining_starts_on": "2027-07-30",
        },
        follow=True,
    )
    assert "after the contract expires" in response.text


def test_a_stance_and_a_linked_action_show_on_the_campaign(signed_in, organizer, staff, fight):
    from django.utils import timezone

    from powerbase.actions import services as actions

    rally = actions.create_action(
        actor=staff,
        title="Rally at the Board of Ed",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        turnout_goal=300,
        is_structure_test=True,
    )
    services.link_action(actor=staff, campaign=fight, action=rally)
    target = services.add_target(
        actor=staff, campaign=fight, kind="employer", name="Carla Ruiz", role="Board chair"
    )
    client = signed_in(organizer)
    client.post(url("stance_new", target_id=target.pk), {"stance": "lean_yes"})
    client.post(
        url("session_new", campaign_id=fight.pk),
        {"meets_on": "2027-03-02", "note": "Class size proposal presented"},
    )
    page = client.get(url("campaign", campaign_id=fight.pk))
    assert "Rally at the Board of Ed" in page.text and "structure test" in page.text
    assert "Carla Ruiz, Board chair" in page.text and "Lean yes" in page.text
    assert "Tue Mar 2, 2027" in page.text and "Class size proposal presented" in page.text


@pytest.fixture
def strike_vote(nutmeg, staff, housing):
    """The strategy table's decision to back the housing authority campaign, taken without a
    vote in powerbase: the decision log's readers open it, an affiliate lead does not."""
    from powerbase.democracy import services as democracy
    from powerbase.democracy.models import GoverningBody
    from powerbase.strategy import services as strategy

    table = democracy.create_body(
        actor=staff, name="Strategy table", kind=GoverningBody.Kind.STRATEGY_TABLE
    )
    decision = strategy.record_decision(
        actor=staff,
        body=table,
        title="Back the maintenance workers",
        decided_on=datetime.date(2026, 11, 2),
    )
    services.start_campaign(actor=staff, unit=housing, name="Repairs Now", authorised_by=decision)
    return decision


def decision_url(decision) -> str:
    return reverse("strategy:decision", kwargs={"org": "nutmeg", "decision_id": decision.pk})


def test_the_authorising_decision_links_to_the_decision_log(
    signed_in, organizer, staff, strike_vote
):
    client = signed_in(organizer)
    [campaign] = queries.campaigns(staff)
    page = client.get(url("campaign", campaign_id=campaign.pk))
    link = f'<a href="{decision_url(strike_vote)}">“Back the maintenance workers”</a>'
    assert link in page.text
    assert client.get(decision_url(strike_vote)).status_code == 200


def test_a_lead_who_may_not_open_the_decision_sees_it_named_without_a_link(
    signed_in, affiliate_lead, lead, strike_vote
):
    client = signed_in(affiliate_lead)
    [campaign] = queries.campaigns(lead)
    page = client.get(url("campaign", campaign_id=campaign.pk))
    assert "Authorised by the decision “Back the maintenance workers”" in page.text
    assert decision_url(strike_vote) not in page.text
    assert client.get(decision_url(strike_vote)).status_code == 404
