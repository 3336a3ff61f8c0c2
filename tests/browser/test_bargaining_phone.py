"""A contract demand marked won on a phone, then found in the demands-won report beside the
legislature's wins."""

import datetime

import pytest
from playwright.sync_api import expect

from powerbase.bargaining import services
from powerbase.bargaining.models import ContractDemand, Outcome
from powerbase.core import access
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def fight(transactional_db, nutmeg, teachers_union, tenant_union):
    staff = access.command_line(nutmeg)
    unit = services.create_unit(
        actor=staff,
        affiliate=teachers_union,
        employer="New Haven Public Schools",
        name="Teachers",
        unit_size=1800,
        contract_expires_on=datetime.date.today() + datetime.timedelta(days=200),
    )
    campaign = services.start_campaign(actor=staff, unit=unit, name="Schools Our Students Deserve")
    services.add_demand(actor=staff, campaign=campaign, source="union", title="Class size caps")
    services.add_demand(
        actor=staff,
        campaign=campaign,
        source="community",
        title="A nurse and counselor in every school",
    )
    services.add_partner(
        actor=staff, campaign=campaign, affiliate=tenant_union, commitment="Sixty at the rally"
    )
    return campaign


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_contract_demand_marked_won_shows_in_the_demands_won_report(
    phone, live_server, organizer, fight, screenshot
):
    sign_in(phone, live_server, organizer.email)
    phone.goto(f"{live_server.url}/o/nutmeg/bargaining/")
    expect(phone.get_by_role("heading", name="Bargaining for the Common Good")).to_be_visible()
    phone.get_by_role("link", name="Schools Our Students Deserve").click()
    expect(phone.get_by_role("heading", name="Schools Our Students Deserve")).to_be_visible()
    fits(phone)

    demand = phone.locator("li", has_text="A nurse and counselor in every school").first
    demand.get_by_text("Record the outcome").click()
    phone.get_by_label("Outcome of “A nurse and counselor in every school”").select_option(
        label="Won"
    )
    demand.get_by_label("What the contract says").fill("40 nurses and counselors by September")
    demand.get_by_role("button", name="Save the outcome").click()
    expect(phone.get_by_text("“A nurse and counselor in every school”: won.")).to_be_visible()
    fits(phone)
    screenshot("bargaining-demand-won-phone")

    phone.set_viewport_size({"width": 1280, "height": 800})
    phone.get_by_role("link", name="Demands won").click()
    expect(phone.get_by_role("heading", name="Demands won", level=1)).to_be_visible()
    table = phone.locator(
        "section", has=phone.get_by_role("heading", name="At the bargaining table")
    )
    expect(table.get_by_text("A nurse and counselor in every school")).to_be_visible()
    expect(table.get_by_text("40 nurses and counselors by September")).to_be_visible()
    expect(phone.get_by_role("heading", name="In the legislature")).to_be_visible()
    screenshot("bargaining-demands-won")

    won = ContractDemand.objects.get(title="A nurse and counselor in every school")
    assert won.outcome == Outcome.WON
    assert ContractDemand.objects.get(title="Class size caps").outcome == Outcome.OPEN
